"""One trainer on one task, in its own fresh process, driven one repetition at a time.

    python -m bench.child TRAINER TASK [--dtype float64] [--threads 1|default]

After its imports and data (untimed) it prints ``ready`` and then answers
commands on stdin, one JSON line each: ``rep`` trains once and reports
``seconds`` (wall), ``cpu_seconds`` and ``loss`` (JAX adds its first call's
times, compile included: ``first_seconds``, ``first_cpu_seconds``); ``end`` reports memory and
the libraries, and exits. The parent (``bench.run``) keeps one such process
per trainer and asks them in turns, so every trainer's repetitions share the
same moments of a busy machine. By hand: ``printf 'rep\\nrep\\nend\\n' | python -m bench.child nn_core small``.

Memory: ``peak_rss_mb`` is the process's maximum resident set size
(``ru_maxrss``, imports included); ``train_rss_mb`` is what training added on
top of the resident size before the first repetition: the peak is reset
through ``/proc/self/clear_refs`` then and read back (``VmHWM``) at ``end``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def main(argv: list[str] | None = None) -> None:
    from .tasks import TASKS
    from .trainers import TRAINERS

    p = argparse.ArgumentParser(prog="python -m bench.child")
    p.add_argument("trainer", choices=sorted(TRAINERS))
    p.add_argument("task", choices=sorted(TASKS))
    p.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    p.add_argument("--threads", default="1", choices=["1", "default"])
    args = p.parse_args(argv)

    if args.trainer == "torch" and args.threads == "1":
        import torch

        torch.set_num_threads(1)
    train = TRAINERS[args.trainer](TASKS[args.task], args.dtype)  # imports and data: untimed
    import_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before_kb = _status_kb("VmRSS")
    can_reset = _reset_peak_rss()
    _say("ready")

    for line in sys.stdin:
        command = line.strip()
        if command == "rep":
            cpu = time.process_time()
            seconds, loss, *extra = train()  # extra: a dict of further timings (JAX), which take precedence
            _say({"seconds": seconds, "cpu_seconds": time.process_time() - cpu, "loss": loss, **(extra[0] if extra else {})})
        elif command == "end":
            peak_kb = _status_kb("VmHWM") if can_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            _say({
                "peak_rss_mb": max(import_peak_kb, peak_kb) / 1024,
                "train_rss_mb": (peak_kb - before_kb) / 1024 if can_reset else None,
                "libraries": _libraries(args.trainer),
            })
            return
        elif command:
            raise SystemExit(f"unknown command {command!r}; send 'rep' or 'end'")


def _say(message) -> None:
    print(message if isinstance(message, str) else json.dumps(message), flush=True)


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux ``clear_refs`` 5); False where that is impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _libraries(trainer: str) -> dict:
    """Versions and the BLAS each library ran on, as this process loaded them."""
    import numpy as np
    from threadpoolctl import threadpool_info

    libs = {"python": sys.version.split()[0], "numpy": np.__version__}
    if trainer == "sklearn":
        import sklearn

        libs["sklearn"] = sklearn.__version__
    if trainer == "jax":
        import jax

        libs["jax"] = jax.__version__
        libs["xla_flags"] = os.environ.get("XLA_FLAGS", "")
    if trainer == "torch":
        import torch

        libs["torch"] = torch.__version__
        libs["torch_threads"] = torch.get_num_threads()
        cfg = torch.__config__.show()
        libs["torch_blas"] = "MKL" if "BLAS_INFO=mkl" in cfg else "see torch.__config__.show()"
    libs["threadpools"] = [
        {k: pool.get(k) for k in ("user_api", "internal_api", "prefix", "version", "num_threads", "architecture")}
        for pool in threadpool_info()
    ]
    return libs


if __name__ == "__main__":
    main()
