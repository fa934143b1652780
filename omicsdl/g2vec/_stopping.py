"""Early-stopping rules of the supervised CBOW: which epoch's weights to keep, and when to stop.

``accuracy_drop`` is the authors' rule (``G2Vec.py``): after every epoch the
hold-out accuracy is compared with the previous epoch's; at the first strict
drop training stops and the previous epoch's weights are kept (ties go on).
``loss_patience`` is the usual one: keep the epoch with the lowest hold-out
loss, stop after ``patience`` epochs without improvement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AccuracyDropStop", "LossPatienceStop", "StopDecision", "StoppingRule", "stopping_rule"]

StoppingRule = Literal["accuracy_drop", "loss_patience"]


@dataclass(frozen=True, slots=True)
class StopDecision:
    """What to do after an epoch: ``keep`` its weights as the best so far; ``stop`` training."""

    keep: bool
    stop: bool
    reason: str = ""


class AccuracyDropStop:
    """Stop at the first epoch whose hold-out accuracy is below the previous epoch's.

    Examples
    --------
    >>> rule = AccuracyDropStop()
    >>> [rule.update(accuracy=a, loss=0.0).keep for a in (0.5, 0.6, 0.6, 0.55)]
    [True, True, True, False]
    """

    def __init__(self) -> None:
        self.previous = float("-inf")

    def update(self, *, accuracy: float, loss: float) -> StopDecision:
        """Decide after an epoch with this hold-out ``accuracy`` (``loss`` unused)."""
        if accuracy < self.previous:
            return StopDecision(
                keep=False,
                stop=True,
                reason=f"hold-out accuracy dropped ({self.previous:.4f} → {accuracy:.4f})",
            )
        self.previous = accuracy
        return StopDecision(keep=True, stop=False)


class LossPatienceStop:
    """Keep the epoch of lowest hold-out loss; stop after ``patience`` epochs without improvement.

    Parameters
    ----------
    patience
        Epochs without an improvement larger than ``min_delta`` before stopping.
    min_delta
        Smallest decrease of the loss that counts as an improvement.
    """

    def __init__(self, patience: int, *, min_delta: float = 1e-6) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.stale = 0

    def update(self, *, accuracy: float, loss: float) -> StopDecision:
        """Decide after an epoch with this hold-out ``loss`` (``accuracy`` unused)."""
        if loss < self.best - self.min_delta:
            self.best, self.stale = loss, 0
            return StopDecision(keep=True, stop=False)
        self.stale += 1
        if self.stale >= self.patience:
            return StopDecision(
                keep=False, stop=True, reason=f"no hold-out loss improvement for {self.patience} epochs"
            )
        return StopDecision(keep=False, stop=False)


def stopping_rule(name: StoppingRule, *, patience: int) -> AccuracyDropStop | LossPatienceStop:
    """The rule called ``name`` (``patience`` is used by ``loss_patience`` only)."""
    if name == "accuracy_drop":
        return AccuracyDropStop()
    if name == "loss_patience":
        return LossPatienceStop(patience)
    msg = f"early_stopping must be 'accuracy_drop' or 'loss_patience', got {name!r}"
    raise ValueError(msg)
