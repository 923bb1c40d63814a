"""Guided lessons: a small declarative table, not code per lesson.

Each lesson sets up data and a net, says in two or three sentences what to
look at, and has one or two steps (e.g. "without a hidden layer" then "with
one") so the learner can compare. A lesson's claim is checked in
``tests/test_lessons.py``; ``run_step`` is what both the app and the tests call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .runs import Run, new_run, train
from .settings import DataSpec, TrainConfig

_BASE = TrainConfig(hidden=(), activation="tanh", optimizer="adam", learning_rate=0.03, epochs=300,
                    val_fraction=0.0, test_fraction=0.3, seed=0)


@dataclass(frozen=True)
class Step:
    label: str
    data: DataSpec
    config: TrainConfig


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    text: str
    look_at: str
    steps: tuple[Step, ...]


def _gen(name: str, n: int = 400, noise: float = 0.1, seed: int = 0, classes: int = 2,
         derived: tuple[str, ...] = ()) -> DataSpec:
    return DataSpec(source="generated", generator=name, n=n, noise=noise, seed=seed, classes=classes,
                    derived=derived)


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "line", "A single neuron draws a line",
        "One neuron computes sigma(w1*x1 + w2*x2 + b). Where that equals 0.5 is the line w1*x1 + w2*x2 + b = 0: "
        "a single neuron can only ever split the plane with a straight line.",
        "The boundary is straight, whatever you do. On this data that is all it takes.",
        (Step("One neuron", _gen("linear", noise=0.2), _BASE),),
    ),
    Lesson(
        "xor", "XOR needs a hidden layer",
        "In XOR, opposite corners share a class. No straight line separates them, so a single neuron stays "
        "near chance. Four hidden neurons can each draw a line and the output combines them.",
        "Compare the two boundaries and the held-out accuracy of the two runs.",
        (Step("No hidden layer", _gen("xor"), _BASE),
         Step("One hidden layer of 4", _gen("xor"), replace(_BASE, hidden=(4,)))),
    ),
    Lesson(
        "circles", "Circles become easy with x1² and x2²",
        "A circle is not linearly separable in (x1, x2), but it is in (x1², x2²): the class depends on "
        "x1² + x2², the squared distance from the centre. Feature engineering can replace depth.",
        "With the derived features a single neuron draws a perfect circle.",
        (Step("One neuron on x1, x2", _gen("circles"), _BASE),
         Step("One neuron on x1, x2, x1², x2²", _gen("circles", derived=("x1^2", "x2^2")), _BASE)),
    ),
    Lesson(
        "spirals", "Spirals need depth",
        "Two interleaved spirals need a boundary that winds around the centre. A small shallow net cannot "
        "bend that much; stacking layers lets later neurons combine the earlier ones' pieces.",
        "Watch the deeper net's boundary follow the arms; the shallow one cuts across them.",
        (Step("1 hidden layer of 4", _gen("spirals", n=600, noise=0.05), replace(_BASE, hidden=(4,), epochs=600)),
         Step("3 hidden layers of 16", _gen("spirals", n=600, noise=0.05),
              replace(_BASE, hidden=(16, 16, 16), epochs=600))),
    ),
    Lesson(
        "learning_rate", "Too high a learning rate diverges",
        "Each step moves the weights by learning rate x gradient. Too large a step overshoots the minimum, "
        "lands where the gradient is larger, and overshoots further, until the numbers overflow.",
        "The loss chart climbs by orders of magnitude; training stops with 'diverged' and keeps the last finite "
        "weights. Try 0.01 instead.",
        (Step("SGD at learning rate 5", _gen("plane"),
              replace(_BASE, hidden=(8,), optimizer="sgd", learning_rate=5.0, epochs=300)),),
    ),
    Lesson(
        "zero_init", "Zero initialisation never breaks symmetry",
        "If every weight starts at zero, every hidden neuron of a layer computes the same thing and gets the "
        "same gradient, so they stay identical forever: eight neurons worth one.",
        "Open 'Inside the network': every hidden neuron's map is the same.",
        # 401 points: with exactly balanced classes the very first gradient is exactly zero and
        # nothing moves at all; one extra point lets the (identical) neurons visibly learn.
        (Step("Zeros", _gen("xor", n=401), replace(_BASE, hidden=(8,), activation="sigmoid", init="zeros")),
         Step("Random (Glorot)", _gen("xor", n=401), replace(_BASE, hidden=(8,), activation="sigmoid"))),
    ),
    Lesson(
        "l2", "L2 smooths an overfit boundary",
        "A big net on few noisy points memorises the noise: tiny islands around single points. An L2 penalty "
        "keeps the weights small, which keeps the function smooth.",
        "Compare the boundaries, the weights' size and the gap between train and test loss.",
        (Step("No penalty", _gen("moons", n=120, noise=0.45, seed=3),
              replace(_BASE, hidden=(32, 32), learning_rate=0.03, epochs=1000)),
         Step("L2 = 0.03", _gen("moons", n=120, noise=0.45, seed=3),
              replace(_BASE, hidden=(32, 32), learning_rate=0.03, epochs=1000, l2=0.03))),
    ),
    Lesson(
        "early_stopping", "Early stopping on noisy data",
        "On noisy data the validation loss falls, then rises as the net starts fitting noise. Early stopping "
        "watches it and, after 'patience' epochs without improvement, restores the best weights.",
        "The loss chart: training loss keeps falling, validation loss turns; the run ends 'early_stopped'.",
        (Step("Patience 50", _gen("moons", n=200, noise=0.5, seed=1),
              replace(_BASE, hidden=(32, 32), learning_rate=0.01, epochs=2000, val_fraction=0.25,
                      test_fraction=0.25, patience=50)),),
    ),
)

BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def run_step(step: Step, run_id: int, on_epoch=None) -> Run:
    """Build the step's data set, a run for it, and train it for the step's epochs."""
    from .data_sources import load

    dataset = load(step.data)
    run = new_run(run_id, dataset, step.data, step.data.derived, step.config)
    train(run, step.config.epochs, on_epoch=on_epoch)
    return run
