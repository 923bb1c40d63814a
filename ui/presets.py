"""Training presets and the values the Train page's settings may take.

A preset is a row of a small table: a name, one sentence on what it teaches,
a full ``TrainConfig`` and, for the few that need their own data, the data
settings to switch to. ``apply`` writes them into the session through
``ui.state`` (the page calls it from a button's callback, so the widgets pick
the values up on the rerun). ``fit_settings`` snaps settings that came from a
link or an older session onto the choices the widgets offer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import state
from .runs import ACTIVATIONS, INITS, OPTIMIZERS, SCHEDULES, TrainConfig

#: Learning rates offered (TensorFlow Playground's ladder).
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: L2 / L1 penalty strengths offered (0 = off).
PENALTIES = (0.0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: Output layer and loss for each problem type (the output is derived, never chosen).
OUTPUT_LABELS = {
    "binary": "sigmoid + binary cross-entropy",
    "multiclass": "softmax + categorical cross-entropy",
    "regression": "linear + mean squared error",
}
MAX_EPOCHS = 100_000
SPLIT_RANGE = (0.0, 0.5)


@dataclass(frozen=True)
class Preset:
    """A named starting point: training settings, and optionally the data to use them on."""

    name: str
    description: str
    config: TrainConfig
    data: dict[str, object] = field(default_factory=dict)  # data settings (ui.state keys) to set


ARTICLE_NEURON = "The article's single neuron"

PRESETS: tuple[Preset, ...] = (
    Preset(
        "Defaults: 2 x 8 tanh, Adam",
        "Two hidden layers of 8 tanh units trained by Adam at 0.03 for 300 full-batch epochs: "
        "a sound first try on small tabular data.",
        TrainConfig(),
    ),
    Preset(
        ARTICLE_NEURON,
        "The seed article's model done right: one sigmoid neuron on Glucose and BloodPressure "
        "(the bundled diabetes data), trained by plain gradient descent, but on standardized "
        "inputs with binary cross-entropy and judged on held-out rows.",
        TrainConfig(hidden=(), activation="sigmoid", optimizer="sgd", learning_rate=0.3, epochs=300),
        {state.SOURCE: "bundled", state.BUNDLED: "diabetes", state.PROBLEM: "auto", state.DERIVED: []},
    ),
    Preset(
        "Wide ReLU net, mini-batches",
        "Two layers of 32 ReLU units, updated every 32 rows: more updates per epoch, a noisier "
        "but often faster descent.",
        TrainConfig(hidden=(32, 32), activation="relu", learning_rate=0.01, epochs=100, batch_size=32),
    ),
    Preset(
        "Regularized, early stopping",
        "A bigger net held back by an L2 penalty, stopped when the validation loss has not "
        "improved for 20 epochs (the best epoch's weights are kept).",
        TrainConfig(hidden=(32, 32), learning_rate=0.01, epochs=1000, l2=0.001, patience=20),
    ),
    Preset(
        "Deep sigmoid net (vanishing gradients)",
        "Five layers of 6 sigmoid units with plain SGD: the gradient shrinks layer by layer, so "
        "the loss hardly moves for a long time. Compare with tanh or ReLU.",
        TrainConfig(hidden=(6, 6, 6, 6, 6), activation="sigmoid", optimizer="sgd", learning_rate=0.3,
                    epochs=500),
    ),
)
PRESET_NAMES = tuple(p.name for p in PRESETS)


def preset(name: str) -> Preset:
    return next(p for p in PRESETS if p.name == name)


def apply(name: str) -> None:
    """Set the session's training settings (and, if the preset has them, data settings)."""
    chosen = preset(name)
    state.apply_config(chosen.config)
    for key, value in chosen.data.items():
        state.set_setting(key, list(value) if isinstance(value, list) else value)


def nearest(value: float, options: tuple[float, ...]) -> float:
    """The option closest to ``value`` (on a log scale for positive values)."""

    def distance(option: float) -> float:
        if value > 0 and option > 0:
            return abs(math.log(option) - math.log(value))
        return abs(option - value) + (1e9 if (value > 0) != (option > 0) else 0.0)

    return min(options, key=distance)


def fit_settings() -> None:
    """Put every training setting onto a value its widget offers (a link may carry any number)."""
    try:
        lr = float(state.setting(state.LEARNING_RATE))
    except (TypeError, ValueError):
        lr = TrainConfig.learning_rate
    _put(state.LEARNING_RATE, nearest(lr, LEARNING_RATES))
    for key in (state.L2, state.L1):
        try:
            value = float(state.setting(key))
        except (TypeError, ValueError):
            value = 0.0
        _put(key, nearest(value, PENALTIES))
    for key, options in ((state.ACTIVATION, ACTIVATIONS), (state.OPTIMIZER, OPTIMIZERS),
                         (state.SCHEDULE, SCHEDULES), (state.INIT, INITS)):
        state.fit_choice(key, options, state.TRAIN_SETTINGS[key])
    for key, low, high in ((state.EPOCHS, 1, MAX_EPOCHS), (state.BATCH_SIZE, 0, 1_000_000),
                           (state.PATIENCE, 0, 10_000), (state.TRAIN_SEED, 0, 2**31 - 1)):
        _put(key, _clamp_int(state.setting(key), low, high, state.TRAIN_SETTINGS[key]))
    for key in (state.VAL_FRACTION, state.TEST_FRACTION):
        try:
            value = float(state.setting(key))
        except (TypeError, ValueError):
            value = float(state.TRAIN_SETTINGS[key])
        _put(key, min(max(value, SPLIT_RANGE[0]), SPLIT_RANGE[1]))


def _put(key: str, value) -> None:
    """Write a setting only when it changes (a widget's value is left alone otherwise)."""
    current = state.setting(key)
    if type(current) is not type(value) or current != value:
        state.set_setting(key, value)


def _clamp_int(value, low: int, high: int, default) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return int(default)
    return min(max(number, low), high)
