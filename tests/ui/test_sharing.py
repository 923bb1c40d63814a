"""ui.sharing and ui.charts.compare as plain data: links, model files, the run table, the overlaid curves."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import altair as alt
import numpy as np
import pandas as pd
import pytest

import nn_core
from nn_core import data as datasets
from ui import links, settings, sharing, state
from ui.charts import MAX_POINTS, compare
from ui.data_sources import DataSpec, frame_of
from ui.runs import TrainConfig, new_run, train

PARAMS = {"source": "generated", "generator": "moons", "n": "300", "noise": "0.25", "derived": "x1^2,x1*x2",
          "hidden": "8, 8", "lr": "0.003"}


def make_run(ds=None, run_id=1, epochs=20, spec=None, **config):
    ds = ds if ds is not None else datasets.load_bundled("diabetes")
    run = new_run(run_id, ds, spec, (), replace(TrainConfig(epochs=epochs), **config))
    if epochs:
        train(run, epochs)
    return run


# -------------------------------------------------------------------- links
@pytest.mark.parametrize("url, target, expected", [
    ("http://localhost:8501/share", "train", "http://localhost:8501/train"),
    ("https://nn.streamlit.app/share", "", "https://nn.streamlit.app/"),
    ("https://example.org/apps/nn/share", "predict", "https://example.org/apps/nn/predict"),
    ("http://localhost:8501", "train", "http://localhost:8501/train"),
])
def test_share_link_swaps_this_page_for_the_target_and_carries_every_param(url, target, expected):
    link = sharing.share_link(url, PARAMS, target)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == expected
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == PARAMS  # ^, *, comma and space survive


def test_share_link_without_an_address_is_relative():
    link = sharing.share_link(None, {"n": "20"}, "train")
    assert link == "/train?n=20"


def test_link_settings_table_lists_each_param():
    table = sharing.link_settings_table(PARAMS)
    assert list(table.columns) == ["parameter", "value"] and len(table) == len(PARAMS)


# ------------------------------------------------------- reading link values
@pytest.mark.parametrize("key, text, expected", [
    (state.N_POINTS, "1000000000", 10_000),
    (state.N_POINTS, "3", 20),
    (state.NOISE, "-4", 0.0),
    (state.LEARNING_RATE, "-1", 0.00001),
    (state.LEARNING_RATE, "1e9", 10.0),
    (state.EPOCHS, "0", 1),
    (state.VAL_FRACTION, "0.9", 0.5),
    (state.TRAIN_SEED, "-5", 0),
])
def test_link_numbers_are_clamped_to_the_widget_ranges(key, text, expected):
    value = links.read_link({key: text})[0][key]
    assert value == expected
    assert type(value) is type(settings.DEFAULTS[key])


@pytest.mark.parametrize("key, text", [(state.NOISE, "abc"), (state.NOISE, "nan"), (state.LEARNING_RATE, "inf"),
                                       (state.N_POINTS, "1e9"), (state.EPOCHS, "12.5")])
def test_unparsable_link_numbers_are_ignored(key, text):
    assert key not in links.read_link({key: text})[0]


def read(key, text):
    return links.read_link({key: text})[0].get(key)


def test_link_choices_and_hidden_layers_are_validated():
    assert read(state.ACTIVATION, "swish") is None
    assert read(state.ACTIVATION, "relu") == "relu"
    assert read(state.SOURCE, "upload") is None  # an upload cannot come from a link
    assert read(state.HIDDEN, "8, eight") is None
    assert read(state.HIDDEN, "16, 16") == "16, 16"
    assert read(state.DERIVED, "x1^2,x1^2,x2^2") == ["x1^2", "x2^2"]


def test_every_range_belongs_to_a_numeric_setting():
    for key, (low, high) in settings.RANGES.items():
        assert isinstance(settings.DEFAULTS[key], int | float) and low < high
        assert low <= settings.DEFAULTS[key] <= high


# -------------------------------------------------------------------- files
def test_model_file_round_trip_gives_identical_predictions():
    run = make_run()
    model = sharing.read_model_file(sharing.model_json(run).encode())
    np.testing.assert_array_equal(model.predict_proba(run.dataset.X), run.model.predict_proba(run.dataset.X))
    assert model.net.history.loss == run.history.loss


def test_data_csv_reads_back_as_the_data():
    ds = datasets.generate("blobs", n=120, seed=4, classes=3)
    back = pd.read_csv(io.BytesIO(sharing.data_csv(ds)), dtype={"label": str})
    pd.testing.assert_frame_equal(back, frame_of(ds))


def test_file_names_are_safe():
    run = make_run(epochs=0)
    assert sharing.model_file_name(run) == "run1_diabetes_model.json"
    assert sharing.code_file_name(run).endswith("_predict.py")
    weird = replace(datasets.generate("moons", n=40), name="../my data/<x>")
    assert sharing.data_file_name(weird) == "my_data_x.csv"


def _tampered(change) -> bytes:
    doc = json.loads(sharing.model_json(make_run(epochs=2)))
    change(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("data, match", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    (b"weights: 1, 2, 3", "JSON is broken"),
    (b'{"format": "keras", "version": 1}', "format"),
    (_tampered(lambda d: d["parameters"]["weights"][0].pop()), "entries"),
    (_tampered(lambda d: d["parameters"]["biases"][0].__setitem__(0, float("nan"))), "finite"),
    (_tampered(lambda d: d.__setitem__("preprocessing", None)), "bare network"),
])
def test_tampered_or_foreign_files_are_refused_with_a_sentence(data, match):
    with pytest.raises(ValueError, match=match):
        sharing.read_model_file(data)


# ---------------------------------------------------------- uploaded models
def test_run_from_model_keeps_the_model_and_splits_by_the_settings():
    original = make_run(hidden=(5,), activation="relu", epochs=10)
    model = sharing.read_model_file(sharing.model_json(original).encode())
    settings = TrainConfig(optimizer="sgd", learning_rate=0.1, val_fraction=0.3, test_fraction=0.1, seed=7)
    run = sharing.run_from_model(model, 9, original.dataset, DataSpec(), settings)
    assert run.id == 9 and run.model is model
    assert run.config.hidden == (5,) and run.config.activation == "relu"
    assert run.config.optimizer == "sgd" and run.config.seed == 7
    assert len(run.split[1]) == pytest.approx(0.3 * original.dataset.n_samples, abs=2)
    np.testing.assert_array_equal(run.model.predict_proba(run.dataset.X),
                                  original.model.predict_proba(original.dataset.X))
    before = run.epochs
    train(run, 3)  # continue training the uploaded model
    assert run.epochs == before + 3


def test_run_from_model_keeps_derived_features():
    ds = datasets.generate("circles", n=200, seed=0)
    original = new_run(1, ds, None, ("x1^2", "x2^2"), TrainConfig(hidden=()))
    train(original, 5)
    model = sharing.read_model_file(sharing.model_json(original).encode())
    run = sharing.run_from_model(model, 2, ds, None, TrainConfig())
    assert run.derived == ("x1^2", "x2^2")


@pytest.mark.parametrize("other, match", [
    (lambda: datasets.load_bundled("penguins"), "no column 'Glucose'"),
    (lambda: datasets.make_dataset(pd.DataFrame({"BloodPressure": [70.0, 80, 90, 60], "Glucose": [90.0, 150, 120, 80],
                                                 "y": ["0", "1", "1", "0"]}), "y"), "another order"),
    (lambda: datasets.make_dataset(pd.DataFrame({"Glucose": [90.0, 150, 120, 80], "BloodPressure": [70.0, 80, 90, 60],
                                                 "y": ["no", "yes", "yes", "no"]}), "y"), "classes"),
    (lambda: datasets.make_dataset(pd.DataFrame({"Glucose": [90.0, 150, 120, 80], "BloodPressure": [70.0, 80, 90, 60],
                                                 "y": [0.5, 1.5, 2.5, 3.1]}), "y", problem_type="regression"),
     "regression"),
])
def test_a_model_that_does_not_fit_the_data_is_refused_naming_the_mismatch(other, match):
    model = make_run(epochs=2).model
    with pytest.raises(ValueError, match=match) as err:
        sharing.run_from_model(model, 2, other(), None, TrainConfig())
    assert "Explore data" in str(err.value)


# ---------------------------------------------------------------- run table
def test_run_rows_list_every_run_with_its_numbers():
    trained = make_run(run_id=1, epochs=15, spec=DataSpec())
    fresh = make_run(run_id=2, epochs=0, hidden=())
    sharing.set_pinned([trained, fresh], 2, True)
    table = sharing.run_rows([trained, fresh], active_id=1)
    assert list(table.columns) == list(sharing.RUN_COLUMNS)
    assert table["id"].tolist() == [1, 2] and table["active"].tolist() == [True, False]
    first = table.iloc[0]
    assert first["final train loss"] == trained.history.loss[-1]
    assert first["final val loss"] == trained.history.val_loss[-1]
    assert first["held-out"] == "test accuracy" and 0.5 < first["held-out metric"] <= 1
    assert first["data"] == DataSpec().title and first["epochs"] == 15
    second = table.iloc[1]
    assert second["status"] == "untrained" and np.isnan(second["final train loss"]) and second["pinned"]
    assert second["activation"] == "none"


# ----------------------------------------------------------- compare chart
def test_compare_chart_overlays_the_chosen_runs_with_fixed_domains():
    runs = [make_run(run_id=i, epochs=10 * i, learning_rate=0.01 * i) for i in (1, 2, 3)]
    frame, step = compare.compare_frame(runs)
    assert step == 1 and len(frame) == 2 * (10 + 20 + 30)
    names = [compare.run_name(r) for r in runs]
    chart = compare.compare_chart(frame, run_names=names, x_max=30, y_domain=compare.compare_y_domain(frame))
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["x"]["scale"]["domain"] == [0, 30]
    assert enc["y"]["scale"]["domain"][0] == 0.0
    assert enc["color"]["scale"]["domain"] == names
    assert enc["strokeDash"]["scale"]["domain"] == ["train", "validation"]
    assert names[0].startswith("Run 1 (2-8-8-1 tanh")


def test_compare_frame_stays_under_the_point_limit():
    runs = [make_run(run_id=i, epochs=0) for i in range(12)]
    for run in runs:
        run.history.loss = list(np.linspace(1, 0.1, 3000))
        run.history.val_loss = list(np.linspace(1.1, 0.2, 3000))
    frame, step = compare.compare_frame(runs)
    assert len(frame) <= MAX_POINTS and step > 1
    assert frame.groupby("run")["epoch"].max().eq(3000).all()  # the last epoch is always kept


def test_compare_y_domain_is_not_flattened_by_a_diverged_run():
    frame = pd.DataFrame({"run": ["a"] * 3 + ["b"] * 3, "epoch": [1, 2, 3] * 2, "part": ["train"] * 6,
                          "loss": [0.7, 0.5, 0.4, 0.8, 50.0, 1e9]})
    assert compare.compare_y_domain(frame) == pytest.approx([0.0, 3 * 0.8 * 1.05])
    low, high = compare.compare_y_domain(frame, log=True)
    assert low < 0.4 and high > 1e9


def test_compare_frame_of_no_runs_is_empty():
    frame, step = compare.compare_frame([])
    assert frame.empty and step == 1
    assert compare.compare_y_domain(frame) == [0.0, 1.0]


def test_model_round_trip_through_loads_is_a_model():
    run = make_run(epochs=1)
    assert isinstance(nn_core.loads(sharing.model_json(run)), nn_core.Model)
