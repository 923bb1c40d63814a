"""The commands of ``nn-core``: what each one does once its arguments are parsed.

``nn_core.cli`` builds the argument parser and runs one of these; each takes
the parsed ``argparse.Namespace``, prints its results to stdout and raises
``ValueError`` (bad data), ``UsageError`` (options that cannot go together) or
``OSError``, which ``cli.main`` turns into one line on stderr. Applying a
saved model to a CSV file is :mod:`nn_core.data.apply`, shared with the
dashboard.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import shlex
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import article, metrics
from .cost import MB
from .data import apply
from .data.bundled import BUNDLED, DATA_DIR, load_bundled
from .data.csv import MAX_BYTES, load_csv
from .data.csv_out import to_csv
from .data.dataset import Dataset, make_dataset
from .data.generators import GENERATORS, generate
from .losses import output_for_problem
from .model_io import load, save
from .network import MLP
from .preprocessing import Model, Preprocessing, train_val_test_split


class UsageError(Exception):
    """Options that cannot go together (exit code 2)."""


# --------------------------------------------------------------------------- #
# train
# --------------------------------------------------------------------------- #


def cmd_train(args: argparse.Namespace) -> None:
    _check_can_write(args.out)
    if args.val + args.test >= 1:
        raise UsageError(f"--val {args.val:g} and --test {args.test:g} leave no training rows.")
    frame, report = _read_csv(args.csv, one_hot=args.one_hot)
    for message in report.messages():
        print(message)
    dataset = _dataset_for_training(frame, args, report)
    for note in dataset.notes:
        print(note)
    if args.derived and dataset.n_features < 2:
        raise UsageError(
            "--derived builds inputs from the first two features (x1, x2), but there is only "
            f"one: {dataset.feature_names[0]}."
        )
    output = _output_layer(dataset, args.output)

    train, val, test = train_val_test_split(
        dataset.y,
        val_fraction=args.val,
        test_fraction=args.test,
        seed=args.seed,
        stratify=dataset.problem_type != "regression",
    )
    pre = Preprocessing.fit(
        dataset.X[train],
        dataset.feature_names,
        target_name=dataset.target_name,
        class_names=dataset.class_names,
        problem_type=dataset.problem_type,
        derived=args.derived,
        y_train=dataset.y[train],
    )
    n_outputs = dataset.n_classes if output == "softmax" else 1
    net = MLP(
        [pre.n_inputs, *args.hidden, n_outputs],
        activation=args.activation,
        output=output,
        seed=args.seed,
    )
    print(_describe_problem(dataset, pre))
    print(f"Training {net} on {len(train)} rows ({len(val)} validation, {len(test)} test).")

    # the net learns standardized regression targets; Model maps its output back
    validation = (pre.transform(dataset.X[val]), pre.transform_target(dataset.y[val])) if len(val) else None
    history = _fit_with_progress(
        net, pre.transform(dataset.X[train]), pre.transform_target(dataset.y[train]), validation, args
    )
    print(_training_summary(history))

    model = Model(pre, net)
    if len(test):
        _print_metrics(
            "Held-out test rows",
            model,
            dataset.X[test],
            dataset.y[test],
            _training_baseline(dataset, train),
        )
    else:
        print("No test rows (--test 0), so no held-out metrics.")
    save(model, args.out)
    print(f"Saved the model to {args.out}; predict with: nn-core predict {args.out} DATA.csv")


def _dataset_for_training(frame: pd.DataFrame, args: argparse.Namespace, report) -> Dataset:
    """The Dataset of the chosen columns; ``--output linear`` makes the target numeric."""
    target = args.target
    if target not in frame.columns and target in report.dropped_columns:
        raise ValueError(
            f"The column '{target}' cannot be the target: it was left out when reading the file "
            f"({report.dropped_columns[target]})."
        )
    if args.output == "linear" and target in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[target]):
            raise UsageError(
                f"--output linear predicts numbers, but the target '{target}' holds text; "
                "use sigmoid or softmax, or leave --output out."
            )
    return make_dataset(
        frame,
        target,
        args.features,
        problem_type="regression" if args.output == "linear" else None,
        name=Path(args.csv).stem,
    )


def _output_layer(dataset: Dataset, output: str | None) -> str:
    """The output layer: inferred from the problem type, or the requested one if it fits."""
    inferred = output_for_problem(dataset.problem_type)
    if output is None or output == inferred:
        return inferred
    target = dataset.target_name
    if dataset.problem_type == "regression":
        raise UsageError(
            f"--output {output} is for classes, but the target '{target}' holds numbers with "
            "too many distinct values to be classes; use --output linear."
        )
    if output == "sigmoid":
        raise UsageError(
            f"--output sigmoid is for two classes, but the target '{target}' has "
            f"{dataset.n_classes}; use --output softmax."
        )
    return output  # softmax on two classes: two outputs, also fine


def _describe_problem(dataset: Dataset, pre: Preprocessing) -> str:
    if dataset.problem_type == "regression":
        kind = f"regression of '{dataset.target_name}'"
    else:
        kind = (
            f"{dataset.problem_type} classification of '{dataset.target_name}' "
            f"({', '.join(dataset.class_names)})"
        )
    inputs = ", ".join(pre.input_names)
    return f"Problem: {kind}, from {_count(pre.n_inputs, 'input')}: {inputs}."


def _fit_with_progress(net: MLP, X_train, y_train, validation, args):
    """``net.fit`` with a tqdm bar on stderr (shown on a terminal only) of epoch and loss."""
    from tqdm import tqdm

    with tqdm(
        total=args.epochs, desc="training", unit="epoch", file=sys.stderr, disable=None
    ) as bar:

        def on_epoch(epoch, history):
            shown = {"loss": f"{history.loss[-1]:.4g}"}
            if history.val_loss:
                shown["val_loss"] = f"{history.val_loss[-1]:.4g}"
            bar.set_postfix(shown, refresh=False)
            bar.update(1)

        return net.fit(
            X_train,
            y_train,
            epochs=args.epochs,
            learning_rate=args.lr,
            optimizer=args.optimizer,
            batch_size=args.batch_size,
            l2=args.l2,
            validation_data=validation,
            seed=args.seed,
            on_epoch=on_epoch,
        )


def _training_summary(history) -> str:
    if not history.loss:  # diverged within the first epoch
        return history.message
    line = f"Trained {_count(history.epochs, 'epoch')}: training loss {history.loss[-1]:.4g}"
    if history.val_loss:
        metric = history.val_metric[-1]
        shown = f"R^2 {metric:.3f}" if history.val_metric_name == "r2" else f"accuracy {metric:.1%}"
        line += f", validation loss {history.val_loss[-1]:.4g}, validation {shown}"
    line += "."
    if history.status != "completed":
        line += f" {history.message}"
    return line


def _training_baseline(dataset: Dataset, train: np.ndarray) -> tuple[float | int, str]:
    """What ignores the inputs: the training majority class, or the training mean."""
    y = dataset.y[train]
    if dataset.problem_type == "regression":
        return float(y.mean()), "the training mean"
    majority = int(np.bincount(y, minlength=dataset.n_classes).argmax())
    return majority, "the majority class in training"


# --------------------------------------------------------------------------- #
# predict and evaluate
# --------------------------------------------------------------------------- #


def cmd_predict(args: argparse.Namespace) -> None:
    model = _load_model(args.model)
    pre = model.preprocessing
    if args.out:
        _check_can_write(args.out)
    frame, report = _read_csv(args.csv)
    X = apply.feature_frame(frame, pre.feature_names)
    predictions = pd.DataFrame({"prediction": model.predict(X)})
    if model.net.output != "linear":
        proba = apply.probabilities(model, X)
        for j, name in enumerate(pre.class_names):
            predictions[f"proba_{name}"] = proba[:, j]

    notes = [*apply.report_messages(report), *_filled_note(X)]
    if args.out:
        to_csv(predictions, args.out, float_format="%.6g")
        print("\n".join([*notes, f"Wrote {_count(len(predictions), 'prediction')} to {args.out}."]))
    else:
        to_csv(predictions, sys.stdout, float_format="%.6g")
        for note in notes:
            print(note, file=sys.stderr)


def cmd_evaluate(args: argparse.Namespace) -> None:
    model = _load_model(args.model)
    pre = model.preprocessing
    frame, report = _read_csv(args.csv)
    target = pre.target_name
    if target not in frame.columns:
        raise ValueError(
            f"The file has no column '{target}', the target this model predicts; evaluate needs "
            "it (to only get predictions, use predict)."
        )
    X = apply.feature_frame(frame, pre.feature_names)
    for message in apply.report_messages(report):
        print(message)
    has_target, y = apply.targets(frame[target], pre.class_names)
    if not has_target.all():
        print(f"Left out {_count(int((~has_target).sum()), 'row')} whose target is missing.")
    if not has_target.any():
        raise ValueError(f"No row has a value in the target column '{target}'.")
    X = X[has_target]
    for note in _filled_note(X):
        print(note)

    if pre.class_names is None:
        baseline = (float(y.mean()), "the mean of these rows")
    else:
        majority = int(np.bincount(y, minlength=len(pre.class_names)).argmax())
        baseline = (majority, "the majority class of these rows")
    _print_metrics(f"Rows of {args.csv}", model, X, y, baseline)


def _load_model(path: str) -> Model:
    model = load(path)
    if not isinstance(model, Model):
        raise ValueError(
            f"{path} holds a bare network without its preprocessing (feature names, scaling); "
            "use a model file written by nn-core train."
        )
    return model


def _filled_note(X: pd.DataFrame) -> list[str]:
    gaps = int(X.isna().any(axis=1).sum())
    if not gaps:
        return []
    return [f"{_count(gaps, 'row')} had missing feature values, filled with the training medians."]


# --------------------------------------------------------------------------- #
# Metrics, as train and evaluate print them
# --------------------------------------------------------------------------- #


def _print_metrics(title: str, model: Model, X, y: np.ndarray, baseline) -> None:
    """Metrics of ``model`` on raw rows ``X`` ``(n, d)`` with targets ``y`` ``(n,)``, and a baseline.

    ``baseline`` is ``(class index or value, where it comes from)``.
    """
    pre = model.preprocessing
    constant, source = baseline
    print(f"{title} ({len(y)}):")
    if pre.class_names is None:
        report = metrics.regression_report(y, model.predict_index(X))
        base = metrics.regression_report(y, np.full(len(y), constant))
        for label, key in (("R^2", "r2"), ("MAE", "mae"), ("RMSE", "rmse")):
            print(f"  {label:<5} {report[key]:<10.4g} (baseline {base[key]:.4g})")
        print(f"  The baseline always predicts {source}, {constant:.4g}.")
        return
    names = pre.class_names
    report = metrics.classification_report(y, model.predict_proba(X), len(names))
    low, high = report["accuracy_interval"]
    base_accuracy = float(np.mean(y == constant))
    print(f"  accuracy  {report['accuracy']:.1%}  (95% interval {low:.1%} to {high:.1%})")
    print(f"  baseline  {base_accuracy:.1%}  (always '{names[constant]}', {source})")
    if len(names) == 2:
        print(
            f"  precision {report['precision'][1]:.3f}, recall {report['recall'][1]:.3f}, "
            f"F1 {report['f1'][1]:.3f} for the positive class '{names[1]}'"
        )
        auc_label = "ROC AUC"
    else:
        for j, name in enumerate(names):
            print(
                f"  {name}: precision {report['precision'][j]:.3f}, recall "
                f"{report['recall'][j]:.3f}, F1 {report['f1'][j]:.3f} ({report['support'][j]} rows)"
            )
        print(f"  macro F1  {report['macro_f1']:.3f}")
        auc_label = "ROC AUC (one-vs-rest)"
    auc = report["roc_auc"]
    print(
        f"  {auc_label} {auc:.3f}" if math.isfinite(auc) else f"  {auc_label}: needs both classes"
    )


# --------------------------------------------------------------------------- #
# replay-article, datasets, generate
# --------------------------------------------------------------------------- #


def cmd_replay_article(args: argparse.Namespace) -> None:
    lr = article.ARTICLE_CODE_LR if args.lr is None else args.lr
    epochs = article.ARTICLE_EPOCHS if args.epochs is None else args.epochs
    run = article.replay_article_on_bundled(learning_rate=lr, epochs=epochs)
    print(
        f"The article's loop on data/diabetes.csv, learning rate {lr:g}, {epochs} epochs; "
        'each line is its print(error.sum()), the "loss" it printed:'
    )
    for loss in run.printed_losses:
        print(loss)
    print(f"Its accuracy on the rows it trained on: {run.train_accuracy:.1%}.")

    print("\nWhat goes wrong:")
    for i, (title, why) in enumerate(article.ARTICLE_MISTAKES, start=1):
        print(f"{i}. {title}\n   {why}")

    features, labels = article.read_bundled_diabetes()
    fit = article.correct_single_neuron(features, labels)
    print(
        "\nThe same neuron done right (standardized inputs, cross-entropy, Adam, a held-out "
        "test split):"
    )
    print(f"  P({article.TARGET_NAME}) = {fit.formula}")
    print(
        f"  accuracy {fit.train_accuracy:.1%} on {len(fit.train_index)} training rows, "
        f"{fit.test_accuracy:.1%} on {len(fit.test_index)} held-out rows"
    )


def cmd_datasets(args: argparse.Namespace) -> None:
    print(f"Bundled data sets (in {DATA_DIR}):")
    for info in BUNDLED.values():
        try:
            rows = f"{load_bundled(info.name).n_samples:,} rows"
        except (OSError, ValueError):
            rows = "file missing"
        print(f"  {info.name:<14} {info.label}: {rows}, target '{info.target}'")
        command = ["nn-core", "train", str(DATA_DIR / info.file_name), "--target", info.target]
        if info.features is not None:
            command += ["--features", *info.features]
        print(f"  {'':<14} source: {info.source}")
        print(f"  {'':<14} train: {shlex.join(command)} --out {info.name}.json")
    print("\nGenerated data sets (write one with: nn-core generate NAME --out NAME.csv):")
    for gen in GENERATORS.values():
        print(f"  {gen.name:<14} {gen.problem_type:<10} {gen.description}")


def cmd_generate(args: argparse.Namespace) -> None:
    dataset = generate(args.name, n=args.n, noise=args.noise, seed=args.seed, classes=args.classes)
    table = pd.DataFrame(dataset.X, columns=dataset.feature_names)
    table[dataset.target_name] = dataset.y
    if args.out:
        _check_can_write(args.out)
        to_csv(table, args.out, float_format="%.6g")
        print(
            f"Wrote {_count(dataset.n_samples, 'row')} of {args.name} to {args.out}; train with: "
            f"nn-core train {args.out} --target {dataset.target_name} --out model.json"
        )
    else:
        to_csv(table, sys.stdout, float_format="%.6g")


# --------------------------------------------------------------------------- #
# Files
# --------------------------------------------------------------------------- #


def _read_csv(path: str, one_hot: Sequence[str] = ()):
    """``load_csv`` of a file's bytes: ``(frame, report)``; the size is checked before reading."""
    return load_csv(_read_regular_file(path, MAX_BYTES, "CSV file"), one_hot=one_hot)


def _read_regular_file(path: str, max_bytes: int, what: str) -> bytes:
    """A regular file's bytes, at most ``max_bytes``: its size is read (stat) before its content.

    A folder, a device (``/dev/zero``), a pipe or a socket is refused in a
    sentence: such a file has no size and could be read forever. At most
    ``max_bytes + 1`` bytes are read, so a file that grows meanwhile is still bounded.
    """
    info = os.stat(path)  # a missing file: FileNotFoundError, said in one line by cli.main
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", path)
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(
            f"Cannot read the {what} {path}: it is not a regular file (a device, a pipe or a socket "
            "has no size and could be read forever); save the data to a file first."
        )
    if info.st_size > max_bytes:
        raise ValueError(
            f"The {what} {path} is {info.st_size / MB:,.1f} MB; the limit is {max_bytes / MB:,.0f} MB. "
            "Use a sample of the rows."
        )
    with open(path, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"The {what} {path} grew past {max_bytes / MB:,.0f} MB while it was read.")
    return data


def _check_can_write(path: str) -> None:
    """Fail before the work, not after it, when the output's folder does not exist."""
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise ValueError(f"Cannot write {path}: the folder {folder} does not exist.")
    if Path(path).is_dir():
        raise ValueError(f"Cannot write {path}: it is a folder.")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
