"""Shared test helpers."""

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture(autouse=True)
def entry_runs_every_time(monkeypatch):
    """Make AppTest rerun the entry file (and so the sidebar) on every run, as the server does.

    AppTest 1.67 resets ``PagesManager.uses_pages_directory`` before each run;
    our ``pages/`` folder then makes it take the old folder-based multipage
    path, which on a rerun executes the page file alone, without
    ``streamlit_app.py``. The server sets the flag once and ``st.navigation``
    turns it off for good.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def app() -> AppTest:
    """A fresh session of the dashboard, run once (timeout fits training)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at
