"""Derived input features built from the first two columns, as in TensorFlow Playground.

A linear model draws straight boundaries in the space of its inputs. Feeding it
``x1^2`` and ``x2^2`` as extra inputs makes a circle ``x1^2 + x2^2 = r^2`` a
straight line in that space, so the circles data set becomes linearly
separable without any hidden layer.

``x1`` is ``X[:, 0]`` and ``x2`` is ``X[:, 1]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

_FORMULAS: dict[str, tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    "x1^2": ("{a}^2", lambda x1, x2: x1**2),
    "x2^2": ("{b}^2", lambda x1, x2: x2**2),
    "x1*x2": ("{a}*{b}", lambda x1, x2: x1 * x2),
    "sin(x1)": ("sin({a})", lambda x1, x2: np.sin(x1)),
    "sin(x2)": ("sin({b})", lambda x1, x2: np.sin(x2)),
    "cos(x1)": ("cos({a})", lambda x1, x2: np.cos(x1)),
    "cos(x2)": ("cos({b})", lambda x1, x2: np.cos(x2)),
}

DERIVED_FEATURES: tuple[str, ...] = tuple(_FORMULAS)
"""The derived features, by their generic names: ("x1^2", "x2^2", "x1*x2", "sin(x1)", ...)."""


def _check_derived(derived: Sequence[str]) -> list[str]:
    if isinstance(derived, str):
        derived = [derived]
    names = list(derived)
    for name in names:
        if name not in _FORMULAS:
            raise ValueError(
                f"Unknown derived feature {name!r}; choose from: {', '.join(DERIVED_FEATURES)}."
            )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"The derived feature {repeated[0]!r} is listed more than once.")
    return names


def add_derived(X: np.ndarray, derived: Sequence[str]) -> np.ndarray:
    """Append derived columns to ``X``.

    Parameters
    ----------
    X : np.ndarray, shape (n_samples, n_features), n_features >= 2
        Inputs; ``x1 = X[:, 0]`` and ``x2 = X[:, 1]``.
    derived : sequence of str
        Names from :data:`DERIVED_FEATURES`, in the order the columns should appear.

    Returns
    -------
    np.ndarray, shape (n_samples, n_features + len(derived)), float64
        ``np.hstack([X, extra])`` where ``extra[:, j]`` is ``derived[j]``
        evaluated row by row, e.g. ``x1 * x2``.
    """
    names = _check_derived(derived)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 2:
        raise ValueError(
            "Derived features are built from the first two columns (x1, x2), so X must be 2-D "
            f"with at least 2 columns; got shape {X.shape}."
        )
    x1, x2 = X[:, 0], X[:, 1]
    extra = np.empty((X.shape[0], len(names)))
    for j, name in enumerate(names):
        extra[:, j] = _FORMULAS[name][1](x1, x2)
    return np.hstack([X, extra])


def derived_names(feature_names: Sequence[str], derived: Sequence[str]) -> list[str]:
    """Display names of the derived columns, with x1/x2 replaced by the real names.

    Parameters
    ----------
    feature_names : sequence of str
        Names of the columns of ``X``; the first two stand for x1 and x2.
    derived : sequence of str
        Names from :data:`DERIVED_FEATURES`.

    Returns
    -------
    list of str
        One name per derived column (the extra columns only), e.g.
        ``["Glucose^2", "Glucose*BloodPressure", "sin(Glucose)"]`` for
        ``feature_names=["Glucose", "BloodPressure"]`` and
        ``derived=["x1^2", "x1*x2", "sin(x1)"]``.
    """
    names = _check_derived(derived)
    columns = [feature_names] if isinstance(feature_names, str) else list(feature_names)
    if len(columns) < 2:
        raise ValueError(
            "Derived features are built from the first two columns (x1, x2); "
            f"got only {len(columns)} feature name(s): {columns}."
        )
    first, second = str(columns[0]), str(columns[1])
    return [_FORMULAS[name][0].format(a=first, b=second) for name in names]
