"""Model files: exact round trips, and every tampered file refused with ValueError."""

import json
import pickle
import tracemalloc

import numpy as np
import pytest

import nn_core
from nn_core import model_io
from nn_core.preprocessing import Model, Preprocessing


def trained_net(dtype="float64"):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    net = nn_core.MLP([2, 5, 4, 1], activation=["relu", "tanh"], output="sigmoid", seed=3, dtype=dtype)
    net.fit(X, y, epochs=5, learning_rate=0.05, optimizer="adam", l2=0.001)
    return net, X


def trained_model():
    rng = np.random.default_rng(1)
    raw = rng.normal(loc=[10.0, -3.0], scale=[2.0, 0.5], size=(30, 2))
    raw[3, 0] = np.nan
    y = np.arange(30) % 3
    pre = Preprocessing.fit(raw, ["height", "weight"], target_name="kind", class_names=["a", "b", "c"],
                            problem_type="multiclass", derived=["x1^2", "x1*x2"])
    net = nn_core.MLP([4, 6, 3], activation="tanh", output="softmax", seed=0)
    net.fit(pre.transform(raw), y, epochs=5, learning_rate=0.05, optimizer="adam")
    return Model(pre, net), raw


def doc_of(net_or_model) -> dict:
    return json.loads(model_io.dumps(net_or_model))


def assert_refused(doc_or_text, match=None):
    text = doc_or_text if isinstance(doc_or_text, str | bytes) else json.dumps(doc_or_text)
    with pytest.raises(ValueError, match=None if match is None else "(?i)" + match):
        model_io.loads(text)


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_net_round_trip_is_bit_identical(tmp_path, dtype):
    net, X = trained_net(dtype)
    path = tmp_path / "net.json"
    model_io.save(net, path)
    loaded = model_io.load(path)
    assert isinstance(loaded, nn_core.MLP)
    assert loaded.layer_sizes == net.layer_sizes
    assert loaded.activations == ["relu", "tanh"] and loaded.output == "sigmoid" and loaded.dtype == dtype
    for p, q in zip(net.parameters, loaded.parameters):
        assert p.dtype == q.dtype and np.array_equal(p, q)
    np.testing.assert_array_equal(loaded.predict_proba(X), net.predict_proba(X))
    assert loaded.history.loss == net.history.loss
    assert loaded.history.status == net.history.status
    # the file is readable JSON text with the format tag
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "nn_core-model"


def test_model_round_trip_with_preprocessing(tmp_path):
    model, raw = trained_model()
    path = tmp_path / "model.json"
    model_io.save(model, path)
    loaded = model_io.load(path)
    assert isinstance(loaded, Model)
    p0, p1 = model.preprocessing, loaded.preprocessing
    assert p1.feature_names == ["height", "weight"] and p1.class_names == ["a", "b", "c"]
    assert p1.derived == ["x1^2", "x1*x2"] and p1.target_name == "kind"
    for name in ("mean", "scale", "fill_values"):
        np.testing.assert_array_equal(getattr(p1, name), getattr(p0, name))
    np.testing.assert_array_equal(loaded.predict_proba(raw), model.predict_proba(raw))
    np.testing.assert_array_equal(loaded.predict(raw), model.predict(raw))
    np.testing.assert_array_equal(loaded.input_gradient(raw[:5]), model.input_gradient(raw[:5]))


def test_dumps_loads_round_trip_and_untrained_net():
    net = nn_core.MLP([3, 2], output="softmax", seed=9)
    loaded = model_io.loads(model_io.dumps(net))
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters, loaded.parameters))
    loaded_bytes = model_io.loads(model_io.dumps(net).encode("utf-8"))
    assert np.array_equal(loaded_bytes.weights[0], net.weights[0])


def test_loaded_net_keeps_training():
    net, X = trained_net()
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    loaded = model_io.loads(model_io.dumps(net))
    h = loaded.fit(X, y, epochs=3, learning_rate=0.05)
    assert h.status == "completed" and len(h.loss) == len(net.history.loss) + 3


def test_cannot_save_other_objects():
    with pytest.raises(ValueError, match="Model or MLP"):
        model_io.dumps({"weights": []})


# -------------------------------------------------------------- tampered files
def test_wrong_weight_shape():
    doc = doc_of(trained_net()[0])
    doc["parameters"]["weights"][0].pop()
    assert_refused(doc, r"weights\[0\]")
    doc = doc_of(trained_net()[0])
    doc["parameters"]["weights"][1][0].append(0.5)
    assert_refused(doc, r"weights\[1\]")
    doc = doc_of(trained_net()[0])
    doc["parameters"]["biases"][2] = [0.0, 0.0]
    assert_refused(doc, r"biases\[2\]")
    doc = doc_of(trained_net()[0])
    doc["parameters"]["weights"].pop()
    assert_refused(doc, r"weight and bias arrays")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants(constant):
    text = model_io.dumps(trained_net()[0])
    doc = json.loads(text)
    first = repr(doc["parameters"]["weights"][0][0][0])
    assert first in text
    assert_refused(text.replace(first, constant, 1), "finite")


def test_overflowing_number_literal():
    doc = doc_of(trained_net()[0])
    text = json.dumps(doc).replace(repr(doc["parameters"]["biases"][0][0]), "1e999", 1)
    assert_refused(text, "finite")


@pytest.mark.parametrize("where", ["weights", "history"])
def test_huge_integer_literal_is_a_value_error(where):
    # 10**400 is valid JSON; converting it to a float overflows (OverflowError, not ValueError)
    doc = doc_of(trained_net()[0])
    if where == "weights":
        doc["parameters"]["weights"][0][0][0] = 10**400
    else:
        doc["history"]["loss"][0] = 10**400
    assert_refused(doc)


def test_nan_in_history_and_preprocessing():
    doc = doc_of(trained_net()[0])
    doc["history"]["loss"][1] = float("nan")
    assert_refused(doc, "finite")
    doc = doc_of(trained_model()[0])
    doc["preprocessing"]["mean"][0] = float("nan")
    assert_refused(doc, "finite")


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("activation", ["relu", "swish"], r"Unknown activation 'swish'"),
        ("activation", ["relu"], r"activations for 2 hidden"),
        ("activation", "relu", r"'activation' should be a list"),
        ("output", "softplus", r"Unknown output"),
        ("init", "orthogonal", r"Unknown init"),
        ("dtype", "float16", r"dtype"),
        ("layer_sizes", [2, 5, 0, 1], r"at least 1 unit"),
        ("layer_sizes", [2, "5", 4, 1], r"whole numbers"),
        ("layer_sizes", [2, 5.0, 4, 1], r"whole numbers"),
        ("layer_sizes", [2, True, 4, 1], r"whole numbers"),
        ("layer_sizes", "2-5-4-1", r"should be a list"),
    ],
)
def test_bad_architecture(field, value, match):
    doc = doc_of(trained_net()[0])
    doc["architecture"][field] = value
    assert_refused(doc, match)


def test_truncated_json():
    text = model_io.dumps(trained_net()[0])
    for cut in (1, len(text) // 3, len(text) // 2, len(text) - 2):
        assert_refused(text[:cut], "JSON is broken|not an nn_core model file")
    assert_refused("", "JSON is broken")


def test_huge_declared_sizes_fail_fast_without_allocating():
    doc = doc_of(trained_net()[0])
    doc["architecture"]["layer_sizes"] = [100000, 100000, 1]
    doc["architecture"]["activation"] = ["tanh"]
    text = json.dumps(doc)
    tracemalloc.start()
    try:
        assert_refused(text, "limit is 10,000,000")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # refused before allocating: the 10 billion weights would be 80 GB


def test_declared_sizes_checked_against_the_arrays_before_allocating():
    # 9 million declared parameters (under the cap) but tiny arrays: the shapes
    # disagree, which must be found before the net's 9M weights are allocated.
    doc = doc_of(nn_core.MLP([2, 3, 1], seed=0))
    doc["architecture"]["layer_sizes"] = [3000, 3000, 1]
    text = json.dumps(doc)
    tracemalloc.start()
    try:
        assert_refused(text, r"weights\[0\]")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"allocated {peak / 1e6:.0f} MB before noticing the shapes do not match"


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format="keras-model"),
        lambda d: d.pop("format"),
        lambda d: d.update(version=2),
        lambda d: d.update(version="1"),
    ],
)
def test_wrong_format_tag_or_version(change):
    doc = doc_of(trained_net()[0])
    change(doc)
    assert_refused(doc, "nn_core model file|version")


def test_not_an_object():
    assert_refused("[1, 2, 3]", "not an nn_core model file")
    assert_refused('"nn_core-model"', "not an nn_core model file")
    assert_refused("42", "not an nn_core model file")


def test_binary_bytes(tmp_path):
    for blob in (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)), b"\xff\xfe\x00\x01"):
        path = tmp_path / "model.bin"
        path.write_bytes(blob)
        with pytest.raises(ValueError, match="not an nn_core model file"):
            model_io.load(path)


def test_pickle_is_never_unpickled(tmp_path):
    net = trained_net()[0]
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(net))
    with pytest.raises(ValueError):
        model_io.load(path)


def test_missing_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="Cannot read"):
        model_io.load(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["parameters"]["weights"][0][0].__setitem__(0, "0.5"),
        lambda d: d["parameters"]["biases"][0].__setitem__(0, "abc"),
        lambda d: d["parameters"]["biases"][0].__setitem__(0, None),
        lambda d: d["parameters"]["biases"][0].__setitem__(0, True),
        lambda d: d["parameters"]["weights"][0].__setitem__(0, "row"),
        lambda d: d["parameters"].__setitem__("weights", "W"),
        lambda d: d["history"]["loss"].__setitem__(0, "0.3"),
        lambda d: d.pop("parameters"),
        lambda d: d["architecture"].pop("layer_sizes"),
        lambda d: d.update(architecture=[2, 5, 4, 1]),
    ],
)
def test_strings_or_wrong_types_where_numbers_belong(change):
    doc = doc_of(trained_net()[0])
    change(doc)
    assert_refused(doc)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p: p.update(scale=[1.0, 0.0, 1.0, 1.0]), "scale must be positive"),
        (lambda p: p.update(mean=[0.0, 0.0]), "mean"),
        (lambda p: p.update(derived=["x1^3"]), "unknown derived"),
        (lambda p: p.update(feature_names=["only_one"]), "do not match"),
        (lambda p: p.update(problem_type="ranking"), "problem type"),
        (lambda p: p.update(class_names=[1, 2, 3]), "class_names"),
        (lambda p: p["feature_stats"]["height"].update(max="big"), "feature_stats"),
    ],
)
def test_tampered_preprocessing(change, match):
    doc = doc_of(trained_model()[0])
    change(doc["preprocessing"])
    assert_refused(doc, match)


def test_deeply_nested_json_is_a_value_error():
    # valid-looking start, absurd nesting: json raises RecursionError, which must become ValueError
    assert_refused('{"format": "nn_core-model", "version": 1, "architecture": ' + "[" * 100_000)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p.update(class_names=["only one"]), "class_names must be 2 distinct names"),
        (lambda p: p.update(class_names=["a", "a"]), "class_names must be 2 distinct names"),
        (lambda p: p.update(problem_type="regression"), "cannot serve a regression problem"),
        (lambda p: p.update(feature_names=["x", "x"]), "a name twice"),
        (lambda p: p.update(surprise=1), "unknown field"),
    ],
)
def test_preprocessing_that_contradicts_the_net_is_refused(change, message):
    """A tampered file must fail on load, not later with an IndexError in predict."""
    from nn_core.preprocessing import Model, Preprocessing

    X = np.random.default_rng(0).normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int)
    pre = Preprocessing.fit(X, ["x", "z"], class_names=["no", "yes"], problem_type="binary")
    model = Model(pre, nn_core.MLP([2, 3, 1], seed=0))
    model.net.fit(pre.transform(X), y, epochs=2)
    doc = json.loads(nn_core.dumps(model))
    change(doc["preprocessing"])
    with pytest.raises(ValueError, match=message):
        nn_core.loads(json.dumps(doc))


def test_unknown_top_level_field_is_refused():
    doc = json.loads(nn_core.dumps(nn_core.MLP([2, 1], seed=0)))
    doc["pickle"] = "gASV..."
    with pytest.raises(ValueError, match="unknown field"):
        nn_core.loads(json.dumps(doc))
