"""Hostile CSV files: width, size, special characters and extreme values, each answered in a sentence.

The oracle is the file as written by hand: the cells a reader sees under the
header, the line numbers an editor shows. The memory-heavy cases run in a
subprocess under an address-space limit, with bounds on time and memory.
"""

from __future__ import annotations

import re

import pytest

from nn_core.cost import MB
from nn_core.data import csv as csv_module
from nn_core.data import load_csv

from .conftest import run_bounded


# ------------------------------------------------------------------ width
@pytest.mark.parametrize("extra", [2, 50, 999, 20_000])
def test_empty_cells_past_the_header_are_dropped_and_said(extra):
    frame, report = load_csv(b"a,b,c\n1,2,3\n4,5,6" + b"," * extra + b"\n7,8,9\n")
    assert frame.values.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert report.padded_lines == [3]
    assert report.dropped_cells == extra
    assert f"{extra:,} cells past the header's columns were dropped" in " ".join(report.messages())


@pytest.mark.parametrize("separator", [b",", b";", b"\t", b"|"])
def test_text_cells_past_the_header_are_dropped_and_the_line_named(separator):
    s = separator
    data = b"a" + s + b"b\n1" + s + b"2\n3" + s + b"4" + (s + b"x") * 500 + b"\n"
    frame, report = load_csv(data)
    assert frame.values.tolist() == [[1, 2], [3, 4]]
    assert report.ragged_lines == [3]
    assert any("(line 3)" in m and "extra cells were ignored" in m for m in report.messages())


def test_a_quoted_line_far_wider_than_the_header_is_refused_with_its_line():
    with pytest.raises(ValueError, match=r"Line 3 has 2,003 cells, and the header only 2"):
        load_csv(b'a,b\n1,2\n"3",4' + b"," * 2001 + b"\n")


def test_a_single_trailing_separator_stays_silent():
    frame, report = load_csv(b"a,b\n1,2,\n3,4,\n")
    assert frame.values.tolist() == [[1, 2], [3, 4]]
    assert report.padded_lines == [] and report.dropped_cells == 0


def test_the_issues_50_kb_file_of_commas_reads_in_bounded_time_and_memory():
    """A 3-column header, one row, then 20,000 commas on each of 3 lines: 19 s and 2.6 GB before."""
    code = (
        "from nn_core.data import load_csv\n"
        "data = b'a,b,c\\n1,2,3\\n' + (b'4,5,6' + b',' * 20000 + b'\\n') * 3\n"
        "frame, report = load_csv(data)\n"
        "print('SHAPE', frame.shape, report.dropped_cells)\n"
    )
    out = run_bounded(code, address_space_mb=1500, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "SHAPE (4, 3) 60000" in out.stdout
    assert out.peak_mb < 400
    assert out.seconds < 60


def test_a_220_kb_wide_file_reads_under_a_small_address_space():
    code = (
        "from nn_core.data import load_csv\n"
        "data = b'a,b,c\\n' + (b'1,2,3' + b',9' * 20000 + b'\\n') * 5\n"
        "frame, report = load_csv(data)\n"
        "print('SHAPE', frame.shape, len(report.ragged_lines))\n"
    )
    out = run_bounded(code, address_space_mb=1500, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "SHAPE (5, 3) 5" in out.stdout
    assert out.peak_mb < 400


# ------------------------------------------------------------------- size
def test_one_megabyte_is_a_million_bytes_as_the_upload_widget_counts():
    assert MB == 10**6
    assert csv_module.MAX_BYTES % MB == 0


def test_the_upload_widget_and_the_loader_agree_on_the_cap():
    config = (csv_module.__file__.rsplit("nn_core", 1)[0] + ".streamlit/config.toml")
    with open(config, encoding="utf-8") as file:
        text = file.read()
    assert f"maxUploadSize = {csv_module.MAX_BYTES // MB}" in text


def test_a_file_over_the_cap_is_refused_in_megabytes(monkeypatch):
    monkeypatch.setattr(csv_module, "MAX_BYTES", 2 * MB)
    with pytest.raises(ValueError, match=r"The file is 2\.5 MB; the limit is 2\.0 MB"):
        load_csv(b"a\n" + b"1\n" * 1_250_000)


# ------------------------------------------------------------- characters
@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "@SUM(1)", "a\u202eb",
                                  "-2+3", "\u0000x"])
def test_hostile_column_names_are_kept_as_text(name):
    quoted = '"' + name.replace('"', '""') + '"'
    data = f"{quoted},y\n1,0\n2,1\n".encode()
    if "\u0000" in name:
        with pytest.raises(ValueError, match="binary file"):
            load_csv(data)
        return
    frame, _ = load_csv(data)
    assert list(frame.columns) == [name, "y"]


# ---------------------------------------------------------- extreme values
@pytest.mark.parametrize("value, shown", [("1e308", "1e+308"), ("-1.7e308", "-1.7e+308"), ("1e76", "1e+76"),
                                          ("9.9e99", "9.9e+99")])
def test_values_past_1e75_are_refused_at_load_with_the_column_and_line(value, shown):
    with pytest.raises(ValueError, match=re.escape(f"Column 'x' holds {shown} on line 3 (1 value that large)")):
        load_csv(f"x,y\n1,0\n{value},1\n".encode())


@pytest.mark.parametrize("value", ["1e75", "-1e75", "5e-324", "1e-323", "2.2e-308"])
def test_values_up_to_1e75_and_subnormals_load_as_written(value):
    frame, _ = load_csv(f"x,y\n{value},0\n0,1\n".encode())
    assert frame["x"].iloc[0] == float(value)
