"""The seed article's page, as data: the replays, the correct neuron, and what a hidden layer adds.

All of it is a pure function of constants (the bundled file, fixed seeds), so
the page caches it for every visitor; nothing here depends on a user's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import nn_core
from nn_core import article
from nn_core.metrics import accuracy

from .budgets import ARTICLE_EPOCHS, check_article_hidden


@dataclass
class ArticlePage:
    code_rate: article.ArticleReplay
    text_rate: article.ArticleReplay
    neuron: article.SingleNeuronFit
    X: np.ndarray
    y: np.ndarray


def build() -> ArticlePage:
    X, y = article.read_bundled_diabetes()
    return ArticlePage(
        code_rate=article.replay_article(X, y, learning_rate=article.ARTICLE_CODE_LR),
        text_rate=article.replay_article(X, y, learning_rate=article.ARTICLE_TEXT_LR),
        neuron=article.correct_single_neuron(X, y),
        X=X,
        y=np.asarray(y).ravel().astype(np.int64),
    )


@dataclass
class HiddenLayerGain:
    hidden: tuple[int, ...]
    test_accuracy: float
    neuron_test_accuracy: float
    final_loss: float


def with_hidden_layer(page: ArticlePage, hidden: tuple[int, ...] = (8,), epochs: int = ARTICLE_EPOCHS,
                      on_epoch: Callable[[int, nn_core.History], bool | None] | None = None) -> HiddenLayerGain:
    """Train ``[2, *hidden, 1]`` on exactly the neuron's training rows and standardizer; score the same test rows.

    ``ValueError`` (a sentence) past the app's budgets (``ui.budgets.check_article_hidden``);
    ``on_epoch`` is ``fit``'s callback (the page's stop point).
    """
    fit = page.neuron
    refusal = check_article_hidden(hidden, len(fit.train_index))
    if refusal:
        raise ValueError(refusal)
    z_train = fit.standardizer.transform(page.X[fit.train_index])
    z_test = fit.standardizer.transform(page.X[fit.test_index])
    net = nn_core.MLP([2, *hidden, 1], activation="tanh", output="sigmoid", seed=0)
    history = net.fit(z_train, page.y[fit.train_index], epochs=epochs, learning_rate=0.05, optimizer="adam",
                      on_epoch=on_epoch)
    return HiddenLayerGain(hidden, accuracy(page.y[fit.test_index], net.predict(z_test)), fit.test_accuracy,
                           history.loss[-1])


def neuron_probability(fit: article.SingleNeuronFit, glucose: float, pressure: float) -> tuple[float, float]:
    """``(z, sigma(z))`` of the correct neuron for one patient, in raw units."""
    z = float(fit.weights[0] * glucose + fit.weights[1] * pressure + fit.bias)
    return z, float(1.0 / (1.0 + np.exp(-z))) if z >= 0 else float(np.exp(z) / (1.0 + np.exp(z)))


def equation_latex(fit: article.SingleNeuronFit, glucose: float, pressure: float) -> str:
    """The live equation with the current numbers substituted (constant names only: safe for LaTeX)."""
    w1, w2, b = float(fit.weights[0]), float(fit.weights[1]), fit.bias
    z, p = neuron_probability(fit, glucose, pressure)
    return (
        rf"P(\text{{Diabetes}}) = \sigma({w1:.4f} \cdot \text{{Glucose}} {'-' if w2 < 0 else '+'} "
        rf"{abs(w2):.4f} \cdot \text{{BloodPressure}} {'-' if b < 0 else '+'} {abs(b):.3f})"
        "\\\\"
        rf"= \sigma({w1:.4f} \cdot {glucose:g} {'-' if w2 < 0 else '+'} {abs(w2):.4f} \cdot {pressure:g}"
        rf" {'-' if b < 0 else '+'} {abs(b):.3f}) = \sigma({z:.3f}) = {p:.3f}"
    )
