"""A run's settings timeline: which training setting changed at which epoch.

A learner may steer a run while it trains (the playground's sliders): the
learning rate, the penalties, the batch size, gradient clipping, the
schedule, the early-stopping patience and the optimizer take effect at the
next step, on the weights the run has (TensorFlow Playground's issue #4).
Changing the optimizer keeps the weights and starts the optimizer's state
(Adam's moments, momentum's velocity) afresh. Everything else (the layers,
an activation, the initialisation, the seed, the split) makes a different
net, so it starts a new run instead.

Each steering change is kept on the run as a ``Change``: from epoch
``epoch`` on (after ``epoch`` epochs trained), ``field`` went from ``old`` to
``new``. Hands-on events join it the same way (``ui.hands_on``): a weight or
bias set by hand (``WeightEdit``), a training point added or removed
(``PointEdit``). ``start_config`` undoes the changes to the settings the run
started with, and ``replay`` trains a fresh copy of the run through the same
events at the same epochs: the same numbers, bit for bit, because ``nn_core``
carries every piece of training state (optimizer, schedule, shuffling
stream, early stopping) from one ``fit`` call to the next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from .runs import Run, new_run, train
from .settings import SETTINGS, TRAIN, TrainConfig

#: ``TrainConfig`` fields that take effect at the next step without a reset.
STEERABLE = ("learning_rate", "optimizer", "batch_size", "l1", "l2", "clip_norm", "schedule", "patience")
#: ``TrainConfig`` fields that only say how much a press trains (not how): never a change of the run.
PER_PRESS = ("epochs",)
#: How the view names each field (the setting's label on the page).
LABELS = {"learning_rate": "learning rate", "optimizer": "optimizer", "batch_size": "batch size",
          "l1": "L1", "l2": "L2", "clip_norm": "gradient clipping", "schedule": "schedule",
          "patience": "early-stopping patience", "hidden": "hidden layers", "activation": "activation",
          "init": "initialisation", "seed": "seed", "val_fraction": "validation share",
          "test_fraction": "test share", "epochs": "epochs"}
_FIELD_OF = {s.field: s for s in SETTINGS if s.part == TRAIN}


@dataclass(frozen=True)
class Change:
    """From epoch ``epoch`` on (that many epochs trained before it), ``field`` is ``new`` instead of ``old``."""

    epoch: int
    field: str
    old: object
    new: object

    def describe(self) -> str:
        """``"epoch 120: learning rate 0.03 -> 0.1"``."""
        return f"epoch {self.epoch:,}: {LABELS.get(self.field, self.field)} {_text(self.field, self.old)} → " \
               f"{_text(self.field, self.new)}"

    def to_list(self) -> list:
        """``[epoch, field, old, new]`` (JSON: the model file's ``run.timeline``)."""
        return [self.epoch, self.field, _plain(self.old), _plain(self.new)]

    @classmethod
    def from_list(cls, item) -> Change:
        """The inverse of ``to_list``; ``ValueError`` with a sentence for anything else."""
        if not (isinstance(item, list) and len(item) == 4 and type(item[0]) is int and item[0] >= 0):
            raise ValueError("A timeline entry is [epoch, setting, old value, new value] with a whole epoch.")
        epoch, name, old, new = item
        if name not in STEERABLE:
            raise ValueError(f"A timeline entry names {name!r}; only {', '.join(STEERABLE)} change during a run.")
        return cls(epoch, name, _field_value(name, old), _field_value(name, new))


@dataclass(frozen=True)
class WeightEdit:
    """At epoch ``epoch``, ``weights[layer][frm, to]`` (or ``biases[layer][to]`` when ``frm`` is None) set to ``value``."""

    epoch: int
    layer: int
    to: int
    frm: int | None
    value: float

    def describe(self) -> str:
        what = f"bias of layer {self.layer + 1} unit {self.to + 1}" if self.frm is None else \
            f"weight {self.frm + 1} → {self.to + 1} into layer {self.layer + 1}"
        return f"epoch {self.epoch:,}: {what} set to {self.value:.4g} by hand"

    def to_list(self) -> list:
        return [self.epoch, "edit", self.layer, self.frm, self.to, self.value]


@dataclass(frozen=True)
class PointEdit:
    """At epoch ``epoch``, a training row ``x`` (raw features) of label ``label`` added or removed."""

    epoch: int
    action: str  # "add" or "remove"
    x: tuple[float, ...]
    label: float

    def describe(self) -> str:
        where = ", ".join(f"{v:.3g}" for v in self.x)
        return f"epoch {self.epoch:,}: a point ({where}) of label {self.label:g} {self.action}{'ed' if self.action == 'add' else 'd'}"

    def to_list(self) -> list:
        return [self.epoch, self.action, list(self.x), self.label]


@dataclass(frozen=True)
class NeuronSwitch:
    """At epoch ``epoch``, hidden neuron ``unit`` of layer ``layer`` (counted as in ``layer_sizes``) switched on or off."""

    epoch: int
    layer: int
    unit: int
    on: bool

    def describe(self) -> str:
        return f"epoch {self.epoch:,}: neuron {self.unit + 1} of hidden layer {self.layer} switched {'on' if self.on else 'off'}"

    def to_list(self) -> list:
        return [self.epoch, "neuron", self.layer, self.unit, self.on]


def event_from_list(item):
    """A timeline entry read back from its list (``to_list``); ``ValueError`` with a sentence for anything else."""
    if not (isinstance(item, list) and len(item) >= 2 and type(item[0]) is int and item[0] >= 0):
        raise ValueError("A timeline entry starts with a whole epoch and says what happened.")
    epoch, kind = item[0], item[1]
    if kind == "edit" and len(item) == 6 and all(type(v) is int or v is None for v in item[2:5]) \
            and _finite(item[5]):
        return WeightEdit(epoch, item[2], item[4], item[3], float(item[5]))
    if kind == "neuron" and len(item) == 5 and type(item[2]) is int and type(item[3]) is int \
            and isinstance(item[4], bool):
        return NeuronSwitch(epoch, item[2], item[3], item[4])
    if kind in ("add", "remove") and len(item) == 4 and isinstance(item[2], list) \
            and all(_finite(v) for v in item[2]) and _finite(item[3]):
        return PointEdit(epoch, kind, tuple(float(v) for v in item[2]), float(item[3]))
    return Change.from_list(item)


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def differences(old: TrainConfig, new: TrainConfig) -> list[str]:
    """The ``TrainConfig`` fields whose values differ (``epochs`` left out: it is per press)."""
    return [f.name for f in fields(old) if f.name not in PER_PRESS and getattr(old, f.name) != getattr(new, f.name)]


def restarting(old: TrainConfig, new: TrainConfig) -> list[str]:
    """The differing fields that make a different net (a new run), in the table's order."""
    return [name for name in differences(old, new) if name not in STEERABLE]


def steer(run: Run, config: TrainConfig) -> list[Change]:
    """Give ``run`` the steerable settings of ``config`` from its next epoch on; the changes made.

    The run must not differ from ``config`` in anything that restarts
    (``restarting``): ``ValueError`` then. An untrained run just takes the new
    settings (nothing has happened yet, so there is nothing to record).
    """
    if restarting(run.config, config):
        raise ValueError("These settings make a different network; start a new run instead of steering this one.")
    changed = [name for name in differences(run.config, config)]
    if not changed:
        return []
    made = [Change(run.epochs, name, getattr(run.config, name), getattr(config, name)) for name in changed]
    run.config = replace(run.config, **{name: getattr(config, name) for name in changed})
    if run.epochs > 0:
        run.timeline.extend(made)
    return made


def start_config(run: Run) -> TrainConfig:
    """The settings ``run`` started with: each steered field at the value before its first change."""
    first: dict[str, object] = {}
    for change in run.timeline:
        if isinstance(change, Change):
            first.setdefault(change.field, change.old)
    return replace(run.config, **first)


def replay(run: Run, epochs: int | None = None, run_id: int | None = None) -> Run:
    """A fresh copy of ``run`` (same data, split and seed) trained ``epochs`` epochs through its timeline.

    ``epochs`` defaults to the run's own count: the copy then holds the same
    parameters and history as ``run``, bit for bit (a run with edits made
    outside training is reproduced when it is an event of the timeline: a
    weight set by hand, a point added or removed).
    """
    from . import hands_on

    epochs = run.epochs if epochs is None else epochs
    dataset = run.base[0] if run.base is not None else run.dataset
    copy = new_run(run.id if run_id is None else run_id, dataset, run.data_spec, run.derived, start_config(run))
    for event in run.timeline:
        if event.epoch > epochs:
            break
        if event.epoch > copy.epochs:
            train(copy, event.epoch - copy.epochs)
        if isinstance(event, Change):
            copy.config = replace(copy.config, **{event.field: event.new})
            copy.timeline.append(event)
        else:
            hands_on.apply(copy, event)
    if epochs > copy.epochs:
        train(copy, epochs - copy.epochs)
    return copy


def _text(name: str, value) -> str:
    if name == "batch_size" and not value:
        return "full batch"
    if name in ("clip_norm", "patience") and not value:
        return "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _field_value(name: str, value):
    """A JSON value read back into the field's type through its setting's kind (``ValueError`` if it does not fit)."""
    setting = _FIELD_OF[name]
    try:
        converted = setting.kind.to_field(setting.kind.read(str(value)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"A timeline entry gives {name} the value {value!r}, which it cannot take.") from exc
    if not setting.allows(converted) or (setting.low is not None and setting.clamp(converted) != converted):
        raise ValueError(f"A timeline entry gives {name} the value {value!r}, outside what the app offers.")
    return converted
