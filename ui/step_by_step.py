"""Logic of the page One example, step by step: no Streamlit, one example's numbers as tables and LaTeX.

- ``example_step``: one example's forward and backward pass with the real
  numbers, from ``net.trace`` and ``net.backward_trace`` (``row_example`` for
  a row of the data, ``point_example`` for the what-if point).
- ``input_table``, ``forward_table``, ``backward_table``, ``matrix_table``:
  the page's tables; ``single_neuron_latex``: the single neuron's equations
  with the numbers filled in.

Layers are numbered as in ``ui.inside``: weight layer ``i`` (``net.weights[i]``,
shape ``(h_i, h_{i+1})``) connects layer ``i`` to ``i+1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

import nn_core

from .boundary import held_values
from .inside import layer_activation_name, layer_title, neuron_names
from .runs import Run


@dataclass
class LayerStep:
    """Weight layer ``index`` for one example: forward values, then the backward pass.

    ``a_in`` ``(h_i,)``; ``W`` ``(h_i, h_{i+1})``; ``b``, ``z``, ``a``, ``dz``, ``db`` ``(h_{i+1},)``;
    ``dW`` like ``W`` (penalties included); ``da`` (dL/da) and ``fprime`` (f'(z))
    for hidden layers, None for the output (its dL/dz is ``p - y`` directly).
    """

    index: int
    title: str
    activation: str
    in_names: list[str]
    out_names: list[str]
    a_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    dz: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    da: np.ndarray | None
    fprime: np.ndarray | None


@dataclass
class ExampleStep:
    """One example through the net: its inputs, every layer, the loss and one SGD step's size."""

    feature_names: list[str]
    input_names: list[str]
    raw: np.ndarray  # (n_inputs,) the inputs before standardizing (raw features, then derived)
    mean: np.ndarray
    scale: np.ndarray
    x: np.ndarray  # (n_inputs,) standardized: what the net sees
    target: float  # class index or value
    target_text: str
    output: str  # the net's output activation
    layers: list[LayerStep]
    loss: float  # the data loss of this example alone
    penalty: float  # the L2/L1 penalty the training objective adds
    learning_rate: float
    l2: float
    l1: float


def backward_one(net: nn_core.MLP, x: np.ndarray, target, l2: float = 0.0, l1: float = 0.0) -> nn_core.BackwardTrace:
    """``net.backward_trace`` of one standardized row ``x`` ``(1, n_inputs)`` and its label."""
    return net.backward_trace(np.asarray(x, dtype=np.float64).reshape(1, -1), np.asarray([target]), l2=l2, l1=l1)


def example_step(run: Run, raw_row, target) -> ExampleStep:
    """Forward (``net.trace``) and backward (``net.backward_trace``) on one raw row with its label."""
    net, pre, cfg = run.net, run.model.preprocessing, run.config
    raw_row = pre.raw_matrix(np.asarray(raw_row, dtype=np.float64).reshape(1, -1))
    x = pre.transform(raw_row)
    trace = net.trace(x)
    target = pre.transform_target([target])[0]  # regression: the standardized target the net learns
    plain = backward_one(net, x, target)
    full = backward_one(net, x, target, l2=cfg.l2, l1=cfg.l1)
    n_layers = len(net.weights)
    layers = []
    for i in range(n_layers):
        a_in = trace.inputs[0] if i == 0 else trace.layers[i - 1].a[0]
        lt, g = trace.layers[i], full.layers[i]
        da = fprime = None
        if i < n_layers - 1:
            da = (full.layers[i + 1].dz @ net.weights[i + 1].T)[0]
            fprime = net.layer_activation(i).derivative(lt.a.copy())[0]
        layers.append(LayerStep(
            i, layer_title(net, i + 1), layer_activation_name(net, i + 1), neuron_names(run, i),
            neuron_names(run, i + 1), a_in.copy(), net.weights[i].copy(), net.biases[i].copy(),
            lt.z[0].copy(), lt.a[0].copy(), g.dz[0].copy(), g.dW.copy(), g.db.copy(), da, fprime,
        ))
    ds = run.dataset
    if ds.problem_type == "regression":
        target_text = f"{float(target):.4g}"
    else:
        target_text = (ds.class_names or [str(c) for c in range(ds.n_classes)])[int(target)]
    return ExampleStep(
        list(pre.feature_names), list(pre.input_names), x[0] * pre.scale + pre.mean, pre.mean.copy(),
        pre.scale.copy(), x[0].copy(), float(target), target_text, net.output, layers, float(plain.loss),
        float(full.loss - plain.loss), float(cfg.learning_rate), float(cfg.l2), float(cfg.l1),
    )


def row_example(run: Run, row: int) -> ExampleStep:
    """``example_step`` for data row ``row`` with its real label."""
    ds = run.dataset
    if not 0 <= row < ds.n_samples:
        raise ValueError(f"There is no row {row}; the data has rows 0 to {ds.n_samples - 1}.")
    return example_step(run, ds.X[row], ds.y[row])


def point_example(run: Run, point: Mapping[int, float], target) -> ExampleStep:
    """``example_step`` for a what-if point (missing features at their training medians)."""
    return example_step(run, held_values(run, dict(point)), target)


def input_table(step: ExampleStep) -> pd.DataFrame:
    """The inputs: symbol, name, value, training mean and std, and the standardized x the net sees."""
    return pd.DataFrame({
        "symbol": [f"x_{j + 1}" for j in range(len(step.x))],
        "input": step.input_names,
        "value": step.raw,
        "training mean": step.mean,
        "training std": step.scale,
        "x = (value - mean) / std": step.x,
    })


Z_COL = "z = Σ w·a + b"
A_COL = "a = f(z)"
DZ_COL = "dL/dz"


def forward_table(layer: LayerStep) -> pd.DataFrame:
    """One row per unit of the layer: its bias, ``z`` and ``a``."""
    return pd.DataFrame({"unit": layer.out_names, "bias b": layer.b, Z_COL: layer.z, A_COL: layer.a})


def matrix_table(matrix: np.ndarray, rows: list[str], columns: list[str]) -> pd.DataFrame:
    """A weight-shaped matrix with named rows (from) and columns (to)."""
    return pd.DataFrame(matrix, index=pd.Index(rows, name="from"), columns=columns)


def backward_table(layer: LayerStep, learning_rate: float) -> pd.DataFrame:
    """One row per unit: (hidden) dL/da and f'(z), then dL/dz, dL/db and the bias's SGD step."""
    frame = pd.DataFrame({"unit": layer.out_names})
    if layer.da is not None:
        frame["dL/da"] = layer.da
        frame["f'(z)"] = layer.fprime
    frame[DZ_COL] = layer.dz
    frame["dL/db"] = layer.db
    frame["step for b: -lr·dL/db"] = -learning_rate * layer.db
    return frame


def prediction_text(run: Run, step: ExampleStep) -> str:
    """What the output says for this example, in words (plain text)."""
    out = step.layers[-1].a
    ds = run.dataset
    if step.output == "linear":
        return f"Predicted {ds.target_name} = {out[0]:.4g} (actual {step.target_text})"
    names = ds.class_names or [str(c) for c in range(ds.n_classes)]
    if step.output == "sigmoid":
        k = int(out[0] >= 0.5)
        p = out[0] if k else 1.0 - out[0]
    else:
        k = int(out.argmax())
        p = out[k]
    return f"Predicted class {names[k]} with probability {p:.3f} (actual {step.target_text})"


# ------------------------------------------------------ the single neuron in LaTeX
def tex_number(v: float, digits: int = 4) -> str:
    """A number for LaTeX: ``4`` significant digits, ``1.2 \\times 10^{-5}`` for tiny or huge."""
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exp)}}}"
    return text


def _p(v: float) -> str:
    """A number in parentheses when negative, for substituting into a product."""
    t = tex_number(v)
    return f"({t})" if v < 0 else t


def single_neuron_latex(step: ExampleStep, max_inputs: int = 10) -> list[str] | None:
    """The article's single neuron with the numbers substituted, one LaTeX line per step.

    Only for a net without hidden layers, a sigmoid or linear output and at
    most ``max_inputs`` inputs (else None). Symbols only (``x_1``, ``w_1``): no
    user text ever enters the LaTeX.
    """
    if len(step.layers) != 1 or step.output not in ("sigmoid", "linear") or len(step.x) > max_inputs:
        return None
    layer = step.layers[0]
    w, b, x = layer.W[:, 0], float(layer.b[0]), step.x
    z, a, dz = float(layer.z[0]), float(layer.a[0]), float(layer.dz[0])
    y, lr = step.target, step.learning_rate
    n = len(x)
    terms = " + ".join(f"w_{j + 1} x_{j + 1}" for j in range(n))
    numbers = " + ".join(f"{_p(w[j])} \\cdot {_p(x[j])}" for j in range(n))
    lines = [rf"z = {terms} + b = {numbers} + {_p(b)} = {tex_number(z)}"]
    if step.output == "sigmoid":
        lines += [
            rf"p = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = \frac{{1}}{{1 + e^{{{tex_number(-z)}}}}} = {tex_number(a)}",
            rf"L = -\left(y \log p + (1 - y) \log(1 - p)\right) = -\left({tex_number(y)} \cdot \log {tex_number(a)}"
            rf" + {tex_number(1 - y)} \cdot \log {tex_number(1 - a)}\right) = {tex_number(step.loss)}",
            rf"\frac{{\partial L}}{{\partial z}} = p - y = {tex_number(a)} - {tex_number(y)} = {tex_number(dz)}",
        ]
        err = "(p - y)"
    else:
        lines += [
            rf"\hat y = z = {tex_number(a)}",
            rf"L = (\hat y - y)^2 = ({tex_number(a)} - {_p(y)})^2 = {tex_number(step.loss)}",
            rf"\frac{{\partial L}}{{\partial z}} = 2(\hat y - y) = 2 \cdot {_p(a - y)} = {tex_number(dz)}",
        ]
        err = r"\frac{\partial L}{\partial z}"
    pen_sym = (r" + \lambda_2 w_i" if step.l2 else "") + (r" + \lambda_1 \operatorname{sign}(w_i)" if step.l1 else "")
    for j in range(n):
        pen = (f" + {tex_number(step.l2)} \\cdot {_p(w[j])}" if step.l2 else "") + (
            f" + {tex_number(step.l1)} \\cdot {_p(float(np.sign(w[j])))}" if step.l1 else "")
        sym = pen_sym.replace("w_i", f"w_{j + 1}")
        lines.append(
            rf"\frac{{\partial L}}{{\partial w_{j + 1}}} = {err}\, x_{j + 1}{sym} = {_p(dz)} \cdot {_p(x[j])}{pen}"
            rf" = {tex_number(layer.dW[j, 0])}"
        )
    lines.append(rf"\frac{{\partial L}}{{\partial b}} = {err} = {tex_number(layer.db[0])}")
    for j in range(n):
        lines.append(
            rf"w_{j + 1} \leftarrow w_{j + 1} - \eta \frac{{\partial L}}{{\partial w_{j + 1}}} = {tex_number(w[j])}"
            rf" - {tex_number(lr)} \cdot {_p(layer.dW[j, 0])} = {tex_number(w[j] - lr * layer.dW[j, 0])}"
        )
    lines.append(
        rf"b \leftarrow b - \eta \frac{{\partial L}}{{\partial b}} = {tex_number(b)} - {tex_number(lr)} \cdot"
        rf" {_p(layer.db[0])} = {tex_number(b - lr * layer.db[0])}"
    )
    return lines


def symbol_legend(step: ExampleStep) -> pd.DataFrame:
    """``x_1`` -> the real input name (plain text, beside the LaTeX), and ``w_j`` -> its weight."""
    legend = [("x_" + str(j + 1), f"{name} (standardized)") for j, name in enumerate(step.input_names)]
    legend += [("w_" + str(j + 1), f"weight of {name}") for j, name in enumerate(step.input_names)]
    legend += [("b", "bias"), ("y", f"the label: {step.target_text}"), ("η (eta)", "learning rate")]
    return pd.DataFrame(legend, columns=["symbol", "means"])


