"""A demo page for the network view's browser test: circles, the default playground net, one view.

Every rerun trains one more epoch when ``?play=1`` is set (so the view gets
new data without a remount), and writes the last click to the page.
"""

import json

import numpy as np
import streamlit as st

from nn_core.datasets import generate
from nn_core.network import MLP
from nn_core.training import fit
from ui.network_view.component import network_view
from ui.network_view.payload import build_payload

st.set_page_config(page_title="network view demo", layout="wide")
if "net" not in st.session_state:
    ds = generate("circles", n=400, noise=0.1, seed=0)
    st.session_state.data = (ds.X[:300], ds.y[:300], ds.X[300:], ds.y[300:])
    net = MLP([2, 4, 2, 1], activation="tanh", output="sigmoid", seed=0)
    st.session_state.net = net
    st.session_state.clicks = []
net = st.session_state.net
X_train, y_train, X_test, y_test = st.session_state.data
if st.button("Train 20 epochs"):
    fit(net, X_train, y_train, epochs=20, learning_rate=0.3, validation_data=(X_test, y_test))
payload = build_payload(net, X_train, y_train, X_test, y_test, marker_epoch=len(net.history.loss) or None,
                        off=[(1, 3)], edited_edges=[(1, 0, 1)], edited_biases=[(2, 0)],
                        epochs_per_second=float(np.float64(12.5)))
click = network_view(payload, key="view")
if click is not None:
    st.session_state.clicks.append(click)
st.code(json.dumps(st.session_state.clicks[-1] if st.session_state.clicks else None, sort_keys=True),
        language="json")
st.caption(f"clicks: {len(st.session_state.clicks)}")
