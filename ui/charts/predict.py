"""What-if charts: class probabilities, per-feature sensitivity, and output sweeps.

Pure builders: frames from ``ui.whatif`` in, ``alt.Chart`` out. Feature and
class names (user text) only ever appear as data values, axis labels and
titles, which Vega draws as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from . import CLASS_COLORS, class_colors

RAISES, LOWERS = "raises the output", "lowers the output"
SIGN_COLORS = [CLASS_COLORS[1], CLASS_COLORS[0]]
SWEEP_COLUMNS = 4
MEASURES = {"per_unit": "per unit of the feature", "per_std": "per standard deviation of the feature"}


def probability_bars(class_names: Sequence[str], probabilities: Sequence[float], predicted: int) -> alt.LayerChart:
    """One bar per class (in class order) with its probability, the predicted one outlined."""
    frame = pd.DataFrame({
        "class": list(class_names),
        "p": [float(p) for p in probabilities],
        "predicted": [i == predicted for i in range(len(class_names))],
        "label": [f"{float(p):.3f}" for p in probabilities],
    })
    y = alt.Y("class:N", title=None, sort=list(class_names), scale=alt.Scale(domain=list(class_names)))
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("p:Q", title="Probability", scale=alt.Scale(domain=[0, 1])),
        y=y,
        color=alt.Color("class:N", legend=None, scale=alt.Scale(domain=list(class_names),
                                                                range=class_colors(len(class_names)))),
        stroke=alt.condition("datum.predicted", alt.value("#111111"), alt.value(None)),
        strokeWidth=alt.value(1.5),
        tooltip=[alt.Tooltip("class:N", title="class"), alt.Tooltip("p:Q", title="probability", format=".3f")],
    )
    text = alt.Chart(frame).mark_text(align="left", dx=3).encode(
        x=alt.X("p:Q", scale=alt.Scale(domain=[0, 1])), y=y, text="label:N",
    )
    return alt.layer(bars, text).properties(height=max(60, 28 * len(frame)), title="Class probabilities")


def sensitivity_bars(frame: pd.DataFrame, measure: str, output_label: str) -> alt.Chart:
    """Signed bars of ``frame[measure]`` per feature, biggest effect on top.

    ``frame`` from ``whatif.sensitivity_frame`` (``feature``, ``per_unit``,
    ``per_std``, ``order``). The x-scale is symmetric around zero.
    """
    data = frame.sort_values("order").assign(
        effect=lambda f: f[measure].astype(float),
        direction=lambda f: np.where(f[measure] >= 0, RAISES, LOWERS),
    )[["feature", "effect", "direction", "per_unit", "per_std"]]
    reach = float(np.abs(data["effect"]).max()) if len(data) else 0.0
    reach = reach * 1.1 if reach > 0 else 1.0
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("effect:Q", title=f"Change in {output_label} {MEASURES[measure]}",
                scale=alt.Scale(domain=[-reach, reach])),
        y=alt.Y("feature:N", title=None, sort=data["feature"].tolist(),
                scale=alt.Scale(domain=data["feature"].tolist())),
        color=alt.Color("direction:N", title="Increasing the feature",
                        scale=alt.Scale(domain=[RAISES, LOWERS], range=SIGN_COLORS),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("feature:N"), alt.Tooltip("per_unit:Q", title="per unit", format=".4g"),
                 alt.Tooltip("per_std:Q", title="per std. dev.", format=".4g")],
    ).properties(height=max(80, 24 * len(data)), title=f"Which inputs matter here ({output_label})")


def sweep_curves(frame: pd.DataFrame, features: Sequence[int], bounds: Mapping[int, tuple[float, float]],
                 current: Mapping[int, float], y_domain: Sequence[float], series: Sequence[str],
                 y_title: str, threshold: float | None = None, columns: int = SWEEP_COLUMNS) -> alt.ConcatChart:
    """Small multiples: the output as each feature sweeps its range, the others held.

    ``frame`` from ``whatif.sweep_frame`` (``j``, ``feature``, ``value``,
    ``output``, ``series``); one panel per feature in ``features`` order, its
    x-domain ``bounds[j]``, a rule at the current value and, for binary, a
    dashed rule at the decision threshold.
    """
    colors = class_colors(len(series))
    panels = []
    for j in features:
        part = frame[frame["j"] == j]
        name = str(part["feature"].iloc[0]) if len(part) else str(j)
        x = alt.X("value:Q", title=name, scale=alt.Scale(domain=list(bounds[j]), nice=False, zero=False))
        y = alt.Y("output:Q", title=y_title, scale=alt.Scale(domain=list(y_domain), zero=False))
        line = alt.Chart(part).mark_line().encode(
            x=x, y=y,
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=list(series), range=colors),
                            legend=alt.Legend(orient="bottom") if len(series) > 1 else None),
            tooltip=[alt.Tooltip("series:N", title="output"), alt.Tooltip("value:Q", title=name, format=".4g"),
                     alt.Tooltip("output:Q", format=".3f")],
        )
        now = alt.Chart(pd.DataFrame({"value": [float(current[j])]})).mark_rule(color="#111111").encode(
            x=alt.X("value:Q", scale=alt.Scale(domain=list(bounds[j]), nice=False, zero=False)),
        )
        layers = [line, now]
        if threshold is not None:
            layers.append(alt.Chart(pd.DataFrame({"output": [threshold]})).mark_rule(
                color="#777777", strokeDash=[4, 4]).encode(
                y=alt.Y("output:Q", scale=alt.Scale(domain=list(y_domain), zero=False))))
        panels.append(alt.layer(*layers).properties(width=170, height=130, title=name))
    return alt.concat(*panels, columns=columns).properties(
        title=alt.TitleParams("The output as each feature moves, the others held at the what-if point",
                              anchor="start")
    )
