"""The bundled synthetic diabetes table: its promised properties, and that it is reproducible."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CSV = DATA_DIR / "diabetes.csv"
ARTICLE_ROWS = [(86, 104, 1), (78, 111, 0), (79, 114, 0), (77, 105, 0), (90, 100, 1)]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(CSV)


def test_shape_columns_and_integer_dtypes(table):
    assert table.shape == (1000, 3)
    assert list(table.columns) == ["Glucose", "BloodPressure", "Diabetes"]
    assert all(pd.api.types.is_integer_dtype(t) for t in table.dtypes)
    assert not table.isna().any().any()


def test_exactly_501_positives(table):
    assert set(table["Diabetes"].unique()) == {0, 1}
    assert int(table["Diabetes"].sum()) == 501


def test_first_five_rows_are_the_articles(table):
    assert [tuple(int(v) for v in row) for row in table.head(5).to_numpy()] == ARTICLE_ROWS


def test_values_within_ranges(table):
    assert table["Glucose"].between(60, 200).all()
    assert table["BloodPressure"].between(60, 130).all()


def test_diabetic_rows_have_higher_glucose_and_lower_blood_pressure(table):
    means = table.groupby("Diabetes").mean()
    assert means.loc[1, "Glucose"] > means.loc[0, "Glucose"]
    assert means.loc[1, "BloodPressure"] < means.loc[0, "BloodPressure"]


def test_classes_overlap_so_logistic_regression_is_good_not_perfect(table):
    # scikit-learn is an independent reference: it shares no code with nn_core.
    X = table[["Glucose", "BloodPressure"]].to_numpy(dtype=float)
    y = table["Diabetes"].to_numpy()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    model = LogisticRegression().fit(scaler.transform(X_train), y_train)
    assert 0.78 <= model.score(scaler.transform(X_test), y_test) <= 0.92


def test_generator_reproduces_the_committed_file(tmp_path):
    out = tmp_path / "diabetes.csv"
    subprocess.run(
        [sys.executable, str(DATA_DIR / "make_diabetes.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == CSV.read_bytes()


def test_generator_seed_changes_the_draws_but_not_the_articles_rows(tmp_path):
    out = tmp_path / "other.csv"
    subprocess.run(
        [sys.executable, str(DATA_DIR / "make_diabetes.py"), "--out", str(out), "--seed", "1"],
        check=True,
        capture_output=True,
    )
    other = pd.read_csv(out)
    committed = pd.read_csv(CSV)
    assert other.head(5).equals(committed.head(5))
    assert int(other["Diabetes"].sum()) == 501
    assert not np.array_equal(other.to_numpy(), committed.to_numpy())
