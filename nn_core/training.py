"""The training loop: ``fit`` and its ``History``.

One epoch with ``batch_size=None`` (full batch) is: forward, record the loss,
backward, update. With mini-batches the rows are shuffled once per epoch from
the run's own random stream and each batch is one update; the epoch's loss is
the sample-weighted mean of its batch losses.

Each epoch is: step (``_Steps``), record (``_record``), validate
(``_evaluate``), stop (early stopping and the divergence guard, in
``stopping.py``), then the ``on_epoch`` callback. Everything a run needs to
carry on (optimizer state, schedule, shuffling stream, epoch count, early
stopping's record) lives on the net (``_TrainingState``), so two ``fit`` calls
of 50 epochs give the same numbers, bit for bit, as one of 100.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from .metrics import r2_score
from .network import MLP, all_finite
from .optimizers import OPTIMIZERS, Optimizer, make_optimizer
from .schedules import Schedule, make_schedule
from .stopping import DivergenceGuard, EarlyStopping, EarlyStoppingRecord, early_stopping_rule
from .validation import (
    check_choice,
    check_features,
    check_labels,
    check_min_samples,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from .workspace import Workspace, split_parameters


@dataclass
class History:
    """What happened in training, one entry per completed epoch.

    ``loss`` is the training objective (mean data loss plus the L1/L2
    penalty); ``val_loss`` the mean data loss on the validation data;
    ``val_metric`` accuracy (classifiers) or R^2 (regression) on it.
    ``grad_mean_abs[e][i]`` and ``activation_mean_abs[e][i]`` are the mean
    absolute weight gradient and activation of layer ``i`` at epoch ``e``
    (from the epoch's last batch), which show vanishing gradients.
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_metric: list[float] = field(default_factory=list)
    val_metric_name: str = ""
    learning_rate: list[float] = field(default_factory=list)
    epoch_time: list[float] = field(default_factory=list)
    grad_mean_abs: list[list[float]] = field(default_factory=list)
    activation_mean_abs: list[list[float]] = field(default_factory=list)
    status: str = "completed"
    message: str = ""
    best_epoch: int | None = None

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def to_dict(self) -> dict:
        return asdict(self)


def fit(
    net: MLP,
    X,
    y,
    *,
    epochs: int = 100,
    learning_rate: float = 0.01,
    optimizer: str = "sgd",
    momentum: float = 0.9,
    batch_size: int | None = None,
    l2: float = 0.0,
    l1: float = 0.0,
    schedule=None,
    clip_norm: float | None = None,
    validation_data: tuple | None = None,
    early_stopping: int | EarlyStopping | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    on_epoch: Callable[[int, History], bool | None] | None = None,
) -> History:
    """Train ``net`` in place and return its accumulated ``History``.

    Parameters
    ----------
    X : ``(n, n_inputs)`` features.  y : labels fitting the output (see ``MLP``).
    epochs : passes over the data in this call.
    learning_rate : base step size (``> 0``); ``schedule`` scales it per epoch.
    optimizer : ``sgd``, ``momentum`` (with ``momentum``) or ``adam``.
    batch_size : ``None`` for full batch, else rows per update.
    l2, l1 : penalties on the weights (not biases), added as gradient terms.
    schedule : ``None``, ``step``, ``exponential``, ``cosine`` or a schedule object.
    clip_norm : rescale the whole gradient when its global L2 norm exceeds this.
    validation_data : ``(X_val, y_val)``, evaluated after every epoch.
    early_stopping : patience (int) or ``EarlyStopping``; needs validation data.
        The net ends on the weights of the lowest validation loss, whether the
        patience ran out or the epochs did.
    shuffle, seed : shuffle mini-batches from a stream seeded once per run.
        A switched-off neuron (``MLP.set_neuron``) keeps its parameters and
        their optimizer state exactly as they are (see ``masks``).
    on_epoch : ``f(epoch, history)`` after each epoch (epoch counted from the
        last ``reset``); returning ``False`` stops with status ``stopped``.

    Continuing: the net keeps its training state between calls (optimizer
    state, schedule, shuffling stream, epoch count and early stopping's record:
    best validation loss, best weights, epochs without improvement), so calls
    of ``e_1, e_2, ...`` epochs equal one call of their sum, bit for bit, early
    stopping included. A call that ends on the best weights keeps the weights
    training had reached and the next call continues from those, unless the
    weights were changed in between. Once the patience has run out, a further
    call trains no epoch and says so. Between calls:

    - ``learning_rate``, ``l1``, ``l2``, ``batch_size``, ``clip_norm`` and
      ``shuffle`` may change: they apply from the next step on, the optimizer
      state carries on (as changing a PyTorch param group's ``lr``).
    - another ``optimizer`` (or ``momentum`` coefficient) keeps the weights and
      starts a fresh optimizer state; another ``schedule`` applies from the
      current epoch on. ``seed`` is read only when the run starts.
    - a changed ``patience`` or ``min_delta`` applies from the next epoch and
      keeps the record (so raising the patience after a stop trains on from the
      restored best weights); other validation data, or a call without early
      stopping, starts early stopping afresh. ``net.reset()`` forgets it all.
    """
    epochs = check_positive_int(epochs, "epochs")
    lr0 = check_positive_float(learning_rate, "learning_rate")
    check_choice(optimizer, "optimizer", OPTIMIZERS)
    l2 = check_positive_float(l2, "l2", allow_zero=True)
    l1 = check_positive_float(l1, "l1", allow_zero=True)
    if optimizer == "momentum":
        momentum = check_positive_float(momentum, "momentum", allow_zero=True)
        if momentum >= 1:
            raise ValueError(f"momentum must be below 1; got {momentum}.")
    if clip_norm is not None:
        clip_norm = check_positive_float(clip_norm, "clip_norm")
    X = check_features(X, net.n_inputs, net.dtype)
    n = X.shape[0]
    check_min_samples(n)
    Y = net.loss.encode(check_labels(y, net.output, net.n_outputs, n), net.n_outputs, net.dtype)
    if batch_size is not None:
        batch_size = check_positive_int(batch_size, "batch_size")
    seed = check_seed(seed)
    val = _prepare_validation(net, validation_data)
    rule = early_stopping_rule(early_stopping, val is not None)

    state = _training_state(net, optimizer, momentum, schedule, seed)
    stopper = state.early_stopping_record(rule, val)
    history = net.history
    if val is not None and not history.val_metric_name:
        history.val_metric_name = "r2" if net.output == "linear" else "accuracy"
    history.status, history.message = "completed", ""
    state.resume(net)
    guard = DivergenceGuard(net)
    steps = _Steps(net, X, Y, batch_size, shuffle, l2, l1, clip_norm, state, guard)
    val_ws = None
    if val is not None:
        val_ws = Workspace(net, val[0].shape[0])
        val_ws.load(val[0])
    if stopper is not None and stopper.ran_out():  # an earlier call stopped: so would one long fit
        stopper.stop(net, history)
        return history

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for _ in range(epochs):
            lr = state.schedule(lr0, state.epoch)
            started = time.perf_counter()
            ws, loss = steps.epoch(lr)  # step
            if not math.isfinite(loss):
                guard.roll_back(history, state.epoch)
                break
            state.epoch += 1
            _record(history, net, ws, loss, lr, time.perf_counter() - started)  # record
            if val is not None:
                vloss, vmetric = _evaluate(net, val_ws, *val[1:])  # validate
                if not math.isfinite(vloss):  # the last update overflowed the parameters
                    _undo_last_epoch(history, state)
                    guard.roll_back(history, state.epoch)
                    break
                history.val_loss.append(vloss)
                history.val_metric.append(vmetric)
                if stopper is not None and stopper.update(vloss, net, state.epoch, history):  # stop
                    stopper.stop(net, history)
                    break
            if on_epoch is not None and not _call_back(on_epoch, net, state.epoch, history, guard):
                break
        _finish(net, history, state, stopper, guard)
    return history


# ------------------------------------------------------------------ one step
class _Steps:
    """The loop's step: one epoch of forward, backward and update, on one batch or on mini-batches.

    Holds what stays fixed during a call: the data, the per-step settings and
    one ``Workspace`` per batch size.
    """

    def __init__(self, net, X, Y, batch_size, shuffle, l2, l1, clip_norm, state, guard):
        n = X.shape[0]
        self.full_batch = batch_size is None or batch_size >= n
        sizes = {n} if self.full_batch else {batch_size, n % batch_size} - {0}
        self.workspaces = {s: Workspace(net, s) for s in sizes}
        if self.full_batch:
            self.workspaces[n].load(X)  # every epoch is this one batch: loaded once
        self.net, self.X, self.Y, self.batch_size = net, X, Y, batch_size
        self.shuffle, self.rng = shuffle, state.rng
        self.l2, self.l1, self.clip_norm = l2, l1, clip_norm
        self.optimizer, self.guard = state.optimizer, guard
        self.params = [net._theta]  # every weight and bias, as one vector: one update per step

    def epoch(self, lr: float) -> tuple[Workspace, float]:
        """One pass over the rows at rate ``lr``: the last batch's workspace and the epoch's loss.

        With mini-batches the epoch's loss is the sample-weighted mean of the
        batch losses; a non-finite batch loss ends the epoch at once.
        """
        X, Y = self.X, self.Y
        n = X.shape[0]
        if self.full_batch:
            ws = self.workspaces[n]
            return ws, self._step(ws, Y, lr)
        order = self.rng.permutation(n) if self.shuffle else None
        total = 0.0
        for start in range(0, n, self.batch_size):
            # each shuffled batch is gathered on its own: no shuffled copy of the whole data set
            if order is None:
                xb, yb = X[start : start + self.batch_size], Y[start : start + self.batch_size]
            else:
                rows = order[start : start + self.batch_size]
                xb, yb = np.take(X, rows, axis=0), Y[rows]  # np.take: a faster gather than X[rows]
            ws = self.workspaces[xb.shape[0]]
            ws.load(xb)
            loss = self._step(ws, yb, lr)
            if not math.isfinite(loss):
                return ws, loss
            total += loss * xb.shape[0]
        return ws, total / n

    def _step(self, ws: Workspace, Y: np.ndarray, lr: float) -> float:
        """Forward, loss, backward and one update on the batch loaded in ``ws``; returns the batch loss.

        A non-finite loss skips the update; the guard keeps the parameters
        from before it, in case the update itself overflows.
        """
        loss = self.net._loss_and_gradients(ws, Y, self.l2, self.l1)
        if not math.isfinite(loss):
            return loss
        grad = ws.grad  # laid out as the parameters: every gradient in one vector
        if self.clip_norm is not None:
            norm = math.sqrt(float(np.vdot(grad, grad)))
            if norm > self.clip_norm:
                grad *= self.clip_norm / (norm + 1e-6)  # as torch.nn.utils.clip_grad_norm_
        self.guard.save()
        switches = self.net._switches
        if switches is None:
            self.optimizer.step(self.params, [grad], lr)
        else:  # frozen parameters and their optimizer state stay as they are
            switches.held_step(self.optimizer, self.params, [grad], lr)
        return loss


def _call_back(on_epoch, net: MLP, epoch: int, history: History, guard: DivergenceGuard) -> bool:
    """Call ``on_epoch(epoch, history)``; False when training stops (the callback said so, or a weight overflowed)."""
    if not all_finite([net._theta]):  # never show a callback overflowed weights
        guard.roll_back(history, epoch)
        return False
    try:
        keep_going = on_epoch(epoch, history)
    except BaseException:
        history.status = "stopped"
        if not all_finite([net._theta]):
            guard.roll_back(history, epoch)
        raise
    if keep_going is False:
        history.status = "stopped"
        history.message = f"Stopped after epoch {epoch}."
        return False
    return True


def _finish(net: MLP, history: History, state: _TrainingState, stopper, guard: DivergenceGuard) -> None:
    """End the call on finite weights, and on the best ones when early stopping watched."""
    if history.status in ("completed", "stopped") and not all_finite([net._theta]):
        guard.roll_back(history, state.epoch)
    elif history.status == "completed" and stopper is not None and stopper.waited > 0:
        # the epochs ran out before the patience did: still end on the best weights
        state.show_best(net, stopper)
        history.message = stopper.shown_message()


# -------------------------------------------------------------- bookkeeping
def _record(history: History, net: MLP, ws: Workspace, loss: float, lr: float, seconds: float) -> None:
    history.loss.append(loss)
    history.learning_rate.append(lr)
    history.epoch_time.append(seconds)
    history.grad_mean_abs.append(_weight_grad_mean_abs(ws))
    history.activation_mean_abs.append(_activation_mean_abs(net, ws))


def _weight_grad_mean_abs(ws: Workspace) -> list[float]:
    """``mean(|dL/dW_i|)`` per layer, from one pass over the gradient vector.

    ``ws.segments`` starts each of ``W_0, b_0, W_1, b_1, ...`` in it; every other sum is a weight's.
    """
    sums = np.add.reduceat(np.abs(ws.grad, out=ws.grad_abs), ws.segments)[0::2]
    return (sums / ws.weight_sizes).tolist()


def _activation_mean_abs(net: MLP, ws: Workspace) -> list[float]:
    """``mean(|a_i|)`` per layer. Overwrites ``ws.a`` with ``|a|``: the step is done with it."""
    means = []
    for i, a in enumerate(ws.a):
        if not net.layer_activation(i).nonnegative:
            a = np.abs(a, out=a)
        means.append(float(np.add.reduce(a, axis=None)) / a.size)
    return means


def _undo_last_epoch(history: History, state: _TrainingState) -> None:
    """Forget the epoch just recorded (its update is being undone)."""
    state.epoch -= 1
    for values in (history.loss, history.learning_rate, history.epoch_time, history.grad_mean_abs,
                   history.activation_mean_abs):
        values.pop()


def _evaluate(net: MLP, ws: Workspace, Yv: np.ndarray, yv: np.ndarray):
    """Validation loss and metric of the rows loaded in ``ws``."""
    out = net._output(ws)
    loss = net.loss.value(ws.logits, out, Yv)
    if net.output == "sigmoid":
        metric = float(np.mean((out[:, 0] >= 0.5) == (yv == 1)))
    elif net.output == "softmax":
        metric = float(np.mean(out.argmax(axis=1) == yv))
    else:
        metric = r2_score(Yv, out)
    return loss, metric


def _prepare_validation(net: MLP, validation_data):
    if validation_data is None:
        return None
    try:
        Xv, yv = validation_data
    except (TypeError, ValueError):
        raise ValueError("validation_data must be a pair (X_val, y_val).") from None
    Xv = check_features(Xv, net.n_inputs, net.dtype, name="X_val")
    yv = np.asarray(yv)
    if net.output in ("sigmoid", "softmax"):
        # validation may hold a single class; only the label values are checked
        _check_val_labels(net, yv, Xv.shape[0])
        yv = yv.reshape(-1)
    else:
        yv = check_labels(yv, net.output, net.n_outputs, Xv.shape[0])
    Yv = net.loss.encode(yv, net.n_outputs, net.dtype)
    return Xv, Yv, yv


def _check_val_labels(net: MLP, yv: np.ndarray, n: int) -> None:
    if yv.ndim not in (1, 2) or (yv.ndim == 2 and yv.shape[1] != 1):
        raise ValueError(f"y_val takes one label per row, shape ({n},); got shape {yv.shape}.")
    if yv.shape[0] != n:
        raise ValueError(f"X_val has {n} rows but y_val has {yv.shape[0]}; they must match.")
    if yv.dtype.kind not in "biuf":
        raise ValueError("y_val must hold numeric labels.")
    k = 2 if net.output == "sigmoid" else net.n_outputs
    values = np.unique(yv)
    if values.size and (values.min() < 0 or values.max() > k - 1 or np.any(values != np.round(values))):
        raise ValueError(f"y_val holds labels outside 0..{k - 1}.")


class _TrainingState:
    """What carries over from one ``fit`` to the next (``net._training``; ``reset`` drops it).

    The optimizer and its state, the schedule, the shuffling stream, the
    epoch count, early stopping's record, and the weights training had
    reached when a call ended on the best ones (``reached``, with ``shown``,
    the weights it ended on).
    """

    def __init__(self, optimizer: Optimizer, optimizer_key: tuple, schedule: Schedule, schedule_key,
                 rng: np.random.Generator):
        self.optimizer, self.optimizer_key = optimizer, optimizer_key
        self.schedule, self.schedule_key = schedule, schedule_key
        self.rng = rng
        self.epoch = 0
        self.early: EarlyStoppingRecord | None = None
        self.reached: np.ndarray | None = None
        self.shown: np.ndarray | None = None

    def early_stopping_record(self, rule: EarlyStopping | None, val) -> EarlyStoppingRecord | None:
        """The record to carry on with: the same one unless the validation data changed (or no early stopping)."""
        if rule is None:
            self.early = None
        else:
            fingerprint = _fingerprint(val[0], val[1])
            if self.early is None or self.early.validation != fingerprint:
                self.early = EarlyStoppingRecord(rule, fingerprint)
            self.early.rule = rule  # a changed patience or min_delta applies from the next epoch
        return self.early

    def show_best(self, net: MLP, record: EarlyStoppingRecord) -> None:
        """End a call on the best weights, keeping the reached ones for the next call."""
        self.reached = net._theta.copy()
        self.shown = record.best
        net.set_parameters(*split_parameters(record.best, net.layer_sizes))

    def resume(self, net: MLP) -> None:
        """Put back the weights training had reached, if the net still shows the best ones."""
        if self.reached is not None and np.array_equal(net._theta, self.shown):
            net.set_parameters(*split_parameters(self.reached, net.layer_sizes))
        self.reached = self.shown = None


def _training_state(net: MLP, optimizer: str, momentum: float, schedule, seed) -> _TrainingState:
    """The net's carried-over state, or a fresh one for a new run; a changed optimizer starts its state afresh."""
    opt_key = (optimizer, momentum if optimizer == "momentum" else None)
    state: _TrainingState | None = net._training
    if state is None:
        state = _TrainingState(
            make_optimizer(optimizer, [net._theta], momentum), opt_key, make_schedule(schedule), schedule,
            np.random.default_rng(seed if seed is not None else net.seed),
        )
        net._training = state
        return state
    if state.optimizer_key != opt_key:
        state.optimizer = make_optimizer(optimizer, [net._theta], momentum)
        state.optimizer_key = opt_key
    if state.schedule_key != schedule:
        state.schedule = make_schedule(schedule)
        state.schedule_key = schedule
    return state


def _fingerprint(*arrays: np.ndarray) -> bytes:
    """A digest of the arrays' shapes and values: equal data, equal fingerprint."""
    digest = hashlib.blake2b(digest_size=16)
    for a in arrays:
        digest.update(repr((a.shape, a.dtype.str)).encode())
        digest.update(np.ascontiguousarray(a).tobytes())
    return digest.digest()
