"""The benchmark tasks: one data set recipe, three nets, three training set-ups.

Data: ``X = default_rng(0).standard_normal((n, d))`` and
``y = (X[:, 0] * X[:, 1] + 0.3 * X[:, -1] > 0)``; tanh hidden units, one
sigmoid output, binary cross-entropy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEED = 0  # nn_core's weights and shuffling stream; PyTorch copies both


@dataclass(frozen=True)
class Task:
    name: str
    n: int
    d: int
    hidden: tuple[int, ...]
    epochs: int
    optimizer: str  # "sgd" (plain, no momentum) or "adam"
    learning_rate: float
    batch_size: int | None  # None: full batch

    @property
    def layer_sizes(self) -> list[int]:
        return [self.d, *self.hidden, 1]

    @property
    def shuffle(self) -> bool:
        """Mini-batches are reshuffled every epoch; a full batch is never shuffled."""
        return self.batch_size is not None

    @property
    def batch_sizes(self) -> list[int]:
        """The sizes of one epoch's batches (the last may be short)."""
        if self.batch_size is None:
            return [self.n]
        full, rest = divmod(self.n, self.batch_size)
        return [self.batch_size] * full + ([rest] if rest else [])

    @property
    def updates(self) -> int:
        return self.epochs * len(self.batch_sizes)

    def describe(self) -> str:
        net = "-".join(str(s) for s in self.layer_sizes)
        batch = "full batch" if self.batch_size is None else f"batch {self.batch_size}, shuffled"
        opt = "SGD" if self.optimizer == "sgd" else "Adam"
        return f"{self.n:,} x {self.d}, net {net}, {batch}, {self.epochs} epochs, {opt} lr {self.learning_rate}"


TASKS = {
    t.name: t
    for t in (
        Task("small", 1000, 2, (16, 16), 1000, "sgd", 0.1, None),
        Task("dashboard", 1000, 2, (8, 8), 300, "adam", 0.03, None),
        Task("large", 100_000, 20, (64, 64), 5, "sgd", 0.1, 256),
    )
}


def make_data(task: Task) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` with ``X`` float64 ``(n, d)`` and ``y`` int64 ``(n,)`` in {0, 1}."""
    X = np.random.default_rng(0).standard_normal((task.n, task.d))
    y = (X[:, 0] * X[:, 1] + 0.3 * X[:, -1] > 0).astype(np.int64)
    return X, y
