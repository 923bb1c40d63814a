"""Pure chart builders: data in, ``alt.Chart`` out, no Streamlit.

One module per page family: ``explore`` (data), ``training`` (loss, boundary,
metrics), ``predict`` (what-if). Shared pieces (colours, sampling) are here.
Every builder sets explicit scale domains, so a redrawn chart does not jump.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: At most this many points go to any chart; more are sampled (and the chart says so).
MAX_POINTS = 5_000

#: Class colours (colour-blind safe, Okabe-Ito), in class order.
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                "#000000", "#999999", "#882255"]
#: Binary probability scale: class 0 colour -> white -> class 1 colour.
PROBA_RANGE = [CLASS_COLORS[0], "#f7f7f7", CLASS_COLORS[1]]


def class_colors(n_classes: int) -> list[str]:
    return [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(n_classes)]


def sample_rows(frame: pd.DataFrame, limit: int = MAX_POINTS, seed: int = 0) -> tuple[pd.DataFrame, bool]:
    """At most ``limit`` rows (a seeded random sample, original order kept); ``True`` if sampled."""
    if len(frame) <= limit:
        return frame, False
    idx = np.sort(np.random.default_rng(seed).choice(len(frame), size=limit, replace=False))
    return frame.iloc[idx], True


def padded_domain(values, pad: float = 0.05) -> list[float]:
    """``[min, max]`` of the finite values, widened by ``pad`` of the span (a unit span if constant)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return [0.0, 1.0]
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo if hi > lo else max(abs(lo), 1.0)
    return [lo - pad * span, hi + pad * span]
