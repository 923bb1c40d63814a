"""Standardizer, stratified split, Preprocessing and Model (predictions in raw units)."""

import warnings

import numpy as np
import pytest

import nn_core
from nn_core.preprocessing import Model, Preprocessing, Standardizer, train_val_test_split

H = 1e-5


def raw_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(loc=[50.0, -3.0], scale=[10.0, 0.5], size=(n, 2))


# --------------------------------------------------------------- Standardizer
def test_standardizer_uses_train_rows_only():
    X = raw_data()
    train, test = X[:30], X[30:]
    s = Standardizer().fit(train)
    means = [sum(train[:, j]) / 30 for j in range(2)]
    stds = [np.sqrt(sum((train[:, j] - means[j]) ** 2) / 30) for j in range(2)]
    np.testing.assert_allclose(s.mean, means, rtol=1e-13)
    np.testing.assert_allclose(s.scale, stds, rtol=1e-13)
    assert not np.allclose(s.mean, X.mean(axis=0), rtol=1e-6)  # not the mean of all rows
    np.testing.assert_allclose(s.transform(test), (test - means) / stds, rtol=1e-13)
    Z = s.transform(train)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-13)
    np.testing.assert_allclose(s.inverse_transform(Z), train, rtol=1e-13)


def test_standardizer_constant_column_gets_scale_one():
    X = np.column_stack([np.arange(5.0), np.full(5, 7.0)])
    s = Standardizer().fit(X)
    assert s.scale[1] == 1.0
    np.testing.assert_array_equal(s.transform(X)[:, 1], 0.0)


def test_standardizer_refuses_nan_and_unfitted_use():
    with pytest.raises(ValueError, match="NaN"):
        Standardizer().fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="not fitted"):
        Standardizer().transform(np.zeros((2, 1)))


# ---------------------------------------------------------------------- split
def test_stratified_split_proportions_and_partition():
    y = np.array([0] * 50 + [1] * 30 + [2] * 20)
    train, val, test = train_val_test_split(y, val_fraction=0.2, test_fraction=0.1, seed=3, stratify=True)
    every = np.concatenate([train, val, test])
    assert sorted(every.tolist()) == list(range(100))  # a partition: disjoint, complete
    for part in (train, val, test):
        assert np.array_equal(part, np.sort(part))
    for c, count in ((0, 50), (1, 30), (2, 20)):
        assert abs((y[val] == c).sum() - 0.2 * count) <= 1
        assert abs((y[test] == c).sum() - 0.1 * count) <= 1
    assert len(val) == 20 and len(test) == 10 and len(train) == 70


def test_stratified_split_keeps_a_rare_class_in_every_part():
    y = np.array([0] * 90 + [1] * 10)
    for seed in range(5):
        train, val, test = train_val_test_split(y, 0.2, 0.2, seed=seed)  # stratified by default for ints
        assert all((y[part] == 1).sum() == 2 for part in (val, test))
        assert (y[train] == 1).sum() == 6


def test_split_is_deterministic_and_seeded():
    y = np.arange(60) % 3
    a = train_val_test_split(y, 0.2, 0.2, seed=7)
    b = train_val_test_split(y, 0.2, 0.2, seed=7)
    c = train_val_test_split(y, 0.2, 0.2, seed=8)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[2], c[2])


def test_unstratified_split_sizes():
    y = np.linspace(0, 1, 50)  # float targets: not stratified by default
    train, val, test = train_val_test_split(y, 0.2, 0.3, seed=0)
    assert (len(train), len(val), len(test)) == (25, 10, 15)


@pytest.mark.parametrize(("val", "test"), [(-0.1, 0.2), (0.2, 1.0), (0.5, 0.5)])
def test_split_fractions_checked(val, test):
    with pytest.raises(ValueError, match="fraction"):
        train_val_test_split(np.arange(10) % 2, val, test)


# ------------------------------------------------------------- Preprocessing
def fitted_model(derived=(), output="sigmoid", seed=0):
    X = raw_data(seed=seed)
    train = X[:30]
    pre = Preprocessing.fit(train, ["age", "dose"], derived=list(derived))
    k = {"sigmoid": 1, "softmax": 3, "linear": 1}[output]
    net = nn_core.MLP([2 + len(derived), 6, k], activation="tanh", output=output, seed=seed)
    rng = np.random.default_rng(seed + 10)
    for W in net.weights:  # strong weights so that the probabilities move visibly
        W *= 2.0
    for b in net.biases:
        b[...] = rng.normal(scale=0.3, size=b.shape)
    return Model(pre, net), X, train


def hand_inputs(rows, train, derived=()):
    """The net's inputs computed by hand: derived columns, then train mean/std standardization."""
    def expand(A):
        cols = [A[:, 0], A[:, 1]]
        for name in derived:
            cols.append({"x1^2": A[:, 0] ** 2, "x1*x2": A[:, 0] * A[:, 1], "x2^2": A[:, 1] ** 2}[name])
        return np.column_stack(cols)

    T = expand(train)
    return (expand(rows) - T.mean(axis=0)) / T.std(axis=0)


@pytest.mark.parametrize("derived", [(), ("x1^2", "x1*x2")])
def test_model_predicts_from_raw_rows(derived):
    model, X, train = fitted_model(derived)
    rows = X[30:]
    Z = hand_inputs(rows, train, derived)
    np.testing.assert_allclose(model.transform(rows), Z, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(model.predict_proba(rows), model.net.predict_proba(Z), rtol=1e-12)
    np.testing.assert_array_equal(model.predict(rows), model.net.predict(Z))


def test_model_accepts_a_dataframe_by_column_name():
    pd = pytest.importorskip("pandas")
    model, X, _ = fitted_model()
    df = pd.DataFrame({"dose": X[:, 1], "other": 0.0, "age": X[:, 0]})
    np.testing.assert_allclose(model.predict_proba(df), model.predict_proba(X), rtol=1e-14)
    with pytest.raises(ValueError, match="dose"):
        model.predict_proba(df.drop(columns=["dose"]))


def numeric_raw_gradient(f, rows):
    cols = []
    for j in range(rows.shape[1]):
        up, down = rows.copy(), rows.copy()
        up[:, j] += H
        down[:, j] -= H
        cols.append((f(up) - f(down)) / (2 * H))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("derived", [(), ("x1^2", "x1*x2"), ("x2^2",)])
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_model_input_gradient_in_raw_units(derived, output):
    model, X, _ = fitted_model(derived, output)
    rows = X[30:36]
    got = model.input_gradient(rows)
    f = model.predict_proba if output != "linear" else model.predict
    expected = numeric_raw_gradient(f, rows)
    assert got.shape == expected.shape == ((6, 3, 2) if output == "softmax" else (6, 2))
    scale = np.abs(expected).max()
    assert scale > 1e-4  # the check is not vacuous
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7 * scale)


def test_missing_values_filled_with_training_medians():
    X = raw_data()
    train = X[:31].copy()
    train[[2, 5], 0] = np.nan
    train[7, 1] = np.nan
    pre = Preprocessing.fit(train, ["age", "dose"])
    age = np.sort(train[~np.isnan(train[:, 0]), 0])  # 29 values: the median is the 15th
    dose = np.sort(train[~np.isnan(train[:, 1]), 1])  # 30 values: mean of the 15th and 16th
    medians = [age[14], (dose[14] + dose[15]) / 2]
    np.testing.assert_allclose(pre.fill_values, medians, rtol=1e-15)
    assert pre.feature_stats["age"]["median"] == pytest.approx(medians[0])
    net = nn_core.MLP([2, 4, 1], seed=0)
    model = Model(pre, net)
    rows = np.array([[np.nan, -3.2], [48.0, np.nan], [np.nan, np.nan]])
    filled = np.array([[medians[0], -3.2], [48.0, medians[1]], medians])
    np.testing.assert_allclose(model.predict_proba(rows), model.predict_proba(filled), rtol=1e-14)
    # the standardization was fitted on the filled training rows
    train_filled = np.where(np.isnan(train), medians, train)
    np.testing.assert_allclose(pre.mean, train_filled.mean(axis=0), rtol=1e-13)


def test_model_with_class_names_and_mismatched_net():
    X = raw_data()
    pre = Preprocessing.fit(X, ["age", "dose"], class_names=["healthy", "sick"])
    model = Model(pre, nn_core.MLP([2, 3, 1], seed=0))
    assert set(model.predict(X)) <= {"healthy", "sick"}
    np.testing.assert_array_equal(model.predict(X) == "sick", model.predict_index(X) == 1)
    with pytest.raises(ValueError, match="3 inputs"):
        Model(pre, nn_core.MLP([3, 2, 1], seed=0))
    with pytest.raises(ValueError, match="expected 2 features, got 3"):
        model.predict_proba(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="infinite"):
        model.predict_proba(np.array([[np.inf, 0.0]]))


def test_preprocessing_refuses_a_column_without_values():
    X = raw_data()
    X[:, 1] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clear ValueError, not a RuntimeWarning first
        with pytest.raises(ValueError, match="'dose' has no values"):
            Preprocessing.fit(X, ["age", "dose"])


def test_regression_target_is_standardized_and_mapped_back():
    """A target in the thousands trains as easily as one near 1: the net learns (y - mean) / std."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(400, 2))
    y = 50_000.0 + 8_000.0 * X[:, 0] - 3_000.0 * X[:, 1]  # a plane, in "dollars"
    pre = Preprocessing.fit(X, ["a", "b"], problem_type="regression", y_train=y)
    assert pre.target_mean == pytest.approx(y.mean()) and pre.target_scale == pytest.approx(y.std())
    net = nn_core.MLP([2, 1], output="linear", seed=0)
    net.fit(pre.transform(X), pre.transform_target(y), epochs=400, learning_rate=0.05, optimizer="adam")
    model = Model(pre, net)
    pred = model.predict(X)
    assert np.abs(pred - y).max() < 50.0  # within 0.1% of the scale, in the target's own units
    # the what-if slope is in dollars per unit of input, matching the plane's coefficients
    g = model.input_gradient(X[:1])[0]
    np.testing.assert_allclose(g, [8_000.0, -3_000.0], rtol=1e-3)
    # and round-trips through a model file
    again = nn_core.loads(nn_core.dumps(model))
    np.testing.assert_array_equal(again.predict(X), pred)


def test_classification_targets_are_left_alone():
    pre = Preprocessing.fit(np.zeros((4, 1)) + np.arange(4)[:, None], ["a"], problem_type="binary",
                            y_train=np.array([0, 1, 0, 1]))
    assert pre.target_mean == 0.0 and pre.target_scale == 1.0
    np.testing.assert_array_equal(pre.transform_target([0, 1, 1]), [0, 1, 1])
