"""The issue's expensive requests, refused by ui.budgets with one sentence before anything is allocated."""

import re

import pytest

import nn_core
from ui import budgets, runs

from .conftest import run_bounded


def _run(hidden, n=1000, **config):
    ds = nn_core.generate("circles", n=n, seed=0)
    return runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=hidden, **config))


CASES = {
    "hidden=249999 on diabetes-sized rows": (
        lambda: budgets.check_training([2, 249_999, 1], 460, 300, validation_rows=154),
        r"needs about 3.\d GB for 614 rows; the limit is 300 MB: use fewer hidden units \(at most [\d,]+ in the widest"),
    "2-1000-990-1 for 83,333 epochs": (
        lambda: budgets.check_training([2, 1000, 990, 1], 600, 83_333),
        r"83,333 epochs would take about [\d.]+ hours .* use at most \d+ epochs at a time"),
    "batch size 1 on 10,000 points": (
        lambda: budgets.check_training([2, 8, 8, 1], 10_000, 5_000, batch_size=1),
        r"would take about .* use at most \d+ epochs at a time, or a larger batch size"),
    "the article's hidden layer at 9M parameters": (
        lambda: budgets.check_article_hidden((3000, 2998), 614), r"9,0[\d,]+ weights and biases; the app allows 1,000,000"),
    "the article's hidden layer too slow": (
        lambda: budgets.check_article_hidden((900, 900), 614), r"would take about .* epochs at a time"),
    "a boundary grid of a very wide net": (
        lambda: budgets.check_grid([2, 249_999, 1], 80 * 80), r"a grid of 6,400 points; the limit is 300 MB"),
    "neuron maps of a wide net": (
        lambda: budgets.check_grid([2, 5000, 5000, 1], 80 * 80, traced=True), r"or a coarser grid"),
    "batch prediction of a wide net": (
        lambda: budgets.check_prediction([2, 249_999, 1], 2000), r"for 2,000 rows; the limit is 300 MB"),
    "a 47 MB model file": (lambda: budgets.check_model_upload(47_000_000), r"47.0 MB; the limit is 40 MB"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_expensive_requests_are_refused_in_one_sentence(case):
    check, match = CASES[case]
    sentence = check()
    assert sentence is not None
    assert re.search(match, sentence), sentence
    assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence


@pytest.mark.parametrize(
    "check",
    [lambda: budgets.check_training([8, 8, 8, 1], 460, 300, validation_rows=154),
     lambda: budgets.check_training([20, 8, 8, 1], 30_000, 300, validation_rows=10_000),
     lambda: budgets.check_article_hidden((8,), 614), lambda: budgets.check_grid([2, 64, 64, 1], 200 * 200, traced=True),
     lambda: budgets.check_prediction([8, 16, 1], 200_000), lambda: budgets.check_model_upload(27_000_000)],
)
def test_ordinary_requests_pass(check):
    assert check() is None


def test_check_budget_refuses_a_wide_run_and_keeps_it_untrained():
    run = _run((249_999,))
    before = run.net.parameters[0].copy()
    with pytest.raises(ValueError, match="the limit is 300 MB"):
        runs.train(run, 300)
    assert run.epochs == 0 and (run.net.parameters[0] == before).all()


def test_check_budget_refuses_batch_size_one_for_many_epochs():
    run = _run((8, 8), n=10_000, batch_size=1, val_fraction=0.0, test_fraction=0.0)
    with pytest.raises(ValueError, match="a larger batch size"):
        runs.check_budget(run, 5000)


_WIDE = """
import nn_core
from ui import runs
ds = nn_core.generate("circles", n=1000, seed=0)
run = runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=(249_999,)))
try:
    runs.train(run, 300)
except ValueError as exc:
    print("REFUSED", exc)
"""


def test_a_wide_training_request_is_refused_within_a_small_address_space():
    # 1.5 GB of address space: training this net would need about 6 GB; the refusal needs almost nothing
    out = run_bounded(_WIDE, address_space_mb=1500)
    assert out.returncode == 0, out.stderr
    assert "REFUSED This network needs about" in out.stdout
    assert out.seconds < 120 and out.peak_mb < 400, (out.seconds, out.peak_mb)  # generous: a safety bound
