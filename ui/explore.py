"""What a user checks before training: column summaries, class balance, distributions, correlations.

Pure pandas/NumPy (no Streamlit), vectorised so a 100,000-row upload is
summarised in a fraction of a second. The Explore page memoises these per
data set (``ui.state.dataset_memo``), so a rerun does not recompute them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nn_core.data import Dataset
from nn_core.features import add_derived, derived_names

PREVIEW_ROWS = 1_000
HIST_BINS = 30
MAX_HEATMAP_FEATURES = 30
DEFAULT_HISTOGRAMS = 6
MAX_HISTOGRAMS = 12
PROBLEM_LABELS = {"binary": "binary classification", "multiclass": "multi-class classification",
                  "regression": "regression"}
PROBLEM_SHORT = {"binary": "binary", "multiclass": "multi-class", "regression": "regression"}
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown/HTML special character backslash-escaped.

    For messages that must go through a Markdown element (``st.error``) but
    may quote a user's file name or column names: they then show literally.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


# --------------------------------------------------------------------- tables
def feature_frame(ds: Dataset, derived: Sequence[str] = ()) -> pd.DataFrame:
    """The model's inputs as a table: ``ds.X`` and the derived columns, by their real names.

    Derived features (``x1^2``, ...) are built from the first two features, as
    training builds them; with fewer than two features there are none.
    """
    derived = list(derived) if ds.n_features >= 2 else []
    X = add_derived(ds.X, derived) if derived else ds.X
    names = list(ds.feature_names) + (derived_names(ds.feature_names, derived) if derived else [])
    return pd.DataFrame(X, columns=_unique(names))


def data_table(ds: Dataset, derived: Sequence[str] = ()) -> pd.DataFrame:
    """Inputs (with derived columns) and the target last: what the preview and summary show."""
    frame = feature_frame(ds, derived)
    target = _unique([*map(str, frame.columns), ds.target_name])[-1]
    if target != ds.target_name:
        target = _unique([*map(str, frame.columns), f"{ds.target_name} (target)"])[-1]
    frame[target] = target_values(ds)
    return frame


def target_values(ds: Dataset) -> np.ndarray:
    """The target as shown to people: class names for classifiers, numbers for regression."""
    if ds.class_names is None:
        return ds.y
    return np.asarray(ds.class_names, dtype=object)[ds.y]


def preview(frame: pd.DataFrame, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first ``limit`` rows (a browser table of 100,000 rows helps nobody)."""
    return frame.head(limit)


def column_summary(frame: pd.DataFrame, roles: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per column: role, type, missing values, distinct values and summary statistics.

    ``type`` is ``"0/1"``, ``"integer"``, ``"decimal"``, ``"text"``, ``"classes"`` (a target
    shown by its class names) or ``"empty"``;
    statistics (mean, std, min, quartiles, max) ignore missing values and are
    empty for text. Columns are summarised at once, as one float matrix.
    """
    roles = roles or {}
    n = len(frame)
    numeric_cols = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    numeric = frame[numeric_cols].to_numpy(dtype=np.float64, na_value=np.nan)
    with warnings.catch_warnings():  # all-missing columns give NaN statistics, as they should
        warnings.simplefilter("ignore", RuntimeWarning)
        stats = {
            "mean": np.nanmean(numeric, axis=0),
            "std": np.nanstd(numeric, axis=0, ddof=1) if n > 1 else np.full(len(numeric_cols), np.nan),
            "min": np.nanmin(numeric, axis=0) if n else np.full(len(numeric_cols), np.nan),
            **dict(zip(("25%", "median", "75%"), _quartiles(numeric), strict=True)),
            "max": np.nanmax(numeric, axis=0) if n else np.full(len(numeric_cols), np.nan),
        }
    finite = np.where(np.isnan(numeric), 0.0, numeric)
    integral = np.all(finite == np.round(finite), axis=0)
    binary = np.all((finite == 0) | (finite == 1), axis=0)
    present = ~np.all(np.isnan(numeric), axis=0)
    position = {c: i for i, c in enumerate(numeric_cols)}
    missing = frame.isna().sum()
    distinct = frame.nunique()
    rows = []
    for column in frame.columns:
        i = position.get(column)
        if i is None:  # a target of class names is classes, not free text
            kind = "classes" if roles.get(str(column)) == "target" else "text"
        else:
            kind = ("empty" if not present[i] else "0/1" if binary[i] else "integer" if integral[i]
                    else "decimal")
        row = {
            "column": str(column),
            "role": roles.get(str(column), "feature"),
            "type": kind,
            "missing": int(missing[column]),
            "missing %": 100.0 * missing[column] / n if n else 0.0,
            "distinct": int(distinct[column]),
        }
        for stat, values in stats.items():
            row[stat] = float(values[i]) if i is not None else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _quartiles(matrix: np.ndarray) -> np.ndarray:
    """25th, 50th and 75th percentile of each column, ignoring NaN; shape ``(3, n_columns)``.

    Complete columns go through one vectorised ``np.percentile``; only columns
    with gaps take the slower per-column ``nanpercentile``.
    """
    out = np.full((3, matrix.shape[1]), np.nan)
    if matrix.shape[0] == 0:
        return out
    gaps = np.isnan(matrix).any(axis=0)
    if (~gaps).any():
        out[:, ~gaps] = np.percentile(matrix[:, ~gaps], [25, 50, 75], axis=0)
    for j in np.flatnonzero(gaps):
        out[:, j] = np.nanpercentile(matrix[:, j], [25, 50, 75])
    return out


def upload_roles(frame: pd.DataFrame, target: str, features: Sequence[str],
                 one_hot: Sequence[str]) -> dict[str, str]:
    """What each column of an uploaded table is used as: target, feature, one-hot encoded or not used."""
    chosen = set(features)
    roles = {}
    for column in map(str, frame.columns):
        if column == target:
            roles[column] = "target"
        elif column in one_hot:
            roles[column] = "one-hot encoded"
        elif not pd.api.types.is_numeric_dtype(frame[column]):
            roles[column] = "not used (text)"
        elif chosen and column not in chosen:
            roles[column] = "not used"
        else:
            roles[column] = "feature"
    return roles


def dataset_roles(ds: Dataset, frame: pd.DataFrame) -> dict[str, str]:
    """Roles of a bundled or generated table's columns: the last is the target, the rest are inputs."""
    columns = list(map(str, frame.columns))
    roles = dict.fromkeys(columns[:-1], "feature")
    roles.update({name: "derived feature" for name in columns[ds.n_features:-1]})
    roles[columns[-1]] = "target"
    return roles


# ---------------------------------------------------------------- the target
def class_balance(ds: Dataset) -> pd.DataFrame:
    """Rows per class: ``class``, ``count``, ``share`` (0..1), in class order."""
    counts = np.bincount(ds.y, minlength=ds.n_classes)
    total = max(int(counts.sum()), 1)
    return pd.DataFrame({"class": ds.class_names, "count": counts, "share": counts / total})


def target_groups(ds: Dataset) -> tuple[np.ndarray, list[str]]:
    """A group per row to split distributions by: the class, or the regression target's third.

    Returns ``codes`` of shape ``(n_samples,)`` (int, ``0..k-1``) and the ``k`` group names.
    Regression: ``low``, ``middle`` and ``high`` third of the target (tertiles), named with their ranges.
    """
    if ds.class_names is not None:
        return ds.y, list(ds.class_names)
    y = ds.y
    if y.size == 0:
        return np.zeros(0, dtype=np.int64), []
    q1, q2 = np.quantile(y, [1 / 3, 2 / 3])
    codes = np.searchsorted([q1, q2], y, side="left").astype(np.int64)
    names = [f"low third (≤ {q1:.3g})", f"middle third ({q1:.3g} to {q2:.3g})", f"high third (> {q2:.3g})"]
    used = np.unique(codes)
    remap = np.full(3, -1)
    remap[used] = np.arange(used.size)
    return remap[codes], [names[i] for i in used]


def histograms(features: pd.DataFrame, groups: np.ndarray, group_names: Sequence[str],
               bins: int = HIST_BINS) -> pd.DataFrame:
    """Counts per feature, bin and group: the data of class-split histograms (no raw points).

    Each feature gets ``bins`` equal-width bins over its finite range, shared by
    every group. Columns: ``feature``, ``group``, ``bin_start``, ``bin_end``, ``count``.
    """
    k = len(group_names)
    parts = []
    for name in features.columns:
        values = features[name].to_numpy(dtype=np.float64)
        ok = np.isfinite(values)
        v, g = values[ok], groups[ok]
        if v.size == 0:
            continue
        lo, hi = float(v.min()), float(v.max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1)
        index = np.clip(((v - lo) / (hi - lo) * bins).astype(np.int64), 0, bins - 1)
        counts = np.bincount(g * bins + index, minlength=k * bins).reshape(k, bins)
        parts.append(pd.DataFrame({
            "feature": str(name),
            "group": np.repeat(np.asarray(group_names, dtype=object), bins),
            "bin_start": np.tile(edges[:-1], k),
            "bin_end": np.tile(edges[1:], k),
            "count": counts.ravel(),
        }))
    if not parts:
        return pd.DataFrame(columns=["feature", "group", "bin_start", "bin_end", "count"])
    return pd.concat(parts, ignore_index=True)


def target_histogram(ds: Dataset, bins: int = HIST_BINS) -> pd.DataFrame:
    """Bins of a regression target: ``bin_start``, ``bin_end``, ``count``."""
    y = ds.y[np.isfinite(ds.y)]
    counts, edges = np.histogram(y, bins=bins) if y.size else (np.zeros(bins, int), np.linspace(0, 1, bins + 1))
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts})


# -------------------------------------------------------------- correlation
def correlations(features: pd.DataFrame, ds: Dataset,
                 limit: int = MAX_HEATMAP_FEATURES) -> tuple[pd.DataFrame, list[str]]:
    """Pearson correlation of every pair of inputs (and of each with a numeric target), long form.

    The target joins for regression and binary problems (as 0/1), where a
    correlation with it means something. At most ``limit`` inputs (the first
    ones). Missing values count as the column mean, so one gap does not drop a
    whole row. Returns columns ``a``, ``b``, ``r`` and the order of the names.
    """
    columns = list(map(str, features.columns[:limit]))
    matrix = features.iloc[:, :limit].to_numpy(dtype=np.float64)
    if ds.problem_type != "multiclass":
        target_name = _unique([*columns, f"{ds.target_name} (target)"])[-1]
        columns.append(target_name)
        matrix = np.column_stack([matrix, ds.y.astype(np.float64)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        centred = matrix - np.nanmean(matrix, axis=0)
        centred = np.where(np.isnan(centred), 0.0, centred)
        norms = np.sqrt((centred**2).sum(axis=0))
        scaled = centred / np.where(norms > 0, norms, np.nan)
        r = np.clip(scaled.T @ scaled, -1.0, 1.0)
    k = len(columns)
    names = np.asarray(columns, dtype=object)
    frame = pd.DataFrame({"a": np.repeat(names, k), "b": np.tile(names, k), "r": r.ravel()})
    return frame, columns


# ---------------------------------------------------------- problem type
def problem_sentence(ds: Dataset, chosen: str, inferred: str | None) -> str:
    """E.g. ``"binary classification (inferred from the target)"`` or the override with what auto would pick."""
    label = PROBLEM_LABELS[ds.problem_type]
    if chosen == "auto" or inferred is None:
        return f"{label} (inferred from the target)"
    if inferred == ds.problem_type:
        return f"{label} (chosen; the same as inferred)"
    return f"{label} (chosen; inferred would be {PROBLEM_LABELS[inferred]})"


def _unique(names: Sequence[str]) -> list[str]:
    """Names made unique by a numeric suffix (a derived name can equal an existing column)."""
    seen: set[str] = set()
    out = []
    for name in names:
        new, k = str(name), 1
        while new in seen:
            new, k = f"{name} ({k})", k + 1
        seen.add(new)
        out.append(new)
    return out
