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

from . import class_colors

RAISES, LOWERS = "raises the output", "lowers the output"
SIGN_COLORS = ["#4d9221", "#c51b7d"]  # green raises, magenta lowers: apart from the class colours
SWEEP_COLUMNS = 4
# Bars on a nominal axis get a height per band (alt.Step): in Streamlit 1.67 a fixed pixel
# height with a nominal y-axis collapses every band onto one line.
MEASURES = {"per_unit": "per unit of the feature", "per_std": "per standard deviation of the feature"}


def probability_bars(class_names: Sequence[str], probabilities: Sequence[float], predicted: int) -> alt.LayerChart:
    """One bar per class (in class order) with its probability; the predicted class is outlined."""
    frame = pd.DataFrame({
        "class": list(class_names),
        "p": [float(p) for p in probabilities],
        "outline": ["#111111" if i == predicted else "transparent" for i in range(len(class_names))],
        "label": [f"{float(p):.3f}" + (" (predicted)" if i == predicted else "")
                  for i, p in enumerate(probabilities)],
    })
    x = alt.X("p:Q", title="Probability", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("class:N", title=None, sort=list(class_names), scale=alt.Scale(domain=list(class_names)))
    bars = alt.Chart().mark_bar(strokeWidth=1.5).encode(
        x=x, y=y,
        color=alt.Color("class:N", legend=None, scale=alt.Scale(domain=list(class_names),
                                                                range=class_colors(len(class_names)))),
        stroke=alt.Stroke("outline:N", scale=None, legend=None),
        tooltip=[alt.Tooltip("class:N", title="class"), alt.Tooltip("p:Q", title="probability", format=".3f")],
    )
    text = alt.Chart().mark_text(align="left", dx=3).encode(x=x, y=y, text=alt.Text("label:N"))
    return alt.layer(bars, text, data=frame).properties(height=alt.Step(26), title="Class probabilities")


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
        y=alt.Y("feature:N", title=None, sort=data["feature"].tolist(), axis=alt.Axis(labelLimit=240),
                scale=alt.Scale(domain=data["feature"].tolist())),
        color=alt.Color("direction:N", title="Increasing the feature",
                        scale=alt.Scale(domain=[RAISES, LOWERS], range=SIGN_COLORS),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("feature:N"), alt.Tooltip("per_unit:Q", title="per unit", format=".4g"),
                 alt.Tooltip("per_std:Q", title="per std. dev.", format=".4g")],
    ).properties(height=alt.Step(22), title=f"Which inputs matter here ({output_label})")


def sweep_curves(frame: pd.DataFrame, features: Sequence[int], current: Mapping[int, float],
                 y_domain: Sequence[float], series: Sequence[str], y_title: str,
                 threshold: float | None = None, columns: int = SWEEP_COLUMNS) -> alt.FacetChart:
    """Small multiples: the output as each feature sweeps its range, the others held.

    ``frame`` from ``whatif.sweep_frame`` (``j``, ``feature``, ``value``,
    ``output``, ``series``); one panel per feature in ``features`` order, with
    a rule at the feature's ``current`` value and, for binary, a dashed rule at
    the decision threshold. Each panel's x-domain is its own sweep range
    (the feature's input range: the sweep starts and ends there); the
    y-domain ``y_domain`` is shared.
    """
    order = [str(frame.loc[frame["j"] == j, "feature"].iloc[0]) for j in features if (frame["j"] == j).any()]
    data = frame[frame["j"].isin(list(features))].assign(now=lambda f: f["j"].map(current).astype(float))
    x = alt.X("value:Q", title=None, scale=alt.Scale(nice=False, zero=False))
    y = alt.Y("output:Q", title=y_title, scale=alt.Scale(domain=list(y_domain), zero=False))
    line = alt.Chart().mark_line().encode(
        x=x, y=y,
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=list(series), range=class_colors(len(series))),
                        legend=alt.Legend(orient="bottom") if len(series) > 1 else None),
        tooltip=[alt.Tooltip("series:N", title="output"), alt.Tooltip("value:Q", format=".4g"),
                 alt.Tooltip("output:Q", format=".3f")],
    )
    layers = [line, alt.Chart().mark_rule(color="#111111").encode(x=alt.X("now:Q"))]
    if threshold is not None:
        layers.append(alt.Chart().mark_rule(color="#777777", strokeDash=[4, 4]).encode(y=alt.YDatum(threshold)))
    width = max(170, 680 // max(1, min(columns, len(order))) - 40)  # one or two panels: wider
    return alt.layer(*layers, data=data).properties(width=width, height=130).facet(
        facet=alt.Facet("feature:N", title=None, sort=order, header=alt.Header(labelFontWeight="bold")),
        columns=columns,
    ).resolve_scale(x="independent").properties(
        title=alt.TitleParams("The output as each feature moves, the others held at the what-if point",
                              anchor="start")
    )
