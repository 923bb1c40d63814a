"""Explanation charts: attributions that add up, and partial dependence with individual curves.

Pure builders: frames from ``ui.explanations`` in, ``alt.Chart`` out. Input
names (user text) only appear as data values, axis labels and titles.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from .predict import LOWERS, RAISES, SIGN_COLORS

AVERAGE_COLOR = "#d95f02"
ICE_COLOR = "#8c8c8c"


def attribution_bars(frame: pd.DataFrame, output_label: str) -> alt.Chart:
    """Signed bars of each input's share of the change from the baseline, biggest on top.

    ``frame`` from ``explanations.attributions`` (``input``, ``baseline``,
    ``value``, ``share``); each bar is labelled ``input: baseline -> value``.
    The x-scale is symmetric around zero.
    """
    data = frame.assign(direction=np.where(frame["share"] >= 0, RAISES, LOWERS),
                        label=frame["input"] + ": " + frame["baseline"] + " -> " + frame["value"])
    order = data["label"].tolist()
    reach = float(np.abs(data["share"]).max()) if len(data) else 0.0
    reach = reach * 1.1 if reach > 0 else 1.0
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("share:Q", title=f"Share of the change in {output_label} from the baseline",
                scale=alt.Scale(domain=[-reach, reach])),
        y=alt.Y("label:N", title=None, sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelLimit=240)),
        color=alt.Color("direction:N", title="This input's value", legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[RAISES, LOWERS], range=SIGN_COLORS)),
        tooltip=[alt.Tooltip("input:N"), alt.Tooltip("baseline:N", title="baseline"),
                 alt.Tooltip("value:N", title="here"), alt.Tooltip("share:Q", format=".4g")],
    ).properties(height=alt.Step(22), title=f"Why {output_label} is what it is here (integrated gradients)")


def partial_dependence_chart(frame: pd.DataFrame, input_name: str, y_title: str, y_domain: Sequence[float],
                             categorical: bool = False) -> alt.LayerChart:
    """Thin grey lines: each row's output as the input moves (ICE); a thick line: their average (PD).

    ``frame`` from ``explanations.partial_dependence_frame`` (``curve``,
    ``value``, ``order``, ``output``; curve -1 is the average). A category's
    values sit on a nominal axis in their order, marked with points.
    """
    order = frame.loc[frame["curve"] == -1].sort_values("order")["value"].tolist()
    if categorical:
        x = alt.X("value:N", title=input_name, sort=order, scale=alt.Scale(domain=order),
                  axis=alt.Axis(labelAngle=0, labelLimit=120))
    else:
        x = alt.X("value:Q", title=input_name, scale=alt.Scale(nice=False, zero=False,
                                                               domain=[float(min(order)), float(max(order))]))
    y = alt.Y("output:Q", title=y_title, scale=alt.Scale(domain=list(y_domain), zero=False))
    rows = frame[frame["curve"] >= 0]
    average = frame[frame["curve"] == -1]
    ice = alt.Chart(rows).mark_line(color=ICE_COLOR, opacity=0.35, strokeWidth=1).encode(
        x=x, y=y, detail="curve:N", order="order:Q")
    pd_line = alt.Chart(average).mark_line(color=AVERAGE_COLOR, strokeWidth=3, point=bool(categorical)).encode(
        x=x, y=y, order="order:Q",
        tooltip=[alt.Tooltip("value", title=input_name), alt.Tooltip("output:Q", title="average", format=".3f")])
    n_rows = rows["curve"].nunique()
    return alt.layer(ice, pd_line).properties(
        height=300, title=alt.TitleParams(f"{y_title} as {input_name} changes",
                                          subtitle=[f"Grey: {n_rows} rows, each with its other inputs kept; "
                                                    "orange: the average over the sample (partial dependence)."]))
