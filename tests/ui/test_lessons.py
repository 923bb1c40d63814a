"""Each lesson's claim, checked by training exactly what the lesson sets up."""

import numpy as np
import pytest

from ui import lessons
from ui.runs import evaluate, held_out_part


def _run(key, step):
    return lessons.run_step(lessons.BY_KEY[key].steps[step], 1)


def _held_out_accuracy(run):
    return evaluate(run)[held_out_part(run)]["accuracy"]


def test_lessons_table_is_well_formed():
    assert len({lesson.key for lesson in lessons.LESSONS}) == len(lessons.LESSONS) >= 8
    for lesson in lessons.LESSONS:
        assert lesson.steps and lesson.title and lesson.text and lesson.look_at


def test_single_neuron_draws_a_line():
    run = _run("line", 0)
    assert run.net.layer_sizes == [2, 1]
    assert _held_out_accuracy(run) >= 0.95


def test_xor_needs_a_hidden_layer():
    assert _held_out_accuracy(_run("xor", 0)) <= 0.65
    deep = _run("xor", 1)
    assert deep.net.layer_sizes == [2, 4, 1]
    assert _held_out_accuracy(deep) >= 0.95


def test_circles_become_separable_with_squares():
    assert _held_out_accuracy(_run("circles", 0)) <= 0.7
    run = _run("circles", 1)
    assert run.net.layer_sizes == [4, 1]  # x1, x2, x1^2, x2^2 -> one neuron
    assert _held_out_accuracy(run) >= 0.95


def test_spirals_need_depth():
    shallow, deep = _run("spirals", 0), _run("spirals", 1)
    assert _held_out_accuracy(deep) >= 0.95
    assert _held_out_accuracy(deep) >= _held_out_accuracy(shallow) + 0.15


def test_high_learning_rate_diverges_and_keeps_finite_weights():
    run = _run("learning_rate", 0)
    assert run.history.status == "diverged"
    assert all(np.isfinite(W).all() for W in run.net.weights)
    assert all(np.isfinite(loss) for loss in run.history.loss)


def test_zero_initialisation_never_breaks_symmetry():
    run = _run("zero_init", 0)
    W0, b0, W1 = run.net.weights[0], run.net.biases[0], run.net.weights[1]
    assert np.abs(W0).max() > 0  # the neurons did learn something ...
    # ... but every hidden neuron learned exactly the same thing
    assert np.all(W0 == W0[:, :1]) and np.all(b0 == b0[0]) and np.all(W1 == W1[0])
    broken = _run("zero_init", 1).net.weights[0]
    assert not np.allclose(broken, broken[:, :1])


def test_l2_lowers_weight_norm_and_overfitting_gap():
    plain, penalised = _run("l2", 0), _run("l2", 1)

    def norm(run):
        return sum(float((W ** 2).sum()) for W in run.net.weights)

    def gap(run):
        m = evaluate(run)
        return m["test"]["log_loss"] - m["train"]["log_loss"]

    assert norm(penalised) < 0.1 * norm(plain)
    assert gap(penalised) < gap(plain)


def test_early_stopping_restores_the_best_epoch():
    run = _run("early_stopping", 0)
    h = run.history
    assert h.status == "early_stopped"
    assert h.epochs < 2000
    assert h.best_epoch == int(np.argmin(h.val_loss)) + 1


@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.key)
def test_every_lesson_step_runs(lesson):
    for i in range(len(lesson.steps)):
        run = lessons.run_step(lesson.steps[i], i + 1)
        assert run.epochs >= 1
