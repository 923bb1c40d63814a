"""ui.inside: the look-inside tables equal what the engine computes."""

from __future__ import annotations

import numpy as np
import pytest

from nn_core import data as datasets
from nn_core.gradcheck import PASS_THRESHOLD
from ui import inside, runs, step_by_step


def make_run(name: str = "moons", hidden=(5, 3), epochs: int = 30, derived=(), seed: int = 0, classes: int = 2,
             **config):
    """A run on a bundled or generated data set, trained ``epochs`` epochs."""
    if name in datasets.BUNDLED:
        ds = datasets.load_bundled(name)
    else:
        ds = datasets.generate(name, n=120, seed=seed, classes=classes)
    run = runs.new_run(1, ds, None, derived, runs.TrainConfig(hidden=tuple(hidden), seed=seed, **config))
    if epochs:
        runs.train(run, epochs)
    return run


@pytest.fixture(scope="module")
def moons():
    return make_run()


# ------------------------------------------------------------------ diagram
def test_diagram_nodes_and_edges_are_the_nets(moons):
    d = inside.diagram(moons)
    sizes = moons.net.layer_sizes
    assert len(d.nodes) == sum(sizes)
    assert len(d.edges) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    for i, W in enumerate(moons.net.weights):
        e = d.edges[d.edges["layer"] == i]
        np.testing.assert_array_equal(e["weight"].to_numpy(), W[e["src"], e["dst"]])
        assert set(e["sign"]) <= {"positive", "negative"}
        np.testing.assert_array_equal(e["x"], i)
        np.testing.assert_array_equal(e["x2"], i + 1)
    hidden = d.nodes[d.nodes["layer"] == 1]
    np.testing.assert_array_equal(hidden["bias"].to_numpy(), moons.net.biases[0])
    assert d.nodes[d.nodes["layer"] == 0]["name"].tolist() == moons.dataset.feature_names
    assert d.nodes[d.nodes["kind"] == "output"]["name"].tolist() == ["P(1)"]
    assert d.hidden_units == {} and inside.diagram_note(d) == ""


def test_diagram_edges_meet_their_nodes(moons):
    d = inside.diagram(moons)
    pos = {(r.layer, r.index): (r.x, r.y) for r in d.nodes.itertuples()}
    for e in d.edges.itertuples():
        assert pos[(e.layer, e.src)] == (e.x, e.y)
        assert pos[(e.layer + 1, e.dst)] == (e.x2, e.y2)


def test_diagram_shows_the_first_units_of_wide_layers():
    run = make_run("breast_cancer", hidden=(20,), epochs=0)
    d = inside.diagram(run)
    assert run.net.layer_sizes[0] == 30
    assert (d.nodes.groupby("layer").size().tolist()) == [16, 16, 1]
    assert len(d.edges) == 16 * 16 + 16 * 1
    assert d.hidden_units == {"Inputs": 14, "Hidden layer 1": 4}
    assert "+14 more" in d.labels["text"].tolist()
    assert "16" in inside.diagram_note(d)


def test_derived_inputs_are_named(moons):
    run = make_run(derived=("x1^2", "x1*x2"), epochs=0)
    assert inside.neuron_names(run, 0) == ["x1", "x2", "x1^2", "x1*x2"]


# -------------------------------------------------------------- neuron maps
def test_neuron_maps_equal_net_trace_on_the_grid(moons):
    maps = inside.neuron_maps(moons, 0, 1, resolution=12)
    assert [m.layer for m in maps.layers] == [0, 1, 2, 3]
    assert sum(len(m.units) for m in maps.layers) == 2 + 5 + 3 + 1  # one map per unit
    xs, ys, rows = inside.plane_rows(moons, 0, 1, 12)
    trace = moons.net.trace(moons.model.transform(rows))
    for lm in maps.layers[1:]:
        expected = trace.layers[lm.layer - 1].a.reshape(12, 12, -1)
        np.testing.assert_array_equal(lm.values, expected)
    # the output map is the decision boundary's probability
    np.testing.assert_allclose(maps.layers[-1].values[..., 0],
                               moons.model.predict_proba(rows).reshape(12, 12))


def test_neuron_maps_keep_only_inputs_that_vary():
    run = make_run("breast_cancer", hidden=(4,), epochs=0)
    maps = inside.neuron_maps(run, 2, 5, resolution=10)
    assert maps.layers[0].units == [2, 5]
    assert maps.layers[0].names == [run.dataset.feature_names[2], run.dataset.feature_names[5]]


def test_map_cells_one_block_per_unit(moons):
    maps = inside.neuron_maps(moons, 0, 1, resolution=8)
    lm = maps.layers[1]
    cells = inside.map_cells(maps.xs, maps.ys, lm.values, lm.names)
    assert len(cells) == 8 * 8 * len(lm.units)
    assert cells["neuron"].unique().tolist() == lm.names
    first = cells[cells["order"] == 0]["value"].to_numpy()
    np.testing.assert_array_equal(first, lm.values[..., 0].ravel())
    assert (cells["x2"] > cells["x"]).all() and (cells["y2"] > cells["y"]).all()


def test_color_domains_are_fixed_for_bounded_activations():
    v = np.array([[-3.0, 2.0]])
    assert inside.color_domain("tanh", v) == [-1, 0, 1]
    assert inside.color_domain("sigmoid", v) == [0, 0.5, 1]
    assert inside.color_domain("relu", v) == [0, 1.5, 3.0]
    assert inside.color_domain("linear", v) == [-3.0, 0, 3.0]
    assert inside.color_domain("linear", np.zeros((2, 2))) == [-1.0, 0.0, 1.0]


def test_neuron_options_and_single_map(moons):
    maps = inside.neuron_maps(moons, 0, 1, resolution=6)
    options = inside.neuron_options(maps)
    assert (1, 4) in options and (3, 0) in options
    lm, values, name = inside.single_map(maps, 2, 1)
    assert name == "h2.2"
    np.testing.assert_array_equal(values, lm.values[..., 1])


# ------------------------------------------------------------- weight edits
def test_edit_changes_the_net_and_restore_puts_it_back():
    run = make_run()
    X = run.model.transform(run.dataset.X)
    before = run.net.forward(X).copy()
    trained = inside.training_fit(run)
    originals: dict = {}
    ref = inside.ParamRef(0, 2, 1)
    old = run.net.weights[0][1, 2]
    inside.set_parameter(run, ref, 4.0, originals)
    assert run.net.weights[0][1, 2] == 4.0 and originals == {ref: old}
    assert not np.allclose(run.net.forward(X), before)  # the array the net uses
    edited = inside.training_fit(run)
    assert edited["loss"] != trained["loss"]
    inside.set_parameter(run, ref, 5.0, originals)
    assert originals == {ref: old}  # the trained value, not the last edit
    bias = inside.ParamRef(1, 0)
    inside.set_parameter(run, bias, -2.0, originals)
    assert run.net.biases[1][0] == -2.0
    with inside.trained_values(run.net, originals):
        assert inside.training_fit(run) == trained
    assert run.net.weights[0][1, 2] == 5.0
    assert inside.edits_table(run, originals)["parameter"].tolist() == ["weight x2 -> h1.3", "bias of h2.1"]
    inside.restore_parameters(run, originals)
    assert originals == {}
    np.testing.assert_array_equal(run.net.forward(X), before)
    assert inside.training_fit(run) == trained


def test_edit_back_to_the_trained_value_is_no_edit(moons):
    originals: dict = {}
    ref = inside.ParamRef(0, 0, 0)
    value = inside.param_value(moons.net, ref)
    inside.set_parameter(moons, ref, value + 1, originals)
    inside.set_parameter(moons, ref, value, originals)
    assert originals == {}


def test_edit_refuses_a_non_number(moons):
    with pytest.raises(ValueError, match="finite"):
        inside.set_parameter(moons, inside.ParamRef(0, 0, 0), float("nan"), {})


def test_edit_drops_cached_metrics():
    run = make_run()
    first = runs.evaluate(run)["train"]["log_loss"]
    originals: dict = {}
    inside.set_parameter(run, inside.ParamRef(1, 0, 0), 9.0, originals)
    assert runs.evaluate(run)["train"]["log_loss"] != first
    inside.restore_parameters(run, originals)
    assert runs.evaluate(run)["train"]["log_loss"] == pytest.approx(first)


def test_training_fit_is_the_training_objective():
    run = make_run(l2=0.01)
    idx = run.split[0]
    loss, _, _ = run.net.loss_and_gradients(run.model.transform(run.dataset.X[idx]), run.dataset.y[idx], l2=0.01)
    fit = inside.training_fit(run)
    assert fit["loss"] == loss and fit["metric"] == "accuracy" and 0 <= fit["value"] <= 1
    reg = make_run("plane", hidden=(4,), epochs=5)
    assert inside.training_fit(reg)["metric"] == "R²"


# -------------------------------------------------------------- layer stats
def test_layer_stats_long_table(moons):
    stats, note = inside.layer_stats(moons)
    assert len(stats) == 2 * 30 * 3 and note == ""
    grad = stats[(stats["statistic"] == "gradient") & (stats["layer"] == "Hidden layer 1")]
    np.testing.assert_array_equal(grad["value"], [g[0] for g in moons.history.grad_mean_abs])
    assert stats["layer"].unique().tolist() == ["Hidden layer 1", "Hidden layer 2", "Output"]


def test_layer_stats_thin_long_runs(moons):
    stats, note = inside.layer_stats(moons, limit=30)
    per_stat = stats[stats["statistic"] == "gradient"]
    assert len(per_stat) <= 30 + 3 and per_stat["epoch"].max() == 30
    assert "Every" in note


def test_layer_stats_empty_before_training():
    stats, _ = inside.layer_stats(make_run(epochs=0))
    assert stats.empty


# ---------------------------------------------------- one example, step by step
def test_forward_numbers_equal_net_trace(moons):
    row = 7
    step = step_by_step.row_example(moons, row)
    x = moons.model.transform(moons.dataset.X[row : row + 1])
    trace = moons.net.trace(x)
    np.testing.assert_array_equal(step.x, x[0])
    np.testing.assert_array_equal(step_by_step.input_table(step)["x = (value - mean) / std"], x[0])
    np.testing.assert_allclose(step_by_step.input_table(step)["value"], moons.dataset.X[row])
    for layer, lt in zip(step.layers, trace.layers):
        table = step_by_step.forward_table(layer)
        np.testing.assert_array_equal(table[step_by_step.Z_COL], lt.z[0])
        np.testing.assert_array_equal(table[step_by_step.A_COL], lt.a[0])
        np.testing.assert_allclose(layer.a_in @ layer.W + layer.b, layer.z)  # z = W a + b


def test_backward_numbers_equal_backward_trace_regression():
    run = make_run("plane", hidden=(4, 3), epochs=10)
    row = 5
    step = step_by_step.row_example(run, row)
    x = run.model.transform(run.dataset.X[row : row + 1])
    # the net learns the standardized target (Preprocessing.transform_target)
    y = (run.dataset.y[row : row + 1] - run.model.preprocessing.target_mean) / run.model.preprocessing.target_scale
    bt = run.net.backward_trace(x, y)
    assert step.loss == bt.loss
    for layer, g in zip(step.layers, bt.layers):
        np.testing.assert_array_equal(layer.dW, g.dW)
        np.testing.assert_array_equal(layer.db, g.db)
        np.testing.assert_array_equal(step_by_step.backward_table(layer, 0.1)[step_by_step.DZ_COL], g.dz[0])


def test_backward_numbers_average_to_backward_trace_classifier(moons):
    """Two examples of different classes: their mean gradient is nn_core's on the pair."""
    ds = moons.dataset
    a, b = int(np.flatnonzero(ds.y == 0)[0]), int(np.flatnonzero(ds.y == 1)[0])
    sa, sb = step_by_step.row_example(moons, a), step_by_step.row_example(moons, b)
    X = moons.model.transform(ds.X[[a, b]])
    bt = moons.net.backward_trace(X, ds.y[[a, b]])
    assert (sa.loss + sb.loss) / 2 == pytest.approx(bt.loss, rel=1e-12)
    for la, lb, g in zip(sa.layers, sb.layers, bt.layers):
        np.testing.assert_allclose((la.dW + lb.dW) / 2, g.dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose((la.db + lb.db) / 2, g.db, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(la.dz / 2, g.dz[0], rtol=1e-10, atol=1e-14)  # dz of the mean loss


def test_backward_numbers_match_finite_differences(moons):
    """An independent oracle: the example's own loss, nudged weight by weight."""
    row = 11
    step = step_by_step.row_example(moons, row)
    x = moons.model.transform(moons.dataset.X[row : row + 1])
    y = moons.dataset.y[row]
    net = moons.net.copy()

    def loss() -> float:
        p = net.forward(x)[0, 0]
        return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)))

    assert step.loss == pytest.approx(loss(), rel=1e-10)
    h = 1e-6
    for i, layer in enumerate(step.layers):
        W = net.weights[i]
        for (r, c) in [(0, 0), (W.shape[0] - 1, W.shape[1] - 1)]:
            old = W[r, c]
            W[r, c] = old + h
            up = loss()
            W[r, c] = old - h
            down = loss()
            W[r, c] = old
            assert layer.dW[r, c] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9)


def test_chain_rule_columns(moons):
    step = step_by_step.row_example(moons, 3)
    for layer in step.layers[:-1]:
        np.testing.assert_allclose(layer.da * layer.fprime, layer.dz, rtol=1e-12)
        table = step_by_step.backward_table(layer, 0.5)
        assert list(table.columns) == ["unit", "dL/da", "f'(z)", "dL/dz", "dL/db", "step for b: -lr·dL/db"]
        np.testing.assert_allclose(table["step for b: -lr·dL/db"], -0.5 * layer.db)
    out = step.layers[-1]
    assert out.da is None
    assert out.dz[0] == pytest.approx(out.a[0] - moons.dataset.y[3])  # p - y


def test_penalty_is_in_the_weight_gradient_not_the_example_loss():
    run = make_run(l2=0.1)
    step = step_by_step.row_example(run, 0)
    plain = step_by_step.backward_one(run.net, step.x[None], run.dataset.y[0])
    assert step.loss == plain.loss and step.penalty > 0
    np.testing.assert_allclose(step.layers[0].dW, plain.layers[0].dW + 0.1 * run.net.weights[0])


def test_what_if_point_fills_missing_features_with_medians(moons):
    step = step_by_step.point_example(moons, {0: 1.5}, 1)
    pre = moons.model.preprocessing
    assert step.raw[0] == pytest.approx(1.5)
    assert step.raw[1] == pytest.approx(pre.feature_stats[pre.feature_names[1]]["median"])
    assert step.target == 1 and step.target_text == moons.dataset.class_names[1]


def test_row_out_of_range(moons):
    with pytest.raises(ValueError, match="no row"):
        step_by_step.row_example(moons, moons.dataset.n_samples)


def test_multiclass_step():
    run = make_run("blobs", hidden=(4,), epochs=10, classes=3)
    step = step_by_step.row_example(run, 0)
    out = step.layers[-1]
    assert out.a.sum() == pytest.approx(1.0)
    assert step.loss == pytest.approx(-np.log(out.a[run.dataset.y[0]]))
    assert step_by_step.single_neuron_latex(step) is None
    assert "Predicted class" in step_by_step.prediction_text(run, step)


def test_single_neuron_latex_substitutes_the_numbers():
    ds = datasets.generate("moons", n=120, seed=0)
    ds.feature_names[:] = ["\\evil{$x$}", "y_"]  # user text must never reach the LaTeX
    run = runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=(), learning_rate=0.1))
    runs.train(run, 20)
    step = step_by_step.row_example(run, 4)
    lines = step_by_step.single_neuron_latex(step)
    text = "\n".join(lines)
    assert "evil" not in text
    layer = step.layers[0]
    assert step_by_step.tex_number(layer.z[0]) in lines[0]
    assert step_by_step.tex_number(layer.a[0]) in lines[1]
    assert step_by_step.tex_number(step.loss) in lines[2]
    assert step_by_step.tex_number(layer.dW[0, 0]) in text
    assert step_by_step.tex_number(layer.W[0, 0] - 0.1 * layer.dW[0, 0]) in text
    assert len(lines) == 4 + 2 + 1 + 2 + 1
    legend = step_by_step.symbol_legend(step)
    assert legend["means"].iloc[0].startswith("\\evil{$x$}")
    assert step_by_step.single_neuron_latex(step_by_step.row_example(make_run(epochs=0), 0)) is None


def test_single_neuron_latex_regression_and_penalty():
    run = make_run("plane", hidden=(), epochs=5, l2=0.01)
    lines = step_by_step.single_neuron_latex(step_by_step.row_example(run, 0))
    assert any(r"\hat y" in line for line in lines)
    assert any(r"\lambda_2 w_1" in line for line in lines)


def test_tex_number():
    assert step_by_step.tex_number(0.5) == "0.5"
    assert step_by_step.tex_number(1.234e-7) == r"1.234 \times 10^{-7}"
    assert step_by_step._p(-2.0) == "(-2)"


# ----------------------------------------------------------- gradient check
def test_gradient_check_table(moons):
    result = inside.run_gradient_check(moons)
    assert result.table["parameter"].tolist() == ["W0", "b0", "W1", "b1", "W2", "b2"]
    assert result.passed and (result.table["worst relative error"] < PASS_THRESHOLD).all()
    assert result.rows == min(inside.GRADCHECK_ROWS, len(moons.split[0]))
    assert result.seconds < 1.0
    assert result.table["shape"].tolist()[:2] == ["2 x 5", "5"]


def test_gradient_check_is_fast_on_a_big_net():
    run = make_run("breast_cancer", hidden=(64, 64, 64), epochs=2)
    assert inside.run_gradient_check(run).seconds < 1.0
    huge = make_run("breast_cancer", hidden=(700, 700), epochs=0)  # half a million parameters
    result = inside.run_gradient_check(huge)
    assert result.seconds < 2.5 and result.passed
    assert 1 <= result.table["entries checked"].max() <= inside.GRADCHECK_ENTRIES


def test_gradient_check_sample_holds_two_classes():
    ds = datasets.generate("moons", n=400, seed=0)
    y = np.zeros_like(ds.y)
    y[:3] = 1  # three positives in 400 rows
    ds = datasets.Dataset(ds.X, y, ds.feature_names, ds.class_names, ds.target_name, "binary")
    run = runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=(3,)))
    for seed in range(5):
        rows = inside.gradcheck_rows(run, rows=8, seed=seed)
        assert len(rows) == 8 and set(y[rows]) == {0, 1} and set(rows) <= set(run.split[0])
    assert inside.run_gradient_check(run, rows=8).passed


def test_fingerprint_follows_the_parameters():
    run = make_run(epochs=2)
    before = inside.parameter_fingerprint(run.net)
    originals: dict = {}
    inside.set_parameter(run, inside.ParamRef(0, 0, 0), 3.0, originals)
    assert inside.parameter_fingerprint(run.net) != before
    inside.restore_parameters(run, originals)
    assert inside.parameter_fingerprint(run.net) == before
