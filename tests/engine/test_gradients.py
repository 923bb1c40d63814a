"""Analytic gradients against central differences of a forward pass written here.

The oracle is this file's own ``reference_loss`` (a plain NumPy forward pass and
loss) differentiated numerically; ``nn_core.gradient_check`` is tested as a
subject, not used as a reference.
"""

import itertools

import numpy as np
import pytest

import nn_core
from nn_core import activations, losses
from nn_core.network import Workspace

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUTS = {"sigmoid": 1, "softmax": 3, "linear": 2}
H = 1e-5  # central-difference step: truncation ~1e-10, roundoff ~1e-11


def hidden_fn(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    assert name == "linear"
    return z


def forward_from(layer: int, a: np.ndarray, weights, biases, acts, z_override=None):
    """Run layers ``layer..L-1`` from the activations ``a`` feeding ``layer``; return the logits.

    ``z_override`` replaces the pre-activation of ``layer`` (for dL/dz).
    """
    z = None
    for i in range(layer, len(weights)):
        z = a @ weights[i] + biases[i] if (i > layer or z_override is None) else z_override
        if i < len(weights) - 1:
            a = hidden_fn(acts[i], z)
    return z


def data_loss(logits: np.ndarray, y: np.ndarray, output: str) -> float:
    n = logits.shape[0]
    if output == "sigmoid":
        z = logits[:, 0]
        # log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0
        return float(np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))))
    if output == "softmax":
        lse = np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1)) + logits.max(1)
        return float(np.mean(lse - logits[np.arange(n), y]))
    return float(np.mean((logits - y.reshape(n, -1)) ** 2))


def reference_loss(weights, biases, acts, output, X, y, l2=0.0, l1=0.0) -> float:
    logits = forward_from(0, X, weights, biases, acts)
    penalty = sum(0.5 * l2 * np.sum(W**2) + l1 * np.sum(np.abs(W)) for W in weights)
    return data_loss(logits, y, output) + penalty


def central_differences(f, arrays):
    """d f / d entry for every entry of every array in ``arrays`` (modified in place, then restored)."""
    grads = []
    for arr in arrays:
        g = np.zeros_like(arr)
        flat, gflat = arr.reshape(-1), g.reshape(-1)
        for k in range(flat.size):
            old = flat[k]
            flat[k] = old + H
            up = f()
            flat[k] = old - H
            down = f()
            flat[k] = old
            gflat[k] = (up - down) / (2 * H)
        grads.append(g)
    return grads


def make_problem(hidden, output, seed=0, n=6, d=3, widths=(5, 4)):
    rng = np.random.default_rng(100 + seed)
    X = rng.normal(size=(n, d))
    k = OUTPUTS[output]
    if output == "sigmoid":
        y = np.array([0, 1] * (n // 2))
    elif output == "softmax":
        y = np.arange(n) % k
    else:
        y = rng.normal(size=(n, k))
    net = nn_core.MLP([d, *widths, k], activation=hidden, output=output, seed=seed)
    # random nonzero biases so that every code path (bias gradient, shifted kinks) is exercised
    for b in net.biases:
        b[...] = rng.normal(scale=0.3, size=b.shape)
    return net, X, y


def away_from_kinks(net, X, l1=0.0, margin=1e-4):
    """True when no relu-family pre-activation (and, with L1, no weight) is within ``margin`` of 0.

    A central difference across a kink measures neither one-sided slope.
    """
    trace = net.trace(X)
    kinked = [trace[i].z for i, name in enumerate(net.activations) if name in ("relu", "leaky_relu")]
    ok = all(np.abs(z).min() > margin for z in kinked)
    if l1:
        ok = ok and all(np.abs(W).min() > margin for W in net.weights)
    return ok


def assert_grads_close(analytic, numeric, label):
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-8, err_msg=f"{label}, array {i}")


@pytest.mark.parametrize(("hidden", "output"), list(itertools.product(HIDDEN, OUTPUTS)))
@pytest.mark.parametrize(("l2", "l1"), [(0.0, 0.0), (0.05, 0.01)])
def test_loss_and_gradients_match_central_differences(hidden, output, l2, l1):
    net, X, y = make_problem(hidden, output)
    assert away_from_kinks(net, X, l1), "test data sits on a kink; pick another seed"
    loss, gW, gb = net.loss_and_gradients(X, y, l2=l2, l1=l1)
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]

    def f():
        return reference_loss(W, b, net.activations, output, X, y, l2, l1)

    assert loss == pytest.approx(f(), rel=1e-12)
    num = central_differences(f, W + b)
    assert_grads_close(gW, num[: len(W)], f"{hidden}/{output} weights")
    assert_grads_close(gb, num[len(W) :], f"{hidden}/{output} biases")


def test_per_layer_activation_list_gradients():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(8, 2))
    y = np.array([0, 1, 2, 3] * 2)
    net = nn_core.MLP([2, 6, 5, 4, 4], activation=["tanh", "leaky_relu", "sigmoid"], output="softmax", seed=3)
    assert net.activations == ["tanh", "leaky_relu", "sigmoid"]
    _, gW, gb = net.loss_and_gradients(X, y, l2=0.01)
    W, b = net.weights, net.biases
    num = central_differences(lambda: reference_loss(W, b, net.activations, "softmax", X, y, 0.01), W + b)
    assert_grads_close(gW + gb, num, "mixed activations")


def test_linear_output_with_1d_targets():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 2))
    y = rng.normal(size=5)
    net = nn_core.MLP([2, 3, 1], activation="tanh", output="linear", seed=1)
    _, gW, gb = net.loss_and_gradients(X, y)
    W, b = net.weights, net.biases
    num = central_differences(lambda: reference_loss(W, b, net.activations, "linear", X, y), W + b)
    assert_grads_close(gW + gb, num, "linear 1-D targets")


# ------------------------------------------------------------ backward trace
@pytest.mark.parametrize(("hidden", "output"), [("tanh", "sigmoid"), ("relu", "softmax"), ("sigmoid", "linear")])
def test_backward_trace_dz_matches_perturbing_z(hidden, output):
    net, X, y = make_problem(hidden, output, seed=1)
    assert away_from_kinks(net, X)
    bt = net.backward_trace(X, y)
    trace = net.trace(X)
    W, b = net.weights, net.biases
    assert len(bt) == len(W)
    for layer in range(len(W)):
        a_prev = X if layer == 0 else trace[layer - 1].a
        z = trace[layer].z.copy()
        assert z == pytest.approx(a_prev @ W[layer] + b[layer], rel=1e-13)

        def f(layer=layer, a_prev=a_prev, z=z):
            logits = forward_from(layer, a_prev, W, b, net.activations, z_override=z)
            return data_loss(logits, y, output)

        (num_dz,) = central_differences(f, [z])
        np.testing.assert_allclose(bt[layer].dz, num_dz, rtol=1e-6, atol=1e-9, err_msg=f"dz of layer {layer}")
        # dW = a_prev.T @ dz and db = sum of dz rows, by the chain rule
        np.testing.assert_allclose(bt[layer].dW, a_prev.T @ bt[layer].dz, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(bt[layer].db, bt[layer].dz.sum(axis=0), rtol=1e-12, atol=1e-15)
    (num_W0,) = central_differences(lambda: data_loss(forward_from(0, X, W, b, net.activations), y, output), [W[0]])
    np.testing.assert_allclose(bt[0].dW, num_W0, rtol=1e-6, atol=1e-8)
    assert bt.loss == pytest.approx(reference_loss(W, b, net.activations, output, X, y), rel=1e-12)


def test_trace_records_inputs_z_and_a():
    net, X, y = make_problem("tanh", "softmax", seed=2)
    tr = net.trace(X)
    np.testing.assert_array_equal(tr.inputs, X)
    assert len(tr) == 3
    a = X
    for i in range(3):
        z = a @ net.weights[i] + net.biases[i]
        np.testing.assert_allclose(tr[i].z, z, rtol=1e-13)
        a = np.tanh(z) if i < 2 else np.exp(z) / np.exp(z).sum(1, keepdims=True)
        np.testing.assert_allclose(tr[i].a, a, rtol=1e-13)
    np.testing.assert_allclose(net.forward(X), a, rtol=1e-13)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_trace_is_the_forward_pass_bit_for_bit(hidden, dtype):
    """trace keeps each z apart; its products and activations are the training pass's own."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 3))
    net = nn_core.MLP([3, 6, 5, 2], activation=hidden, output="softmax", seed=1, dtype=dtype)
    tr = net.trace(X)
    ws = Workspace(net, len(X))
    np.testing.assert_array_equal(tr[-1].a, net._forward(X.astype(dtype), ws))
    np.testing.assert_array_equal(tr[-1].z, ws.logits)
    for layer, a in zip(tr.layers[:-1], ws.a[:-1]):
        np.testing.assert_array_equal(layer.a, a)


# ------------------------------------------------------------ input gradient
def probabilities(net, X):
    logits = forward_from(0, X, net.weights, net.biases, net.activations)
    if net.output == "sigmoid":
        return 1.0 / (1.0 + np.exp(-logits[:, 0]))
    if net.output == "softmax":
        e = np.exp(logits - logits.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)
    return logits[:, 0] if logits.shape[1] == 1 else logits


def numeric_input_gradient(net, X):
    """d output / d x per row: (n, d) for a vector output per row, (n, k, d) for a matrix."""
    n, d = X.shape
    cols = []
    for j in range(d):
        up, down = X.copy(), X.copy()
        up[:, j] += H
        down[:, j] -= H
        cols.append((probabilities(net, up) - probabilities(net, down)) / (2 * H))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize(
    ("hidden", "output", "k"),
    [("tanh", "sigmoid", 1), ("relu", "sigmoid", 1), ("sigmoid", "softmax", 3), ("leaky_relu", "softmax", 4),
     ("tanh", "linear", 1), ("linear", "linear", 1)],
)
def test_input_gradient_matches_central_differences(hidden, output, k):
    rng = np.random.default_rng(11)
    X = rng.normal(size=(5, 3))
    net = nn_core.MLP([3, 6, 5, k], activation=hidden, output=output, seed=4)
    for bias in net.biases:
        bias[...] = rng.normal(scale=0.3, size=bias.shape)
    assert away_from_kinks(net, X)
    got = net.input_gradient(X)
    expected = numeric_input_gradient(net, X)
    assert got.shape == ((5, 3) if k == 1 else (5, k, 3))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


def test_input_gradient_multi_output_regression():
    rng = np.random.default_rng(12)
    X = rng.normal(size=(4, 2))
    net = nn_core.MLP([2, 5, 3], activation="tanh", output="linear", seed=0)
    got = net.input_gradient(X)
    assert got.shape == (4, 3, 2)
    np.testing.assert_allclose(got, numeric_input_gradient(net, X), rtol=1e-6, atol=1e-9)


# ------------------------------------------------------------ gradient_check
def test_gradient_check_passes_correct_nets():
    """A correct backward pass must score < 1e-6 on every array, for every combination."""
    failures = []
    rng = np.random.default_rng(5)
    X = rng.normal(size=(7, 3))
    for hidden, output in itertools.product(HIDDEN, OUTPUTS):
        k = OUTPUTS[output]
        y = {"sigmoid": np.array([0, 1, 0, 1, 1, 0, 1]), "softmax": np.array([0, 1, 2, 1, 0, 2, 1]),
             "linear": rng.normal(size=(7, 2))}[output]
        for l2, l1 in [(0.0, 0.0), (0.1, 0.01)]:
            net = nn_core.MLP([3, 5, 4, k], activation=hidden, output=output, seed=0)
            errors = nn_core.gradient_check(net, X, y, l2=l2, l1=l1)
            assert sorted(errors) == ["W0", "W1", "W2", "b0", "b1", "b2"]
            worst = max(errors, key=errors.get)
            if errors[worst] >= 1e-6:
                failures.append(f"{hidden}/{output} l2={l2} l1={l1}: {worst} {errors[worst]:.2e}")
    assert not failures, "gradient_check fails correct nets:\n" + "\n".join(failures)


def test_gradient_check_passes_a_simple_tanh_net_and_leaves_it_untouched():
    net, X, y = make_problem("tanh", "sigmoid", seed=0, widths=(4,))
    before = [p.copy() for p in net.parameters]
    errors = nn_core.gradient_check(net, X, y, l2=0.01)
    assert max(errors.values()) < 1e-6, errors
    assert all(np.array_equal(p, q) for p, q in zip(before, net.parameters))


def test_gradient_check_float32_net_runs_in_float64():
    net64, X, y = make_problem("tanh", "linear", seed=0, widths=(4,))
    net32 = nn_core.MLP(net64.layer_sizes, activation="tanh", output="linear", seed=0, dtype="float32")
    errors = nn_core.gradient_check(net32, X, y)
    assert max(errors.values()) < 1e-6, errors
    assert all(p.dtype == np.float32 for p in net32.parameters)


def test_gradient_check_detects_a_wrong_activation_derivative(monkeypatch):
    net, X, y = make_problem("tanh", "sigmoid", seed=0, widths=(4,))
    assert max(nn_core.gradient_check(net, X, y).values()) < 1e-6

    def wrong(self, a, out=None):  # 1 - a instead of 1 - a**2
        return np.subtract(1.0, a, out=out)

    monkeypatch.setattr(activations.Tanh, "derivative", wrong)
    errors = nn_core.gradient_check(net, X, y)
    assert errors["W0"] > 1e-2 and errors["b0"] > 1e-2
    # the output layer does not use the hidden derivative
    assert errors["W1"] < 1e-6


def test_gradient_check_detects_a_wrong_loss_gradient(monkeypatch):
    net, X, y = make_problem("tanh", "softmax", seed=0, widths=(4,))
    monkeypatch.setattr(losses.CrossEntropy, "_scale", lambda self, shape: 2.0 / shape[0])
    errors = nn_core.gradient_check(net, X, y)
    assert min(errors.values()) > 0.3  # every gradient doubled: relative error 1/2


def test_gradient_check_detects_a_missing_penalty_gradient(monkeypatch):
    net, X, y = make_problem("relu", "linear", seed=0, widths=(4,))
    monkeypatch.setattr(nn_core.MLP, "_add_penalty_gradients", lambda self, g, l2, l1: None)
    errors = nn_core.gradient_check(net, X, y, l2=1.0)
    assert errors["W0"] > 1e-2 and errors["W1"] > 1e-2


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_a_net_without_hidden_layers_has_the_closed_form_gradient(output):
    """[d, k]: logistic, softmax or linear regression, whose gradient is X.T @ r with r = dL/dz by hand."""
    net, X, y = make_problem("tanh", output, n=8, widths=())
    loss, gW, gb = net.loss_and_gradients(X, y)
    z = X @ net.weights[0] + net.biases[0]
    n, k = z.shape
    if output == "sigmoid":
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        r = ((p - y) / n)[:, None]
        expected_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    elif output == "softmax":
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        onehot = np.eye(k)[y]
        r = (p - onehot) / n
        expected_loss = -np.mean(np.log(p[np.arange(n), y]))
    else:
        r = 2.0 * (z - y) / (n * k)
        expected_loss = np.mean((z - y) ** 2)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(gW[0], X.T @ r, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gb[0], r.sum(axis=0), rtol=1e-12, atol=1e-15)
    assert max(nn_core.gradient_check(net, X, y).values()) < 1e-6
    # and it trains: mini-batches with a short last batch, validation, early stopping
    h = net.fit(X, y, epochs=30, learning_rate=0.05, batch_size=3, validation_data=(X, y), early_stopping=50)
    assert h.epochs == 30 and h.loss[-1] < h.loss[0] and len(h.val_loss) == 30
    assert all(len(row) == 1 for row in h.grad_mean_abs + h.activation_mean_abs)
