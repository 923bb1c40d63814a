"""The cost model against real measurements (tracemalloc) and hand-counted multiply-adds."""

import tracemalloc

import numpy as np
import pytest

import nn_core
from nn_core import cost

RNG = np.random.default_rng(0)


def _peak(fn) -> int:
    """Peak bytes NumPy and Python allocate while ``fn`` runs (after a warm-up call)."""
    fn()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def _data(sizes, n):
    X = RNG.normal(size=(n, sizes[0]))
    y = (X[:, 0] > 0).astype(int) if sizes[-1] == 1 else RNG.integers(0, sizes[-1], n)
    return X, y


def _close(estimate: int, peak: int) -> None:
    # within 30%, and never below the measured peak by more than 2% (+64 KiB for interpreter noise)
    assert 0.7 * peak <= estimate <= 1.3 * peak, (estimate, peak)
    assert estimate >= 0.98 * peak - 65536, (estimate, peak)


@pytest.mark.parametrize(
    ("sizes", "n", "epochs", "batch", "n_val", "optimizer", "early"),
    [
        ([2, 400, 1], 2000, 3, None, 0, "adam", False),
        ([2, 400, 1], 2000, 3, None, 0, "sgd", False),
        ([2, 200, 200, 1], 1000, 3, 64, 0, "adam", False),
        ([2, 200, 200, 1], 1000, 3, None, 500, "adam", True),
        ([10, 64, 3], 3000, 500, None, 0, "momentum", False),
    ],
)
def test_training_memory_matches_tracemalloc(sizes, n, epochs, batch, n_val, optimizer, early):
    X, y = _data(sizes, n)
    Xl = X.tolist()  # a list: fit makes its own float copy, which the estimate counts
    val = _data(sizes, n_val) if n_val else None
    output = "sigmoid" if sizes[-1] == 1 else "softmax"

    def run():
        net = nn_core.MLP(sizes, output=output, seed=0)
        net.fit(Xl, y, epochs=epochs, batch_size=batch, optimizer=optimizer, validation_data=val,
                early_stopping=3 if early else None)

    est = cost.training_cost(sizes, n, epochs, batch_size=batch, validation_rows=n_val, optimizer=optimizer,
                             early_stopping=early)
    _close(est.memory_bytes, _peak(run))


@pytest.mark.parametrize(("sizes", "cells"), [([2, 300, 1], 10_000), ([2, 64, 64, 1], 20_000), ([2, 8, 8, 3], 5_000)])
def test_trace_memory_matches_tracemalloc(sizes, cells):
    net = nn_core.MLP(sizes, output="sigmoid" if sizes[-1] == 1 else "softmax", seed=0)
    X = RNG.normal(size=(cells, 2))
    _close(cost.trace_bytes(sizes, cells), _peak(lambda: net.trace(X)))


def test_prediction_memory_bounds_a_model_predict():
    sizes, n = [3, 200, 1], 20_000
    X, y = _data(sizes, n)
    pre = nn_core.Preprocessing.fit(X, ["a", "b", "c"])
    model = nn_core.Model(pre, nn_core.MLP(sizes, seed=0))
    peak = _peak(lambda: model.predict_proba(X))
    est = cost.prediction_bytes(sizes, n)
    assert peak * 0.98 <= est <= 1.6 * peak, (est, peak)  # an upper bound: the copies depend on the input


def test_multiply_adds_hand_counted():
    # [2, 3, 1]: forward (2+1)*3 + (3+1)*1 = 13; backward 13 (gradient blocks) + 3*1 (delta down) = 16
    assert cost.multiply_adds_per_row([2, 3, 1], backward=False) == 13
    assert cost.multiply_adds_per_row([2, 3, 1]) == 29
    # [3, 4, 5, 2]: forward 4*4 + 5*5 + 6*2 = 53; carried down 4*5 + 5*2 = 30
    assert cost.multiply_adds_per_row([3, 4, 5, 2]) == 2 * 53 + 30
    est = cost.training_cost([3, 4, 5, 2], rows=100, epochs=7, batch_size=30, validation_rows=40)
    assert est.multiply_adds == 7 * (100 * 136 + 40 * 53)
    assert est.updates == 7 * 4  # batches of 30, 30, 30, 10


def test_memory_grows_with_rows_times_width():
    small = cost.training_cost([2, 1000, 1], 1000, 1).memory_bytes
    wide = cost.training_cost([8, 249_999, 1], 460, 1, validation_rows=154).memory_bytes
    assert wide > 100 * small
    # the report: hidden=249999 on diabetes (460 training, 154 validation rows) took the
    # server from 1.2 to 5.1 GB; three (n, h) float64 buffers per row and layer: 24 B x 614 x 250,000
    assert 3e9 < wide < 5e9


def test_widest_layer_within_finds_the_largest_width():
    budget = 50_000_000

    def bytes_of(sizes):
        return cost.training_cost(sizes, 2000, 1).memory_bytes

    w = cost.widest_layer_within([2, 100_000, 1], budget, bytes_of)
    assert bytes_of([2, w, 1]) <= budget < bytes_of([2, w + 1, 1])
    assert cost.widest_layer_within([2, 8, 1], budget, bytes_of) == 8
