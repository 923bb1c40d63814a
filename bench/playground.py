"""The playground, live: redraws and epochs per second in Chromium, and the server's CPU per playing session.

    python -m bench.playground                  # 1, 2 and 3 browsers playing; writes the "playground" section
    python -m bench.playground --sessions 1 --seconds 5

For each N: a fresh ``streamlit run streamlit_app.py``, one Debian Chromium
with N Chromium browsers (each its own Streamlit session) on the playground
with the default net on circles (400 points). Each presses Play; after a
warm-up, a window of ``--seconds`` is measured: per session, the redraws of
the whole picture (the network view counts its draws in
``window.__nnViewStats``) and the epochs trained (the view's epoch line), per
second; the server's CPU time over the window (``/proc/<pid>/stat``) divided
by the frames drawn gives CPU seconds per frame, and times the frame rate,
the share of one core each playing session costs. Not run in CI: it needs a
quiet machine to mean anything (the load average is recorded beside it).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.load import cpu_seconds, rss_mb
from bench.results import write_section
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "bench" / "_out"
URL_PATH = "/playground?source=generated&generator=circles"
STATS = "() => Object.assign({}, window.__nnViewStats || {frames: 0})"
EPOCH = re.compile(r"Epoch ([\d,]+)")


@dataclass
class Round:
    sessions: int
    seconds: float
    frames_per_second: list[float]
    epochs_per_second: list[float]
    server_cpu_per_frame: float
    draw_ms: list[float]
    server_rss_mb: float

    @property
    def core_share(self) -> float:
        """Server CPU per playing session at its frame rate, as a share of one core."""
        return self.server_cpu_per_frame * statistics.median(self.frames_per_second)


def epoch_of(page) -> int:
    text = page.locator(".nnv-stats").first.text_content(timeout=30_000) or ""
    match = EPOCH.search(text)
    return int(match.group(1).replace(",", "")) if match else 0


def run_round(n: int, seconds: float, warmup: float) -> Round:
    from playwright.sync_api import sync_playwright

    LOGS.mkdir(parents=True, exist_ok=True)
    server = start_server(LOGS / f"playground-{n}.log")
    try:
        with sync_playwright() as p:
            # one browser per session, as a class has: in one browser only the front page draws
            # (Chromium throttles requestAnimationFrame in background pages)
            browsers = [p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS) for _ in range(n)]
            pages = []
            for browser in browsers:
                page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
                page.goto(server.url + URL_PATH, timeout=180_000)
                page.wait_for_function("() => window.__nnViewStats && window.__nnViewStats.frames > 0",
                                       timeout=180_000)
                page.get_by_role("button", name="▶ Play").wait_for(timeout=180_000)
                pages.append(page)
            for page in pages:
                page.get_by_role("button", name="▶ Play").click()
            for page in pages:
                page.get_by_role("button", name="⏸ Pause").wait_for(timeout=60_000)
            time.sleep(warmup)  # a benchmark window: measured over wall time on purpose
            start = [(page.evaluate(STATS)["frames"], epoch_of(page)) for page in pages]
            cpu0, t0 = cpu_seconds(server.process.pid), time.monotonic()
            time.sleep(seconds)
            cpu1, t1 = cpu_seconds(server.process.pid), time.monotonic()
            end = [(page.evaluate(STATS), epoch_of(page)) for page in pages]
            rss = rss_mb(server.process.pid)
            for browser in browsers:
                browser.close()
    finally:
        stop_server(server)
    wall = t1 - t0
    frames = [stats["frames"] - f0 for (stats, _), (f0, _) in zip(end, start)]
    epochs = [e1 - e0 for (_, e1), (_, e0) in zip(end, start)]
    return Round(n, wall, [f / wall for f in frames], [e / wall for e in epochs],
                 (cpu1 - cpu0) / max(sum(frames), 1), [stats.get("mean_ms", 0.0) for stats, _ in end], rss)


def markdown(rounds: list[Round], load: tuple[float, float]) -> str:
    lines = [
        "The playground's default net (2-8-8-1 tanh, Adam, lr 0.03) on circles (400 points, 240 training "
        "rows), playing at the default 5 epochs per frame; each session its own Chromium, one server. "
        f"Load average before/after: {load[0]:.2f} / {load[1]:.2f} (a shared 2-core machine).",
        "",
        "| Sessions playing | Redraws/s (median) | Epochs/s (median) | Server CPU per frame | "
        "Share of a core per session | Browser draw per frame | Server RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rounds:
        lines.append(
            f"| {r.sessions} | {statistics.median(r.frames_per_second):.1f} | "
            f"{statistics.median(r.epochs_per_second):.0f} | {r.server_cpu_per_frame * 1000:.1f} ms | "
            f"{r.core_share:.0%} | {statistics.median(r.draw_ms):.1f} ms | {r.server_rss_mb:.0f} MB |")
    one = rounds[0]
    per_core = 1.0 / max(one.server_cpu_per_frame * 5, 1e-9)
    lines += [
        "",
        f"At 5 redraws a second one playing session costs {one.server_cpu_per_frame * 5:.0%} of a core, so one "
        f"Streamlit process per core serves about {per_core:.0f} sessions playing at once and a 2-core "
        f"replica about {2 * per_core:.0f} (from the one-session row: CPU seconds per frame x 5 frames a second).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,2,3")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rounds = []
    for n in args.sessions.split(","):
        rounds.append(run_round(int(n), args.seconds, args.warmup))
        print(markdown(rounds[-1:], (load_before, os.getloadavg()[0])).splitlines()[-3], flush=True)
    text = markdown(rounds, (load_before, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        write_section("playground", "## The playground, live (Chromium)\n\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
