"""Hostile command-line files, link values and downloaded cells: each answered in words, nothing lost.

The CLI's files: devices, pipes, folders and oversized files are refused
from their size (stat) before a byte is read. Links: every value the app
changes or ignores is listed in one notice. Downloads: a cell that a
spreadsheet would run as a formula starts with a single quote (OWASP).
"""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pandas as pd
import pytest

import nn_core
from nn_core import cli
from nn_core.cost import MB
from nn_core.data import csv as csv_module
from nn_core.data import to_csv
from ui import links
from ui.settings import DEFAULTS

from .conftest import run_bounded


# --------------------------------------------------------------------- CLI
@pytest.fixture
def model_file(tmp_path):
    """A trained model file written by the CLI, and the data it was trained on."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 2))
    table = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "label": (x[:, 0] > 0).astype(int)})
    data = tmp_path / "train.csv"
    table.to_csv(data, index=False)
    model = tmp_path / "model.json"
    assert cli.main(["train", str(data), "--target", "label", "--epochs", "5", "--out", str(model)]) == 0
    return model, model.read_bytes()


def _fails(capsys, args) -> str:
    assert cli.main(args) != 0
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize("command", ["predict", "evaluate"])
@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_before_reading(capsys, model_file, command, special):
    model, saved = model_file
    err = _fails(capsys, [command, str(model), special])
    assert "not a regular file" in err and special in err
    assert model.read_bytes() == saved


def test_a_pipe_without_a_writer_is_refused_at_once(tmp_path, model_file):
    """A FIFO nobody writes to used to block forever: now a sentence, well within the time bound."""
    model, saved = model_file
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    out = run_bounded(f"from nn_core import cli\nprint('CODE', cli.main(['predict', {str(model)!r}, {str(fifo)!r}]))\n",
                      address_space_mb=1500, timeout=60)
    assert "CODE 1" in out.stdout, out.stderr
    assert "not a regular file" in out.stderr
    assert out.seconds < 30
    assert model.read_bytes() == saved


def test_a_folder_is_refused(capsys, tmp_path, model_file):
    model, _ = model_file
    assert "is a folder" in _fails(capsys, ["predict", str(model), str(tmp_path)])


def test_a_missing_file_is_named(capsys, tmp_path, model_file):
    model, _ = model_file
    assert "There is no file" in _fails(capsys, ["predict", str(model), str(tmp_path / "nope.csv")])


def test_an_oversized_sparse_file_is_refused_from_its_size_without_reading_it(tmp_path, model_file):
    """An 8 GB file (sparse: it takes no disk) used to be read whole; now its size alone refuses it."""
    model, _ = model_file
    big = tmp_path / "big.csv"
    with open(big, "wb") as file:
        file.truncate(8 * 10**9)
    code = f"from nn_core import cli\nprint('CODE', cli.main(['evaluate', {str(model)!r}, {str(big)!r}]))\n"
    out = run_bounded(code, address_space_mb=1500, timeout=60)
    assert "CODE 1" in out.stdout, out.stderr
    assert f"is 8,000.0 MB; the limit is {csv_module.MAX_BYTES // MB} MB" in out.stderr
    assert out.peak_mb < 300


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_a_device_as_the_model_is_refused(capsys, tmp_path, command):
    data = tmp_path / "rows.csv"
    data.write_text("a,b,label\n1,2,0\n")
    assert "not a regular file" in _fails(capsys, [command, "/dev/zero", str(data)])


def test_cli_predictions_escape_formula_class_names(tmp_path, capsys):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 2))
    table = pd.DataFrame({"a": x[:, 0], "b": x[:, 1],
                          "label": np.where(x[:, 0] > 0, "=HYPERLINK(\"http://x\")", "@ok")})
    data, model = tmp_path / "t.csv", tmp_path / "m.json"
    table.to_csv(data, index=False)
    assert cli.main(["train", str(data), "--target", "label", "--epochs", "3", "--out", str(model)]) == 0
    capsys.readouterr()
    assert cli.main(["predict", str(model), str(data)]) == 0
    written = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(written["prediction"]) <= {"'=HYPERLINK(\"http://x\")", "'@ok"}
    assert not any(str(c).startswith(("=", "+", "-", "@")) for c in written.columns)


# ------------------------------------------------------------------- links
HOSTILE_LINKS = [
    ({"lr": "-1"}, "lr", "set to 1e-05"),
    ({"lr": "nan"}, "lr", "ignored"),
    ({"lr": "1e999"}, "lr", ""),
    ({"epochs": "-5"}, "epochs", ""),
    ({"epochs": "99999999999999999999"}, "epochs", ""),
    ({"hidden": "249999"}, "hidden", ""),
    ({"seed": "abc"}, "seed", "ignored"),
    ({"activation": "<script>"}, "activation", "ignored"),
    ({"optimizer": "rmsprop"}, "optimizer", "ignored"),
    ({"nosuch": "1"}, "nosuch", "no such setting"),
    ({"val": "0.5", "test": "0.5"}, "test", "test set to 0.4"),
    ({"val": "2"}, "val", "set to 0.5"),
]


@pytest.mark.parametrize("params, param, says", HOSTILE_LINKS)
def test_a_hostile_link_value_is_listed_in_the_notice(params, param, says):
    values, notes = links.read_link(params, DEFAULTS)
    named = [n for n in notes if n.param == param]
    if not named:  # a value the app took as written is fine too, as long as it is allowed
        assert param in values
        return
    notice = links.notice(notes)
    assert f"`{param}=" in notice and says in " ".join(n.reason for n in named)
    assert notice.startswith("This link asked for")


@pytest.mark.parametrize("param", ["utm_source", "utm_campaign", "fbclid", "gclid"])
def test_tracking_parameters_are_skipped_silently(param):
    values, notes = links.read_link({param: "x", "lr": "0.1"}, DEFAULTS)
    assert notes == [] and values == {"lr": 0.1}


@pytest.mark.parametrize("text", ["![x](http://evil/p.png)", "[click](javascript:alert(1))", "`rm -rf`\n# big",
                                  ":red[alarm] $x^2$", "<img src=x onerror=alert(1)>"])
def test_the_notice_never_renders_a_links_text_as_markdown(text):
    _, notes = links.read_link({"seed": text, text[:10]: "1"}, DEFAULTS)
    notice = links.notice(notes)
    for line in notice.splitlines()[1:]:
        code, _, reason = line.partition("`: ")
        assert code.count("`") == 1  # one code span opened, closed by the split
        assert "](" not in reason.replace("\\]\\(", "")
        assert "\n" not in reason


# --------------------------------------------------------------- downloads
@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+cmd", "@SUM(A1)", "\t=1", "\r=1",
                                  "=HYPERLINK(\"http://evil\",\"x\")"])
def test_a_formula_cell_gets_a_leading_quote(cell):
    text = to_csv(pd.DataFrame({"name": [cell], "value": [1.5]}))
    row = text.split("\n", 1)[1]  # pandas leaves a cell with a lone CR unquoted
    first = next(csv.reader([row])) if "\r" not in cell else row.split(",", 1)
    assert first[0] == "'" + cell


@pytest.mark.parametrize("number", [-1.5, -1e-300, 0.0, 2.5e75])
def test_numbers_stay_numbers(number):
    text = to_csv(pd.DataFrame({"x": [number]}))
    assert float(pd.read_csv(io.StringIO(text))["x"][0]) == number


def test_column_names_are_escaped_too():
    text = to_csv(pd.DataFrame({"=cmd": [1], "ok": [2]}))
    assert text.splitlines()[0] == "'=cmd,ok"


def test_the_data_download_escapes_an_uploaded_text_column():
    from ui.sharing import data_csv

    frame, _ = nn_core.data.load_csv(b"x,label\n1,=evil()\n2,good\n3,=evil()\n4,good\n")
    ds = nn_core.data.make_dataset(frame, target="label")
    written = data_csv(ds).decode()
    assert "'=evil()" in written and ",=evil()" not in written
