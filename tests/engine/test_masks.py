"""Neuron switches: a switched-off neuron's output is held at zero and training leaves its parameters alone.

The oracles: the same net with that neuron's outgoing weights set to zero
(forward passes), the same net with that neuron removed (training), central
differences (gradients), and the parameters' own values from before training.
"""

import pickle

import numpy as np
import pytest

import nn_core
from nn_core.masks import frozen_parameters

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]


def data(output: str, n: int = 24, d: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if output == "sigmoid":
        return X, (X[:, 0] - X[:, 1] > 0).astype(int)
    if output == "softmax":
        return X, np.argmax(X @ rng.normal(size=(d, 3)), axis=1)
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1


def n_outputs(output: str) -> int:
    return {"sigmoid": 1, "softmax": 3, "linear": 1}[output]


def net_with(activation: str, output: str = "sigmoid", hidden=(5, 4), seed: int = 1) -> nn_core.MLP:
    return nn_core.MLP([3, *hidden, n_outputs(output)], activation=activation, output=output, seed=seed)


def owned(net: nn_core.MLP, layer: int, unit: int) -> list[np.ndarray]:
    """Copies of what neuron (layer, unit) owns: incoming weights, bias, outgoing weights."""
    return [net.weights[layer - 1][:, unit].copy(), np.array(net.biases[layer - 1][unit]),
            net.weights[layer][unit, :].copy()]


def without_unit(net: nn_core.MLP, layer: int, unit: int) -> nn_core.MLP:
    """The same net with neuron (layer, unit) removed: one unit fewer in that layer."""
    sizes = list(net.layer_sizes)
    sizes[layer] -= 1
    small = nn_core.MLP(sizes, activation=net.activations, output=net.output, seed=0)
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]
    W[layer - 1] = np.delete(W[layer - 1], unit, axis=1)
    b[layer - 1] = np.delete(b[layer - 1], unit)
    W[layer] = np.delete(W[layer], unit, axis=0)
    small.set_parameters(W, b)
    return small


# ------------------------------------------------------------------ forward
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
@pytest.mark.parametrize("layer,unit", [(1, 2), (2, 0)])
def test_an_off_neuron_acts_as_zero_outgoing_weights(activation, output, layer, unit):
    X, _ = data(output)
    net = net_with(activation, output)
    ref = net.copy()
    ref.weights[layer][unit, :] = 0.0  # the oracle: nothing leaves the neuron
    net.set_neuron(layer, unit, False)
    np.testing.assert_array_equal(net.forward(X), ref.forward(X))
    np.testing.assert_array_equal(net.predict(X), ref.predict(X))
    if output != "linear":
        np.testing.assert_array_equal(net.predict_proba(X), ref.predict_proba(X))
    t, r = net.trace(X), ref.trace(X)
    for i, (lt, lr) in enumerate(zip(t, r)):
        np.testing.assert_array_equal(lt.z, lr.z)  # every z, the off neuron's own included
        expected = lr.a.copy()
        if i == layer - 1:
            expected[:, unit] = 0.0  # held at zero
        np.testing.assert_array_equal(lt.a, expected)
    np.testing.assert_allclose(net.input_gradient(X), ref.input_gradient(X), rtol=0, atol=1e-15)


def test_masks_are_none_when_all_on_and_name_the_off_neurons():
    net = net_with("tanh")
    assert net.masks is None
    net.set_neuron(2, 3, False)
    masks = net.masks
    assert [m.tolist() for m in masks] == [[True] * 5, [True, True, True, False]]
    masks[0][0] = False  # a copy: the net is not switched by it
    assert net.masks[0].all()
    net.set_neuron(2, 3, True)
    assert net.masks is None
    net.set_masks([np.array([True, False, True, True, True]), np.ones(4, dtype=bool)])
    assert net.masks[0].tolist() == [True, False, True, True, True]


def test_frozen_parameters_lists_what_the_neuron_owns():
    net = nn_core.MLP([2, 3, 2, 1], seed=0)
    net.set_neuron(1, 1, False)
    weights, biases = frozen_parameters(net)
    assert weights[0].tolist() == [[False, True, False], [False, True, False]]  # incoming
    assert biases[0].tolist() == [False, True, False]
    assert weights[1].tolist() == [[False, False], [True, True], [False, False]]  # outgoing
    assert not biases[1].any() and not weights[2].any() and not biases[2].any()
    net.set_neuron(1, 1, True)
    assert not any(a.any() for a in (*frozen_parameters(net)[0], *frozen_parameters(net)[1]))


# ----------------------------------------------------------------- training
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [None, 5])
def test_an_off_neuron_does_not_move_and_the_rest_trains_as_without_it(optimizer, batch_size):
    X, y = data("sigmoid")
    net = net_with("tanh")
    kwargs = dict(epochs=15, learning_rate=0.05, optimizer=optimizer, batch_size=batch_size, l2=0.01, l1=0.003,
                  clip_norm=0.5, seed=4)
    small = without_unit(net, 1, 2)
    net.set_neuron(1, 2, False)
    before = owned(net, 1, 2)
    h = net.fit(X, y, **kwargs)
    hs = small.fit(X, y, **kwargs)
    for a, b in zip(owned(net, 1, 2), before):
        np.testing.assert_array_equal(a, b)  # bit for bit: no gradient, no decay, no momentum
    # the live parameters, the loss (penalty of the live weights only) follow the net without the neuron
    np.testing.assert_allclose(h.loss, hs.loss, rtol=1e-12)
    live = without_unit(net, 1, 2)
    for a, b in zip(live.parameters, small.parameters):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_switching_off_mid_run_holds_the_optimizer_state_and_on_again_restores_the_values(optimizer):
    X, y = data("softmax")
    net = net_with("relu", "softmax", hidden=(6,))
    kwargs = dict(learning_rate=0.02, optimizer=optimizer, l2=0.01, l1=0.001)
    net.fit(X, y, epochs=10, **kwargs)  # the neuron's velocity / moments are non-zero now
    opt = net._training.optimizer
    state_before = [v.copy() for v in opt.state_vectors]
    before = owned(net, 1, 4)
    net.set_neuron(1, 4, False)
    net.fit(X, y, epochs=20, **kwargs)
    weights, biases = frozen_parameters(net)
    frozen = np.concatenate([np.concatenate([w.ravel(), b.ravel()]) for w, b in zip(weights, biases)])
    for v, v0 in zip(opt.state_vectors, state_before):
        np.testing.assert_array_equal(v[frozen], v0[frozen])
        assert not np.array_equal(v[~frozen], v0[~frozen])  # the others moved
    net.set_neuron(1, 4, True)
    for a, b in zip(owned(net, 1, 4), before):
        np.testing.assert_array_equal(a, b)


def test_off_and_on_again_trains_exactly_like_never_switched():
    X, y = data("sigmoid")
    a, b = net_with("tanh"), net_with("tanh")
    a.set_neuron(2, 1, False)
    a.set_neuron(1, 0, False)
    a.set_neuron(2, 1, True)
    a.set_neuron(1, 0, True)
    kwargs = dict(epochs=12, learning_rate=0.05, optimizer="adam", batch_size=7, l2=0.01)
    ha, hb = a.fit(X, y, **kwargs), b.fit(X, y, **kwargs)
    assert ha.loss == hb.loss
    assert all(np.array_equal(p, q) for p, q in zip(a.parameters, b.parameters))


def test_switches_belong_to_the_net_copies_and_pickles():
    net = net_with("tanh")
    net.set_neuron(1, 3, False)
    for other in (net.copy(), pickle.loads(pickle.dumps(net)), net.copy()):
        assert [m.tolist() for m in other.masks] == [m.tolist() for m in net.masks]
    other = net.copy()
    other.set_neuron(1, 3, True)  # switching the copy leaves the original alone
    assert other.masks is None and not net.masks[0][3]
    net.reset()
    assert not net.masks[0][3]  # fresh weights, same switches


# ---------------------------------------------------------------- gradients
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_gradient_check_passes_with_a_neuron_off_and_its_gradients_are_zero(activation):
    X, y = data("sigmoid", n=10)
    net = net_with(activation, seed=3)
    net.set_neuron(1, 1, False)
    net.set_neuron(2, 3, False)
    t = net.trace(X)  # central differences need every live z and weight away from a kink (2h = 2e-3)
    live_z = [np.delete(t[0].z, 1, axis=1), np.delete(t[1].z, 3, axis=1)]
    assert min(np.abs(a).min() for a in [*live_z, *net.weights]) > 2e-3, "pick another seed"
    errors = nn_core.gradient_check(net, X, y, l2=0.05, l1=0.01)
    assert max(errors.values()) < 1e-6
    _, gW, gb = net.loss_and_gradients(X, y, l2=0.05, l1=0.01)
    weights, biases = frozen_parameters(net)
    for g, f in zip([*gW, *gb], [*weights, *biases]):
        assert np.all(g[f] == 0.0)
        assert np.all(g[~f] != 0.0) or activation == "relu"  # the live ones do get gradients


# ------------------------------------------------------------------- errors
@pytest.mark.parametrize("layer,unit,match", [
    (0, 0, "Layer 0 is the inputs; only hidden neurons"),
    (3, 0, "Layer 3 is the output layer; only hidden neurons can be switched off \\(layers 1 to 2\\)"),
    (4, 0, "there is no layer 4"),
    (-1, 0, "there is no layer -1"),
    (1, 5, "Hidden layer 1 has units 0 to 4; there is no unit 5"),
    (1.0, 0, "layer must be a whole number"),
    (1, "2", "unit must be a whole number"),
])
def test_bad_neuron_names_are_refused_in_a_sentence(layer, unit, match):
    net = net_with("tanh")
    with pytest.raises(ValueError, match=match):
        net.set_neuron(layer, unit, False)
    assert net.masks is None


def test_bad_masks_and_switch_values_are_refused():
    net = net_with("tanh")
    with pytest.raises(ValueError, match="on must be True"):
        net.set_neuron(1, 0, "off")
    with pytest.raises(ValueError, match="2 hidden layer\\(s\\); got 1 neuron masks"):
        net.set_masks([np.ones(5, dtype=bool)])
    with pytest.raises(ValueError, match="hidden layer 2 must be 4 True"):
        net.set_masks([np.ones(5, dtype=bool), np.ones(3, dtype=bool)])
    with pytest.raises(ValueError, match="no hidden layer"):
        nn_core.MLP([2, 1]).set_neuron(1, 0, False)
