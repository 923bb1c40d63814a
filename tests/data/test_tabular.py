"""load_csv: every kind of file a learner may upload, written here as bytes."""


import numpy as np
import pandas as pd
import pytest

from nn_core.data import csv as csv_module
from nn_core.data.csv import LoadReport, load_csv


def _numbers(frame: pd.DataFrame, column: str) -> list[float]:
    return frame[column].astype(float).tolist()


def _rows(n: int, template: str = "{i},{y}") -> str:
    return "".join(template.format(i=i, y=i * 0.5) + "\n" for i in range(n))


# --------------------------------------------------------------------------- #
# Encodings
# --------------------------------------------------------------------------- #


def test_plain_utf8() -> None:
    frame, report = load_csv(b"a,b\n1,2.5\n3,4\n")
    assert list(frame.columns) == ["a", "b"]
    assert _numbers(frame, "a") == [1, 3] and _numbers(frame, "b") == [2.5, 4]
    assert report.encoding == "UTF-8" and report.separator == "comma"
    assert (report.n_rows, report.n_columns) == (2, 2)


def test_utf8_with_bom_does_not_leak_into_the_first_name() -> None:
    frame, report = load_csv(b"\xef\xbb\xbfGlucose,Diabetes\n90,1\n80,0\n")
    assert list(frame.columns) == ["Glucose", "Diabetes"]
    assert report.encoding == "UTF-8 with BOM"


def test_utf8_accents() -> None:
    frame, report = load_csv("café,prix\n1,2\n3,4\n".encode())
    assert list(frame.columns) == ["café", "prix"] and report.encoding == "UTF-8"


def test_latin1_header_with_e_acute() -> None:
    frame, report = load_csv(b"caf\xe9,prix\n1,2\n3,4\n")
    assert list(frame.columns) == ["café", "prix"]
    assert "Latin-1" in report.encoding


@pytest.mark.parametrize("codec, name", [("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")])
def test_utf16_with_bom(codec: str, name: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    frame, report = load_csv(bom + "größe\tgewicht\n1,5\t2\n3\t4\n".encode(codec))
    assert list(frame.columns) == ["größe", "gewicht"]
    assert report.encoding == name and report.separator == "tab"
    assert _numbers(frame, "gewicht") == [2, 4]


def test_utf16_without_bom_is_recognised() -> None:
    frame, report = load_csv("a,b\n1,2\n".encode("utf-16-le"))
    assert report.encoding == "UTF-16 LE" and _numbers(frame, "b") == [2]


def test_windows_line_endings() -> None:
    frame, _ = load_csv(b"a,b\r\n1,2\r\n3,4\r\n")
    assert _numbers(frame, "b") == [2, 4] and list(frame.columns) == ["a", "b"]


# --------------------------------------------------------------------------- #
# Separators
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "separator, name", [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_each_separator_is_found(separator: str, name: str) -> None:
    text = separator.join(["x", "y", "label"]) + "\n"
    text += "".join(separator.join([str(i), str(2 * i), "ab"[i % 2]]) + "\n" for i in range(6))
    frame, report = load_csv(text.encode())
    assert report.separator == name
    assert list(frame.columns) == ["x", "y", "label"]
    assert _numbers(frame, "y") == [0, 2, 4, 6, 8, 10]


def test_semicolon_file_with_decimal_commas() -> None:
    frame, report = load_csv(b"a;b\n1,5;2\n2,25;1.234,5\n-0,5;7\n")
    assert report.separator == "semicolon"
    assert _numbers(frame, "a") == [1.5, 2.25, -0.5]
    assert _numbers(frame, "b") == [2, 1234.5, 7]


def test_separator_inside_quotes_is_not_counted() -> None:
    frame, report = load_csv(b'name;score\n"Smith, J";1\n"Lee, K";2\n"Ng, A";3\n')
    assert report.separator == "semicolon"
    assert frame["name"].tolist() == ["Smith, J", "Lee, K", "Ng, A"]


def test_a_one_column_file_is_not_split() -> None:
    frame, report = load_csv(b"Temperature, in C\n21.5\n22\n19.25\n")
    assert list(frame.columns) == ["Temperature, in C"]
    assert report.separator == csv_module.ONE_COLUMN
    assert _numbers(frame, "Temperature, in C") == [21.5, 22, 19.25]


def test_a_plain_one_column_file() -> None:
    frame, report = load_csv(b"x\n1\n2\n3\n")
    assert frame.shape == (3, 1) and report.separator == csv_module.ONE_COLUMN


# --------------------------------------------------------------------------- #
# Numbers and names
# --------------------------------------------------------------------------- #


def test_quoted_numbers_with_thousands_separators() -> None:
    frame, _ = load_csv(b'price,qty\n"1,234",1\n"12,345.5",2\n"7",3\n"1 000",4\n')
    assert _numbers(frame, "price") == [1234, 12345.5, 7, 1000]
    assert pd.api.types.is_numeric_dtype(frame["price"])


def test_whitespace_around_names_and_values_is_stripped() -> None:
    frame, report = load_csv(b" a , b ,c\n 1 , x ,2\n3,  y,4 \n")
    assert list(frame.columns) == ["a", "b", "c"]
    assert _numbers(frame, "a") == [1, 3] and _numbers(frame, "c") == [2, 4]
    assert frame["b"].tolist() == ["x", "y"]
    assert report.renamed == []


def test_duplicated_and_empty_column_names_are_renamed_and_reported() -> None:
    frame, report = load_csv(b"a,a,,a\n1,2,3,4\n5,6,7,8\n")
    assert list(frame.columns) == ["a", "a.1", "column3", "a.2"]
    assert report.renamed == [("a", "a.1"), ("", "column3"), ("a", "a.2")]
    assert _numbers(frame, "a.2") == [4, 8]
    messages = " ".join(report.messages())
    assert "'a' appears more than once; this copy is now 'a.1'" in messages
    assert "no name in the header; it is now called 'column3'" in messages


def test_renaming_avoids_names_already_in_the_header() -> None:
    frame, report = load_csv(b"a,a,a.1\n1,2,3\n")
    assert list(frame.columns) == ["a", "a.2", "a.1"]
    assert report.renamed == [("a", "a.2")]


def test_missing_markers_are_missing_and_counted() -> None:
    frame, report = load_csv(b"a,b\n1,NA\n2,\n3,?\n4,5\n")
    assert np.isnan(frame["b"][:3]).all() and frame["b"][3] == 5
    assert report.missing == {"b": 3}
    assert "Column 'b' has 3 missing values (75.0%)." in report.messages()


def test_infinities_are_missing_and_reported() -> None:
    frame, report = load_csv(b"a,b\n1,inf\n2,-inf\n3,Infinity\n4,2.5\n5,-Infinity\n")
    assert report.inf_cells == {"b": 4}
    assert report.missing == {"b": 4}
    assert frame["b"].isna().sum() == 4 and frame["b"][3] == 2.5
    assert "Column 'b' has 4 infinite values (inf), treated as missing." in report.messages()


def test_stray_text_cells_are_reported_with_line_and_value() -> None:
    lines = [f"{i},{i * 1.5}" for i in range(40)]
    lines[6] = "6,oops"
    lines[30] = "30,n/a?"
    frame, report = load_csv(("id,value\n" + "\n".join(lines) + "\n").encode())
    # data row i sits on line i + 2 (the header is line 1)
    assert report.stray_cells == {"value": [(8, "oops"), (32, "n/a?")]}
    assert pd.api.types.is_float_dtype(frame["value"])
    assert np.isnan(frame["value"][[6, 30]]).all()
    assert frame["value"][7] == 10.5
    assert report.missing == {"value": 2}
    message = [m for m in report.messages() if "held text" in m][0]
    assert "line 8 'oops'" in message and "line 32 'n/a?'" in message


def test_stray_line_numbers_count_blank_lines_and_multiline_cells() -> None:
    rows = [f"{i},{i}.5,a" for i in range(40)]
    rows[2] = '2,2.5,"two\nlines"'  # one row over lines 4 and 5
    rows[20] = "20,bad,a"
    text = "n,v,note\n" + "\n".join(rows[:10]) + "\n\n" + "\n".join(rows[10:]) + "\n"
    _, report = load_csv(text.encode())
    # row 20 is on line 22, plus one for the line inside the quoted cell, plus one blank line
    assert report.stray_cells == {"v": [(24, "bad")]}


def test_too_many_text_cells_make_a_text_column() -> None:
    # 3 text cells in 40 is 7.5 %, over the 5 % allowed for stray cells
    lines = [f"{i},{i}" for i in range(40)]
    for i in (3, 4, 5):
        lines[i] = f"{i},word{i}"
    frame, report = load_csv(("id,value\n" + "\n".join(lines) + "\n").encode())
    assert "value" not in frame.columns
    assert "value" in report.dropped_columns and report.stray_cells == {}


def test_more_than_twenty_stray_cells_make_a_text_column() -> None:
    lines = [f"{i},{i}" for i in range(1000)]
    for i in range(21):  # 2.1 %, but more than 20 cells
        lines[i * 40] = f"{i * 40},x"
    frame, report = load_csv(("id,value\n" + "\n".join(lines) + "\n").encode())
    assert report.text_columns == {} and "value" in report.dropped_columns
    assert list(frame.columns) == ["id"]


# --------------------------------------------------------------------------- #
# Ragged rows and blank rows
# --------------------------------------------------------------------------- #


def test_short_rows_get_missing_values_and_are_reported() -> None:
    frame, report = load_csv(b"a,b,c\n1,2,3\n4,5\n7,8,9\n")
    assert report.ragged_lines == [3]
    assert np.isnan(frame["c"][1]) and frame["c"][2] == 9
    assert report.missing == {"c": 1}


def test_long_rows_keep_the_first_cells_and_are_reported() -> None:
    frame, report = load_csv(b"a,b\n1,2\n3,4,99,100\n5,6\n")
    assert report.ragged_lines == [3]
    assert list(frame.columns) == ["a", "b"]
    assert frame.values.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert "1 line did not have as many cells as the header (line 3)" in report.messages()[1]


def test_a_trailing_separator_on_every_line_is_silent() -> None:
    frame, report = load_csv(b"a,b\n1,2,\n3,4,\n")
    assert report.ragged_lines == [] and list(frame.columns) == ["a", "b"]
    frame, report = load_csv(b"a,b,\n1,2,\n3,4,\n")
    assert list(frame.columns) == ["a", "b"]
    assert report.renamed == [] and report.dropped_columns == {}


def test_blank_lines_and_empty_rows_are_skipped() -> None:
    frame, report = load_csv(b"\na,b\n1,2\n\n,\n3,4\n  \n")
    assert frame.values.tolist() == [[1, 2], [3, 4]]
    assert report.blank_rows == 1  # the "," row; empty lines are not rows at all


# --------------------------------------------------------------------------- #
# Text columns and one-hot encoding
# --------------------------------------------------------------------------- #


PENGUINS = (
    b"species,island,bill,name\n"
    + b"".join(
        f"{['Adelie', 'Gentoo', 'Chinstrap'][i % 3]},{['Dream', 'Biscoe'][i % 2]},{30 + i},bird{i}\n".encode()
        for i in range(30)
    )
    + b"Adelie,,61,bird30\n"
)


def test_short_text_columns_are_kept_and_long_ones_dropped() -> None:
    frame, report = load_csv(PENGUINS)
    assert list(frame.columns) == ["species", "island", "bill"]
    assert report.text_columns == {"species": 3, "island": 2}
    assert report.dropped_columns == {
        "name": "it holds text with 31 distinct values (like IDs, names or dates), "
        "which a network cannot use as numbers"
    }
    assert frame["species"].tolist()[:3] == ["Adelie", "Gentoo", "Chinstrap"]
    messages = report.messages()
    assert any("Column 'name' was left out" in m for m in messages)
    assert any("Column 'species' holds text with 3 distinct values" in m for m in messages)


def test_one_hot_encoding_replaces_a_text_column_in_place() -> None:
    frame, report = load_csv(PENGUINS, one_hot=["island"])
    assert list(frame.columns) == ["species", "island=Biscoe", "island=Dream", "bill"]
    assert report.one_hot == {"island": ["island=Biscoe", "island=Dream"]}
    assert "island" not in report.text_columns
    assert frame["island=Dream"].tolist()[:4] == [1.0, 0.0, 1.0, 0.0]
    assert frame["island=Biscoe"].tolist()[:4] == [0.0, 1.0, 0.0, 1.0]
    assert np.isnan(frame.iloc[30][["island=Biscoe", "island=Dream"]].astype(float)).all()
    assert frame["island=Dream"].dtype == np.float64
    text = "Column 'island' was one-hot encoded into 2 columns of 0 and 1: island=Biscoe, island=Dream."
    assert text in report.messages()


def test_one_hot_of_a_numeric_code_column() -> None:
    frame, report = load_csv(b"grade,y\n1,5\n2,6\n1,7\n", one_hot=["grade"])
    assert list(frame.columns) == ["grade=1", "grade=2", "y"]
    assert frame["grade=2"].tolist() == [0.0, 1.0, 0.0]


def test_one_hot_refuses_unknown_and_long_columns() -> None:
    with pytest.raises(ValueError, match="no column 'isle'.*text columns are: species, island"):
        load_csv(PENGUINS, one_hot=["isle"])
    with pytest.raises(ValueError, match="'name' cannot be one-hot encoded: it holds text with 31"):
        load_csv(PENGUINS, one_hot=["name"])


def test_true_false_column_is_text() -> None:
    frame, report = load_csv(b"smoker,age\nTrue,30\nFalse,40\nTrue,50\n")
    assert report.text_columns == {"smoker": 2}
    assert frame["smoker"].tolist() == ["True", "False", "True"]


# --------------------------------------------------------------------------- #
# Refusals
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="The file is empty"):
        load_csv(data)


def test_header_without_rows_is_refused_naming_the_header() -> None:
    with pytest.raises(ValueError, match=r"has a header \(a, b, c\) but no data rows"):
        load_csv(b"a,b,c\n\n")


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml xl/workbook.xml", "an Excel workbook"),
        (b"PK\x03\x04\x14\x00\x00\x00data.csv", "a ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF document"),
        (b"\x1f\x8b\x08\x00\x00\x00", "a gzip-compressed file"),
        (b"a,b\n1,\x00\x00\x002\n\xff\x00\x13", "it contains NUL bytes"),
    ],
)
def test_binary_file_is_refused(data: bytes, kind: str) -> None:
    with pytest.raises(ValueError, match=rf"This looks like a binary file \({kind}.*not a CSV"):
        load_csv(data)


def test_an_unclosed_quote_is_refused_naming_its_line() -> None:
    with pytest.raises(ValueError, match=r'A quote \("\) opened on line 3 is never closed'):
        load_csv(b'a,b\n1,2\n"3,4\n5,6\n')


def test_nothing_numeric_is_refused() -> None:
    with pytest.raises(ValueError, match="No column of this file holds numbers.*'city'"):
        load_csv(b"name,city\nbob,paris\nann,rome\n")


def test_nothing_numeric_but_one_hot_is_accepted() -> None:
    frame, _ = load_csv(b"name,city\nbob,paris\nann,rome\n", one_hot=["city"])
    assert list(frame.columns) == ["name", "city=paris", "city=rome"]


def test_too_many_bytes_is_refused_before_parsing(monkeypatch) -> None:
    monkeypatch.setattr(csv_module, "MAX_BYTES", 100)
    load_csv(b"a\n" + b"1\n" * 49)  # 100 bytes: fine
    with pytest.raises(ValueError, match="The file is 102 bytes; the limit is 100 bytes"):
        load_csv(b"a\n" + b"1\n" * 50)


def test_too_many_rows_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(csv_module, "MAX_ROWS", 10)
    frame, _ = load_csv(("a,b\n" + _rows(10)).encode())
    assert len(frame) == 10
    with pytest.raises(ValueError, match="11 lines after the header; the limit is 10 rows"):
        load_csv(("a,b\n" + _rows(11)).encode())


def test_too_many_columns_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(csv_module, "MAX_COLUMNS", 5)
    load_csv(b"a,b,c,d,e\n1,2,3,4,5\n")
    with pytest.raises(ValueError, match="The header has 6 columns; the limit is 5"):
        load_csv(b"a,b,c,d,e,f\n1,2,3,4,5,6\n")


def test_the_real_caps() -> None:
    # MB = 10^6 bytes, as the upload widget counts it; 30 MB keeps reading within one request's budget
    assert csv_module.MAX_BYTES == 30 * 10**6
    assert (csv_module.MAX_ROWS, csv_module.MAX_COLUMNS) == (200_000, 200)


def test_bytes_are_required() -> None:
    with pytest.raises(ValueError, match="needs the file's bytes"):
        load_csv("a,b\n1,2\n")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- #
# The report
# --------------------------------------------------------------------------- #


def test_a_clean_file_has_a_one_line_report() -> None:
    _, report = load_csv(b"a;b\n1;2\n")
    assert report.messages() == ["Read 1 row and 2 columns: UTF-8 text, semicolon-separated."]


def test_messages_are_plain_sentences() -> None:
    messy = b"a,a,b,c,id\n" + b"".join(
        f"{i},{i},{'inf' if i == 3 else i},{'xy'[i % 2]},id{i}\n".encode() for i in range(40)
    )
    messy += b"1,2\n"
    _, report = load_csv(messy, one_hot=["c"])
    messages = report.messages()
    assert len(messages) >= 6
    for message in messages:
        assert (message[0].isupper() or message[0].isdigit()) and message.endswith(".")
        assert not any(mark in message for mark in ("`", "**", "__", "#"))


def test_ragged_lines_message_lists_the_first_five() -> None:
    report = LoadReport(n_rows=10, ragged_lines=[2, 3, 4, 5, 6, 7, 8])
    assert "(lines 2, 3, 4, 5, 6 and 2 more)" in report.messages()[1]


def test_a_default_report() -> None:
    report = LoadReport()
    assert report.renamed == [] and report.missing == {} and report.one_hot == {}
    assert report.messages() == ["Read 0 rows and 0 columns: UTF-8 text, comma-separated."]


# --------------------------------------------------------------------------- #
# Speed
# --------------------------------------------------------------------------- #


def test_a_hundred_thousand_rows_load_exactly() -> None:
    # how fast is measured by `python -m bench app`, not asserted here
    rng = np.random.default_rng(0)
    table = pd.DataFrame(rng.normal(size=(100_000, 10)), columns=[f"c{i}" for i in range(10)])
    data = table.to_csv(index=False).encode()
    frame, report = load_csv(data)
    assert frame.shape == (100_000, 10) and report.missing == {}
    np.testing.assert_allclose(frame.to_numpy(), table.to_numpy(), rtol=1e-15)
