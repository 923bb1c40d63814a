"""Where the numbers live: the parameter vector and a batch's preallocated buffers.

The network's equations (``network.py``) are written for matrices ``W_i``,
vectors ``b_i`` and activations ``a_i``; this module decides how they sit in
memory so that one training step allocates nothing and each layer is one
matrix product per direction.

The parameter vector. All weights and biases live in one vector, laid out as
``[W_0, b_0, W_1, b_1, ...]`` flattened, with ``h_0 = n_inputs, ...,
h_L = n_outputs``. Layer ``i``'s part is the contiguous block ``[W_i; b_i]``
of shape ``(h_i + 1, h_{i+1})`` (``layer_blocks``): ``W_i = block[:-1]`` and
``b_i = block[-1]``. So an optimizer updates every parameter in one operation,
and the forward pass multiplies by the whole block (the bias trick below).

A batch's buffers (``Workspace``, one per batch size ``n``):

- ``inputs[i]`` ``(n, h_i + 1)`` is layer ``i``'s input with a column of ones,
  ``[a_i, 1]``; ``x`` (where ``load`` copies the batch) and the hidden ``a[i]``
  are views of these without that column. The bias trick:

      z_{i+1} = [a_i, 1] @ [W_i; b_i]
      [dL/dW_i; dL/db_i] = [a_i, 1].T @ delta_{i+1}    (the ones sum delta's rows)

- ``a[i]`` ``(n, h_{i+1})``: a hidden layer's ``z`` is computed in its ``a``
  buffer and activated in place (the backward pass needs only ``a``, since
  every hidden derivative is written in terms of ``a``); the output layer's
  ``z`` is kept in ``logits`` and its activation in ``a[-1]``.
- ``delta[i]`` ``(n, h_{i+1})``: ``dL/dz_{i+1}``; ``deriv[i]``: ``f'`` of hidden
  layer ``i``, one scratch buffer viewed at each layer's shape.
- ``grad``: one vector laid out as the parameters, so ``grad_blocks[i] =
  [dL/dW_i; dL/db_i]`` and the optimizer steps the whole vector at once;
  ``grad_W`` and ``grad_b`` are views of it.

The hidden layers' buffers are column-major (``order="F"``): then the view of
``[a_i, 1]`` without its ones column is one contiguous block and the
elementwise passes run at full speed (``bench/RESULTS.md`` has the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .network import MLP


def count_parameters(layer_sizes: Sequence[int]) -> int:
    """Weights plus biases of a net with these layer sizes."""
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def layer_blocks(vector: np.ndarray, layer_sizes: Sequence[int]) -> list[np.ndarray]:
    """Views of a parameter-shaped ``vector`` as the blocks ``[W_i; b_i]``, each ``(h_i + 1, h_{i+1})``."""
    blocks, start = [], 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        stop = start + (fan_in + 1) * fan_out
        blocks.append(vector[start:stop].reshape(fan_in + 1, fan_out))
        start = stop
    return blocks


def split_parameters(vector: np.ndarray, layer_sizes: Sequence[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A parameter-shaped ``vector`` as ``(weights, biases)``: views ``W_i`` ``(h_i, h_{i+1})`` and ``b_i``."""
    blocks = layer_blocks(vector, layer_sizes)
    return [block[:-1] for block in blocks], [block[-1] for block in blocks]


class ParameterViews(tuple):
    """``net.weights`` or ``net.biases``: one view per layer into the net's parameter vector.

    Write into a view in place (``net.weights[i][...] = W``, or one entry);
    putting a new array in its place would leave the net using the old
    numbers, so it is refused: use ``MLP.set_parameters`` for whole arrays.
    """

    __slots__ = ()

    def __setitem__(self, i, value):
        raise TypeError(
            "The net's weights and biases are views of its parameters: write into them in place "
            "(net.weights[i][...] = W) or call net.set_parameters(weights, biases)."
        )


class Workspace:
    """Preallocated buffers for one batch size ``n``; the layout is in the module docstring."""

    def __init__(self, net: MLP, n: int):
        dt = np.dtype(net.dtype)
        sizes = net.layer_sizes
        hidden, n_out = sizes[1:-1], sizes[-1]
        self.inputs = [np.ones((n, h + 1), dtype=dt, order="F") for h in sizes[:-1]]
        self.x = self.inputs[0][:, :-1]
        self.logits = np.empty((n, n_out), dtype=dt)
        self.a = [ones[:, :-1] for ones in self.inputs[1:]] + [np.empty((n, n_out), dtype=dt)]
        self.delta = [np.empty((n, h), dtype=dt, order="F") for h in hidden] + [np.empty((n, n_out), dtype=dt)]
        scratch = np.empty(n * max(hidden, default=0), dtype=dt)
        self.deriv = [scratch[: n * h].reshape((n, h), order="F") for h in hidden]
        self.grad = np.empty(count_parameters(sizes), dtype=dt)
        self.grad_blocks = layer_blocks(self.grad, sizes)
        self.grad_W = [block[:-1] for block in self.grad_blocks]
        self.grad_b = [block[-1] for block in self.grad_blocks]
        # for History: where W_0, b_0, W_1, b_1, ... start in grad, each weight's size, and scratch for |grad|
        self.segments = np.cumsum([0] + [g.size for W, b in zip(self.grad_W, self.grad_b) for g in (W, b)][:-1])
        self.weight_sizes = np.array([W.size for W in self.grad_W], dtype=dt)
        self.grad_abs = np.empty_like(self.grad)

    def load(self, X: np.ndarray) -> None:
        """Copy the batch ``X`` (``n`` rows) into the first layer's input; the passes read it from there."""
        np.copyto(self.x, X)


def times_transpose(delta: np.ndarray, W: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out = delta @ W.T`` into a column-major ``(n, h)`` buffer: the backward pass's product.

    For a one-unit layer (``delta`` of shape ``(n, 1)``) it is an outer product,
    which ``np.dot`` hands to BLAS and ``np.matmul`` does not; ``out.T`` is then
    C-ordered, as ``np.dot`` needs. Otherwise ``np.matmul`` writes ``out``
    directly (``np.dot`` would zero it first).
    """
    if delta.shape[1] == 1:
        np.dot(W, delta.T, out=out.T)
    else:
        np.matmul(delta, W.T, out=out)
    return out
