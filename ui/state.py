"""The one owner of ``st.session_state``: every key the app uses is named here (the widgets' in ``ui.keys``,
re-exported here, so pages write ``state.HIDDEN``).

Two kinds of keys:

- *Settings* (the rows of ``ui.settings.SETTINGS``): the values of the
  data and training widgets. Pages create those widgets with ``key=`` one of
  these names and ``persist_state="session"``, so a value survives a page
  switch; ``init`` gives each its default once. ``data_spec``/``train_config``
  read them as configs and ``apply_data_spec``/``apply_config`` write them,
  all row by row from the table. They are plain numbers and strings, so they
  also travel in a shared link (``read_query_params`` / ``write_query_params``,
  through ``ui.links``).
- *Objects* (``_dataset``, ``_runs``, ...): the active data set, the user's
  upload, the training runs. They live in this visitor's session only; no
  module global or shared cache ever holds them.
"""

from __future__ import annotations

import streamlit as st

from nn_core.data import Dataset

from . import data_sources, keys, links, settings
from .keys import *  # noqa: F403  (the widget keys: pages write state.HIDDEN, state.TRAIN_BUTTON, ...)
from .runs import MAX_RUNS, Run
from .settings import DataSpec, TrainConfig

# ------------------------------------------------------------------ objects
# The session's private slots, with how each starts (a callable makes a fresh container per session).
_DATASET = "_dataset"
_DATA_SPEC = "_data_spec"
_DATA_ERROR = "_data_error"
_UPLOAD = "_upload"  # a data_sources.Upload
_RUNS = "_runs"
_ACTIVE_RUN = "_active_run"
_NEXT_RUN_ID = "_next_run_id"
_RUNS_DROPPED = "_runs_dropped"
_DROPPED_NOTICE = "_dropped_notice"  # labels of the runs the last Train dropped, for one notice on Train
_QUERY_READ = "_query_read"
_LINK_NOTES = "_link_notes"  # what the opening link set otherwise than written (ui.links.LinkNote)
_LINK_PAGE = "_link_page"  # the page the link opened, where its notice shows
_WHATIF = "_whatif"
_BATCH = "_batch"
_ARTICLE_GAIN = "_article_gain"
_LESSON_RUNS = "_lesson_runs"
_DATASET_MEMO = "_dataset_memo"
_MODEL_UPLOAD = "_model_upload"  # (file id, "success" | "error", message) of the last model file
_WEIGHT_EDITS = "_weight_edits"
_EDIT_SHOWN = "_edit_shown"
_GRADCHECK = "_gradcheck"
_PLAYER = "_player"  # the playground's ui.playground.Player
_SNAPSHOTS = "_snapshots"  # the session's ui.snapshots.Store (every run's kept moments)
_SIDEBAR_MODEL = "_sidebar_model"  # the sidebar's model block (an st.empty), redrawn after the page and each frame
_SLOTS = {_ARTICLE_GAIN: None, _LESSON_RUNS: dict, _DATASET: None, _DATA_SPEC: None, _DATA_ERROR: None,
          _UPLOAD: None, _RUNS: list, _ACTIVE_RUN: None, _NEXT_RUN_ID: 1, _RUNS_DROPPED: list, _WHATIF: dict,
          _WEIGHT_EDITS: dict, _EDIT_SHOWN: None, _GRADCHECK: dict, _PLAYER: None, _SIDEBAR_MODEL: None, _SNAPSHOTS: None}


def init() -> None:
    """Give every setting its default and create the object slots (once per session)."""
    ss = st.session_state
    for key, default in {**settings.DEFAULTS, **keys.PAGE_SETTINGS}.items():
        if key not in ss:
            ss[key] = list(default) if isinstance(default, list) else default
    for key, first in _SLOTS.items():
        if key not in ss:
            ss[key] = first() if callable(first) else first


def setting(key: str):
    return st.session_state[key]


def set_setting(key: str, value) -> None:
    st.session_state[key] = value


def init_setting(key: str, value) -> None:
    """Give a widget key its first value; once it has one, only the widget and callbacks change it."""
    st.session_state.setdefault(key, value)


# --------------------------------------------------------------------- data
def data_spec() -> DataSpec:
    """The data source the settings describe now (an upload's columns only while the source is the upload)."""
    ss = st.session_state
    from_upload = ss[keys.SOURCE] == "upload"
    fields = {s.field: s.kind.to_field(ss[s.name]) if (from_upload or not s.upload_only) else s.default
              for s in settings.DATA_SETTINGS}
    upload = ss[_UPLOAD]
    return DataSpec(**fields, upload_id=upload.id if (upload is not None and from_upload) else "")


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


def upload() -> data_sources.Upload | None:
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
    ss[_UPLOAD] = data_sources.Upload(file_id, data, frame, report)
    ss[_DATA_ERROR] = None
    ss[keys.TARGET] = str(frame.columns[-1])
    ss[keys.FEATURES] = []
    ss[keys.ONE_HOT] = []


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
    return TrainConfig(**{s.field: s.kind.to_field(ss[s.name]) for s in settings.TRAIN_SETTINGS})


def apply_config(config: TrainConfig) -> None:
    """Set the training settings from a config (presets, lessons, a run made active again)."""
    for s in settings.TRAIN_SETTINGS:
        st.session_state[s.name] = s.kind.from_field(getattr(config, s.field))


def fit_train_settings() -> None:
    """Put every training setting onto a value its widget offers (a link or an older session may hold any)."""
    ss = st.session_state
    for s in settings.TRAIN_SETTINGS:
        value = settings.snap(s.name, ss[s.name])
        if type(value) is not type(ss[s.name]) or value != ss[s.name]:
            ss[s.name] = value  # written only when it changes: a widget's value is left alone otherwise


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


def forget_run(run: Run) -> None:
    """Remove ``run`` from the session (an untrained run the playground replaces); no notice."""
    st.session_state[_RUNS].remove(run)


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


# ------------------------------------------------------------------ what-if
def whatif_point(run: Run) -> dict[int, float]:
    """The what-if values of ``run`` kept across pages: ``{feature index: value}``."""
    return st.session_state[_WHATIF].setdefault(run.id, {})


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
    """Set the data settings from a spec (bundled or generated sources; lessons and presets).

    An upload's columns are left as they are: a spec of another source has none.
    """
    for s in settings.DATA_SETTINGS:
        if not s.upload_only:
            st.session_state[s.name] = s.kind.from_field(getattr(spec, s.field))


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
    if ss[_EDIT_SHOWN] != marker or keys.EDIT_VALUE not in ss:
        ss[keys.EDIT_VALUE] = value
        ss[_EDIT_SHOWN] = marker


def open_editor(ref) -> None:
    """Open the playground's editor on parameter ``ref`` (the Inside page's edit pickers follow it)."""
    ss = st.session_state
    ss[keys.EDIT_LAYER], ss[keys.EDIT_TO] = ref.layer, ref.to
    ss[keys.EDIT_FROM], ss[keys.PLAY_EDITING] = -1 if ref.frm is None else ref.frm, True


def neuron_target() -> tuple[int, int] | None:
    """``(layer, unit)`` of the hidden neuron whose switch the playground offers (last clicked), or None."""
    return st.session_state.get(keys.PLAY_NEURON)


def edit_target():
    """The parameter the playground's editor is open on (``ui.inside.ParamRef``), or None when it is closed."""
    from .inside import ParamRef

    ss = st.session_state
    if not ss.get(keys.PLAY_EDITING) or any(ss.get(k) is None for k in (keys.EDIT_LAYER, keys.EDIT_FROM, keys.EDIT_TO)):
        return None
    frm = ss[keys.EDIT_FROM]
    return ParamRef(ss[keys.EDIT_LAYER], ss[keys.EDIT_TO], None if frm < 0 else frm)


def forget_edit_value() -> None:
    """The next ``sync_edit_value`` shows the parameter's value again (after a restore)."""
    st.session_state[_EDIT_SHOWN] = None


def gradcheck_result(run: Run, fingerprint: tuple):
    """The last gradient check of ``run``, if its parameters still match ``fingerprint``."""
    stored = st.session_state[_GRADCHECK].get(run.id)
    return stored[1] if stored is not None and stored[0] == fingerprint else None


def set_gradcheck_result(run: Run, fingerprint: tuple, result) -> None:
    st.session_state[_GRADCHECK] = {run.id: (fingerprint, result)}


# ---------------------------------------------------------------- playground
def player():
    """This session's play state (``ui.playground.Player``), made on first use."""
    from .playground import Player

    ss = st.session_state
    if ss[_PLAYER] is None:
        ss[_PLAYER] = Player()
    return ss[_PLAYER]


def snapshots():
    """This session's kept training moments (``ui.snapshots.Store``), made on first use; runs gone are forgotten."""
    from .snapshots import Store

    ss = st.session_state
    if ss[_SNAPSHOTS] is None:
        ss[_SNAPSHOTS] = Store()
    ss[_SNAPSHOTS].keep_only(run.id for run in ss[_RUNS])
    return ss[_SNAPSHOTS]


def sidebar_model_slot():
    """Where the sidebar draws the active model (set by ``ui.sidebar.render`` each full rerun)."""
    return st.session_state[_SIDEBAR_MODEL]


def set_sidebar_model_slot(slot) -> None:
    st.session_state[_SIDEBAR_MODEL] = slot


# ------------------------------------------------------------- shared links
def read_query_params() -> None:
    """Once per session: settings from the URL override the defaults (a shared link).

    What the link asked for otherwise than it got (a clamped number, an
    unknown value) is kept for the page to show: ``link_notes``.
    """
    ss = st.session_state
    if ss.get(_QUERY_READ):
        return
    ss[_QUERY_READ] = True
    params = {name: st.query_params[name] for name in st.query_params}
    values, notes = links.read_link(params, {s.name: ss[s.name] for s in settings.SETTINGS})
    for name, value in values.items():
        ss[name] = value
    ss[_LINK_NOTES] = notes


def link_notes() -> list[links.LinkNote]:
    """The values of the link this session opened with that were clamped or ignored, and why."""
    return st.session_state.get(_LINK_NOTES) or []


def link_notice(page: str) -> str | None:
    """The one notice of the link's notes, on the page the link opened (``page``: its URL path).

    Shown on that page until the visitor goes to another one; then forgotten.
    """
    ss = st.session_state
    notes = link_notes()
    if not notes:
        return None
    if ss.setdefault(_LINK_PAGE, page) != page:
        ss[_LINK_NOTES] = []
        return None
    return links.notice(notes)


def shareable_params() -> dict[str, str]:
    """The settings a link carries, as query values (upload-only settings left out)."""
    return links.link_params(st.session_state)


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
