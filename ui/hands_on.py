"""Hands on: a weight or bias set by clicking the diagram, training points added or removed on the plane.

No Streamlit here. Every change is written into the run at once (the
boundary, the loss and the metrics follow on the next draw) and kept on the
run's timeline as an event at the epoch it happened (``ui.timeline``), so a
replay of the run reproduces it. Training on after an edit trains the edited
weights: they become the run's own (the trained values stay one click away
until then: ``ui.state.weight_edits``).

Points: on 2-D data a click on the plane adds a training row of the chosen
class there, a click on a training point removes it, and ``restore_points``
puts the data back. Added points join the training rows only (the
validation and test rows stay as they were), and the standardisation learned
from the original training rows stays, so the net carries on from its
current weights and the learner sees it adapt. The edited table is the run's
own data (``run.dataset``); ``run.base`` keeps the data as loaded.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import runs
from .inside import ParamRef, param_value, set_parameter, write_parameter
from .runs import Run
from .timeline import NeuronSwitch, PointEdit, WeightEdit


def ref_of(event: dict | None) -> ParamRef | None:
    """The parameter a click on the diagram names (an edge or a bias), else None.

    The view counts columns from the inputs (layer 0), so edge ``(l, i, j)`` is
    ``weights[l - 1][i, j]`` and bias ``(l, u)`` is ``biases[l - 1][u]``.
    """
    if not event:
        return None
    if event.get("kind") == "edge":
        return ParamRef(int(event["layer"]) - 1, int(event["to"]), int(event["from"]))
    if event.get("kind") == "bias":
        return ParamRef(int(event["layer"]) - 1, int(event["unit"]))
    return None


def fits(run: Run, ref: ParamRef | None) -> bool:
    """Whether ``ref`` names a parameter of ``run``'s net (an editor left open on another net does not)."""
    if ref is None or not 0 <= ref.layer < len(run.net.weights):
        return False
    n_in, n_out = run.net.weights[ref.layer].shape
    return 0 <= ref.to < n_out and (ref.frm is None or 0 <= ref.frm < n_in)


def edit(run: Run, ref: ParamRef, value: float, originals: dict) -> None:
    """Set one parameter by hand (``ValueError`` for a value that is not finite), recorded on the timeline."""
    set_parameter(run, ref, value, originals)
    run.timeline.append(WeightEdit(run.epochs, ref.layer, ref.to, ref.frm, float(value)))


def restore(run: Run, originals: dict) -> None:
    """Every edited parameter back to its trained value, each recorded as an edit."""
    for ref, value in list(originals.items()):
        write_parameter(run.net, ref, value)
        run.timeline.append(WeightEdit(run.epochs, ref.layer, ref.to, ref.frm, float(value)))
    originals.clear()
    runs.weights_changed(run)


def marks(originals: dict) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """``(edited edges, edited biases)`` in the view's numbering, for the diagram to mark."""
    edges = [(r.layer + 1, r.frm, r.to) for r in originals if not r.is_bias]
    biases = [(r.layer + 1, r.to) for r in originals if r.is_bias]
    return edges, biases


def current_value(run: Run, ref: ParamRef) -> float:
    return param_value(run.net, ref)


def handle_click(run: Run, event: dict, mode: str) -> ParamRef | tuple | str | None:
    """What a click on the view does: the parameter to open the editor on, ``(layer, unit)`` of a hidden
    neuron to offer its switch for, ``"changed"`` (a point was added or removed), or None (the browser
    handled it). ``mode`` is ``"look"``, ``"add:<class>"`` or ``"remove"``. ``ValueError`` with a sentence
    for a change that cannot be made."""
    ref = ref_of(event)
    if ref is not None:
        return ref
    if event.get("kind") == "neuron" and 0 < int(event["layer"]) < len(run.net.layer_sizes) - 1:
        return int(event["layer"]), int(event["unit"])
    if event.get("kind") == "plane" and mode.startswith("add:"):
        add_point(run, event["x"], event["y"], int(mode[4:]))
        return "changed"
    if event.get("kind") == "point" and mode == "remove" and event.get("part") == "train":
        remove_point(run, int(event["index"]))
        return "changed"
    return None


# ------------------------------------------------------------------ neurons
def switch_neuron(run: Run, layer: int, unit: int, on: bool) -> None:
    """Switch a hidden neuron off (its output held at zero; its weights and bias frozen in training) or on again.

    ``ValueError`` with a sentence for the inputs or the output layer.
    """
    run.net.set_neuron(layer, unit, on)
    run.timeline.append(NeuronSwitch(run.epochs, layer, unit, on))
    runs.weights_changed(run)


def off_neurons(run: Run, net=None) -> list[tuple[int, int]]:
    """``(layer, unit)`` of every neuron of ``run``'s net (or ``net``) switched off, in the view's numbering."""
    masks = (run.net if net is None else net).masks
    if masks is None:
        return []
    return [(k + 1, int(u)) for k, mask in enumerate(masks) for u in np.flatnonzero(~mask)]


# -------------------------------------------------------------------- points
def can_draw_points(run: Run) -> bool:
    """Points are drawn on 2-D classification data (the plane is the whole input)."""
    return run.dataset.n_features == 2 and run.dataset.problem_type != "regression"


def add_point(run: Run, x: float, y: float, label: int) -> None:
    """A training row at ``(x, y)`` of class ``label``."""
    event = PointEdit(run.epochs, "add", (float(x), float(y)), float(label))
    _add(run, event)
    run.timeline.append(event)


def remove_point(run: Run, train_position: int) -> None:
    """Remove training row number ``train_position`` (its place among the training rows, as the view numbers them)."""
    row = int(run.split[0][train_position])
    event = PointEdit(run.epochs, "remove", tuple(float(v) for v in run.dataset.X[row]), float(run.dataset.y[row]))
    _remove(run, row)
    run.timeline.append(event)


def restore_points(run: Run) -> None:
    """The data as loaded again (the weights stay where training took them)."""
    if run.base is not None:
        run.dataset, run.split = run.base
        run.base = None
        runs.weights_changed(run)


def points_changed(run: Run) -> tuple[int, int]:
    """``(added, removed)`` training rows against the data as loaded."""
    if run.base is None:
        return 0, 0
    base_ds, base_split = run.base
    added = run.dataset.n_samples - base_ds.n_samples
    removed = len(base_split[0]) + added - len(run.split[0])
    return added, removed


def apply(run: Run, event) -> None:
    """Replay one hands-on event on ``run`` (``ui.timeline.replay``)."""
    if isinstance(event, WeightEdit):
        write_parameter(run.net, ParamRef(event.layer, event.to, event.frm), event.value)
        runs.weights_changed(run)
    elif isinstance(event, NeuronSwitch):
        run.net.set_neuron(event.layer, event.unit, event.on)
        runs.weights_changed(run)
    elif event.action == "add":
        _add(run, event)
    else:
        rows = run.split[0]
        match = np.flatnonzero(np.all(run.dataset.X[rows] == np.asarray(event.x), axis=1)
                               & (run.dataset.y[rows] == event.label))
        if len(match) == 0:
            raise ValueError("A recorded point to remove is not among the training rows.")
        _remove(run, int(rows[match[0]]))
    run.timeline.append(event)


def _edited(run: Run):
    if run.base is None:
        run.base = (run.dataset, run.split)
    return run.dataset


def _add(run: Run, event: PointEdit) -> None:
    ds = _edited(run)
    label = np.asarray([event.label], dtype=ds.y.dtype)
    name = ds.name if ds.name.endswith("(edited)") else f"{ds.name} (edited)"
    run.dataset = replace(ds, X=np.vstack([ds.X, np.asarray(event.x)[None, :]]), y=np.concatenate([ds.y, label]),
                          name=name)
    train_idx, val_idx, test_idx = run.split
    run.split = (np.append(train_idx, ds.n_samples), val_idx, test_idx)
    runs.weights_changed(run)


def _remove(run: Run, row: int) -> None:
    ds = _edited(run)
    train_idx, val_idx, test_idx = run.split
    if len(train_idx) <= 2:
        raise ValueError("Keep at least two training points.")
    if not ds.name.endswith("(edited)"):
        run.dataset = replace(ds, name=f"{ds.name} (edited)")
    run.split = (train_idx[train_idx != row], val_idx, test_idx)
    runs.weights_changed(run)
