"""The nine-gene blood classifier (Xie et al. 2018): a small torch MLP with its own scaler.

Fitting standardises each gene with the training mean and SD, weights the
classes inversely to their frequency (``pos_weight = n_control / n_HCC`` in the
logistic loss), and fits full-batch Adam with L2 weight decay from weights drawn
from a local, seeded ``torch.Generator``. The decision threshold is chosen on
the training samples (Youden's J or a target sensitivity). Training medians are
kept for the documented imputation at prediction time.

Saved models are a directory with ``model.safetensors`` (network weights,
scaler, training medians) and ``config.json`` (``format_version``, genes,
hyperparameters, threshold, class names, omicsdl version).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed, torch_generator
from omicsdl.blood._panel import NINE_GENE_PANEL
from omicsdl.blood._threshold import ThresholdRule, choose_threshold

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["BLOOD_MODEL_FORMAT_VERSION", "BloodPanelClassifier"]

logger = logging.getLogger(__name__)

BLOOD_MODEL_FORMAT_VERSION = 1
_WEIGHTS = "model.safetensors"
_CONFIG = "config.json"
_KIND = "omicsdl.BloodPanelClassifier"


class BloodPanelClassifier:
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
        Full-batch optimisation steps.
    class_weight
        ``"balanced"`` weights the positive class by ``n_negative / n_positive``;
        ``None`` leaves the loss unweighted.
    threshold
        Rule for the decision threshold on the training samples: ``"youden"`` or a
        target sensitivity (float in (0, 1]).
    rng
        Seed or generator for the initial weights.

    Attributes
    ----------
    mean_, scale_
        Training mean and SD per gene (standardisation).
    median_
        Training median per gene (for ``impute="training-median"``).
    threshold_
        Decision threshold on the HCC probability.
    module_
        The fitted :class:`~omicsdl.blood._module.PanelMLP`.
    n_samples_fit_, n_positive_fit_
        Training set size and number of positives.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata = od.blood.simulate_blood_cohort(rng=0)  # SYNTHETIC
    >>> panel = od.blood.extract_panel(adata, label_key="condition", positive="HCC")
    >>> clf = od.blood.BloodPanelClassifier(rng=0).fit(panel.X, panel.y)
    >>> clf.predict_proba(panel.X).shape
    (243,)
    """

    def __init__(
        self,
        *,
        genes: Sequence[str] = NINE_GENE_PANEL,
        hidden_sizes: Sequence[int] = (16,),
        weight_decay: float = 0.05,
        learning_rate: float = 0.02,
        max_epochs: int = 150,
        class_weight: Literal["balanced"] | None = "balanced",
        threshold: ThresholdRule = "youden",
        rng: RNGLike = None,
    ) -> None:
        self.genes = genes
        self.hidden_sizes = hidden_sizes
        self.weight_decay = weight_decay
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.class_weight = class_weight
        self.threshold = threshold
        self.rng = rng

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

    def _check_fitted(self) -> None:
        if not hasattr(self, "module_"):
            msg = "this BloodPanelClassifier is not fitted yet; call fit() first"
            raise RuntimeError(msg)

    # ---------------------------------------------------------------------- API
    def _params(self) -> dict[str, Any]:
        return {
            "genes": self.genes,
            "hidden_sizes": self.hidden_sizes,
            "weight_decay": self.weight_decay,
            "learning_rate": self.learning_rate,
            "max_epochs": self.max_epochs,
            "class_weight": self.class_weight,
            "threshold": self.threshold,
            "rng": self.rng,
        }

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
        """
        X = self._as_matrix(X)
        (fitted,) = self.fit_many(X, y, np.ones((1, X.shape[0]), dtype=bool))
        self.__dict__.update({k: v for k, v in fitted.__dict__.items() if k.endswith("_")})
        return self

    def fit_many(
        self, X: pd.DataFrame | np.ndarray, y: Sequence[int] | np.ndarray, train_masks: np.ndarray
    ) -> list[BloodPanelClassifier]:
        """Fit one classifier per row of ``train_masks`` in a single batched run.

        Used for cross-validation: row ``f`` of ``train_masks`` selects the training
        samples of fold ``f``. Each fold gets its own scaler, threshold and initial
        weights (seeds drawn in order from ``rng``), exactly as separate
        :meth:`fit` calls would, but the networks train as one stacked tensor
        computation, which is many times faster for small data.

        Returns
        -------
        Fitted classifiers with the hyperparameters of ``self``, one per fold.
        """
        import torch

        from omicsdl.blood._module import PanelMLP

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
        z = torch.as_tensor((X[None, :, :] - means[:, None, :]) / scales[:, None, :], dtype=torch.float32)
        target = torch.as_tensor(np.broadcast_to(y, masks.shape).astype(np.float32))
        pos_weight = (n_fit - n_pos) / n_pos if self.class_weight == "balanced" else np.ones(n_folds)
        sample_w = masks * np.where(y == 1, pos_weight[:, None], 1.0) / n_fit[:, None]
        weight = torch.as_tensor(sample_w, dtype=torch.float32)

        gen = as_generator(self.rng)
        seeds = [derive_seed(gen) for _ in range(n_folds)]
        module = PanelMLP(
            X.shape[1],
            list(self.hidden_sizes),
            n_models=n_folds,
            generators=[torch_generator(s) for s in seeds],
        )
        optim = torch.optim.Adam(
            module.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay, foreach=True
        )
        loss = torch.tensor(float("nan"))
        for _ in range(int(self.max_epochs)):
            optim.zero_grad(set_to_none=True)
            bce = torch.nn.functional.binary_cross_entropy_with_logits(module(z), target, reduction="none")
            loss = (bce * weight).sum()
            loss.backward()
            optim.step()
        with torch.no_grad():
            train_prob = torch.sigmoid(module(z)).double().numpy()

        fitted = []
        for f in range(n_folds):
            clf = type(self)(**self._params())
            single = PanelMLP(X.shape[1], list(self.hidden_sizes), n_models=1)
            with torch.no_grad():
                for dst, src in zip(single.parameters(), module.parameters(), strict=True):
                    dst.copy_(src[f : f + 1])
            single.eval()
            clf.module_ = single
            clf.mean_, clf.scale_, clf.median_ = means[f], scales[f], medians[f]
            clf.n_samples_fit_ = int(n_fit[f])
            clf.n_positive_fit_ = int(n_pos[f])
            clf.seed_ = int(seeds[f])
            clf.final_loss_ = float(loss.detach()) / n_folds
            clf.threshold_ = choose_threshold(y[masks[f]], train_prob[f][masks[f]], rule=self.threshold)
            fitted.append(clf)
        logger.debug(
            "fitted %d blood MLP(s) in one batch; mean loss %.4f", n_folds, float(loss.detach()) / n_folds
        )
        return fitted

    def predict_proba(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Probability of HCC (the positive class) per sample, shape ``(n,)``."""
        import torch

        self._check_fitted()
        X = self._as_matrix(X)
        if not np.isfinite(X).all():
            msg = "missing values in the panel matrix"
            raise InputError(
                msg,
                fix="impute first (od.blood.predict_blood(..., impute='training-median'))",
            )
        with torch.no_grad():
            logits = self.module_(torch.as_tensor((X - self.mean_) / self.scale_, dtype=torch.float32))[0]
        return torch.sigmoid(logits).double().numpy()

    def predict(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """1 (HCC) where the probability reaches :attr:`threshold_`, else 0."""
        return (self.predict_proba(X) >= self.threshold_).astype(np.int64)

    # ------------------------------------------------------------------ on disk
    def _config(self) -> dict[str, Any]:
        from omicsdl._version import __version__

        threshold = self.threshold if isinstance(self.threshold, str) else float(self.threshold)
        return {
            "kind": _KIND,
            "format_version": BLOOD_MODEL_FORMAT_VERSION,
            "omicsdl_version": __version__,
            "genes": list(self.genes),
            "hyperparameters": {
                "hidden_sizes": [int(h) for h in self.hidden_sizes],
                "weight_decay": float(self.weight_decay),
                "learning_rate": float(self.learning_rate),
                "max_epochs": int(self.max_epochs),
                "class_weight": self.class_weight,
                "threshold": threshold,
            },
            "threshold_": float(self.threshold_),
            "n_samples_fit_": self.n_samples_fit_,
            "n_positive_fit_": self.n_positive_fit_,
            "classes": {"0": "control", "1": "HCC"},
            "metadata": getattr(self, "metadata_", {}),
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the fitted model to directory ``path`` atomically (safetensors + JSON)."""
        import torch
        from safetensors.torch import save_file

        from omicsdl._core._atomic import atomic_dir

        self._check_fitted()
        tensors = {f"module.{k}": v.detach().contiguous() for k, v in self.module_.state_dict().items()}
        for name in ("mean_", "scale_", "median_"):
            tensors[f"scaler.{name}"] = torch.as_tensor(getattr(self, name), dtype=torch.float64)
        with atomic_dir(path) as tmp:
            save_file(tensors, str(tmp / _WEIGHTS))
            (tmp / _CONFIG).write_text(json.dumps(self._config(), indent=2) + "\n")
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BloodPanelClassifier:
        """Load a model written by :meth:`save`.

        Raises
        ------
        ModelFormatError
            The directory is not a blood classifier or has an unknown ``format_version``.
        """
        from safetensors.torch import load_file

        from omicsdl.blood._module import PanelMLP

        path = Path(path)
        config_path = path / _CONFIG
        if not config_path.is_file() or not (path / _WEIGHTS).is_file():
            msg = f"not a saved blood classifier (needs {_CONFIG} and {_WEIGHTS})"
            raise ModelFormatError(
                msg,
                source=path,
                fix="pass the directory written by `omicsdl blood fit --out`",
            )
        try:
            config = json.loads(config_path.read_text())
        except json.JSONDecodeError as err:
            msg = f"config.json is not valid JSON ({err})"
            raise ModelFormatError(msg, source=config_path) from err
        version = config.get("format_version")
        if config.get("kind") != _KIND or version != BLOOD_MODEL_FORMAT_VERSION:
            msg = (
                f"unsupported model format: kind={config.get('kind')!r}, format_version={version!r} "
                f"(this omicsdl reads {_KIND} format_version {BLOOD_MODEL_FORMAT_VERSION})"
            )
            raise ModelFormatError(
                msg,
                source=config_path,
                fix="load it with the omicsdl version that wrote it "
                f"({config.get('omicsdl_version', 'unknown')}) or refit the model",
            )
        hp = config["hyperparameters"]
        model = cls(
            genes=tuple(config["genes"]),
            hidden_sizes=tuple(hp["hidden_sizes"]),
            weight_decay=hp["weight_decay"],
            learning_rate=hp["learning_rate"],
            max_epochs=hp["max_epochs"],
            class_weight=hp["class_weight"],
            threshold=hp["threshold"],
        )
        tensors = load_file(str(path / _WEIGHTS))
        module = PanelMLP(len(model.genes), list(model.hidden_sizes), n_models=1)
        module.load_state_dict(
            {k[len("module.") :]: v for k, v in tensors.items() if k.startswith("module.")}
        )
        module.eval()
        model.module_ = module
        for name in ("mean_", "scale_", "median_"):
            setattr(model, name, tensors[f"scaler.{name}"].numpy())
        model.threshold_ = float(config["threshold_"])
        model.n_samples_fit_ = int(config["n_samples_fit_"])
        model.n_positive_fit_ = int(config["n_positive_fit_"])
        model.metadata_ = dict(config.get("metadata", {}))
        return model
