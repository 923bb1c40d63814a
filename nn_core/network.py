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
buffers (``workspace.Workspace``): ``_logits`` (the forward pass up to the
output's ``z``), the loss's ``activate_and_value`` (output activation and
loss) and ``gradient``, then ``_backward``. Prediction runs the same
``_logits``. So the path a learner reads is the path that trains. How the
parameters and buffers sit in memory (one parameter vector, the bias trick)
is ``workspace.py``'s concern.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import initializers
from .activations import ACTIVATIONS, Activation, get_activation
from .losses import LOSS_FOR_OUTPUT, Loss, loss_for_output
from .masks import NeuronSwitches, switch, switches_for
from .traces import BackwardTrace, LayerGradients, LayerTrace, Trace
from .validation import (
    MAX_PARAMETERS,
    check_choice,
    check_features,
    check_labels,
    check_names,
    check_penalties,
    check_seed,
)
from .workspace import ParameterViews, Workspace, count_parameters, layer_blocks, times_transpose

DTYPES = ("float64", "float32")


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
    weights : one ``(h_i, h_{i+1})`` array per layer, the ones the net really uses.
    biases : one ``(h_{i+1},)`` array per layer.
        Both are views of one parameter vector (see ``workspace``): write into
        them in place (``net.weights[0][...] = W``, ``net.biases[1][2] = 0.5``)
        or set whole arrays with ``set_parameters``. Putting a new array in
        their place (``net.weights[0] = W``) raises a ``TypeError``.
    history : the ``History`` of every ``fit`` since the last ``reset``.
    masks : which hidden neurons are switched on (``set_neuron``; see ``masks``).
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
        self._theta = np.empty(count_parameters(sizes), dtype=self.dtype)  # every parameter, see workspace
        self._make_views()
        self._switches: NeuronSwitches | None = None  # every neuron on
        self.reset(seed)

    # ------------------------------------------------------------------ setup
    def reset(self, seed: int | None = None) -> None:
        """Draw fresh weights (zero biases) and forget all training.

        ``seed`` defaults to the seed the net was built with. Switched-off
        neurons stay off (the switches are part of the architecture).
        """
        if seed is None:
            seed = self.seed
        self.seed = seed = check_seed(seed)
        rng = np.random.default_rng(seed)
        acts = self.activations + [self.output]
        fans = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        weights = [initializers.initialize(self.init, acts[i], rng, a, b) for i, (a, b) in enumerate(fans)]
        self.set_parameters(weights, [np.zeros(b) for _, b in fans])
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

    @property
    def weights(self) -> ParameterViews:
        """``W_i`` of shape ``(h_i, h_{i+1})``, views of the parameter vector (write in place)."""
        return self._weights

    @property
    def biases(self) -> ParameterViews:
        """``b_i`` of shape ``(h_{i+1},)``, views of the parameter vector (write in place)."""
        return self._biases

    def set_parameters(self, weights: Sequence, biases: Sequence) -> None:
        """Copy ``weights[i]`` ``(h_i, h_{i+1})`` and ``biases[i]`` ``(h_{i+1},)`` into the net.

        Every array is checked (count, shape, numbers) before any is
        copied, so a refused call changes nothing. The values are cast to the
        net's dtype; ``weights`` and ``biases`` stay the same views.
        """
        weights, biases = list(weights), list(biases)
        n_layers = len(self._blocks)
        if len(weights) != n_layers or len(biases) != n_layers:
            raise ValueError(
                f"This net has {n_layers} weight layer(s); got {len(weights)} weight and {len(biases)} bias arrays."
            )
        checked = []
        for kind, arrays, views in (("weights", weights, self._weights), ("biases", biases, self._biases)):
            for i, (value, view) in enumerate(zip(arrays, views)):
                try:
                    value = np.asarray(value, dtype=np.float64)
                except (TypeError, ValueError):
                    raise ValueError(f"{kind}[{i}] must hold numbers.") from None
                if value.shape != view.shape:
                    raise ValueError(f"{kind}[{i}] must have shape {view.shape}; got {value.shape}.")
                checked.append((view, value))
        for view, value in checked:
            np.copyto(view, value)

    @property
    def masks(self) -> list[np.ndarray] | None:
        """One boolean array ``(h_k,)`` per hidden layer ``k`` (``masks[k-1]``), True where the neuron is on.

        None when every neuron is on. A copy: switch neurons with ``set_neuron`` or ``set_masks``.
        """
        return None if self._switches is None else [m.copy() for m in self._switches.on]

    def set_neuron(self, layer: int, unit: int, on: bool) -> None:
        """Switch hidden neuron ``unit`` of ``layer`` (counted as in ``layer_sizes``) on or off.

        While it is off its output is held at 0 and training leaves its
        incoming weights, bias and outgoing weights exactly as they are (see ``masks``).
        """
        self._switches = switches_for(self.layer_sizes, switch(self.layer_sizes, self.masks, layer, unit, on),
                                      self.dtype)

    def set_masks(self, masks) -> None:
        """Set every switch at once: None (all on) or one boolean array per hidden layer, as ``masks``."""
        self._switches = switches_for(self.layer_sizes, masks, self.dtype)

    def _make_views(self) -> None:
        """Point ``_blocks`` (``[W_i; b_i]``), ``weights`` and ``biases`` into ``_theta``."""
        self._blocks = layer_blocks(self._theta, self.layer_sizes)
        self._weights = ParameterViews(block[:-1] for block in self._blocks)
        self._biases = ParameterViews(block[-1] for block in self._blocks)

    def __getstate__(self) -> dict:
        # the views are rebuilt from the vector: a copy or a pickle keeps them views of one vector
        return {k: v for k, v in self.__dict__.items() if k not in ("_blocks", "_weights", "_biases")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._make_views()

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
        """A deep copy: same architecture, parameters, neuron switches, history; no optimizer state."""
        import copy

        other = copy.copy(self)
        other._theta = self._theta.copy()
        other._make_views()
        other.history = copy.deepcopy(self.history)
        other._switches = copy.deepcopy(self._switches)
        other._training = None
        return other

    # ---------------------------------------------------------------- forward
    def _forward(self, X: np.ndarray, ws: Workspace) -> np.ndarray:
        """Fill ``ws`` for a clean batch ``X``; return the output activations.

        Layer ``i`` is ``z = [a_i, 1] @ [W_i; b_i]``: the bias rides on the ones column.
        """
        ws.load(X)
        return self._output(ws)

    def _output(self, ws: Workspace) -> np.ndarray:
        """The forward pass of the batch loaded in ``ws``; returns the output activations."""
        return self.loss.activation.forward(self._logits(ws), out=ws.a[-1])

    def _logits(self, ws: Workspace) -> np.ndarray:
        """The forward pass of the batch loaded in ``ws`` up to the output layer's ``z`` (returned).

        Fills the hidden ``ws.a``, each computed as ``z`` and activated in place;
        a switched-off neuron's ``a`` is then held at 0.
        """
        blocks, switches = self._blocks, self._switches
        for i, activation in enumerate(self._hidden):
            z = np.matmul(ws.inputs[i], blocks[i], out=ws.a[i])
            activation.forward(z, out=z)
            if switches is not None:
                switches.hold(i, z)
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

        The same products and activations as ``_logits``, with each ``z`` kept
        apart; a switched-off neuron keeps its ``z`` and shows ``a = 0``.
        """
        X = check_features(X, self.n_inputs, self.dtype)
        ws = Workspace(self, X.shape[0])
        ws.load(X)
        layers = []
        for i, block in enumerate(self._blocks):
            z = np.matmul(ws.inputs[i], block, out=np.empty_like(ws.a[i], order="K"))
            a = self.layer_activation(i).forward(z, out=ws.a[i])
            if self._switches is not None and i < len(self._hidden):
                self._switches.hold(i, a)
            layers.append(LayerTrace(z, a.copy()))
        return Trace(X, layers)

    # --------------------------------------------------------------- backward
    def _backward(self, ws: Workspace) -> None:
        """Backpropagate ``ws.delta[-1] = dL/dz_L`` (set by the loss) through every layer.

        Per layer ``i``, from the last to the first, with ``delta = dL/dz_{i+1}``:

            [grad_W_i; grad_b_i] = [a_i, 1].T @ delta      (the ones column sums delta's rows)
            delta_prev = (delta @ W_i.T) * f'(a_i)          (dL/dz_i, for hidden layers)

        ``f'`` is written in terms of the activation ``a_i`` the forward pass left
        in ``ws``. The gradients land in ``ws.grad`` (laid out as the parameters),
        every ``dL/dz`` in ``ws.delta``. A switched-off neuron's ``dL/dz`` is 0 (its ``a`` is held at 0).
        """
        switches = self._switches
        for i in reversed(range(len(self._blocks))):
            delta = ws.delta[i]
            np.dot(ws.inputs[i].T, delta, out=ws.grad_blocks[i])  # np.dot: less overhead than matmul here
            if i > 0:
                delta_prev = times_transpose(delta, self._weights[i], out=ws.delta[i - 1])
                delta_prev *= self._hidden[i - 1].derivative(ws.a[i - 1], out=ws.deriv[i - 1])
                if switches is not None:
                    switches.hold(i - 1, delta_prev)

    def _penalized(self) -> list[np.ndarray]:
        """The weights the penalty sees: a switched-off neuron's (frozen) weights read as 0."""
        return self.weights if self._switches is None else self._switches.penalized(self.weights)

    def _penalty(self, l2: float, l1: float) -> float:
        """``0.5 * l2 * sum(W**2) + l1 * sum(|W|)`` over the live weights (not the biases)."""
        total = 0.0
        for W in self._penalized():
            if l2:
                total += 0.5 * l2 * float(np.vdot(W, W))
            if l1:
                total += l1 * float(np.abs(W).sum())
        return total

    def _add_penalty_gradients(self, grad_W: list[np.ndarray], l2: float, l1: float) -> None:
        """Add ``l2 * W + l1 * sign(W)`` to each weight gradient, in place (0 for a frozen weight)."""
        for W, g in zip(self._penalized(), grad_W):
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
        X = check_features(X, self.n_inputs, self.dtype)
        y = check_labels(y, self.output, self.n_outputs, X.shape[0], require_two_classes=False)
        return X, self.loss.encode(y, self.n_outputs, self.dtype)

    def loss_and_gradients(self, X, y, l2: float = 0.0, l1: float = 0.0):
        """``(loss, grad_weights, grad_biases)`` for a batch.

        ``loss`` is the mean data loss plus ``0.5*l2*sum(W**2) + l1*sum(|W|)``
        over the weights; the gradients have the parameters' shapes.
        """
        loss, ws = self._batch_gradients(X, y, l2, l1)
        return loss, ws.grad_W, ws.grad_b

    def _batch_gradients(self, X, y, l2: float, l1: float) -> tuple[float, Workspace]:
        """Validated inputs, one forward and backward pass: ``(loss, workspace holding the gradients)``."""
        l2, l1 = check_penalties(l2, l1)
        X, Y = self._prepare(X, y)
        ws = Workspace(self, X.shape[0])
        ws.load(X)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self._loss_and_gradients(ws, Y, l2, l1)
        return loss, ws

    def backward_trace(self, X, y, l2: float = 0.0, l1: float = 0.0) -> BackwardTrace:
        """Per layer ``dL/dz`` ``(n, h)``, ``dL/dW`` and ``dL/db`` for a batch (``dz`` of the mean loss)."""
        loss, ws = self._batch_gradients(X, y, l2, l1)
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
            if self._switches is not None:
                self._switches.hold(i - 1, delta)
        return delta @ self.weights[0].T

    # --------------------------------------------------------------- training
    def fit(self, X, y, **kwargs):
        """Train with gradient descent; see ``nn_core.training.fit`` for every option."""
        from .training import fit

        return fit(self, X, y, **kwargs)


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
