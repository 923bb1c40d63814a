"""Activation functions, each with its derivative beside it.

Every activation ``f`` is applied elementwise to the pre-activations ``z`` of a
layer, ``a = f(z)``, with ``z`` and ``a`` of shape ``(n_samples, n_units)``.
The backward pass needs ``f'(z)``; every activation here can give it from its
own output ``a`` alone (``tanh'(z) = 1 - a**2``, ``relu'(z) = 1 if a > 0``), as
PyTorch's backward functions do, so the forward pass may compute ``a`` in
place over ``z`` and keep nothing else.

Both methods take an optional ``out`` array so the training loop can reuse
buffers instead of allocating new arrays every step; ``out`` may be ``z``
itself (the forward pass) but never ``a`` for ``derivative``. When given,
``out`` must receive the result: the next layer reads it from there.
"""

from __future__ import annotations

import numpy as np


class Activation:
    """An elementwise function ``a = f(z)`` and its derivative ``f'(z)``."""

    name = "activation"
    #: True when ``f(z) >= 0`` everywhere, so ``mean(|a|)`` is just ``mean(a)``
    nonnegative = False

    def forward(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``f'(z)`` from ``a = f(z)``, elementwise."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """Logistic sigmoid.

    ``f(z) = 1 / (1 + exp(-z))``, ``f'(z) = f(z) * (1 - f(z))``.

    Computed as ``e = exp(-|z|)``, ``f = 1/(1+e)`` for ``z >= 0`` and ``e/(1+e)``
    otherwise, so ``exp`` never overflows and no warning is raised at ``|z| = 800``.
    """

    name = "sigmoid"
    nonnegative = True

    def forward(self, z, out=None):
        return sigmoid(z, out=out)

    def derivative(self, a, out=None):
        out = np.subtract(1.0, a, out=out)
        return np.multiply(out, a, out=out)


class Tanh(Activation):
    """Hyperbolic tangent.

    ``f(z) = tanh(z)``, ``f'(z) = 1 - tanh(z)**2 = 1 - a**2``.
    """

    name = "tanh"

    def forward(self, z, out=None):
        return np.tanh(z, out=out)

    def derivative(self, a, out=None):
        out = np.square(a, out=out)  # np.multiply(a, a) gives the same bits, up to 2x slower
        return np.subtract(1.0, out, out=out)


class ReLU(Activation):
    """Rectified linear unit.

    ``f(z) = max(z, 0)``, ``f'(z) = 1 if z > 0 else 0`` (0 at the kink, as PyTorch);
    ``z > 0`` exactly where ``a > 0``.
    """

    name = "relu"
    nonnegative = True

    def forward(self, z, out=None):
        return np.maximum(z, 0.0, out=out)

    def derivative(self, a, out=None):
        if out is None:
            return (a > 0).astype(a.dtype)
        return np.greater(a, 0.0, out=out)


class LeakyReLU(Activation):
    """Leaky ReLU with slope ``alpha`` (0.01) for negative inputs.

    ``f(z) = z if z > 0 else alpha * z``, ``f'(z) = 1 if z > 0 else alpha``;
    ``z > 0`` exactly where ``a > 0``.
    """

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01):
        self.alpha = alpha

    def forward(self, z, out=None):
        # max(z, alpha*z) equals the definition for 0 < alpha < 1.
        scaled = np.multiply(z, self.alpha)
        return np.maximum(z, scaled, out=out)

    def derivative(self, a, out=None):
        d = np.where(a > 0, 1.0, self.alpha).astype(a.dtype, copy=False)
        if out is None:
            return d
        np.copyto(out, d)
        return out


class Linear(Activation):
    """Identity: ``f(z) = z``, ``f'(z) = 1``."""

    name = "linear"

    def forward(self, z, out=None):
        if out is None:
            return z.copy()
        if out is not z:
            np.copyto(out, z)
        return out

    def derivative(self, a, out=None):
        if out is None:
            return np.ones_like(a)
        out.fill(1.0)
        return out


class Softmax(Activation):
    """Softmax over each row (an output activation only).

    ``f(z)_j = exp(z_j - max(z)) / sum_i exp(z_i - max(z))``. Its Jacobian is
    ``diag(p) - p p^T``; training never needs it because cross-entropy's
    gradient with respect to ``z`` is simply ``(p - Y)/n`` (see ``losses``).
    """

    name = "softmax"
    nonnegative = True

    def forward(self, z, out=None):
        if out is None:
            out = np.empty_like(z)
        np.subtract(z, z.max(axis=1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def derivative(self, a, out=None):
        raise NotImplementedError("softmax is only used as an output with cross-entropy")


def softmax_activation() -> Softmax:
    return Softmax()


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Numerically stable logistic sigmoid ``1 / (1 + exp(-z))``, elementwise.

    With ``e = exp(-|z|)`` (always in (0, 1]): ``1/(1+e)`` where ``z >= 0`` and
    ``e/(1+e)`` where ``z < 0``; the two branches are the same function, so the
    result is within rounding of the textbook formula wherever that formula
    does not overflow.
    """
    return sigmoid_from_exp(z, exp_neg_abs(z), out=out)


def exp_neg_abs(z: np.ndarray) -> np.ndarray:
    """``exp(-|z|)``, a new array in (0, 1]: the one exponential a sigmoid and its loss need."""
    e = np.abs(z)
    np.negative(e, out=e)
    return np.exp(e, out=e)


def sigmoid_from_exp(z: np.ndarray, e: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The sigmoid of ``z`` given ``e = exp(-|z|)``: ``1/(1+e)`` where ``z >= 0``, ``e/(1+e)`` elsewhere."""
    denom = e + 1.0
    # numerator: 1 for z >= 0, e for z < 0
    return np.divide(np.where(z >= 0, 1.0, e), denom, out=out)


def tanh(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Hyperbolic tangent, elementwise: ``(exp(2z) - 1) / (exp(2z) + 1)``, computed by ``np.tanh``.

    ``Tanh`` calls ``np.tanh`` itself; no formula through ``exp`` was both as
    accurate and as fast (``bench/micro.py``, Levers).
    """
    return np.tanh(z, out=out)


ACTIVATIONS: dict[str, type[Activation]] = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "linear": Linear,
}


def get_activation(name: str) -> Activation:
    """Return a fresh activation object for ``name`` (one of ``ACTIVATIONS``)."""
    try:
        return ACTIVATIONS[name]()
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"Unknown activation {name!r}; choose one of: {known}.") from None
