"""The command line end to end: every test runs ``python -m nn_core`` in a subprocess.

The oracle for ``predict`` is the model file loaded in this process with
``nn_core.load``: the command must give exactly what the library gives.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import nn_core
from nn_core.data import generate

ROOT = Path(__file__).resolve().parents[2]
COLOURS = ["red", "green", "blue"]


def run_cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m nn_core *args`` with the repository importable, whatever the cwd."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "nn_core", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_error_line(result: subprocess.CompletedProcess, code: int | None = None) -> str:
    assert result.returncode != 0
    if code is not None:
        assert result.returncode == code
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder with ``colours.csv``: 3 blobs, a text class, a text site and one missing cell."""
    folder = tmp_path_factory.mktemp("cli")
    blobs = generate("blobs", n=150, noise=0.3, seed=1, classes=3)
    table = pd.DataFrame(blobs.X, columns=["width", "length"])
    table["site"] = np.where(np.arange(150) % 3 == 0, "north", "south")
    table["colour"] = np.asarray(COLOURS)[blobs.y]
    table.loc[7, "width"] = np.nan
    table.to_csv(folder / "colours.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def trained(workdir) -> tuple[Path, subprocess.CompletedProcess]:
    result = run_cli(
        "train", "colours.csv", "--target", "colour", "--features", "width", "length",
        "--hidden", "8", "--epochs", "40", "--out", "colours.json", cwd=workdir,
    )  # fmt: skip
    return workdir / "colours.json", result


def test_train_saves_a_model_that_loads_with_its_preprocessing(trained):
    model_path, result = trained
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no terminal, so no progress bar
    assert "Trained 40 epochs" in result.stdout
    assert "accuracy" in result.stdout and "baseline" in result.stdout
    model = nn_core.load(model_path)
    assert isinstance(model, nn_core.Model)
    assert model.preprocessing.class_names == sorted(COLOURS)
    assert model.preprocessing.feature_names == ["width", "length"]
    assert model.net.layer_sizes == [2, 8, 3]
    assert model.net.output == "softmax"


def test_predict_writes_what_the_loaded_model_predicts(trained, workdir):
    model_path, _ = trained
    result = run_cli("predict", model_path, "colours.csv", "--out", "pred.csv", cwd=workdir)
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(workdir / "pred.csv")
    model = nn_core.load(model_path)
    frame = pd.read_csv(workdir / "colours.csv")
    assert list(written.columns) == ["prediction"] + [
        f"proba_{c}" for c in model.preprocessing.class_names
    ]
    assert written["prediction"].tolist() == model.predict(frame).tolist()
    np.testing.assert_allclose(
        written.iloc[:, 1:].to_numpy(), model.predict_proba(frame), atol=1e-5
    )
    assert "1 row had missing feature values" in result.stdout


def test_predict_without_out_writes_csv_to_stdout(trained, workdir):
    model_path, _ = trained
    result = run_cli("predict", model_path, "colours.csv", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "prediction,proba_blue,proba_green,proba_red"
    assert len(result.stdout.splitlines()) == 151


def test_evaluate_prints_accuracy_with_interval_and_baseline(trained, workdir):
    model_path, _ = trained
    result = run_cli("evaluate", model_path, "colours.csv", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "accuracy" in result.stdout and "95% interval" in result.stdout
    assert "baseline" in result.stdout and "macro F1" in result.stdout


def test_one_hot_columns_are_rebuilt_from_the_raw_column_when_predicting(workdir):
    result = run_cli(
        "train", "colours.csv", "--target", "colour", "--one-hot", "site",
        "--epochs", "20", "--out", "site.json", cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    model = nn_core.load(workdir / "site.json")
    assert "site=north" in model.preprocessing.feature_names
    predicted = run_cli("predict", "site.json", "colours.csv", cwd=workdir)
    assert predicted.returncode == 0, predicted.stderr
    frame = pd.read_csv(workdir / "colours.csv")
    for value in ("north", "south"):
        frame[f"site={value}"] = (frame["site"] == value).astype(float)
    written = pd.read_csv(io.StringIO(predicted.stdout))
    assert written["prediction"].tolist() == model.predict(frame).tolist()
    np.testing.assert_allclose(
        written.iloc[:, 1:].to_numpy(), model.predict_proba(frame), atol=1e-5
    )


def test_generate_then_train_a_regression(tmp_path):
    generated = run_cli(
        "generate", "plane", "--n", "80", "--seed", "3", "--out", "plane.csv", cwd=tmp_path
    )
    assert generated.returncode == 0, generated.stderr
    table = pd.read_csv(tmp_path / "plane.csv")
    assert list(table.columns) == ["x1", "x2", "y"] and len(table) == 80
    result = run_cli(
        "train", "plane.csv", "--target", "y", "--epochs", "20", "--out", "p.json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "R^2" in result.stdout and "RMSE" in result.stdout
    assert nn_core.load(tmp_path / "p.json").net.output == "linear"


@pytest.mark.parametrize(
    "content, args, says",
    [
        (
            b"\x00\x01\x02\xff" * 64,
            ["train", "data.csv", "--target", "y", "--out", "m.json"],
            "binary",
        ),
        (b"", ["train", "data.csv", "--target", "y", "--out", "m.json"], "empty"),
        (b"a,b\n1,2\n3,4\n", ["train", "data.csv", "--target", "y", "--out", "m.json"], "'y'"),
        (b"not json {", ["predict", "data.csv", "data.csv"], "not an nn_core model file"),
        (None, ["train", "missing.csv", "--target", "y", "--out", "m.json"], "missing.csv"),
    ],
    ids=["binary-bytes", "empty-file", "no-target-column", "model-not-json", "no-such-file"],
)
def test_bad_input_is_one_line_on_stderr(tmp_path, content, args, says):
    if content is not None:
        (tmp_path / "data.csv").write_bytes(content)
    line = assert_one_error_line(run_cli(*args, cwd=tmp_path), code=1)
    assert says in line
    assert not (tmp_path / "m.json").exists()


def test_missing_feature_columns_are_named(trained, tmp_path):
    model_path, _ = trained
    pd.DataFrame({"width": [1.0, 2.0], "colour": ["red", "blue"]}).to_csv(
        tmp_path / "d.csv", index=False
    )
    line = assert_one_error_line(run_cli("predict", model_path, "d.csv", cwd=tmp_path), code=1)
    assert "'length'" in line


def test_evaluate_rejects_labels_the_model_does_not_know(trained, tmp_path):
    model_path, _ = trained
    table = pd.DataFrame({"width": [1.0, 2.0], "length": [0.5, 1.5], "colour": ["red", "purple"]})
    table.to_csv(tmp_path / "d.csv", index=False)
    line = assert_one_error_line(run_cli("evaluate", model_path, "d.csv", cwd=tmp_path), code=1)
    assert "'purple'" in line


def test_an_output_that_does_not_fit_the_target_is_a_usage_error(workdir):
    result = run_cli(
        "train", "colours.csv", "--target", "colour", "--output", "sigmoid", "--out", "x.json",
        cwd=workdir,
    )  # fmt: skip
    line = assert_one_error_line(result, code=2)
    assert "softmax" in line


def test_a_bad_option_value_is_an_argparse_usage_error(workdir):
    result = run_cli(
        "train",
        "colours.csv",
        "--target",
        "colour",
        "--hidden",
        "8,x",
        "--out",
        "x.json",
        cwd=workdir,
    )
    assert result.returncode == 2
    assert "--hidden" in result.stderr and "Traceback" not in result.stderr


def test_datasets_lists_the_bundled_and_generated_sets(tmp_path):
    result = run_cli("datasets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("diabetes", "penguins", "breast_cancer", "moons", "spirals"):
        assert name in result.stdout


def test_replay_article_prints_the_articles_loss_then_mistakes_then_the_correct_neuron(tmp_path):
    article = pytest.importorskip("nn_core.article")
    result = run_cli("replay-article", "--epochs", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:4] == ["499.0", "499.0", "499.0"]
    assert article.ARTICLE_MISTAKES[0][0] in result.stdout
    assert result.stdout.index("What goes wrong") < result.stdout.index("done right")
