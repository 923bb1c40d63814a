"""The seed article's single neuron, replayed as written, beside the correct version.

"Neural Network From Scratch in Python" trains one sigmoid neuron on
Glucose and BloodPressure to predict Diabetes. Its training loop is kept here,
mistakes included, as a documented contrast; it is never used by the engine.
``ARTICLE_MISTAKES`` lists what goes wrong; ``correct_single_neuron`` is the
same neuron done properly with the engine.

``replay_article`` runs the article's loop line for line. The only changes are
the two shape fixes it needs to run at all: labels as a column ``(n, 1)``, so
``error`` is ``(n, 1)``, and weights as a column ``(2, 1)``, since
``np.dot(features, weights)`` rejects the article's ``(1, 2)`` row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .data.bundled import DATA_DIR
from .validation import check_features

if TYPE_CHECKING:
    from .network import MLP
    from .preprocessing import Standardizer

BUNDLED_DIABETES_CSV = DATA_DIR / "diabetes.csv"
FEATURE_NAMES = ("Glucose", "BloodPressure")
TARGET_NAME = "Diabetes"

ARTICLE_CODE_LR = 4e-7
"""The rate that reproduces the article's printed output (499.0 for many epochs, then falling)."""
ARTICLE_TEXT_LR = 4e-4
"""The rate the article's text states. Every epoch overshoots: the "loss" flips sign each
epoch, exactly +499 (every row predicted 1) and -501 (every row predicted 0) at first."""
ARTICLE_EPOCHS = 100
ARTICLE_SEED = 10

ARTICLE_MISTAKES: tuple[tuple[str, str], ...] = (
    (
        "A double sigmoid in the derivative",
        "sigmoid_derivative(predictions) computes sigma'(sigma(z)), not sigma'(z) = p(1 - p), "
        "so the slope is stuck between 0.197 and 0.25 whatever the neuron outputs.",
    ),
    (
        "The signed sum of errors as the loss",
        "Positive and negative errors cancel: 499 only counts the non-diabetic rows when every "
        "row is predicted 1, and a useless model can print 0.",
    ),
    (
        "Raw, unscaled inputs",
        "Glucose near 90 times a weight near 0.8 puts z near 70, where the sigmoid is exactly "
        "1.0; the raw-unit gradient is so large that the learning rate must be about 4e-7.",
    ),
    (
        "The bias updated outside the loop",
        "The bias is changed once, after training, from the last epoch's products, so it never "
        "learns during training.",
    ),
    (
        "No held-out data",
        "Accuracy on the training rows says nothing about new patients; keep a test split the "
        "model never sees.",
    ),
    (
        "A squared-error gradient through a sigmoid",
        "error * sigma'(z) is the squared-error gradient, which vanishes when the sigmoid "
        "saturates; binary cross-entropy's gradient is simply p - y.",
    ),
    (
        "A summed, not averaged, gradient",
        "Summing over all 1,000 rows ties the usable learning rate to the number of rows; "
        "averaging makes it independent of the data set's size.",
    ),
    (
        "Text and code disagree on the learning rate",
        "The text says 0.0004, but the printed output needs about 4e-7; at 0.0004 every epoch "
        "overshoots and the loss flips sign each epoch: +499, -501, +499, ...",
    ),
)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The article's ``1 / (1 + exp(-x))``: exactly 1.0 for ``x`` above about 36.7."""
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x: np.ndarray) -> np.ndarray:
    """``sigma(x) (1 - sigma(x))``: right for ``x = z``; the article passes ``x = sigma(z)``."""
    return sigmoid(x) * (1 - sigmoid(x))


@dataclass(frozen=True)
class ArticleReplay:
    """One run of the article's loop.

    ``printed_losses[e]`` is what epoch ``e`` prints (the signed error sum).
    Weights have shape ``(2, 1)`` in raw units (Glucose, BloodPressure);
    biases shape ``(1,)``. ``train_accuracy`` is measured, as the article
    does, on the rows it trained on (threshold 0.5).
    """

    printed_losses: list[float]
    weights: np.ndarray
    bias: np.ndarray
    initial_weights: np.ndarray
    initial_bias: np.ndarray
    learning_rate: float
    epochs: int
    train_accuracy: float


def replay_article(
    features,
    labels,
    *,
    learning_rate: float = ARTICLE_CODE_LR,
    epochs: int = ARTICLE_EPOCHS,
    seed: int = ARTICLE_SEED,
) -> ArticleReplay:
    """Run the article's training loop on ``features (n, 2)`` and 0/1 ``labels (n,)``.

    The initial values are the article's ``np.random.seed(seed);
    weights = np.random.rand(2, 1); bias = np.random.rand(1)``, drawn from a
    private ``RandomState`` so NumPy's global random state is left alone.
    """
    features = check_features(features, n_features=2, name="features")
    labels = _check_binary_labels(labels, features.shape[0])
    if int(epochs) < 1:
        raise ValueError(
            f"epochs must be at least 1 (the bias update reads the last epoch); got {epochs}."
        )
    rng = np.random.RandomState(seed)
    initial_weights = rng.rand(2, 1)
    initial_bias = rng.rand(1)

    weights, bias = initial_weights, initial_bias
    printed_losses = []
    # exp(-x) overflows to inf for very negative x, which makes the sigmoid exactly 0 as
    # in the article; the warning would only be noise.
    with np.errstate(over="ignore"):
        for _ in range(int(epochs)):
            inputs = features
            in_o = np.dot(inputs, weights) + bias
            predictions = sigmoid(in_o)
            error = predictions - labels
            printed_losses.append(float(error.sum()))  # the article's print(error.sum())
            deriv_cost = error
            # sigma'(sigma(z)), not sigma'(z): the double sigmoid.
            deriv_predictions = sigmoid_derivative(predictions)
            deriv_product = deriv_cost * deriv_predictions
            inputs = features.T
            weights = weights - learning_rate * np.dot(inputs, deriv_product)
        for i in deriv_product:  # once, after the epoch loop, from the last epoch's products
            bias = bias - learning_rate * i
        predicted = sigmoid(np.dot(features, weights) + bias) >= 0.5

    return ArticleReplay(
        printed_losses=printed_losses,
        weights=weights,
        bias=bias,
        initial_weights=initial_weights,
        initial_bias=initial_bias,
        learning_rate=float(learning_rate),
        epochs=int(epochs),
        train_accuracy=float(np.mean(predicted == labels.astype(bool))),
    )


def read_bundled_diabetes() -> tuple[np.ndarray, np.ndarray]:
    """``data/diabetes.csv`` as ``features (1000, 2)`` (Glucose, BloodPressure) and ``labels (1000,)``."""
    table = pd.read_csv(BUNDLED_DIABETES_CSV)
    return table[list(FEATURE_NAMES)].to_numpy(), table[TARGET_NAME].to_numpy()


def replay_article_on_bundled(
    learning_rate: float = ARTICLE_CODE_LR, epochs: int = ARTICLE_EPOCHS
) -> ArticleReplay:
    """``replay_article`` on the bundled synthetic diabetes table."""
    return replay_article(*read_bundled_diabetes(), learning_rate=learning_rate, epochs=epochs)


@dataclass
class SingleNeuronFit:
    """The article's neuron trained correctly: ``P(Diabetes) = sigma(w . x + b)``.

    ``weights (2,)`` and ``bias`` are in raw units, so the model reads
    ``sigma(w1 * Glucose + w2 * BloodPressure + b)``; the net itself sees
    standardized inputs ``z = (x - feature_mean) / feature_scale``, with
    ``w = w_std / scale`` and ``b = b_std - sum(w_std * mean / scale)``.
    ``loss_curve`` is the mean binary cross-entropy per epoch on the training rows.
    """

    weights: np.ndarray
    bias: float
    standardized_weights: np.ndarray
    standardized_bias: float
    feature_mean: np.ndarray
    feature_scale: np.ndarray
    loss_curve: list[float] = field(repr=False)
    train_accuracy: float
    test_accuracy: float
    train_index: np.ndarray = field(repr=False)
    test_index: np.ndarray = field(repr=False)
    net: MLP = field(repr=False)
    standardizer: Standardizer = field(repr=False)

    @property
    def formula(self) -> str:
        """The fitted model in raw units, e.g. ``sigma(0.041*Glucose - 0.104*BloodPressure + 7.93)``."""
        w1, w2 = self.weights
        return (
            f"sigma({w1:.4g}*{FEATURE_NAMES[0]} {'-' if w2 < 0 else '+'} {abs(w2):.4g}*{FEATURE_NAMES[1]} "
            f"{'-' if self.bias < 0 else '+'} {abs(self.bias):.4g})"
        )


def correct_single_neuron(
    features,
    labels,
    *,
    test_fraction: float = 0.25,
    epochs: int = 300,
    learning_rate: float = 0.05,
    seed: int = 0,
) -> SingleNeuronFit:
    """One sigmoid neuron done right: standardize, cross-entropy, judge on held-out rows.

    A seeded stratified split keeps ``test_fraction`` of each class aside;
    the standardizer is fitted on the training rows only; an ``MLP`` with
    layer sizes ``[2, 1]`` and a sigmoid output (logistic regression) is
    trained with Adam on binary cross-entropy.
    """
    # Imported here: the replay above needs NumPy only, the engine only this function.
    from .metrics import accuracy
    from .network import MLP
    from .preprocessing import Standardizer, train_val_test_split

    features = check_features(features, n_features=2, name="features")
    labels = _check_binary_labels(labels, features.shape[0]).ravel().astype(np.int64)
    train, _, test = train_val_test_split(
        labels, val_fraction=0.0, test_fraction=test_fraction, seed=seed, stratify=True
    )
    standardizer = Standardizer().fit(features[train])
    z_train, z_test = (
        standardizer.transform(features[train]),
        standardizer.transform(features[test]),
    )
    net = MLP(layer_sizes=[2, 1], output="sigmoid", seed=seed)
    history = net.fit(
        z_train, labels[train], epochs=epochs, learning_rate=learning_rate, optimizer="adam"
    )

    w_std, b_std = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    return SingleNeuronFit(
        weights=w_std / standardizer.scale,
        bias=b_std - float(np.sum(w_std * standardizer.mean / standardizer.scale)),
        standardized_weights=w_std,
        standardized_bias=b_std,
        feature_mean=standardizer.mean,
        feature_scale=standardizer.scale,
        loss_curve=list(history.loss),
        train_accuracy=accuracy(labels[train], net.predict(z_train)),
        test_accuracy=accuracy(labels[test], net.predict(z_test)),
        train_index=train,
        test_index=test,
        net=net,
        standardizer=standardizer,
    )


def _check_binary_labels(labels, n_samples: int) -> np.ndarray:
    """Labels as a float column ``(n, 1)``: the shape the article's ``error`` needs."""
    arr = np.asarray(labels)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.shape[0] != n_samples:
        raise ValueError(
            f"labels must have shape ({n_samples},), one per row of features; got {arr.shape}."
        )
    if not np.isin(arr, (0, 1)).all():
        bad = arr[~np.isin(arr, (0, 1))][0]
        raise ValueError(f"labels must be 0 or 1 (Diabetes); found {bad!r}.")
    return arr.astype(np.float64).reshape(-1, 1)
