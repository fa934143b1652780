"""The autoencoders as pure :class:`torch.nn.Module` s (no AnnData, no fitting loop).

Two shapes share one class:

* **concatenated input** (Chaudhary et al. 2018): all omics concatenated →
  ``hidden_sizes`` → ``latent_dim`` → mirrored hidden layers → reconstruction;
* **per-omic encoders** (``per_omic_dim`` set): each omic has its own first
  encoder layer and its own last decoder layer; their outputs are concatenated
  and joined in the shared bottleneck.

The loss is the mean squared reconstruction error plus an L1 penalty on the
bottleneck activations (Keras' ``activity_regularizer`` in the original); the L2
penalty on weights is applied by the optimiser as weight decay.

:class:`CoxAutoencoderModule` adds a linear Cox head on the bottleneck: its
output is a log relative hazard, and its loss adds the negative Cox partial
log-likelihood (Breslow ties) to the reconstruction loss — a supervised
bottleneck (cf. AUTOSurv, Jiang et al. 2023; Cox-nnet, Ching et al. 2018).

Randomness is explicit: :func:`build_module` creates the layers on torch's
meta device and initialises them from a ``torch.Generator``, and the dropout
layers draw their masks from the generator given to :meth:`set_generator`, so
no global torch random state is read or changed (fits may run side by side
in threads and stay reproducible).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import torch
from torch import nn

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["ACTIVATIONS", "AutoencoderModule", "CoxAutoencoderModule", "build_module", "cox_partial_nll"]

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "elu": nn.ELU, "sigmoid": nn.Sigmoid}
Activation = Literal["tanh", "relu", "elu", "sigmoid"]


class GeneratorDropout(nn.Module):
    """Inverted dropout whose masks come from a ``torch.Generator`` (no global random state)."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = float(p)
        self.generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        gen = self.generator
        if gen is not None and gen.device != x.device:
            keep = torch.empty(x.shape).bernoulli_(1.0 - self.p, generator=gen).to(x.device)
        else:
            keep = torch.empty_like(x).bernoulli_(1.0 - self.p, generator=gen)
        return x * keep / (1.0 - self.p)


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
                enc.append(GeneratorDropout(dropout))
            width = per_omic_dim * len(self.block_sizes)
        for h in hidden_sizes:
            enc += [nn.Linear(width, h), act()]
            if dropout > 0:
                enc.append(GeneratorDropout(dropout))
            width = h
        enc += [nn.Linear(width, latent_dim), act()]
        dec: list[nn.Module] = []
        width = latent_dim
        for h in reversed(hidden_sizes):
            dec += [nn.Linear(width, h), act()]
            if dropout > 0:
                dec.append(GeneratorDropout(dropout))
            width = h
        if per_omic_dim is not None:
            dec += [nn.Linear(width, per_omic_dim * len(self.block_sizes)), act()]
            dec.append(_BlockLinear([per_omic_dim] * len(self.block_sizes), self.block_sizes))
        else:
            dec.append(nn.Linear(width, n_in))
        self.encoder = nn.Sequential(*enc)
        self.decoder = nn.Sequential(*dec)

    def set_generator(self, generator: torch.Generator | None) -> None:
        """Draw every dropout mask from ``generator`` (``None``: torch's global generator)."""
        for m in self.modules():
            if isinstance(m, GeneratorDropout):
                m.generator = generator

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


class CoxAutoencoderModule(AutoencoderModule):
    """An :class:`AutoencoderModule` with a linear Cox head on the bottleneck (log relative hazard)."""

    def __init__(self, block_sizes: Sequence[int], **kwargs: object) -> None:
        super().__init__(block_sizes, **kwargs)  # type: ignore[arg-type]
        latent_dim = int(kwargs.get("latent_dim", 100))  # type: ignore[call-overload]
        self.head = nn.Linear(latent_dim, 1, bias=False)

    def risk(self, x: torch.Tensor) -> torch.Tensor:
        """Log relative hazard of each patient (higher = worse)."""
        return self.head(self.encoder(x)).squeeze(-1)


def cox_partial_nll(risk: torch.Tensor, time: torch.Tensor, event: torch.Tensor) -> torch.Tensor:
    """Negative Cox partial log-likelihood per event (Breslow ties); 0 without events.

    Parameters
    ----------
    risk
        Log relative hazard per patient.
    time, event
        Follow-up time and event indicator (0/1 floats) per patient.
    """
    order = torch.argsort(time, descending=True, stable=True)
    r, e, t = risk[order], event[order], time[order]
    log_risk_set = torch.logcumsumexp(r, dim=0)
    # tied times share the risk set of the first (largest-index) patient with that time
    if t.numel() > 1:
        ends = torch.searchsorted(-t, -t, right=True) - 1
        log_risk_set = log_risk_set[ends]
    n_events = e.sum()
    if float(n_events) == 0:
        return risk.sum() * 0.0
    return -((r - log_risk_set) * e).sum() / n_events


def _init_linear(module: nn.Module, generator: torch.Generator) -> None:
    """Torch's default ``nn.Linear`` initialisation (uniform ±1/√fan_in), drawn from ``generator``."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            bound = 1.0 / math.sqrt(m.in_features) if m.in_features > 0 else 0.0
            with torch.no_grad():
                m.weight.uniform_(-bound, bound, generator=generator)
                if m.bias is not None:
                    m.bias.uniform_(-bound, bound, generator=generator)


def build_module(
    factory: Callable[[], nn.Module], *, generator: torch.Generator, device: torch.device | str = "cpu"
) -> nn.Module:
    """Build ``factory()`` without touching global random state, initialised from ``generator``.

    The layers are created on torch's meta device (no memory, no random draws),
    moved to ``device`` and initialised like torch's defaults from ``generator``.

    Parameters
    ----------
    factory
        Returns the (uninitialised) module.
    generator
        Source of the initial weights (a CPU generator).
    device
        Where the module lives.
    """
    with torch.device("meta"):
        module = factory()
    module = module.to_empty(device="cpu")
    _init_linear(module, generator)
    return module.to(device)
