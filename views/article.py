"""The seed article, side by side with the same neuron done right."""

import numpy as np
import streamlit as st

from nn_core import article
from ui import article_view, display, state
from ui.charts import article as charts
from ui.explore import escape_markdown
from ui.live_training import stop_point
from ui.runs import parse_hidden


@st.cache_data(max_entries=1, show_spinner="Replaying the article...")
def _page() -> article_view.ArticlePage:
    return article_view.build()


st.title("The article, replayed")
st.write(
    'This project grew from the article "Neural Network From Scratch in Python": one sigmoid neuron '
    "that predicts diabetes from glucose and blood pressure. Below, its training loop runs exactly as "
    "printed (with only the shape fixes it needs to run) on the bundled data, next to the same neuron "
    "trained correctly with nn_core."
)
st.info(
    "The article's data is not published: data/diabetes.csv is a synthetic stand-in with the same "
    "columns and the five rows the article shows.",
    icon=":material/info:",
)
page = _page()

st.header("1. What the article prints")
left, right = st.columns(2)
with left:
    display.chart(
        st,
        charts.printed_loss(page.code_rate.printed_losses, "Learning rate 4e-7 (what its output needs)",
                            f"first epochs print exactly {page.code_rate.printed_losses[0]:.1f}"),
        width="stretch",
    )
with right:
    display.chart(
        st,
        charts.printed_loss(page.text_rate.printed_losses, "Learning rate 0.0004 (what its text says)",
                            "every epoch overshoots: +499, -501, +499, ..."),
        width="stretch",
    )
st.write(
    f'At 4e-7 the "loss" sits at 499.0 while the sigmoid is saturated at exactly 1.0 for every row, then '
    f"falls. At 0.0004 it flips sign every epoch. Neither number says how good the model is: on its own "
    f"training rows the article's neuron ends at {page.code_rate.train_accuracy:.1%} accuracy."
)

st.header("2. What goes wrong, and why")
for title, why in article.ARTICLE_MISTAKES:
    st.markdown(f"**{title}.** {why}")

st.header("3. The same neuron, done right")
fit = page.neuron
c1, c2, c3 = st.columns(3)
c1.metric("Held-out accuracy", f"{fit.test_accuracy:.1%}", help="On 25% of the rows the neuron never saw.")
c2.metric("Training accuracy", f"{fit.train_accuracy:.1%}")
c3.metric("Final cross-entropy", f"{fit.loss_curve[-1]:.4f}")
left, right = st.columns([3, 2])
with left:
    part = np.where(np.isin(np.arange(len(page.y)), fit.test_index), "test", "train")
    display.chart(
        st,
        charts.neuron_line(page.X, page.y, part, fit.weights, fit.bias, article.FEATURE_NAMES, ["0", "1"]),
        width="stretch",
    )
with right:
    display.chart(st, charts.loss_curve(fit.loss_curve, "Binary cross-entropy while training"), width="stretch")
st.write(
    "Standardized inputs keep z in the sigmoid's useful range, cross-entropy gives the gradient p - y "
    "that never stalls, the bias learns every step, and accuracy is measured on rows kept aside."
)

st.subheader("The neuron as an equation, live")
g, p = st.columns(2)
glucose = g.number_input("Glucose", min_value=0.0, max_value=400.0, step=1.0, key=state.ARTICLE_GLUCOSE)
pressure = p.number_input("BloodPressure", min_value=0.0, max_value=250.0, step=1.0, key=state.ARTICLE_PRESSURE)
st.latex(article_view.equation_latex(fit, glucose, pressure))

st.header("4. One click: add a hidden layer")
st.write("Does a hidden layer help on this data? Train it on exactly the same training rows and compare.")
hidden_text = st.text_input("Hidden layer sizes", key=state.ARTICLE_HIDDEN, help="For example 8, or 16, 16.")
if st.button("Add the hidden layer and train", key=state.ARTICLE_HIDDEN_TRAIN):
    try:
        hidden = parse_hidden(hidden_text)
        if not hidden:
            raise ValueError("Give at least one hidden layer, for example 8.")
        stop = st.empty()  # where a click or a closed tab stops the training at once
        state.set_article_gain(article_view.with_hidden_layer(page, hidden,
                                                              on_epoch=lambda *_: stop_point(stop)))
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
gain = state.article_gain()
if gain is not None:
    a, b = st.columns(2)
    a.metric("Single neuron, held-out accuracy", f"{gain.neuron_test_accuracy:.1%}")
    b.metric(f"2-{'-'.join(map(str, gain.hidden))}-1 net, held-out accuracy", f"{gain.test_accuracy:.1%}",
             delta=f"{(gain.test_accuracy - gain.neuron_test_accuracy) * 100:+.1f} points")
    if gain.test_accuracy - gain.neuron_test_accuracy < 0.02:
        st.write(
            "On this data the classes are separated by a roughly straight line, so the hidden layer gains "
            "little: the single neuron was already the right model. On XOR or circles it is the other way "
            "round (see Lessons)."
        )
    else:
        st.write("Here the hidden layer bends the boundary and it pays off on rows the nets never saw.")
st.page_link("views/train.py", label="Train the article's neuron yourself (preset on the Train page)", icon=":material/model_training:")
