"""The training loop: ``fit``, its ``History`` and early stopping.

One epoch with ``batch_size=None`` (full batch) is: forward, record the loss,
backward, update. With mini-batches the rows are shuffled once per epoch from
the run's own random stream and each batch is one update; the epoch's loss is
the sample-weighted mean of its batch losses.

Everything a run needs to carry on (optimizer state, schedule, shuffling
stream, epoch count) lives on the net, so two ``fit`` calls of 50 epochs give
the same numbers, bit for bit, as one of 100.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from .network import MLP, Workspace, all_finite
from .optimizers import OPTIMIZERS, Optimizer, make_optimizer
from .schedules import Schedule, make_schedule
from .validation import (
    check_choice,
    check_features,
    check_labels,
    check_min_samples,
    check_positive_float,
    check_positive_int,
)


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


@dataclass(frozen=True)
class EarlyStopping:
    """Stop when the validation loss has not improved by ``min_delta`` for ``patience`` epochs.

    The best weights (lowest validation loss) are restored at the end.
    """

    patience: int = 10
    min_delta: float = 0.0


@dataclass
class _TrainingState:
    """What carries over from one ``fit`` to the next."""

    optimizer: Optimizer
    optimizer_key: tuple
    schedule: Schedule
    schedule_key: object
    rng: np.random.Generator
    epoch: int = 0


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
    on_epoch : ``f(epoch, history)`` after each epoch (epoch counted from the
        last ``reset``); returning ``False`` stops with status ``stopped``.
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
    full_batch = batch_size is None or batch_size >= n
    val = _prepare_validation(net, validation_data)
    stopper = _make_early_stopping(early_stopping, val is not None)

    state = _training_state(net, optimizer, momentum, schedule, seed)
    history = net.history
    if val is not None and not history.val_metric_name:
        history.val_metric_name = "r2" if net.output == "linear" else "accuracy"
    history.status, history.message = "completed", ""
    params = [net._parameter_vector()]  # every weight and bias, as one vector: one update per step
    snapshot = [p.copy() for p in params]
    workspaces = _workspaces(net, n, None if full_batch else batch_size)
    if full_batch:
        workspaces[n].load(X)  # every epoch is this one batch: loaded once
    val_ws = None
    if val is not None:
        val_ws = Workspace(net, val[0].shape[0])
        val_ws.load(val[0])
    best_loss, best_params, waited = math.inf, None, 0

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for _ in range(epochs):
            lr = state.schedule(lr0, state.epoch)
            started = time.perf_counter()
            if full_batch:
                ws = workspaces[n]
                loss = _step(net, ws, Y, lr, l2, l1, clip_norm, state.optimizer, params, snapshot)
            else:
                ws, loss = _minibatch_epoch(
                    net, workspaces, X, Y, batch_size, shuffle, state.rng, lr, l2, l1, clip_norm,
                    state.optimizer, params, snapshot,
                )
            if not math.isfinite(loss):
                _diverged(history, params, snapshot, state.epoch)
                break
            state.epoch += 1
            _record(history, net, ws, loss, lr, time.perf_counter() - started)
            if val is not None:
                vloss, vmetric = _evaluate(net, val_ws, *val[1:])
                if not math.isfinite(vloss):  # the last update overflowed the parameters
                    _undo_last_epoch(history, state)
                    _diverged(history, params, snapshot, state.epoch)
                    break
                history.val_loss.append(vloss)
                history.val_metric.append(vmetric)
                if stopper is not None:
                    if vloss < best_loss - stopper.min_delta:
                        best_loss, waited = vloss, 0
                        best_params = [p.copy() for p in params]
                        history.best_epoch = state.epoch
                    else:
                        waited += 1
                        if waited >= stopper.patience:
                            for p, b in zip(params, best_params):
                                np.copyto(p, b)
                            history.status = "early_stopped"
                            history.message = (
                                f"Validation loss did not improve for {stopper.patience} epochs; "
                                f"restored the weights of epoch {history.best_epoch}."
                            )
                            break
            if on_epoch is not None:
                if not all_finite(params):  # never show a callback overflowed weights
                    _diverged(history, params, snapshot, state.epoch)
                    break
                try:
                    keep_going = on_epoch(state.epoch, history)
                except BaseException:
                    history.status = "stopped"
                    if not all_finite(params):
                        _diverged(history, params, snapshot, state.epoch)
                    raise
                params = [net._parameter_vector()]  # the callback may have replaced a weight array
                if keep_going is False:
                    history.status = "stopped"
                    history.message = f"Stopped after epoch {state.epoch}."
                    break
        if history.status in ("completed", "stopped") and not all_finite(params):
            _diverged(history, params, snapshot, state.epoch)
        elif history.status == "completed" and best_params is not None and waited > 0:
            # the epochs ran out before the patience did: still end on the best weights
            for p, b in zip(params, best_params):
                np.copyto(p, b)
            history.message = f"Restored the weights of epoch {history.best_epoch}, the lowest validation loss."
    return history


# ------------------------------------------------------------------ one step
def _step(net, ws, Y, lr, l2, l1, clip_norm, optimizer, params, snapshot) -> float:
    """Forward, loss, backward and one update on the batch loaded in ``ws``; returns the batch loss.

    The parameters before the update are copied into ``snapshot`` so a step
    that turns out to diverge can be undone. A non-finite loss skips the update.
    """
    loss = net._loss_and_gradients(ws, Y, l2, l1)
    if not math.isfinite(loss):
        return loss
    grads = [ws.grad]  # laid out as params: every gradient in one vector
    if clip_norm is not None:
        norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
        if norm > clip_norm:
            scale = clip_norm / (norm + 1e-6)  # as torch.nn.utils.clip_grad_norm_
            for g in grads:
                g *= scale
    for p, s in zip(params, snapshot):
        np.copyto(s, p)
    optimizer.step(params, grads, lr)
    return loss


def _minibatch_epoch(net, workspaces, X, Y, batch_size, shuffle, rng, lr, l2, l1, clip_norm,
                     optimizer, params, snapshot):
    n = X.shape[0]
    order = rng.permutation(n) if shuffle else None
    total = 0.0
    ws = None
    for start in range(0, n, batch_size):
        # each shuffled batch is gathered on its own: no shuffled copy of the whole data set
        if order is None:
            xb, yb = X[start : start + batch_size], Y[start : start + batch_size]
        else:
            rows = order[start : start + batch_size]
            xb, yb = np.take(X, rows, axis=0), Y[rows]  # np.take: a faster gather than X[rows]
        ws = workspaces[xb.shape[0]]
        ws.load(xb)
        loss = _step(net, ws, yb, lr, l2, l1, clip_norm, optimizer, params, snapshot)
        if not math.isfinite(loss):
            return ws, loss
        total += loss * xb.shape[0]
    return ws, total / n


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


def _diverged(history: History, params, snapshot, epoch: int) -> None:
    for p, s in zip(params, snapshot):
        np.copyto(p, s)
    history.status = "diverged"
    history.message = (
        f"Training diverged in epoch {epoch + 1}: the loss or a weight stopped being a finite "
        "number. The weights of the last finite step were kept. Try a smaller learning rate, "
        "gradient clipping, or standardized inputs."
    )


def _evaluate(net: MLP, ws: Workspace, Yv: np.ndarray, yv: np.ndarray):
    """Validation loss and metric of the rows loaded in ``ws``."""
    out = net._output(ws)
    loss = net.loss.value(ws.logits, out, Yv)
    if net.output == "sigmoid":
        metric = float(np.mean((out[:, 0] >= 0.5) == (yv == 1)))
    elif net.output == "softmax":
        metric = float(np.mean(out.argmax(axis=1) == yv))
    else:
        ss_res = float(((out - Yv) ** 2).sum())
        ss_tot = float(((Yv - Yv.mean(axis=0)) ** 2).sum())
        metric = 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
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
    if yv.shape[0] != n:
        raise ValueError(f"X_val has {n} rows but y_val has {yv.shape[0]}; they must match.")
    if not (np.issubdtype(yv.dtype, np.number) or yv.dtype == bool):
        raise ValueError("y_val must hold numeric labels.")
    k = 2 if net.output == "sigmoid" else net.n_outputs
    values = np.unique(yv)
    if values.size and (values.min() < 0 or values.max() > k - 1 or np.any(values != np.round(values))):
        raise ValueError(f"y_val holds labels outside 0..{k - 1}.")


def _make_early_stopping(early_stopping, has_validation: bool) -> EarlyStopping | None:
    if early_stopping is None or early_stopping is False:
        return None
    if not has_validation:
        raise ValueError("Early stopping watches the validation loss: pass validation_data too.")
    if isinstance(early_stopping, EarlyStopping):
        check_positive_int(early_stopping.patience, "patience")
        check_positive_float(early_stopping.min_delta, "min_delta", allow_zero=True)
        return early_stopping
    return EarlyStopping(patience=check_positive_int(early_stopping, "early_stopping patience"))


def _workspaces(net: MLP, n: int, batch_size: int | None) -> dict[int, Workspace]:
    if batch_size is None:
        return {n: Workspace(net, n)}
    sizes = {batch_size, n % batch_size} - {0}
    return {s: Workspace(net, s) for s in sizes}


def _training_state(net: MLP, optimizer: str, momentum: float, schedule, seed) -> _TrainingState:
    """The net's carried-over state, or a fresh one for a new run or a changed optimizer."""
    opt_key = (optimizer, momentum if optimizer == "momentum" else None)
    state: _TrainingState | None = net._training
    if state is None:
        rng = np.random.default_rng(seed if seed is not None else net.seed)
        state = _TrainingState(
            optimizer=make_optimizer(optimizer, [net._parameter_vector()], momentum),
            optimizer_key=opt_key,
            schedule=make_schedule(schedule),
            schedule_key=schedule,
            rng=rng,
        )
        net._training = state
        return state
    if state.optimizer_key != opt_key:
        state.optimizer = make_optimizer(optimizer, [net._parameter_vector()], momentum)
        state.optimizer_key = opt_key
    if state.schedule_key != schedule:
        state.schedule = make_schedule(schedule)
        state.schedule_key = schedule
    return state
