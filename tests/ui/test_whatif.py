"""The Predict page's logic (ui.whatif), checked against independent oracles.

The sensitivity is compared with a central difference of the very number the
page shows (``explain.output_of``), in raw units; the bounds and the click
mapping against the data. (Counterfactual options: ``test_explanations.py``.)
"""

from __future__ import annotations

import numpy as np
import pytest

from nn_core import explain
from nn_core.data import generate, load_bundled
from ui import runs, whatif
from ui.charts.boundary import SELECTION
from ui.data_sources import DataSpec


def _trained(ds, epochs: int = 150) -> runs.Run:
    run = runs.new_run(1, ds, DataSpec(), (), runs.TrainConfig(hidden=(8,), epochs=epochs, seed=0))
    runs.train(run, epochs)
    return run


@pytest.fixture(scope="module")
def binary() -> runs.Run:
    return _trained(load_bundled("diabetes"))


@pytest.fixture(scope="module")
def multiclass() -> runs.Run:
    return _trained(load_bundled("penguins"))


@pytest.fixture(scope="module")
def regression() -> runs.Run:
    return _trained(generate("plane", n=200, noise=0.1, seed=0), epochs=60)


def _points(run: runs.Run) -> list[dict[int, float]]:
    specs = whatif.input_specs(run)
    rows = [whatif.row_point(run, r) for r in (0, 7, 42, 101)]
    return [whatif.complete_point(run, {}, specs), *rows]


# ---------------------------------------------------------------- sensitivity
@pytest.mark.parametrize("name", ["binary", "multiclass", "regression"])
def test_sensitivity_is_the_central_difference_of_the_shown_output(name, request):
    run = request.getfixturevalue(name)
    std = run.model.preprocessing.scale[: run.dataset.n_features]
    for point in _points(run):
        cls = whatif.explained_class(run, point, None)
        frame = whatif.sensitivity_frame(run, point, cls)
        x = whatif.point_vector(point)
        for j in range(len(x)):
            h = 1e-4 * std[j]
            up, down = x.copy(), x.copy()
            up[j] += h
            down[j] -= h
            shown = explain.output_of(run.model, np.stack([up, down]), cls)
            numeric = (shown[0] - shown[1]) / (2 * h)
            assert frame["per_unit"].iloc[j] == pytest.approx(numeric, rel=1e-4, abs=1e-7)
            assert frame["per_std"].iloc[j] == pytest.approx(numeric * std[j], rel=1e-4, abs=1e-7)


def test_multiclass_sensitivity_explains_the_chosen_class(multiclass):
    point = whatif.row_point(multiclass, 0)
    predicted = whatif.explained_class(multiclass, point, None)
    other = (predicted + 1) % multiclass.dataset.n_classes
    assert whatif.explained_class(multiclass, point, -1) == predicted
    assert whatif.explained_class(multiclass, point, other) == other
    a = whatif.sensitivity_frame(multiclass, point, predicted)["per_unit"].to_numpy()
    b = whatif.sensitivity_frame(multiclass, point, other)["per_unit"].to_numpy()
    assert not np.allclose(a, b)
    assert whatif.output_label(multiclass, other) == f"P({multiclass.dataset.class_names[other]})"


def test_sensitivity_order_ranks_by_size_per_std(multiclass):
    frame = whatif.sensitivity_frame(multiclass, whatif.row_point(multiclass, 3))
    ranked = frame.sort_values("order")["per_std"].abs().to_numpy()
    assert np.all(np.diff(ranked) <= 0)
    assert whatif.top_features(frame, 2) == frame.sort_values("order")["j"].head(2).tolist()


# ---------------------------------------------------------------- prediction
def test_prediction_matches_the_model(binary, multiclass, regression):
    for run in (binary, multiclass):
        point = whatif.row_point(run, 5)
        pred = whatif.predict_point(run, point)
        assert pred.probabilities.sum() == pytest.approx(1.0)
        assert pred.class_index == int(np.argmax(pred.probabilities))
        assert pred.class_name == run.dataset.class_names[pred.class_index]
        assert pred.output == pytest.approx(explain.output_of(run.model, whatif.point_vector(point)[None])[0])
    pred = whatif.predict_point(regression, whatif.row_point(regression, 5))
    assert pred.probabilities is None and pred.class_index is None
    assert pred.output == pytest.approx(regression.model.predict(regression.dataset.X[5:6])[0])


def test_sweep_frame_has_one_curve_per_feature_and_series(binary, multiclass):
    specs = whatif.input_specs(multiclass)
    point = whatif.complete_point(multiclass, {}, specs)
    frame = whatif.sweep_frame(multiclass, point, [0, 2], specs, n=30)
    assert len(frame) == 2 * multiclass.dataset.n_classes * 30
    assert set(frame["series"]) == set(multiclass.dataset.class_names)
    assert frame[frame["j"] == 2]["value"].min() == pytest.approx(specs[2].lo)
    assert frame[frame["j"] == 2]["value"].max() == pytest.approx(specs[2].hi)
    # at the point itself the curve passes through the shown output of its class
    cls = 1
    x = whatif.point_vector(point)
    curve = frame[(frame["j"] == 0) & (frame["series"] == multiclass.dataset.class_names[cls])]
    x_at = x.copy()
    x_at[0] = curve["value"].iloc[10]
    assert curve["output"].iloc[10] == pytest.approx(explain.output_of(multiclass.model, x_at[None], cls)[0])
    bspecs = whatif.input_specs(binary)
    bframe = whatif.sweep_frame(binary, whatif.complete_point(binary, {}, bspecs), [0, 1], bspecs, n=20)
    assert len(bframe) == 40 and bframe["output"].between(0, 1).all()


# ---------------------------------------------------------------- inputs
def test_bounds_cover_the_data_with_a_margin(binary, multiclass):
    for run in (binary, multiclass):
        for j, spec in enumerate(whatif.input_specs(run)):
            col = run.dataset.X[:, j]
            span = col.max() - col.min()
            assert spec.lo <= col.min() - whatif.MARGIN * span + 1e-9
            assert spec.hi >= col.max() + whatif.MARGIN * span - 1e-9
            assert spec.lo > col.min() - whatif.MARGIN * span - spec.step - 1e-9  # rounded, not wider
            assert spec.hi < col.max() + whatif.MARGIN * span + spec.step + 1e-9
            assert spec.name == run.dataset.feature_names[j]
            # bounds sit on the step grid, printed without float noise
            assert abs(spec.lo / spec.step - round(spec.lo / spec.step)) < 1e-6
            assert len(repr(spec.lo)) < 12 and len(repr(spec.hi)) < 12


def test_step_is_one_for_whole_numbers_and_readable_otherwise(binary, multiclass):
    assert [s.step for s in whatif.input_specs(binary)] == [1.0, 1.0]  # Glucose, BloodPressure
    depth = whatif.input_spec(multiclass, 1)  # bill depth: decimals
    assert depth.step in (0.01, 0.02, 0.05, 0.1)
    assert whatif.nice_step(10.0) == 0.05
    assert whatif.nice_step(1000.0) == 5.0
    assert whatif.nice_step(0.0) == 0.01


def test_complete_point_fills_medians_and_clamps(binary):
    specs = whatif.input_specs(binary)
    medians = whatif.median_point(binary)
    point = whatif.complete_point(binary, {0: 1e9}, specs)
    assert point[0] == specs[0].hi
    assert point[1] == medians[1]
    assert whatif.complete_point(binary, {1: float("nan")}, specs)[1] == medians[1]


def test_row_point_and_caption(binary):
    ds = binary.dataset
    point = whatif.row_point(binary, 3)
    assert whatif.point_vector(point).tolist() == ds.X[3].tolist()
    caption = whatif.row_caption(binary, 3)
    assert caption.startswith("Row 3 (") and caption.endswith(f"actual {ds.target_name} = {ds.class_names[ds.y[3]]}")
    part = {i: name for name, idx in zip(whatif.PARTS, binary.split) for i in idx.tolist()}[3]
    assert f"({part} row)" in caption
    assert whatif.row_caption(binary, 3, point).endswith(" · the what-if point")
    assert not whatif.row_caption(binary, 3, whatif.row_point(binary, 4)).endswith("the what-if point")
    with pytest.raises(ValueError, match="no row"):
        whatif.row_point(binary, ds.n_samples)


# ---------------------------------------------------------------- chart clicks
def _event(**fields):
    return {"selection": {SELECTION: [fields] if fields else []}}


def test_a_click_moves_the_point_to_the_cell_snapped_to_the_steps(binary):
    specs = whatif.input_specs(binary)
    point = {0: 100.0, 1: 80.0}
    moved = whatif.selection_to_point(_event(cx=117.62, cy=91.3), point, 0, 1, specs)
    assert moved == {0: 118.0, 1: 91.0}
    assert point == {0: 100.0, 1: 80.0}  # pure: the input is not changed
    swapped = whatif.selection_to_point(_event(cx=117.62, cy=91.3), point, 1, 0, specs)
    assert swapped == {0: 91.0, 1: 118.0}


def test_a_deselect_or_a_bad_event_keeps_the_point(binary):
    specs = whatif.input_specs(binary)
    point = {0: 100.0, 1: 80.0}
    for event in (_event(), {"selection": {SELECTION: {}}}, {"selection": {}}, {}, None,
                  _event(cx="left", cy=3), {"selection": {SELECTION: [{"other": 1}]}}):
        assert whatif.selection_to_point(event, point, 0, 1, specs) == point


def test_a_click_outside_the_bounds_is_clamped(binary):
    specs = whatif.input_specs(binary)
    moved = whatif.selection_to_point(_event(cx=1e6, cy=-1e6), {0: 100.0, 1: 80.0}, 0, 1, specs)
    assert moved == {0: specs[0].hi, 1: specs[1].lo}


def test_the_last_of_several_selected_cells_wins(binary):
    specs = whatif.input_specs(binary)
    event = {"selection": {SELECTION: [{"cx": 90.0, "cy": 70.0}, {"cx": 100.0, "cy": 110.0}]}}
    assert whatif.selection_to_point(event, {0: 1.0, 1: 1.0}, 0, 1, specs) == {0: 100.0, 1: 110.0}


# ---------------------------------------------------------------- batch
def test_batch_predicts_scores_and_reports_extra_columns(binary):
    data = b"BloodPressure,Note,Glucose,Diabetes\n80,a,100,0\n120,b,70,1\n95,c,,1\n"
    result = whatif.predict_batch(binary, data)
    table = result.table
    assert list(table.columns) == ["Glucose", "BloodPressure", "actual Diabetes", "predicted", "P(0)", "P(1)"]
    X = np.array([[100, 80], [70, 120], [np.nan, 95]], dtype=float)
    expected = binary.model.predict_proba(X)
    assert np.allclose(table["P(1)"], expected)
    assert np.allclose(table["P(0)"] + table["P(1)"], 1.0)
    assert table["predicted"].tolist() == ["1" if p >= 0.5 else "0" for p in expected]
    notes = " ".join(result.notes)
    assert "Ignored column(s) the model does not use: Note." in notes
    assert "1 row(s) have missing feature values" in notes
    name, value = result.score
    assert name == "Accuracy"
    assert value == pytest.approx(np.mean(np.array(table["predicted"]) == np.array(["0", "1", "1"])))
    assert result.csv().decode().splitlines()[0] == "Glucose,BloodPressure,actual Diabetes,predicted,P(0),P(1)"


def test_batch_names_the_missing_columns(binary):
    with pytest.raises(ValueError, match="missing the feature column.*BloodPressure"):
        whatif.predict_batch(binary, b"Glucose,Other\n100,1\n")
    assert whatif.check_columns(["a", "b"], ["b", "c"]) == (["a"], ["c"])


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "PNG"),
])
def test_batch_passes_on_the_loaders_message(binary, data, message):
    with pytest.raises(ValueError, match=message):
        whatif.predict_batch(binary, data)


def test_batch_regression_and_multiclass(regression, multiclass):
    result = whatif.predict_batch(regression, b"x1,x2\n0,0\n1,2\n")
    assert list(result.table.columns) == ["x1", "x2", "predicted"]
    assert np.allclose(result.table["predicted"], regression.model.predict(np.array([[0, 0], [1, 2]])))
    assert result.score is None
    cols = ",".join(multiclass.dataset.feature_names)
    result = whatif.predict_batch(multiclass, f"{cols}\n40,18,190,3800\n".encode())
    assert [c for c in result.table.columns if c.startswith("P(")] == [
        f"P({c})" for c in multiclass.dataset.class_names]


def test_batch_with_a_label_the_model_does_not_know_is_predicted_but_not_scored(binary):
    result = whatif.predict_batch(binary, b"Glucose,BloodPressure,Diabetes\n100,80,0\n120,90,maybe\n")
    assert len(result.table) == 2 and result.score is None
    assert any("does not know: 'maybe'" in note and "not scored" in note for note in result.notes)
