"""The nine-gene blood classifier (Xie et al. 2018): a small torch MLP with its own scaler.

Fitting standardises each gene with the training mean and SD, weights the
classes inversely to their frequency (``pos_weight = n_control / n_HCC`` in the
logistic loss), and fits full-batch Adam with L2 weight decay from weights drawn
from a local, seeded ``torch.Generator``. The decision threshold is chosen on
the training samples (Youden's J or a target sensitivity). Training medians are
kept for the documented imputation at prediction time.

Saved models are one folder in the format of :class:`omicsdl._core._base.BaseEstimator`:
``model.safetensors`` (network weights, scaler, training medians) and
``model.json`` (format header, hyperparameters, threshold, class names,
training metadata, checksums).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._device import Device, resolve_device, torch_threads
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed, torch_generator
from omicsdl._core._state import check_state_arrays, meta_shapes
from omicsdl.blood._panel import NINE_GENE_PANEL
from omicsdl.blood._threshold import ThresholdRule, choose_threshold

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

__all__ = ["BloodPanelClassifier"]

logger = logging.getLogger(__name__)

_SCALER = ("mean_", "scale_", "median_")
_CLASSES = {"0": "control", "1": "HCC"}


@hyperparameters
class BloodPanelClassifier(BaseEstimator):
    """Small MLP that separates HCC from control on a blood gene panel.

    Parameters
    ----------
    genes
        The gene panel (column order of ``X``); nine genes of Xie et al. 2018 by default.
    hidden_sizes
        Hidden layer widths; ``()`` reduces the model to (weighted) logistic regression.
    weight_decay
        L2 penalty of Adam (``torch.optim.Adam(weight_decay=...)``).
    learning_rate
        Adam step size.
    max_epochs
        Full-batch optimisation steps (every step sees all training samples).
    class_weight
        ``"balanced"`` weights the positive class by ``n_negative / n_positive``;
        ``None`` leaves the loss unweighted.
    threshold
        Rule for the decision threshold on the training samples: ``"youden"`` or a
        target sensitivity (float in (0, 1]).
    n_threads
        Torch threads while fitting/predicting (``None``: ``settings.n_threads``).
    device
        ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator for the initial weights (``None``: ``settings.seed``).

    Attributes
    ----------
    mean_, scale_
        Training mean and SD per gene (standardisation).
    median_
        Training median per gene (for ``impute="training-median"``).
    threshold_
        Decision threshold on the HCC probability.
    module_
        The fitted :class:`~omicsdl.blood.PanelMLP` (one network, eval mode).
    n_samples_fit_, n_positive_fit_
        Training set size and number of positives.
    seed_
        Seed the initial weights were drawn with.
    final_loss_
        Weighted training loss after the last step (mean over the jointly fitted folds).
    metadata_
        Free-form description of the training data (set by
        :func:`omicsdl.blood.fit_blood_classifier`); saved with the model.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata = od.blood.simulate_blood_cohort(rng=0)  # SYNTHETIC
    >>> panel = od.blood.extract_panel(adata, label_key="condition", positive="HCC")
    >>> clf = od.blood.BloodPanelClassifier(rng=0).fit(panel.X, panel.y)
    >>> clf.predict_proba(panel.X).shape
    (243,)
    """

    _fitted_attr = "module_"
    _display_name = "blood classifier"

    genes: Sequence[str] = NINE_GENE_PANEL
    hidden_sizes: Sequence[int] = (16,)
    weight_decay: float = 0.05
    learning_rate: float = 0.02
    max_epochs: int = 150
    class_weight: Literal["balanced"] | None = "balanced"
    threshold: ThresholdRule = "youden"
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    # ------------------------------------------------------------------ helpers
    def _as_matrix(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        genes = list(self.genes)
        if isinstance(X, pd.DataFrame):
            missing = [g for g in genes if g not in X.columns]
            if missing:
                msg = f"input lacks panel gene(s) {', '.join(missing)}"
                raise InputError(
                    msg,
                    item=missing[0],
                    fix="use od.blood.extract_panel to build the panel matrix",
                )
            X = X[genes].to_numpy(dtype=float)
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(genes):
            msg = f"expected a samples × {len(genes)} panel matrix, got shape {X.shape}"
            raise InputError(msg)
        return X

    def _new_module(self, n_models: int = 1, generators: Sequence[Any] | None = None) -> Any:
        from omicsdl.blood._module import PanelMLP

        return PanelMLP(
            len(self.genes),
            [int(h) for h in self.hidden_sizes],
            n_models=n_models,
            generators=generators,
        )

    # ---------------------------------------------------------------------- API
    def fit(self, X: pd.DataFrame | np.ndarray, y: Sequence[int] | np.ndarray) -> Self:
        """Fit scaler, network and threshold on training samples.

        Parameters
        ----------
        X
            Samples × panel genes (a DataFrame is reordered to ``genes``). No missing values.
        y
            1 for HCC (positive), 0 for control.

        Returns
        -------
        The fitted classifier.

        Raises
        ------
        InputError
            Labels other than 0/1, one class only, missing values, or a matrix
            that does not have one column per panel gene.
        """
        X = self._as_matrix(X)
        (fitted,) = self.fit_many(X, y, np.ones((1, X.shape[0]), dtype=bool))
        self.__dict__.update({k: v for k, v in fitted.__dict__.items() if k.endswith("_")})
        return self

    def fit_many(
        self, X: pd.DataFrame | np.ndarray, y: Sequence[int] | np.ndarray, train_masks: np.ndarray
    ) -> list[BloodPanelClassifier]:
        """Fit one classifier per row of ``train_masks`` in a single batched run.

        Used for cross-validation: each fold gets its own scaler, threshold and
        initial weights (seeds drawn in order from ``rng``), exactly as separate
        :meth:`fit` calls would, but the networks train as one stacked tensor
        computation, which is many times faster for small data. ``self`` is left
        unfitted.

        Parameters
        ----------
        X
            Samples × panel genes of every fold together.
        y
            1 for HCC (positive), 0 for control, per sample of ``X``.
        train_masks
            Boolean folds × samples; row ``f`` selects the training samples of fold ``f``.

        Returns
        -------
        Fitted classifiers with the hyperparameters of ``self``, one per fold.

        Raises
        ------
        InputError
            Inconsistent shapes, labels other than 0/1, a fold with one class
            only, or missing values among the training samples.
        """
        import torch

        X = self._as_matrix(X)
        y = np.asarray(y)
        masks = np.asarray(train_masks, dtype=bool)
        if y.shape != (X.shape[0],):
            msg = f"y has shape {y.shape}, expected ({X.shape[0]},)"
            raise InputError(msg)
        if masks.ndim != 2 or masks.shape[1] != X.shape[0]:
            msg = f"train_masks must be folds × {X.shape[0]}, got {masks.shape}"
            raise InputError(msg)
        if not np.isin(y, (0, 1)).all():
            msg = "y must hold 0 (control) and 1 (HCC) only"
            raise InputError(msg)
        if self.class_weight not in ("balanced", None):
            msg = f"class_weight must be 'balanced' or None, got {self.class_weight!r}"
            raise InputError(msg)
        device = resolve_device(self.device)
        n_folds = masks.shape[0]
        n_pos = (masks & (y == 1)).sum(axis=1)
        n_fit = masks.sum(axis=1)
        if np.any(n_pos == 0) or np.any(n_pos == n_fit):
            f = int(np.flatnonzero((n_pos == 0) | (n_pos == n_fit))[0])
            msg = f"only one class in the training labels ({n_pos[f]} HCC, {n_fit[f] - n_pos[f]} control)"
            raise InputError(
                msg,
                fix="a classifier needs both HCC and control samples",
            )
        if not np.isfinite(X[masks.any(axis=0)]).all():
            msg = "training matrix has missing or infinite values"
            raise InputError(msg, fix="drop or fix those samples")

        means = np.stack([X[m].mean(axis=0) for m in masks])
        scales = np.stack([X[m].std(axis=0) for m in masks])
        scales = np.where(scales > 0, scales, 1.0)
        medians = np.stack([np.median(X[m], axis=0) for m in masks])
        pos_weight = (n_fit - n_pos) / n_pos if self.class_weight == "balanced" else np.ones(n_folds)
        sample_w = masks * np.where(y == 1, pos_weight[:, None], 1.0) / n_fit[:, None]

        gen = as_generator(self.rng)
        seeds = [derive_seed(gen) for _ in range(n_folds)]
        with torch_threads(self.n_threads):
            z = torch.as_tensor(
                (X[None, :, :] - means[:, None, :]) / scales[:, None, :], dtype=torch.float32
            ).to(device)
            target = torch.as_tensor(np.broadcast_to(y, masks.shape).astype(np.float32)).to(device)
            weight = torch.as_tensor(sample_w, dtype=torch.float32).to(device)
            # weights drawn on the CPU from per-fold generators, then moved: the same start on every device
            module = self._new_module(n_folds, [torch_generator(s) for s in seeds]).to(device)
            optim = torch.optim.Adam(
                module.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay, foreach=True
            )
            loss = torch.tensor(float("nan"))
            for _ in range(int(self.max_epochs)):
                optim.zero_grad(set_to_none=True)
                bce = torch.nn.functional.binary_cross_entropy_with_logits(
                    module(z), target, reduction="none"
                )
                loss = (bce * weight).sum()
                loss.backward()
                optim.step()
            with torch.no_grad():
                train_prob = torch.sigmoid(module(z)).double().cpu().numpy()
            final_loss = float(loss.detach()) / n_folds

            fitted = []
            for f in range(n_folds):
                clf = type(self)(**self.get_params())
                single = self._new_module(1).to(device)
                with torch.no_grad():
                    for dst, src in zip(single.parameters(), module.parameters(), strict=True):
                        dst.copy_(src[f : f + 1])
                single.eval()
                clf.module_ = single
                clf.mean_, clf.scale_, clf.median_ = means[f], scales[f], medians[f]
                clf.n_samples_fit_ = int(n_fit[f])
                clf.n_positive_fit_ = int(n_pos[f])
                clf.seed_ = int(seeds[f])
                clf.final_loss_ = final_loss
                clf.threshold_ = choose_threshold(y[masks[f]], train_prob[f][masks[f]], rule=self.threshold)
                clf.metadata_ = {}
                fitted.append(clf)
        logger.debug("fitted %d blood MLP(s) in one batch; mean loss %.4f", n_folds, final_loss)
        return fitted

    def predict_proba(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Probability of HCC (the positive class) per sample, shape ``(n,)``.

        Raises
        ------
        NotFittedError
            Before :meth:`fit` (or :meth:`load`).
        InputError
            Missing values, or a matrix without one column per panel gene.
        """
        import torch

        self.check_fitted()
        X = self._as_matrix(X)
        if not np.isfinite(X).all():
            msg = "missing values in the panel matrix"
            raise InputError(
                msg,
                fix="impute first (od.blood.predict_blood(..., impute='training-median'))",
            )
        device = next(self.module_.parameters()).device
        with torch_threads(self.n_threads), torch.no_grad():
            z = torch.as_tensor((X - self.mean_) / self.scale_, dtype=torch.float32).to(device)
            logits = self.module_(z)[0]
            return torch.sigmoid(logits).double().cpu().numpy()

    def predict(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """1 (HCC) where the probability reaches :attr:`threshold_`, else 0."""
        return (self.predict_proba(X) >= self.threshold_).astype(np.int64)

    # ------------------------------------------------------------------ on disk
    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {f"module.{k}": v.detach().cpu().numpy() for k, v in self.module_.state_dict().items()}
        for name in _SCALER:
            arrays[f"scaler.{name}"] = np.asarray(getattr(self, name), dtype=np.float64)
        state = {
            "threshold_": float(self.threshold_),
            "n_samples_fit_": int(self.n_samples_fit_),
            "n_positive_fit_": int(self.n_positive_fit_),
            "seed_": getattr(self, "seed_", None),
            "final_loss_": getattr(self, "final_loss_", None),
            "classes": dict(_CLASSES),
            "metadata": getattr(self, "metadata_", {}),
        }
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        import torch

        n_genes = len(self.genes)
        if n_genes == 0 or len(set(self.genes)) != n_genes:
            msg = f"the gene panel in model.json is empty or has duplicates: {list(self.genes)}"
            raise ModelFormatError(msg, source=source)
        expected = meta_shapes(lambda: self._new_module(1), prefix="module.")
        expected |= {f"scaler.{name}": (n_genes,) for name in _SCALER}
        check_state_arrays(arrays, expected, source=source)
        if np.any(arrays["scaler.scale_"] <= 0):
            msg = "scaler.scale_ has values <= 0"
            raise ModelFormatError(msg, source=source)
        threshold = float(state["threshold_"])
        n_fit, n_pos = int(state["n_samples_fit_"]), int(state["n_positive_fit_"])
        if not np.isfinite(threshold) or not 0 < n_pos < n_fit:
            msg = f"threshold_ {threshold} or training counts ({n_pos} of {n_fit}) are invalid"
            raise ModelFormatError(msg, source=source)
        module = self._new_module(1)
        module.load_state_dict(
            {
                k[len("module.") :]: torch.from_numpy(np.array(v))
                for k, v in arrays.items()
                if k.startswith("module.")
            }
        )
        self.module_ = module.to(resolve_device(self.device)).eval()
        for name in _SCALER:
            setattr(self, name, np.array(arrays[f"scaler.{name}"], dtype=np.float64))
        self.threshold_ = threshold
        self.n_samples_fit_ = n_fit
        self.n_positive_fit_ = n_pos
        if state.get("seed_") is not None:
            self.seed_ = int(state["seed_"])
        if state.get("final_loss_") is not None:
            self.final_loss_ = float(state["final_loss_"])
        self.metadata_ = dict(state.get("metadata") or {})
