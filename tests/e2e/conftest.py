"""Fixtures for the browser tests: one real Streamlit server and one headless Chromium.

The server is started the way a user starts it (``streamlit run``) on a free
port, with the repository's ``.streamlit/config.toml``; the browser is
Debian's Chromium driven by Playwright (never a downloaded browser). Without
Chromium or Playwright the tests skip locally and fail in CI (``CI`` set).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
HEALTH_TIMEOUT = 60.0
_used_screenshots: list[Path] = []


def missing_browser(reason: str) -> None:
    """No browser to drive: a failure in CI (the test must run there), a skip on a laptop."""
    if os.environ.get("CI"):
        pytest.fail(f"Browser test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``streamlit run streamlit_app.py`` and where its output goes."""

    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_server(log: Path, script: str = "streamlit_app.py") -> Server:
    """Start ``script`` (the app by default) on a free port; wait (bounded) until ``/_stcore/health`` answers ``ok``."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script,
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         # other people edit the tree while tests run: a file-change prompt must not appear
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"streamlit did not answer /_stcore/health in {HEALTH_TIMEOUT:.0f} s:\n{server.log_tail()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextmanager
def serving(log: Path) -> Iterator[Server]:
    """A server for the duration of a ``with`` block, its output in ``log``."""
    server = start_server(log)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where the browser tests save their screenshots (git-ignored); printed so people can look."""
    folder = SCREENSHOTS / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    _used_screenshots.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter) -> None:
    """Say where the screenshots are, even when output is captured."""
    for folder in _used_screenshots:
        terminalreporter.write_line(f"Browser screenshots and server log: {folder}")


@pytest.fixture(scope="session")
def streamlit_server(screenshot_dir: Path) -> Iterator[Server]:
    """One app server for the browser tests; every browser context is a new visitor (session)."""
    with serving(screenshot_dir / "server.log") as server:
        yield server


@pytest.fixture
def fresh_server(screenshot_dir: Path) -> Iterator[Server]:
    """A server nobody has opened yet (as after a restart or a hosted app waking up)."""
    with serving(screenshot_dir / "server-fresh.log") as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright (never ``playwright install``)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("Playwright is not installed (pip install -r requirements-dev.txt).")
    if not Path(CHROMIUM).exists():
        missing_browser(f"{CHROMIUM} is missing (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
