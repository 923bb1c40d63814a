"""The article's loop replayed on the bundled data, and the correct single neuron."""

import numpy as np
import pytest

from nn_core.article import (
    ARTICLE_CODE_LR,
    ARTICLE_MISTAKES,
    ARTICLE_TEXT_LR,
    read_bundled_diabetes,
    replay_article,
    replay_article_on_bundled,
)

try:
    from nn_core import MLP  # noqa: F401
except ImportError as exc:
    ENGINE_MISSING = f"nn_core.MLP is not importable yet ({exc}); the engine is needed here."
else:
    ENGINE_MISSING = ""


@pytest.fixture(scope="module")
def bundled():
    return read_bundled_diabetes()


@pytest.fixture(scope="module")
def code_lr_run():
    return replay_article_on_bundled(learning_rate=ARTICLE_CODE_LR, epochs=100)


@pytest.fixture(scope="module")
def text_lr_run():
    return replay_article_on_bundled(learning_rate=ARTICLE_TEXT_LR, epochs=100)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_learning_rate_constants():
    assert ARTICLE_CODE_LR == 4e-7
    assert ARTICLE_TEXT_LR == 4e-4


def test_initial_values_are_the_articles_global_seed_draws():
    saved = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(10)  # noqa: NPY002 - the article's own calls are the oracle
        expected_weights = np.random.rand(2, 1)  # noqa: NPY002
        expected_bias = np.random.rand(1)  # noqa: NPY002
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    X, y = read_bundled_diabetes()
    run = replay_article(X, y, epochs=1, seed=10)
    assert run.initial_weights.shape == (2, 1)
    assert run.initial_bias.shape == (1,)
    np.testing.assert_array_equal(run.initial_weights, expected_weights)
    np.testing.assert_array_equal(run.initial_bias, expected_bias)


def test_replay_leaves_global_random_state_untouched(bundled):
    saved = np.random.get_state()  # noqa: NPY002
    try:
        # A state no replay could produce, so reseeding with 10 inside would show.
        np.random.seed(2024)  # noqa: NPY002
        before = np.random.get_state()  # noqa: NPY002
        replay_article(*bundled, epochs=3)
        after = np.random.get_state()  # noqa: NPY002
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_code_lr_prints_exactly_499_while_every_row_is_saturated(code_lr_run):
    # sigma(z) is exactly 1.0 for z > ~36.7: every row predicted 1, so the signed error
    # sum counts the 499 non-diabetic rows.
    assert code_lr_run.printed_losses[:5] == [499.0] * 5


def test_code_lr_falls_below_450_within_100_epochs(code_lr_run):
    losses = np.array(code_lr_run.printed_losses)
    assert len(losses) == 100
    assert losses.min() < 450
    assert np.all(losses <= 499.0)


def test_text_lr_flips_sign_every_epoch(text_lr_run):
    losses = np.array(text_lr_run.printed_losses)
    assert np.all(np.sign(losses[1:]) == -np.sign(losses[:-1]))
    assert losses[0] > 0


def test_text_lr_opens_with_all_ones_then_all_zeros(text_lr_run):
    # Each step overshoots: every row predicted 1 (+499), then every row 0 (-501).
    opening = np.array(text_lr_run.printed_losses[:9])
    expected = np.where(np.arange(9) % 2 == 0, 499.0, -501.0)
    np.testing.assert_allclose(opening, expected, atol=3)


def test_bias_is_updated_once_from_the_last_epochs_products(bundled):
    X, y = bundled
    lr, epochs = ARTICLE_CODE_LR, 100
    before_last = replay_article(X, y, learning_rate=lr, epochs=epochs - 1)
    run = replay_article(X, y, learning_rate=lr, epochs=epochs)
    # The last epoch by hand, with the *initial* bias: it must not have moved in the loop.
    predictions = _sigmoid(X.astype(float) @ before_last.weights + run.initial_bias)
    error = predictions - y.reshape(-1, 1)
    products = error * _sigmoid(predictions) * (1 - _sigmoid(predictions))
    np.testing.assert_allclose(run.weights, before_last.weights - lr * X.T @ products, rtol=1e-12)
    np.testing.assert_allclose(run.bias, run.initial_bias - lr * products.sum(), rtol=1e-12)
    assert not np.array_equal(run.bias, run.initial_bias)


def test_replay_records_its_settings(code_lr_run):
    assert code_lr_run.learning_rate == ARTICLE_CODE_LR
    assert code_lr_run.epochs == 100
    assert code_lr_run.weights.shape == (2, 1)
    assert code_lr_run.bias.shape == (1,)
    assert 0.0 <= code_lr_run.train_accuracy <= 1.0


def test_replay_rejects_bad_input(bundled):
    X, y = bundled
    with pytest.raises(ValueError, match="0 or 1"):
        replay_article(X, y + 1)
    with pytest.raises(ValueError, match="2 features"):
        replay_article(X[:, :1], y)
    with pytest.raises(ValueError, match="shape"):
        replay_article(X, y[:-1])
    with pytest.raises(ValueError, match="epochs"):
        replay_article(X, y, epochs=0)


def test_mistakes_cover_what_the_article_gets_wrong():
    assert all(
        len(item) == 2 and all(isinstance(s, str) and s for s in item) for item in ARTICLE_MISTAKES
    )
    titles = " | ".join(title.lower() for title, _ in ARTICLE_MISTAKES)
    for topic in ("double sigmoid", "signed sum", "unscaled", "bias", "held-out", "cross-entropy"):
        assert topic in titles or any(topic in why.lower() for _, why in ARTICLE_MISTAKES), topic


@pytest.fixture(scope="module")
def neuron(bundled):
    if ENGINE_MISSING:
        pytest.skip(ENGINE_MISSING)
    from nn_core.article import correct_single_neuron

    return correct_single_neuron(*bundled)


def test_correct_neuron_held_out_accuracy(neuron):
    assert 0.78 <= neuron.test_accuracy <= 0.92
    assert len(neuron.test_index) == 250
    assert len(neuron.loss_curve) > 1
    assert neuron.loss_curve[-1] < neuron.loss_curve[0]


def test_correct_neuron_standardizes_on_a_stratified_training_split(neuron, bundled):
    X, y = bundled
    assert not set(neuron.train_index) & set(neuron.test_index)
    assert int(y[neuron.test_index].sum()) in (125, 126)
    np.testing.assert_allclose(neuron.feature_mean, X[neuron.train_index].mean(axis=0))


def test_correct_neuron_raw_unit_formula_matches_the_net(neuron, bundled):
    X, _ = bundled
    raw = _sigmoid(X @ neuron.weights + neuron.bias)
    net = neuron.net.predict_proba(neuron.standardizer.transform(X))
    np.testing.assert_allclose(raw, net, rtol=1e-10, atol=1e-12)
    assert neuron.weights[0] > 0 > neuron.weights[1]
    assert "Glucose" in neuron.formula and "BloodPressure" in neuron.formula


def test_correct_neuron_agrees_with_scikit_learn(neuron, bundled):
    from sklearn.linear_model import LogisticRegression

    X, y = bundled
    X_train, y_train = X[neuron.train_index], y[neuron.train_index]
    z_train = (X_train - X_train.mean(axis=0)) / X_train.std(axis=0)
    reference = LogisticRegression(C=np.inf).fit(z_train, y_train)  # unpenalized
    np.testing.assert_allclose(neuron.standardized_weights, reference.coef_[0], atol=0.01)
    np.testing.assert_allclose(neuron.standardized_bias, reference.intercept_[0], atol=0.01)


def test_printed_loss_chart_keeps_its_y_title_short():
    """A y title taller than the plot pushed the chart's title out of view; the words go in the subtitle."""
    from ui.charts.article import printed_loss

    spec = printed_loss([499.0, 499.0, 300.0], "Learning rate 4e-7", "first epochs print 499.0").to_dict()
    line = spec["layer"][0]
    assert line["encoding"]["y"]["title"] == 'Printed "loss"'
    assert any("sum of the errors" in s for s in spec["title"]["subtitle"])
    assert spec["title"]["subtitle"][-1] == "first epochs print 499.0"
    assert line["mark"]["point"]["color"] == line["mark"]["color"]  # the dots in the line's colour
