"""Charts of the Explore page: class balance, class-split histograms, a scatter, a correlation heatmap.

Pure builders: tables in (from ``ui.explore``), ``alt.Chart`` out. Field
names inside a chart are fixed safe names (``x``, ``group``, ...): a user's
column may be called ``a.b`` or ``[x]``, which Vega would read as a nested
field, so user names only ever appear as titles and data values (drawn as
text). Every scale has an explicit domain.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from . import MAX_POINTS, class_colors, padded_domain, sample_rows

HISTOGRAM_COLUMNS = 3
HEATMAP_LABELS_UP_TO = 12  # more cells than 12 x 12 and the numbers no longer fit


def sampled_note(shown: int, total: int) -> str:
    """The subtitle of a sampled chart, e.g. ``"Sampled: 5,000 of 100,000 rows shown"``."""
    return f"Sampled: {shown:,} of {total:,} rows shown" if shown < total else ""


def class_balance_chart(balance: pd.DataFrame, *, title: str = "Class balance") -> alt.LayerChart:
    """Horizontal bars of rows per class, labelled with count and share.

    ``balance`` has columns ``class``, ``count``, ``share`` (from ``ui.explore.class_balance``).
    """
    classes = [str(c) for c in balance["class"]]
    data = balance.assign(label=[f"{c:,} ({s:.1%})" for c, s in zip(balance["count"], balance["share"])])
    top = max(int(balance["count"].max()) if len(balance) else 1, 1)
    x = alt.X("count:Q", title="Rows", scale=alt.Scale(domain=[0, top * 1.25], nice=False),
              axis=alt.Axis(tickCount=6, format="~s"))
    y = alt.Y("class:N", title="Class", sort=classes, scale=alt.Scale(domain=classes))
    base = alt.Chart(data).encode(x=x, y=y)
    bars = base.mark_bar().encode(
        color=alt.Color("class:N", scale=alt.Scale(domain=classes, range=class_colors(len(classes))),
                        legend=None),
        tooltip=[alt.Tooltip("class:N", title="class"), alt.Tooltip("count:Q", format=","),
                 alt.Tooltip("share:Q", format=".1%")],
    )
    labels = base.mark_text(align="left", dx=4).encode(text="label:N")
    return alt.layer(bars, labels).properties(title=title, height=alt.Step(28))


def target_histogram_chart(bins: pd.DataFrame, *, target_title: str) -> alt.Chart:
    """Bars of a regression target's distribution (``bin_start``, ``bin_end``, ``count``)."""
    x_dom = [float(bins["bin_start"].min()), float(bins["bin_end"].max())] if len(bins) else [0.0, 1.0]
    top = max(int(bins["count"].max()) if len(bins) else 1, 1)
    return alt.Chart(bins).mark_bar(color=class_colors(1)[0]).encode(
        x=alt.X("bin_start:Q", title=target_title, scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
        x2="bin_end:Q",
        y=alt.Y("count:Q", title="Rows", scale=alt.Scale(domain=[0, top])),
        y2=alt.datum(0),
        tooltip=[alt.Tooltip("bin_start:Q", title="from", format=".4g"),
                 alt.Tooltip("bin_end:Q", title="to", format=".4g"), alt.Tooltip("count:Q", format=",")],
    ).properties(title=alt.TitleParams("Target distribution", subtitle=[target_title]), height=180)


def histograms_chart(hist: pd.DataFrame, group_names: Sequence[str], *, group_title: str = "Class",
                     columns: int = HISTOGRAM_COLUMNS) -> alt.ConcatChart:
    """Small multiples: one histogram per feature, bars of each group overlaid (not stacked).

    ``hist`` has columns ``feature``, ``group``, ``bin_start``, ``bin_end``,
    ``count`` (from ``ui.explore.histograms``). Each panel has its own x
    domain (the feature's range) and y domain (its tallest bar); the colour
    domain is the groups, shared by all panels.
    """
    groups = [str(g) for g in group_names]
    color = alt.Color("group:N", title=group_title,
                      scale=alt.Scale(domain=groups, range=class_colors(len(groups))))
    panels = []
    for feature in dict.fromkeys(hist["feature"]):
        part = hist[hist["feature"] == feature].drop(columns="feature")
        x_dom = [float(part["bin_start"].min()), float(part["bin_end"].max())]
        top = max(int(part["count"].max()), 1)
        panels.append(alt.Chart(part).mark_bar(opacity=0.55, binSpacing=0).encode(
            x=alt.X("bin_start:Q", title=str(feature), scale=alt.Scale(domain=x_dom, nice=False, zero=False)),
            x2="bin_end:Q",
            y=alt.Y("count:Q", title="Rows", stack=None, scale=alt.Scale(domain=[0, top])),
            y2=alt.datum(0),
            color=color,
            tooltip=[alt.Tooltip("group:N", title=group_title.lower()),
                     alt.Tooltip("bin_start:Q", title="from", format=".4g"),
                     alt.Tooltip("bin_end:Q", title="to", format=".4g"), alt.Tooltip("count:Q", format=",")],
        ).properties(width=220, height=140))
    return alt.concat(*panels, columns=columns).properties(
        title=alt.TitleParams("Distribution of each feature", subtitle=[f"split by {group_title.lower()}"])
    )


def scatter_chart(x: np.ndarray, y: np.ndarray, color: np.ndarray, *, x_title: str, y_title: str,
                  color_title: str, class_names: Sequence[str] | None, seed: int = 0) -> alt.Chart:
    """Two features against each other, one point per row, coloured by class (or target value).

    At most ``MAX_POINTS`` points (a seeded sample; the subtitle says so).
    Rows with a missing x or y are left out. ``class_names`` None means
    ``color`` holds regression values (a continuous scale).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    frame = pd.DataFrame({"x": x[ok], "y": y[ok], "c": np.asarray(color)[ok]})
    shown, _ = sample_rows(frame, MAX_POINTS, seed)
    notes = [sampled_note(len(shown), len(frame))]
    if not ok.all():
        notes.append(f"{int((~ok).sum()):,} rows with a missing value are not shown")
    if class_names is None:
        c_dom = padded_domain(frame["c"], pad=0.0)
        c_enc = alt.Color("c:Q", title=color_title, scale=alt.Scale(domain=c_dom, scheme="viridis"))
    else:
        names = [str(n) for n in class_names]
        c_enc = alt.Color("c:N", title=color_title, scale=alt.Scale(domain=names, range=class_colors(len(names))))
    return alt.Chart(shown).mark_circle(size=22, opacity=0.7).encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(domain=padded_domain(frame["x"]), nice=False, zero=False)),
        y=alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=padded_domain(frame["y"]), nice=False, zero=False)),
        color=c_enc,
        tooltip=[alt.Tooltip("x:Q", title=x_title, format=".4g"), alt.Tooltip("y:Q", title=y_title, format=".4g"),
                 alt.Tooltip("c", title=color_title)],
    ).properties(title=alt.TitleParams(f"{y_title} against {x_title}", subtitle=[n for n in notes if n]),
                 height=380)


def correlation_chart(corr: pd.DataFrame, names: Sequence[str], *, note: str = "") -> alt.LayerChart:
    """Heatmap of Pearson correlations (``a``, ``b``, ``r``), blue -1 .. white 0 .. red +1.

    ``names`` fixes the order of both axes; the r values are written in the
    cells when there are at most ``HEATMAP_LABELS_UP_TO`` names.
    """
    names = [str(n) for n in names]
    data = corr.assign(label=[f"{r:.2f}" if np.isfinite(r) else "" for r in corr["r"]],
                       strong=np.abs(corr["r"].fillna(0.0)) > 0.6)
    axis = {"labelLimit": 160, "labelOverlap": False}
    base = alt.Chart(data).encode(
        x=alt.X("a:N", title=None, sort=names, scale=alt.Scale(domain=names), axis=alt.Axis(labelAngle=-45, **axis)),
        y=alt.Y("b:N", title=None, sort=names, scale=alt.Scale(domain=names), axis=alt.Axis(**axis)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("r:Q", title="r", scale=alt.Scale(domain=[-1, 1], scheme="redblue", reverse=True)),
        tooltip=[alt.Tooltip("a:N", title="feature"), alt.Tooltip("b:N", title="with"),
                 alt.Tooltip("r:Q", format=".3f")],
    )
    layers = [cells]
    if len(names) <= HEATMAP_LABELS_UP_TO:
        layers.append(base.mark_text(fontSize=11).encode(
            text="label:N",
            color=alt.condition(alt.datum.strong, alt.value("white"), alt.value("#222222")),
        ))
    cell = alt.Step(int(min(56, max(16, 520 // max(len(names), 1)))))
    title = alt.TitleParams("Correlation between features", subtitle=[note] if note else [])
    return alt.layer(*layers).properties(title=title, width=cell, height=cell)
