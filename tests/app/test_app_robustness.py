"""The whole app against bad input, and many visitors on one server (AppTest).

Every upload path (the data CSV on Explore, the batch CSV on Predict, the
model file on Share) gets the loader's full set of bad files; each ends with a
sentence, never an exception, and the data set and runs the visitor had stay.
Names from a user's file are shown as text on every page, never as Markdown.
Every bound one session may cost (file size, rows, columns, parameters,
epochs x rows, runs kept) is reachable and answered with a message. Two
sessions never see each other's data or runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from nn_core.data import csv as csv_module
from tests.conftest import APP, ROOT
from ui import runs as run_ops
from ui import sharing, state

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_LINK = "[x](javascript:alert(1))"
XSS_CLASS = "<img src=x onerror=alert(2)>"
XSS_CLASS_LINK = "[y](javascript:alert(3))"
HOSTILE = (XSS_SCRIPT, XSS_LINK, XSS_CLASS, XSS_CLASS_LINK)

HEADER = b"Glucose,BloodPressure,Diabetes\n"
ROWS = b"".join(f"{80 + i % 60},{60 + (i * 7) % 50},{int(i % 60 > 30)}\n".encode() for i in range(60))
#: Files no loader can read: each must end with a sentence and change nothing.
REFUSED = {
    "empty": b"",
    "header-only": HEADER,
    "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "nul-bytes": b"Glucose,BloodPressure\x00\n90\x00,70\n" * 5,
    "no-numbers": b"name,colour\nann,red\nbob,blue\ncid,green\n",
    "201-columns": (",".join(f"c{i}" for i in range(201)) + "\n" + ",".join(["1"] * 201) + "\n").encode(),
}
#: Messy files that load, with a report of what was cleaned.
LOADS_WITH_REPORT = {
    "ragged": (HEADER + b"90,70\n100,80,1,surplus\n" + ROWS, "did not have as many cells as the header"),
    "text-in-numbers": (HEADER + b"oops,70,1\n" + ROWS, "held text, now treated as missing"),
}
FEW_EPOCHS = 20


# ------------------------------------------------------------------ helpers
def app_pages() -> list[str]:
    """Every page the navigation lists (read from the entry, so new pages are covered)."""
    return re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', (ROOT / "streamlit_app.py").read_text())


def ok(at: AppTest, where: str = "") -> AppTest:
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"
    return at


def sidebar(at: AppTest) -> str:
    return "\n".join(t.value for t in at.sidebar.text)


def messages(at: AppTest) -> str:
    """Errors and warnings, with the Markdown escapes taken out."""
    return " ".join(e.value.replace("\\", "") for e in [*at.error, *at.warning])


def runs(at: AppTest) -> list:
    return at.session_state[state._RUNS]


def train(at: AppTest, epochs: int = FEW_EPOCHS) -> AppTest:
    """Press Train on the Train page (few epochs: these tests judge messages, not models)."""
    at.switch_page("views/train.py").run()
    at.session_state[state.EPOCHS] = epochs
    at.button(key=state.TRAIN_BUTTON).click().run()
    return ok(at, "Train")


def upload_data(at: AppTest, name: str, data: bytes) -> AppTest:
    at.switch_page("views/data.py").run()
    if at.radio(key=state.SOURCE).value != "upload":
        at.radio(key=state.SOURCE).set_value("upload").run()
    at.file_uploader(key=state.UPLOAD_FILE).set_value((name, data, "text/csv")).run()
    return ok(at, f"Explore, upload {name}")


def snapshot(at: AppTest) -> tuple:
    """What must survive a refused request: the data set shown, the run ids, the active run."""
    return sidebar(at).split("\n")[0], [r.id for r in runs(at)], at.session_state[state._ACTIVE_RUN]


def walk(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


#: Elements that show strings as plain text (or data), never through Markdown.
PLAIN = {"text", "dataframe", "arrow_data_frame", "vega_lite_chart", "arrow_vega_lite_chart", "code", "json",
         "empty", "table"}
#: Widget fields shown as plain text (selectbox and multiselect options); radio options ARE Markdown.
PLAIN_FIELDS = {"options", "default", "value", "rawValues", "rawValue", "formattedValue", "id", "formId",
                "setValue", "spec", "datasets", "data", "css", "dataframeElement", "arrowData"}


def strings(value, skip: set[str]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, skip)
    elif isinstance(value, str):
        yield value


def markdown_leaks(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) for every hostile string shown through an element that renders Markdown."""
    leaks = []
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in PLAIN:
            continue
        skip = PLAIN_FIELDS - {"options"} if kind == "radio" else PLAIN_FIELDS
        for text in strings(MessageToDict(proto), skip):
            leaks += [(kind, text) for bad in HOSTILE if bad in text]
    return leaks


def plain_text(at: AppTest) -> str:
    """Everything shown through plain-text elements: text, table cells and columns, chart specs."""
    out = []
    for node in walk(at._tree):
        kind = getattr(node, "type", "")
        if kind == "text":
            out.append(node.value)
        elif kind in ("dataframe", "arrow_data_frame"):
            frame = node.value
            out += [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).to_numpy().ravel()]
        elif "vega_lite_chart" in kind:
            out.append(str(node.proto))
    return "\n".join(out)


# ------------------------------------------------------- bad files, every path
def test_data_upload_bad_files_keep_data_and_runs(at):
    train(at)
    before = snapshot(at)
    assert before[0].startswith("Diabetes") and len(before[1]) == 1
    for label, data in REFUSED.items():
        name = f"{label}.csv"
        upload_data(at, name, data)
        assert name in messages(at), f"{label}: no message naming the file: {messages(at)!r}"
        assert "previous data set stays active" in messages(at), label
        assert snapshot(at) == before, f"{label}: the data set or the runs changed"
    for label, (data, report) in LOADS_WITH_REPORT.items():
        upload_data(at, f"{label}.csv", data)
        assert not at.error, f"{label}: {messages(at)}"
        assert report in plain_text(at), f"{label}: the loader's report is not shown"
        assert f"{label}.csv" in sidebar(at)
        assert [r.id for r in runs(at)] == before[1]  # new data never drops a run
    upload_data(at, "empty-again.csv", b"")  # a refused file after a good one keeps the good one
    assert "text-in-numbers.csv" in sidebar(at)


def test_batch_prediction_bad_files_keep_data_and_runs(at):
    train(at)
    at.switch_page("views/predict.py").run()
    before = snapshot(at)
    answer = [m.value for m in at.main.metric]
    for label, data in REFUSED.items():
        at.file_uploader(key=state.BATCH_FILE).set_value((f"{label}.csv", data, "text/csv")).run()
        ok(at, f"Predict, batch {label}")
        assert at.error and f"{label}.csv" in messages(at), f"{label}: no message naming the file"
        assert snapshot(at) == before, label
        assert [m.value for m in at.main.metric] == answer  # the what-if answer stays
    for label, (data, report) in LOADS_WITH_REPORT.items():
        at.file_uploader(key=state.BATCH_FILE).set_value((f"{label}.csv", data, "text/csv")).run()
        ok(at, f"Predict, batch {label}")
        assert not at.error, f"{label}: {messages(at)}"
        assert report in plain_text(at), f"{label}: the loader's report is not shown"
        assert any(len(d.value) >= 60 for d in at.dataframe), f"{label}: no prediction table"
        assert snapshot(at) == before


def test_model_upload_bad_files_keep_data_and_runs(at):
    train(at)
    good = sharing.model_json(runs(at)[0])
    at.switch_page("views/share.py").run()
    ok(at, "Share")
    before = snapshot(at)
    bad_models = {**REFUSED, **{k: v for k, (v, _) in LOADS_WITH_REPORT.items()},
                  "truncated-json": good[: len(good) // 2].encode(), "empty-json-object": b"{}",
                  "json-list": b"[1, 2, 3]"}
    for label, data in bad_models.items():
        at.file_uploader(key=state.MODEL_FILE).set_value((f"{label}.json", data, "application/json")).run()
        ok(at, f"Share, model {label}")
        assert at.error and f"{label}.json" in messages(at), f"{label}: no message naming the file"
        assert "current model stays active" in messages(at), label
        assert snapshot(at) == before, label


# ----------------------------------------------------- user strings are text
def test_hostile_names_are_text_on_every_page(at):
    rows = "".join(f"{i % 9},{(i * 5) % 13},{XSS_CLASS if (i % 9) + (i * 5) % 13 > 10 else XSS_CLASS_LINK}\n"
                   for i in range(90))
    data = f"{XSS_SCRIPT},{XSS_LINK},label\n{rows}".encode()
    upload_data(at, f"{XSS_LINK}.csv", data)
    assert not at.error, messages(at)
    train(at)
    assert len(runs(at)) == 1
    at.switch_page("views/predict.py").run()
    at.file_uploader(key=state.BATCH_FILE).set_value(("batch.csv", data, "text/csv")).run()
    seen = ""
    for page in app_pages():
        at.switch_page(page).run()
        ok(at, page)
        leaks = markdown_leaks(at)
        assert not leaks, f"{page}: a name from the file goes through Markdown: {leaks}"
        seen += plain_text(at)
    for bad in HOSTILE:
        assert bad in seen, f"{bad!r} is never shown as text"


def test_hostile_target_in_an_error_message_is_escaped(at):
    data = f"{XSS_SCRIPT},{XSS_LINK}\n" + "".join(f"{i},{i % 4}\n" for i in range(40))
    upload_data(at, "names.csv", data.encode())
    at.selectbox(key=state.TARGET).set_value(XSS_LINK).run()
    at.selectbox(key=state.PROBLEM).set_value("binary").run()  # a 4-valued target: refused, quoting its name
    ok(at, "binary override")
    assert XSS_LINK in messages(at)  # named, with its Markdown escaped
    assert not markdown_leaks(at)


# ----------------------------------------------- bad settings: a message, nothing lost
def test_diverging_learning_rate_is_a_message_and_keeps_the_runs(at):
    train(at)
    first = runs(at)[0]
    at.session_state[state.OPTIMIZER] = "sgd"
    at.session_state[state.ACTIVATION] = "linear"
    at.session_state[state.LEARNING_RATE] = 10.0
    at.session_state[state.SOURCE] = "generated"
    at.session_state[state.GENERATOR] = "plane"
    train(at)
    assert any("diverged" in e.value for e in at.error), messages(at)
    assert len(runs(at)) == 2 and runs(at)[0] is first and first.epochs == FEW_EPOCHS


def test_net_over_the_parameter_cap_is_a_message_and_keeps_the_runs(at):
    train(at)
    before = snapshot(at)
    at.text_input(key=state.HIDDEN).set_value("2000, 2000").run()
    assert f"{run_ops.MAX_PARAMETERS:,}" in messages(at)  # warned before pressing
    at.button(key=state.TRAIN_BUTTON).click().run()
    ok(at, "Train over the cap")
    assert any(f"{run_ops.MAX_PARAMETERS:,}" in e.value for e in at.error), messages(at)
    assert snapshot(at) == before


def test_split_that_leaves_a_class_out_is_a_message_and_keeps_the_runs(at):
    train(at)
    rare = "a,b,label\n" + "".join(
        f"{i},{i % 5},{'rare' if i < 2 else ('x' if i % 2 else 'y')}\n" for i in range(40))
    upload_data(at, "rare.csv", rare.encode())
    before_runs = [r.id for r in runs(at)]
    at.session_state[state.VAL_FRACTION] = 0.3
    at.session_state[state.TEST_FRACTION] = 0.5
    train(at)
    assert any("no training rows of class rare" in e.value for e in at.error), messages(at)
    assert [r.id for r in runs(at)] == before_runs
    assert "rare.csv" in sidebar(at)


# ------------------------------------------------ what one session may cost
def test_file_size_cap_is_a_message(at):
    big = HEADER + b"1,2,0\n" * (csv_module.MAX_BYTES // 6 + 1)
    assert len(big) > csv_module.MAX_BYTES
    upload_data(at, "huge.csv", big)
    assert "the limit is 50" in messages(at) and "Diabetes" in sidebar(at), messages(at)


def test_row_cap_is_a_message(at):
    upload_data(at, "long.csv", HEADER + b"1,2,0\n" * (csv_module.MAX_ROWS + 1))
    assert f"the limit is {csv_module.MAX_ROWS:,} rows" in messages(at) and "Diabetes" in sidebar(at)


def test_column_cap_is_a_message(at):
    upload_data(at, "wide.csv", REFUSED["201-columns"])
    assert f"the limit is {csv_module.MAX_COLUMNS}" in messages(at) and "Diabetes" in sidebar(at)


def test_epochs_times_rows_cap_is_a_message_for_train_and_continue(at):
    train(at)
    run = runs(at)[0]
    rows = len(run.split[0])
    too_many = run_ops.MAX_EPOCH_ROWS // rows + 1
    at.number_input(key=state.EPOCHS).set_value(too_many).run()
    at.button(key=state.CONTINUE_BUTTON).click().run()
    ok(at, "Continue over the budget")
    assert any(f"{run_ops.MAX_EPOCH_ROWS:,}" in e.value for e in at.error), messages(at)
    assert run.epochs == FEW_EPOCHS and len(runs(at)) == 1
    at.button(key=state.TRAIN_BUTTON).click().run()
    assert any("epochs at a time" in e.value for e in at.error) and len(runs(at)) == 1


def test_run_cap_keeps_the_newest_and_says_what_was_dropped(at):
    at.switch_page("views/train.py").run()
    at.session_state[state.EPOCHS] = 1
    for _ in range(run_ops.MAX_RUNS + 2):
        at.button(key=state.TRAIN_BUTTON).click().run()
    ok(at, "many runs")
    kept = runs(at)
    assert len(kept) == run_ops.MAX_RUNS and kept[-1].id == run_ops.MAX_RUNS + 2
    at.switch_page("views/share.py").run()
    ok(at, "Share with many runs")
    assert f"2 older run(s) were dropped to stay within {run_ops.MAX_RUNS}" in messages(at)


# ------------------------------------------------------------ many visitors
def test_sessions_are_isolated():
    """What one visitor uploads or trains is invisible to another on the same server."""
    alice = AppTest.from_file(APP, default_timeout=60).run()
    bob = AppTest.from_file(APP, default_timeout=60).run()
    upload_data(alice, "alice.csv", HEADER + ROWS)
    train(alice)
    assert "alice.csv" in sidebar(alice) and len(runs(alice)) == 1

    bob.run()
    ok(bob, "bob")
    assert sidebar(bob).startswith("Diabetes") and "alice" not in sidebar(bob)
    assert runs(bob) == [] and bob.session_state[state._UPLOAD] is None
    carol = AppTest.from_file(APP, default_timeout=60).run()  # a visitor who arrives later
    for page in app_pages():
        carol.switch_page(page).run()
        ok(carol, page)
        assert "alice" not in plain_text(carol) and runs(carol) == []


def test_an_error_that_quotes_a_hostile_class_name_stays_text():
    """The split error names the class left out of training: a class named like a link stays text."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    bad = "[y](javascript:alert(3))"
    rare = "a,b,label\n" + "".join(f"{i},{i % 5},{bad if i < 2 else ('x' if i % 2 else 'w')}\n" for i in range(40))
    upload_data(at, "rare.csv", rare.encode())
    at.session_state[state.VAL_FRACTION] = 0.3
    at.session_state[state.TEST_FRACTION] = 0.5
    train(at)
    assert "no training rows of class" in messages(at), messages(at)
    assert not markdown_leaks(at)


def test_caps_hold_on_the_batch_and_model_upload_paths(at):
    """The 50 MB and 200,000-row caps answer on every upload path, not only Explore's."""
    train(at)
    before = snapshot(at)
    huge = HEADER + b"1,2,0\n" * (csv_module.MAX_BYTES // 6 + 1)
    long = HEADER + b"1,2,0\n" * (csv_module.MAX_ROWS + 1)
    at.switch_page("views/predict.py").run()
    for name, data, sentence in (("huge.csv", huge, "the limit is 50"),
                                 ("long.csv", long, f"the limit is {csv_module.MAX_ROWS:,} rows")):
        at.file_uploader(key=state.BATCH_FILE).set_value((name, data, "text/csv")).run()
        ok(at, f"Predict, batch {name}")
        assert sentence in messages(at), messages(at)
        assert snapshot(at) == before
    at.switch_page("views/share.py").run()
    giant = b'{"format": "nn_core-model", "version": 1, "architecture": {"layer_sizes": [5000, 5000, 1]}}'
    at.file_uploader(key=state.MODEL_FILE).set_value(("giant.json", giant, "application/json")).run()
    ok(at, "Share, oversized model")
    assert "limit is 10,000,000" in messages(at) and "current model stays active" in messages(at), messages(at)
    assert snapshot(at) == before
