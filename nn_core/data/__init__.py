"""nn_core.data: the table side of nn_core (pandas lives here, and only here).

The engine (``nn_core`` itself) works on NumPy arrays; this subpackage turns
tables into them and back:

- ``dataset``: the :class:`Dataset` type, :func:`encode_target`,
  :func:`make_dataset` (a table -> a Dataset) and :func:`value_name` (a cell
  value's display name, for class names and one-hot columns alike).
- ``generators``: :func:`generate` draws a 2-D toy set; :data:`GENERATORS`.
- ``bundled``: :func:`load_bundled` reads a CSV shipped with nn_core; :data:`BUNDLED`.
- ``csv`` (with ``csv_text`` and ``csv_report``): :func:`load_csv` reads a
  user's CSV file and says what it found in a :class:`LoadReport`.
- ``csv_out``: :func:`to_csv` writes a table as CSV with formula cells
  escaped (CSV injection), the one CSV writer of the CLI and the dashboard.
- ``apply``: a trained model applied to a user's table (the CLI's predict and
  evaluate, the dashboard's batch prediction).

Install it with ``pip install nn_core[data]`` (pandas). Importing this package
costs nothing: each name below loads its module (and pandas) on first use, so
``import nn_core`` can offer them (``nn_core.load_bundled``, ...) and still
import NumPy only. This table is the one list of the data side's public names.
"""

import importlib

_EXPORTS = {
    "Dataset": "dataset",
    "PROBLEM_TYPES": "dataset",
    "encode_target": "dataset",
    "make_dataset": "dataset",
    "value_name": "dataset",
    "GENERATORS": "generators",
    "GeneratorInfo": "generators",
    "generate": "generators",
    "BUNDLED": "bundled",
    "BundledInfo": "bundled",
    "DATA_DIR": "bundled",
    "load_bundled": "bundled",
    "LoadReport": "csv",
    "load_csv": "csv",
    "to_csv": "csv_out",
}
"""Public name -> the module of this package that defines it."""

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != "pandas":
            raise
        raise ModuleNotFoundError(
            f"nn_core.{name} is part of the data side, which needs pandas: "
            "pip install 'nn_core[data]'.",
            name="pandas",
        ) from None
    return getattr(module, name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
