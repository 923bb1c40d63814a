"""Losses and activations against hand computations and the textbook formulas.

The losses are reached through the public net: a ``[d, d]`` net with identity
weights and zero biases has logits ``z = X``, so ``loss_and_gradients(X, y)``
is the loss of the logits written in the test. The activation formulas are the
safety net for anyone who swaps in a faster formula: ``tanh`` and ``sigmoid``
must stay within 1e-14 relative of ``np.tanh`` and ``1/(1+exp(-z))``
everywhere, tiny and huge arguments included.
"""

import math
import warnings

import numpy as np
import pytest

import nn_core
from nn_core import activations, losses

REL = 1e-14


def logits_net(z: np.ndarray, output: str) -> nn_core.MLP:
    """A one-layer net whose logits on ``X = z`` are ``z`` itself (W = I, b = 0)."""
    d = z.shape[1]
    net = nn_core.MLP([d, d], output=output, seed=0)
    net.weights[0][...] = np.eye(d)
    net.biases[0][...] = 0.0
    return net


# ----------------------------------------------------------------- losses
def test_binary_cross_entropy_by_hand():
    z = np.array([[0.0], [2.0], [-1.0]])
    y = np.array([1, 0, 1])
    # y=1: log(1 + e^-z); y=0: log(1 + e^z)
    per_row = [math.log(2.0), math.log(1.0 + math.e**2), math.log(1.0 + math.e)]
    assert per_row == pytest.approx([0.6931471805599453, 2.1269280110429727, 1.3132616875182228], rel=1e-15)
    expected = (0.6931471805599453 + 2.1269280110429727 + 1.3132616875182228) / 3  # 1.377778959707047
    loss, _, _ = logits_net(z, "sigmoid").loss_and_gradients(z, y)
    assert loss == pytest.approx(expected, rel=1e-14)


def test_binary_cross_entropy_gradient_is_p_minus_y_over_n():
    z = np.array([[0.0], [2.0], [-1.0]])
    y = np.array([1.0, 0.0, 1.0])
    p = np.array([0.5, 1 / (1 + math.exp(-2.0)), 1 / (1 + math.exp(1.0))])
    expected_dz = ((p - y) / 3).reshape(-1, 1)
    bt = logits_net(z, "sigmoid").backward_trace(z, y)
    np.testing.assert_allclose(bt[0].dz, expected_dz, rtol=1e-14, atol=0)


def test_softmax_cross_entropy_by_hand():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([2, 1])
    # row 0: log(e^1 + e^2 + e^3) - 3 = log(1 + e^-1 + e^-2) = 0.40760596444437994
    # row 1: log(3) = 1.0986122886681098
    row0 = math.log(math.exp(1) + math.exp(2) + math.exp(3)) - 3.0
    assert row0 == pytest.approx(0.40760596444437994, rel=1e-14)
    expected = (0.40760596444437994 + 1.0986122886681098) / 2  # 0.7531091265562449
    loss, _, _ = logits_net(z, "softmax").loss_and_gradients(z, y)
    assert loss == pytest.approx(expected, rel=1e-14)


def test_softmax_cross_entropy_gradient_is_p_minus_onehot_over_n():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([2, 1])
    e = np.exp([1.0, 2.0, 3.0])
    p0 = e / e.sum()
    expected = np.array([p0 - [0, 0, 1], np.full(3, 1 / 3) - [0, 1, 0]]) / 2
    bt = logits_net(z, "softmax").backward_trace(z, y)
    np.testing.assert_allclose(bt[0].dz, expected, rtol=1e-13, atol=1e-16)


def test_mse_is_mean_over_all_elements_by_hand():
    z = np.array([[1.0, 2.0], [3.0, 4.0]])
    Y = np.array([[0.0, 2.0], [5.0, 1.0]])
    # differences 1, 0, -2, 3 -> squares 1, 0, 4, 9 -> 14 / 4 elements
    loss, _, _ = logits_net(z, "linear").loss_and_gradients(z, Y)
    assert loss == pytest.approx(3.5, rel=1e-15)
    bt = logits_net(z, "linear").backward_trace(z, Y)
    np.testing.assert_allclose(bt[0].dz, 2 * (z - Y) / 4, rtol=1e-15)


def test_mse_single_output_takes_1d_targets():
    z = np.array([[1.0], [-1.0], [2.0]])
    loss, _, _ = logits_net(z, "linear").loss_and_gradients(z, np.array([0.0, 0.0, 0.0]))
    assert loss == pytest.approx((1 + 1 + 4) / 3, rel=1e-15)


def test_penalties_added_to_loss_by_hand():
    z = np.array([[1.0, 2.0], [3.0, 4.0]])
    Y = np.array([[0.0, 2.0], [5.0, 1.0]])
    net = logits_net(z, "linear")
    net.weights[0][...] = [[1.0, -2.0], [0.5, 0.0]]
    net.biases[0][...] = [10.0, -10.0]  # biases are not penalized
    out = z @ net.weights[0] + net.biases[0]
    data = float(np.mean((out - Y) ** 2))
    l2, l1 = 0.3, 0.02
    penalty = 0.5 * l2 * (1 + 4 + 0.25 + 0) + l1 * (1 + 2 + 0.5 + 0)
    loss, gW, gb = net.loss_and_gradients(z, Y, l2=l2, l1=l1)
    assert loss == pytest.approx(data + penalty, rel=1e-14)
    g_data = z.T @ (2 * (out - Y) / 4)
    np.testing.assert_allclose(gW[0], g_data + l2 * net.weights[0] + l1 * np.sign(net.weights[0]), rtol=1e-14)
    np.testing.assert_allclose(gb[0], (2 * (out - Y) / 4).sum(axis=0), rtol=1e-14)


@pytest.mark.parametrize(
    ("logit", "label", "expected"),
    [(800.0, 0, 800.0), (-800.0, 1, 800.0), (800.0, 1, 0.0), (-800.0, 0, 0.0), (40.0, 0, 40.0)],
)
def test_bce_extreme_logits_finite_and_exact(logit, label, expected):
    other = 1 - label  # a second row so that both classes are present
    z = np.array([[logit], [0.0]])
    y = np.array([label, other])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, gW, gb = logits_net(z, "sigmoid").loss_and_gradients(z, y)
    assert loss == pytest.approx((expected + math.log(2.0)) / 2, rel=1e-14)
    assert all(np.isfinite(g).all() for g in (*gW, *gb))


def test_bce_at_800_with_label_0_equals_800():
    # one class only is refused by the net, so ask the loss object directly
    z = np.array([[800.0], [800.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.BinaryCrossEntropy().value(z.copy(), activations.sigmoid(z), np.zeros((2, 1)))
    assert value == 800.0


def test_softmax_cross_entropy_extreme_logits():
    z = np.array([[800.0, -800.0], [-800.0, 800.0], [800.0, -800.0]])
    y = np.array([1, 1, 0])  # 1600, 0, 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = logits_net(z, "softmax")
        loss, gW, gb = net.loss_and_gradients(z, y)
        proba = net.predict_proba(z)
    assert loss == pytest.approx(1600.0 / 3, rel=1e-14)
    assert all(np.isfinite(g).all() for g in (*gW, *gb))
    np.testing.assert_array_equal(proba, [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])


def test_sigmoid_output_probabilities_at_extremes_no_warning():
    z = np.array([[800.0], [-800.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = logits_net(z, "sigmoid").predict_proba(z)
    np.testing.assert_array_equal(p, [1.0, 0.0])


# ------------------------------------------------------------ activations
def dense_grid() -> np.ndarray:
    tiny = np.array([5e-324, 1e-320, 1e-310, 1e-300, 1e-200, 1e-100, 1e-30, 1e-17, 1e-16, 1e-10, 1e-8])
    mags = np.concatenate([tiny, np.logspace(-300, np.log10(800), 4001), [700, 709.78, 710, 745, 746, 800]])
    linear = np.linspace(-50, 50, 20001)
    return np.concatenate([mags, -mags, linear, [0.0, -0.0]])


def relative_error(got: np.ndarray, ref: np.ndarray) -> np.ndarray:
    mask = np.isfinite(ref) & (ref != 0)
    return np.abs(got[mask] - ref[mask]) / np.abs(ref[mask])


def reference_sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.parametrize("fn", [activations.tanh, lambda z: activations.Tanh().forward(z)], ids=["tanh", "Tanh"])
def test_tanh_matches_numpy_to_1e14(fn):
    z = dense_grid()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fn(z.copy())
    ref = np.tanh(z)
    assert got.shape == z.shape and np.isfinite(got).all()
    err = relative_error(got, ref)
    worst = int(np.argmax(err))
    assert err.max() <= REL, f"tanh relative error {err.max():.3g} at z={z[np.isfinite(ref) & (ref != 0)][worst]!r}"
    # the zeros and the signs are exact
    assert got[z == 0].tolist() == [0.0] * int((z == 0).sum())
    assert np.array_equal(np.sign(got), np.sign(ref))
    assert np.abs(got).max() <= 1.0


@pytest.mark.parametrize(
    "fn", [activations.sigmoid, lambda z: activations.Sigmoid().forward(z)], ids=["sigmoid", "Sigmoid"]
)
def test_sigmoid_matches_textbook_formula_to_1e14(fn):
    z = dense_grid()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fn(z.copy())
    ref = reference_sigmoid(z)
    assert got.shape == z.shape and np.isfinite(got).all()
    err = relative_error(got, ref)
    worst = int(np.argmax(err))
    assert err.max() <= REL, f"sigmoid relative error {err.max():.3g} at z={z[np.isfinite(ref) & (ref != 0)][worst]!r}"
    assert ((got >= 0) & (got <= 1)).all()
    assert got[z == 800.0][0] == 1.0 and got[z == -800.0][0] < 1e-300
    assert got[z == 0][0] == 0.5


@pytest.mark.parametrize("z0", [1e-300, 1e-10, -1e-10, 1e-16, 0.0])
def test_sigmoid_near_zero_is_half_plus_z_over_4(z0):
    got = activations.sigmoid(np.array([z0]))[0]
    assert got == pytest.approx(0.5 + z0 / 4, rel=REL, abs=0)


@pytest.mark.parametrize("z0", [1e-300, -1e-300, 1e-10, -1e-10, 5e-324])
def test_tanh_of_tiny_values_is_the_value_itself(z0):
    # tanh(z) = z - z^3/3 + ...: for |z| <= 1e-10 the cubic term is far below one ulp
    assert activations.tanh(np.array([z0]))[0] == z0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_keep_dtype(dtype):
    z = np.linspace(-20, 20, 401).astype(dtype)
    for name in activations.ACTIVATIONS:
        act = activations.get_activation(name)
        a = act.forward(z.copy())
        assert a.dtype == dtype, name
        assert act.derivative(a).dtype == dtype, name
    np.testing.assert_allclose(activations.sigmoid(z), reference_sigmoid(z.astype(np.float64)), rtol=2e-6)
    np.testing.assert_allclose(activations.tanh(z), np.tanh(z.astype(np.float64)), rtol=2e-6, atol=1e-37)


def test_relu_and_leaky_relu_values():
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(activations.ReLU().forward(z), [0, 0, 0, 0.5, 3.0])
    np.testing.assert_allclose(activations.LeakyReLU().forward(z), [-0.03, -0.005, 0.0, 0.5, 3.0], rtol=1e-15)
    relu, leaky = activations.ReLU(), activations.LeakyReLU()
    np.testing.assert_array_equal(relu.derivative(relu.forward(z)), [0, 0, 0, 1, 1])
    np.testing.assert_allclose(leaky.derivative(leaky.forward(z)), [0.01, 0.01, 0.01, 1, 1])
    np.testing.assert_array_equal(activations.Linear().forward(z), z)


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_forward_into_z_itself_matches(name):
    act = activations.get_activation(name)
    z = np.linspace(-5, 5, 41).reshape(-1, 1) + 0.013
    expected = act.forward(z.copy())
    buf = z.copy()
    got = act.forward(buf, out=buf)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(buf, expected)


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_derivative_matches_central_differences(name):
    act = activations.get_activation(name)
    # avoid the relu kink at 0: nearest point is 0.013 away
    z = np.linspace(-6, 6, 241) + 0.013
    h = 1e-6
    numeric = (act.forward(z + h) - act.forward(z - h)) / (2 * h)
    analytic = act.derivative(act.forward(z))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)
    buf = np.empty_like(z)
    out = act.derivative(act.forward(z), out=buf)
    np.testing.assert_allclose(out, numeric, rtol=1e-7, atol=1e-9)


def test_softmax_rows_sum_to_one_and_match_formula():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0], [-5.0, -5.0, -5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = activations.Softmax().forward(z)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(p[0], e / e.sum(), rtol=1e-15)
    np.testing.assert_array_equal(p[1], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(p[2], [1 / 3] * 3, rtol=1e-15)


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-5), (np.float64, 1e-12)])
def test_bce_of_a_confident_net_stays_accurate_and_positive(dtype, rtol):
    """Every row's loss is >= 0; summed apart, softplus(z) and y*z cancel and went negative in float32."""
    rng = np.random.default_rng(3)
    y = (rng.random((10_000, 1)) < 0.5).astype(dtype)
    z = ((2 * y - 1) * rng.uniform(10.0, 20.0, y.shape)).astype(dtype)  # right, and sure of it
    z64 = z.astype(np.float64)
    expected = float(np.mean(np.logaddexp(0.0, z64) - y.astype(np.float64) * z64))  # about 1e-6
    bce = losses.BinaryCrossEntropy()
    a = np.empty_like(z)
    for got in (bce.activate_and_value(z, y, out=a), bce.value(z, a, y)):
        assert got > 0
        assert got == pytest.approx(expected, rel=rtol)


def test_each_problem_type_has_one_output_and_that_output_one_loss():
    assert {p: losses.output_for_problem(p) for p in ("binary", "multiclass", "regression")} == {
        "binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}
    assert isinstance(losses.loss_for_output(losses.output_for_problem("binary")), losses.BinaryCrossEntropy)
    with pytest.raises(ValueError, match="Unknown problem type 'ranking'"):
        losses.output_for_problem("ranking")
