"""Share & compare: a link that reproduces the experiment, the model as a file or as code, every run side by side.

Layout only: links, files and the run table come from ``ui.sharing``, the
overlaid loss curves from ``ui.charts.compare``. Names from a user's file
(data set, columns, classes, run labels) are shown with ``st.text``,
``st.dataframe``, widget options or chart text, and escaped inside ``st.error``.
"""

import streamlit as st

from ui import display, sharing, state
from ui.charts import compare
from ui.explore import escape_markdown
from ui.runs import MAX_RUNS
from ui.settings import DataSpec, TrainConfig


def activate() -> None:
    """Make the picked run active again, with its settings, so Train and the link show them."""
    run = next((r for r in state.runs() if r.id == state.setting(state.COMPARE_PICK)), None)
    if run is None:
        return
    state.set_active_run(run.id)
    state.apply_config(run.config)
    if isinstance(run.data_spec, DataSpec) and run.data_spec.source != "upload":
        state.apply_data_spec(run.data_spec)  # an upload stays as it is: it cannot be re-read from a spec


def toggle_pin() -> None:
    picked = state.setting(state.COMPARE_PICK)
    run = next((r for r in state.runs() if r.id == picked), None)
    if run is not None:
        sharing.set_pinned(state.runs(), picked, not run.pinned)


def take_model_file() -> None:
    """A model file was chosen: it becomes a new active run (once per file), or the reason is kept."""
    file = st.session_state.get(state.MODEL_FILE)
    outcome = state.model_upload_outcome()
    if file is None or (outcome is not None and outcome[0] == file.file_id):
        return
    try:
        settings = state.train_config()
    except ValueError:
        settings = TrainConfig()  # an unparsable hidden-layers text: the file brings its own layers anyway
    try:
        model = sharing.read_model_file(file.getvalue())
        ds = state.dataset()
        if ds is None:
            raise ValueError("There is no active data set: pick the model's data on Explore data first.")
        run = sharing.run_from_model(model, state.next_run_id(), ds, state.active_spec(), settings)
    except ValueError as exc:
        state.set_model_upload_outcome(file.file_id, "error", f"{file.name}: {exc} The current model stays active.")
        return
    state.add_run(run)
    state.apply_config(run.config)
    state.set_model_upload_outcome(
        file.file_id, "success",
        f"{file.name} is now {run.label}, the active model: predict with it, or continue training it on Train.")


st.title("Share & compare")
st.markdown("Send someone your exact experiment, keep your model as a file or as code, and compare your runs.")

# ------------------------------------------------------------------- 1. link
st.header("1. Share this experiment", divider="gray")
state.fit_choice(state.SHARE_TARGET, list(sharing.LINK_TARGETS), next(iter(sharing.LINK_TARGETS)))
target = st.radio("The link opens", list(sharing.LINK_TARGETS), format_func=sharing.LINK_TARGETS.get,
                  horizontal=True, key=state.SHARE_TARGET)
params = state.shareable_params()
st.code(sharing.share_link(st.context.url, params, target), language=None, wrap_lines=True)
st.caption("Copy it with the button at the right of the box. The link holds the data source with its parameters "
           "and every training setting, and this tab's address carries them too, on every page. Whoever opens "
           "it gets the same data and settings; pressing **Train** there gives the same loss curve, to the last "
           "digit (every random draw is seeded). Trained weights do not travel in a link: share the model file "
           "below for that. A teacher can send one link so the whole class starts from the same experiment.")
if state.setting(state.SOURCE) == "upload":
    st.warning("Your data is an uploaded file, and a file cannot travel in a link: the link carries the "
               "training settings only and opens on a bundled data set instead. Send the file along; once it is "
               "uploaded on Explore data with the same target and features, Train gives the same run.")
active = state.active_run()
if active is not None and active.timeline:
    st.info("The active run was steered while it trained (" + "; ".join(c.describe() for c in active.timeline)
            + "). A link carries one value per setting, so it opens with the settings the run has now and "
            "cannot replay those changes. The model file below keeps the weights they led to; the timeline "
            "itself is shown in the run table.")
with st.expander("What the link holds"):
    st.dataframe(sharing.link_settings_table(params), hide_index=True)

# ------------------------------------------------------------------ 2. keep
st.header("2. Keep the model and the data", divider="gray")
run = state.active_run()
ds = state.dataset()
if run is None:
    st.info("No model yet: train one on the Train page, or upload a model file below.")
else:
    st.text(f"Active model: {run.label} · {run.epochs:,} epochs trained")
    model_col, code_col = st.columns(2)
    model_col.download_button("Download the model (JSON)", data=lambda: sharing.model_json(run),
                              file_name=sharing.model_file_name(run), mime="application/json",
                              key=state.DOWNLOAD_MODEL, on_click="ignore", icon=":material/download:")
    model_col.caption("The engine's own readable file: weights, preprocessing and loss history. Upload it "
                      "here later to continue training it or to predict with it.")
    code_col.download_button("Export as Python code", data=lambda: sharing.model_code(run),
                             file_name=sharing.code_file_name(run), mime="text/x-python",
                             key=state.DOWNLOAD_CODE, on_click="ignore", icon=":material/code:")
    code_col.caption("One standalone file that needs only NumPy, with the weights and preprocessing inside. "
                     "`python file.py data.csv > predictions.csv` predicts from raw columns, as the app does.")

st.file_uploader("Upload a model file (.json) to continue training it or to predict with it", type=["json"],
                 key=state.MODEL_FILE, on_change=take_model_file,
                 help="A file downloaded here. Its columns (and classes) must match the active data set.")
file = st.session_state.get(state.MODEL_FILE)
if file is not None:
    take_model_file()  # in case the change arrived without its callback (the first file of a session)
    outcome = state.model_upload_outcome()
    if outcome is not None and outcome[0] == file.file_id:
        (st.success if outcome[1] == "success" else st.error)(escape_markdown(outcome[2]))

if ds is not None:
    st.download_button("Download the data (CSV)", data=lambda: sharing.data_csv(ds),
                       file_name=sharing.data_file_name(ds), mime="text/csv", key=state.DOWNLOAD_DATA,
                       on_click="ignore", icon=":material/table:")
    st.caption("The active data set as the network sees it: the generated points, or your file after "
               "cleaning (rows dropped, text columns encoded), with the target as the last column.")

# --------------------------------------------------------------- 3. compare
st.header("3. Compare runs", divider="gray")
runs = state.runs()
if not runs:
    st.info("No runs yet: each press of Train on the Train page adds one here.")
    st.stop()
active = state.active_run()
st.dataframe(sharing.run_rows(runs, active.id if active else None), hide_index=True, column_config={
    "lr": st.column_config.NumberColumn(format="%g"),
    **{c: st.column_config.NumberColumn(format="%.4f") for c in ("final train loss", "final val loss",
                                                                  "held-out metric")},
})
st.caption(f"{len(runs)} run(s) kept. A session keeps at most {MAX_RUNS}: a new run beyond that drops the "
           "oldest run that is not pinned.")
dropped = state.dropped_runs()
if dropped:
    st.warning(f"{len(dropped)} older run(s) were dropped to stay within {MAX_RUNS}:")
    st.text("\n".join(dropped))

labels = {r.id: r.label for r in runs}
ids = list(labels)
state.fit_choice(state.COMPARE_PICK, ids, active.id if active else ids[-1])
pick_col, activate_col, pin_col = st.columns([4, 1, 1], vertical_alignment="bottom")
picked = pick_col.selectbox("Run", ids, format_func=labels.get, key=state.COMPARE_PICK)
picked_run = next(r for r in runs if r.id == picked)
activate_col.button("Make active", key=state.COMPARE_ACTIVATE, on_click=activate, width="stretch",
                    disabled=active is not None and picked == active.id,
                    help="Show this run on every page; its settings (and data) become the current ones.")
pin_col.button("Unpin" if picked_run.pinned else "Pin", key=state.COMPARE_PIN, on_click=toggle_pin,
               width="stretch", help="A pinned run is never dropped to make room for new ones.")

state.fit_choice(state.COMPARE_RUNS, ids, ids[-3:])
state.fit_choice(state.COMPARE_LOG, (True, False), False)
curve_col, log_col = st.columns([5, 1], vertical_alignment="bottom")
shown = curve_col.multiselect("Loss curves to overlay", ids, format_func=labels.get, key=state.COMPARE_RUNS,
                              max_selections=10)
log = log_col.toggle("Log scale", key=state.COMPARE_LOG)
chosen = [r for r in runs if r.id in shown]
if chosen:
    frame, step = compare.compare_frame(chosen)
    display.chart(st, compare.compare_chart(
        frame, run_names=[compare.run_name(r) for r in chosen], x_max=max(r.epochs for r in chosen),
        y_domain=compare.compare_y_domain(frame, log), log=log, step=step), width="stretch")
    st.caption("Losses compare only between runs on the same data: a regression's squared error and a "
               "classifier's cross-entropy are different units.")
