"""The Train page in a simulated session (AppTest): train, continue, step, reset, presets, errors."""


import pytest

from ui import presets, settings, state
from ui.runs import evaluate, held_out_part

TRAIN_PAGE = "views/train.py"

def test_train_button_trains_the_defaults_to_080_and_shows_results(app):
    at = app.open(TRAIN_PAGE)
    assert at.button(key=state.TRAIN_BUTTON).label == "Train"
    assert len(at.get("vega_lite_chart")) == 0
    at.press(state.TRAIN_BUTTON)  # how long it takes is measured by `python -m bench app`

    runs = at.runs()
    assert len(runs) == 1
    run = at.active_run()
    assert run.epochs == 300 and run.history.status == "completed"
    assert run.architecture == "2-8-8-1"
    assert held_out_part(run) == "test"
    assert evaluate(run)["test"]["accuracy"] >= 0.80
    assert not at.error
    labels = [m.label for m in at.metric]
    assert {"Accuracy", "ROC AUC"} <= set(labels) and len(labels) >= 5
    # loss, boundary, confusion matrix, ROC, calibration
    assert len(at.get("vega_lite_chart")) == 5


def test_continue_and_step_add_epochs_and_reset_starts_over(app):
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    at.number_input(key=state.EPOCHS).set_value(50).run()
    at.button(key=state.CONTINUE_BUTTON).click().run()
    assert not at.exception, at.exception
    assert at.active_run().epochs == 350
    at.button(key=state.STEP_BUTTON).click().run()
    assert at.active_run().epochs == 351
    assert len(at.runs()) == 1  # the same run, trained on

    at.button(key=state.RESET_BUTTON).click().run()
    assert not at.exception, at.exception
    assert at.active_run().epochs == 0 and len(at.runs()) == 1
    assert any("untrained" in i.value for i in at.info)
    at.button(key=state.STEP_BUTTON).click().run()
    assert at.active_run().epochs == 1


def test_diverging_run_shows_the_message_and_keeps_previous_runs(app):
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    first = at.active_run()
    at.session_state[state.SOURCE] = "generated"
    at.session_state[state.GENERATOR] = "plane"
    at.run()
    at.selectbox(key=state.OPTIMIZER).set_value("sgd")
    at.select_slider(key=state.LEARNING_RATE).set_value(10.0).run()
    at.press(state.TRAIN_BUTTON)
    runs = at.runs()
    assert len(runs) == 2 and runs[0] is first and first.epochs == 300
    assert at.active_run().history.status == "diverged"
    assert any("diverged" in e.value for e in at.error)
    assert any(m.label == "R²" for m in at.metric)
    # the sidebar says so too, and a huge score is 3 significant digits, not 30
    assert any("Diverged" in e.value for e in at.sidebar.error)
    assert all(len(m.value) <= 10 for m in at.sidebar.metric), [m.value for m in at.sidebar.metric]


def test_a_training_that_drops_a_run_says_so_on_train(app):
    """Past the run cap the oldest run goes; the Train page says which, as text (labels hold file names)."""
    from dataclasses import replace

    from nn_core import data as datasets
    from ui import runs as run_ops

    at = app.open(TRAIN_PAGE)
    at.number_input(key=state.EPOCHS).set_value(1).run()
    ds = replace(datasets.load_bundled("diabetes"), name="*my* [file](x).csv")
    for i in range(1, run_ops.MAX_RUNS + 1):  # the session holds as many runs as it keeps
        at.call(state.add_run, run_ops.new_run(i, ds, None, (), run_ops.TrainConfig(epochs=1)))
    assert at.call(state.next_run_id) == run_ops.MAX_RUNS + 1
    at.press(state.TRAIN_BUTTON)
    assert len(at.runs()) == run_ops.MAX_RUNS and at.runs()[0].id == 2
    notes = [i.value for i in at.info if "dropped" in i.value]
    assert len(notes) == 1 and "Run 1" in notes[0] and "Run 2" not in notes[0]
    assert r"\*my\* \[file\]\(x\)" in notes[0]  # escaped: shown literally, never as Markdown
    at.run()  # said once, right after the training; Share & compare keeps the full list
    assert not any("dropped" in i.value for i in at.info)


def test_bad_hidden_text_is_an_error_and_train_is_off(app):
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    at.text_input(key=state.HIDDEN).set_value("8, x").run()
    assert not at.exception
    assert any("whole numbers" in e.value for e in at.error)
    assert at.button(key=state.TRAIN_BUTTON).disabled
    assert len(at.runs()) == 1  # the previous run stays
    assert len(at.get("vega_lite_chart")) == 5


def test_a_net_over_the_cap_is_refused_with_what_to_change(app):
    at = app.open(TRAIN_PAGE)
    at.text_input(key=state.HIDDEN).set_value("1000, 1000").run()
    assert any("parameters" in w.value for w in at.warning)
    at.press(state.TRAIN_BUTTON)
    assert any("fewer or narrower" in e.value for e in at.error)
    assert not at.runs()


def test_too_many_epochs_times_rows_is_refused(app):
    at = app.open(TRAIN_PAGE)
    at.number_input(key=state.EPOCHS).set_value(settings.RANGES[state.EPOCHS][1]).run()
    at.session_state[state.TEST_FRACTION] = 0.0
    at.session_state[state.VAL_FRACTION] = 0.0
    at.session_state[state.EPOCHS] = 60_000
    at.run()
    at.press(state.TRAIN_BUTTON)
    assert any("epochs at a time" in e.value for e in at.error)
    assert not at.runs()


def test_article_preset_sets_the_single_neuron_on_diabetes(app):
    app.session_state[state.BUNDLED] = "penguins"
    at = app.open(TRAIN_PAGE)
    assert at.call(state.dataset).name == "penguins"
    at.selectbox(key=state.TRAIN_PRESET).set_value(presets.ARTICLE_NEURON).run()
    at.button(key=state.APPLY_PRESET).click().run()
    assert at.session_state[state.HIDDEN] == ""
    assert at.session_state[state.OPTIMIZER] == "sgd"
    assert at.session_state[state.BUNDLED] == "diabetes"
    assert at.text_input(key=state.HIDDEN).value == ""
    at.press(state.TRAIN_BUTTON)
    run = at.active_run()
    assert run.architecture == "2-1" and run.dataset.name == "diabetes"
    assert evaluate(run)["test"]["accuracy"] >= 0.78


def test_multiclass_with_four_features_picks_axes_and_holds_the_rest(app):
    app.session_state[state.BUNDLED] = "penguins"
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    run = at.active_run()
    assert run.dataset.problem_type == "multiclass"
    assert any(m.label == "ROC AUC (one-vs-rest)" for m in at.metric)
    assert any("held at their training medians" in t.value for t in at.text)
    at.selectbox(key=state.BOUNDARY_X).set_value(2).run()
    assert not at.exception, at.exception
    assert at.selectbox(key=state.BOUNDARY_Y).value != 2
    assert len(at.get("vega_lite_chart")) == 5


def test_threshold_moves_the_confusion_matrix(app):
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    low = at.get("vega_lite_chart")[2].spec
    at.select_slider(key=state.THRESHOLD).set_value(0.9).run()
    assert at.get("vega_lite_chart")[2].spec != low
    assert not at.exception


def test_no_data_set_points_to_explore(new_session):
    app = new_session(before={state.SOURCE: "upload"})  # nothing uploaded: sync keeps no data set
    assert app.call(state.dataset) is None
    at = app.open(TRAIN_PAGE)
    assert any("Explore" in i.value for i in at.info)


@pytest.mark.parametrize("page", ["views/data.py", "views/predict.py"])
def test_every_page_renders_after_training(app, page):
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    at.switch_page(TRAIN_PAGE).run()
    assert not at.exception, at.exception
    assert at.active_run().epochs == 300


def test_no_held_out_rows_warns_that_scores_flatter(app):
    at = app.open(TRAIN_PAGE)
    at.session_state[state.VAL_FRACTION] = 0.0
    at.session_state[state.TEST_FRACTION] = 0.0
    at.run().press(state.TRAIN_BUTTON)
    assert held_out_part(at.active_run()) == "train"
    assert any("flatter" in w.value for w in at.warning)


def test_early_stopping_preset_says_which_weights_it_kept(app):
    at = app.open(TRAIN_PAGE)
    at.selectbox(key=state.TRAIN_PRESET).set_value("Regularized, early stopping").run()
    at.button(key=state.APPLY_PRESET).click().run()
    at.press(state.TRAIN_BUTTON)
    run = at.active_run()
    assert run.config.patience == 20 and run.epochs < 1000
    assert any("weights of epoch" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) == 5


def test_a_stopped_run_is_shown_as_stopped_with_its_epochs(app):
    at = app.open(TRAIN_PAGE).press(state.TRAIN_BUTTON)
    run = at.active_run()
    run.history.status, run.history.message = "stopped", "Stopped after epoch 300 of 600; everything learned so far is kept."
    at.run()
    assert any("Stopped after epoch 300" in i.value for i in at.info)
    at.button(key=state.CONTINUE_BUTTON).click().run()
    assert at.active_run().epochs == 600 and at.active_run().history.status == "completed"


def test_judgement_offers_a_clickable_confusion_matrix_and_a_calibration_chart(app):
    at = app.open(TRAIN_PAGE)
    at.press(state.TRAIN_BUTTON)
    assert any(c.key == state.CONFUSION_PICK for c in at.get("vega_lite_chart"))
    assert any("Click a cell of the confusion matrix" in c.value for c in at.caption)
    assert any("Expected calibration error" in c.value for c in at.caption)
