"""The fitted autoencoder: ``Autoencoder(...).fit(X)`` → latent features; save/load.

Chaudhary et al. (2018) is the default preset: one hidden layer of 500 tanh
units each side of a 100-unit bottleneck (500-100-500), dropout 0.5, an L1
activity penalty and L2 weight penalty, few epochs. Per-omic encoders
(``per_omic_dim``), denoising (``noise_std``) and early stopping on a validation
split (``validation_fraction`` + ``patience``) are options.

Fitting is seeded and deterministic on CPU: the weights are initialised and
dropout masks drawn inside :func:`torch.random.fork_rng` (global torch state is
restored afterwards); batches and noise come from a local ``torch.Generator``.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np

from omicsdl._errors import InputError
from omicsdl._model_format import format_header, read_format_json
from omicsdl._random import RNGLike, derive_seed

__all__ = ["AUTOENCODER_FORMAT_VERSION", "Autoencoder"]

logger = logging.getLogger(__name__)

AUTOENCODER_FORMAT_VERSION = 1
_PARAMS = (
    "hidden_dims",
    "latent_dim",
    "per_omic_dim",
    "activation",
    "dropout",
    "l1",
    "l2",
    "n_epochs",
    "batch_size",
    "learning_rate",
    "noise_std",
    "validation_fraction",
    "patience",
)


@contextlib.contextmanager
def torch_threads(n_threads: int | None) -> Iterator[None]:
    """Run a block with ``n_threads`` torch threads (``settings.n_threads`` if None), then restore."""
    import torch

    from omicsdl._settings import settings

    n = n_threads if n_threads is not None else settings.n_threads
    before = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


class Autoencoder:
    """Stacked autoencoder for multi-omics integration (Chaudhary et al. 2018 preset).

    Parameters
    ----------
    hidden_dims
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
        L2 penalty on the weights (AdamW-free weight decay of Adam).
    n_epochs
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
    rng
        Seed or generator (``None``: ``settings.seed``).
    n_threads
        Torch threads while fitting/transforming (``None``: ``settings.n_threads``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(50, 20))  # synthetic
    >>> ae = Autoencoder(hidden_dims=(16,), latent_dim=4, n_epochs=2, rng=0).fit(X)
    >>> ae.transform(X).shape
    (50, 4)
    """

    def __init__(
        self,
        *,
        hidden_dims: Sequence[int] = (500,),
        latent_dim: int = 100,
        per_omic_dim: int | None = None,
        activation: str = "tanh",
        dropout: float = 0.5,
        l1: float = 1e-4,
        l2: float = 1e-4,
        n_epochs: int = 10,
        batch_size: int = 32,
        learning_rate: float = 1e-3,
        noise_std: float = 0.0,
        validation_fraction: float = 0.0,
        patience: int = 5,
        rng: RNGLike = None,
        n_threads: int | None = None,
    ) -> None:
        self.hidden_dims = hidden_dims
        self.latent_dim = latent_dim
        self.per_omic_dim = per_omic_dim
        self.activation = activation
        self.dropout = dropout
        self.l1 = l1
        self.l2 = l2
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.noise_std = noise_std
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.rng = rng
        self.n_threads = n_threads

    # -- parameters ------------------------------------------------------------
    def get_params(self) -> dict[str, Any]:
        """Hyperparameters as a JSON-ready dict (without ``rng`` and ``n_threads``)."""
        params = {name: getattr(self, name) for name in _PARAMS}
        params["hidden_dims"] = [int(h) for h in self.hidden_dims]
        return params

    def _validate(self) -> None:
        from omicsdl.models._autoencoder_module import ACTIVATIONS

        if self.activation not in ACTIVATIONS:
            msg = f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}"
            raise ValueError(msg)
        if not 0 <= self.dropout < 1:
            msg = f"dropout must lie in [0, 1), got {self.dropout}"
            raise ValueError(msg)
        if not 0 <= self.validation_fraction < 1:
            msg = f"validation_fraction must lie in [0, 1), got {self.validation_fraction}"
            raise ValueError(msg)
        if int(self.latent_dim) < 1 or int(self.n_epochs) < 1 or int(self.batch_size) < 1:
            msg = "latent_dim, n_epochs and batch_size must be positive"
            raise ValueError(msg)

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
        import torch

        from omicsdl._logging import progress
        from omicsdl.models._autoencoder_module import AutoencoderModule

        self._validate()
        X, names, sizes = _as_matrix(X, block_sizes)
        n = X.shape[0]
        if n < 4:
            msg = f"an autoencoder needs at least 4 patients, got {n}"
            raise InputError(msg)
        seed = derive_seed(self.rng)
        gen = np.random.default_rng(seed)
        order = gen.permutation(n)
        n_val = round(self.validation_fraction * n) if self.validation_fraction > 0 else 0
        val_idx, fit_idx = order[:n_val], order[n_val:]
        history: list[dict[str, float]] = []
        with torch_threads(self.n_threads), torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)  # inside fork_rng: init and dropout masks, restored on exit
            module = AutoencoderModule(
                sizes,
                hidden_dims=tuple(int(h) for h in self.hidden_dims),
                latent_dim=int(self.latent_dim),
                per_omic_dim=self.per_omic_dim,
                activation=self.activation,
                dropout=float(self.dropout),
            )
            optim = torch.optim.Adam(module.parameters(), lr=self.learning_rate, weight_decay=self.l2)
            data = torch.from_numpy(X[fit_idx])
            val = torch.from_numpy(X[val_idx]) if n_val else None
            tgen = torch.Generator().manual_seed(seed)
            best, best_state, stale = float("inf"), None, 0
            for epoch in progress(range(int(self.n_epochs)), desc="autoencoder", total=int(self.n_epochs)):
                module.train()
                perm = torch.randperm(data.shape[0], generator=tgen)
                total = 0.0
                for start in range(0, data.shape[0], int(self.batch_size)):
                    batch = data[perm[start : start + int(self.batch_size)]]
                    inp = batch
                    if self.noise_std > 0:
                        inp = batch + self.noise_std * torch.randn(batch.shape, generator=tgen)
                    recon, z = module(inp)
                    loss = module.loss(batch, recon, z, l1=self.l1)
                    optim.zero_grad(set_to_none=True)
                    loss.backward()
                    optim.step()
                    total += float(loss.detach()) * batch.shape[0]
                record = {"epoch": epoch + 1, "loss": total / data.shape[0]}
                if val is not None:
                    module.eval()
                    with torch.no_grad():
                        recon, z = module(val)
                        vloss = float(module.loss(val, recon, z, l1=self.l1))
                    record["val_loss"] = vloss
                    if vloss < best - 1e-6:
                        best, stale = vloss, 0
                        best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
                    else:
                        stale += 1
                history.append(record)
                logger.debug("autoencoder epoch %d: %s", epoch + 1, record)
                if val is not None and stale >= int(self.patience):
                    logger.info("autoencoder: early stop after epoch %d", epoch + 1)
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
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "module_"):
            msg = "this Autoencoder is not fitted yet; call fit() first"
            raise RuntimeError(msg)

    def transform(self, X: np.ndarray | Mapping[str, np.ndarray]) -> np.ndarray:
        """Latent features (patients × ``latent_dim``) of preprocessed input."""
        import torch

        self._check_fitted()
        X, _, _ = _as_matrix(X, None)
        if X.shape[1] != self.n_features_in_:
            msg = f"the autoencoder was fitted on {self.n_features_in_} features, got {X.shape[1]}"
            raise InputError(
                msg,
                fix="preprocess new patients with the preprocessors fitted alongside the autoencoder",
            )
        with torch_threads(self.n_threads), torch.no_grad():
            z = self.module_.encoder(torch.from_numpy(X))
        return z.numpy().astype(np.float64)

    get_latent_representation = transform

    def fit_transform(self, X: np.ndarray | Mapping[str, np.ndarray], **kwargs: Any) -> np.ndarray:
        """Fit, then return the latent features of ``X``."""
        return self.fit(X, **kwargs).transform(X)

    def reconstruction_error(self, X: np.ndarray) -> float:
        """Mean squared reconstruction error of ``X`` (dropout off)."""
        import torch

        self._check_fitted()
        X, _, _ = _as_matrix(X, None)
        with torch.no_grad():
            recon, _ = self.module_(torch.from_numpy(X))
        return float(torch.mean((recon - torch.from_numpy(X)) ** 2))

    # -- persistence -----------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write ``model.safetensors`` + ``autoencoder.json`` into directory ``path`` (atomically)."""
        from omicsdl._atomic import atomic_dir

        self._check_fitted()
        with atomic_dir(path) as tmp:
            self.write_files(tmp)
        return Path(path)

    def write_files(self, directory: Path) -> None:
        """Write the model files into an existing directory (used by composite models)."""
        from safetensors.torch import save_file

        state = {k: v.contiguous() for k, v in self.module_.state_dict().items()}
        save_file(state, str(directory / "autoencoder.safetensors"))
        meta = {
            **format_header("omicsdl.Autoencoder", AUTOENCODER_FORMAT_VERSION),
            "params": self.get_params(),
            "block_names": list(self.block_names_),
            "block_sizes": list(self.block_sizes_),
            "history": self.history_,
        }
        (directory / "autoencoder.json").write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, path: str | Path) -> Autoencoder:
        """Load a model written by :meth:`save`.

        Raises
        ------
        ModelFormatError
            If the directory is not an omicsdl autoencoder or its format is newer/unknown.
        """
        from safetensors.torch import load_file

        from omicsdl.models._autoencoder_module import AutoencoderModule

        path = Path(path)
        meta = read_format_json(
            path / "autoencoder.json",
            "omicsdl.Autoencoder",
            AUTOENCODER_FORMAT_VERSION,
            what="omicsdl autoencoder",
        )
        params = meta["params"]
        ae = cls(**params)
        module = AutoencoderModule(
            meta["block_sizes"],
            hidden_dims=params["hidden_dims"],
            latent_dim=params["latent_dim"],
            per_omic_dim=params["per_omic_dim"],
            activation=params["activation"],
            dropout=params["dropout"],
        )
        module.load_state_dict(load_file(str(path / "autoencoder.safetensors")))
        module.eval()
        ae.module_ = module
        ae.block_names_ = list(meta["block_names"])
        ae.block_sizes_ = [int(s) for s in meta["block_sizes"]]
        ae.n_features_in_ = int(sum(ae.block_sizes_))
        ae.history_ = meta.get("history", [])
        ae.n_epochs_fitted_ = len(ae.history_)
        return ae


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
