"""Learning-rate schedules: the learning rate as a function of the epoch.

A schedule maps the base learning rate ``lr0`` and the (0-based, cumulative)
epoch ``e`` to the rate used for every update of that epoch:

- ``constant``:     ``lr0``
- ``step``:         ``lr0 * gamma ** floor(e / step_size)``
- ``exponential``:  ``lr0 * gamma ** e``
- ``cosine``:       ``min_lr + (lr0 - min_lr) * (1 + cos(pi * t / T)) / 2`` with
                    ``t = min(e, T)``, or ``t = e mod T`` with warm restarts

``fit`` accepts a schedule object or one of the names above (defaults: step
halves the rate every 100 epochs, exponential multiplies it by 0.99 per
epoch, cosine anneals to 0 over 100 epochs and then restarts: cosine
annealing with warm restarts, Loshchilov & Hutter 2017). Every named schedule
depends on the epoch only, never on how many epochs one ``fit`` call asks for,
so two fits of 50 epochs follow the same rates as one of 100; a
``CosineDecay(period=T)`` object anneals once over ``T`` epochs instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .validation import check_positive_float, check_positive_int

SCHEDULES = ("constant", "step", "exponential", "cosine")


@dataclass(frozen=True)
class Constant:
    name = "constant"

    def __call__(self, lr0: float, epoch: int) -> float:
        return lr0


@dataclass(frozen=True)
class StepDecay:
    step_size: int = 100
    gamma: float = 0.5
    name = "step"

    def __call__(self, lr0: float, epoch: int) -> float:
        return lr0 * self.gamma ** (epoch // self.step_size)


@dataclass(frozen=True)
class ExponentialDecay:
    gamma: float = 0.99
    name = "exponential"

    def __call__(self, lr0: float, epoch: int) -> float:
        return lr0 * self.gamma**epoch


@dataclass(frozen=True)
class CosineDecay:
    period: int = 100
    min_lr: float = 0.0
    restart: bool = False
    name = "cosine"

    def __call__(self, lr0: float, epoch: int) -> float:
        e = epoch % self.period if self.restart else min(epoch, self.period)
        return self.min_lr + (lr0 - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * e / self.period))


Schedule = Constant | StepDecay | ExponentialDecay | CosineDecay


def make_schedule(schedule) -> Schedule:
    """A schedule object from ``None``, a name, or a schedule object."""
    if schedule is None or schedule == "constant":
        return Constant()
    if isinstance(schedule, Constant | StepDecay | ExponentialDecay | CosineDecay):
        _check(schedule)
        return schedule
    if schedule == "step":
        return StepDecay()
    if schedule == "exponential":
        return ExponentialDecay()
    if schedule == "cosine":
        return CosineDecay(period=100, restart=True)
    raise ValueError(f"Unknown schedule {schedule!r}; choose one of: {', '.join(SCHEDULES)}.")


def _check(s: Schedule) -> None:
    """Every field a finite number in its range, said in a sentence (``fit`` runs it once)."""
    if isinstance(s, StepDecay):
        check_positive_int(s.step_size, "A step schedule's step_size")
        _check_decay(check_positive_float(s.gamma, "A step schedule's gamma"), "step")
    elif isinstance(s, ExponentialDecay):
        _check_decay(check_positive_float(s.gamma, "An exponential schedule's gamma"), "exponential")
    elif isinstance(s, CosineDecay):
        check_positive_int(s.period, "A cosine schedule's period")
        check_positive_float(s.min_lr, "A cosine schedule's min_lr", allow_zero=True)


def _check_decay(gamma: float, kind: str) -> None:
    if gamma > 1:
        raise ValueError(f"A {kind} schedule's gamma must be at most 1 (a decay); got {gamma}.")
