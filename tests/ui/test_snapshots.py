"""The session's snapshot store: which epochs are kept, and thinning to a byte budget."""

from __future__ import annotations

from dataclasses import dataclass

from ui import snapshots
from ui.snapshots import Store


@dataclass
class Fake:
    nbytes: int


def test_every_early_epoch_is_wanted_then_geometrically_fewer():
    kept = [e for e in range(0, 10_001) if snapshots.wanted(e)]
    assert kept[:51] == list(range(51))
    per_doubling = [sum(1 for e in kept if lo < e <= 2 * lo) for lo in (100, 1000, 4000)]
    assert all(25 <= n <= 50 for n in per_doubling), per_doubling  # PER_DOUBLING = 25 to twice that


def test_the_store_thins_to_its_budget_keeping_each_runs_first_and_last():
    store = Store(budget=100 * 50)
    for epoch in range(300):
        store.add(1, epoch, Fake(100))
        assert store.nbytes <= store.budget
    epochs = store.epochs(1)
    assert epochs[0] == 0 and epochs[-1] == 299 and len(epochs) == 50
    gaps = [b - a for a, b in zip(epochs, epochs[1:])]
    assert gaps[-1] >= gaps[0]  # older stretches are not kept denser than recent ones relative to age...
    assert max(g / e for g, e in zip(gaps, epochs[1:]) if e >= 20) < 0.3  # ...and none is left without moments


def test_two_runs_share_the_budget_and_a_run_too_large_keeps_none():
    store = Store(budget=1000)
    for epoch in range(20):
        store.add(1, epoch, Fake(20))
        store.add(2, epoch, Fake(30))
    assert store.nbytes <= 1000 and store.epochs(1)[0] == 0 and store.epochs(2)[-1] == 19
    store.add(3, 0, Fake(5000))
    assert store.epochs(3) == [] and 3 in store.too_big and "too large" in snapshots.describe(store, 3)


def test_going_back_forgets_the_future_and_get_finds_the_moment_before():
    store = Store(budget=10**6)
    for epoch in (0, 1, 2, 5, 9):
        store.add(1, epoch, Fake(1))
    assert store.get(1, 7) is store.runs[1][5] and store.get(1, -1) is None
    store.forget(1, after=2)
    assert store.epochs(1) == [0, 1, 2]
    store.keep_only([])
    assert store.epochs(1) == []
    assert snapshots.nearest_index([0, 10, 20], 14) == 1 and snapshots.nearest_index([0, 10, 20], 15) == 1
