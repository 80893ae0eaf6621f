# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Search quality and cost of Bayesian optimisation against Optuna (GP and TPE).

Configuration (fixed before any run): three standard test functions,
Branin (2-D; three global minima, one at x1 = 9.42, 4% of the range from
the edge x1 = 10, which holds a local minimum of the box, f = 1.94 at
x2 = 3.0, where our search used to stall), Hartmann-6
(6-D) and Styblinski-Tang 4-D (16 local minima, the global one at
x_i = -2.9035), each searched with 60 trials from every seed of `SEEDS`
(30 seeds, 10000-10029, chosen before any run and never used while the
algorithm was developed). Simple regret = best value found - global
minimum, read after 30 and after 60 trials (sequential searches, so the
first 30 trials of a 60-trial run are a 30-trial run). Figures per function
and budget: median, mean and worst regret over the seeds, plus the median
wall time of a whole 30-trial Branin search (3 seeds).

Ours uses the Tuner workflow (`run_trial` returns the function value), as a
user would; Optuna uses `study.optimize` with `GPSampler(seed=...)` or
`TPESampler(seed=...)`, default settings.

    # All three in one run: ours here, Optuna in its own virtual environment
    # (benchmarks/.envs/optuna, created by tools/bench's runner from PyPI:
    # optuna + torch, never in our uv.lock). Prints a Markdown table.
    PYTHONPATH=$PWD .venv/bin/python benchmarks/keras_tuner/bayesian_regret.py --impl all

    python benchmarks/keras_tuner/bayesian_regret.py --impl ours
    python benchmarks/keras_tuner/bayesian_regret.py --impl peer --peer optuna-gp
    tools/bench keras_tuner/bayesian_regret --against optuna   # ours vs TPE/GP medians

With `--impl peer` and no `--peer`, the peer is keras-tuner when it can be
imported, else Optuna's GP sampler when PyTorch (which it needs) can be
imported, else Optuna's TPE sampler; the JSON `config.implementation`
says which ran.

What a user compares: regret at equal budgets (lower is better, the mean
and the worst seed as much as the median) and the seconds a 30-trial
search costs on top of the trials themselves. Wall times measured on a
loaded machine are indicative only.
"""

# bench-requires: scipy scikit-learn torch greenlet

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# Fixed before any benchmark run; disjoint from the seeds (0-39) used while
# developing the algorithm and in its tests.
SEEDS = tuple(range(10_000, 10_030))
BUDGETS = (30, 60)
PEERS = ("optuna-gp", "optuna-tpe")

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


def styblinski_tang(x):
    x = np.asarray(x, dtype=float)
    return float(0.5 * np.sum(x**4 - 16 * x**2 + 5 * x))


# name: (function, box, global minimum)
PROBLEMS = {
    "branin": (branin, [(-5.0, 10.0), (0.0, 15.0)], 0.39788735772973816),
    "hartmann6": (hartmann6, [(0.0, 1.0)] * 6, -3.322368011391339),
    "styblinski_tang4": (styblinski_tang, [(-5.0, 5.0)] * 4, -39.16616570377142 * 4),
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

    optuna.logging.set_verbosity(optuna.logging.ERROR)
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


def measure(runner, problems, seeds, label):
    """Regrets per problem, budget and seed, and the 30-trial Branin wall time."""
    regrets = {}
    with tempfile.TemporaryDirectory() as workdir:
        for problem in problems:
            optimum = PROBLEMS[problem][2]
            regrets[problem] = {str(b): [] for b in BUDGETS}
            for seed in seeds:
                values = runner(problem, seed, max(BUDGETS), workdir)
                for budget in BUDGETS:
                    regrets[problem][str(budget)].append(
                        float(min(values[:budget]) - optimum)
                    )
                print(
                    f"{label} {problem} seed {seed}: "
                    + " ".join(
                        f"regret@{b} {regrets[problem][str(b)][-1]:.3g}"
                        for b in BUDGETS
                    ),
                    file=sys.stderr,
                    flush=True,
                )
        times = []
        for seed in seeds[:3]:
            start = time.perf_counter()
            runner("branin", seed + 1, 30, workdir)
            times.append(time.perf_counter() - start)
    return regrets, float(np.median(times))


def figures_of(regrets, wall):
    figures = {}
    for problem, by_budget in regrets.items():
        for budget, values in by_budget.items():
            figures[f"{problem}_regret_at_{budget}"] = float(np.median(values))
            figures[f"{problem}_mean_regret_at_{budget}"] = float(np.mean(values))
            figures[f"{problem}_worst_regret_at_{budget}"] = float(np.max(values))
    figures["branin_30_trials_wall_s"] = wall
    return figures


def _runner_for(impl, peer):
    if impl == "ours" or peer == "keras-tuner":
        return run_keras_tuner

    def runner(problem, seed, budget, workdir):
        return run_optuna(
            problem, seed, budget, workdir, sampler=peer[len("optuna-") :]
        )

    return runner


def _peer_in_its_environment(peer, problems, seeds):
    """Runs this script with `--impl peer` in Optuna's virtual environment."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if root not in sys.path:
        sys.path.insert(0, root)
    from tools.lib import bench

    python = bench.peer_python(
        "optuna", bench.script_path("keras_tuner/bayesian_regret")
    )
    result = subprocess.run(
        [
            python,
            os.path.abspath(__file__),
            "--impl",
            "peer",
            "--peer",
            peer,
            "--problems",
            ",".join(problems),
            "--seeds",
            str(len(seeds)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"the {peer} run failed (exit {result.returncode}).")
    output = json.loads(lines[-1])
    return output["regrets"], output["figures"]["branin_30_trials_wall_s"]


def _table(results, problems):
    names = list(results)
    lines = [
        "| function | trials | "
        + " | ".join(f"{n} median / mean / worst" for n in names)
        + " |",
        "| --- | --- |" + " --- |" * len(names),
    ]
    for problem in problems:
        for budget in BUDGETS:
            cells = []
            for name in names:
                values = results[name][0][problem][str(budget)]
                cells.append(
                    f"{np.median(values):.2g} / {np.mean(values):.2g} / "
                    f"{np.max(values):.2g}"
                )
            lines.append(f"| {problem} | {budget} | " + " | ".join(cells) + " |")
    lines.append(
        "| branin, 30-trial search (s) | 30 | "
        + " | ".join(f"{results[n][1]:.1f}" for n in names)
        + " |"
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer", "all"], required=True)
    parser.add_argument("--peer", choices=["keras-tuner", *PEERS], default=None)
    parser.add_argument(
        "--seeds", type=int, default=len(SEEDS), help="for quick checks only"
    )
    parser.add_argument(
        "--skip-seeds",
        type=int,
        default=0,
        help="start at this index of SEEDS (to split a peer run into parts)",
    )
    parser.add_argument(
        "--problems",
        default=",".join(PROBLEMS),
        help="comma-separated subset, for quick checks only",
    )
    args = parser.parse_args(argv)
    problems = args.problems.split(",")
    unknown = [p for p in problems if p not in PROBLEMS]
    if unknown:
        parser.error(f"unknown problems {unknown}; choose from {list(PROBLEMS)}")
    seeds = SEEDS[args.skip_seeds : args.skip_seeds + args.seeds]
    config = {
        "problems": problems,
        "budgets": list(BUDGETS),
        "seeds": [seeds[0], seeds[-1]] if seeds else [],
        "workflow": "ours: Tuner.run_trial returns a float; optuna: study.optimize",
    }
    if args.impl == "all":
        results = {"ours": measure(_runner_for("ours", None), problems, seeds, "ours")}
        for peer in PEERS:
            results[peer] = _peer_in_its_environment(peer, problems, seeds)
        print(_table(results, problems))
        print(
            json.dumps(
                {
                    "benchmark": "bayesian_regret",
                    "impl": "all",
                    "config": config,
                    "figures": {n: figures_of(*r) for n, r in results.items()},
                }
            )
        )
        return
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
    impl_name = "ours" if args.impl == "ours" else peer
    regrets, wall = measure(_runner_for(args.impl, peer), problems, seeds, impl_name)
    figures = figures_of(regrets, wall)
    print(
        json.dumps(
            {
                "benchmark": "bayesian_regret",
                "impl": args.impl,
                "config": {"implementation": impl_name, **config},
                "figures": figures,
                "higher_is_better": {k: False for k in figures},
                "regrets": regrets,
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main()
