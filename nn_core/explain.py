"""What-if maths on a trained ``Model``, all in the data's own units.

- ``output_of``: the one number the what-if views talk about: P(class 1) for
  binary, P(predicted class) or P(chosen class) for multi-class, the value
  for regression.
- ``sensitivity``: ``d output / d x_j`` at a point, from the analytic input
  gradient through the preprocessing (chain rule), per raw feature.
- ``sweep``: the output as one feature moves across its range, the others held.
- ``integrated_gradients``: per raw feature, its share of the output's change
  from a baseline row to the point; the shares add up to the change.
- ``partial_dependence``: the output of each row as one input is set to each
  of some values (ICE curves); their mean is the partial dependence.
- ``decision_grid``: the output over a grid of two features (the boundary
  views), the other features held at given values.

Counterfactuals (the fewest changes that flip a decision) are in
``nn_core.counterfactuals``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .preprocessing import Model


def _point(model: Model, x) -> np.ndarray:
    x = np.asarray(model.preprocessing.raw_matrix(x), dtype=np.float64)
    if x.shape[0] != 1:
        raise ValueError(f"A what-if point is one row; got {x.shape[0]}.")
    return x


def output_of(model: Model, X, class_index: int | None = None) -> np.ndarray:
    """The what-if output for each row ``(n,)``.

    Binary: P(class 1). Multi-class: P(``class_index``), or of each row's
    predicted class when ``class_index`` is None. Regression: the value.
    """
    Z = model.transform(X)
    out = model.net.forward(Z)
    if model.net.output == "sigmoid":
        return out[:, 0]
    if model.net.output == "softmax":
        if class_index is None:
            return out.max(axis=1)
        return out[:, class_index]
    return model.preprocessing.inverse_target(out[:, 0])


def sensitivity(model: Model, x, class_index: int | None = None) -> np.ndarray:
    """``d output / d x_j`` at one raw point, per raw feature ``(d,)``.

    For multi-class the output is P(``class_index``), by default the
    predicted class at ``x``.
    """
    x = _point(model, x)
    g = model.input_gradient(x)
    if g.ndim == 2:
        return g[0]
    if class_index is None:
        class_index = int(model.predict_index(x)[0])
    return g[0, class_index]


def sweep(
    model: Model, x, feature: int, lo: float, hi: float, n: int = 60, class_index: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(values, outputs)``: feature ``feature`` swept over ``[lo, hi]`` in ``n`` steps, others held at ``x``."""
    x = _point(model, x)
    values = np.linspace(lo, hi, n)
    rows = np.repeat(x, n, axis=0)
    rows[:, feature] = values
    if class_index is None and model.net.output == "softmax":
        class_index = int(model.predict_index(x)[0])
    return values, output_of(model, rows, class_index)


#: Integrated gradients start with this many steps and double them until the sum is within tolerance.
IG_FIRST_STEPS = 32
IG_MAX_STEPS = 4096


@dataclass
class Attribution:
    """Integrated gradients at a point: ``values`` ``(d,)`` per raw feature, summing to ``output - baseline_output``."""

    values: np.ndarray
    output: float
    baseline_output: float
    steps: int
    class_index: int | None

    @property
    def gap(self) -> float:
        """``|sum(values) - (output - baseline_output)|``: how far the bars miss the change (quadrature error)."""
        return abs(float(self.values.sum()) - (self.output - self.baseline_output))


def integrated_gradients(model: Model, x, baseline, class_index: int | None = None, *,
                         steps: int | None = None, tolerance: float = 0.01) -> Attribution:
    """Integrated gradients (Sundararajan et al. 2017) of the what-if output, per raw feature.

    ``IG_j = (x_j - b_j) * integral_0^1 dF/dx_j(b + a (x - b)) da``, with ``F``
    the output of ``output_of`` (P(``class_index``) for multi-class, by
    default the class predicted at ``x``), ``x`` and ``b`` raw rows ``(d,)``.
    Completeness: ``sum_j IG_j = F(x) - F(b)``. The integral is the
    trapezoid rule on ``steps`` intervals; without ``steps``, they start at
    ``IG_FIRST_STEPS`` and double (up to ``IG_MAX_STEPS``) until the sum is
    within ``tolerance`` of ``F(x) - F(b)`` (relative; absolute below 1e-9).
    """
    x, b = _point(model, x)[0], _point(model, baseline)[0]
    if not (np.isfinite(x).all() and np.isfinite(b).all()):
        raise ValueError("Integrated gradients need a complete point and baseline (no missing values).")
    if model.net.output == "softmax" and class_index is None:
        class_index = int(model.predict_index(x[None])[0])
    ends = output_of(model, np.stack([b, x]), class_index)
    change = float(ends[1] - ends[0])
    n = steps or IG_FIRST_STEPS
    while True:
        rows = b + np.linspace(0.0, 1.0, n + 1)[:, None] * (x - b)
        g = model.input_gradient(rows)
        if g.ndim == 3:
            g = g[:, class_index]
        mean = (g[0] / 2 + g[1:-1].sum(axis=0) + g[-1] / 2) / n
        attribution = Attribution((x - b) * mean, float(ends[1]), float(ends[0]), n, class_index)
        if steps or n >= IG_MAX_STEPS or attribution.gap <= max(tolerance * abs(change), 1e-9):
            return attribution
        n *= 2


def partial_dependence(model: Model, X, columns: Sequence[int], settings, class_index: int | None = None) -> np.ndarray:
    """ICE curves ``(n_rows, n_settings)``: each row's output with ``X[:, columns]`` set to each setting.

    ``X`` raw rows ``(n, d)``; ``settings`` ``(n_settings, len(columns))``
    (one value per column for a number, a category's one-hot code for a
    category). The partial dependence is the mean over rows (axis 0). The
    output is that of ``output_of``; multi-class needs ``class_index``.
    """
    X = model.preprocessing.raw_matrix(X)
    settings = np.asarray(settings, dtype=np.float64).reshape(-1, len(columns))
    if model.net.output == "softmax" and class_index is None:
        raise ValueError("Partial dependence of a multi-class model needs the class whose probability is shown.")
    rows = np.repeat(X, len(settings), axis=0)
    rows[:, list(columns)] = np.tile(settings, (len(X), 1))
    return output_of(model, rows, class_index).reshape(len(X), len(settings))


@dataclass
class Grid:
    """Model output over a 2-D grid: ``xs`` (nx,), ``ys`` (ny,), ``proba`` (ny, nx) or (ny, nx, k)."""

    x_feature: int
    y_feature: int
    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray


def decision_grid(
    model: Model,
    x_feature: int,
    y_feature: int,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    held: Sequence[float] | None = None,
    resolution: int = 80,
) -> Grid:
    """Output over a ``resolution x resolution`` grid of two raw features.

    The other features are held at ``held`` (default: training medians).
    ``values`` is P(class 1) ``(ny, nx)`` for binary, class probabilities
    ``(ny, nx, k)`` for multi-class, the value ``(ny, nx)`` for regression.
    """
    pre = model.preprocessing
    d = len(pre.feature_names)
    if held is None:
        held = [pre.feature_stats[n]["median"] for n in pre.feature_names]
    xs = np.linspace(x_range[0], x_range[1], resolution)
    ys = np.linspace(y_range[0], y_range[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    rows = np.tile(np.asarray(held, dtype=np.float64), (gx.size, 1))
    if rows.shape[1] != d:
        raise ValueError(f"expected {d} held values, got {rows.shape[1]}.")
    rows[:, x_feature] = gx.ravel()
    rows[:, y_feature] = gy.ravel()
    out = model.net.forward(model.transform(rows))
    if model.net.output == "softmax":
        values = out.reshape(resolution, resolution, -1)
    elif model.net.output == "sigmoid":
        values = out[:, 0].reshape(resolution, resolution)
    else:
        values = model.preprocessing.inverse_target(out[:, 0]).reshape(resolution, resolution)
    return Grid(x_feature, y_feature, xs, ys, values)
