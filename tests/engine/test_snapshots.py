"""Snapshots: restoring epoch k equals a fresh fit of k epochs, and carrying on equals the original run.

The oracle is always an independent run: a fresh net fitted for k epochs with
the same settings, and the original run itself after epoch k; every
comparison is bit for bit (parameters and every History number but the times).
"""

import tracemalloc

import numpy as np
import pytest

import nn_core
from nn_core.cost import snapshot_bytes
from nn_core.snapshots import SNAPSHOT_OVERHEAD, restore, snapshot

EPOCHS = 30


def halves(seed, n=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + 0.8 * rng.normal(size=n) > 0).astype(int)


def history_numbers(h):
    return (h.loss, h.val_loss, h.val_metric, h.learning_rate, h.grad_mean_abs, h.activation_mean_abs,
            h.status, h.message, h.best_epoch)


def same_parameters(a, b) -> bool:
    return all(np.array_equal(p, q) for p, q in zip(a.parameters, b.parameters))


VAL = halves(1, n=30)
SETTINGS = {
    "full batch sgd": dict(learning_rate=0.1),
    "mini-batch momentum, shuffled, step schedule, l2": dict(
        learning_rate=0.05, optimizer="momentum", batch_size=8, seed=3, l2=0.01,
        schedule=nn_core.StepDecay(step_size=7, gamma=0.5)),
    "adam, validation, early stopping that stops": dict(
        learning_rate=0.05, optimizer="adam", batch_size=8, seed=3, validation_data=VAL, early_stopping=3),
    "adam, cosine, clipping, l1, validation, patience 8": dict(
        learning_rate=0.03, optimizer="adam", batch_size=16, seed=5, l1=0.001, clip_norm=1.0,
        schedule="cosine", validation_data=VAL, early_stopping=8),
    "momentum, validation without early stopping, a neuron off": dict(
        learning_rate=0.05, optimizer="momentum", batch_size=10, seed=2, validation_data=VAL, switch_off=(1, 2)),
}


def new_net(settings):
    net = nn_core.MLP([2, 6, 4, 1], activation="tanh", seed=0)
    if "switch_off" in settings:
        net.set_neuron(*settings["switch_off"], False)
    return net


def fit_kwargs(settings):
    return {k: v for k, v in settings.items() if k != "switch_off"}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_restoring_epoch_k_equals_a_fresh_fit_of_k_and_carrying_on_equals_the_original(name):
    settings = SETTINGS[name]
    X, y = halves(0)
    original = new_net(settings)
    snaps = {0: snapshot(original)}
    original.fit(X, y, epochs=EPOCHS, on_epoch=lambda e, h: snaps.__setitem__(e, snapshot(original)),
                 **fit_kwargs(settings))
    end = original.history
    if "early_stopping" in settings and settings["early_stopping"] == 3:
        assert end.status == "early_stopped" and end.epochs < EPOCHS  # the stop itself is replayed
    for k in sorted(snaps):
        fresh = new_net(settings)
        if k:
            fresh.fit(X, y, epochs=k, **fit_kwargs(settings))
        restored = original.copy()
        restore(restored, snaps[k])
        assert restored.history.epochs == k
        assert history_numbers(restored.history) == history_numbers(fresh.history), k
        assert same_parameters(restored, fresh), k
        if k < EPOCHS:
            restored.fit(X, y, epochs=EPOCHS - k, **fit_kwargs(settings))
        assert history_numbers(restored.history) == history_numbers(end), k
        assert same_parameters(restored, original), k


def test_snapshots_between_calls_and_restored_twice():
    settings = SETTINGS["adam, cosine, clipping, l1, validation, patience 8"]
    X, y = halves(0)
    net = new_net(settings)
    snaps = []
    for _ in range(5):  # calls of 6 epochs, some ending on the best weights
        net.fit(X, y, epochs=6, **fit_kwargs(settings))
        snaps.append(snapshot(net))
    assert any(s.training.reached is not None for s in snaps)
    for i, snap in enumerate(snaps[:-1]):
        for _ in range(2):  # continuing does not touch the snapshot: it restores again
            other = net.copy()
            restore(other, snap)
            other.fit(X, y, epochs=30 - 6 * (i + 1), **fit_kwargs(settings))
            assert history_numbers(other.history) == history_numbers(net.history)
            assert same_parameters(other, net)


def test_a_snapshot_keeps_the_neuron_switches():
    net = nn_core.MLP([2, 5, 1], seed=0)
    net.set_neuron(1, 3, False)
    snap = snapshot(net)
    net.set_neuron(1, 3, True)
    net.set_neuron(1, 0, False)
    restore(net, snap)
    assert net.masks[0].tolist() == [True, True, True, False, True]


@pytest.mark.parametrize("optimizer,vectors", [("sgd", 0), ("momentum", 1), ("adam", 2)])
def test_nbytes_counts_what_the_snapshot_holds(optimizer, vectors):
    X, y = halves(0, n=200)
    net = nn_core.MLP([2, 300, 100, 1], seed=0)
    net.fit(X, y, epochs=2, optimizer=optimizer, validation_data=VAL, early_stopping=50)
    P = net.n_parameters
    tracemalloc.start()
    snap = snapshot(net)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # parameters and optimizer vectors; the best weights are shared with the live record, not copied
    assert held <= (1 + vectors) * P * 8 + SNAPSHOT_OVERHEAD
    assert snap.nbytes == (1 + vectors + 1) * P * 8 + SNAPSHOT_OVERHEAD  # + the best weights it refers to
    assert held >= (1 + vectors) * P * 8


def test_restore_refuses_a_snapshot_of_another_net_or_run():
    X, y = halves(0)
    net = nn_core.MLP([2, 4, 1], seed=0)
    net.fit(X, y, epochs=5)
    snap = snapshot(net)
    with pytest.raises(ValueError, match="2-4-1 float64 net; this net is 2-5-1 float64"):
        restore(nn_core.MLP([2, 5, 1]), snap)
    with pytest.raises(ValueError, match="epoch 5 of another run"):
        restore(nn_core.MLP([2, 4, 1]), snap)
    other = nn_core.MLP([2, 4, 1], seed=1)
    other.fit(X, y, epochs=8)
    with pytest.raises(ValueError, match="another run"):
        restore(other, snap)
    with pytest.raises(ValueError, match="takes a Snapshot"):
        restore(net, net)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_snapshot_bytes_bounds_every_snapshot_of_a_run(optimizer, dtype):
    X, y = halves(0)
    sizes = [2, 7, 5, 1]
    for early in (False, True):
        net = nn_core.MLP(sizes, seed=0, dtype=dtype)
        net.set_neuron(2, 1, False)
        sizes_nbytes = []

        def keep(e, h, net=net, sizes_nbytes=sizes_nbytes):
            sizes_nbytes.append(snapshot(net).nbytes)

        kwargs = dict(validation_data=VAL, early_stopping=4) if early else {}
        net.fit(X, y, epochs=25, learning_rate=0.2, optimizer=optimizer, batch_size=8, on_epoch=keep, **kwargs)
        bound = snapshot_bytes(sizes, optimizer, early, dtype)
        assert max(sizes_nbytes) <= bound
        s = np.dtype(dtype).itemsize
        P = net.n_parameters
        assert bound - max(sizes_nbytes) <= s * P * 2  # tight up to what is not always held
