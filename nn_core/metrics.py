"""Metrics for judging a trained net on held-out data.

Classification: accuracy (with a Wilson interval), confusion matrix,
precision/recall/F1 per class and macro-averaged, ROC curve and AUC (one-vs-rest
macro AUC for more than two classes), log loss, calibration (a reliability
table and its expected calibration error). Regression: R^2, MAE, RMSE.
Labels are integers ``0..k-1``; scores are probabilities.
"""

from __future__ import annotations

import math

import numpy as np


def accuracy(y_true, y_pred) -> float:
    """Fraction of rows where the predicted label equals the true one."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    _same_length(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def wilson_interval(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion ``correct / n`` (95% for z = 1.96).

    ``center = (p + z^2/2n) / (1 + z^2/n)``,
    ``half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)``.
    """
    if n <= 0:
        raise ValueError("The Wilson interval needs at least one row.")
    p = correct / n
    denom = 1.0 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, center - half), min(1.0, center + half)


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """``C[i, j]`` = number of rows of true class ``i`` predicted as ``j``."""
    y_true = np.asarray(y_true).astype(np.int64).ravel()
    y_pred = np.asarray(y_pred).astype(np.int64).ravel()
    _same_length(y_true, y_pred)
    k = n_classes if n_classes is not None else int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


def precision_recall_f1(cm: np.ndarray) -> dict[str, np.ndarray | float]:
    """Per-class precision, recall, F1 and support from a confusion matrix, plus macro averages.

    ``precision_c = C[c,c] / sum_i C[i,c]``, ``recall_c = C[c,c] / sum_j C[c,j]``,
    ``F1 = 2PR/(P+R)``; 0 where a denominator is 0.
    """
    cm = np.asarray(cm, dtype=np.float64)
    tp = np.diag(cm)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    s = precision + recall
    f1 = np.divide(2 * precision * recall, s, out=np.zeros_like(tp), where=s > 0)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "support": actual.astype(np.int64),
        "macro_precision": float(precision.mean()),
        "macro_recall": float(recall.mean()),
        "macro_f1": float(f1.mean()),
    }


def roc_curve(y_true, score) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(fpr, tpr, thresholds)`` for binary labels and scores (higher = more positive).

    One point per distinct score, from ``(0, 0)`` (threshold above every score)
    to ``(1, 1)``; a row is predicted positive when ``score >= threshold``.
    """
    y = np.asarray(y_true).astype(np.int64).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    _same_length(y, s)
    pos, neg = int(y.sum()), int((1 - y).sum())
    if pos == 0 or neg == 0:
        raise ValueError("The ROC curve needs both classes among the rows.")
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last_of_group = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tps = np.cumsum(y)[last_of_group]
    fps = (last_of_group + 1) - tps
    tpr = np.r_[0.0, tps / pos]
    fpr = np.r_[0.0, fps / neg]
    thresholds = np.r_[np.inf, s[last_of_group]]
    return fpr, tpr, thresholds


def auc(x, y) -> float:
    """Area under a curve by the trapezoid rule."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))


def roc_auc(y_true, score) -> float:
    """Binary ROC AUC, or for ``score`` of shape ``(n, k)`` the macro one-vs-rest AUC.

    Equals the probability that a random positive scores above a random
    negative (ties count half).
    """
    score = np.asarray(score, dtype=np.float64)
    y = np.asarray(y_true).astype(np.int64).ravel()
    if score.ndim == 1:
        fpr, tpr, _ = roc_curve(y, score)
        return auc(fpr, tpr)
    aucs = [roc_auc((y == c).astype(np.int64), score[:, c]) for c in range(score.shape[1]) if 0 < (y == c).sum() < y.size]
    if not aucs:
        raise ValueError("One-vs-rest AUC needs at least two classes among the rows.")
    return float(np.mean(aucs))


def log_loss(y_true, proba, eps: float = 1e-15) -> float:
    """Mean cross-entropy of probabilities: ``-mean(log p[true class])`` (clipped to ``[eps, 1-eps]``)."""
    p = np.asarray(proba, dtype=np.float64)
    y = np.asarray(y_true).astype(np.int64).ravel()
    if p.ndim == 1:
        p = np.stack([1 - p, p], axis=1)
    picked = np.clip(p[np.arange(y.size), y], eps, 1 - eps)
    return float(-np.mean(np.log(picked)))


def r2_score(y_true, y_pred) -> float:
    """``1 - sum((y - f)^2) / sum((y - mean(y))^2)``.

    For a constant ``y`` the ratio is undefined: 1.0 for perfect predictions,
    else 0.0 (as scikit-learn).
    """
    y, f = np.asarray(y_true, dtype=np.float64).ravel(), np.asarray(y_pred, dtype=np.float64).ravel()
    _same_length(y, f)
    ss_tot = float(((y - y.mean()) ** 2).sum())
    ss_res = float(((y - f) ** 2).sum())
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return 1.0 - ss_res / ss_tot


def mean_absolute_error(y_true, y_pred) -> float:
    y, f = np.asarray(y_true, dtype=np.float64).ravel(), np.asarray(y_pred, dtype=np.float64).ravel()
    return float(np.mean(np.abs(y - f)))


def root_mean_squared_error(y_true, y_pred) -> float:
    y, f = np.asarray(y_true, dtype=np.float64).ravel(), np.asarray(y_pred, dtype=np.float64).ravel()
    return float(np.sqrt(np.mean((y - f) ** 2)))


def classification_report(y_true, proba, n_classes: int, threshold: float = 0.5) -> dict:
    """Every classification metric at once, for the dashboard and the CLI.

    ``proba`` is ``(n,)`` P(class 1) for binary or ``(n, k)``.
    """
    y = np.asarray(y_true).astype(np.int64).ravel()
    proba = np.asarray(proba, dtype=np.float64)
    pred = (proba >= threshold).astype(np.int64) if proba.ndim == 1 else proba.argmax(axis=1)
    cm = confusion_matrix(y, pred, n_classes)
    correct = int(np.trace(cm))
    prf = precision_recall_f1(cm)
    report = {
        "n": int(y.size),
        "accuracy": correct / y.size,
        "accuracy_interval": wilson_interval(correct, y.size),
        "confusion_matrix": cm,
        "log_loss": log_loss(y, proba),
        **prf,
    }
    try:
        report["roc_auc"] = roc_auc(y, proba)
    except ValueError:
        report["roc_auc"] = float("nan")
    if proba.ndim == 1:
        report["precision_pos"] = float(prf["precision"][1]) if n_classes > 1 else 0.0
        report["recall_pos"] = float(prf["recall"][1]) if n_classes > 1 else 0.0
        report["f1_pos"] = float(prf["f1"][1]) if n_classes > 1 else 0.0
    return report


def regression_report(y_true, y_pred) -> dict:
    return {
        "n": int(np.asarray(y_true).size),
        "r2": r2_score(y_true, y_pred),
        "mae": mean_absolute_error(y_true, y_pred),
        "rmse": root_mean_squared_error(y_true, y_pred),
    }


def reliability(y_true, proba, n_bins: int = 10) -> dict:
    """Calibration: per confidence bin, how often the event happened; and the expected calibration error.

    Binary (``proba`` ``(n,)`` P(class 1)): the confidence is P(class 1) and
    the event is "the row is class 1". Multi-class (``proba`` ``(n, k)``),
    top-label: the confidence is the highest probability and the event is
    "the predicted class is right". Bins are equal-width on [0, 1]: bin
    ``b`` holds confidences in ``(b/B, (b+1)/B]`` (the first also holds 0).

    ``ECE = sum_b (n_b / n) |observed_b - confidence_b|``, with the bin's mean
    event rate and mean confidence.

    Returns ``{"low", "high", "confidence", "observed", "count"}`` (arrays
    ``(B,)``, NaN means for empty bins) and ``"ece"`` (float).
    """
    y = np.asarray(y_true).astype(np.int64).ravel()
    proba = np.asarray(proba, dtype=np.float64)
    _same_length(y, proba)
    if y.size == 0:
        raise ValueError("Calibration needs at least one row.")
    if proba.ndim == 1:
        confidence, event = proba, (y == 1).astype(np.float64)
    else:
        confidence, event = proba.max(axis=1), (proba.argmax(axis=1) == y).astype(np.float64)
    bins = np.clip(np.ceil(confidence * n_bins).astype(np.int64) - 1, 0, n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(bins, confidence, n_bins) / count
        observed = np.bincount(bins, event, n_bins) / count
    filled = count > 0
    ece = float(np.sum(count[filled] / y.size * np.abs(observed[filled] - mean_conf[filled])))
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    return {"low": edges[:-1], "high": edges[1:], "confidence": mean_conf, "observed": observed,
            "count": count, "ece": ece}


def _same_length(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"Got {a.shape[0]} true values but {b.shape[0]} predictions.")
