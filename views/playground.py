"""Playground: press Play and watch every neuron learn; steer the learning while it plays."""

import streamlit as st

from nn_core.data import GENERATORS
from ui import (
    hands_on,
    inside,
    live_training,
    playground,
    rewind,
    settings,
    sidebar,
    state,
    timeline,
)
from ui import playground_panels as panels
from ui.explore import escape_markdown
from ui.network_view.component import network_view
from ui.runs import new_run, train

st.title("Playground")
st.caption("Press **Play** and watch every neuron's output, every weight and the boundary change together. "
           "The learning rate and the other settings in the first row take effect at the next step, "
           "while it plays; the network's own settings start a new run.")
dataset = state.dataset()
if dataset is None:
    st.info("There is no data set yet. Pick or upload one on the Explore page first.")
    st.stop()
player = state.player()
player.touch()  # every full rerun is a user's action (the timed frames rerun the fragment only)

# ------------------------------------------------------------------ data and play controls
ACTIVE = "active"  # the data the session has now (not a generator name)
PATTERNS = [name for name, info in GENERATORS.items() if info.problem_type != "regression"]


def use_pattern() -> None:
    name = state.setting(state.PLAY_DATA)
    if name != ACTIVE:
        state.set_setting(state.SOURCE, "generated")
        state.set_setting(state.GENERATOR, name)
        if not GENERATORS[name].supports_classes:
            state.set_setting(state.CLASSES, 2)


def toggle_play() -> None:
    player.pause() if player.playing else player.play()


state.set_setting(state.PLAY_DATA, state.setting(state.GENERATOR) if state.setting(state.SOURCE) == "generated"
                  else ACTIVE)
state.init_setting(state.PLAY_SPEED, playground.DEFAULT_SPEED)
data_col, play_col, step_col, reset_col, speed_col = st.columns([3, 1.2, 1, 1, 1.6], vertical_alignment="bottom")
data_labels = {ACTIVE: f"The active data: {state.active_spec().title}",
               **{name: GENERATORS[name].label for name in PATTERNS}}
data_col.selectbox("Data", list(data_labels), key=state.PLAY_DATA, on_change=use_pattern, format_func=data_labels.get)
play_col.button("⏸ Pause" if player.playing else "▶ Play", key=state.PLAY_TOGGLE, type="primary",
                width="stretch", on_click=toggle_play)
step = step_col.button("Step", key=state.PLAY_STEP, width="stretch", help="Train one epoch.",
                       disabled=player.playing)
reset = reset_col.button("Reset", key=state.PLAY_RESET, width="stretch",
                         help="Back to the network's first weights (same seed), epoch 0.")
player.speed = speed_col.select_slider("Epochs per frame", playground.SPEEDS, key=state.PLAY_SPEED,
                                       persist_state="session")

# ------------------------------------------------------------------ steering (next step, no reset)
lr_col, opt_col, batch_col, l1_col, l2_col, clip_col = st.columns(6)
lr_col.select_slider("Learning rate", settings.LEARNING_RATES, format_func="{:g}".format, key=state.LEARNING_RATE,
                     persist_state="session")
opt_col.selectbox("Optimizer", settings.OPTIMIZERS, key=state.OPTIMIZER, persist_state="session",
                  help="A change keeps the weights and starts the optimizer's own state (Adam's moments, "
                       "momentum's velocity) afresh.")
batch_col.number_input("Batch size (0 = all)", *settings.RANGES[state.BATCH_SIZE], step=10, key=state.BATCH_SIZE,
                       persist_state="session")
l1_col.select_slider("L1", settings.PENALTIES, format_func="{:g}".format, key=state.L1, persist_state="session")
l2_col.select_slider("L2", settings.PENALTIES, format_func="{:g}".format, key=state.L2, persist_state="session")
clip_col.select_slider("Clip gradient", settings.CLIP_NORMS, format_func=lambda v: f"{v:g}" if v else "off",
                       key=state.CLIP_NORM, persist_state="session")

with st.expander("The network and the data (a change here starts a new run)"):
    hid_col, act_col, init_col, seed_col, noise_col, test_col = st.columns(6)
    hid_col.text_input("Hidden layers", key=state.HIDDEN, persist_state="session", help="Like `8, 8`.")
    act_col.selectbox("Activation", settings.ACTIVATIONS, key=state.ACTIVATION, persist_state="session")
    init_col.selectbox("Init", settings.INITS, key=state.INIT, persist_state="session")
    seed_col.number_input("Seed", *settings.RANGES[state.TRAIN_SEED], key=state.TRAIN_SEED, persist_state="session")
    noise_col.slider("Noise (2-D data)", *settings.RANGES[state.NOISE], step=0.05, key=state.NOISE,
                     persist_state="session", disabled=state.setting(state.SOURCE) != "generated")
    test_col.slider("Test share", *settings.RANGES[state.TEST_FRACTION], step=0.05, key=state.TEST_FRACTION,
                    persist_state="session")

# ------------------------------------------------------------------ the run that plays
try:
    config = state.train_config()
except ValueError as exc:
    player.pause()
    st.error(escape_markdown(f"{exc} Fix the hidden layers to play."))
    st.stop()
spec, run = state.active_spec(), state.active_run()
if not playground.matches(run, spec, config):
    note = playground.restart_note(run, spec, config)
    try:
        fresh = new_run(state.next_run_id(), dataset, spec, spec.derived, config)
    except ValueError as exc:
        player.pause()
        st.error(escape_markdown(str(exc)))
        st.stop()
    if run is not None and run.epochs == 0 and not run.pinned:
        state.forget_run(run)  # an untrained run is nothing to keep
    elif run is not None:
        st.info(escape_markdown(note))
    state.add_run(fresh)
    run = fresh
    player.pause()
else:
    for change in timeline.steer(run, config):
        st.toast(escape_markdown(change.describe().capitalize()
                                 + (" (the optimizer's state starts afresh)" if change.field == "optimizer" else "")))

refusal = playground.live_refusal(run)
if refusal and player.playing:
    player.pause(refusal)
if reset:
    live_training.reset(run)
    run.timeline.clear()
    player.pause()
    player.replay_at = None
if step:
    try:
        with live_training.exclusive(run, timeout=1.0):
            train(run, 1, on_epoch=rewind.recorder(state.snapshots(), run))
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
if player.message:
    st.warning(escape_markdown(player.message))

# ------------------------------------------------------------------ the picture, live
names = list(dataset.feature_names)
view_cols = st.columns([1, 1, 1, 1.5, 1.5], vertical_alignment="bottom")
state.init_setting(state.PLAY_SHOW_TEST, True)
show_test = view_cols[0].toggle("Show test data", key=state.PLAY_SHOW_TEST)
discretize = view_cols[1].toggle("Discretize output", key=state.PLAY_DISCRETIZE)
log_loss = view_cols[2].toggle("Log loss axis", key=state.PLAY_LOG)
x_feature, y_feature = 0, min(1, len(names) - 1)
if len(names) > 2:
    state.fit_choice(state.PLAY_X, range(len(names)), 0)
    state.fit_choice(state.PLAY_Y, range(len(names)), 1)
    x_feature = view_cols[3].selectbox("Plane x", range(len(names)), format_func=names.__getitem__, key=state.PLAY_X)
    y_feature = view_cols[4].selectbox("Plane y", range(len(names)), format_func=names.__getitem__, key=state.PLAY_Y)
if x_feature == y_feature:
    st.warning("Pick two different features for the plane.")
    st.stop()
view = playground.View(x_feature, y_feature, show_test, discretize, log_loss)
originals = state.weight_edits(run)  # trained values of the weights set by hand (until training goes on)
mode = "look"
if hands_on.can_draw_points(run):
    classes = run.dataset.class_names
    modes = ["look", *(f"add:{k}" for k in range(len(classes))), "remove"]
    state.fit_choice(state.PLAY_CLICK, modes, "look")
    click_col, back_col = st.columns([4, 1], vertical_alignment="bottom")
    mode = click_col.segmented_control(
        "A click on the plane", modes, key=state.PLAY_CLICK, required=True,
        format_func=lambda m: {"look": "shows where it is", "remove": "removes a training point"}.get(
            m, f"adds a point of class {classes[int(m[4:])] if m[4:].isdigit() else ''}"))
    added, removed = hands_on.points_changed(run)
    back_col.button("Put the data back", key=state.PLAY_POINTS_BACK, disabled=not (added or removed),
                    on_click=hands_on.restore_points, args=(run,), width="stretch",
                    help=f"{added} point(s) added, {removed} removed by hand.")


def on_click(event: dict) -> None:
    """A click the view reported: open the editor of a weight or bias, or add or remove a point."""
    try:
        outcome = hands_on.handle_click(run, event, mode)
    except ValueError as exc:
        st.toast(escape_markdown(str(exc)))
        return
    if isinstance(outcome, inside.ParamRef):
        state.open_editor(outcome)
    elif isinstance(outcome, tuple):
        state.set_setting(state.PLAY_NEURON, outcome)
    if outcome is not None:
        st.rerun()  # the editor, the new point, the data-back button and the timeline are drawn afresh


shown_epoch = panels.rewind_panel(run, player.playing)


@st.fragment(run_every=playground.FRAME_SECONDS if player.playing or player.replay_at is not None else None)
def live() -> None:
    if player.playing:
        try:
            with live_training.exclusive(run, timeout=playground.FRAME_SECONDS):
                playground.tick(run, player, record=rewind.recorder(state.snapshots(), run))
        except ValueError:
            pass  # an interrupted frame still holds the run: draw what there is
        if not player.playing:
            st.rerun()  # paused itself: the full rerun stops the timer and says why
    epoch = shown_epoch
    if player.replay_at is not None:
        if not panels.replay_step(run):
            st.rerun()  # the replay reached now: the full rerun stops the timer
        epoch = player.replay_at
    rate = player.epochs_per_second() if player.playing else None
    edges, biases = hands_on.marks(originals)
    past = panels.shown_at(run, epoch)
    if past is not None:
        st.caption(escape_markdown(past[2]))
    try:
        payload = playground.picture(run, view, rate, edited_edges=edges, edited_biases=biases,
                                     off=hands_on.off_neurons(run, past[0] if past else None), net=past[0] if past else None,
                                     marker_epoch=past[1] if past else None)
    except ValueError as exc:  # a net wider than the diagram draws, or a picture over the budget
        player.pause()
        st.error(escape_markdown(str(exc)))
        return
    event = network_view(payload, key=state.PLAY_VIEW)
    sidebar.render_model()
    if event is not None:
        player.touch()
        on_click(event)


live()
panels.editor(run, originals)
panels.neuron_switch(run)
if run.timeline:
    st.markdown("**What happened to this run besides training**")
    st.text("\n".join(event.describe() for event in run.timeline))
