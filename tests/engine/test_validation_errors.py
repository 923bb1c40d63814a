"""Bad input raises ValueError with a message that names the problem."""

import numpy as np
import pytest

import nn_core

X2 = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]])
Y01 = np.array([0, 1, 0, 1])


def net(output="sigmoid", k=None, **kw):
    k = k if k is not None else (1 if output != "softmax" else 3)
    return nn_core.MLP([2, 3, k], output=output, seed=0, **kw)


def fit(model, X=X2, y=Y01, **kw):
    kw.setdefault("epochs", 2)
    return model.fit(X, y, **kw)


# ------------------------------------------------------------------- features
@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.array([[0.0, 1.0], [np.nan, 0.0], [2.0, 2.0], [3.0, 1.0]]), r"NaN value in row 1, column 0"),
        (np.array([[0.0, 1.0], [1.0, 0.0], [2.0, np.inf], [3.0, 1.0]]), r"infinite value in row 2, column 1"),
        (np.array([[0.0, 1.0], [1.0, 0.0], [2.0, -np.inf], [3.0, 1.0]]), r"infinite"),
        ([["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]], r"numbers"),
        ([[0.0, None], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]], r"numbers"),
        (np.zeros((4, 3)), r"expected 2 features, got 3"),
        (np.zeros((4, 1)), r"expected 2 features, got 1"),
        (np.array([0.0, 1.0, 2.0, 3.0]), r"2-D"),
        (np.zeros((4, 2, 1)), r"2-D"),
        ([[0.0, 1.0], [1.0]], r"could not be read|numbers"),
    ],
)
def test_bad_features_in_fit(X, match):
    with pytest.raises(ValueError, match=match):
        fit(net(), X=X)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "forward", "trace", "input_gradient"])
def test_bad_features_in_prediction(method):
    model = net()
    with pytest.raises(ValueError, match="expected 2 features, got 3"):
        getattr(model, method)(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        getattr(model, method)(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="2-D"):
        getattr(model, method)(np.array([0.0, 1.0]))


def test_empty_data():
    with pytest.raises(ValueError, match="empty"):
        fit(net(), X=np.zeros((0, 2)), y=np.zeros(0))
    with pytest.raises(ValueError, match="empty|no rows"):
        net().predict(np.zeros((0, 2)))


# --------------------------------------------------------------------- labels
@pytest.mark.parametrize(
    ("output", "y", "match"),
    [
        ("sigmoid", [0, 1, 2, 1], r"0 or 1; found 2"),
        ("sigmoid", [0.0, 1.0, 0.5, 1.0], r"0 or 1; found 0.5"),
        ("sigmoid", [0, 1, -1, 1], r"0 or 1"),
        ("sigmoid", [0.0, 1.0, np.nan, 1.0], r"missing or infinite"),
        ("sigmoid", [0, 0, 0, 0], r"only one class"),
        ("sigmoid", [[0, 1], [1, 0], [0, 1], [1, 0]], r"shape"),
        ("sigmoid", ["no", "yes", "no", "yes"], r"numbers"),
        ("softmax", [0, 1, 3, 2], r"Label 3 does not fit a softmax output of 3 classes"),
        ("softmax", [0, 1, -1, 2], r"Label -1"),
        ("softmax", [0.0, 1.0, 2.0, 1.0], r"integer"),
        ("softmax", [2, 2, 2, 2], r"only one class"),
        ("softmax", [[0], [1], [2], [1]], r"shape"),
        ("linear", [0.0, np.inf, 1.0, 2.0], r"missing or infinite"),
        ("linear", [0.0, np.nan, 1.0, 2.0], r"missing or infinite"),
        ("linear", np.zeros((4, 3)), r"shape \(n, 1\)"),
    ],
)
def test_labels_that_do_not_fit_the_output(output, y, match):
    with pytest.raises(ValueError, match=match):
        fit(net(output), y=y)


def test_sigmoid_accepts_bool_int_float_and_column_labels():
    for y in ([False, True, False, True], [0, 1, 0, 1], [0.0, 1.0, 0.0, 1.0], [[0], [1], [0], [1]]):
        h = fit(net(), y=np.asarray(y))
        assert h.status == "completed"


def test_multi_output_regression_needs_2d_targets():
    with pytest.raises(ValueError, match=r"2 outputs"):
        fit(net("linear", k=2), y=np.zeros(4))
    assert fit(net("linear", k=2), y=np.zeros((4, 2))).status == "completed"


def test_length_mismatch():
    with pytest.raises(ValueError, match=r"X has 4 rows but y has 3"):
        fit(net(), y=[0, 1, 0])


def test_fewer_than_two_samples():
    with pytest.raises(ValueError, match=r"at least 2 samples; got 1"):
        fit(net("linear"), X=np.array([[0.0, 1.0]]), y=np.array([1.0]))


def test_loss_and_gradients_validates_too():
    with pytest.raises(ValueError, match="0 or 1"):
        net().loss_and_gradients(X2, [0, 1, 2, 1])
    with pytest.raises(ValueError, match="expected 2 features"):
        net().backward_trace(np.zeros((4, 5)), Y01)


# ------------------------------------------------------------ fit arguments
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"epochs": 0}, r"epochs must be at least 1; got 0"),
        ({"epochs": -3}, r"epochs"),
        ({"epochs": 2.5}, r"epochs must be a whole number"),
        ({"learning_rate": 0.0}, r"learning_rate must be > 0"),
        ({"learning_rate": -0.1}, r"learning_rate must be > 0"),
        ({"learning_rate": float("nan")}, r"learning_rate must be a finite number"),
        ({"learning_rate": float("inf")}, r"learning_rate must be a finite number"),
        ({"learning_rate": "fast"}, r"learning_rate must be a number"),
        ({"batch_size": 0}, r"batch_size must be at least 1"),
        ({"batch_size": -5}, r"batch_size"),
        ({"l2": -0.1}, r"l2 must be >= 0"),
        ({"l1": float("nan")}, r"l1 must be a finite number"),
        ({"clip_norm": 0.0}, r"clip_norm must be > 0"),
        ({"optimizer": "rmsprop"}, r"Unknown optimizer 'rmsprop'; choose one of: sgd, momentum, adam"),
        ({"optimizer": "momentum", "momentum": 1.0}, r"momentum must be below 1"),
        ({"schedule": "linear_warmup"}, r"Unknown schedule 'linear_warmup'"),
        ({"schedule": nn_core.StepDecay(step_size=0)}, r"step_size"),
        ({"early_stopping": 5}, r"validation_data"),
        ({"validation_data": (X2,)}, r"validation_data must be a pair"),
        ({"validation_data": (np.zeros((2, 3)), [0, 1])}, r"expected 2 features, got 3"),
        ({"validation_data": (X2, [0, 1, 5, 1])}, r"y_val holds labels outside 0..1"),
    ],
)
def test_bad_fit_arguments(kwargs, match):
    model = net()
    before = [p.copy() for p in model.parameters]
    with pytest.raises(ValueError, match=match):
        fit(model, **kwargs)
    # a refused call changes nothing
    assert all(np.array_equal(p, q) for p, q in zip(before, model.parameters))
    assert model.history.loss == []


# -------------------------------------------------------------- construction
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"activation": "swish"}, r"Unknown activation 'swish'; choose one of: sigmoid, tanh, relu, leaky_relu, linear"),
        ({"activation": ["tanh", "gelu"]}, r"Unknown activation 'gelu'"),
        ({"output": "softplus"}, r"Unknown output 'softplus'"),
        ({"init": "orthogonal"}, r"Unknown init 'orthogonal'"),
        ({"dtype": "float16"}, r"dtype must be 'float64' or 'float32'"),
        ({"activation": ["tanh"]}, r"Got 1 activations for 2 hidden layer\(s\)"),
        ({"activation": ["tanh", "relu", "relu"]}, r"Got 3 activations for 2 hidden layer\(s\)"),
        ({"layer_sizes": [2, 0, 1]}, r"at least 1 unit; got 0"),
        ({"layer_sizes": [2, -4, 1]}, r"at least 1 unit"),
        ({"layer_sizes": [2, 3.5, 1]}, r"whole numbers"),
        ({"layer_sizes": [2]}, r"at least an input and an output"),
        ({"layer_sizes": [2, 3, 2], "output": "sigmoid"}, r"sigmoid output has exactly 1 unit"),
        ({"layer_sizes": [2, 3, 1], "output": "softmax"}, r"softmax output needs at least 2"),
        ({"layer_sizes": [100000, 100000, 1]}, r"parameters; the limit is 10,000,000"),
        ({"layer_sizes": [1000, 5000, 1000]}, r"10,006,000 parameters"),
    ],
)
def test_bad_construction(kwargs, match):
    args = {"layer_sizes": [2, 3, 4, 1], "activation": "tanh", "output": "sigmoid"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        nn_core.MLP(**args)


def test_exactly_the_parameter_cap_is_accepted():
    # 2149*4649 + 4649 + 4649*1 + 1 = 4649*2151 + 1 = 9,999,999 + 1
    sizes = [2149, 4649, 1]
    model = nn_core.MLP(sizes, output="sigmoid", seed=0, dtype="float32")
    assert model.n_parameters == 10_000_000
    with pytest.raises(ValueError, match="10,000,002 parameters; the limit is 10,000,000"):
        nn_core.MLP([2149, 4649, 1, 1], output="linear")  # a 1-unit layer more: 2 parameters over


def test_messages_are_sentences_not_tracebacks():
    with pytest.raises(ValueError) as info:
        fit(net(), y=[0, 1, 2, 1])
    assert "Use output='softmax'" in str(info.value)


@pytest.mark.parametrize("text, sizes", [
    ("16,16", (16, 16)), (" 8, 8 ", (8, 8)), ("4;2", (4, 2)), ("8, 8,", (8, 8)),
    ("", ()), ("0", ()), ("none", ()), ("None", ()), (None, ()),
])
def test_hidden_sizes_are_parsed_from_text(text, sizes):
    from nn_core.validation import parse_hidden_sizes

    assert parse_hidden_sizes(text) == sizes


@pytest.mark.parametrize("text", ["8, x", "8,0", "-1", "2.5"])
def test_hidden_sizes_that_are_not_whole_numbers_of_at_least_1_are_refused(text):
    from nn_core.validation import parse_hidden_sizes

    with pytest.raises(ValueError, match="whole numbers of at least 1"):
        parse_hidden_sizes(text)


def test_the_cap_on_hidden_layers_is_the_callers():
    from nn_core.validation import parse_hidden_sizes

    assert parse_hidden_sizes(",".join(["2"] * 11)) == (2,) * 11
    with pytest.raises(ValueError, match="At most 10 hidden layers; got 11"):
        parse_hidden_sizes(",".join(["2"] * 11), max_layers=10)
