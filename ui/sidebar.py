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
        run = state.active_run()
        if run is None:
            st.caption("No model yet: open Train and press Train.")
            return
        st.text(f"{run.label}\n{run.epochs} epochs trained ({run.history.status})")
        if run.history.status == "diverged":
            st.error("Diverged: the weights blew up, so its scores mean nothing. Try a smaller learning rate.")
        score = headline(run)
        if score is not None:
            st.metric(score[0], number(score[1]))
