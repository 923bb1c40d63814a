"""The what-if chart builders, tested as data: layers, encodings, scale domains, rows."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from ui.charts import class_colors
from ui.charts import predict as charts


def _spec(chart) -> dict:
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def _rows(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def test_probability_bars():
    names = ["Adelie", "Chinstrap", "Gentoo"]
    spec = _spec(charts.probability_bars(names, [0.2, 0.5, 0.3], 1))
    bars, text = spec["layer"]
    assert bars["mark"]["type"] == "bar" and text["mark"]["type"] == "text"
    enc = bars["encoding"]
    assert enc["x"]["field"] == "p" and enc["x"]["scale"]["domain"] == [0, 1]
    assert enc["y"]["field"] == "class" and enc["y"]["scale"]["domain"] == names
    assert enc["color"]["scale"] == {"domain": names, "range": class_colors(3)}
    assert spec["height"] == {"step": 26}  # a pixel height collapses nominal bands in Streamlit
    rows = _rows(spec)
    assert [r["class"] for r in rows] == names
    assert [r["p"] for r in rows] == [0.2, 0.5, 0.3]
    assert [r["outline"] != "transparent" for r in rows] == [False, True, False]
    assert rows[1]["label"] == "0.500 (predicted)"


def _sensitivity() -> pd.DataFrame:
    return pd.DataFrame({"j": [0, 1, 2], "feature": ["a", "b <script>", "c"],
                         "per_unit": [0.01, -2.0, 0.5], "per_std": [0.3, -0.1, 0.2], "order": [0, 2, 1]})


@pytest.mark.parametrize("measure", ["per_std", "per_unit"])
def test_sensitivity_bars(measure):
    frame = _sensitivity()
    spec = _spec(charts.sensitivity_bars(frame, measure, "P(yes)"))
    enc = spec["encoding"]
    reach = 1.1 * frame[measure].abs().max()
    assert enc["x"]["scale"]["domain"] == pytest.approx([-reach, reach])
    assert enc["x"]["title"] == f"Change in P(yes) {charts.MEASURES[measure]}"
    ordered = ["a", "c", "b <script>"]  # by "order": biggest effect on top
    assert enc["y"]["sort"] == ordered and enc["y"]["scale"]["domain"] == ordered
    assert enc["color"]["scale"]["domain"] == [charts.RAISES, charts.LOWERS]
    rows = _rows(spec)
    assert len(rows) == 3
    assert [r["feature"] for r in rows] == ordered
    by_name = {r["feature"]: r for r in rows}
    assert by_name["b <script>"]["direction"] == (charts.LOWERS if frame[measure][1] < 0 else charts.RAISES)
    assert by_name["a"]["effect"] == frame.loc[0, measure]


def test_sensitivity_bars_all_zero_keeps_a_domain():
    frame = _sensitivity().assign(per_std=0.0)
    spec = _spec(charts.sensitivity_bars(frame, "per_std", "P(1)"))
    assert spec["encoding"]["x"]["scale"]["domain"] == [-1.0, 1.0]


def _sweeps(series: list[str], features=(2, 0), n: int = 5) -> pd.DataFrame:
    frames = []
    for j in features:
        for s in series:
            frames.append(pd.DataFrame({"j": j, "feature": f"f{j}", "value": np.linspace(j, j + 10, n),
                                        "output": np.linspace(0, 1, n), "series": s}))
    return pd.concat(frames, ignore_index=True)


def test_sweep_curves_binary_has_a_threshold_and_the_current_value():
    frame = _sweeps(["P(yes)"], features=(2, 0, 1))
    spec = _spec(charts.sweep_curves(frame, [2, 0], {0: 3.0, 1: 1.0, 2: 7.5}, [0, 1], ["P(yes)"], "P(yes)",
                                     threshold=0.5))
    assert spec["facet"]["field"] == "feature" and spec["facet"]["sort"] == ["f2", "f0"]
    assert spec["columns"] == charts.SWEEP_COLUMNS
    assert spec["resolve"]["scale"]["x"] == "independent"
    line, now, threshold = spec["spec"]["layer"]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert line["encoding"]["x"]["scale"] == {"nice": False, "zero": False}
    assert line["encoding"]["color"]["legend"] is None  # one series: no legend
    assert now["mark"]["type"] == "rule" and now["encoding"]["x"]["field"] == "now"
    assert threshold["encoding"]["y"]["datum"] == 0.5
    rows = _rows(spec)
    assert len(rows) == 2 * 5  # only the chosen features
    assert {r["j"]: r["now"] for r in rows} == {2: 7.5, 0: 3.0}


def test_sweep_curves_multiclass_one_line_per_class_no_threshold():
    names = ["A", "B", "C"]
    frame = _sweeps(names)
    spec = _spec(charts.sweep_curves(frame, [2, 0], {0: 3.0, 2: 4.0}, [0, 1], names, "probability"))
    layers = spec["spec"]["layer"]
    assert len(layers) == 2
    assert layers[0]["encoding"]["color"]["scale"] == {"domain": names, "range": class_colors(3)}
    assert len(_rows(spec)) == 2 * 3 * 5


def test_sweep_curves_regression_domain_is_given():
    frame = _sweeps(["predicted y"]).assign(output=lambda f: f["output"] * 40 - 7)
    spec = _spec(charts.sweep_curves(frame, [0], {0: 1.0, 2: 1.0}, [-10.0, 35.0], ["predicted y"], "predicted y"))
    assert spec["spec"]["layer"][0]["encoding"]["y"]["scale"]["domain"] == [-10.0, 35.0]
    assert len(_rows(spec)) == 5
