"""AppTest: a link reproduces an experiment, model files go out and come back, runs are compared and kept."""

from __future__ import annotations

import re

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.conftest import APP
from ui import settings, sharing, state

SHARE = "views/share.py"
TRAIN = "views/train.py"
DATA = "views/data.py"


def shown(element) -> str:
    """An element's text as the reader sees it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", element.value)


def ss(at: AppTest, key: str):
    return at.session_state[key]


def active(at: AppTest):
    runs = ss(at, state._RUNS)
    return next(r for r in runs if r.id == ss(at, state._ACTIVE_RUN))


def press_train(at: AppTest) -> None:
    at.switch_page(TRAIN).run()
    at.button(key=state.TRAIN_BUTTON).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def open_share(at: AppTest) -> None:
    at.switch_page(SHARE).run()
    assert not at.exception, at.exception


def test_a_link_reproduces_settings_and_the_loss_curve_bit_for_bit(app):
    # the first session changes data and training settings through the widgets, on two pages
    app.radio(key=state.SOURCE).set_value("generated").run()
    app.selectbox(key=state.GENERATOR).set_value("circles").run()
    app.slider(key=state.N_POINTS).set_value(300).run()
    app.slider(key=state.NOISE).set_value(0.3).run()
    app.number_input(key=state.DATA_SEED).set_value(5).run()
    app.multiselect(key=state.DERIVED).set_value(["x1^2", "x2^2"]).run()
    app.switch_page(TRAIN).run()
    app.text_input(key=state.HIDDEN).set_value("6, 4").run()
    app.selectbox(key=state.ACTIVATION).set_value("relu").run()
    app.select_slider(key=state.LEARNING_RATE).set_value(0.01).run()
    app.number_input(key=state.EPOCHS).set_value(40).run()
    app.number_input(key=state.BATCH_SIZE).set_value(32).run()
    app.number_input(key=state.TRAIN_SEED).set_value(3).run()
    press_train(app)
    open_share(app)  # the link is read where a learner copies it, after a page switch
    link = app.code[0].value
    params = dict(app.query_params)
    assert params["generator"] == "circles" and params["derived"] == "x1^2,x2^2"
    assert params["hidden"] == "6, 4" and params["lr"] == "0.01" and params["seed"] == "3"
    assert "generator=circles" in link and "derived=x1%5E2%2Cx2%5E2" in link
    first = active(app)

    # a fresh session opened with the link
    other = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        other.query_params[key] = value
    other.run()
    assert not other.exception, other.exception
    for key in params:
        assert ss(other, key) == ss(app, key), key
    press_train(other)
    second = active(other)
    assert second.history.loss == first.history.loss  # bit for bit
    assert second.history.val_loss == first.history.val_loss
    assert dict(other.query_params) == params


def test_a_tampered_link_opens_and_falls_back_sensibly():
    at = AppTest.from_file(APP, default_timeout=60)
    tampered = {"source": "generated", "generator": "moons", "activation": "swish", "n": str(10**9),
                "lr": "-1", "noise": "abc", "classes": "50", "hidden": "8, x", "derived": "x1^2,evil",
                "epochs": "-3", "val": "0.99", "seed": "1e99", "optimizer": "<script>"}
    for key, value in tampered.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    assert ss(at, state.N_POINTS) == 10_000  # clamped to the slider's range
    assert ss(at, state.ACTIVATION) == "tanh" and ss(at, state.OPTIMIZER) == "adam"  # unknown: default
    assert ss(at, state.NOISE) == settings.DEFAULTS[state.NOISE]
    assert ss(at, state.CLASSES) == 2 and ss(at, state.HIDDEN) == "8, 8" and ss(at, state.DERIVED) == []
    assert ss(at, state.EPOCHS) == 1 and ss(at, state.VAL_FRACTION) == 0.5 and ss(at, state.TRAIN_SEED) == 0
    assert at.query_params["n"] == "10000" and at.query_params["activation"] == "tanh"
    for page in (TRAIN, SHARE, DATA):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    assert ss(at, state.LEARNING_RATE) == 0.00001


def test_an_upload_source_says_the_file_cannot_travel(app):
    app.radio(key=state.SOURCE).set_value("upload").run()
    open_share(app)
    assert any("cannot travel in a link" in w.value for w in app.warning)


def test_model_download_then_upload_gives_identical_predictions(app):
    press_train(app)
    open_share(app)
    first = active(app)
    assert len(app.get("download_button")) == 3  # model, code, data
    text = sharing.model_json(first)  # what the download button serves
    app.file_uploader(key=state.MODEL_FILE).set_value(("run1_model.json", text.encode(), "application/json")).run()
    assert not app.exception, app.exception
    assert app.success and "Run 2" in shown(app.success[0])
    second = active(app)
    assert second.id == 2 and second.history.loss == first.history.loss
    X = first.dataset.X
    np.testing.assert_array_equal(second.model.predict_proba(X), first.model.predict_proba(X))
    assert "Run 2:" in " ".join(t.value for t in app.sidebar.text)
    app.switch_page(TRAIN).run()
    app.button(key=state.CONTINUE_BUTTON).click().run()  # the uploaded model trains on
    assert not app.exception and active(app).epochs == 2 * first.epochs


def test_a_tampered_or_foreign_model_file_is_refused_and_the_model_stays(app):
    press_train(app)
    open_share(app)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    app.file_uploader(key=state.MODEL_FILE).set_value(("model.json", png, "application/json")).run()
    assert not app.exception
    assert app.error and "not an nn_core model file" in shown(app.error[0])
    assert "current model stays" in shown(app.error[0])
    assert active(app).id == 1 and len(ss(app, state._RUNS)) == 1
    broken = sharing.model_json(active(app)).replace('"format": "nn_core-model"', '"format": "keras"')
    app.file_uploader(key=state.MODEL_FILE).set_value(("tampered.json", broken.encode(), "application/json")).run()
    assert app.error and "format" in shown(app.error[0]) and active(app).id == 1


def test_a_model_for_other_data_is_refused_naming_the_mismatch(app):
    press_train(app)
    open_share(app)
    text = sharing.model_json(active(app))  # a diabetes model (Glucose, BloodPressure)
    app.switch_page(DATA).run()
    app.selectbox(key=state.BUNDLED).set_value("penguins").run()
    open_share(app)
    app.file_uploader(key=state.MODEL_FILE).set_value(("diabetes.json", text.encode(), "application/json")).run()
    assert not app.exception
    assert app.error and "Glucose" in shown(app.error[0]) and "Explore data" in shown(app.error[0])
    assert len(ss(app, state._RUNS)) == 1


def test_runs_table_lists_every_run_and_making_one_active_switches_everything(app):
    press_train(app)
    app.text_input(key=state.HIDDEN).set_value("3").run()
    press_train(app)
    open_share(app)
    table = app.dataframe[-1].value
    assert table["id"].tolist() == [1, 2] and table["architecture"].tolist() == ["2-8-8-1", "2-3-1"]
    assert table["active"].tolist() == [False, True]
    assert len(app.get("vega_lite_chart")) == 1  # the overlaid loss curves
    app.selectbox(key=state.COMPARE_PICK).set_value(1).run()
    app.button(key=state.COMPARE_ACTIVATE).click().run()
    assert not app.exception
    assert active(app).id == 1 and ss(app, state.HIDDEN) == "8, 8"  # its settings are the current ones
    assert "Run 1:" in " ".join(t.value for t in app.sidebar.text)
    assert app.query_params["hidden"] == "8, 8"
    assert app.dataframe[-1].value["active"].tolist() == [True, False]
    app.switch_page(TRAIN).run()
    assert not app.exception and app.selectbox(key=state.SHOWN_RUN).value == 1


def test_twenty_one_runs_keep_twenty_and_a_pinned_run_stays(app):
    app.switch_page(TRAIN).run()
    app.number_input(key=state.EPOCHS).set_value(1).run()
    press_train(app)
    open_share(app)
    app.button(key=state.COMPARE_PIN).click().run()  # pin run 1
    assert ss(app, state._RUNS)[0].pinned
    app.switch_page(TRAIN).run()
    for _ in range(20):
        app.button(key=state.TRAIN_BUTTON).click().run()
    assert not app.exception
    open_share(app)
    table = app.dataframe[-1].value
    assert len(table) == 20
    assert table["id"].tolist() == [1, *range(3, 22)]  # run 2, the oldest unpinned, went
    assert table["pinned"].tolist()[0]
    assert any("dropped" in w.value for w in app.warning)
    assert any(t.value.startswith("Run 2:") for t in app.text)
