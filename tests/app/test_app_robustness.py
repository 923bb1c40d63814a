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

from collections.abc import Iterator

from google.protobuf.json_format import MessageToDict

from nn_core.data import csv as csv_module
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
def snapshot(app) -> tuple:
    """What must survive a refused request: the data set shown, the run ids, the active run."""
    active = app.active_run()
    return app.sidebar_text().split("\n")[0], [r.id for r in app.runs()], active and active.id


def walk(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


#: Elements that show strings as plain text (or data), never through Markdown.
PLAIN = {"text", "dataframe", "arrow_data_frame", "vega_lite_chart", "arrow_vega_lite_chart", "code", "json",
         "empty", "table",
         # the network view's data: its JS draws every name as canvas text or textContent, never HTML
         # (tests/ui/test_network_payload.py::test_the_view_never_parses_names_as_html)
         "bidi_component"}
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


def markdown_leaks(app) -> list[tuple[str, str]]:
    """(element type, text) for every hostile string shown through an element that renders Markdown."""
    leaks = []
    for node in walk(app._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in PLAIN:
            continue
        skip = PLAIN_FIELDS - {"options"} if kind == "radio" else PLAIN_FIELDS
        for text in strings(MessageToDict(proto), skip):
            leaks += [(kind, text) for bad in HOSTILE if bad in text]
    return leaks


def plain_text(app) -> str:
    """Everything shown through plain-text elements: text, table cells and columns, chart specs."""
    out = []
    for node in walk(app._tree):
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
def test_data_upload_bad_files_keep_data_and_runs(app):
    app.train(FEW_EPOCHS)
    before = snapshot(app)
    assert before[0].startswith("Diabetes") and len(before[1]) == 1
    for label, data in REFUSED.items():
        name = f"{label}.csv"
        app.upload(name, data)
        assert name in app.messages(), f"{label}: no message naming the file: {app.messages()!r}"
        assert "previous data set stays active" in app.messages(), label
        assert snapshot(app) == before, f"{label}: the data set or the runs changed"
    for label, (data, report) in LOADS_WITH_REPORT.items():
        app.upload(f"{label}.csv", data)
        assert not app.error, f"{label}: {app.messages()}"
        assert report in plain_text(app), f"{label}: the loader's report is not shown"
        assert f"{label}.csv" in app.sidebar_text()
        assert [r.id for r in app.runs()] == before[1]  # new data never drops a run
    app.upload("empty-again.csv", b"")  # a refused file after a good one keeps the good one
    assert "text-in-numbers.csv" in app.sidebar_text()


def test_batch_prediction_bad_files_keep_data_and_runs(app):
    app.train(FEW_EPOCHS)
    app.switch_page("views/predict.py").run()
    before = snapshot(app)
    answer = [m.value for m in app.main.metric]
    for label, data in REFUSED.items():
        app.file_uploader(key=state.BATCH_FILE).set_value((f"{label}.csv", data, "text/csv")).run()
        app.assert_ok(f"Predict, batch {label}")
        assert app.error and f"{label}.csv" in app.messages(), f"{label}: no message naming the file"
        assert snapshot(app) == before, label
        assert [m.value for m in app.main.metric] == answer  # the what-if answer stays
    for label, (data, report) in LOADS_WITH_REPORT.items():
        app.file_uploader(key=state.BATCH_FILE).set_value((f"{label}.csv", data, "text/csv")).run()
        app.assert_ok(f"Predict, batch {label}")
        assert not app.error, f"{label}: {app.messages()}"
        assert report in plain_text(app), f"{label}: the loader's report is not shown"
        assert any(len(d.value) >= 60 for d in app.dataframe), f"{label}: no prediction table"
        assert snapshot(app) == before


def test_model_upload_bad_files_keep_data_and_runs(app):
    app.train(FEW_EPOCHS)
    good = sharing.model_json(app.runs()[0])
    app.switch_page("views/share.py").run()
    app.assert_ok("Share")
    before = snapshot(app)
    bad_models = {**REFUSED, **{k: v for k, (v, _) in LOADS_WITH_REPORT.items()},
                  "truncated-json": good[: len(good) // 2].encode(), "empty-json-object": b"{}",
                  "json-list": b"[1, 2, 3]"}
    for label, data in bad_models.items():
        app.file_uploader(key=state.MODEL_FILE).set_value((f"{label}.json", data, "application/json")).run()
        app.assert_ok(f"Share, model {label}")
        assert app.error and f"{label}.json" in app.messages(), f"{label}: no message naming the file"
        assert "current model stays active" in app.messages(), label
        assert snapshot(app) == before, label


# ----------------------------------------------------- user strings are text
def test_hostile_names_are_text_on_every_page(app):
    rows = "".join(f"{i % 9},{(i * 5) % 13},{XSS_CLASS if (i % 9) + (i * 5) % 13 > 10 else XSS_CLASS_LINK}\n"
                   for i in range(90))
    data = f"{XSS_SCRIPT},{XSS_LINK},label\n{rows}".encode()
    app.upload(f"{XSS_LINK}.csv", data)
    assert not app.error, app.messages()
    app.train(FEW_EPOCHS)
    assert len(app.runs()) == 1
    app.switch_page("views/predict.py").run()
    app.file_uploader(key=state.BATCH_FILE).set_value(("batch.csv", data, "text/csv")).run()
    seen = ""
    for page in app.listed_pages():
        app.switch_page(page).run()
        app.assert_ok(page)
        leaks = markdown_leaks(app)
        assert not leaks, f"{page}: a name from the file goes through Markdown: {leaks}"
        seen += plain_text(app)
    for bad in HOSTILE:
        assert bad in seen, f"{bad!r} is never shown as text"


def test_hostile_target_in_an_error_message_is_escaped(app):
    data = f"{XSS_SCRIPT},{XSS_LINK}\n" + "".join(f"{i},{i % 4}\n" for i in range(40))
    app.upload("names.csv", data.encode())
    app.selectbox(key=state.TARGET).set_value(XSS_LINK).run()
    app.selectbox(key=state.PROBLEM).set_value("binary").run()  # a 4-valued target: refused, quoting its name
    app.assert_ok("binary override")
    assert XSS_LINK in app.messages()  # named, with its Markdown escaped
    assert not markdown_leaks(app)


# ----------------------------------------------- bad settings: a message, nothing lost
def test_diverging_learning_rate_is_a_message_and_keeps_the_runs(app):
    app.train(FEW_EPOCHS)
    first = app.runs()[0]
    app.session_state[state.OPTIMIZER] = "sgd"
    app.session_state[state.ACTIVATION] = "linear"
    app.session_state[state.LEARNING_RATE] = 10.0
    app.session_state[state.SOURCE] = "generated"
    app.session_state[state.GENERATOR] = "plane"
    app.train(FEW_EPOCHS)
    assert any("diverged" in e.value for e in app.error), app.messages()
    assert len(app.runs()) == 2 and app.runs()[0] is first and first.epochs == FEW_EPOCHS


def test_net_over_the_parameter_cap_is_a_message_and_keeps_the_runs(app):
    app.train(FEW_EPOCHS)
    before = snapshot(app)
    app.text_input(key=state.HIDDEN).set_value("2000, 2000").run()
    assert f"{run_ops.MAX_PARAMETERS:,}" in app.messages()  # warned before pressing
    app.button(key=state.TRAIN_BUTTON).click().run()
    app.assert_ok("Train over the cap")
    assert any(f"{run_ops.MAX_PARAMETERS:,}" in e.value for e in app.error), app.messages()
    assert snapshot(app) == before


def test_split_that_leaves_a_class_out_is_a_message_and_keeps_the_runs(app):
    app.train(FEW_EPOCHS)
    rare = "a,b,label\n" + "".join(
        f"{i},{i % 5},{'rare' if i < 2 else ('x' if i % 2 else 'y')}\n" for i in range(40))
    app.upload("rare.csv", rare.encode())
    before_runs = [r.id for r in app.runs()]
    app.session_state[state.VAL_FRACTION] = 0.3
    app.session_state[state.TEST_FRACTION] = 0.5
    app.train(FEW_EPOCHS)
    assert any("no training rows of class rare" in e.value for e in app.error), app.messages()
    assert [r.id for r in app.runs()] == before_runs
    assert "rare.csv" in app.sidebar_text()


# ------------------------------------------------ what one session may cost
def test_file_size_cap_is_a_message(app):
    big = HEADER + b"1,2,0\n" * (csv_module.MAX_BYTES // 6 + 1)
    assert len(big) > csv_module.MAX_BYTES
    app.upload("huge.csv", big)
    assert f"the limit is {csv_module.MAX_BYTES // 10**6:.1f} MB" in app.messages() and "Diabetes" in app.sidebar_text(), app.messages()


def test_row_cap_is_a_message(app):
    app.upload("long.csv", HEADER + b"1,2,0\n" * (csv_module.MAX_ROWS + 1))
    assert f"the limit is {csv_module.MAX_ROWS:,} rows" in app.messages() and "Diabetes" in app.sidebar_text()


def test_column_cap_is_a_message(app):
    app.upload("wide.csv", REFUSED["201-columns"])
    assert f"the limit is {csv_module.MAX_COLUMNS}" in app.messages() and "Diabetes" in app.sidebar_text()


def test_epochs_times_rows_cap_is_a_message_for_train_and_continue(app):
    app.train(FEW_EPOCHS)
    run = app.runs()[0]
    rows = len(run.split[0])
    too_many = run_ops.MAX_EPOCH_ROWS // rows + 1
    app.number_input(key=state.EPOCHS).set_value(too_many).run()
    app.button(key=state.CONTINUE_BUTTON).click().run()
    app.assert_ok("Continue over the budget")
    assert any(f"{run_ops.MAX_EPOCH_ROWS:,}" in e.value for e in app.error), app.messages()
    assert run.epochs == FEW_EPOCHS and len(app.runs()) == 1
    app.button(key=state.TRAIN_BUTTON).click().run()
    assert any("epochs at a time" in e.value for e in app.error) and len(app.runs()) == 1


def test_run_cap_keeps_the_newest_and_says_what_was_dropped(app):
    app.switch_page("views/train.py").run()
    app.session_state[state.EPOCHS] = 1
    for _ in range(run_ops.MAX_RUNS + 2):
        app.button(key=state.TRAIN_BUTTON).click().run()
    app.assert_ok("many runs")
    kept = app.runs()
    assert len(kept) == run_ops.MAX_RUNS and kept[-1].id == run_ops.MAX_RUNS + 2
    app.switch_page("views/share.py").run()
    app.assert_ok("Share with many runs")
    assert f"2 older run(s) were dropped to stay within {run_ops.MAX_RUNS}" in app.messages()


# ------------------------------------------------------------ many visitors
def test_sessions_are_isolated(new_session):
    """What one visitor uploads or trains is invisible to another on the same server."""
    alice = new_session()
    bob = new_session()
    alice.upload("alice.csv", HEADER + ROWS)
    alice.train(FEW_EPOCHS)
    assert "alice.csv" in alice.sidebar_text() and len(alice.runs()) == 1

    bob.run()
    bob.assert_ok("bob")
    assert bob.sidebar_text().startswith("Diabetes") and "alice" not in bob.sidebar_text()
    assert bob.runs() == [] and bob.call(state.upload) is None
    carol = new_session()  # a visitor who arrives later
    for page in carol.listed_pages():
        carol.switch_page(page).run()
        carol.assert_ok(page)
        # the playground starts carol a run of her own on her own data; none of alice's shows
        assert "alice" not in plain_text(carol) and all("alice" not in run.label for run in carol.runs())
        assert not set(map(id, carol.runs())) & set(map(id, alice.runs()))


def test_an_error_that_quotes_a_hostile_class_name_stays_text(app):
    """The split error names the class left out of training: a class named like a link stays text."""
    bad = "[y](javascript:alert(3))"
    rare = "a,b,label\n" + "".join(f"{i},{i % 5},{bad if i < 2 else ('x' if i % 2 else 'w')}\n" for i in range(40))
    app.upload("rare.csv", rare.encode())
    app.session_state[state.VAL_FRACTION] = 0.3
    app.session_state[state.TEST_FRACTION] = 0.5
    app.train(FEW_EPOCHS)
    assert "no training rows of class" in app.messages(), app.messages()
    assert not markdown_leaks(app)


def test_caps_hold_on_the_batch_and_model_upload_paths(app):
    """The file-size and 200,000-row caps answer on every upload path, not only Explore's."""
    app.train(FEW_EPOCHS)
    before = snapshot(app)
    huge = HEADER + b"1,2,0\n" * (csv_module.MAX_BYTES // 6 + 1)
    long = HEADER + b"1,2,0\n" * (csv_module.MAX_ROWS + 1)
    app.switch_page("views/predict.py").run()
    for name, data, sentence in (("huge.csv", huge, f"the limit is {csv_module.MAX_BYTES // 10**6:.1f} MB"),
                                 ("long.csv", long, f"the limit is {csv_module.MAX_ROWS:,} rows")):
        app.file_uploader(key=state.BATCH_FILE).set_value((name, data, "text/csv")).run()
        app.assert_ok(f"Predict, batch {name}")
        assert sentence in app.messages(), app.messages()
        assert snapshot(app) == before
    app.switch_page("views/share.py").run()
    giant = b'{"format": "nn_core-model", "version": 1, "architecture": {"layer_sizes": [5000, 5000, 1]}}'
    app.file_uploader(key=state.MODEL_FILE).set_value(("giant.json", giant, "application/json")).run()
    app.assert_ok("Share, oversized model")
    assert "limit is 10,000,000" in app.messages() and "current model stays active" in app.messages(), app.messages()
    assert snapshot(app) == before
