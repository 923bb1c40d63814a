"""Rewind: kept moments equal fresh fits, and a run continued from one repeats its parent bit for bit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nn_core.data import generate
from ui import hands_on, rewind, timeline
from ui.inside import ParamRef
from ui.playground import Player, tick
from ui.runs import new_run, train
from ui.settings import DataSpec, TrainConfig
from ui.snapshots import Store

SPEC = DataSpec(source="generated", generator="moons", n=200)
CONFIG = TrainConfig(hidden=(6, 4), batch_size=32, schedule="step", patience=50)


def make_run(run_id=1, config=CONFIG):
    return new_run(run_id, generate("moons", n=200, seed=0), SPEC, (), config)


def play(run, store, frames, speed=3):
    player = Player(speed=speed)
    player.play(now=0.0)
    for k in range(frames):
        tick(run, player, now=0.01 * k, record=rewind.recorder(store, run))


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.parameters, b.parameters)) and a.history.loss == b.history.loss


def test_every_kept_moment_equals_a_fresh_run_trained_that_long():
    run, store = make_run(), Store()
    play(run, store, 10)  # mini-batches, a schedule, validation and early stopping's record
    assert store.epochs(1) == list(range(31))
    for epoch in (0, 1, 7, 18, 30):
        net, at = rewind.net_at(run, store, epoch)
        fresh = make_run(2)
        if epoch:
            train(fresh, epoch)
        assert at == epoch and same(net, fresh.net)


def test_continuing_from_a_moment_repeats_the_parents_later_epochs():
    run, store = make_run(), Store()
    play(run, store, 12)
    child = rewind.branch(run, store, 14, new_id=2)
    assert child.parent == (1, 14) and child.epochs == 14 and run.epochs == 36
    train(child, 22)
    assert same(child.net, run.net)
    assert store.epochs(2)[0] == 14  # the branch keeps its own moments from where it starts


def test_a_branch_takes_the_settings_edits_switches_and_points_in_force_then():
    run, store, originals = make_run(), Store(), {}
    play(run, store, 3)
    timeline.steer(run, replace(run.config, learning_rate=0.1))
    hands_on.edit(run, ParamRef(0, 1, 0), 0.75, originals)
    hands_on.switch_neuron(run, 1, 2, False)
    hands_on.add_point(run, 0.3, -0.4, 1)
    play(run, store, 4)
    timeline.steer(run, replace(run.config, learning_rate=1.0))  # after the branch point: not taken
    play(run, store, 2)
    child = rewind.branch(run, store, 15, new_id=2)
    assert child.config.learning_rate == 0.1 and child.net.masks[0][2] == np.False_
    assert child.dataset.n_samples == run.dataset.n_samples and len(child.split[0]) == len(run.split[0])
    # the same future as the parent's own, with its settings of then: replay the parent to epoch 21 at lr 0.1
    train(child, 6)
    alt = timeline.replay(run, epochs=15, run_id=3)
    train(alt, 6)
    assert same(child.net, alt.net)


def test_a_replayed_run_with_a_neuron_switched_off_matches():
    run, store = make_run(), Store()
    play(run, store, 2)
    hands_on.switch_neuron(run, 2, 0, False)
    frozen = [run.net.weights[1][:, 0].copy(), run.net.biases[1][0].copy(), run.net.weights[2][0].copy()]
    play(run, store, 3)
    assert np.array_equal(run.net.weights[1][:, 0], frozen[0]) and run.net.biases[1][0] == frozen[1]
    assert np.array_equal(run.net.weights[2][0], frozen[2])
    assert same(timeline.replay(run, run_id=4).net, run.net)
    assert hands_on.off_neurons(run) == [(2, 0)]
