"""The Train page's chart builders, tested as data: layers, encodings, fixed domains, row counts."""

import altair as alt
import numpy as np
import pytest

from nn_core import data as datasets
from nn_core.training import History
from ui import runs
from ui.charts import MAX_POINTS
from ui.charts import training as charts


def _spec(chart) -> dict:
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def _rows(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data") or spec["data"]  # layers sharing one frame get it at the top
    return spec["datasets"][data["name"]]


def _history(n: int = 30, val: bool = True) -> History:
    h = History()
    h.loss = list(np.linspace(1.0, 0.1, n))
    h.learning_rate = [0.03] * n
    if val:
        h.val_loss = list(np.linspace(1.2, 0.3, n))
        h.val_metric = list(np.linspace(0.5, 0.9, n))
        h.val_metric_name = "accuracy"
    return h


@pytest.fixture(scope="module")
def trained() -> runs.Run:
    run = runs.new_run(1, datasets.load_bundled("diabetes"), None, (), runs.TrainConfig())
    runs.train(run, 300)
    return run


# --------------------------------------------------------------------- loss
def test_loss_chart_layers_domains_and_rows():
    spec = _spec(charts.loss_chart(_history(), x_max=100, y_domain=[0.0, 1.3]))
    lines, catcher, rule = spec["layer"]
    assert lines["mark"]["type"] == "line"
    assert lines["encoding"]["x"]["scale"]["domain"] == [0, 100]  # the target epoch, not the data's
    assert lines["encoding"]["y"]["scale"]["domain"] == [0.0, 1.3]
    assert lines["encoding"]["y"]["scale"]["clamp"] is True
    assert lines["encoding"]["color"]["scale"]["domain"] == ["train", "validation"]
    assert len(_rows(spec, lines)) == 60  # 30 epochs x (train, validation)
    assert {t["field"] for t in catcher["encoding"]["tooltip"]} == {"epoch", "train", "validation", "metric", "lr"}
    assert rule["mark"]["type"] == "rule"
    assert spec["params"] or catcher.get("params")  # the hover selection


def test_loss_chart_without_validation_has_one_line():
    spec = _spec(charts.loss_chart(_history(val=False), x_max=30, y_domain=[0.0, 1.05]))
    lines = spec["layer"][0]
    assert lines["encoding"]["color"]["scale"]["domain"] == ["train"]
    assert len(_rows(spec, lines)) == 30


def test_loss_chart_log_scale():
    spec = _spec(charts.loss_chart(_history(), x_max=30, y_domain=charts.loss_y_domain(_history(), log=True),
                                   log=True))
    y = spec["layer"][0]["encoding"]["y"]
    assert y["scale"]["type"] == "log"
    assert y["scale"]["domain"][0] > 0


def test_loss_domain():
    h = _history()
    assert charts.loss_y_domain(h) == [0.0, pytest.approx(1.2 * 1.05)]
    lo, hi = charts.loss_y_domain(h, log=True)
    assert lo == pytest.approx(0.1 / 1.5) and hi == pytest.approx(1.2 * 1.5)
    assert charts.loss_y_domain(History()) == [0.0, 1.0]


def test_long_histories_are_thinned_with_the_last_epoch_kept():
    h = _history(20_001)
    frame, step = charts.loss_frame(h)
    assert len(frame) <= MAX_POINTS // 2 + 1 and step > 1
    assert frame["epoch"].iloc[0] == 1 and frame["epoch"].iloc[-1] == 20_001
    spec = _spec(charts.loss_chart(h, x_max=20_001, y_domain=[0, 1.3]))
    assert len(_rows(spec, spec["layer"][0])) <= MAX_POINTS + 2
    assert "every" in spec["title"]["subtitle"][0]


def test_early_stopping_marks_the_kept_epoch():
    h = _history()
    h.status, h.best_epoch = "early_stopped", 12
    spec = _spec(charts.loss_chart(h, x_max=30, y_domain=[0, 1.3]))
    assert len(spec["layer"]) == 4
    assert _rows(spec, spec["layer"][3])[0]["epoch"] == 12


# ------------------------------------------------------- confusion and ROC
def test_confusion_chart():
    cm = np.array([[50, 10], [5, 35]])
    spec = _spec(charts.confusion_chart(cm, ["no", "yes"]))
    cells, text = spec["layer"]
    assert cells["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert cells["encoding"]["x"]["scale"]["domain"] == ["no", "yes"]
    assert cells["encoding"]["y"]["scale"]["domain"] == ["no", "yes"]
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 50]
    rows = _rows(spec, cells)
    assert len(rows) == 4
    cell = next(r for r in rows if r["actual"] == "yes" and r["predicted"] == "no")
    assert cell["count"] == 5 and cell["share"] == pytest.approx(5 / 40)


def test_roc_chart_binary_with_threshold_point(trained):
    part, y, p = charts.held_out_scores(trained)
    assert part == "test" and p.ndim == 1
    frame = charts.roc_frame(y, p, trained.dataset.class_names)
    assert frame["fpr"].iloc[0] == 0 and frame["tpr"].iloc[-1] == 1
    point = charts.roc_point(y, p, 0.5)
    spec = _spec(charts.roc_chart(frame, auc=0.9, class_names=trained.dataset.class_names, point=point))
    chance, line, dot = spec["layer"]
    assert line["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert _rows(spec, dot)[0]["fpr"] == pytest.approx(point[0])
    assert "0.900" in spec["title"]


def test_roc_point_and_threshold_report_agree(trained):
    _, y, p = charts.held_out_scores(trained)
    for t in (0.2, 0.5, 0.8):
        cm = charts.threshold_report(y, p, t)["confusion_matrix"]
        fpr, tpr = charts.roc_point(y, p, t)
        assert fpr == pytest.approx(cm[0, 1] / cm[0].sum())
        assert tpr == pytest.approx(cm[1, 1] / cm[1].sum())
    low, high = charts.threshold_report(y, p, 0.05), charts.threshold_report(y, p, 0.95)
    assert low["confusion_matrix"][:, 1].sum() > high["confusion_matrix"][:, 1].sum()


def test_roc_frame_multiclass_one_curve_per_class():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 20)
    scores = rng.dirichlet([1, 1, 1], size=60)
    frame = charts.roc_frame(y, scores, ["a", "b", "c"])
    assert list(dict.fromkeys(frame["curve"])) == ["a", "b", "c"]
    spec = _spec(charts.roc_chart(frame, auc=0.5, class_names=["a", "b", "c"], multiclass=True))
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["a", "b", "c"]


# --------------------------------------------------------------- regression
def test_predicted_actual_chart_equal_axes_and_sampling():
    rng = np.random.default_rng(1)
    actual = rng.normal(size=12_000)
    spec = _spec(charts.predicted_actual_chart(actual, actual + rng.normal(scale=0.1, size=actual.size), "y"))
    diagonal, points = spec["layer"]
    assert points["encoding"]["x"]["scale"]["domain"] == points["encoding"]["y"]["scale"]["domain"]
    assert len(_rows(spec, points)) == MAX_POINTS
    assert "random" in spec["title"]["subtitle"][0]


def test_parts_table(trained):
    table = charts.parts_table(runs.evaluate(trained), "binary")
    assert list(table.index) == ["train", "validation", "test"]
    assert {"accuracy", "log loss", "macro F1"} <= set(table.columns)


# ----------------------------------------------------------------- boundary
def test_boundary_chart_for_a_trained_run(trained):
    from ui.boundary import axis_range, boundary_chart

    spec = _spec(boundary_chart(trained, 0, 1, show_test=True))
    heat, line, points = spec["layer"]
    assert len(_rows(spec, heat)) == 80 * 80
    assert heat["encoding"]["color"]["scale"]["domain"] == [0, 1]
    lo, hi = axis_range(trained, 0)
    x_dom = heat["encoding"]["x"]["scale"]["domain"]
    assert x_dom[0] < lo + 1e-9 and x_dom[1] > hi - 1e-9  # the grid covers the data
    assert len(_rows(spec, line)) > 0  # the 0.5 contour
    rows = _rows(spec, points)
    assert len(rows) == len(trained.split[0]) + len(trained.split[2])  # train and test rows
    titles = [t.get("title") for t in points["encoding"]["tooltip"]]
    assert "Glucose" in titles and "BloodPressure" in titles
    without_test = _spec(boundary_chart(trained, 0, 1, show_test=False))
    assert len(_rows(without_test, without_test["layer"][2])) == len(trained.split[0])


def test_boundary_cells_are_opaque_and_outlined_in_their_own_colour(trained):
    """Translucent or unoutlined cells leave a grid of seams between them (seen in the browser)."""
    from ui.boundary import boundary_chart
    from ui.charts.boundary import HEAT_ALPHA, over_white

    heat = _spec(boundary_chart(trained, 0, 1))["layer"][0]
    assert heat["mark"]["strokeWidth"] == 1 and "opacity" not in heat["encoding"]
    assert heat["encoding"]["stroke"]["field"] == heat["encoding"]["color"]["field"] == "p"
    assert heat["encoding"]["stroke"]["scale"] == heat["encoding"]["color"]["scale"]
    assert heat["encoding"]["color"]["scale"]["range"][0] == over_white("#0072B2", HEAT_ALPHA)
    assert over_white("#000000", 0.5) == "#808080" and over_white("#ff0000", 1.0) == "#ff0000"


def test_boundary_points_have_a_dark_outline(trained):
    """Outlined in white, a point vanished on the region of its own class (seen with penguins in the browser)."""
    from ui.boundary import boundary_chart

    points = _spec(boundary_chart(trained, 0, 1))["layer"][2]
    stroke = points["mark"]["stroke"].lstrip("#")
    luminance = sum(w * int(stroke[i:i + 2], 16) / 255 for w, i in ((0.2126, 0), (0.7152, 2), (0.0722, 4)))
    assert luminance < 0.3 and points["mark"]["strokeWidth"] > 0


def test_boundary_point_legends_sit_under_the_plot_with_both_classes():
    """Stacked under the gradient on the right, the class legend was cut off below a short chart."""
    from ui.boundary import boundary_chart
    from ui.charts.boundary import LEGEND_ROW

    run = runs.new_run(1, datasets.generate("moons", 200, 0.1, 0), None, (), runs.TrainConfig())
    spec = _spec(boundary_chart(run, 0, 1, height=300))
    points = spec["layer"][-1]
    color, shape = points["encoding"]["color"], points["encoding"]["shape"]
    assert color["scale"]["domain"] == ["0", "1"] and color["legend"]["orient"] == "bottom"
    assert shape["legend"]["orient"] == "bottom"
    assert shape["scale"]["domain"] == ["train", "test"]  # training rows are the circles
    assert spec["height"] == 300 + LEGEND_ROW  # the legend row is added: the plot keeps its height


def test_boundary_multiclass_and_regression_colours():
    from ui.boundary import boundary_chart

    blobs = runs.new_run(1, datasets.generate("blobs", 200, 0.1, 0, classes=3), None, (), runs.TrainConfig())
    spec = _spec(boundary_chart(blobs, 0, 1))
    heat, legend = spec["layer"][0], spec["layer"][1]
    assert heat["encoding"]["color"]["scale"] is None  # each cell's colour (class and confidence) is in the data
    fills = {row["fill"] for row in _rows(spec, heat)}
    assert all(f.startswith("#") and len(f) == 7 for f in fills)
    assert legend["encoding"]["color"]["title"] == "Predicted class"
    assert legend["encoding"]["color"]["scale"]["domain"] == blobs.dataset.class_names
    plane = runs.new_run(2, datasets.generate("plane", 200, 0.1, 0), None, (), runs.TrainConfig())
    scale = _spec(boundary_chart(plane, 0, 1))["layer"][0]["encoding"]["color"]["scale"]
    assert scale["clamp"] is True  # a diverged net's huge predictions take the end colour, not black


def test_generated_data_is_drawn_with_equal_axis_scales():
    """A circle stays a circle: one data unit as many pixels on x as on y (generated data only)."""
    from ui import boundary, display
    from ui.settings import DataSpec, TrainConfig

    ds = datasets.generate("circles", n=200, seed=0)
    run = runs.new_run(1, ds, DataSpec(source="generated", generator="circles", n=200), (), TrainConfig(hidden=(4,)))
    chart = boundary.boundary_chart(run, 0, 1, height=300)
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    x_dom = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    y_dom = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert chart.width / 300 == pytest.approx((x_dom[1] - x_dom[0]) / (y_dom[1] - y_dom[0]), abs=1 / 300)

    class Slot:
        def altair_chart(self, chart, **kwargs):
            return kwargs

    assert display.chart(Slot(), chart, width="stretch") == {"width": "content"}
    table = runs.new_run(2, datasets.load_bundled("diabetes"), DataSpec(), (), TrainConfig(hidden=(4,)))
    assert not isinstance(boundary.boundary_chart(table, 0, 1).width, int | float)  # other units: free aspect
