# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Per-trial framework overhead and memory growth of a search with a tiny model.

Configuration (fixed): RandomSearch, 50 trials, seed 0, HyperModel workflow;
the model is Dense(units in 4..64) -> Dense(1) on 64 x 4 random inputs, one
epoch, batch 32. `HyperModel.fit` times `model.fit`; the overhead is
(search wall time - time inside model.fit) / trials: building the model,
clearing the session, bookkeeping, state files, checkpoints outside fit.
Memory: resident set size growth per trial between trial 10 and trial 50,
and the same for a plain loop (build + fit + keras.backend.clear_session()
without gc) that a user would otherwise write.

    python benchmarks/keras_tuner/trial_overhead.py --impl ours
    python benchmarks/keras_tuner/trial_overhead.py --impl peer   # keras-tuner 1.4.8 venv

TensorBoard callbacks are removed inside `fit` for both implementations
(keras-tuner 1.4.8 adds one that fails without TensorBoard on TF 2.21); its
environment still needs the tensorboard package, which 1.4.8 imports.
"""

# bench-requires: tensorboard

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

TRIALS = 50


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], required=True)
    args = parser.parse_args(argv)
    import keras

    import keras_tuner as kt

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    fit_seconds = []
    memory = []

    def build(hp):
        model = keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(hp.Int("units", 4, 64)),
                keras.layers.Dense(1),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        return model

    class HM(kt.HyperModel):
        def build(self, hp):
            return build(hp)

        def fit(self, hp, model, *fit_args, callbacks=None, **kwargs):
            callbacks = [
                c
                for c in (callbacks or [])
                if not isinstance(c, keras.callbacks.TensorBoard)
            ]
            memory.append(rss_mb())
            start = time.perf_counter()
            history = model.fit(*fit_args, callbacks=callbacks, **kwargs)
            fit_seconds.append(time.perf_counter() - start)
            return history

    with tempfile.TemporaryDirectory() as directory:
        tuner = kt.RandomSearch(
            HM(),
            objective="val_loss",
            max_trials=TRIALS,
            seed=0,
            directory=directory,
            project_name="overhead",
            overwrite=True,
        )
        start = time.perf_counter()
        tuner.search(x, y, validation_data=(x, y), epochs=1, batch_size=32, verbose=0)
        total = time.perf_counter() - start
    completed = len(fit_seconds)
    overhead = (total - sum(fit_seconds)) / completed
    growth = (memory[-1] - memory[10]) / (len(memory) - 11)

    plain = []
    for _ in range(TRIALS):
        keras.backend.clear_session(free_memory=False)
        plain.append(rss_mb())
        model = build(kt.HyperParameters())
        model.fit(x, y, validation_data=(x, y), epochs=1, batch_size=32, verbose=0)
    plain_growth = (plain[-1] - plain[10]) / (len(plain) - 11)
    print(
        f"{completed} trials, {total:.1f} s total, {sum(fit_seconds):.1f} s in fit",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "benchmark": "trial_overhead",
                "impl": args.impl,
                "config": {
                    "trials": TRIALS,
                    "seed": 0,
                    "model": "Dense(4..64)-Dense(1)",
                    "samples": 64,
                    "epochs": 1,
                },
                "figures": {
                    "overhead_s_per_trial": overhead,
                    "rss_growth_mb_per_trial": growth,
                    "plain_loop_rss_growth_mb_per_trial": plain_growth,
                    "completed_trials": completed,
                },
                "higher_is_better": {
                    "overhead_s_per_trial": False,
                    "rss_growth_mb_per_trial": False,
                    "plain_loop_rss_growth_mb_per_trial": False,
                    "completed_trials": True,
                },
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main()
