"""The exported Python file, run as its own process on a CSV of the data, predicts what the app predicts.

The file is what the Share page's "Export as Python code" button serves
(``ui.sharing.model_code``); the CSV is its "Download the data" file
(``ui.sharing.data_csv``). The oracle is the app's own ``Model``.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from nn_core import data as datasets
from ui import sharing
from ui.runs import TrainConfig, new_run, train


def trained_run(ds, derived=(), epochs=30, **config):
    run = new_run(1, ds, None, tuple(derived), replace(TrainConfig(epochs=epochs), **config))
    train(run, epochs)
    return run


def run_exported(tmp_path, run, csv_bytes: bytes) -> list[dict[str, str]]:
    """Write the exported file and the CSV, run ``python file.py data.csv``, parse its CSV output."""
    code = tmp_path / sharing.code_file_name(run)
    code.write_text(sharing.model_code(run), encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_bytes(csv_bytes)
    done = subprocess.run([sys.executable, str(code), str(data)], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


CASES = {
    "binary diabetes": (lambda: datasets.load_bundled("diabetes"), (), {}),
    "binary moons, derived features": (lambda: datasets.generate("moons", n=300, noise=0.2, seed=3),
                                       ("x1^2", "x1*x2", "sin(x2)"), {"activation": "relu"}),
    "multiclass penguins": (lambda: datasets.load_bundled("penguins"), (), {"hidden": (6,)}),
    "multiclass blobs, no hidden layer": (lambda: datasets.generate("blobs", n=200, seed=1, classes=4), (),
                                          {"hidden": ()}),
    "regression plane": (lambda: datasets.generate("plane", n=200, noise=0.1, seed=2), ("x2^2",),
                         {"activation": "leaky_relu"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_exported_file_predicts_like_the_app(tmp_path, case):
    make, derived, config = CASES[case]
    ds = make()
    run = trained_run(ds, derived, **config)
    rows = run_exported(tmp_path, run, sharing.data_csv(ds))
    assert len(rows) == ds.n_samples
    model = run.model
    if ds.problem_type == "regression":
        exported = np.array([float(r["prediction"]) for r in rows])
        np.testing.assert_allclose(exported, model.predict(ds.X), rtol=0, atol=1e-12)
        return
    proba = model.predict_proba(ds.X)
    columns = [f"P({c})" for c in ds.class_names]
    exported = np.array([[float(r[c]) for c in columns] for r in rows])
    if ds.problem_type == "binary":
        np.testing.assert_allclose(exported[:, 1], proba, rtol=0, atol=1e-12)
    else:
        np.testing.assert_allclose(exported, proba, rtol=0, atol=1e-12)
    assert [r["prediction"] for r in rows] == [str(p) for p in model.predict(ds.X)]


def test_exported_file_fills_missing_values_like_the_app(tmp_path):
    ds = datasets.load_bundled("diabetes")
    run = trained_run(ds)
    X = ds.X[:20].copy()
    X[::3, 0] = np.nan  # empty cells: both sides fill the training median
    text = "Glucose,BloodPressure\n" + "\n".join(
        ",".join("" if np.isnan(v) else repr(float(v)) for v in row) for row in X)
    rows = run_exported(tmp_path, run, text.encode())
    exported = np.array([float(r["P(1)"]) for r in rows])
    np.testing.assert_allclose(exported, run.model.predict_proba(X), rtol=0, atol=1e-12)


def test_exported_file_names_missing_columns(tmp_path):
    ds = datasets.load_bundled("diabetes")
    run = trained_run(ds, epochs=2)
    code = tmp_path / "m.py"
    code.write_text(sharing.model_code(run), encoding="utf-8")
    (tmp_path / "d.csv").write_text("Glucose\n120\n")
    done = subprocess.run([sys.executable, str(code), str(tmp_path / "d.csv")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode != 0 and "BloodPressure" in done.stderr
