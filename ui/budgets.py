"""What one visitor's request may cost the server: the budgets, and one check per kind of request.

Each ``check_*`` function estimates a request with ``nn_core.cost`` BEFORE
anything is allocated and returns ``None`` (allowed) or ONE sentence saying
what to change. The numbers live here and nowhere else; ``ui.runs`` and the
pages import them.

The arithmetic (the documented server: one Streamlit process per core, 2 GB
per 2-core replica, so 1,000 MB per process, 20 sessions per process):

- an idle process holds about 180 MB (``bench.load``); an ordinary visitor
  who trains the default network adds about 10 MB, so 19 of them add 190 MB;
- one request of the worst visitor may use ``REQUEST_MEMORY`` = 300 MB of
  working memory: 180 + 190 + 300 = 670 MB, which leaves 330 MB, enough for
  a second request at the budget at the same moment (970 MB < 1,000 MB);
- a training press may cost ``TRAIN_SECONDS`` = 60 s of one core, estimated
  as multiply-adds / ``MULTIPLY_ADDS_PER_SECOND`` + updates x
  ``SECONDS_PER_UPDATE`` (measured on the shared 2-core machine with one BLAS
  thread: 5.5e9 multiply-adds a second on a 2-1000-990-1 net, 85 to 115
  microseconds of overhead per update). A press at the budget
  shares its core with the other sessions of its process for a minute at
  most; the issue's 2-1000-990-1 net for 83,333 epochs (3.7 hours) and batch
  size 1 on 10,000 points (73 minutes) are refused;
- a model file may hold at most ``MODEL_FILE_BYTES`` (a 1,000,000-parameter
  model written by ``nn_core.dumps`` is about 27 MB), ``MAX_PARAMETERS``
  parameters, ``MAX_HIDDEN_LAYERS`` hidden layers and ``MODEL_HISTORY``
  epochs of history (5 lists of 32-byte floats: 8 MB at most).

MB here is 1,000,000 bytes, everywhere the app says MB.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from nn_core import cost
from nn_core.network import count_parameters

MB = cost.MB

REQUEST_MEMORY = 300 * MB
TRAIN_SECONDS = 60.0
MULTIPLY_ADDS_PER_SECOND = 5e9
SECONDS_PER_UPDATE = 100e-6

MAX_PARAMETERS = 1_000_000
MAX_EPOCH_ROWS = 50_000_000
MAX_HIDDEN_LAYERS = 10
MAX_RUNS = 20

MODEL_FILE_BYTES = 40 * MB
MODEL_HISTORY = 50_000
#: The keyword arguments ``nn_core.loads`` takes for an uploaded model file.
MODEL_FILE_LIMITS = {"max_bytes": MODEL_FILE_BYTES, "max_parameters": MAX_PARAMETERS,
                     "max_hidden_layers": MAX_HIDDEN_LAYERS, "max_history": MODEL_HISTORY}

#: The article page's hidden-layer net: [2, *hidden, 1], trained with Adam for this many epochs.
ARTICLE_EPOCHS = 300


def training_seconds(estimate: cost.TrainingCost) -> float:
    """Seconds of one core that a training estimate stands for."""
    return estimate.multiply_adds / MULTIPLY_ADDS_PER_SECOND + estimate.updates * SECONDS_PER_UPDATE


def check_training(layer_sizes: Sequence[int], rows: int, epochs: int, *, batch_size: int | None = None,
                   validation_rows: int = 0, optimizer: str = "adam", early_stopping: bool = False) -> str | None:
    """A training request (train, continue, or one play tick of ``epochs`` epochs): None or what to change."""
    sizes = list(layer_sizes)
    n_params = count_parameters(sizes)
    if n_params > MAX_PARAMETERS:
        return (f"This network has {n_params:,} weights and biases; the app allows {MAX_PARAMETERS:,}: "
                "use fewer or narrower hidden layers.")

    def estimate(s, e=epochs):
        return cost.training_cost(s, rows, e, batch_size=batch_size, validation_rows=validation_rows,
                                  optimizer=optimizer, early_stopping=early_stopping)

    memory = estimate(sizes).memory_bytes
    if memory > REQUEST_MEMORY:
        return _memory_sentence(sizes, memory, f"{rows + validation_rows:,} rows",
                                lambda s: estimate(s).memory_bytes, "or fewer rows")
    seconds = training_seconds(estimate(sizes))
    if seconds > TRAIN_SECONDS:
        per_epoch = training_seconds(estimate(sizes, 1))
        most = max(1, math.floor(TRAIN_SECONDS / per_epoch))
        small_batch = batch_size is not None and batch_size < rows and batch_size < 32
        other = "a larger batch size" if small_batch else "fewer hidden units"
        return (f"Training this network for {epochs:,} epochs would take about {_duration(seconds)} of the "
                f"server's processor; the limit is {_duration(TRAIN_SECONDS)} a press: use at most {most:,} "
                f"epochs at a time, or {other}.")
    return None


def check_epoch_rows(rows: int, epochs: int) -> str | None:
    """The older, simpler bound: epochs x training rows per request (kept as a floor under the cost model)."""
    if epochs * rows > MAX_EPOCH_ROWS:
        most = max(1, MAX_EPOCH_ROWS // max(rows, 1))
        return (f"{epochs:,} epochs x {rows:,} training rows is more than this app trains in one go "
                f"({MAX_EPOCH_ROWS:,}); use at most {most:,} epochs at a time.")
    return None


def check_grid(layer_sizes: Sequence[int], cells: int, traced: bool = False) -> str | None:
    """A grid of ``cells`` points: a decision boundary (a forward pass), or neuron maps (``traced``: every layer kept)."""
    sizes = list(layer_sizes)

    def bytes_of(s):
        return cost.trace_bytes(s, cells) if traced else cost.workspace_bytes(s, cells)

    memory = bytes_of(sizes)
    if memory <= REQUEST_MEMORY:
        return None
    return _memory_sentence(sizes, memory, f"a grid of {cells:,} points", bytes_of, "or a coarser grid")


def check_prediction(layer_sizes: Sequence[int], rows: int) -> str | None:
    """Batch prediction of ``rows`` rows of a table."""
    sizes = list(layer_sizes)
    memory = cost.prediction_bytes(sizes, rows)
    if memory <= REQUEST_MEMORY:
        return None
    return _memory_sentence(sizes, memory, f"{rows:,} rows", lambda s: cost.prediction_bytes(s, rows),
                            "or a table of fewer rows")


def check_model_upload(size_bytes: int) -> str | None:
    """An uploaded model file, by its size (the rest is checked by ``nn_core.loads(..., **MODEL_FILE_LIMITS)``)."""
    if size_bytes > MODEL_FILE_BYTES:
        return (f"This model file is {size_bytes / MB:,.1f} MB; the limit is {MODEL_FILE_BYTES / MB:,.0f} MB: "
                "upload a model of fewer weights or without its training history.")
    return None


def check_article_hidden(hidden: Sequence[int], rows: int) -> str | None:
    """The article page's hidden-layer button: ``[2, *hidden, 1]`` trained on ``rows`` rows."""
    if len(hidden) > MAX_HIDDEN_LAYERS:
        return f"At most {MAX_HIDDEN_LAYERS} hidden layers; got {len(hidden)}."
    return check_training([2, *hidden, 1], rows, ARTICLE_EPOCHS)


def _memory_sentence(sizes: list[int], memory: int, what: str, bytes_of, fewer: str) -> str:
    widest = cost.widest_layer_within(sizes, REQUEST_MEMORY, bytes_of)
    hint = f"use fewer hidden units (at most {widest:,} in the widest layer) {fewer}" if widest else f"use {fewer[3:]}"
    return (f"This network needs about {_size(memory)} for {what}; the limit is {_size(REQUEST_MEMORY)}: "
            f"{hint}.")


def _size(n: float) -> str:
    return f"{n / 1e9:,.1f} GB" if n >= 1e9 else f"{n / MB:,.0f} MB"


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} hours"
    if seconds >= 120:
        return f"{seconds / 60:,.0f} minutes"
    return f"{seconds:,.0f} seconds"


# -------------------------------------------------------------- a run's past
#: The training snapshots one session keeps to scrub its runs back (``ui.snapshots``), all runs together:
#: 20 sessions x 20 MB = 400 MB at the very most per process, and an ordinary session's playground net
#: (105 parameters, Adam: about 4 KB a snapshot) keeps thousands of moments in far less.
SNAPSHOT_BYTES = 20 * MB


# ----------------------------------------------------------------- playing live
#: One playground frame (a tick's epochs plus the picture of every neuron) may cost this much of a core:
#: at ``LIVE_FRAMES_PER_SECOND`` frames a second that is 20% of one core per playing session.
LIVE_FRAME_SECONDS = 0.02
LIVE_FRAMES_PER_SECOND = 10
#: Cells the live picture traces each frame: the main plot's grid and every node's small grid.
LIVE_GRID_CELLS = 50 * 50 + 20 * 20


def live_frame_seconds(layer_sizes: Sequence[int], rows: int, epochs: int, *, batch_size: int | None = None,
                       validation_rows: int = 0, optimizer: str = "adam") -> float:
    """Estimated seconds of one core for one live frame: ``epochs`` of training and the picture's trace."""
    train = training_seconds(cost.training_cost(layer_sizes, rows, epochs, batch_size=batch_size,
                                                validation_rows=validation_rows, optimizer=optimizer))
    picture = LIVE_GRID_CELLS * cost.multiply_adds_per_row(layer_sizes, backward=False) / MULTIPLY_ADDS_PER_SECOND
    return train + picture


def live_epochs(layer_sizes: Sequence[int], rows: int, wanted: int, **kwargs) -> int:
    """How many of the ``wanted`` epochs one live frame may train within ``LIVE_FRAME_SECONDS`` (at least 1)."""
    for epochs in range(wanted, 1, -1):
        if live_frame_seconds(layer_sizes, rows, epochs, **kwargs) <= LIVE_FRAME_SECONDS:
            return epochs
    return 1


def check_live(layer_sizes: Sequence[int], rows: int, **kwargs) -> str | None:
    """Playing a net live: None, or why it is too big for a frame (then Train, not Play, is the way)."""
    refusal = check_training(layer_sizes, rows, 1, **{k: v for k, v in kwargs.items() if k != "validation_rows"},
                             validation_rows=kwargs.get("validation_rows", 0))
    if refusal:
        return refusal
    seconds = live_frame_seconds(layer_sizes, rows, 1, **kwargs)
    if seconds > 5 * LIVE_FRAME_SECONDS:
        return (f"One frame of this network takes about {seconds * 1000:,.0f} ms of the server's processor; "
                f"playing live allows {5 * LIVE_FRAME_SECONDS * 1000:,.0f} ms: use fewer rows or hidden units "
                "here, or press Train on the Train page for a full run.")
    return None
