"""Rewind: a run's past from its snapshots, and a new run that continues from a moment of it.

No Streamlit here. ``recorder`` is the ``on_epoch`` callback that keeps
snapshots while a run trains (``ui.snapshots.Store`` decides which and how
many); ``net_at`` gives a copy of the run's net as it was after an epoch
(the scrubber draws it), and ``branch`` makes a new run from that moment:
the same data, split and preprocessing, the settings and hand edits in force
then, the history up to then, and its parent and branch epoch recorded, so
two futures of one past can be compared. With unchanged settings a branch
repeats its parent's later epochs bit for bit: the snapshot holds the whole
training state (``nn_core.snapshots``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import nn_core
from nn_core import snapshots as engine

from . import hands_on, timeline
from .runs import Run
from .snapshots import Store, wanted


def recorder(store: Store, run: Run) -> Callable:
    """An ``on_epoch`` callback that keeps a snapshot after each wanted epoch (and the start, once)."""
    if not store.epochs(run.id) and run.id not in store.too_big:
        store.add(run.id, run.epochs, engine.snapshot(run.net))

    def record(epoch: int, _history) -> None:
        if wanted(epoch):
            store.add(run.id, epoch, engine.snapshot(run.net))

    return record


def net_at(run: Run, store: Store, epoch: int) -> tuple[nn_core.MLP, int] | None:
    """A copy of ``run``'s net as it was after the kept epoch nearest at or before ``epoch``, and that epoch."""
    kept = store.get(run.id, epoch)
    if kept is None:
        return None
    net = run.net.copy()
    engine.restore(net, kept)
    return net, kept.epoch


def branch(run: Run, store: Store, epoch: int, new_id: int) -> Run:
    """A new run that continues ``run`` from its kept moment at ``epoch`` (``ValueError`` if none is kept)."""
    found = net_at(run, store, epoch)
    if found is None:
        raise ValueError("No moment of this run is kept at or before that epoch to continue from.")
    net, at = found
    events = [event for event in run.timeline if event.epoch <= at]
    config = timeline.start_config(run)
    for event in events:
        if isinstance(event, timeline.Change):
            config = replace(config, **{event.field: event.new})
    dataset, split = run.base if run.base is not None else (run.dataset, run.split)
    child = Run(new_id, config, run.data_spec, dataset, run.derived, split,
                nn_core.Model(run.model.preprocessing, net), parent=(run.id, at))
    for event in events:  # hand edits and drawn points made by then, in order (settings are in the config)
        if isinstance(event, timeline.Change):
            child.timeline.append(event)
        elif event.epoch == at or isinstance(event, timeline.PointEdit):
            hands_on.apply(child, event)  # a point stays drawn; an edit made at this very epoch is not in the snapshot
        else:
            child.timeline.append(event)  # an earlier weight edit is already in the snapshot's weights
    store.add(new_id, at, engine.snapshot(child.net))
    return child
