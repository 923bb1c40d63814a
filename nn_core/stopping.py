"""When training stops early: early stopping and the divergence guard.

- ``EarlyStopping`` is the rule (patience, min_delta) a user passes to ``fit``;
  ``EarlyStoppingRecord`` its running record (best validation loss, best
  weights, epochs without improvement), kept in the net's training state so
  that continuing a run equals one long ``fit``.
- ``DivergenceGuard`` keeps the parameters from before each update, so a run
  whose loss or weights stop being finite rolls back to the last finite step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .validation import check_positive_float, check_positive_int
from .workspace import split_parameters

if TYPE_CHECKING:
    from .network import MLP
    from .training import History


@dataclass(frozen=True)
class EarlyStopping:
    """Stop when the validation loss has not improved by ``min_delta`` for ``patience`` epochs.

    The best weights (lowest validation loss) are restored at the end.
    """

    patience: int = 10
    min_delta: float = 0.0


def early_stopping_rule(early_stopping, has_validation: bool) -> EarlyStopping | None:
    """``fit``'s ``early_stopping`` argument (None, a patience or a rule) as a checked rule."""
    if early_stopping is None or early_stopping is False:
        return None
    if not has_validation:
        raise ValueError("Early stopping watches the validation loss: pass validation_data too.")
    if isinstance(early_stopping, EarlyStopping):
        check_positive_int(early_stopping.patience, "patience")
        check_positive_float(early_stopping.min_delta, "min_delta", allow_zero=True)
        return early_stopping
    return EarlyStopping(patience=check_positive_int(early_stopping, "early_stopping patience"))


class DivergenceGuard:
    """Keeps the last finite parameters, so a run whose loss or weights overflow can roll back.

    ``save`` copies the parameter vector before every update; ``roll_back``
    puts that copy back (``MLP.set_parameters``) and marks the run diverged.
    """

    def __init__(self, net: MLP):
        self.net = net
        self.saved = net._theta.copy()

    def save(self) -> None:
        np.copyto(self.saved, self.net._theta)

    def roll_back(self, history: History, epoch: int) -> None:
        self.net.set_parameters(*split_parameters(self.saved, self.net.layer_sizes))
        history.status = "diverged"
        history.message = (
            f"Training diverged in epoch {epoch + 1}: the loss or a weight stopped being a finite "
            "number. The weights of the last finite step were kept. Try a smaller learning rate, "
            "gradient clipping, or standardized inputs."
        )


class EarlyStoppingRecord:
    """Early stopping's running record: part of the net's training state, carried from call to call.

    ``best_loss`` is the lowest validation loss so far (at epoch ``best_epoch``,
    with the parameter vector ``best``); ``waited`` counts the epochs since.
    ``validation`` fingerprints the validation data the losses were measured on.
    """

    def __init__(self, rule: EarlyStopping, validation: bytes):
        self.rule, self.validation = rule, validation
        self.best_loss, self.best_epoch, self.best, self.waited = math.inf, None, None, 0

    def update(self, val_loss: float, net: MLP, epoch: int, history: History) -> bool:
        """Record epoch ``epoch``'s validation loss; True when the patience has run out."""
        if val_loss < self.best_loss - self.rule.min_delta:
            self.best_loss, self.best_epoch, self.waited = val_loss, epoch, 0
            self.best = net._theta.copy()
            history.best_epoch = epoch
        else:
            self.waited += 1
        return self.ran_out()

    def shown_message(self) -> str:
        """What a call that ends on the best weights before the patience ran out says."""
        return f"Restored the weights of epoch {self.best_epoch}, the lowest validation loss."

    def ran_out(self) -> bool:
        return self.waited >= self.rule.patience

    def stop(self, net: MLP, history: History) -> None:
        """Restore the best weights and end the run as early-stopped."""
        net.set_parameters(*split_parameters(self.best, net.layer_sizes))
        history.status = "early_stopped"
        history.message = (
            f"Validation loss did not improve for {self.rule.patience} epochs; "
            f"restored the weights of epoch {self.best_epoch}."
        )
