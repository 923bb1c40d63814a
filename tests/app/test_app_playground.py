"""The playground page under AppTest: its run, Step and Reset, steering, restarts, the sidebar's epoch.

AppTest does not fire timed fragments, so playing itself is tested by
calling the tick (tests/ui/test_playground.py) and in Chromium
(tests/e2e/test_playground.py); here every full rerun is checked.
"""

from __future__ import annotations

PLAYGROUND = "views/playground.py"
CIRCLES = {"source": "generated", "generator": "circles"}


def sidebar_epochs(session) -> int:
    line = next(line for line in session.sidebar_text().splitlines() if "epochs trained" in line)
    return int(line.split()[0].replace(",", ""))


def test_the_playground_opens_with_an_untrained_run_drawn(new_session):
    session = new_session(query=CIRCLES).open(PLAYGROUND)
    run = session.active_run()
    assert run is not None and run.epochs == 0 and run.architecture == "2-8-8-1"
    assert session.get("bidi_component"), "the network view is drawn"
    assert sidebar_epochs(session) == 0 and not session.error


def test_step_trains_one_epoch_and_the_sidebar_says_so(new_session):
    from ui import state

    session = new_session(query=CIRCLES).open(PLAYGROUND)
    for expected in (1, 2, 3):
        session.press(state.PLAY_STEP)
        assert session.active_run().epochs == expected and sidebar_epochs(session) == expected
    session.press(state.PLAY_RESET)
    assert session.active_run().epochs == 0 and sidebar_epochs(session) == 0


def test_a_steering_change_keeps_the_run_and_a_layer_change_starts_a_new_one(new_session):
    from ui import state

    session = new_session(query=CIRCLES).open(PLAYGROUND)
    session.press(state.PLAY_STEP)
    first = session.active_run()
    session.session_state[state.LEARNING_RATE] = 0.1
    session.run().assert_ok("steering")
    assert session.active_run() is first and first.config.learning_rate == 0.1
    assert [e.describe() for e in first.timeline] == ["epoch 1: learning rate 0.03 → 0.1"]
    session.session_state[state.HIDDEN] = "4"
    session.run().assert_ok("new layers")
    second = session.active_run()
    assert second is not first and second.epochs == 0 and second.architecture == "2-4-1"
    assert any("Hidden layers changed" in info.value for info in session.info)
    assert first in session.runs()  # the trained run stays for comparing


def test_a_pattern_picked_on_the_playground_becomes_the_active_data(app):
    from ui import state

    app.open(PLAYGROUND)
    assert app.active_run().dataset.name == "diabetes" or "Diabetes" in app.sidebar_text()
    app.selectbox(key=state.PLAY_DATA).set_value("xor").run().assert_ok("picking xor")
    assert app.active_run().data_spec.generator == "xor" and "xor" in app.sidebar_text()


def test_a_bad_hidden_layer_text_is_a_sentence(new_session):
    from ui import state

    session = new_session(query=CIRCLES).open(PLAYGROUND)
    session.session_state[state.HIDDEN] = "8, eight"
    session.run()
    assert not session.exception and "Fix the hidden layers to play" in session.errors()
