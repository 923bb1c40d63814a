"""The look-inside pages in a real session (AppTest): fresh, after training, and what the user can do there."""

from __future__ import annotations

import numpy as np
import pytest

from nn_core import data as datasets
from ui import runs, state, step_by_step

INSIDE = "views/inside.py"
STEP = "views/step_by_step.py"


def with_run(app, run: runs.Run):
    """``app`` with ``run`` as its only and active run (built outside, so the test controls every number)."""
    app.call(state.add_run, run)
    return app


def moons_run(hidden=(5, 3), epochs: int = 40, name: str = "moons") -> runs.Run:
    ds = datasets.load_bundled(name) if name in datasets.BUNDLED else datasets.generate(name, n=150, seed=0)
    run = runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=hidden))
    runs.train(run, epochs)
    return run


def frame_with(at, column: str, start: int = 0):
    """The first shown dataframe (from the ``start``-th) having ``column``, and its index."""
    for k, df in enumerate(at.dataframe):
        if k >= start and column in df.value.columns:
            return k, df.value
    raise AssertionError(f"no dataframe with column {column!r}")


@pytest.mark.parametrize("page", [INSIDE, STEP])
def test_fresh_session_points_to_train(app, page):
    app.switch_page(page).run()
    assert not app.exception
    assert "Train one first" in app.info[0].value
    assert not app.get("vega_lite_chart")


def test_pages_after_training_on_the_train_page(app):
    app.train()
    run = app.active_run()
    assert run.epochs > 0
    app.switch_page(INSIDE).run()
    assert not app.exception
    assert len(app.get("vega_lite_chart")) == 6  # diagram, small maps, large map, boundary, 2 statistics
    app.switch_page(STEP).run()
    assert not app.exception
    assert len(app.dataframe) >= 1 + 2 * len(run.net.weights)


def test_step_and_play_train_the_active_run(app):
    run = moons_run(epochs=5)
    at = with_run(app, run)
    at.switch_page(INSIDE).run()
    at.button(key=state.INSIDE_STEP).click().run()
    assert not at.exception and run.epochs == 6
    assert "6 epochs trained" in " ".join(t.value for t in at.text)
    at.button(key=state.INSIDE_PLAY).click().run()
    assert not at.exception and run.epochs == 16
    assert "16 epochs trained" in " ".join(t.value for t in at.text)


def test_edit_a_weight_changes_the_loss_and_restore_puts_it_back(app):
    run = moons_run()
    at = with_run(app, run)
    at.switch_page(INSIDE).run()
    trained_loss = at.metric[0].value
    weight = run.net.weights[0][0, 0]
    assert at.number_input(key=state.EDIT_VALUE).value == pytest.approx(weight)
    at.number_input(key=state.EDIT_VALUE).set_value(6.0).run()
    assert not at.exception
    assert run.net.weights[0][0, 0] == 6.0
    assert at.metric[0].value != trained_loss
    assert "vs trained" in at.metric[0].delta
    loss = run.net.loss_and_gradients(run.model.transform(run.dataset.X[run.split[0]]), run.dataset.y[run.split[0]])[0]
    assert at.metric[0].value == f"{loss:.4f}"
    assert at.dataframe[-1].value["trained value"].tolist() == [weight]
    at.button(key=state.EDIT_RESTORE).click().run()
    assert not at.exception
    assert run.net.weights[0][0, 0] == weight
    assert at.metric[0].value == trained_loss
    assert at.number_input(key=state.EDIT_VALUE).value == pytest.approx(weight)


def test_edit_a_bias_by_choosing_it(app):
    run = moons_run()
    at = with_run(app, run)
    at.switch_page(INSIDE).run()
    at.selectbox(key=state.EDIT_LAYER).set_value(1).run()
    at.selectbox(key=state.EDIT_FROM).set_value(-1).run()
    at.selectbox(key=state.EDIT_TO).set_value(2).run()
    assert at.number_input(key=state.EDIT_VALUE).value == pytest.approx(run.net.biases[1][2])
    at.number_input(key=state.EDIT_VALUE).set_value(-3.0).run()
    assert run.net.biases[1][2] == -3.0 and not at.exception


def test_gradient_check_button(app):
    at = with_run(app, moons_run())
    at.switch_page(INSIDE).run()
    at.button(key=state.GRADCHECK_BUTTON).click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Passed")
    _, table = frame_with(at, "worst relative error")
    assert table["passes"].all() and len(table) == 6


def test_more_than_two_features_choose_the_axes(app):
    run = moons_run(hidden=(20,), epochs=3, name="breast_cancer")
    at = with_run(app, run)
    at.switch_page(INSIDE).run()
    assert not at.exception
    at.selectbox(key=state.INSIDE_X).set_value(3).run()
    texts = " ".join(t.value for t in at.text)
    assert "held at their training medians" in texts
    assert "first 16" in texts  # the diagram says it cut the 30 inputs and 20 neurons
    assert not at.exception


def test_step_by_step_tables_equal_the_engine(app):
    run = moons_run()
    at = with_run(app, run)
    at.switch_page(STEP).run()
    at.number_input(key=state.STEP_ROW).set_value(9).run()
    assert not at.exception
    x = run.model.transform(run.dataset.X[9:10])
    trace = run.net.trace(x)
    _, inputs = frame_with(at, "x = (value - mean) / std")
    np.testing.assert_allclose(inputs["x = (value - mean) / std"], x[0], rtol=1e-12)
    start = 0
    for lt in trace.layers:  # forward tables in layer order
        start, table = frame_with(at, step_by_step.Z_COL, start)
        np.testing.assert_allclose(table[step_by_step.Z_COL], lt.z[0], rtol=1e-12)
        np.testing.assert_allclose(table[step_by_step.A_COL], lt.a[0], rtol=1e-12)
        start += 1
    step = step_by_step.row_example(run, 9)
    _, out_back = frame_with(at, step_by_step.DZ_COL)  # the backward pass starts at the output
    assert out_back[step_by_step.DZ_COL].tolist() == pytest.approx([trace.layers[-1].a[0, 0] - run.dataset.y[9]])
    assert at.metric[0].value == f"{step.loss:.6g}"
    # every backward table, from the output down, equals nn_core's backward_trace on this row:
    # dL/dz and dL/db per unit, then the dL/dw matrix and the SGD step -lr * dL/dw
    bt = run.net.backward_trace(x, run.dataset.y[9:10], l2=run.config.l2, l1=run.config.l1)
    lr = run.config.learning_rate
    frames = [df.value for df in at.dataframe]
    k = next(i for i, f in enumerate(frames) if step_by_step.DZ_COL in f.columns)
    for g in reversed(bt.layers):
        table, dW, step_W = frames[k], frames[k + 1], frames[k + 2]
        np.testing.assert_allclose(table[step_by_step.DZ_COL], g.dz[0], rtol=1e-12)
        np.testing.assert_allclose(table["dL/db"], g.db, rtol=1e-12)
        np.testing.assert_allclose(table["step for b: -lr·dL/db"], -lr * g.db, rtol=1e-12)
        np.testing.assert_allclose(dW.to_numpy(dtype=float), g.dW, rtol=1e-12)
        np.testing.assert_allclose(step_W.to_numpy(dtype=float), -lr * g.dW, rtol=1e-12)
        k += 3


def test_step_by_step_single_neuron_and_what_if_point(app):
    run = moons_run(hidden=())
    at = with_run(app, run)
    at.call(state.whatif_point, run).update({0: 0.5, 1: -0.25})
    at.switch_page(STEP).run()
    assert not at.exception
    assert len(at.get("latex")) >= 6  # the article's formulas with numbers
    at.radio(key=state.STEP_SOURCE).set_value("whatif").run()
    at.selectbox(key=state.STEP_CLASS).set_value(1).run()
    assert not at.exception
    step = step_by_step.point_example(run, {0: 0.5, 1: -0.25}, 1)
    assert at.metric[0].value == f"{step.loss:.6g}"


@pytest.mark.parametrize("name", ["plane", "blobs"])
def test_pages_for_regression_and_multiclass(app, name):
    ds = datasets.generate(name, n=150, seed=0, classes=3 if name == "blobs" else 2)
    run = runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=(4,)))
    runs.train(run, 10)
    at = with_run(app, run)
    at.switch_page(INSIDE).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 6
    at.button(key=state.GRADCHECK_BUTTON).click().run()
    assert not at.exception and at.success
    at.switch_page(STEP).run()
    assert not at.exception
    first, hidden = frame_with(at, step_by_step.Z_COL)
    _, out = frame_with(at, step_by_step.Z_COL, first + 1)
    assert len(hidden) == 4 and len(out) == run.net.n_outputs
