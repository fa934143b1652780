"""An autoencoder whose bottleneck is also trained to predict survival (supervised bottleneck).

:class:`CoxAutoencoder` is an :class:`~omicsdl.subtypes.Autoencoder` with a
linear Cox head on the bottleneck; its loss is the reconstruction loss plus
``cox_weight`` × the negative Cox partial log-likelihood of the batch (cf.
AUTOSurv, Jiang et al., Brief Bioinform 2023; Cox-nnet, Ching et al., PLoS
Comput Biol 2018). Early stopping watches the same loss on a validation split
of the training patients (never the held-out ones).

:class:`CoxAutoencoderModel` wraps it with the shared per-omic preprocessing
as a risk model for cohorts (``fit(mdata)`` / ``predict(mdata)``); its risk is
the head's log relative hazard, and its attributions are integrated gradients
of that risk through the encoder.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import hyperparameters
from omicsdl._core._device import Device, torch_threads
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, derive_seed
from omicsdl.subtypes._autoencoder import Autoencoder, _as_matrix
from omicsdl.subtypes._risk_model import _RiskModel

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from mudata import MuData

    from omicsdl._core._base import BaseEstimator

__all__ = ["DEFAULT_COX_AUTOENCODER", "CoxAutoencoder", "CoxAutoencoderModel"]

logger = logging.getLogger(__name__)

#: the architecture of :class:`CoxAutoencoderModel` (smaller than Chaudhary's: it is fitted with survival)
DEFAULT_COX_AUTOENCODER: dict[str, Any] = {
    "hidden_sizes": (200,),
    "latent_dim": 32,
    "dropout": 0.3,
    "l2": 1e-3,
    "max_epochs": 60,
    "batch_size": 64,
    "validation_fraction": 0.2,
    "patience": 10,
}


@hyperparameters
class CoxAutoencoder(Autoencoder):
    """Autoencoder + linear Cox head on the bottleneck, fitted on reconstruction and survival.

    Parameters
    ----------
    cox_weight
        Weight of the Cox partial-likelihood term relative to the reconstruction loss.
    hidden_sizes, latent_dim, per_omic_dim, activation, dropout, l1, l2, max_epochs, batch_size, learning_rate, noise_std, validation_fraction, patience, fused_optimizer, n_threads, device, rng
        As for :class:`~omicsdl.subtypes.Autoencoder`.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 10)).astype("float32")  # SYNTHETIC
    >>> t, e = rng.exponential(np.exp(-X[:, 0])), np.ones(80)
    >>> cae = CoxAutoencoder(hidden_sizes=(8,), latent_dim=4, max_epochs=3, rng=0).fit(X, t, e)
    >>> cae.predict_risk(X).shape
    (80,)
    """

    _display_name = "omicsdl Cox autoencoder"
    _progress_name = "Cox autoencoder"

    cox_weight: float = 1.0

    def _new_module(self, block_sizes: Sequence[int]) -> Any:
        from omicsdl.subtypes._module import CoxAutoencoderModule

        return CoxAutoencoderModule(
            block_sizes,
            hidden_sizes=tuple(int(h) for h in self.hidden_sizes),
            latent_dim=int(self.latent_dim),
            per_omic_dim=None if self.per_omic_dim is None else int(self.per_omic_dim),
            activation=self.activation,
            dropout=float(self.dropout),
        )

    def _batch_loss(self, module: Any, batch: Any, inp: Any, rows: Any) -> Any:
        from omicsdl.subtypes._module import cox_partial_nll

        recon, z = module(inp)
        loss = module.loss(batch, recon, z, l1=self.l1)
        risk = module.head(z).squeeze(-1)
        dev = risk.device
        return loss + float(self.cox_weight) * cox_partial_nll(
            risk, self._time[rows].to(dev), self._event[rows].to(dev)
        )

    def fit(  # type: ignore[override]
        self,
        X: np.ndarray | Mapping[str, np.ndarray],
        durations: Any,
        events: Any,
        *,
        block_sizes: Sequence[int] | None = None,
    ) -> Self:
        """Fit on preprocessed input and the patients' survival.

        Parameters
        ----------
        X
            Preprocessed values (patients × features, or omic → matrix).
        durations, events
            Survival of the same patients.
        block_sizes
            Columns per omic when ``X`` is one matrix.

        Raises
        ------
        InputError
            Missing values, mismatched survival, or no event.
        """
        import torch

        from omicsdl.survival import survival_arrays

        self._validate()
        X, names, sizes = _as_matrix(X, block_sizes)
        t, e = survival_arrays(durations, events)
        if t.shape[0] != X.shape[0]:
            msg = f"{t.shape[0]} survival times for {X.shape[0]} patients"
            raise InputError(msg)
        if not e.any():
            msg = "no event: the Cox term of the loss is undefined"
            raise InputError(msg)
        self._time = torch.from_numpy(t.astype(np.float32))
        self._event = torch.from_numpy(e.astype(np.float32))
        try:
            self._train(X, sizes, names)
        finally:
            del self._time, self._event
        return self

    def predict_risk(self, X: np.ndarray | Mapping[str, np.ndarray]) -> np.ndarray:
        """Log relative hazard of each patient (the Cox head on the bottleneck)."""
        import torch

        self.check_fitted()
        x = self._input_tensor(X)
        with torch_threads(self.n_threads), torch.no_grad():
            r = self.module_.risk(x)
        return r.cpu().numpy().astype(np.float64)

    def risk_gradient(self, X: np.ndarray) -> np.ndarray:
        """Gradient of each patient's risk with respect to its input (for integrated gradients)."""
        self.check_fitted()
        x = self._input_tensor(np.asarray(X, dtype=np.float32)).requires_grad_()
        with torch_threads(self.n_threads):
            self.module_.risk(x).sum().backward()
        return x.grad.cpu().numpy().astype(np.float64)


@hyperparameters
class CoxAutoencoderModel(_RiskModel):
    """Per-omic preprocessing + :class:`CoxAutoencoder` as a survival risk model for cohorts.

    Parameters
    ----------
    omics
        Modalities (default: all of the cohort's).
    autoencoder
        Keyword arguments of :class:`CoxAutoencoder` on top of :data:`DEFAULT_COX_AUTOENCODER`.
    preprocess
        Extra :class:`~omicsdl.pp.Preprocessor` arguments for every omic.
    n_threads, device, rng
        As for :class:`CoxAutoencoder`.
    """

    family: ClassVar[str] = "deep"
    _fitted_attr = "autoencoder_"
    _display_name = "omicsdl Cox-autoencoder risk model"

    omics: Sequence[str] | None = None
    autoencoder: Mapping[str, Any] | None = None
    preprocess: Mapping[str, Any] | None = None
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    def fit(self, mdata: MuData, *, source: str = "cohort") -> Self:
        """Fit preprocessing and the Cox autoencoder on ``mdata``'s patients with every omic."""
        from omicsdl.subtypes._model import survival_of
        from omicsdl.subtypes._omics_input import OmicsInput, complete_patients

        omics = list(self.omics) if self.omics is not None else list(mdata.mod)
        mdata, self.left_out_ = complete_patients(mdata, omics, source=source)
        t, e = survival_of(mdata, source=source)
        self.input_ = OmicsInput(omics, self.preprocess)
        blocks = self.input_.fit(mdata)
        params = {**DEFAULT_COX_AUTOENCODER, **dict(self.autoencoder or {})}
        ae = CoxAutoencoder(**params, n_threads=self.n_threads, device=self.device, rng=derive_seed(self.rng))
        self.autoencoder_ = ae.fit(blocks, t, e)
        self.n_patients_, self.n_events_ = len(t), int(e.sum())
        return self

    def _matrix(self, mdata: MuData) -> tuple[np.ndarray, pd.DataFrame]:
        blocks, has = self.input_.transform(mdata)
        return np.concatenate([blocks[o] for o in self.input_.omics], axis=1), has

    def predict(self, mdata: MuData) -> pd.DataFrame:
        """Per patient: ``risk`` (log relative hazard) and ``omics_used``."""
        from omicsdl.subtypes._omics_input import omics_used

        self.check_fitted()
        X, has = self._matrix(mdata)
        return pd.DataFrame(
            {"risk": self.autoencoder_.predict_risk(X), "omics_used": omics_used(has)}, index=has.index
        )

    def embed(self, mdata: MuData) -> np.ndarray:
        """Bottleneck features of every patient of ``mdata`` (missing omics at the training mean)."""
        self.check_fitted()
        return self.autoencoder_.transform(self._matrix(mdata)[0])

    def _attribution_inputs(self, mdata: MuData) -> tuple[np.ndarray, pd.DataFrame, Callable]:
        X, _ = self._matrix(mdata)
        return X.astype(np.float64), self.input_.features(), self.autoencoder_.risk_gradient

    def _children(self) -> dict[str, BaseEstimator]:
        return {"autoencoder": self.autoencoder_}

    def _child_class(self, name: str, kind: str, *, source: Path) -> type[BaseEstimator]:
        if name != "autoencoder" or kind != "CoxAutoencoder":
            msg = f"unexpected child model {name!r} ({kind}); expected autoencoder/ (CoxAutoencoder)"
            raise ModelFormatError(msg, source=source)
        return CoxAutoencoder

    def _set_children(self, children: Mapping[str, BaseEstimator]) -> None:
        self._loaded_children = dict(children)

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {}, {
            "input": self.input_.to_dict(),
            "n_patients": self.n_patients_,
            "n_events": self.n_events_,
        }

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        from omicsdl.subtypes._omics_input import OmicsInput

        children = self.__dict__.pop("_loaded_children", {})
        if set(children) != {"autoencoder"}:
            msg = "a Cox-autoencoder model needs its autoencoder/ sub-model"
            raise ModelFormatError(msg, source=source)
        self.input_ = OmicsInput.from_dict(state["input"], self.preprocess)
        if self.omics is not None and list(self.omics) != list(self.input_.omics):
            msg = f"params.omics {self.omics!r} does not match the fitted omics {list(self.input_.omics)}"
            raise ModelFormatError(msg, source=source, fix="save the model again")
        ae = children["autoencoder"]
        if ae.n_features_in_ != sum(self.input_.block_sizes):
            msg = f"the autoencoder takes {ae.n_features_in_} features, the preprocessing gives {sum(self.input_.block_sizes)}"
            raise ModelFormatError(msg, source=source)
        self.autoencoder_ = ae
        self.n_patients_, self.n_events_ = int(state["n_patients"]), int(state["n_events"])
        self.left_out_ = []
