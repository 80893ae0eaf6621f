# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Wall time of 16 trials of 2 s: sequential vs Ray with 2 concurrent trials.

Configuration: a `RandomSearch` whose `run_trial` samples one float and
sleeps `TRIAL_S` seconds (so the work itself is known exactly), `N_TRIALS`
trials, seed 0.

`--impl ours`: the local sequential search, then the same search with
`distribution=kt.distribute.RayBackend(max_concurrent_trials=2)` on a
local Ray cluster with 2 CPUs. Ray start-up and the first import of the framework in the
worker processes are measured apart (`ray_cold_start_s`: `ray.init` plus a
2-trial warm-up search); `ray_wall_s` is the search on warm workers.
`ray_overhead_per_trial_s` is what a trial costs beyond its 2 s of work:
(ray_wall_s * concurrency - N_TRIALS * TRIAL_S) / N_TRIALS.

`--impl peer`: keras-tuner 1.4.8 (which has no Ray backend) running the
same search sequentially, for comparison with our sequential figure.

    python benchmarks/keras_tuner/ray_overhead.py --impl ours
    tools/bench keras_tuner/ray_overhead      (ours only, median of runs)
"""

import argparse
import json
import os
import tempfile
import time

N_TRIALS = 16
TRIAL_S = 2.0
CONCURRENCY = 2
SEED = 0


def _tuner_class(kt):
    class SleepTuner(kt.RandomSearch):
        def run_trial(self, trial, *args, **kwargs):
            x = trial.hyperparameters.Float("x", 0.0, 1.0)
            time.sleep(TRIAL_S)
            return x

    return SleepTuner


def _sequential(kt, directory):
    tuner = _tuner_class(kt)(
        max_trials=N_TRIALS,
        seed=SEED,
        directory=directory,
        project_name="sequential",
        overwrite=True,
    )
    start = time.perf_counter()
    tuner.search(verbose=0)
    return time.perf_counter() - start


def run_ours():
    import ray

    import keras_tuner as kt

    figures = {}
    with tempfile.TemporaryDirectory() as directory:
        figures["sequential_wall_s"] = _sequential(kt, directory)
        start = time.perf_counter()
        ray.init(
            address="local",
            num_cpus=CONCURRENCY,
            include_dashboard=False,
            log_to_driver=False,
        )
        backend = kt.distribute.RayBackend(max_concurrent_trials=CONCURRENCY)
        cls = _tuner_class(kt)
        warm = cls(
            max_trials=2,
            seed=SEED + 1,
            directory=directory,
            project_name="w",
            distribution=backend,
        )
        warm.search(verbose=0)
        figures["ray_cold_start_s"] = time.perf_counter() - start
        tuner = cls(
            max_trials=N_TRIALS,
            seed=SEED,
            directory=directory,
            project_name="ray",
            overwrite=True,
            distribution=backend,
        )
        start = time.perf_counter()
        tuner.search(verbose=0)
        wall = time.perf_counter() - start
        completed = sum(t.status == "COMPLETED" for t in tuner.oracle.trials.values())
        ray.shutdown()
    figures["ray_wall_s"] = wall
    figures["ray_vs_sequential"] = wall / figures["sequential_wall_s"]
    figures["ray_overhead_per_trial_s"] = (
        wall * CONCURRENCY - N_TRIALS * TRIAL_S
    ) / N_TRIALS
    figures["ray_completed_trials"] = completed
    return figures


def run_peer():
    import keras_tuner as kt  # keras-tuner 1.4.8, in its own environment

    with tempfile.TemporaryDirectory() as directory:
        return {"sequential_wall_s": _sequential(kt, directory)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("ours", "peer"), default="ours")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    figures = run_ours() if args.impl == "ours" else run_peer()
    figures = {k: round(float(v), 4) for k, v in figures.items()}
    print(
        json.dumps(
            {
                "benchmark": "ray_overhead",
                "impl": args.impl,
                "config": {
                    "trials": N_TRIALS,
                    "trial_s": TRIAL_S,
                    "concurrency": CONCURRENCY,
                    "seed": SEED,
                },
                "figures": figures,
                "higher_is_better": {
                    "sequential_wall_s": False,
                    "ray_wall_s": False,
                    "ray_cold_start_s": False,
                    "ray_vs_sequential": False,
                    "ray_overhead_per_trial_s": False,
                    "ray_completed_trials": True,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
