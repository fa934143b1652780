"""The qCNN and cCNN networks as pure :class:`torch.nn.Module` s (forward + loss, no files, no fitting).

Both read two input channels (real and imaginary part of the spectrum inside a
ppm window) through three convolution blocks (convolution, batch norm, ReLU,
max-pool by 2) and a two-layer head with dropout, after Bae et al., Magn Reson
Med Sci 2025. They differ only in the loss: the qCNN regresses standardised log
amplitudes (mean squared error), the cCNN classifies (cross-entropy).
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["ClassifierCNNModule", "QuantifierCNNModule", "SpectrumCNNModule"]


class SpectrumCNNModule(nn.Module):
    """Convolutional network from a windowed spectrum ``(n, 2, n_in)`` to ``(n, n_out)`` outputs.

    Parameters
    ----------
    n_in
        Points of the ppm window (the length of each input channel).
    n_out
        Outputs (components for the qCNN, classes for the cCNN).
    channels
        Width of the first convolution (doubled in the second and third).
    dropout
        Dropout rate in the head (kept on at prediction time for MC dropout).
    """

    def __init__(self, n_in: int, n_out: int, *, channels: int = 8, dropout: float = 0.1) -> None:
        super().__init__()
        c = int(channels)
        self.features = nn.Sequential(
            nn.Conv1d(2, c, 9, padding=4),
            nn.BatchNorm1d(c),
            nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(c, 2 * c, 9, padding=4),
            nn.BatchNorm1d(2 * c),
            nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(2 * c, 2 * c, 9, padding=4),
            nn.BatchNorm1d(2 * c),
            nn.ReLU(),
            nn.MaxPool1d(2),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(2 * c * (int(n_in) // 8), 128),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(128, int(n_out)),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Raw outputs (standardised log amplitudes or class logits) of a batch ``(n, 2, n_in)``."""
        return self.head(self.features(x))

    def mc_dropout(self, *, on: bool) -> None:
        """Eval mode, with only the dropout layers switched ``on`` (Monte-Carlo dropout; batch norm stays frozen)."""
        self.eval()
        for module in self.modules():
            if isinstance(module, nn.Dropout):
                module.train(on)

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The fitting loss of ``output`` against ``target`` (defined by the subclasses)."""
        raise NotImplementedError


class QuantifierCNNModule(SpectrumCNNModule):
    """The qCNN network: outputs are standardised log amplitudes, the loss their mean squared error.

    Parameters
    ----------
    n_in
        Points of the ppm window.
    n_out
        Components (one standardised log amplitude each).
    channels
        Width of the first convolution.
    dropout
        Dropout rate in the head.
    """

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean squared error against standardised log amplitudes ``(n, n_out)``."""
        return nn.functional.mse_loss(output, target)


class ClassifierCNNModule(SpectrumCNNModule):
    """The cCNN network: outputs are class logits, the loss the cross-entropy.

    Parameters
    ----------
    n_in
        Points of the ppm window.
    n_out
        Classes (one logit each).
    channels
        Width of the first convolution.
    dropout
        Dropout rate in the head.
    """

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Cross-entropy against class indices ``(n,)``."""
        return nn.functional.cross_entropy(output, target)
