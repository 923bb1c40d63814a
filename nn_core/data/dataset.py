"""The ``Dataset`` type, and a user's table turned into one.

- :class:`Dataset` holds ``X`` of shape ``(n_samples, n_features)`` (float64)
  and ``y`` of shape ``(n_samples,)``: int64 labels ``0..k-1`` for
  classification, float64 values for regression.
- :func:`make_dataset` turns a table (a ``pandas.DataFrame``, e.g. from
  :func:`nn_core.data.load_csv`) into a ``Dataset``, inferring the problem type
  from the target column with :func:`encode_target`.
- :func:`value_name` is the one display name of a cell value, used for class
  names and one-hot column names alike (``1.0`` -> ``"1"``).

The 2-D generators are in :mod:`nn_core.data.generators`, the bundled tables
in :mod:`nn_core.data.bundled`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

PROBLEM_TYPES = ("binary", "multiclass", "regression")
MAX_CLASSES = 20
"""A target with at most this many distinct integer or text values is a class label."""


# --------------------------------------------------------------------------- #
# The Dataset type
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A table ready for the network: features ``X``, targets ``y`` and their names.

    Attributes
    ----------
    X : np.ndarray, shape (n_samples, n_features), float64
        Inputs. NaN only when built with ``make_dataset(..., missing="keep")``.
    y : np.ndarray, shape (n_samples,)
        int64 class indices ``0..k-1`` (``"binary"``, ``"multiclass"``) or
        float64 values (``"regression"``).
    feature_names : list of str
        One name per column of ``X``.
    class_names : list of str or None
        ``class_names[i]`` is the label encoded as ``i``; None for regression.
    target_name : str
        Name of the column that ``y`` came from.
    problem_type : {"binary", "multiclass", "regression"}
    name : str
        Display name, e.g. ``"moons"``.
    notes : tuple of str
        Sentences about what was done to the data (rows dropped, ...).

    Notes
    -----
    Equality is identity (``eq=False``): comparing arrays element-wise has no
    single truth value, so compare ``X`` and ``y`` with ``np.array_equal``.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    class_names: list[str] | None
    target_name: str
    problem_type: str
    name: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.problem_type not in PROBLEM_TYPES:
            raise ValueError(
                f"problem_type must be one of {', '.join(PROBLEM_TYPES)}; got {self.problem_type!r}."
            )
        X = np.asarray(self.X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, shape (n_samples, n_features); got shape {X.shape}.")
        is_regression = self.problem_type == "regression"
        y = np.asarray(self.y, dtype=np.float64 if is_regression else np.int64)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape ({X.shape[0]},) to match X; got {y.shape}.")
        if len(self.feature_names) != X.shape[1]:
            raise ValueError(
                f"X has {X.shape[1]} columns but {len(self.feature_names)} feature names were given."
            )
        if is_regression != (self.class_names is None):
            raise ValueError(
                "class_names must be None for regression and a list for classification."
            )
        if not is_regression and y.size and (y.min() < 0 or y.max() >= len(self.class_names)):
            raise ValueError(f"y must hold class indices 0..{len(self.class_names) - 1}.")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", [str(f) for f in self.feature_names])
        if self.class_names is not None:
            object.__setattr__(self, "class_names", [str(c) for c in self.class_names])
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def n_samples(self) -> int:
        """Number of rows of ``X``."""
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """Number of columns of ``X``."""
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int:
        """Number of classes; 0 for regression."""
        return 0 if self.class_names is None else len(self.class_names)

    def __repr__(self) -> str:
        kind = self.problem_type
        if self.class_names is not None:
            kind += f", classes {self.class_names}"
        label = f"{self.name!r}: " if self.name else ""
        return (
            f"Dataset({label}{self.n_samples} samples x {self.n_features} features, {kind}, "
            f"target {self.target_name!r})"
        )


# --------------------------------------------------------------------------- #
# Target encoding: problem type and class names
# --------------------------------------------------------------------------- #


def value_name(value: object) -> str:
    """A cell value as a class or one-hot name: integral floats print as ints (``1.0`` -> ``"1"``).

    The one rule by which a target cell becomes a class name in training, a
    one-hot column is named (``"grade=1"``) and a new file's cells are matched
    to both when a model is applied.
    """
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _numeric_target(target: pd.Series) -> pd.Series | None:
    """The target as numbers, or None when it holds text."""
    if pd.api.types.is_bool_dtype(target):
        return target.astype(np.int64)
    if pd.api.types.is_numeric_dtype(target):
        return target
    converted = pd.to_numeric(target, errors="coerce")
    return converted if converted.notna().all() else None


def encode_target(
    target: pd.Series, problem_type: str | None = None
) -> tuple[np.ndarray, list[str] | None, str]:
    """Infer the problem type of a target column and encode it.

    Rules: exactly two distinct values -> ``"binary"``; up to
    :data:`MAX_CLASSES` distinct integer or text values -> ``"multiclass"``;
    other numbers -> ``"regression"``. Class names are sorted (numerically for
    numbers) and class ``i`` is ``class_names[i]``.

    Parameters
    ----------
    target : pd.Series
        Target values with no missing entries.
    problem_type : {"binary", "multiclass", "regression"} or None
        Overrides the inference; None infers.

    Returns
    -------
    y : np.ndarray, shape (n,)
        int64 class indices, or float64 values for regression.
    class_names : list of str or None
    problem_type : str
    """
    name = str(target.name)
    if problem_type is not None and problem_type not in PROBLEM_TYPES:
        raise ValueError(
            f"problem_type must be one of {', '.join(PROBLEM_TYPES)} (or None to infer it); "
            f"got {problem_type!r}."
        )
    numeric = _numeric_target(target)
    values = pd.Series(numeric if numeric is not None else target.astype(str))
    distinct = values.unique()
    if len(distinct) == 1:
        raise ValueError(
            f"The target column '{name}' has only one class ('{value_name(distinct[0])}'): "
            "there is nothing to tell apart, a model needs at least two."
        )
    if problem_type is None:
        problem_type = _infer_problem_type(numeric, len(distinct))
    if problem_type == "regression":
        if numeric is None:
            raise ValueError(
                f"The target column '{name}' holds text, so it cannot be a regression target; "
                "choose binary or multiclass."
            )
        return numeric.to_numpy(dtype=np.float64), None, "regression"
    _check_class_count(name, problem_type, len(distinct), is_text=numeric is None)
    classes = np.sort(distinct)
    y = np.searchsorted(classes, values.to_numpy()).astype(np.int64)
    return y, [value_name(c) for c in classes], problem_type


def _infer_problem_type(numeric: pd.Series | None, n_distinct: int) -> str:
    if n_distinct == 2:
        return "binary"
    if numeric is None:
        return "multiclass"
    integral = bool(np.all(np.mod(numeric.to_numpy(dtype=np.float64), 1.0) == 0.0))
    return "multiclass" if integral and n_distinct <= MAX_CLASSES else "regression"


def _check_class_count(name: str, problem_type: str, n_distinct: int, is_text: bool) -> None:
    if problem_type == "binary" and n_distinct != 2:
        raise ValueError(
            f"The target column '{name}' has {n_distinct} distinct values, so it is not binary; "
            "choose multiclass (or regression for numbers)."
        )
    if n_distinct > MAX_CLASSES:
        advice = "Pick another target column." if is_text else "Choose regression instead."
        raise ValueError(
            f"The target column '{name}' has {n_distinct} distinct values; a class target can "
            f"have at most {MAX_CLASSES}. {advice}"
        )


# --------------------------------------------------------------------------- #
# make_dataset: a user's table -> Dataset
# --------------------------------------------------------------------------- #


def make_dataset(
    frame: pd.DataFrame,
    target: str,
    features: Sequence[str] | None = None,
    *,
    problem_type: str | None = None,
    missing: str = "drop",
    name: str = "",
) -> Dataset:
    """Build a :class:`Dataset` from a table.

    Parameters
    ----------
    frame : pd.DataFrame
        One row per sample.
    target : str
        Column to predict. Rows where it is missing are dropped.
    features : sequence of str, optional
        Input columns, all numeric. Default: every numeric column but the target.
    problem_type : {"binary", "multiclass", "regression"}, optional
        Overrides the inference described in :func:`encode_target`.
    missing : {"drop", "keep"}
        ``"drop"`` drops rows with any missing (or infinite) feature;
        ``"keep"`` keeps them as NaN in ``X`` for the caller to fill
        (e.g. with training medians).
    name : str
        Display name.

    Returns
    -------
    Dataset
        ``notes`` says which rows were dropped or kept with gaps.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"make_dataset needs a pandas DataFrame; got {type(frame).__name__}.")
    if missing not in ("drop", "keep"):
        raise ValueError(f"missing must be 'drop' or 'keep'; got {missing!r}.")
    columns = [str(c) for c in frame.columns]
    if target not in columns:
        raise ValueError(f"There is no column '{target}'; the columns are: {', '.join(columns)}.")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise ValueError(f"The column name '{repeated[0]}' appears more than once; rename it.")
    frame = frame.set_axis(columns, axis=1)
    feature_list = _choose_features(frame, target, features)
    notes: list[str] = []

    has_target = _present(frame[target])
    if not has_target.all():
        notes.append(
            f"Dropped {_rows(int((~has_target).sum()))} whose target '{target}' was missing."
        )
    X_frame = frame.loc[has_target, feature_list].astype(np.float64)
    X_frame = X_frame.replace([np.inf, -np.inf], np.nan)
    y_col = frame.loc[has_target, target]
    gaps = X_frame.isna().any(axis=1).to_numpy()
    if gaps.any() and missing == "drop":
        notes.append(f"Dropped {_rows(int(gaps.sum()))} with a missing feature value.")
        X_frame, y_col = X_frame[~gaps], y_col[~gaps]
    elif gaps.any():
        notes.append(
            f"Kept {_rows(int(gaps.sum()))} with missing feature values as NaN; fill them "
            "(e.g. with the training medians) before training."
        )
    if len(X_frame) == 0:
        raise ValueError(_no_rows_message(frame, target, feature_list))

    y, class_names, kind = encode_target(y_col.reset_index(drop=True), problem_type)
    return Dataset(
        X=X_frame.to_numpy(dtype=np.float64),
        y=y,
        feature_names=feature_list,
        class_names=class_names,
        target_name=target,
        problem_type=kind,
        name=name,
        notes=tuple(notes),
    )


def _present(column: pd.Series) -> np.ndarray:
    """Mask of cells that hold a value: not NaN/None, not infinite, not blank text."""
    if _is_numeric(column):
        return np.isfinite(column.to_numpy(dtype=np.float64))
    return (column.notna() & (column.astype(str).str.strip() != "")).to_numpy()


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _choose_features(frame: pd.DataFrame, target: str, features: Sequence[str] | None) -> list[str]:
    """Check the requested feature columns (or pick the numeric ones)."""
    if features is None:
        chosen = [c for c in frame.columns if c != target and _is_numeric(frame[c])]
        if not chosen:
            raise ValueError(
                f"There is no numeric column besides the target '{target}' to use as a feature; "
                "one-hot encode a text column to use it."
            )
        return chosen
    if isinstance(features, str):
        features = [features]
    chosen = [str(f) for f in features]
    if not chosen:
        raise ValueError("Choose at least one feature column.")
    for column in chosen:
        _check_feature_column(frame, target, column)
    duplicates = sorted({c for c in chosen if chosen.count(c) > 1})
    if duplicates:
        raise ValueError(f"The feature column '{duplicates[0]}' is listed more than once.")
    return chosen


def _check_feature_column(frame: pd.DataFrame, target: str, column: str) -> None:
    if column not in frame.columns:
        raise ValueError(
            f"There is no column '{column}'; the columns are: {', '.join(frame.columns)}."
        )
    if column == target:
        raise ValueError(f"The column '{column}' is the target; it cannot also be a feature.")
    if not _is_numeric(frame[column]):
        examples = ", ".join(f"'{v}'" for v in frame[column].dropna().unique()[:3])
        raise ValueError(
            f"The column '{column}' holds text ({examples}); a network needs numbers. "
            f"One-hot encode it first (one 0/1 column per value, e.g. "
            f"load_csv(..., one_hot=['{column}']))."
        )


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def _no_rows_message(frame: pd.DataFrame, target: str, features: list[str]) -> str:
    counts = frame[features].replace([np.inf, -np.inf], np.nan).isna().sum()
    worst = str(counts.idxmax())
    return (
        f"No rows are left after dropping the missing values (target '{target}' or a feature); "
        f"the column '{worst}' alone is missing in {int(counts.max())} of {len(frame)} rows. "
        "Leave that column out, or keep missing values with missing='keep'."
    )
