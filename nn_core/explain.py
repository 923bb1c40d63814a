"""What-if maths on a trained ``Model``, all in the data's own units.

- ``output_of``: the one number the what-if views talk about: P(class 1) for
  binary, P(predicted class) or P(chosen class) for multi-class, the value
  for regression.
- ``sensitivity``: ``d output / d x_j`` at a point, from the analytic input
  gradient through the preprocessing (chain rule), per raw feature.
- ``sweep``: the output as one feature moves across its range, the others held.
- ``nearest_flip``: the closest point along the gradient direction where the
  predicted class changes, searched inside the data's range.
- ``decision_grid``: the output over a grid of two features (the boundary
  views), the other features held at given values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


@dataclass
class Flip:
    """The nearest found point where the predicted class changes."""

    point: np.ndarray  # (d,) raw units
    distance: float  # in standardized units (comparable across features)
    from_class: int
    to_class: int


def nearest_flip(
    model: Model, x, bounds: Mapping[str, tuple[float, float]] | None = None, steps: int = 200
) -> Flip | None:
    """Walk from ``x`` along the direction that most changes the decision; return the first flip.

    The walk moves in standardized units along the gradient of the margin
    (``P(1) - 0.5`` for binary; runner-up minus winner probability for
    multi-class), re-evaluating the gradient at each step, clipped to
    ``bounds`` (default: each feature's training min/max). The boundary is
    then located by bisection. ``None`` when no flip lies within the bounds.
    """
    if model.net.output == "linear":
        raise ValueError("A decision flip needs a classifier; this model does regression.")
    pre = model.preprocessing
    x = _point(model, x)[0]
    names = pre.feature_names
    bounds = bounds or {n: (pre.feature_stats[n]["min"], pre.feature_stats[n]["max"]) for n in names}
    lo = np.array([bounds[n][0] for n in names], dtype=np.float64)
    hi = np.array([bounds[n][1] for n in names], dtype=np.float64)
    scale = pre.scale[: len(names)]
    start_class = int(model.predict_index(x[None])[0])
    span = np.linalg.norm((hi - lo) / scale)
    step = span / steps * 2 if span > 0 else 0.1
    current = np.clip(x, lo, hi)
    for _ in range(steps):
        direction = _margin_gradient(model, current, start_class) * scale  # to standardized units
        norm = np.linalg.norm(direction)
        if norm == 0 or not np.isfinite(norm):
            return None
        nxt = np.clip(current + step * (direction / norm) * scale, lo, hi)
        if np.allclose(nxt, current):
            return None  # stuck on the edge of the range
        cls = int(model.predict_index(nxt[None])[0])
        if cls != start_class:
            point = _bisect(model, current, nxt, start_class)
            dist = float(np.linalg.norm((point - x) / scale))
            return Flip(point, dist, start_class, int(model.predict_index(point[None])[0]))
        current = nxt
    return None


def _margin_gradient(model: Model, x: np.ndarray, start_class: int) -> np.ndarray:
    """Gradient (raw units) of a quantity that rises toward the decision boundary."""
    g = model.input_gradient(x[None])
    if g.ndim == 2:  # binary: move P(1) toward the other side
        return -g[0] if start_class == 1 else g[0]
    p = model.predict_proba(x[None])[0]
    order = np.argsort(p)[::-1]
    runner = order[1] if order[0] == start_class else order[0]
    return g[0, runner] - g[0, start_class]


def _bisect(model: Model, inside: np.ndarray, outside: np.ndarray, start_class: int, iters: int = 40) -> np.ndarray:
    """A point just across the boundary between ``inside`` (start class) and ``outside``."""
    for _ in range(iters):
        mid = (inside + outside) / 2
        if int(model.predict_index(mid[None])[0]) == start_class:
            inside = mid
        else:
            outside = mid
    return outside


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
