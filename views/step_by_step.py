"""One example, step by step: the forward pass, the loss and the backward pass of one row,
with the real numbers the engine computes, and the step one SGD update would take."""

import streamlit as st

from ui import guards, state, step_by_step
from ui.whatif import row_caption

st.title("One example, step by step")
st.markdown("Follow one example through the trained net: each layer computes z = W a + b and "
            "a = f(z), the loss compares the output with the label, and backpropagation sends the "
            "error back layer by layer. Every number below is the engine's own.")
run = guards.active_run_or_stop("to follow an example")
ds, net = run.dataset, run.net
st.text(f"{run.label} · {run.epochs:,} epochs trained")

# ------------------------------------------------------------------ which example
point = state.whatif_point(run)
source = "row"
if point:  # a what-if point set on Predict can be followed too
    state.fit_choice(state.STEP_SOURCE, ["row", "whatif"], "row")
    source = st.radio("Example", ["row", "whatif"], key=state.STEP_SOURCE, horizontal=True, persist_state="session",
                      format_func={"row": "A row of the data", "whatif": "The what-if point (from Predict)"}.get)
if source == "row":
    state.fit_choice(state.STEP_ROW, range(ds.n_samples), 0)
    row = st.number_input(f"Row (0 to {ds.n_samples - 1})", 0, ds.n_samples - 1, step=1, key=state.STEP_ROW,
                          persist_state="session")
    st.text(row_caption(run, int(row)))
    step = step_by_step.row_example(run, int(row))
elif ds.problem_type == "regression":
    target = st.number_input("Target value to compare with", value=float(ds.y[run.split[0]].mean()),
                             key=state.STEP_TARGET)
    step = step_by_step.point_example(run, point, target)
else:
    classes = list(range(ds.n_classes))
    state.fit_choice(state.STEP_CLASS, classes, 0)
    label = st.selectbox("Label to compare with", classes, format_func=ds.class_names.__getitem__,
                         key=state.STEP_CLASS)
    step = step_by_step.point_example(run, point, label)



def show(frame, index: bool = False) -> None:
    """A table of the engine's numbers, to 6 significant digits (tiny gradients do not round to 0)."""
    numbers = {c: st.column_config.NumberColumn(format="%.6g") for c in frame.columns if frame[c].dtype.kind == "f"}
    st.dataframe(frame, hide_index=not index, column_config=numbers)


# ------------------------------------------------------------------ inputs
st.subheader("1. The inputs")
st.markdown("The net sees each input standardized with the training rows' mean and standard deviation.")
show(step_by_step.input_table(step))

latex = step_by_step.single_neuron_latex(step)
if latex is not None:
    st.subheader("The single neuron, as in the article")
    st.markdown("With no hidden layer the net is one neuron. Here is everything it does for this "
                "example, with the numbers substituted (symbols below the formulas).")
    for line in latex:
        st.latex(line)
    st.dataframe(step_by_step.symbol_legend(step), hide_index=True)

# ------------------------------------------------------------------ forward
st.subheader("2. Forward pass")
st.latex(r"z_j = \sum_k w_{kj}\, a_k + b_j \qquad a_j = f(z_j)")
for layer in step.layers:
    st.markdown(f"**{layer.title}**: activation `{layer.activation}`")
    show(step_by_step.forward_table(layer))
    with st.expander(f"{layer.title}: its weights w (rows: from, columns: to)"):
        show(step_by_step.matrix_table(layer.W, layer.in_names, layer.out_names), index=True)
st.text(step_by_step.prediction_text(run, step))

# ------------------------------------------------------------------ loss
st.subheader("3. The loss")
LOSS_TEX = {
    "sigmoid": r"L = -\left(y \log p + (1 - y) \log(1 - p)\right) \qquad \frac{\partial L}{\partial z} = p - y",
    "softmax": r"L = -\log p_y \qquad \frac{\partial L}{\partial z_j} = p_j - [j = y]",
    "linear": r"L = (\hat y - y)^2 \qquad \frac{\partial L}{\partial z} = 2(\hat y - y)",
}
st.latex(LOSS_TEX[step.output])
st.metric("Loss for this example", f"{step.loss:.6g}")
if step.penalty:
    st.caption(f"Training also adds the L2/L1 penalty on the weights ({step.penalty:.4g} here); its "
               "gradient is included in dL/dW below.")

# ------------------------------------------------------------------ backward
st.subheader("4. Backward pass")
st.latex(r"\frac{\partial L}{\partial a_k} = \sum_j w_{kj} \frac{\partial L}{\partial z_j} \qquad"
         r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial a}\, f'(z) \qquad"
         r"\frac{\partial L}{\partial w_{kj}} = a_k \frac{\partial L}{\partial z_j} \qquad"
         r"\frac{\partial L}{\partial b_j} = \frac{\partial L}{\partial z_j}")
st.markdown(f"From the output back to the inputs. The last column is the step one plain SGD update on "
            f"this example alone would take, with the run's learning rate lr = {step.learning_rate:g}.")
for layer in reversed(step.layers):
    st.markdown(f"**{layer.title}**")
    show(step_by_step.backward_table(layer, step.learning_rate))
    with st.expander(f"{layer.title}: dL/dw and the SGD step -lr·dL/dw (rows: from, columns: to)"):
        st.caption("dL/dw")
        show(step_by_step.matrix_table(layer.dW, layer.in_names, layer.out_names), index=True)
        st.caption(f"-lr·dL/dw, with lr = {step.learning_rate:g}")
        show(step_by_step.matrix_table(-step.learning_rate * layer.dW, layer.in_names, layer.out_names), index=True)
if run.config.optimizer != "sgd":
    st.caption(f"This run trains with {run.config.optimizer} on many rows at once: its gradient is the mean "
               "of such per-example gradients, and the optimizer rescales each step from the gradient's "
               "history. Plain SGD on this one example would take exactly the steps shown.")
