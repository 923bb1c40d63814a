"""The multilayer perceptron: forward pass, backward pass, traces, input gradients.

Shapes, with ``L`` weight layers and ``h_0 = n_inputs, ..., h_L = n_outputs``:

- ``weights[i]``: ``(h_i, h_{i+1})`` and ``biases[i]``: ``(h_{i+1},)``.
- Forward, for a batch ``X`` of shape ``(n, h_0)`` and ``a_0 = X``:

      z_{i+1} = a_i @ W_i + b_i          (n, h_{i+1})
      a_{i+1} = f_i(z_{i+1})             hidden f_i, or the output activation

- Backward (``MLP._backward``), starting from the loss's ``delta_L = dL/dz_L``:

      dL/dW_i = a_i.T @ delta_{i+1}      (h_i, h_{i+1})
      dL/db_i = sum over rows of delta_{i+1}
      delta_i = (delta_{i+1} @ W_i.T) * f'(z_i)

The training loop (``training.py``) runs exactly these passes on preallocated
buffers (``Workspace``): ``_logits`` (the forward pass up to the output's
``z``), the loss's ``activate_and_value`` (output activation and loss) and
``gradient``, then ``_backward``. Prediction runs the same ``_logits``. So the
path a learner reads is the path that trains.

How the code computes it (the bias trick): layer ``i``'s input carries a
column of ones and its parameters form one block, so each layer is one matrix
product per direction, the bias included:

      z_{i+1} = [a_i, 1] @ [W_i; b_i]
      [dL/dW_i; dL/db_i] = [a_i, 1].T @ delta_{i+1}   (the ones sum delta's rows)

All parameters live in one vector (``[W_0, b_0, W_1, b_1, ...]`` flattened):
``weights[i]`` and ``biases[i]`` are views of it, the block ``[W_i; b_i]`` is
contiguous, and an optimizer step updates everything in one operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import initializers
from .activations import ACTIVATIONS, Activation, get_activation
from .losses import LOSS_FOR_OUTPUT, Loss, loss_for_output
from .validation import (
    MAX_PARAMETERS,
    check_choice,
    check_features,
    check_labels,
    check_names,
    check_penalties,
    check_seed,
)

DTYPES = ("float64", "float32")


@dataclass
class LayerTrace:
    """One weight layer's forward values: ``z`` pre-activations and ``a = f(z)``, each ``(n, h)``."""

    z: np.ndarray
    a: np.ndarray


@dataclass
class Trace:
    """The forward pass of a batch: the inputs and one ``LayerTrace`` per weight layer.

    Indexing, ``len`` and iteration go over the layers.
    """

    inputs: np.ndarray
    layers: list[LayerTrace]

    def __getitem__(self, i: int) -> LayerTrace:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)


@dataclass
class LayerGradients:
    """One weight layer's backward values: ``dz = dL/dz`` ``(n, h)``, ``dW`` and ``db`` (parameter shapes)."""

    dz: np.ndarray
    dW: np.ndarray
    db: np.ndarray


@dataclass
class BackwardTrace:
    """The backward pass of a batch: the loss and one ``LayerGradients`` per weight layer."""

    loss: float
    layers: list[LayerGradients]

    def __getitem__(self, i: int) -> LayerGradients:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)


class Workspace:
    """Preallocated buffers for one batch size: the forward values and the gradients.

    ``a[i]`` and ``delta[i]`` have shape ``(n, h_{i+1})``; ``grad_W`` and
    ``grad_b`` have the parameters' shapes. Reusing them avoids allocating
    new arrays on every training step. A hidden layer's ``z`` is computed in
    its ``a`` buffer and turned into ``a`` in place (the backward pass needs
    only ``a``); the output layer's ``z`` is kept in ``logits``.

    ``inputs[i]`` is layer ``i``'s input with the ones column, ``[a_i, 1]`` of
    shape ``(n, h_i + 1)``: ``x`` (where ``load`` copies the batch) and the
    hidden ``a[i]`` are views of these without that column. The hidden layers'
    buffers are column-major (``order="F"``), so such a view is one contiguous
    block and the elementwise passes run at full speed. ``grad`` is one vector
    laid out as the net's parameters: ``grad_blocks[i] = [dW_i; db_i]``, and
    ``grad_W``/``grad_b`` are views of it.
    """

    def __init__(self, net: MLP, n: int):
        dt = np.dtype(net.dtype)
        sizes = net.layer_sizes
        hidden, n_out = sizes[1:-1], sizes[-1]
        self.inputs = [np.ones((n, h + 1), dtype=dt, order="F") for h in sizes[:-1]]
        self.x = self.inputs[0][:, :-1]
        self.logits = np.empty((n, n_out), dtype=dt)
        self.a = [ones[:, :-1] for ones in self.inputs[1:]] + [np.empty((n, n_out), dtype=dt)]
        self.delta = [np.empty((n, h), dtype=dt, order="F") for h in hidden] + [np.empty((n, n_out), dtype=dt)]
        # f'(z) of one hidden layer at a time: one buffer, viewed at each layer's shape
        scratch = np.empty(n * max(hidden, default=0), dtype=dt)
        self.deriv = [scratch[: n * h].reshape((n, h), order="F") for h in hidden]
        self.grad = np.empty(count_parameters(sizes), dtype=dt)
        self.grad_blocks = _layer_blocks(self.grad, sizes)
        self.grad_W = [block[:-1] for block in self.grad_blocks]
        self.grad_b = [block[-1] for block in self.grad_blocks]
        # for History: where W_0, b_0, W_1, b_1, ... start in grad, each weight's size, and scratch for |grad|
        self.segments = np.cumsum([0] + [g.size for W, b in zip(self.grad_W, self.grad_b) for g in (W, b)][:-1])
        self.weight_sizes = np.array([W.size for W in self.grad_W], dtype=dt)
        self.grad_abs = np.empty_like(self.grad)

    def load(self, X: np.ndarray) -> None:
        """Copy the batch ``X`` (``n`` rows) into the first layer's input; the passes read it from there."""
        np.copyto(self.x, X)


class MLP:
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    layer_sizes : ``[n_inputs, *hidden, n_outputs]``.
    activation : hidden activation name (``sigmoid``, ``tanh``, ``relu``,
        ``leaky_relu``, ``linear``) or a list with one name per hidden layer.
    output : ``sigmoid`` (binary, 1 output, binary cross-entropy), ``softmax``
        (k >= 2 classes, cross-entropy), or ``linear`` (regression, MSE).
    init : ``auto``, ``glorot``, ``he``, ``normal`` or ``zeros`` (see ``initializers``).
    seed : seed of ``numpy.random.default_rng`` for the initial weights.
    dtype : ``float64`` (default) or ``float32``.

    Attributes
    ----------
    weights : list of ``(h_i, h_{i+1})`` arrays, the ones the net really uses.
    biases : list of ``(h_{i+1},)`` arrays.
        Both are views of one parameter vector: write into them in place
        (``net.weights[0][...] = W``). An array assigned in their place is
        copied into a fresh vector at the next forward pass or ``fit``.
    history : the ``History`` of every ``fit`` since the last ``reset``.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str | Sequence[str] = "tanh",
        output: str = "sigmoid",
        init: str = "auto",
        seed: int | None = 0,
        dtype: str = "float64",
    ):
        sizes = _check_layer_sizes(layer_sizes)
        output = check_choice(output, "output", tuple(LOSS_FOR_OUTPUT))
        if output == "sigmoid" and sizes[-1] != 1:
            raise ValueError(f"A sigmoid output has exactly 1 unit; layer_sizes ends with {sizes[-1]}.")
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError("A softmax output needs at least 2 units (one per class).")
        n_hidden = len(sizes) - 2
        activation, seed = check_names(activation, "activation"), check_seed(seed)
        if isinstance(activation, str):
            hidden = [activation] * n_hidden
        else:
            hidden = list(activation)
            if len(hidden) != n_hidden:
                raise ValueError(
                    f"Got {len(hidden)} activations for {n_hidden} hidden layer(s); give one per hidden layer."
                )
        for name in hidden:
            check_choice(name, "activation", tuple(ACTIVATIONS))
        self.layer_sizes: list[int] = sizes
        self.activations: list[str] = hidden
        self.output: str = output
        self.init: str = check_choice(init, "init", initializers.INITIALIZERS)
        self.dtype: str = _check_dtype(dtype)
        self.seed = seed
        self.loss: Loss = loss_for_output(output)
        self._hidden: list[Activation] = [get_activation(a) for a in hidden]
        self.reset(seed)

    # ------------------------------------------------------------------ setup
    def reset(self, seed: int | None = None) -> None:
        """Draw fresh weights (zero biases) and forget all training.

        ``seed`` defaults to the seed the net was built with.
        """
        if seed is None:
            seed = self.seed
        self.seed = seed = check_seed(seed)
        rng = np.random.default_rng(seed)
        acts = self.activations + [self.output]
        fans = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        weights = [initializers.initialize(self.init, acts[i], rng, a, b) for i, (a, b) in enumerate(fans)]
        self._adopt_parameters(weights, [np.zeros(b) for _, b in fans])
        from .training import History  # local import: training imports network

        self.history = History()
        self._training = None  # optimizer, schedule, shuffle stream: set by fit

    @property
    def n_inputs(self) -> int:
        return self.layer_sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

    @property
    def n_parameters(self) -> int:
        return count_parameters(self.layer_sizes)

    @property
    def parameters(self) -> list[np.ndarray]:
        """``[W0, b0, W1, b1, ...]``: the arrays the optimizer updates."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def _adopt_parameters(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        """Copy ``weights`` and ``biases`` into a new parameter vector and make them its views.

        ``_theta`` is ``[W_0, b_0, W_1, b_1, ...]`` flattened, so ``_blocks[i]``,
        the ``(h_i + 1, h_{i+1})`` matrix ``[W_i; b_i]`` the forward pass multiplies
        by, is a contiguous view, and ``weights[i] = _blocks[i][:-1]``, ``biases[i] = _blocks[i][-1]``.
        """
        theta = np.empty(count_parameters(self.layer_sizes), dtype=self.dtype)
        blocks = _layer_blocks(theta, self.layer_sizes)
        for block, W, b in zip(blocks, weights, biases):
            block[:-1] = W
            block[-1] = b
        self._theta, self._blocks = theta, blocks
        self.weights = [block[:-1] for block in blocks]
        self.biases = [block[-1] for block in blocks]

    def _parameter_vector(self) -> np.ndarray:
        """The vector every weight and bias is a view of (the optimizer's one array).

        If an array was assigned in place of ``weights[i]`` or ``biases[i]``, or the
        views were lost to a deep copy or pickling, the current values are gathered
        into a new vector first.
        """
        theta = self._theta
        if not all(W.base is theta and b.base is theta for W, b in zip(self.weights, self.biases)):
            self._adopt_parameters(self.weights, self.biases)
        return self._theta

    def layer_activation(self, i: int) -> Activation:
        """The activation object of weight layer ``i`` (the output's for the last)."""
        return self._hidden[i] if i < len(self._hidden) else self.loss.activation

    def __repr__(self) -> str:
        arch = "-".join(str(s) for s in self.layer_sizes)
        acts = ",".join(sorted(set(self.activations))) or "none"
        return (
            f"MLP({arch}, hidden={acts}, output={self.output}, "
            f"{self.n_parameters} parameters, {self.dtype})"
        )

    def copy(self) -> MLP:
        """A deep copy: same architecture, parameters, history; no optimizer state."""
        import copy

        other = copy.copy(self)
        other._adopt_parameters(self.weights, self.biases)
        other.history = copy.deepcopy(self.history)
        other._training = None
        return other

    # ---------------------------------------------------------------- forward
    def _forward(self, X: np.ndarray, ws: Workspace) -> np.ndarray:
        """Fill ``ws`` for a clean batch ``X``; return the output activations.

        Layer ``i`` is ``z = [a_i, 1] @ [W_i; b_i]``: the bias rides on the ones column.
        """
        self._parameter_vector()
        ws.load(X)
        return self._output(ws)

    def _output(self, ws: Workspace) -> np.ndarray:
        """The forward pass of the batch loaded in ``ws``; returns the output activations."""
        return self.loss.activation.forward(self._logits(ws), out=ws.a[-1])

    def _logits(self, ws: Workspace) -> np.ndarray:
        """The forward pass of the batch loaded in ``ws`` up to the output layer's ``z`` (returned).

        Fills the hidden ``ws.a``, each computed as ``z`` and activated in place.
        Multiplies by ``self._blocks``: callers make sure they are current
        (``_parameter_vector``).
        """
        blocks = self._blocks
        for i, activation in enumerate(self._hidden):
            z = np.matmul(ws.inputs[i], blocks[i], out=ws.a[i])
            activation.forward(z, out=z)
        return np.matmul(ws.inputs[-1], blocks[-1], out=ws.logits)

    def forward(self, X) -> np.ndarray:
        """Output activations, shape ``(n, n_outputs)``."""
        X = check_features(X, self.n_inputs, self.dtype)
        return self._forward(X, Workspace(self, X.shape[0]))

    def predict_proba(self, X) -> np.ndarray:
        """``P(y=1)`` of shape ``(n,)`` for a sigmoid output, ``(n, k)`` for softmax."""
        if self.output == "linear":
            raise ValueError("predict_proba is for classifiers; this net has a linear (regression) output.")
        out = self.forward(X)
        return out[:, 0] if self.output == "sigmoid" else out

    def predict(self, X) -> np.ndarray:
        """Class labels ``(n,)`` for classifiers (threshold 0.5 / argmax); values for regression.

        Regression returns ``(n,)`` for one output and ``(n, m)`` for several.
        """
        out = self.forward(X)
        if self.output == "sigmoid":
            return (out[:, 0] >= 0.5).astype(np.int64)
        if self.output == "softmax":
            return out.argmax(axis=1)
        return out[:, 0] if self.n_outputs == 1 else out

    def trace(self, X) -> Trace:
        """The forward pass with every layer's ``z`` and ``a`` kept (copies).

        The same products and activations as ``_logits``, with each ``z`` kept apart.
        """
        X = check_features(X, self.n_inputs, self.dtype)
        self._parameter_vector()
        ws = Workspace(self, X.shape[0])
        ws.load(X)
        layers = []
        for i, block in enumerate(self._blocks):
            z = np.matmul(ws.inputs[i], block, out=np.empty_like(ws.a[i], order="K"))
            a = self.layer_activation(i).forward(z, out=ws.a[i])
            layers.append(LayerTrace(z, a.copy()))
        return Trace(X, layers)

    # --------------------------------------------------------------- backward
    def _backward(self, ws: Workspace) -> None:
        """Backpropagate ``ws.delta[-1] = dL/dz_L`` (already set) into ``ws.grad_W``/``ws.grad_b``.

        Needs ``ws`` filled by the forward pass. Leaves every
        layer's ``dL/dz`` in ``ws.delta``.
        """
        for i in range(len(self.weights) - 1, -1, -1):
            delta = ws.delta[i]
            # [dW_i; db_i] = [a_i, 1].T @ delta: the ones column sums delta over the rows
            # (np.dot: less overhead than np.matmul for a small, C-ordered result)
            np.dot(ws.inputs[i].T, delta, out=ws.grad_blocks[i])
            if i > 0:
                # delta_(i-1) = (delta @ W_i.T) * f'(z_(i-1)), in the column-major buffer
                prev = ws.delta[i - 1]
                if delta.shape[1] == 1:
                    # one unit: an outer product; np.dot hands it to BLAS, np.matmul does not
                    np.dot(self.weights[i], delta.T, out=prev.T)
                else:
                    np.matmul(delta, self.weights[i].T, out=prev)
                prev *= self._hidden[i - 1].derivative(ws.a[i - 1], out=ws.deriv[i - 1])

    def _penalty(self, l2: float, l1: float) -> float:
        """``0.5 * l2 * sum(W**2) + l1 * sum(|W|)`` over the weights (not the biases)."""
        total = 0.0
        for W in self.weights:
            if l2:
                total += 0.5 * l2 * float(np.vdot(W, W))
            if l1:
                total += l1 * float(np.abs(W).sum())
        return total

    def _add_penalty_gradients(self, grad_W: list[np.ndarray], l2: float, l1: float) -> None:
        """Add ``l2 * W + l1 * sign(W)`` to each weight gradient, in place."""
        for W, g in zip(self.weights, grad_W):
            if l2:
                g += l2 * W
            if l1:
                g += l1 * np.sign(W)

    def _loss_and_gradients(self, ws: Workspace, Y: np.ndarray, l2: float, l1: float) -> float:
        """One forward and backward pass of the batch loaded in ``ws`` (targets ``Y``); gradients land in ``ws``."""
        z = self._logits(ws)
        loss = self.loss.activate_and_value(z, Y, out=ws.a[-1])
        self.loss.gradient(ws.a[-1], Y, out=ws.delta[-1])
        self._backward(ws)
        if l2 or l1:
            loss += self._penalty(l2, l1)
            self._add_penalty_gradients(ws.grad_W, l2, l1)
        return loss

    def _prepare(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        self._parameter_vector()
        X = check_features(X, self.n_inputs, self.dtype)
        y = check_labels(y, self.output, self.n_outputs, X.shape[0], require_two_classes=False)
        return X, self.loss.encode(y, self.n_outputs, self.dtype)

    def loss_and_gradients(self, X, y, l2: float = 0.0, l1: float = 0.0):
        """``(loss, grad_weights, grad_biases)`` for a batch.

        ``loss`` is the mean data loss plus ``0.5*l2*sum(W**2) + l1*sum(|W|)``
        over the weights; the gradients have the parameters' shapes.
        """
        l2, l1 = check_penalties(l2, l1)
        X, Y = self._prepare(X, y)
        ws = Workspace(self, X.shape[0])
        ws.load(X)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self._loss_and_gradients(ws, Y, l2, l1)
        return loss, ws.grad_W, ws.grad_b

    def backward_trace(self, X, y, l2: float = 0.0, l1: float = 0.0) -> BackwardTrace:
        """Per layer ``dL/dz`` ``(n, h)``, ``dL/dW`` and ``dL/db`` for a batch (``dz`` of the mean loss)."""
        l2, l1 = check_penalties(l2, l1)
        X, Y = self._prepare(X, y)
        ws = Workspace(self, X.shape[0])
        ws.load(X)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self._loss_and_gradients(ws, Y, l2, l1)
        layers = [LayerGradients(d.copy(), gW, gb) for d, gW, gb in zip(ws.delta, ws.grad_W, ws.grad_b)]
        return BackwardTrace(loss, layers)

    def input_gradient(self, X) -> np.ndarray:
        """Analytic derivative of the output with respect to the inputs.

        - sigmoid: ``dP(y=1)/dx``, shape ``(n, d)``;
        - linear: ``d value/dx``, ``(n, d)`` for one output, ``(n, m, d)`` for several;
        - softmax: ``dP(class c)/dx``, shape ``(n, k, d)``.

        Computed by backpropagating ``d output/d z_L`` (``p(1-p)`` for sigmoid,
        ``p_c (e_c - p)`` for softmax, 1 for linear) through the layers with ``W.T``.
        """
        X = check_features(X, self.n_inputs, self.dtype)
        ws = Workspace(self, X.shape[0])
        out = self._forward(X, ws)
        n, m = out.shape
        if self.output == "sigmoid":
            return self._backprop_to_input(ws, out * (1.0 - out))
        if self.output == "linear":
            grads = [self._backprop_to_input(ws, _unit_column(n, m, j, out.dtype)) for j in range(m)]
            return grads[0] if m == 1 else np.stack(grads, axis=1)
        grads = []
        for c in range(m):
            onehot = _unit_column(n, m, c, out.dtype)
            grads.append(self._backprop_to_input(ws, out[:, c : c + 1] * (onehot - out)))
        return np.stack(grads, axis=1)

    def _backprop_to_input(self, ws: Workspace, delta: np.ndarray) -> np.ndarray:
        """Carry ``d out/d z_L`` of shape ``(n, n_outputs)`` back to ``d out/d x`` ``(n, d)``."""
        for i in range(len(self.weights) - 1, 0, -1):
            delta = delta @ self.weights[i].T
            delta *= self._hidden[i - 1].derivative(ws.a[i - 1])
        return delta @ self.weights[0].T

    # --------------------------------------------------------------- training
    def fit(self, X, y, **kwargs):
        """Train with gradient descent; see ``nn_core.training.fit`` for every option."""
        from .training import fit

        return fit(self, X, y, **kwargs)


def count_parameters(layer_sizes: Sequence[int]) -> int:
    """Weights plus biases of a net with these layer sizes."""
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def _layer_blocks(vector: np.ndarray, layer_sizes: Sequence[int]) -> list[np.ndarray]:
    """Views of a parameter-shaped ``vector`` as the blocks ``[W_i; b_i]``, each ``(h_i + 1, h_{i+1})``."""
    blocks, start = [], 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        stop = start + (fan_in + 1) * fan_out
        blocks.append(vector[start:stop].reshape(fan_in + 1, fan_out))
        start = stop
    return blocks


def _check_layer_sizes(layer_sizes) -> list[int]:
    try:
        sizes = list(layer_sizes)
    except TypeError:
        raise ValueError("layer_sizes must be a list such as [2, 8, 8, 1].") from None
    if len(sizes) < 2:
        raise ValueError("layer_sizes needs at least an input and an output size, e.g. [2, 1].")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, int | np.integer):
            raise ValueError(f"Layer sizes must be whole numbers; got {s!r}.")
        if s < 1:
            raise ValueError(f"Every layer needs at least 1 unit; got {s}.")
    sizes = [int(s) for s in sizes]
    n = count_parameters(sizes)
    if n > MAX_PARAMETERS:
        raise ValueError(
            f"This net would have {n:,} parameters; the limit is {MAX_PARAMETERS:,}. Use fewer or narrower layers."
        )
    return sizes


def _unit_column(n: int, m: int, j: int, dtype) -> np.ndarray:
    e = np.zeros((n, m), dtype=dtype)
    e[:, j] = 1.0
    return e


def _check_dtype(dtype) -> str:
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = repr(dtype)
    if name not in DTYPES:
        raise ValueError(f"dtype must be 'float64' or 'float32'; got {dtype!r}.")
    return name


def all_finite(arrays: list[np.ndarray]) -> bool:
    """True when every element of every array is finite."""
    return all(bool(np.isfinite(p).all()) for p in arrays)
