"""The live training driver: throttled redraws, and an interrupted run keeps every completed epoch."""

import contextlib
import threading

import numpy as np
import pytest

from nn_core import data as datasets
from ui import runs
from ui.live_training import exclusive, train_with_redraws


class Rerun(BaseException):
    """Stands in for Streamlit's rerun exception (a BaseException raised at an st.* call)."""


def _run(**changes) -> runs.Run:
    ds = datasets.generate("moons", n=200, noise=0.2, seed=0)
    config = runs.TrainConfig(**{"epochs": 50, **changes})
    return runs.new_run(1, ds, None, (), config)


def _stop_at(k: int):
    """A redraw callback that interrupts the loop after epoch ``k``, as a Stop click would."""

    def redraw(done: int, _target: int) -> None:
        if done == k:
            raise Rerun()

    return redraw


def _same_weights(a: runs.Run, b: runs.Run) -> bool:
    return all(np.array_equal(p, q) for p, q in zip(a.net.parameters, b.net.parameters))


@pytest.mark.parametrize("batch_size", [0, 32])
def test_interrupted_run_keeps_exactly_k_epochs(batch_size):
    k = 17
    interrupted = _run(batch_size=batch_size)
    with pytest.raises(Rerun):
        train_with_redraws(interrupted, 50, _stop_at(k), interval=0.0)
    assert interrupted.epochs == k
    assert len(interrupted.history.val_loss) == k
    assert interrupted.history.status == "stopped"
    assert f"epoch {k}" in interrupted.history.message

    independent = _run(batch_size=batch_size)
    runs.train(independent, k)
    assert _same_weights(interrupted, independent)  # bit for bit
    assert interrupted.history.loss == independent.history.loss


def test_interrupted_run_can_continue_like_an_uninterrupted_one():
    interrupted = _run()
    with pytest.raises(Rerun):
        train_with_redraws(interrupted, 50, _stop_at(20), interval=0.0)
    train_with_redraws(interrupted, 30, lambda *_: None)
    straight = _run()
    runs.train(straight, 50)
    assert interrupted.epochs == 50
    assert _same_weights(interrupted, straight)


def test_redraws_are_throttled_and_the_last_epoch_is_drawn():
    run = _run()
    ticks = iter(np.arange(0.0, 1000.0, 0.1))  # a fake clock: 0.1 s per reading
    drawn = []
    train_with_redraws(run, 50, lambda done, target: drawn.append((done, target)), interval=0.25,
                       clock=lambda: float(next(ticks)))
    assert drawn[-1] == (50, 50)
    assert 5 < len(drawn) < 50  # throttled, but drawn while training
    assert all(target == 50 for _, target in drawn)


def test_continuing_counts_epochs_from_the_run_start():
    run = _run()
    runs.train(run, 10)
    drawn = []
    train_with_redraws(run, 5, lambda done, target: drawn.append((done, target)), interval=0.0)
    assert drawn == [(e, 15) for e in range(11, 16)]
    assert run.epochs == 15


def test_reset_forgets_training_and_metrics():
    run = _run()
    untrained = [p.copy() for p in run.net.parameters]
    runs.train(run, 20)
    before = runs.evaluate(run)
    runs.reset(run)
    assert run.epochs == 0
    assert all(np.array_equal(p, q) for p, q in zip(run.net.parameters, untrained))
    runs.train(run, 20)
    assert runs.evaluate(run) is not before  # not the cached report of the old weights


def test_one_thread_trains_a_run_at_a_time():
    """A rerun's Continue waits for the interrupted loop (still in its thread) to let go."""
    run = _run()
    inside, release = threading.Event(), threading.Event()

    def slow_redraw(done: int, _target: int) -> None:
        if done == 5:
            inside.set()
            release.wait(5)
            raise Rerun()

    def old_thread() -> None:
        with contextlib.suppress(Rerun):
            train_with_redraws(run, 50, slow_redraw, interval=0.0)

    worker = threading.Thread(target=old_thread)
    worker.start()
    assert inside.wait(5)
    with pytest.raises(ValueError, match="still finishing"), exclusive(run, timeout=0.05):
        pass
    release.set()
    train_with_redraws(run, 3, lambda *_: None)  # waits for the old loop, then trains on
    worker.join(5)
    assert run.epochs == 8 and run.history.status == "completed"
