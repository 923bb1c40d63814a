"""Charts of the seed-article page: the article's printed "loss", the neuron's line."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import CLASS_COLORS, padded_domain

PRINTED_COLOR = "#D55E00"


def printed_loss(values: list[float], title: str, subtitle: str = "") -> alt.Chart:
    """The article's printed "loss" (signed sum of errors) per epoch, with the zero line.

    The y title stays short (a long one is taller than the plot and pushes the
    title out of the chart); what the number is goes in the subtitle.
    """
    frame = pd.DataFrame({"epoch": np.arange(1, len(values) + 1), "printed": values})
    dom = padded_domain(np.r_[values, 0.0])
    line = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=14, color=PRINTED_COLOR),
                                      color=PRINTED_COLOR).encode(
        x=alt.X("epoch:Q", title="Epoch", scale=alt.Scale(domain=[1, max(len(values), 2)], nice=False)),
        y=alt.Y("printed:Q", title='Printed "loss"', scale=alt.Scale(domain=dom)),
        tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("printed:Q", format=".1f")],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#888888", strokeDash=[4, 4]).encode(y="y:Q")
    lines = ["the signed sum of the errors, as the article prints it"] + ([subtitle] if subtitle else [])
    return alt.layer(line, zero).properties(height=300, title=alt.TitleParams(title, subtitle=lines))


def loss_curve(values: list[float], title: str) -> alt.Chart:
    """A mean binary cross-entropy curve per epoch."""
    frame = pd.DataFrame({"epoch": np.arange(1, len(values) + 1), "loss": values})
    return alt.Chart(frame).mark_line(color=CLASS_COLORS[0]).encode(
        x=alt.X("epoch:Q", title="Epoch", scale=alt.Scale(domain=[1, max(len(values), 2)], nice=False)),
        y=alt.Y("loss:Q", title="Binary cross-entropy", scale=alt.Scale(domain=[0, max(values) * 1.05])),
        tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("loss:Q", format=".4f")],
    ).properties(height=240, title=title)


def neuron_line(X: np.ndarray, y: np.ndarray, part: np.ndarray, weights: np.ndarray, bias: float,
                names: tuple[str, str], class_names: list[str]) -> alt.LayerChart:
    """The data on two raw features with the neuron's decision line ``w1 x1 + w2 x2 + b = 0``.

    ``part`` labels each row "train" or "test". The line is drawn across the
    x range, clipped to the y domain.
    """
    x_dom, y_dom = padded_domain(X[:, 0]), padded_domain(X[:, 1])
    frame = pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "label": np.asarray(class_names, dtype=object)[y],
                          "part": part})
    points = alt.Chart(frame).mark_point(filled=True, size=30, opacity=0.75).encode(
        x=alt.X("x:Q", title=names[0], scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
        y=alt.Y("y:Q", title=names[1], scale=alt.Scale(domain=y_dom, nice=False, zero=False)),
        color=alt.Color("label:N", title="Diabetes", scale=alt.Scale(domain=class_names, range=CLASS_COLORS[:2])),
        shape=alt.Shape("part:N", title="Rows", scale=alt.Scale(domain=["train", "test"],
                                                               range=["circle", "triangle-up"])),
        tooltip=[alt.Tooltip("x:Q", title=names[0]), alt.Tooltip("y:Q", title=names[1]),
                 alt.Tooltip("label:N", title="Diabetes"), alt.Tooltip("part:N", title="rows")],
    )
    w1, w2 = float(weights[0]), float(weights[1])
    xs = np.linspace(x_dom[0], x_dom[1], 200)
    line_frame = pd.DataFrame({"lx": xs, "ly": -(w1 * xs + bias) / w2 if w2 != 0 else np.nan})
    line_frame = line_frame[(line_frame["ly"] >= y_dom[0]) & (line_frame["ly"] <= y_dom[1])]
    line = alt.Chart(line_frame).mark_line(color="#111111", strokeWidth=2.5).encode(
        x=alt.X("lx:Q", scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
        y=alt.Y("ly:Q", scale=alt.Scale(domain=y_dom, nice=False, zero=False)),
    )
    return alt.layer(points, line).properties(
        height=380, title=alt.TitleParams("The correct neuron's decision line",
                                          subtitle=["P(Diabetes) = 0.5 on the black line"]))
