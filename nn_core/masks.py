"""Neuron switches: hidden neurons switched off, and the parameters that freezes.

A hidden neuron is named ``(layer, unit)`` with ``layer`` counted as in
``layer_sizes`` (0 the inputs, 1 the first hidden layer, ..., ``L`` the
output; only ``1 .. L-1`` can be switched off) and ``unit`` in
``0 .. h_layer - 1``. Its output is ``a_layer[:, unit]``, which ``net.trace``
gives as ``trace[layer - 1].a[:, unit]``.

While neuron ``(k, u)`` is off, every pass (training, ``forward``, ``trace``,
``input_gradient``) uses

    a_k[:, u] = 0                 (its z_k[:, u] is still computed; trace keeps it)
    dL/dz_k[:, u] = 0             (a_k[:, u] no longer depends on z_k[:, u])

so the loss no longer depends on the parameters the neuron owns: its
incoming weights ``W_{k-1}[:, u]``, its bias ``b_{k-1}[u]`` and its outgoing
weights ``W_k[u, :]``. These are *frozen*: their gradient is exactly 0, the
L1/L2 penalty leaves them out (of the loss and of its gradient), and every
update puts them, and the optimizer's state for them (momentum's velocity,
Adam's moments), back as they were: with momentum a zero gradient still moves
a weight. Switching the neuron on again finds exactly the values it had.

``net.masks`` is one boolean array ``(h_k,)`` per hidden layer (``masks[k-1]``
for layer ``k``, True where the neuron is on), or None when every neuron is
on: then no pass does any extra work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .workspace import split_parameters

if TYPE_CHECKING:
    from .network import MLP
    from .optimizers import Optimizer


class NeuronSwitches:
    """The switched-off neurons of a net (at least one), in the forms the passes use.

    ``on[i]``: boolean ``(h_{i+1},)``, hidden layer ``i + 1``; ``off[i]``: the
    indices of its units that are off; ``frozen``: the flat indices, into the
    parameter vector, of every frozen parameter; ``live[i]``: ``W_i``'s shape,
    1.0 where the weight is live and 0.0 where it is frozen, or None when no
    weight of layer ``i`` is frozen.
    """

    def __init__(self, layer_sizes: Sequence[int], on: Sequence[np.ndarray], dtype: str = "float64"):
        self.on = [np.array(m, dtype=bool) for m in on]
        self.off = [np.flatnonzero(~m) for m in self.on]
        kept = np.ones(sum((a + 1) * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])), dtype=bool)
        weights, biases = split_parameters(kept, layer_sizes)
        for i, units in enumerate(self.off):
            weights[i][:, units] = False  # incoming
            biases[i][units] = False
            weights[i + 1][units, :] = False  # outgoing
        self.frozen = np.flatnonzero(~kept)
        self.live = [None if W.all() else W.astype(dtype) for W in weights]

    def hold(self, i: int, values: np.ndarray) -> None:
        """Zero, in place, the columns of ``values`` ``(n, h_{i+1})`` that belong to switched-off units."""
        if self.off[i].size:
            values[:, self.off[i]] = 0.0

    def penalized(self, weights: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The weights the L1/L2 penalty sees: the frozen ones read as 0."""
        return [W if live is None else W * live for W, live in zip(weights, self.live)]

    def held_step(self, optimizer: Optimizer, params: list[np.ndarray], grads: list[np.ndarray], lr: float) -> None:
        """``optimizer.step`` that leaves the frozen parameters and their optimizer state as they were.

        ``params`` is ``[theta]``, the whole parameter vector, as ``fit`` steps it.
        """
        vectors = [params[0], *optimizer.state_vectors]
        saved = [v[self.frozen] for v in vectors]
        optimizer.step(params, grads, lr)
        for v, s in zip(vectors, saved):
            v[self.frozen] = s


def switches_for(layer_sizes: Sequence[int], masks, dtype: str = "float64") -> NeuronSwitches | None:
    """Checked ``masks`` (None, or one boolean array per hidden layer) as switches; None when all are on."""
    if masks is None:
        return None
    hidden = list(layer_sizes[1:-1])
    masks = list(masks)
    if len(masks) != len(hidden):
        raise ValueError(
            f"This net has {len(hidden)} hidden layer(s); got {len(masks)} neuron masks. "
            "Give one array of True (on) / False (off) per hidden layer."
        )
    checked = []
    for k, (mask, h) in enumerate(zip(masks, hidden), start=1):
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != (h,):
            raise ValueError(
                f"The mask of hidden layer {k} must be {h} True (on) / False (off) values; "
                f"got shape {mask.shape} of {mask.dtype}."
            )
        checked.append(mask)
    if all(m.all() for m in checked):
        return None
    return NeuronSwitches(layer_sizes, checked, dtype)


def switch(layer_sizes: Sequence[int], masks, layer, unit, on: bool) -> list[np.ndarray]:
    """``masks`` (None means all on) with neuron ``(layer, unit)`` switched on or off; checks the names."""
    n_layers = len(layer_sizes) - 1
    if isinstance(layer, bool) or not isinstance(layer, int | np.integer):
        raise ValueError(f"layer must be a whole number; got {layer!r}.")
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer):
        raise ValueError(f"unit must be a whole number; got {unit!r}.")
    if not isinstance(on, bool | np.bool_):
        raise ValueError(f"on must be True (switch on) or False (switch off); got {on!r}.")
    if n_layers < 2:
        raise ValueError("This net has no hidden layer: only hidden neurons can be switched off.")
    if layer == 0 or layer == n_layers:
        which = "the inputs" if layer == 0 else "the output layer"
        raise ValueError(
            f"Layer {layer} is {which}; only hidden neurons can be switched off (layers 1 to {n_layers - 1})."
        )
    if not 0 < layer < n_layers:
        raise ValueError(f"This net has hidden layers 1 to {n_layers - 1}; there is no layer {layer}.")
    h = layer_sizes[layer]
    if not 0 <= unit < h:
        raise ValueError(f"Hidden layer {layer} has units 0 to {h - 1}; there is no unit {unit}.")
    masks = [np.ones(s, dtype=bool) for s in layer_sizes[1:-1]] if masks is None else [m.copy() for m in masks]
    masks[layer - 1][unit] = bool(on)
    return masks


def frozen_parameters(net: MLP) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``(weights, biases)``: boolean arrays of the parameters' shapes, True where a parameter is frozen.

    A parameter is frozen while a neuron it feeds or reads from is switched
    off; training leaves it exactly as it is. All False when every neuron is on.
    """
    frozen = np.zeros(net.n_parameters, dtype=bool)
    if net._switches is not None:
        frozen[net._switches.frozen] = True
    return split_parameters(frozen, net.layer_sizes)
