"""Hostile values at the engine's public edge: a ValueError with a sentence, and the net kept as it was."""

import numpy as np
import pytest

import nn_core
from nn_core.gradcheck import gradient_check
from nn_core.schedules import CosineDecay, ExponentialDecay, StepDecay

from .conftest import X, Y, assert_kept

NAN, INF = float("nan"), float("inf")
Y2 = np.stack([Y, Y], axis=1)

FIT_CASES = {
    "seed text": ({"seed": "abc"}, "seed must be a whole number"),
    "seed NaN": ({"seed": NAN}, "seed must be a whole number"),
    "seed negative": ({"seed": -1}, "seed must be 0 or more"),
    "seed fraction": ({"seed": 1.5}, "seed must be a whole number"),
    "l2 NaN": ({"l2": NAN}, "l2 must be a finite number"),
    "l2 negative": ({"l2": -1.0}, "l2 must be >= 0"),
    "l1 infinite": ({"l1": INF}, "l1 must be a finite number"),
    "l1 text": ({"l1": "x"}, "l1 must be a number"),
    "learning rate NaN": ({"learning_rate": NAN}, "learning_rate must be a finite number"),
    "learning rate zero": ({"learning_rate": 0.0}, "learning_rate must be > 0"),
    "learning rate text": ({"learning_rate": "fast"}, "learning_rate must be a number"),
    "epochs zero": ({"epochs": 0}, "epochs must be at least 1"),
    "epochs fraction": ({"epochs": 2.5}, "epochs must be a whole number"),
    "epochs None": ({"epochs": None}, "epochs must be a whole number"),
    "batch size zero": ({"batch_size": 0}, "batch_size must be at least 1"),
    "batch size text": ({"batch_size": "8"}, "batch_size must be a whole number"),
    "momentum one": ({"optimizer": "momentum", "momentum": 1.0}, "momentum must be below 1"),
    "momentum NaN": ({"optimizer": "momentum", "momentum": NAN}, "momentum must be a finite number"),
    "clip norm NaN": ({"clip_norm": NAN}, "clip_norm must be a finite number"),
    "optimizer unknown": ({"optimizer": "rmsprop"}, "Unknown optimizer"),
    "schedule unknown": ({"schedule": "warmup"}, "Unknown schedule"),
    "decay rate text": ({"schedule": ExponentialDecay(gamma="x")}, "gamma must be a number"),
    "decay rate above 1": ({"schedule": ExponentialDecay(gamma=2.0)}, "gamma must be at most 1"),
    "step gamma NaN": ({"schedule": StepDecay(gamma=NAN)}, "gamma must be a finite number"),
    "step size zero": ({"schedule": StepDecay(step_size=0)}, "step_size must be at least 1"),
    "cosine period NaN": ({"schedule": CosineDecay(period=NAN)}, "period must be a whole number"),
    "cosine min_lr NaN": ({"schedule": CosineDecay(min_lr=NAN)}, "min_lr must be a finite number"),
    "validation target two columns": ({"validation_data": (X, Y2)}, r"y_val takes one label per row"),
    "validation target a scalar": ({"validation_data": (X, 1)}, r"y_val takes one label per row"),
    "validation target too short": ({"validation_data": (X, Y[:5])}, "X_val has 40 rows but y_val has 5"),
    "validation target out of range": ({"validation_data": (X, Y * 5)}, "y_val holds labels outside 0..1"),
    "validation data not a pair": ({"validation_data": X}, "must be a pair"),
    "early stopping without validation": ({"early_stopping": 3}, "pass validation_data too"),
    "early stopping patience zero": ({"early_stopping": 0, "validation_data": (X, Y)}, "at least 1"),
}


@pytest.mark.parametrize("case", list(FIT_CASES))
def test_fit_refuses_with_a_sentence_and_keeps_the_net(trained, case):
    net, params, losses = trained
    kwargs, match = FIT_CASES[case]
    with pytest.raises(ValueError, match=match):
        net.fit(X, Y, epochs=kwargs.pop("epochs", 2), **kwargs)
    assert_kept(net, params, losses)


DATA_CASES = {
    "complex features": (X.astype(complex), Y, "real numbers only; found values of type complex"),
    "timedelta features": (X.astype("timedelta64[s]"), Y, r"time spans \(timedelta\)"),
    "datetime features": (np.full((40, 2), np.datetime64("2024-01-01")), Y, r"dates \(datetime\)"),
    "text features": (X.astype(str), Y, "real numbers only"),
    "values near 1e308": (np.where(X > 0, 1e308, X), Y, r"holds 1e\+308 in row .*values up to 1e\+75"),
    "values near -1e300": (np.where(X > 0, -1e300, X), Y, r"holds -1e\+300"),
    "complex labels": (X, Y.astype(complex), "y must hold real numbers; found values of type complex"),
    "timedelta labels": (X, Y.astype("timedelta64[s]"), "y must hold real numbers"),
    "object labels": (X, np.array([None] * 40), "y must hold real numbers"),
}


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_fit_refuses_hostile_data(trained, case):
    net, params, losses = trained
    Xh, yh, match = DATA_CASES[case]
    with pytest.raises(ValueError, match=match):
        net.fit(Xh, yh, epochs=2)
    assert_kept(net, params, losses)


BUILD_CASES = {
    "seed text": ({"seed": "abc"}, "seed must be a whole number"),
    "seed NaN": ({"seed": NAN}, "seed must be a whole number"),
    "activation None": ({"activation": None}, "activation must be a name"),
    "activation a number": ({"activation": 5}, "activation must be a name"),
    "activation list with None": ({"activation": ["tanh", None]}, "activation must be a name"),
    "activation unknown": ({"activation": "swish"}, "Unknown activation"),
    "output None": ({"output": None}, "Unknown output"),
    "init unknown": ({"init": "xavier2"}, "Unknown init"),
    "dtype float16": ({"dtype": "float16"}, "dtype must be"),
    "layer of zero units": ({"layer_sizes": [2, 0, 1]}, "at least 1 unit"),
    "layer sizes as text": ({"layer_sizes": [2, "8", 1]}, "whole numbers"),
    "ten million parameters": ({"layer_sizes": [2, 5000, 2000, 1]}, "the limit is 10,000,000"),
}


@pytest.mark.parametrize("case", list(BUILD_CASES))
def test_building_a_net_refuses_with_a_sentence(case):
    kwargs, match = BUILD_CASES[case]
    sizes = kwargs.pop("layer_sizes", [2, 3, 3, 1])
    with pytest.raises(ValueError, match=match):
        nn_core.MLP(sizes, **kwargs)


def test_reset_with_a_hostile_seed_keeps_the_net(trained):
    net, params, losses = trained
    with pytest.raises(ValueError, match="seed must be a whole number"):
        net.reset("abc")
    assert_kept(net, params, losses)


GRADCHECK_CASES = {
    "negative l1": ({"l1": -1.0}, "l1 must be >= 0"),
    "l2 NaN": ({"l2": NAN}, "l2 must be a finite number"),
    "max_entries negative": ({"max_entries": -1}, "max_entries must be at least 1"),
    "max_entries zero": ({"max_entries": 0}, "max_entries must be at least 1"),
    "max_entries text": ({"max_entries": "a"}, "max_entries must be a whole number"),
    "seed text": ({"seed": "x"}, "seed must be a whole number"),
}


@pytest.mark.parametrize("case", list(GRADCHECK_CASES))
def test_gradient_check_refuses_with_a_sentence(trained, case):
    net, params, losses = trained
    kwargs, match = GRADCHECK_CASES[case]
    with pytest.raises(ValueError, match=match):
        gradient_check(net, X[:4], Y[:4], **kwargs)
    assert_kept(net, params, losses)


@pytest.mark.parametrize("method", ["loss_and_gradients", "backward_trace"])
@pytest.mark.parametrize(("kwargs", "match"), [({"l2": NAN}, "l2 must be a finite"), ({"l1": -2.0}, "l1 must be >= 0")])
def test_gradients_refuse_bad_penalties(trained, method, kwargs, match):
    net, params, losses = trained
    with pytest.raises(ValueError, match=match):
        getattr(net, method)(X, Y, **kwargs)
    assert_kept(net, params, losses)


@pytest.mark.parametrize(
    ("rows", "dtype", "match"),
    [
        (X.astype(complex), "float64", "complex"),
        (np.full((2, 2), 1e300), "float32", r"values up to 3.4e\+38"),
        (np.full((2, 2), 1e200), "float64", r"values up to 1e\+75"),
    ],
)
def test_prediction_refuses_values_it_cannot_represent(rows, dtype, match):
    net = nn_core.MLP([2, 3, 1], seed=0, dtype=dtype)
    with pytest.raises(ValueError, match=match):
        net.predict(rows)


@pytest.mark.parametrize(
    ("names", "match"),
    [(["only"], "needs 2 names; got 1"), (["a", "b", "c"], "needs 2 names; got 3"), (["a", "a"], "a name twice")],
)
def test_model_refuses_the_wrong_class_names(names, match):
    pre = nn_core.Preprocessing.fit(X, ["x1", "x2"], class_names=names)
    with pytest.raises(ValueError, match=match):
        nn_core.Model(pre, nn_core.MLP([2, 3, 1], seed=0))


def test_preprocessing_refuses_values_near_the_float_limit():
    with pytest.raises(ValueError, match=r"training data holds 1.7e\+308 in row 0, column 1"):
        nn_core.Preprocessing.fit(np.array([[1.0, 1.7e308], [2.0, 3.0]]), ["a", "b"])


def test_subnormal_values_are_handled_end_to_end():
    # 5e-324 is the smallest float: standardization sees a constant (scale 1), training and prediction work
    tiny = np.array([[5e-324, 1.0], [1e-323, -1.0], [0.0, 2.0], [5e-324, -2.0]])
    y = np.array([0, 1, 0, 1])
    pre = nn_core.Preprocessing.fit(tiny, ["a", "b"])
    model = nn_core.Model(pre, nn_core.MLP([2, 3, 1], seed=0))
    history = model.net.fit(pre.transform(tiny), y, epochs=5)
    assert history.status == "completed"
    p = model.predict_proba(tiny)
    assert np.isfinite(p).all() and ((p > 0) & (p < 1)).all()
