"""What a forward or a backward pass leaves behind, layer by layer (``MLP.trace``, ``MLP.backward_trace``).

Shapes: ``n`` rows, ``h`` the layer's units; ``z`` the pre-activations,
``a = f(z)`` the activations, ``dz = dL/dz``, and ``dW``, ``db`` the
parameters' shapes (see ``network``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LayerTrace:
    """One weight layer's forward values: ``z`` pre-activations and ``a = f(z)``, each ``(n, h)``."""

    z: np.ndarray
    a: np.ndarray


@dataclass
class Trace:
    """The forward pass of a batch: the inputs and one ``LayerTrace`` per weight layer.

    Indexing, ``len`` and iteration go over the layers.
    """

    inputs: np.ndarray
    layers: list[LayerTrace]

    def __getitem__(self, i: int) -> LayerTrace:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)


@dataclass
class LayerGradients:
    """One weight layer's backward values: ``dz = dL/dz`` ``(n, h)``, ``dW`` and ``db`` (parameter shapes)."""

    dz: np.ndarray
    dW: np.ndarray
    db: np.ndarray


@dataclass
class BackwardTrace:
    """The backward pass of a batch: the loss and one ``LayerGradients`` per weight layer."""

    loss: float
    layers: list[LayerGradients]

    def __getitem__(self, i: int) -> LayerGradients:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)
