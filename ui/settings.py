"""Every setting of the app in one table (``SETTINGS``); everything else about settings follows from it.

A *setting* is a value the user chooses with a widget that decides the data
set or the training: the data source, the number of points, the learning
rate, ... Each row of ``SETTINGS`` says, once:

- ``name``: the setting's URL parameter in a shared link, and also its
  ``st.session_state`` key (the same word, so a link maps onto the widgets
  with no translation; links shared since the first release use these names);
- ``part`` and ``field``: the ``DataSpec`` or ``TrainConfig`` field it fills;
- ``kind``: how its value reads from and writes to a link's text, and how it
  turns into the config field (``"8, 8"`` in the text box, ``(8, 8)`` in
  ``TrainConfig.hidden``);
- ``default``, in the config's terms;
- ``low``/``high`` (the widget's bounds; a link's number is clamped to them),
  ``choices`` (the values a link may set; anything else is ignored) and
  ``steps`` (the ladder a select-slider offers; other values snap to the
  nearest);
- ``upload_only``: describes an uploaded file's columns, so it never
  travels in a link and means nothing for the other sources.

Derived here from the table: ``DataSpec`` and ``TrainConfig`` (frozen
dataclasses whose fields are the rows' ``field`` names, with the rows'
defaults), ``DEFAULTS`` (the session's first values), ``RANGES`` and
``snap`` (the widgets' bounds). ``ui.state`` derives the session's config and
its apply functions, ``ui.links`` the shared link's reading and writing.

A new setting is one row below (with the other rows of its part).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

from nn_core import data as datasets
from nn_core import features

DATA, TRAIN = "data", "train"

#: The values the choice-like settings may take (the widgets offer these).
SOURCES_IN_LINKS = ("bundled", "generated")  # an uploaded file cannot travel in a link
PROBLEMS = ("auto", "binary", "multiclass", "regression")
ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "linear")
OPTIMIZERS = ("adam", "sgd", "momentum")
SCHEDULES = ("constant", "step", "exponential", "cosine")
INITS = ("auto", "glorot", "he", "normal", "zeros")
#: Learning rates offered (TensorFlow Playground's ladder).
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: L2 / L1 penalty strengths offered (0 = off).
PENALTIES = (0.0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: Gradient-clipping thresholds offered (the global L2 norm of the gradient; 0 = off).
CLIP_NORMS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0)


# -------------------------------------------------------------------- kinds
@dataclass(frozen=True)
class Kind:
    """How one kind of value moves between a link's text, the session and a config field.

    ``read(text)`` raises ``ValueError`` (with a sentence) for a text that is
    not of this kind; ``write(value)`` is its inverse on the session value;
    ``to_field``/``from_field`` convert between the session value (what the
    widget holds) and the config field.
    """

    type: object  # the config field's type
    read: Callable[[str], object]
    write: Callable[[object], str] = str
    to_field: Callable[[object], object] = lambda value: value
    from_field: Callable[[object], object] = lambda value: value


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # "nan", "inf" from a tampered link
        raise ValueError("not a finite number")
    return number


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(p for p in text.split(",") if p))  # repeated names once


def _hidden_sizes(text: str) -> tuple[int, ...]:
    from .runs import parse_hidden  # ui.runs imports TrainConfig from here

    return parse_hidden(text)


def _checked_hidden_text(text: str) -> str:
    _hidden_sizes(text)  # raises ValueError with the reason
    return text


INT = Kind(int, int, to_field=int)
FLOAT = Kind(float, _finite, to_field=float)
TEXT = Kind(str, str)
#: Several names, comma-separated in a link; a list in the session, a tuple in a config.
NAMES = Kind(tuple[str, ...], _names, write=lambda v: ",".join(map(str, v)), to_field=tuple, from_field=list)
#: Hidden-layer sizes: ``"8, 8"`` in the text box and the link, ``(8, 8)`` in the config.
LAYERS = Kind(tuple[int, ...], _checked_hidden_text, to_field=_hidden_sizes,
              from_field=lambda sizes: ", ".join(str(h) for h in sizes))


# -------------------------------------------------------------------- table
@dataclass(frozen=True)
class Setting:
    """One row of the table: see the module docstring for the columns."""

    name: str
    part: str
    field: str
    kind: Kind
    default: object
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None
    steps: tuple | None = None
    upload_only: bool = False

    @property
    def session_default(self):
        """The default as the widget holds it (``"8, 8"``, a fresh list)."""
        return self.kind.from_field(self.default)

    def clamp(self, value):
        """``value`` moved inside ``[low, high]`` (same type); unchanged without a range."""
        if self.low is None:
            return value
        return type(value)(min(max(value, self.low), self.high))

    def allows(self, value) -> bool:
        """Whether ``value`` is among ``choices`` (every name of a list); True without choices."""
        if self.choices is None:
            return True
        return all(v in self.choices for v in value) if isinstance(value, list) else value in self.choices


S = Setting
SETTINGS: tuple[Setting, ...] = (
    # name         part   field            kind    default     bounds / choices
    S("source",    DATA,  "source",        TEXT,   "bundled",  choices=SOURCES_IN_LINKS),
    S("bundled",   DATA,  "bundled",       TEXT,   "diabetes", choices=tuple(datasets.BUNDLED)),
    S("generator", DATA,  "generator",     TEXT,   "moons",    choices=tuple(datasets.GENERATORS)),
    S("n",         DATA,  "n",             INT,    400,        low=20, high=10_000),
    S("noise",     DATA,  "noise",         FLOAT,  0.2,        low=0.0, high=1.0),
    S("data_seed", DATA,  "seed",          INT,    0,          low=0, high=1_000_000),
    S("classes",   DATA,  "classes",       INT,    2,          low=2, high=10),
    S("derived",   DATA,  "derived",       NAMES,  (),         choices=features.DERIVED_FEATURES),
    S("target",    DATA,  "target",        TEXT,   "",         upload_only=True),
    S("features",  DATA,  "features",      NAMES,  (),         upload_only=True),
    S("problem",   DATA,  "problem",       TEXT,   "auto",     choices=PROBLEMS),
    S("missing",   DATA,  "missing",       TEXT,   "drop",     upload_only=True),
    S("one_hot",   DATA,  "one_hot",       NAMES,  (),         upload_only=True),
    S("hidden",    TRAIN, "hidden",        LAYERS, (8, 8)),
    S("activation", TRAIN, "activation",   TEXT,   "tanh",     choices=ACTIVATIONS),
    S("optimizer", TRAIN, "optimizer",     TEXT,   "adam",     choices=OPTIMIZERS),
    S("lr",        TRAIN, "learning_rate", FLOAT,  0.03,       low=0.00001, high=10.0, steps=LEARNING_RATES),
    S("epochs",    TRAIN, "epochs",        INT,    300,        low=1, high=100_000),
    S("batch",     TRAIN, "batch_size",    INT,    0,          low=0, high=1_000_000),  # 0 = full batch
    S("l2",        TRAIN, "l2",            FLOAT,  0.0,        low=0.0, high=1.0, steps=PENALTIES),
    S("l1",        TRAIN, "l1",            FLOAT,  0.0,        low=0.0, high=1.0, steps=PENALTIES),
    S("clip",      TRAIN, "clip_norm",     FLOAT,  0.0,        low=0.0, high=100.0, steps=CLIP_NORMS),  # 0 = off
    S("schedule",  TRAIN, "schedule",      TEXT,   "constant", choices=SCHEDULES),
    S("val",       TRAIN, "val_fraction",  FLOAT,  0.2,        low=0.0, high=0.5),
    S("test",      TRAIN, "test_fraction", FLOAT,  0.2,        low=0.0, high=0.5),
    S("patience",  TRAIN, "patience",      INT,    0,          low=0, high=10_000),  # 0 = no early stopping
    S("seed",      TRAIN, "seed",          INT,    0,          low=0, high=2**31 - 1),
    S("init",      TRAIN, "init",          TEXT,   "auto",     choices=INITS),
)
del S

# ------------------------------------------------------------------ derived
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
DATA_SETTINGS = tuple(s for s in SETTINGS if s.part == DATA)
TRAIN_SETTINGS = tuple(s for s in SETTINGS if s.part == TRAIN)
#: The session's first value of every setting, as its widget holds it.
DEFAULTS: dict[str, object] = {s.name: s.session_default for s in SETTINGS}
#: ``(low, high)`` of every numeric setting: the widgets' bounds and a link's clamp.
RANGES: dict[str, tuple[float, float]] = {s.name: (s.low, s.high) for s in SETTINGS if s.low is not None}


def options(name: str) -> tuple:
    """The values a select widget offers for setting ``name`` (its ladder, else its choices)."""
    setting = BY_NAME[name]
    return setting.steps or setting.choices


def snap(name: str, value):
    """``value`` of setting ``name`` put onto what its widget offers (a link or an old session may hold any).

    A ladder (``steps``) takes the nearest rung (on a log scale for positive
    values), a range clamps, a choice not offered falls back to the default,
    and a value that is not a number where one is expected becomes the default.
    """
    setting = BY_NAME[name]
    if setting.choices is not None:
        return value if setting.allows(value) else setting.session_default
    if setting.low is None:
        return value
    try:
        number = setting.kind.to_field(value)
    except (TypeError, ValueError):
        number = setting.default
    if setting.steps:
        return nearest(number, setting.steps)
    return setting.clamp(number)


def nearest(value: float, ladder: tuple[float, ...]) -> float:
    """The rung of ``ladder`` closest to ``value`` (on a log scale for positive values)."""

    def distance(option: float) -> float:
        if value > 0 and option > 0:
            return abs(math.log(option) - math.log(value))
        return abs(option - value) + (1e9 if (value > 0) != (option > 0) else 0.0)

    return min(ladder, key=distance)


def _config_class(name: str, part: str, doc: str, extra: tuple = (), namespace: dict | None = None) -> type:
    """A frozen dataclass with one field per setting of ``part`` (``field``, its type, its default)."""
    rows = [s for s in SETTINGS if s.part == part]
    fields = [(s.field, s.kind.type, dataclasses.field(default=s.default)) for s in rows]
    listed = "\n".join(f"    {s.field}: {_type_name(s.kind.type)} = {s.default!r}" for s in rows)
    cls = dataclasses.make_dataclass(name, [*fields, *extra], frozen=True, namespace=namespace)
    cls.__doc__ = f"{doc}\n\n    Fields (one per row of ``ui.settings.SETTINGS``):\n{listed}\n"
    cls.__module__ = __name__
    return cls


def _type_name(annotation) -> str:
    return annotation.__name__ if isinstance(annotation, type) else str(annotation)


def _data_title(spec) -> str:
    """How the sidebar and the run table name the data set."""
    if spec.source == "bundled":
        return datasets.BUNDLED[spec.bundled].label if spec.bundled in datasets.BUNDLED else spec.bundled
    if spec.source == "generated":
        extra = f", {spec.classes} classes" if spec.classes != 2 else ""
        return f"{spec.generator} (n={spec.n}, noise={spec.noise:g}, seed={spec.seed}{extra})"
    return f"Uploaded file {spec.upload_id.rsplit(' (', 1)[0]}"


DataSpec = _config_class(
    "DataSpec", DATA, "Everything that decides the active data set (and can travel in a link, except uploads).",
    # the uploaded file's name and size: it identifies the upload but is not a setting (no widget, no link)
    extra=(("upload_id", str, dataclasses.field(default="")),),
    namespace={"title": property(_data_title)},
)
TrainConfig = _config_class("TrainConfig", TRAIN, "Every training setting of a run, as the Train page shows them.")
