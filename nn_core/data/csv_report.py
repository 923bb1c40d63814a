"""The report of :func:`nn_core.data.load_csv`: what it found in a file, as sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ONE_COLUMN = "one column, no separator"
"""``LoadReport.separator`` of a file read as one column."""
_MESSAGE_LIST = 5
"""At most this many lines or cells are quoted in one message."""


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
    padded_lines : list of int
        Lines with two or more empty cells past the header's (more than a trailing separator).
    dropped_cells : int
        Cells past the header's width cut from lines while reading (never parsed).
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
    padded_lines: list[int] = field(default_factory=list)
    dropped_cells: int = 0
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
        if self.padded_lines:
            out.append(
                f"{_count(len(self.padded_lines), 'line')} ended in empty cells past the header's "
                f"columns ({_list_lines(self.padded_lines)}); they were dropped."
            )
        if self.dropped_cells:
            out.append(
                f"{_count(self.dropped_cells, 'cell')} past the header's columns were dropped while "
                "reading: a table has as many columns as its header."
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
