"""Weight initializers.

A weight matrix ``W`` of shape ``(fan_in, fan_out)`` is drawn so that the
variance of the signal stays roughly constant from layer to layer:

- ``glorot`` (Xavier uniform): ``U(-r, r)`` with ``r = sqrt(6 / (fan_in + fan_out))``,
  for sigmoid, tanh and linear units (Glorot & Bengio, 2010).
- ``he`` (Kaiming normal): ``N(0, 2 / fan_in)``, for the ReLU family, which
  zeroes half its inputs (He et al., 2015).
- ``normal``: ``N(0, 0.01**2)``, the classic small random start.
- ``zeros``: every weight 0. Kept to teach symmetry: all units of a layer get
  the same gradient and stay identical forever.

``auto`` picks ``he`` for relu/leaky_relu layers and ``glorot`` otherwise.
Biases always start at zero.
"""

from __future__ import annotations

import numpy as np

INITIALIZERS = ("auto", "glorot", "he", "normal", "zeros")


def glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    r = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-r, r, size=(fan_in, fan_out))


def he(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def normal(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    return rng.normal(0.0, 0.01, size=(fan_in, fan_out))


def zeros(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    return np.zeros((fan_in, fan_out))


_BY_NAME = {"glorot": glorot, "he": he, "normal": normal, "zeros": zeros}


def resolve(init: str, activation: str) -> str:
    """The concrete initializer name for a layer whose units use ``activation``."""
    if init == "auto":
        return "he" if activation in ("relu", "leaky_relu") else "glorot"
    return init


def initialize(init: str, activation: str, rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Draw a ``(fan_in, fan_out)`` float64 weight matrix from ``rng``."""
    return _BY_NAME[resolve(init, activation)](rng, fan_in, fan_out)
