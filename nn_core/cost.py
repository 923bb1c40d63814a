"""What a request will cost, estimated before anything is allocated.

Pure arithmetic on the sizes of a request (NumPy's dtype sizes and the
standard library only); no budget lives here, the app decides what it allows.
With layer sizes ``h_0 .. h_L`` (``h_0`` inputs, ``h_L`` outputs), ``P`` the
parameter count ``sum_i (h_i + 1) h_{i+1}`` and ``s`` the dtype's size in bytes:

Memory (bytes), as the engine really allocates it:

- one ``Workspace`` for a batch of ``b`` rows (``network.Workspace``): the
  layer inputs with their ones column ``b * sum_{i<L} (h_i + 1)``, the logits
  and output ``2 * b * h_L``, the deltas ``b * sum_{i>=1} h_i``, one scratch
  for ``f'(z)`` ``b * max hidden``, the gradient and ``|gradient|`` ``2 P``;
  all times ``s``;
- ``fit``: a workspace of the batch (and one of the last, shorter batch), a
  validation workspace, the parameter vector and its pre-step snapshot
  ``2 P``, the best weights ``P`` with early stopping, the optimizer's state
  (``sgd`` 0, ``momentum`` ``P``, ``adam`` ``3 P``), one update temporary
  ``P``, the loss's ``LOSS_TEMPORARIES`` arrays of ``b h_L``, the encoded
  targets ``n h_L`` and a float copy of ``X`` ``n h_0``
  (made when the caller's array is not already of the net's dtype),
  plus ``HISTORY_BYTES_PER_EPOCH(L)`` Python objects per epoch;
- ``trace`` over ``cells`` points: a workspace of ``cells`` rows and every
  layer's ``z`` and ``a`` kept: ``2 * cells * sum_{i>=1} h_i``, times ``s``;
- a ``snapshots.Snapshot``: the parameters ``P``, the optimizer's state
  (``sgd`` 0, ``momentum`` ``P``, ``adam`` ``2 P``), with early stopping the
  best and the reached weights ``2 P`` (an upper bound: snapshots share the
  best weights while they do not change), all times ``s``, plus one byte per
  hidden neuron for the switches and ``SNAPSHOT_OVERHEAD``;
- batch prediction over ``n`` rows: a workspace of ``n`` rows plus the
  preprocessing's copies of the raw table (``PREDICT_COPIES * n * h_0``).

CPU, as multiply-adds (one ``a * b + c`` of a matrix product):

- forward pass per row: ``sum_i (h_i + 1) h_{i+1}`` (= ``P``);
- backward pass per row: the gradient blocks, ``P`` again, and the deltas
  carried down, ``sum_{i>=1} h_i h_{i+1}``;
- an epoch: ``n`` rows forward and backward, plus ``n_val`` rows forward;
  ``ceil(n / b)`` updates, each touching ``P`` parameters (counted apart: at
  small batches the per-update overhead, not the arithmetic, is the cost).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .network import count_parameters
from .snapshots import SNAPSHOT_OVERHEAD

#: A megabyte, as the app, its upload widget (on every system but Windows) and its limits count it.
MB = 1_000_000
#: The optimizer's state in parameter vectors (``optimizers.py``): Adam keeps m, v and a scratch.
OPTIMIZER_VECTORS = {"sgd": 0, "momentum": 1, "adam": 3}
#: ``(b, h_L)`` temporaries the loss makes per batch (softmax: shifted logits, exponentials, products).
LOSS_TEMPORARIES = 3
#: Copies of an ``(n, h_0)`` table that ``Model.predict`` makes on the way (raw, filled, standardized).
PREDICT_COPIES = 4


def history_bytes_per_epoch(n_layers: int, validation: bool) -> int:
    """Bytes one epoch adds to a ``History``: Python floats (24 B) in lists (8 B a slot).

    ``loss``, ``learning_rate``, ``epoch_time`` (and ``val_loss``, ``val_metric``)
    hold one float each; ``grad_mean_abs`` and ``activation_mean_abs`` hold one
    list of ``n_layers`` floats each (a list is 56 B plus its slots). Slots are
    counted at 1.125x for the lists' over-allocation.
    """
    scalars = 3 + (2 if validation else 0)
    per_list = 56 + n_layers * (24 + 9)
    return int(scalars * (24 + 9) + 2 * (per_list + 9))


@dataclass(frozen=True)
class TrainingCost:
    """The estimate of one ``fit`` call: working memory, multiply-adds and updates."""

    memory_bytes: int
    multiply_adds: int
    updates: int


def workspace_bytes(layer_sizes: Sequence[int], rows: int, dtype: str = "float64") -> int:
    """Bytes of one ``Workspace`` for ``rows`` rows (see the module docstring)."""
    s = np.dtype(dtype).itemsize
    sizes = list(layer_sizes)
    hidden = sizes[1:-1]
    per_row = sum(h + 1 for h in sizes[:-1]) + 2 * sizes[-1] + sum(sizes[1:]) + max(hidden, default=0)
    return s * (rows * per_row + 2 * count_parameters(sizes))


def multiply_adds_per_row(layer_sizes: Sequence[int], backward: bool = True) -> int:
    """Multiply-adds of one row's forward pass, and of its backward pass when ``backward``."""
    sizes = list(layer_sizes)
    forward = count_parameters(sizes)
    if not backward:
        return forward
    carried = sum(a * b for a, b in zip(sizes[1:-1], sizes[2:]))
    return 2 * forward + carried


def training_cost(
    layer_sizes: Sequence[int],
    rows: int,
    epochs: int,
    *,
    batch_size: int | None = None,
    validation_rows: int = 0,
    optimizer: str = "adam",
    early_stopping: bool = False,
    dtype: str = "float64",
    copies_inputs: bool = True,
) -> TrainingCost:
    """Memory, multiply-adds and updates of ``fit`` on ``rows`` rows for ``epochs`` epochs.

    ``batch_size=None`` (or ``>= rows``) is full batch. ``copies_inputs``: count
    a float copy of ``X`` (the caller's table is not yet of the net's dtype).
    """
    sizes = list(layer_sizes)
    s = np.dtype(dtype).itemsize
    P = count_parameters(sizes)
    b = rows if batch_size is None or batch_size >= rows else batch_size
    memory = workspace_bytes(sizes, b) + s * b * sizes[-1] * LOSS_TEMPORARIES
    if b < rows and rows % b:
        memory += workspace_bytes(sizes, rows % b)
    if b < rows:
        memory += s * b * sizes[0]  # one gathered batch
    if validation_rows:
        memory += workspace_bytes(sizes, validation_rows) + s * validation_rows * (sizes[0] + sizes[-1])
    vectors = 2 + OPTIMIZER_VECTORS.get(optimizer, 3) + 1 + (1 if early_stopping else 0)
    memory += s * P * vectors
    memory += s * rows * sizes[-1] + (s * rows * sizes[0] if copies_inputs else 0)
    memory += epochs * history_bytes_per_epoch(len(sizes) - 1, validation_rows > 0)
    updates = epochs * math.ceil(rows / b)
    madds = epochs * (rows * multiply_adds_per_row(sizes) + validation_rows * multiply_adds_per_row(sizes, False))
    return TrainingCost(int(memory), int(madds), int(updates))


def trace_bytes(layer_sizes: Sequence[int], cells: int, dtype: str = "float64") -> int:
    """Bytes of ``MLP.trace`` over ``cells`` points (a boundary or neuron-map grid)."""
    s = np.dtype(dtype).itemsize
    sizes = list(layer_sizes)
    return workspace_bytes(sizes, cells, dtype) + s * cells * (sizes[0] + 2 * sum(sizes[1:]))


def snapshot_bytes(layer_sizes: Sequence[int], optimizer: str = "adam", early_stopping: bool = False,
                   dtype: str = "float64") -> int:
    """Bytes one snapshot of a run's training state may hold at most (``Snapshot.nbytes``' bound)."""
    sizes = list(layer_sizes)
    vectors = 1 + {"sgd": 0, "momentum": 1}.get(optimizer, 2) + (2 if early_stopping else 0)
    return np.dtype(dtype).itemsize * count_parameters(sizes) * vectors + sum(sizes[1:-1]) + SNAPSHOT_OVERHEAD


def prediction_bytes(layer_sizes: Sequence[int], rows: int, dtype: str = "float64") -> int:
    """Bytes of predicting ``rows`` raw rows through a ``Model`` (preprocessing copies included)."""
    s = np.dtype(dtype).itemsize
    return workspace_bytes(layer_sizes, rows, dtype) + s * rows * layer_sizes[0] * PREDICT_COPIES


def widest_layer_within(layer_sizes: Sequence[int], budget_bytes: int, cost) -> int:
    """The largest width every hidden layer may have so that ``cost(sizes) <= budget_bytes``.

    ``cost`` maps layer sizes to bytes and grows with the width; hidden layers
    wider than the answer are narrowed to it (a bisection; 0 if even width 1 is too much).
    """
    sizes = list(layer_sizes)
    widest = max(sizes[1:-1], default=1)

    def fits(width: int) -> bool:
        return cost([sizes[0], *(min(h, width) for h in sizes[1:-1]), sizes[-1]]) <= budget_bytes

    lo, hi = 0, widest
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
