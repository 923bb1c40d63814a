"""What a page shows when it needs something the user has not made yet."""

from __future__ import annotations

import streamlit as st

from . import state
from .runs import Run


def active_run_or_stop(then: str) -> Run:
    """The active run; without one, a pointer to Train (``then`` says why to come back) and stop."""
    run = state.active_run()
    if run is None:
        st.info(f"There is no trained model yet. Train one first, then come back {then}.")
        st.page_link("views/train.py", label="Go to Train", icon=":material/model_training:")
        st.stop()
    return run
