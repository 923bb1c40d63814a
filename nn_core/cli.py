"""The ``nn-core`` command line: train, predict and evaluate from a terminal.

    nn-core train data/penguins.csv --target species --out penguins.json
    nn-core predict penguins.json new_penguins.csv --out predictions.csv
    nn-core evaluate penguins.json more_penguins.csv
    nn-core replay-article
    nn-core datasets
    nn-core generate moons --n 400 --noise 0.2 --out moons.csv

(``python -m nn_core ...`` does the same.) Results go to stdout; the progress
bar and errors go to stderr. An error is one line, ``error: <sentence>``, with
exit code 1 for bad data or model files and 2 for bad usage; Ctrl-C exits
with 130. A model file carries its preprocessing, so ``predict`` and
``evaluate`` need only the model file and a CSV with the same column names.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import metrics
from .activations import ACTIVATIONS
from .datasets import BUNDLED, DATA_DIR, GENERATORS, Dataset, generate, load_bundled, make_dataset
from .features import DERIVED_FEATURES
from .model_io import load, save
from .network import MLP
from .optimizers import OPTIMIZERS
from .preprocessing import Model, Preprocessing, train_val_test_split
from .tabular import load_csv

OUTPUT_FOR_PROBLEM = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}
EXIT_DATA, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


class UsageError(Exception):
    """Options that cannot go together (exit code 2)."""


# --------------------------------------------------------------------------- #
# Argument types: each rejects a bad value with argparse's usage message
# --------------------------------------------------------------------------- #


def _hidden_sizes(text: str) -> tuple[int, ...]:
    """``"16,16"`` -> ``(16, 16)``; ``""``, ``"0"`` or ``"none"`` -> no hidden layer."""
    text = text.strip().lower()
    if text in ("", "0", "none"):
        return ()
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() and int(p) >= 1 for p in parts):
        raise argparse.ArgumentTypeError(
            f"hidden layer sizes are whole numbers of at least 1 separated by commas, like 16,16; "
            f"got {text!r}"
        )
    return tuple(int(p) for p in parts)


def _whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least {minimum}, got {value}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1)


def _seed(text: str) -> int:
    return _whole_number(text, 0)


def _number(text: str, *, low: float, high: float = math.inf, low_included: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    too_low = value < low if low_included else value <= low
    if not math.isfinite(value) or too_low or value >= high:
        bounds = f"{'at least' if low_included else 'above'} {low:g}"
        if math.isfinite(high):
            bounds += f" and below {high:g}"
        raise argparse.ArgumentTypeError(f"expected a number {bounds}, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    return _number(text, low=0.0, low_included=False)


def _non_negative_float(text: str) -> float:
    return _number(text, low=0.0, low_included=True)


def _fraction(text: str) -> float:
    return _number(text, low=0.0, high=1.0, low_included=True)


# --------------------------------------------------------------------------- #
# The parser
# --------------------------------------------------------------------------- #


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors as one line, like every other error here."""

    def error(self, message: str):
        print(f"error: {message} (see: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nn-core",
        description="Train, use and judge nn_core neural networks on CSV files.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a network on a CSV file and save the model",
        description="Train a network on a CSV file: split it (train/validation/test, seeded and "
        "stratified), standardize with the training rows, train, report held-out metrics "
        "against a baseline, and save the model with its preprocessing.",
    )
    train.add_argument("csv", metavar="CSV", help="the data, one row per sample")
    train.add_argument("--target", required=True, help="the column to predict")
    train.add_argument(
        "--features",
        nargs="+",
        metavar="COL",
        help="input columns (default: every numeric column but the target)",
    )
    train.add_argument(
        "--one-hot",
        nargs="+",
        default=[],
        metavar="COL",
        help="text columns to turn into one 0/1 input column per value",
    )
    train.add_argument(
        "--hidden",
        type=_hidden_sizes,
        default=(8, 8),
        metavar="SIZES",
        help="hidden layer sizes, e.g. 16,16 (default 8,8; 0 for none: a single layer)",
    )
    train.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="tanh",
        help="of the hidden layers (default %(default)s)",
    )
    train.add_argument(
        "--output",
        choices=["sigmoid", "softmax", "linear"],
        help="default from the target: sigmoid for two classes, softmax for more, linear for "
        "numbers (linear treats a whole-number target as numbers)",
    )
    train.add_argument(
        "--epochs", type=_positive_int, default=300, help="passes over the training rows (300)"
    )
    train.add_argument("--lr", type=_positive_float, default=0.03, help="learning rate (0.03)")
    train.add_argument(
        "--optimizer", choices=list(OPTIMIZERS), default="adam", help="default %(default)s"
    )
    train.add_argument(
        "--batch-size", type=_positive_int, default=None, help="rows per update (default: all)"
    )
    train.add_argument("--l2", type=_non_negative_float, default=0.0, help="L2 weight penalty (0)")
    train.add_argument(
        "--seed", type=_seed, default=0, help="seed of the split and the weights (0)"
    )
    train.add_argument("--val", type=_fraction, default=0.2, help="validation share (0.2)")
    train.add_argument("--test", type=_fraction, default=0.2, help="held-out test share (0.2)")
    train.add_argument(
        "--derived",
        nargs="+",
        choices=list(DERIVED_FEATURES),
        default=[],
        metavar="NAME",
        help="extra inputs from the first two features x1, x2: " + ", ".join(DERIVED_FEATURES),
    )
    train.add_argument("--out", required=True, metavar="MODEL", help="model file to write (JSON)")
    train.set_defaults(run=cmd_train)

    predict = commands.add_parser(
        "predict",
        help="predict every row of a CSV file with a saved model",
        description="Predict every row of a CSV file: class and one probability per class, or "
        "a value. Columns are matched by name; missing values get the training medians.",
    )
    predict.add_argument("model", metavar="MODEL", help="a model file written by train")
    predict.add_argument("csv", metavar="CSV")
    predict.add_argument("--out", metavar="FILE", help="CSV file to write (default: stdout)")
    predict.set_defaults(run=cmd_predict)

    evaluate = commands.add_parser(
        "evaluate",
        help="measure a saved model on a CSV file that has the target column",
        description="Metrics of a saved model on a CSV file that includes the target column.",
    )
    evaluate.add_argument("model", metavar="MODEL")
    evaluate.add_argument("csv", metavar="CSV")
    evaluate.set_defaults(run=cmd_evaluate)

    replay = commands.add_parser(
        "replay-article",
        help="run the seed article's single neuron as written, then the correct one",
        description="Run the article's training loop as written on data/diabetes.csv, list "
        "its mistakes, then train the same neuron correctly.",
    )
    replay.add_argument(
        "--lr",
        type=_positive_float,
        default=None,
        help="learning rate (default 4e-7, which reproduces the article's output; its text "
        "says 4e-4)",
    )
    replay.add_argument("--epochs", type=_positive_int, default=None, help="default 100")
    replay.set_defaults(run=cmd_replay_article)

    datasets = commands.add_parser(
        "datasets",
        help="list the bundled and generated data sets",
        description="List the bundled real data sets and the generated 2-D ones.",
    )
    datasets.set_defaults(run=cmd_datasets)

    gen = commands.add_parser(
        "generate",
        help="write a generated 2-D data set as CSV",
        description="Write a generated 2-D data set (columns x1, x2 and the target) as CSV.",
    )
    gen.add_argument("name", choices=list(GENERATORS), metavar="NAME", help=", ".join(GENERATORS))
    gen.add_argument("--n", type=_positive_int, default=200, help="number of points (200)")
    gen.add_argument("--noise", type=_non_negative_float, default=0.1, help="noise (0.1)")
    gen.add_argument("--seed", type=_seed, default=0)
    gen.add_argument(
        "--classes", type=_positive_int, default=2, help="classes of spirals and blobs (2)"
    )
    gen.add_argument("--out", metavar="FILE", help="CSV file to write (default: stdout)")
    gen.set_defaults(run=cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (0 on success)."""
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except KeyboardInterrupt:
        return _fail("interrupted.", EXIT_INTERRUPTED)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except BrokenPipeError:
        _silence_stdout()  # the reader (e.g. `head`) left; Python would complain at exit
        return EXIT_DATA
    except FileNotFoundError as exc:
        return _fail(f"There is no file {exc.filename!r}.", EXIT_DATA)
    except IsADirectoryError as exc:
        return _fail(f"{exc.filename!r} is a folder, not a file.", EXIT_DATA)
    except OSError as exc:
        where = f"{exc.filename!r}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}.", EXIT_DATA)
    except ValueError as exc:
        return _fail(str(exc), EXIT_DATA)
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        return _fail(f"unexpected {type(exc).__name__}: {exc}", EXIT_DATA)
    return 0


def _fail(message: str, code: int) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return code


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


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
    output = _output_for(dataset, args.output)

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


def _output_for(dataset: Dataset, output: str | None) -> str:
    """The output layer: inferred from the problem type, or the requested one if it fits."""
    inferred = OUTPUT_FOR_PROBLEM[dataset.problem_type]
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
    X = _feature_frame(frame, pre)
    predictions = pd.DataFrame({"prediction": model.predict(X)})
    if model.net.output != "linear":
        proba = model.predict_proba(X)
        if proba.ndim == 1:
            proba = np.column_stack([1.0 - proba, proba])
        for j, name in enumerate(pre.class_names):
            predictions[f"proba_{name}"] = proba[:, j]

    notes = [*_report_messages(report), *_filled_note(X)]
    if args.out:
        predictions.to_csv(args.out, index=False, float_format="%.6g")
        print("\n".join([*notes, f"Wrote {_count(len(predictions), 'prediction')} to {args.out}."]))
    else:
        predictions.to_csv(sys.stdout, index=False, float_format="%.6g")
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
    X = _feature_frame(frame, pre)
    has_target = frame[target].notna().to_numpy()
    for message in _report_messages(report):
        print(message)
    if not has_target.all():
        print(f"Left out {_count(int((~has_target).sum()), 'row')} whose target is missing.")
    if not has_target.any():
        raise ValueError(f"No row has a value in the target column '{target}'.")
    X, y_column = X[has_target], frame.loc[has_target, target]
    for note in _filled_note(X):
        print(note)

    if pre.class_names is None:
        if not pd.api.types.is_numeric_dtype(y_column):
            raise ValueError(
                f"The target column '{target}' holds text, but this model predicts numbers."
            )
        y = y_column.to_numpy(dtype=np.float64)
        baseline = (float(y.mean()), "the mean of these rows")
    else:
        y = _class_indices(y_column, pre.class_names, target)
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


def _feature_frame(frame: pd.DataFrame, pre: Preprocessing) -> pd.DataFrame:
    """The model's raw feature columns, picked by name, as numbers (missing as NaN)."""
    frame = _rebuild_one_hot(frame, pre.feature_names)
    missing = [name for name in pre.feature_names if name not in frame.columns]
    if missing:
        raise ValueError(
            f"The file lacks {len(missing)} of the model's {len(pre.feature_names)} feature "
            f"columns: {_name_list(missing)} (the file has: {_name_list(frame.columns)})."
        )
    for name in pre.feature_names:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            examples = ", ".join(repr(str(v)) for v in frame[name].dropna().unique()[:3])
            raise ValueError(
                f"The column '{name}' holds text ({examples}); the model needs numbers."
            )
    return frame[pre.feature_names].astype(np.float64)


def _rebuild_one_hot(frame: pd.DataFrame, feature_names: Sequence[str]) -> pd.DataFrame:
    """Add the ``column=value`` 0/1 columns of ``train --one-hot`` from the raw column.

    The raw file holds ``island`` with ``Biscoe``; the model wants
    ``island=Biscoe`` (1 where island is Biscoe, missing where island is).
    """
    added = {}
    for name in feature_names:
        if name in frame.columns:
            continue
        for i, char in enumerate(name):
            if char == "=" and name[:i] in frame.columns:
                cells = frame[name[:i]]
                values = cells.map(_value_text, na_action="ignore")
                added[name] = (values == name[i + 1 :]).astype(np.float64).mask(cells.isna())
                break
    return frame.assign(**added) if added else frame


def _class_indices(column: pd.Series, class_names: list[str], target: str) -> np.ndarray:
    """Target cells -> class indices of the model; unknown labels are an error."""
    names = column.map(_value_text)
    unknown = sorted(set(names) - set(class_names))
    if unknown:
        raise ValueError(
            f"The target column '{target}' holds label(s) the model does not know: "
            f"{', '.join(repr(u) for u in unknown[:5])} (it knows {', '.join(class_names)})."
        )
    index = {name: i for i, name in enumerate(class_names)}
    return names.map(index).to_numpy(dtype=np.int64)


def _value_text(value: object) -> str:
    """A cell as the class or one-hot name it became in training (``1.0`` -> ``"1"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _report_messages(report) -> list[str]:
    """The load report without its hints about text columns, which are for choosing inputs."""
    return dataclasses.replace(report, text_columns={}).messages()


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
    try:
        from . import article
    except ImportError:
        raise ValueError(
            "The article replay is not part of this nn_core (no nn_core.article)."
        ) from None
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
        table.to_csv(args.out, index=False, float_format="%.6g")
        print(
            f"Wrote {_count(dataset.n_samples, 'row')} of {args.name} to {args.out}; train with: "
            f"nn-core train {args.out} --target {dataset.target_name} --out model.json"
        )
    else:
        table.to_csv(sys.stdout, index=False, float_format="%.6g")


# --------------------------------------------------------------------------- #
# Files
# --------------------------------------------------------------------------- #


def _read_csv(path: str, one_hot: Sequence[str] = ()):
    """``load_csv`` of a file's bytes: ``(frame, report)``."""
    file = Path(path)
    if file.is_dir():
        raise IsADirectoryError(0, "is a folder", path)
    return load_csv(file.read_bytes(), one_hot=one_hot)


def _check_can_write(path: str) -> None:
    """Fail before the work, not after it, when the output's folder does not exist."""
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise ValueError(f"Cannot write {path}: the folder {folder} does not exist.")
    if Path(path).is_dir():
        raise ValueError(f"Cannot write {path}: it is a folder.")


def _name_list(names, limit: int = 8) -> str:
    """``'a', 'b' and 3 more``: names quoted, so spaces and commas in them stay visible."""
    names = [repr(str(n)) for n in names]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
