"""Hostile model files: each refused with a sentence (or accepted, for a byte-order mark), within bounds."""

import json
import time

import pytest

import nn_core
from ui.budgets import MODEL_FILE_LIMITS

from .conftest import X, Y, run_bounded


def _model_doc(derived=(), names=("x1", "x2")):
    pre = nn_core.Preprocessing.fit(X[:, : len(names)], list(names), class_names=["no", "yes"], derived=list(derived))
    net = nn_core.MLP([pre.n_inputs, 4, 1], seed=0)
    net.fit(pre.transform(X), Y, epochs=3)
    return json.loads(nn_core.dumps(nn_core.Model(pre, net)))


def _refused(doc, match, **limits):
    with pytest.raises(ValueError, match=match):
        nn_core.loads(json.dumps(doc), **limits)


def test_unknown_architecture_keys():
    doc = _model_doc()
    doc["architecture"]["dropout"] = 0.5
    _refused(doc, r"unknown field\(s\) in architecture: dropout")


@pytest.mark.parametrize(("stats", "match"), [({"min": 3.0, "median": 2.0, "max": 1.0}, "min <= median <= max"),
                                              ({"min": 0.0, "median": 5.0, "max": 1.0}, "min <= median <= max")])
def test_feature_stats_out_of_order(stats, match):
    doc = _model_doc()
    doc["preprocessing"]["feature_stats"]["x1"] = stats
    _refused(doc, match)


@pytest.mark.parametrize("target", [7, None, ["y"], {"a": 1}])
def test_non_text_target_name(target):
    doc = _model_doc()
    doc["preprocessing"]["target_name"] = target
    _refused(doc, "target_name must be a name")


def test_derived_features_that_need_an_input_the_net_lacks():
    doc = _model_doc()
    # one raw feature and "x1*x2": the counts add up to the net's 2 inputs, but there is no x2
    pre = doc["preprocessing"]
    pre.update(feature_names=["x1"], derived=["x1*x2"], fill_values=pre["fill_values"][:1],
               feature_stats={"x1": pre["feature_stats"]["x1"]})
    _refused(doc, "'x1\\*x2' needs two input features; the model has 1")


def test_more_hidden_layers_than_the_app_allows():
    net = nn_core.MLP([2] + [2] * 12 + [1], seed=0)
    with pytest.raises(ValueError, match="12 hidden layers; at most 10"):
        nn_core.loads(nn_core.dumps(net), **MODEL_FILE_LIMITS)
    assert nn_core.loads(nn_core.dumps(net)).layer_sizes == net.layer_sizes  # the engine alone has no such cap


def test_more_parameters_than_the_caller_allows():
    net = nn_core.MLP([2, 50, 1], seed=0)
    with pytest.raises(ValueError, match="201 parameters; at most 100 are allowed"):
        nn_core.loads(nn_core.dumps(net), max_parameters=100)


def test_history_longer_than_allowed():
    doc = _model_doc()
    doc["history"]["loss"] = [0.5] * 11
    _refused(doc, "history loss has 11 entries; at most 10", max_history=10)


def test_too_many_bytes():
    text = nn_core.dumps(nn_core.MLP([2, 3, 1], seed=0))
    with pytest.raises(ValueError, match="the limit is 100"):
        nn_core.loads(text.encode(), max_bytes=100)


@pytest.mark.parametrize("as_bytes", [True, False])
def test_a_utf8_byte_order_mark_is_accepted(as_bytes):
    text = "\ufeff" + nn_core.dumps(nn_core.Model(nn_core.Preprocessing.fit(X, ["a", "b"]), nn_core.MLP([2, 3, 1])))
    model = nn_core.loads(text.encode("utf-8") if as_bytes else text)
    assert model.preprocessing.feature_names == ["a", "b"]


def test_a_directory_is_not_a_model_file(tmp_path):
    with pytest.raises(ValueError, match="not a regular file"):
        nn_core.load(tmp_path)


def test_a_file_of_empty_lists_is_refused_quickly():
    head = '{"format": "nn_core-model", "version": 1, "history": {"loss": ['
    text = head + "[]," * 12_000_000 + "[]]}}"  # 36 MB, under the app's 40 MB
    started = time.perf_counter()
    with pytest.raises(ValueError, match="12,000,00[0-9] lists and objects, more than a model within the limits"):
        nn_core.loads(text, **MODEL_FILE_LIMITS)
    assert time.perf_counter() - started < 1.0  # a count, not a parse (parsing took 13 s and 1 GB)


# ----------------------------------------------------- bounded in a subprocess
_NINE_MILLION = """
import nn_core, time
from ui.budgets import MODEL_FILE_LIMITS
a, b = 3000, 2999
row = lambda n: "[" + ",".join(["0.1"] * n) + "]"
weights = "[" + ",".join([row(a)] * 3) + "]," + "[" + ",".join([row(b)] * (a + 0)) + "]," + "[" + ",".join([row(1)] * b) + "]"
biases = row(a) + "," + row(b) + "," + row(1)
text = ('{"format": "nn_core-model", "version": 1, "architecture": {"layer_sizes": [2, %d, %d, 1], '
        '"activation": ["tanh", "tanh"], "output": "sigmoid", "init": "auto", "dtype": "float64"}, '
        '"parameters": {"weights": [' % (a, b) + weights + '], "biases": [' + biases + ']}}')
import resource
print("BEFORE_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
started = time.perf_counter()
try:
    nn_core.loads(text, **MODEL_FILE_LIMITS)
except ValueError as exc:
    print("REFUSED", exc)
print("SECONDS", time.perf_counter() - started)
"""


def test_a_nine_million_parameter_file_is_refused_before_it_is_parsed():
    out = run_bounded(_NINE_MILLION, address_space_mb=2500)
    assert out.returncode == 0, out.stderr
    assert "REFUSED Model file: the net has 9,0" in out.stdout and "at most 1,000,000" in out.stdout
    seconds = float(out.stdout.split("SECONDS")[1].split()[0])
    assert seconds < 2.0  # the arrays are never parsed: a full parse took 18 s and 450 MB
    before_mb = int(out.stdout.split("BEFORE_KB")[1].split()[0]) / 1024
    assert out.peak_mb - before_mb < 100, (before_mb, out.peak_mb)  # building the text is the test's own cost


_LONG_HISTORY = """
import nn_core, time
from ui.budgets import MODEL_FILE_LIMITS
text = ('{"format": "nn_core-model", "version": 1, "architecture": {"layer_sizes": [2, 1], "activation": [], '
        '"output": "sigmoid", "init": "auto", "dtype": "float64"}, "parameters": {"weights": [[[0.1], [0.2]]], '
        '"biases": [[0.0]]}, "history": {"loss": [' + "0," * 23_500_000 + '0]}}')
started = time.perf_counter()
try:
    nn_core.loads(text, **dict(MODEL_FILE_LIMITS, max_bytes=100_000_000))  # past the size cap: the count refuses
except ValueError as exc:
    print("REFUSED", exc)
print("SECONDS", time.perf_counter() - started)
"""


def test_a_23_million_entry_loss_list_is_refused_before_it_is_parsed():
    out = run_bounded(_LONG_HISTORY, address_space_mb=1500)
    assert out.returncode == 0, out.stderr
    assert "REFUSED Model file: it holds about 23,500,0" in out.stdout
    assert float(out.stdout.split("SECONDS")[1].split()[0]) < 1.0
    assert out.peak_mb < 400, out.peak_mb
