"""Loss functions, each paired with the output activation it belongs to.

All three pairs here are *canonical*: the gradient of the mean loss with respect
to the output layer's pre-activations ``z`` (shape ``(n, m)``) collapses to

    dL/dz = scale * (a - Y)

where ``a`` is the output activation, ``Y`` the encoded targets of shape
``(n, m)`` and ``scale`` is ``1/n`` (cross-entropies) or ``2/(n*m)`` (MSE).
That is why a sigmoid is paired with binary cross-entropy and not with squared
error: the ``sigmoid'(z)`` factor cancels, and learning does not stall when the
sigmoid saturates (the seed article's mistake).

Each loss is computed from ``z`` (the logits), never from ``log(a)``, so
``log(0)`` and overflow cannot happen, even at ``|z| = 800``.
"""

from __future__ import annotations

import numpy as np

from .activations import (
    Activation,
    Linear,
    Sigmoid,
    exp_neg_abs,
    sigmoid_from_exp,
    softmax_activation,
)


class Loss:
    """A loss ``L(z, Y)`` averaged over samples, with its output activation."""

    name = "loss"
    activation: Activation

    def encode(self, y: np.ndarray, n_outputs: int, dtype) -> np.ndarray:
        """Targets ``y`` as a float matrix ``Y`` of shape ``(n, n_outputs)``."""
        raise NotImplementedError

    def value(self, z: np.ndarray, a: np.ndarray, Y: np.ndarray) -> float:
        """Mean loss over the samples (rows)."""
        raise NotImplementedError

    def activate_and_value(self, z: np.ndarray, Y: np.ndarray, out: np.ndarray) -> float:
        """Write the output activation ``f(z)`` into ``out`` and return the mean loss.

        The training step's one call for both; a loss may share work between them.
        """
        a = self.activation.forward(z, out=out)
        return self.value(z, a, Y)

    def gradient(self, a: np.ndarray, Y: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``dL/dz`` of the mean loss, shape ``(n, m)``: ``scale * (a - Y)``."""
        out = np.subtract(a, Y, out=out)
        return np.multiply(out, self._scale(a.shape), out=out)

    def _scale(self, shape: tuple[int, int]) -> float:
        return 1.0 / shape[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on a sigmoid output (one unit).

    With ``p = sigmoid(z)`` and labels ``y`` in {0, 1}:

        L = -mean(y*log(p) + (1-y)*log(1-p))
          = mean(max(z, 0) - y*z + log(1 + exp(-|z|)))      (from the logit)

        dL/dz = (p - y) / n
    """

    name = "binary_cross_entropy"

    def __init__(self):
        self.activation = Sigmoid()

    def encode(self, y, n_outputs, dtype):
        return np.asarray(y, dtype=dtype).reshape(-1, 1)

    def value(self, z, a, Y):
        return _bce_from_exp(z, exp_neg_abs(z), Y)

    def activate_and_value(self, z, Y, out):
        # the sigmoid and the loss share e = exp(-|z|)
        e = exp_neg_abs(z)
        sigmoid_from_exp(z, e, out=out)
        return _bce_from_exp(z, e, Y)


def _bce_from_exp(z: np.ndarray, e: np.ndarray, Y: np.ndarray) -> float:
    """``mean(softplus(z) - y*z)`` with ``softplus(z) = max(z, 0) + log1p(e)``, ``e = exp(-|z|)``.

    Per row ``max(z, 0) - y*z`` (exact for ``y`` in {0, 1}) plus ``log1p(e)``:
    every term is ``>= 0``, and they are summed in float64. (Summing
    ``softplus`` and ``y*z`` apart subtracts two large, nearly equal sums: a
    confident float32 net then reported negative losses.) Overwrites ``e``.
    """
    t = np.maximum(z, 0.0)
    t -= Y * z
    t += np.log1p(e, out=e)
    return float(np.add.reduce(t, axis=None, dtype=np.float64)) / z.shape[0]


class CrossEntropy(Loss):
    """Categorical cross-entropy on a softmax output (k >= 2 units).

    With ``p = softmax(z)`` row-wise and one-hot targets ``Y``:

        L = -mean(sum_j Y_j * log(p_j)) = mean(logsumexp(z) - sum_j Y_j * z_j)

        dL/dz = (p - Y) / n

    ``logsumexp(z) = max(z) + log(sum(exp(z - max(z))))`` never overflows.
    """

    name = "cross_entropy"

    def __init__(self):
        self.activation = softmax_activation()

    def encode(self, y, n_outputs, dtype):
        y = np.asarray(y).astype(np.int64, copy=False).reshape(-1)
        Y = np.zeros((y.shape[0], n_outputs), dtype=dtype)
        Y[np.arange(y.shape[0]), y] = 1.0
        return Y

    def value(self, z, a, Y):
        zmax = z.max(axis=1, keepdims=True)
        shifted = z - zmax
        lse = np.log(np.exp(shifted).sum(axis=1)) + zmax[:, 0]
        picked = (Y * z).sum(axis=1)
        return float((lse - picked).mean(dtype=np.float64))


class MeanSquaredError(Loss):
    """Mean squared error on a linear output (regression).

    ``L = mean((z - Y)**2)`` over all ``n*m`` elements, ``dL/dz = 2 (z - Y) / (n*m)``.
    """

    name = "mean_squared_error"

    def __init__(self):
        self.activation = Linear()

    def encode(self, y, n_outputs, dtype):
        return np.asarray(y, dtype=dtype).reshape(-1, n_outputs)

    def value(self, z, a, Y):
        d = a - Y
        return float(np.mean(d * d, dtype=np.float64))

    def _scale(self, shape):
        return 2.0 / (shape[0] * shape[1])


#: The output activation each problem type is learned with.
OUTPUT_FOR_PROBLEM: dict[str, str] = {
    "binary": "sigmoid",
    "multiclass": "softmax",
    "regression": "linear",
}


def output_for_problem(problem_type: str) -> str:
    """The output activation for a problem type: sigmoid, softmax or linear."""
    try:
        return OUTPUT_FOR_PROBLEM[problem_type]
    except KeyError:
        known = ", ".join(OUTPUT_FOR_PROBLEM)
        raise ValueError(f"Unknown problem type {problem_type!r}; choose one of: {known}.") from None


#: The loss each output activation is trained with.
LOSS_FOR_OUTPUT: dict[str, type[Loss]] = {
    "sigmoid": BinaryCrossEntropy,
    "softmax": CrossEntropy,
    "linear": MeanSquaredError,
}


def loss_for_output(output: str) -> Loss:
    """The loss paired with an output activation name."""
    try:
        return LOSS_FOR_OUTPUT[output]()
    except KeyError:
        known = ", ".join(LOSS_FOR_OUTPUT)
        raise ValueError(f"Unknown output {output!r}; choose one of: {known}.") from None
