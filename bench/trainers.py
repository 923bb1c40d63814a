"""The four trainers, each doing the same work on a task.

``TRAINERS[name](task, dtype)`` imports its library, builds the data (untimed)
and returns ``train()``, which builds a fresh model with the task's initial
weights, trains it and returns ``(seconds, final_training_loss)``. Only the
training call is timed:

- ``nn_core``: ``MLP(...)`` then the public ``net.fit(...)`` (History on).
- ``sklearn``: ``MLPClassifier.fit`` with the plain solver (``sgd`` with
  ``momentum=0``, or ``adam``), ``alpha=0``, ``tol=0``, no early stopping,
  ``n_iter_no_change=max_iter``, ``batch_size=n`` for full batch, started from
  nn_core's initial weights (zero intercepts) through its ``_init_coef`` hook.
- ``torch``: eager float64 ``nn.Sequential`` of ``Linear``/``Tanh`` with
  ``BCEWithLogitsLoss`` and ``torch.optim.SGD``/``Adam``, nn_core's initial
  weights copied in, and, for mini-batches, nn_core's own shuffling stream, so
  it sees the very same batches; the epoch loss is recorded as nn_core does.
- ``jax`` (``bench.trainer_jax``, optional): the whole loop compiled; its
  ``train()`` also returns a dict with the first call's times (compile included).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .tasks import SEED, Task, make_data

Trainer = Callable[[], tuple]  # (seconds, loss) or (seconds, loss, more timings)


def initial_weights(task: Task) -> list[np.ndarray]:
    """nn_core's initial weights for the task (biases start at zero)."""
    import nn_core

    return [W.copy() for W in nn_core.MLP(task.layer_sizes, seed=SEED).weights]


def nn_core_trainer(task: Task, dtype: str = "float64") -> Trainer:
    import nn_core

    X, y = make_data(task)

    def train() -> tuple[float, float]:
        net = nn_core.MLP(task.layer_sizes, activation="tanh", output="sigmoid", seed=SEED, dtype=dtype)
        start = time.perf_counter()
        history = net.fit(
            X, y, epochs=task.epochs, learning_rate=task.learning_rate, optimizer=task.optimizer,
            batch_size=task.batch_size, shuffle=task.shuffle,
        )
        seconds = time.perf_counter() - start
        assert history.status == "completed", history.message
        return seconds, history.loss[-1]

    return train


def sklearn_trainer(task: Task, dtype: str = "float64") -> Trainer:
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    class StartingFrom(MLPClassifier):
        """``MLPClassifier`` whose initial draw is replaced by given weights and zero intercepts."""

        def _init_coef(self, fan_in, fan_out, dtype):  # sklearn's per-layer initializer (1.9)
            W = self.starting_weights.pop(0)
            return W.astype(dtype, copy=True), np.zeros(fan_out, dtype=dtype)

    X, y = make_data(task)
    X = X.astype(dtype)
    start_weights = initial_weights(task)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # max_iter is the point

    def train() -> tuple[float, float]:
        clf = StartingFrom(
            hidden_layer_sizes=task.hidden, activation="tanh", solver=task.optimizer, alpha=0.0,
            batch_size=task.batch_size or task.n, learning_rate="constant",
            learning_rate_init=task.learning_rate, max_iter=task.epochs, shuffle=task.shuffle,
            random_state=SEED, tol=0.0, momentum=0.0, nesterovs_momentum=False,
            early_stopping=False, n_iter_no_change=task.epochs,
        )
        clf.starting_weights = [W.copy() for W in start_weights]
        start = time.perf_counter()
        clf.fit(X, y)
        seconds = time.perf_counter() - start
        assert clf.n_iter_ == task.epochs and not clf.starting_weights
        return seconds, float(clf.loss_curve_[-1])

    return train


def torch_trainer(task: Task, dtype: str = "float64") -> Trainer:
    import torch

    tdtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
    X, y = make_data(task)
    Xt = torch.from_numpy(X.astype(dtype))
    Yt = torch.from_numpy(y.astype(dtype)).reshape(-1, 1)
    start_weights = initial_weights(task)
    batch = task.batch_size or task.n

    def build() -> torch.nn.Module:
        layers: list[torch.nn.Module] = []
        for i, W in enumerate(start_weights):
            linear = torch.nn.Linear(*W.shape, dtype=tdtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T.copy()))
                linear.bias.zero_()
            layers.append(linear)
            if i < len(start_weights) - 1:
                layers.append(torch.nn.Tanh())
        return torch.nn.Sequential(*layers)

    def train() -> tuple[float, float]:
        model = build()
        if task.optimizer == "sgd":
            opt = torch.optim.SGD(model.parameters(), lr=task.learning_rate)
        else:
            opt = torch.optim.Adam(model.parameters(), lr=task.learning_rate)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        rng = np.random.default_rng(SEED)  # nn_core's shuffling stream: the same batches
        start = time.perf_counter()
        for _ in range(task.epochs):
            Xe, Ye = Xt, Yt
            if task.shuffle:
                order = torch.from_numpy(rng.permutation(task.n))
                Xe, Ye = Xt[order], Yt[order]
            total = 0.0
            for lo in range(0, task.n, batch):
                xb, yb = Xe[lo:lo + batch], Ye[lo:lo + batch]
                opt.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                opt.step()
                total += loss.item() * xb.shape[0]
            epoch_loss = total / task.n
        return time.perf_counter() - start, epoch_loss

    return train


def jax_trainer(task: Task, dtype: str = "float64") -> Trainer:
    from .trainer_jax import jax_trainer as compiled_loop  # its own module: JAX is optional

    return compiled_loop(task, dtype)


TRAINERS: dict[str, Callable[[Task, str], Trainer]] = {
    "nn_core": nn_core_trainer,
    "sklearn": sklearn_trainer,
    "torch": torch_trainer,
    "jax": jax_trainer,
}
