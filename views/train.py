"""Train: choose the net and how it learns, press Train, watch it learn, then judge it on held-out rows."""

import streamlit as st

from nn_core.network import count_parameters
from ui import display, judgement, presets, settings, state
from ui import runs as run_ops
from ui.boundary import held_note
from ui.charts import training as charts
from ui.explore import escape_markdown
from ui.live_training import LiveView, output_label, prepare, reset, settle

st.title("Train a network")
dataset = state.dataset()
if dataset is None:
    st.info("There is no data set yet. Pick or upload one on the Explore page first.")
    st.page_link("views/data.py", label="Explore data", icon=":material/table_chart:")
    st.stop()

# ----------------------------------------------------------------- settings
state.fit_train_settings()
state.fit_choice(state.TRAIN_PRESET, presets.PRESET_NAMES, presets.PRESET_NAMES[0])
pick, apply_col = st.columns([4, 1], vertical_alignment="bottom")
preset_name = pick.selectbox("Preset", presets.PRESET_NAMES, key=state.TRAIN_PRESET, persist_state="session")
apply_col.button("Apply preset", key=state.APPLY_PRESET, width="stretch",
                 on_click=lambda: presets.apply(state.setting(state.TRAIN_PRESET)))
st.caption(presets.preset(preset_name).description)

net_col, opt_col, fit_col, reg_col = st.columns(4)
with net_col:
    st.text_input("Hidden layers", key=state.HIDDEN, persist_state="session",
                  help="Neurons per hidden layer, comma-separated, like `8, 8`. Empty or `0`: no hidden "
                       "layer, a single neuron (logistic or linear regression).")
    st.selectbox("Activation (hidden layers)", settings.ACTIVATIONS, key=state.ACTIVATION, persist_state="session")
    st.markdown(f"**Output:** {output_label(dataset.problem_type)}",
                help="Set by the problem type of the data: it is what makes the loss a likelihood.")
with opt_col:
    st.selectbox("Optimizer", settings.OPTIMIZERS, key=state.OPTIMIZER, persist_state="session")
    st.select_slider("Learning rate", settings.LEARNING_RATES, format_func="{:g}".format, key=state.LEARNING_RATE,
                     persist_state="session")
    st.selectbox("Learning-rate schedule", settings.SCHEDULES, key=state.SCHEDULE, persist_state="session")
with fit_col:
    st.number_input("Epochs", *settings.RANGES[state.EPOCHS], step=50, key=state.EPOCHS, persist_state="session",
                    help="Passes over the training rows. Continue adds this many to the active run.")
    st.number_input("Batch size (0 = full batch)", *settings.RANGES[state.BATCH_SIZE], step=16, key=state.BATCH_SIZE,
                    persist_state="session")
    st.number_input("Early-stopping patience (0 = off)", *settings.RANGES[state.PATIENCE], step=5, key=state.PATIENCE,
                    persist_state="session", help="Stop when the validation loss has not improved for "
                    "this many epochs, and keep the best epoch's weights.")
with reg_col:
    st.select_slider("L2 penalty", settings.PENALTIES, format_func="{:g}".format, key=state.L2, persist_state="session")
    st.select_slider("L1 penalty", settings.PENALTIES, format_func="{:g}".format, key=state.L1, persist_state="session")
    val_col, test_col = st.columns(2)
    val_col.slider("Validation", *settings.RANGES[state.VAL_FRACTION], step=0.05, key=state.VAL_FRACTION, persist_state="session")
    test_col.slider("Test", *settings.RANGES[state.TEST_FRACTION], step=0.05, key=state.TEST_FRACTION, persist_state="session")
    seed_col, init_col = st.columns(2)
    seed_col.number_input("Seed", *settings.RANGES[state.TRAIN_SEED], key=state.TRAIN_SEED, persist_state="session")
    init_col.selectbox("Init", settings.INITS, key=state.INIT, persist_state="session")

try:
    config = state.train_config()
except ValueError as exc:
    config = None
    st.error(escape_markdown(f"{exc} Fix the hidden layers to train a new run."))
if config is not None:
    spec = state.active_spec()
    sizes = [dataset.n_features + len(spec.derived if spec else ()), *config.hidden,
             dataset.n_classes if dataset.problem_type == "multiclass" else 1]
    n_params = count_parameters(sizes)
    st.markdown(f"**Net:** {' → '.join(map(str, sizes))} · {n_params:,} parameters"
                + (" · a single neuron" if not config.hidden else ""))
    if n_params > run_ops.MAX_PARAMETERS:
        st.warning(f"This net has {n_params:,} parameters; the app trains at most "
                   f"{run_ops.MAX_PARAMETERS:,}. Use fewer or narrower hidden layers.")

# ------------------------------------------------------------------ actions
active = state.active_run()
b_train, b_cont, b_step, b_reset, b_stop = st.columns(5)
action = None
if b_train.button("Train", key=state.TRAIN_BUTTON, type="primary", width="stretch", disabled=config is None,
                  help="A new run with these settings on the active data set."):
    action = "train"
if b_cont.button(f"Continue +{int(state.setting(state.EPOCHS)):,}", key=state.CONTINUE_BUTTON, width="stretch",
                 disabled=active is None, help="Train the active run for the epochs setting more, "
                 "with the run's own settings."):
    action = "continue"
if b_step.button("Step 1 epoch", key=state.STEP_BUTTON, width="stretch", disabled=active is None):
    action = "step"
b_reset.button("Reset", key=state.RESET_BUTTON, width="stretch", disabled=active is None,
               on_click=lambda: reset(state.active_run()),
               help="Forget what the active run learned: back to its initial weights (same seed and "
                    "split), epoch 0. Other runs stay; Step then replays it epoch by epoch.")
b_stop.button("Stop", key=state.STOP_BUTTON, width="stretch", disabled=action is None,
              help="Stop training; every epoch learned so far is kept.")

training = None
if action is not None:
    dropped_before = len(state.dropped_runs())
    try:
        training = prepare(action)
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
    state.set_dropped_notice(state.dropped_runs()[dropped_before:])
run = state.active_run()
if run is None:
    st.info("Press **Train** to train a first run with these settings.")
    st.stop()

# --------------------------------------------------------------- the run
if training is None:
    settle(run)  # a Stop click's rerun starts while the interrupted loop finishes its epoch
if len(state.runs()) > 1 and training is None:
    state.set_setting(state.SHOWN_RUN, run.id)
    labels = {r.id: r.label for r in state.runs()}
    st.selectbox("Run shown", list(labels), format_func=labels.get, key=state.SHOWN_RUN,
                 on_change=lambda: state.set_active_run(state.setting(state.SHOWN_RUN)))
ds = run.dataset
status = run.history
if status.status == "diverged":
    st.error(escape_markdown(status.message))
elif status.message:  # stopped, early-stopped, or the best epoch's weights restored
    st.info(status.message)
dropped = state.dropped_notice()
if dropped:  # shown while the new run trains and once after; Share & compare lists every dropped run
    st.info(escape_markdown(f"Kept the {run_ops.MAX_RUNS} newest runs (and any pinned): dropped "
                            f"{'; '.join(dropped)}. Pin a run on Share & compare to keep it."))
    if training is None:
        state.set_dropped_notice([])
if config is not None and training is None and run_ops.with_config(run, epochs=config.epochs) != config:
    st.caption("The settings differ from this run's: Continue and Step use the run's own settings; "
               "Train makes a new run with the new ones.")
if run.data_spec != state.active_spec():
    st.caption("This run was trained on another data set than the active one; Train makes a new run on the active data.")

progress = st.empty()
loss_col, boundary_col = st.columns(2)
with loss_col:
    state.fit_choice(state.LOSS_LOG, (True, False), False)
    log = st.toggle("Log scale", key=state.LOSS_LOG, persist_state="session")
    loss_ph = st.empty()
axes, boundary_ph, show_test, discretize = None, None, False, False
with boundary_col:
    if ds.n_features >= 2:
        features = list(range(ds.n_features))
        state.fit_choice(state.BOUNDARY_X, features, 0)
        state.fit_choice(state.BOUNDARY_Y, [j for j in features if j != state.setting(state.BOUNDARY_X)],
                         1 if state.setting(state.BOUNDARY_X) != 1 else 0)
        for key, default in ((state.SHOW_TEST, True), (state.DISCRETIZE, False)):
            state.fit_choice(key, (True, False), default)
        x_col, y_col, t_col = st.columns([2, 2, 2], vertical_alignment="bottom")
        x = x_col.selectbox("x axis", features, format_func=ds.feature_names.__getitem__, key=state.BOUNDARY_X,
                            persist_state="session", disabled=ds.n_features == 2)
        y = y_col.selectbox("y axis", [j for j in features if j != x], format_func=ds.feature_names.__getitem__,
                            key=state.BOUNDARY_Y, persist_state="session", disabled=ds.n_features == 2)
        show_test = t_col.toggle("Show test data", key=state.SHOW_TEST, persist_state="session")
        discretize = t_col.toggle("Discretize output", key=state.DISCRETIZE, persist_state="session")
        axes = (x, y)
        boundary_ph = st.empty()
        if ds.n_features > 2:
            st.text(held_note(run, x, y))
    else:
        st.caption("The decision-boundary map needs at least two features.")
view = LiveView(progress, loss_ph, boundary_ph, axes, log, show_test, discretize)

if training is not None:
    try:
        view.train(*training)
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
    else:
        st.rerun()  # a fresh run draws the final charts, metrics and the sidebar's model
view.draw(run)
if run.epochs == 0:
    st.info("This run is untrained (epoch 0): the map shows its initial weights. Press Step or Continue.")
    st.stop()

# ------------------------------------------------------------- judgement
report = run_ops.evaluate(run)
part, y_true, scores = charts.held_out_scores(run)
base = report["baseline"]
if part == "train":
    st.subheader("How good is it? (on its own training rows)")
    st.warning("This run holds no rows back, so these scores flatter it: set a test or validation share.")
else:
    st.subheader(f"How good is it? On {len(y_true):,} {part} rows it never trained on")
if ds.problem_type == "regression":
    held = report[part]
    cols = st.columns(3)
    num = charts.number
    cols[0].metric("R²", num(held["r2"]), f"{num(held['r2'] - base['r2'], signed=True)} vs baseline",
                   help="1 = perfect; 0 = no better than always predicting the training mean.")
    for col, name, key in ((cols[1], "MAE", "mae"), (cols[2], "RMSE", "rmse")):
        col.metric(name, num(held[key], 4), f"{num(held[key] - base[key], 4, signed=True)} vs baseline",
                   delta_color="inverse")
    st.text(f"Baseline: always predict the training mean, {base['value']:.4g}.")
    display.chart(st, charts.predicted_actual_chart(y_true, scores, ds.target_name), width="content")
else:
    binary = ds.problem_type == "binary"
    held = report[part]
    if binary:
        state.fit_choice(state.THRESHOLD, charts.THRESHOLDS, 0.5)
        threshold = st.select_slider("Decision threshold: predict class 1 when P(class 1) ≥", charts.THRESHOLDS,
                                     key=state.THRESHOLD, persist_state="session")
        held = charts.threshold_report(y_true, scores, threshold)
    lo, hi = held["accuracy_interval"]
    which = "class 1" if binary else "macro average"
    cols = st.columns(5)
    cols[0].metric("Accuracy", f"{held['accuracy']:.3f}", f"{held['accuracy'] - base['accuracy']:+.3f} vs baseline",
                   help=f"95% Wilson interval {lo:.3f} to {hi:.3f} on {held['n']:,} rows.")
    for col, name, key in ((cols[1], "Precision", "precision"), (cols[2], "Recall", "recall"), (cols[3], "F1", "f1")):
        col.metric(f"{name} ({which})", f"{held[f'{key}_pos' if binary else f'macro_{key}']:.3f}")
    cols[4].metric("ROC AUC" if binary else "ROC AUC (one-vs-rest)", f"{report[part]['roc_auc']:.3f}")
    st.text(f"Accuracy 95% interval: {lo:.3f} to {hi:.3f}.  Baseline: always predict "
            f"'{base['class']}', accuracy {base['accuracy']:.3f}."
            + (f"  Class 1 is '{ds.class_names[1]}'." if binary else ""))
    cm_col, roc_col = st.columns(2)
    picked = display.chart(cm_col, charts.confusion_chart(held["confusion_matrix"], ds.class_names, selectable=True),
                           width="content", key=state.CONFUSION_PICK, on_select="rerun", selection_mode=charts.CELL)
    point = charts.roc_point(y_true, scores, threshold) if binary else None
    roc = charts.roc_chart(charts.roc_frame(y_true, scores, ds.class_names), auc=report[part]["roc_auc"],
                           class_names=ds.class_names, multiclass=not binary, point=point)
    display.chart(roc_col, roc, width="content")
    cell = judgement.picked_cell(picked)
    if cell is None:
        st.caption("Click a cell of the confusion matrix to list its rows.")
    else:
        st.text(f"The {part} rows that are {cell[0]} and were predicted {cell[1]}:")
        st.dataframe(judgement.cell_rows(run, *cell, scores, threshold if binary else 0.5), hide_index=True)
    calibration, ece = charts.calibration_frame(y_true, scores)
    display.chart(st, charts.calibration_chart(calibration, ece, binary), width="content")
    st.caption(f"Expected calibration error {ece:.3f} on {len(y_true):,} {part} rows (10 equal bins): the average "
               "gap between the predicted probability and how often it came true, weighted by the rows per bin.")
with st.expander("Train vs validation vs test"):
    st.dataframe(charts.parts_table(report, ds.problem_type), width="stretch")
    st.caption("A much better score on train than on validation or test means the net memorised its rows.")
