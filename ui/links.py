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
        if param not in BY_NAME and is_tracking(param):
            continue  # added by the site that carried the link, not by the person who shared it
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
    _fit_fractions(values, current, notes)
    return values, notes


#: Query parameters that sites add to links they carry (campaign and click ids): skipped without a word.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})
#: The share of the rows a link must leave for training (validation and test take the rest).
MIN_TRAIN_FRACTION = 0.1


def is_tracking(param: str) -> bool:
    """A tracking parameter (``utm_source``, ``fbclid``, ...), not one of the app's settings."""
    return param.lower().startswith(TRACKING_PREFIXES) or param.lower() in TRACKING_PARAMS


def notice(notes: list[LinkNote]) -> str:
    """The one notice a page shows for a link's notes: a sentence, then one line per value (Markdown).

    The link's own text is quoted in a code span and the reasons escaped, so a
    value such as ``[x](http://...)`` or ``![](...)`` shows as text, never as a
    link or an image the visitor's browser would fetch.
    """
    lines = [f"- `{_code(note.param)}={_code(note.text)}`: {_markdown_text(note.reason)}" for note in notes]
    head = ("This link asked for a value the app changed or ignored:" if len(notes) == 1
            else f"This link asked for {len(notes)} values the app changed or ignored:")
    return "\n".join([head, *lines])


def _code(text: str, limit: int = 60) -> str:
    """Text for inside a Markdown code span: no backticks, no line breaks, at most ``limit`` characters."""
    flat = "".join(c if c.isprintable() else " " for c in text).replace("`", "'")
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _markdown_text(text: str) -> str:
    """Plain text with Markdown's (and Streamlit's ``:red[..]``, ``$..$``) special characters escaped."""
    flat = "".join(c if c.isprintable() else " " for c in text)
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$:" else c for c in flat)


def _fit_fractions(values: dict[str, object], current: Mapping[str, object], notes: list[LinkNote]) -> None:
    """Validation and test fractions that together leave less than a tenth of the rows for training."""
    val = float(values.get("val", current["val"]))
    test = float(values.get("test", current["test"]))
    if val + test <= 1 - MIN_TRAIN_FRACTION + 1e-9:
        return
    fitted = round(max(0.0, 1 - MIN_TRAIN_FRACTION - val), 2)
    notes.append(LinkNote("test", str(values.get("test", test)),
                          f"Validation and test together would leave fewer than {MIN_TRAIN_FRACTION:.0%} of "
                          f"the rows for training; test set to {fitted:g}."))
    values["test"] = fitted


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
