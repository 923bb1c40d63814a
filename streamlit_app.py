"""The dashboard's frame: page setup, session state, the sidebar, and navigation.

Run with ``streamlit run streamlit_app.py``. This file runs first on every rerun, so it
is where the session's state is created, a shared link's settings are read, and the
active data set is kept in step with the settings.

The pages live in ``views/``, not ``pages/``: Streamlit treats a folder named
``pages/`` as an old-style multipage app until ``st.navigation`` has run once, so
on a freshly started server the first visitor's deep link (``/train?...``) would
run the page file alone, without this frame.
"""

import streamlit as st

from ui import sidebar, state

st.set_page_config(page_title="Neural network from scratch", page_icon="🧠", layout="wide")

state.init()
state.read_query_params()
state.sync_dataset()

pages = {
    "Learn": [
        st.Page("views/data.py", title="Explore data", icon=":material/table_chart:", default=True),
        st.Page("views/playground.py", title="Playground", icon=":material/play_circle:"),
        st.Page("views/train.py", title="Train", icon=":material/model_training:"),
        st.Page("views/predict.py", title="Predict (what if?)", icon=":material/tune:"),
    ],
    "Look inside": [
        st.Page("views/inside.py", title="Inside the network", icon=":material/hub:"),
        st.Page("views/step_by_step.py", title="One example, step by step", icon=":material/footprint:"),
    ],
    "The story": [
        st.Page("views/article.py", title="The article, replayed", icon=":material/history_edu:"),
        st.Page("views/lessons.py", title="Lessons", icon=":material/school:"),
    ],
    "Keep & share": [
        st.Page("views/share.py", title="Share & compare", icon=":material/share:"),
    ],
}
navigation = st.navigation(pages)
sidebar.render()
state.write_query_params()
if notice := state.link_notice(navigation.url_path):
    st.warning(notice, icon=":material/link:")
try:
    navigation.run()
finally:
    sidebar.render_model()  # what the page trained: the sidebar names the page's epoch
