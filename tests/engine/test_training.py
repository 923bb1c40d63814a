"""The training loop: convergence, determinism, continuation, divergence, early
stopping, callbacks, the mini-batch loss and the History; plus construction
(shapes, initializers, seeds) and the parameter arrays being the live ones."""

import math
import warnings

import numpy as np
import pytest

import nn_core

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def blobs(n=40, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(scale=0.7, size=(n, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)
    return X, y


def regression(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, X @ np.array([3.0, -2.0]) + 1.0 + 0.1 * rng.normal(size=n)


def params_equal(a, b) -> bool:
    return all(p.dtype == q.dtype and np.array_equal(p, q) for p, q in zip(a, b))


def history_numbers(h):
    """Everything in a History except the wall-clock times."""
    return (h.loss, h.val_loss, h.val_metric, h.learning_rate, h.grad_mean_abs, h.activation_mean_abs,
            h.status, h.best_epoch)


def bce(p, y):
    p = np.asarray(p, dtype=np.float64)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


# --------------------------------------------------------------- convergence
def test_xor_2_4_1_tanh_learns_all_four_points():
    net = nn_core.MLP([2, 4, 1], activation="tanh", output="sigmoid", seed=0)
    h = net.fit(XOR_X, XOR_Y, epochs=500, learning_rate=0.05, optimizer="adam")
    assert h.status == "completed" and len(h.loss) == 500
    np.testing.assert_array_equal(net.predict(XOR_X), XOR_Y)
    assert h.loss[-1] < 0.05 < h.loss[0]


def test_noisy_xor_with_mini_batches():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    net = nn_core.MLP([2, 8, 1], activation="tanh", seed=0)
    net.fit(X, y, epochs=300, learning_rate=0.05, optimizer="adam", batch_size=32, seed=0)
    assert np.mean(net.predict(X) == y) >= 0.97


def test_linearly_separable_set_with_logistic_regression():
    X, y = blobs()
    net = nn_core.MLP([2, 1], output="sigmoid", seed=0)
    h = net.fit(X, y, epochs=200, learning_rate=0.5, optimizer="sgd")
    np.testing.assert_array_equal(net.predict(X), y)
    assert all(b <= a + 1e-12 for a, b in zip(h.loss, h.loss[1:]))  # small-step GD on a convex loss


def test_softmax_three_classes_and_regression_converge():
    rng = np.random.default_rng(1)
    centers = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = np.arange(60) % 3
    X = centers[y] + 0.5 * rng.normal(size=(60, 2))
    net = nn_core.MLP([2, 8, 3], activation="relu", output="softmax", seed=0)
    net.fit(X, y, epochs=150, learning_rate=0.05, optimizer="adam")
    np.testing.assert_array_equal(net.predict(X), y)
    proba = net.predict_proba(X)
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)

    Xr, yr = regression()
    reg = nn_core.MLP([2, 1], output="linear", seed=0)
    h = reg.fit(Xr, yr, epochs=300, learning_rate=0.05, optimizer="adam")
    assert h.loss[-1] < 0.02
    np.testing.assert_allclose(reg.weights[0][:, 0], [3.0, -2.0], atol=0.1)
    assert reg.predict(Xr).shape == (30,)


def test_predict_shapes_and_thresholds():
    X, y = blobs(n=10)
    net = nn_core.MLP([2, 3, 1], seed=0)
    p = net.predict_proba(X)
    assert p.shape == (10,)
    np.testing.assert_array_equal(net.predict(X), (p >= 0.5).astype(int))
    np.testing.assert_allclose(net.forward(X)[:, 0], p)
    with pytest.raises(ValueError, match="regression"):
        nn_core.MLP([2, 1], output="linear").predict_proba(X)


# ---------------------------------------------------------------- determinism
def test_same_seed_same_weights_and_history_bit_for_bit():
    X, y = blobs(n=30, seed=2)
    Xv, yv = blobs(n=10, seed=3)
    runs = []
    for _ in range(2):
        net = nn_core.MLP([2, 5, 4, 1], activation="relu", seed=7)
        h = net.fit(X, y, epochs=30, learning_rate=0.01, optimizer="adam", batch_size=8, seed=11,
                    validation_data=(Xv, yv), l2=0.001, schedule="exponential")
        runs.append((net, h))
    (a, ha), (b, hb) = runs
    assert params_equal(a.parameters, b.parameters)
    assert history_numbers(ha) == history_numbers(hb)
    other = nn_core.MLP([2, 5, 4, 1], activation="relu", seed=7)
    other.fit(X, y, epochs=30, learning_rate=0.01, optimizer="adam", batch_size=8, seed=12,
              validation_data=(Xv, yv), l2=0.001, schedule="exponential")
    assert not params_equal(a.parameters, other.parameters)  # the shuffle seed matters


def test_seed_controls_initial_weights_and_reset():
    a = nn_core.MLP([3, 4, 2], output="softmax", seed=5)
    b = nn_core.MLP([3, 4, 2], output="softmax", seed=5)
    c = nn_core.MLP([3, 4, 2], output="softmax", seed=6)
    assert params_equal(a.parameters, b.parameters)
    assert not np.array_equal(a.weights[0], c.weights[0])
    initial = [p.copy() for p in a.parameters]
    X = np.random.default_rng(0).normal(size=(6, 3))
    a.fit(X, np.array([0, 1] * 3), epochs=5, learning_rate=0.1)
    assert not params_equal(a.parameters, initial)
    a.reset()
    assert params_equal(a.parameters, initial)
    assert a.history.loss == []
    a.reset(6)
    assert params_equal(a.parameters, c.parameters)


@pytest.mark.parametrize("schedule", [nn_core.StepDecay(step_size=7, gamma=0.5), "exponential", "step",
                                      "cosine", nn_core.CosineDecay(period=100, min_lr=0.001)])
def test_two_fits_of_50_equal_one_of_100_bit_for_bit(schedule):
    X, y = blobs(n=30, seed=4)
    Xv, yv = blobs(n=8, seed=5)
    kwargs = dict(learning_rate=0.02, optimizer="adam", batch_size=7, shuffle=True, seed=3,
                  schedule=schedule, l2=0.001, validation_data=(Xv, yv))
    one = nn_core.MLP([2, 6, 1], activation="tanh", seed=1)
    h1 = one.fit(X, y, epochs=100, **kwargs)
    two = nn_core.MLP([2, 6, 1], activation="tanh", seed=1)
    two.fit(X, y, epochs=50, **kwargs)
    h2 = two.fit(X, y, epochs=50, **kwargs)
    assert len(h2.loss) == 100
    assert params_equal(one.parameters, two.parameters)
    assert history_numbers(h1) == history_numbers(h2)


def test_momentum_continuation_bit_for_bit():
    X, y = regression(n=20, seed=1)
    one = nn_core.MLP([2, 4, 1], output="linear", seed=2)
    one.fit(X, y, epochs=40, learning_rate=0.01, optimizer="momentum", momentum=0.8)
    two = nn_core.MLP([2, 4, 1], output="linear", seed=2)
    for _ in range(4):
        two.fit(X, y, epochs=10, learning_rate=0.01, optimizer="momentum", momentum=0.8)
    assert params_equal(one.parameters, two.parameters)
    assert one.history.loss == two.history.loss


def test_float32_trains_to_the_float64_loss():
    X, y = blobs(n=30, seed=6)
    n64 = nn_core.MLP([2, 6, 1], activation="tanh", seed=3)
    n32 = nn_core.MLP([2, 6, 1], activation="tanh", seed=3, dtype="float32")
    for W64, W32 in zip(n64.weights, n32.weights):
        assert W32.dtype == np.float32
        np.testing.assert_array_equal(W64.astype(np.float32), W32)  # the same init, cast
    h64 = n64.fit(X, y, epochs=150, learning_rate=0.05, optimizer="adam")
    h32 = n32.fit(X, y, epochs=150, learning_rate=0.05, optimizer="adam")
    assert abs(h32.loss[-1] - h64.loss[-1]) < 1e-3
    assert all(p.dtype == np.float32 for p in n32.parameters)
    assert n32.forward(X).dtype == np.float32


# ---------------------------------------------------------------- divergence
def test_divergence_keeps_a_finite_earlier_step_without_warnings():
    X, y = regression(n=20, seed=2)
    net = nn_core.MLP([2, 8, 1], activation="tanh", output="linear", seed=0)
    seen = [[p.copy() for p in net.parameters]]

    def remember(epoch, history):
        seen.append([p.copy() for p in net.parameters])

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = net.fit(X, 100 * y, epochs=300, learning_rate=50.0, on_epoch=remember)
        net.predict(X)
    assert h.status == "diverged"
    assert "diverged" in h.message
    assert len(h.loss) < 300 and all(math.isfinite(v) for v in h.loss)
    assert all(np.isfinite(p).all() for p in net.parameters)
    finite_steps = [s for s in seen if all(np.isfinite(p).all() for p in s)]
    assert any(params_equal(net.parameters, s) for s in finite_steps)
    # the kept parameters give a finite loss
    assert math.isfinite(net.loss_and_gradients(X, 100 * y)[0])


def test_divergence_float32_no_warnings():
    X, y = regression(n=20, seed=3)
    net = nn_core.MLP([2, 6, 1], output="linear", seed=0, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = net.fit(X, 1e3 * y, epochs=200, learning_rate=10.0, batch_size=5)
    assert h.status == "diverged"
    assert all(np.isfinite(p).all() for p in net.parameters)


def overflowing_step():
    """A one-weight regression whose first update overflows the parameters to inf.

    The first loss is finite (and recorded); the gradient times lr = 1e308 is not.
    """
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    y = np.array([1.0, 2.0, 3.0, 5.0])
    return nn_core.MLP([1, 1], output="linear", seed=0), X, y


def test_parameter_overflow_is_divergence():
    net, X, y = overflowing_step()
    initial = [p.copy() for p in net.parameters]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = net.fit(X, y, epochs=5, learning_rate=1e308)
    assert h.status == "diverged"
    assert params_equal(net.parameters, initial)


def test_parameter_overflow_is_divergence_even_when_on_epoch_asks_to_stop():
    # The update of epoch 1 made every parameter infinite; the run must end
    # "diverged" with finite parameters, not "stopped" with infinite ones.
    net, X, y = overflowing_step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = net.fit(X, y, epochs=5, learning_rate=1e308, on_epoch=lambda epoch, history: False)
    assert all(np.isfinite(p).all() for p in net.parameters), "non-finite parameters kept"
    assert h.status == "diverged"


def test_parameter_overflow_with_early_stopping_patience_1():
    # Validation loss is inf after the first (overflowing) update, so the best
    # weights were never recorded; this must end as a divergence, not a TypeError.
    net, X, y = overflowing_step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = net.fit(X, y, epochs=5, learning_rate=1e308, validation_data=(X, y), early_stopping=1)
    assert h.status == "diverged"
    assert all(np.isfinite(p).all() for p in net.parameters)


# ------------------------------------------------------------ early stopping
def test_early_stopping_restores_the_best_weights():
    rng = np.random.default_rng(0)
    Xt = rng.normal(size=(40, 2))
    yt = (Xt[:, 0] + 0.5 * rng.normal(size=40) > 0).astype(int)
    Xv = rng.normal(size=(40, 2))
    yv = (Xv[:, 0] + 0.5 * rng.normal(size=40) > 0).astype(int)
    net = nn_core.MLP([2, 32, 32, 1], activation="relu", seed=0)
    h = net.fit(Xt, yt, epochs=400, learning_rate=0.02, optimizer="adam",
                validation_data=(Xv, yv), early_stopping=15)
    assert h.status == "early_stopped"
    assert len(h.loss) < 400
    assert len(h.val_loss) == len(h.loss) == len(h.val_metric)
    best = int(np.argmin(h.val_loss))
    assert h.best_epoch == best + 1
    assert len(h.val_loss) == best + 1 + 15  # stopped after `patience` epochs without improvement
    # the val loss at the returned weights, computed here, is the minimum of the history
    assert bce(net.predict_proba(Xv), yv) == pytest.approx(min(h.val_loss), rel=1e-10)
    assert h.val_metric[best] == pytest.approx(np.mean(net.predict(Xv) == yv))
    assert h.val_metric_name == "accuracy"


def test_early_stopping_object_with_min_delta():
    X, y = blobs(n=30, seed=8)
    Xv, yv = blobs(n=10, seed=9)
    net = nn_core.MLP([2, 4, 1], seed=0)
    h = net.fit(X, y, epochs=300, learning_rate=0.05, optimizer="adam", validation_data=(Xv, yv),
                early_stopping=nn_core.EarlyStopping(patience=3, min_delta=0.05))
    assert h.status == "early_stopped"
    assert bce(net.predict_proba(Xv), yv) == pytest.approx(h.val_loss[h.best_epoch - 1], rel=1e-10)


def noisy_halves(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2))
    return X, (X[:, 0] + 0.8 * rng.normal(size=40) > 0).astype(int)


def early_stopped_run(splits, patience=5, **changes):
    """A net trained with early stopping in calls of ``splits`` epochs; ``(net, history, messages)``."""
    X, y = noisy_halves(0)
    kwargs = dict(learning_rate=0.01, optimizer="adam", batch_size=8, seed=3, validation_data=noisy_halves(1),
                  early_stopping=patience) | changes
    net = nn_core.MLP([2, 16, 1], activation="relu", seed=0)
    messages = []
    for epochs in splits:
        h = net.fit(X, y, epochs=epochs, **kwargs)
        messages.append(h.message)
    return net, h, messages


@pytest.mark.parametrize("splits", [[50, 50], [1] * 100, [13, 37, 50], [9, 1, 1, 89]])
def test_continuing_with_early_stopping_equals_one_long_fit(splits):
    one, h1, _ = early_stopped_run([100])
    assert h1.status == "early_stopped" and 5 < len(h1.loss) < 100  # it stops, and not at once
    best = int(np.argmin(h1.val_loss))
    assert h1.best_epoch == best + 1 and len(h1.loss) == best + 1 + 5
    net, h, messages = early_stopped_run(splits)
    assert history_numbers(h) == history_numbers(h1)  # same losses, same stop epoch, same best epoch
    assert params_equal(net.parameters, one.parameters)  # the same restored best weights
    assert h.message == h1.message
    if len(splits) > 2:  # some call ended on the best weights before the stop, and the next went on from the reached ones
        assert any(m.startswith("Restored the weights of epoch") for m in messages)


def test_a_call_that_ends_on_the_best_weights_shows_them():
    X, y = noisy_halves(0)
    Xv, yv = noisy_halves(1)
    net, h, _ = early_stopped_run([11])  # one epoch past the best of a 14-epoch run, before the stop
    assert h.status == "completed" and h.best_epoch < 11
    assert bce(net.predict_proba(Xv), yv) == pytest.approx(min(h.val_loss), rel=1e-10)


def test_after_the_stop_further_calls_train_nothing_until_the_patience_is_raised():
    stopped, h, _ = early_stopped_run([100])
    n_epochs, best = len(h.loss), [p.copy() for p in stopped.parameters]
    X, y = noisy_halves(0)
    kwargs = dict(learning_rate=0.01, optimizer="adam", batch_size=8, validation_data=noisy_halves(1))
    h = stopped.fit(X, y, epochs=10, early_stopping=5, **kwargs)
    assert h.status == "early_stopped" and len(h.loss) == n_epochs and params_equal(stopped.parameters, best)
    # a larger patience keeps the record: it trains on from the best weights and waits 20 epochs in all
    h = stopped.fit(X, y, epochs=100, early_stopping=20, **kwargs)
    assert len(h.loss) > n_epochs
    if h.status == "early_stopped":
        assert len(h.loss) == h.best_epoch + 20


def test_other_validation_data_starts_early_stopping_afresh():
    X, y = noisy_halves(0)
    net, h, _ = early_stopped_run([100])
    n_epochs = len(h.loss)
    h = net.fit(X, y, epochs=3, learning_rate=0.01, optimizer="adam", validation_data=noisy_halves(2),
                early_stopping=5)
    assert h.status == "completed" and len(h.loss) == n_epochs + 3  # the old record had run out
    assert h.best_epoch == n_epochs + 1 + int(np.argmin(h.val_loss[n_epochs:]))  # best of the new data only


def test_weights_changed_between_calls_are_trained_on():
    X, y = noisy_halves(0)
    net, h, _ = early_stopped_run([11])
    assert h.message.startswith("Restored")  # the call ended on the best weights
    net.weights[0][0, 0] = 3.0  # a learner's edit, in place
    edited = [p.copy() for p in net.parameters]
    ref = nn_core.MLP([2, 16, 1], activation="relu", seed=0)
    ref.set_parameters(edited[0::2], edited[1::2])
    for model in (net, ref):  # one update of full-batch SGD, from the edited weights in both
        model._training = None
        model.fit(X, y, epochs=1, learning_rate=0.01)
    assert params_equal(net.parameters, ref.parameters)


def test_validation_metric_r2_for_regression():
    X, y = regression(n=30, seed=4)
    Xv, yv = regression(n=10, seed=5)
    net = nn_core.MLP([2, 1], output="linear", seed=0)
    h = net.fit(X, y, epochs=50, learning_rate=0.05, optimizer="adam", validation_data=(Xv, yv))
    pred = net.predict(Xv)
    r2 = 1 - np.sum((yv - pred) ** 2) / np.sum((yv - yv.mean()) ** 2)
    assert h.val_metric_name == "r2"
    assert h.val_metric[-1] == pytest.approx(r2, rel=1e-10)
    assert h.val_loss[-1] == pytest.approx(np.mean((yv - pred) ** 2), rel=1e-10)


# ------------------------------------------------------------------ on_epoch
def test_on_epoch_false_stops_and_epochs_are_cumulative():
    X, y = blobs(n=20)
    net = nn_core.MLP([2, 3, 1], seed=0)
    seen = []

    def stop_at_4(epoch, history):
        seen.append((epoch, len(history.loss)))
        return epoch < 4

    h = net.fit(X, y, epochs=50, learning_rate=0.1, on_epoch=stop_at_4)
    assert h.status == "stopped"
    assert seen == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert len(h.loss) == 4
    seen.clear()
    h = net.fit(X, y, epochs=3, learning_rate=0.1, on_epoch=lambda e, hist: seen.append(e))
    assert h.status == "completed"
    assert seen == [5, 6, 7] and len(h.loss) == 7


def test_on_epoch_raising_keeps_the_completed_epochs():
    X, y = blobs(n=20, seed=1)
    kwargs = dict(learning_rate=0.05, optimizer="adam", batch_size=6, seed=0)

    def boom(epoch, history):
        if epoch == 3:
            raise RuntimeError("dashboard closed")

    net = nn_core.MLP([2, 3, 1], seed=0)
    with pytest.raises(RuntimeError, match="dashboard closed"):
        net.fit(X, y, epochs=10, on_epoch=boom, **kwargs)
    ref = nn_core.MLP([2, 3, 1], seed=0)
    ref.fit(X, y, epochs=3, **kwargs)
    assert len(net.history.loss) == 3
    assert params_equal(net.parameters, ref.parameters)
    assert net.history.loss == ref.history.loss


# -------------------------------------------------------- mini-batch losses
def test_mini_batch_epoch_loss_is_the_sample_weighted_mean():
    X, y = regression(n=10, seed=6)
    net = nn_core.MLP([2, 4, 1], activation="tanh", output="linear", seed=0)
    replay = nn_core.MLP([2, 4, 1], activation="tanh", output="linear", seed=0)
    h = net.fit(X, y, epochs=3, learning_rate=0.05, batch_size=4, shuffle=False, l2=0.01)
    weighted, unweighted = [], []
    for _ in range(3):
        batch_losses, sizes = [], []
        for start in (0, 4, 8):  # batches of 4, 4 and 2 rows
            xb, yb = X[start : start + 4], y[start : start + 4]
            loss, gW, gb = replay.loss_and_gradients(xb, yb, l2=0.01)
            for p, g in zip(replay.parameters, [g for pair in zip(gW, gb) for g in pair]):
                p -= 0.05 * g
            batch_losses.append(loss)
            sizes.append(len(xb))
        weighted.append(np.dot(batch_losses, sizes) / 10)
        unweighted.append(np.mean(batch_losses))
    np.testing.assert_allclose(h.loss, weighted, rtol=1e-13)
    assert not np.allclose(weighted, unweighted, rtol=1e-6)  # the weighting is visible here
    for p, q in zip(net.parameters, replay.parameters):
        np.testing.assert_allclose(p, q, rtol=1e-13)


def test_shuffle_changes_the_run_and_the_seed_reproduces_it():
    X, y = blobs(n=24, seed=3)

    def run(**kw):
        net = nn_core.MLP([2, 3, 1], seed=0)
        net.fit(X, y, epochs=5, learning_rate=0.1, batch_size=5, **kw)
        return net.parameters

    no_shuffle = run(shuffle=False)
    assert params_equal(run(shuffle=True, seed=1), run(shuffle=True, seed=1))
    assert not params_equal(run(shuffle=True, seed=1), no_shuffle)
    assert not params_equal(run(shuffle=True, seed=1), run(shuffle=True, seed=2))


def test_batch_size_at_least_n_is_full_batch():
    X, y = blobs(n=12, seed=4)
    a = nn_core.MLP([2, 3, 1], seed=0)
    a.fit(X, y, epochs=5, learning_rate=0.1, batch_size=12, seed=3)
    b = nn_core.MLP([2, 3, 1], seed=0)
    b.fit(X, y, epochs=5, learning_rate=0.1)
    assert params_equal(a.parameters, b.parameters)


# ------------------------------------------------------------------ History
@pytest.mark.parametrize("activation", sorted(nn_core.activations.ACTIVATIONS))
def test_history_per_layer_statistics(activation):
    X, y = blobs(n=16, seed=5)
    net = nn_core.MLP([2, 5, 4, 1], activation=activation, seed=0)
    loss0, gW0, _ = net.loss_and_gradients(X, y)
    trace0 = net.trace(X)
    h = net.fit(X, y, epochs=7, learning_rate=0.1)
    assert len(h.loss) == len(h.epoch_time) == len(h.grad_mean_abs) == len(h.activation_mean_abs) == 7
    assert all(len(row) == 3 for row in h.grad_mean_abs + h.activation_mean_abs)
    assert all(t >= 0 for t in h.epoch_time)
    assert h.val_loss == [] and h.val_metric == []
    # full batch: epoch 1's loss and statistics are those of the initial weights
    assert h.loss[0] == pytest.approx(loss0, rel=1e-14)
    np.testing.assert_allclose(h.grad_mean_abs[0], [np.abs(g).mean() for g in gW0], rtol=1e-12)
    np.testing.assert_allclose(h.activation_mean_abs[0], [np.abs(t.a).mean() for t in trace0], rtol=1e-12)


# -------------------------------------------------------------- construction
def test_parameter_shapes_and_zero_biases():
    net = nn_core.MLP([3, 7, 5, 2], activation="tanh", output="softmax", seed=0)
    assert [W.shape for W in net.weights] == [(3, 7), (7, 5), (5, 2)]
    assert [b.shape for b in net.biases] == [(7,), (5,), (2,)]
    assert all(not b.any() for b in net.biases)
    assert all(W.dtype == np.float64 for W in net.weights)
    assert net.n_parameters == 3 * 7 + 7 + 7 * 5 + 5 + 5 * 2 + 2


@pytest.mark.parametrize(
    ("init", "activation", "kind"),
    [("auto", "tanh", "glorot"), ("auto", "sigmoid", "glorot"), ("auto", "linear", "glorot"),
     ("auto", "relu", "he"), ("auto", "leaky_relu", "he"), ("glorot", "relu", "glorot"),
     ("he", "tanh", "he"), ("normal", "tanh", "normal"), ("zeros", "tanh", "zeros")],
)
def test_initializers_have_the_right_distribution(init, activation, kind):
    fan_in, fan_out = 300, 200
    W = nn_core.MLP([fan_in, fan_out, 1], activation=activation, init=init, seed=0).weights[0]
    if kind == "zeros":
        assert not W.any()
        return
    if kind == "glorot":
        r = math.sqrt(6 / (fan_in + fan_out))
        assert np.abs(W).max() <= r and np.abs(W).max() > 0.99 * r
        expected_std = r / math.sqrt(3)
    elif kind == "he":
        expected_std = math.sqrt(2 / fan_in)
        assert np.abs(W).max() > 3 * expected_std  # a normal, not bounded
    else:
        expected_std = 0.01
    assert abs(W.mean()) < 0.05 * expected_std
    assert W.std() == pytest.approx(expected_std, rel=0.02)


def test_writing_into_weights_changes_predictions():
    net = nn_core.MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=0)
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    before = net.predict_proba(X).copy()
    net.weights[0][...] = [[0.5, -1.0], [0.25, 2.0]]
    net.biases[0][...] = [0.1, -0.2]
    net.weights[1][...] = [[1.5], [-0.5]]
    net.biases[1][0] = 0.3
    hidden = np.tanh(X @ np.array([[0.5, -1.0], [0.25, 2.0]]) + [0.1, -0.2])
    expected = 1 / (1 + np.exp(-(hidden @ np.array([1.5, -0.5]) + 0.3)))
    np.testing.assert_allclose(net.predict_proba(X), expected, rtol=1e-14)
    assert not np.allclose(before, expected)
    net.weights[1][0, 0] += 1.0
    assert not np.allclose(net.predict_proba(X), expected)


def test_set_parameters_copies_into_the_live_views():
    net = nn_core.MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=0, dtype="float32")
    views = (net.weights[0], net.biases[1])
    W = [[[0.5, -1.0], [0.25, 2.0]], [[1.5], [-0.5]]]
    b = [[0.1, -0.2], [0.3]]
    net.set_parameters(W, b)
    assert net.weights[0] is views[0] and net.biases[1] is views[1]  # the same views, new values
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    expected = 1 / (1 + np.exp(-(np.tanh(X @ np.array(W[0]) + b[0]) @ np.array(W[1]) + b[1][0])))
    np.testing.assert_allclose(net.predict_proba(X), expected[:, 0], rtol=1e-6)
    before = [p.copy() for p in net.parameters]
    with pytest.raises(ValueError, match=r"weights\[1\] must have shape \(2, 1\); got \(1, 2\)"):
        net.set_parameters([W[0], [[1.5, -0.5]]], b)
    with pytest.raises(ValueError, match="2 weight layer"):
        net.set_parameters(W[:1], b)
    assert params_equal(net.parameters, before)  # a refused call changes nothing
    with pytest.raises(TypeError, match="set_parameters"):
        net.weights[0] = np.zeros((2, 2))  # a new array in a view's place would be silently unused


def test_copies_and_pickles_keep_the_weights_views_of_one_vector():
    import copy
    import pickle

    net = nn_core.MLP([2, 3, 1], seed=0)
    X = np.array([[1.0, 2.0]])
    for other in (net.copy(), copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        other.weights[0][0, 0] += 1.0  # moves the copy's predictions, not the original's
        assert other.predict_proba(X)[0] != net.predict_proba(X)[0]
        other.fit(np.array([[0.0, 1.0], [1.0, 0.0]]), [0, 1], epochs=2, learning_rate=0.1)
        W, b = other.weights, other.biases  # trained, and still the arrays the net computes with
        expected = 1 / (1 + np.exp(-(np.tanh(X @ W[0] + b[0]) @ W[1] + b[1])))
        np.testing.assert_allclose(other.predict_proba(X), expected[:, 0], rtol=1e-14)


def test_repr_names_the_architecture():
    text = repr(nn_core.MLP([2, 16, 16, 1], activation="relu", output="sigmoid"))
    assert "2-16-16-1" in text and "relu" in text and "sigmoid" in text
