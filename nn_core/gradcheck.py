"""Gradient check: the analytic backward pass against central differences.

For each parameter entry ``p`` the numerical derivative is the fourth-order
central difference

    (-L(p + 2h) + 8 L(p + h) - 8 L(p - h) + L(p - 2h)) / (12 h)     with h = 1e-3,

whose truncation error is ``O(h^4)`` (about 1e-12) while the rounding error
stays near ``1e-16 / h``; the plain two-point difference cannot get both that
small at once, and small gradients would fail for rounding alone. Agreement
to a relative ``1e-6`` shows the backward pass computes the true gradient of
the loss, penalties included.
The check runs on a float64 copy, so the net itself is never touched.
"""

from __future__ import annotations

import numpy as np

from .network import MLP, Workspace
from .validation import check_penalties, check_positive_int, check_seed

STEP = 1e-3
PASS_THRESHOLD = 1e-6


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-6) -> float:
    """Worst ``|a - n| / max(|a|, |n|, floor)``; the floor keeps near-zero gradients from dividing by 0."""
    denom = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return float(np.max(np.abs(analytic - numeric) / denom))


def gradient_check(
    net: MLP, X, y, l2: float = 0.0, l1: float = 0.0, max_entries: int | None = None, seed: int = 0
) -> dict[str, float]:
    """Worst relative error per parameter array, ``{"W0": ..., "b0": ..., "W1": ...}``.

    ``max_entries`` checks a random sample of that many entries per array
    (every entry when ``None``); below ``PASS_THRESHOLD`` (1e-6) is a pass.
    """
    l2, l1 = check_penalties(l2, l1)
    if max_entries is not None:
        max_entries = check_positive_int(max_entries, "max_entries")
    seed = check_seed(seed)
    ref = MLP(net.layer_sizes, net.activations, net.output, init=net.init, seed=net.seed, dtype="float64")
    ref.set_parameters(net.weights, net.biases)
    ref.set_masks(net.masks)  # a switched-off neuron's parameters have gradient 0 in both
    X, Y = ref._prepare(X, y)
    ws = Workspace(ref, X.shape[0])
    ws.load(X)
    with np.errstate(over="ignore", invalid="ignore"):
        ref._loss_and_gradients(ws, Y, l2, l1)
        analytic = {}
        for i in range(len(ref.weights)):
            analytic[f"W{i}"] = (ref.weights[i], ws.grad_W[i].copy())
            analytic[f"b{i}"] = (ref.biases[i], ws.grad_b[i].copy())
        rng = np.random.default_rng(seed)
        errors = {}
        for name, (param, grad) in analytic.items():
            flat = param.reshape(-1)  # a view: writing an entry moves that parameter
            idx = np.arange(flat.size)
            if max_entries is not None and flat.size > max_entries:
                idx = rng.choice(flat.size, size=max_entries, replace=False)
            numeric = np.empty(idx.size)
            for j, k in enumerate(idx):
                old = flat[k]
                losses = []
                for offset in (2 * STEP, STEP, -STEP, -2 * STEP):
                    flat[k] = old + offset
                    losses.append(ref._loss_and_gradients(ws, Y, l2, l1))
                flat[k] = old
                numeric[j] = (-losses[0] + 8 * losses[1] - 8 * losses[2] + losses[3]) / (12 * STEP)
            errors[name] = relative_error(grad.reshape(-1)[idx], numeric)
    return errors
