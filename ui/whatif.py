"""What-if logic for the Predict page: the inputs, the point, what the model says and why.

No Streamlit here: everything is a function of a ``Run`` and a what-if point,
so the page stays layout and this module is tested without a browser.

A *point* is ``{raw feature index: value}`` in the data's own units (the
what-if values ``ui.state.whatif_point`` keeps per run). Derived features
(``x1^2``, ...) are never inputs: the model's preprocessing computes them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nn_core import explain
from nn_core.data import apply, load_csv, to_csv

from .boundary import axis_range
from .budgets import check_prediction
from .charts import padded_domain
from .charts.boundary import SELECTION
from .runs import Run

#: Margin (share of each feature's span) the what-if inputs reach beyond the data;
#: the same as the boundary chart's axes, so a click on the chart is always a valid input.
MARGIN = 0.05
#: The sweep curves show at most this many features (the ones that matter most here).
MAX_SWEEPS = 8
#: The batch table shows at most this many rows (the download has them all).
MAX_SHOWN_ROWS = 1_000
PARTS = ("training", "validation", "test")


# ------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class InputSpec:
    """One what-if input: its bounds and step in the feature's units, and a display format."""

    feature: int
    name: str
    lo: float
    hi: float
    step: float
    fmt: str  # printf style, for st.slider / st.number_input

    def clamp(self, value: float) -> float:
        return float(min(max(float(value), self.lo), self.hi))

    def snap(self, value: float) -> float:
        """The nearest multiple of the step, within the bounds (for a click's rough position)."""
        digits = max(0, -math.floor(math.log10(self.step)))
        return self.clamp(round(round(float(value) / self.step) * self.step, digits))


#: The smallest step a what-if input takes: a hundredth of it (``flip_target``'s rounding) is still a
#: normal float, so no step underflows to 0 and no ``log10`` is taken of 0 (values like 5e-324).
MIN_STEP = 1e-300
#: A step is at least this share of the values' size: finer steps are below a float's resolution,
#: and ``lo / step`` stays finite for the largest values the loader takes (1e75).
STEP_RESOLUTION = 1e-12


def nice_step(span: float, steps: int = 200, magnitude: float = 0.0) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``span / steps`` (a slider step people can read).

    Never below ``STEP_RESOLUTION * magnitude`` (the largest absolute value on
    the axis) nor below ``MIN_STEP``.
    """
    if not span > 0 or not math.isfinite(span):
        return 0.01
    raw = max(span / steps, STEP_RESOLUTION * abs(magnitude), MIN_STEP)
    power = 10.0 ** math.floor(math.log10(raw))
    return max(m * power for m in (1, 2, 5) if m * power <= raw)


def input_spec(run: Run, feature: int, margin: float = MARGIN) -> InputSpec:
    """Bounds: the data's range widened by ``margin`` and rounded out to the step.

    A feature of whole numbers spanning 20 or more moves in steps of 1.
    """
    lo, hi = axis_range(run, feature, margin)
    col = run.dataset.X[:, feature]
    col = col[np.isfinite(col)]
    whole = bool(np.all(col == np.round(col))) and float(col.max() - col.min()) >= 20
    step = 1.0 if whole else nice_step(hi - lo, magnitude=max(abs(lo), abs(hi)))
    digits = max(0, -math.floor(math.log10(step)))
    lo = round(math.floor(lo / step) * step, digits)
    hi = round(math.ceil(hi / step) * step, digits)
    return InputSpec(feature, run.dataset.feature_names[feature], float(lo), float(hi), float(step), "%g")


def input_specs(run: Run) -> list[InputSpec]:
    return [input_spec(run, j) for j in range(run.dataset.n_features)]


# -------------------------------------------------------------------- point
def median_point(run: Run) -> dict[int, float]:
    """Every raw feature at its training median."""
    pre = run.model.preprocessing
    return {j: float(pre.feature_stats[n]["median"]) for j, n in enumerate(pre.feature_names)}


def row_point(run: Run, row: int) -> dict[int, float]:
    """The raw features of data row ``row``; a missing value becomes its training median."""
    if not 0 <= row < run.dataset.n_samples:
        raise ValueError(f"There is no row {row}; the data has rows 0 to {run.dataset.n_samples - 1}.")
    medians = median_point(run)
    values = run.dataset.X[row]
    return {j: float(v) if np.isfinite(v) else medians[j] for j, v in enumerate(values)}


def row_caption(run: Run, row: int, point: Mapping[int, float] | None = None) -> str:
    """``Row 17 (test row): actual Diabetes = 1``: what the row really is, and which part it is in.

    With ``point``, says so when the what-if point is that row.
    """
    ds = run.dataset
    part = next((name for name, idx in zip(PARTS, run.split) if row in set(idx.tolist())), "unused")
    actual = ds.y[row] if ds.class_names is None else ds.class_names[int(ds.y[row])]
    actual = f"{actual:.4g}" if ds.class_names is None else actual
    here = point is not None and np.allclose(point_vector(point), point_vector(row_point(run, row)))
    return f"Row {row} ({part} row): actual {ds.target_name} = {actual}" + (" · the what-if point" if here else "")


def complete_point(run: Run, point: Mapping[int, float], specs: list[InputSpec]) -> dict[int, float]:
    """``point`` with every feature present (medians fill gaps) and each value within its input's bounds."""
    full = median_point(run)
    full.update({j: float(v) for j, v in point.items() if j in full and np.isfinite(v)})
    return {j: specs[j].clamp(v) for j, v in full.items()}


def point_vector(point: Mapping[int, float]) -> np.ndarray:
    """The point as one raw row ``(d,)``, features in order."""
    return np.array([point[j] for j in range(len(point))], dtype=np.float64)


# --------------------------------------------------------------- prediction
@dataclass
class Prediction:
    """What the model says at a point: the what-if output, the class and its probabilities."""

    output: float  # explain.output_of: P(class 1), P(predicted class) or the value
    class_index: int | None = None
    class_name: str | None = None
    probabilities: np.ndarray | None = None  # (k,) for classifiers; binary as [P(0), P(1)]


def predict_point(run: Run, point: Mapping[int, float]) -> Prediction:
    x = point_vector(point)[None]
    model = run.model
    output = float(explain.output_of(model, x)[0])
    if run.dataset.problem_type == "regression":
        return Prediction(output)
    probs = apply.probabilities(model, x)[0]
    k = int(model.predict_index(x)[0])
    return Prediction(output, k, run.dataset.class_names[k], probs)


def output_label(run: Run, class_index: int | None) -> str:
    """What the explained output is, in words: ``P(yes)``, ``P(Gentoo)`` or ``predicted Price``."""
    ds = run.dataset
    if ds.problem_type == "regression":
        return f"predicted {ds.target_name}"
    if ds.problem_type == "binary":
        return f"P({ds.class_names[1]})"
    return f"P({ds.class_names[class_index]})"


def explained_class(run: Run, point: Mapping[int, float], chosen: int | None) -> int | None:
    """The class whose probability the sensitivity and sweep explain (multi-class only).

    ``chosen`` (a class index) or, when None, the class predicted at the point.
    """
    if run.dataset.problem_type != "multiclass":
        return None
    if chosen is not None and chosen >= 0:
        return int(chosen)
    return int(run.model.predict_index(point_vector(point)[None])[0])


# -------------------------------------------------------------- sensitivity
def sensitivity_frame(run: Run, point: Mapping[int, float], class_index: int | None = None) -> pd.DataFrame:
    """One row per raw feature: ``d output / d x_j`` per unit (``per_unit``) and per standard deviation.

    ``per_std`` is the change for one training standard deviation of the
    feature (``per_unit * std``), which compares features measured in
    different units; ``order`` ranks features by its size.
    """
    pre = run.model.preprocessing
    d = len(pre.feature_names)
    grad = explain.sensitivity(run.model, point_vector(point), class_index)
    per_std = grad * pre.scale[:d]
    rank = np.argsort(-np.abs(per_std), kind="stable")
    order = np.empty(d, dtype=int)
    order[rank] = np.arange(d)
    return pd.DataFrame({"j": np.arange(d), "feature": pre.feature_names, "per_unit": grad,
                         "per_std": per_std, "order": order})


def top_features(sensitivity: pd.DataFrame, k: int = MAX_SWEEPS) -> list[int]:
    """The ``k`` features whose change moves the output most here, most first."""
    return sensitivity.sort_values("order")["j"].head(k).tolist()


def sweep_frame(run: Run, point: Mapping[int, float], features: list[int], specs: list[InputSpec],
                class_index: int | None = None, n: int = 60) -> pd.DataFrame:
    """Output as each feature sweeps its input range, the others held at the point.

    Long format: ``j``, ``feature``, ``value``, ``output``, ``series`` (one
    series per class for multi-class, else one). ``class_index`` is unused
    for multi-class (every class is drawn).
    """
    ds = run.dataset
    x = point_vector(point)
    if ds.problem_type == "multiclass":
        series = [(c, name) for c, name in enumerate(ds.class_names)]
    else:
        series = [(class_index, output_label(run, class_index))]
    frames = []
    for j in features:
        spec = specs[j]
        for c, name in series:
            values, outputs = explain.sweep(run.model, x, j, spec.lo, spec.hi, n=n, class_index=c)
            frames.append(pd.DataFrame({"j": j, "feature": spec.name, "value": values, "output": outputs,
                                        "series": name}))
    return pd.concat(frames, ignore_index=True)


def output_domain(run: Run, outputs: np.ndarray | None = None) -> list[float]:
    """The y-scale of the output: [0, 1] for probabilities, the target's range (and ``outputs``) for values."""
    if run.dataset.problem_type != "regression":
        return [0.0, 1.0]
    values = run.dataset.y if outputs is None else np.concatenate([run.dataset.y, np.ravel(outputs)])
    return padded_domain(values)


# ---------------------------------------------------------- chart selection
def selection_to_point(event: Mapping | None, point: Mapping[int, float], x_feature: int, y_feature: int,
                       specs: list[InputSpec]) -> dict[int, float]:
    """The what-if point after a click on the boundary chart.

    ``event`` is the chart's selection state
    (``{"selection": {SELECTION: [{"cx": .., "cy": ..}]}}``); the clicked
    cell's centre, snapped to the inputs' steps, becomes the point's two axis
    values. An empty selection (a second click deselects) keeps the point.
    """
    new = dict(point)
    picked = ((event or {}).get("selection") or {}).get(SELECTION)
    if isinstance(picked, Mapping):
        picked = [picked]
    if not picked:
        return new
    last = picked[-1]
    try:
        cx, cy = float(np.ravel(last["cx"])[0]), float(np.ravel(last["cy"])[0])
    except (KeyError, TypeError, ValueError, IndexError):
        return new
    if np.isfinite(cx):
        new[x_feature] = specs[x_feature].snap(cx)
    if np.isfinite(cy):
        new[y_feature] = specs[y_feature].snap(cy)
    return new


# ------------------------------------------------------------------- batch
@dataclass
class BatchResult:
    """Predictions for an uploaded table: the table to show and download, and what was noticed."""

    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    score: tuple[str, float] | None = None  # ("Accuracy", 0.93) when the file holds the target

    def csv(self) -> bytes:
        return to_csv(self.table).encode("utf-8")


def check_columns(features: list[str], columns) -> tuple[list[str], list[str]]:
    """``(missing, extra)``: feature columns the file lacks, and the file's other columns."""
    have = [str(c) for c in columns]
    return [f for f in features if f not in have], [c for c in have if c not in features]


def predict_batch(run: Run, data: bytes) -> BatchResult:
    """Predict every row of an uploaded CSV with the run's model.

    The file needs the model's raw feature columns (any order); other columns
    are ignored (the target column, if present, is used to score the
    predictions). One-hot columns are rebuilt from the raw column, as the
    command line does (``nn_core.data.apply``); a category absent from the
    file is all zeros. ``ValueError`` with a sentence for a bad file or
    missing columns.
    """
    ds = run.dataset
    features = list(ds.feature_names)
    frame, report = load_csv(data)
    refusal = check_prediction(run.net.layer_sizes, len(frame))
    if refusal:
        raise ValueError(refusal)
    X = apply.feature_frame(frame, features)
    notes = apply.report_messages(report)
    target = ds.target_name if ds.target_name in frame.columns else None
    ignored = [c for c in check_columns(features, frame.columns)[1] if c != target]
    ignored = [c for c in ignored if not any(f.startswith(f"{c}=") for f in features)]
    if ignored:
        notes.append(f"Ignored column(s) the model does not use: {', '.join(ignored)}.")
    n_missing = int(X.isna().any(axis=1).sum())
    if n_missing:
        notes.append(f"{n_missing:,} row(s) have missing feature values; they were filled with the "
                     "training medians.")
    table = X.copy()
    model = run.model
    predicted = _free("predicted", table)
    table[predicted] = model.predict(X)
    if ds.problem_type != "regression":
        probs = apply.probabilities(model, X)
        for c, name in enumerate(ds.class_names):
            table[_free(f"P({name})", table)] = probs[:, c]
    score = None
    if target is not None:
        score = _score(run, X, frame[target], notes)
        table.insert(len(features), _free(f"actual {target}", table), frame[target].to_numpy())
        notes.append(f"The file has the target column {target}: the predictions are scored against it.")
    return BatchResult(table, notes, score)


def _free(name: str, table: pd.DataFrame) -> str:
    """``name``, or ``name (model)`` when the table already has such a column."""
    return name if name not in table.columns else f"{name} (model)"


def _score(run: Run, X: pd.DataFrame, actual: pd.Series, notes: list[str]) -> tuple[str, float] | None:
    """Accuracy (classifiers) or R² (regression) on the rows with a known target; None for fewer than 2.

    A target the model cannot read (an unknown label, text for a number) is
    said in ``notes`` instead of scored.
    """
    try:
        rows, y = apply.targets(actual, run.dataset.class_names)
    except ValueError as exc:
        notes.append(f"{exc} The predictions are not scored.")
        return None
    if rows.sum() < 2:
        return None
    return apply.score(run.model, X[rows], y)
