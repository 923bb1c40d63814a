"""The 2-D toy data sets, in the style of TensorFlow Playground (NumPy only).

:func:`generate` draws one of them (``moons``, ``circles``, ``spirals``, ...
and two regression surfaces) as a :class:`~nn_core.data.dataset.Dataset` with
features ``"x1"``, ``"x2"``; :data:`GENERATORS` lists them for the dashboard
and the command line. Each pattern is a function ``(rng, counts) -> (points,
labels)`` drawing clean points in roughly [-1, 1]^2; ``generate`` scales them
and adds the noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from .dataset import Dataset

MIN_SAMPLES = 4
MAX_SAMPLES = 200_000
MAX_GENERATED_CLASSES = 10
CLASSIFICATION_SCALE = 5.0
"""Classification patterns are drawn in [-1, 1] and multiplied by this."""
JITTER_PER_NOISE = 2.0
"""Standard deviation, in display units, of the jitter that ``noise=1`` adds to each point."""


@dataclass(frozen=True)
class GeneratorInfo:
    """What the dashboard shows about one generator."""

    name: str
    label: str
    description: str
    problem_type: str
    supports_classes: bool


Pattern = Callable[[np.random.Generator, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""``pattern(rng, counts) -> (points, labels)``: clean points in roughly [-1, 1]."""


def _split_evenly(n: int, k: int) -> np.ndarray:
    """Class sizes: ``n`` split into ``k`` parts differing by at most one."""
    return np.full(k, n // k) + (np.arange(k) < n % k)


def _labels(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _moons(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (scikit-learn's ``make_moons``, centred, divided by 1.5)."""
    t_outer = rng.uniform(0.0, np.pi, counts[0])
    t_inner = rng.uniform(0.0, np.pi, counts[1])
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = np.column_stack([1.0 - np.cos(t_inner), 0.5 - np.sin(t_inner)])
    points = (np.vstack([outer, inner]) - [0.5, 0.25]) / 1.5
    return points, _labels(counts)


def _circles(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class 0 on a ring of radius 0.7..1, class 1 in the disc of radius 0.5."""
    outer = _polar(rng.uniform(0.7, 1.0, counts[0]), rng.uniform(0, 2 * np.pi, counts[0]))
    inner = _polar(rng.uniform(0.0, 0.5, counts[1]), rng.uniform(0, 2 * np.pi, counts[1]))
    return np.vstack([outer, inner]), _labels(counts)


XOR_PADDING = 0.06


def _xor(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where exactly one coordinate is positive (x1 * x2 < 0), class 0 elsewhere."""
    parts = []
    for label, count in enumerate(counts):
        magnitude = rng.uniform(XOR_PADDING, 1.0, (count, 2))
        sign1 = rng.choice([-1.0, 1.0], count)
        sign2 = sign1 if label == 0 else -sign1
        parts.append(magnitude * np.column_stack([sign1, sign2]))
    return np.vstack(parts), _labels(counts)


SPIRAL_TURNS = 1.75


def _spirals(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k arms: radius r = 0.05 + 0.95 t, angle 2 pi (1.75 t + c / k) for t in [0, 1]."""
    k = len(counts)
    parts = []
    for c, count in enumerate(counts):
        t = rng.uniform(0.0, 1.0, count)
        parts.append(_polar(0.05 + 0.95 * t, 2 * np.pi * (SPIRAL_TURNS * t + c / k)))
    return np.vstack(parts), _labels(counts)


BLOB_RADIUS = 0.7
BLOB_SPREAD = 0.08


def _blobs(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k round Gaussian blobs (std 0.08) with centres evenly spaced on a circle of radius 0.7."""
    k = len(counts)
    angles = 2 * np.pi * np.arange(k) / k + np.pi / 4
    centres = _polar(np.full(k, BLOB_RADIUS), angles)
    parts = [rng.normal(centres[c], BLOB_SPREAD, (count, 2)) for c, count in enumerate(counts)]
    return np.vstack(parts), _labels(counts)


LINEAR_NORMAL = np.array([math.cos(math.pi / 3), math.sin(math.pi / 3)])
"""Class 1 lies where ``x @ LINEAR_NORMAL > 0`` (the boundary is a line through 0)."""
LINEAR_MARGIN = 0.1


def _linear(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two classes on either side of a tilted line, with a clean margin of 0.1 on each side."""
    along_line = np.array([-LINEAR_NORMAL[1], LINEAR_NORMAL[0]])
    parts = []
    for label, count in enumerate(counts):
        distance = rng.uniform(LINEAR_MARGIN, 0.8, count) * (1.0 if label == 1 else -1.0)
        offset = rng.uniform(-0.8, 0.8, count)
        parts.append(np.outer(distance, LINEAR_NORMAL) + np.outer(offset, along_line))
    return np.vstack(parts), _labels(counts)


CHECKER_CELLS = 4


def _checkerboard(rng: np.random.Generator, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A 4 x 4 board on [-1, 1]^2: class (column + row) % 2 of the cell."""
    cell = 2.0 / CHECKER_CELLS
    grid = np.array([(i, j) for i in range(CHECKER_CELLS) for j in range(CHECKER_CELLS)])
    parts = []
    for label, count in enumerate(counts):
        cells = grid[grid.sum(axis=1) % 2 == label]
        chosen = cells[rng.integers(0, len(cells), count)]
        parts.append(-1.0 + cell * (chosen + rng.uniform(0.0, 1.0, (count, 2))))
    return np.vstack(parts), _labels(counts)


REGRESSION_HALF_WIDTH = 6.0
GAUSSIAN_CENTRES = (
    (-4, 2.5, 1),
    (0, 2.5, -1),
    (4, 2.5, 1),
    (-4, -2.5, -1),
    (0, -2.5, 1),
    (4, -2.5, -1),
)
"""``(cx, cy, sign)`` of each bump, as in TensorFlow Playground's regression set."""
GAUSSIAN_WIDTH = 1.25


def plane_target(X: np.ndarray) -> np.ndarray:
    """Clean target of ``"plane"``: ``y = (x1 + 2 x2) / 18``, in [-1, 1] on [-6, 6]^2."""
    return (X[:, 0] + 2.0 * X[:, 1]) / 18.0


def gaussians_target(X: np.ndarray) -> np.ndarray:
    """Clean target of ``"gaussians"``: ``y = sum_i s_i exp(-|x - c_i|^2 / (2 * 1.25^2))``."""
    y = np.zeros(len(X))
    for cx, cy, sign in GAUSSIAN_CENTRES:
        squared = (X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2
        y += sign * np.exp(-squared / (2 * GAUSSIAN_WIDTH**2))
    return y


_PATTERNS: dict[str, Pattern] = {
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "spirals": _spirals,
    "blobs": _blobs,
    "linear": _linear,
    "checkerboard": _checkerboard,
}
_SURFACES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "plane": plane_target,
    "gaussians": gaussians_target,
}

GENERATORS: dict[str, GeneratorInfo] = {
    "moons": GeneratorInfo(
        name="moons",
        label="Two moons",
        description="Two interleaved half circles.",
        problem_type="binary",
        supports_classes=False,
    ),
    "circles": GeneratorInfo(
        name="circles",
        label="Circle",
        description="A disc of one class inside a ring of the other.",
        problem_type="binary",
        supports_classes=False,
    ),
    "xor": GeneratorInfo(
        name="xor",
        label="Exclusive or",
        description="Opposite quadrants share a class: the label is (x1 > 0) XOR (x2 > 0).",
        problem_type="binary",
        supports_classes=False,
    ),
    "spirals": GeneratorInfo(
        name="spirals",
        label="Spirals",
        description="Spiral arms winding around the centre, one arm per class.",
        problem_type="multiclass",
        supports_classes=True,
    ),
    "blobs": GeneratorInfo(
        name="blobs",
        label="Gaussian blobs",
        description="Round clusters on a circle, one cluster per class.",
        problem_type="multiclass",
        supports_classes=True,
    ),
    "linear": GeneratorInfo(
        name="linear",
        label="Linearly separable",
        description="Two classes on either side of a straight tilted line.",
        problem_type="binary",
        supports_classes=False,
    ),
    "checkerboard": GeneratorInfo(
        name="checkerboard",
        label="Checkerboard",
        description="A 4 x 4 board whose squares alternate between two classes.",
        problem_type="binary",
        supports_classes=False,
    ),
    "plane": GeneratorInfo(
        name="plane",
        label="Tilted plane",
        description="Regression: the target rises along a tilted plane, y = (x1 + 2 x2) / 18.",
        problem_type="regression",
        supports_classes=False,
    ),
    "gaussians": GeneratorInfo(
        name="gaussians",
        label="Sum of Gaussians",
        description="Regression: the target is a sum of three positive and three negative Gaussian bumps.",
        problem_type="regression",
        supports_classes=False,
    ),
}
"""The generators :func:`generate` knows, in the order the dashboard lists them."""


def generate(
    name: str, n: int = 200, noise: float = 0.1, seed: int = 0, classes: int = 2
) -> Dataset:
    """Draw a 2-D toy data set in the style of TensorFlow Playground.

    Features are ``"x1"`` and ``"x2"``, spanning roughly [-6, 6]. The result
    depends only on the arguments (``numpy.random.default_rng(seed)``), and rows
    come in shuffled order with classes as balanced as ``n`` allows.

    Parameters
    ----------
    name : str
        A key of :data:`GENERATORS`.
    n : int
        Number of points, 4 to 200,000.
    noise : float
        How messy the set is; ``noise=0`` gives a clean set, 0.1 a light blur
        and 0.5 visibly overlapping classes. Classification sets: each point
        is moved, after its label is chosen, by Gaussian jitter of standard
        deviation ``2 * noise`` on each axis (the clean pattern fills about
        [-5, 5]). Regression sets: standard deviation of Gaussian noise added
        to the target, whose clean range is [-1, 1].
    seed : int
        Seed of the random generator (non-negative).
    classes : int
        Number of classes, 2 to 10, for ``"spirals"`` and ``"blobs"``; the
        other sets only take 2.

    Returns
    -------
    Dataset
        ``X`` shape ``(n, 2)``; ``y`` int64 class indices or float64 targets.
    """
    info = _check_generate_args(name, n, noise, seed, classes)
    rng = np.random.default_rng(seed)
    if info.problem_type == "regression":
        X = rng.uniform(-REGRESSION_HALF_WIDTH, REGRESSION_HALF_WIDTH, (n, 2))
        y = _SURFACES[name](X) + noise * rng.standard_normal(n)
        return Dataset(X, y, ["x1", "x2"], None, "y", "regression", name=name)
    points, labels = _PATTERNS[name](rng, _split_evenly(n, classes))
    jitter = JITTER_PER_NOISE * noise * rng.standard_normal(points.shape)
    order = rng.permutation(n)
    kind = "binary" if classes == 2 else "multiclass"
    return Dataset(
        X=(CLASSIFICATION_SCALE * points + jitter)[order],
        y=labels[order],
        feature_names=["x1", "x2"],
        class_names=[str(c) for c in range(classes)],
        target_name="label",
        problem_type=kind,
        name=name,
    )


def _check_generate_args(name: str, n: int, noise: float, seed: int, classes: int) -> GeneratorInfo:
    if name not in GENERATORS:
        raise ValueError(f"Unknown data set {name!r}; choose one of: {', '.join(GENERATORS)}.")
    info = GENERATORS[name]
    if not _is_int(n) or not MIN_SAMPLES <= n <= MAX_SAMPLES:
        raise ValueError(
            f"n must be a whole number from {MIN_SAMPLES} to {MAX_SAMPLES:,}; got {n!r}."
        )
    if (
        isinstance(noise, bool)
        or not isinstance(noise, Real)
        or not math.isfinite(noise)
        or noise < 0
    ):
        raise ValueError(f"noise must be a finite number of at least 0; got {noise!r}.")
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0; got {seed!r}.")
    if not _is_int(classes) or not 2 <= classes <= MAX_GENERATED_CLASSES:
        raise ValueError(
            f"classes must be a whole number from 2 to {MAX_GENERATED_CLASSES}; got {classes!r}."
        )
    if classes != 2 and not info.supports_classes:
        raise ValueError(
            f"The {name!r} set always has "
            f"{'a numeric target' if info.problem_type == 'regression' else 'two classes'}; "
            f"classes={classes} only applies to "
            f"{', '.join(g.name for g in GENERATORS.values() if g.supports_classes)}."
        )
    if n < 2 * classes:
        raise ValueError(
            f"n={n} is too few points for {classes} classes; use at least {2 * classes}."
        )
    return info


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)
