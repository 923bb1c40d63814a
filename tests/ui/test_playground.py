"""The playground's play loop, steering and timeline against plain ``fit`` calls of the engine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import nn_core
from nn_core.data import generate
from ui import budgets, playground, timeline
from ui.playground import Player, tick
from ui.runs import new_run
from ui.settings import DataSpec, TrainConfig

SPEC = DataSpec(source="generated", generator="circles", n=400)
CONFIG = TrainConfig(hidden=(8, 8), learning_rate=0.03, val_fraction=0.2, test_fraction=0.2)


def make_run(config: TrainConfig = CONFIG, run_id: int = 1):
    return new_run(run_id, generate("circles", n=400, seed=0), SPEC, (), config)


def reference(run, segments, early_stopping=None):
    """The same net trained by the engine alone: one ``fit`` per ``(epochs, learning_rate)`` segment."""
    pre, (tr, va, _) = run.model.preprocessing, run.split
    X, y = run.dataset.X, run.dataset.y
    net = nn_core.MLP(run.net.layer_sizes, activation=run.config.activation, output=run.net.output,
                      init=run.config.init, seed=run.config.seed)
    for epochs, rate in segments:
        net.fit(pre.transform(X[tr]), y[tr], epochs=epochs, learning_rate=rate, optimizer="adam",
                validation_data=(pre.transform(X[va]), y[va]), early_stopping=early_stopping,
                seed=run.config.seed)
    return net


def same(net_a, net_b):
    return all(np.array_equal(a, b) for a, b in zip(net_a.parameters, net_b.parameters)) and \
        net_a.history.loss == net_b.history.loss and net_a.history.val_loss == net_b.history.val_loss


def playing(speed=5):
    player = Player(speed=speed)
    player.play(now=0.0)
    return player


def test_ticks_then_pause_equal_one_fit_bit_for_bit():
    run, player = make_run(), playing(speed=5)
    for k in range(8):
        tick(run, player, now=0.1 * k)
    player.pause()
    tick(run, player, now=1.0)  # paused: trains nothing
    assert run.epochs == 40
    assert same(run.net, reference(run, [(40, 0.03)]))


def test_early_stopping_in_ticks_equals_one_fit_and_pauses_with_the_reason():
    config = replace(CONFIG, patience=5, learning_rate=0.3)
    run, player = make_run(config), playing(speed=3)
    for k in range(400):
        tick(run, player, now=0.01 * k)
        if not player.playing:
            break
    ref = reference(run, [(run.epochs + 60, 0.3)], early_stopping=5)
    assert ref.history.status == "early_stopped"  # the one long fit stops early too ...
    assert run.history.status == "early_stopped" and same(run.net, ref)  # ... at the same epoch, same weights
    assert not player.playing and "Raise the patience" in player.message


def test_a_learning_rate_change_while_playing_equals_two_fits():
    run, player = make_run(), playing(speed=5)
    for k in range(4):
        tick(run, player, now=0.1 * k)
    made = timeline.steer(run, replace(run.config, learning_rate=0.3))
    for k in range(4, 10):
        tick(run, player, now=0.1 * k)
    assert [(c.epoch, c.field, c.old, c.new) for c in made] == [(20, "learning_rate", 0.03, 0.3)]
    assert same(run.net, reference(run, [(20, 0.03), (30, 0.3)]))
    assert run.history.learning_rate[19] == 0.03 and run.history.learning_rate[20] == 0.3


def test_the_timeline_replays_the_run_exactly():
    run, player = make_run(), playing(speed=2)
    for k, change in enumerate([None, {"learning_rate": 0.1}, None, {"optimizer": "sgd", "l2": 0.001},
                                {"batch_size": 32}, None, {"clip_norm": 1.0, "learning_rate": 0.3}, None]):
        if change:
            timeline.steer(run, replace(run.config, **change))
        tick(run, player, now=0.1 * k)
    assert len(run.timeline) == 6 and timeline.start_config(run) == CONFIG
    copy = timeline.replay(run, run_id=2)
    assert same(copy.net, run.net) and copy.timeline == run.timeline and copy.config == run.config
    halfway = timeline.replay(run, epochs=7, run_id=3)
    assert halfway.epochs == 7 and [c.epoch for c in halfway.timeline] == [2, 6, 6]


def test_an_optimizer_change_keeps_the_weights_and_starts_a_fresh_state():
    run, player = make_run(), playing(speed=5)
    tick(run, player, now=0.0)
    before = [p.copy() for p in run.net.parameters]
    timeline.steer(run, replace(run.config, optimizer="sgd"))
    assert all(np.array_equal(a, b) for a, b in zip(before, run.net.parameters))
    tick(run, player, now=0.1)
    ref = reference(run, [(5, 0.03)])
    pre, (tr, va, _) = run.model.preprocessing, run.split
    ref.fit(pre.transform(run.dataset.X[tr]), run.dataset.y[tr], epochs=5, learning_rate=0.03, optimizer="sgd",
            validation_data=(pre.transform(run.dataset.X[va]), run.dataset.y[va]))
    assert same(run.net, ref)


def test_settings_that_make_another_net_are_not_steered():
    run = make_run()
    for change in ({"hidden": (4,)}, {"activation": "relu"}, {"seed": 3}, {"init": "he"}, {"test_fraction": 0.3}):
        assert timeline.restarting(run.config, replace(run.config, **change)) == list(change)
        with pytest.raises(ValueError, match="different network"):
            timeline.steer(run, replace(run.config, **change))
    assert not playground.matches(run, SPEC, replace(CONFIG, hidden=(4,)))
    assert not playground.matches(run, replace(SPEC, noise=0.3), CONFIG)
    assert playground.matches(run, SPEC, replace(CONFIG, learning_rate=1.0, epochs=5))
    assert "Hidden layers changed" in playground.restart_note(run, SPEC, replace(CONFIG, hidden=(4,)))


def test_an_untrained_run_takes_new_settings_without_a_timeline_entry():
    run = make_run()
    timeline.steer(run, replace(run.config, learning_rate=0.3))
    assert run.timeline == [] and run.config.learning_rate == 0.3


def test_play_pauses_after_the_idle_time_without_training():
    run, player = make_run(), playing()
    tick(run, player, now=playground.IDLE_SECONDS + 1.0)
    assert run.epochs == 0 and not player.playing and "without a click" in player.message


def test_play_pauses_on_divergence_and_keeps_the_last_finite_epoch():
    run, player = make_run(replace(CONFIG, learning_rate=10.0, optimizer="sgd", activation="linear")), playing(20)
    for k in range(50):
        tick(run, player, now=0.01 * k)
        if not player.playing:
            break
    assert run.history.status == "diverged" and "Lower the learning rate" in player.message
    assert all(np.isfinite(p).all() for p in run.net.parameters) and np.isfinite(run.history.loss).all()


def test_the_epochs_per_second_come_from_the_frames():
    player = playing()
    assert player.epochs_per_second() is None
    player.frames.extend([(10.0, 0), (10.5, 25), (11.0, 50)])
    assert player.epochs_per_second() == pytest.approx(50.0)


def test_a_frame_trains_fewer_epochs_when_the_net_is_costly():
    small, big = make_run(), make_run(replace(CONFIG, hidden=(200, 200)))
    assert playground.frame_epochs(small, 20) == 20
    assert 1 <= playground.frame_epochs(big, 20) < 20
    seconds = budgets.live_frame_seconds(big.net.layer_sizes, len(big.split[0]), playground.frame_epochs(big, 20),
                                         validation_rows=len(big.split[1]))
    assert seconds <= budgets.LIVE_FRAME_SECONDS or playground.frame_epochs(big, 20) == 1
    assert playground.live_refusal(small) is None
    huge = make_run(replace(CONFIG, hidden=(700, 700)))
    assert "playing live allows" in playground.live_refusal(huge)


def test_a_timeline_entry_reads_back_from_its_list_and_refuses_nonsense():
    change = timeline.Change(40, "learning_rate", 0.03, 0.3)
    assert timeline.Change.from_list(change.to_list()) == change
    assert change.describe() == "epoch 40: learning rate 0.03 → 0.3"
    for bad in ([1, "hidden", "8", "4"], [-1, "l2", 0.0, 0.1], [2, "learning_rate", 0.03, "fast"],
                [2, "learning_rate", 0.03, 99.0], "nonsense", [1.5, "l1", 0.0, 0.1]):
        with pytest.raises(ValueError):
            timeline.Change.from_list(bad)


def test_a_net_wider_than_the_diagram_is_a_sentence_not_a_crash():
    run = make_run(replace(CONFIG, hidden=(100,)))
    with pytest.raises(ValueError, match="at most 64 neurons in a layer"):
        playground.picture(run, playground.View())
    payload = playground.picture(make_run(), playground.View(show_test=False))
    assert [layer["units"] for layer in payload["layers"]] == [2, 8, 8, 1] and not payload["show_test"]
