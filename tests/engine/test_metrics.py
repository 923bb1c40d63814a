"""Metrics against hand-computed values, closed forms and (as an extra reference) scikit-learn."""

import math

import numpy as np
import pytest

from nn_core import metrics

Y_TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 0, 1, 2])
Y_PRED = np.array([0, 1, 1, 1, 0, 2, 1, 0, 1, 2])


def test_accuracy_by_hand():
    assert metrics.accuracy(Y_TRUE, Y_PRED) == pytest.approx(7 / 10)
    assert metrics.accuracy([1, 1], [1, 1]) == 1.0
    with pytest.raises(ValueError, match="3 true values but 2 predictions"):
        metrics.accuracy([0, 1, 1], [0, 1])


def test_confusion_matrix_by_hand():
    # rows = true class, columns = predicted class
    expected = np.array([
        [2, 1, 0],  # true 0: predicted 0, 1, 0
        [1, 3, 0],  # true 1: predicted 1, 1, 0, 1
        [0, 1, 2],  # true 2: predicted 2, 1, 2
    ])
    np.testing.assert_array_equal(metrics.confusion_matrix(Y_TRUE, Y_PRED), expected)
    np.testing.assert_array_equal(metrics.confusion_matrix(Y_TRUE, Y_PRED, n_classes=4)[:3, :3], expected)
    assert metrics.confusion_matrix(Y_TRUE, Y_PRED, n_classes=4)[3].sum() == 0


def test_precision_recall_f1_by_hand():
    cm = metrics.confusion_matrix(Y_TRUE, Y_PRED)
    r = metrics.precision_recall_f1(cm)
    precision = [2 / 3, 3 / 5, 2 / 2]  # column sums 3, 5, 2
    recall = [2 / 3, 3 / 4, 2 / 3]  # row sums 3, 4, 3
    f1 = [2 * p * q / (p + q) for p, q in zip(precision, recall)]
    np.testing.assert_allclose(r["precision"], precision, rtol=1e-15)
    np.testing.assert_allclose(r["recall"], recall, rtol=1e-15)
    np.testing.assert_allclose(r["f1"], f1, rtol=1e-15)
    np.testing.assert_array_equal(r["support"], [3, 4, 3])
    assert r["macro_precision"] == pytest.approx(np.mean(precision))
    assert r["macro_recall"] == pytest.approx(np.mean(recall))
    assert r["macro_f1"] == pytest.approx(np.mean(f1))


def test_precision_with_a_class_never_predicted_is_zero():
    cm = np.array([[3, 0], [2, 0]])
    r = metrics.precision_recall_f1(cm)
    np.testing.assert_array_equal(r["precision"], [3 / 5, 0.0])
    np.testing.assert_array_equal(r["recall"], [1.0, 0.0])
    np.testing.assert_array_equal(r["f1"], [2 * 0.6 / 1.6, 0.0])


def test_precision_recall_f1_against_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    r = metrics.precision_recall_f1(metrics.confusion_matrix(y, p, 4))
    P, R, F, S = sk.precision_recall_fscore_support(y, p, labels=[0, 1, 2, 3], zero_division=0)
    np.testing.assert_allclose(r["precision"], P)
    np.testing.assert_allclose(r["recall"], R)
    np.testing.assert_allclose(r["f1"], F)
    np.testing.assert_array_equal(r["support"], S)
    np.testing.assert_array_equal(metrics.confusion_matrix(y, p, 4), sk.confusion_matrix(y, p, labels=[0, 1, 2, 3]))


def test_known_auc():
    # pairs (positive, negative): (0.35, 0.1) yes, (0.35, 0.4) no, (0.8, 0.1) yes, (0.8, 0.4) yes -> 3/4
    assert metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75, rel=1e-15)


def test_roc_curve_by_hand():
    fpr, tpr, thr = metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    assert thr[0] == np.inf
    np.testing.assert_allclose(thr[1:], [0.8, 0.4, 0.35, 0.1])
    assert metrics.auc(fpr, tpr) == pytest.approx(0.75)


def test_roc_curve_needs_both_classes():
    with pytest.raises(ValueError, match="both classes"):
        metrics.roc_curve([1, 1, 1], [0.2, 0.4, 0.9])


def mann_whitney_auc(y, s) -> float:
    """P(score of a random positive > score of a random negative), ties counting half."""
    pos, neg = s[y == 1], s[y == 0]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return (greater + 0.5 * ties) / (pos.size * neg.size)


@pytest.mark.parametrize("seed", range(5))
def test_auc_equals_the_rank_formula_with_ties(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 60)
    s = np.round(rng.uniform(size=60) + 0.3 * y, 1)  # rounding makes many ties
    assert len(np.unique(s)) < 30
    assert metrics.roc_auc(y, s) == pytest.approx(mann_whitney_auc(y, s), rel=1e-12)


def test_all_tied_scores_give_half():
    assert metrics.roc_auc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3]) == pytest.approx(0.5)


def test_ovr_macro_auc():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 80)
    scores = rng.dirichlet([1, 1, 1], size=80)
    scores[np.arange(80), y] += 0.3
    scores /= scores.sum(axis=1, keepdims=True)
    expected = np.mean([mann_whitney_auc((y == c).astype(int), scores[:, c]) for c in range(3)])
    assert metrics.roc_auc(y, scores) == pytest.approx(expected, rel=1e-12)
    sk = pytest.importorskip("sklearn.metrics")
    assert metrics.roc_auc(y, scores) == pytest.approx(sk.roc_auc_score(y, scores, multi_class="ovr"), rel=1e-12)


def test_log_loss_by_hand():
    # binary: -(log 0.9 + log(1 - 0.2) + log 0.6) / 3
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3
    assert metrics.log_loss([1, 0, 1], [0.9, 0.2, 0.6]) == pytest.approx(expected, rel=1e-14)
    # multiclass: -(log 0.7 + log 0.5) / 2
    proba = np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    assert metrics.log_loss([0, 2], proba) == pytest.approx(-(math.log(0.7) + math.log(0.5)) / 2, rel=1e-14)
    # a confident mistake is large but finite
    assert math.isfinite(metrics.log_loss([1, 0], [0.0, 1.0]))


@pytest.mark.parametrize(("correct", "n"), [(45, 50), (0, 10), (10, 10), (7, 20), (500, 1000)])
def test_wilson_interval_closed_form(correct, n):
    z = 1.96
    p = correct / n
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = metrics.wilson_interval(correct, n)
    assert lo == pytest.approx(max(0.0, center - half), abs=1e-15)
    assert hi == pytest.approx(min(1.0, center + half), abs=1e-15)
    assert 0.0 <= lo <= p <= hi <= 1.0


def test_wilson_interval_known_value():
    # 45/50 at 95%: the textbook interval is (0.7864, 0.9565)
    lo, hi = metrics.wilson_interval(45, 50)
    assert (round(lo, 4), round(hi, 4)) == (0.7864, 0.9565)
    with pytest.raises(ValueError):
        metrics.wilson_interval(0, 0)


def test_regression_metrics_by_hand():
    y = np.array([3.0, -0.5, 2.0, 7.0])
    f = np.array([2.5, 0.0, 2.0, 8.0])
    # errors 0.5, -0.5, 0, -1 ; mean(y) = 2.875
    ss_res = 0.25 + 0.25 + 0 + 1.0
    ss_tot = (3 - 2.875) ** 2 + (-0.5 - 2.875) ** 2 + (2 - 2.875) ** 2 + (7 - 2.875) ** 2  # 29.1875
    assert metrics.r2_score(y, f) == pytest.approx(1 - ss_res / ss_tot, rel=1e-14)  # 0.9486081370449679
    assert metrics.r2_score(y, f) == pytest.approx(0.9486081370449679, rel=1e-14)
    assert metrics.mean_absolute_error(y, f) == pytest.approx(0.5, rel=1e-15)
    assert metrics.root_mean_squared_error(y, f) == pytest.approx(math.sqrt(1.5 / 4), rel=1e-15)
    report = metrics.regression_report(y, f)
    assert report["n"] == 4 and report["mae"] == pytest.approx(0.5)
    assert report["r2"] == pytest.approx(0.9486081370449679)
    assert report["rmse"] == pytest.approx(math.sqrt(0.375))


def test_classification_report_binary():
    y = np.array([0, 0, 1, 1, 1])
    proba = np.array([0.2, 0.6, 0.7, 0.4, 0.9])  # predictions 0, 1, 1, 0, 1
    r = metrics.classification_report(y, proba, n_classes=2)
    np.testing.assert_array_equal(r["confusion_matrix"], [[1, 1], [1, 2]])
    assert r["n"] == 5
    assert r["accuracy"] == pytest.approx(3 / 5)
    assert r["accuracy_interval"] == pytest.approx(metrics.wilson_interval(3, 5))
    assert r["precision_pos"] == pytest.approx(2 / 3) and r["recall_pos"] == pytest.approx(2 / 3)
    # pairs: positives 0.7, 0.4, 0.9 vs negatives 0.2, 0.6 -> 2 + 1 + 2 = 5 of 6
    assert r["roc_auc"] == pytest.approx(5 / 6)
    assert r["log_loss"] == pytest.approx(-np.mean(np.log([0.8, 0.4, 0.7, 0.4, 0.9])))


def test_classification_report_multiclass():
    y = np.array([0, 1, 2, 2])
    proba = np.array([[0.8, 0.1, 0.1], [0.3, 0.4, 0.3], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]])
    r = metrics.classification_report(y, proba, n_classes=3)
    np.testing.assert_array_equal(r["confusion_matrix"], [[1, 0, 0], [0, 1, 0], [0, 1, 1]])
    assert r["accuracy"] == pytest.approx(0.75)
    assert r["macro_recall"] == pytest.approx((1 + 1 + 0.5) / 3)


@pytest.mark.parametrize("y_pred, expected", [
    ([3.0, 3.0, 3.0], 1.0),   # a constant target predicted exactly
    ([3.0, 3.5, 3.0], 0.0),   # any miss of a constant target
    ([0.0, 0.0, 0.0], 0.0),
])
def test_r2_of_a_constant_target_follows_scikit_learn(y_pred, expected):
    y = [3.0, 3.0, 3.0]  # sum((y - mean(y))^2) = 0: the ratio is undefined
    assert metrics.r2_score(y, y_pred) == expected
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    assert metrics.r2_score(y, y_pred) == sklearn_metrics.r2_score(y, y_pred)


def test_r2_matches_scikit_learn_on_a_varied_target():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y, f = rng.normal(size=50), rng.normal(size=50)
    assert metrics.r2_score(y, f) == pytest.approx(sklearn_metrics.r2_score(y, f), rel=1e-12)
