"""What the user waits for in a real browser: ``python -m bench browser``.

One ``streamlit run streamlit_app.py`` on a loopback port, started through
``bench.browser_server`` (which times every script run on the server's side),
and Debian's Chromium driven by Playwright, headless, one session. Each action
is repeated (``--reps``, at least 10) and its median kept:

- **Train** pressed on the Train page -> the finished default run drawn (the
  held-out metrics shown, the app idle, every visible chart drawn);
- a sidebar page switch (Explore data <-> Train <-> Predict) -> the page drawn;
- a what-if number changed on Predict -> the new probability drawn;
- a 10,000-row CSV uploaded on Explore -> the page drawn with it.

"Drawn" is a condition, never a sleep: the script run that the action started
has ended on the server (its line in the timings file), the app shows no
running status, and every visible Vega-Lite chart holds its canvas or SVG.

Where the time goes, per action (medians): the server's script runs (the
engine's ``fit`` and the post-run garbage collection inside them), protobuf
serialisation of the messages, and the rest (websocket, the browser's parsing,
layout and Vega drawing), with Chromium's own CPU time beside it
(``/proc/<pid>/stat`` of its processes). The section ``browser`` of
RESULTS.md is written with ``--write``; ``--config KEY=VALUE`` passes a
Streamlit option (``runner.postScriptGC=false``) to measure a lever.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.load import chromium_cpu
from bench.results import write_section
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port
from tests.e2e.test_browser import CHARTS_DRAWN, IDLE

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "_out"
TARGETS = {"train": 0.5, "switch": 0.3, "whatif": 0.15}
LABELS = {
    "train": "Train pressed -> finished default run drawn",
    "switch": "Sidebar page switch -> page drawn",
    "whatif": "What-if number changed -> new probability drawn",
    "upload": "10,000-row CSV uploaded -> Explore page drawn",
}
ACCURACY = '[data-testid="stMain"] [data-testid="stMetricLabel"]:has-text("Accuracy")'


class Server:
    """The app under ``bench.browser_server``; ``runs_since(t)`` reads its timed script runs."""

    def __init__(self, options: list[str]):
        OUT.mkdir(exist_ok=True)
        self.timings = OUT / "browser-runs.jsonl"
        self.timings.write_text("")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = (OUT / "browser-server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.browser_server", str(self.timings), "streamlit_app.py",
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *options],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not answer /_stcore/health within 60 s")

    def runs_since(self, t: float) -> list[dict]:
        runs = [json.loads(line) for line in self.timings.read_text().splitlines() if line.strip()]
        return [r for r in runs if r["start"] >= t]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class Session:
    """One Chromium tab on the app; ``timed(action)`` measures one action until it is drawn."""

    def __init__(self, page, server: Server):
        self.page, self.server = page, server
        self.samples: dict[str, list[dict]] = {}

    def drawn(self, since: float, runs: int = 1, timeout: float = 60) -> None:
        """Wait until ``runs`` script runs started after ``since`` have ended, then for the app idle and drawn."""
        deadline = time.monotonic() + timeout
        while len(self.server.runs_since(since)) < runs:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no finished script run within {timeout} s")
            self.page.wait_for_timeout(5)  # polls the file while Playwright keeps its event loop running
        self.page.wait_for_function(IDLE, timeout=timeout * 1000, polling="raf")
        self.page.wait_for_function(CHARTS_DRAWN, timeout=timeout * 1000, polling="raf")

    def timed(self, name: str, action, runs: int = 1) -> None:
        client = chromium_cpu()
        started = time.perf_counter()
        action()
        self.drawn(started, runs)
        wall = time.perf_counter() - started
        done = self.server.runs_since(started)
        sample = {k: sum(r[k] for r in done) for k in ("cpu", "gc", "engine", "serialise")}
        sample.update(wall=wall, server=sum(r["wall"] for r in done), runs=len(done), client_cpu=chromium_cpu() - client)
        self.samples.setdefault(name, []).append(sample)

    # ------------------------------------------------------------ the actions
    def go(self, title: str) -> None:
        nav = self.page.get_by_test_id("stSidebarNav")
        nav.get_by_role("link", name=title, exact=False).first.click()

    def open(self) -> None:
        started = time.perf_counter()
        self.page.goto(self.server.url)
        self.page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
        self.drawn(started)


def measure(reps: int, options: list[str]) -> dict:
    import numpy as np
    import pandas as pd
    from playwright.sync_api import sync_playwright

    server = Server(options)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            s = Session(page, server)
            s.open()
            s.go("Train")
            s.drawn(0)
            main = page.get_by_test_id("stMain")
            for i in range(reps + 1):  # the first press warms the imports and caches: not counted
                s.timed("train", lambda: main.get_by_role("button", name="Train", exact=True).click(), runs=1)
                page.locator(ACCURACY).first.wait_for(timeout=60_000)
                if i == 0:
                    s.samples.pop("train")
            for i in range(reps + 1):
                for title in ("Explore data", "Predict (what if?)", "Train"):
                    s.timed("switch", lambda title=title: s.go(title))
                if i == 0:
                    s.samples.pop("switch")
            s.go("Predict (what if?)")
            s.drawn(0)
            box = main.get_by_label("Feature 2 (exact)")
            probability = main.locator('[data-testid="stMetricValue"]').first
            for i in range(2 * reps + 1):
                before = probability.inner_text()
                value = str(75 + 50 * (i % 2) + i % 7)  # glucose in its bounds, never the value shown: a rerun each time

                def change(value=value):
                    box.fill(value)
                    box.press("Enter")

                s.timed("whatif", change)
                if probability.inner_text() == before:
                    raise RuntimeError(f"the probability did not change for feature 2 = {value}")
                if i == 0:
                    s.samples.pop("whatif")
            s.go("Explore data")
            s.drawn(0)
            main.get_by_text("Upload a CSV", exact=True).click()
            s.drawn(0)
            rng = np.random.default_rng(0)
            for i in range(reps + 1):
                frame = pd.DataFrame(rng.normal(50, 10, (10_000, 8)).round(3), columns=[f"x{j}" for j in range(8)])
                frame["label"] = (frame["x0"] + frame["x1"] > 100).astype(int)
                data = frame.to_csv(index=False).encode()
                name = f"rows-{i}.csv"
                uploader = main.locator('[data-testid="stFileUploader"] input[type="file"]')

                def upload(name=name, data=data, uploader=uploader):
                    uploader.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])

                s.timed("upload", upload)
                page.get_by_test_id("stSidebarUserContent").get_by_text(name, exact=False).first.wait_for(timeout=60_000)
                if i == 0:
                    s.samples.pop("upload")
            browser.close()
    finally:
        server.stop()
    return s.samples


def summary(samples: dict) -> dict:
    return {name: {k: statistics.median(x[k] for x in xs) for k in xs[0]} | {"n": len(xs)}
            for name, xs in samples.items()}


def markdown(results: dict[str, dict], load: tuple[str, str], minutes: float) -> str:
    lines = [
        "## The browser: what the user waits for",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python -m bench browser --write` in "
        f"{minutes:.1f} min: `streamlit run streamlit_app.py` on a loopback port (through `bench/browser_server.py`, "
        "which times each script run on the server) and Debian's Chromium driven by Playwright, headless, one "
        "session, the defaults (bundled diabetes data, 2-8-8-1 tanh, Adam, 300 epochs). Medians; every action is "
        "timed from the click or keystroke until the script run it started has ended, the app is idle and every "
        "visible chart is drawn (conditions, no fixed sleeps). The machine is shared (2 cores): "
        f"`uptime` before: {load[0]}; after: {load[1]}.",
        "",
    ]
    for config, summary_ in results.items():
        lines += [
            f"### {config}",
            "",
            "| Action | n | Wall (median, s) | Target | Met | Script runs (s) | of which engine `fit` | of which "
            "post-run GC | Script CPU (s) | Serialisation | Rest: websocket and browser | Chromium CPU (s) |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, label in LABELS.items():
            m = summary_.get(name)
            if m is None:
                continue
            target = TARGETS.get(name)
            met = "" if target is None else ("yes" if m["wall"] <= target else "**no**")
            rest = max(m["wall"] - m["server"] - m["serialise"], 0.0)
            lines.append(
                f"| {label} | {m['n']} | {m['wall']:.3f} | {'' if target is None else f'<= {target} s'} | {met} | "
                f"{m['server']:.3f} | {m['engine']:.3f} | {m['gc']:.3f} | {m['cpu']:.3f} | {m['serialise']:.3f} | {rest:.3f} | "
                f"{m['client_cpu']:.3f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench browser")
    p.add_argument("--reps", type=int, default=10, help="repetitions per action (median kept; at least 10)")
    p.add_argument("--config", action="append", default=[], help="a Streamlit option KEY=VALUE for the server")
    p.add_argument("--compare", action="append", default=[],
                   help="also measure with this option (KEY=VALUE), in the same run, as its own table")
    p.add_argument("--write", action="store_true", help="write the 'browser' section of bench/RESULTS.md")
    args = p.parse_args(argv)
    started, before = time.time(), _uptime()
    configs = {"As configured (`.streamlit/config.toml`)" + (f", {', '.join(args.config)}" if args.config else ""):
               args.config}
    for option in args.compare:
        configs[f"With `{option}`"] = [*args.config, option]
    results = {}
    for title, options in configs.items():
        print(f"measuring: {title}", flush=True)
        results[title] = summary(measure(args.reps, [f"--{o}" if "=" in o else o for o in options]))
        print(json.dumps(results[title], indent=1), flush=True)
    (OUT / "browser.json").write_text(json.dumps(results, indent=1))
    text = markdown(results, (before, _uptime()), (time.time() - started) / 60)
    print(text)
    if args.write:
        write_section("browser", text)
    return 0


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
