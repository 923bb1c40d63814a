"""Charts and metric helpers for the Train page: loss curves, confusion matrix, ROC, predicted vs actual.

Every builder is a pure function of plain data and sets its scale domains
explicitly: the loss chart is redrawn many times a second while a net
trains, and a chart whose axes moved on every redraw would be unreadable.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from nn_core import metrics
from nn_core.training import History

from ..runs import Run, held_out_part
from . import CLASS_COLORS, MAX_POINTS, class_colors, padded_domain, sample_rows

PART_COLORS = {"train": CLASS_COLORS[0], "validation": CLASS_COLORS[5]}
METRIC_TITLES = {"accuracy": "validation accuracy", "r2": "validation R²"}
#: The name of the click selection on the confusion matrix's cells.
CELL = "cell"
#: Decision thresholds offered for a binary classifier.
THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(1, 100))


# ------------------------------------------------------------------ loss curves
def loss_frame(history: History, max_points: int = MAX_POINTS // 2) -> tuple[pd.DataFrame, int]:
    """One row per epoch (1-based): ``epoch, train, validation, metric, lr``; and the thinning step.

    More than ``max_points`` epochs are thinned evenly (every ``step``-th
    epoch, the last one always kept), so a long run stays a light chart.
    ``validation`` and ``metric`` are NaN when the run has no validation rows.
    """
    n = history.epochs
    step = max(1, math.ceil(n / max_points))
    idx = np.unique(np.r_[np.arange(0, n, step), n - 1]) if n else np.arange(0)
    has_val = len(history.val_loss) == n and n > 0
    column = (lambda values: np.asarray(values, dtype=np.float64)[idx]) if n else (lambda _: [])
    return pd.DataFrame({
        "epoch": idx + 1,
        "train": column(history.loss),
        "validation": column(history.val_loss) if has_val else np.full(len(idx), np.nan),
        "metric": column(history.val_metric) if has_val and len(history.val_metric) == n else np.full(len(idx), np.nan),
        "lr": column(history.learning_rate) if len(history.learning_rate) == n else np.full(len(idx), np.nan),
    }), step


def loss_y_domain(history: History, log: bool = False) -> list[float]:
    """The loss axis for the losses recorded so far: ``[0, 1.05 max]``, or a padded log range.

    Called once at the first redraw of a live chart, it fixes the axis from
    the first losses; later, higher losses are clamped to the top edge.
    """
    values = np.asarray([*history.loss, *history.val_loss], dtype=np.float64)
    values = values[np.isfinite(values)]
    if log:
        values = values[values > 0]
        if values.size == 0:
            return [1e-3, 1.0]
        lo, hi = float(values.min()), float(values.max())
        return [lo / 1.5, hi * 1.5]
    if values.size == 0:
        return [0.0, 1.0]
    hi = float(values.max())
    return [0.0, hi * 1.05 if hi > 0 else 1.0]


def loss_chart(history: History, *, x_max: int, y_domain: list[float], log: bool = False,
               loss_name: str = "loss", height: int = 380) -> alt.LayerChart:
    """Training and validation loss per epoch; hovering shows the epoch's values.

    ``x_max`` fixes the epoch axis (the target epoch while training, so the
    curve grows into a still frame); ``y_domain`` fixes the loss axis.
    """
    frame, step = loss_frame(history)
    has_val = bool(frame["validation"].notna().any())
    parts = ["train", "validation"] if has_val else ["train"]
    long = frame.melt(id_vars="epoch", value_vars=parts, var_name="part", value_name="loss").dropna()
    if log:
        long = long[long["loss"] > 0]
    x = alt.X("epoch:Q", title="epoch", scale=alt.Scale(domain=[0, max(int(x_max), 1)], nice=False),
              axis=alt.Axis(format="d", tickMinStep=1))
    y_scale = alt.Scale(domain=list(y_domain), type="log" if log else "linear", clamp=True, nice=False)
    lines = alt.Chart(long).mark_line(strokeWidth=2, clip=True).encode(
        x=x,
        y=alt.Y("loss:Q", title=f"{loss_name}{' (log scale)' if log else ''}", scale=y_scale,
                axis=alt.Axis(format=".3~g")),
        color=alt.Color("part:N", title=None, scale=alt.Scale(
            domain=parts, range=[PART_COLORS[p] for p in parts]), legend=alt.Legend(orient="top")),
    )
    hover = alt.selection_point(name="epoch_hover", nearest=True, on="pointerover", fields=["epoch"],
                                empty=False, clear="pointerout")
    tooltip = [alt.Tooltip("epoch:Q"), alt.Tooltip("train:Q", title=f"train {loss_name}", format=".4g")]
    if has_val:
        tooltip.append(alt.Tooltip("validation:Q", title=f"validation {loss_name}", format=".4g"))
        if frame["metric"].notna().any():
            title = METRIC_TITLES.get(history.val_metric_name, "validation metric")
            tooltip.append(alt.Tooltip("metric:Q", title=title, format=".3f"))
    tooltip.append(alt.Tooltip("lr:Q", title="learning rate", format=".3g"))
    wide = frame.drop(columns=[c for c in ("validation", "metric") if not has_val])
    if log:
        wide = wide[wide["train"] > 0]
    catcher = alt.Chart(wide).mark_point(size=30, opacity=0).encode(
        x=x, y=alt.Y("train:Q", scale=y_scale), tooltip=tooltip,
    ).add_params(hover)
    rule = alt.Chart(wide).mark_rule(color="#888888").encode(
        x=x, opacity=alt.condition(hover, alt.value(0.7), alt.value(0.0)), tooltip=tooltip,
    )
    layers: list[alt.Chart] = [lines, catcher, rule]
    if history.best_epoch is not None and history.status == "early_stopped":
        best = pd.DataFrame({"epoch": [history.best_epoch], "label": ["best validation epoch"]})
        layers.append(alt.Chart(best).mark_rule(color="#009E73", strokeDash=[4, 3]).encode(
            x=x, tooltip=[alt.Tooltip("label:N", title="kept"), alt.Tooltip("epoch:Q")]))
    subtitle = [f"every {step}th epoch drawn"] if step > 1 else []
    return alt.layer(*layers).properties(
        height=height, title=alt.TitleParams("Loss per epoch", subtitle=subtitle))


# -------------------------------------------------------------- classification
def held_out_scores(run: Run) -> tuple[str, np.ndarray, np.ndarray]:
    """The held-out part's name, its targets and the model's scores on it.

    Scores are P(class 1) ``(n,)`` for binary, ``(n, k)`` probabilities for
    multi-class, predicted values ``(n,)`` for regression.
    """
    part = held_out_part(run)
    idx = dict(zip(("train", "validation", "test"), run.split))[part]
    X, y = run.dataset.X[idx], run.dataset.y[idx]
    model = run.model
    scores = model.predict_index(X) if run.dataset.problem_type == "regression" else model.predict_proba(X)
    return part, y, np.asarray(scores, dtype=np.float64)


def threshold_report(y: np.ndarray, proba: np.ndarray, threshold: float) -> dict:
    """The binary classification report when rows with ``P(class 1) >= threshold`` count as class 1."""
    return metrics.classification_report(y, proba, 2, threshold=threshold)


def roc_point(y: np.ndarray, proba: np.ndarray, threshold: float) -> tuple[float, float]:
    """``(false positive rate, true positive rate)`` at a threshold: where it sits on the ROC curve."""
    y = np.asarray(y).astype(bool)
    positive = np.asarray(proba) >= threshold
    pos, neg = int(y.sum()), int((~y).sum())
    tpr = float((positive & y).sum() / pos) if pos else 0.0
    fpr = float((positive & ~y).sum() / neg) if neg else 0.0
    return fpr, tpr


def confusion_frame(cm: np.ndarray, class_names: list[str]) -> pd.DataFrame:
    """One row per cell: ``actual, predicted, count, share`` (share of the actual class's rows)."""
    cm = np.asarray(cm)
    k = cm.shape[0]
    totals = cm.sum(axis=1)
    rows = [
        {"actual": class_names[i], "predicted": class_names[j], "count": int(cm[i, j]),
         "share": float(cm[i, j] / totals[i]) if totals[i] else 0.0}
        for i in range(k) for j in range(k)
    ]
    return pd.DataFrame(rows)


def confusion_chart(cm: np.ndarray, class_names: list[str], title: str = "Confusion matrix",
                    size: int = 300, selectable: bool = False) -> alt.LayerChart:
    """A heatmap of counts, actual classes down, predicted across, each cell labelled with its count.

    ``selectable``: a click on a cell is a selection named ``CELL`` with the
    fields ``actual`` and ``predicted`` (class names).
    """
    frame = confusion_frame(cm, class_names)
    top = max(int(frame["count"].max()), 1) if len(frame) else 1
    names = list(class_names)
    x = alt.X("predicted:N", title="predicted", scale=alt.Scale(domain=names), sort=names,
              axis=alt.Axis(labelAngle=0, labelLimit=120))
    y = alt.Y("actual:N", title="actual", scale=alt.Scale(domain=names), sort=names,
              axis=alt.Axis(labelLimit=120))
    tip = [alt.Tooltip("actual:N"), alt.Tooltip("predicted:N"), alt.Tooltip("count:Q"),
           alt.Tooltip("share:Q", title="share of actual", format=".1%")]
    cells = alt.Chart(frame).mark_rect(stroke="white").encode(
        x=x, y=y, tooltip=tip,
        color=alt.Color("count:Q", scale=alt.Scale(domain=[0, top], scheme="blues"), legend=None),
    )
    text = alt.Chart(frame).mark_text(fontSize=14).encode(
        x=x, y=y, text=alt.Text("count:Q"), tooltip=tip,
        color=alt.condition(alt.datum["count"] > top / 2, alt.value("white"), alt.value("#222222")),
    )
    if selectable:
        cells = cells.add_params(alt.selection_point(name=CELL, fields=["actual", "predicted"], on="click"))
    return alt.layer(cells, text).properties(width=size, height=size, title=title)


def roc_frame(y: np.ndarray, scores: np.ndarray, class_names: list[str]) -> pd.DataFrame:
    """ROC curve points ``fpr, tpr, threshold, curve``: one curve for binary, one per class (one-vs-rest) else.

    Classes absent from the rows get no curve. At most ``MAX_POINTS`` rows in
    all (each curve thinned evenly, its ends kept).
    """
    y = np.asarray(y).astype(np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        targets = [(class_names[1], (y == 1).astype(np.int64), scores)]
    else:
        targets = [(class_names[c], (y == c).astype(np.int64), scores[:, c]) for c in range(scores.shape[1])]
    frames = []
    per_curve = max(2, MAX_POINTS // max(len(targets), 1))
    for name, positive, score in targets:
        if positive.sum() in (0, positive.size):
            continue
        fpr, tpr, thresholds = metrics.roc_curve(positive, score)
        keep = np.unique(np.r_[np.linspace(0, fpr.size - 1, min(per_curve, fpr.size)).astype(int), fpr.size - 1])
        frames.append(pd.DataFrame({"fpr": fpr[keep], "tpr": tpr[keep],
                                    "threshold": np.where(np.isfinite(thresholds[keep]), thresholds[keep], np.nan),
                                    "curve": name}))
    if not frames:
        return pd.DataFrame({"fpr": [], "tpr": [], "threshold": [], "curve": []})
    return pd.concat(frames, ignore_index=True)


def roc_chart(frame: pd.DataFrame, *, auc: float, class_names: list[str], multiclass: bool = False,
              point: tuple[float, float] | None = None, size: int = 300) -> alt.LayerChart:
    """ROC curve(s) on the unit square with the chance diagonal; ``point`` marks the current threshold."""
    unit = alt.Scale(domain=[0, 1], nice=False)
    x = alt.X("fpr:Q", title="false positive rate", scale=unit)
    y = alt.Y("tpr:Q", title="true positive rate", scale=unit)
    chance = alt.Chart(pd.DataFrame({"fpr": [0.0, 1.0], "tpr": [0.0, 1.0]})).mark_line(
        strokeDash=[4, 4], color="#999999").encode(x=x, y=y)
    curves = list(dict.fromkeys(frame["curve"].tolist())) if len(frame) else []
    colors = class_colors(len(class_names))
    if multiclass:
        range_ = [colors[class_names.index(c)] for c in curves]
        color = alt.Color("curve:N", title="class vs rest", scale=alt.Scale(domain=curves, range=range_))
    else:
        color = alt.Color("curve:N", legend=None, scale=alt.Scale(domain=curves, range=[colors[-1]] * len(curves)))
    tip = [alt.Tooltip("curve:N", title="class"), alt.Tooltip("threshold:Q", format=".3f"),
           alt.Tooltip("fpr:Q", format=".3f"), alt.Tooltip("tpr:Q", format=".3f")]
    line = alt.Chart(frame).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=x, y=y, color=color, tooltip=tip, order="fpr:Q")
    layers: list[alt.Chart] = [chance, line]
    if point is not None:
        layers.append(alt.Chart(pd.DataFrame({"fpr": [point[0]], "tpr": [point[1]]})).mark_point(
            size=120, filled=True, color="#D55E00").encode(
            x=x, y=y, tooltip=[alt.Tooltip("fpr:Q", format=".3f"), alt.Tooltip("tpr:Q", format=".3f")]))
    label = "one-vs-rest macro AUC" if multiclass else "AUC"
    title = f"ROC curve ({label} {auc:.3f})" if np.isfinite(auc) else "ROC curve"
    return alt.layer(*layers).properties(width=size, height=size, title=title)


# ------------------------------------------------------------------ calibration
def calibration_frame(y: np.ndarray, proba: np.ndarray, n_bins: int = 10) -> tuple[pd.DataFrame, float]:
    """The reliability table (non-empty bins: ``low, high, confidence, observed, count``) and its ECE."""
    r = metrics.reliability(y, proba, n_bins)
    frame = pd.DataFrame({k: r[k] for k in ("low", "high", "confidence", "observed", "count")})
    return frame[frame["count"] > 0].reset_index(drop=True), r["ece"]


def calibration_chart(frame: pd.DataFrame, ece: float, binary: bool, size: int = 300) -> alt.LayerChart:
    """Observed rate against mean predicted probability per bin; on the diagonal the model is calibrated.

    Point size is the bin's row count. Binary: P(class 1) against the share
    of class 1; multi-class: the top probability against the share right.
    """
    what = ("predicted P(class 1)", "share that is class 1") if binary else (
        "top predicted probability", "share predicted right")
    scale = alt.Scale(domain=[0, 1], nice=False)
    x = alt.X("confidence:Q", title=f"mean {what[0]}", scale=scale)
    y = alt.Y("observed:Q", title=what[1], scale=scale)
    diagonal = alt.Chart(pd.DataFrame({"confidence": [0.0, 1.0], "observed": [0.0, 1.0]})).mark_line(
        strokeDash=[4, 4], color="#999999").encode(x=x, y=y)
    tip = [alt.Tooltip("low:Q", title="bin from", format=".1f"), alt.Tooltip("high:Q", title="bin to", format=".1f"),
           alt.Tooltip("confidence:Q", title="mean predicted", format=".3f"),
           alt.Tooltip("observed:Q", title="observed", format=".3f"), alt.Tooltip("count:Q", title="rows")]
    line = alt.Chart(frame).mark_line(color=CLASS_COLORS[0], point=False).encode(x=x, y=y, order="confidence:Q")
    points = alt.Chart(frame).mark_circle(color=CLASS_COLORS[0], opacity=0.8).encode(
        x=x, y=y, size=alt.Size("count:Q", title="rows", legend=None), tooltip=tip)
    return alt.layer(diagonal, line, points).properties(
        width=size, height=size, title=alt.TitleParams(f"Calibration (expected calibration error {ece:.3f})"))


# ------------------------------------------------------------------ regression
def predicted_actual_chart(actual: np.ndarray, predicted: np.ndarray, target_name: str,
                           size: int = 320) -> alt.LayerChart:
    """Predicted against actual values on equal axes; the diagonal is a perfect prediction."""
    frame, sampled = sample_rows(pd.DataFrame({"actual": np.asarray(actual, dtype=np.float64),
                                               "predicted": np.asarray(predicted, dtype=np.float64)}))
    frame = frame[np.isfinite(frame["predicted"])]
    dom = padded_domain(np.r_[frame["actual"].to_numpy(), frame["predicted"].to_numpy()])
    scale = alt.Scale(domain=dom, nice=False, zero=False)
    x = alt.X("actual:Q", title=f"actual {target_name}", scale=scale)
    y = alt.Y("predicted:Q", title=f"predicted {target_name}", scale=scale)
    diagonal = alt.Chart(pd.DataFrame({"actual": dom, "predicted": dom})).mark_line(
        strokeDash=[4, 4], color="#999999").encode(x=x, y=y)
    points = alt.Chart(frame).mark_circle(size=30, opacity=0.6, color=CLASS_COLORS[0], clip=True).encode(
        x=x, y=y, tooltip=[alt.Tooltip("actual:Q", format=".4g"), alt.Tooltip("predicted:Q", format=".4g")])
    subtitle = [f"a random {MAX_POINTS:,} of {len(actual):,} rows"] if sampled else []
    return alt.layer(diagonal, points).properties(
        width=size, height=size, title=alt.TitleParams("Predicted vs actual", subtitle=subtitle))


# --------------------------------------------------------------------- tables
def number(value: float, digits: int = 3, signed: bool = False) -> str:
    """A metric for display: fixed decimals, or 3 significant digits when huge (a diverged net)."""
    if not np.isfinite(value):
        return str(value)
    sign = "+" if signed else ""
    return f"{value:{sign}.{digits}f}" if abs(value) < 1e4 else f"{value:{sign}.3g}"


def parts_table(report: dict, problem_type: str) -> pd.DataFrame:
    """Train / validation / test side by side (a gap between train and the others is overfitting)."""
    rows = []
    for part in ("train", "validation", "test"):
        if part not in report:
            continue
        r = report[part]
        if problem_type == "regression":
            rows.append({"rows": part, "n": r["n"], "R²": r["r2"], "MAE": r["mae"], "RMSE": r["rmse"]})
        else:
            rows.append({"rows": part, "n": r["n"], "accuracy": r["accuracy"], "log loss": r["log_loss"],
                         "macro F1": r["macro_f1"]})
    return pd.DataFrame(rows).set_index("rows") if rows else pd.DataFrame()
