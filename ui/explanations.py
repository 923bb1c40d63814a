"""The Predict page's explanations: counterfactual options, attributions that add up, partial dependence.

No Streamlit here. Each explanation sees the inputs as a user does (a
category is one input, not its one-hot columns) through the one adapter
``ui.input_rules.input_rules``; a what-if *point* is ``{model column: value}``
as in ``ui.whatif``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from nn_core import explain
from nn_core.counterfactuals import Counterfactual, counterfactuals

from .input_rules import baseline_point, input_rules, show_value
from .runs import Run
from .whatif import point_vector

#: The Predict page offers at most this many counterfactual options.
MAX_OPTIONS = 3
#: The attributions' bars sum to the output's change within this share of it.
IG_TOLERANCE = 0.01
#: Partial dependence: the mean of this many rows' curves, of which ``ICE_SHOWN`` are drawn.
PD_ROWS = 200
ICE_SHOWN = 40
#: A number's partial dependence is evaluated at this many values across its observed range.
PD_VALUES = 25


def input_names(run: Run) -> list[str]:
    """The inputs' names as a user sees them (what the lock list offers)."""
    return [rule.name for rule in input_rules(run)]


# --------------------------------------------------------------- counterfactuals
def counterfactual_options(run: Run, point: Mapping[int, float], locked: Collection[str] = ()) -> list[Counterfactual]:
    """Up to ``MAX_OPTIONS`` different ways to flip the predicted class; inputs named in ``locked`` never change."""
    if run.dataset.problem_type == "regression":
        return []
    rules = input_rules(run)
    fixed = [i for i, rule in enumerate(rules) if rule.name in set(locked)]
    return counterfactuals(run.model, point_vector(point), rules, locked=fixed, n_options=MAX_OPTIONS)


def option_title(run: Run, number: int, option: Counterfactual) -> str:
    """``Option 1: predicted yes instead of no, by changing 2 inputs`` (user text: show with st.text)."""
    names = run.dataset.class_names
    k = len(option.changes)
    return (f"Option {number}: predicted {names[option.to_class]} instead of {names[option.from_class]}, "
            f"by changing {k} input{'s' if k > 1 else ''}")


def option_lines(run: Run, option: Counterfactual) -> list[str]:
    """``Glucose: 120 -> 131``: one line per changed input, in the data's own precision."""
    rules = input_rules(run)
    return [f"{c.name}: {show_value(rules[c.input], c.before)} -> {show_value(rules[c.input], c.after)}"
            for c in option.changes]


def option_target(option: Counterfactual) -> dict[int, float]:
    """Where "move the what-if point there" goes: the option's row, as a what-if point."""
    return {j: float(v) for j, v in enumerate(option.point)}


def option_paths(options: list[Counterfactual], point: Mapping[int, float], x_feature: int,
                 y_feature: int) -> pd.DataFrame:
    """Each option as a path on the boundary chart: ``option``, ``step`` (0 at the point, 1 at the option), ``px``, ``py``."""
    rows = []
    for n, option in enumerate(options, start=1):
        for step, (px, py) in enumerate(((point[x_feature], point[y_feature]),
                                         (option.point[x_feature], option.point[y_feature]))):
            rows.append({"option": f"Option {n}", "step": step, "px": float(px), "py": float(py)})
    return pd.DataFrame(rows, columns=["option", "step", "px", "py"])


# --------------------------------------------------------------- attributions
def attributions(run: Run, point: Mapping[int, float],
                 class_index: int | None = None) -> tuple[pd.DataFrame, explain.Attribution]:
    """Integrated gradients per input, from the baseline row (medians; each category's most frequent).

    One row per input, biggest share first: ``input``, ``baseline`` and
    ``value`` (as the data writes them) and ``share`` (the sum of its
    columns' attributions). The shares add up to ``output - baseline_output``
    of the returned ``Attribution`` within ``IG_TOLERANCE``.
    """
    rules = input_rules(run)
    base = baseline_point(run, rules)
    x = point_vector(point)
    att = explain.integrated_gradients(run.model, x, base, class_index, tolerance=IG_TOLERANCE)
    frame = pd.DataFrame({
        "input": [r.name for r in rules],
        "baseline": [show_value(r, r.value(base)) for r in rules],
        "value": [show_value(r, r.value(x)) for r in rules],
        "share": [float(att.values[list(r.columns)].sum()) for r in rules],
    })
    order = np.argsort(-np.abs(frame["share"].to_numpy()), kind="stable")
    return frame.iloc[order].reset_index(drop=True), att


def baseline_sentence(frame: pd.DataFrame, att: explain.Attribution, output_label: str) -> str:
    """What the bars add up to, and how they were computed (user text: show with st.text)."""
    return (f"From the baseline's {output_label} = {att.baseline_output:.4g} to this point's {att.output:.4g}: "
            f"the bars add up to {frame['share'].sum():+.4g} (the change is {att.output - att.baseline_output:+.4g}). "
            f"Integrated gradients along the straight path, {att.steps} steps.")


# --------------------------------------------------------------- partial dependence
def partial_dependence_frame(run: Run, input_index: int, class_index: int | None = None) -> pd.DataFrame:
    """ICE curves and their mean for one input, over a seeded sample of the data's rows.

    Long format: ``curve`` (a row number, or ``-1`` for the average),
    ``value`` (a number, or a category's name), ``order`` (position on the
    x-axis) and ``output``. At most ``ICE_SHOWN`` rows' curves are kept; the
    average is over up to ``PD_ROWS`` rows.
    """
    rule = input_rules(run)[input_index]
    X = run.dataset.X
    rows = np.random.default_rng(0).choice(len(X), min(len(X), PD_ROWS), replace=False)
    if rule.enumerated:
        settings, labels = np.asarray(rule.codes, dtype=np.float64), list(rule.categories)
    else:
        values = np.linspace(rule.low, rule.high, PD_VALUES)
        if rule.kind == "integer":
            values = np.unique(np.round(values))
        settings, labels = values[:, None], list(values)
    ice = explain.partial_dependence(run.model, X[rows], rule.columns, settings, class_index)
    frames = [pd.DataFrame({"curve": int(r), "value": labels, "order": np.arange(len(labels)), "output": curve})
              for r, curve in zip(rows[:ICE_SHOWN], ice[:ICE_SHOWN])]
    frames.append(pd.DataFrame({"curve": -1, "value": labels, "order": np.arange(len(labels)),
                                "output": ice.mean(axis=0)}))
    return pd.concat(frames, ignore_index=True)
