"""A session's training snapshots, to scrub a run back through its past within a byte budget.

While a run trains (the playground, the Train page, lessons), ``record``
keeps a snapshot of its whole training state (``nn_core.snapshots``:
parameters, optimizer state, schedule step, shuffling stream, early
stopping, neuron switches) after epochs chosen by ``wanted``: every epoch
for the first ``DENSE_EPOCHS``, then geometrically thinner (between
``PER_DOUBLING`` and twice that per doubling of the epoch count). The session
holds at most ``budgets.SNAPSHOT_BYTES`` of them across all its runs (a count
is no bound: at the app's 1M-parameter cap one Adam snapshot is 32 MB);
past it, ``thin`` drops the snapshot whose loss costs the least resolution
(the smallest gap relative to its epoch, so old, dense stretches go first),
never a run's first or last. A run whose single snapshot is over the budget
keeps none, and the scrubber says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import budgets

#: Every epoch up to here is kept; later ones thin out geometrically.
DENSE_EPOCHS = 50
#: Snapshots per doubling of the epoch count past ``DENSE_EPOCHS``.
PER_DOUBLING = 25


def wanted(epoch: int) -> bool:
    """Whether a snapshot after ``epoch`` epochs is worth keeping (0 and the first epochs always)."""
    if epoch <= DENSE_EPOCHS:
        return True
    step = 2 ** int(math.log2(epoch / PER_DOUBLING))  # a power of two: the kept epochs stay kept as the run grows
    return epoch % step == 0


@dataclass
class Store:
    """The session's snapshots: ``runs[run_id][epoch] = snapshot`` (anything with ``nbytes``)."""

    budget: int = budgets.SNAPSHOT_BYTES
    runs: dict[int, dict[int, object]] = field(default_factory=dict)
    too_big: set[int] = field(default_factory=set)  # runs whose one snapshot is over the whole budget

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for kept in self.runs.values() for s in kept.values())

    def add(self, run_id: int, epoch: int, snapshot) -> None:
        """Keep ``snapshot`` of run ``run_id`` after ``epoch`` epochs, then thin to the budget."""
        if snapshot.nbytes > self.budget:
            self.too_big.add(run_id)
            self.runs.pop(run_id, None)
            return
        self.runs.setdefault(run_id, {})[epoch] = snapshot
        self.thin()

    def epochs(self, run_id: int) -> list[int]:
        return sorted(self.runs.get(run_id, {}))

    def get(self, run_id: int, epoch: int):
        """The snapshot at ``epoch``, or the nearest kept one before it (None when there is none)."""
        kept = self.runs.get(run_id, {})
        before = [e for e in kept if e <= epoch]
        return kept[max(before)] if before else None

    def forget(self, run_id: int, after: int | None = None) -> None:
        """Drop a run's snapshots (all, or those after epoch ``after``: the run went back in time)."""
        if after is None:
            self.runs.pop(run_id, None)
            self.too_big.discard(run_id)
        else:
            kept = self.runs.get(run_id, {})
            for epoch in [e for e in kept if e > after]:
                del kept[epoch]

    def keep_only(self, run_ids) -> None:
        """Forget the snapshots of runs the session no longer has."""
        for run_id in set(self.runs) - set(run_ids):
            del self.runs[run_id]

    def thin(self) -> None:
        """Drop snapshots until the store fits its budget: the cheapest loss of resolution first."""
        total = self.nbytes
        while total > self.budget:
            victim = None
            for run_id, kept in self.runs.items():
                epochs = sorted(kept)
                for before, epoch, after in zip(epochs, epochs[1:], epochs[2:]):
                    cost = (after - before) / max(epoch, 1)  # the gap left behind, relative to its age
                    if victim is None or cost < victim[0]:
                        victim = (cost, run_id, epoch)
            if victim is None:  # only first and last snapshots are left: drop whole runs, oldest first
                run_id = min(self.runs)
                total -= sum(s.nbytes for s in self.runs.pop(run_id).values())
                continue
            _, run_id, epoch = victim
            total -= self.runs[run_id].pop(epoch).nbytes


def describe(store: Store, run_id: int) -> str:
    """One line for the scrubber: how much of the run's past is kept."""
    if run_id in store.too_big:
        return ("This network is too large to keep its past within the session's memory budget "
                f"({budgets.SNAPSHOT_BYTES / budgets.MB:,.0f} MB), so it cannot be scrubbed back.")
    epochs = store.epochs(run_id)
    size = sum(store.runs[run_id][e].nbytes for e in epochs) if epochs else 0
    return (f"{len(epochs):,} moments of this run kept ({size / budgets.MB:,.1f} MB of the session's "
            f"{budgets.SNAPSHOT_BYTES / budgets.MB:,.0f} MB): every epoch up to {DENSE_EPOCHS}, then "
            f"about {PER_DOUBLING} per doubling of the epochs.")


def nearest_index(epochs: list[int], epoch: int) -> int:
    """Index of the kept epoch closest to ``epoch`` (ties to the earlier)."""
    return min(range(len(epochs)), key=lambda i: (abs(epochs[i] - epoch), epochs[i])) if epochs else 0

