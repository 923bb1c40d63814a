"""Writing a table as CSV that a spreadsheet opens without running anything in it.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets, which may run it
(``=HYPERLINK(...)``, ``=cmd|...``) when the file is opened: CSV injection
(OWASP). A class name, a column name or a text cell of a user's upload can be
one, and it travels into every CSV the app or the CLI writes. As OWASP
advises, such a text cell gets a leading single quote, which spreadsheets
show as text; numbers stay numbers (``-1.5`` in a numeric column is a value,
not a formula).
"""

from __future__ import annotations

import pandas as pd

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> object:
    """``"'" + value`` for a text value that starts like a formula; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`escape_formula`.

    Columns of numbers (and booleans) are kept as they are, so they are
    written exactly as before.
    """
    out = frame.rename(columns=lambda name: escape_formula(str(name)))
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        out.isetitem(position, column.map(escape_formula, na_action="ignore"))
    return out


def to_csv(frame: pd.DataFrame, target=None, **options) -> str | None:
    """``frame.to_csv(target, index=False, **options)`` with formula cells escaped: the one CSV writer."""
    return formula_safe(frame).to_csv(target, index=False, **options)
