"""The data behind a decision-boundary chart for a run: grid, boundary line and points.

Shared by Train, Predict and the inside views. With more than two features
the two chosen axes vary and every other feature is held at its training
median (the page says so under the chart).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from nn_core import explain

from .budgets import check_grid
from .charts import MAX_POINTS
from .charts.boundary import boundary_points, decision_boundary, grid_cells
from .runs import Run

RESOLUTION = 80


def axis_range(run: Run, feature: int, margin: float = 0.05) -> tuple[float, float]:
    """The feature's range over all rows of the run's data, widened by ``margin`` of the span."""
    col = run.dataset.X[:, feature]
    col = col[np.isfinite(col)]
    lo, hi = float(col.min()), float(col.max())
    span = hi - lo if hi > lo else max(abs(lo), 1.0)
    return lo - margin * span, hi + margin * span


def held_values(run: Run, whatif: dict[int, float] | None = None) -> list[float]:
    """Values for the features that are not on an axis: the what-if point's, else training medians."""
    pre = run.model.preprocessing
    held = [pre.feature_stats[n]["median"] for n in pre.feature_names]
    for j, v in (whatif or {}).items():
        held[j] = v
    return held


def grid_for(run: Run, x_feature: int, y_feature: int, held: list[float] | None = None,
             resolution: int = RESOLUTION) -> explain.Grid:
    """The model's output over a ``resolution`` x ``resolution`` grid; ``ValueError`` past the memory budget."""
    refusal = check_grid(run.net.layer_sizes, resolution * resolution)
    if refusal:
        raise ValueError(refusal)
    return explain.decision_grid(run.model, x_feature, y_feature, axis_range(run, x_feature),
                                 axis_range(run, y_feature), held=held, resolution=resolution)


def points_for(run: Run, x_feature: int, y_feature: int, show_test: bool = True) -> tuple[pd.DataFrame, str]:
    """Training (and test) rows as chart points, at most ``MAX_POINTS``; and a note if sampled."""
    ds = run.dataset
    train_idx, _, test_idx = run.split
    parts = [("train", train_idx)] + ([("test", test_idx)] if show_test and len(test_idx) else [])
    frames = []
    for name, idx in parts:
        label = ds.y[idx] if ds.class_names is None else np.asarray(ds.class_names, dtype=object)[ds.y[idx]]
        frames.append(pd.DataFrame({"px": ds.X[idx, x_feature], "py": ds.X[idx, y_feature],
                                    "label": label, "part": name}))
    points = pd.concat(frames, ignore_index=True)
    note = ""
    if len(points) > MAX_POINTS:
        points = points.sample(MAX_POINTS, random_state=0)
        note = f"Showing a random {MAX_POINTS:,} of {sum(len(i) for _, i in parts):,} rows."
    points.attrs["tooltip"] = [("px", ds.feature_names[x_feature]), ("py", ds.feature_names[y_feature])]
    return points, note


def boundary_chart(run: Run, x_feature: int, y_feature: int, *, show_test: bool = True,
                   discretize: bool = False, whatif: dict[int, float] | None = None,
                   selectable: bool = False, grid: explain.Grid | None = None, height: int = 420,
                   paths: pd.DataFrame | None = None) -> alt.LayerChart:
    """The whole boundary chart for a run on two chosen features (``paths``: counterfactual options drawn on it)."""
    ds = run.dataset
    if grid is None:
        grid = grid_for(run, x_feature, y_feature, held_values(run, whatif))
    cells = grid_cells(grid.xs, grid.ys, grid.values, ds.problem_type, ds.class_names, discretize)
    line = boundary_points(grid.xs, grid.ys, grid.values, ds.problem_type)
    points, note = points_for(run, x_feature, y_feature, show_test)
    domain = (float(np.min(ds.y)), float(np.max(ds.y))) if ds.problem_type == "regression" else None
    point = (whatif[x_feature], whatif[y_feature]) if whatif and x_feature in whatif and y_feature in whatif else None
    return decision_boundary(
        cells, line, points, x_title=ds.feature_names[x_feature], y_title=ds.feature_names[y_feature],
        problem_type=ds.problem_type, class_names=ds.class_names, value_domain=domain, whatif=point,
        paths=paths, selectable=selectable, sampled_note=note, height=height,
        equal_aspect=getattr(run.data_spec, "source", None) == "generated",  # both axes in the same units
    )


def held_note(run: Run, x_feature: int, y_feature: int, whatif: dict[int, float] | None = None) -> str:
    """The sentence under the chart saying where the other features are held."""
    names = run.dataset.feature_names
    others = [j for j in range(len(names)) if j not in (x_feature, y_feature)]
    if not others:
        return ""
    held = held_values(run, whatif)
    where = "the what-if values" if whatif else "their training medians"
    listed = ", ".join(f"{names[j]} = {held[j]:.4g}" for j in others[:6])
    more = f" and {len(others) - 6} more" if len(others) > 6 else ""
    return f"The other features are held at {where}: {listed}{more}."
