"""A trained model applied to a user's table: the one way the CLI and the dashboard do it.

A :class:`~nn_core.preprocessing.Model` knows its raw feature columns by name
(``pre.feature_names``), its classes (``pre.class_names``) and its target
column. A new table (a ``pandas.DataFrame`` from :func:`nn_core.data.load_csv`)
is matched to it by column name:

- :func:`feature_frame`: the model's feature columns, as numbers ``(n, d)``;
  one-hot columns (``"island=Biscoe"``) are rebuilt from the raw column
  (``"island"``) with :func:`nn_core.data.value_name`, the rule that named them.
- :func:`targets`: the target column as class indices or values, and which
  rows have one.
- :func:`probabilities` and :func:`score`: one probability per class, and the
  headline score (accuracy, or R² by :func:`nn_core.metrics.r2_score`).

Every problem is a ``ValueError`` with a sentence naming the columns or labels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import metrics
from ..preprocessing import Model
from .csv_report import LoadReport
from .dataset import value_name


def feature_frame(frame: pd.DataFrame, feature_names: Sequence[str]) -> pd.DataFrame:
    """The model's raw feature columns of ``frame``, picked by name, as float64 (missing as NaN).

    Returns a frame of shape ``(n_rows, len(feature_names))`` in the model's
    column order. Raises ``ValueError`` naming the columns the file lacks, or
    a feature column that holds text.
    """
    feature_names = list(feature_names)
    frame = rebuild_one_hot(frame, feature_names)
    missing = [name for name in feature_names if name not in frame.columns]
    if missing:
        raise ValueError(
            f"The file is missing the feature column(s) the model needs: {name_list(missing)} "
            f"({len(missing)} of {len(feature_names)}; the file has: {name_list(frame.columns)})."
        )
    for name in feature_names:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            examples = ", ".join(repr(str(v)) for v in frame[name].dropna().unique()[:3])
            raise ValueError(f"The column '{name}' holds text ({examples}); the model needs numbers.")
    return frame[feature_names].astype(np.float64)


def rebuild_one_hot(frame: pd.DataFrame, feature_names: Sequence[str]) -> pd.DataFrame:
    """Add the model's ``column=value`` 0/1 columns that ``frame`` lacks, from the raw column.

    The raw file holds ``island`` with ``Biscoe``; the model wants
    ``island=Biscoe``: 1 where ``value_name(island) == "Biscoe"``, else 0, and
    missing where ``island`` is. A value absent from the file gives a column of
    zeros. Columns the file already has are left as they are.
    """
    added = {}
    for name in feature_names:
        if name in frame.columns:
            continue
        for i, char in enumerate(name):
            if char == "=" and name[:i] in frame.columns:
                cells = frame[name[:i]]
                values = cells.map(value_name, na_action="ignore")
                added[name] = (values == name[i + 1 :]).astype(np.float64).mask(cells.isna())
                break
    return frame.assign(**added) if added else frame


def targets(column: pd.Series, class_names: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """The target cells of the rows that have one, as the model's classes or values.

    Returns ``(rows, y)``: ``rows`` a boolean mask ``(n,)`` of the cells that
    hold a value, and ``y`` of shape ``(rows.sum(),)``: int64 class indices
    into ``class_names``, or float64 values when ``class_names`` is None
    (regression). ``ValueError`` for a label the model does not know, or text
    in a regression target.
    """
    target = str(column.name)
    rows = column.notna().to_numpy()
    present = column[rows]
    if class_names is None:
        if not pd.api.types.is_numeric_dtype(present):
            raise ValueError(
                f"The target column '{target}' holds text, but this model predicts numbers."
            )
        return rows, present.to_numpy(dtype=np.float64)
    names = present.map(value_name)
    unknown = sorted(set(names) - set(class_names))
    if unknown:
        raise ValueError(
            f"The target column '{target}' holds label(s) the model does not know: "
            f"{', '.join(repr(u) for u in unknown[:5])} (it knows {', '.join(class_names)})."
        )
    index = {name: i for i, name in enumerate(class_names)}
    return rows, names.map(index).to_numpy(dtype=np.int64)


def probabilities(model: Model, X) -> np.ndarray:
    """One probability per class, ``(n, k)``: a binary model's P(class 1) as ``[1 - p, p]``."""
    proba = model.predict_proba(X)
    return np.column_stack([1.0 - proba, proba]) if proba.ndim == 1 else proba


def score(model: Model, X, y: np.ndarray) -> tuple[str, float]:
    """The headline score of ``model`` on raw rows ``X`` ``(n, d)`` with targets ``y`` ``(n,)``.

    ``("Accuracy", share of rows whose predicted class is y)`` for a
    classifier, ``("R²", metrics.r2_score(y, prediction))`` for regression.
    """
    if model.preprocessing.class_names is None:
        return "R²", metrics.r2_score(y, model.predict_index(X))
    return "Accuracy", metrics.accuracy(y, model.predict_index(X))


def report_messages(report: LoadReport) -> list[str]:
    """The load report without its hints about text columns, which are for choosing inputs."""
    return dataclasses.replace(report, text_columns={}).messages()


def name_list(names, limit: int = 8) -> str:
    """``'a', 'b' and 3 more``: names quoted, so spaces and commas in them stay visible."""
    names = [repr(str(n)) for n in names]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
