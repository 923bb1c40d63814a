"""Integrated gradients, partial dependence and calibration, against independent oracles.

- IG: the bars sum to the output's change within 1% (completeness) on random
  points of trained nets of every output, and equal ``w_j (x_j - b_j)``
  exactly for a linear model (closed form);
- ICE/PD: a plain loop setting the column and predicting row by row;
- calibration: a reliability table and ECE worked out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from nn_core import MLP, Model, Preprocessing, explain, metrics


def _model(output: str, derived=()) -> tuple[Model, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3)) * [1.0, 10.0, 0.1] + [0.0, 50.0, 1.0]
    score = X[:, 0] + 0.1 * (X[:, 1] - 50) - 5 * (X[:, 2] - 1)
    names = ["a", "b", "c"]
    if output == "sigmoid":
        y, k, kw = (score > 0).astype(np.int64), 1, {"class_names": ["no", "yes"]}
    elif output == "softmax":
        y, k, kw = np.digitize(score, [-1, 1]).astype(np.int64), 3, {"class_names": ["l", "m", "h"],
                                                                       "problem_type": "multiclass"}
    else:
        y, k, kw = np.sin(score), 1, {"problem_type": "regression", "y_train": np.sin(score)}
    pre = Preprocessing.fit(X, names, derived=derived, **kw)
    net = MLP([pre.n_inputs, 16, 16, k], activation="relu", output=output, seed=0)
    net.fit(pre.transform(X), pre.transform_target(y), epochs=150, learning_rate=0.01, optimizer="adam", seed=0)
    return Model(pre, net), X


@pytest.mark.parametrize("output,derived", [("sigmoid", ()), ("softmax", ()), ("linear", ()),
                                            ("sigmoid", ("x1^2", "x1*x2"))])
def test_integrated_gradients_add_up_to_the_change_within_one_percent(output, derived):
    model, X = _model(output, derived)
    baseline = np.median(X, axis=0)
    rng = np.random.default_rng(3)
    for row in rng.choice(len(X), 12, replace=False):
        att = explain.integrated_gradients(model, X[row], baseline)
        cls = att.class_index
        # the change, from our own forward passes of the two rows
        f = explain.output_of(model, np.stack([baseline, X[row]]), cls)
        change = f[1] - f[0]
        assert att.output == pytest.approx(f[1]) and att.baseline_output == pytest.approx(f[0])
        assert abs(att.values.sum() - change) <= 0.01 * abs(change) + 1e-9
        assert att.steps >= explain.IG_FIRST_STEPS


def test_integrated_gradients_of_a_linear_model_are_weight_times_difference():
    model, X = _model("linear")
    w = np.array([0.7, -1.3, 2.0])
    pre = model.preprocessing
    lin = Model(pre, MLP([3, 1], output="linear", seed=0))
    lin.net.set_parameters([w.reshape(3, 1)], [np.array([0.2])])
    x, b = X[5], X[9]
    att = explain.integrated_gradients(lin, x, b, steps=4)
    # y = target_mean + target_scale * (w . (x - mean) / scale + 0.2): dy/dx_j = target_scale * w_j / scale_j
    expected = pre.target_scale * w / pre.scale * (x - b)
    np.testing.assert_allclose(att.values, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_partial_dependence_is_the_row_by_row_loop(output):
    model, X = _model(output)
    rows = X[:7]
    values = np.linspace(40, 60, 5)[:, None]
    cls = 2 if output == "softmax" else None
    ice = explain.partial_dependence(model, rows, [1], values, class_index=cls)
    for i, row in enumerate(rows):
        for s, v in enumerate(values[:, 0]):
            changed = row.copy()
            changed[1] = v
            out = model.net.forward(model.transform(changed[None]))[0]
            want = out[cls] if output == "softmax" else out[0]
            if output == "linear":
                want = model.preprocessing.inverse_target(want)
            assert ice[i, s] == pytest.approx(want, rel=1e-12, abs=1e-12)
    if output == "softmax":
        with pytest.raises(ValueError, match="class"):
            explain.partial_dependence(model, rows, [1], values)


def test_reliability_and_ece_by_hand_binary():
    y = np.array([0, 1, 1, 0, 1, 1])
    p = np.array([0.05, 0.15, 0.55, 0.58, 0.95, 1.0])
    r = metrics.reliability(y, p, n_bins=2)
    # bin (0, .5]: p .05 .15, y 0 1 -> conf .10, observed .5; bin (.5, 1]: p .55 .58 .95 1, y 1 0 1 1 -> conf .77, obs .75
    np.testing.assert_allclose(r["confidence"], [0.10, 0.77])
    np.testing.assert_allclose(r["observed"], [0.5, 0.75])
    assert list(r["count"]) == [2, 4]
    assert r["ece"] == pytest.approx(2 / 6 * 0.4 + 4 / 6 * 0.02)


def test_reliability_top_label_multiclass_by_hand_and_empty_bins():
    y = np.array([0, 1, 2, 2])
    p = np.array([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])
    r = metrics.reliability(y, p, n_bins=10)
    # top-label confidences .9 .7 .6 .8, right: yes yes no yes; one row per bin 6, 7, 8, 9
    assert list(r["count"]) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 0]
    np.testing.assert_allclose(r["observed"][5:9], [0.0, 1.0, 1.0, 1.0])
    assert np.isnan(r["observed"][0]) and np.isnan(r["confidence"][9])
    assert r["ece"] == pytest.approx((0.6 + 0.3 + 0.2 + 0.1) / 4)
    with pytest.raises(ValueError, match="at least one row"):
        metrics.reliability([], np.zeros(0))
