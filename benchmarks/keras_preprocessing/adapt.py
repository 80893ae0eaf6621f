# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Benchmark: `adapt` of Normalization, Discretization and StringLookup on 1M rows.

Configuration (fixed, seed 0): 1,000,000 rows; Normalization on float32
`(1M, 8)` features; Discretization learning 16 quantile bins of one float
column `(1M, 1)`; StringLookup on `(1M, 1)` strings drawn from 5,000 distinct
tokens with a Zipf-like frequency. Each layer adapts on the NumPy array
(one batch) and on a `tf.data` dataset of 10,000-row batches; the figures are
rows per wall-clock second and rows per CPU second of the process (all
threads; less sensitive to other load on the machine), higher is better,
best of `--calls`.

`--impl ours` times `keras_preprocessing.layers.*`; `--impl peer` times the
Keras 3 layers a user would otherwise use (`keras.layers.Normalization`,
`keras.layers.Discretization(num_bins=16)`, `keras.layers.StringLookup`),
in the same environment. Prints one JSON line.

    python benchmarks/keras_preprocessing/adapt.py --impl ours
"""

import argparse
import json
import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROWS = 1_000_000
BATCH = 10_000


def make_data():
    import numpy as np

    rng = np.random.default_rng(0)
    numeric = rng.normal(3.0, 2.0, size=(ROWS, 8)).astype("float32")
    column = rng.exponential(size=(ROWS, 1)).astype("float32")
    ranks = np.minimum(rng.zipf(1.3, size=ROWS), 5000)
    strings = np.char.add("tok", ranks.astype(str)).reshape(ROWS, 1)
    return numeric, column, strings


def factories(impl):
    import keras

    if impl == "ours":
        from keras_preprocessing import layers

        return {
            "normalization": lambda: layers.Normalization(),
            "discretization": lambda: layers.Discretization(bins=16),
            "string_lookup": lambda: layers.StringLookup(),
        }
    return {
        "normalization": lambda: keras.layers.Normalization(),
        "discretization": lambda: keras.layers.Discretization(num_bins=16),
        "string_lookup": lambda: keras.layers.StringLookup(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("ours", "peer"), required=True)
    parser.add_argument("--calls", type=int, default=2)
    args = parser.parse_args(argv)

    import tensorflow as tf

    numeric, column, strings = make_data()
    data = {
        "normalization": numeric,
        "discretization": column,
        "string_lookup": strings,
    }
    figures = {}
    for name, make in factories(args.impl).items():
        array = data[name]
        for source in ("array", "dataset"):
            best, best_cpu = float("inf"), float("inf")
            for _ in range(args.calls):
                feed = (
                    array
                    if source == "array"
                    else tf.data.Dataset.from_tensor_slices(array).batch(BATCH)
                )
                layer = make()
                start, start_cpu = time.perf_counter(), time.process_time()
                layer.adapt(feed)
                best = min(best, time.perf_counter() - start)
                best_cpu = min(best_cpu, time.process_time() - start_cpu)
            figures[f"{name}_{source}_rows_per_s"] = round(ROWS / best, 1)
            # CPU seconds of all the process's threads: the work done, which
            # a loaded machine distorts far less than the wall clock.
            figures[f"{name}_{source}_rows_per_cpu_s"] = round(ROWS / best_cpu, 1)
    print(
        json.dumps(
            {
                "benchmark": "adapt",
                "impl": args.impl,
                "config": {
                    "rows": ROWS,
                    "dataset_batch": BATCH,
                    "normalization_features": 8,
                    "discretization_bins": 16,
                    "string_tokens": 5000,
                    "seed": 0,
                },
                "figures": figures,
                "higher_is_better": {k: True for k in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
