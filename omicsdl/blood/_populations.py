"""Class-conditional models of the SYNTHETIC blood scenarios: sampling and the Bayes-optimal score.

Each population describes the nine-gene panel of HCC patients and of controls
on the standardised scale (control-class SD units) and knows

* ``sample(gen, n_hcc, n_control)``: ``(n_hcc + n_control) × p`` values, HCC rows first;
* ``bayes_score(z)``: a score that is a monotone function of the likelihood ratio
  ``p(z | HCC) / p(z | control)``, hence Bayes-optimal for every threshold and
  class prior (Neyman–Pearson lemma);
* ``closed_form_auc()``: the Bayes-optimal AUC when a formula exists, else ``None``;
* ``best_linear_auc()``: the AUC of the best *linear* score when a formula exists.

Compute only; the scenarios that use them are in :mod:`omicsdl.blood._scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, gammaln, logsumexp
from scipy.stats import multivariate_normal, norm

__all__ = ["GaussianPopulation", "HeavyTailedPopulation", "InteractionPopulation", "Population"]


class Population:
    """Base of the class-conditional models (see the module docstring)."""

    n_genes: int

    def sample(self, gen: np.random.Generator, n_hcc: int, n_control: int) -> np.ndarray:
        """``(n_hcc + n_control) × n_genes`` standardised values, the HCC rows first."""
        raise NotImplementedError

    def bayes_score(self, z: np.ndarray) -> np.ndarray:
        """A monotone function of the likelihood ratio HCC : control, per row of ``z``."""
        raise NotImplementedError

    def closed_form_auc(self) -> float | None:
        """The Bayes-optimal ROC AUC when a formula exists (else ``None``: Monte Carlo)."""
        return None

    def best_linear_auc(self) -> float | None:
        """The ROC AUC of the best linear score ``w'z`` when a formula exists."""
        return None


@dataclass(frozen=True, eq=False)
class GaussianPopulation(Population):
    """Two multivariate normal classes, ``z | HCC ~ N(mean_hcc, cov_hcc)``, ``z | control ~ N(mean_control, cov_control)``.

    With equal covariances the Bayes score is linear and its AUC is
    ``Phi(Delta / sqrt 2)`` (``Delta`` the Mahalanobis distance of the means);
    otherwise the log-likelihood ratio is quadratic and the AUC has no closed form.
    The best linear score ``w'z`` has AUC ``Phi(sqrt(d' (S0 + S1)^-1 d))``,
    ``d = mean_hcc - mean_control`` (Su & Liu 1993, JASA 88:1350).
    """

    mean_hcc: np.ndarray
    cov_hcc: np.ndarray
    mean_control: np.ndarray
    cov_control: np.ndarray

    @property
    def n_genes(self) -> int:  # type: ignore[override]
        """Number of genes."""
        return int(self.mean_hcc.size)

    @property
    def shared_covariance(self) -> bool:
        """Whether both classes have the same covariance (a linear Bayes boundary)."""
        return bool(np.allclose(self.cov_hcc, self.cov_control, rtol=0, atol=1e-12))

    def sample(self, gen: np.random.Generator, n_hcc: int, n_control: int) -> np.ndarray:
        """HCC rows then control rows, each ``standard normal @ chol(cov).T + mean``."""
        blocks = []
        for n, mean, cov in (
            (n_hcc, self.mean_hcc, self.cov_hcc),
            (n_control, self.mean_control, self.cov_control),
        ):
            blocks.append(gen.standard_normal((n, self.n_genes)) @ np.linalg.cholesky(cov).T + mean)
        return np.vstack(blocks)

    def bayes_score(self, z: np.ndarray) -> np.ndarray:
        """The log-likelihood ratio (linear when the covariances are equal)."""
        if self.shared_covariance:
            return np.asarray(z) @ np.linalg.solve(self.cov_hcc, self.mean_hcc - self.mean_control)
        return multivariate_normal(self.mean_hcc, self.cov_hcc).logpdf(z) - multivariate_normal(
            self.mean_control, self.cov_control
        ).logpdf(z)

    def closed_form_auc(self) -> float | None:
        """``Phi(Delta / sqrt 2)`` for equal covariances; ``None`` otherwise."""
        if not self.shared_covariance:
            return None
        d = self.mean_hcc - self.mean_control
        return float(norm.cdf(np.sqrt(d @ np.linalg.solve(self.cov_hcc, d)) / np.sqrt(2.0)))

    def best_linear_auc(self) -> float:
        """``Phi(sqrt(d' (S0 + S1)^-1 d))``: the AUC of the best linear score."""
        d = self.mean_hcc - self.mean_control
        return float(norm.cdf(np.sqrt(d @ np.linalg.solve(self.cov_hcc + self.cov_control, d))))


@dataclass(frozen=True, eq=False)
class InteractionPopulation(Population):
    """Logistic model with a gene–gene interaction on normal gene values.

    ``z ~ N(0, cov)`` for everyone and
    ``logit P(HCC | z) = intercept + beta'z + gamma z_i z_j`` (``(i, j) = pair``).
    The class-conditional densities are ``p(z) P(class | z)`` normalised, drawn
    here by rejection to fill the requested class sizes. The logit is the
    log-likelihood ratio up to a constant, so it is the Bayes score; with
    ``gamma != 0`` no linear score reaches its AUC.
    """

    cov: np.ndarray
    intercept: float
    beta: np.ndarray
    gamma: float
    pair: tuple[int, int]

    @property
    def n_genes(self) -> int:  # type: ignore[override]
        """Number of genes."""
        return int(self.beta.size)

    def bayes_score(self, z: np.ndarray) -> np.ndarray:
        """The logit ``intercept + beta'z + gamma z_i z_j``."""
        z = np.asarray(z)
        i, j = self.pair
        return self.intercept + z @ self.beta + self.gamma * z[:, i] * z[:, j]

    def sample(self, gen: np.random.Generator, n_hcc: int, n_control: int) -> np.ndarray:
        """Draw people from ``N(0, cov)``, their class from the logistic model, until both classes are full."""
        chol = np.linalg.cholesky(self.cov)
        hcc: list[np.ndarray] = []
        ctrl: list[np.ndarray] = []
        have_h = have_c = 0
        batch = max(64, 2 * (n_hcc + n_control))
        while have_h < n_hcc or have_c < n_control:
            z = gen.standard_normal((batch, self.n_genes)) @ chol.T
            is_hcc = gen.random(batch) < expit(self.bayes_score(z))
            hcc.append(z[is_hcc][: n_hcc - have_h])
            ctrl.append(z[~is_hcc][: n_control - have_c])
            have_h += hcc[-1].shape[0]
            have_c += ctrl[-1].shape[0]
        return np.vstack([*hcc, *ctrl])


@dataclass(frozen=True, eq=False)
class HeavyTailedPopulation(Population):
    """Multivariate Student t classes with gross single-gene outliers.

    ``z | class = mean_class + e``, ``e ~ t_df(0, scatter)`` (the scatter is set
    so that ``Cov(e) = cov``), then with probability ``outlier_rate`` one gene
    chosen at random is replaced by ``N(0, outlier_sd^2)``: a failed
    measurement that carries no information on the class. The density of each
    class is the mixture of the t density and the ``p`` one-outlier terms (the
    marginal t of the other genes times the outlier density), so the exact
    log-likelihood ratio is the Bayes score; it down-weights outlying genes,
    which no linear score can.
    """

    mean_hcc: np.ndarray
    mean_control: np.ndarray
    cov: np.ndarray
    df: float
    outlier_rate: float
    outlier_sd: float

    @property
    def n_genes(self) -> int:  # type: ignore[override]
        """Number of genes."""
        return int(self.mean_hcc.size)

    @property
    def scatter(self) -> np.ndarray:
        """The t scatter matrix ``cov (df - 2) / df`` (so that the covariance is ``cov``)."""
        return self.cov * (self.df - 2.0) / self.df

    def sample(self, gen: np.random.Generator, n_hcc: int, n_control: int) -> np.ndarray:
        """HCC rows then control rows: t draws around the class means, then the outliers."""
        p = self.n_genes
        chol = np.linalg.cholesky(self.scatter)
        blocks = []
        for n, mean in ((n_hcc, self.mean_hcc), (n_control, self.mean_control)):
            g = gen.standard_normal((n, p)) @ chol.T
            w = gen.chisquare(self.df, size=n) / self.df
            z = mean + g / np.sqrt(w)[:, None]
            hit = gen.random(n) < self.outlier_rate
            genes = gen.integers(0, p, size=n)
            values = gen.normal(0.0, self.outlier_sd, size=n)
            z[hit, genes[hit]] = values[hit]
            blocks.append(z)
        return np.vstack(blocks)

    def _log_density(self, z: np.ndarray, mean: np.ndarray) -> np.ndarray:
        """Log density of one class: the t term and the ``p`` one-outlier terms, all from one precision matrix.

        Leaving gene ``g`` out of a multivariate t gives a t with the same
        degrees of freedom; its Mahalanobis term is ``q - (P r)_g^2 / P_gg``
        and its log-determinant ``log|S| + log P_gg`` (``P`` the precision,
        ``r = z - mean``; Schur complement), so no sub-matrix is inverted.
        """
        p, df = self.n_genes, self.df
        precision = np.linalg.inv(self.scatter)
        _, logdet = np.linalg.slogdet(self.scatter)
        r = z - mean
        pr = r @ precision
        q = np.einsum("ij,ij->i", r, pr)
        diag = np.diag(precision)
        q_rest = q[:, None] - pr**2 / diag
        full = _t_log_kernel(q, p, df) - 0.5 * logdet
        rest = _t_log_kernel(q_rest, p - 1, df) - 0.5 * (logdet + np.log(diag))
        outlier = norm.logpdf(z, scale=self.outlier_sd)
        terms = np.column_stack(
            [np.log1p(-self.outlier_rate) + full, np.log(self.outlier_rate / p) + rest + outlier]
        )
        return logsumexp(terms, axis=1)

    def bayes_score(self, z: np.ndarray) -> np.ndarray:
        """The exact log-likelihood ratio of the two mixtures."""
        z = np.atleast_2d(np.asarray(z, dtype=float))
        return self._log_density(z, self.mean_hcc) - self._log_density(z, self.mean_control)


def _t_log_kernel(q: np.ndarray, p: int, df: float) -> np.ndarray:
    """Log density of a ``p``-variate t at Mahalanobis square ``q``, without the ``-log|S| / 2`` term."""
    return (
        gammaln((df + p) / 2.0)
        - gammaln(df / 2.0)
        - 0.5 * p * np.log(df * np.pi)
        - 0.5 * (df + p) * np.log1p(q / df)
    )
