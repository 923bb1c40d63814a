"""Drawing the chart builders' Altair charts in Streamlit.

Streamlit turns a chart into its Vega-Lite spec with ``chart.to_dict()``, and
Altair then validates the whole spec against the Vega-Lite JSON schema, on
every rerun of every page: about a fifth of a what-if change's script time
(97 -> 78 ms, measured with ``bench/app_speed.py``). The specs are validated
where that costs a user nothing: the chart tests call ``to_dict()``, and the
app tests draw every page with ``VALIDATE`` on (``tests/conftest.py``). The
app itself draws without it.
"""

from __future__ import annotations

import functools
from typing import Any

import altair as alt

#: Validate each spec when it is drawn, too (the tests turn this on).
VALIDATE = False


def chart(where, chart: alt.TopLevelMixin, **kwargs: Any):
    """``where.altair_chart(chart, **kwargs)`` (``where``: ``st``, a column or a placeholder); returns what it returns.

    A chart that fixes its own pixel width (a boundary with equal axis scales) is drawn at that width, not
    stretched to the column, which would squash its circles into ellipses.
    """
    if isinstance(getattr(chart, "width", None), int | float) and kwargs.get("width") == "stretch":
        kwargs["width"] = "content"
    return where.altair_chart(chart if VALIDATE else without_validation(chart), **kwargs)


def without_validation(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` itself, its ``to_dict()`` now skipping the schema validation (the same spec otherwise)."""
    # Altair's own __setattr__ would store the name as a Vega-Lite property: set the attribute directly
    object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))
    return chart
