# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import math

import numpy as np
import pytest
import scipy.optimize
import scipy.stats

import keras_tuner as kt
from keras_tuner.src.tuners import bayesian


def _branin(x1, x2):
    return (
        (x2 - 5.1 / (4 * math.pi**2) * x1**2 + 5 / math.pi * x1 - 6) ** 2
        + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1)
        + 10
    )


def test_log_h_matches_direct_formula_and_asymptote():
    z = np.array([-40.0, -30.0, -10.0, -1.0, 0.0, 2.0])
    value, grad = bayesian._log_h(z)
    ok = z > -10
    direct = np.full_like(z, np.nan)
    direct[ok] = np.log(
        z[ok] * scipy.stats.norm.cdf(z[ok]) + scipy.stats.norm.pdf(z[ok])
    )
    np.testing.assert_allclose(value[ok], direct[ok], rtol=1e-7)
    np.testing.assert_allclose(
        grad[ok], scipy.stats.norm.cdf(z[ok]) / np.exp(direct[ok]), rtol=1e-6
    )
    assert np.all(np.isfinite(value)) and np.all(np.diff(value) > 0)


def test_gp_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    X = rng.random((12, 3))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    y = (y - y.mean()) / y.std()
    gp = bayesian._GaussianProcess()
    theta = np.array([-1.0, -0.5, 0.2, 0.1, -5.0])
    error = scipy.optimize.check_grad(
        lambda t: gp._neg_log_posterior(t, X, y)[0],
        lambda t: gp._neg_log_posterior(t, X, y)[1],
        theta,
    )
    assert error < 1e-3 * max(
        1.0, np.linalg.norm(gp._neg_log_posterior(theta, X, y)[1])
    )
    gp.fit(X, y)
    mu, sd = gp.predict(X)
    np.testing.assert_allclose(mu, y, atol=0.05)  # interpolates (small noise)
    points = rng.random((4, 3))
    for kind in ("ei", "ucb"):
        for i in range(4):
            f = lambda p, k=kind: bayesian._acquisition(gp, p[None], -0.5, k, 2.0)[0]  # noqa: E731
            g = lambda p, k=kind: bayesian._acquisition(  # noqa: E731
                gp, p[None], -0.5, k, 2.0, with_grad=True
            )[1][0]
            assert scipy.optimize.check_grad(
                f, g, points[i], epsilon=1e-6
            ) < 1e-3 * max(1.0, np.linalg.norm(g(points[i])))


def test_finds_branin_minimum_far_better_than_random(tmp_path):
    class Branin(kt.BayesianOptimization):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            return _branin(hp.Float("x1", -5.0, 10.0), hp.Float("x2", 0.0, 15.0))

    regrets = {}
    for name, base in (("bo", Branin), ("random", None)):
        if base is None:

            class Rand(kt.RandomSearch):
                run_trial = Branin.run_trial

            tuner = Rand(
                max_trials=25, seed=3, directory=str(tmp_path), project_name=name
            )
        else:
            tuner = base(
                max_trials=25, seed=3, directory=str(tmp_path), project_name=name
            )
        tuner.search(verbose=0)
        regrets[name] = tuner.oracle.get_best_trials(1)[0].score - 0.397887
    assert regrets["bo"] < 0.05
    assert regrets["bo"] < regrets["random"] / 10


def test_discrete_conditional_space_never_repeats_and_exhausts(tmp_path):
    proposed = []

    class T(kt.BayesianOptimization):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            kind = hp.Choice("kind", ["a", "b", "c"])
            with hp.conditional_scope("kind", ["a"]):
                n = hp.Int("n", 0, 3)
            flag = hp.Boolean("flag")
            proposed.append(json.dumps(hp.active_values(), sort_keys=True))
            return (0 if kind == "a" else 1) + (n or 0) * 0.1 + flag * 0.05

    tuner = T(
        max_trials=30,
        seed=0,
        num_initial_points=3,
        directory=str(tmp_path),
        project_name="d",
    )
    tuner.search(verbose=0)
    # 4 x 2 (kind a) + 2 x 2 (kinds b, c) = 12 configurations, each once.
    assert len(proposed) == len(set(proposed)) == 12
    assert tuner.get_best_hyperparameters()[0].active_values() == {
        "kind": "a",
        "n": 0,
        "flag": False,
    }


def test_maximised_objective_and_categorical(tmp_path):
    class T(kt.BayesianOptimization):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            bonus = {"red": 0.0, "green": 1.0, "blue": 0.2, "black": 0.1}[
                hp.Choice("color", ["red", "green", "blue", "black"])
            ]
            return {"val_accuracy": bonus - (hp.Float("x", 0, 1) - 0.7) ** 2}

    tuner = T(
        objective="val_accuracy",
        max_trials=14,
        seed=5,
        directory=str(tmp_path),
        project_name="m",
    )
    tuner.search(verbose=0)
    best = tuner.get_best_hyperparameters()[0].values
    assert best["color"] == "green" and abs(best["x"] - 0.7) < 0.1


def test_bad_arguments():
    with pytest.raises(ValueError, match="acquisition"):
        kt.oracles.BayesianOptimizationOracle(acquisition="pi")
    with pytest.raises(ValueError, match="num_initial_points"):
        kt.oracles.BayesianOptimizationOracle(num_initial_points=0)


def test_running_trials_are_never_proposed_again(tmp_path):
    hp = kt.HyperParameters()
    hp.Choice("a", [1, 2, 3])
    hp.Boolean("b")
    oracle = kt.oracles.BayesianOptimizationOracle(
        objective="loss",
        max_trials=20,
        hyperparameters=hp,
        num_initial_points=2,
        seed=0,
    )
    oracle.set_project_dir(str(tmp_path), "r")
    for i in range(2):
        trial = oracle.create_trial(f"done{i}")
        oracle.update_trial(trial.trial_id, {"loss": float(i)})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    # Four tuners ask at once: the GP proposals avoid the running ones too.
    running = [oracle.create_trial(f"worker{i}") for i in range(4)]
    configs = [
        json.dumps(t.hyperparameters.values, sort_keys=True)
        for t in oracle.trials.values()
    ]
    assert len(configs) == len(set(configs)) == 6
    assert oracle.create_trial("late").status == "STOPPED"
    assert all(t.status == "RUNNING" for t in running)


def test_oracle_plugs_into_a_plain_tuner(tmp_path):
    class T(kt.Tuner):
        def run_trial(self, trial, offset, **kwargs):
            return (trial.hyperparameters.Float("x", -1, 1) - offset) ** 2

    tuner = T(
        oracle=kt.oracles.BayesianOptimizationOracle(max_trials=8, seed=1),
        directory=str(tmp_path),
        project_name="p",
    )
    tuner.search(0.5, verbose=0)
    assert abs(tuner.get_best_hyperparameters()[0]["x"] - 0.5) < 0.1


def test_initial_trials_form_a_stratified_sobol_design():
    """The first 8 points stratify every axis into eighths (a Sobol property)."""
    hp = kt.HyperParameters()
    hp.Float("x", 0.0, 1.0)
    hp.Float("lr", 1e-4, 1e-1, sampling="log")
    hp.Float("z", -1.0, 1.0)
    oracle = kt.oracles.BayesianOptimizationOracle(
        objective="loss", max_trials=8, hyperparameters=hp, num_initial_points=8, seed=4
    )
    points = []
    for _ in range(8):
        trial = oracle.create_trial("t")
        values = trial.hyperparameters.values
        points.append(
            [
                values["x"],
                math.log10(values["lr"] / 1e-4) / 3.0,  # log axis -> unit interval
                (values["z"] + 1.0) / 2.0,
            ]
        )
        oracle.update_trial(trial.trial_id, {"loss": values["x"]})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    cells = np.floor(np.array(points) * 8).astype(int)
    for axis in range(3):
        assert sorted(cells[:, axis]) == list(range(8)), cells[:, axis]
    # Another seed gives another (scrambled) design.
    other = bayesian.BayesianOptimizationOracle(hyperparameters=hp, seed=5)
    encoder = bayesian._Encoder(other)
    assert (
        other._design_values(encoder, 0) != oracle.trials["0000"].hyperparameters.values
    )


def test_scores_are_standardised_without_warping():
    rng = np.random.default_rng(0)
    losses = np.exp(rng.normal(size=40))  # heavily right-skewed
    scaled = bayesian._standardise_scores(losses)
    # An affine map: order and relative gaps kept, no power transform.
    np.testing.assert_allclose(
        scaled, (losses - losses.mean()) / losses.std(), rtol=1e-12
    )
    np.testing.assert_allclose([scaled.mean(), scaled.std()], [0.0, 1.0], atol=1e-9)
    np.testing.assert_array_equal(bayesian._standardise_scores(np.ones(4)), np.zeros(4))


def test_trust_region_candidates_stay_near_the_incumbent():
    rng = np.random.default_rng(1)
    centre = np.full(6, 0.5)
    points = bayesian._trust_region_candidates(centre, np.ones(6), rng, count=50)
    assert points.shape == (200, 6)
    assert np.all((points >= 0) & (points <= 1))
    moved = np.abs(points - centre) > 0
    assert np.all(moved.sum(axis=1) >= 1) and moved.mean() < 0.6
    assert np.max(np.abs(points - centre)) <= 0.4 + 1e-12


def _branin_search(tmp_path, seed, max_trials, box=((-5.0, 10.0), (0.0, 15.0))):
    """Values and points of a Tuner-workflow Branin search (as the benchmark runs it)."""
    values, points = [], []
    (lo1, hi1), (lo2, hi2) = box

    class Branin(kt.BayesianOptimization):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            x1, x2 = hp.Float("x0", lo1, hi1), hp.Float("x1", lo2, hi2)
            points.append(((x1 - lo1) / (hi1 - lo1), (x2 - lo2) / (hi2 - lo2)))
            values.append(_branin(x1, x2))
            return values[-1]

    Branin(
        max_trials=max_trials,
        seed=seed,
        directory=str(tmp_path),
        project_name=f"branin_{seed}",
    ).search(verbose=0)
    return np.array(values), np.array(points)


# Seeds on which the search used to collapse onto the edge x1 = 10 near
# x2 = 3 (regret 1.545) and repeat that point until the end of the budget.
@pytest.mark.parametrize("seed", [10, 16, 29])
def test_branin_does_not_stall_on_the_boundary(tmp_path, seed):
    values, points = _branin_search(tmp_path, seed, max_trials=30)
    assert values.min() - 0.397887 < 0.05
    # No pile of proposals at the edge point where the search stalled (it
    # held 15 to 45 of them before).
    stall = np.array([1.0, 3.0 / 15.0])
    assert np.sum(np.linalg.norm(points - stall, axis=1) < 0.01) <= 3


@pytest.mark.parametrize("seed", [10, 29])
def test_no_proposal_repeats_a_point_the_model_already_knows(tmp_path, seed):
    """No two proposals are copies of each other.

    Before the fix, the proposals of these seeds were one point repeated to
    within 1e-5 of the box from trial 16 on, which taught the model nothing;
    fine steps of a few 1e-4 near the optimum remain allowed.
    """
    _, points = _branin_search(tmp_path, seed, max_trials=30)
    gaps = np.linalg.norm(points[:, None] - points[None], axis=-1)
    gaps[np.diag_indices(len(points))] = np.inf
    assert gaps.min() > 1e-4


def test_copies_of_tried_points_are_recognised():
    rng = np.random.default_rng(0)
    X = rng.random((10, 2)) * 0.5  # all in the lower-left quarter
    y = np.sin(4 * X[:, 0]) + X[:, 1]
    gp = bayesian._GaussianProcess()
    gp.fit(X, (y - y.mean()) / y.std())
    near = X[3] + 1e-6
    far = np.array([0.95, 0.95])
    fine_step = X[3] + np.array([0.0, 0.01])
    mask = bayesian._distinguishable(
        gp, np.array([X[3], near, fine_step, far]), gp.min_noise
    )
    assert mask.tolist() == [False, False, True, True]


@pytest.mark.parametrize("seed", [1, 2])
def test_optimum_on_the_boundary_is_still_found(tmp_path, seed):
    # Branin on a box cut at its global minimiser (3 pi, 2.475), with the
    # other two minimisers outside: the optimum lies on the edge x1 = 3 pi.
    box = ((4.0, 3.0 * math.pi), (0.0, 15.0))
    values, points = _branin_search(tmp_path, seed, max_trials=25, box=box)
    assert values.min() - 0.397887 < 0.01
    assert points[np.argmin(values)][0] > 0.99


def test_one_name_under_two_branches_keeps_each_branch_range(tmp_path):
    # "units" is declared under two conditional branches with disjoint
    # ranges and types; each trial's value must come from its own branch.
    seen = []

    class T(kt.BayesianOptimization):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            kind = hp.Choice("kind", ["small", "big"])
            with hp.conditional_scope("kind", ["small"]):
                small = hp.Int("units", 1, 4)
            with hp.conditional_scope("kind", ["big"]):
                big = hp.Choice("units", ["x100", "x200", "x300"])
            units = small if kind == "small" else big
            seen.append((kind, units))
            return float(small) if kind == "small" else 10.0 + len(big)

    tuner = T(
        max_trials=7,
        seed=1,
        num_initial_points=2,
        directory=str(tmp_path),
        project_name="twins",
    )
    tuner.search(verbose=0)
    assert len(seen) == 7 and {k for k, _ in seen} == {"small", "big"}
    for kind, units in seen:
        if kind == "small":
            assert units in (1, 2, 3, 4)
        else:
            assert units in ("x100", "x200", "x300")
    assert tuner.get_best_hyperparameters()[0].values["units"] == 1


def _blas_threads():
    import threadpoolctl

    return sorted(
        info["num_threads"]
        for info in threadpoolctl.threadpool_info()
        if info["user_api"] == "blas"
    )


def test_proposals_limit_blas_threads_through_threadpoolctl_and_restore():
    import threadpoolctl  # installed with scikit-learn (the sklearn extra)

    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        assert before and set(before) == {2}
        with bayesian._single_threaded_blas():
            assert set(_blas_threads()) == {1}
        assert _blas_threads() == before


def test_proposals_leave_blas_alone_without_threadpoolctl(monkeypatch):
    import sys

    import threadpoolctl

    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # import fails
        with bayesian._single_threaded_blas():
            monkeypatch.undo()
            assert set(_blas_threads()) == {2}
