"""Snapshots: a net's whole training state at one epoch, to rewind to and carry on from.

``snapshot(net)`` copies everything a ``fit`` carries from one call to the
next, plus what the net shows:

- the parameter vector ``theta`` ``(P,)`` and the neuron switches (``masks``);
- the optimizer's name, step count ``t`` and state vectors (``momentum``: the
  velocity, ``P``; ``adam``: ``m`` and ``v``, ``2 P``);
- the schedule, the shuffling stream (``rng.bit_generator.state``) and the
  epoch count;
- early stopping's record (best validation loss, its epoch, its weights
  ``P``, epochs waited) and, after a call that ended on the best weights,
  the weights training had reached (``P``);
- the History's length, so ``restore`` truncates the net's History to it.

``restore(net, snap)`` puts it all back into the net it was taken from, or a
copy of it (``net.copy()``, whose History still holds the snapshot's epochs).
A snapshot of epoch ``k``, taken in ``fit``'s ``on_epoch`` or between calls,
restores the net a fresh ``fit`` of ``k`` epochs with the same settings
ends with, bit for bit: parameters, History and training state (with early
stopping waiting for a better epoch, that is the best weights on show and
the reached ones kept to carry on from). Continuing with the same settings
then reproduces the original run's later epochs bit for bit.

Memory (``Snapshot.nbytes``): ``P * s`` bytes (``s`` the dtype's size) for the
parameters, plus ``P * s`` for momentum or ``2 P * s`` for Adam, plus
``P * s`` for the best weights with early stopping (shared, read-only, by
the snapshots taken while they do not change) and ``P * s`` for reached
weights; at most ``SNAPSHOT_OVERHEAD`` bytes of Python objects besides.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np

from .network import MLP
from .optimizers import make_optimizer
from .stopping import EarlyStopping, EarlyStoppingRecord
from .training import History, _TrainingState

#: An upper bound on the bytes of Python objects a snapshot holds besides its arrays' data (rng state,
#: small fields, array headers): tracemalloc measures 1.6 KB (sgd) to 2.1 KB (adam with early stopping).
SNAPSHOT_OVERHEAD = 4096
_LISTS = tuple(f.name for f in dataclasses.fields(History) if f.type.startswith("list"))


@dataclass(frozen=True, eq=False)
class EarlyStoppingCopy:
    """Early stopping's record at the snapshot: ``best`` is the record's own (read-only) best weights."""

    rule: EarlyStopping
    validation: bytes
    best_loss: float
    best_epoch: int | None
    best: np.ndarray | None
    waited: int


@dataclass(frozen=True, eq=False)
class TrainingCopy:
    """What ``fit`` carries between calls (``training._TrainingState``), copied."""

    optimizer_key: tuple
    optimizer_steps: int
    optimizer_state: tuple[np.ndarray, ...]
    schedule: object
    schedule_key: object
    rng_state: dict
    epoch: int
    early: EarlyStoppingCopy | None
    reached: np.ndarray | None
    shown_is_best: bool


@dataclass(frozen=True, eq=False)
class Snapshot:
    """A net's state after ``epoch`` epochs (see the module docstring); ``restore`` puts it back."""

    epoch: int
    layer_sizes: tuple[int, ...]
    dtype: str
    parameters: np.ndarray
    masks: tuple[np.ndarray, ...] | None
    training: TrainingCopy | None
    history_lengths: dict
    history_status: tuple  # status, message, best_epoch, val_metric_name
    last_loss: float | None

    @property
    def arrays(self) -> list[np.ndarray]:
        """Every array the snapshot holds, each once."""
        found = [self.parameters, *(self.masks or ())]
        t = self.training
        if t is not None:
            found += [*t.optimizer_state, t.reached, t.early.best if t.early else None]
        unique = {id(a): a for a in found if a is not None}
        return list(unique.values())

    @property
    def nbytes(self) -> int:
        """What the snapshot costs in memory: its arrays' bytes plus ``SNAPSHOT_OVERHEAD``."""
        return sum(a.nbytes for a in self.arrays) + SNAPSHOT_OVERHEAD


def snapshot(net: MLP) -> Snapshot:
    """The net's whole training state now: call it in ``fit``'s ``on_epoch`` or between ``fit`` calls."""
    history = net.history
    parameters = net._theta.copy()
    status = (history.status, history.message, history.best_epoch, history.val_metric_name)
    state: _TrainingState | None = net._training
    training = None
    if state is not None:
        early, reached, shown_is_best = None, state.reached, state.shown is not None
        record = state.early
        if record is not None:
            if record.best is not None:
                record.best.flags.writeable = False  # shared with the snapshot: never written in place
            early = EarlyStoppingCopy(record.rule, record.validation, record.best_loss, record.best_epoch,
                                      record.best, record.waited)
            if (0 < record.waited < record.rule.patience and state.reached is None
                    and history.status == "completed"):
                # inside a call (on_epoch): a call of this many epochs would end here on the best weights
                reached, parameters, shown_is_best = parameters, record.best, True
                status = ("completed", record.shown_message(), history.best_epoch, history.val_metric_name)
        training = TrainingCopy(
            state.optimizer_key, state.optimizer.t, tuple(v.copy() for v in state.optimizer.state_vectors),
            state.schedule, state.schedule_key, copy.deepcopy(state.rng.bit_generator.state), state.epoch, early,
            None if reached is None else reached.copy(), shown_is_best,
        )
    masks = net.masks
    return Snapshot(
        epoch=history.epochs, layer_sizes=tuple(net.layer_sizes), dtype=net.dtype, parameters=parameters,
        masks=None if masks is None else tuple(masks), training=training,
        history_lengths={name: len(getattr(history, name)) for name in _LISTS}, history_status=status,
        last_loss=history.loss[-1] if history.loss else None,
    )


def restore(net: MLP, snap: Snapshot) -> None:
    """Put ``snap`` back into ``net``: the net it was taken from, or a copy of it (``net.copy()``).

    The net's History is truncated to the snapshot's epochs; nothing is
    shared with the snapshot, so it can be restored again later.
    """
    if not isinstance(snap, Snapshot):
        raise ValueError(f"restore takes a Snapshot made by snapshot(net); got {type(snap).__name__}.")
    if tuple(net.layer_sizes) != snap.layer_sizes or net.dtype != snap.dtype:
        raise ValueError(
            f"This snapshot is of a {'-'.join(map(str, snap.layer_sizes))} {snap.dtype} net; this net is "
            f"{'-'.join(map(str, net.layer_sizes))} {net.dtype}. Restore it into the net it was taken from."
        )
    history = net.history
    if history.epochs < snap.epoch or (snap.epoch and history.loss[snap.epoch - 1] != snap.last_loss):
        raise ValueError(
            f"This snapshot is of epoch {snap.epoch} of another run than this net's ({history.epochs} epochs "
            "trained). Restore it into the net it was taken from, or a copy of it."
        )
    np.copyto(net._theta, snap.parameters)
    net.set_masks(snap.masks)
    for name, length in snap.history_lengths.items():
        del getattr(history, name)[length:]
    history.status, history.message, history.best_epoch, history.val_metric_name = snap.history_status
    net._training = None if snap.training is None else _rebuild(net, snap.training)


def _rebuild(net: MLP, t: TrainingCopy) -> _TrainingState:
    """A live training state for ``net`` from its copy."""
    name, momentum = t.optimizer_key
    optimizer = make_optimizer(name, [net._theta], 0.9 if momentum is None else momentum)
    optimizer.t = t.optimizer_steps
    for live, saved in zip(optimizer.state_vectors, t.optimizer_state):
        np.copyto(live, saved)
    rng_state = copy.deepcopy(t.rng_state)
    rng = np.random.Generator(getattr(np.random, rng_state["bit_generator"])())
    rng.bit_generator.state = rng_state
    state = _TrainingState(optimizer, t.optimizer_key, t.schedule, t.schedule_key, rng)
    state.epoch = t.epoch
    if t.early is not None:
        record = EarlyStoppingRecord(t.early.rule, t.early.validation)
        record.best_loss, record.best_epoch, record.waited = t.early.best_loss, t.early.best_epoch, t.early.waited
        record.best = None if t.early.best is None else t.early.best.copy()
        state.early = record
        if t.shown_is_best:
            state.shown = record.best
    if t.reached is not None:
        state.reached = t.reached.copy()
    return state
