"""The decision-boundary chart: the model's output over two features, the data on top.

Layers, bottom to top: a heatmap of the output on a grid (``rect`` cells with
quantitative edges, no Vega transforms), the decision boundary (where the
predicted class changes between neighbouring cells: P = 0.5 for binary), the
data points, and optionally the what-if point. Scale domains are fixed by the
grid and the classes, so redrawing during training never makes it jump.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import PROBA_RANGE, class_colors

SELECTION = "pick"  # name of the click selection on the heatmap cells


def grid_cells(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, problem_type: str,
               class_names: list[str] | None, discretize: bool = False) -> pd.DataFrame:
    """One row per grid cell: its edges (x, x2, y, y2), centre (cx, cy) and what to colour it by.

    ``values`` is ``(ny, nx)`` (P(class 1) or the regression value) or
    ``(ny, nx, k)`` (class probabilities).
    """
    dx = np.diff(xs).mean() if xs.size > 1 else 1.0
    dy = np.diff(ys).mean() if ys.size > 1 else 1.0
    gx, gy = np.meshgrid(xs, ys)
    frame = pd.DataFrame({
        "x": (gx - dx / 2).ravel(), "x2": (gx + dx / 2).ravel(),
        "y": (gy - dy / 2).ravel(), "y2": (gy + dy / 2).ravel(),
        "cx": gx.ravel(), "cy": gy.ravel(),
    })
    if problem_type == "multiclass":
        probs = values.reshape(-1, values.shape[-1])
        frame["class"] = np.asarray(class_names, dtype=object)[probs.argmax(axis=1)]
        frame["confidence"] = 1.0 if discretize else probs.max(axis=1)
    elif problem_type == "binary":
        p = values.ravel()
        frame["p"] = (p >= 0.5).astype(float) if discretize else p
    else:
        frame["value"] = values.ravel()
    return frame


def boundary_points(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, problem_type: str) -> pd.DataFrame:
    """Points on the decision boundary: midpoints between neighbouring cells of different class.

    Binary: where P(class 1) crosses 0.5, placed by linear interpolation.
    Multi-class: where the argmax changes. Regression has no boundary (empty).
    """
    if problem_type == "regression":
        return pd.DataFrame({"bx": [], "by": []})
    gx, gy = np.meshgrid(xs, ys)
    pts = []
    if problem_type == "binary":
        f = values - 0.5
        for axis in (0, 1):
            a = f[:-1, :] if axis == 0 else f[:, :-1]
            b = f[1:, :] if axis == 0 else f[:, 1:]
            cross = (a * b < 0)
            t = np.where(cross, a / np.where(cross, a - b, 1.0), 0.0)
            x0 = gx[:-1, :] if axis == 0 else gx[:, :-1]
            y0 = gy[:-1, :] if axis == 0 else gy[:, :-1]
            x1 = gx[1:, :] if axis == 0 else gx[:, 1:]
            y1 = gy[1:, :] if axis == 0 else gy[:, 1:]
            pts.append(np.stack([(x0 + t * (x1 - x0))[cross], (y0 + t * (y1 - y0))[cross]], axis=1))
    else:
        cls = values.argmax(axis=-1)
        for axis in (0, 1):
            a = cls[:-1, :] if axis == 0 else cls[:, :-1]
            b = cls[1:, :] if axis == 0 else cls[:, 1:]
            change = a != b
            x0 = gx[:-1, :] if axis == 0 else gx[:, :-1]
            y0 = gy[:-1, :] if axis == 0 else gy[:, :-1]
            x1 = gx[1:, :] if axis == 0 else gx[:, 1:]
            y1 = gy[1:, :] if axis == 0 else gy[:, 1:]
            pts.append(np.stack([((x0 + x1) / 2)[change], ((y0 + y1) / 2)[change]], axis=1))
    both = np.concatenate(pts) if pts else np.empty((0, 2))
    return pd.DataFrame({"bx": both[:, 0], "by": both[:, 1]})


def decision_boundary(
    cells: pd.DataFrame,
    boundary: pd.DataFrame,
    points: pd.DataFrame | None,
    *,
    x_title: str,
    y_title: str,
    problem_type: str,
    class_names: list[str] | None,
    value_domain: tuple[float, float] | None = None,
    whatif: tuple[float, float] | None = None,
    selectable: bool = False,
    sampled_note: str = "",
    height: int = 420,
) -> alt.LayerChart:
    """The layered boundary chart.

    ``cells`` from ``grid_cells``; ``boundary`` from ``boundary_points``;
    ``points`` has columns ``px``, ``py``, ``label`` (class name or value),
    ``part`` ("train"/"test"/...) plus tooltip fields listed as
    ``(field, title)`` pairs in ``points.attrs["tooltip"]`` (fields are safe
    names such as ``f0``; titles may be any user text). ``value_domain`` fixes the regression colour
    scale. ``selectable`` makes a click on a cell a selection named
    ``SELECTION`` with fields ``cx``/``cy``.
    """
    x_dom = [float(cells["x"].min()), float(cells["x2"].max())]
    y_dom = [float(cells["y"].min()), float(cells["y2"].max())]
    x_enc = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=x_dom, nice=False, zero=False))
    y_enc = alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=y_dom, nice=False, zero=False))
    if problem_type == "multiclass":
        colors = class_colors(len(class_names))
        fill = alt.Color("class:N", title="Predicted class", scale=alt.Scale(domain=class_names, range=colors))
        extra = {"opacity": alt.Opacity("confidence:Q", scale=alt.Scale(domain=[0, 1], range=[0.15, 0.75]),
                                        legend=None)}
        tip = [alt.Tooltip("class:N", title="predicted"), alt.Tooltip("confidence:Q", format=".3f")]
    elif problem_type == "binary":
        name1 = class_names[1] if class_names else "1"
        # a short gradient, so the three legends on the right fit beside the plot
        fill = alt.Color("p:Q", title=f"P({name1})", scale=alt.Scale(domain=[0, 1], range=PROBA_RANGE),
                         legend=alt.Legend(gradientLength=120))
        extra = {"opacity": alt.value(0.8)}
        tip = [alt.Tooltip("p:Q", title=f"P({name1})", format=".3f")]
    else:
        dom = list(value_domain) if value_domain else [float(cells["value"].min()), float(cells["value"].max())]
        fill = alt.Color("value:Q", title="Predicted", scale=alt.Scale(domain=dom, scheme="viridis"),
                         legend=alt.Legend(gradientLength=120))
        extra = {"opacity": alt.value(0.8)}
        tip = [alt.Tooltip("value:Q", title="predicted", format=".3f")]
    tip = [alt.Tooltip("cx:Q", title=x_title, format=".3g"), alt.Tooltip("cy:Q", title=y_title, format=".3g"), *tip]
    heat = alt.Chart(cells).mark_rect(stroke=None).encode(
        x=x_enc, x2="x2:Q", y=y_enc, y2="y2:Q", color=fill, tooltip=tip, **extra
    )
    if selectable:
        heat = heat.add_params(alt.selection_point(name=SELECTION, fields=["cx", "cy"], on="click"))
    layers: list[alt.Chart] = [heat]
    if len(boundary):
        layers.append(
            alt.Chart(boundary).mark_circle(size=6, color="#222222", opacity=0.9).encode(
                x=alt.X("bx:Q", scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
                y=alt.Y("by:Q", scale=alt.Scale(domain=y_dom, nice=False, zero=False)),
            )
        )
    if points is not None and len(points):
        tooltip_fields = list(points.attrs.get("tooltip", []))
        if problem_type == "regression":
            pcolor = alt.Color("label:Q", title="Actual", scale=alt.Scale(
                domain=list(value_domain) if value_domain else None, scheme="viridis"), legend=None)
        else:
            # multi-class: the same colours as the "Predicted class" legend, so no second legend
            pcolor = alt.Color("label:N", title="Class", scale=alt.Scale(
                domain=class_names, range=class_colors(len(class_names))),
                legend=None if problem_type == "multiclass" else alt.Legend())
        parts = sorted(points["part"].unique().tolist())
        layers.append(
            alt.Chart(points).mark_point(filled=True, size=38, strokeWidth=0.8, stroke="white").encode(
                x=alt.X("px:Q", scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
                y=alt.Y("py:Q", scale=alt.Scale(domain=y_dom, nice=False, zero=False)),
                color=pcolor,
                shape=alt.Shape("part:N", title="Rows", scale=alt.Scale(
                    domain=parts, range=["circle", "triangle-up", "square"][: len(parts)])),
                tooltip=[alt.Tooltip("part:N", title="rows"), alt.Tooltip("label", title="actual"),
                         *[alt.Tooltip(f"{f}:Q", title=t, format=".4g") for f, t in tooltip_fields]],
            )
        )
    if whatif is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"wx": [whatif[0]], "wy": [whatif[1]]})).mark_point(
                shape="cross", size=260, filled=True, color="#111111", stroke="white", strokeWidth=1.5
            ).encode(
                x=alt.X("wx:Q", scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
                y=alt.Y("wy:Q", scale=alt.Scale(domain=y_dom, nice=False, zero=False)),
                tooltip=[alt.Tooltip("wx:Q", title=x_title, format=".4g"), alt.Tooltip("wy:Q", title=y_title, format=".4g")],
            )
        )
    title = alt.TitleParams("Decision boundary" if problem_type != "regression" else "Predicted value",
                            subtitle=[sampled_note] if sampled_note else [])
    return alt.layer(*layers).properties(height=height, title=title).resolve_scale(color="independent")
