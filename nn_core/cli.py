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
import math
import os
import sys
from collections.abc import Sequence

from .activations import ACTIVATIONS
from .cli_commands import (
    UsageError,
    cmd_datasets,
    cmd_evaluate,
    cmd_generate,
    cmd_predict,
    cmd_replay_article,
    cmd_train,
)
from .data.generators import GENERATORS
from .features import DERIVED_FEATURES
from .optimizers import OPTIMIZERS
from .validation import parse_hidden_sizes

EXIT_DATA, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


# --------------------------------------------------------------------------- #
# Argument types: each rejects a bad value with argparse's usage message
# --------------------------------------------------------------------------- #


def _hidden_sizes(text: str) -> tuple[int, ...]:
    """``"16,16"`` -> ``(16, 16)``; ``""``, ``"0"`` or ``"none"`` -> no hidden layer."""
    try:
        return parse_hidden_sizes(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
