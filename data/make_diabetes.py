"""Generate ``data/diabetes.csv``, a synthetic stand-in for the seed article's table.

The article ("Neural Network From Scratch in Python") trains one sigmoid
neuron on Glucose and BloodPressure to predict Diabetes, but never publishes
its data: it shows five rows. This script makes a table of the same shape
whose first five rows are exactly those five, and whose other rows are drawn
from a fixed seed, so the file is reproducible byte for byte:

    python data/make_diabetes.py                 # rewrites data/diabetes.csv
    python data/make_diabetes.py --out /tmp/d.csv

Each class is an independent pair of rounded normal draws, truncated (by
redrawing) to Glucose in [60, 200] and BloodPressure in [60, 130]:

    Diabetes = 1:  Glucose ~ N(95, 15),  BloodPressure ~ N(92, 10)
    Diabetes = 0:  Glucose ~ N(85, 15),  BloodPressure ~ N(112, 10)

Diabetic rows have higher glucose and lower blood pressure, with enough
overlap that a logistic regression on standardized inputs scores about 85 %
on held-out rows. The means sit near the article's five rows, and they were
tuned so that the article's own code, replayed in ``nn_core/article.py``,
prints what the article shows (499.0 for many epochs, then falling).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 0
N_ROWS = 1000
N_POSITIVE = 501
COLUMNS = ("Glucose", "BloodPressure", "Diabetes")
ARTICLE_ROWS = ((86, 104, 1), (78, 111, 0), (79, 114, 0), (77, 105, 0), (90, 100, 1))
GLUCOSE_RANGE = (60, 200)
BLOOD_PRESSURE_RANGE = (60, 130)
# Diabetes label -> ((mean, sd) of Glucose, (mean, sd) of BloodPressure).
CLASS_DISTRIBUTIONS = {
    1: ((95.0, 15.0), (92.0, 10.0)),
    0: ((85.0, 15.0), (112.0, 10.0)),
}
DEFAULT_OUT = Path(__file__).resolve().parent / "diabetes.csv"


def sample_class(rng: np.random.Generator, label: int, n: int) -> np.ndarray:
    """``(n, 3)`` integer rows ``[Glucose, BloodPressure, label]`` inside the allowed ranges."""
    (g_mean, g_sd), (bp_mean, bp_sd) = CLASS_DISTRIBUTIONS[label]
    kept: list[np.ndarray] = []
    missing = n
    while missing > 0:
        glucose = np.rint(rng.normal(g_mean, g_sd, size=missing))
        pressure = np.rint(rng.normal(bp_mean, bp_sd, size=missing))
        inside = (
            (glucose >= GLUCOSE_RANGE[0])
            & (glucose <= GLUCOSE_RANGE[1])
            & (pressure >= BLOOD_PRESSURE_RANGE[0])
            & (pressure <= BLOOD_PRESSURE_RANGE[1])
        )
        kept.append(np.column_stack([glucose[inside], pressure[inside]]))
        missing -= int(inside.sum())
    features = np.concatenate(kept).astype(np.int64)
    return np.column_stack([features, np.full(n, label, dtype=np.int64)])


def make_diabetes(seed: int = SEED) -> pd.DataFrame:
    """The table: the article's five rows, then the drawn rows in shuffled order."""
    rng = np.random.default_rng(seed)
    head = np.array(ARTICLE_ROWS, dtype=np.int64)
    n_positive = N_POSITIVE - int(head[:, 2].sum())
    n_negative = N_ROWS - len(head) - n_positive
    drawn = np.concatenate([sample_class(rng, 1, n_positive), sample_class(rng, 0, n_negative)])
    drawn = drawn[rng.permutation(len(drawn))]
    return pd.DataFrame(np.concatenate([head, drawn]), columns=list(COLUMNS))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the random draws")
    args = parser.parse_args(argv)
    make_diabetes(args.seed).to_csv(args.out, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
