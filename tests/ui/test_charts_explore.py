"""The Explore page's summaries (ui.explore) and chart builders (ui.charts.explore), tested as data."""

import altair as alt
import numpy as np
import pandas as pd
import pytest

from nn_core.data import Dataset, generate, load_bundled
from ui import explore
from ui.charts import MAX_POINTS, class_colors
from ui.charts import explore as charts


def spec(chart) -> dict:
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def rows(d: dict, layer: dict) -> list[dict]:
    """The data rows a (sub)chart of spec ``d`` draws (inline datasets are referenced by name)."""
    return d["datasets"][layer["data"]["name"]]


def layers_of(d: dict) -> list[dict]:
    return d.get("layer", [d])


@pytest.fixture(scope="module")
def circles() -> Dataset:
    return generate("circles", n=300, noise=0.1, seed=1)


@pytest.fixture(scope="module")
def regression() -> Dataset:
    return generate("plane", n=600, noise=0.1, seed=0)


# ------------------------------------------------------------------ summaries
def test_column_summary_types_missing_and_stats():
    frame = pd.DataFrame({
        "a": [1.0, 2.0, np.nan, 4.0],
        "flag": [0, 1, 1, 0],
        "count": [3, 5, 7, 9],
        "colour": ["red", "blue", None, "red"],
    })
    s = explore.column_summary(frame, {"flag": "target"}).set_index("column")
    assert s.loc["a", "type"] == "integer" and s.loc["a", "missing"] == 1
    assert s.loc["a", "missing %"] == pytest.approx(25.0)
    assert s.loc["a", "mean"] == pytest.approx(7 / 3) and s.loc["a", "max"] == 4.0
    assert s.loc["flag", "type"] == "0/1" and s.loc["flag", "role"] == "target"
    assert s.loc["count", "median"] == pytest.approx(6.0) and s.loc["count", "std"] == pytest.approx(np.std([3, 5, 7, 9], ddof=1))
    assert s.loc["colour", "type"] == "text" and s.loc["colour", "distinct"] == 2
    assert np.isnan(s.loc["colour", "mean"])
    assert s.loc["a", "role"] == "feature"


def test_column_summary_decimal_and_all_missing_column():
    frame = pd.DataFrame({"x": [0.5, 1.5], "empty": [np.nan, np.nan]})
    s = explore.column_summary(frame).set_index("column")
    assert s.loc["x", "type"] == "decimal"
    assert s.loc["empty", "missing"] == 2 and np.isnan(s.loc["empty", "mean"])
    assert s.loc["empty", "type"] == "empty"


def test_column_summary_quartiles_match_numpy_with_and_without_gaps():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(500, 4)), columns=list("abcd"))
    frame.loc[::9, "b"] = np.nan
    s = explore.column_summary(frame)
    expected = np.nanpercentile(frame.to_numpy(), [25, 50, 75], axis=0).T
    np.testing.assert_allclose(s[["25%", "median", "75%"]].to_numpy(), expected)


def test_data_table_has_derived_columns_by_real_name_and_target_last(circles):
    table = explore.data_table(circles, ("x1^2", "x1*x2"))
    assert list(table.columns) == ["x1", "x2", "x1^2", "x1*x2", "label"]
    np.testing.assert_allclose(table["x1^2"], circles.X[:, 0] ** 2)
    assert set(table["label"]) == {"0", "1"}
    diabetes = load_bundled("diabetes")
    names = explore.feature_frame(diabetes, ("x2^2",)).columns
    assert list(names) == ["Glucose", "BloodPressure", "BloodPressure^2"]


def test_dataset_roles_marks_derived_and_target(circles):
    table = explore.data_table(circles, ("x1^2",))
    assert explore.dataset_roles(circles, table) == {
        "x1": "feature", "x2": "feature", "x1^2": "derived feature", "label": "target"}


def test_upload_roles():
    frame = pd.DataFrame({"a": [1.0], "b": [2.0], "town": ["x"], "colour": ["r"], "y": [0]})
    roles = explore.upload_roles(frame, "y", ["a"], ["colour"])
    assert roles == {"a": "feature", "b": "not used", "town": "not used (text)",
                     "colour": "one-hot encoded", "y": "target"}


def test_class_balance_counts_and_shares():
    ds = Dataset(np.zeros((4, 1)), np.array([0, 1, 1, 1]), ["f"], ["no", "yes"], "t", "binary")
    b = explore.class_balance(ds)
    assert list(b["class"]) == ["no", "yes"] and list(b["count"]) == [1, 3]
    assert list(b["share"]) == [0.25, 0.75]


def test_target_groups_classes_and_regression_thirds(circles, regression):
    codes, names = explore.target_groups(circles)
    assert names == ["0", "1"] and np.array_equal(codes, circles.y)
    codes, names = explore.target_groups(regression)
    assert len(names) == 3 and names[0].startswith("low third")
    assert np.bincount(codes).tolist() == pytest.approx([200, 200, 200], abs=2)
    assert codes[np.argmin(regression.y)] == 0 and codes[np.argmax(regression.y)] == 2


def test_histograms_count_every_row_once_per_feature(circles):
    features = explore.feature_frame(circles)
    codes, names = explore.target_groups(circles)
    hist = explore.histograms(features, codes, names, bins=10)
    assert len(hist) == 2 * 2 * 10  # features x groups x bins
    assert hist.groupby("feature")["count"].sum().tolist() == [300, 300]
    per_class = hist[hist["feature"] == "x1"].groupby("group")["count"].sum()
    assert per_class.to_dict() == {"0": 150, "1": 150}
    x1 = hist[hist["feature"] == "x1"]
    assert x1["bin_start"].min() == pytest.approx(features["x1"].min())
    assert x1["bin_end"].max() == pytest.approx(features["x1"].max())


def test_histograms_skip_missing_values_and_handle_constant_columns():
    features = pd.DataFrame({"a": [1.0, np.nan, 3.0], "c": [2.0, 2.0, 2.0]})
    hist = explore.histograms(features, np.array([0, 1, 1]), ["p", "q"], bins=4)
    assert hist[hist["feature"] == "a"]["count"].sum() == 2
    assert hist[hist["feature"] == "c"]["count"].sum() == 3


def test_correlations_match_numpy_and_include_a_numeric_target(circles):
    features = explore.feature_frame(circles, ("x1^2", "x2^2"))
    corr, names = explore.correlations(features, circles)
    assert names == ["x1", "x2", "x1^2", "x2^2", "label (target)"]
    assert len(corr) == 25
    expected = np.corrcoef(np.column_stack([features.to_numpy(), circles.y]), rowvar=False)
    np.testing.assert_allclose(corr["r"].to_numpy().reshape(5, 5), expected, atol=1e-12)
    penguins = load_bundled("penguins")  # multi-class: class indices are not a quantity
    _, names = explore.correlations(explore.feature_frame(penguins), penguins)
    assert "species (target)" not in names and len(names) == 4


def test_correlations_cap_the_number_of_features():
    ds = load_bundled("breast_cancer")
    corr, names = explore.correlations(explore.feature_frame(ds), ds, limit=5)
    assert len(names) == 6 and len(corr) == 36


def test_problem_sentence():
    ds = generate("moons", n=20)
    assert explore.problem_sentence(ds, "auto", "binary").startswith("binary classification (inferred")
    assert "inferred would be regression" in explore.problem_sentence(ds, "binary", "regression")


def test_escape_markdown_leaves_no_link_or_html():
    text = explore.escape_markdown("[x](javascript:alert(1)) <script>alert(1)</script> **b**")
    assert "[x](" not in text and "<script>" not in text and "**" not in text
    assert text.replace("\\", "") == "[x](javascript:alert(1)) <script>alert(1)</script> **b**"


# ---------------------------------------------------------------------- charts
def test_scatter_caps_at_max_points_and_says_sampled():
    n = 12_000
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=n), rng.normal(size=n)
    chart = charts.scatter_chart(x, y, np.where(x > 0, "b", "a"), x_title="left", y_title="right",
                                 color_title="cls", class_names=["a", "b"])
    d = spec(chart)
    assert len(rows(d, d)) == MAX_POINTS
    assert d["title"]["subtitle"] == [f"Sampled: {MAX_POINTS:,} of {n:,} rows shown"]
    enc = d["encoding"]
    assert enc["x"]["field"] == "x" and enc["x"]["title"] == "left"
    assert enc["x"]["scale"]["domain"][0] < x.min() and enc["x"]["scale"]["domain"][1] > x.max()
    assert enc["color"]["scale"]["domain"] == ["a", "b"]
    assert enc["color"]["scale"]["range"] == class_colors(2)


def test_scatter_small_data_is_not_sampled_and_skips_missing():
    chart = charts.scatter_chart(np.array([1.0, np.nan, 3.0]), np.array([1.0, 2.0, 3.0]),
                                 np.array([0.1, 0.2, 0.3]), x_title="a", y_title="b",
                                 color_title="y", class_names=None)
    d = spec(chart)
    assert len(rows(d, d)) == 2
    assert d["title"]["subtitle"] == ["1 rows with a missing value are not shown"]
    assert d["encoding"]["color"]["type"] == "quantitative"
    assert d["encoding"]["color"]["scale"]["domain"] == [0.1, 0.3]


def test_scatter_keeps_user_names_out_of_field_names():
    name = "[x](javascript:alert(1)).a"
    d = spec(charts.scatter_chart(np.arange(3.0), np.arange(3.0), np.array(["p", "q", "p"]),
                                  x_title=name, y_title="y", color_title="c", class_names=["p", "q"]))
    assert d["encoding"]["x"]["field"] == "x" and d["encoding"]["x"]["title"] == name


def test_class_balance_chart_layers_and_domains():
    balance = pd.DataFrame({"class": ["no", "yes"], "count": [30, 10], "share": [0.75, 0.25]})
    d = spec(charts.class_balance_chart(balance))
    bars, labels = d["layer"]
    assert bars["mark"]["type"] == "bar" and labels["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["scale"]["domain"] == ["no", "yes"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 37.5]
    assert bars["encoding"]["color"]["scale"]["range"] == class_colors(2)
    assert [r["label"] for r in rows(d, d)] == ["30 (75.0%)", "10 (25.0%)"]


def test_target_histogram_chart(regression):
    bins = explore.target_histogram(regression, bins=12)
    d = spec(charts.target_histogram_chart(bins, target_title="y"))
    assert len(rows(d, d)) == 12 and sum(r["count"] for r in rows(d, d)) == 600
    assert d["encoding"]["x"]["scale"]["domain"] == [pytest.approx(regression.y.min()), pytest.approx(regression.y.max())]


def test_histograms_chart_one_panel_per_feature_with_own_domains(circles):
    features = explore.feature_frame(circles, ("x1^2",))
    codes, names = explore.target_groups(circles)
    hist = explore.histograms(features, codes, names, bins=8)
    d = spec(charts.histograms_chart(hist, names))
    panels = d["concat"]
    assert len(panels) == 3 and d["columns"] == charts.HISTOGRAM_COLUMNS
    titles = [p["encoding"]["x"]["title"] for p in panels]
    assert titles == ["x1", "x2", "x1^2"]
    third = panels[2]
    assert third["encoding"]["x"]["scale"]["domain"] == [pytest.approx(features["x1^2"].min()),
                                                         pytest.approx(features["x1^2"].max())]
    assert third["encoding"]["y"]["stack"] is None
    assert third["encoding"]["color"]["scale"]["domain"] == ["0", "1"]
    assert len(rows(d, third)) == 2 * 8


def test_correlation_chart_labels_only_small_heatmaps(circles):
    corr, names = explore.correlations(explore.feature_frame(circles), circles)
    d = spec(charts.correlation_chart(corr, names))
    assert [layer["mark"]["type"] for layer in d["layer"]] == ["rect", "text"]
    assert d["layer"][0]["encoding"]["color"]["scale"]["domain"] == [-1, 1]
    assert d["layer"][1]["encoding"]["x"]["scale"]["domain"] == names
    assert len(rows(d, d)) == len(names) ** 2
    ds = load_bundled("breast_cancer")
    corr, names = explore.correlations(explore.feature_frame(ds), ds)
    d = spec(charts.correlation_chart(corr, names, note="the first 30 of 31 features"))
    assert [layer["mark"]["type"] for layer in d["layer"]] == ["rect"]
    assert d["title"]["subtitle"] == ["the first 30 of 31 features"]
