"""Preprocessing: standardization, a stratified split, and the ``Model`` that
bundles a fitted preprocessing with a net so it speaks in the data's own units.

Standardization maps each column ``x`` to ``(x - mean) / scale`` with the
mean and standard deviation of the *training* rows only (a constant column
gets scale 1). Fitting it on all rows would leak the test set into training.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .features import add_derived, derived_names
from .network import MLP
from .validation import check_class_names, check_features, check_magnitude


@dataclass
class Standardizer:
    """``x -> (x - mean) / scale`` per column; ``mean`` and ``scale`` of shape ``(d,)``."""

    mean: np.ndarray | None = None
    scale: np.ndarray | None = None

    def fit(self, X) -> Standardizer:
        X = check_features(X)
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale = np.where(std > 1e-12 * np.maximum(1.0, np.abs(self.mean)), std, 1.0)
        return self

    def transform(self, X) -> np.ndarray:
        if self.mean is None:
            raise ValueError("The standardizer is not fitted yet; call fit on the training rows first.")
        X = np.asarray(X, dtype=np.float64)
        return (X - self.mean) / self.scale

    def inverse_transform(self, Z) -> np.ndarray:
        return np.asarray(Z, dtype=np.float64) * self.scale + self.mean


def train_val_test_split(
    y, val_fraction: float = 0.2, test_fraction: float = 0.2, seed: int = 0, stratify: bool | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row indices ``(train, val, test)`` of a seeded, shuffled split.

    With ``stratify`` (the default for integer labels) each class is split
    separately in the same proportions, so a rare class appears in every part
    when it has enough rows. Each part's indices are sorted.
    """
    y = np.asarray(y)
    n = y.shape[0]
    for name, f in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if not 0 <= f < 1:
            raise ValueError(f"{name} must be between 0 and 1; got {f}.")
    if val_fraction + test_fraction >= 1:
        raise ValueError("val_fraction + test_fraction must leave some rows for training.")
    if stratify is None:
        stratify = np.issubdtype(y.dtype, np.integer) or y.dtype == bool
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(n)]
    parts: list[list[np.ndarray]] = [[], [], []]
    for idx in groups:
        idx = rng.permutation(idx)
        n_test = int(round(test_fraction * len(idx)))
        n_val = int(round(val_fraction * len(idx)))
        parts[2].append(idx[:n_test])
        parts[1].append(idx[n_test : n_test + n_val])
        parts[0].append(idx[n_test + n_val :])
    train, val, test = (np.sort(np.concatenate(p)).astype(np.int64) for p in parts)
    if train.size < 2:
        raise ValueError(f"The split leaves {train.size} training row(s); training needs at least 2.")
    return train, val, test


@dataclass
class Preprocessing:
    """Everything between a raw table row and the net's input.

    raw -> fill missing with training medians -> add derived features
    (``x1^2``, ...) -> standardize with training means and scales.

    For regression the target is standardized too (``target_mean``,
    ``target_scale`` of the training rows): the net learns ``(y - mean) / scale``
    and ``Model`` maps its output back, so a target in the thousands trains as
    easily as one near 1. Classifiers keep 0 and 1 (the identity).

    ``feature_stats[name] = {"min", "median", "max"}`` of each raw feature on
    the training rows (the dashboard's what-if sliders use them).
    """

    feature_names: list[str]
    target_name: str = "y"
    class_names: list[str] | None = None
    problem_type: str = "binary"
    derived: list[str] = field(default_factory=list)
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    fill_values: np.ndarray | None = None
    feature_stats: dict[str, dict[str, float]] = field(default_factory=dict)
    target_mean: float = 0.0
    target_scale: float = 1.0

    @classmethod
    def fit(
        cls,
        X_train,
        feature_names: Sequence[str],
        *,
        target_name: str = "y",
        class_names: Sequence[str] | None = None,
        problem_type: str = "binary",
        derived: Sequence[str] = (),
        y_train=None,
    ) -> Preprocessing:
        """Fit on the training rows ``(n, d)`` of raw features (NaN allowed: filled with medians).

        ``y_train`` (regression only) fits the target's standardization.
        """
        X = np.asarray(X_train, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(feature_names):
            raise ValueError(f"expected {len(feature_names)} features, got {X.shape[-1] if X.ndim else 0}.")
        check_magnitude(X, "The training data")
        empty = np.isnan(X).all(axis=0) if X.shape[0] else np.ones(X.shape[1], dtype=bool)
        if empty.any():
            col = feature_names[int(np.flatnonzero(empty)[0])]
            raise ValueError(f"The feature {col!r} has no values in the training rows.")
        medians = np.nanmedian(X, axis=0)
        filled = np.where(np.isnan(X), medians, X)
        stats = {
            name: {"min": float(filled[:, j].min()), "median": float(medians[j]), "max": float(filled[:, j].max())}
            for j, name in enumerate(feature_names)
        }
        expanded = add_derived(filled, list(derived)) if derived else filled
        std = Standardizer().fit(expanded)
        return cls(
            feature_names=list(feature_names),
            target_name=target_name,
            class_names=list(class_names) if class_names is not None else None,
            problem_type=problem_type,
            derived=list(derived),
            mean=std.mean,
            scale=std.scale,
            fill_values=medians,
            feature_stats=stats,
            **_target_scaling(problem_type, y_train),
        )

    def transform_target(self, y) -> np.ndarray:
        """Targets as the net learns them: ``(y - target_mean) / target_scale`` for regression,
        class labels unchanged."""
        if self.problem_type != "regression":
            return np.asarray(y)
        return (np.asarray(y, dtype=np.float64) - self.target_mean) / self.target_scale

    def inverse_target(self, values) -> np.ndarray:
        """The net's regression output back in the target's own units."""
        return np.asarray(values, dtype=np.float64) * self.target_scale + self.target_mean

    @property
    def input_names(self) -> list[str]:
        """Names of the net's inputs: the raw features, then the derived ones."""
        return self.feature_names + (derived_names(self.feature_names, self.derived) if self.derived else [])

    @property
    def n_inputs(self) -> int:
        return len(self.feature_names) + len(self.derived)

    def raw_matrix(self, X) -> np.ndarray:
        """Raw features as ``(n, d)`` float64, columns picked by name from a DataFrame."""
        if hasattr(X, "columns"):
            missing = [c for c in self.feature_names if c not in X.columns]
            if missing:
                raise ValueError(f"The data is missing the feature column(s): {', '.join(map(str, missing))}.")
            X = X[self.feature_names].to_numpy(dtype=np.float64, na_value=np.nan)
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != len(self.feature_names):
            got = X.shape[1] if X.ndim == 2 else X.ndim
            raise ValueError(f"expected {len(self.feature_names)} features, got {got}.")
        return X

    def transform(self, X) -> np.ndarray:
        """Raw rows (array or DataFrame) -> the net's standardized inputs ``(n, n_inputs)``."""
        X = self.raw_matrix(X)
        if np.isinf(X).any():
            raise ValueError("The data contains infinite values; remove them first.")
        X = np.where(np.isnan(X), self.fill_values, X)
        if self.derived:
            X = add_derived(X, self.derived)
        return (X - self.mean) / self.scale

    def input_jacobian_diag(self, X_raw: np.ndarray) -> np.ndarray:
        """``d input_j / d raw_k`` for each row: ``(n, n_inputs, d_raw)``.

        The standardized raw inputs depend on their own column only
        (``1/scale``); derived ones by the chain rule (``d x1^2/d x1 = 2 x1``, ...).
        """
        X = np.where(np.isnan(X_raw), self.fill_values, X_raw)
        n, d = X.shape
        J = np.zeros((n, self.n_inputs, d))
        J[:, np.arange(d), np.arange(d)] = 1.0
        for j, name in enumerate(self.derived):
            J[:, d + j, :2] = _derived_partials(name, X[:, 0], X[:, 1])
        return J / self.scale[None, :, None]


def _target_scaling(problem_type: str, y_train) -> dict[str, float]:
    if problem_type != "regression" or y_train is None:
        return {}
    y = np.asarray(y_train, dtype=np.float64)
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise ValueError("The target has no values in the training rows.")
    std = float(y.std())
    return {"target_mean": float(y.mean()), "target_scale": std if std > 1e-12 * max(1.0, abs(float(y.mean()))) else 1.0}


def _derived_partials(name: str, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """``(d/dx1, d/dx2)`` of a derived feature, shape ``(n, 2)``."""
    zero = np.zeros_like(x1)
    table = {
        "x1^2": (2 * x1, zero),
        "x2^2": (zero, 2 * x2),
        "x1*x2": (x2, x1),
        "sin(x1)": (np.cos(x1), zero),
        "sin(x2)": (zero, np.cos(x2)),
        "cos(x1)": (-np.sin(x1), zero),
        "cos(x2)": (zero, -np.sin(x2)),
    }
    return np.stack(table[name], axis=1)


class Model:
    """A fitted ``Preprocessing`` and an ``MLP``: predictions from raw columns.

    ``predict``, ``predict_proba`` and ``input_gradient`` take raw rows in the
    data's own units (an array with the raw feature columns in order, or a
    DataFrame with those column names); missing values are filled with the
    training medians.
    """

    def __init__(self, preprocessing: Preprocessing, net: MLP):
        if net.n_inputs != preprocessing.n_inputs:
            raise ValueError(
                f"The net takes {net.n_inputs} inputs but the preprocessing gives {preprocessing.n_inputs}."
            )
        if net.output != "linear":
            n_classes = 2 if net.output == "sigmoid" else net.n_outputs
            preprocessing.class_names = check_class_names(preprocessing.class_names, n_classes)
        self.preprocessing = preprocessing
        self.net = net

    def __repr__(self) -> str:
        return f"Model({self.net!r}, features={self.preprocessing.feature_names})"

    def transform(self, X) -> np.ndarray:
        return self.preprocessing.transform(X)

    def predict_proba(self, X) -> np.ndarray:
        """``(n,)`` P(class 1) for binary, ``(n, k)`` for multi-class."""
        return self.net.predict_proba(self.transform(X))

    def predict_index(self, X) -> np.ndarray:
        """Class indices ``0..k-1`` (classifiers) or values in the target's units (regression)."""
        pred = self.net.predict(self.transform(X))
        return self.preprocessing.inverse_target(pred) if self.net.output == "linear" else pred

    def predict(self, X) -> np.ndarray:
        """Class names (classifiers with names) or values (regression), one per row."""
        pred = self.predict_index(X)
        names = self.preprocessing.class_names
        if self.net.output == "linear" or names is None:
            return pred
        return np.asarray(names, dtype=object)[pred]

    def input_gradient(self, X) -> np.ndarray:
        """Change of the output per unit change of each *raw* feature.

        ``(n, d)`` for binary (of P(class 1)) and single-output regression,
        ``(n, k, d)`` for softmax: the net's input gradient times the
        preprocessing's Jacobian (chain rule).
        """
        raw = self.preprocessing.raw_matrix(X)
        g = self.net.input_gradient(self.transform(raw))  # (n, n_in) or (n, k, n_in)
        if self.net.output == "linear":
            g = g * self.preprocessing.target_scale  # back to the target's units
        J = self.preprocessing.input_jacobian_diag(raw)  # (n, n_in, d)
        if g.ndim == 2:
            return np.einsum("ni,nid->nd", g, J)
        return np.einsum("nki,nid->nkd", g, J)
