"""qCNN (amplitude regression with Monte-Carlo-dropout uncertainty) and cCNN (patient groups).

Both read the real and imaginary parts of the 0.2-5.5 ppm window (two input channels) and
are fitted on spectra simulated on the fly (:class:`SpectrumStream`), after Bae et al.,
Magn Reson Med Sci 2025. The qCNN predicts standardised log amplitudes (so its loss
weighs relative errors, like the MAPE it is judged by).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._atomic import atomic_dir
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed, torch_generator
from omicsdl.mrs._simulate import SpectrumPrior, simulate_spectra
from omicsdl.mrs._window import window_input, window_mask

if TYPE_CHECKING:
    from omicsdl.mrs._basis import Basis
    from omicsdl.mrs._data import MRSData

__all__ = ["SpectrumClassifierCNN", "SpectrumQuantifierCNN", "load_mrs_model"]

FORMAT_VERSION = 1


def _dropout_on(net, *, on: bool) -> None:
    """Switch only the dropout layers (Monte-Carlo dropout; batch norm stays in eval mode)."""
    from torch import nn

    net.eval()
    for module in net.modules():
        if isinstance(module, nn.Dropout):
            module.train(on)


def _network(n_in: int, n_out: int, channels: int, dropout: float):
    from torch import nn

    c = channels
    conv = nn.Sequential(
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
    length = n_in // 8
    return nn.Sequential(
        conv,
        nn.Flatten(),
        nn.Dropout(dropout),
        nn.Linear(2 * c * length, 128),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(128, n_out),
    )


class _SpectrumCNN:
    kind = "base"

    def __init__(
        self,
        *,
        window: tuple[float, float] = (0.2, 5.5),
        channels: int = 8,
        dropout: float = 0.1,
        n_steps: int = 600,
        batch_size: int = 128,
        lr: float = 2e-3,
        rng: RNGLike = None,
    ) -> None:
        self.window = window
        self.channels = channels
        self.dropout = dropout
        self.n_steps = n_steps
        self.batch_size = batch_size
        self.lr = lr
        self.rng = rng

    def _check_fitted(self) -> None:
        if not hasattr(self, "net_"):
            msg = f"{type(self).__name__} is not fitted; call fit() or load a saved model"
            raise RuntimeError(msg)

    def _inputs(self, data: MRSData):
        import torch

        if data.n_points != self.n_points_ or not np.isclose(data.dwell_s, self.dwell_s_, rtol=1e-3):
            msg = (
                f"spectrum has {data.n_points} points at dwell {data.dwell_s * 1e3:.4g} ms; the model was "
                f"fitted on {self.n_points_} points at {self.dwell_s_ * 1e3:.4g} ms"
            )
            raise InputError(
                msg,
                source=data.source,
                fix="resample the data or fit a model for this acquisition",
            )
        data.check_field(self.field_mhz_, against="model")
        return torch.from_numpy(window_input(data, self.window) / self.input_scale_)

    def _build(self, basis: Basis, n_out: int) -> None:
        import torch

        n_in = int(window_mask(basis.ppm, self.window).sum())
        self.n_points_ = basis.n_points
        self.dwell_s_ = basis.dwell_s
        self.field_mhz_ = basis.field_mhz
        self.n_in_ = n_in
        with torch.random.fork_rng():
            torch.manual_seed(derive_seed(self._gen))
            self.net_ = _network(n_in, n_out, self.channels, self.dropout)

    def _passes(self, x, transform, n_samples: int, rng: RNGLike):
        """``transform(net(x))`` of ``n_samples`` Monte-Carlo-dropout passes, ``(n_samples, n, k)``.

        ``n_samples <= 0`` gives one deterministic pass (dropout off), shape ``(1, n, k)``.
        """
        import torch

        with torch.no_grad():
            if n_samples <= 0:
                self.net_.eval()
                return transform(self.net_(x))[None]
            _dropout_on(self.net_, on=True)
            with torch.random.fork_rng():
                torch.manual_seed(derive_seed(rng))
                draws = torch.stack([transform(self.net_(x)) for _ in range(n_samples)])
            self.net_.eval()
        return draws

    def _fit_loop(self, batches, loss_fn) -> None:
        import torch

        opt = torch.optim.Adam(self.net_.parameters(), lr=self.lr)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.lr, total_steps=self.n_steps)
        self.net_.train()
        gen = torch_generator(derive_seed(self._gen))
        losses = []
        with torch.random.fork_rng():
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=gen)))
            for _ in range(self.n_steps):
                x, y = next(batches)
                opt.zero_grad()
                loss = loss_fn(self.net_(x), y)
                loss.backward()
                opt.step()
                sched.step()
                losses.append(float(loss.detach()))
        self.net_.eval()
        self.loss_ = float(np.mean(losses[-20:]))

    def _config(self) -> dict:
        return {
            "kind": self.kind,
            "format_version": FORMAT_VERSION,
            "window": list(self.window),
            "channels": self.channels,
            "dropout": self.dropout,
            "n_points": self.n_points_,
            "dwell_s": self.dwell_s_,
            "field_mhz": self.field_mhz_,
            "n_in": self.n_in_,
            "input_scale": self.input_scale_,
        }

    def save(self, path: str | Path) -> Path:
        """Save as ``model.safetensors`` + ``config.json`` in directory ``path``."""
        from safetensors.torch import save_file

        from omicsdl._version import __version__

        self._check_fitted()
        cfg = self._config() | {"omicsdl_version": __version__}
        with atomic_dir(path) as tmp:
            save_file(
                {k: v.contiguous() for k, v in self.net_.state_dict().items()}, str(tmp / "model.safetensors")
            )
            (tmp / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
        return Path(path)


class SpectrumQuantifierCNN(_SpectrumCNN):
    """qCNN: metabolite amplitudes from a spectrum, with Monte-Carlo-dropout uncertainty.

    Parameters
    ----------
    window
        ppm window fed to the network.
    channels
        Width of the first convolution.
    dropout
        Dropout rate (kept on at prediction time for MC-dropout).
    n_steps
        Optimiser steps; each sees a fresh simulated batch.
    batch_size
        Spectra per step.
    lr
        Peak learning rate (one-cycle schedule).
    rng
        Seed or generator.
    """

    kind = "qcnn"

    def fit(self, basis: Basis, *, prior: SpectrumPrior | None = None):
        """Fit on spectra simulated from ``basis`` and ``prior``; return self."""
        import torch

        self._gen = as_generator(self.rng)
        prior = prior or SpectrumPrior()
        self.names_ = list(basis.names)
        self._build(basis, len(self.names_))
        probe, amp, _ = simulate_spectra(basis, 256, prior=prior, rng=self._gen)
        self.input_scale_ = float(np.abs(window_input(probe, self.window)).std())
        logs = np.log(amp)
        self.log_mean_ = logs.mean(0)
        self.log_sd_ = np.maximum(logs.std(0), 1e-3)

        def batches():
            while True:
                data, a, _ = simulate_spectra(basis, self.batch_size, prior=prior, rng=self._gen)
                x = torch.from_numpy(window_input(data, self.window) / self.input_scale_)
                y = torch.from_numpy(((np.log(a) - self.log_mean_) / self.log_sd_).astype(np.float32))
                yield x, y

        self._fit_loop(batches(), torch.nn.functional.mse_loss)
        return self

    def predict(
        self, data: MRSData, *, n_samples: int = 20, rng: RNGLike = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Amplitudes ``(n, n_components)`` and their MC-dropout standard deviations.

        ``n_samples=0`` switches dropout off (one deterministic pass, zero std).
        """
        import torch

        self._check_fitted()
        x = self._inputs(data)
        mean_log = torch.from_numpy(self.log_mean_.astype(np.float32))
        sd_log = torch.from_numpy(self.log_sd_.astype(np.float32))
        draws = self._passes(x, lambda out: torch.exp(out * sd_log + mean_log), n_samples, rng)
        draws = draws.numpy().astype(float)
        if n_samples <= 0:
            return draws[0], np.zeros_like(draws[0])
        return draws.mean(0), draws.std(0)

    def _config(self) -> dict:
        return super()._config() | {
            "names": self.names_,
            "log_mean": self.log_mean_.tolist(),
            "log_sd": self.log_sd_.tolist(),
        }


class SpectrumClassifierCNN(_SpectrumCNN):
    """cCNN: patient group from a spectrum, fitted on spectra simulated per class.

    Parameters are those of :class:`SpectrumQuantifierCNN`.
    """

    kind = "ccnn"

    def fit(self, basis: Basis, priors: dict[str, SpectrumPrior]):
        """Fit on spectra simulated from one prior per class (e.g. estimated from pilot patients)."""
        import torch

        if len(priors) < 2:
            msg = "need at least two classes to fit a classifier"
            raise InputError(msg, item=",".join(priors))
        self._gen = as_generator(self.rng)
        self.classes_ = list(priors)
        self._build(basis, len(self.classes_))
        probe, _, _ = simulate_spectra(basis, 256, prior=next(iter(priors.values())), rng=self._gen)
        self.input_scale_ = float(np.abs(window_input(probe, self.window)).std())
        per_class = max(self.batch_size // len(priors), 1)

        def batches():
            while True:
                xs, ys = [], []
                for k, prior in enumerate(priors.values()):
                    data, _, _ = simulate_spectra(basis, per_class, prior=prior, rng=self._gen)
                    xs.append(window_input(data, self.window))
                    ys.append(np.full(per_class, k))
                yield (
                    torch.from_numpy(np.concatenate(xs) / self.input_scale_),
                    torch.from_numpy(np.concatenate(ys)),
                )

        self._fit_loop(batches(), torch.nn.functional.cross_entropy)
        return self

    def predict_proba(self, data: MRSData, *, n_samples: int = 20, rng: RNGLike = None) -> np.ndarray:
        """Class probabilities ``(n, n_classes)`` (mean over MC-dropout samples)."""
        import torch

        self._check_fitted()
        x = self._inputs(data)
        draws = self._passes(x, lambda out: torch.softmax(out, 1), n_samples, rng)
        return draws.mean(0).numpy().astype(float)

    def predict(self, data: MRSData, **kwargs) -> np.ndarray:
        """Predicted class names."""
        return np.array(self.classes_)[self.predict_proba(data, **kwargs).argmax(1)]

    def _config(self) -> dict:
        return super()._config() | {"classes": self.classes_}


def load_mrs_model(path: str | Path) -> SpectrumQuantifierCNN | SpectrumClassifierCNN:
    """Load a qCNN or cCNN saved with ``save``."""
    from safetensors.torch import load_file

    path = Path(path)
    cfg_path = path / "config.json"
    try:
        cfg = json.loads(cfg_path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        msg = f"cannot read the model config: {err}"
        raise ModelFormatError(msg, source=cfg_path) from err
    version = cfg.get("format_version")
    if version != FORMAT_VERSION:
        msg = f"model format_version {version!r} is not supported (this omicsdl reads {FORMAT_VERSION})"
        raise ModelFormatError(
            msg,
            source=cfg_path,
            fix="re-fit the model with this omicsdl version or upgrade omicsdl",
        )
    kind = cfg.get("kind")
    if kind not in ("qcnn", "ccnn"):
        msg = f"unknown model kind {kind!r}"
        raise ModelFormatError(msg, source=cfg_path)
    cls = SpectrumQuantifierCNN if kind == "qcnn" else SpectrumClassifierCNN
    model = cls(window=tuple(cfg["window"]), channels=cfg["channels"], dropout=cfg["dropout"])
    model.n_points_ = cfg["n_points"]
    model.dwell_s_ = cfg["dwell_s"]
    model.field_mhz_ = cfg["field_mhz"]
    model.n_in_ = cfg["n_in"]
    model.input_scale_ = cfg["input_scale"]
    n_out = len(cfg["names"]) if kind == "qcnn" else len(cfg["classes"])
    model.net_ = _network(model.n_in_, n_out, model.channels, model.dropout)
    model.net_.load_state_dict(load_file(str(path / "model.safetensors")))
    model.net_.eval()
    if kind == "qcnn":
        model.names_ = cfg["names"]
        model.log_mean_ = np.array(cfg["log_mean"])
        model.log_sd_ = np.array(cfg["log_sd"])
    else:
        model.classes_ = cfg["classes"]
    return model
