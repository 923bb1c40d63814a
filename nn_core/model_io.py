"""Model files: a readable JSON format, validated on load. Never pickle.

A file looks like::

    {"format": "nn_core-model", "version": 1,
     "architecture": {"layer_sizes": [2, 8, 1], "activation": ["tanh"],
                      "output": "sigmoid", "init": "auto", "dtype": "float64"},
     "parameters": {"weights": [[[...], ...], ...], "biases": [[...], ...]},
     "preprocessing": null | {"feature_names": [...], "mean": [...], ...},
     "history": null | {"loss": [...], ...}}

``loads`` checks everything before building anything. Before the JSON is
parsed at all: the size in bytes, and a count of its brackets and commas (a
C-speed scan) against what a model within the limits can hold, so a file of
millions of empty lists or a history of millions of entries is refused in
milliseconds. While parsing: the architecture object is checked the moment
it is read (known keys, sizes, hidden layers, the parameter count), so an
oversized net is refused before its arrays are parsed when the architecture
comes first, as ``dumps`` writes it. After: the format tag and version, known
names, each array's shape against the declared sizes, every number finite,
feature statistics in order (min <= median <= max), history lengths. Anything
else raises ``ValueError`` with a sentence. A UTF-8 byte-order mark is accepted.

The limits are keyword arguments with the engine's own caps as defaults, so
an app passes its stricter ones: ``loads(text, max_bytes=..., max_parameters=...,
max_hidden_layers=..., max_history=...)``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .cost import MB
from .network import MLP, _check_layer_sizes, count_parameters
from .preprocessing import Model, Preprocessing
from .training import History
from .validation import MAX_PARAMETERS

FORMAT = "nn_core-model"
VERSION = 1
MAX_FILE_BYTES = 256 * MB
#: Epochs of history a model file may carry (each of its lists at most this long).
MAX_HISTORY = 1_000_000
#: Brackets, braces and commas outside the parameters, preprocessing and history that a file may hold.
_SLACK = 10_000
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


@dataclass(frozen=True)
class Limits:
    """What a model file may hold: bytes, parameters, hidden layers (None: any), epochs of history."""

    max_bytes: int = MAX_FILE_BYTES
    max_parameters: int = MAX_PARAMETERS
    max_hidden_layers: int | None = None
    max_history: int = MAX_HISTORY


def load(path, **limits) -> Model | MLP:
    """Read a model file written by ``save``; ``ValueError`` if it is not a valid one.

    ``limits``: the keyword arguments of ``loads``. The size is checked before reading.
    """
    p = Path(path)
    cap = Limits(**limits).max_bytes
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ValueError(f"Cannot read the model file {str(p)!r}: {exc.strerror}.") from None
    if not p.is_file():
        raise ValueError(f"{str(p)!r} is not a regular file.")
    if size > cap:
        raise ValueError(f"The model file is {size:,} bytes; the limit is {cap:,}.")
    return loads(p.read_bytes(), **limits)


def loads(text: str | bytes, **limits) -> Model | MLP:
    """Parse and validate a model file's text; return a ``Model`` (with preprocessing) or an ``MLP``.

    ``limits``: ``max_bytes``, ``max_parameters``, ``max_hidden_layers``,
    ``max_history`` (see ``Limits``; the engine's caps by default).
    """
    lim = Limits(**limits)
    if isinstance(text, bytes | bytearray):
        if len(text) > lim.max_bytes:
            raise ValueError(f"The model file is {len(text):,} bytes; the limit is {lim.max_bytes:,}.")
        try:
            text = bytes(text).decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
        except UnicodeDecodeError:
            raise ValueError("This is not an nn_core model file: it is not UTF-8 text (is it a binary file?).") from None
    if not isinstance(text, str):
        raise ValueError(f"A model file is text or bytes, not {type(text).__name__}.")
    text = text.removeprefix("\ufeff")
    if len(text) > lim.max_bytes:
        raise ValueError(f"The model file is {len(text):,} characters; the limit is {lim.max_bytes:,}.")
    _prescan(text, lim)
    try:
        doc = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_early_checks(lim))
    except RecursionError:
        raise ValueError("This is not an nn_core model file: its JSON is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"This is not an nn_core model file: the JSON is broken ({exc.msg} at line {exc.lineno}).") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"This is not an nn_core model file (no \"format\": \"{FORMAT}\" tag).")
    if type(doc.get("version")) is not int or doc.get("version") != VERSION:
        raise ValueError(f"Unsupported model file version {doc.get('version')!r}; this nn_core reads version {VERSION}.")
    _only_known_keys(doc, _TOP_KEYS, "the file")
    net = _net_from_dict(doc, lim)
    hist = doc.get("history")
    if hist is not None:
        net.history = _history_from_dict(hist, lim.max_history)
    pre = doc.get("preprocessing")
    if pre is None:
        return net
    return Model(_preprocessing_from_dict(pre, net), net)


# --------------------------------------------------------- before parsing
def _prescan(text: str, lim: Limits) -> None:
    """Refuse a text with more lists, objects or values than a model within ``lim`` can have.

    A model's containers are its weight rows (at most one per parameter), the
    preprocessing's stats (one per input, and inputs <= parameters) and a few
    more: at most ``2 P``. Its commas separate the parameters (``P``), the
    preprocessing's values (at most 8 per input: a name, mean, scale, fill
    value, and stats written as 3 pairs) and the history's entries: at most
    ``9 P + 5 H`` (``H`` epochs). ``str.count`` scans at C speed, so this costs milliseconds where
    parsing a hostile file would cost seconds and gigabytes.
    """
    containers = text.count("[") + text.count("{")
    if containers > 2 * lim.max_parameters + _SLACK:
        raise ValueError(
            f"Model file: it holds {containers:,} lists and objects, more than a model within the limits "
            f"({lim.max_parameters:,} parameters) can have."
        )
    values = text.count(",")
    most = 9 * lim.max_parameters + len(_HISTORY_LISTS) * lim.max_history + _SLACK
    if values > most:
        raise ValueError(
            f"Model file: it holds about {values:,} values; a model of at most {lim.max_parameters:,} parameters "
            f"and {lim.max_history:,} epochs of history holds at most {most:,}."
        )


def _early_checks(lim: Limits):
    """An ``object_pairs_hook`` that checks the architecture the moment the parser has read it."""

    def hook(pairs):
        d = dict(pairs)
        if "layer_sizes" in d:
            _check_architecture(d, lim)
        return d

    return hook


_ARCHITECTURE_KEYS = ("layer_sizes", "activation", "output", "init", "dtype", "seed")


def _check_architecture(arch: dict, lim: Limits) -> list[int]:
    """The layer sizes of an architecture object, checked against ``lim``; ``ValueError`` otherwise."""
    _only_known_keys(arch, _ARCHITECTURE_KEYS, "architecture")
    sizes = _field(arch, "layer_sizes", list)
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
        raise ValueError("Model file: layer_sizes must be whole numbers.")
    hidden = len(sizes) - 2
    if lim.max_hidden_layers is not None and hidden > lim.max_hidden_layers:
        raise ValueError(f"Model file: the net has {hidden} hidden layers; at most {lim.max_hidden_layers} are allowed.")
    try:
        sizes = _check_layer_sizes(sizes)  # the engine's size cap
    except ValueError as exc:
        raise ValueError(f"Model file: {exc}") from None
    n = count_parameters(sizes)
    if n > lim.max_parameters:
        raise ValueError(
            f"Model file: the net has {n:,} parameters; at most {lim.max_parameters:,} are allowed here."
        )
    return sizes


# ------------------------------------------------------------------ the net
def _net_from_dict(doc: dict, lim: Limits) -> MLP:
    arch = _field(doc, "architecture", dict)
    sizes = _check_architecture(arch, lim)  # the size caps, before any array is read
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
    target = d.get("target_name", "y")
    if not isinstance(target, str):
        raise ValueError(f"Model file: target_name must be a name (text), not {type(target).__name__}.")
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
    needs_two = [x for x in derived if "x2" in x]
    if needs_two and len(names) < 2:
        raise ValueError(
            f"Model file: the derived feature {needs_two[0]!r} needs two input features; the model has {len(names)}."
        )
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
        if not clean_stats[name]["min"] <= clean_stats[name]["median"] <= clean_stats[name]["max"]:
            raise ValueError(f"Model file: feature_stats of {name!r} need min <= median <= max.")
    target_mean, target_scale = d.get("target_mean", 0.0), d.get("target_scale", 1.0)
    if not (_finite_number(target_mean) and _finite_number(target_scale)) or target_scale <= 0:
        raise ValueError("Model file: target_mean and target_scale must be finite, the scale positive.")
    return Preprocessing(
        feature_names=list(names),
        target_name=target,
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


def _history_from_dict(d, max_history: int = MAX_HISTORY) -> History:
    if not isinstance(d, dict):
        raise ValueError("Model file: history must be an object.")
    h = History()
    for key in _HISTORY_LISTS:
        values = d.get(key, [])
        if isinstance(values, list) and len(values) > max_history:
            raise ValueError(f"Model file: history {key} has {len(values):,} entries; at most {max_history:,} are allowed.")
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
