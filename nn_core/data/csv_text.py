"""Reading a CSV file's text: its encoding, its separator, and one scan of its records.

The helpers of :func:`nn_core.data.load_csv` that see the file as text, before
any column is cleaned: decoding by byte-order mark, UTF-8 or Latin-1; choosing
the separator among comma, semicolon, tab and pipe; one walk over the records
for the header, ragged rows and line numbers; then pandas' C parser.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_NO_SEPARATOR = (
    "\x1f"  # ASCII unit separator: never in a real CSV, so a one-column file stays whole
)
MISSING_MARKERS = ["?", ".", "-"]
"""Read as missing on top of pandas' defaults ("", "NA", "N/A", "NaN", "null", "None", ...)."""

_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 50


# --------------------------------------------------------------------------- #
# Decoding
# --------------------------------------------------------------------------- #


def decode(raw: bytes) -> tuple[str, str]:
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


def sniff_separator(text: str) -> str:
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


#: A line may hold at most this many cells past the header's before it is refused (when it has a
#: quote, so it cannot be cut safely) or cut (otherwise).
MAX_EXTRA_CELLS = 1_000


@dataclass
class Trim:
    """What :func:`drop_extra_cells` did: the text cut to the header's width, and where."""

    text: str
    ragged_lines: list[int]
    padded_lines: list[int]
    dropped_cells: int


def header_record(text: str, separator: str, max_columns: int) -> tuple[list[str], int]:
    """The first non-blank record and the line it ends on; refused past ``max_columns`` cells."""
    reader = _reader(text, separator)
    try:
        for record in reader:
            if len(record) <= 1 and not "".join(record).strip():
                continue
            _check_column_cap(record, max_columns)
            return record, reader.line_num
    except csv.Error as exc:
        raise ValueError(f"Line {reader.line_num} could not be read as CSV: {exc}.") from None
    raise ValueError("The file is empty: there is no header and no data.")


def drop_extra_cells(text: str, separator: str, width: int, header_lines: int) -> Trim:
    """Cut every data line to the header's ``width`` cells while reading, before any table is built.

    A line with more than ``width`` cells (one trailing separator aside) is cut
    after its ``width``-th cell: its extra cells never reach the parser, so a
    row of 20,000 commas under a 3-column header costs 3 cells, not 20,000.
    Lines with non-empty extra cells go to ``ragged_lines``, lines with only
    empty ones to ``padded_lines``. A line that holds a quote is not cut (a
    separator may sit inside a quoted cell): it is refused past
    :data:`MAX_EXTRA_CELLS` extra cells.
    """
    lines = text.split("\n")
    ragged: list[int] = []
    padded: list[int] = []
    dropped = 0
    for index in range(header_lines, len(lines)):
        line = lines[index]
        n_separators = line.count(separator)
        if n_separators <= width:  # at most one trailing separator
            continue
        if '"' in line:
            if n_separators - width + 1 > MAX_EXTRA_CELLS:
                raise ValueError(
                    f"Line {index + 1} has {n_separators + 1:,} cells, and the header only {width:,}; "
                    f"this app reads at most {MAX_EXTRA_CELLS:,} extra cells on a line. Remove the "
                    "extra separators and upload again."
                )
            continue
        cells = line.split(separator, width)
        extra = cells[width]
        lines[index] = separator.join(cells[:width])
        dropped += n_separators - width + 1
        (ragged if extra.replace(separator, "").strip() else padded).append(index + 1)
    if not dropped:
        return Trim(text, [], [], 0)
    return Trim("\n".join(lines), ragged, padded, dropped)


@dataclass
class Scan:
    header: list[str]
    header_lines: int
    row_lines: list[int]
    ragged_lines: list[int]


def _reader(text: str, separator: str):
    return csv.reader(io.StringIO(text), delimiter=separator, skipinitialspace=True, strict=False)


def scan_records(text: str, separator: str, max_columns: int) -> Scan:
    """Walk the records once: header, the line where each data row starts, ragged rows."""
    reader = _reader(text, separator)
    header: list[str] | None = None
    header_lines = 0
    row_lines: list[int] = []
    ragged: list[int] = []
    previous_line = 0
    try:
        for record in reader:
            start, previous_line = previous_line + 1, reader.line_num
            if len(record) <= 1 and not "".join(record).strip():
                continue  # blank line, skipped like pandas does
            if header is None:
                header, header_lines = record, reader.line_num
                _check_column_cap(header, max_columns)
                continue
            row_lines.append(start)
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
    return Scan(header, header_lines, row_lines, ragged)


def _check_column_cap(header: list[str], max_columns: int) -> None:
    if len(header) > max_columns:
        raise ValueError(
            f"The header has {len(header):,} columns; the limit is {max_columns:,}. "
            "Keep the columns you need and upload again."
        )


def read_frame(text: str, separator: str, scan: Scan) -> pd.DataFrame:
    """Parse the data rows with pandas' C parser, as many columns as the header has."""
    columns = list(range(len(scan.header)))
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            names=columns,
            usecols=columns,  # cells past the header's are never kept (a quoted line may still have some)
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


def guess_lines(scan: Scan, frame: pd.DataFrame) -> list[int]:
    """Line numbers assuming one line per row, used if the scan and pandas disagree."""
    return list(range(scan.header_lines + 1, scan.header_lines + 1 + len(frame)))


def unique_names(header: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
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
