"""``bench/results.py``: each benchmark rewrites only its own section of RESULTS.md.

No timing is measured or asserted here; the benchmarks themselves never run in CI.
"""

import pytest

from bench.results import read_section, write_section


def test_sections_are_appended_then_rewritten_in_place(tmp_path):
    path = tmp_path / "RESULTS.md"
    write_section("training", "| a | 1 |", path)
    write_section("micro", "grid: 3 ms", path)
    write_section("training", "| a | 2 |\n| b | 3 |", path)
    text = path.read_text()
    assert text.startswith("# Benchmark results")
    assert text.index("section:training start") < text.index("section:micro start")  # order kept
    assert read_section("training", path) == "| a | 2 |\n| b | 3 |"
    assert read_section("micro", path) == "grid: 3 ms"
    assert text.count("section:training start") == 1


def test_text_outside_the_sections_is_kept_byte_for_byte(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Mine\n\nHand-written notes.\n")
    write_section("dashboard-load", "old", path)
    with path.open("a") as f:
        f.write("\nA footer someone added.\n")
    write_section("dashboard-load", "new", path)
    text = path.read_text()
    assert text.startswith("# Mine\n\nHand-written notes.\n")
    assert text.endswith("A footer someone added.\n")
    assert read_section("dashboard-load", path) == "new"


def test_bad_names_and_broken_markers_are_refused(tmp_path):
    path = tmp_path / "RESULTS.md"
    with pytest.raises(ValueError, match="Section names"):
        write_section("Training Run", "x", path)
    path.write_text("<!-- section:micro start -->\nno end marker\n")
    with pytest.raises(ValueError, match="broken 'micro' section"):
        write_section("micro", "x", path)
    assert read_section("missing", path) is None
