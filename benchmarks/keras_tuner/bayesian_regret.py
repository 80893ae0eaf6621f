# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Search quality and cost of Bayesian optimisation on Branin and Hartmann-6.

Configuration (fixed): the Tuner workflow (`run_trial` returns the function
value as a float), 60 trials per run, 10 seeds spaced 1000 apart
(0, 1000, ..., 9000), simple regret = best value found - global minimum,
read after 30 and after 60 trials (sequential searches, so the first 30
trials of a 60-trial run are a 30-trial run). Figures are medians and means
over the seeds, plus the median wall time of a whole 30-trial Branin search.

    python benchmarks/keras_tuner/bayesian_regret.py --impl ours
    python benchmarks/keras_tuner/bayesian_regret.py --impl peer   # keras-tuner 1.4.8 venv
    python benchmarks/keras_tuner/bayesian_regret.py --impl peer --peer optuna-gp   # optuna + torch venv
    python benchmarks/keras_tuner/bayesian_regret.py --impl peer --peer optuna-tpe

With `--impl peer` and no `--peer`, the peer is keras-tuner when it can be
imported, else Optuna's GP sampler when PyTorch (which it needs) can be
imported, else Optuna's TPE sampler; the JSON `config.implementation`
says which ran. `tools/bench keras_tuner/bayesian_regret --against optuna`
therefore measures TPE; for the GP sampler, run the script by hand in a
virtual environment with `optuna torch scipy`.

What a user compares: regret at equal budgets (lower is better) and the
seconds a 30-trial search costs on top of the trials themselves.
"""

# bench-requires: scipy scikit-learn

import argparse
import json
import math
import os
import sys
import tempfile
import time

import numpy as np

SEEDS = [1000 * i for i in range(10)]
BUDGETS = (30, 60)

_H6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)
_H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def branin(x):
    x1, x2 = x
    return (
        (x2 - 5.1 / (4 * math.pi**2) * x1**2 + 5 / math.pi * x1 - 6) ** 2
        + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1)
        + 10
    )


def hartmann6(x):
    x = np.asarray(x)
    inner = np.sum(_H6_A * (x - _H6_P) ** 2, axis=1)
    return float(-np.sum(_H6_ALPHA * np.exp(-inner)))


PROBLEMS = {
    "branin": (branin, [(-5.0, 10.0), (0.0, 15.0)], 0.39788735772973816),
    "hartmann6": (hartmann6, [(0.0, 1.0)] * 6, -3.322368011391339),
}


def run_keras_tuner(problem, seed, budget, workdir):
    """Ours or keras-tuner 1.4.8: the same code runs against either."""
    import keras_tuner as kt

    fn, bounds, _ = PROBLEMS[problem]
    values = []

    class Search(kt.BayesianOptimization):
        def run_trial(self, trial, *args, **kwargs):
            hp = trial.hyperparameters
            x = [hp.Float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
            value = fn(x)
            values.append(value)
            return value

    tuner = Search(
        max_trials=budget,
        seed=seed,
        overwrite=True,
        directory=workdir,
        project_name=f"{problem}_{seed}_{budget}",
    )
    tuner.search(verbose=0)
    return values


def run_optuna(problem, seed, budget, workdir, sampler="gp"):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    fn, bounds, _ = PROBLEMS[problem]
    if sampler == "gp":
        sampler = optuna.samplers.GPSampler(seed=seed)
    else:
        sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    values = []

    def objective(trial):
        x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
        value = fn(x)
        values.append(value)
        return value

    study.optimize(objective, n_trials=budget)
    return values


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], required=True)
    parser.add_argument(
        "--peer", choices=["keras-tuner", "optuna-gp", "optuna-tpe"], default=None
    )
    parser.add_argument(
        "--seeds", type=int, default=len(SEEDS), help="for quick checks only"
    )
    parser.add_argument(
        "--problems",
        default=",".join(PROBLEMS),
        help="comma-separated subset, for quick checks only",
    )
    args = parser.parse_args(argv)
    problems = {name: PROBLEMS[name] for name in args.problems.split(",")}
    peer = args.peer
    if args.impl == "peer" and peer is None:
        try:
            import keras_tuner  # noqa: F401

            peer = "keras-tuner"
        except ImportError:
            try:
                import torch  # noqa: F401

                peer = "optuna-gp"
            except ImportError:
                peer = "optuna-tpe"
    if args.impl == "ours" or peer == "keras-tuner":
        runner = run_keras_tuner
    else:

        def runner(problem, seed, budget, workdir):
            return run_optuna(problem, seed, budget, workdir, sampler=peer[7:])

    seeds = SEEDS[: args.seeds]
    figures = {}
    with tempfile.TemporaryDirectory() as workdir:
        for problem, (_, _, optimum) in problems.items():
            regrets = {b: [] for b in BUDGETS}
            for seed in seeds:
                values = runner(problem, seed, max(BUDGETS), workdir)
                for budget in BUDGETS:
                    regrets[budget].append(min(values[:budget]) - optimum)
                print(
                    f"{problem} seed {seed}: regret@30 {regrets[30][-1]:.3g} "
                    f"@60 {regrets[60][-1]:.3g}",
                    file=sys.stderr,
                )
            for budget in BUDGETS:
                figures[f"{problem}_regret_at_{budget}"] = float(
                    np.median(regrets[budget])
                )
                figures[f"{problem}_mean_regret_at_{budget}"] = float(
                    np.mean(regrets[budget])
                )
        times = []
        for seed in seeds[:3]:
            start = time.perf_counter()
            runner("branin", seed + 1, 30, workdir)
            times.append(time.perf_counter() - start)
        figures["branin_30_trials_wall_s"] = float(np.median(times))
    impl_name = "ours" if args.impl == "ours" else peer
    print(
        json.dumps(
            {
                "benchmark": "bayesian_regret",
                "impl": args.impl,
                "config": {
                    "implementation": impl_name,
                    "problems": list(problems),
                    "budgets": list(BUDGETS),
                    "seeds": seeds,
                    "workflow": "run_trial returns a float",
                },
                "figures": figures,
                "higher_is_better": {k: False for k in figures},
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main()
