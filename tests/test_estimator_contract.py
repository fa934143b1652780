"""Every fitted omicsdl object keeps one contract (in the spirit of scikit-learn's parametrize_with_checks).

Each case builds a small estimator, fits it and computes an output array. The
checks: unfitted → NotFittedError; ``fit`` returns self; same ``rng`` →
identical output; ``save``/``load`` → identical output; ``get_params`` covers
``__init__`` and rebuilds an equal estimator; ``device`` resolves on the CPU and
refuses CUDA without a GPU. A last test finds every ``BaseEstimator`` subclass
in the package and fails if one has no case here.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

import omicsdl
from omicsdl import InputError, NotFittedError
from omicsdl._core._base import BaseEstimator

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Case:
    """How to build, fit and read one estimator on tiny data."""

    make: Callable[[int], Any]  # rng -> unfitted estimator
    fit: Callable[[Any], Any]  # estimator -> return value of fit
    output: Callable[[Any], np.ndarray]  # fitted estimator -> array that must be reproducible
    torch: bool = False  # takes a ``device`` argument


def _blocks(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"a": rng.normal(size=(40, 12)), "b": rng.normal(size=(40, 8))}


def _autoencoder(rng: int) -> Any:
    from omicsdl.subtypes import Autoencoder

    return Autoencoder(hidden_sizes=(8,), latent_dim=3, max_epochs=2, n_threads=1, rng=rng)


def _panel(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(20), np.zeros(20)].astype(int)
    return rng.normal(size=(40, 9)) + 0.8 * y[:, None], y


def _blood_panel_classifier(rng: int) -> Any:
    from omicsdl.blood import BloodPanelClassifier

    return BloodPanelClassifier(hidden_sizes=(4,), max_epochs=5, n_threads=1, rng=rng)


def _g2vec(rng: int) -> Any:
    from omicsdl.g2vec import G2Vec

    return G2Vec(
        dim=8, n_walks=3, max_length=6, n_biomarkers=5, max_epochs=2, embedder_kwargs={"batch_size": 16},
        n_threads=1, rng=rng,
    )  # fmt: skip


def _g2vec_fit(est: Any) -> Any:
    from tests.g2vec._synthetic import tiny_cohort

    return est.fit(*tiny_cohort())


def _g2vec_output(est: Any) -> np.ndarray:
    vectors = est.to_keyed_vectors().vectors
    return np.concatenate(
        [vectors.ravel(), est.scores_["score"].to_numpy(), est.modules()["degree"].to_numpy()]
    )


def _gene_paths() -> Any:
    from tests.g2vec._synthetic import tiny_paths

    return tiny_paths()


def _supervised_cbow(rng: int) -> Any:
    from omicsdl.g2vec import SupervisedCBOW

    return SupervisedCBOW(dim=4, max_epochs=2, batch_size=16, n_threads=1, rng=rng)


def _word2vec(rng: int) -> Any:
    from omicsdl.g2vec import Word2VecEmbedder

    return Word2VecEmbedder(dim=4, max_epochs=1, rng=rng)


_TINY_LIHC: list[Any] = []


def _tiny_lihc() -> Any:
    """The real TCGA-LIHC demo cut to 120 patients and 20 features per omic (built once)."""
    if not _TINY_LIHC:
        lihc = omicsdl.datasets.tcga_lihc_demo()
        patients = lihc.obs_names[:120]
        mdata = omicsdl.io.new_mudata({o: lihc[o][patients, :20].copy() for o in lihc.mod})
        mdata.obs[["os_days", "os_event"]] = lihc.obs.loc[patients, ["os_days", "os_event"]]
        _TINY_LIHC.append(mdata)
    return _TINY_LIHC[0]


def _short_or_long() -> np.ndarray:
    obs = _tiny_lihc().obs
    return np.where(obs["os_days"] < obs["os_days"].median(), "short", "long")


def _subtype_classifier(rng: int) -> Any:
    from omicsdl.subtypes import SubtypeClassifier

    return SubtypeClassifier(n_features={"rna": 5, "mirna": 5, "methylation": 5}, rng=rng)


def _survival_subtypes(rng: int) -> Any:
    from omicsdl.subtypes import SurvivalSubtypes

    return SurvivalSubtypes(
        autoencoder={"hidden_sizes": (8,), "latent_dim": 8, "max_epochs": 2},
        alpha=0.5,
        k=2,
        min_cluster_size=5,
        classifier={"n_features": {"rna": 5, "mirna": 5, "methylation": 5}},
        n_threads=1,
        rng=rng,
    )


def _subtypes_output(est: Any) -> np.ndarray:
    pred = est.predict(_tiny_lihc())
    return np.column_stack([pred.drop(columns="subtype").to_numpy(), est.embed(_tiny_lihc())])


def _omic(seed: int = 0) -> Any:
    import anndata as ad

    X = np.random.default_rng(seed).normal(size=(30, 6))
    X[::7, 2] = np.nan  # gaps for the KNN imputation (its training matrix is saved too)
    adata = ad.AnnData(X)
    adata.obs_names = [f"p{i}" for i in range(30)]
    adata.var_names = [f"g{j}" for j in range(6)]
    return adata


def _preprocessor(rng: int) -> Any:
    from omicsdl.pp import Preprocessor

    return Preprocessor(impute="knn", n_neighbors=3, scale="robust", rng=rng)


@functools.cache
def _mrs_basis() -> Any:
    """Two metabolites and the five lipid resonances, 256 points: a basis in under a second."""
    from omicsdl.mrs import make_liver_basis

    spins = Path(__file__).parent / "_data" / "mrs" / "VeSPA_metabolites.json"
    return make_liver_basis(spin_systems=spins, metabolites=["Cho", "Cr"], n_points=256, dwell_s=5e-4)


@functools.cache
def _mrs_spectra() -> Any:
    from omicsdl.mrs import simulate_spectra

    return simulate_spectra(_mrs_basis(), 4, rng=5)[0]


def _mrs_priors() -> dict[str, Any]:
    from omicsdl.mrs import SpectrumPrior

    base = SpectrumPrior()
    return {"A": base, "B": base.scaled({"Cho": 3.0})}


def _mrs_cnn(name: str) -> Callable[[int], Any]:
    def make(rng: int) -> Any:
        import omicsdl.mrs

        return getattr(omicsdl.mrs, name)(max_steps=3, batch_size=8, n_threads=1, rng=rng)

    return make


CASES: dict[str, Case] = {
    "Autoencoder": Case(
        make=_autoencoder,
        fit=lambda est: est.fit(_blocks()),
        output=lambda est: est.transform(_blocks()),
        torch=True,
    ),
    "BloodPanelClassifier": Case(
        make=_blood_panel_classifier,
        fit=lambda est: est.fit(*_panel()),
        output=lambda est: est.predict_proba(_panel()[0]),
        torch=True,
    ),
    "G2Vec": Case(make=_g2vec, fit=_g2vec_fit, output=_g2vec_output, torch=True),
    "SupervisedCBOW": Case(
        make=_supervised_cbow,
        fit=lambda est: est.fit(_gene_paths()),
        output=lambda est: est.to_frame().to_numpy(),
        torch=True,
    ),
    "Word2VecEmbedder": Case(
        make=_word2vec, fit=lambda est: est.fit(_gene_paths()), output=lambda est: est.to_frame().to_numpy()
    ),
    "SubtypeClassifier": Case(
        make=_subtype_classifier,
        fit=lambda est: est.fit(_tiny_lihc(), _short_or_long()),
        output=lambda est: est.predict_proba(_tiny_lihc()).to_numpy(),
    ),
    "SurvivalSubtypes": Case(
        make=_survival_subtypes,
        fit=lambda est: est.fit(_tiny_lihc()),
        output=_subtypes_output,
        torch=True,
    ),
    "Preprocessor": Case(
        make=_preprocessor,
        fit=lambda est: est.fit(_omic()),
        output=lambda est: est.transform(_omic(1)).X,
    ),
    "SpectrumClassifierCNN": Case(
        make=_mrs_cnn("SpectrumClassifierCNN"),
        fit=lambda est: est.fit(_mrs_basis(), _mrs_priors()),
        output=lambda est: est.predict_proba(_mrs_spectra()),  # MC dropout: 20 passes
        torch=True,
    ),
    "SpectrumQuantifierCNN": Case(
        make=_mrs_cnn("SpectrumQuantifierCNN"),
        fit=lambda est: est.fit(_mrs_basis()),
        output=lambda est: np.concatenate(est.predict(_mrs_spectra())),  # MC-dropout mean and sd
        torch=True,
    ),
}


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request) -> tuple[str, Case]:
    return request.param, CASES[request.param]


def test_unfitted_raises_not_fitted(case):
    _, c = case
    est = c.make(0)
    assert not est.is_fitted
    with pytest.raises(NotFittedError, match="not fitted"):
        c.output(est)
    with pytest.raises(NotFittedError):
        est.save("never-written")


def test_fit_returns_self_and_marks_fitted(case):
    _, c = case
    est = c.make(0)
    assert c.fit(est) is est
    assert est.is_fitted


def test_same_rng_same_output(case):
    _, c = case
    a, b = c.make(3), c.make(3)
    c.fit(a)
    c.fit(b)
    np.testing.assert_array_equal(c.output(a), c.output(b))


def test_save_load_round_trip_gives_identical_output(case, tmp_path):
    _, c = case
    est = c.make(1)
    c.fit(est)
    est.save(tmp_path / "model")
    loaded = type(est).load(tmp_path / "model")
    assert loaded.is_fitted
    np.testing.assert_array_equal(c.output(loaded), c.output(est))
    assert not any(p.suffix in {".pkl", ".pickle", ".joblib", ".pt"} for p in (tmp_path / "model").rglob("*"))


def test_get_params_covers_init_and_rebuilds(case):
    _, c = case
    est = c.make(2)
    params = est.get_params()
    names = [p for p in inspect.signature(type(est).__init__).parameters if p != "self"]
    assert list(params) == names
    assert "rng" in params
    clone = type(est)(**params)
    assert clone.get_params() == params
    assert repr(clone) == repr(est)


def test_device_cpu_auto_and_missing_cuda(case):
    _, c = case
    if not c.torch:
        pytest.skip("not a torch estimator (no device argument)")
    import torch

    est = c.make(0)
    assert "device" in est.get_params()
    reference = c.output(c.fit(c.make(0).set_params(device="cpu")))
    np.testing.assert_array_equal(c.output(c.fit(est.set_params(device="auto"))), reference)
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="cuda"):
            c.fit(c.make(0).set_params(device="cuda"))


def _estimator_classes() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.walk_packages(omicsdl.__path__, "omicsdl."):
        if info.name.endswith("__main__") or ".cli" in info.name or "_workflow" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, BaseEstimator)
                and obj is not BaseEstimator
                and obj.__module__ == module.__name__
            ):
                if not obj.__name__.startswith("_"):
                    found.add(obj)
    return found


def test_every_estimator_has_a_case():
    names = {cls.__name__ for cls in _estimator_classes()}
    assert names, "no BaseEstimator subclass found"
    assert names == set(CASES), f"estimators without a contract case: {sorted(names - set(CASES))}"
