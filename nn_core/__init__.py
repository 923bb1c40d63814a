"""nn_core: a neural network written from scratch in NumPy, to learn from.

    import nn_core
    net = nn_core.MLP(layer_sizes=[2, 16, 16, 1], activation="tanh", output="sigmoid", seed=0)
    history = net.fit(X, y, epochs=300, learning_rate=0.03, optimizer="adam")
    net.predict_proba(X)

Where things live: ``activations`` and ``losses`` (each function beside its
derivative), ``initializers``, ``optimizers``, ``schedules``, ``network`` (the
MLP: forward, backward, traces), ``training`` (the fit loop and History),
``validation``, ``metrics``, ``preprocessing`` (standardizer, split, Model),
``model_io`` (JSON model files), ``gradcheck``, ``explain`` (what-if maths),
``export`` (a standalone predictor), and the data side: ``datasets``
(``Dataset``, ``generate``, ``make_dataset``), ``features``, ``tabular``
(``load_csv``), ``article`` (the seed article, replayed), ``cli``.
"""

import importlib

from . import explain, metrics
from .gradcheck import gradient_check
from .model_io import dumps, load, loads, save
from .network import MLP, BackwardTrace, LayerGradients, LayerTrace, Trace
from .preprocessing import Model, Preprocessing, Standardizer, train_val_test_split
from .schedules import Constant, CosineDecay, ExponentialDecay, StepDecay
from .training import EarlyStopping, History

__version__ = "0.1.0"

# The data side reads tables with pandas; it is imported on first use, so that
# `import nn_core` (the network and its training) costs NumPy alone.
_DATA_SIDE = {
    "Dataset": "datasets",
    "generate": "datasets",
    "load_bundled": "datasets",
    "make_dataset": "datasets",
    "LoadReport": "tabular",
    "load_csv": "tabular",
}


def __getattr__(name: str):
    if name in _DATA_SIDE:
        return getattr(importlib.import_module(f".{_DATA_SIDE[name]}", __name__), name)
    raise AttributeError(f"module 'nn_core' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_DATA_SIDE))

__all__ = [
    "MLP",
    "BackwardTrace",
    "Constant",
    "CosineDecay",
    "Dataset",
    "EarlyStopping",
    "ExponentialDecay",
    "History",
    "LayerGradients",
    "LayerTrace",
    "LoadReport",
    "StepDecay",
    "Trace",
    "gradient_check",
    "Model",
    "Preprocessing",
    "Standardizer",
    "dumps",
    "explain",
    "generate",
    "load",
    "load_bundled",
    "load_csv",
    "loads",
    "make_dataset",
    "metrics",
    "save",
    "train_val_test_split",
]
