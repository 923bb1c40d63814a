"""AppTest: the seed-article page and the lessons page."""

import pytest

from ui import lessons, state


def test_article_page_shows_both_replays_and_the_correct_neuron(app):
    app.switch_page("views/article.py").run()
    assert not app.exception
    assert len(app.get("vega_lite_chart")) >= 4  # two printed "losses", the line, the BCE curve
    labels = [m.label for m in app.metric]
    assert "Held-out accuracy" in labels
    held_out = float(next(m for m in app.metric if m.label == "Held-out accuracy").value.rstrip("%")) / 100
    assert 0.78 <= held_out <= 0.92
    assert any("sigma" in latex.value for latex in app.latex)


def test_article_live_equation_follows_the_inputs(app):
    app.switch_page("views/article.py").run()
    before = app.latex[0].value
    app.number_input(key=state.ARTICLE_GLUCOSE).set_value(180.0).run()
    assert not app.exception
    assert app.latex[0].value != before and "180" in app.latex[0].value


def test_article_hidden_layer_button_compares_on_the_same_rows(app):
    app.switch_page("views/article.py").run()
    app.button(key=state.ARTICLE_HIDDEN_TRAIN).click().run()
    assert not app.exception
    labels = [m.label for m in app.metric]
    assert "Single neuron, held-out accuracy" in labels
    assert any(label.startswith("2-8-1 net") for label in labels)


def test_article_hidden_layer_bad_text_is_a_message(app):
    app.switch_page("views/article.py").run()
    app.text_input(key=state.ARTICLE_HIDDEN).set_value("eight").run()
    app.button(key=state.ARTICLE_HIDDEN_TRAIN).click().run()
    assert not app.exception
    assert app.error and "whole numbers" in app.error[0].value


@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.key)
def test_every_lesson_runs_in_the_app(app, lesson):
    app.switch_page("views/lessons.py").run()
    app.selectbox(key=state.LESSON).set_value(lesson.key).run()
    app.button(key=state.LESSON_RUN).click().run()
    assert not app.exception
    assert not app.main.error  # (the sidebar says when the active run diverged)
    assert len(app.get("vega_lite_chart")) == len(lesson.steps)
    if lesson.key == "learning_rate":
        assert any("diverged" in w.value for w in app.warning)
    # the sidebar (drawn before the page) shows the lesson's last run: the page reruns after training
    last = app.runs()[-1]
    assert any(t.value.startswith(f"Run {last.id}:") for t in app.sidebar.text)
    if lesson.key == "line":  # its text's formulas hold "*": shown as typed, not as emphasis
        assert any(r"w1\*x1" in m.value for m in app.markdown)


def test_lesson_setup_moves_its_settings_to_train(app):
    app.switch_page("views/lessons.py").run()
    app.selectbox(key=state.LESSON).set_value("circles").run()
    app.button(key=state.LESSON_SETUP).click().run()
    assert not app.exception
    assert app.session_state[state.GENERATOR] == "circles"
    assert list(app.session_state[state.DERIVED]) == ["x1^2", "x2^2"]
    assert app.session_state[state.HIDDEN] == ""
