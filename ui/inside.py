"""Logic of the page Inside the network: no Streamlit, plain tables from a run's net.

- ``diagram``: node and edge tables of the network diagram (positions computed
  here, so the chart builder only draws).
- ``neuron_maps``: every neuron's output over a plane of two raw features
  (``net.trace`` on a grid), for the small multiples and the large view.
- ``ParamRef``, ``set_parameter``, ``restore_parameters``, ``training_fit``:
  editing one weight or bias by hand, and what it does to the training loss.
- ``layer_stats``: the per-layer mean |gradient| and |activation| per epoch.
- ``run_gradient_check``: ``nn_core.gradient_check`` on a sample of the
  training rows, as a table.

Layers are numbered as the diagram draws them: layer 0 is the inputs, layer
``k`` (1..L-1) the k-th hidden layer, layer ``L`` the output; weight layer
``i`` (``net.weights[i]``, shape ``(h_i, h_{i+1})``) connects layer ``i`` to ``i+1``.
The naming helpers (``layer_title``, ``neuron_names``, ...) serve the page
One example, step by step too (``ui.step_by_step``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

import nn_core
from nn_core.gradcheck import PASS_THRESHOLD

from . import runs
from .boundary import axis_range, held_values
from .budgets import check_grid
from .charts import MAX_POINTS
from .runs import Run

#: Neurons drawn per layer in the diagram and the neuron maps; bigger layers show the first ones.
MAX_SHOWN = 16
#: Grid cells per side of a small neuron map (drawn as an image, so cheap to redraw).
MAP_RESOLUTION = 40
#: Training rows, most entries per parameter array, and the time budget of the gradient check.
GRADCHECK_ROWS = 64
GRADCHECK_ENTRIES = 24
GRADCHECK_SECONDS = 0.8


# ------------------------------------------------------------------- naming
def layer_title(net: nn_core.MLP, k: int) -> str:
    """``Inputs``, ``Hidden layer 1``, ..., ``Output`` for layer ``k`` (0..L)."""
    n_layers = len(net.weights)
    if k == 0:
        return "Inputs"
    return "Output" if k == n_layers else f"Hidden layer {k}"


def layer_activation_name(net: nn_core.MLP, k: int) -> str:
    """The activation of layer ``k`` (1..L): a hidden activation or the output's."""
    return net.activations[k - 1] if k < len(net.weights) else net.output


def output_names(run: Run) -> list[str]:
    """Names of the output units: ``P(class)`` for classifiers, the target for regression."""
    ds = run.dataset
    if ds.problem_type == "regression":
        return [str(ds.target_name)] * run.net.n_outputs
    names = ds.class_names or [str(c) for c in range(max(2, run.net.n_outputs))]
    if run.net.output == "sigmoid":
        return [f"P({names[1]})"]
    return [f"P({c})" for c in names]


def neuron_names(run: Run, k: int) -> list[str]:
    """Names of the units of layer ``k``: input names, ``h1.3`` style, or the outputs."""
    net = run.net
    if k == 0:
        return list(run.model.preprocessing.input_names)
    if k == len(net.weights):
        return output_names(run)
    return [f"h{k}.{j + 1}" for j in range(net.layer_sizes[k])]


# ------------------------------------------------------------------ diagram
@dataclass
class Diagram:
    """The network diagram as tables.

    ``nodes``: one row per drawn unit (``layer``, ``index``, ``x``, ``y``, ``name``,
    ``kind`` input/hidden/output, ``bias`` (NaN for inputs), ``activation``, ``layer_title``).
    ``edges``: one row per drawn weight (``layer`` = weight layer, ``src``, ``dst``,
    ``x``, ``y``, ``x2``, ``y2``, ``weight``, ``magnitude``, ``sign``, ``src_name``, ``dst_name``).
    ``labels``: text marks (``x``, ``y``, ``text``, ``role`` title/more).
    ``hidden_units``: ``{layer title: units not drawn}`` for layers cut at ``MAX_SHOWN``.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    labels: pd.DataFrame
    hidden_units: dict[str, int]
    max_shown: int


def _positions(n: int) -> np.ndarray:
    """Vertical positions of ``n`` units, centred on 0, top to bottom."""
    return (n - 1) / 2 - np.arange(n, dtype=np.float64)


def diagram(run: Run, max_shown: int = MAX_SHOWN) -> Diagram:
    """Nodes at ``x = layer``, edges between the drawn units of neighbouring layers."""
    net = run.net
    sizes = net.layer_sizes
    shown = [min(h, max_shown) for h in sizes]
    ys = [_positions(n) for n in shown]
    n_layers = len(net.weights)
    node_rows = []
    for k, n in enumerate(shown):
        names = neuron_names(run, k)
        kind = "input" if k == 0 else ("output" if k == n_layers else "hidden")
        for j in range(n):
            node_rows.append({
                "layer": k, "index": j, "x": float(k), "y": float(ys[k][j]), "name": names[j], "kind": kind,
                "bias": float(net.biases[k - 1][j]) if k else math.nan,
                "activation": layer_activation_name(net, k) if k else "input",
                "layer_title": layer_title(net, k),
            })
    edge_frames = []
    for i, W in enumerate(net.weights):
        src, dst = np.meshgrid(np.arange(shown[i]), np.arange(shown[i + 1]), indexing="ij")
        src, dst = src.ravel(), dst.ravel()
        w = W[src, dst].astype(np.float64)
        src_names = np.asarray(neuron_names(run, i), dtype=object)
        dst_names = np.asarray(neuron_names(run, i + 1), dtype=object)
        edge_frames.append(pd.DataFrame({
            "layer": i, "src": src, "dst": dst,
            "x": float(i), "y": ys[i][src], "x2": float(i + 1), "y2": ys[i + 1][dst],
            "weight": w, "magnitude": np.abs(w), "sign": np.where(w >= 0, "positive", "negative"),
            "src_name": src_names[src], "dst_name": dst_names[dst],
        }))
    top = (max(shown) - 1) / 2
    label_rows = [{"x": float(k), "y": top + 0.9, "role": "title",
                   "text": f"{layer_title(net, k)} ({sizes[k]})"} for k in range(len(sizes))]
    hidden_units = {}
    for k, (n, h) in enumerate(zip(shown, sizes)):
        if h > n:
            hidden_units[layer_title(net, k)] = h - n
            label_rows.append({"x": float(k), "y": -(n - 1) / 2 - 0.9, "role": "more", "text": f"+{h - n} more"})
    return Diagram(pd.DataFrame(node_rows), pd.concat(edge_frames, ignore_index=True),
                   pd.DataFrame(label_rows), hidden_units, max(shown))


def diagram_note(d: Diagram) -> str:
    """The sentence saying which layers were cut to their first units ("" if none)."""
    if not d.hidden_units:
        return ""
    cut = ", ".join(f"{title} ({n} more)" for title, n in d.hidden_units.items())
    return f"Layers wider than {MAX_SHOWN} show their first {MAX_SHOWN} units only: {cut}."


# -------------------------------------------------------------- neuron maps
@dataclass
class LayerMap:
    """One layer's units over the plane: ``values`` ``(ny, nx, shown)`` of the units listed in ``units``."""

    layer: int
    title: str
    kind: str  # input, hidden or output
    activation: str
    units: list[int]
    names: list[str]
    values: np.ndarray
    total: int


@dataclass
class NeuronMaps:
    """Every drawn unit's output over a grid of two raw features ``xs`` ``(nx,)`` x ``ys`` ``(ny,)``."""

    x_feature: int
    y_feature: int
    xs: np.ndarray
    ys: np.ndarray
    layers: list[LayerMap]


def plane_rows(run: Run, x_feature: int, y_feature: int, resolution: int,
               held: list[float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw rows of a ``resolution`` x ``resolution`` grid over two features, the others held.

    Returns ``(xs, ys, rows)``, ``rows`` of shape ``(ny * nx, d)`` in ``meshgrid`` order,
    over the same ranges as the decision-boundary chart.
    """
    if held is None:
        held = held_values(run)
    xs = np.linspace(*axis_range(run, x_feature), resolution)
    ys = np.linspace(*axis_range(run, y_feature), resolution)
    gx, gy = np.meshgrid(xs, ys)
    rows = np.tile(np.asarray(held, dtype=np.float64), (gx.size, 1))
    rows[:, x_feature] = gx.ravel()
    rows[:, y_feature] = gy.ravel()
    return xs, ys, rows


def neuron_maps(run: Run, x_feature: int, y_feature: int, resolution: int = MAP_RESOLUTION,
                held: list[float] | None = None, max_shown: int = MAX_SHOWN) -> NeuronMaps:
    """``net.trace`` over the plane: inputs that vary on it, then each layer's first ``max_shown`` units.

    Inputs that stay constant on the plane (features held fixed) are left out:
    they would be flat maps. ``ValueError`` (a sentence) when every layer kept over
    the grid would pass the memory budget (``ui.budgets.check_grid``).
    """
    net = run.net
    refusal = check_grid(net.layer_sizes, resolution * resolution, traced=True)
    if refusal:
        raise ValueError(refusal)
    xs, ys, rows = plane_rows(run, x_feature, y_feature, resolution, held)
    trace = net.trace(run.model.transform(rows))
    shape = (len(ys), len(xs))
    inputs = trace.inputs.reshape(*shape, -1)
    varying = [j for j in range(net.n_inputs) if np.ptp(inputs[..., j]) > 1e-12][:max_shown]
    names = neuron_names(run, 0)
    layers = [LayerMap(0, "Inputs (standardized)", "input", "input", varying, [names[j] for j in varying],
                       inputs[..., varying], net.n_inputs)]
    for k, lt in enumerate(trace.layers, start=1):
        units = list(range(min(lt.a.shape[1], max_shown)))
        kind = "output" if k == len(trace.layers) else "hidden"
        layers.append(LayerMap(k, layer_title(net, k), kind, layer_activation_name(net, k), units,
                               neuron_names(run, k)[: len(units)], lt.a.reshape(*shape, -1)[..., units],
                               lt.a.shape[1]))
    return NeuronMaps(x_feature, y_feature, xs, ys, layers)


def map_cells(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, names: list[str]) -> pd.DataFrame:
    """One row per grid cell and unit: ``neuron`` (name), ``order``, cell edges ``x x2 y y2``, ``value``.

    ``values`` is ``(ny, nx, units)``.
    """
    dx = float(np.diff(xs).mean()) if xs.size > 1 else 1.0
    dy = float(np.diff(ys).mean()) if ys.size > 1 else 1.0
    gx, gy = np.meshgrid(xs, ys)
    n_units = values.shape[-1]
    cells = gx.size
    return pd.DataFrame({
        "neuron": np.repeat(np.asarray(names, dtype=object), cells),
        "order": np.repeat(np.arange(n_units), cells),
        "x": np.tile((gx - dx / 2).ravel(), n_units), "x2": np.tile((gx + dx / 2).ravel(), n_units),
        "y": np.tile((gy - dy / 2).ravel(), n_units), "y2": np.tile((gy + dy / 2).ravel(), n_units),
        "value": np.moveaxis(values, -1, 0).reshape(n_units, -1).ravel(),
    })


def color_domain(activation: str, values: np.ndarray) -> list[float]:
    """A fixed colour domain ``[low, middle, high]`` for a layer's outputs.

    Bounded activations keep their natural range (tanh [-1, 1], sigmoid and
    softmax [0, 1]), so a saturated layer looks saturated; unbounded ones
    (ReLU, linear, standardized inputs) use the layer's largest |value|.
    """
    if activation == "tanh":
        return [-1.0, 0.0, 1.0]
    if activation in ("sigmoid", "softmax"):
        return [0.0, 0.5, 1.0]
    finite = values[np.isfinite(values)]
    top = float(np.abs(finite).max()) if finite.size else 1.0
    top = top if top > 1e-12 else 1.0
    if activation == "relu":
        return [0.0, top / 2, top]
    return [-top, 0.0, top]


def neuron_options(maps: NeuronMaps) -> list[tuple[int, int]]:
    """``(layer, unit)`` of every map drawn, the choices of the large view."""
    return [(m.layer, u) for m in maps.layers for u in m.units]


def single_map(maps: NeuronMaps, layer: int, unit: int) -> tuple[LayerMap, np.ndarray, str]:
    """The layer map holding ``unit`` of ``layer``, the unit's ``(ny, nx)`` values and its name."""
    lm = next(m for m in maps.layers if m.layer == layer)
    pos = lm.units.index(unit)
    return lm, lm.values[..., pos], lm.names[pos]


# ------------------------------------------------------------- weight edits
@dataclass(frozen=True)
class ParamRef:
    """One parameter: ``net.weights[layer][frm, to]``, or ``net.biases[layer][to]`` when ``frm`` is None."""

    layer: int
    to: int
    frm: int | None = None

    @property
    def is_bias(self) -> bool:
        return self.frm is None


def param_value(net: nn_core.MLP, ref: ParamRef) -> float:
    if ref.is_bias:
        return float(net.biases[ref.layer][ref.to])
    return float(net.weights[ref.layer][ref.frm, ref.to])


def param_label(run: Run, ref: ParamRef) -> str:
    """``weight Glucose -> h1.3`` or ``bias of h1.3`` (plain text: may hold a column name)."""
    to = neuron_names(run, ref.layer + 1)[ref.to]
    if ref.is_bias:
        return f"bias of {to}"
    return f"weight {neuron_names(run, ref.layer)[ref.frm]} -> {to}"


def write_parameter(net: nn_core.MLP, ref: ParamRef, value: float) -> None:
    """Set one parameter in place (these are the arrays the net and its optimizer use)."""
    # in place: these are the arrays the net (and its optimizer) use
    if ref.is_bias:
        net.biases[ref.layer][ref.to] = value
    else:
        net.weights[ref.layer][ref.frm, ref.to] = value


def set_parameter(run: Run, ref: ParamRef, value: float, originals: dict[ParamRef, float]) -> None:
    """Write ``value`` into the net; the trained value goes into ``originals`` the first time.

    Raises ``ValueError`` for a value that is not a finite number.
    """
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("A weight must be a finite number.")
    originals.setdefault(ref, param_value(run.net, ref))
    write_parameter(run.net, ref, value)
    if value == originals[ref]:
        del originals[ref]
    runs.weights_changed(run)


def restore_parameters(run: Run, originals: dict[ParamRef, float]) -> None:
    """Put every edited parameter back to its trained value and forget the edits."""
    for ref, value in originals.items():
        write_parameter(run.net, ref, value)
    originals.clear()
    runs.weights_changed(run)


@contextmanager
def trained_values(net: nn_core.MLP, originals: Mapping[ParamRef, float]) -> Iterator[None]:
    """Within the block the net has its trained values back; the edits return after it."""
    edited = {ref: param_value(net, ref) for ref in originals}
    for ref, value in originals.items():
        write_parameter(net, ref, value)
    try:
        yield
    finally:
        for ref, value in edited.items():
            write_parameter(net, ref, value)


def edits_table(run: Run, originals: Mapping[ParamRef, float]) -> pd.DataFrame:
    """The edited parameters: what, trained value, value now."""
    return pd.DataFrame({
        "parameter": [param_label(run, r) for r in originals],
        "trained value": list(originals.values()),
        "now": [param_value(run.net, r) for r in originals],
    })


def training_fit(run: Run) -> dict[str, float | str]:
    """Training objective (as training reports it, penalties included) and accuracy or R² on the training rows."""
    ds, cfg = run.dataset, run.config
    idx = run.split[0]
    X = run.model.transform(ds.X[idx])
    y = run.model.preprocessing.transform_target(ds.y[idx])  # as the net learns it
    loss, _, _ = run.net.loss_and_gradients(X, y, l2=cfg.l2, l1=cfg.l1)
    pred = run.net.predict(X)
    if ds.problem_type == "regression":
        return {"loss": float(loss), "metric": "R²", "value": nn_core.metrics.r2_score(y, pred)}
    return {"loss": float(loss), "metric": "accuracy", "value": float(np.mean(pred == ds.y[idx]))}


# -------------------------------------------------------------- layer stats
def layer_stats(run: Run, limit: int = MAX_POINTS) -> tuple[pd.DataFrame, str]:
    """Long table ``epoch``, ``layer``, ``statistic`` (gradient/activation), ``value``; and a note.

    ``grad_mean_abs[e][i]`` is the mean |dL/dW_i| of weight layer ``i``, drawn as
    the layer it feeds (``i + 1``); ``activation_mean_abs[e][i]`` the mean |a| of
    that layer. Long runs keep every k-th epoch (and the last) so each
    statistic stays within ``limit`` points.
    """
    h = run.history
    n_epochs, n_layers = len(h.grad_mean_abs), len(run.net.weights)
    titles = [layer_title(run.net, k) for k in range(1, n_layers + 1)]
    if n_epochs == 0:
        return pd.DataFrame(columns=["epoch", "layer", "statistic", "value"]), ""
    stride = max(1, math.ceil(n_epochs * n_layers / limit))
    keep = sorted(set(range(0, n_epochs, stride)) | {n_epochs - 1})
    frames = []
    for name, table in (("gradient", h.grad_mean_abs), ("activation", h.activation_mean_abs)):
        values = np.asarray([table[e] for e in keep], dtype=np.float64)
        frames.append(pd.DataFrame({
            "epoch": np.repeat(np.asarray(keep) + 1, n_layers),
            "layer": np.tile(np.asarray(titles, dtype=object), len(keep)),
            "statistic": name, "value": values.ravel(),
        }))
    note = f"Every {stride}th epoch is drawn (of {n_epochs:,})." if stride > 1 else ""
    return pd.concat(frames, ignore_index=True), note


# ----------------------------------------------------------- gradient check
@dataclass
class GradCheck:
    """The gradient check's outcome: one row per parameter array, and what it used."""

    table: pd.DataFrame  # parameter, connects, shape, entries checked, worst relative error, passes
    rows: int
    seconds: float

    @property
    def passed(self) -> bool:
        return bool(self.table["passes"].all())


def gradcheck_rows(run: Run, rows: int = GRADCHECK_ROWS, seed: int = 0) -> np.ndarray:
    """A seeded sample of training rows; a classifier's sample always holds two classes (the loss needs them)."""
    idx = run.split[0]
    if len(idx) <= rows:
        return idx
    sample = np.sort(np.random.default_rng(seed).choice(idx, size=rows, replace=False))
    y = run.dataset.y
    if run.dataset.problem_type != "regression" and np.unique(y[sample]).size < 2:
        other = idx[y[idx] != y[sample[0]]]
        sample = np.sort(np.r_[sample[:-1], other[:1]])
    return sample


def run_gradient_check(run: Run, rows: int = GRADCHECK_ROWS, max_entries: int = GRADCHECK_ENTRIES,
                       seconds: float = GRADCHECK_SECONDS, seed: int = 0) -> GradCheck:
    """``nn_core.gradient_check`` on a sample of the training rows, with the run's penalties.

    Each checked entry costs four loss evaluations (the four-point stencil);
    one evaluation is timed first, and big nets check fewer entries per
    array (at least 1, at most ``max_entries``) to stay near ``seconds``.
    """
    ds, cfg, net = run.dataset, run.config, run.net
    idx = gradcheck_rows(run, rows, seed)
    X, y = run.model.transform(ds.X[idx]), run.model.preprocessing.transform_target(ds.y[idx])
    started = time.perf_counter()
    net.loss_and_gradients(X, y, l2=cfg.l2, l1=cfg.l1)
    one = time.perf_counter() - started
    entries = int(np.clip(seconds / max(one * 4 * 2 * len(net.weights), 1e-9), 1, max_entries))
    started = time.perf_counter()
    errors = nn_core.gradient_check(net, X, y, l2=cfg.l2, l1=cfg.l1, max_entries=entries, seed=seed)
    seconds = time.perf_counter() - started
    table_rows = []
    for name, err in errors.items():
        i = int(name[1:])
        param = net.weights[i] if name[0] == "W" else net.biases[i]
        what = "weights" if name[0] == "W" else "biases"
        table_rows.append({
            "parameter": name,
            "connects": f"{what}: {layer_title(net, i)} -> {layer_title(net, i + 1)}",
            "shape": " x ".join(str(s) for s in param.shape),
            "entries checked": min(param.size, entries),
            "worst relative error": err,
            "passes": bool(err < PASS_THRESHOLD),
        })
    return GradCheck(pd.DataFrame(table_rows), len(idx), seconds)


def parameter_fingerprint(net: nn_core.MLP) -> tuple[float, ...]:
    """A cheap summary of the parameters: a stored check is shown only while it still matches."""
    return tuple(float(np.sum(p, dtype=np.float64)) for p in net.parameters)
