"""Loss curves of several runs on one chart, for the Share & compare page.

Colour says which run, the dash says which rows (solid: training loss,
dashed: validation loss). Both axes get explicit domains: epochs from 0 to
the longest run, loss from 0 to a little above the curves' starting
height, so one diverged run does not flatten all the others (its curve is
clipped at the top; the log scale shows it whole).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from ..runs import Run
from . import MAX_POINTS, class_colors
from .training import loss_frame

PART_DASH = {"train": [1, 0], "validation": [6, 4]}


def run_name(run: Run) -> str:
    """The legend's name of a run: ``Run 3 (2-8-8-1 tanh)``."""
    activation = run.config.activation if len(run.net.layer_sizes) > 2 else "no hidden layer"
    return f"Run {run.id} ({run.architecture} {activation})"


def compare_frame(runs: Sequence[Run], max_points: int = MAX_POINTS) -> tuple[pd.DataFrame, int]:
    """Long table ``run, epoch, part, loss`` of every run's curves, and the largest thinning step.

    Each run gets an equal share of ``max_points`` rows (curves with more
    epochs are thinned evenly, last epoch kept); non-finite losses (a
    diverged run's last epochs) are left out.
    """
    per_curve = max(2, max_points // (2 * max(len(runs), 1)))
    frames, largest_step = [], 1
    for run in runs:
        wide, step = loss_frame(run.history, per_curve)
        largest_step = max(largest_step, step)
        long = wide.melt(id_vars="epoch", value_vars=["train", "validation"], var_name="part", value_name="loss")
        long = long[np.isfinite(long["loss"].to_numpy(dtype=np.float64))]
        long.insert(0, "run", run_name(run))
        frames.append(long)
    if not frames:
        return pd.DataFrame({"run": [], "epoch": [], "part": [], "loss": []}), 1
    return pd.concat(frames, ignore_index=True), largest_step


def compare_y_domain(frame: pd.DataFrame, log: bool = False) -> list[float]:
    """The loss axis: ``[0, 1.05 top]`` where top is the highest loss, at most 3x the highest first loss.

    On a log scale, the padded range of every positive loss.
    """
    loss = frame["loss"].to_numpy(dtype=np.float64) if len(frame) else np.zeros(0)
    loss = loss[np.isfinite(loss)]
    if log:
        loss = loss[loss > 0]
        return [float(loss.min()) / 1.5, float(loss.max()) * 1.5] if loss.size else [1e-3, 1.0]
    if loss.size == 0:
        return [0.0, 1.0]
    first = float(frame.sort_values("epoch").groupby(["run", "part"])["loss"].first().max())
    top = float(loss.max())
    if first > 0:
        top = min(top, 3.0 * first)
    return [0.0, top * 1.05 if top > 0 else 1.0]


def compare_chart(frame: pd.DataFrame, *, run_names: Sequence[str], x_max: int, y_domain: Sequence[float],
                  log: bool = False, step: int = 1, height: int = 360) -> alt.Chart:
    """Overlaid loss curves: colour per run (``run_names`` fixes the order), dash per part."""
    names = list(run_names)
    x = alt.X("epoch:Q", title="epoch", scale=alt.Scale(domain=[0, max(int(x_max), 1)], nice=False))
    y = alt.Y("loss:Q", title="loss (log scale)" if log else "loss",
              scale=alt.Scale(domain=list(y_domain), type="log" if log else "linear", clamp=True, nice=False))
    data = frame[frame["loss"] > 0] if log else frame
    subtitle = ["solid: training loss · dashed: validation loss"]
    if step > 1:
        subtitle.append(f"long runs thinned: at most every {step}th epoch drawn")
    return alt.Chart(data).mark_line(strokeWidth=2, clip=True).encode(
        x=x,
        y=y,
        color=alt.Color("run:N", title="run", scale=alt.Scale(domain=names, range=class_colors(len(names))),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)),
        strokeDash=alt.StrokeDash("part:N", title="rows", scale=alt.Scale(
            domain=list(PART_DASH), range=list(PART_DASH.values())), legend=None),
        detail="part:N",
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("part:N", title="rows"), alt.Tooltip("epoch:Q"),
                 alt.Tooltip("loss:Q", format=".4g")],
    ).properties(height=height, title=alt.TitleParams("Loss per epoch, runs overlaid", subtitle=subtitle))
