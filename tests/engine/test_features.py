"""Derived features: values against hand computation, names, and what they are for."""

import numpy as np
import pytest

from nn_core.data import generate
from nn_core.features import DERIVED_FEATURES, add_derived, derived_names

# sin/cos of 1, 2, 3 and -1 to 10 digits, from a table (not from the code under test)
SIN1, COS1 = 0.8414709848, 0.5403023059
SIN2, COS2 = 0.9092974268, -0.4161468365
SIN3, COS3 = 0.1411200081, -0.9899924966
SIN_MINUS1 = -SIN1


def test_the_list_of_derived_features() -> None:
    assert DERIVED_FEATURES == ("x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)", "cos(x1)", "cos(x2)")


def test_every_derived_feature_against_hand_values() -> None:
    X = np.array([[1.0, 2.0], [-1.0, 3.0], [2.0, 0.0]])
    out = add_derived(X, DERIVED_FEATURES)
    expected = np.array(
        [
            # x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2), cos(x1), cos(x2)
            [1.0, 2.0, 1.0, 4.0, 2.0, SIN1, SIN2, COS1, COS2],
            [-1.0, 3.0, 1.0, 9.0, -3.0, SIN_MINUS1, SIN3, COS1, COS3],
            [2.0, 0.0, 4.0, 0.0, 0.0, SIN2, 0.0, COS2, 1.0],
        ]
    )
    assert out.shape == (3, 9)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, expected, atol=1e-9)


def test_columns_come_in_the_order_given_after_all_original_columns() -> None:
    X = np.array([[3.0, -2.0, 100.0], [0.5, 4.0, 200.0]])
    out = add_derived(X, ["x1*x2", "x2^2", "x1^2"])
    np.testing.assert_array_equal(out[:, :3], X)  # x3 kept untouched, derived use x1, x2 only
    np.testing.assert_allclose(out[:, 3:], [[-6.0, 4.0, 9.0], [2.0, 16.0, 0.25]])


def test_no_derived_features_returns_the_inputs() -> None:
    X = np.array([[1.0, 2.0]])
    out = add_derived(X, [])
    np.testing.assert_array_equal(out, X)
    assert out is not X


def test_add_derived_does_not_modify_its_input() -> None:
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = X.copy()
    add_derived(X, ["x1^2"])
    np.testing.assert_array_equal(X, before)


def test_derived_names_use_the_real_feature_names() -> None:
    names = derived_names(["Glucose", "BloodPressure"], ["x1^2", "x1*x2", "sin(x1)", "cos(x2)"])
    assert names == ["Glucose^2", "Glucose*BloodPressure", "sin(Glucose)", "cos(BloodPressure)"]
    assert derived_names(["x1", "x2", "x3"], DERIVED_FEATURES) == list(DERIVED_FEATURES)


@pytest.mark.parametrize("bad", [["x3^2"], ["X1^2"], ["tan(x1)"]])
def test_unknown_derived_feature_is_refused_with_the_known_ones(bad: list[str]) -> None:
    with pytest.raises(ValueError, match=r"Unknown derived feature.*x1\^2"):
        add_derived(np.zeros((2, 2)), bad)
    with pytest.raises(ValueError, match="Unknown derived feature"):
        derived_names(["a", "b"], bad)


def test_repeated_derived_feature_is_refused() -> None:
    with pytest.raises(ValueError, match="more than once"):
        add_derived(np.zeros((2, 2)), ["x1^2", "x1^2"])


@pytest.mark.parametrize("X", [np.zeros((5, 1)), np.zeros(5), np.zeros((2, 2, 2))])
def test_inputs_without_two_columns_are_refused(X: np.ndarray) -> None:
    with pytest.raises(ValueError, match="at least 2 columns"):
        add_derived(X, ["x1^2"])


def test_derived_names_need_two_feature_names() -> None:
    with pytest.raises(ValueError, match="first two columns"):
        derived_names(["only"], ["x1^2"])


def _least_squares_accuracy(features: np.ndarray, y: np.ndarray) -> float:
    """Fit w to +-1 targets by least squares (with a bias) and score sign(A w)."""
    A = np.column_stack([np.ones(len(features)), features])
    target = 2.0 * y - 1.0
    w, *_ = np.linalg.lstsq(A, target, rcond=None)
    return float(np.mean(np.sign(A @ w) == target))


def test_squares_make_circles_linearly_separable() -> None:
    ds = generate("circles", n=400, noise=0.0, seed=3)
    squares = add_derived(ds.X, ["x1^2", "x2^2"])[:, 2:]
    assert _least_squares_accuracy(squares, ds.y) > 0.95
    assert _least_squares_accuracy(ds.X, ds.y) < 0.7
