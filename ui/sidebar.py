"""The sidebar every page shares: the active data set and the active model, or what to do next."""

from __future__ import annotations

import streamlit as st

from . import state
from .charts.training import number
from .runs import headline

PROBLEM_LABELS = {"binary": "binary classification", "multiclass": "multi-class classification",
                  "regression": "regression"}


def render() -> None:
    with st.sidebar:
        st.subheader("Data")
        ds = state.dataset()
        spec = state.active_spec()
        if ds is None:
            st.caption("No data set yet: pick one on Explore data.")
        else:
            # user strings (file, column and class names) go through st.text/caption-free paths
            st.text(spec.title if spec is not None else ds.name)
            st.text(
                f"{ds.n_samples:,} rows · {ds.n_features} feature(s)\n"
                f"target: {ds.target_name}\n{PROBLEM_LABELS[ds.problem_type]}"
            )
            if spec is not None and spec.derived:
                st.text("derived: " + ", ".join(spec.derived))
        st.subheader("Model")
        slot = st.empty()
    state.set_sidebar_model_slot(slot)
    render_model()


def render_model() -> None:
    """The active model, drawn (again) into the sidebar's slot.

    The frame calls it before the page and again after it, and the
    playground after every frame, so the sidebar names the same epoch as the
    page once the page has trained (a fragment may redraw a slot made in the
    full run).
    """
    slot = state.sidebar_model_slot()
    if slot is None:
        return
    with slot.container():
        run = state.active_run()
        if run is None:
            st.caption("No model yet: open Train and press Train.")
            return
        st.text(f"{run.label}\n{run.epochs:,} epochs trained ({run.history.status})")
        if run.history.status == "diverged":
            st.error("Diverged: the weights blew up, so its scores mean nothing. Try a smaller learning rate.")
        score = headline(run)
        if score is not None:
            st.metric(score[0], number(score[1]))
