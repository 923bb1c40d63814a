"""Guided lessons: each sets up data and a net and says what to look at."""

import streamlit as st

from ui import boundary, display, lessons, state
from ui.charts.training import number
from ui.explore import escape_markdown
from ui.runs import headline

st.title("Lessons")
st.write(
    "Each lesson sets up a data set and a network and says what to look at. Run it here to compare its "
    "steps side by side, or set it up and take it to the Train page to explore further."
)

lesson = lessons.BY_KEY[
    st.selectbox(
        "Lesson", [lesson.key for lesson in lessons.LESSONS], key=state.LESSON, persist_state="session",
        format_func=lambda key: lessons.BY_KEY[key].title,
    )
]
st.subheader(lesson.title)
st.markdown(escape_markdown(lesson.text))  # plain text: its formulas hold "*" (w1*x1), not emphasis
st.info(escape_markdown(f"Look at: {lesson.look_at}"), icon=":material/visibility:")

run_col, setup_col = st.columns(2)
if run_col.button("Run this lesson", key=state.LESSON_RUN, type="primary"):
    results = []
    with st.spinner("Training..."):
        for step in lesson.steps:
            try:
                run = lessons.run_step(step, state.next_run_id())
            except ValueError as exc:
                st.error(escape_markdown(f"{step.label}: {exc}"))
                break
            state.add_run(run)
            results.append(run.id)
    state.set_lesson_runs(lesson.key, results)
    if len(results) == len(lesson.steps):
        st.rerun()  # the sidebar, drawn before this page, then shows the new active run (an error stays shown)
if setup_col.button("Set up the last step on the Train page", key=state.LESSON_SETUP):
    state.apply_lesson_step(lesson.steps[-1])
    st.switch_page("views/train.py")

run_ids = state.lesson_runs(lesson.key)
runs = [r for r in state.runs() if r.id in run_ids]
if runs:
    columns = st.columns(len(runs))
    for column, step, run in zip(columns, lesson.steps, runs):
        with column:
            st.markdown(f"**{step.label}**")
            score = headline(run)
            if score is not None:
                st.metric(score[0], number(score[1]))
            st.text(f"{run.architecture} net · {run.epochs} epochs · {run.history.status}")
            if run.history.message:
                st.warning(run.history.message)
            if run.dataset.n_features >= 2:
                display.chart(st, boundary.boundary_chart(run, 0, 1, height=300), width="stretch")
    st.caption("Each run is also in the run list: make one active on the Train page to see it in full.")
