"""The Predict page in a simulated browser session (AppTest).

A model comes from the Train page's Train button, as a user gets one.
"""

from __future__ import annotations

import pytest

from ui import state

PREDICT = "views/predict.py"


@pytest.fixture
def trained(app):
    """A session on Predict with the model the Train button gives for the defaults."""
    return app.train().open(PREDICT)


def _shown(at) -> str:
    return at.main.metric[0].value


def _whatif_numbers(at):
    return [n for n in at.number_input if n.key.endswith("_number")]


def test_no_model_shows_a_pointer_to_train(app):
    app.switch_page(PREDICT).run()
    assert not app.exception
    assert "no trained model" in app.info[0].value
    assert len(app.main.get("page_link")) == 1
    assert not app.main.metric


def test_a_whatif_change_changes_the_shown_probability(trained):
    at = trained
    before = _shown(at)
    glucose = _whatif_numbers(at)[0]
    start = glucose.value
    glucose.set_value(glucose.min if start - glucose.min > 10 else glucose.max).run()
    assert not at.exception
    assert _shown(at) != before
    # the slider and the number entry show the same what-if value
    moved = _whatif_numbers(at)[0].value
    assert moved != start
    assert at.slider[0].value == pytest.approx(moved)
    # a slider change moves the number entry and the probability too
    at.slider[1].set_value(at.slider[1].min).run()
    assert _whatif_numbers(at)[1].value == pytest.approx(at.slider[1].min)


def test_a_stale_exact_box_never_moves_the_point_back(trained):
    """Quick slider key presses send the box's older value along with the slider's new one.

    The browser had the box at 90 when it sent slider = 92; the page must
    keep 92 (the old page wrote every widget key on every run, so a stale box
    pulled the point, and then the slider, back).
    """
    at = trained
    start = at.slider[0].value
    at.slider[0].set_value(start + 1).run()
    assert _whatif_numbers(at)[0].value == pytest.approx(start + 1)
    at.slider[0].set_value(start + 2)
    _whatif_numbers(at)[0].set_value(start)  # what the browser still shows in the box
    at.run()
    assert not at.exception
    assert at.slider[0].value == pytest.approx(start + 2)
    assert _whatif_numbers(at)[0].value == pytest.approx(start + 2)
    run = at.runs()[0]
    assert at.call(state.whatif_point, run)[0] == pytest.approx(start + 2)
    # a plain rerun leaves the inputs alone, and the buttons move both inputs of every feature
    at.run()
    assert at.slider[0].value == pytest.approx(start + 2)
    at.button(key=state.WHATIF_RESET).click().run()
    assert at.slider[0].value == pytest.approx(start) and _whatif_numbers(at)[0].value == pytest.approx(start)


def _option(at, number: int = 1) -> tuple[str, str, list[str]]:
    """(from class, to class, change lines) of the shown option ``number``."""
    text = next(t.value for t in at.main.text if t.value.startswith(f"Option {number}: predicted "))
    title, *lines = text.split("\n")
    new, old = title.removeprefix(f"Option {number}: predicted ").split(", by changing")[0].split(" instead of ")
    return old, new, [line.strip() for line in lines]


def test_start_from_a_row_and_move_to_a_counterfactual_option(trained):
    at = trained
    at.number_input(key=state.WHATIF_ROW).set_value(5).run()
    assert not at.exception
    assert any(t.value.startswith("Row 5 (") and t.value.endswith("the what-if point") for t in at.main.text)
    old, new, lines = _option(at)
    assert lines and all(" -> " in line for line in lines)
    assert any(t.value.endswith(f"predicted class: {old}") for t in at.main.text)
    at.button(key=state.whatif_option_key(1)).click().run()
    assert not at.exception
    assert any(t.value.endswith(f"predicted class: {new}") for t in at.main.text)
    # from there, the options flip it back, with changes listed (never an empty list)
    back_old, back_new, back_lines = _option(at)
    assert (back_old, back_new) == (new, old) and back_lines


def test_a_locked_input_never_changes_in_the_options(trained):
    at = trained
    at.number_input(key=state.WHATIF_ROW).set_value(5).run()
    glucose = _whatif_numbers(at)[0].value
    at.multiselect(key=state.WHATIF_LOCKED).set_value(["Glucose"]).run()
    assert not at.exception
    _, new, lines = _option(at)
    assert all(not line.startswith("Glucose:") for line in lines)
    at.button(key=state.whatif_option_key(1)).click().run()
    assert not at.exception
    assert _whatif_numbers(at)[0].value == pytest.approx(glucose)
    assert any(t.value.endswith(f"predicted class: {new}") for t in at.main.text)


def test_batch_file_missing_a_column_is_named_and_the_model_stays(trained):
    at = trained
    shown = _shown(at)
    at.file_uploader(key=state.BATCH_FILE).set_value(("batch.csv", b"Glucose,Age\n100,30\n", "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 1 and "BloodPressure" in at.error[0].value
    assert _shown(at) == shown  # the model and the what-if point are untouched


def test_batch_predictions_table_and_download(trained):
    at = trained
    data = b"BloodPressure,Glucose,Diabetes\n80,100,0\n110,70,1\n"
    at.file_uploader(key=state.BATCH_FILE).set_value(("batch.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    table = at.main.dataframe[0].value
    assert len(table) == 2
    assert {"predicted", "P(0)", "P(1)", "actual Diabetes"} <= set(table.columns)
    assert len(at.main.get("download_button")) == 1


def test_a_bad_batch_file_gives_the_loaders_message(trained):
    at = trained
    at.file_uploader(key=state.BATCH_FILE).set_value(("empty.csv", b"", "text/csv")).run()
    assert not at.exception
    assert "empty" in at.error[0].value


def test_a_second_session_does_not_see_the_first_sessions_model(trained, new_session):
    assert trained.main.metric  # the first session has its model
    other = new_session()
    other.switch_page(PREDICT).run()
    assert not other.exception
    assert "no trained model" in other.info[0].value
    assert not other.main.metric


def test_multiclass_model_page(app):
    app.session_state[state.BUNDLED] = "penguins"
    app.run()
    at = app.train().open(PREDICT)
    assert len(at.slider) == 4
    assert at.main.metric[0].label == "Probability of the predicted class"
    assert len(at.get("vega_lite_chart")) == 6  # probabilities, boundary, sensitivity, sweeps, attributions, PD/ICE
    at.selectbox(key=state.WHATIF_X).set_value(2).run()
    at.selectbox(key=state.WHATIF_CLASS).set_value(0).run()
    assert not at.exception


