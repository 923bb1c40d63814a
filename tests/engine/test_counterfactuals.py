"""Counterfactuals: every option keeps the rules, and a forward pass of our own confirms it flips.

Two oracles: on random points of trained nets (a table with a number, an
integer, a switch and a one-hot category; binary and three classes) each
option is checked column by column against the rules; and on a hand-set
logistic model, where the smallest flipping change of one input has a closed
form (the logit is linear in the standardized inputs), the option must be
that value rounded to the data's step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nn_core import MLP, Model, Preprocessing
from nn_core.counterfactuals import InputRule, check_rules, counterfactuals

NAMES = ["age", "income", "member", "city=a", "city=b", "city=c"]


def _table(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 81, n).astype(float)
    income = np.round(rng.uniform(10, 100, n), 2)
    member = rng.integers(0, 2, n).astype(float)
    city = np.eye(3)[rng.integers(0, 3, n)]
    X = np.column_stack([age, income, member, city])
    score = 0.08 * (age - 45) + 0.05 * (income - 55) + 1.5 * member + city @ np.array([-1.5, 0.0, 1.5])
    return X, score


def _rules(X: np.ndarray, pre: Preprocessing) -> list[InputRule]:
    return [
        InputRule("age", "integer", (0,), X[:, 0].min(), X[:, 0].max(), 1.0, pre.scale[0]),
        InputRule("income", "numeric", (1,), X[:, 1].min(), X[:, 1].max(), 0.01, pre.scale[1]),
        InputRule("member", "switch", (2,), 0.0, 1.0, 1.0, pre.scale[2], ("0", "1"), ((0.0,), (1.0,))),
        InputRule("city", "categorical", (3, 4, 5), categories=("a", "b", "c"),
                  codes=((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))),
    ]


def _trained(kind: str):
    X, score = _table()
    if kind == "binary":
        y, output, k = (score > 0).astype(np.int64), "sigmoid", 1
        names = ["no", "yes"]
    else:
        y, output, k = np.digitize(score, [-1.0, 1.0]).astype(np.int64), "softmax", 3
        names = ["low", "mid", "high"]
    pre = Preprocessing.fit(X, NAMES, class_names=names, problem_type="binary" if k == 1 else "multiclass")
    net = MLP([6, 12, k], activation="tanh", output=output, seed=0)
    net.fit(pre.transform(X), y, epochs=300, learning_rate=0.01, optimizer="adam", seed=0)
    return Model(pre, net), X, _rules(X, pre)


@pytest.fixture(scope="module", params=["binary", "multiclass"])
def trained(request):
    return _trained(request.param)


def _check_option(model, x, option, rules, locked):
    p = option.point
    start = int(model.predict_index(x[None])[0])
    # our own forward pass: standardize by hand, run the net
    z = (p - model.preprocessing.mean) / model.preprocessing.scale
    out = model.net.forward(z[None])[0]
    cls = int(out[0] >= 0.5) if out.size == 1 else int(np.argmax(out))
    assert cls != start and cls == option.to_class and option.from_class == start
    for i in locked:
        assert np.array_equal(p[list(rules[i].columns)], x[list(rules[i].columns)])
    age, income, member, city = p[0], p[1], p[2], p[3:]
    assert age == round(age) and rules[0].low <= age <= rules[0].high
    assert rules[1].low - 1e-9 <= income <= rules[1].high + 1e-9
    assert abs(income * 100 - round(income * 100)) < 1e-6  # the data's two decimals
    assert member in (0.0, 1.0)
    assert sorted(city.tolist()) == [0.0, 0.0, 1.0]
    changed = {i for i, r in enumerate(rules) if not np.array_equal(p[list(r.columns)], x[list(r.columns)])}
    assert changed == {c.input for c in option.changes} and 1 <= len(changed) <= 3


def test_options_keep_every_rule_on_random_points(trained):
    model, X, rules = trained
    rng = np.random.default_rng(1)
    n_found = 0
    for row in rng.choice(len(X), 25, replace=False):
        locked = [int(i) for i in rng.choice(4, rng.integers(0, 3), replace=False)]
        options = counterfactuals(model, X[row], rules, locked=locked)
        assert len(options) <= 3
        assert len({o.signature() for o in options}) == len(options)  # different options
        assert [len(o.changes) for o in options] == sorted(len(o.changes) for o in options)  # sparse first
        for option in options:
            _check_option(model, X[row], option, rules, locked)
        n_found += len(options)
    assert n_found >= 25  # the search does find options (not a vacuous pass)


def test_everything_locked_finds_nothing(trained):
    model, X, rules = trained
    assert counterfactuals(model, X[0], rules, locked=range(4)) == []


def _logistic(weights: np.ndarray, bias: float) -> tuple[Model, np.ndarray]:
    X, _ = _table()
    pre = Preprocessing.fit(X, NAMES, class_names=["no", "yes"])
    net = MLP([6, 1], output="sigmoid", seed=0)
    net.set_parameters([weights.reshape(6, 1)], [np.array([bias])])
    return Model(pre, net), X


def test_a_single_number_moves_exactly_to_the_rounded_closed_form_boundary():
    # logit = w . z + b with z standardized; only income counts here. The smallest flipping income is
    # mean + scale * (-b / w) (where the logit is 0), rounded up to the data's cent.
    w = np.array([0.0, 2.0, 0.0, 0.0, 0.0, 0.0])
    model, X = _logistic(w, 0.5)
    pre = model.preprocessing
    rules = _rules(X, pre)
    x = X[0].copy()
    x[1] = 20.0
    assert model.predict_index(x[None])[0] == 0
    (option,) = counterfactuals(model, x, rules)
    boundary = pre.mean[1] + pre.scale[1] * (-0.5 / 2.0)
    expected = math.ceil(boundary * 100 - 1e-9) / 100
    assert option.point[1] == pytest.approx(expected, abs=1e-9)
    assert [c.name for c in option.changes] == ["income"] and option.changes[0].before == 20.0


def test_a_category_is_switched_whole_and_the_fewest_changes_come_first():
    # only the city counts (city=c pushes to yes): the one option is city -> c, no number moves
    w = np.array([0.0, 0.0, 0.0, -1.0, -1.0, 3.0])
    model, X = _logistic(w, 0.0)
    rules = _rules(X, model.preprocessing)
    x = X[np.flatnonzero(X[:, 3] == 1)[0]]
    options = counterfactuals(model, x, rules)
    assert len(options) == 1
    (change,) = options[0].changes
    assert (change.name, change.before, change.after) == ("city", "a", "c")
    assert np.array_equal(options[0].point[3:], [0.0, 0.0, 1.0])


def test_a_regression_model_and_bad_rules_are_refused():
    model, X, rules = _trained("binary")
    with pytest.raises(ValueError, match="kind"):
        check_rules([InputRule("age", "date", (0,))], 6)
    with pytest.raises(ValueError, match="used by no other input"):
        check_rules([InputRule("a", "numeric", (0,)), InputRule("b", "numeric", (0,))], 6)
    with pytest.raises(ValueError, match="one code"):
        check_rules([InputRule("c", "categorical", (3, 4), categories=("a",), codes=((1.0,),))], 6)
    with pytest.raises(ValueError, match="complete row"):
        counterfactuals(model, np.full(6, np.nan), rules)
    pre = Preprocessing.fit(X, NAMES, problem_type="regression", y_train=X[:, 0])
    reg = Model(pre, MLP([6, 1], output="linear", seed=0))
    with pytest.raises(ValueError, match="classifier"):
        counterfactuals(reg, X[0], rules)
