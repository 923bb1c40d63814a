"""Data sets: the Dataset type, the generators, make_dataset's inference, the bundled files."""

import math

import numpy as np
import pandas as pd
import pytest

from nn_core.data import (
    BUNDLED,
    GENERATORS,
    Dataset,
    bundled,
    generate,
    load_bundled,
    make_dataset,
)

CLASSIFIERS = [name for name, info in GENERATORS.items() if info.problem_type != "regression"]
REGRESSORS = [name for name, info in GENERATORS.items() if info.problem_type == "regression"]


# --------------------------------------------------------------------------- #
# Dataset
# --------------------------------------------------------------------------- #


def test_dataset_properties_and_coercion() -> None:
    ds = Dataset(
        X=[[1, 2], [3, 4], [5, 6]],
        y=[0, 1, 1],
        feature_names=["a", "b"],
        class_names=["no", "yes"],
        target_name="t",
        problem_type="binary",
    )
    assert ds.X.dtype == np.float64 and ds.y.dtype == np.int64
    assert (ds.n_samples, ds.n_features, ds.n_classes) == (3, 2, 2)
    assert ds.name == "" and ds.notes == ()
    assert "3 samples x 2 features" in repr(ds)


def test_regression_dataset_has_no_classes() -> None:
    ds = Dataset(np.zeros((2, 1)), [0.5, 1.5], ["a"], None, "t", "regression")
    assert ds.y.dtype == np.float64
    assert ds.n_classes == 0


def test_dataset_is_frozen() -> None:
    ds = generate("moons", n=10)
    with pytest.raises(AttributeError):
        ds.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y": [0, 1]}, "shape"),
        ({"feature_names": ["a"]}, "feature names"),
        ({"problem_type": "ranking"}, "problem_type"),
        ({"class_names": None}, "class_names"),
        ({"y": [0, 1, 2]}, "class indices"),
    ],
)
def test_inconsistent_dataset_is_refused(kwargs: dict, message: str) -> None:
    args = {
        "X": np.zeros((3, 2)),
        "y": [0, 1, 0],
        "feature_names": ["a", "b"],
        "class_names": ["0", "1"],
        "target_name": "t",
        "problem_type": "binary",
    }
    with pytest.raises(ValueError, match=message):
        Dataset(**{**args, **kwargs})


# --------------------------------------------------------------------------- #
# Generators
# --------------------------------------------------------------------------- #


def test_registry_lists_the_nine_generators() -> None:
    assert list(GENERATORS) == [
        "moons", "circles", "xor", "spirals", "blobs", "linear", "checkerboard", "plane", "gaussians",
    ]  # fmt: skip
    for name, info in GENERATORS.items():
        assert info.name == name
        assert info.label and info.description.endswith(".")
        assert info.problem_type in ("binary", "multiclass", "regression")
        assert info.supports_classes == (name in ("spirals", "blobs"))


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classification_sets_have_shapes_types_and_names(name: str) -> None:
    ds = generate(name, n=150)
    assert ds.X.shape == (150, 2) and ds.X.dtype == np.float64
    assert ds.y.shape == (150,) and ds.y.dtype == np.int64
    assert ds.feature_names == ["x1", "x2"]
    assert ds.class_names == ["0", "1"] and ds.problem_type == "binary"
    assert ds.name == name
    assert np.all(np.isfinite(ds.X))
    assert np.abs(ds.X).max() < 8  # about [-6, 6] with light noise


@pytest.mark.parametrize("name", REGRESSORS)
def test_regression_sets_return_float_targets(name: str) -> None:
    ds = generate(name, n=120, noise=0.0)
    assert ds.problem_type == "regression" and ds.class_names is None and ds.n_classes == 0
    assert ds.y.dtype == np.float64 and ds.y.shape == (120,)
    assert ds.X.shape == (120, 2) and np.abs(ds.X).max() <= 6.0
    assert np.unique(ds.y).size == 120  # continuous, not labels
    assert -1.0 <= ds.y.min() and ds.y.max() <= 1.0


@pytest.mark.parametrize("name", ["spirals", "blobs"])
@pytest.mark.parametrize("classes", [3, 7, 10])
def test_multiclass_generators_make_k_classes(name: str, classes: int) -> None:
    ds = generate(name, n=100, classes=classes)
    assert ds.problem_type == "multiclass"
    assert ds.class_names == [str(c) for c in range(classes)]
    assert set(np.unique(ds.y)) == set(range(classes))


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("n", [4, 101, 200])
def test_classes_are_balanced(name: str, n: int) -> None:
    counts = np.bincount(generate(name, n=n).y)
    assert counts.sum() == n
    assert counts.max() - counts.min() <= 1


def test_uneven_split_over_three_classes() -> None:
    counts = np.bincount(generate("blobs", n=200, classes=3).y)
    assert sorted(counts) == [66, 67, 67]


def test_rows_are_shuffled_not_grouped_by_class() -> None:
    y = generate("moons", n=200).y
    assert np.count_nonzero(np.diff(y)) > 50


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generation_is_deterministic(name: str) -> None:
    a = generate(name, n=300, noise=0.2, seed=11)
    b = generate(name, n=300, noise=0.2, seed=11)
    assert a.X.tobytes() == b.X.tobytes() and a.y.tobytes() == b.y.tobytes()
    c = generate(name, n=300, noise=0.2, seed=12)
    assert not np.array_equal(a.X, c.X)


def test_noise_is_gaussian_jitter_of_std_two_times_noise() -> None:
    clean = generate("circles", n=4000, noise=0.0, seed=5)
    noisy = generate("circles", n=4000, noise=0.3, seed=5)
    np.testing.assert_array_equal(clean.y, noisy.y)
    jitter = noisy.X - clean.X
    assert jitter.std() == pytest.approx(0.6, rel=0.05)
    assert abs(jitter.mean()) < 0.05


def test_regression_noise_is_added_to_the_target() -> None:
    ds = generate("plane", n=4000, noise=0.2, seed=2)
    residual = ds.y - (ds.X[:, 0] + 2 * ds.X[:, 1]) / 18
    assert residual.std() == pytest.approx(0.2, rel=0.05)


def _radius(X: np.ndarray) -> np.ndarray:
    return np.hypot(X[:, 0], X[:, 1])


def test_clean_circles_separate_by_radius() -> None:
    ds = generate("circles", n=1000, noise=0.0)
    r = _radius(ds.X)
    assert r[ds.y == 1].max() <= 2.5  # inner disc, radius 0.5 x 5
    assert r[ds.y == 0].min() >= 3.5  # outer ring from 0.7 x 5
    assert r[ds.y == 0].max() <= 5.0


def test_noisy_circles_overlap() -> None:
    ds = generate("circles", n=1000, noise=0.5)
    r = _radius(ds.X)
    assert r[ds.y == 1].max() > r[ds.y == 0].min()


def test_clean_xor_label_is_the_sign_of_x1_times_x2() -> None:
    ds = generate("xor", n=1000, noise=0.0)
    product = ds.X[:, 0] * ds.X[:, 1]
    np.testing.assert_array_equal(ds.y, (product < 0).astype(int))
    assert np.abs(ds.X).min() >= 0.3  # kept off the axes
    assert np.bincount(np.sign(ds.X[:, 0]).astype(int) + 1)[[0, 2]].min() > 400


def test_clean_linear_set_is_split_by_its_documented_line() -> None:
    ds = generate("linear", n=1000, noise=0.0)
    distance = ds.X @ np.array([0.5, math.sqrt(3) / 2])  # normal at 60 degrees
    np.testing.assert_array_equal(ds.y, (distance > 0).astype(int))
    assert np.abs(distance).min() >= 0.5  # margin 0.1 x 5


def test_clean_checkerboard_label_is_the_cell_parity() -> None:
    ds = generate("checkerboard", n=1000, noise=0.0)
    column = np.floor((ds.X[:, 0] + 5) / 2.5)
    row = np.floor((ds.X[:, 1] + 5) / 2.5)
    np.testing.assert_array_equal(ds.y, ((column + row) % 2).astype(int))
    assert len({(c, r) for c, r in zip(column, row, strict=True)}) == 16


def test_clean_moons_lie_on_two_unit_half_circles() -> None:
    ds = generate("moons", n=500, noise=0.0)
    moon = ds.X / 5 * 1.5 + [0.5, 0.25]  # back to scikit-learn's moon coordinates
    outer, inner = moon[ds.y == 0], moon[ds.y == 1]
    np.testing.assert_allclose(_radius(outer), 1.0)
    assert outer[:, 1].min() >= -1e-12
    np.testing.assert_allclose(_radius(inner - [1.0, 0.5]), 1.0)
    assert inner[:, 1].max() <= 0.5 + 1e-12


def test_clean_spirals_wind_from_the_centre() -> None:
    ds = generate("spirals", n=600, noise=0.0, classes=3)
    r = _radius(ds.X)
    assert r.min() >= 0.25 - 1e-9 and r.max() <= 5.0 + 1e-9
    # on arm c the angle is 2 pi (1.75 t + c/3) with r = 5 (0.05 + 0.95 t)
    t = (r / 5 - 0.05) / 0.95
    expected = 2 * np.pi * (1.75 * t + ds.y / 3)
    angle = np.arctan2(ds.X[:, 1], ds.X[:, 0])
    np.testing.assert_allclose(np.cos(angle - expected), 1.0, atol=1e-9)


def test_clean_blobs_are_tight_and_apart() -> None:
    ds = generate("blobs", n=1000, noise=0.0, classes=4)
    centres = np.array([ds.X[ds.y == c].mean(axis=0) for c in range(4)])
    np.testing.assert_allclose(_radius(centres), 3.5, atol=0.1)
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(4) for j in range(i)]
    spread = max(ds.X[ds.y == c].std(axis=0).max() for c in range(4))
    assert spread < 0.5 and min(gaps) > 6 * spread


def test_clean_plane_is_the_documented_plane() -> None:
    ds = generate("plane", n=50, noise=0.0)
    np.testing.assert_allclose(ds.y, (ds.X[:, 0] + 2 * ds.X[:, 1]) / 18)


def test_clean_gaussians_are_the_sum_of_six_bumps() -> None:
    ds = generate("gaussians", n=2000, noise=0.0)
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    expected = sum(
        s * np.exp(-((ds.X[:, 0] - cx) ** 2 + (ds.X[:, 1] - cy) ** 2) / (2 * 1.25**2))
        for cx, cy, s in bumps
    )
    np.testing.assert_allclose(ds.y, expected)
    near = np.hypot(ds.X[:, 0] + 4, ds.X[:, 1] - 2.5) < 0.5
    assert near.any() and (ds.y[near] > 0.8).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "swirl"}, "Unknown data set 'swirl'; choose one of: moons, circles"),
        ({"n": 3}, "n must be a whole number from 4 to 200,000; got 3"),
        ({"n": 200_001}, "n must be"),
        ({"n": 10.5}, "n must be"),
        ({"noise": -0.1}, "noise must be a finite number"),
        ({"noise": float("nan")}, "noise must be"),
        ({"noise": float("inf")}, "noise must be"),
        ({"seed": -1}, "seed must be"),
        ({"name": "spirals", "classes": 1}, "classes must be a whole number from 2 to 10"),
        ({"name": "blobs", "classes": 11}, "classes must be"),
        ({"name": "moons", "classes": 3}, "two classes; classes=3 only applies to spirals, blobs"),
        ({"name": "plane", "classes": 3}, "numeric target"),
        ({"name": "blobs", "n": 10, "classes": 6}, "too few points"),
    ],
)
def test_bad_generator_arguments_are_refused(kwargs: dict, message: str) -> None:
    args = {"name": "moons", **kwargs}
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        generate(**args)


# --------------------------------------------------------------------------- #
# make_dataset: problem type inference
# --------------------------------------------------------------------------- #


def _frame(target: list, **extra: list) -> pd.DataFrame:
    n = len(target)
    return pd.DataFrame({"a": np.arange(n, dtype=float), "b": np.ones(n), **extra, "t": target})


def test_two_text_values_make_a_binary_target_sorted() -> None:
    ds = make_dataset(_frame(["yes", "no", "yes", "no"]), "t")
    assert ds.problem_type == "binary"
    assert ds.class_names == ["no", "yes"]
    np.testing.assert_array_equal(ds.y, [1, 0, 1, 0])
    assert ds.feature_names == ["a", "b"] and ds.target_name == "t"


def test_two_numbers_make_a_binary_target_named_like_ints() -> None:
    ds = make_dataset(_frame([1.0, 2.0, 2.0, 1.0]), "t")
    assert ds.problem_type == "binary"
    assert ds.class_names == ["1", "2"]
    np.testing.assert_array_equal(ds.y, [0, 1, 1, 0])


def test_few_integers_make_a_multiclass_target_sorted_numerically() -> None:
    ds = make_dataset(_frame([10, 2, 1, 2, 10, 1]), "t")
    assert ds.problem_type == "multiclass"
    assert ds.class_names == ["1", "2", "10"]  # numeric order, not "1", "10", "2"
    np.testing.assert_array_equal(ds.y, [2, 1, 0, 1, 2, 0])
    assert ds.y.dtype == np.int64


def test_text_classes_make_a_multiclass_target() -> None:
    ds = make_dataset(_frame(["Gentoo", "Adelie", "Chinstrap", "Adelie"]), "t")
    assert ds.problem_type == "multiclass" and ds.n_classes == 3
    assert ds.class_names == ["Adelie", "Chinstrap", "Gentoo"]
    np.testing.assert_array_equal(ds.y, [2, 0, 1, 0])


def test_twenty_integer_values_are_classes_and_twenty_one_are_a_regression() -> None:
    assert make_dataset(_frame(list(range(20))), "t").problem_type == "multiclass"
    ds = make_dataset(_frame(list(range(21))), "t")
    assert ds.problem_type == "regression" and ds.class_names is None
    assert ds.y.dtype == np.float64


def test_fractional_numbers_make_a_regression_target() -> None:
    ds = make_dataset(_frame([0.5, 1.5, 2.5, 0.5]), "t")
    assert ds.problem_type == "regression"
    np.testing.assert_array_equal(ds.y, [0.5, 1.5, 2.5, 0.5])


def test_a_single_class_is_refused() -> None:
    with pytest.raises(ValueError, match=r"The target column 't' has only one class \('v'\)"):
        make_dataset(_frame(["v", "v", "v"]), "t")
    with pytest.raises(ValueError, match=r"only one class \('1'\).*at least two"):
        make_dataset(_frame([1.0, 1.0]), "t")


def test_too_many_text_classes_are_refused() -> None:
    with pytest.raises(ValueError, match="21 distinct values; a class target can have at most 20"):
        make_dataset(_frame([f"name{i}" for i in range(21)]), "t")


def test_problem_type_overrides_the_inference() -> None:
    as_regression = make_dataset(_frame([0, 1, 1, 0]), "t", problem_type="regression")
    assert as_regression.problem_type == "regression"
    np.testing.assert_array_equal(as_regression.y, [0.0, 1.0, 1.0, 0.0])
    as_multiclass = make_dataset(_frame(["a", "b", "a"]), "t", problem_type="multiclass")
    assert as_multiclass.problem_type == "multiclass" and as_multiclass.class_names == ["a", "b"]


def test_impossible_overrides_are_refused() -> None:
    with pytest.raises(ValueError, match="3 distinct values, so it is not binary"):
        make_dataset(_frame([0, 1, 2]), "t", problem_type="binary")
    with pytest.raises(ValueError, match="holds text, so it cannot be a regression target"):
        make_dataset(_frame(["a", "b", "c"]), "t", problem_type="regression")
    with pytest.raises(ValueError, match="problem_type must be one of"):
        make_dataset(_frame([0, 1]), "t", problem_type="ordinal")


# --------------------------------------------------------------------------- #
# make_dataset: columns and missing values
# --------------------------------------------------------------------------- #


def test_default_features_are_the_numeric_columns_but_the_target() -> None:
    frame = _frame([0, 1, 0], island=["x", "y", "x"])
    ds = make_dataset(frame, "t")
    assert ds.feature_names == ["a", "b"]
    np.testing.assert_array_equal(ds.X, [[0, 1], [1, 1], [2, 1]])
    assert ds.X.dtype == np.float64


def test_chosen_features_keep_their_order() -> None:
    ds = make_dataset(_frame([0, 1, 0]), "t", ["b", "a"])
    np.testing.assert_array_equal(ds.X[:, 1], [0, 1, 2])


def test_text_feature_is_refused_suggesting_one_hot() -> None:
    frame = _frame([0, 1, 0], island=["Dream", "Biscoe", "Dream"])
    with pytest.raises(
        ValueError, match=r"column 'island' holds text \('Dream', 'Biscoe'\).*One-hot"
    ):
        make_dataset(frame, "t", ["a", "island"])


@pytest.mark.parametrize(
    "target, features, message",
    [
        ("nope", None, "There is no column 'nope'; the columns are: a, b, t"),
        ("t", ["a", "zz"], "There is no column 'zz'"),
        ("t", ["a", "t"], "is the target"),
        ("t", ["a", "a"], "more than once"),
        ("t", [], "at least one feature"),
    ],
)
def test_bad_columns_are_refused(target: str, features: list | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_dataset(_frame([0, 1, 0]), target, features)


def test_rows_with_a_missing_target_are_dropped_with_a_note() -> None:
    ds = make_dataset(_frame(["a", None, "b", np.nan, "a"]), "t")
    assert ds.n_samples == 3
    np.testing.assert_array_equal(ds.X[:, 0], [0, 2, 4])
    assert ds.notes == ("Dropped 2 rows whose target 't' was missing.",)


def test_blank_and_infinite_targets_count_as_missing() -> None:
    ds = make_dataset(_frame(["a", "  ", "b", ""]), "t")
    assert ds.n_samples == 2 and ds.notes == ("Dropped 2 rows whose target 't' was missing.",)
    reg = make_dataset(_frame([0.5, np.inf, 1.5, 2.25]), "t")
    assert reg.problem_type == "regression" and reg.n_samples == 3


def test_repeated_column_names_are_refused() -> None:
    frame = pd.DataFrame([[1, 2, 0], [3, 4, 1]], columns=["a", "a", "t"])
    with pytest.raises(ValueError, match="The column name 'a' appears more than once"):
        make_dataset(frame, "t")


def test_missing_features_are_dropped_by_default_and_counted() -> None:
    frame = _frame([0, 1, 1, 0, 0], c=[1.0, np.nan, 3.0, np.inf, 5.0])
    ds = make_dataset(frame, "t")
    assert ds.n_samples == 3
    np.testing.assert_array_equal(ds.X[:, 2], [1.0, 3.0, 5.0])
    np.testing.assert_array_equal(ds.y, [0, 1, 0])  # rows 0, 2, 4
    assert "Dropped 2 rows with a missing feature value." in ds.notes


def test_missing_features_can_be_kept_as_nan() -> None:
    frame = _frame([0, 1, 0, 1], c=[1.0, np.nan, 3.0, -np.inf])
    ds = make_dataset(frame, "t", missing="keep")
    assert ds.n_samples == 4
    assert np.isnan(ds.X[[1, 3], 2]).all() and np.isfinite(ds.X[[0, 2], 2]).all()
    assert any("Kept 2 rows" in note for note in ds.notes)


def test_no_rows_left_is_refused_naming_the_worst_column() -> None:
    frame = _frame([0, 1, 0], c=[np.nan, np.nan, np.nan])
    with pytest.raises(ValueError, match="No rows are left.*'c' alone is missing in 3 of 3 rows"):
        make_dataset(frame, "t")


def test_bad_missing_option_is_refused() -> None:
    with pytest.raises(ValueError, match="missing must be 'drop' or 'keep'"):
        make_dataset(_frame([0, 1]), "t", missing="median")


def test_make_dataset_accepts_the_output_of_load_csv() -> None:
    from nn_core.data.csv import load_csv

    data = b"x,y,kind\n1,2,cat\n3,,dog\n5,6,cat\n7,8,bird\n9,10,dog\n"
    frame, _ = load_csv(data)
    ds = make_dataset(frame, "kind", name="pets")
    assert ds.problem_type == "multiclass" and ds.class_names == ["bird", "cat", "dog"]
    np.testing.assert_array_equal(ds.y, [1, 1, 0, 2])
    assert ds.name == "pets" and ds.notes == ("Dropped 1 row with a missing feature value.",)


def test_classes_are_counted_after_rows_are_dropped() -> None:
    frame = _frame(["cat", "dog", "cat", "bird"], c=[1.0, np.nan, 2.0, 3.0])
    ds = make_dataset(frame, "t")
    assert ds.problem_type == "binary" and ds.class_names == ["bird", "cat"]


# --------------------------------------------------------------------------- #
# Bundled data
# --------------------------------------------------------------------------- #


def test_bundled_registry() -> None:
    assert set(BUNDLED) == {"diabetes", "penguins", "breast_cancer"}
    for key, info in BUNDLED.items():
        assert info.name == key and info.label and info.description and info.source
        assert info.file_name.endswith(".csv")
    assert BUNDLED["diabetes"].target == "Diabetes"
    assert "CC0" in BUNDLED["penguins"].source
    assert "CC BY 4.0" in BUNDLED["breast_cancer"].source


def test_penguins_load_as_three_species() -> None:
    ds = load_bundled("penguins")
    assert ds.problem_type == "multiclass"
    assert ds.class_names == ["Adelie", "Chinstrap", "Gentoo"]
    assert ds.feature_names == [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ]
    assert ds.n_samples == 342  # 344 rows, 2 without measurements
    np.testing.assert_array_equal(np.bincount(ds.y), [151, 68, 123])
    assert "Dropped 2 rows with a missing feature value." in ds.notes
    np.testing.assert_array_equal(ds.X[0], [39.1, 18.7, 181, 3750])  # first row of the file


def test_breast_cancer_loads_as_binary_with_30_features() -> None:
    ds = load_bundled("breast_cancer")
    assert (ds.n_samples, ds.n_features) == (569, 30)
    assert ds.problem_type == "binary" and ds.class_names == ["benign", "malignant"]
    assert int(ds.y.sum()) == 212  # malignant
    assert ds.feature_names[0] == "mean radius" and ds.notes == ()
    assert ds.X[0, 0] == pytest.approx(17.99)


def test_diabetes_loader_smoke() -> None:
    if not (bundled.DATA_DIR / "diabetes.csv").is_file():
        pytest.skip("data/diabetes.csv is not there yet")
    ds = load_bundled("diabetes")
    assert ds.target_name == "Diabetes" and ds.problem_type == "binary"
    assert ds.feature_names[:2] == ["Glucose", "BloodPressure"]


def test_unknown_bundled_name_is_refused() -> None:
    with pytest.raises(
        ValueError, match="Unknown bundled data set 'iris'; choose one of: diabetes"
    ):
        load_bundled("iris")


def test_missing_bundled_file_says_how_to_recreate_it(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(bundled, "DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="README"):
        load_bundled("penguins")
