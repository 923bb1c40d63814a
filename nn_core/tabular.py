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
(see ``nn_core.datasets.make_dataset(..., missing=...)``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_TEXT_VALUES = 20
"""A text column with at most this many distinct values is kept (and can be one-hot encoded)."""
MAX_STRAY_CELLS = 20
MAX_STRAY_FRACTION = 0.05
"""A numeric column may have at most this share of text cells (and MAX_STRAY_CELLS) to stay numeric."""

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
ONE_COLUMN = "one column, no separator"
_NO_SEPARATOR = (
    "\x1f"  # ASCII unit separator: never in a real CSV, so a one-column file stays whole
)
MISSING_MARKERS = ["?", ".", "-"]
"""Read as missing on top of pandas' defaults ("", "NA", "N/A", "NaN", "null", "None", ...)."""

_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 50
_MESSAGE_LIST = 5

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
# The report
# --------------------------------------------------------------------------- #


@dataclass
class LoadReport:
    """What :func:`load_csv` found in a file and did about it.

    Line numbers are the ones a user sees in a text editor: the header is
    usually line 1 and the first data row line 2.

    Attributes
    ----------
    encoding : str
        E.g. ``"UTF-8"``, ``"UTF-8 with BOM"``, ``"Latin-1 (Windows-1252)"``, ``"UTF-16 LE"``.
    separator : str
        ``"comma"``, ``"semicolon"``, ``"tab"``, ``"pipe"`` or :data:`ONE_COLUMN`.
    n_rows, n_columns : int
        Shape of the returned table.
    renamed : list of (old, new)
        Header names changed to make them unique or non-empty.
    ragged_lines : list of int
        Lines with fewer cells than the header, or with extra non-empty cells.
    stray_cells : dict of column -> list of (line, value)
        Text cells in a numeric column, now missing.
    inf_cells : dict of column -> int
        Infinite values, now missing.
    missing : dict of column -> int
        Missing values per column after cleaning (columns with none are left out).
    text_columns : dict of column -> int
        Text columns kept, with their number of distinct values.
    dropped_columns : dict of column -> str
        Columns left out, with the reason.
    one_hot : dict of column -> list of str
        Columns replaced by 0/1 columns, with the new columns' names.
    blank_rows : int
        Rows in which every cell was missing; they were skipped.
    """

    encoding: str = "UTF-8"
    separator: str = "comma"
    n_rows: int = 0
    n_columns: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)
    ragged_lines: list[int] = field(default_factory=list)
    stray_cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    inf_cells: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    text_columns: dict[str, int] = field(default_factory=dict)
    dropped_columns: dict[str, str] = field(default_factory=dict)
    one_hot: dict[str, list[str]] = field(default_factory=dict)
    blank_rows: int = 0

    def messages(self) -> list[str]:
        """One plain-text sentence per finding, the overview first."""
        layout = "one column" if self.separator == ONE_COLUMN else f"{self.separator}-separated"
        out = [
            f"Read {_count(self.n_rows, 'row')} and {_count(self.n_columns, 'column')}: "
            f"{self.encoding} text, {layout}."
        ]
        for old, new in self.renamed:
            if old:
                out.append(
                    f"The column name '{old}' appears more than once; this copy is now '{new}'."
                )
            else:
                out.append(f"A column had no name in the header; it is now called '{new}'.")
        if self.ragged_lines:
            out.append(
                f"{_count(len(self.ragged_lines), 'line')} did not have as many cells as the header "
                f"({_list_lines(self.ragged_lines)}): missing cells became missing values "
                "and extra cells were ignored."
            )
        if self.blank_rows:
            out.append(f"{_count(self.blank_rows, 'row')} with no values at all were skipped.")
        for column, cells in self.stray_cells.items():
            shown = ", ".join(
                f"line {line} '{_short(value)}'" for line, value in cells[:_MESSAGE_LIST]
            )
            more = f" and {len(cells) - _MESSAGE_LIST} more" if len(cells) > _MESSAGE_LIST else ""
            out.append(
                f"Column '{column}' holds numbers but {_count(len(cells), 'cell')} held text, "
                f"now treated as missing: {shown}{more}."
            )
        for column, count in self.inf_cells.items():
            out.append(
                f"Column '{column}' has {_count(count, 'infinite value')} (inf), treated as missing."
            )
        for column, reason in self.dropped_columns.items():
            out.append(f"Column '{column}' was left out: {reason}.")
        for column, count in self.text_columns.items():
            out.append(
                f"Column '{column}' holds text with {_count(count, 'distinct value')}; it can be "
                "a class target, or be one-hot encoded to use as an input."
            )
        for column, new in self.one_hot.items():
            out.append(
                f"Column '{column}' was one-hot encoded into {_count(len(new), 'column')} of "
                f"0 and 1: {', '.join(new)}."
            )
        for column, count in self.missing.items():
            share = count / self.n_rows if self.n_rows else 0.0
            out.append(f"Column '{column}' has {_count(count, 'missing value')} ({share:.1%}).")
        return out


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _list_lines(lines: Sequence[int]) -> str:
    """``"line 4"``, ``"lines 4 and 7"``, ``"lines 4, 7, 9, 12, 15 and 3 more"``."""
    if len(lines) == 1:
        return f"line {lines[0]}"
    shown = [str(n) for n in lines[:_MESSAGE_LIST]]
    extra = len(lines) - len(shown)
    if extra:
        return f"lines {', '.join(shown)} and {extra:,} more"
    return f"lines {', '.join(shown[:-1])} and {shown[-1]}"


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


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
    text, encoding = _decode(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("The file is empty: there is no header and no data.")
    _check_row_cap(text)
    separator = _sniff_separator(text)
    scan = _scan(text, separator)
    report = LoadReport(
        encoding=encoding,
        separator=SEPARATORS.get(separator, ONE_COLUMN),
        ragged_lines=scan.ragged_lines,
    )
    frame = _read_frame(text, separator, scan)
    names, report.renamed = _unique_names(scan.header)
    frame = frame.iloc[:, : len(names)].set_axis(names, axis=1)
    lines = np.asarray(
        scan.row_lines if len(scan.row_lines) == len(frame) else _guess_lines(scan, frame)
    )

    columns = {name: _clean_column(frame[name], name, lines, separator, report) for name in names}
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


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MB" if n_bytes >= 2**20 else f"{n_bytes:,} bytes"


def _decode(raw: bytes) -> tuple[str, str]:
    """Decode by byte-order mark, else UTF-8, else Windows-1252/Latin-1. Returns (text, name)."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
    )
    for bom, codec, name in boms:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace"), name
    head = raw[:8192]
    if b"\x00" in head:
        return _decode_utf16_without_bom(raw, head)
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Latin-1 (Windows-1252)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1 (ISO-8859-1)"


def _decode_utf16_without_bom(raw: bytes, head: bytes) -> tuple[str, str]:
    """UTF-16 text of Latin letters has a NUL in every other byte; anything else with NULs is binary."""
    even_nul = head[0::2].count(0) / max(1, len(head[0::2]))
    odd_nul = head[1::2].count(0) / max(1, len(head[1::2]))
    if odd_nul > 0.9 and even_nul == 0:
        return raw.decode("utf-16-le", errors="replace"), "UTF-16 LE"
    if even_nul > 0.9 and odd_nul == 0:
        return raw.decode("utf-16-be", errors="replace"), "UTF-16 BE"
    raise ValueError(
        "This looks like a binary file (it contains NUL bytes), not a CSV. Export or save the "
        "table as CSV (comma-separated text) and upload that."
    )


def _check_row_cap(text: str) -> None:
    n_lines = text.rstrip("\n").count("\n")  # lines after the header
    if n_lines > MAX_ROWS:
        raise ValueError(
            f"The file has {n_lines:,} lines after the header; the limit is {MAX_ROWS:,} rows. "
            "Upload a sample of the rows."
        )


# --------------------------------------------------------------------------- #
# Separator sniffing and the record scan
# --------------------------------------------------------------------------- #


def _sample_counts(text: str) -> list[dict[str, int]]:
    """Count each candidate separator outside quotes, record by record, in the file's start.

    A quote opens a quoted cell only at the start of a cell (as in the csv
    module), so the inch mark in ``5"`` does not hide the rest of the line.
    Blank records are skipped, and a record cut by the sample size is not counted.
    """
    sample = text[:_SNIFF_CHARS]
    records: list[dict[str, int]] = []
    counts = dict.fromkeys(SEPARATORS, 0)
    in_quotes = just_closed = has_content = False
    at_cell_start = True
    for char in sample:
        if in_quotes:
            if char == '"':
                in_quotes, just_closed = False, True
            continue
        if char == '"' and (at_cell_start or just_closed):
            in_quotes, just_closed, has_content = True, False, True
            continue
        just_closed = False
        if char == "\n":
            if has_content:
                records.append(counts)
                if len(records) >= _SNIFF_RECORDS:
                    return records
            counts, has_content, at_cell_start = dict.fromkeys(SEPARATORS, 0), False, True
        elif char in counts:
            counts[char] += 1
            at_cell_start = True
        elif not char.isspace():
            has_content, at_cell_start = True, False
    if has_content and len(sample) == len(text):
        records.append(counts)
    return records


def _sniff_separator(text: str) -> str:
    """Choose among , ; tab | the separator that splits the header and most lines alike.

    A candidate must occur in the header, and at least half of the sampled
    lines must hold at least as many of it (a trailing separator may add one).
    Among candidates, the one with the same count as the header on the most
    lines wins, then the one with more cells. With no candidate the file is
    one column, so a one-column file with commas in its values stays whole.
    """
    records = _sample_counts(text)
    if not records:
        return ","
    header, rows = records[0], records[1:]
    best, best_key = _NO_SEPARATOR, (-1.0, -1.0, 0)
    for sep in SEPARATORS:
        expected = header[sep]
        if expected == 0:
            continue
        at_least = float(np.mean([r[sep] >= expected for r in rows])) if rows else 1.0
        same = float(np.mean([r[sep] == expected for r in rows])) if rows else 1.0
        key = (same, at_least, expected)
        if at_least >= 0.5 and key > best_key:
            best, best_key = sep, key
    return best


@dataclass
class _Scan:
    header: list[str]
    header_lines: int
    row_lines: list[int]
    ragged_lines: list[int]
    width: int


def _reader(text: str, separator: str):
    return csv.reader(io.StringIO(text), delimiter=separator, skipinitialspace=True, strict=False)


def _scan(text: str, separator: str) -> _Scan:
    """Walk the records once: header, the line where each data row starts, ragged rows."""
    reader = _reader(text, separator)
    header: list[str] | None = None
    header_lines = 0
    row_lines: list[int] = []
    ragged: list[int] = []
    width = 0
    previous_line = 0
    try:
        for record in reader:
            start, previous_line = previous_line + 1, reader.line_num
            if len(record) <= 1 and not "".join(record).strip():
                continue  # blank line, skipped like pandas does
            if header is None:
                header, header_lines = record, reader.line_num
                _check_column_cap(header)
                continue
            row_lines.append(start)
            width = max(width, len(record))
            if len(record) < len(header) or (
                len(record) > len(header) and any(c.strip() for c in record[len(header) :])
            ):
                ragged.append(start)
    except csv.Error as exc:
        raise ValueError(f"Line {reader.line_num} could not be read as CSV: {exc}.") from None
    if header is None:
        raise ValueError("The file is empty: there is no header and no data.")
    if not row_lines:
        shown = ", ".join(h.strip() for h in header[:10])
        raise ValueError(f"The file has a header ({shown}) but no data rows.")
    return _Scan(header, header_lines, row_lines, ragged, max(width, len(header)))


def _check_column_cap(header: list[str]) -> None:
    if len(header) > MAX_COLUMNS:
        raise ValueError(
            f"The header has {len(header):,} columns; the limit is {MAX_COLUMNS:,}. "
            "Keep the columns you need and upload again."
        )


def _read_frame(text: str, separator: str, scan: _Scan) -> pd.DataFrame:
    """Parse the data rows with pandas' C parser, cells as wide as the widest row."""
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            names=list(range(scan.width)),
            skiprows=scan.header_lines,
            index_col=False,
            skipinitialspace=True,
            na_values=MISSING_MARKERS,
            keep_default_na=True,
            low_memory=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        if "EOF inside string" in str(exc):
            # the csv scan read the unclosed quote to the end: it opened in the last record
            raise ValueError(
                f'A quote (") opened on line {scan.row_lines[-1]} is never closed, so the rest '
                "of the file would be one cell. Close or remove that quote."
            ) from None
        raise ValueError(f"The file could not be read as a table: {exc}") from None


def _guess_lines(scan: _Scan, frame: pd.DataFrame) -> list[int]:
    """Line numbers assuming one line per row, used if the scan and pandas disagree."""
    return list(range(scan.header_lines + 1, scan.header_lines + 1 + len(frame)))


def _unique_names(header: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Strip header names, name empty ones ``columnN`` and number repeats ``a.1``, ``a.2``."""
    stripped = [h.strip() for h in header]
    taken = set(stripped)
    names: list[str] = []
    renamed: list[tuple[str, str]] = []
    for position, name in enumerate(stripped, start=1):
        new = name or f"column{position}"
        if new in names or (not name and new in taken):
            base, k = new, 1
            while f"{base}.{k}" in taken or f"{base}.{k}" in names:
                k += 1
            new = f"{base}.{k}"
        if new != name:
            renamed.append((name, new))
        names.append(new)
    return names, renamed


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
            new = _unique_label(f"{name}={_value_name(value)}", taken)
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


def _value_name(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


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
