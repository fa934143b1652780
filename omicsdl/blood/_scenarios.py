"""Named SYNTHETIC scenarios for the blood-panel comparison, each with its Bayes-optimal AUC.

Xie et al. (2018) compared a small neural network with logistic regression,
discriminant analysis and a classification tree on nine blood genes. Two
normal classes with one shared covariance (the ``linear`` scenario, today's
simulator) make the linear methods optimal by construction, so such data can
only show the network tie or lose. The scenarios below are the situations in
which a method *can* win or lose for a reason, each with the best AUC any method
could reach (the Bayes-optimal AUC: the AUC of the likelihood ratio).

Every scenario keeps the published group sizes (training 103 HCC vs 54
controls, validation 52 vs 34; Xie et al. 2018, doi:10.3748/wjg.v24.i3.371),
the nine genes, and the scale of :func:`omicsdl.blood.simulate_blood_cohort`
(log2 relative expression ``8 + z``; ``z`` in units of the within-class SD of
healthy controls, within-class correlation 0.3 between every pair of genes).
``delta`` below is the linear scenario's HCC-minus-control mean difference
(GPC3 1.19, HGF 0.84, ANXA1 0.72, FOS -0.72, SPAG9 0.60, HSPA1B 0.60,
CXCR4 0.60, PFN1 -0.48, CALR 0.48 SD), scaled so that its Bayes AUC is 0.94,
the published training AUC (0.943).

Numbers marked *assumption* have no published source for blood mRNA of these
genes; they are chosen to make the mechanism visible at the published sample
size and are stated so that nobody mistakes them for measurements.

The scenarios (parameters in control SD units; full text and every source in
``BLOOD_SCENARIOS[name].describe()`` and ``omicsdl blood scenarios --details``):

``linear``
    Normal classes, shared covariance; means ``0`` and ``delta``. Bayes AUC 0.940
    (exact). Source: Xie et al. 2018 (sizes, AUC 0.943); directions assumed.
``unequal_covariance``
    HCC mean ``0.7 delta`` and SDs 1.2-2.0 times the controls' (GPC3 2.0, HGF 1.8,
    ANXA1 1.6, SPAG9/HSPA1B/CXCR4 1.4, FOS 1.3, PFN1/CALR 1.2): a quadratic
    boundary. The ratios follow from markers raised in about half of HCC
    (AFP sensitivity ~60 %, Yuen & Lai 2005; serum GPC3 47 %, Liu et al. 2010):
    ``1 + pi (1 - pi) Delta^2`` with ``pi = 0.5``, ``Delta = 2-3.5``. Bayes AUC 0.925 (MC),
    best linear 0.798.
``interaction``
    ``logit P(HCC) = beta'z + 3 z_GPC3 z_HGF`` on ``z ~ N(0, R)``; the interaction
    is an assumption. Bayes AUC 0.916 (MC), best linear about 0.77.
``heavy_tails``
    Multivariate t (4 df; Lange, Little & Taylor 1989) around ``0.8 delta`` with
    8 % of samples carrying one failed measurement ``N(0, 4^2)`` (Huber 1964's
    contamination model); rates assumed. Bayes AUC 0.933 (MC), best linear about 0.90.
``batch_shift``
    Validation series: per-gene scale 0.93-1.08 (qPCR efficiency 90-110 %, MIQE,
    Bustin et al. 2009), -0.7 SD on every gene (reference-gene shift,
    Vandesompele et al. 2002) and +1 SD on FOS and HSPA1B (processing delay,
    Baechler et al. 2004; Barnes et al. 2010), extra noise SD 0.3. Bayes AUC of the
    validation series 0.929 (exact).
``cirrhosis_controls``
    Controls at ``s * delta``: ``s`` = 0.8 for HGF and 0.15 for GPC3 (serum HGF and
    AFP in HCC, cirrhosis and healthy people, El Deen & El Haddad 2015), 0.5 for
    the other genes (assumed). Bayes AUC 0.834 (exact), inside the 0.73-0.85 of
    single blood markers for HCC vs cirrhosis (Jeon et al. 2016; Ahn et al. 2016;
    NCI EDRN 2017).
``healthy_to_cirrhosis``
    Training as ``linear`` (healthy controls), validation as ``cirrhosis_controls``.

The Bayes-optimal AUC is exact where a formula exists (``linear``,
``batch_shift``, ``cirrhosis_controls``, ``healthy_to_cirrhosis``), otherwise a
Monte Carlo estimate on 100,000 samples per class with a fixed seed (standard
error below 0.001, recorded with the value).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from scipy.stats import norm

from omicsdl._core._errors import InputError
from omicsdl.blood._panel import NINE_GENE_PANEL
from omicsdl.blood._populations import (
    GaussianPopulation,
    HeavyTailedPopulation,
    InteractionPopulation,
    Population,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["BLOOD_SCENARIOS", "BayesAUC", "BloodScenario", "get_blood_scenario"]

Cohort = Literal["training", "validation"]

_P = len(NINE_GENE_PANEL)
_CORRELATION = 0.3
_R = np.full((_P, _P), _CORRELATION) + (1.0 - _CORRELATION) * np.eye(_P)
#: direction of the linear scenario's effects (simulate_blood_cohort's default pattern)
_DIRECTION = np.array([1.0, 0.7, 0.6, -0.6, 0.5, 0.5, 0.5, -0.4, 0.4])
_DELTA = _DIRECTION * np.sqrt(2.0) * norm.ppf(0.94) / np.sqrt(_DIRECTION @ np.linalg.solve(_R, _DIRECTION))
_ZERO = np.zeros(_P)

_MC_PER_CLASS = 100_000
_MC_SEED = 20180121  # fixed: the Bayes AUC is a property of the scenario, not of a run

# -- unequal_covariance: HCC more heterogeneous than controls ---------------------------------
#: HCC-to-control SD ratio per gene (GPC3, HGF, ANXA1, FOS, SPAG9, HSPA1B, CXCR4, PFN1, CALR)
_SD_RATIO = np.array([2.0, 1.8, 1.6, 1.3, 1.4, 1.4, 1.4, 1.2, 1.2])
_UNEQUAL_MEAN_SCALE = 0.7
# -- interaction -------------------------------------------------------------------------------
_INTERACTION_GAMMA = 3.0
# -- heavy_tails -------------------------------------------------------------------------------
_HEAVY_MEAN_SCALE = 0.8
_HEAVY_DF = 4.0
_OUTLIER_RATE = 0.08
_OUTLIER_SD = 4.0
# -- batch_shift: the validation series measured in another batch ------------------------------
#: per-gene factor on the log scale from a primer efficiency of 90-110 % instead of 100 %
_BATCH_SCALE = np.array([1.05, 0.95, 1.08, 0.93, 1.00, 1.06, 0.96, 1.02, 0.94])
#: per-gene offset (SD units): -0.7 for all (the reference gene reads 0.7 cycles higher), +1.0 for FOS and HSPA1B
_BATCH_SHIFT = np.array([-0.7, -0.7, -0.7, 0.3, -0.7, 0.3, -0.7, -0.7, -0.7])
_BATCH_NOISE_SD = 0.3
# -- cirrhosis controls ------------------------------------------------------------------------
#: share of the HCC-vs-healthy difference that cirrhosis patients already show, per gene
_CIRRHOSIS_SHARE = np.array([0.15, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])


@dataclass(frozen=True, slots=True)
class BayesAUC:
    """The Bayes-optimal AUC of one population and how it was obtained.

    Parameters
    ----------
    value
        The AUC of the likelihood-ratio score.
    method
        ``"closed form"`` or ``"Monte Carlo"``.
    standard_error
        Monte Carlo standard error (DeLong), 0 for a closed form.
    n_per_class
        Monte Carlo samples per class (``None`` for a closed form).
    best_linear
        AUC of the best linear score (closed form for normal classes, else
        logistic regression fitted on one large Monte Carlo sample and scored on
        another; ``None`` when not computed).
    """

    value: float
    method: str
    standard_error: float = 0.0
    n_per_class: int | None = None
    best_linear: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return {
            "value": self.value,
            "method": self.method,
            "standard_error": self.standard_error,
            "n_per_class": self.n_per_class,
            "best_linear": self.best_linear,
        }


@dataclass(frozen=True)
class BloodScenario:
    """One named SYNTHETIC scenario: its generative model, parameters, sources and expectation.

    Parameters
    ----------
    name
        Short identifier (``omicsdl blood evaluate --scenario NAME``).
    title
        One line for tables.
    model
        The generative model in words and formulas.
    parameters
        The values used (JSON-ready), assumptions marked.
    sources
        Where the realistic parameters come from.
    expectation
        Which method the model favours, and why.
    training, validation
        The populations of the training and the validation series.
    """

    name: str
    title: str
    model: str
    parameters: dict[str, Any]
    sources: tuple[str, ...]
    expectation: str
    training: Population = field(repr=False)
    validation: Population = field(repr=False)

    def population(self, cohort: str) -> Population:
        """The population of ``cohort`` (``"validation"``, else the training population)."""
        return self.validation if cohort == "validation" else self.training

    def bayes_auc(self, cohort: Cohort = "training") -> BayesAUC:
        """The Bayes-optimal AUC of ``cohort``'s population (exact, or Monte Carlo; cached)."""
        return _bayes_auc(self.name, "validation" if cohort == "validation" else "training")

    def describe(self) -> dict[str, Any]:
        """Name, title, model, parameters, sources, expectation and the Bayes AUCs (JSON-ready)."""
        return {
            "name": self.name,
            "title": self.title,
            "model": self.model,
            "parameters": self.parameters,
            "sources": list(self.sources),
            "expectation": self.expectation,
            "bayes_auc": self.bayes_auc("training").to_dict(),
            "bayes_auc_validation": self.bayes_auc("validation").to_dict(),
        }


def _rounded(values: np.ndarray) -> dict[str, float]:
    return {g: round(float(v), 4) for g, v in zip(NINE_GENE_PANEL, values, strict=True)}


def _linear() -> Population:
    return GaussianPopulation(_DELTA, _R, _ZERO, _R)


def _cirrhosis(hcc_mean: np.ndarray = _DELTA) -> Population:
    return GaussianPopulation(hcc_mean, _R, _CIRRHOSIS_SHARE * _DELTA, _R)


def _batch() -> Population:
    a = np.diag(_BATCH_SCALE)
    cov = a @ _R @ a + _BATCH_NOISE_SD**2 * np.eye(_P)
    return GaussianPopulation(_BATCH_SCALE * _DELTA + _BATCH_SHIFT, cov, _BATCH_SHIFT, cov)


_SIZES = (
    "training 103 HCC vs 54 controls, validation 52 vs 34 (Xie et al. 2018, World J Gastroenterol 24:371)"
)
_XIE = "Xie H et al. (2018) World J Gastroenterol 24:371, doi:10.3748/wjg.v24.i3.371: group sizes, AUC 0.943"


def _scenarios() -> dict[str, BloodScenario]:
    linear = _linear()
    unequal = GaussianPopulation(_UNEQUAL_MEAN_SCALE * _DELTA, _R * np.outer(_SD_RATIO, _SD_RATIO), _ZERO, _R)
    interaction = InteractionPopulation(_R, 0.0, np.linalg.solve(_R, _DELTA), _INTERACTION_GAMMA, (0, 1))
    heavy = HeavyTailedPopulation(
        _HEAVY_MEAN_SCALE * _DELTA, _ZERO, _R, _HEAVY_DF, _OUTLIER_RATE, _OUTLIER_SD
    )
    cirrhosis = _cirrhosis()
    items = [
        BloodScenario(
            name="linear",
            title="two normal classes, shared covariance (the published setting)",
            model="z | control ~ N(0, R), z | HCC ~ N(delta, R); R: correlation 0.3 between all genes. "
            "Bayes score linear, delta' R^-1 z; Bayes AUC = Phi(Delta / sqrt 2), Delta^2 = delta' R^-1 delta.",
            parameters={"delta": _rounded(_DELTA), "correlation": _CORRELATION, "sizes": _SIZES},
            sources=(
                _XIE,
                "delta's direction and the correlation are assumptions (no per-gene effects published)",
            ),
            expectation="logistic regression and LDA are optimal by construction: the MLP can only tie or lose.",
            training=linear,
            validation=linear,
        ),
        BloodScenario(
            name="unequal_covariance",
            title="HCC more variable than controls (quadratic boundary)",
            model="z | control ~ N(0, R), z | HCC ~ N(0.7 delta, D R D), D = diag(SD ratio HCC : control). "
            "Log-likelihood ratio quadratic in z; Bayes AUC by Monte Carlo.",
            parameters={
                "mean_scale": _UNEQUAL_MEAN_SCALE,
                "sd_ratio_hcc_to_control": _rounded(_SD_RATIO),
                "correlation": _CORRELATION,
            },
            sources=(
                "HCC is heterogeneous: blood markers are raised in about half of the patients (serum AFP "
                "sensitivity ~60 %, Yuen & Lai 2005 Best Pract Res Clin Gastroenterol 19:91; serum GPC3 above "
                "its cut-off in 47 % of HCC, Liu et al. 2010 World J Gastroenterol 16:4410). A marker raised by "
                "Delta SD in a fraction pi of patients inflates the HCC variance to 1 + pi(1 - pi) Delta^2: "
                "pi = 0.5 and Delta = 2-3.5 SD give SD ratios 1.4-2.0",
                "the per-gene ratios and the 0.7 mean scale are assumptions within that range",
            ),
            expectation="no linear score reaches the Bayes AUC; a model that can bend its boundary (MLP, in "
            "principle the tree) can gain on logistic regression and LDA, given enough samples.",
            training=unequal,
            validation=unequal,
        ),
        BloodScenario(
            name="interaction",
            title="gene-gene interaction (GPC3 x HGF) on top of additive effects",
            model="z ~ N(0, R) for everyone; logit P(HCC | z) = beta'z + gamma z_GPC3 z_HGF with "
            "beta = R^-1 delta (the linear scenario's Bayes weights) and gamma = 3; classes filled by "
            "rejection to the published sizes. The logit is the Bayes score; Bayes AUC by Monte Carlo.",
            parameters={
                "beta": _rounded(np.linalg.solve(_R, _DELTA)),
                "gamma": _INTERACTION_GAMMA,
                "pair": ["GPC3", "HGF"],
            },
            sources=(
                "effect modification (a marker that matters only when another is raised) is the textbook "
                "interaction; its size and the gene pair are assumptions (no interaction of these genes has "
                "been measured in blood)",
            ),
            expectation="logistic regression and LDA cannot represent z_GPC3 z_HGF; the MLP and the tree "
            "can, so either may win.",
            training=interaction,
            validation=interaction,
        ),
        BloodScenario(
            name="heavy_tails",
            title="heavy tails and failed measurements (outliers)",
            model="z | class = 0.8 mean_class + e, e ~ multivariate t with 4 degrees of freedom and covariance R; "
            "then in 8 % of samples one random gene is replaced by N(0, 4^2) (a failed reaction). Bayes score: "
            "the exact log-likelihood ratio of the mixtures; Bayes AUC by Monte Carlo.",
            parameters={
                "mean_scale": _HEAVY_MEAN_SCALE,
                "df": _HEAVY_DF,
                "outlier_rate": _OUTLIER_RATE,
                "outlier_sd": _OUTLIER_SD,
            },
            sources=(
                "the multivariate t as a model of heavy-tailed measurements: Lange, Little & Taylor 1989 "
                "JASA 84:881; gross-error contamination: Huber 1964 Ann Math Stat 35:73",
                "4 degrees of freedom, 8 % failed samples and their spread are assumptions",
            ),
            expectation="least squares-like fits (LDA, and to a lesser extent logistic regression) are pulled "
            "by outliers; the tree is insensitive to them; the Bayes rule down-weights outlying genes.",
            training=heavy,
            validation=heavy,
        ),
        BloodScenario(
            name="batch_shift",
            title="validation series measured in another batch",
            model="training as in linear; validation z' = a * z + b + e, e ~ N(0, 0.3^2 I): a per-gene scale "
            "a (primer efficiency), offsets b (-0.7 SD for all genes from the reference gene, +1.0 for FOS and "
            "HSPA1B from processing delay; net: every sample 0.87 SD of the Bayes score towards 'control') "
            "and extra technical noise. The Bayes AUC of the validation series is exact (normal, shared "
            "covariance); a model fitted on the training series does not know a, b or the noise.",
            parameters={
                "scale": _rounded(_BATCH_SCALE),
                "offset": _rounded(_BATCH_SHIFT),
                "noise_sd": _BATCH_NOISE_SD,
            },
            sources=(
                "batch effects as a main source of irreproducibility: Leek et al. 2010 Nat Rev Genet 11:733",
                "hundreds of blood genes change >= 2-fold (1 log2 unit) with a few hours' processing delay: "
                "Baechler et al. 2004 Genes Immun 5:347; Barnes et al. 2010 Biopreserv Biobank 8:153 "
                "(which genes move most here, FOS and HSPA1B, is an assumption)",
                "qPCR efficiencies of 90-110 % (MIQE, Bustin et al. 2009 Clin Chem 55:611) scale log "
                "values by 0.93-1.08",
                "normalising to one reference gene carries its between-batch variation into every target "
                "gene (Vandesompele et al. 2002 Genome Biol 3:research0034); the 0.7-cycle shift and the 0.3 SD "
                "extra noise are assumptions",
            ),
            expectation="cross-validation on the training series cannot see the shift; on validation, "
            "thresholds move (sensitivity/specificity change) more than AUCs, and flexible models (tree, MLP) "
            "extrapolate worst.",
            training=linear,
            validation=_batch(),
        ),
        BloodScenario(
            name="cirrhosis_controls",
            title="controls are cirrhosis patients, not healthy people",
            model="z | control ~ N(s * delta, R), z | HCC ~ N(delta, R): cirrhosis patients already show a "
            "share s of the HCC-vs-healthy difference (per gene). Shared covariance: Bayes AUC exact.",
            parameters={"share_of_hcc_difference": _rounded(_CIRRHOSIS_SHARE), "correlation": _CORRELATION},
            sources=(
                "serum HGF medians: HCC 3709, cirrhosis 2844, healthy 913 pg/ml (El Deen & El Haddad 2015 Egypt "
                "J Intern Med 27:92): cirrhosis shows 0.8 of the log difference; AFP in the same study 0.12 "
                "(taken for GPC3, the HCC-specific oncofetal marker: 0.15)",
                "the reference: single blood markers reach AUC 0.73-0.85 for HCC vs cirrhosis (AFP: 0.729, "
                "Jeon et al. 2016 Clin Mol Hepatol 22:359; 0.757, Ahn et al. 2016 Korean J Intern Med "
                "31:46; 0.76-0.85 by aetiology, NCI EDRN, Cancer Epidemiol Biomarkers Prev 2017 26:1085)",
                "0.5 for the seven inflammation/immune genes is an assumption",
            ),
            expectation="a harder problem (lower Bayes AUC) with the same linear structure: the linear "
            "methods stay optimal; the question is how far every method falls from the healthy-control AUC.",
            training=cirrhosis,
            validation=cirrhosis,
        ),
        BloodScenario(
            name="healthy_to_cirrhosis",
            title="trained against healthy controls, used on cirrhosis patients",
            model="training as in linear (healthy controls, as in Xie et al.); validation as in "
            "cirrhosis_controls (the population a surveillance test is meant for).",
            parameters={"share_of_hcc_difference": _rounded(_CIRRHOSIS_SHARE)},
            sources=(
                "the main caveat raised about Xie et al.: healthy controls overstate the accuracy in the "
                "at-risk population; see cirrhosis_controls for the parameters",
            ),
            expectation="the validation AUC falls to (or below) the cirrhosis Bayes AUC whatever the "
            "method; thresholds chosen against healthy controls give many false positives.",
            training=linear,
            validation=cirrhosis,
        ),
    ]
    return {s.name: s for s in items}


#: every scenario by name, in the order the scenario table lists them
BLOOD_SCENARIOS: dict[str, BloodScenario] = _scenarios()


def get_blood_scenario(name: str) -> BloodScenario:
    """The scenario called ``name``.

    Raises
    ------
    InputError
        No such scenario (the message lists the names).

    Examples
    --------
    >>> import omicsdl as od
    >>> od.blood.get_blood_scenario("linear").bayes_auc().value
    0.94
    """
    try:
        return BLOOD_SCENARIOS[name]
    except KeyError:
        msg = f"unknown blood scenario {name!r}"
        raise InputError(msg, item=name, fix=f"choose one of {', '.join(BLOOD_SCENARIOS)}") from None


def _auc_with_se(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    from omicsdl.metrics import auc_delong

    auc, var, _, _ = auc_delong(y, score)
    return auc, float(np.sqrt(var))


def _large_sample_linear_auc(population: Population, gen: np.random.Generator, n: int) -> float:
    from sklearn.linear_model import LogisticRegression

    z_fit = population.sample(gen, n, n)
    z_test = population.sample(gen, n, n)
    y = np.r_[np.ones(n), np.zeros(n)].astype(int)
    model = LogisticRegression(solver="newton-cholesky", max_iter=100).fit(z_fit, y)
    return _auc_with_se(y, model.decision_function(z_test))[0]


@functools.cache
def _bayes_auc(name: str, cohort: str) -> BayesAUC:
    population = BLOOD_SCENARIOS[name].population(cohort)
    exact = population.closed_form_auc()
    best_linear = population.best_linear_auc()
    if exact is not None:
        return BayesAUC(value=round(exact, 12), method="closed form", best_linear=best_linear)
    gen = np.random.default_rng(_MC_SEED)
    n = _MC_PER_CLASS
    z = population.sample(gen, n, n)
    y = np.r_[np.ones(n), np.zeros(n)].astype(int)
    value, se = _auc_with_se(y, population.bayes_score(z))
    if best_linear is None:
        best_linear = _large_sample_linear_auc(population, gen, 30_000)
    return BayesAUC(
        value=value, method="Monte Carlo", standard_error=se, n_per_class=n, best_linear=best_linear
    )


def scenario_sampler(name: str) -> Callable[[np.random.Generator, str, int, int], np.ndarray]:
    """``sample(gen, cohort, n_hcc, n_control)`` of scenario ``name`` (standardised values, HCC rows first)."""
    scenario = get_blood_scenario(name)

    def sample(gen: np.random.Generator, cohort: str, n_hcc: int, n_control: int) -> np.ndarray:
        return scenario.population(cohort).sample(gen, n_hcc, n_control)

    return sample
