"""A saved model applied to a user's table (nn_core.data.apply), checked against hand-built frames."""

import numpy as np
import pandas as pd
import pytest

import nn_core
from nn_core.data import apply, value_name


@pytest.mark.parametrize("value, name", [(1.0, "1"), (np.float64(2.0), "2"), (2.5, "2.5"), ("Biscoe", "Biscoe"), (3, "3")])
def test_value_name_prints_integral_floats_as_integers(value, name):
    assert value_name(value) == name


def test_one_hot_columns_are_rebuilt_from_the_raw_column():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "island": ["Biscoe", "Dream", None, "Biscoe"]})
    X = apply.feature_frame(frame, ["island=Biscoe", "x", "island=Torgersen"])
    expected = pd.DataFrame({
        "island=Biscoe": [1.0, 0.0, np.nan, 1.0],
        "x": [1.0, 2.0, 3.0, 4.0],
        "island=Torgersen": [0.0, 0.0, np.nan, 0.0],  # absent from the file: zeros, missing where island is
    })
    pd.testing.assert_frame_equal(X, expected)


def test_a_numeric_raw_column_matches_its_one_hot_names():
    frame = pd.DataFrame({"grade": [1.0, 2.0, 1.0]})
    X = apply.feature_frame(frame, ["grade=1", "grade=2"])
    np.testing.assert_array_equal(X.to_numpy(), [[1, 0], [0, 1], [1, 0]])


def test_missing_and_text_feature_columns_are_named():
    frame = pd.DataFrame({"a": [1.0], "c": ["x"]})
    with pytest.raises(ValueError, match=r"missing the feature column\(s\) the model needs: 'b' \(1 of 2"):
        apply.feature_frame(frame, ["a", "b"])
    with pytest.raises(ValueError, match="The column 'c' holds text \\('x'\\)"):
        apply.feature_frame(frame, ["a", "c"])


def test_targets_become_class_indices_or_values():
    rows, y = apply.targets(pd.Series([1.0, np.nan, 0.0], name="t"), ["0", "1"])
    np.testing.assert_array_equal(rows, [True, False, True])
    np.testing.assert_array_equal(y, [1, 0])
    rows, y = apply.targets(pd.Series([2.5, 3.5], name="t"), None)
    np.testing.assert_array_equal(y, [2.5, 3.5])
    with pytest.raises(ValueError, match="label\\(s\\) the model does not know: 'purple'"):
        apply.targets(pd.Series(["red", "purple"], name="t"), ["blue", "red"])
    with pytest.raises(ValueError, match="holds text, but this model predicts numbers"):
        apply.targets(pd.Series(["a", "b"], name="t"), None)


def test_probabilities_and_score_of_a_binary_model():
    ds = nn_core.generate("moons", n=60, seed=0)
    pre = nn_core.Preprocessing.fit(ds.X, ds.feature_names, target_name=ds.target_name,
                                    class_names=ds.class_names, problem_type=ds.problem_type)
    model = nn_core.Model(pre, nn_core.MLP([2, 4, 1], seed=0))
    p = model.predict_proba(ds.X)
    np.testing.assert_array_equal(apply.probabilities(model, ds.X), np.column_stack([1 - p, p]))
    name, value = apply.score(model, ds.X, ds.y)
    assert name == "Accuracy" and value == pytest.approx(np.mean((p >= 0.5) == ds.y))
