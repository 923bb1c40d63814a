"""A demo page for the network view's browser test: circles, the default playground net, one view.

``?play=1`` trains one epoch per fragment rerun, ten reruns a second, so the
view gets new data without a remount (the redraw rate is measured on it).
The last click the view reported is written to the page.
"""

import json
import time

import streamlit as st

from nn_core.data import generate
from nn_core.network import MLP
from nn_core.training import fit
from ui.network_view.component import network_view
from ui.network_view.payload import build_payload

st.set_page_config(page_title="network view demo", layout="wide")
if "net" not in st.session_state:
    ds = generate("circles", n=400, noise=0.1, seed=0)
    st.session_state.data = (ds.X[:300], ds.y[:300], ds.X[300:], ds.y[300:])
    st.session_state.net = MLP([2, 4, 2, 1], activation="tanh", output="sigmoid", seed=0)
    st.session_state.clicks = []
    st.session_state.build_ms = []
net = st.session_state.net
X_train, y_train, X_test, y_test = st.session_state.data
playing = st.query_params.get("play") == "1"


def train(epochs: int) -> None:
    fit(net, X_train, y_train, epochs=epochs, learning_rate=0.3, validation_data=(X_test, y_test))


def picture() -> None:
    if playing:
        train(1)
    start = time.perf_counter()
    payload = build_payload(net, X_train, y_train, X_test, y_test, marker_epoch=len(net.history.loss) or None,
                            off=[(1, 3)], edited_edges=[(1, 0, 1)], edited_biases=[(2, 0)],
                            epochs_per_second=10.0 if playing else None)
    st.session_state.build_ms.append(1000 * (time.perf_counter() - start))
    click = network_view(payload, key="view")
    if click is not None:
        st.session_state.clicks.append(click)
    last = st.session_state.clicks[-1] if st.session_state.clicks else None
    st.code(json.dumps(last, sort_keys=True), language="json")
    st.caption(f"clicks: {len(st.session_state.clicks)}")


if st.button("Train 20 epochs"):
    train(20)
if playing:
    st.fragment(run_every=0.1)(picture)()
else:
    picture()
