"""A shared link read into settings, and settings written as a link; both driven by ``ui.settings``.

A link's query parameters are the settings' names (``ui.settings.SETTINGS``)
with their values as text. Reading one never fails: a value that does not
parse, is not offered, or belongs to an uploaded file is ignored, and a
number outside its widget's range is clamped, so a tampered ``n=10**9`` never
reaches a generator. Each such change comes back as a ``LinkNote`` so a page
can tell the visitor what their link did not open as written.

No Streamlit here: ``ui.state`` passes ``st.query_params`` in and the
session's values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nn_core.data import GENERATORS

from .settings import BY_NAME, DEFAULTS, SETTINGS


@dataclass(frozen=True)
class LinkNote:
    """One value of a link that was not taken as written: ``param=text``, and what happened, as a sentence."""

    param: str
    text: str
    reason: str


def read_link(params: Mapping[str, str], current: Mapping[str, object] = DEFAULTS
              ) -> tuple[dict[str, object], list[LinkNote]]:
    """The settings a link sets, ``{name: session value}``, and the notes on what it changed or ignored.

    ``params`` maps each query parameter to its text (``st.query_params``);
    ``current`` holds the settings the link does not set (the session's), for
    the rules that look at two settings at once.
    """
    values: dict[str, object] = {}
    notes: list[LinkNote] = []
    for param, text in params.items():
        setting = BY_NAME.get(param)
        if setting is None:
            notes.append(LinkNote(param, text, "This app has no such setting; it was ignored."))
            continue
        if setting.upload_only:
            notes.append(LinkNote(param, text, "This describes an uploaded file's columns, which a link cannot "
                                               "carry; it was ignored."))
            continue
        try:
            value = setting.kind.read(text)
        except ValueError as exc:
            notes.append(LinkNote(param, text, f"Not a valid value ({exc}); it was ignored."))
            continue
        if not setting.allows(value):
            offered = ", ".join(map(str, setting.choices))
            notes.append(LinkNote(param, text, f"Not one of the values offered ({offered}); it was ignored."))
            continue
        clamped = setting.clamp(value)
        if clamped != value:
            notes.append(LinkNote(param, text, f"Outside {setting.low:g} to {setting.high:g}; set to {clamped:g}."))
        values[param] = clamped
    _fit_classes(values, current, notes)
    return values, notes


def _fit_classes(values: dict[str, object], current: Mapping[str, object], notes: list[LinkNote]) -> None:
    """Only some generators take more than two classes: the link's count would make the others fail."""
    generator = values.get("generator", current["generator"])
    if not GENERATORS[generator].supports_classes and values.get("classes", current["classes"]) != 2:
        if "classes" in values:
            notes.append(LinkNote("classes", str(values["classes"]),
                                  f"The {generator} pattern has two classes only; set to 2."))
        values["classes"] = 2


def link_params(values: Mapping[str, object]) -> dict[str, str]:
    """The query parameters of a link to ``values`` (every setting but the upload-only ones).

    Floats are written with ``str``, the shortest text that reads back as the
    same float, so a link reproduces a run bit for bit.
    """
    return {s.name: s.kind.write(values[s.name]) for s in SETTINGS if not s.upload_only}
