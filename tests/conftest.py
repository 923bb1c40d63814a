"""Fixtures for every test folder (the page tests' session helpers are in ``tests/app/conftest.py``)."""

import pytest


@pytest.fixture(autouse=True)
def validate_every_drawn_chart(monkeypatch):
    """The app draws without Altair's schema validation (ui/display.py); every test draws with it."""
    from ui import display

    monkeypatch.setattr(display, "VALIDATE", True)
