"""The playground's panels under the picture: a weight's editor, a neuron's switch, and rewinding the run.

Streamlit layout the playground page calls; the logic they run lives in
``ui.hands_on`` (edits, switches, points) and ``ui.rewind`` (the run's past).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from . import hands_on, inside, rewind, state
from .explore import escape_markdown
from .runs import Run
from .snapshots import describe

REPLAY_SPEEDS = (1, 2, 5, 10, 25)


def editor(run: Run, originals: dict) -> None:
    """The value of the weight or bias last clicked in the diagram, to set by hand."""
    ref = state.edit_target()
    if not hands_on.fits(run, ref):
        return
    with st.container(border=True):
        value_col, restore_col, close_col = st.columns([3, 1.2, 0.8], vertical_alignment="bottom")
        state.sync_edit_value((run.id, ref, run.epochs), hands_on.current_value(run, ref))
        value_col.number_input(f"Set the {inside.param_label(run, ref)}", step=0.1, format="%.4f",
                               key=state.EDIT_VALUE, on_change=lambda: hands_on.edit(
                                   run, ref, state.setting(state.EDIT_VALUE), originals))
        restore_col.button("Trained values back", key=state.EDIT_RESTORE, disabled=not originals, width="stretch",
                           on_click=lambda: (hands_on.restore(run, originals), state.forget_edit_value()))
        close_col.button("Close", key=state.PLAY_EDIT_CLOSE, width="stretch",
                         on_click=lambda: state.set_setting(state.PLAY_EDITING, False))
        st.caption("Click another line or bias square in the diagram to edit it. Edited weights are dashed. "
                   "Training on from here trains the edited weights: they become the run's own, and the "
                   "run's timeline keeps the edit, so a replay reproduces it.")


def neuron_switch(run: Run) -> None:
    """Switch the hidden neuron last clicked off or on, with what that does to the training loss and accuracy."""
    target = state.neuron_target()
    sizes = run.net.layer_sizes
    if target is None or not (0 < target[0] < len(sizes) - 1 and 0 <= target[1] < sizes[target[0]]):
        return
    layer, unit = target
    on = run.net.masks is None or bool(run.net.masks[layer - 1][unit])
    now = inside.training_fit(run)
    run.net.set_neuron(layer, unit, not on)  # what the other position gives, then back as it was
    other = inside.training_fit(run)
    run.net.set_neuron(layer, unit, on)
    with st.container(border=True):
        text_col, button_col = st.columns([3, 1], vertical_alignment="center")
        name = inside.neuron_names(run, layer)[unit]
        text_col.markdown(
            f"**{escape_markdown(name)}** is {'on' if on else 'off'}. Training loss {now['loss']:.4f}, "
            f"{now['metric']} {now['value']:.3f}; switched {'off' if on else 'on'}: loss {other['loss']:.4f}, "
            f"{other['metric']} {other['value']:.3f}.")
        button_col.button("Switch it off" if on else "Switch it on", key=state.PLAY_SWITCH, width="stretch",
                          on_click=hands_on.switch_neuron, args=(run, layer, unit, not on))
        st.caption("While a neuron is off its output is held at 0 and training leaves its incoming weights, its "
                   "bias and its outgoing weights exactly as they are, so switching it on again brings back what "
                   "it had. The switch is part of the run: its timeline and its model file keep it.")


def rewind_panel(run: Run, playing: bool) -> int | None:
    """The scrubber over the run's kept moments; the epoch to show instead of now (None: now).

    Also "Continue from here" (a new run from the shown moment) and a replay of the run from epoch 0.
    """
    store = state.snapshots()
    kept = store.epochs(run.id)
    player = state.player()
    if playing or len(kept) < 2:
        if run.id in store.too_big:
            st.caption(escape_markdown(describe(store, run.id)))
        return player.replay_at if player.replay_at is not None and not playing else None
    options = sorted({*kept, run.epochs})
    state.fit_choice(state.PLAY_SCRUB, options, run.epochs)
    scrub_col, replay_col, speed_col = st.columns([5, 1.4, 1.2], vertical_alignment="bottom")
    shown = scrub_col.select_slider("Rewind: the picture after epoch", options, key=state.PLAY_SCRUB)
    replaying = player.replay_at is not None
    if replay_col.button("■ Stop replay" if replaying else "⟲ Replay from 0", key=state.PLAY_REPLAY,
                         width="stretch"):
        player.replay_at = None if replaying else 0
        replaying = not replaying
    state.init_setting(state.PLAY_REPLAY_SPEED, 5)
    speed_col.selectbox("Replay epochs/frame", REPLAY_SPEEDS, key=state.PLAY_REPLAY_SPEED)
    st.caption(escape_markdown(describe(store, run.id)))
    if replaying:
        return player.replay_at
    if shown >= run.epochs:
        return None
    branch_col, now_col = st.columns([2, 1])
    branch_col.button(f"Continue from epoch {shown:,} as a new run", key=state.PLAY_BRANCH, type="primary",
                      width="stretch", on_click=_branch, args=(run, shown),
                      help="The run goes on as it is; a new run starts from this moment, with the settings "
                           "it had then (change them for a second future).")
    now_col.button("Back to now", key=state.PLAY_NOW, width="stretch",
                   on_click=lambda: state.set_setting(state.PLAY_SCRUB, run.epochs))
    return shown


def _branch(run: Run, epoch: int) -> None:
    """"Continue from here": a new run from ``epoch``, made active, shown as it is now."""
    try:
        child = rewind.branch(run, state.snapshots(), epoch, state.next_run_id())
    except ValueError as exc:
        st.toast(escape_markdown(str(exc)))
        return
    state.add_run(child)
    state.set_setting(state.PLAY_SCRUB, child.epochs)


def replay_step(run: Run) -> bool:
    """Advance a replay by its speed along the kept moments; False when it has reached the end (and stopped)."""
    player = state.player()
    kept = state.snapshots().epochs(run.id)
    target = player.replay_at + int(state.setting(state.PLAY_REPLAY_SPEED))
    later = [e for e in kept if e >= target]
    if not later:
        player.replay_at = None
        return False
    player.replay_at = later[0]
    return True


def shown_at(run: Run, epoch: int | None):
    """``(net, epoch, line)`` to draw for a rewound epoch, or None for now; ``line`` says what it scored then."""
    if epoch is None:
        return None
    found = rewind.net_at(run, state.snapshots(), epoch)
    if found is None:
        return None
    net, at = found
    history = net.history
    parts = [f"Epoch {at:,} of {run.epochs:,}"]
    if at:
        parts.append(f"training loss {history.loss[-1]:.4g}")
        if history.val_loss:
            parts.append(f"validation loss {history.val_loss[-1]:.4g}")
    test = run.split[2]
    if len(test) and run.dataset.problem_type != "regression":
        X = run.model.preprocessing.transform(run.dataset.X[test])
        parts.append(f"test accuracy {float(np.mean(net.predict(X) == run.dataset.y[test])):.3f}")
    return net, at, " · ".join(parts)
