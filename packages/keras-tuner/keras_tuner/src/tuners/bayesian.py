# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Bayesian optimisation with a Gaussian process (NumPy + SciPy).

Every tuned hyperparameter is encoded on the unit cube: numbers, ordered
choices and booleans on one axis (through `value_to_prob`, so log-sampled
ranges are modelled in log space), unordered choices one-hot. The first
trials follow a scrambled Sobol design, which covers the cube more evenly
than independent random points. Then a Gaussian process with a
Matern-5/2 kernel and one length scale per axis is fitted to the
standardised scores by maximising the marginal likelihood (with weak
priors, analytic gradients, L-BFGS-B). The next configuration maximises the
logarithm of expected improvement, found by L-BFGS-B (with analytic
gradients) started from the best of several thousand candidates: random
points, perturbations of the best points, and trust-region moves of a few
coordinates around the incumbent. A candidate that the process cannot tell
apart from a configuration already tried (see `_distinguishable`) is
skipped, and so is one whose decoded values equal a configuration already
tried or running.

References: Snoek et al., "Practical Bayesian Optimization of Machine
Learning Algorithms", NeurIPS 2012; Ament et al., "Unexpected Improvements
to Expected Improvement for Bayesian Optimization", NeurIPS 2023; Eriksson
et al., "Scalable Global Optimization via Local Bayesian Optimization",
NeurIPS 2019 (trust regions).
"""

import contextlib
import math

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.special
import scipy.stats
import scipy.stats.qmc

from keras_core import api_export
from keras_tuner.src.engine.hyperparameters import Choice
from keras_tuner.src.engine.oracle import Oracle
from keras_tuner.src.engine.oracle import values_hash
from keras_tuner.src.engine.trial import TrialStatus
from keras_tuner.src.engine.tuner import Tuner

RFC = "20261122-keras-tuner-end-to-end-workflows"
_SQRT5 = math.sqrt(5.0)
_LOG_2PI = math.log(2 * math.pi)


@contextlib.contextmanager
def _single_threaded_blas():
    """Runs the small linear algebra of the GP on one BLAS thread.

    The matrices here are tiny; BLAS worker threads only add
    synchronisation cost, which on a loaded machine made each proposal
    several times slower. The limit is set through `threadpoolctl` (a
    dependency of keras-tuner) and restored on exit; should it be missing
    (a broken install), the BLAS settings are left alone.
    """
    try:
        import threadpoolctl
    except ImportError:
        yield
        return
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        yield


# -- Encoding -------------------------------------------------------------
class _Encoder:
    """Maps values of a search space to points of the unit cube and back."""

    def __init__(self, oracle):
        self.oracle = oracle
        self.hps = [hp for hp in oracle.hyperparameters.space if oracle.is_tuned(hp)]
        self.slices = []
        start = 0
        for hp in self.hps:
            width = len(hp.values) if self._one_hot(hp) else 1
            self.slices.append(slice(start, start + width))
            start += width
        self.dim = start

    @staticmethod
    def _one_hot(hp):
        return isinstance(hp, Choice) and not hp.ordered and len(hp.values) > 2

    def encode(self, hps):
        x = np.full(self.dim, 0.5)
        for hp, sl in zip(self.hps, self.slices):
            # By object, not by name: one name may be declared under two
            # conditional branches, each with its own range and dimensions.
            if not hps.is_active(hp) or hp.name not in hps.values:
                if self._one_hot(hp):
                    x[sl] = 0.0
                continue
            value = hps.values[hp.name]
            if self._one_hot(hp):
                x[sl] = 0.0
                x[sl.start + hp.values.index(value)] = 1.0
            else:
                x[sl.start] = hp.value_to_prob(value)
        return x

    def decode(self, x):
        """Values for point `x` (inactive hyperparameters at their default)."""

        def chooser(hp):
            # The declaration of this name under the same conditions.
            sl = next(
                (
                    sl
                    for own, sl in zip(self.hps, self.slices)
                    if own.name == hp.name and own.conditions == hp.conditions
                ),
                None,
            )
            if sl is None:
                return hp.default
            if self._one_hot(hp):
                return hp.values[int(np.argmax(x[sl]))]
            return hp.prob_to_value(float(x[sl.start]))

        return self.oracle.fill_values(chooser)


# -- Gaussian process -----------------------------------------------------
def _matern(X1, X2, lengthscales, signal):
    diff = (X1[:, None, :] - X2[None, :, :]) / lengthscales
    sq = np.sum(diff**2, axis=-1)
    r = np.sqrt(np.maximum(sq, 1e-300))
    exp = np.exp(-_SQRT5 * r)
    return signal * (1.0 + _SQRT5 * r + 5.0 / 3.0 * sq) * exp, diff, r, exp


class _GaussianProcess:
    """Zero-mean GP on standardised targets with ARD Matern-5/2 kernel."""

    # Priors (on the unit cube, standardised targets): Gamma(2, 4) length
    # scales (mean 0.5; wide enough that short scales fitted from a few
    # close points are not pulled back to 0.5, which slowed the local
    # search in 6 dimensions), log-normal signal variance around 1, small
    # noise.
    def __init__(self, min_noise=1e-6):
        self.min_noise = min_noise
        self.theta = None

    def _unpack(self, theta, d):
        return np.exp(theta[:d]), math.exp(theta[d]), math.exp(theta[d + 1])

    def _neg_log_posterior(self, theta, X, y):
        n, d = X.shape
        ls, signal, noise = self._unpack(theta, d)
        K, diff, r, exp = _matern(X, X, ls, signal)
        K[np.diag_indices(n)] += noise
        try:
            L = scipy.linalg.cholesky(K, lower=True)
        except (np.linalg.LinAlgError, ValueError):
            return 1e10, np.zeros_like(theta)
        alpha = scipy.linalg.cho_solve((L, True), y)
        nll = 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * n * _LOG_2PI
        Kinv = scipy.linalg.cho_solve((L, True), np.eye(n))
        W = np.outer(alpha, alpha) - Kinv  # dLL/dK = W / 2
        grad = np.zeros_like(theta)
        base = signal * 5.0 / 3.0 * (1.0 + _SQRT5 * r) * exp
        for j in range(d):
            dK = base * diff[:, :, j] ** 2
            grad[j] = -0.5 * np.sum(W * dK)
        grad[d] = -0.5 * np.sum(W * (K - noise * np.eye(n)))
        grad[d + 1] = -0.5 * noise * np.trace(W)
        # Priors, as functions of the log parameters (Jacobian included).
        a, b = 2.0, 4.0
        nll -= np.sum(a * theta[:d] - b * ls)
        grad[:d] -= a - b * ls
        nll += 0.5 * theta[d] ** 2
        grad[d] += theta[d]
        mu_noise, sd_noise = math.log(1e-4), 3.0
        nll += 0.5 * ((theta[d + 1] - mu_noise) / sd_noise) ** 2
        grad[d + 1] += (theta[d + 1] - mu_noise) / sd_noise**2
        return nll, grad

    def fit(self, X, y):
        n, d = X.shape
        bounds = [(math.log(1e-2), math.log(20.0))] * d + [
            (math.log(0.05), math.log(20.0)),
            (math.log(self.min_noise), math.log(0.5)),
        ]
        starts = [np.array([math.log(0.3)] * d + [0.0, math.log(1e-3)])]
        if self.theta is not None and len(self.theta) == d + 2:
            starts.insert(0, self.theta)
        best = None
        for start in starts:
            result = scipy.optimize.minimize(
                self._neg_log_posterior,
                np.clip(start, [b[0] for b in bounds], [b[1] for b in bounds]),
                args=(X, y),
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": 200},
            )
            if best is None or result.fun < best.fun:
                best = result
        self.theta = best.x
        self.ls, self.signal, self.noise = self._unpack(self.theta, d)
        K, _, _, _ = _matern(X, X, self.ls, self.signal)
        K[np.diag_indices(n)] += self.noise
        jitter = 0.0
        while True:
            try:
                self.L = scipy.linalg.cholesky(K + jitter * np.eye(n), lower=True)
                break
            except np.linalg.LinAlgError:
                jitter = max(jitter * 10, 1e-8)
        self.alpha = scipy.linalg.cho_solve((self.L, True), y)
        self.X = X

    def predict(self, Xs, with_grad=False):
        """Mean and standard deviation of f at `Xs` (and their gradients)."""
        k, diff, r, exp = _matern(Xs, self.X, self.ls, self.signal)
        mu = k @ self.alpha
        v = scipy.linalg.solve_triangular(self.L, k.T, lower=True)
        var = np.maximum(self.signal - np.sum(v**2, axis=0), 1e-12)
        sd = np.sqrt(var)
        if not with_grad:
            return mu, sd
        # dk/dx = -5/3 s (1 + sqrt5 r) exp(-sqrt5 r) (x - x') / l^2
        coef = -5.0 / 3.0 * self.signal * (1.0 + _SQRT5 * r) * exp  # (m, n)
        dk = coef[:, :, None] * diff / self.ls  # (m, n, d)
        dmu = np.einsum("mnd,n->md", dk, self.alpha)
        kinv_k = scipy.linalg.solve_triangular(self.L.T, v, lower=False)  # (n, m)
        dvar = -2.0 * np.einsum("mnd,nm->md", dk, kinv_k)
        dsd = dvar / (2.0 * sd[:, None])
        return mu, sd, dmu, dsd


def _log_h(z):
    """log(z * Phi(z) + phi(z)), stable for very negative z, and its derivative."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    log_phi = -0.5 * z**2 - 0.5 * _LOG_2PI
    mid = z > -25.0
    zm = z[mid]
    term = zm * math.sqrt(math.pi / 2) * scipy.special.erfcx(-zm / math.sqrt(2))
    out[mid] = log_phi[mid] + np.log1p(np.maximum(term, -1 + 1e-300))
    zl = z[~mid]
    out[~mid] = (
        log_phi[~mid] - 2.0 * np.log(-zl) + np.log1p(-3.0 / zl**2 + 15.0 / zl**4)
    )
    dlog = np.exp(scipy.special.log_ndtr(z) - out)
    return out, dlog


def _acquisition(gp, X, best, kind, beta, with_grad=False):
    """Value to maximise (log EI, or -LCB) at points `X`."""
    if with_grad:
        mu, sd, dmu, dsd = gp.predict(X, with_grad=True)
    else:
        mu, sd = gp.predict(X)
    if kind == "ucb":
        value = -(mu - beta * sd)
        if with_grad:
            return value, -(dmu - beta * dsd)
        return value
    z = (best - mu) / sd
    log_h, dlog_h = _log_h(z)
    value = np.log(sd) + log_h
    if not with_grad:
        return value
    dz = (-dmu - z[:, None] * dsd) / sd[:, None]
    grad = dsd / sd[:, None] + dlog_h[:, None] * dz
    return value, grad


def _distinguishable(gp, X, min_noise):
    """Whether each point of `X` differs, for the process, from every point tried.

    Two configurations are copies for the model when the prior variance of
    the difference of their values, 2 (signal - k(x, x_i)), is below the
    noise floor `min_noise` (the oracle's `alpha`): no evaluation could
    tell them apart. Expected improvement can still peak at such a copy of
    the incumbent when the model is overconfident elsewhere (its value is
    then the noise floor times phi(0)); proposing it repeats a known
    configuration, leaves the model unchanged, and the search stalls on that
    point, as it did on an edge of Branin's box.
    """
    k, _, _, _ = _matern(X, gp.X, gp.ls, gp.signal)
    return 2.0 * (gp.signal - k.max(axis=1)) >= min_noise


def _standardise_scores(y):
    """Losses shifted and scaled to mean 0 and standard deviation 1.

    No output warping: a Yeo-Johnson power transform (used here before)
    compressed the large losses of a search, made the scores look smoother
    than the objective, and the process fitted length scales so long that it
    was sure no minimum lay near the incumbent. On Branin that made the
    search settle on the edge x1 = 10 next to the global minimum at
    x1 = 9.42 (regret 1.545 on 3 of 8 seeds).
    """
    std = y.std()
    if not std > 0:
        return y - y.mean()
    return (y - y.mean()) / std


def _trust_region_candidates(centre, lengthscales, rng, count=200):
    """Points around the incumbent that move only a few coordinates at a time.

    Boxes of several sizes, stretched along the axes the process finds
    smooth (long length scales) and shrunk along the others, as in TuRBO
    (Eriksson et al., NeurIPS 2019); changing few coordinates at once keeps
    candidates useful in many dimensions.
    """
    d = len(centre)
    shape = lengthscales / np.exp(np.mean(np.log(lengthscales)))
    batches = []
    for side in (0.05, 0.1, 0.2, 0.4):
        mask = rng.random((count, d)) < min(1.0, max(2.0 / d, 0.2))
        mask[np.arange(count), rng.integers(0, d, count)] = True
        step = rng.uniform(-1.0, 1.0, (count, d)) * side * shape
        batches.append(np.clip(centre + mask * step, 0.0, 1.0))
    return np.concatenate(batches)


@api_export(
    [
        "keras_tuner.oracles.BayesianOptimizationOracle",
        "keras_tuner.oracles.BayesianOptimization",
    ],
    stability="stable",
    rfc=RFC,
)
class BayesianOptimizationOracle(Oracle):
    """Bayesian optimisation with a Gaussian process.

    After `num_initial_points` trials from a scrambled Sobol design, each
    trial fits a Gaussian process (ARD Matern-5/2 kernel, hyperparameters by
    maximum a posteriori) to the standardised scores so far and proposes
    the configuration that
    maximises the acquisition: the logarithm of expected improvement
    (`acquisition="ei"`, default) or an upper confidence bound
    (`acquisition="ucb"`, with `beta`). Unordered choices are one-hot
    encoded, conditional hyperparameters are modelled where active, and a
    configuration already tried or running, or one the process cannot tell
    apart from a configuration already tried, is never proposed.

    Args:
        objective: metric name, `kt.Objective` or list of them.
        max_trials: number of trials (default 10).
        num_initial_points: Sobol-design trials before the model is used
            (default: number of tuned dimensions + 1, between 2 and 10).
            A search space declared only inside `run_trial` is unknown
            before the first trial, so that trial is random.
        alpha: minimum noise variance of the process (standardised scores);
            raise it for very noisy objectives.
        beta: exploration weight of `acquisition="ucb"`.
        acquisition: `"ei"` (log expected improvement) or `"ucb"`.
        seed: as for `kt.oracles.RandomSearchOracle`.
        hyperparameters: as for `kt.oracles.RandomSearchOracle`.
        allow_new_entries: as for `kt.oracles.RandomSearchOracle`.
        tune_new_entries: as for `kt.oracles.RandomSearchOracle`.
        max_retries_per_trial: as for `kt.oracles.RandomSearchOracle`.
        max_consecutive_failed_trials: as for `kt.oracles.RandomSearchOracle`.

    Examples:

    >>> oracle = BayesianOptimizationOracle(objective="val_loss", max_trials=20, seed=0)
    >>> oracle.acquisition
    'ei'
    """

    def __init__(
        self,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-6,
        beta=2.6,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        acquisition="ei",
    ):
        super().__init__(
            objective=objective,
            max_trials=max_trials,
            hyperparameters=hyperparameters,
            allow_new_entries=allow_new_entries,
            tune_new_entries=tune_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        if num_initial_points is not None and (
            not isinstance(num_initial_points, int) or num_initial_points < 1
        ):
            raise ValueError(
                "`num_initial_points` must be a positive integer or None. Received: "
                f"{num_initial_points!r}."
            )
        if acquisition not in ("ei", "ucb"):
            raise ValueError(
                f"`acquisition` must be 'ei' or 'ucb'. Received: {acquisition!r}."
            )
        if not alpha > 0:
            raise ValueError(f"`alpha` must be > 0. Received: alpha={alpha!r}.")
        self.num_initial_points = num_initial_points
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.acquisition = acquisition
        self._gp = _GaussianProcess(min_noise=self.alpha)

    def _initial_points(self, dim):
        if self.num_initial_points is not None:
            return self.num_initial_points
        return int(min(max(dim + 1, 2), 10))

    def _design_values(self, encoder, index):
        """Point `index` of the scrambled Sobol design (None if already tried).

        The design depends only on the seed and the encoded dimension, so a
        resumed search proposes the same initial points.
        """
        count = 1 << max(int(index).bit_length(), 1)  # a power of two >= index + 1
        sobol = scipy.stats.qmc.Sobol(
            encoder.dim,
            scramble=True,
            seed=np.random.default_rng([self.seed % 2**63, 104729]),
        )
        values, active = encoder.decode(sobol.random(count)[index])
        if values_hash(active) in self._tried_hashes():
            return None
        return values

    def populate_space(self, trial_id):
        encoder = _Encoder(self)
        completed = [
            t
            for t in self.trials.values()
            if t.status == TrialStatus.COMPLETED
            and t.score is not None
            and np.isfinite(t.score)
        ]
        if encoder.dim == 0 or len(completed) < self._initial_points(encoder.dim):
            values = None
            if encoder.dim:
                values = self._design_values(encoder, int(trial_id))
            if values is None:
                values = self._random_values()
            if values is None:
                return {"status": TrialStatus.STOPPED}
            return {"status": TrialStatus.RUNNING, "values": values}
        with _single_threaded_blas():
            values = self._propose(encoder, completed, trial_id)
        if values is None:
            values = self._random_values()
        if values is None:
            return {"status": TrialStatus.STOPPED}
        return {"status": TrialStatus.RUNNING, "values": values}

    def _propose(self, encoder, completed, trial_id):
        X = np.array([encoder.encode(t.hyperparameters) for t in completed])
        y = np.array([self.objective.to_loss(t.score) for t in completed], dtype=float)
        y = _standardise_scores(y)
        self._gp.fit(X, y)
        rng = np.random.default_rng(
            np.random.SeedSequence([self.seed % 2**63, 7919, int(trial_id)])
        )
        d = encoder.dim
        pool = [rng.random((2000, d))]
        order = np.argsort(y)[:5]
        for scale in (0.01, 0.05, 0.15):
            centres = X[order]
            noise = rng.normal(0.0, scale, (len(centres) * 60, d))
            pool.append(np.clip(np.repeat(centres, 60, axis=0) + noise, 0.0, 1.0))
        pool.append(_trust_region_candidates(X[order[0]], self._gp.ls, rng))
        pool = np.concatenate(pool)
        best = float(np.min(y))
        scores = _acquisition(self._gp, pool, best, self.acquisition, self.beta)
        starts = pool[np.argsort(-scores)[:10]]
        m = len(starts)

        def objective(flat):
            points = flat.reshape(m, d)
            value, grad = _acquisition(
                self._gp, points, best, self.acquisition, self.beta, with_grad=True
            )
            return -float(np.sum(value)), -grad.ravel()

        result = scipy.optimize.minimize(
            objective,
            starts.ravel(),
            jac=True,
            method="L-BFGS-B",
            bounds=[(0.0, 1.0)] * (m * d),
            options={"maxiter": 200},
        )
        optimised = np.clip(result.x.reshape(m, d), 0.0, 1.0)
        candidates = np.concatenate([optimised, pool])
        candidate_scores = _acquisition(
            self._gp, candidates, best, self.acquisition, self.beta
        )
        # Never spend a trial on a copy of a configuration already tried:
        # the model learns nothing from it (see `_distinguishable`).
        informative = _distinguishable(self._gp, candidates, self.alpha)
        if informative.any():
            candidate_scores = np.where(informative, candidate_scores, -np.inf)
        else:  # every candidate is a copy: take the least known
            candidate_scores = self._gp.predict(candidates)[1]
        tried = self._tried_hashes()
        for index in np.argsort(-candidate_scores):
            values, active = encoder.decode(candidates[index])
            if values_hash(active) not in tried:
                return values
        return None


@api_export(
    ["keras_tuner.BayesianOptimization", "keras_tuner.tuners.BayesianOptimization"],
    stability="stable",
    rfc=RFC,
)
class BayesianOptimization(Tuner):
    """A tuner using Bayesian optimisation with a Gaussian process.

    Worth it when trials are expensive: each proposal uses every previous
    result. See `kt.oracles.BayesianOptimizationOracle` for the method.

    Args:
        hypermodel: a `kt.HyperModel` or a function `build(hp)`.
        objective: metric name, `kt.Objective` or list of them.
        max_trials: number of trials (default 10).
        num_initial_points: Sobol-design trials before the model is used.
        alpha: minimum noise variance of the Gaussian process.
        beta: exploration weight when `acquisition="ucb"`.
        seed: int, as for `kt.RandomSearch`.
        hyperparameters: `kt.HyperParameters`, as for `kt.RandomSearch`.
        tune_new_entries: bool, as for `kt.RandomSearch`.
        allow_new_entries: bool, as for `kt.RandomSearch`.
        max_retries_per_trial: int, as for `kt.RandomSearch`.
        max_consecutive_failed_trials: int, as for `kt.RandomSearch`.
        acquisition: `"ei"` (default) or `"ucb"`.
        **kwargs: `kt.Tuner` arguments.

    Examples:

    Minimising a function of one float with the `run_trial` workflow (see
    `kt.RandomSearch` for the model-building workflow):

    >>> import tempfile
    >>> import keras_tuner as kt
    >>> class Parabola(kt.BayesianOptimization):
    ...     def run_trial(self, trial, **kwargs):
    ...         return (trial.hyperparameters.Float("x", -2.0, 2.0) - 0.5) ** 2
    >>> tuner = Parabola(max_trials=8, seed=1, directory=tempfile.mkdtemp(), project_name="bo")
    >>> tuner.search(verbose=0)
    >>> bool(tuner.oracle.get_best_trials()[0].score < 0.01)
    True
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-6,
        beta=2.6,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        acquisition="ei",
        **kwargs,
    ):
        oracle = BayesianOptimizationOracle(
            objective=objective,
            max_trials=max_trials,
            num_initial_points=num_initial_points,
            alpha=alpha,
            beta=beta,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
            acquisition=acquisition,
        )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)
