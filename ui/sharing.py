"""Share and keep an experiment: links, model files, exported code, the data, the run table.

No Streamlit here: ``views/share.py`` reads the session through ``ui.state``
and passes plain values in, so everything below is tested without a browser.

- A *link* is the app's address plus the shareable settings as query
  parameters (``ui.state.shareable_params``); opening it restores them.
- A *model file* is ``nn_core.dumps`` JSON. An uploaded one becomes a new
  run on the active data set when its columns (and classes) match.
- The *run table* is one row per run of the session, for comparing them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd

import nn_core
from nn_core.data import Dataset, to_csv
from nn_core.export import export_python

from .budgets import MODEL_FILE_LIMITS
from .data_sources import frame_of
from .runs import Run, evaluate, held_out_part, new_run
from .settings import DataSpec, TrainConfig

#: Pages a link may open: ``{url path: title}``, the default first (the app's root, Explore data).
#: The page files live in ``views/``, not ``pages/``: a folder named ``pages/`` beside the entry
#: makes a freshly started server route a deep link (``/train``) to the page file alone, without
#: the entry, until someone has opened the root once.
LINK_TARGETS = {"": "Explore data", "train": "Train", "predict": "Predict (what if?)"}
#: This page's own url path (``views/share.py``), trimmed from ``st.context.url`` to find the app's root.
SHARE_PATH = "share"

RUN_COLUMNS = ("id", "active", "data", "architecture", "activation", "optimizer", "lr", "epochs", "status",
               "final train loss", "final val loss", "held-out", "held-out metric", "steered", "pinned")


# -------------------------------------------------------------------- links
def share_link(current_url: str | None, params: dict[str, str], target: str = "",
               current_path: str = SHARE_PATH) -> str:
    """The full address that opens page ``target`` with ``params``.

    ``current_url`` is ``st.context.url`` (this page's address, no query);
    its last path segment ``current_path`` is swapped for ``target``. Without
    it (a test session) the link is relative: ``/?...``.
    """
    query = urlencode(params)
    if not current_url:
        return f"/{target}?{query}"
    parts = urlsplit(current_url)
    path = parts.path.rstrip("/")
    if current_path and (path == current_path or path.endswith("/" + current_path)):
        path = path[: len(path) - len(current_path)].rstrip("/")
    path = f"{path}/{target}" if target else (path or "/")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def link_settings_table(params: dict[str, str]) -> pd.DataFrame:
    """What a link carries, one row per query parameter: ``parameter, value``."""
    return pd.DataFrame({"parameter": list(params), "value": list(params.values())})


# -------------------------------------------------------------------- files
def _slug(text: str) -> str:
    """A file-name-safe version of ``text`` (a data set or run name)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return slug[:40] or "data"


def model_file_name(run: Run) -> str:
    return f"run{run.id}_{_slug(run.dataset.name or 'data')}_model.json"


def code_file_name(run: Run) -> str:
    return f"run{run.id}_{_slug(run.dataset.name or 'data')}_predict.py"


def data_file_name(ds: Dataset) -> str:
    return f"{_slug(ds.name or 'data')}.csv"


def model_json(run: Run) -> str:
    """The run's model as the engine's JSON file (weights, preprocessing and loss history)."""
    return nn_core.dumps(run.model)


def model_code(run: Run) -> str:
    """A standalone NumPy file that predicts from raw columns as the app does."""
    return export_python(run.model)


def data_csv(ds: Dataset) -> bytes:
    """The data set as CSV (feature columns and the target), floats written to round-trip exactly."""
    return to_csv(frame_of(ds)).encode("utf-8")


# ---------------------------------------------------------- model uploads
def read_model_file(data: bytes) -> nn_core.Model:
    """A validated ``Model`` from an uploaded file's bytes; ``ValueError`` with a sentence otherwise."""
    model = nn_core.loads(data, **MODEL_FILE_LIMITS)
    if not isinstance(model, nn_core.Model):
        raise ValueError(
            "This file holds a bare network without its preprocessing (feature names, scaling), so the "
            "app cannot feed it data. Download the model from this page to get a complete file."
        )
    return model


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(repr(str(n)) for n in list(names)[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def check_model_fits(model: nn_core.Model, ds: Dataset) -> None:
    """``ValueError`` naming the first mismatch between a model and the active data set, and the fix."""
    pre = model.preprocessing
    fix = "Pick the data set the model was trained on (Explore data), then upload it again."
    if list(pre.feature_names) != list(ds.feature_names):
        wanted, have = list(pre.feature_names), list(ds.feature_names)
        missing = [n for n in wanted if n not in have]
        if missing:
            detail = f"the active data set has no column {_names(missing)}"
        elif len(wanted) != len(have):
            detail = f"the model takes {len(wanted)} input(s) ({_names(wanted)}), the data has {len(have)}"
        else:
            detail = f"the columns are in another order (model: {_names(wanted)})"
        raise ValueError(f"This model does not fit the active data: {detail}. {fix}")
    if pre.problem_type != ds.problem_type:
        raise ValueError(
            f"This model does {pre.problem_type} but the active data set is {ds.problem_type}. "
            "Set the problem type on Explore data to match, or pick the model's data set."
        )
    if ds.problem_type != "regression" and list(pre.class_names or []) != list(ds.class_names or []):
        raise ValueError(
            f"This model's classes ({_names(pre.class_names or [])}) are not the active data set's "
            f"({_names(ds.class_names or [])}). {fix}"
        )


def config_for_model(model: nn_core.Model, settings: TrainConfig) -> TrainConfig:
    """The training settings of an uploaded model's run: its architecture, the session's other settings.

    Hidden sizes, activation and init come from the file; the optimizer,
    learning rate, split fractions and seed from ``settings`` (they decide
    how Continue trains it and which rows are held out).
    """
    net = model.net
    activation = net.activations[0] if net.activations else settings.activation
    return replace(settings, hidden=tuple(net.layer_sizes[1:-1]), activation=activation, init=net.init)


def run_from_model(model: nn_core.Model, run_id: int, ds: Dataset, spec: DataSpec | None,
                   settings: TrainConfig) -> Run:
    """A new run holding an uploaded model, on the active data with a split from ``settings``.

    The model keeps its own preprocessing (fitted where it was trained), so
    its predictions are exactly those it made there. ``ValueError`` when it
    does not fit the data (``check_model_fits``) or the split is impossible.
    """
    check_model_fits(model, ds)
    config = config_for_model(model, settings)
    run = new_run(run_id, ds, spec, tuple(model.preprocessing.derived), config)
    run.model = model
    return run


# ---------------------------------------------------------------- run table
def _last(values: Sequence[float]) -> float:
    return float(values[-1]) if len(values) else float("nan")


def held_out_score(run: Run) -> tuple[str, float]:
    """``("test accuracy", 0.91)``: the run's held-out metric (R² for regression); NaN before training."""
    part = held_out_part(run)
    name = "R²" if run.dataset.problem_type == "regression" else "accuracy"
    if run.epochs == 0:
        return f"{part} {name}", float("nan")
    report = evaluate(run).get(part, {})
    return f"{part} {name}", float(report.get("r2" if name == "R²" else "accuracy", float("nan")))


def run_rows(runs: Sequence[Run], active_id: int | None) -> pd.DataFrame:
    """One row per run (``RUN_COLUMNS``), oldest first."""
    rows = []
    for run in runs:
        cfg, hist = run.config, run.history
        metric, score = held_out_score(run)
        spec = run.data_spec
        rows.append({
            "id": run.id,
            "active": run.id == active_id,
            "data": spec.title if isinstance(spec, DataSpec) else (run.dataset.name or "data"),
            "architecture": run.architecture,
            "activation": cfg.activation if cfg.hidden else "none",
            "optimizer": cfg.optimizer,
            "lr": cfg.learning_rate,
            "epochs": run.epochs,
            "status": hist.status if run.epochs else "untrained",
            "final train loss": _last(hist.loss),
            "final val loss": _last(hist.val_loss),
            "held-out": metric,
            "held-out metric": score,
            "steered": "; ".join(change.describe() for change in run.timeline),
            "pinned": run.pinned,
        })
    return pd.DataFrame(rows, columns=list(RUN_COLUMNS))


def set_pinned(runs: Sequence[Run], run_id: int, pinned: bool) -> None:
    """Pin (never dropped when the session holds too many runs) or unpin a run."""
    for run in runs:
        if run.id == run_id:
            run.pinned = pinned

