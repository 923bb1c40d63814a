"""Hands on: weights set by clicking the diagram, points added and removed on the plane, and their replay."""

from __future__ import annotations

import numpy as np
import pytest

from nn_core.data import generate
from ui import hands_on, timeline
from ui.inside import ParamRef
from ui.playground import Player, tick
from ui.runs import new_run
from ui.settings import DataSpec, TrainConfig

SPEC = DataSpec(source="generated", generator="moons", n=200)


def make_run(run_id: int = 1):
    return new_run(run_id, generate("moons", n=200, seed=0), SPEC, (), TrainConfig(hidden=(4,)))


def play(run, frames: int, speed: int = 3):
    player = Player(speed=speed)
    player.play(now=0.0)
    for k in range(frames):
        tick(run, player, now=0.01 * k)


def test_a_click_on_an_edge_or_a_bias_names_that_parameter():
    assert hands_on.ref_of({"kind": "edge", "layer": 2, "from": 3, "to": 0}) == ParamRef(1, 0, 3)
    assert hands_on.ref_of({"kind": "bias", "layer": 1, "unit": 2}) == ParamRef(0, 2, None)
    assert hands_on.ref_of({"kind": "neuron", "layer": 1, "unit": 2}) is None
    run = make_run()
    assert hands_on.fits(run, ParamRef(1, 0, 3)) and not hands_on.fits(run, ParamRef(1, 0, 4))
    assert not hands_on.fits(run, ParamRef(2, 0, None)) and not hands_on.fits(run, None)


def test_an_edit_changes_the_output_at_once_and_restores_exactly():
    run = make_run()
    play(run, 5)
    originals, ref = {}, ParamRef(0, 1, 0)
    X = run.model.transform(run.dataset.X[:5])
    trained = run.net.weights[0][0, 1]
    hands_on.edit(run, ref, 2.5, originals)
    W0 = run.net.weights[0].copy()
    assert W0[0, 1] == 2.5
    # by hand: the tanh hidden layer and the sigmoid output with the edited weight
    hidden = np.tanh(X @ W0 + run.net.biases[0])
    expected = 1 / (1 + np.exp(-(hidden @ run.net.weights[1] + run.net.biases[1])))
    np.testing.assert_allclose(run.net.forward(X), expected, rtol=1e-12)
    assert hands_on.marks(originals) == ([(1, 0, 1)], [])
    hands_on.restore(run, originals)
    assert run.net.weights[0][0, 1] == trained and originals == {}
    assert [(e.value, e.epoch) for e in run.timeline] == [(2.5, 15), (trained, 15)]


def test_points_join_the_training_rows_only_and_come_back_out():
    run = make_run()
    n_train, val, test = len(run.split[0]), run.split[1].copy(), run.split[2].copy()
    hands_on.add_point(run, 2.0, -1.5, 1)
    assert len(run.split[0]) == n_train + 1 and run.dataset.name.endswith("(edited)")
    row = run.split[0][-1]
    assert run.dataset.X[row].tolist() == [2.0, -1.5] and run.dataset.y[row] == 1
    assert np.array_equal(run.split[1], val) and np.array_equal(run.split[2], test)
    hands_on.remove_point(run, 0)
    assert len(run.split[0]) == n_train and hands_on.points_changed(run) == (1, 1)
    hands_on.restore_points(run)
    assert len(run.split[0]) == n_train and run.base is None and hands_on.points_changed(run) == (0, 0)


def test_clicks_on_the_plane_follow_the_mode():
    run = make_run()
    assert hands_on.handle_click(run, {"kind": "plane", "x": 1.0, "y": 1.0}, "look") is None
    assert hands_on.handle_click(run, {"kind": "plane", "x": 1.0, "y": 1.0}, "add:0") == "changed"
    assert hands_on.handle_click(run, {"kind": "point", "part": "test", "index": 0}, "remove") is None
    assert hands_on.handle_click(run, {"kind": "point", "part": "train", "index": 3}, "remove") == "changed"
    assert hands_on.handle_click(run, {"kind": "edge", "layer": 1, "from": 0, "to": 2}, "add:1") == ParamRef(0, 2, 0)


def test_a_run_with_steering_edits_and_points_replays_bit_for_bit():
    run, originals = make_run(), {}
    play(run, 3)
    hands_on.edit(run, ParamRef(0, 0, 1), -1.0, originals)
    play(run, 2)
    hands_on.add_point(run, 0.5, 0.5, 0)
    hands_on.add_point(run, -0.5, 1.0, 1)
    timeline.steer(run, run.config.__class__(**{**run.config.__dict__, "learning_rate": 0.1}))
    play(run, 2)
    hands_on.remove_point(run, 4)
    play(run, 3)
    copy = timeline.replay(run, run_id=2)
    assert all(np.array_equal(a, b) for a, b in zip(copy.net.parameters, run.net.parameters))
    assert copy.net.history.loss == run.net.history.loss
    assert np.array_equal(copy.dataset.X[copy.split[0]], run.dataset.X[run.split[0]])
    entries = [event.to_list() for event in run.timeline]
    assert [timeline.event_from_list(item) for item in entries] == run.timeline


@pytest.mark.parametrize("bad", [[3, "edit", 0, 1, 2, float("nan")], [3, "add", [1.0], "x"], [3, "teleport"],
                                 [3, "remove", "here", 1.0]])
def test_a_malformed_timeline_entry_is_a_sentence(bad):
    with pytest.raises(ValueError):
        timeline.event_from_list(bad)
