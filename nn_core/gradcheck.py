"""Gradient check: the analytic backward pass against central differences.

For each parameter entry ``p`` the numerical derivative is

    (L(p + h) - L(p - h)) / (2h)          with h = 1e-6,

which is exact up to ``O(h^2)``. Agreement to a relative ``1e-6`` shows the
backward pass computes the true gradient of the loss, penalties included.
The check runs on a float64 copy, so the net itself is never touched.
"""

from __future__ import annotations

import numpy as np

from .network import MLP, Workspace

STEP = 1e-6
PASS_THRESHOLD = 1e-6


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-7) -> float:
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
    ref = net.copy()
    if ref.dtype != "float64":
        ref.dtype = "float64"
        ref.weights = [W.astype(np.float64) for W in ref.weights]
        ref.biases = [b.astype(np.float64) for b in ref.biases]
    X, Y = ref._prepare(X, y)
    ws = Workspace(ref, X.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        ref._loss_and_gradients(X, Y, ws, l2, l1)
        analytic = {}
        for i in range(len(ref.weights)):
            analytic[f"W{i}"] = (ref.weights[i], ws.grad_W[i].copy())
            analytic[f"b{i}"] = (ref.biases[i], ws.grad_b[i].copy())
        rng = np.random.default_rng(seed)
        errors = {}
        for name, (param, grad) in analytic.items():
            flat = param.reshape(-1)
            idx = np.arange(flat.size)
            if max_entries is not None and flat.size > max_entries:
                idx = rng.choice(flat.size, size=max_entries, replace=False)
            numeric = np.empty(idx.size)
            for j, k in enumerate(idx):
                old = flat[k]
                flat[k] = old + STEP
                up = ref._loss_and_gradients(X, Y, ws, l2, l1)
                flat[k] = old - STEP
                down = ref._loss_and_gradients(X, Y, ws, l2, l1)
                flat[k] = old
                numeric[j] = (up - down) / (2 * STEP)
            errors[name] = relative_error(grad.reshape(-1)[idx], numeric)
    return errors
