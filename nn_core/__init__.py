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

from . import explain, metrics
from .datasets import Dataset, generate, load_bundled, make_dataset
from .gradcheck import gradient_check
from .model_io import dumps, load, loads, save
from .network import MLP, BackwardTrace, LayerGradients, LayerTrace, Trace
from .preprocessing import Model, Preprocessing, Standardizer, train_val_test_split
from .schedules import Constant, CosineDecay, ExponentialDecay, StepDecay
from .tabular import LoadReport, load_csv
from .training import EarlyStopping, History

__version__ = "0.1.0"

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
