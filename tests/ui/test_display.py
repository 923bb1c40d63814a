"""ui.display: the app draws charts without Altair's per-rerun schema validation, and nothing else changes."""

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from ui import display
from ui.charts import predict


class Slot:
    """Stands in for ``st`` or a placeholder: records what ``altair_chart`` was given."""

    def altair_chart(self, chart, **kwargs):
        self.chart, self.kwargs = chart, kwargs
        return "event"


def _broken_chart() -> alt.Chart:
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_point().encode(x="a:Q")
    chart.mark = "no-such-mark"  # assigned after construction: only to_dict() validates it
    return chart


def test_the_spec_is_the_validated_one():
    frame = pd.DataFrame({"feature": ["a", "b"], "per_unit": [0.5, -1.0], "per_std": [0.2, -0.4], "order": [1, 0]})
    chart = predict.sensitivity_bars(frame, "per_unit", "P(y=1)")
    expected = chart.to_dict()
    assert display.without_validation(chart) is chart
    assert chart.to_dict() == expected


def test_validation_is_really_skipped():
    with pytest.raises(SchemaValidationError):
        _broken_chart().to_dict()
    assert display.without_validation(_broken_chart()).to_dict()["mark"] == {"type": "no-such-mark"}


def test_chart_passes_everything_through(monkeypatch):
    monkeypatch.setattr(display, "VALIDATE", False)  # as in the app
    slot, chart = Slot(), _broken_chart()
    assert display.chart(slot, chart, width="stretch", key="k") == "event"
    assert slot.chart is chart and slot.kwargs == {"width": "stretch", "key": "k"}
    slot.chart.to_dict()  # what Streamlit calls: no validation error


def test_the_tests_draw_with_validation():
    slot = Slot()
    display.chart(slot, _broken_chart())
    with pytest.raises(SchemaValidationError):
        slot.chart.to_dict()


def test_streamlit_converts_the_app_chart_to_the_same_spec():
    """Through Streamlit's own converter: a selectable boundary chart, drawn as the app draws it."""
    import json
    import re

    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as convert
    from streamlit.elements.vega_charts import _parse_selection_mode

    from nn_core.data import load_bundled
    from ui import runs
    from ui.boundary import boundary_chart
    from ui.charts.boundary import SELECTION

    run = runs.new_run(1, load_bundled("penguins"), None, (), runs.TrainConfig(hidden=(8,), epochs=20))
    runs.train(run, 20)

    def spec(chart) -> str:
        converted = convert(chart)
        converted.pop("datasets")  # Arrow bytes, keyed by object ids
        # Altair numbers its generated parameter and view names per process
        return re.sub(r"(param|view)_\d+", r"\1_N", json.dumps(converted, sort_keys=True))

    checked = spec(boundary_chart(run, 0, 1, selectable=True))
    drawn = display.without_validation(boundary_chart(run, 0, 1, selectable=True))
    assert spec(drawn) == checked
    assert spec(drawn) == checked  # drawn again on a rerun
    assert _parse_selection_mode(convert(drawn), SELECTION) == [SELECTION]
