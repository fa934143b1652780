"""The fitted autoencoder: ``Autoencoder(...).fit(X)`` → latent features; save/load.

Chaudhary et al. (2018) is the default preset: one hidden layer of 500 tanh
units each side of a 100-unit bottleneck (500-100-500), dropout 0.5, an L1
activity penalty and L2 weight penalty, few epochs. Per-omic encoders
(``per_omic_dim``), denoising (``noise_std``) and early stopping on a validation
split (``validation_fraction`` + ``patience``) are options.

Fitting is seeded and deterministic on the CPU for a given thread count: the
weights, the dropout masks, the batch order and the noise all come from one
local ``torch.Generator``; no global torch random state is read or changed,
so fits may run side by side in threads. The optimiser is torch's fused Adam.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._device import Device, resolve_device, torch_threads
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, derive_seed
from omicsdl._core._state import check_state_arrays, meta_shapes

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Autoencoder"]

logger = logging.getLogger(__name__)


@hyperparameters
class Autoencoder(BaseEstimator):
    """Stacked autoencoder for multi-omics integration (Chaudhary et al. 2018 preset).

    Parameters
    ----------
    hidden_sizes
        Hidden-layer widths between input and bottleneck (mirrored in the decoder).
    latent_dim
        Bottleneck width (number of latent features).
    per_omic_dim
        If set, each omic gets its own first encoder layer of this width, joined
        in the shared layers (requires blocks at fit time).
    activation
        ``"tanh"`` (published), ``"relu"``, ``"elu"`` or ``"sigmoid"``.
    dropout
        Dropout probability after hidden layers.
    l1
        L1 penalty on the bottleneck activations.
    l2
        L2 penalty on the weights (weight decay of Adam).
    max_epochs
        Maximum passes over the training patients.
    batch_size
        Patients per gradient step.
    learning_rate
        Adam learning rate.
    noise_std
        Denoising: standard deviation of Gaussian noise added to the input while fitting.
    validation_fraction
        Fraction of patients held out to monitor the reconstruction loss; with
        ``patience`` it stops early and restores the best weights. 0 disables.
    patience
        Epochs without validation improvement before stopping.
    fused_optimizer
        Use torch's fused Adam step (one kernel for every parameter; about 2× faster
        on the CPU at full width); ``False``: the per-parameter loop (for comparison).
    n_threads
        Torch threads while fitting/transforming (``None``: ``settings.n_threads``).
        Results are bit-identical for one thread count; a different count may
        change the last bits of the weights (the evaluation fits every model on
        one thread and runs models side by side instead).
    device
        ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator (``None``: ``settings.seed``).

    Attributes
    ----------
    module_
        The fitted :class:`~omicsdl.subtypes.AutoencoderModule` (in eval mode).
    history_
        Per epoch: training loss (and validation loss when monitored).
    n_epochs_fitted_
        Epochs actually run (fewer than ``max_epochs`` after an early stop).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(50, 20))  # synthetic
    >>> ae = Autoencoder(hidden_sizes=(16,), latent_dim=4, max_epochs=2, rng=0).fit(X)
    >>> ae.transform(X).shape
    (50, 4)
    """

    _fitted_attr = "module_"
    _display_name = "omicsdl autoencoder"
    _progress_name = "autoencoder"

    hidden_sizes: Sequence[int] = (500,)
    latent_dim: int = 100
    per_omic_dim: int | None = None
    activation: str = "tanh"
    dropout: float = 0.5
    l1: float = 1e-4
    l2: float = 1e-4
    max_epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    noise_std: float = 0.0
    validation_fraction: float = 0.0
    patience: int = 5
    fused_optimizer: bool = True
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    def _validate(self) -> None:
        from omicsdl.subtypes._module import ACTIVATIONS

        if self.activation not in ACTIVATIONS:
            msg = f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}"
            raise ValueError(msg)
        if not 0 <= self.dropout < 1:
            msg = f"dropout must lie in [0, 1), got {self.dropout}"
            raise ValueError(msg)
        if not 0 <= self.validation_fraction < 1:
            msg = f"validation_fraction must lie in [0, 1), got {self.validation_fraction}"
            raise ValueError(msg)
        if int(self.latent_dim) < 1 or int(self.max_epochs) < 1 or int(self.batch_size) < 1:
            msg = "latent_dim, max_epochs and batch_size must be positive"
            raise ValueError(msg)

    def _new_module(self, block_sizes: Sequence[int]) -> Any:
        from omicsdl.subtypes._module import AutoencoderModule

        return AutoencoderModule(
            block_sizes,
            hidden_sizes=tuple(int(h) for h in self.hidden_sizes),
            latent_dim=int(self.latent_dim),
            per_omic_dim=None if self.per_omic_dim is None else int(self.per_omic_dim),
            activation=self.activation,
            dropout=float(self.dropout),
        )

    # -- fitting ---------------------------------------------------------------
    def fit(
        self, X: np.ndarray | Mapping[str, np.ndarray], *, block_sizes: Sequence[int] | None = None
    ) -> Self:
        """Fit on patients × features (or a mapping omic → matrix, concatenated in order).

        Parameters
        ----------
        X
            Preprocessed (e.g. z-scored) values, no missing values.
        block_sizes
            Columns per omic when ``X`` is one matrix (needed for ``per_omic_dim``).

        Raises
        ------
        InputError
            On missing or infinite values, or too few patients.
        """
        self._validate()
        X, names, sizes = _as_matrix(X, block_sizes)
        self._train(X, sizes, names)
        return self

    def _batch_loss(self, module: Any, batch: Any, inp: Any, rows: Any) -> Any:
        """The loss of one batch (``inp``: the possibly noisy input, ``rows``: the batch's patients)."""
        recon, z = module(inp)
        return module.loss(batch, recon, z, l1=self.l1)

    def _train(self, X: np.ndarray, sizes: list[int], names: list[str]) -> None:
        """The fitting loop shared by the autoencoders: seeded, deterministic, no global random state."""
        import torch

        from omicsdl._core._logging import progress
        from omicsdl._core._random import torch_generator
        from omicsdl.subtypes._module import build_module

        device = resolve_device(self.device)
        n = X.shape[0]
        if n < 4:
            msg = f"an autoencoder needs at least 4 patients, got {n}"
            raise InputError(msg)
        seed = derive_seed(self.rng)
        order = np.random.default_rng(seed).permutation(n)
        n_val = round(self.validation_fraction * n) if self.validation_fraction > 0 else 0
        val_idx, fit_idx = np.sort(order[:n_val]), np.sort(order[n_val:])
        self._fit_rows = fit_idx
        self._val_rows = val_idx
        history: list[dict[str, float]] = []
        batch_size = int(self.batch_size)
        gen = torch_generator(seed)  # init, batch order, noise and (on the CPU) dropout masks
        with torch_threads(self.n_threads):
            module = build_module(lambda: self._new_module(sizes), generator=gen, device=device)
            if device.type == "cpu":
                module.set_generator(gen)
            else:
                module.set_generator(torch.Generator(device=device).manual_seed(seed))
            optim = torch.optim.Adam(
                module.parameters(),
                lr=self.learning_rate,
                weight_decay=self.l2,
                **({"fused": True} if self.fused_optimizer else {"foreach": False}),
            )
            data = torch.from_numpy(X[fit_idx]).to(device)
            val = torch.from_numpy(X[val_idx]).to(device) if n_val else None
            rows_fit = torch.from_numpy(fit_idx)
            best, best_state, stale = float("inf"), None, 0
            epochs = range(int(self.max_epochs))
            if (
                threading.current_thread() is threading.main_thread()
            ):  # fits side by side show one bar, not many
                epochs = progress(epochs, desc=self._progress_name, total=int(self.max_epochs))
            for epoch in epochs:
                module.train()
                perm = torch.randperm(data.shape[0], generator=gen)
                total = 0.0
                for start in range(0, data.shape[0], batch_size):
                    idx = perm[start : start + batch_size]
                    batch = data[idx.to(device)]
                    inp = batch
                    if self.noise_std > 0:
                        noise = torch.randn(batch.shape, generator=gen).to(device)
                        inp = batch + self.noise_std * noise
                    loss = self._batch_loss(module, batch, inp, rows_fit[idx])
                    optim.zero_grad(set_to_none=True)
                    loss.backward()
                    optim.step()
                    total += float(loss.detach()) * batch.shape[0]
                record = {"epoch": epoch + 1, "loss": total / data.shape[0]}
                if val is not None:
                    module.eval()
                    with torch.no_grad():
                        vloss = float(self._batch_loss(module, val, val, torch.from_numpy(val_idx)))
                    record["val_loss"] = vloss
                    if vloss < best - 1e-6:
                        best, stale = vloss, 0
                        best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
                    else:
                        stale += 1
                history.append(record)
                logger.debug("%s epoch %d: %s", self._progress_name, epoch + 1, record)
                if val is not None and stale >= int(self.patience):
                    logger.info("%s: early stop after epoch %d", self._progress_name, epoch + 1)
                    break
            if best_state is not None:
                module.load_state_dict(best_state)
        module.eval()
        self.module_ = module
        self.block_names_ = names
        self.block_sizes_ = sizes
        self.n_features_in_ = int(sum(sizes))
        self.history_ = history
        self.n_epochs_fitted_ = len(history)

    def _input_tensor(self, X: np.ndarray | Mapping[str, np.ndarray]) -> Any:
        import torch

        X, _, _ = _as_matrix(X, None)
        if X.shape[1] != self.n_features_in_:
            msg = f"the autoencoder was fitted on {self.n_features_in_} features, got {X.shape[1]}"
            raise InputError(
                msg,
                fix="preprocess new patients with the preprocessors fitted alongside the autoencoder",
            )
        return torch.from_numpy(X).to(next(self.module_.parameters()).device)

    def transform(self, X: np.ndarray | Mapping[str, np.ndarray]) -> np.ndarray:
        """Latent features (patients × ``latent_dim``) of preprocessed input."""
        import torch

        self.check_fitted()
        x = self._input_tensor(X)
        with torch_threads(self.n_threads), torch.no_grad():
            z = self.module_.encoder(x)
        return z.cpu().numpy().astype(np.float64)

    get_latent_representation = transform

    def fit_transform(self, X: np.ndarray | Mapping[str, np.ndarray], **kwargs: Any) -> np.ndarray:
        """Fit, then return the latent features of ``X``."""
        return self.fit(X, **kwargs).transform(X)

    def reconstruction_error(self, X: np.ndarray) -> float:
        """Mean squared reconstruction error of ``X`` (dropout off)."""
        import torch

        self.check_fitted()
        x = self._input_tensor(X)
        with torch_threads(self.n_threads), torch.no_grad():
            recon, _ = self.module_(x)
        return float(torch.mean((recon - x) ** 2))

    # -- persistence -----------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {k: v.detach().cpu().numpy() for k, v in self.module_.state_dict().items()}
        state = {
            "block_names": list(self.block_names_),
            "block_sizes": [int(s) for s in self.block_sizes_],
            "history": self.history_,
        }
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        import torch

        self._validate()
        sizes = [int(s) for s in state["block_sizes"]]
        names = [str(n) for n in state["block_names"]]
        if len(names) != len(sizes) or not sizes or min(sizes) < 1:
            msg = f"block_sizes {sizes} and block_names {names} do not describe the input"
            raise ModelFormatError(msg, source=source)
        check_state_arrays(arrays, meta_shapes(lambda: self._new_module(sizes)), source=source)
        module = self._new_module(sizes)
        module.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in arrays.items()})
        module.to(resolve_device(self.device)).eval()
        self.module_ = module
        self.block_names_ = names
        self.block_sizes_ = sizes
        self.n_features_in_ = int(sum(sizes))
        self.history_ = list(state.get("history", []))
        self.n_epochs_fitted_ = len(self.history_)


def _as_matrix(
    X: np.ndarray | Mapping[str, np.ndarray], block_sizes: Sequence[int] | None
) -> tuple[np.ndarray, list[str], list[int]]:
    if isinstance(X, Mapping):
        names = [str(k) for k in X]
        blocks = [np.asarray(v, dtype=np.float32) for v in X.values()]
        sizes = [b.shape[1] for b in blocks]
        mat = np.concatenate(blocks, axis=1)
    else:
        mat = np.asarray(X, dtype=np.float32)
        if mat.ndim != 2:
            msg = f"expected a patients × features matrix, got shape {mat.shape}"
            raise InputError(msg)
        sizes = [int(s) for s in block_sizes] if block_sizes is not None else [mat.shape[1]]
        names = [f"block{i}" for i in range(len(sizes))]
        if sum(sizes) != mat.shape[1]:
            msg = f"block_sizes sum to {sum(sizes)}, the matrix has {mat.shape[1]} columns"
            raise InputError(msg)
    if not np.isfinite(mat).all():
        msg = "the autoencoder input has missing or infinite values"
        raise InputError(msg, fix="impute with omicsdl.pp.Preprocessor")
    return np.ascontiguousarray(mat), names, sizes
