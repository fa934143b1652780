"""qCNN (amplitude regression with Monte-Carlo-dropout uncertainty) and cCNN (patient groups).

Both read the real and imaginary parts of the 0.2-5.5 ppm window (two input channels) and
are fitted on spectra simulated on the fly from a basis set, after Bae et al., Magn Reson
Med Sci 2025: each optimiser step draws a fresh batch from an endless stream, so their
length is ``max_steps``, not epochs. The qCNN predicts standardised log amplitudes (so its
loss weighs relative errors, like the MAPE it is judged by); with ``loss_weighting="balanced"``
each component's squared error is divided by its running mean, so that components that are
already well determined (small errors) keep improving instead of being drowned by the
poorly determined ones. After fitting, the qCNN measures its own error on fresh simulated
spectra (``calibration_log_rmse_``), which :func:`~omicsdl.mrs.fit_spectra_from_cnn` uses
as the width of its prior.

Fitting is seeded and deterministic on CPU: weights are initialised and dropout masks drawn
inside :func:`torch.random.fork_rng` (global torch state is restored afterwards); the
simulated batches come from the generator made of ``rng``. The Monte-Carlo-dropout masks of
prediction are seeded from the same generator at the end of ``fit`` (and saved with the
model), so the same model gives the same output for the same input, every call.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import numpy as np

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._device import Device, resolve_device, torch_threads
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed, torch_generator
from omicsdl._core._state import check_state_arrays, meta_shapes
from omicsdl.mrs._simulate import SpectrumPrior, simulate_spectra
from omicsdl.mrs._window import window_input, window_mask

if TYPE_CHECKING:
    import contextlib
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

    import torch

    from omicsdl.mrs._basis import Basis
    from omicsdl.mrs._data import MRSData
    from omicsdl.mrs._module import SpectrumCNNModule

__all__ = ["SpectrumClassifierCNN", "SpectrumQuantifierCNN"]

logger = logging.getLogger(__name__)


def _fork_rng(device: torch.device) -> contextlib.AbstractContextManager[None]:
    """Fork the CPU random state (and that of ``device`` when it is a GPU); restored on exit."""
    import torch

    devices = [device.index or 0] if device.type == "cuda" else []
    return torch.random.fork_rng(devices=devices)


@hyperparameters
class _SpectrumCNN(BaseEstimator):
    """What the qCNN and the cCNN share: input window, network, fitting loop, MC dropout, state."""

    _fitted_attr = "module_"
    _n_out_key: ClassVar[str] = ""  # the state key whose length is the number of outputs

    window: tuple[float, float] = (0.2, 5.5)
    channels: int = 8
    dropout: float = 0.1
    max_steps: int = 600
    batch_size: int = 128
    learning_rate: float = 2e-3
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    # -- building --------------------------------------------------------------
    @staticmethod
    def _module_class() -> type[SpectrumCNNModule]:
        raise NotImplementedError

    def _validate(self) -> None:
        if len(tuple(self.window)) != 2 or float(min(self.window)) == float(max(self.window)):
            msg = f"window must be two different ppm values, got {self.window!r}"
            raise ValueError(msg)
        if not 0 <= float(self.dropout) < 1:
            msg = f"dropout must lie in [0, 1), got {self.dropout}"
            raise ValueError(msg)
        if int(self.channels) < 1 or int(self.max_steps) < 1 or int(self.batch_size) < 1:
            msg = "channels, max_steps and batch_size must be positive"
            raise ValueError(msg)
        if not float(self.learning_rate) > 0:
            msg = f"learning_rate must be positive, got {self.learning_rate}"
            raise ValueError(msg)

    def _new_module(self, n_in: int, n_out: int) -> SpectrumCNNModule:
        return self._module_class()(n_in, n_out, channels=int(self.channels), dropout=float(self.dropout))

    def _build(self, basis: Basis, n_out: int, gen: np.random.Generator, device: torch.device) -> None:
        import torch

        n_in = int(window_mask(basis.ppm, self.window).sum())
        if n_in < 8:
            msg = f"the ppm window {tuple(self.window)} holds {n_in} points of the basis; the network needs 8"
            raise InputError(msg, item="window", fix="widen the window or use a basis with more points")
        self.n_points_ = int(basis.n_points)
        self.dwell_s_ = float(basis.dwell_s)
        self.field_mhz_ = float(basis.field_mhz)
        self.n_in_ = n_in
        with _fork_rng(device):
            torch.manual_seed(derive_seed(gen))
            self.module_ = self._new_module(n_in, n_out).to(device)

    # -- fitting ---------------------------------------------------------------
    def _fit_loop(
        self, batches: Iterator[tuple[Any, Any]], gen: np.random.Generator, device: torch.device
    ) -> None:
        import torch

        module = self.module_
        opt = torch.optim.Adam(module.parameters(), lr=self.learning_rate)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=self.learning_rate, total_steps=int(self.max_steps)
        )
        module.train()
        tgen = torch_generator(derive_seed(gen))
        losses = []
        n_steps = int(self.max_steps)
        logger.info(
            "fitting the %s: %d steps of %d simulated spectra", self._display_name, n_steps, self.batch_size
        )
        step_loss = self._step_loss()
        with _fork_rng(device):
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=tgen)))
            for _ in progress(range(n_steps), desc=f"{self._display_name} fit", total=n_steps):
                x, y = next(batches)
                opt.zero_grad()
                loss = step_loss(module(x.to(device)), y.to(device))
                loss.backward()
                opt.step()
                sched.step()
                losses.append(float(loss.detach()))
        module.eval()
        self.loss_ = float(np.mean(losses[-20:]))
        logger.info("%s fitted: mean loss of the last 20 steps %.4g", self._display_name, self.loss_)
        # the Monte-Carlo-dropout masks of every later prediction (drawn last: the fit is unchanged)
        self.mc_dropout_seed_ = derive_seed(gen)

    def _step_loss(self) -> Callable[[Any, Any], Any]:
        """The loss of one optimiser step, ``(output, target) -> scalar tensor``."""
        return self.module_.loss

    # -- prediction ------------------------------------------------------------
    def _inputs(self, data: MRSData) -> torch.Tensor:
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
        x = torch.from_numpy(window_input(data, self.window) / self.input_scale_)
        return x.to(next(self.module_.parameters()).device)

    def _passes(self, data: MRSData, transform: Callable[[Any], Any], n_samples: int) -> torch.Tensor:
        """``transform(module(x))`` of ``n_samples`` Monte-Carlo-dropout passes, ``(n_samples, n, k)``.

        ``n_samples <= 0`` gives one deterministic pass (dropout off), shape ``(1, n, k)``.
        The dropout masks are seeded with ``mc_dropout_seed_``: same model, same input, same draws.
        """
        import torch

        self.check_fitted()
        x = self._inputs(data)
        module = self.module_
        with torch_threads(self.n_threads), torch.no_grad():
            if n_samples <= 0:
                module.eval()
                draws = transform(module(x))[None]
            else:
                module.mc_dropout(on=True)
                try:
                    with _fork_rng(x.device):
                        torch.manual_seed(int(self.mc_dropout_seed_))
                        draws = torch.stack([transform(module(x)) for _ in range(int(n_samples))])
                finally:
                    module.eval()
        return draws.cpu()

    # -- persistence -----------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {k: v.detach().cpu().numpy() for k, v in self.module_.state_dict().items()}
        state = {
            "n_points": self.n_points_,
            "dwell_s": self.dwell_s_,
            "field_mhz": self.field_mhz_,
            "n_in": self.n_in_,
            "input_scale": self.input_scale_,
            "loss": self.loss_,
            "mc_dropout_seed": self.mc_dropout_seed_,
        }
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        import torch

        self.window = tuple(self.window)  # JSON gives a list
        self._validate()
        n_in, n_points = int(state["n_in"]), int(state["n_points"])
        n_out = len(state[self._n_out_key])
        scale, dwell, field = (float(state[k]) for k in ("input_scale", "dwell_s", "field_mhz"))
        if not 8 <= n_in <= n_points or n_out < 1:
            msg = f"n_in {n_in}, n_points {n_points} and {n_out} outputs do not describe a network"
            raise ModelFormatError(msg, source=source)
        if not all(np.isfinite(v) and v > 0 for v in (scale, dwell, field)):
            msg = "input_scale, dwell_s and field_mhz must be positive numbers"
            raise ModelFormatError(msg, source=source)
        expected = meta_shapes(lambda: self._new_module(n_in, n_out))
        check_state_arrays(arrays, expected, source=source)
        module = self._new_module(n_in, n_out)
        module.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in arrays.items()})
        module.to(resolve_device(self.device)).eval()
        self.module_ = module
        self.n_points_ = n_points
        self.dwell_s_ = dwell
        self.field_mhz_ = field
        self.n_in_ = n_in
        self.input_scale_ = scale
        self.loss_ = float(state["loss"]) if state.get("loss") is not None else float("nan")
        self.mc_dropout_seed_ = int(state["mc_dropout_seed"])


@hyperparameters
class SpectrumQuantifierCNN(_SpectrumCNN):
    """qCNN: metabolite amplitudes from a spectrum, with Monte-Carlo-dropout uncertainty.

    Parameters
    ----------
    window
        ppm window fed to the network.
    channels
        Width of the first convolution.
    dropout
        Dropout rate (kept on at prediction time for MC dropout).
    max_steps
        Optimiser steps; each sees a fresh batch of simulated spectra.
    batch_size
        Spectra per step.
    learning_rate
        Peak learning rate (one-cycle schedule).
    loss_weighting
        ``"uniform"``: the mean squared error of the standardised log amplitudes;
        ``"balanced"``: each component's squared error divided by its running mean
        (exponential, decay 0.98), so every component's relative progress counts alike.
    n_calibration
        Fresh simulated spectra on which the fitted network measures its own error
        (``calibration_log_rmse_``); 0 skips it.
    n_threads
        Torch threads while fitting/predicting (``None``: ``settings.n_threads``).
    device
        ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator (``None``: ``settings.seed``) of the simulated batches, the weights,
        the dropout masks while fitting and the MC-dropout masks of :meth:`predict`.

    Attributes
    ----------
    module_
        The fitted :class:`~omicsdl.mrs.QuantifierCNNModule` (in eval mode).
    names_
        Component names, in output order.
    log_mean_, log_sd_
        Mean and standard deviation of the simulated log amplitudes (the output scale).
    loss_
        Mean loss of the last 20 steps.
    calibration_log_rmse_
        Per component: root mean square of ``log(predicted / true)`` (one deterministic pass)
        on ``n_calibration`` fresh spectra from the fitting prior (``None`` if not measured).

    Examples
    --------
    >>> import omicsdl as od
    >>> basis = od.mrs.make_liver_basis(metabolites=["Cho", "Cr"], n_points=512)  # doctest: +SKIP
    >>> qcnn = od.mrs.SpectrumQuantifierCNN(max_steps=20, rng=0).fit(basis)  # doctest: +SKIP
    >>> amplitudes, sd = qcnn.predict(od.mrs.simulate_spectra(basis, 4, rng=1)[0])  # doctest: +SKIP
    """

    _display_name = "omicsdl qCNN"
    _n_out_key = "names"

    loss_weighting: Literal["uniform", "balanced"] = "uniform"
    n_calibration: int = 512

    def _validate(self) -> None:
        super()._validate()
        if self.loss_weighting not in ("uniform", "balanced"):
            msg = f"loss_weighting must be 'uniform' or 'balanced', got {self.loss_weighting!r}"
            raise ValueError(msg)
        if int(self.n_calibration) < 0:
            msg = f"n_calibration must be 0 or more, got {self.n_calibration}"
            raise ValueError(msg)

    def _step_loss(self) -> Callable[[Any, Any], Any]:
        if self.loss_weighting == "uniform":
            return self.module_.loss
        module = self.module_
        running: list[Any] = []  # the running mean of each component's squared error

        def balanced(output: Any, target: Any) -> Any:
            errors = module.component_errors(output, target)
            running[:] = [errors if not running else 0.98 * running[0] + 0.02 * errors]
            weights = 1 / running[0].clamp_min(1e-8)
            return module.loss(output, target, weights / weights.mean())

        return balanced

    @staticmethod
    def _module_class() -> type[SpectrumCNNModule]:
        from omicsdl.mrs._module import QuantifierCNNModule

        return QuantifierCNNModule

    def fit(self, basis: Basis, *, prior: SpectrumPrior | None = None) -> Self:
        """Fit on spectra simulated from ``basis`` and ``prior``.

        Parameters
        ----------
        basis
            The basis set the spectra are simulated from (its acquisition is the model's).
        prior
            Amplitude and nuisance distributions (default :class:`SpectrumPrior`).

        Returns
        -------
        ``self``.
        """
        import torch

        self._validate()
        device = resolve_device(self.device)
        gen = as_generator(self.rng)
        prior = prior or SpectrumPrior()
        with torch_threads(self.n_threads):
            self.names_ = list(basis.names)
            self._build(basis, len(self.names_), gen, device)
            probe, amp, _ = simulate_spectra(basis, 256, prior=prior, rng=gen)
            self.input_scale_ = float(np.abs(window_input(probe, self.window)).std())
            logs = np.log(amp)
            self.log_mean_ = logs.mean(0)
            self.log_sd_ = np.maximum(logs.std(0), 1e-3)
            batch_size = int(self.batch_size)

            def batches() -> Iterator[tuple[Any, Any]]:
                while True:
                    data, a, _ = simulate_spectra(basis, batch_size, prior=prior, rng=gen)
                    x = torch.from_numpy(window_input(data, self.window) / self.input_scale_)
                    y = torch.from_numpy(((np.log(a) - self.log_mean_) / self.log_sd_).astype(np.float32))
                    yield x, y

            self._fit_loop(batches(), gen, device)
        self.calibration_log_rmse_ = None
        if int(self.n_calibration) > 0:
            # drawn after the fit and the MC-dropout seed: the fitted network is the same with or without it
            data, amp, _ = simulate_spectra(basis, int(self.n_calibration), prior=prior, rng=gen)
            err = np.log(self.predict(data, n_samples=0)[0] / amp)
            self.calibration_log_rmse_ = np.sqrt((err**2).mean(0))
        return self

    def predict(self, data: MRSData, *, n_samples: int = 20) -> tuple[np.ndarray, np.ndarray]:
        """Amplitudes ``(n, n_components)`` and their MC-dropout standard deviations.

        Parameters
        ----------
        data
            Spectra of the acquisition the model was fitted for.
        n_samples
            Monte-Carlo-dropout passes; ``0`` switches dropout off (one deterministic pass,
            zero standard deviations).

        Raises
        ------
        NotFittedError
            The model is not fitted.
        InputError
            The spectra have another number of points, dwell time or field strength.
        """
        import torch

        self.check_fitted()
        mean_log = torch.from_numpy(self.log_mean_.astype(np.float32))
        sd_log = torch.from_numpy(self.log_sd_.astype(np.float32))
        device = next(self.module_.parameters()).device
        mean_log, sd_log = mean_log.to(device), sd_log.to(device)
        draws = self._passes(data, lambda out: torch.exp(out * sd_log + mean_log), n_samples)
        draws = draws.numpy().astype(float)
        if n_samples <= 0:
            return draws[0], np.zeros_like(draws[0])
        return draws.mean(0), draws.std(0)

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays, state = super()._get_state()
        state |= {"names": list(self.names_), "log_mean": self.log_mean_, "log_sd": self.log_sd_}
        rmse = self.calibration_log_rmse_
        state["calibration_log_rmse"] = None if rmse is None else np.asarray(rmse).tolist()
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        names = [str(n) for n in state["names"]]
        log_mean = np.asarray(state["log_mean"], dtype=float)
        log_sd = np.asarray(state["log_sd"], dtype=float)
        if log_mean.shape != (len(names),) or log_sd.shape != (len(names),):
            msg = f"log_mean and log_sd must hold one value per component ({len(names)})"
            raise ModelFormatError(msg, source=source)
        if not (np.isfinite(log_mean).all() and np.isfinite(log_sd).all() and (log_sd > 0).all()):
            msg = "log_mean and log_sd must be finite (log_sd positive)"
            raise ModelFormatError(msg, source=source)
        rmse = state.get("calibration_log_rmse")  # absent in models saved before omicsdl measured it
        if rmse is not None:
            rmse = np.asarray(rmse, dtype=float)
            if rmse.shape != (len(names),) or not (np.isfinite(rmse).all() and (rmse > 0).all()):
                msg = f"calibration_log_rmse must hold one positive value per component ({len(names)})"
                raise ModelFormatError(msg, source=source)
        super()._set_state(arrays, state, source=source)
        self.names_ = names
        self.log_mean_ = log_mean
        self.log_sd_ = log_sd
        self.calibration_log_rmse_ = rmse


class SpectrumClassifierCNN(_SpectrumCNN):
    """cCNN: patient group from a spectrum, fitted on spectra simulated per class.

    Parameters
    ----------
    window
        ppm window fed to the network.
    channels
        Width of the first convolution.
    dropout
        Dropout rate (kept on at prediction time for MC dropout).
    max_steps
        Optimiser steps; each sees a fresh batch of simulated spectra (equal numbers per class).
    batch_size
        Spectra per step, split evenly between the classes.
    learning_rate
        Peak learning rate (one-cycle schedule).
    n_threads
        Torch threads while fitting/predicting (``None``: ``settings.n_threads``).
    device
        ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator (``None``: ``settings.seed``) of the simulated batches, the weights,
        the dropout masks while fitting and the MC-dropout masks of :meth:`predict_proba`.

    Attributes
    ----------
    module_
        The fitted :class:`~omicsdl.mrs.ClassifierCNNModule` (in eval mode).
    classes_
        Class names, in the order of the priors given to :meth:`fit`.
    loss_
        Mean loss of the last 20 steps.
    """

    _display_name = "omicsdl cCNN"
    _n_out_key = "classes"

    @staticmethod
    def _module_class() -> type[SpectrumCNNModule]:
        from omicsdl.mrs._module import ClassifierCNNModule

        return ClassifierCNNModule

    def fit(self, basis: Basis, priors: Mapping[str, SpectrumPrior]) -> Self:
        """Fit on spectra simulated from one prior per class (e.g. estimated from pilot patients).

        Parameters
        ----------
        basis
            The basis set the spectra are simulated from (its acquisition is the model's).
        priors
            Class name → amplitude and nuisance distributions of that class (at least two).

        Returns
        -------
        ``self``.

        Raises
        ------
        InputError
            Fewer than two classes.
        """
        import torch

        if len(priors) < 2:
            msg = "need at least two classes to fit a classifier"
            raise InputError(msg, item=",".join(priors))
        self._validate()
        device = resolve_device(self.device)
        gen = as_generator(self.rng)
        with torch_threads(self.n_threads):
            self.classes_ = [str(c) for c in priors]
            self._build(basis, len(self.classes_), gen, device)
            probe, _, _ = simulate_spectra(basis, 256, prior=next(iter(priors.values())), rng=gen)
            self.input_scale_ = float(np.abs(window_input(probe, self.window)).std())
            per_class = max(int(self.batch_size) // len(priors), 1)

            def batches() -> Iterator[tuple[Any, Any]]:
                while True:
                    xs, ys = [], []
                    for k, prior in enumerate(priors.values()):
                        data, _, _ = simulate_spectra(basis, per_class, prior=prior, rng=gen)
                        xs.append(window_input(data, self.window))
                        ys.append(np.full(per_class, k))
                    yield (
                        torch.from_numpy(np.concatenate(xs) / self.input_scale_),
                        torch.from_numpy(np.concatenate(ys)),
                    )

            self._fit_loop(batches(), gen, device)
        return self

    def predict_proba(self, data: MRSData, *, n_samples: int = 20) -> np.ndarray:
        """Class probabilities ``(n, n_classes)`` (mean over MC-dropout passes).

        Parameters
        ----------
        data
            Spectra of the acquisition the model was fitted for.
        n_samples
            Monte-Carlo-dropout passes; ``0`` switches dropout off (one deterministic pass).
        """
        import torch

        draws = self._passes(data, lambda out: torch.softmax(out, 1), n_samples)
        return draws.mean(0).numpy().astype(float)

    def predict(self, data: MRSData, *, n_samples: int = 20) -> np.ndarray:
        """Predicted class names (the most probable class of :meth:`predict_proba`)."""
        return np.array(self.classes_)[self.predict_proba(data, n_samples=n_samples).argmax(1)]

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays, state = super()._get_state()
        state["classes"] = list(self.classes_)
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        classes = [str(c) for c in state["classes"]]
        if len(classes) < 2 or len(set(classes)) != len(classes):
            msg = f"classes must be at least two different names, got {classes}"
            raise ModelFormatError(msg, source=source)
        super()._set_state(arrays, state, source=source)
        self.classes_ = classes
