"""The explanations' glue (ui.input_rules, ui.explanations, ui.judgement) and their charts, against the data.

A table with a text column (one-hot encoded, as the loader does it today), a
0/1 column, an integer and a decimal number is trained once; the rules are
checked against the table itself, the options by predicting at them, the
attributions by their sum, the partial dependence by a loop, and the
confusion-cell rows by filtering the held-out rows by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nn_core import explain
from nn_core.data import load_bundled, load_csv, make_dataset
from ui import explanations, judgement, runs, whatif
from ui.charts import explain as explain_charts
from ui.charts import training as training_charts
from ui.charts.boundary import decision_boundary, grid_cells
from ui.data_sources import DataSpec
from ui.input_rules import baseline_point, decimals, input_rules, show_value


def _table(n: int = 300) -> bytes:
    rng = np.random.default_rng(0)
    city = rng.choice(["north", "south", "east"], n, p=[0.5, 0.3, 0.2])
    age = rng.integers(20, 70, n)
    member = rng.integers(0, 2, n)
    income = np.round(rng.uniform(1, 9, n), 1)
    score = 0.1 * (age - 45) + 1.2 * member + (income - 5) + np.select([city == "north", city == "south"], [-1, 1], 0)
    frame = pd.DataFrame({"city": city, "age": age, "member": member, "income": income,
                          "bought": np.where(score > 0, "yes", "no")})
    return frame.to_csv(index=False).encode()


def _trained(ds, epochs: int = 200) -> runs.Run:
    run = runs.new_run(1, ds, DataSpec(), (), runs.TrainConfig(hidden=(8,), epochs=epochs, seed=0))
    runs.train(run, epochs)
    return run


@pytest.fixture(scope="module")
def shop() -> runs.Run:
    frame, _ = load_csv(_table(), one_hot=["city"])
    return _trained(make_dataset(frame, "bought", name="shop"))


@pytest.fixture(scope="module")
def penguins() -> runs.Run:
    return _trained(load_bundled("penguins"), epochs=150)


def test_rules_read_the_kinds_ranges_and_precision_off_the_data(shop):
    rules = {r.name: r for r in input_rules(shop)}
    assert list(rules) == ["city", "age", "member", "income"]
    train = shop.dataset.X[shop.split[0]]
    names = shop.dataset.feature_names
    city = rules["city"]
    assert city.kind == "categorical" and set(city.categories) == {"north", "south", "east"}
    assert [names[c] for c in city.columns] == [f"city={c}" for c in city.categories]
    age = rules["age"]
    j = names.index("age")
    assert age.kind == "integer" and (age.low, age.high) == (train[:, j].min(), train[:, j].max())
    assert rules["member"].kind == "switch"
    assert rules["income"].kind == "numeric" and rules["income"].step == pytest.approx(0.1)
    assert decimals(np.array([0.364, 2.288])) == 3 and decimals(np.array([1.0, 2.0])) == 0
    assert show_value(rules["income"], 3.5) == "3.5" and show_value(age, 30.0) == "30"
    assert show_value(city, "east") == "east"


def test_baseline_is_medians_and_the_most_frequent_category(shop):
    rules = input_rules(shop)
    base = baseline_point(shop, rules)
    train = shop.dataset.X[shop.split[0]]
    names = shop.dataset.feature_names
    j = names.index("income")
    assert base[j] == pytest.approx(np.median(train[:, j]))
    cols = [names.index(f"city={c}") for c in ("north", "south", "east")]
    counts = train[:, cols].sum(axis=0)
    assert base[cols].tolist() == np.eye(3)[int(np.argmax(counts))].tolist()


@pytest.mark.parametrize("name", ["shop", "penguins"])
def test_options_flip_stay_valid_and_locked_inputs_stay(name, request):
    run = request.getfixturevalue(name)
    rules = input_rules(run)
    found = 0
    for row in (0, 3, 11, 40, 77):
        point = whatif.row_point(run, row)
        x = whatif.point_vector(point)
        before = run.model.predict_index(x[None])[0]
        locked = [rules[row % len(rules)].name]
        for option in explanations.counterfactual_options(run, point, locked):
            found += 1
            target = explanations.option_target(option)
            y = whatif.point_vector(target)
            assert run.model.predict_index(y[None])[0] != before
            for rule in rules:
                cols = list(rule.columns)
                if rule.name in locked:
                    assert np.array_equal(y[cols], x[cols])
                elif rule.enumerated:
                    assert any(np.array_equal(y[cols], code) for code in rule.codes)
                elif not np.array_equal(y[cols], x[cols]):
                    assert rule.low <= y[cols[0]] <= rule.high
                    if rule.kind == "integer":
                        assert y[cols[0]] == round(y[cols[0]])
            lines = explanations.option_lines(run, option)
            assert len(lines) == len(option.changes) and all(": " in ln and " -> " in ln for ln in lines)
            assert explanations.option_title(run, 1, option).startswith("Option 1: predicted ")
    assert found >= 3


def test_no_option_when_the_model_never_changes_its_answer_and_none_for_regression():
    run = _trained(load_bundled("diabetes"), epochs=1)
    run.net.weights[-1][...] = 0.0  # the output ignores the hidden layer...
    run.net.biases[-1][...] = 5.0  # ...and says class 1 everywhere
    assert explanations.counterfactual_options(run, whatif.row_point(run, 0)) == []
    from nn_core.data import generate
    reg = _trained(generate("plane", n=100, noise=0.1, seed=0), epochs=5)
    assert explanations.counterfactual_options(reg, whatif.row_point(reg, 0)) == []


def test_option_paths_run_from_the_point_to_each_option(penguins):
    point = whatif.row_point(penguins, 3)
    options = explanations.counterfactual_options(penguins, point)
    paths = explanations.option_paths(options, point, 0, 1)
    assert len(paths) == 2 * len(options)
    for n, option in enumerate(options, start=1):
        mine = paths[paths["option"] == f"Option {n}"].sort_values("step")
        assert mine[["px", "py"]].to_numpy().tolist() == [[point[0], point[1]], option.point[:2].tolist()]
    grid = explain.decision_grid(penguins.model, 0, 1, (30, 60), (13, 22), resolution=6)
    cells = grid_cells(grid.xs, grid.ys, grid.values, "multiclass", penguins.dataset.class_names)
    chart = decision_boundary(cells, pd.DataFrame({"bx": [], "by": []}), None, x_title="a", y_title="b",
                              problem_type="multiclass", class_names=penguins.dataset.class_names,
                              whatif=(point[0], point[1]), paths=paths)
    assert sum("option" in str(layer.to_dict().get("encoding", {})) for layer in chart.layer) >= 2
    chart.to_dict()


@pytest.mark.parametrize("name", ["shop", "penguins"])
def test_attributions_add_up_and_the_chart_builds(name, request):
    run = request.getfixturevalue(name)
    for row in (0, 5, 50):
        point = whatif.row_point(run, row)
        cls = whatif.explained_class(run, point, None)
        frame, att = explanations.attributions(run, point, cls)
        change = explain.output_of(run.model, whatif.point_vector(point)[None], cls)[0] - att.baseline_output
        assert abs(frame["share"].sum() - change) <= 0.01 * abs(change) + 1e-9
        assert len(frame) == len(input_rules(run))
        assert f"{att.steps} steps" in explanations.baseline_sentence(frame, att, "P(yes)")
    explain_charts.attribution_bars(frame, "P(x)").to_dict()


def test_partial_dependence_frame_is_the_loop_over_rows(shop):
    rules = input_rules(shop)
    i = [r.name for r in rules].index("age")
    frame = explanations.partial_dependence_frame(shop, i)
    rows = np.random.default_rng(0).choice(shop.dataset.n_samples, explanations.PD_ROWS, replace=False)
    col = rules[i].columns[0]
    values = frame.loc[frame["curve"] == -1].sort_values("order")["value"].to_numpy(dtype=float)
    assert np.all(values == np.round(values))  # an integer input moves in whole numbers
    for v, pd_value in zip(values, frame.loc[frame["curve"] == -1].sort_values("order")["output"]):
        X = shop.dataset.X[rows].copy()
        X[:, col] = v
        assert pd_value == pytest.approx(shop.model.predict_proba(X).mean())
    one = frame[frame["curve"] == rows[0]].sort_values("order")
    X = np.repeat(shop.dataset.X[rows[:1]], len(values), axis=0)
    X[:, col] = values
    np.testing.assert_allclose(one["output"], shop.model.predict_proba(X))
    explain_charts.partial_dependence_chart(frame, "age", "P(yes)", [0, 1]).to_dict()
    city = explanations.partial_dependence_frame(shop, 0)
    assert set(city["value"]) == {"north", "south", "east"}
    explain_charts.partial_dependence_chart(city, "city", "P(yes)", [0, 1], categorical=True).to_dict()


def test_a_clicked_confusion_cell_lists_exactly_its_rows(shop):
    part, y, scores = training_charts.held_out_scores(shop)
    names = shop.dataset.class_names
    idx = dict(zip(("train", "validation", "test"), shop.split))[part]
    for threshold in (0.3, 0.5):
        for a in range(2):
            for p in range(2):
                event = {"selection": {training_charts.CELL: [{"actual": names[a], "predicted": names[p]}]}}
                cell = judgement.picked_cell(event)
                assert cell == (names[a], names[p])
                table = judgement.cell_rows(shop, *cell, scores, threshold)
                want = [int(r) for r, t, s in zip(idx, y, scores) if t == a and int(s >= threshold) == p]
                assert table["row"].tolist() == want
                cm = training_charts.threshold_report(y, scores, threshold)["confusion_matrix"]
                assert len(table) == cm[a, p]  # the count the clicked cell shows
    assert judgement.picked_cell({"selection": {training_charts.CELL: []}}) is None
    assert judgement.picked_cell(None) is None
    spec = training_charts.confusion_chart(cm, names, selectable=True).to_dict()
    assert training_charts.CELL in str(spec.get("params"))


def test_calibration_chart_builds_from_the_reliability_table():
    y = np.array([0, 1, 1, 0, 1, 1])
    p = np.array([0.05, 0.15, 0.55, 0.58, 0.95, 1.0])
    frame, ece = training_charts.calibration_frame(y, p, n_bins=2)
    assert frame["count"].tolist() == [2, 4] and ece == pytest.approx(2 / 6 * 0.4 + 4 / 6 * 0.02)
    spec = training_charts.calibration_chart(frame, ece, binary=True).to_dict()
    assert "0.147" in str(spec["title"])
