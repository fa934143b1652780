"""The torch module behind :class:`~omicsdl.blood.BloodPanelClassifier`: a small MLP.

Pure ``nn.Module`` (forward only, no data handling). It holds ``n_models``
independent networks of the same shape stacked along a first axis, so that the
fits of all cross-validation folds run as one batched computation (Adam and L2
decay act element-wise, so a stacked fit equals separate fits). Weights are
initialised from local, seeded ``torch.Generator`` objects, one per network; no
global torch random state is touched.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import torch
from torch import nn

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["PanelMLP"]


class PanelMLP(nn.Module):
    """``n_models`` fully connected networks: ``n_in`` → hidden layers (ReLU) → one logit.

    Parameters
    ----------
    n_in
        Number of input genes.
    hidden_sizes
        Width of each hidden layer; ``()`` gives logistic regression.
    n_models
        Number of stacked independent networks.
    generators
        One seeded generator per network for the initial weights (uniform in
        ``±1/sqrt(fan_in)``, torch's ``nn.Linear`` default); ``None`` leaves zeros
        (for loading saved weights).
    """

    def __init__(
        self,
        n_in: int,
        hidden_sizes: Sequence[int],
        *,
        n_models: int = 1,
        generators: Sequence[torch.Generator] | None = None,
    ) -> None:
        super().__init__()
        sizes = [int(n_in), *(int(h) for h in hidden_sizes), 1]
        self.n_models = int(n_models)
        self.weights = nn.ParameterList(
            nn.Parameter(torch.zeros(self.n_models, a, b)) for a, b in itertools.pairwise(sizes)
        )
        self.biases = nn.ParameterList(nn.Parameter(torch.zeros(self.n_models, 1, b)) for b in sizes[1:])
        if generators is not None:
            self.reset_parameters(generators)

    @torch.no_grad()
    def reset_parameters(self, generators: Sequence[torch.Generator]) -> None:
        """Draw every network's weights from its own generator."""
        if len(generators) != self.n_models:
            msg = f"need {self.n_models} generators, got {len(generators)}"
            raise ValueError(msg)
        for m, gen in enumerate(generators):
            for w, b in zip(self.weights, self.biases, strict=True):
                bound = 1.0 / math.sqrt(w.shape[1])
                w[m].uniform_(-bound, bound, generator=gen)
                b[m].uniform_(-bound, bound, generator=gen)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of the positive class.

        ``x`` is ``(n_models, n, n_in)`` (each network its own input) or
        ``(n, n_in)`` (shared input); the result is ``(n_models, n)``.
        """
        if x.dim() == 2:
            x = x.unsqueeze(0).expand(self.n_models, -1, -1)
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            x = torch.baddbmm(b, x, w)
            if i < last:
                x = torch.relu(x)
        return x.squeeze(-1)
