"""The autoencoder as a pure :class:`torch.nn.Module` (no AnnData, no fitting loop).

Two shapes share one class:

* **concatenated input** (Chaudhary et al. 2018): all omics concatenated →
  ``hidden_sizes`` → ``latent_dim`` → mirrored hidden layers → reconstruction;
* **per-omic encoders** (``per_omic_dim`` set): each omic has its own first
  encoder layer and its own last decoder layer; their outputs are concatenated
  and joined in the shared bottleneck.

The loss is the mean squared reconstruction error plus an L1 penalty on the
hidden activations (Keras' ``activity_regularizer`` in the original); the L2
penalty on weights is applied by the optimiser as weight decay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import torch
from torch import nn

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ACTIVATIONS", "AutoencoderModule"]

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "elu": nn.ELU, "sigmoid": nn.Sigmoid}
Activation = Literal["tanh", "relu", "elu", "sigmoid"]


class _BlockLinear(nn.Module):
    """One ``nn.Linear`` per input block (omic); outputs concatenated."""

    def __init__(self, in_sizes: Sequence[int], out_sizes: Sequence[int]) -> None:
        super().__init__()
        self.in_sizes = [int(s) for s in in_sizes]
        self.layers = nn.ModuleList(nn.Linear(i, o) for i, o in zip(in_sizes, out_sizes, strict=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = torch.split(x, self.in_sizes, dim=1)
        return torch.cat([layer(p) for layer, p in zip(self.layers, parts, strict=True)], dim=1)


class AutoencoderModule(nn.Module):
    """Stacked (optionally per-omic) autoencoder.

    Parameters
    ----------
    block_sizes
        Number of input features of each omic, in column order.
    hidden_sizes
        Widths of the encoder's hidden layers between input and bottleneck
        (mirrored in the decoder); Chaudhary's ``(500,)`` gives 500-100-500.
    latent_dim
        Width of the bottleneck.
    per_omic_dim
        If set, each omic is first encoded to this many units by its own layer
        (and decoded by its own last layer) before the shared layers.
    activation
        Non-linearity of every hidden layer and the bottleneck.
    dropout
        Dropout probability after every hidden layer (not on the bottleneck).
    """

    def __init__(
        self,
        block_sizes: Sequence[int],
        *,
        hidden_sizes: Sequence[int] = (500,),
        latent_dim: int = 100,
        per_omic_dim: int | None = None,
        activation: Activation = "tanh",
        dropout: float = 0.5,
    ) -> None:
        super().__init__()
        act = ACTIVATIONS[activation]
        self.block_sizes = [int(s) for s in block_sizes]
        n_in = sum(self.block_sizes)
        enc: list[nn.Module] = []
        width = n_in
        if per_omic_dim is not None:
            enc += [_BlockLinear(self.block_sizes, [per_omic_dim] * len(self.block_sizes)), act()]
            if dropout > 0:
                enc.append(nn.Dropout(dropout))
            width = per_omic_dim * len(self.block_sizes)
        for h in hidden_sizes:
            enc += [nn.Linear(width, h), act()]
            if dropout > 0:
                enc.append(nn.Dropout(dropout))
            width = h
        enc += [nn.Linear(width, latent_dim), act()]
        dec: list[nn.Module] = []
        width = latent_dim
        for h in reversed(hidden_sizes):
            dec += [nn.Linear(width, h), act()]
            if dropout > 0:
                dec.append(nn.Dropout(dropout))
            width = h
        if per_omic_dim is not None:
            dec += [nn.Linear(width, per_omic_dim * len(self.block_sizes)), act()]
            dec.append(_BlockLinear([per_omic_dim] * len(self.block_sizes), self.block_sizes))
        else:
            dec.append(nn.Linear(width, n_in))
        self.encoder = nn.Sequential(*enc)
        self.decoder = nn.Sequential(*dec)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``(reconstruction, latent)``."""
        z = self.encoder(x)
        return self.decoder(z), z

    @staticmethod
    def loss(
        target: torch.Tensor, reconstruction: torch.Tensor, latent: torch.Tensor, *, l1: float = 0.0
    ) -> torch.Tensor:
        """Mean squared error plus ``l1`` × mean absolute bottleneck activation.

        Parameters
        ----------
        target
            The (clean) input.
        reconstruction
            The decoder's output.
        latent
            The bottleneck activations.
        l1
            Weight of the activity penalty.
        """
        mse = torch.mean((reconstruction - target) ** 2)
        if l1 > 0:
            mse = mse + l1 * latent.abs().mean()
        return mse
