"""Explore data: pick a data set, look at it, then go and train.

Layout only: summaries come from ``ui.explore`` (memoised per data set in
this session), charts from ``ui.charts.explore``. Strings from a user's file
(names, values, the loader's report) are shown with ``st.text``,
``st.dataframe``, chart titles or widget options, never as Markdown.
"""

from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from nn_core.cost import MB
from nn_core.data import BUNDLED, GENERATORS
from nn_core.data.csv import MAX_BYTES
from nn_core.features import DERIVED_FEATURES, derived_names
from ui import data_sources, display, explore, settings, state
from ui.charts import explore as charts


def keep(key: str) -> dict:
    """Widget arguments for a setting that survives a page switch (its default comes from state.init)."""
    return {"key": key, "persist_state": "session"}


def on_upload() -> None:
    """Parse a newly chosen file before the entry syncs the data, so the sidebar shows it at once."""
    file = st.session_state.get(state.UPLOAD_FILE)
    if isinstance(file, UploadedFile):  # not None, nor a file removed from the server
        state.set_upload(file.name, file.getvalue())


def on_generator() -> None:
    """Only spirals and blobs take more than two classes: reset before the entry loads the data."""
    if not GENERATORS[state.setting(state.GENERATOR)].supports_classes:
        state.set_setting(state.CLASSES, 2)


entry_spec = state.active_spec()  # what the entry loaded, and the sidebar shows
st.title("Explore data")
st.markdown("Pick a data set, look at it the way you would before training, then train a network on it.")

# --------------------------------------------------------------- 1. pick data
st.header("1. Pick data", divider="gray")
source = st.radio("Data source", data_sources.SOURCES, format_func=data_sources.SOURCE_LABELS.get,
                  horizontal=True, **keep(state.SOURCE))

if source == "bundled":
    name = st.selectbox("Data set", list(BUNDLED), format_func=lambda k: BUNDLED[k].label, **keep(state.BUNDLED))
    st.markdown(BUNDLED[name].description)
    st.caption(f"Source and licence: {BUNDLED[name].source}")
elif source == "generated":
    gen = st.selectbox("Pattern", list(GENERATORS), format_func=lambda k: GENERATORS[k].label,
                       on_change=on_generator, **keep(state.GENERATOR))
    st.caption(GENERATORS[gen].description)
    on_generator()  # a shared link may ask for moons with 3 classes
    cols = st.columns(4 if GENERATORS[gen].supports_classes else 3)
    cols[0].slider("Points", *settings.RANGES[state.N_POINTS], step=10, **keep(state.N_POINTS))
    cols[1].slider("Noise", *settings.RANGES[state.NOISE], step=0.05,
                   help="How much the classes overlap (0 = a clean pattern).", **keep(state.NOISE))
    cols[2].number_input("Seed", *settings.RANGES[state.DATA_SEED], step=1, help="Same seed, same points.",
                         **keep(state.DATA_SEED))
    if GENERATORS[gen].supports_classes:
        cols[3].slider("Classes", *settings.RANGES[state.CLASSES], **keep(state.CLASSES))
else:
    st.file_uploader("CSV file", key=state.UPLOAD_FILE, on_change=on_upload,
                     max_upload_size=MAX_BYTES // MB, help="Comma, semicolon, tab or pipe separated; up to 200,000 rows.")
    upload = state.upload()
    if upload is None and st.session_state.get(state.UPLOAD_FILE) is None:
        st.info("Upload a CSV file: one row per example, one column per measurement, and a column to predict. "
                "Until then, the data set below stays active.")
    elif upload is not None:
        st.text(f"Active file: {upload.id}")
        frame = upload.frame
        columns = [str(c) for c in frame.columns]
        state.fit_choice(state.TARGET, columns, columns[-1])
        top, bottom = st.columns(2), st.columns(2)
        target = top[0].selectbox("Target column (what to predict)", columns, **keep(state.TARGET))
        top[1].radio("Missing values", ["drop", "median"], horizontal=True, **keep(state.MISSING),
                     format_func={"drop": "Drop rows that have one",
                                  "median": "Fill with the training median"}.get)
        text_columns = [c for c in columns if c != target and not pd.api.types.is_numeric_dtype(frame[c])]
        state.fit_choice(state.ONE_HOT, text_columns, [])
        one_hot = bottom[0].multiselect("One-hot encode these text columns (one 0/1 input per value)",
                                        text_columns, **keep(state.ONE_HOT))
        numeric = [c for c in columns if c != target and c not in text_columns]
        encoded = [n for c in one_hot for n in upload.report.one_hot.get(c, [])]
        state.fit_choice(state.FEATURES, numeric + encoded, [])
        bottom[1].multiselect("Input features (none chosen = every numeric column)", numeric + encoded,
                              **keep(state.FEATURES))

state.sync_dataset()
ds = state.dataset()

left, right = st.columns([2, 1])
if ds is not None and ds.n_features >= 2:
    left.multiselect("Derived input features (built from the first two features)", DERIVED_FEATURES,
                     format_func=lambda d: derived_names(ds.feature_names, [d])[0], **keep(state.DERIVED))
    left.caption("A network's first layer draws straight lines through its inputs: with x1² and x2² as extra "
                 "inputs, a circle becomes a straight line, so the circles set is separable without a hidden layer.")
right.selectbox("Problem type", settings.PROBLEMS, **keep(state.PROBLEM),
                format_func=lambda p: "auto (inferred from the target)" if p == "auto" else explore.PROBLEM_LABELS[p])

state.sync_dataset()
if source == "upload" and state.upload() is None and not state.data_error():
    on_upload()  # a refused first file: syncing (nothing uploaded yet) forgot why, so say it again
    if state.upload() is not None:
        state.sync_dataset()
if state.active_spec() != entry_spec and not state.data_error():
    st.rerun()  # this page changed the data (a setting it had to fix): redraw the sidebar too
ds = state.dataset()
if state.data_error():
    st.error(explore.escape_markdown(state.data_error()))
    if ds is not None:
        st.warning("The previous data set stays active (see the sidebar).")
if ds is None:
    st.stop()

# ------------------------------------------------------------ 2. look at it
spec = state.active_spec()
derived = tuple(spec.derived)
upload = state.upload() if spec.source == "upload" else None
st.header("2. Look at it", divider="gray")
st.text(spec.title)


def inferred_problem(_ds) -> str | None:
    """The problem type "auto" would pick for this data (to show next to an override)."""
    try:
        return data_sources.load(replace(spec, problem="auto", features=()),
                                 upload.frame if upload is not None else None).problem_type
    except ValueError:
        return None


features = state.dataset_memo(("features", derived), lambda d: explore.feature_frame(d, derived))
table = state.dataset_memo(("table", derived), lambda d: explore.data_table(d, derived))
cols = st.columns(4)
cols[0].metric("Rows", f"{ds.n_samples:,}")
cols[1].metric("Input features", f"{features.shape[1]}")
cols[2].metric("Problem", explore.PROBLEM_SHORT[ds.problem_type])
cols[3].metric("Classes", f"{ds.n_classes}" if ds.n_classes else "none (a number)")
inferred = ds.problem_type if spec.problem == "auto" else state.dataset_memo("inferred", inferred_problem)
st.caption("Problem type: " + explore.problem_sentence(ds, spec.problem, inferred) + ".")

report = list(upload.report.messages()) if upload is not None else []
if report or ds.notes:
    st.subheader("What the loader did")
    st.text("\n".join(report + list(ds.notes)))

st.subheader("First rows")
st.dataframe(explore.preview(table), height=240)
if ds.n_samples > explore.PREVIEW_ROWS:
    st.caption(f"The first {explore.PREVIEW_ROWS:,} of {ds.n_samples:,} rows.")

st.subheader("Columns")
if upload is not None:
    roles = explore.upload_roles(upload.frame, spec.target, spec.features, spec.one_hot)
    summary = state.dataset_memo("summary", lambda d: explore.column_summary(upload.frame, roles))
else:
    summary = state.dataset_memo(("summary", derived),
                                 lambda d: explore.column_summary(table, explore.dataset_roles(d, table)))
st.dataframe(summary, hide_index=True, column_config={
    "missing %": st.column_config.NumberColumn(format="%.1f"),
    **{c: st.column_config.NumberColumn(format="%.4g") for c in ("mean", "std", "min", "25%", "median", "75%", "max")},
})

st.subheader("The target")
if ds.class_names is not None:
    balance = state.dataset_memo("balance", explore.class_balance)
    display.chart(st, charts.class_balance_chart(balance, title=f"Class balance of {ds.target_name}"), width="stretch")
else:
    bins = state.dataset_memo("target_bins", explore.target_histogram)
    display.chart(st, charts.target_histogram_chart(bins, target_title=ds.target_name), width="stretch")

st.subheader("Each feature, split by " + ("class" if ds.class_names is not None else "target third"))
names = [str(c) for c in features.columns]
state.fit_choice(state.EXPLORE_HIST, names, names[: explore.DEFAULT_HISTOGRAMS])
shown = st.multiselect("Features to show", names, max_selections=explore.MAX_HISTOGRAMS,
                       **keep(state.EXPLORE_HIST))
if shown:
    groups, group_names = state.dataset_memo("groups", explore.target_groups)
    hist = state.dataset_memo(("hist", derived, tuple(shown)),
                              lambda d: explore.histograms(features[shown], groups, group_names))
    display.chart(st, charts.histograms_chart(hist, group_names, group_title="Class" if ds.class_names else "Target"),
                  width="content")

st.subheader("Two features against each other")
state.fit_choice(state.EXPLORE_X, names, names[0])
state.fit_choice(state.EXPLORE_Y, names, names[1] if len(names) > 1 else names[0])
cx, cy = st.columns(2)
x_name = cx.selectbox("Horizontal axis", names, **keep(state.EXPLORE_X))
y_name = cy.selectbox("Vertical axis", names, **keep(state.EXPLORE_Y))
display.chart(st, charts.scatter_chart(
    features[x_name].to_numpy(), features[y_name].to_numpy(), explore.target_values(ds),
    x_title=x_name, y_title=y_name, color_title=ds.target_name, class_names=ds.class_names,
), width="stretch")

if len(names) > 2:
    st.subheader("Correlations")
    corr, order = state.dataset_memo(("corr", derived), lambda d: explore.correlations(features, d))
    note = (f"the first {explore.MAX_HEATMAP_FEATURES} of {len(names)} features"
            if len(names) > explore.MAX_HEATMAP_FEATURES else "")
    display.chart(st, charts.correlation_chart(corr, order, note=note), width="content")
    st.caption("Pearson r: +1 rise together, -1 one falls as the other rises, 0 no straight-line relation. "
               "Two features near ±1 carry the same information.")

# ------------------------------------------------------------------ 3. next
st.header("3. Next", divider="gray")
st.page_link("views/train.py", label="Next: Train a network on this data", icon=":material/model_training:")
