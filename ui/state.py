"""The one owner of ``st.session_state``: every key the app uses is named here.

Two kinds of keys:

- *Settings* (``DATA_SETTINGS``, ``TRAIN_SETTINGS``): the values of the
  data and training widgets. Pages create those widgets with ``key=`` one of
  these names and ``persist_state="session"``, so a value survives a page
  switch; ``init`` gives each its default once. They are plain numbers and
  strings, so they also travel in a shared link (``read_query_params`` /
  ``write_query_params``).
- *Objects* (``_dataset``, ``_runs``, ...): the active data set, the user's
  upload, the training runs. They live in this visitor's session only; no
  module global or shared cache ever holds them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from nn_core.data import Dataset, LoadReport

from . import data_sources
from .data_sources import DataSpec
from .runs import MAX_RUNS, Run, TrainConfig, parse_hidden

# ----------------------------------------------------------------- settings
# Data source (Explore page)
SOURCE = "source"
BUNDLED = "bundled"
GENERATOR = "generator"
N_POINTS = "n"
NOISE = "noise"
DATA_SEED = "data_seed"
CLASSES = "classes"
DERIVED = "derived"
TARGET = "target"
FEATURES = "features"
PROBLEM = "problem"
MISSING = "missing"
ONE_HOT = "one_hot"

# Training (Train page)
HIDDEN = "hidden"
ACTIVATION = "activation"
OPTIMIZER = "optimizer"
LEARNING_RATE = "lr"
EPOCHS = "epochs"
BATCH_SIZE = "batch"
L2 = "l2"
L1 = "l1"
SCHEDULE = "schedule"
VAL_FRACTION = "val"
TEST_FRACTION = "test"
PATIENCE = "patience"
TRAIN_SEED = "seed"
INIT = "init"

_D = DataSpec()
DATA_SETTINGS: dict[str, object] = {
    SOURCE: _D.source,
    BUNDLED: _D.bundled,
    GENERATOR: _D.generator,
    N_POINTS: _D.n,
    NOISE: _D.noise,
    DATA_SEED: _D.seed,
    CLASSES: _D.classes,
    DERIVED: [],
    TARGET: "",
    FEATURES: [],
    PROBLEM: _D.problem,
    MISSING: _D.missing,
    ONE_HOT: [],
}
_T = TrainConfig()
TRAIN_SETTINGS: dict[str, object] = {
    HIDDEN: _T.hidden_text,
    ACTIVATION: _T.activation,
    OPTIMIZER: _T.optimizer,
    LEARNING_RATE: _T.learning_rate,
    EPOCHS: _T.epochs,
    BATCH_SIZE: _T.batch_size,
    L2: _T.l2,
    L1: _T.l1,
    SCHEDULE: _T.schedule,
    VAL_FRACTION: _T.val_fraction,
    TEST_FRACTION: _T.test_fraction,
    PATIENCE: _T.patience,
    TRAIN_SEED: _T.seed,
    INIT: _T.init,
}
SETTINGS = {**DATA_SETTINGS, **TRAIN_SETTINGS}
#: Settings that describe an upload's columns: meaningless in a link without the file.
UPLOAD_ONLY = (TARGET, FEATURES, MISSING, ONE_HOT)
#: ``(low, high)`` of every numeric setting: the widgets' bounds, and where a link's values are
#: clamped to (``read_query_params``), so a tampered ``n=10**9`` never reaches a generator.
RANGES: dict[str, tuple[float, float]] = {
    N_POINTS: (20, 10_000),
    NOISE: (0.0, 1.0),
    DATA_SEED: (0, 1_000_000),
    CLASSES: (2, 10),
    LEARNING_RATE: (0.00001, 10.0),
    EPOCHS: (1, 100_000),
    BATCH_SIZE: (0, 1_000_000),
    L2: (0.0, 1.0),
    L1: (0.0, 1.0),
    VAL_FRACTION: (0.0, 0.5),
    TEST_FRACTION: (0.0, 0.5),
    PATIENCE: (0, 10_000),
    TRAIN_SEED: (0, 2**31 - 1),
}

# Explore page: page-local widgets (not settings: they do not change the data or travel in links)
EXPLORE_X = "explore_x"
EXPLORE_Y = "explore_y"
EXPLORE_HIST = "explore_hist"
UPLOAD_FILE = "upload_file"

# Train page: page-local widgets (views of a run, not training settings; defaults via fit_choice)
TRAIN_PRESET = "train_preset"
BOUNDARY_X = "boundary_x"  # feature index on the boundary chart's x axis
BOUNDARY_Y = "boundary_y"
SHOW_TEST = "show_test"
DISCRETIZE = "discretize"
LOSS_LOG = "loss_log"
THRESHOLD = "threshold"  # binary decision threshold for the held-out confusion matrix
TRAIN_BUTTON = "train"  # new run
CONTINUE_BUTTON = "continue"  # the active run, for the epochs setting more
STEP_BUTTON = "step"  # the active run, one epoch
RESET_BUTTON = "reset"  # the active run, back to its initial weights
STOP_BUTTON = "stop"  # any click interrupts a training loop
APPLY_PRESET = "apply_preset"
SHOWN_RUN = "shown_run"  # the run picker (its value is a run id)

# Seed-article page (not shared in links)
ARTICLE_GLUCOSE = "article_glucose"
ARTICLE_PRESSURE = "article_pressure"
ARTICLE_HIDDEN = "article_hidden"
ARTICLE_HIDDEN_TRAIN = "article_hidden_train"
# Lessons page
LESSON = "lesson"
LESSON_RUN = "lesson_run"
LESSON_SETUP = "lesson_setup"
PAGE_SETTINGS: dict[str, object] = {ARTICLE_GLUCOSE: 140.0, ARTICLE_PRESSURE: 90.0, ARTICLE_HIDDEN: "8",
                                    LESSON: "line"}

# Predict page: page-local widgets (the what-if values themselves live in _WHATIF, per run)
WHATIF_ROW = "whatif_row"  # the "start from row N" picker
WHATIF_USE_ROW = "whatif_use_row"
WHATIF_RESET = "whatif_reset"  # back to the training medians
WHATIF_X = "whatif_x"  # feature index on the what-if boundary chart's x axis
WHATIF_Y = "whatif_y"
WHATIF_PICK = "whatif_pick"  # the boundary chart's click selection
WHATIF_MEASURE = "whatif_measure"  # sensitivity per unit or per standard deviation
WHATIF_CLASS = "whatif_class"  # multi-class: the class whose probability is explained (-1: predicted)
WHATIF_TO_FLIP = "whatif_to_flip"
BATCH_FILE = "batch_file"
BATCH_DOWNLOAD = "batch_download"

# Share & compare page: page-local widgets
SHARE_TARGET = "share_target"  # the page a shared link opens
MODEL_FILE = "share_model_file"  # model file upload
DOWNLOAD_MODEL = "share_download_model"
DOWNLOAD_CODE = "share_download_code"
DOWNLOAD_DATA = "share_download_data"
COMPARE_PICK = "compare_pick"  # the run the buttons below act on
COMPARE_ACTIVATE = "compare_activate"
COMPARE_PIN = "compare_pin"
COMPARE_RUNS = "compare_runs"  # run ids whose loss curves are overlaid
COMPARE_LOG = "compare_log"

# Look-inside pages (Inside the network; One example, step by step): page-local widgets
INSIDE_X = "inside_x"  # feature index on the neuron maps' x axis
INSIDE_Y = "inside_y"
INSIDE_NEURON = "inside_neuron"  # (layer, unit) shown large
INSIDE_STEP = "inside_step"  # button: the active run, one epoch
INSIDE_PLAY = "inside_play"  # button: the active run, ten epochs redrawn one by one
EDIT_LAYER = "edit_layer"  # weight layer of the hand-edited parameter
EDIT_FROM = "edit_from"  # unit it comes from (-1: the bias)
EDIT_TO = "edit_to"
EDIT_VALUE = "edit_value"  # the value typed (synced to the chosen parameter by sync_edit_value)
EDIT_RESTORE = "edit_restore"
GRADCHECK_BUTTON = "gradcheck"
STEP_SOURCE = "step_source"  # "row" or "whatif"
STEP_ROW = "step_row"
STEP_CLASS = "step_class"  # the label assumed for the what-if point (classifiers)
STEP_TARGET = "step_target"  # ... (regression)

# ------------------------------------------------------------------ objects
_DATASET = "_dataset"
_DATA_SPEC = "_data_spec"
_DATA_ERROR = "_data_error"
_UPLOAD = "_upload"
_RUNS = "_runs"
_ACTIVE_RUN = "_active_run"
_NEXT_RUN_ID = "_next_run_id"
_RUNS_DROPPED = "_runs_dropped"
_DROPPED_NOTICE = "_dropped_notice"  # labels of the runs the last Train dropped, for one notice on Train
_QUERY_READ = "_query_read"
_WHATIF = "_whatif"
_BATCH = "_batch"
_ARTICLE_GAIN = "_article_gain"
_LESSON_RUNS = "_lesson_runs"
_DATASET_MEMO = "_dataset_memo"
_MODEL_UPLOAD = "_model_upload"  # (file id, "success" | "error", message) of the last model file
_WEIGHT_EDITS = "_weight_edits"
_EDIT_SHOWN = "_edit_shown"
_GRADCHECK = "_gradcheck"


@dataclass
class Upload:
    """A visitor's parsed CSV: its identity, the cleaned table and the loader's report."""

    id: str
    data: bytes
    frame: pd.DataFrame
    report: LoadReport


def init() -> None:
    """Give every setting its default and create the object slots (once per session)."""
    ss = st.session_state
    for key, default in {**SETTINGS, **PAGE_SETTINGS}.items():
        if key not in ss:
            ss[key] = list(default) if isinstance(default, list) else default
    ss.setdefault(_ARTICLE_GAIN, None)
    ss.setdefault(_LESSON_RUNS, {})
    ss.setdefault(_DATASET, None)
    ss.setdefault(_DATA_SPEC, None)
    ss.setdefault(_DATA_ERROR, None)
    ss.setdefault(_UPLOAD, None)
    ss.setdefault(_RUNS, [])
    ss.setdefault(_ACTIVE_RUN, None)
    ss.setdefault(_NEXT_RUN_ID, 1)
    ss.setdefault(_RUNS_DROPPED, [])
    ss.setdefault(_WHATIF, {})
    ss.setdefault(_WEIGHT_EDITS, {})
    ss.setdefault(_EDIT_SHOWN, None)
    ss.setdefault(_GRADCHECK, {})


def setting(key: str):
    return st.session_state[key]


def set_setting(key: str, value) -> None:
    st.session_state[key] = value


def init_setting(key: str, value) -> None:
    """Give a widget key its first value; once it has one, only the widget and callbacks change it."""
    st.session_state.setdefault(key, value)


# --------------------------------------------------------------------- data
def data_spec() -> DataSpec:
    """The data source the settings describe now."""
    ss = st.session_state
    upload = ss[_UPLOAD]
    return DataSpec(
        source=ss[SOURCE],
        bundled=ss[BUNDLED],
        generator=ss[GENERATOR],
        n=int(ss[N_POINTS]),
        noise=float(ss[NOISE]),
        seed=int(ss[DATA_SEED]),
        classes=int(ss[CLASSES]),
        derived=tuple(ss[DERIVED]),
        upload_id=upload.id if (upload is not None and ss[SOURCE] == "upload") else "",
        target=ss[TARGET] if ss[SOURCE] == "upload" else "",
        features=tuple(ss[FEATURES]) if ss[SOURCE] == "upload" else (),
        problem=ss[PROBLEM],
        missing=ss[MISSING] if ss[SOURCE] == "upload" else "drop",
        one_hot=tuple(ss[ONE_HOT]) if ss[SOURCE] == "upload" else (),
    )


def dataset() -> Dataset | None:
    return st.session_state[_DATASET]


def active_spec() -> DataSpec | None:
    return st.session_state[_DATA_SPEC]


def data_error() -> str | None:
    return st.session_state[_DATA_ERROR]


def sync_dataset() -> None:
    """Make the active data set match the settings; on failure keep the previous one.

    A failure is stored as a sentence (``data_error``) for the Explore page
    to show with ``st.error``; the data and runs the user had stay.
    """
    ss = st.session_state
    spec = data_spec()
    if spec == ss[_DATA_SPEC] and ss[_DATASET] is not None:
        return
    if spec.source == "upload" and ss[_UPLOAD] is None:
        ss[_DATA_ERROR] = None  # nothing uploaded yet: keep the previous data set
        return
    try:
        upload = ss[_UPLOAD]
        frame = None
        if spec.source == "upload":
            frame = upload.frame
            if spec.one_hot:
                frame, upload.report = data_sources.parse_upload(upload.data, spec.one_hot)
        ds = data_sources.load(spec, frame)
    except (ValueError, FileNotFoundError) as exc:
        ss[_DATA_ERROR] = str(exc)
        return
    ss[_DATASET], ss[_DATA_SPEC], ss[_DATA_ERROR] = ds, spec, None


def upload() -> Upload | None:
    return st.session_state[_UPLOAD]


def set_upload(name: str, data: bytes) -> None:
    """Parse a newly uploaded file; keep it on success, or record the error and keep what was there."""
    ss = st.session_state
    file_id = f"{name} ({len(data):,} bytes)"
    if ss[_UPLOAD] is not None and ss[_UPLOAD].id == file_id:
        return
    try:
        frame, report = data_sources.parse_upload(data)
    except ValueError as exc:
        ss[_DATA_ERROR] = f"{name}: {exc}"
        return
    ss[_UPLOAD] = Upload(file_id, data, frame, report)
    ss[_DATA_ERROR] = None
    ss[TARGET] = str(frame.columns[-1])
    ss[FEATURES] = []
    ss[ONE_HOT] = []


def clear_data_error() -> None:
    st.session_state[_DATA_ERROR] = None


def dataset_memo(name: str, compute):
    """``compute(dataset)`` for the active data set, kept in this session until the data set changes.

    Summaries of a 100,000-row upload take a moment; this computes each once
    per data set (per visitor, never in a shared cache).
    """
    ss = st.session_state
    ds = ss[_DATASET]
    memo = ss.get(_DATASET_MEMO)
    if memo is None or memo[0] is not ds:
        memo = ss[_DATASET_MEMO] = (ds, {})
    if name not in memo[1]:
        memo[1][name] = compute(ds)
    return memo[1][name]


def fit_choice(key: str, options, default) -> None:
    """Before a page-local select widget: reset its value if the options no longer hold it.

    A list value (multiselect) keeps the entries still offered, or ``default`` if none are
    (a list the user emptied on purpose stays empty).
    """
    ss = st.session_state
    value = ss.get(key)
    if isinstance(default, list):
        kept = [v for v in value if v in options] if isinstance(value, list) else []
        ss[key] = kept if (kept or value == []) else list(default)
    elif value not in options:
        ss[key] = default


# ----------------------------------------------------------------- training
def train_config() -> TrainConfig:
    """The training settings as a ``TrainConfig``; ``ValueError`` for a bad hidden-layer text."""
    ss = st.session_state
    return TrainConfig(
        hidden=parse_hidden(ss[HIDDEN]),
        activation=ss[ACTIVATION],
        optimizer=ss[OPTIMIZER],
        learning_rate=float(ss[LEARNING_RATE]),
        epochs=int(ss[EPOCHS]),
        batch_size=int(ss[BATCH_SIZE]),
        l2=float(ss[L2]),
        l1=float(ss[L1]),
        schedule=ss[SCHEDULE],
        val_fraction=float(ss[VAL_FRACTION]),
        test_fraction=float(ss[TEST_FRACTION]),
        patience=int(ss[PATIENCE]),
        seed=int(ss[TRAIN_SEED]),
        init=ss[INIT],
    )


def apply_config(config: TrainConfig) -> None:
    """Set the training settings from a config (presets, lessons, a run made active again)."""
    ss = st.session_state
    ss[HIDDEN] = config.hidden_text
    ss[ACTIVATION] = config.activation
    ss[OPTIMIZER] = config.optimizer
    ss[LEARNING_RATE] = config.learning_rate
    ss[EPOCHS] = config.epochs
    ss[BATCH_SIZE] = config.batch_size
    ss[L2] = config.l2
    ss[L1] = config.l1
    ss[SCHEDULE] = config.schedule
    ss[VAL_FRACTION] = config.val_fraction
    ss[TEST_FRACTION] = config.test_fraction
    ss[PATIENCE] = config.patience
    ss[TRAIN_SEED] = config.seed
    ss[INIT] = config.init


def runs() -> list[Run]:
    return st.session_state[_RUNS]


def next_run_id() -> int:
    return st.session_state[_NEXT_RUN_ID]


def add_run(run: Run) -> None:
    """Keep a new run and make it active; past ``MAX_RUNS`` the oldest unpinned run goes."""
    ss = st.session_state
    ss[_NEXT_RUN_ID] = max(ss[_NEXT_RUN_ID], run.id + 1)
    ss[_RUNS].append(run)
    while len(ss[_RUNS]) > MAX_RUNS:
        victim = next((r for r in ss[_RUNS] if not r.pinned and r is not run), None)
        if victim is None:
            break
        ss[_RUNS].remove(victim)
        ss[_RUNS_DROPPED].append(victim.label)
    ss[_ACTIVE_RUN] = run.id


def dropped_runs() -> list[str]:
    return st.session_state[_RUNS_DROPPED]


def dropped_notice() -> list[str]:
    """Labels of the runs dropped by the last training the Train page has not yet reported."""
    return st.session_state.get(_DROPPED_NOTICE) or []


def set_dropped_notice(labels: list[str]) -> None:
    st.session_state[_DROPPED_NOTICE] = list(labels)


def active_run() -> Run | None:
    ss = st.session_state
    return next((r for r in ss[_RUNS] if r.id == ss[_ACTIVE_RUN]), None)


def set_active_run(run_id: int | None) -> None:
    st.session_state[_ACTIVE_RUN] = run_id


def clear_active_run() -> None:
    st.session_state[_ACTIVE_RUN] = None


# ------------------------------------------------------------------ what-if
def whatif_key(run_id: int, feature: int) -> str:
    """The widget key of a what-if input (one per run and raw feature)."""
    return f"whatif_{run_id}_{feature}"


def whatif_point(run: Run) -> dict[int, float]:
    """The what-if values of ``run`` kept across pages: ``{feature index: value}``."""
    return st.session_state[_WHATIF].setdefault(run.id, {})


def whatif_number_key(run_id: int, feature: int) -> str:
    """The widget key of a what-if number entry (beside the slider of ``whatif_key``)."""
    return f"whatif_{run_id}_{feature}_number"


def batch_result(key: tuple):
    """The last batch prediction if it was made for ``key`` (file and run), else None."""
    kept = st.session_state.get(_BATCH)
    return kept[1] if kept is not None and kept[0] == key else None


def set_batch_result(key: tuple, result) -> None:
    """Keep one batch prediction (this visitor's only), so a rerun does not parse the file again."""
    st.session_state[_BATCH] = (key, result)


def lesson_runs(lesson_key: str) -> list[int]:
    """Ids of the runs the last "Run this lesson" made for this lesson."""
    return st.session_state[_LESSON_RUNS].get(lesson_key, [])


def set_lesson_runs(lesson_key: str, run_ids: list[int]) -> None:
    st.session_state[_LESSON_RUNS][lesson_key] = list(run_ids)


def apply_data_spec(spec: DataSpec) -> None:
    """Set the data settings from a spec (bundled or generated sources; lessons and presets)."""
    ss = st.session_state
    ss[SOURCE] = spec.source
    ss[BUNDLED] = spec.bundled
    ss[GENERATOR] = spec.generator
    ss[N_POINTS] = spec.n
    ss[NOISE] = spec.noise
    ss[DATA_SEED] = spec.seed
    ss[CLASSES] = spec.classes
    ss[DERIVED] = list(spec.derived)
    ss[PROBLEM] = spec.problem


def apply_lesson_step(step) -> None:
    """Set data and training settings to a lesson step's (the Train page then shows them)."""
    apply_data_spec(step.data)
    apply_config(step.config)
    sync_dataset()


def article_gain():
    """The seed-article page's "add a hidden layer" result, if the user asked for it."""
    return st.session_state[_ARTICLE_GAIN]


def set_article_gain(gain) -> None:
    st.session_state[_ARTICLE_GAIN] = gain


# ------------------------------------------------------------ look inside
def weight_edits(run: Run) -> dict:
    """Trained values of the parameters edited by hand: ``{ui.inside.ParamRef: value}``.

    Kept for the run's current epoch count only: training on after an edit
    makes the edited weights the run's own, so there is nothing to put back.
    """
    edits = st.session_state[_WEIGHT_EDITS]
    epoch, originals = edits.get(run.id, (None, None))
    if epoch != run.epochs:
        originals = {}
        edits[run.id] = (run.epochs, originals)
    return originals


def sync_edit_value(marker: tuple, value: float) -> None:
    """Before the edit input: show ``value`` when the chosen parameter (``marker``) changed."""
    ss = st.session_state
    if ss[_EDIT_SHOWN] != marker or EDIT_VALUE not in ss:
        ss[EDIT_VALUE] = value
        ss[_EDIT_SHOWN] = marker


def forget_edit_value() -> None:
    """The next ``sync_edit_value`` shows the parameter's value again (after a restore)."""
    st.session_state[_EDIT_SHOWN] = None


def gradcheck_result(run: Run, fingerprint: tuple):
    """The last gradient check of ``run``, if its parameters still match ``fingerprint``."""
    stored = st.session_state[_GRADCHECK].get(run.id)
    return stored[1] if stored is not None and stored[0] == fingerprint else None


def set_gradcheck_result(run: Run, fingerprint: tuple, result) -> None:
    st.session_state[_GRADCHECK] = {run.id: (fingerprint, result)}


# ------------------------------------------------------------- shared links
def read_query_params() -> None:
    """Once per session: settings from the URL override the defaults (a shared link)."""
    ss = st.session_state
    if ss.get(_QUERY_READ):
        return
    ss[_QUERY_READ] = True
    params = st.query_params
    for key, default in SETTINGS.items():
        if key in UPLOAD_ONLY or key not in params:
            continue
        value = _parse_param(params[key], default)
        if value is not None and _allowed(key, value):
            ss[key] = _clamped(key, value)
    from nn_core.data import GENERATORS

    if not GENERATORS[ss[GENERATOR]].supports_classes:
        ss[CLASSES] = 2  # only some generators take more classes; the link's count would fail the others


def shareable_params() -> dict[str, str]:
    """The settings a link carries, as query values (upload-only settings left out).

    Floats are written with ``str``, the shortest text that reads back as the
    same float, so a link reproduces a run bit for bit.
    """
    ss = st.session_state
    wanted = {}
    for key in SETTINGS:
        if key in UPLOAD_ONLY:
            continue
        value = ss[key]
        wanted[key] = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return wanted


def write_query_params() -> None:
    """Every rerun: the full set of shareable settings into the URL."""
    wanted = shareable_params()
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def model_upload_outcome() -> tuple[str, str, str] | None:
    """``(file id, "success" | "error", message)`` of the last model file uploaded, if any."""
    return st.session_state.get(_MODEL_UPLOAD)


def set_model_upload_outcome(file_id: str, kind: str, message: str) -> None:
    st.session_state[_MODEL_UPLOAD] = (file_id, kind, message)


def _choices() -> dict[str, tuple]:
    """The values a link may set for each choice-like setting (anything else is ignored)."""
    from nn_core import data as datasets
    from nn_core import features

    from . import runs

    return {
        SOURCE: ("bundled", "generated"),
        BUNDLED: tuple(datasets.BUNDLED),
        GENERATOR: tuple(datasets.GENERATORS),
        DERIVED: features.DERIVED_FEATURES,
        PROBLEM: data_sources.PROBLEM_CHOICES,
        ACTIVATION: runs.ACTIVATIONS,
        OPTIMIZER: runs.OPTIMIZERS,
        SCHEDULE: runs.SCHEDULES,
        INIT: runs.INITS,
    }


def _clamped(key: str, value):
    """A link's number moved inside its widget's range (``RANGES``); other values unchanged."""
    if key not in RANGES:
        return value
    low, high = RANGES[key]
    return type(value)(min(max(value, low), high))


def _allowed(key: str, value) -> bool:
    if key == HIDDEN:
        try:
            parse_hidden(value)
        except ValueError:
            return False
        return True
    allowed = _choices().get(key)
    if allowed is None:
        return True
    if isinstance(value, list):
        return all(v in allowed for v in value)
    return value in allowed


def _parse_param(text: str, default):
    """A URL value converted to the setting's type; ``None`` when it does not parse."""
    try:
        if isinstance(default, bool):
            return text.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            number = float(text)
            return number if math.isfinite(number) else None  # "nan", "inf" from a tampered link
        if isinstance(default, list):
            return list(dict.fromkeys(p for p in text.split(",") if p))
        return text
    except ValueError:
        return None
