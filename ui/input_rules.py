"""The inputs as a user sees them, for the explanations: one ``InputRule`` each, and the baseline row.

``input_rules`` is the ONE adapter between a run and the explanations
(counterfactuals, attributions, partial dependence): every one of them asks it
what each input is (a number, an integer, a switch or a category), its
observed range and precision, and which model columns it sets. Today it reads
them off the run's data: a group of 0/1 columns named ``column=value`` whose
training rows each hold exactly one 1 is one categorical input (the one-hot
encoding of a text column). When the model itself records its inputs' kinds,
ranges and precision, this function reads them there instead and nothing else
changes.
"""

from __future__ import annotations

import math

import numpy as np

from nn_core.counterfactuals import InputRule

from .runs import Run

#: Values are read to at most this many decimals (finer data: any value).
MAX_DECIMALS = 6


def input_rules(run: Run) -> list[InputRule]:
    """One rule per input, in the order of their first column: kind, observed training range, precision, scale."""
    ds, pre = run.dataset, run.model.preprocessing
    train = ds.X[run.split[0]] if len(run.split[0]) else ds.X
    groups = one_hot_groups(ds.feature_names, train)
    first = {cols[0]: (name, cols) for name, cols in groups.items()}
    grouped = {c for cols in groups.values() for c in cols}
    rules = []
    for j, name in enumerate(ds.feature_names):
        if j in first:
            prefix, cols = first[j]
            rules.append(InputRule(prefix, "categorical", tuple(cols),
                                   categories=tuple(ds.feature_names[c][len(prefix) + 1:] for c in cols),
                                   codes=tuple(tuple(float(a == b) for b in cols) for a in cols)))
        elif j not in grouped:
            rules.append(_number_rule(name, j, train[:, j], float(pre.scale[j])))
    return rules


def one_hot_groups(names: list[str], X: np.ndarray) -> dict[str, list[int]]:
    """``{column: [indices]}`` for two or more ``column=value`` columns of 0/1 with exactly one 1 per complete row."""
    by_prefix: dict[str, list[int]] = {}
    for j, name in enumerate(names):
        if "=" in name:
            by_prefix.setdefault(name.split("=", 1)[0], []).append(j)
    groups = {}
    for prefix, cols in by_prefix.items():
        block = X[:, cols]
        block = block[np.isfinite(block).all(axis=1)]
        if len(cols) >= 2 and len(block) and np.isin(block, (0.0, 1.0)).all() and (block.sum(axis=1) == 1).all():
            groups[prefix] = cols
    return groups


def _number_rule(name: str, j: int, values: np.ndarray, scale: float) -> InputRule:
    values = values[np.isfinite(values)]
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    whole = bool(values.size) and bool(np.all(values == np.round(values)))
    if whole and set(np.unique(values)) <= {0.0, 1.0} and low < high:
        return InputRule(name, "switch", (j,), low, high, 1.0, scale, ("0", "1"), ((0.0,), (1.0,)))
    if whole:
        return InputRule(name, "integer", (j,), low, high, 1.0, scale)
    digits = decimals(values)
    return InputRule(name, "numeric", (j,), low, high, 10.0 ** -digits if digits <= MAX_DECIMALS else 0.0, scale)


def decimals(values: np.ndarray) -> int:
    """The fewest decimals that write every value exactly (``MAX_DECIMALS + 1``: more than that)."""
    for k in range(MAX_DECIMALS + 1):
        if np.all(np.abs(np.round(values, k) - values) <= 1e-9 * np.maximum(1.0, np.abs(values))):
            return k
    return MAX_DECIMALS + 1


def baseline_point(run: Run, rules: list[InputRule]) -> np.ndarray:
    """The attributions' baseline as a model row ``(d,)``: training medians, each category's most frequent choice."""
    pre = run.model.preprocessing
    base = np.array([pre.feature_stats[n]["median"] for n in pre.feature_names], dtype=np.float64)
    train = run.dataset.X[run.split[0]] if len(run.split[0]) else run.dataset.X
    for rule in rules:
        if rule.enumerated:
            rows = train[np.isfinite(train[:, list(rule.columns)]).all(axis=1)]
            counts = np.bincount([rule.choice(r) for r in rows], minlength=len(rule.codes))
            base[list(rule.columns)] = rule.codes[int(np.argmax(counts))]
    return base


def show_value(rule: InputRule, value: float | str) -> str:
    """A value as the data writes it: a category's name, a whole number, or the data's decimals."""
    if isinstance(value, str):
        return value
    if rule.kind in ("integer", "switch"):
        return f"{value:.0f}"
    if rule.step > 0:
        return f"{value:.{max(0, -math.floor(math.log10(rule.step) + 1e-9))}f}"
    return f"{value:.5g}"
