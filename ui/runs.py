"""Training runs: their settings, how one is built and trained, and how it is judged.

No Streamlit here: a run is plain data plus ``nn_core`` objects, so this
module is tested without a browser. ``ui.state`` keeps the session's runs;
pages call ``new_run``, ``train`` and ``evaluate``.

The app's per-request bounds (so one visitor cannot take a shared server
down) live in ``ui.budgets``; training requests are checked here with them:
``MAX_PARAMETERS`` weights and biases, ``MAX_EPOCH_ROWS`` epochs x training
rows, and the cost model's memory and CPU estimate of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from threadpoolctl import threadpool_limits

import nn_core
from nn_core import metrics
from nn_core.data import Dataset
from nn_core.losses import output_for_problem
from nn_core.validation import parse_hidden_sizes

from .budgets import MAX_EPOCH_ROWS as MAX_EPOCH_ROWS  # re-exported: pages and tests read them here
from .budgets import MAX_HIDDEN_LAYERS, MAX_PARAMETERS, check_epoch_rows, check_training
from .budgets import MAX_RUNS as MAX_RUNS
from .settings import TrainConfig

# One server process trains for every visitor at once. One BLAS thread per training keeps
# sessions from fighting over the cores (with two threads on a busy 2-core machine the
# large benchmark ran several times slower; see bench/RESULTS.md). Process-wide, set once.
threadpool_limits(1, user_api="blas")



def parse_hidden(text: str) -> tuple[int, ...]:
    """``"8, 8"`` -> ``(8, 8)``; ``""`` or ``"0"`` -> no hidden layer (a single neuron).

    ``nn_core.validation.parse_hidden_sizes`` with the app's cap of ``MAX_HIDDEN_LAYERS``.
    """
    return parse_hidden_sizes(text, max_layers=MAX_HIDDEN_LAYERS)


@dataclass
class Run:
    """One training run: its settings, its data and split, and the model it trains."""

    id: int
    config: TrainConfig
    data_spec: object  # the ui.settings.DataSpec it was trained on
    dataset: Dataset
    derived: tuple[str, ...]
    split: tuple[np.ndarray, np.ndarray, np.ndarray]  # row indices: train, validation, test
    model: nn_core.Model
    pinned: bool = False
    #: What happened to it beyond training, in epoch order: steering (``ui.timeline.Change``), weights set by hand
    #: and points added or removed (``ui.timeline.WeightEdit``, ``PointEdit``).
    timeline: list = field(default_factory=list)
    #: ``(dataset, split)`` before points were added or removed by hand (None: the data as loaded).
    base: tuple | None = None
    #: ``(run id, epoch)`` this run continues from ("continue from here"), or None for a run of its own.
    parent: tuple[int, int] | None = None
    _metrics: dict | None = None
    _metrics_epoch: int = -1

    @property
    def net(self) -> nn_core.MLP:
        return self.model.net

    @property
    def history(self) -> nn_core.History:
        return self.model.net.history

    @property
    def epochs(self) -> int:
        return self.history.epochs

    @property
    def architecture(self) -> str:
        return "-".join(str(s) for s in self.net.layer_sizes)

    @property
    def label(self) -> str:
        hidden = ",".join(sorted(set(self.net.activations))) or "single neuron"
        return f"Run {self.id}: {self.architecture} {hidden}, {self.dataset.name or 'data'}"


def new_run(run_id: int, dataset: Dataset, data_spec, derived, config: TrainConfig) -> Run:
    """Split the data, fit the preprocessing on the training rows and build an untrained net.

    Raises ``ValueError`` with a sentence for settings the app refuses.
    """
    train_idx, val_idx, test_idx = nn_core.train_val_test_split(
        dataset.y, config.val_fraction, config.test_fraction, seed=config.seed,
        stratify=dataset.problem_type != "regression",
    )
    if dataset.problem_type != "regression":
        missing = sorted(set(range(dataset.n_classes)) - set(np.unique(dataset.y[train_idx]).tolist()))
        if missing:
            names = ", ".join(dataset.class_names[c] for c in missing)
            raise ValueError(
                f"The split leaves no training rows of class {names}. Use a smaller validation/test "
                "share or more data."
            )
        if len(np.unique(dataset.y[train_idx])) < 2:
            raise ValueError("The training rows hold only one class; a classifier needs at least two.")
    pre = nn_core.Preprocessing.fit(
        dataset.X[train_idx],
        dataset.feature_names,
        target_name=dataset.target_name,
        class_names=dataset.class_names,
        problem_type=dataset.problem_type,
        derived=list(derived),
        y_train=dataset.y[train_idx],
    )
    n_out = 1 if dataset.problem_type != "multiclass" else dataset.n_classes
    sizes = [pre.n_inputs, *config.hidden, n_out]
    n_params = nn_core.network.count_parameters(sizes)
    if n_params > MAX_PARAMETERS:
        raise ValueError(
            f"This net has {n_params:,} parameters; the app allows {MAX_PARAMETERS:,}. Use fewer or narrower layers."
        )
    net = nn_core.MLP(sizes, activation=config.activation, output=output_for_problem(dataset.problem_type),
                      init=config.init, seed=config.seed)
    return Run(run_id, config, data_spec, dataset, tuple(derived), (train_idx, val_idx, test_idx),
               nn_core.Model(pre, net))


def check_budget(run: Run, epochs: int) -> None:
    """Refuse a training request beyond ``MAX_EPOCH_ROWS`` epochs x rows or the memory and CPU budgets."""
    cfg, (train_idx, val_idx, _) = run.config, run.split
    refusal = check_epoch_rows(len(train_idx), epochs) or check_training(
        run.net.layer_sizes, len(train_idx), epochs, batch_size=cfg.batch_size or None,
        validation_rows=len(val_idx), optimizer=cfg.optimizer, early_stopping=bool(cfg.patience))
    if refusal:
        raise ValueError(refusal)


def train(run: Run, epochs: int, on_epoch: Callable[[int, nn_core.History], bool | None] | None = None) -> nn_core.History:
    """Train ``run`` for ``epochs`` more epochs; the net carries on from where it is.

    The weights and history live on the run's net and change in place every
    epoch, so if ``on_epoch`` raises (a Streamlit rerun interrupting the
    loop) the run keeps every completed epoch.
    """
    check_budget(run, epochs)
    cfg = run.config
    train_idx, val_idx, _ = run.split
    pre = run.model.preprocessing
    X_train = pre.transform(run.dataset.X[train_idx])
    y_train = pre.transform_target(run.dataset.y[train_idx])
    validation = None
    if len(val_idx):
        validation = (pre.transform(run.dataset.X[val_idx]), pre.transform_target(run.dataset.y[val_idx]))
    early = nn_core.EarlyStopping(cfg.patience) if cfg.patience and validation is not None else None
    return run.net.fit(
        X_train, y_train, epochs=epochs, learning_rate=cfg.learning_rate, optimizer=cfg.optimizer,
        batch_size=cfg.batch_size or None, l2=cfg.l2, l1=cfg.l1, schedule=cfg.schedule,
        clip_norm=cfg.clip_norm or None, validation_data=validation, early_stopping=early, seed=cfg.seed, on_epoch=on_epoch,
    )


def evaluate(run: Run) -> dict:
    """Metrics on the train, validation and test rows, plus a baseline; cached per epoch count."""
    if run._metrics is not None and run._metrics_epoch == run.epochs:
        return run._metrics
    ds, model = run.dataset, run.model
    out = {}
    for part, idx in zip(("train", "validation", "test"), run.split):
        if len(idx) == 0:
            continue
        X, y = ds.X[idx], ds.y[idx]
        if ds.problem_type == "regression":
            out[part] = metrics.regression_report(y, model.predict_index(X))
        else:
            out[part] = metrics.classification_report(y, model.predict_proba(X), ds.n_classes)
    out["baseline"] = baseline(run)
    run._metrics, run._metrics_epoch = out, run.epochs
    return out


def held_out_part(run: Run) -> str:
    """The part metrics are reported on: test rows if any, else validation, else train."""
    for part, idx in zip(("test", "validation", "train"), run.split[::-1]):
        if len(idx):
            return part
    return "train"


def headline(run: Run) -> tuple[str, float] | None:
    """The run's held-out score as ``("Test accuracy", 0.825)`` or ``("Test R²", ...)``; None untrained."""
    if run.epochs == 0:
        return None
    part = held_out_part(run)
    held = evaluate(run).get(part, {})
    if "accuracy" in held:
        return f"{part.capitalize()} accuracy", held["accuracy"]
    if "r2" in held:
        return f"{part.capitalize()} R²", held["r2"]
    return None


def baseline(run: Run) -> dict:
    """What a model that ignores the inputs scores on the held-out part.

    Classification: always the training majority class. Regression: always
    the training mean (R^2 of 0 by construction, on the same rows).
    """
    ds = run.dataset
    train_idx = run.split[0]
    part = held_out_part(run)
    idx = dict(zip(("train", "validation", "test"), run.split))[part]
    y = ds.y[idx]
    if ds.problem_type == "regression":
        mean = float(ds.y[train_idx].mean())
        return {"part": part, "kind": "mean", "value": mean, **metrics.regression_report(y, np.full(len(y), mean))}
    majority = int(np.bincount(ds.y[train_idx], minlength=ds.n_classes).argmax())
    return {"part": part, "kind": "majority", "class": ds.class_names[majority],
            "accuracy": float(np.mean(y == majority))}


def with_config(run: Run, **changes) -> TrainConfig:
    return replace(run.config, **changes)


def reset(run: Run) -> None:
    """Forget what ``run`` learned: its initial weights again (same seed), an empty history.

    The split, preprocessing and settings stay, so the same run can be watched
    again from epoch 0 (TF Playground's reset). The cached metrics go with the weights.
    """
    run.net.reset()
    run._metrics, run._metrics_epoch = None, -1


def weights_changed(run: Run) -> None:
    """Drop the cached metrics after the weights changed outside training (a hand edit)."""
    run._metrics, run._metrics_epoch = None, -1
