"""``bench/RESULTS.md``: one file, one section per benchmark.

Each benchmark owns the text between its two markers and rewrites only that::

    <!-- section:training start -->
    ...
    <!-- section:training end -->

so a rerun of one benchmark never wipes another's results. New sections are
appended in the order they are first written.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
TITLE = "# Benchmark results\n\nEach section below is rewritten by its own benchmark (`python -m bench`, see `bench/__init__.py`).\n"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def markers(name: str) -> tuple[str, str]:
    return f"<!-- section:{name} start -->", f"<!-- section:{name} end -->"


def write_section(name: str, markdown: str, path: Path | str = RESULTS) -> None:
    """Replace section ``name`` of ``path`` with ``markdown`` (append it if new).

    ``name`` is lowercase letters, digits, ``-`` and ``_``. The rest of the file
    is kept byte for byte; the write is atomic and serialized with other
    writers by a lock on the file's directory.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"Section names are lowercase letters, digits, '-' and '_'; got {name!r}.")
    path = Path(path)
    start, end = markers(name)
    body = f"{start}\n{markdown.strip()}\n{end}"
    with _locked(path):
        text = path.read_text(encoding="utf-8") if path.exists() else TITLE
        i, j = text.find(start), text.find(end)
        if i >= 0 and j > i:
            text = text[:i] + body + text[j + len(end):]
        elif i >= 0 or j >= 0:
            raise ValueError(f"{path} has a broken '{name}' section (one marker without the other); fix it by hand.")
        else:
            text = text.rstrip("\n") + "\n\n" + body + "\n"
        _atomic_write(path, text)


def read_section(name: str, path: Path | str = RESULTS) -> str | None:
    """The markdown of section ``name``, or ``None`` when the file or section is missing."""
    path = Path(path)
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    start, end = markers(name)
    i, j = text.find(start), text.find(end)
    return text[i + len(start):j].strip() if 0 <= i < j else None


def _atomic_write(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp would leave 0o600
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path):
    try:
        import fcntl
    except ImportError:  # not on POSIX: no other writer to wait for in practice
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)  # lock the directory: no lock file to clean up
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
