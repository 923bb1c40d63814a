"""Data sets: the ``Dataset`` type, 2-D toy generators, bundled real tables, user tables.

Three ways to get a :class:`Dataset`:

- :func:`generate` draws one of the TensorFlow-Playground-style 2-D sets
  (``moons``, ``circles``, ``spirals``, ... and two regression surfaces);
  :data:`GENERATORS` lists them for the dashboard.
- :func:`load_bundled` reads a CSV shipped in the repository's ``data/`` folder;
  :data:`BUNDLED` lists them.
- :func:`make_dataset` turns a user's table (a ``pandas.DataFrame``, e.g. from
  :func:`nn_core.tabular.load_csv`) into arrays, inferring the problem type
  from the target column.

Every ``Dataset`` holds ``X`` of shape ``(n_samples, n_features)`` (float64) and
``y`` of shape ``(n_samples,)``: int64 labels ``0..k-1`` for classification,
float64 values for regression.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pandas as pd

PROBLEM_TYPES = ("binary", "multiclass", "regression")
MAX_CLASSES = 20
"""A target with at most this many distinct integer or text values is a class label."""

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


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


def _class_name(value: object) -> str:
    """Display name of a class value: integral floats print as ints (``1.0`` -> ``"1"``)."""
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
            f"The target column '{name}' has only one class ('{_class_name(distinct[0])}'): "
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
    return y, [_class_name(c) for c in classes], problem_type


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


# --------------------------------------------------------------------------- #
# 2-D generators
# --------------------------------------------------------------------------- #

MIN_SAMPLES = 4
MAX_SAMPLES = 200_000
MAX_GENERATED_CLASSES = 10
CLASSIFICATION_SCALE = 5.0
"""Classification patterns are drawn in [-1, 1] and multiplied by this."""
JITTER_PER_NOISE = 2.0
"""Standard deviation, in display units, of the jitter that ``noise=1`` adds to each point."""


@dataclass(frozen=True)
class GeneratorInfo:
    """What the dashboard shows about one generator."""

    name: str
    label: str
    description: str
    problem_type: str
    supports_classes: bool


Pattern = Callable[[np.random.Generator, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""``pattern(rng, counts) -> (points, labels)``: clean points in roughly [-1, 1]."""


def _split_evenly(n: int, k: int) -> np.ndarray:
    """Class sizes: ``n`` split into ``k`` parts differing by at most one."""
    return np.full(k, n // k) + (np.arange(k) < n % k)


def _labels(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _moons(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (scikit-learn's ``make_moons``, centred, divided by 1.5)."""
    t_outer = rng.uniform(0.0, np.pi, counts[0])
    t_inner = rng.uniform(0.0, np.pi, counts[1])
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = np.column_stack([1.0 - np.cos(t_inner), 0.5 - np.sin(t_inner)])
    points = (np.vstack([outer, inner]) - [0.5, 0.25]) / 1.5
    return points, _labels(counts)


def _circles(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class 0 on a ring of radius 0.7..1, class 1 in the disc of radius 0.5."""
    outer = _polar(rng.uniform(0.7, 1.0, counts[0]), rng.uniform(0, 2 * np.pi, counts[0]))
    inner = _polar(rng.uniform(0.0, 0.5, counts[1]), rng.uniform(0, 2 * np.pi, counts[1]))
    return np.vstack([outer, inner]), _labels(counts)


XOR_PADDING = 0.06


def _xor(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where exactly one coordinate is positive (x1 * x2 < 0), class 0 elsewhere."""
    parts = []
    for label, count in enumerate(counts):
        magnitude = rng.uniform(XOR_PADDING, 1.0, (count, 2))
        sign1 = rng.choice([-1.0, 1.0], count)
        sign2 = sign1 if label == 0 else -sign1
        parts.append(magnitude * np.column_stack([sign1, sign2]))
    return np.vstack(parts), _labels(counts)


SPIRAL_TURNS = 1.75


def _spirals(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k arms: radius r = 0.05 + 0.95 t, angle 2 pi (1.75 t + c / k) for t in [0, 1]."""
    k = len(counts)
    parts = []
    for c, count in enumerate(counts):
        t = rng.uniform(0.0, 1.0, count)
        parts.append(_polar(0.05 + 0.95 * t, 2 * np.pi * (SPIRAL_TURNS * t + c / k)))
    return np.vstack(parts), _labels(counts)


BLOB_RADIUS = 0.7
BLOB_SPREAD = 0.08


def _blobs(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k round Gaussian blobs (std 0.08) with centres evenly spaced on a circle of radius 0.7."""
    k = len(counts)
    angles = 2 * np.pi * np.arange(k) / k + np.pi / 4
    centres = _polar(np.full(k, BLOB_RADIUS), angles)
    parts = [rng.normal(centres[c], BLOB_SPREAD, (count, 2)) for c, count in enumerate(counts)]
    return np.vstack(parts), _labels(counts)


LINEAR_NORMAL = np.array([math.cos(math.pi / 3), math.sin(math.pi / 3)])
"""Class 1 lies where ``x @ LINEAR_NORMAL > 0`` (the boundary is a line through 0)."""
LINEAR_MARGIN = 0.1


def _linear(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two classes on either side of a tilted line, with a clean margin of 0.1 on each side."""
    along_line = np.array([-LINEAR_NORMAL[1], LINEAR_NORMAL[0]])
    parts = []
    for label, count in enumerate(counts):
        distance = rng.uniform(LINEAR_MARGIN, 0.8, count) * (1.0 if label == 1 else -1.0)
        offset = rng.uniform(-0.8, 0.8, count)
        parts.append(np.outer(distance, LINEAR_NORMAL) + np.outer(offset, along_line))
    return np.vstack(parts), _labels(counts)


CHECKER_CELLS = 4


def _checkerboard(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A 4 x 4 board on [-1, 1]^2: class (column + row) % 2 of the cell."""
    cell = 2.0 / CHECKER_CELLS
    grid = np.array([(i, j) for i in range(CHECKER_CELLS) for j in range(CHECKER_CELLS)])
    parts = []
    for label, count in enumerate(counts):
        cells = grid[grid.sum(axis=1) % 2 == label]
        chosen = cells[rng.integers(0, len(cells), count)]
        parts.append(-1.0 + cell * (chosen + rng.uniform(0.0, 1.0, (count, 2))))
    return np.vstack(parts), _labels(counts)


REGRESSION_HALF_WIDTH = 6.0
GAUSSIAN_CENTRES = (
    (-4, 2.5, 1),
    (0, 2.5, -1),
    (4, 2.5, 1),
    (-4, -2.5, -1),
    (0, -2.5, 1),
    (4, -2.5, -1),
)
"""``(cx, cy, sign)`` of each bump, as in TensorFlow Playground's regression set."""
GAUSSIAN_WIDTH = 1.25


def plane_target(X: np.ndarray) -> np.ndarray:
    """Clean target of ``"plane"``: ``y = (x1 + 2 x2) / 18``, in [-1, 1] on [-6, 6]^2."""
    return (X[:, 0] + 2.0 * X[:, 1]) / 18.0


def gaussians_target(X: np.ndarray) -> np.ndarray:
    """Clean target of ``"gaussians"``: ``y = sum_i s_i exp(-|x - c_i|^2 / (2 * 1.25^2))``."""
    y = np.zeros(len(X))
    for cx, cy, sign in GAUSSIAN_CENTRES:
        squared = (X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2
        y += sign * np.exp(-squared / (2 * GAUSSIAN_WIDTH**2))
    return y


_PATTERNS: dict[str, Pattern] = {
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "spirals": _spirals,
    "blobs": _blobs,
    "linear": _linear,
    "checkerboard": _checkerboard,
}
_SURFACES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "plane": plane_target,
    "gaussians": gaussians_target,
}

GENERATORS: dict[str, GeneratorInfo] = {
    "moons": GeneratorInfo(
        name="moons",
        label="Two moons",
        description="Two interleaved half circles.",
        problem_type="binary",
        supports_classes=False,
    ),
    "circles": GeneratorInfo(
        name="circles",
        label="Circle",
        description="A disc of one class inside a ring of the other.",
        problem_type="binary",
        supports_classes=False,
    ),
    "xor": GeneratorInfo(
        name="xor",
        label="Exclusive or",
        description="Opposite quadrants share a class: the label is (x1 > 0) XOR (x2 > 0).",
        problem_type="binary",
        supports_classes=False,
    ),
    "spirals": GeneratorInfo(
        name="spirals",
        label="Spirals",
        description="Spiral arms winding around the centre, one arm per class.",
        problem_type="multiclass",
        supports_classes=True,
    ),
    "blobs": GeneratorInfo(
        name="blobs",
        label="Gaussian blobs",
        description="Round clusters on a circle, one cluster per class.",
        problem_type="multiclass",
        supports_classes=True,
    ),
    "linear": GeneratorInfo(
        name="linear",
        label="Linearly separable",
        description="Two classes on either side of a straight tilted line.",
        problem_type="binary",
        supports_classes=False,
    ),
    "checkerboard": GeneratorInfo(
        name="checkerboard",
        label="Checkerboard",
        description="A 4 x 4 board whose squares alternate between two classes.",
        problem_type="binary",
        supports_classes=False,
    ),
    "plane": GeneratorInfo(
        name="plane",
        label="Tilted plane",
        description="Regression: the target rises along a tilted plane, y = (x1 + 2 x2) / 18.",
        problem_type="regression",
        supports_classes=False,
    ),
    "gaussians": GeneratorInfo(
        name="gaussians",
        label="Sum of Gaussians",
        description="Regression: the target is a sum of three positive and three negative Gaussian bumps.",
        problem_type="regression",
        supports_classes=False,
    ),
}
"""The generators :func:`generate` knows, in the order the dashboard lists them."""


def generate(
    name: str, n: int = 200, noise: float = 0.1, seed: int = 0, classes: int = 2
) -> Dataset:
    """Draw a 2-D toy data set in the style of TensorFlow Playground.

    Features are ``"x1"`` and ``"x2"``, spanning roughly [-6, 6]. The result
    depends only on the arguments (``numpy.random.default_rng(seed)``), and rows
    come in shuffled order with classes as balanced as ``n`` allows.

    Parameters
    ----------
    name : str
        A key of :data:`GENERATORS`.
    n : int
        Number of points, 4 to 200,000.
    noise : float
        How messy the set is; ``noise=0`` gives a clean set, 0.1 a light blur
        and 0.5 visibly overlapping classes. Classification sets: each point
        is moved, after its label is chosen, by Gaussian jitter of standard
        deviation ``2 * noise`` on each axis (the clean pattern fills about
        [-5, 5]). Regression sets: standard deviation of Gaussian noise added
        to the target, whose clean range is [-1, 1].
    seed : int
        Seed of the random generator (non-negative).
    classes : int
        Number of classes, 2 to 10, for ``"spirals"`` and ``"blobs"``; the
        other sets only take 2.

    Returns
    -------
    Dataset
        ``X`` shape ``(n, 2)``; ``y`` int64 class indices or float64 targets.
    """
    info = _check_generate_args(name, n, noise, seed, classes)
    rng = np.random.default_rng(seed)
    if info.problem_type == "regression":
        X = rng.uniform(-REGRESSION_HALF_WIDTH, REGRESSION_HALF_WIDTH, (n, 2))
        y = _SURFACES[name](X) + noise * rng.standard_normal(n)
        return Dataset(X, y, ["x1", "x2"], None, "y", "regression", name=name)
    points, labels = _PATTERNS[name](rng, _split_evenly(n, classes))
    jitter = JITTER_PER_NOISE * noise * rng.standard_normal(points.shape)
    order = rng.permutation(n)
    kind = "binary" if classes == 2 else "multiclass"
    return Dataset(
        X=(CLASSIFICATION_SCALE * points + jitter)[order],
        y=labels[order],
        feature_names=["x1", "x2"],
        class_names=[str(c) for c in range(classes)],
        target_name="label",
        problem_type=kind,
        name=name,
    )


def _check_generate_args(name: str, n: int, noise: float, seed: int, classes: int) -> GeneratorInfo:
    if name not in GENERATORS:
        raise ValueError(f"Unknown data set {name!r}; choose one of: {', '.join(GENERATORS)}.")
    info = GENERATORS[name]
    if not _is_int(n) or not MIN_SAMPLES <= n <= MAX_SAMPLES:
        raise ValueError(
            f"n must be a whole number from {MIN_SAMPLES} to {MAX_SAMPLES:,}; got {n!r}."
        )
    if (
        isinstance(noise, bool)
        or not isinstance(noise, Real)
        or not math.isfinite(noise)
        or noise < 0
    ):
        raise ValueError(f"noise must be a finite number of at least 0; got {noise!r}.")
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0; got {seed!r}.")
    if not _is_int(classes) or not 2 <= classes <= MAX_GENERATED_CLASSES:
        raise ValueError(
            f"classes must be a whole number from 2 to {MAX_GENERATED_CLASSES}; got {classes!r}."
        )
    if classes != 2 and not info.supports_classes:
        raise ValueError(
            f"The {name!r} set always has "
            f"{'a numeric target' if info.problem_type == 'regression' else 'two classes'}; "
            f"classes={classes} only applies to "
            f"{', '.join(g.name for g in GENERATORS.values() if g.supports_classes)}."
        )
    if n < 2 * classes:
        raise ValueError(
            f"n={n} is too few points for {classes} classes; use at least {2 * classes}."
        )
    return info


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


# --------------------------------------------------------------------------- #
# Bundled real data sets
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class BundledInfo:
    """A CSV shipped in ``data/``: what it is, where it came from and how to read it."""

    name: str
    label: str
    file_name: str
    target: str
    description: str
    source: str
    features: tuple[str, ...] | None = None
    """Feature columns to use; None means every numeric column but the target."""


BUNDLED: dict[str, BundledInfo] = {
    "diabetes": BundledInfo(
        name="diabetes",
        label="Diabetes (synthetic)",
        file_name="diabetes.csv",
        target="Diabetes",
        description=(
            "The seed article's data: glucose and blood pressure against a diabetes label. "
            "It is a synthetic stand-in made for this project, not patient records."
        ),
        source="Synthetic, generated for this project; see data/README.md.",
    ),
    "penguins": BundledInfo(
        name="penguins",
        label="Palmer penguins",
        file_name="penguins.csv",
        target="species",
        description=(
            "Bill, flipper and body-mass measurements of 344 Adelie, Chinstrap and Gentoo "
            "penguins from the Palmer Archipelago, Antarctica: tell the three species apart."
        ),
        source=(
            "Gorman, Williams & Fraser (2014), Palmer Station LTER, via the palmerpenguins "
            "package; licence CC0."
        ),
        features=("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"),
    ),
    "breast_cancer": BundledInfo(
        name="breast_cancer",
        label="Breast cancer (Wisconsin diagnostic)",
        file_name="breast_cancer.csv",
        target="diagnosis",
        description=(
            "30 numeric measurements of cell nuclei from 569 breast-mass biopsies: "
            "is the tumour malignant or benign?"
        ),
        source=(
            "Wolberg, Street & Mangasarian (1995), UCI Machine Learning Repository, as shipped "
            "with scikit-learn; licence CC BY 4.0."
        ),
    ),
}


def load_bundled(name: str) -> Dataset:
    """Read one of the bundled CSV files from the repository's ``data/`` folder.

    Parameters
    ----------
    name : str
        A key of :data:`BUNDLED`.

    Returns
    -------
    Dataset
        Rows with missing features are dropped (and counted in ``notes``).
    """
    if name not in BUNDLED:
        raise ValueError(f"Unknown bundled data set {name!r}; choose one of: {', '.join(BUNDLED)}.")
    info = BUNDLED[name]
    path = DATA_DIR / info.file_name
    if not path.is_file():
        raise FileNotFoundError(
            f"The bundled file {path} is missing; data/README.md says how to recreate it."
        )
    frame = pd.read_csv(path)
    features = list(info.features) if info.features is not None else None
    return make_dataset(frame, info.target, features, missing="drop", name=name)
