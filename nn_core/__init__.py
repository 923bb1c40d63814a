"""nn_core: a neural network written from scratch in NumPy, to learn from.

    import nn_core
    net = nn_core.MLP(layer_sizes=[2, 16, 16, 1], activation="tanh", output="sigmoid", seed=0)
    history = net.fit(X, y, epochs=300, learning_rate=0.03, optimizer="adam")
    net.predict_proba(X)

Where things live: ``activations`` and ``losses`` (each function beside its
derivative), ``initializers``, ``optimizers``, ``schedules``, ``network`` (the
MLP: forward, backward; ``traces`` its records), ``masks`` (neurons switched
off), ``training`` (the fit loop and History), ``snapshots`` (a run's state
at an epoch, to rewind to), ``validation``, ``metrics``, ``preprocessing``
(standardizer, split, Model), ``model_io`` (JSON model files),
``gradcheck``, ``explain`` (what-if maths: sensitivity, integrated gradients,
partial dependence), ``counterfactuals`` (the fewest changes that flip a
decision), ``export`` (a standalone predictor), ``features`` (derived
inputs). Beside
the engine: ``article`` (the seed article, replayed) and ``cli`` (the
``nn-core`` command).

The table side is the subpackage ``nn_core.data`` (pandas; ``pip install
nn_core[data]``): ``Dataset``, ``generate``, ``load_bundled``,
``make_dataset``, ``load_csv`` and ``LoadReport`` are offered here too, and
load it on first use, so ``import nn_core`` imports NumPy only.
"""

from . import counterfactuals, data, explain, metrics
from .gradcheck import gradient_check
from .model_io import dumps, load, loads, save
from .network import MLP
from .preprocessing import Model, Preprocessing, Standardizer, train_val_test_split
from .schedules import Constant, CosineDecay, ExponentialDecay, StepDecay
from .snapshots import Snapshot, restore, snapshot
from .traces import BackwardTrace, LayerGradients, LayerTrace, Trace
from .training import EarlyStopping, History

__version__ = "0.1.0"


def __getattr__(name: str):
    # the data side (pandas) is imported on first use of one of its names
    if name in data.__all__:
        return getattr(data, name)
    raise AttributeError(f"module 'nn_core' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(data.__all__))


__all__ = [
    "MLP",
    "BackwardTrace",
    "Constant",
    "CosineDecay",
    "EarlyStopping",
    "ExponentialDecay",
    "History",
    "LayerGradients",
    "LayerTrace",
    "Snapshot",
    "StepDecay",
    "Trace",
    "gradient_check",
    "Model",
    "Preprocessing",
    "Standardizer",
    "counterfactuals",
    "data",
    "dumps",
    "explain",
    "load",
    "loads",
    "metrics",
    "restore",
    "save",
    "snapshot",
    "train_val_test_split",
    *data.__all__,
]
