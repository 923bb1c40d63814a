"""Optimizers: how a gradient becomes a parameter update.

Each optimizer updates a list of parameter arrays in place from a list of
gradients of the same shapes. The semantics are PyTorch's ``torch.optim.SGD``
(with and without momentum, dampening 0, no Nesterov) and ``torch.optim.Adam``,
so runs compare one to one.

- ``sgd``:       ``p <- p - lr * g``
- ``momentum``:  ``v <- mu * v + g``;  ``p <- p - lr * v``          (v starts at 0)
- ``adam``:      ``m <- b1 m + (1-b1) g``;  ``v <- b2 v + (1-b2) g^2``;
                 ``p <- p - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)``
                 with ``b1 = 0.9``, ``b2 = 0.999``, ``eps = 1e-8`` (Kingma & Ba, 2015).

The state (velocities, moments, step count) lives on the optimizer, so a
second ``fit`` carries on exactly where the first stopped.
"""

from __future__ import annotations

import math

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")


class Optimizer:
    name = "optimizer"

    def __init__(self, params: list[np.ndarray]):
        self.t = 0  # number of steps taken

    @property
    def state_vectors(self) -> list[np.ndarray]:
        """The arrays of the optimizer's state, each shaped as a parameter (none for sgd)."""
        return []

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: ``p <- p - lr * g``."""

    name = "sgd"

    def step(self, params, grads, lr):
        self.t += 1
        for p, g in zip(params, grads):
            p -= lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum (PyTorch ``SGD(momentum=mu)``): ``v <- mu v + g``, ``p <- p - lr v``."""

    name = "momentum"

    def __init__(self, params, momentum: float = 0.9):
        super().__init__(params)
        self.momentum = momentum
        self.velocity = [np.zeros_like(p) for p in params]

    @property
    def state_vectors(self):
        return self.velocity

    def step(self, params, grads, lr):
        self.t += 1
        mu = self.momentum
        for p, g, v in zip(params, grads, self.velocity):
            v *= mu
            v += g
            p -= lr * v


class Adam(Optimizer):
    """Adam with bias correction (Kingma & Ba, 2015), eps added after the square root."""

    name = "adam"

    def __init__(self, params, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(params)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self._tmp = [np.empty_like(p) for p in params]  # scratch, not state

    @property
    def state_vectors(self):
        return [*self.m, *self.v]

    def step(self, params, grads, lr):
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        bias1 = 1.0 - b1**self.t
        bias2_sqrt = math.sqrt(1.0 - b2**self.t)
        step_size = lr / bias1
        for p, g, m, v, tmp in zip(params, grads, self.m, self.v, self._tmp):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - b2
            v += tmp
            # denominator sqrt(v / bias2) + eps, written as PyTorch does
            np.sqrt(v, out=tmp)
            tmp /= bias2_sqrt
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p -= tmp


def make_optimizer(name: str, params: list[np.ndarray], momentum: float = 0.9) -> Optimizer:
    """A fresh optimizer for ``params`` by name (``sgd``, ``momentum``, ``adam``)."""
    if name == "sgd":
        return SGD(params)
    if name == "momentum":
        return Momentum(params, momentum=momentum)
    if name == "adam":
        return Adam(params)
    raise ValueError(f"Unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}.")
