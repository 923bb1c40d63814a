"""The AppTest helpers of every page test: a visitor's session and what a visitor does in it.

A test takes the ``app`` fixture (a fresh session, run once on the Explore
page) or, for a second visitor or a session opened by a link,
``new_session``. Both give a ``Session``: Streamlit's ``AppTest`` plus the
few steps every page test takes (open a page, press a button, train, upload
a CSV), the text a visitor reads (sidebar, errors, warnings), and ``call``,
which reads or changes the session's objects (runs, data set, upload)
through the public functions of ``ui.state`` only, never its private keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from unittest import mock

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ui import state

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_app.py"
DATA_PAGE = "views/data.py"
TRAIN_PAGE = "views/train.py"
TIMEOUT = 60.0  # seconds per script run: long enough for a training on a loaded machine


def shown(element) -> str:
    """An element's text as the reader sees it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", element.value)


class _StateOf(MutableMapping):
    """An AppTest session's state as ``st.session_state`` looks to ``ui.state`` (a mutable mapping)."""

    def __init__(self, app: AppTest) -> None:
        self._state = app.session_state

    def __getitem__(self, key):
        return self._state[key]

    def __setitem__(self, key, value) -> None:
        self._state[key] = value

    def __delitem__(self, key) -> None:
        del self._state[key]

    def __iter__(self) -> Iterator:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(key) from exc


class Session(AppTest):
    """One visitor's session of the dashboard, with the steps the page tests share."""

    # ------------------------------------------------------------ doing
    def assert_ok(self, where: str = "") -> Session:
        """No exception in the last run (``where`` says what the visitor had just done)."""
        assert not self.exception, f"{where}: {[e.value for e in self.exception]}"
        return self

    def open(self, page: str) -> Session:
        """Switch to ``page`` (a path such as ``views/train.py``) and run it."""
        return self.switch_page(page).run().assert_ok(f"opening {page}")

    def press(self, key: str) -> Session:
        """Click the button with widget key ``key`` (a ``ui.state`` constant) and run."""
        return self.button(key=key).click().run().assert_ok(f"pressing {key}")

    def train(self, epochs: int | None = None) -> Session:
        """Open Train and press Train (for ``epochs`` epochs if given, else the setting's value)."""
        self.open(TRAIN_PAGE)
        if epochs is not None:
            self.session_state[state.EPOCHS] = epochs
        return self.press(state.TRAIN_BUTTON)

    def upload(self, name: str, data: bytes) -> Session:
        """Open Explore, choose "Upload a CSV" and upload ``data`` as the file ``name``."""
        self.open(DATA_PAGE)
        if self.radio(key=state.SOURCE).value != "upload":
            self.radio(key=state.SOURCE).set_value("upload").run()
        self.file_uploader(key=state.UPLOAD_FILE).set_value((name, data, "text/csv")).run()
        return self.assert_ok(f"uploading {name}")

    # ----------------------------------------------------------- reading
    def sidebar_text(self) -> str:
        """The sidebar's plain text (data set summary, active run), one element a line."""
        return "\n".join(t.value for t in self.sidebar.text)

    def errors(self) -> str:
        """Every error message, as the reader sees it."""
        return " ".join(shown(e) for e in self.error)

    def messages(self) -> str:
        """Every error and warning, as the reader sees them."""
        return " ".join(shown(e) for e in [*self.error, *self.warning])

    shown = staticmethod(shown)

    def listed_pages(self) -> list[str]:
        """Every page the navigation lists (read from the entry, so a new page is covered)."""
        return re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', ENTRY.read_text())

    # --------------------------------------------------- session objects
    def call(self, function: Callable, *args):
        """``function(*args)``, a public ``ui.state`` function, run against this session's state."""
        with mock.patch.object(streamlit, "session_state", _StateOf(self)):
            return function(*args)

    def runs(self) -> list:
        return self.call(state.runs)

    def active_run(self):
        return self.call(state.active_run)


@pytest.fixture
def new_session() -> Callable[..., Session]:
    """Start another visitor's session: ``new_session(query={...}, before={...})``.

    ``query`` are the URL's query parameters (a shared link), ``before`` session
    values set before the first run; the session is run once.
    """

    def start(query: dict[str, str] | None = None, before: dict | None = None) -> Session:
        session = Session(ENTRY, default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            session.query_params[key] = value
        for key, value in (before or {}).items():
            session.session_state[key] = value
        return session.run()

    return start


@pytest.fixture
def app(new_session) -> Session:
    """A fresh session of the dashboard, run once (it opens on Explore data)."""
    return new_session().assert_ok("first run")
