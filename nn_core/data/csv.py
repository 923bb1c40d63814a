"""Read a user's CSV file into a table, and say in plain sentences what was found.

:func:`load_csv` takes the raw bytes of an upload and returns a
``pandas.DataFrame`` plus a :class:`LoadReport`. It reads what people actually
have: UTF-8 (with or without a byte-order mark), Latin-1 or UTF-16; comma,
semicolon, tab or pipe separators; quoted numbers with thousands separators;
duplicated column names; rows with too few or too many cells; stray text in a
numeric column. It only refuses what cannot be a table (empty, binary, nothing
numeric) or what is too big (:data:`MAX_BYTES`, :data:`MAX_ROWS`,
:data:`MAX_COLUMNS`).

Cleaning rules, each reported in the :class:`LoadReport`:

- Whitespace around names and values is stripped. Empty cells and the markers
  ``NA``, ``N/A``, ``NaN``, ``null``, ``None``, ``?``, ``.`` and ``-`` are missing.
- A row with fewer cells than the header gets missing values; a row with more
  keeps the first cells and ignores the extra ones (empty extra cells, as left
  by a trailing separator, are ignored silently).
- ``inf``, ``-inf`` and ``Infinity`` count as missing.
- A numeric column may hold a few stray text cells: at most
  :data:`MAX_STRAY_CELLS` cells and at most :data:`MAX_STRAY_FRACTION` of its
  non-missing cells. They are reported (line and value) and become missing.
  More than that and the column is text.
- A text column with at most :data:`MAX_TEXT_VALUES` distinct values is kept
  (it can be a class target, or be one-hot encoded with ``one_hot=``); one with
  more (IDs, names, dates) is left out.
- Rows in which every cell is missing are skipped.

Missing values are not filled here: the caller drops those rows or fills them
(see ``nn_core.data.make_dataset(..., missing=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..cost import MB
from ..validation import MAX_ABS_VALUE
from .csv_report import ONE_COLUMN, LoadReport
from .csv_text import (
    MISSING_MARKERS,
    SEPARATORS,
    decode,
    drop_extra_cells,
    guess_lines,
    header_record,
    read_frame,
    scan_records,
    sniff_separator,
    unique_names,
)
from .dataset import value_name

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "ONE_COLUMN", "LoadReport", "load_csv"]

MAX_BYTES = 30 * MB
"""30 MB, MB being 10^6 bytes as the upload widget counts it (``nn_core.cost.MB``). Reading costs
about 6.5 times the file's size at its peak (a 30 MB file: 190 MB numeric, 211 MB text, measured),
which keeps the largest file within one request's 300 MB budget (``ui.budgets.REQUEST_MEMORY``);
50 MB would not be (about 330 MB numeric, 360 MB text)."""
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_TEXT_VALUES = 20
"""A text column with at most this many distinct values is kept (and can be one-hot encoded)."""
MAX_STRAY_CELLS = 20
MAX_STRAY_FRACTION = 0.05
"""A numeric column may have at most this share of text cells (and MAX_STRAY_CELLS) to stay numeric."""


_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or Word document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "a program"),
)



# --------------------------------------------------------------------------- #
# load_csv
# --------------------------------------------------------------------------- #


def load_csv(data: bytes, *, one_hot: Sequence[str] = ()) -> tuple[pd.DataFrame, LoadReport]:
    """Parse the bytes of a CSV file into a table of numeric and short text columns.

    Parameters
    ----------
    data : bytes
        The file's content, as uploaded.
    one_hot : sequence of str
        Columns to replace by one 0/1 column per distinct value, named
        ``"column=value"`` (a missing value gives missing in every new column).

    Returns
    -------
    frame : pd.DataFrame, shape (n_rows, n_columns)
        Numeric columns (float64 or int64, missing as NaN) and kept text columns.
    report : LoadReport
        What was found; ``report.messages()`` gives it as sentences.

    Raises
    ------
    ValueError
        For an empty file, a header with no rows, a binary file, a file with
        no numeric column, a file over the size caps, or a ``one_hot`` name
        that is not a short column.
    """
    raw = _as_bytes(data)
    _check_bytes(raw)
    text, encoding = decode(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("The file is empty: there is no header and no data.")
    _check_row_cap(text)
    separator = sniff_separator(text)
    header, header_lines = header_record(text, separator, MAX_COLUMNS)
    trim = drop_extra_cells(text, separator, len(header), header_lines)
    text = trim.text
    scan = scan_records(text, separator, MAX_COLUMNS)
    report = LoadReport(
        encoding=encoding,
        separator=SEPARATORS.get(separator, ONE_COLUMN),
        ragged_lines=sorted({*scan.ragged_lines, *trim.ragged_lines}),
        padded_lines=trim.padded_lines,
        dropped_cells=trim.dropped_cells,
    )
    frame = read_frame(text, separator, scan)
    names, report.renamed = unique_names(scan.header)
    frame = frame.iloc[:, : len(names)].set_axis(names, axis=1)
    lines = np.asarray(
        scan.row_lines if len(scan.row_lines) == len(frame) else guess_lines(scan, frame)
    )

    columns = {name: _clean_column(frame[name], name, lines, separator, report) for name in names}
    _check_magnitudes(columns, lines)
    _forget_unnamed_empty_columns(columns, report)
    frame = pd.DataFrame({name: col for name, col in columns.items() if col is not None})
    blank = frame.isna().all(axis=1).to_numpy() if frame.shape[1] else np.zeros(len(frame), bool)
    report.blank_rows = int(blank.sum())
    frame = frame[~blank].reset_index(drop=True)
    frame = _apply_one_hot(frame, one_hot, report)
    _check_something_numeric(frame, report)

    report.n_rows, report.n_columns = frame.shape
    report.missing = {c: int(n) for c, n in frame.isna().sum().items() if n > 0}
    return frame, report


def _as_bytes(data: bytes) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise ValueError(f"load_csv needs the file's bytes; got {type(data).__name__}.")


def _check_bytes(raw: bytes) -> None:
    """Refuse an empty, oversized or binary file before decoding it."""
    if not raw:
        raise ValueError("The file is empty: there is no header and no data.")
    if len(raw) > MAX_BYTES:
        raise ValueError(
            f"The file is {_size(len(raw))}; the limit is {_size(MAX_BYTES)}. "
            "Upload a sample of the rows."
        )
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            if magic.startswith(b"PK") and b"xl/" in raw[:4096]:
                kind = "an Excel workbook (.xlsx)"
            raise ValueError(
                f"This looks like a binary file ({kind}), not a CSV. Export or save the table "
                "as CSV (comma-separated text) and upload that."
            )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _size(n_bytes: int) -> str:
    return f"{n_bytes / MB:.1f} MB" if n_bytes >= MB else f"{n_bytes:,} bytes"



def _check_row_cap(text: str) -> None:
    n_lines = text.rstrip("\n").count("\n")  # lines after the header
    if n_lines > MAX_ROWS:
        raise ValueError(
            f"The file has {n_lines:,} lines after the header; the limit is {MAX_ROWS:,} rows. "
            "Upload a sample of the rows."
        )


# --------------------------------------------------------------------------- #
# Column cleaning
# --------------------------------------------------------------------------- #

_SPACES = "\\s\u00a0\u202f"  # thin and no-break spaces also group thousands
_THOUSANDS_POINT = rf"[+-]?\d{{1,3}}(?:[,{_SPACES}]\d{{3}})+(?:\.\d+)?"
_DECIMAL_COMMA = rf"[+-]?(?:\d{{1,3}}(?:[.{_SPACES}]\d{{3}})+|\d+)(?:,\d+)?"


def _clean_column(
    column: pd.Series, name: str, lines: np.ndarray, separator: str, report: LoadReport
) -> pd.Series | None:
    """Return the cleaned column (numeric or short text), or None when it is left out."""
    if column.isna().all():
        report.dropped_columns[name] = "it is empty"
        return None
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return _drop_infinite(column, name, report)
    text = _as_text(column)
    if text.isna().all():
        report.dropped_columns[name] = "it is empty"
        return None
    numbers = _parse_numbers(text, decimal_comma=separator != ",")
    failed = (text.notna() & numbers.isna()).to_numpy()
    n_failed, n_present = int(failed.sum()), int(text.notna().sum())
    if n_failed <= min(MAX_STRAY_CELLS, MAX_STRAY_FRACTION * n_present):
        if n_failed:
            report.stray_cells[name] = [
                (int(line), str(value))
                for line, value in zip(lines[failed], text[failed], strict=True)
            ]
        return _drop_infinite(numbers, name, report)
    n_distinct = int(text.nunique())
    if n_distinct > MAX_TEXT_VALUES:
        report.dropped_columns[name] = (
            f"it holds text with {n_distinct:,} distinct values (like IDs, names or dates), "
            "which a network cannot use as numbers"
        )
        return None
    report.text_columns[name] = n_distinct
    return text


def _check_magnitudes(columns: dict[str, pd.Series | None], lines: np.ndarray) -> None:
    """Refuse a value larger in size than the engine computes with (``MAX_ABS_VALUE``), in the file's words."""
    for name, column in columns.items():
        if column is None or not pd.api.types.is_float_dtype(column):
            continue
        with np.errstate(invalid="ignore"):
            big = np.abs(column.to_numpy()) > MAX_ABS_VALUE
        if big.any():
            first = int(np.argmax(big))
            raise ValueError(
                f"Column '{name}' holds {column.iloc[first]:.3g} on line {int(lines[first])} "
                f"({_count(int(big.sum()), 'value')} that large); the network computes with values up to "
                f"{MAX_ABS_VALUE:.0e} in size (it squares them on the way). Rescale that column "
                "(for example, measure it in larger units) and upload again."
            )


def _forget_unnamed_empty_columns(columns: dict[str, pd.Series | None], report: LoadReport) -> None:
    """A column with neither a name nor values (a trailing separator) is not worth a message."""
    for old, new in list(report.renamed):
        if not old and columns[new] is None:
            report.renamed.remove((old, new))
            del report.dropped_columns[new]


def _as_text(column: pd.Series) -> pd.Series:
    """Cells as stripped strings; empty cells and missing markers become missing."""
    text = column.astype("str").str.strip()
    return text.mask(text.isin(["", *MISSING_MARKERS]))


def _parse_numbers(text: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Convert text cells to numbers, allowing thousands separators.

    ``1,234.5`` and ``1 234.5`` always; ``1.234,5`` and ``2,5`` as well in files
    not separated by commas, when that reading converts more cells.
    """
    point = _convert(
        text, _THOUSANDS_POINT, lambda s: s.str.replace(f"[,{_SPACES}]", "", regex=True)
    )
    if not decimal_comma:
        return point
    comma = _convert(
        text,
        _DECIMAL_COMMA,
        lambda s: s.str.replace(f"[.{_SPACES}]", "", regex=True).str.replace(",", ".", regex=False),
    )
    return comma if comma.notna().sum() > point.notna().sum() else point


def _convert(text: pd.Series, pattern: str, rewrite) -> pd.Series:
    matches = text.str.fullmatch(pattern).fillna(False).astype(bool)
    rewritten = text.where(~matches, rewrite(text.where(matches)))
    return pd.to_numeric(rewritten, errors="coerce")


def _drop_infinite(column: pd.Series, name: str, report: LoadReport) -> pd.Series:
    if not pd.api.types.is_float_dtype(column):
        return column
    infinite = np.isinf(column.to_numpy())
    if infinite.any():
        report.inf_cells[name] = int(infinite.sum())
        return column.mask(infinite)
    return column


# --------------------------------------------------------------------------- #
# One-hot encoding and the final check
# --------------------------------------------------------------------------- #


def _apply_one_hot(frame: pd.DataFrame, one_hot: Sequence[str], report: LoadReport) -> pd.DataFrame:
    if isinstance(one_hot, str):
        one_hot = [one_hot]
    for name in dict.fromkeys(one_hot):
        _check_one_hot_column(frame, name, report)
        values = sorted(frame[name].dropna().unique())
        taken = set(frame.columns)
        new_names = []
        parts = {}
        for value in values:
            new = _unique_label(f"{name}={value_name(value)}", taken)
            taken.add(new)
            new_names.append(new)
            parts[new] = (frame[name] == value).astype(np.float64).mask(frame[name].isna())
        position = frame.columns.get_loc(name)
        frame = pd.concat(
            [frame.iloc[:, :position], pd.DataFrame(parts), frame.iloc[:, position + 1 :]], axis=1
        )
        report.one_hot[name] = new_names
        report.text_columns.pop(name, None)
    return frame


def _check_one_hot_column(frame: pd.DataFrame, name: str, report: LoadReport) -> None:
    if name in report.dropped_columns:
        raise ValueError(
            f"Column '{name}' cannot be one-hot encoded: {report.dropped_columns[name]}."
        )
    if name not in frame.columns:
        text = ", ".join(report.text_columns) or "none"
        raise ValueError(
            f"There is no column '{name}' to one-hot encode; the text columns are: {text}."
        )
    n_distinct = int(frame[name].nunique())
    if n_distinct > MAX_TEXT_VALUES:
        raise ValueError(
            f"Column '{name}' has {n_distinct:,} distinct values; one-hot encoding makes one "
            f"column per value, so at most {MAX_TEXT_VALUES} are allowed."
        )


def _unique_label(label: str, taken: set[str]) -> str:
    new, k = label, 1
    while new in taken:
        new, k = f"{label}.{k}", k + 1
    return new


def _check_something_numeric(frame: pd.DataFrame, report: LoadReport) -> None:
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    if numeric:
        return
    text = ", ".join(f"'{c}'" for c in report.text_columns)
    dropped = ", ".join(f"'{c}'" for c in report.dropped_columns)
    found = f" (left out: {dropped})" if dropped else ""
    hint = (
        f" One-hot encode a text column (one 0/1 column per value) to use it: {text}."
        if text
        else ""
    )
    raise ValueError(
        f"No column of this file holds numbers, and a network needs numeric inputs{found}.{hint}"
    )
