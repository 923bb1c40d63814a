"""Shared test helpers."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture
def app() -> AppTest:
    """A fresh session of the dashboard, run once (timeout fits training)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def at(app) -> AppTest:
    """The same fresh session, under the name the page tests use."""
    return app


@pytest.fixture(autouse=True)
def validate_every_drawn_chart(monkeypatch):
    """The app draws without Altair's schema validation (ui/display.py); every test draws with it."""
    from ui import display

    monkeypatch.setattr(display, "VALIDATE", True)
