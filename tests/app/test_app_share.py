"""AppTest: a link reproduces an experiment, model files go out and come back, runs are compared and kept."""

from __future__ import annotations

import numpy as np

from ui import settings, sharing, state

SHARE = "views/share.py"
TRAIN = "views/train.py"
DATA = "views/data.py"


def press_train(at) -> None:
    at.train()
    assert not at.error, [e.value for e in at.error]


def test_a_link_reproduces_settings_and_the_loss_curve_bit_for_bit(app, new_session):
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
    app.open(SHARE)  # the link is read where a learner copies it, after a page switch
    link = app.code[0].value
    params = dict(app.query_params)
    assert params["generator"] == "circles" and params["derived"] == "x1^2,x2^2"
    assert params["hidden"] == "6, 4" and params["lr"] == "0.01" and params["seed"] == "3"
    assert "generator=circles" in link and "derived=x1%5E2%2Cx2%5E2" in link
    first = app.active_run()

    # a fresh session opened with the link
    other = new_session(query=params)
    assert not other.exception, other.exception
    for key in params:
        assert other.session_state[key] == app.session_state[key], key
    press_train(other)
    second = other.active_run()
    assert second.history.loss == first.history.loss  # bit for bit
    assert second.history.val_loss == first.history.val_loss
    assert dict(other.query_params) == params


def test_a_tampered_link_opens_and_falls_back_sensibly(new_session):
    tampered = {"source": "generated", "generator": "moons", "activation": "swish", "n": str(10**9),
                "lr": "-1", "noise": "abc", "classes": "50", "hidden": "8, x", "derived": "x1^2,evil",
                "epochs": "-3", "val": "0.99", "seed": "1e99", "optimizer": "<script>"}
    at = new_session(query=tampered)
    assert not at.exception, at.exception
    assert at.session_state[state.N_POINTS] == 10_000  # clamped to the slider's range
    assert at.session_state[state.ACTIVATION] == "tanh" and at.session_state[state.OPTIMIZER] == "adam"  # unknown: default
    assert at.session_state[state.NOISE] == settings.DEFAULTS[state.NOISE]
    assert at.session_state[state.CLASSES] == 2 and at.session_state[state.HIDDEN] == "8, 8" and at.session_state[state.DERIVED] == []
    assert at.session_state[state.EPOCHS] == 1 and at.session_state[state.VAL_FRACTION] == 0.5 and at.session_state[state.TRAIN_SEED] == 0
    assert at.query_params["n"] == "10000" and at.query_params["activation"] == "tanh"
    for page in (TRAIN, SHARE, DATA):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    assert at.session_state[state.LEARNING_RATE] == 0.00001


def test_an_upload_source_says_the_file_cannot_travel(app):
    app.radio(key=state.SOURCE).set_value("upload").run()
    app.open(SHARE)
    assert any("cannot travel in a link" in w.value for w in app.warning)


def test_model_download_then_upload_gives_identical_predictions(app):
    press_train(app)
    app.open(SHARE)
    first = app.active_run()
    assert len(app.get("download_button")) == 3  # model, code, data
    text = sharing.model_json(first)  # what the download button serves
    app.file_uploader(key=state.MODEL_FILE).set_value(("run1_model.json", text.encode(), "application/json")).run()
    assert not app.exception, app.exception
    assert app.success and "Run 2" in app.shown(app.success[0])
    second = app.active_run()
    assert second.id == 2 and second.history.loss == first.history.loss
    X = first.dataset.X
    np.testing.assert_array_equal(second.model.predict_proba(X), first.model.predict_proba(X))
    assert "Run 2:" in app.sidebar_text()
    app.switch_page(TRAIN).run()
    app.button(key=state.CONTINUE_BUTTON).click().run()  # the uploaded model trains on
    assert not app.exception and app.active_run().epochs == 2 * first.epochs


def test_a_tampered_or_foreign_model_file_is_refused_and_the_model_stays(app):
    press_train(app)
    app.open(SHARE)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    app.file_uploader(key=state.MODEL_FILE).set_value(("model.json", png, "application/json")).run()
    assert not app.exception
    assert app.error and "not an nn_core model file" in app.shown(app.error[0])
    assert "current model stays" in app.shown(app.error[0])
    assert app.active_run().id == 1 and len(app.runs()) == 1
    broken = sharing.model_json(app.active_run()).replace('"format": "nn_core-model"', '"format": "keras"')
    app.file_uploader(key=state.MODEL_FILE).set_value(("tampered.json", broken.encode(), "application/json")).run()
    assert app.error and "format" in app.shown(app.error[0]) and app.active_run().id == 1


def test_a_model_for_other_data_is_refused_naming_the_mismatch(app):
    press_train(app)
    app.open(SHARE)
    text = sharing.model_json(app.active_run())  # a diabetes model (Glucose, BloodPressure)
    app.switch_page(DATA).run()
    app.selectbox(key=state.BUNDLED).set_value("penguins").run()
    app.open(SHARE)
    app.file_uploader(key=state.MODEL_FILE).set_value(("diabetes.json", text.encode(), "application/json")).run()
    assert not app.exception
    assert app.error and "Glucose" in app.shown(app.error[0]) and "Explore data" in app.shown(app.error[0])
    assert len(app.runs()) == 1


def test_runs_table_lists_every_run_and_making_one_active_switches_everything(app):
    press_train(app)
    app.text_input(key=state.HIDDEN).set_value("3").run()
    press_train(app)
    app.open(SHARE)
    table = app.dataframe[-1].value
    assert table["id"].tolist() == [1, 2] and table["architecture"].tolist() == ["2-8-8-1", "2-3-1"]
    assert table["active"].tolist() == [False, True]
    assert len(app.get("vega_lite_chart")) == 1  # the overlaid loss curves
    app.selectbox(key=state.COMPARE_PICK).set_value(1).run()
    app.button(key=state.COMPARE_ACTIVATE).click().run()
    assert not app.exception
    assert app.active_run().id == 1 and app.session_state[state.HIDDEN] == "8, 8"  # its settings are the current ones
    assert "Run 1:" in app.sidebar_text()
    assert app.query_params["hidden"] == "8, 8"
    assert app.dataframe[-1].value["active"].tolist() == [True, False]
    app.switch_page(TRAIN).run()
    assert not app.exception and app.selectbox(key=state.SHOWN_RUN).value == 1


def test_twenty_one_runs_keep_twenty_and_a_pinned_run_stays(app):
    app.switch_page(TRAIN).run()
    app.number_input(key=state.EPOCHS).set_value(1).run()
    press_train(app)
    app.open(SHARE)
    app.button(key=state.COMPARE_PIN).click().run()  # pin run 1
    assert app.runs()[0].pinned
    app.switch_page(TRAIN).run()
    for _ in range(20):
        app.button(key=state.TRAIN_BUTTON).click().run()
    assert not app.exception
    app.open(SHARE)
    table = app.dataframe[-1].value
    assert len(table) == 20
    assert table["id"].tolist() == [1, *range(3, 22)]  # run 2, the oldest unpinned, went
    assert table["pinned"].tolist()[0]
    assert any("dropped" in w.value for w in app.warning)
    assert any(t.value.startswith("Run 2:") for t in app.text)
