"""Hostile inputs through the pages: each is answered in one sentence and the visitor keeps what they had.

Extreme values in an uploaded table, a link's values that the app changed or
ignored, and the formula cells of every CSV the app lets a visitor download.
"""

from __future__ import annotations

import pytest

PREDICT_PAGE = "views/predict.py"
INSIDE_PAGE = "views/inside.py"
STEP_PAGE = "views/step_by_step.py"


def _table(x_values) -> bytes:
    """A two-feature, 0/1 table of 40 rows whose first column takes ``x_values`` in turn."""
    rows = ["x,z,label"]
    for i in range(40):
        x = x_values[i % len(x_values)]
        rows.append(f"{x!r},{i % 7},{int(i % 2 == 0)}")
    return ("\n".join(rows) + "\n").encode()


def test_values_near_1e308_are_refused_at_load_in_words(app):
    app.upload("huge.csv", _table([1e308, -1.7e308, 3.0]))
    message = app.errors()
    assert "Column 'x' holds 1e+308 on line 2" in message
    assert "Rescale that column" in message
    assert not app.exception


def test_values_near_1e308_leave_the_previous_data_and_runs(app):
    app.upload("fine.csv", _table([0.5, 1.5, 2.5])).train(5)
    runs_before = len(app.runs())
    app.upload("huge.csv", _table([1e308, 3.0]))
    assert "holds 1e+308" in app.errors()
    assert len(app.runs()) == runs_before


@pytest.mark.parametrize("page", [PREDICT_PAGE, INSIDE_PAGE, STEP_PAGE])
def test_subnormal_values_like_5e_324_work_on_every_page(app, page):
    app.upload("tiny.csv", _table([5e-324, 0.0, 1e-323])).train(5)
    app.open(page)
    assert not app.exception
    assert "math domain error" not in app.messages()
