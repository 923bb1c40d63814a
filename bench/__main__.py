"""``python -m bench [training|micro|app|all] [--reps N] [--tasks small,large] [--no-defaults]``.

``all`` runs training and micro; ``app`` (the dashboard under AppTest), ``browser``
(what the user waits for in Chromium: ``python -m bench browser --help``) and the
browser load test (``python -m bench.load``) run on their own.
"""

from __future__ import annotations

import argparse
import sys

from .run import run_micro, run_training
from .tasks import TASKS


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["browser"]:  # its own options: python -m bench browser --help
        from .browser import main as browser_main

        return browser_main(argv[1:])
    p = argparse.ArgumentParser(prog="python -m bench", description="Benchmark nn_core; results go to bench/RESULTS.md.")
    p.add_argument("what", nargs="?", default="all", choices=["all", "training", "micro", "app", "browser"])
    p.add_argument("--reps", type=int, default=5, help="repetitions per trainer (best kept); at least 5 for RESULTS.md")
    p.add_argument("--tasks", default=",".join(TASKS), help=f"comma-separated subset of {', '.join(TASKS)}")
    p.add_argument("--no-defaults", action="store_true", help="skip the library-default-threads table")
    args = p.parse_args(argv)
    tasks = [t for t in args.tasks.split(",") if t]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        p.error(f"unknown task(s) {', '.join(unknown)}; choose from {', '.join(TASKS)}")
    missed = []
    if args.what in ("all", "training"):
        missed = run_training(args.reps, tasks, with_defaults=not args.no_defaults)
    if args.what in ("all", "micro"):
        run_micro()
    if args.what == "app":
        from .app_speed import run_app_speed

        run_app_speed()
    if missed:
        print("targets missed: " + "; ".join(missed))
    print("wrote bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
