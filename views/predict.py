"""Predict: ask the trained model what-if questions, in the data's own units.

The story: set a point (sliders, exact numbers, a row of the data, or a click
on the boundary chart), read the prediction, see what would change the
decision (up to three options, drawn on the boundary chart), which inputs
matter at that point and why the output is what it is (attributions that add
up), how each input moves the model overall, then predict a whole file.
The what-if values live in ``ui.state`` per run; the widgets only show them.
"""

from functools import partial

import streamlit as st

from ui import display, explanations, guards, state, whatif
from ui.boundary import boundary_chart, held_note
from ui.charts import explain as explain_charts
from ui.charts import predict as charts
from ui.charts.boundary import SELECTION
from ui.explore import escape_markdown

MEASURE_LABELS = {"per_std": "per standard deviation", "per_unit": "per unit of the feature"}


def move_to(run, values: dict[int, float], *, keep: str | None = None) -> None:
    """Move the what-if point, and the inputs that show it, to ``values``.

    The inputs' keys are written here, in the callbacks that move the point,
    never on every run: a run in flight would push an older value back into a
    slider the user is still moving. ``keep`` names a key not to write (the
    widget that made the change already shows it).
    """
    state.whatif_point(run).update(values)
    for j, value in values.items():
        for key in (state.whatif_key(run.id, j), state.whatif_number_key(run.id, j)):
            if key != keep:
                state.set_setting(key, value)


def slider_moved(run, spec: whatif.InputSpec) -> None:
    slider_key = state.whatif_key(run.id, spec.feature)
    move_to(run, {spec.feature: spec.clamp(state.setting(slider_key))}, keep=slider_key)


def number_typed(run, spec: whatif.InputSpec) -> None:
    """The exact box changed: the point follows, unless the slider moved in this same rerun.

    Quick slider moves send the box's older value along with the slider's new
    one (the box has not heard of the last move yet); the slider then wins, so
    a stale box never moves the point back, whichever callback runs first. The
    slider's key is written only when the box really moved the point: writing
    it pushes the value to the browser, and an older value would undo a key
    press the user has made since.
    """
    slider_key = state.whatif_key(run.id, spec.feature)
    number_key = state.whatif_number_key(run.id, spec.feature)
    kept = state.whatif_point(run).get(spec.feature)
    slider, number = spec.clamp(state.setting(slider_key)), spec.clamp(state.setting(number_key))
    if slider != kept:
        move_to(run, {spec.feature: slider}, keep=slider_key)
    elif number != kept:
        move_to(run, {spec.feature: number}, keep=number_key)


def start_from_row(run) -> None:
    move_to(run, whatif.row_point(run, int(state.setting(state.WHATIF_ROW))))


def pick_on_chart(run, x: int, y: int, specs: list[whatif.InputSpec]) -> None:
    """A click on the boundary chart: the clicked cell becomes the point's two axis values."""
    point = state.whatif_point(run)
    picked = whatif.selection_to_point(state.setting(state.WHATIF_PICK), point, x, y, specs)
    move_to(run, {j: picked[j] for j in (x, y)})


st.title("Predict: what if?")
run = guards.active_run_or_stop("here to ask it what-if questions")

ds = run.dataset
names = ds.feature_names
problem = ds.problem_type
st.text(f"Model: {run.label}")
if run.epochs == 0:
    st.warning("This model has not been trained yet: its answers are those of random weights.")

specs = whatif.input_specs(run)
point = state.whatif_point(run)
point.update(whatif.complete_point(run, point, specs))

# ------------------------------------------------------------ the what-if point
st.header("Your what-if point")
inputs, answer = st.columns([3, 2], gap="large")
with inputs:
    pick, use, reset = st.columns([2, 1, 1], vertical_alignment="bottom")
    pick.number_input("Start from row", min_value=0, max_value=ds.n_samples - 1, step=1,
                      key=state.WHATIF_ROW, persist_state="session", on_change=start_from_row, args=(run,))
    use.button("Use this row", key=state.WHATIF_USE_ROW, on_click=start_from_row, args=(run,))
    reset.button("Medians", key=state.WHATIF_RESET, help="Every feature at its training median.",
                 on_click=move_to, args=(run, whatif.median_point(run)))
    st.text(whatif.row_caption(run, int(state.setting(state.WHATIF_ROW)), point))
    box = st.container(height=460) if len(specs) > 6 else st.container()
    for spec in specs:
        slider_key = state.whatif_key(run.id, spec.feature)
        number_key = state.whatif_number_key(run.id, spec.feature)
        state.init_setting(slider_key, point[spec.feature])  # first show; then only callbacks move them
        state.init_setting(number_key, point[spec.feature])
        box.text(spec.name)
        slide, exact = box.columns([3, 1])
        bounds = dict(min_value=spec.lo, max_value=spec.hi, step=spec.step, format=spec.fmt,
                      label_visibility="collapsed")
        slide.slider(f"Feature {spec.feature + 1}", key=slider_key, on_change=slider_moved,
                     args=(run, spec), **bounds)
        exact.number_input(f"Feature {spec.feature + 1} (exact)", key=number_key, on_change=number_typed,
                           args=(run, spec), **bounds)

prediction = whatif.predict_point(run, point)
with answer:
    if problem == "regression":
        st.metric("Predicted value", f"{prediction.output:.4g}")
        st.text(f"predicted {ds.target_name}")
    else:
        label = "Probability of the positive class" if problem == "binary" else "Probability of the predicted class"
        st.metric(label, f"{prediction.output:.3f}")
        shown = f"{whatif.output_label(run, None)} = {prediction.output:.3f} · " if problem == "binary" else ""
        st.text(f"{shown}predicted class: {prediction.class_name}")
        display.chart(st, charts.probability_bars(ds.class_names, prediction.probabilities,
                                                  prediction.class_index), width="stretch")

# ------------------------------------------------------------ what would change the decision
options = []
if problem != "regression":
    st.header("What would change the decision?")
    inputs_named = explanations.input_names(run)
    state.fit_choice(state.WHATIF_LOCKED, inputs_named, [])
    locked = st.multiselect("Keep these inputs as they are", inputs_named, key=state.WHATIF_LOCKED,
                            help="The options below never change a locked input.")
    options = explanations.counterfactual_options(run, point, locked)
    if not options:
        st.info("No change within the data's observed ranges flips the predicted class"
                + (" with the locked inputs kept." if locked else "."))
    for number, option in enumerate(options, start=1):
        st.text(explanations.option_title(run, number, option) + "\n  "
                + "\n  ".join(explanations.option_lines(run, option)))
        st.button(f"Move the what-if point to option {number}", key=state.whatif_option_key(number),
                  on_click=move_to, args=(run, explanations.option_target(option)))
    if options:
        st.caption("Each option is checked by running the model on it. Fewest changes first; values stay "
                   "within the training data's range, whole numbers whole and categories whole.")

# ------------------------------------------------------------ the boundary chart
if len(names) >= 2:
    st.header("Where the point sits")
    x_feature, y_feature = 0, 1
    if len(names) > 2:
        state.fit_choice(state.WHATIF_X, range(len(names)), 0)
        state.fit_choice(state.WHATIF_Y, range(len(names)), 1)
        left, right = st.columns(2)
        x_feature = left.selectbox("Horizontal axis", range(len(names)), format_func=names.__getitem__,
                                   key=state.WHATIF_X)
        y_feature = right.selectbox("Vertical axis", range(len(names)), format_func=names.__getitem__,
                                    key=state.WHATIF_Y)
    if x_feature == y_feature:
        st.warning("Choose two different features for the axes.")
    else:
        st.caption("Click the chart to move the what-if point (the cross) there."
                   + (" Dashed paths lead to the options above (an option that changes only inputs off "
                      "these axes ends at the cross)." if options else ""))
        paths = explanations.option_paths(options, point, x_feature, y_feature)
        try:
            chart = boundary_chart(run, x_feature, y_feature, whatif=point, selectable=True, paths=paths)
        except ValueError as exc:  # the grid is past the memory budget
            st.error(escape_markdown(str(exc)))
        else:
            display.chart(st, chart, width="stretch", key=state.WHATIF_PICK, selection_mode=SELECTION,
                          on_select=partial(pick_on_chart, run, x_feature, y_feature, specs))
        note = held_note(run, x_feature, y_feature, point)
        if note:
            st.text(note)

# ------------------------------------------------------------ what matters here
st.header("Which inputs matter here")
left, right = st.columns(2)
measure = left.radio("Show the change", list(MEASURE_LABELS), format_func=MEASURE_LABELS.__getitem__,
                     key=state.WHATIF_MEASURE, horizontal=True)
chosen = None
if problem == "multiclass":
    chosen = right.selectbox("Explain the probability of", [-1, *range(ds.n_classes)], key=state.WHATIF_CLASS,
                             format_func=lambda c: "the predicted class" if c < 0 else ds.class_names[c])
explained = whatif.explained_class(run, point, chosen)
output_label = whatif.output_label(run, explained)
sensitivity = whatif.sensitivity_frame(run, point, explained)
display.chart(st, charts.sensitivity_bars(sensitivity, measure, output_label), width="stretch")
st.caption("The slope of the output at this point: how much it changes for a small step in one feature, "
           "the others held. Per standard deviation compares features measured in different units.")

swept = whatif.top_features(sensitivity)
sweeps = whatif.sweep_frame(run, point, swept, specs, explained)
series = ds.class_names if problem == "multiclass" else [output_label]
display.chart(st, charts.sweep_curves(
    sweeps, swept, point,
    whatif.output_domain(run, sweeps["output"].to_numpy()), series,
    "probability" if problem == "multiclass" else output_label,
    threshold=0.5 if problem == "binary" else None))
if len(names) > len(swept):
    st.caption(f"The {len(swept)} features that matter most at this point, of {len(names)}.")

# ------------------------------------------------------------ why: attributions that add up
frame, attribution = explanations.attributions(run, point, explained)
display.chart(st, explain_charts.attribution_bars(frame, output_label), width="stretch")
st.text(explanations.baseline_sentence(frame, attribution, output_label))
st.caption("Each bar is an input's share of the change from a baseline (every number at its training "
           "median, every category at its most frequent value; each label reads baseline -> here) to this "
           "point. Unlike the slopes above, the shares add up to the whole change.")

# ------------------------------------------------------------ how each input moves the model overall
st.header("How each input moves the model overall")
inputs_named = explanations.input_names(run)
state.fit_choice(state.WHATIF_PD_INPUT, range(len(inputs_named)), 0)
pd_input = st.selectbox("Input", range(len(inputs_named)), format_func=inputs_named.__getitem__,
                        key=state.WHATIF_PD_INPUT)
pd_frame = explanations.partial_dependence_frame(run, pd_input, explained)
display.chart(st, explain_charts.partial_dependence_chart(
    pd_frame, inputs_named[pd_input], output_label, whatif.output_domain(run, pd_frame["output"].to_numpy()),
    categorical=isinstance(pd_frame["value"].iloc[0], str)), width="stretch")

# ------------------------------------------------------------ batch prediction
st.header("Predict a whole file")
st.text("The file needs the model's feature columns: " + ", ".join(names))
upload = st.file_uploader("A CSV file with the feature columns", type=["csv", "txt", "tsv"], key=state.BATCH_FILE)
if upload is not None:
    batch_key = (upload.file_id, upload.name, run.id, run.epochs)
    result = state.batch_result(batch_key)
    if result is None:
        try:
            result = whatif.predict_batch(run, upload.getvalue())
        except ValueError as exc:
            result = f"{upload.name}: {exc}"
        state.set_batch_result(batch_key, result)
    if isinstance(result, str):
        st.error(escape_markdown(result))
    else:
        if result.score is not None:
            st.metric(result.score[0], f"{result.score[1]:.3f}")
        st.text("\n".join(result.notes))
        st.dataframe(result.table.head(whatif.MAX_SHOWN_ROWS), hide_index=True)
        if len(result.table) > whatif.MAX_SHOWN_ROWS:
            st.caption(f"Showing the first {whatif.MAX_SHOWN_ROWS:,} of {len(result.table):,} rows; "
                       "the download has them all.")
        st.download_button("Download the predictions (CSV)", result.csv(), file_name="predictions.csv",
                           mime="text/csv", key=state.BATCH_DOWNLOAD)
