"""Input checks at the public edge.

Every public entry point (``MLP.fit``, ``predict``, ``trace``, ...) passes its
arguments through these functions once; the inner loops then assume clean
arrays. Each failure raises ``ValueError`` with a sentence that names the
problem, the count and the value, so a learner knows what to change.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

MAX_PARAMETERS = 10_000_000
#: The largest magnitude a feature value may have. Standardizing squares a
#: value, and a derived feature (x1^2) squares it again: 1e75 ** 4 = 1e300
#: still fits a float64 (1.8e308), so every step from a raw value to a trained
#: net stays finite; larger values are refused with a sentence instead of
#: turning into "infinite values" the data never had.
MAX_ABS_VALUE = 1e75
#: The kinds of array the engine takes as numbers: bool, signed and unsigned integers, floats
#: (complex numbers, dates and time spans are refused).
_NUMBER_KINDS = "biuf"


def check_features(X, n_features: int | None = None, dtype=np.float64, name: str = "X") -> np.ndarray:
    """Return ``X`` as a C-contiguous ``(n_samples, n_features)`` array of ``dtype``."""
    try:
        arr = np.asarray(X)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as a table of numbers ({exc}).") from None
    if arr.dtype.kind not in _NUMBER_KINDS:
        raise ValueError(f"{name} must hold real numbers only; found values of type {_kind_name(arr.dtype)}.")
    if arr.ndim == 1:
        raise ValueError(
            f"{name} must be 2-D, shape (n_samples, n_features); got a 1-D array of {arr.shape[0]} "
            "values. Use X.reshape(-1, 1) for one feature or X.reshape(1, -1) for one sample."
        )
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D, shape (n_samples, n_features); got shape {arr.shape}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no rows.")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} has no feature columns.")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(f"expected {n_features} features, got {arr.shape[1]}.")
    check_magnitude(arr, name, limit=min(MAX_ABS_VALUE, float(np.finfo(dtype).max)))
    arr = np.ascontiguousarray(arr, dtype=dtype)
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        row, col = (int(v) for v in bad[0])
        kind = "NaN" if np.isnan(arr[row, col]) else "infinite"
        raise ValueError(
            f"{name} contains {len(bad)} missing or infinite value(s); the first is a {kind} value "
            f"in row {row}, column {col}. Drop or fill them before training."
        )
    return arr


def check_labels(y, output: str, n_outputs: int, n_samples: int, require_two_classes: bool = True) -> np.ndarray:
    """Check targets against the output type; return them as an array.

    - ``sigmoid``: values exactly 0 or 1, shape ``(n,)`` or ``(n, 1)``.
    - ``softmax``: integers ``0..k-1``, shape ``(n,)``.
    - ``linear``: finite numbers, shape ``(n,)`` (one output) or ``(n, n_outputs)``.

    Training needs at least two classes; a gradient of one example does not
    (``require_two_classes=False``).
    """
    arr = np.asarray(y)
    if arr.dtype.kind not in _NUMBER_KINDS:
        raise ValueError(
            f"y must hold real numbers; found values of type {_kind_name(arr.dtype)}. Encode text labels as "
            "integers 0..k-1 first (nn_core.make_dataset does this and keeps the class names)."
        )
    if arr.ndim == 0:
        raise ValueError("y must be an array of labels, not a single value.")
    if arr.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {arr.shape[0]}; they must match.")
    if arr.size == 0:
        raise ValueError("y is empty.")
    if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        count = int((~np.isfinite(arr)).sum())
        raise ValueError(f"y contains {count} missing or infinite value(s); drop those rows first.")
    if output == "sigmoid":
        if not (arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1)):
            raise ValueError(f"A sigmoid output takes labels of shape (n,) or (n, 1); got {arr.shape}.")
        values = np.unique(arr)
        bad = values[(values != 0) & (values != 1)]
        if bad.size:
            raise ValueError(
                f"A sigmoid output takes labels 0 or 1; found {_show(bad[0])}. "
                "Use output='softmax' for more than two classes."
            )
        if values.size < 2 and require_two_classes:
            raise ValueError(f"y has only one class ({_show(values[0])}); a classifier needs both 0 and 1.")
        return arr.reshape(-1)
    if output == "softmax":
        if arr.ndim != 1:
            raise ValueError(f"A softmax output takes integer labels of shape (n,); got {arr.shape}.")
        if np.issubdtype(arr.dtype, np.floating):
            raise ValueError(
                "A softmax output takes integer class labels 0..k-1; got floats "
                f"(for example {_show(arr[0])}). Convert them with y.astype(int) if they are whole numbers."
            )
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi >= n_outputs:
            bad = lo if lo < 0 else hi
            raise ValueError(
                f"Label {bad} does not fit a softmax output of {n_outputs} classes; labels must be 0..{n_outputs - 1}."
            )
        if np.unique(arr).size < 2 and require_two_classes:
            raise ValueError(f"y has only one class ({lo}); a classifier needs at least two.")
        return arr.astype(np.int64, copy=False)
    # linear (regression)
    if arr.ndim == 1:
        if n_outputs != 1:
            raise ValueError(f"The net has {n_outputs} outputs, so y needs shape (n, {n_outputs}); got (n,).")
        return arr
    if arr.ndim != 2 or arr.shape[1] != n_outputs:
        raise ValueError(f"A linear output of {n_outputs} unit(s) takes y of shape (n, {n_outputs}); got {arr.shape}.")
    return arr


def check_magnitude(arr: np.ndarray, name: str = "X", limit: float = MAX_ABS_VALUE) -> None:
    """Refuse finite values larger than ``limit`` in size (NaN and infinities are left to other checks)."""
    if arr.dtype.kind != "f" or arr.size == 0:
        return
    with np.errstate(invalid="ignore"):
        big = np.abs(arr) > limit
    big &= np.isfinite(arr)
    if big.any():
        where = tuple(int(v) for v in np.argwhere(big)[0])
        place = f"row {where[0]}, column {where[1]}" if len(where) == 2 else f"position {where}"
        raise ValueError(
            f"{name} holds {float(arr[where]):.3g} in {place}; values up to {limit:.3g} in size are handled. "
            "Rescale that column first (for example, measure it in larger units)."
        )


def check_seed(seed, name: str = "seed"):
    """``None`` or a whole number >= 0, as ``numpy.random.default_rng`` takes it."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise ValueError(f"{name} must be a whole number such as 0 or 42, or None; got {seed!r}.")
    if seed < 0:
        raise ValueError(f"{name} must be 0 or more; got {seed}.")
    return int(seed)


def check_names(value, name: str) -> list[str] | str:
    """A name, or a list of names (``activation="tanh"`` or ``["tanh", "relu"]``)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a name such as 'tanh' or a list of names; got {value!r}.")
    return list(value)


def check_penalties(l2, l1) -> tuple[float, float]:
    """``l2`` and ``l1`` as finite floats >= 0."""
    return check_positive_float(l2, "l2", allow_zero=True), check_positive_float(l1, "l1", allow_zero=True)


def check_class_names(class_names, n_classes: int) -> list[str] | None:
    """``None``, or ``n_classes`` distinct names (a sigmoid output has 2 classes)."""
    if class_names is None:
        return None
    if isinstance(class_names, str) or not isinstance(class_names, list | tuple):
        raise ValueError(f"class_names must be a list of names; got {class_names!r}.")
    names = [str(c) for c in class_names]
    if len(names) != n_classes:
        raise ValueError(f"The net predicts {n_classes} classes, so class_names needs {n_classes} names; got {len(names)}.")
    if len(set(names)) != len(names):
        raise ValueError("class_names has a name twice; each class needs its own name.")
    return names


def check_min_samples(n: int, minimum: int = 2) -> None:
    if n < minimum:
        raise ValueError(f"Training needs at least {minimum} samples; got {n}.")


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number; got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}.")
    return int(value)


def check_positive_float(value, name: str, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value}.")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}; got {value}.")
    return value


def check_choice(value, name: str, choices) -> str:
    if value not in choices:
        raise ValueError(f"Unknown {name} {value!r}; choose one of: {', '.join(choices)}.")
    return value


def parse_hidden_sizes(text: str, max_layers: int | None = None) -> tuple[int, ...]:
    """Hidden layer sizes typed by a person: ``"16, 16"`` -> ``(16, 16)``.

    Sizes are whole numbers of at least 1, separated by commas (or
    semicolons); empty parts are skipped. ``""``, ``"0"`` and ``"none"`` mean
    no hidden layer (a single layer of output neurons). ``max_layers`` is the
    caller's cap on the number of hidden layers (None: no cap).
    """
    text = (text or "").strip()
    if text.lower() in ("", "0", "none"):
        return ()
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    sizes = []
    for part in filter(None, parts):
        if not part.isdigit() or int(part) < 1:
            raise ValueError(
                "Hidden layer sizes are whole numbers of at least 1 separated by commas, "
                f"like 16, 16; {part!r} is not."
            )
        sizes.append(int(part))
    if max_layers is not None and len(sizes) > max_layers:
        raise ValueError(f"At most {max_layers} hidden layers; got {len(sizes)}.")
    return tuple(sizes)


def _kind_name(dtype: np.dtype) -> str:
    kind = {"c": "complex numbers", "m": "time spans (timedelta)", "M": "dates (datetime)", "O": "objects",
            "U": "text", "S": "bytes"}.get(dtype.kind)
    return f"{kind} ({dtype})" if kind else str(dtype)


def _show(v) -> str:
    v = v.item() if hasattr(v, "item") else v
    return repr(v)
