"""Training presets, and how the Train page names the output layer.

A preset is a row of a small table: a name, one sentence on what it teaches,
a full ``TrainConfig`` and, for the few that need their own data, the data
settings to switch to. ``apply`` writes them into the session through
``ui.state`` (the page calls it from a button's callback, so the widgets pick
the values up on the rerun). The values each setting may take are in
``ui.settings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import state
from .settings import TrainConfig

#: Output layer and loss for each problem type (the output is derived, never chosen).
OUTPUT_LABELS = {
    "binary": "sigmoid + binary cross-entropy",
    "multiclass": "softmax + categorical cross-entropy",
    "regression": "linear + mean squared error",
}


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
