"""Export a trained ``Model`` as one standalone Python file (NumPy only).

The file embeds the weights, biases and preprocessing (training medians for
missing values, derived features, standardization) as literals, written with
``repr`` so every float round-trips exactly, and repeats the forward pass in
a dozen lines. A learner takes it anywhere NumPy runs:

    python my_model.py data.csv > predictions.csv

or ``from my_model import predict_proba`` with raw columns in the data's units.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np

from .preprocessing import Model

_TEMPLATE = '''"""A neural network exported from nn_core on {date}: {arch}.

Standalone: needs only NumPy. Predicts from raw columns in the data's own
units, exactly as the dashboard did (missing values -> training medians,
derived features, standardization, then the forward pass).

    python {{this file}} data.csv > predictions.csv      # columns matched by name
    from {{module}} import predict, predict_proba         # X: (n, {n_features}) raw values
"""

import csv
import sys

import numpy as np

FEATURES = {features!r}
DERIVED = {derived!r}
TARGET = {target!r}
CLASS_NAMES = {class_names!r}
OUTPUT = {output!r}
ACTIVATIONS = {activations!r}
FILL = np.array({fill!r})
MEAN = np.array({mean!r})
TARGET_MEAN = {target_mean!r}
TARGET_SCALE = {target_scale!r}
SCALE = np.array({scale!r})
WEIGHTS = [
{weights}
]
BIASES = [
{biases}
]


def _activate(name, z):
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0, e) / (1.0 + e)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.maximum(z, 0.01 * z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return z


def _derived(X):
    x1, x2 = X[:, 0], X[:, 1]
    table = {{"x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2, "sin(x1)": np.sin(x1),
             "sin(x2)": np.sin(x2), "cos(x1)": np.cos(x1), "cos(x2)": np.cos(x2)}}
    return np.column_stack([X] + [table[name] for name in DERIVED]) if DERIVED else X


def transform(X):
    """Raw rows (n, {n_features}) -> the network's standardized inputs."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, len(FEATURES))
    X = np.where(np.isnan(X), FILL, X)
    return (_derived(X) - MEAN) / SCALE


def forward(X):
    """Output activations (n, n_outputs) for raw rows."""
    a = transform(X)
    for i, (W, b) in enumerate(zip(WEIGHTS, BIASES)):
        a = _activate(ACTIVATIONS[i] if i < len(ACTIVATIONS) else OUTPUT, a @ W + b)
    return a


def predict_proba(X):
    """P(class 1) (n,) for binary, class probabilities (n, k) for multi-class."""
    out = forward(X)
    return out[:, 0] if OUTPUT == "sigmoid" else out


def predict(X):
    """Class names for classifiers, values for regression."""
    out = forward(X)
    if OUTPUT == "sigmoid":
        return [CLASS_NAMES[int(p >= 0.5)] for p in out[:, 0]]
    if OUTPUT == "softmax":
        return [CLASS_NAMES[i] for i in out.argmax(axis=1)]
    values = out * TARGET_SCALE + TARGET_MEAN  # the net learned the standardized target
    return values[:, 0] if values.shape[1] == 1 else values


def _read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    missing = [c for c in FEATURES if rows and c not in rows[0]]
    if missing:
        sys.exit("error: the file is missing the column(s): " + ", ".join(missing))

    def number(text):
        try:
            return float(text)
        except (TypeError, ValueError):
            return float("nan")

    return np.array([[number(r[c]) for c in FEATURES] for r in rows], dtype=np.float64).reshape(-1, len(FEATURES))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python " + sys.argv[0] + " data.csv > predictions.csv")
    X = _read_csv(sys.argv[1])
    writer = csv.writer(sys.stdout)
    if OUTPUT == "linear":
        writer.writerow(["prediction"])
        writer.writerows([[repr(float(v))] for v in np.ravel(predict(X))])
    else:
        proba = forward(X)
        if OUTPUT == "sigmoid":
            proba = np.column_stack([1.0 - proba[:, 0], proba[:, 0]])
        writer.writerow(["prediction"] + ["P(" + c + ")" for c in CLASS_NAMES])
        for label, p in zip(predict(X), proba):
            writer.writerow([label] + [repr(float(v)) for v in p])
'''


def _literal(a: np.ndarray) -> str:
    """A nested-list literal of an array, every float written with ``repr`` (exact round trip)."""
    return repr(np.asarray(a, dtype=np.float64).tolist())


def export_python(model: Model) -> str:
    """The source of a standalone predictor for ``model`` (NumPy only)."""
    if not isinstance(model, Model):
        raise ValueError("Only a Model (a net with its preprocessing) can be exported as code.")
    pre, net = model.preprocessing, model.net
    class_names = pre.class_names
    if net.output != "linear" and class_names is None:
        class_names = [str(i) for i in range(max(2, net.n_outputs))]
    return _TEMPLATE.format(
        date=_dt.date.today().isoformat(),
        arch="-".join(str(s) for s in net.layer_sizes) + f" ({', '.join(net.activations) or 'no hidden layer'}; {net.output} output)",
        n_features=len(pre.feature_names),
        features=list(pre.feature_names),
        derived=list(pre.derived),
        target=pre.target_name,
        class_names=list(class_names) if class_names is not None else None,
        output=net.output,
        activations=list(net.activations),
        fill=np.asarray(pre.fill_values, dtype=np.float64).tolist(),
        mean=np.asarray(pre.mean, dtype=np.float64).tolist(),
        scale=np.asarray(pre.scale, dtype=np.float64).tolist(),
        target_mean=float(pre.target_mean),
        target_scale=float(pre.target_scale),
        weights="\n".join(f"    np.array({_literal(W)})," for W in net.weights),
        biases="\n".join(f"    np.array({_literal(b)})," for b in net.biases),
    )
