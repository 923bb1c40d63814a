"""Inside the network: the diagram, every neuron's map, a weight edited by hand, per-layer
statistics and the gradient check, for the active run, stepped an epoch at a time."""

import streamlit as st

from nn_core.gradcheck import PASS_THRESHOLD
from ui import display, guards, hands_on, inside, state
from ui.boundary import boundary_chart, held_note, points_for
from ui.charts import inside as charts
from ui.explore import escape_markdown
from ui.live_training import train_with_redraws
from ui.runs import train

st.title("Inside the network")
st.markdown("No black box: every weight, bias and neuron of the trained net, drawn from the very "
            "arrays it computes with. Step it one epoch at a time and watch them move.")
run = guards.active_run_or_stop("to look inside")
ds, net = run.dataset, run.net
header = st.empty()  # redrawn with every epoch Play trains, so it names the epoch the pictures show
header.text(f"{run.label} · {run.epochs:,} epochs trained")
st.page_link("views/playground.py", label="Watch it learn live, every neuron in the diagram: Playground",
             icon=":material/play_circle:")

# ------------------------------------------------------------ train a little more
step_col, play_col, info_col = st.columns([1, 1, 3], vertical_alignment="center")
progress = info_col.empty()
play = play_col.button("Play 10 epochs", key=state.INSIDE_PLAY, width="stretch")
if step_col.button("Step 1 epoch", key=state.INSIDE_STEP, width="stretch"):
    try:
        train(run, 1)
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
    else:
        st.rerun()  # so the sidebar and every view show the new epoch
if run.history.status == "diverged":
    st.warning(run.history.message)

# ------------------------------------------------------------ the plane the maps live on
has_plane = ds.n_features >= 2
x_feature, y_feature = 0, 1
if ds.n_features > 2:
    features = list(range(ds.n_features))
    x_col, y_col = st.columns(2)
    state.fit_choice(state.INSIDE_X, features, 0)
    x_feature = x_col.selectbox("x axis (maps, boundary)", features, format_func=ds.feature_names.__getitem__,
                                key=state.INSIDE_X, persist_state="session")
    others = [j for j in features if j != x_feature]
    state.fit_choice(state.INSIDE_Y, others, others[0])
    y_feature = y_col.selectbox("y axis (maps, boundary)", others, format_func=ds.feature_names.__getitem__,
                                key=state.INSIDE_Y, persist_state="session")
x_name = ds.feature_names[x_feature]
y_name = ds.feature_names[y_feature] if has_plane else ""

tab_net, tab_maps, tab_edit, tab_stats, tab_check = st.tabs(
    ["Network", "Neuron maps", "Edit a weight", "Layer statistics", "Gradient check"])

with tab_net:
    diagram_slot = st.empty()
    st.caption("Lines are weights: blue positive, vermillion negative, thicker for a larger |weight|. "
               "A neuron's fill is its bias. Hover for the values.")
    note_slot = st.empty()


def draw_diagram() -> None:
    drawn = inside.diagram(run)
    display.chart(diagram_slot, charts.diagram_chart(drawn), width="stretch")
    if drawn.hidden_units:
        note_slot.text(inside.diagram_note(drawn))


def maps_or_error(**options) -> inside.NeuronMaps | None:
    """The neuron maps, or None after saying in one sentence why not (past the memory budget)."""
    try:
        return inside.neuron_maps(run, x_feature, y_feature, **options)
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
        return None


with tab_maps:
    maps_slot = st.empty()
    large = None
    if has_plane:
        st.caption("Each small square is one neuron's output over the input plane. The first hidden "
                   "layer can only draw lines (of its inputs); deeper layers combine them into curves.")
        if ds.n_features > 2:
            st.text(held_note(run, x_feature, y_feature))
        large = maps_or_error(resolution=80)
    if large is not None:
        options = inside.neuron_options(large)
        state.fit_choice(state.INSIDE_NEURON, options, next((o for o in options if o[0] == 1), options[0]))
        names = {o: f"{inside.layer_title(net, o[0])}: {inside.single_map(large, *o)[2]}" for o in options}
        layer, unit = st.selectbox("Neuron shown large", options, format_func=names.get, key=state.INSIDE_NEURON)
        lm, values, name = inside.single_map(large, layer, unit)
        points, _ = points_for(run, x_feature, y_feature, show_test=False)
        display.chart(st, charts.neuron_map(
            inside.map_cells(large.xs, large.ys, values[..., None], [name]),
            inside.color_domain(lm.activation, lm.values), activation=lm.activation, output=lm.kind == "output",
            title=f"{names[(layer, unit)]} ({lm.activation})", x_title=x_name, y_title=y_name,
            points=points, class_names=ds.class_names), width="stretch")
    elif not has_plane:
        st.info("Neuron maps draw each neuron over a plane of two features; this data set has one.")


def draw_maps() -> None:
    maps = maps_or_error() if has_plane else None
    if maps is not None:
        display.chart(maps_slot, charts.neuron_maps_chart(maps, x_title=x_name, y_title=y_name), width="content")


def apply_edit(ref: inside.ParamRef) -> None:
    hands_on.edit(run, ref, state.setting(state.EDIT_VALUE), state.weight_edits(run))


def restore_edits() -> None:
    hands_on.restore(run, state.weight_edits(run))
    state.forget_edit_value()


with tab_edit:
    st.markdown("Change one weight or bias by hand and see what it does to the loss and the boundary.")
    originals = state.weight_edits(run)
    layers = list(range(len(net.weights)))
    state.fit_choice(state.EDIT_LAYER, layers, 0)
    l_col, f_col, t_col, v_col = st.columns(4)
    i = l_col.selectbox("Between layers", layers, key=state.EDIT_LAYER,
                        format_func=lambda k: f"{inside.layer_title(net, k)} -> {inside.layer_title(net, k + 1)}")
    sources, targets = inside.neuron_names(run, i), inside.neuron_names(run, i + 1)
    state.fit_choice(state.EDIT_FROM, [-1, *range(len(sources))], 0)
    frm = f_col.selectbox("From", [-1, *range(len(sources))], key=state.EDIT_FROM,
                          format_func=lambda j: "(the bias)" if j < 0 else sources[j])
    state.fit_choice(state.EDIT_TO, list(range(len(targets))), 0)
    to = t_col.selectbox("To", list(range(len(targets))), format_func=targets.__getitem__, key=state.EDIT_TO)
    ref = inside.ParamRef(i, to, None if frm < 0 else frm)
    state.sync_edit_value((run.id, ref, run.epochs), inside.param_value(net, ref))
    v_col.number_input("Value", step=0.1, format="%.4f", key=state.EDIT_VALUE, on_change=apply_edit, args=(ref,))
    now = inside.training_fit(run)
    with inside.trained_values(net, originals):
        trained = inside.training_fit(run)
    m_loss, m_metric, m_restore = st.columns(3, vertical_alignment="center")
    m_loss.metric("Training loss", f"{now['loss']:.4f}", delta_color="inverse",
                  delta=f"{now['loss'] - trained['loss']:+.4f} vs trained" if originals else None)
    m_metric.metric(f"Training {now['metric']}", f"{now['value']:.3f}",
                    delta=f"{now['value'] - trained['value']:+.3f} vs trained" if originals else None)
    m_restore.button("Put the trained values back", key=state.EDIT_RESTORE, disabled=not originals,
                     on_click=restore_edits)
    if originals:
        st.dataframe(inside.edits_table(run, originals), hide_index=True)
    if has_plane:
        try:
            display.chart(st, boundary_chart(run, x_feature, y_feature, show_test=False), width="stretch")
        except ValueError as exc:  # the grid is past the memory budget
            st.error(escape_markdown(str(exc)))

with tab_stats:
    stats, stats_note = inside.layer_stats(run)
    if stats.empty:
        st.info("Train at least one epoch to see the layers' statistics.")
    else:
        order = [inside.layer_title(net, k) for k in range(1, len(net.weights) + 1)]
        g_col, a_col = st.columns(2)
        display.chart(g_col, charts.layer_statistics(stats, order, statistic="gradient", log=True,
                                                     title="mean |dL/dW| (log scale)", note=stats_note),
                      width="stretch")
        display.chart(a_col, charts.layer_statistics(stats, order, statistic="activation", log=False,
                                                     title="mean |activation|", note=stats_note),
                      width="stretch")
        st.caption("Vanishing gradients: train 5 hidden layers of sigmoid (`8, 8, 8, 8, 8`) and watch the "
                   "first layers' gradients sit orders of magnitude below the last ones'.")

with tab_check:
    st.markdown(
        "Is the backward pass right? The gradient check nudges each weight a little either way and "
        "measures how the loss changes (a **central difference**, (-L(w+2h) + 8L(w+h) - 8L(w-h) + "
        "L(w-2h)) / 12h with h = 0.001), which needs forward passes only. Agreement with backpropagation "
        "to a relative 1e-6 shows the backward pass computes the true derivative of the loss: the two "
        "methods share nothing beyond the forward pass.")
    fingerprint = inside.parameter_fingerprint(net)
    if st.button("Run the gradient check", key=state.GRADCHECK_BUTTON):
        try:
            state.set_gradcheck_result(run, fingerprint, inside.run_gradient_check(run))
        except ValueError as exc:
            st.error(escape_markdown(str(exc)))
    result = state.gradcheck_result(run, fingerprint)
    if result is not None:
        st.dataframe(result.table, hide_index=True, column_config={
            "worst relative error": st.column_config.NumberColumn(format="%.2e")})
        summary = f"{result.rows} training rows, {result.seconds:.2f} s."
        if result.passed:
            st.success(f"Passed: every checked derivative agrees below {PASS_THRESHOLD:g}. {summary}")
        else:
            st.error(f"Some derivatives disagree beyond {PASS_THRESHOLD:g}. {summary} With ReLU, a "
                     "pre-activation within 2h of 0 sits on the kink, where the derivative is not defined.")

draw_diagram()
draw_maps()
if play:
    def redraw(done: int, target: int) -> None:
        progress.progress(1 - (target - done) / 10, text=f"Epoch {done:,} of {target:,}")
        header.text(f"{run.label} · {done:,} epochs trained")
        draw_diagram()
        draw_maps()

    try:
        train_with_redraws(run, 10, redraw, interval=0.0)
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
    else:
        st.rerun()
