"""The network view's data: every neuron's map over the input plane, as cheap numbers (NumPy only).

The browser colours these numbers itself (``assets/``); the server never
encodes an image. Format of one payload (version 1), all arrays row-major:

- A **map** is ``{"lo": float, "hi": float, "c": [c0, c1], "b64": str}``: the
  values ``v`` of an ``(ny, nx)`` grid quantised to uint8 levels
  ``k = round(255 (v - lo) / (hi - lo))`` (``lo``/``hi`` the map's min and max;
  ``k = 0`` when ``hi == lo``), base64 of the ``ny * nx`` bytes. Decoded
  ``v = lo + k (hi - lo) / 255``, off by at most ``(hi - lo) / 510``. Row ``j``
  is ``y = ys[j]`` (row 0 at the bottom), column ``i`` is ``x = xs[i]``, the
  cell centres ``x0 + (i + 1/2) (x1 - x0) / nx``. ``c`` is the colour domain:
  ``c0`` takes the first colour, ``(c0 + c1) / 2`` the neutral one, ``c1`` the last.
- A **vector** (``"f32"`` in the keys below) is base64 of little-endian float32.
- ``layers[l]``: column ``l`` of the diagram (0 = inputs, last = outputs), with
  ``units``, ``activation`` (``"input"`` for column 0), ``bias`` (f32, None for
  inputs), ``maps`` (one map per unit on the node grid) and ``full`` (one map
  per unit on the main grid; always for the outputs, for the others only with
  ``full_maps``).
- ``weights[l - 1]`` feeds column ``l``: ``{"shape": [n_{l-1}, n_l], "f32": ...}``.
  Clicks name them the same way: neuron and bias ``(layer l, unit u)``, edge
  ``(layer l, from i, to j)`` = ``weights[l - 1][i, j]``.
- ``points``: ``train`` / ``test`` as ``{"x", "y", "label"}`` (f32; class index or
  target value), ``loss``: ``epoch``/``train``/``test`` (f32, at most
  ``max_loss_points`` epochs, evenly thinned, the last kept).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence

import numpy as np

VERSION = 1
#: The diagram stays readable up to this many units in any column.
MAX_UNITS = 64
MAX_GRID = 200
_KIND = {"sigmoid": "binary", "softmax": "multiclass", "linear": "regression"}
_BOUNDED = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0)}


def encode_levels(values: np.ndarray) -> dict:
    """A map (see the module docstring) of ``values``; ``c`` is added by the caller."""
    v = np.asarray(values, dtype=np.float64)
    lo, hi = float(v.min()), float(v.max())
    if hi > lo:
        levels = np.rint((v - lo) * (255.0 / (hi - lo))).astype(np.uint8)
    else:
        levels = np.zeros(v.shape, np.uint8)
    return {"lo": lo, "hi": hi, "b64": base64.b64encode(levels.tobytes()).decode("ascii")}


def decode_levels(entry: dict, shape: tuple[int, ...]) -> np.ndarray:
    """The values a map stands for, ``lo + k (hi - lo) / 255``, as ``shape`` (the browser's decoding)."""
    levels = np.frombuffer(base64.b64decode(entry["b64"]), dtype=np.uint8).reshape(shape)
    return entry["lo"] + levels * ((entry["hi"] - entry["lo"]) / 255.0)


def encode_f32(values) -> str:
    return base64.b64encode(np.asarray(values, dtype="<f4").tobytes()).decode("ascii")


def decode_f32(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4")


def equal_aspect_size(x_range: Sequence[float], y_range: Sequence[float], box: Sequence[int]) -> list[int]:
    """The largest ``[width, height]`` in pixels inside ``box`` with one scale on both axes.

    ``s = min(W / (x1 - x0), H / (y1 - y0))`` pixels per data unit, size
    ``[round(s (x1 - x0)), round(s (y1 - y0))]``: a circle in the data stays a circle.
    """
    dx, dy = x_range[1] - x_range[0], y_range[1] - y_range[0]
    scale = min(box[0] / dx, box[1] / dy)
    return [round(scale * dx), round(scale * dy)]


def cell_centres(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` cell centres splitting ``[lo, hi]`` evenly: ``lo + (i + 1/2) (hi - lo) / n``."""
    return lo + (np.arange(n) + 0.5) * ((hi - lo) / n)


def plane_rows(x_range, y_range, n: int, held: np.ndarray, features: tuple[int, int]) -> np.ndarray:
    """``(n * n, d)`` raw rows: row ``j * n + i`` has ``x = xs[i]``, ``y = ys[j]``, the rest ``held``."""
    gx, gy = np.meshgrid(cell_centres(*x_range, n), cell_centres(*y_range, n))
    rows = np.tile(held, (n * n, 1))
    rows[:, features[0]] = gx.ravel()
    rows[:, features[1]] = gy.ravel()
    return rows


def padded_range(columns: Sequence[np.ndarray], margin: float = 0.05) -> tuple[float, float]:
    """The range of all values in ``columns``, widened by ``margin`` of its span on each side."""
    values = np.concatenate([np.asarray(c, dtype=np.float64).ravel() for c in columns])
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo if hi > lo else max(abs(lo), 1.0)
    return lo - margin * span, hi + margin * span


def thinned(n: int, limit: int) -> np.ndarray:
    """At most ``limit`` indices of ``range(n)``, evenly spread, first and last kept."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.rint(np.linspace(0, n - 1, limit)).astype(np.int64))


def _colour_domain(activation: str, values: np.ndarray, target: tuple[float, float] | None) -> list[float]:
    """Bounded activations use their range; regression outputs the target's; others ``[-m, m]``."""
    if activation in _BOUNDED:
        return list(_BOUNDED[activation])
    if target is not None:
        return list(target)
    m = float(np.abs(values).max())
    return [-m, m] if m > 0 else [-1.0, 1.0]


def _check(net, X_train, features, main_grid, node_grid, x_range, y_range, transform) -> None:
    if X_train.ndim != 2:
        raise ValueError(f"X_train must be 2-D (rows, features); got shape {X_train.shape}.")
    d = X_train.shape[1]
    if transform is None and d != net.n_inputs:
        raise ValueError(f"The net takes {net.n_inputs} inputs but X_train has {d} columns.")
    fx, fy = features
    if not (0 <= fx < d and 0 <= fy < d) or fx == fy:
        raise ValueError(f"Pick two different features between 0 and {d - 1} for the plane; got {features}.")
    for name, n in (("main_grid", main_grid), ("node_grid", node_grid)):
        if not 2 <= n <= MAX_GRID:
            raise ValueError(f"{name} must be between 2 and {MAX_GRID} cells a side; got {n}.")
    for name, (lo, hi) in (("x_range", x_range), ("y_range", y_range)):
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"{name} must be two finite numbers, low before high; got ({lo}, {hi}).")
    if max(net.layer_sizes) > MAX_UNITS:
        raise ValueError(
            f"The network view draws up to {MAX_UNITS} units in a layer; this net has {max(net.layer_sizes)}."
        )


def build_payload(
    net,
    X_train,
    y_train,
    X_test=None,
    y_test=None,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    *,
    features: tuple[int, int] = (0, 1),
    held: Sequence[float] | None = None,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    feature_names: Sequence[str] | None = None,
    class_names: Sequence[str] | None = None,
    main_grid: int = 50,
    node_grid: int = 20,
    full_maps: bool = True,
    show_test: bool = True,
    discretize: bool = False,
    equal_aspect: bool | None = None,
    main_box: tuple[int, int] = (320, 320),
    loss_train: Sequence[float] | None = None,
    loss_test: Sequence[float] | None = None,
    loss_test_label: str = "validation",
    log_y: bool = False,
    marker_epoch: int | None = None,
    epoch: int | None = None,
    epochs_per_second: float | None = None,
    off: Sequence[tuple[int, int]] = (),
    edited_edges: Sequence[tuple[int, int, int]] = (),
    edited_biases: Sequence[tuple[int, int]] = (),
    max_loss_points: int = 400,
) -> dict:
    """Everything the network view draws for ``net`` now, from ONE ``net.trace`` of both grids.

    ``X_*`` are raw ``(n, d)`` rows; ``transform`` maps raw rows to the net's
    inputs (e.g. standardisation; identity when ``None``). The plane varies
    ``features`` over ``x_range`` x ``y_range`` (default: the data's range plus
    5%) and holds the other features at ``held`` (default: training medians).
    ``y_*`` are class indices, or for a linear output targets in the net's
    output units. ``loss_*`` default to ``net.history.loss`` / ``val_loss`` (labelled
    ``loss_test_label``) and
    ``epoch`` to their length. ``equal_aspect`` (default: exactly two features)
    sizes the main plot with one scale on both axes inside ``main_box`` pixels.
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    y_train = np.asarray(y_train, dtype=np.float64).ravel()
    has_test = X_test is not None and len(X_test) > 0
    X_test = np.asarray(X_test, dtype=np.float64) if has_test else None
    fx, fy = (int(f) for f in features)
    if x_range is None:
        x_range = padded_range([X_train[:, fx]] + ([X_test[:, fx]] if has_test else []))
    if y_range is None:
        y_range = padded_range([X_train[:, fy]] + ([X_test[:, fy]] if has_test else []))
    x_range, y_range = (float(x_range[0]), float(x_range[1])), (float(y_range[0]), float(y_range[1]))
    _check(net, X_train, (fx, fy), main_grid, node_grid, x_range, y_range, transform)
    d = X_train.shape[1]
    held_row = np.median(X_train, axis=0) if held is None else np.asarray(held, dtype=np.float64)
    if held_row.shape != (d,):
        raise ValueError(f"held needs one value per feature ({d}); got {held_row.size}.")

    rows = np.concatenate([plane_rows(x_range, y_range, main_grid, held_row, (fx, fy)),
                           plane_rows(x_range, y_range, node_grid, held_row, (fx, fy))])
    trace = net.trace(rows if transform is None else transform(rows))
    n_main = main_grid * main_grid
    target = None
    if net.output == "linear":
        target = (float(y_train.min()), float(y_train.max()))
        target = target if target[1] > target[0] else (target[0] - 1.0, target[0] + 1.0)

    columns = [trace.inputs] + [layer.a for layer in trace]
    activations = ["input"] + list(net.activations) + [net.output]
    layers = []
    for l, (values, act) in enumerate(zip(columns, activations)):
        last = l == len(columns) - 1
        units = []
        for u in range(values.shape[1]):
            colour = _colour_domain(act, values[:, u], target if last else None)
            node = encode_levels(values[n_main:, u].reshape(node_grid, node_grid)) | {"c": colour}
            full = None
            if last or full_maps:
                full = encode_levels(values[:n_main, u].reshape(main_grid, main_grid)) | {"c": colour}
            units.append((node, full))
        layers.append({
            "units": int(values.shape[1]),
            "activation": act,
            "bias": None if l == 0 else encode_f32(net.biases[l - 1]),
            "maps": [node for node, _ in units],
            "full": [full for _, full in units] if (last or full_maps) else None,
        })

    names = list(feature_names) if feature_names is not None else [f"x{j + 1}" for j in range(d)]
    others = [j for j in range(d) if j not in (fx, fy)]
    note = ""
    if others:
        note = "Other features held at " + ", ".join(f"{names[j]} = {held_row[j]:.3g}" for j in others) + "."
    if equal_aspect is None:
        equal_aspect = d == 2
    size = equal_aspect_size(x_range, y_range, main_box) if equal_aspect else list(main_box)

    def points(X, y):
        return {"x": encode_f32(X[:, fx]), "y": encode_f32(X[:, fy]), "label": encode_f32(y)}

    history = getattr(net, "history", None)
    if loss_train is None:
        loss_train = history.loss if history is not None else []
    if loss_test is None:
        loss_test = history.val_loss if history is not None else []
    train, test = np.asarray(loss_train, dtype=np.float64), np.asarray(loss_test, dtype=np.float64)
    keep = thinned(len(train), max_loss_points)
    loss = {
        "epoch": encode_f32(keep + 1),
        "train": encode_f32(train[keep]),
        "test": encode_f32(test[keep]) if len(test) == len(train) and len(test) else None,
        "test_label": loss_test_label,
        "log_y": bool(log_y),
        "marker": marker_epoch,
    }
    return {
        "version": VERSION,
        "kind": _KIND[net.output],
        "plane": {"x_range": list(x_range), "y_range": list(y_range), "x_label": names[fx],
                  "y_label": names[fy], "size": size, "equal_aspect": bool(equal_aspect), "note": note},
        "main_grid": main_grid,
        "node_grid": node_grid,
        "layers": layers,
        "weights": [{"shape": list(W.shape), "f32": encode_f32(W)} for W in net.weights],
        "points": {
            "train": points(X_train, y_train),
            "test": points(X_test, np.asarray(y_test, dtype=np.float64).ravel()) if has_test else None,
        },
        "input_names": names if transform is None else None,
        "label_range": list(target) if target else None,
        "class_names": list(class_names) if class_names is not None else None,
        "show_test": bool(show_test),
        "discretize": bool(discretize),
        "loss": loss,
        "epoch": int(len(train) if epoch is None else epoch),
        "epochs_per_second": epochs_per_second,
        "off": [list(map(int, t)) for t in off],
        "edited_edges": [list(map(int, t)) for t in edited_edges],
        "edited_biases": [list(map(int, t)) for t in edited_biases],
    }
