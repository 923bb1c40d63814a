"""The network view as a Streamlit component (``st.components.v2``): draw a payload, return a click.

The HTML, CSS and JS live in ``assets/`` as plain files, read once and passed
inline: no build step, no CDN, works offline. The browser keeps one instance
per mounted view and redraws it in place when a rerun sends a new payload.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..charts import CLASS_COLORS, PROBA_RANGE

ASSETS = Path(__file__).with_name("assets")
#: Concatenated in this order into one ES module; ``main.js`` holds the default export.
JS_FILES = ("colour.js", "diagram.js", "plots.js", "main.js")
PALETTE = {"low": PROBA_RANGE[0], "mid": PROBA_RANGE[1], "high": PROBA_RANGE[2], "classes": CLASS_COLORS}


def _read(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


_mount = st.components.v2.component(
    "nn_core_network_view",
    html=_read("view.html"),
    css=_read("view.css"),
    js="\n".join(_read(name) for name in JS_FILES),
)


def network_view(payload: dict, key: str) -> dict | None:
    """Draw ``payload`` (from ``payload.build_payload``); return the click of this rerun, or None.

    A click is a dict with ``kind`` and its place (``seq`` counts clicks in the browser):
    ``neuron`` and ``bias``: ``layer``, ``unit``; ``edge``: ``layer``, ``from``, ``to``
    (``weights[layer - 1][from, to]``); ``plane``: ``x``, ``y`` in data units;
    ``point``: ``part`` (``train``/``test``) and ``index`` (row of that part);
    ``epoch``: ``epoch`` (a click on the loss chart). Hovering is handled in the browser.
    """
    result = _mount(key=key, data={**payload, "palette": PALETTE}, on_click_change=lambda: None)
    return result.click
