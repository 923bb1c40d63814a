"""The Train page's judgement logic: which held-out rows sit in a clicked cell of the confusion matrix.

No Streamlit: the chart's selection event and the run in, rows out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .charts.training import CELL
from .runs import Run, held_out_part

#: At most this many rows of a cell are listed.
MAX_CELL_ROWS = 500


def picked_cell(event: Mapping | None) -> tuple[str, str] | None:
    """``(actual, predicted)`` class names of the clicked cell, or None (nothing picked, or deselected).

    ``event`` is the chart's selection state
    (``{"selection": {CELL: [{"actual": .., "predicted": ..}]}}``).
    """
    picked = ((event or {}).get("selection") or {}).get(CELL)
    if isinstance(picked, Mapping):
        picked = [picked]
    if not picked:
        return None
    last = picked[-1]
    try:
        return str(np.ravel(last["actual"])[0]), str(np.ravel(last["predicted"])[0])
    except (KeyError, TypeError, IndexError):
        return None


def cell_rows(run: Run, actual: str, predicted: str, scores: np.ndarray, threshold: float = 0.5) -> pd.DataFrame:
    """The held-out rows whose true class is ``actual`` and predicted class ``predicted``.

    ``scores`` are the model's scores on the held-out part (P(class 1) ``(n,)``
    or ``(n, k)``), predicted with ``threshold`` for binary, as the confusion
    matrix was. Columns: ``row`` (the data's row number), the features, and
    the probability of each class; at most ``MAX_CELL_ROWS`` rows.
    """
    ds = run.dataset
    part = held_out_part(run)
    idx = dict(zip(("train", "validation", "test"), run.split))[part]
    scores = np.asarray(scores, dtype=np.float64)
    pred = (scores >= threshold).astype(np.int64) if scores.ndim == 1 else scores.argmax(axis=1)
    names = list(ds.class_names)
    if actual not in names or predicted not in names:
        return pd.DataFrame(columns=["row", *ds.feature_names])
    keep = (ds.y[idx] == names.index(actual)) & (pred == names.index(predicted))
    probs = np.column_stack([1 - scores, scores]) if scores.ndim == 1 else scores
    table = pd.DataFrame(ds.X[idx[keep]], columns=ds.feature_names)
    table.insert(0, "row", idx[keep])
    for c, name in enumerate(names):
        table[f"P({name})"] = probs[keep, c]
    return table.head(MAX_CELL_ROWS)
