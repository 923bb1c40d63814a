"""Model files: a readable JSON format, validated on load. Never pickle.

A file looks like::

    {"format": "nn_core-model", "version": 1,
     "architecture": {"layer_sizes": [2, 8, 1], "activation": ["tanh"],
                      "output": "sigmoid", "init": "auto", "dtype": "float64"},
     "parameters": {"weights": [[[...], ...], ...], "biases": [[...], ...]},
     "preprocessing": null | {"feature_names": [...], "mean": [...], ...},
     "history": null | {"loss": [...], ...}}

``loads`` checks everything before building anything: the format tag and
version, known names, whole-number sizes, the parameter count against the
cap *before* reading the arrays, each array's shape against the declared
sizes, and that every number is finite. Anything else raises ``ValueError``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from .network import MLP, _check_layer_sizes
from .preprocessing import Model, Preprocessing
from .training import History

FORMAT = "nn_core-model"
VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024
_PROBLEM_TYPES = ("binary", "multiclass", "regression")


def dumps(model_or_net: Model | MLP, include_history: bool = True) -> str:
    """The JSON text of a ``Model`` or a bare ``MLP``."""
    if isinstance(model_or_net, Model):
        net, pre = model_or_net.net, model_or_net.preprocessing
    elif isinstance(model_or_net, MLP):
        net, pre = model_or_net, None
    else:
        raise ValueError(f"Can only save an nn_core Model or MLP, not {type(model_or_net).__name__}.")
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": {
            "layer_sizes": net.layer_sizes,
            "activation": net.activations,
            "output": net.output,
            "init": net.init,
            "dtype": net.dtype,
            "seed": net.seed if isinstance(net.seed, int) else None,
        },
        "parameters": {
            "weights": [W.tolist() for W in net.weights],
            "biases": [b.tolist() for b in net.biases],
        },
        "preprocessing": _preprocessing_to_dict(pre) if pre is not None else None,
        "history": _history_to_dict(net.history) if include_history else None,
    }
    return json.dumps(doc, indent=1)


def save(model_or_net: Model | MLP, path) -> None:
    """Write ``dumps(model_or_net)`` to ``path``."""
    Path(path).write_text(dumps(model_or_net), encoding="utf-8")


def load(path) -> Model | MLP:
    """Read a model file written by ``save``; ``ValueError`` if it is not a valid one."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ValueError(f"Cannot read the model file {str(p)!r}: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise ValueError(f"The model file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}.")
    return loads(p.read_bytes())


def loads(text: str | bytes) -> Model | MLP:
    """Parse and validate a model file's text; return a ``Model`` (with preprocessing) or an ``MLP``."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_FILE_BYTES:
            raise ValueError(f"The model file is {len(text):,} bytes; the limit is {MAX_FILE_BYTES:,}.")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("This is not an nn_core model file: it is not UTF-8 text (is it a binary file?).") from None
    if len(text) > MAX_FILE_BYTES:
        raise ValueError(f"The model file is {len(text):,} characters; the limit is {MAX_FILE_BYTES:,}.")
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("This is not an nn_core model file: its JSON is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"This is not an nn_core model file: the JSON is broken ({exc.msg} at line {exc.lineno}).") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"This is not an nn_core model file (no \"format\": \"{FORMAT}\" tag).")
    if type(doc.get("version")) is not int or doc.get("version") != VERSION:
        raise ValueError(f"Unsupported model file version {doc.get('version')!r}; this nn_core reads version {VERSION}.")
    _only_known_keys(doc, _TOP_KEYS, "the file")
    net = _net_from_dict(doc)
    hist = doc.get("history")
    if hist is not None:
        net.history = _history_from_dict(hist)
    pre = doc.get("preprocessing")
    if pre is None:
        return net
    return Model(_preprocessing_from_dict(pre, net), net)


# ------------------------------------------------------------------ the net
def _net_from_dict(doc: dict) -> MLP:
    arch = _field(doc, "architecture", dict)
    sizes = _field(arch, "layer_sizes", list)
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
        raise ValueError("Model file: layer_sizes must be whole numbers.")
    try:
        sizes = _check_layer_sizes(sizes)  # the size cap, before any array is read
    except ValueError as exc:
        raise ValueError(f"Model file: {exc}") from None
    activation = _field(arch, "activation", list)
    if not all(isinstance(a, str) for a in activation):
        raise ValueError("Model file: activation must be a list of names.")
    params = _field(doc, "parameters", dict)
    weights = _field(params, "weights", list)
    biases = _field(params, "biases", list)
    if len(weights) != len(sizes) - 1 or len(biases) != len(sizes) - 1:
        raise ValueError(f"Model file: expected {len(sizes) - 1} weight and bias arrays for layer sizes {sizes}.")
    # Every array's nesting is checked against the declared sizes before the net allocates anything.
    arrays = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        arrays.append((_array(weights[i], (a, b), f"weights[{i}]"), _array(biases[i], (b,), f"biases[{i}]")))
    try:
        net = MLP(
            sizes,
            activation=activation,
            output=_field(arch, "output", str),
            init="zeros",  # the file's values replace these at once; drawing random ones would be wasted work
            seed=arch.get("seed") if isinstance(arch.get("seed"), int) else 0,
            dtype=_field(arch, "dtype", str),
        )
        init = arch.get("init", "auto")
        if not isinstance(init, str) or init not in ("auto", "glorot", "he", "normal", "zeros"):
            raise ValueError(f"Unknown init {init!r}.")
        net.init = init
    except ValueError as exc:
        raise ValueError(f"Model file: {exc}") from None
    for i, (W, b) in enumerate(arrays):
        np.copyto(net.weights[i], W)
        np.copyto(net.biases[i], b)
    return net


def _array(value, shape: tuple[int, ...], name: str) -> np.ndarray:
    """A finite float array of exactly ``shape`` from nested lists, checked level by level."""
    _check_nested_shape(value, shape, name)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"Model file: {name} contains a number too large for a float.") from None
    if not np.isfinite(arr).all():
        raise ValueError(f"Model file: {name} contains a value that is not a finite number.")
    return arr


def _check_nested_shape(value, shape, name) -> None:
    if not shape:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"Model file: {name} holds {type(value).__name__} where a number belongs.")
        return
    if not isinstance(value, list) or len(value) != shape[0]:
        got = len(value) if isinstance(value, list) else type(value).__name__
        raise ValueError(f"Model file: {name} should have {shape[0]} entries along its axis, found {got}.")
    for item in value:
        _check_nested_shape(item, shape[1:], name)


# ---------------------------------------------------------- preprocessing
def _preprocessing_to_dict(pre: Preprocessing) -> dict:
    return {
        "feature_names": pre.feature_names,
        "target_name": pre.target_name,
        "class_names": pre.class_names,
        "problem_type": pre.problem_type,
        "derived": pre.derived,
        "mean": pre.mean.tolist(),
        "scale": pre.scale.tolist(),
        "fill_values": pre.fill_values.tolist(),
        "feature_stats": pre.feature_stats,
        "target_mean": pre.target_mean,
        "target_scale": pre.target_scale,
    }


_TOP_KEYS = ("format", "version", "architecture", "parameters", "preprocessing", "history")
_PREPROCESSING_KEYS = ("feature_names", "target_name", "class_names", "problem_type", "derived", "mean", "scale",
                       "fill_values", "feature_stats", "target_mean", "target_scale")
#: The problem types each output can serve (a softmax over two classes is a binary problem).
_PROBLEMS_FOR_OUTPUT = {"sigmoid": ("binary",), "softmax": ("binary", "multiclass"), "linear": ("regression",)}


def _only_known_keys(d: dict, known: tuple[str, ...], where: str) -> None:
    unknown = [str(k) for k in d if k not in known]
    if unknown:
        raise ValueError(f"Model file: unknown field(s) in {where}: {', '.join(unknown[:5])}.")


def _preprocessing_from_dict(d, net: MLP) -> Preprocessing:
    from .features import DERIVED_FEATURES

    n_inputs = net.n_inputs
    if not isinstance(d, dict):
        raise ValueError("Model file: preprocessing must be an object.")
    _only_known_keys(d, _PREPROCESSING_KEYS, "preprocessing")
    names = _field(d, "feature_names", list)
    if not names or not all(isinstance(s, str) for s in names):
        raise ValueError("Model file: feature_names must be a list of names.")
    if len(set(names)) != len(names):
        raise ValueError("Model file: feature_names has a name twice.")
    derived = d.get("derived") or []
    if not isinstance(derived, list) or any(x not in DERIVED_FEATURES for x in derived):
        raise ValueError(f"Model file: unknown derived feature in {derived!r}.")
    if len(names) + len(derived) != n_inputs:
        raise ValueError(f"Model file: {len(names)} features and {len(derived)} derived ones do not match the net's {n_inputs} inputs.")
    classes = d.get("class_names")
    if classes is not None and (not isinstance(classes, list) or not all(isinstance(c, str) for c in classes)):
        raise ValueError("Model file: class_names must be a list of names.")
    problem = d.get("problem_type", "binary")
    if problem not in _PROBLEM_TYPES:
        raise ValueError(f"Model file: unknown problem type {problem!r}.")
    if problem not in _PROBLEMS_FOR_OUTPUT[net.output]:
        raise ValueError(f"Model file: a {net.output} output cannot serve a {problem} problem.")
    if classes is not None:
        expected = 2 if net.output == "sigmoid" else net.n_outputs
        if net.output == "linear" or len(classes) != expected or len(set(classes)) != len(classes):
            raise ValueError(
                f"Model file: class_names must be {expected} distinct names for this {net.output} output; "
                f"got {len(classes)}." if net.output != "linear" else "Model file: a regression model has no class_names."
            )
    scale = _array(_field(d, "scale", list), (n_inputs,), "scale")
    if (scale <= 0).any():
        raise ValueError("Model file: every scale must be positive.")
    stats = d.get("feature_stats") or {}
    if not isinstance(stats, dict):
        raise ValueError("Model file: feature_stats must be an object.")
    clean_stats = {}
    for name in names:
        s = stats.get(name, {})
        if not isinstance(s, dict):
            raise ValueError(f"Model file: feature_stats of {name!r} must be an object.")
        vals = {k: s.get(k) for k in ("min", "median", "max")}
        if not all(_finite_number(v) for v in vals.values()):
            raise ValueError(f"Model file: feature_stats of {name!r} need finite min, median and max.")
        clean_stats[name] = {k: float(v) for k, v in vals.items()}
    target_mean, target_scale = d.get("target_mean", 0.0), d.get("target_scale", 1.0)
    if not (_finite_number(target_mean) and _finite_number(target_scale)) or target_scale <= 0:
        raise ValueError("Model file: target_mean and target_scale must be finite, the scale positive.")
    return Preprocessing(
        feature_names=list(names),
        target_name=str(d.get("target_name", "y")),
        class_names=list(classes) if classes is not None else None,
        problem_type=problem,
        derived=list(derived),
        mean=_array(_field(d, "mean", list), (n_inputs,), "mean"),
        scale=scale,
        fill_values=_array(_field(d, "fill_values", list), (len(names),), "fill_values"),
        feature_stats=clean_stats,
        target_mean=target_mean,
        target_scale=target_scale,
    )


# ----------------------------------------------------------------- history
_HISTORY_LISTS = ("loss", "val_loss", "val_metric", "learning_rate", "epoch_time")


def _history_to_dict(h: History) -> dict:
    return {k: getattr(h, k) for k in (*_HISTORY_LISTS, "val_metric_name", "status", "best_epoch")}


def _history_from_dict(d) -> History:
    if not isinstance(d, dict):
        raise ValueError("Model file: history must be an object.")
    h = History()
    for key in _HISTORY_LISTS:
        values = d.get(key, [])
        if not isinstance(values, list) or not all(_finite_number(v) for v in values):
            raise ValueError(f"Model file: history {key} must be a list of finite numbers.")
        setattr(h, key, [float(v) for v in values])
    status = d.get("status", "completed")
    if status not in ("completed", "diverged", "stopped", "early_stopped"):
        raise ValueError(f"Model file: unknown training status {status!r}.")
    h.status = status
    h.val_metric_name = str(d.get("val_metric_name", ""))
    best = d.get("best_epoch")
    h.best_epoch = best if isinstance(best, int) and not isinstance(best, bool) else None
    return h


def _finite_number(v) -> bool:
    """A JSON number that fits a finite float (huge integer literals do not)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:
        return False


def _field(d: dict, key: str, kind: type):
    if key not in d:
        raise ValueError(f"Model file: the field {key!r} is missing.")
    value = d[key]
    if not isinstance(value, kind):
        raise ValueError(f"Model file: {key!r} should be a {kind.__name__}, not {type(value).__name__}.")
    return value


def _reject_constant(name: str):
    raise ValueError(f"Model file: {name} is not a finite number.")
