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
#: The heatmap's colours are those of this opacity over white, so the points stand out on it.
HEAT_ALPHA = 0.8
#: Multi-class cells: opacity over white from confidence 0 to 1 (a sure region is strongest).
CONFIDENCE_ALPHA = (0.15, 0.75)
#: Vega's "viridis" scheme at ten stops (the regression points use the scheme itself).
VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58",
           "#b5de2b", "#fde725"]
#: The rows' parts in the order their shapes are given (circle, triangle, square).
PARTS = ("train", "validation", "test")
#: The points' legends (class, rows) go under the plot, side by side: stacked on the right under
#: the colour gradient they did not fit beside a short chart, and the last one was cut off.
BELOW = alt.Legend(orient="bottom", direction="horizontal")
#: Height (px) of that legend row; ``height`` is the chart's without it.
LEGEND_ROW = 56


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def blend_over_white(rgb: np.ndarray, alpha) -> list[str]:
    """``#rrggbb`` of colours ``rgb`` ``(n, 3)`` drawn at opacity ``alpha`` (scalar or ``(n,)``) over white."""
    mixed = np.asarray(alpha, dtype=np.float64).reshape(-1, 1) * rgb + (1 - np.asarray(alpha).reshape(-1, 1)) * 255
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in np.rint(mixed).astype(int)]


def over_white(color: str, alpha: float) -> str:
    """``color`` (``#rrggbb``) as it looks at opacity ``alpha`` over white."""
    return blend_over_white(np.asarray([_rgb(color)]), alpha)[0]


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
    paths: pd.DataFrame | None = None,
    selectable: bool = False,
    sampled_note: str = "",
    height: int = 420,
    equal_aspect: bool = False,
) -> alt.LayerChart:
    """The layered boundary chart.

    ``cells`` from ``grid_cells``; ``boundary`` from ``boundary_points``;
    ``points`` has columns ``px``, ``py``, ``label`` (class name or value),
    ``part`` ("train"/"test"/...) plus tooltip fields listed as
    ``(field, title)`` pairs in ``points.attrs["tooltip"]`` (fields are safe
    names such as ``f0``; titles may be any user text). ``value_domain`` fixes the regression colour
    scale. ``paths`` (``option``, ``step``, ``px``, ``py``) draws each counterfactual option as a dashed
    path from the what-if point, its end labelled. ``selectable`` makes a click on a cell a selection named
    ``SELECTION`` with fields ``cx``/``cy``. ``height`` is the chart's
    without the points' legend row under it (``LEGEND_ROW`` more when there are points).
    ``equal_aspect`` (features in the same units, such as generated 2-D data) fixes the width to
    ``height x (x span / y span)``, so one unit is as long on both axes and a circle stays a circle.
    """
    x_dom = [float(cells["x"].min()), float(cells["x2"].max())]
    y_dom = [float(cells["y"].min()), float(cells["y2"].max())]
    x_enc = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=x_dom, nice=False, zero=False))
    y_enc = alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=y_dom, nice=False, zero=False))
    # The cells are opaque, coloured as if drawn at HEAT_ALPHA over white (lighter than the points on
    # top), and outlined 1 px in their own colour: anti-aliased edges of translucent (or unoutlined)
    # cells show a grid of seams where they meet; a 0.5 px outline still left lighter seams.
    legend_layer = None
    if problem_type == "multiclass":
        # colour and confidence make one colour per cell, computed here (no legend of its own)
        colors = class_colors(len(class_names))
        index = pd.Categorical(cells["class"], categories=class_names).codes
        alpha = CONFIDENCE_ALPHA[0] + (CONFIDENCE_ALPHA[1] - CONFIDENCE_ALPHA[0]) * cells["confidence"].to_numpy()
        cells = cells.assign(fill=blend_over_white(np.asarray([_rgb(c) for c in colors])[index], alpha))
        field, title, scale, legend = "fill:N", None, None, None
        legend_layer = alt.Chart(pd.DataFrame({"class": class_names})).mark_square(opacity=0).encode(
            color=alt.Color("class:N", title="Predicted class", legend=alt.Legend(symbolOpacity=1), scale=alt.Scale(
                domain=class_names, range=[over_white(c, CONFIDENCE_ALPHA[1]) for c in colors])))
        tip = [alt.Tooltip("class:N", title="predicted"), alt.Tooltip("confidence:Q", format=".3f")]
    elif problem_type == "binary":
        name1 = class_names[1] if class_names else "1"
        field, title = "p:Q", f"P({name1})"
        scale = alt.Scale(domain=[0, 1], range=[over_white(c, HEAT_ALPHA) for c in PROBA_RANGE])
        legend = alt.Legend(gradientLength=120)
        tip = [alt.Tooltip("p:Q", title=f"P({name1})", format=".3f")]
    else:
        dom = list(value_domain) if value_domain else [float(cells["value"].min()), float(cells["value"].max())]
        field, title = "value:Q", "Predicted"
        # clamped: a diverged net predicts far outside the target's range (unclamped, that paints black)
        scale = alt.Scale(domain=dom, range=[over_white(c, HEAT_ALPHA) for c in VIRIDIS], clamp=True)
        legend = alt.Legend(gradientLength=120)
        tip = [alt.Tooltip("value:Q", title="predicted", format=".3f")]
    tip = [alt.Tooltip("cx:Q", title=x_title, format=".3g"), alt.Tooltip("cy:Q", title=y_title, format=".3g"), *tip]
    heat = alt.Chart(cells).mark_rect(strokeWidth=1).encode(
        x=x_enc, x2="x2:Q", y=y_enc, y2="y2:Q", color=alt.Color(field, title=title, scale=scale, legend=legend),
        stroke=alt.Stroke(field, scale=scale, legend=None), tooltip=tip,
    )
    if selectable:
        heat = heat.add_params(alt.selection_point(name=SELECTION, fields=["cx", "cy"], on="click"))
    layers: list[alt.Chart] = [heat] + ([legend_layer] if legend_layer is not None else [])
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
                legend=None if problem_type == "multiclass" else BELOW)
        present = set(points["part"])
        parts = [p for p in PARTS if p in present] + sorted(present - set(PARTS))
        # a dark outline: a point on the region of its own class (the same hue) stays visible
        layers.append(
            alt.Chart(points).mark_point(filled=True, size=38, strokeWidth=0.6, stroke="#333333").encode(
                x=alt.X("px:Q", scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
                y=alt.Y("py:Q", scale=alt.Scale(domain=y_dom, nice=False, zero=False)),
                color=pcolor,
                shape=alt.Shape("part:N", title="Rows", legend=BELOW, scale=alt.Scale(
                    domain=parts, range=["circle", "triangle-up", "square", "diamond"][: len(parts)])),
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
    if paths is not None and len(paths):
        px = alt.X("px:Q", scale=alt.Scale(domain=x_dom, nice=False, zero=False))
        py = alt.Y("py:Q", scale=alt.Scale(domain=y_dom, nice=False, zero=False))
        layers.append(alt.Chart(paths).mark_line(color="#111111", strokeDash=[5, 3], strokeWidth=2).encode(
            x=px, y=py, detail="option:N", order="step:Q"))
        ends = paths[paths["step"] == paths["step"].max()]
        tip = [alt.Tooltip("option:N"), alt.Tooltip("px:Q", title=x_title, format=".4g"),
               alt.Tooltip("py:Q", title=y_title, format=".4g")]
        layers.append(alt.Chart(ends).mark_point(shape="diamond", size=120, filled=True, color="#111111",
                                                 stroke="white").encode(x=px, y=py, tooltip=tip))
        layers.append(alt.Chart(ends).mark_text(align="left", dx=8, dy=-8, fontWeight="bold").encode(
            x=px, y=py, text="option:N"))
    title = alt.TitleParams("Decision boundary" if problem_type != "regression" else "Predicted value",
                            subtitle=[sampled_note] if sampled_note else [])
    # the points' legends take a row under the plot: the chart grows by it, so the plot keeps its size
    below = LEGEND_ROW if points is not None and len(points) else 0
    chart = alt.layer(*layers).properties(height=height + below, title=title).resolve_scale(color="independent")
    if equal_aspect:
        chart = chart.properties(width=round(height * (x_dom[1] - x_dom[0]) / (y_dom[1] - y_dom[0])))
    return chart
