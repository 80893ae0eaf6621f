# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Inference throughput and training step time of ResNet50 and MobileNetV2.

Configuration (fixed): channels-last float32 images of 224x224x3, batch 16,
the full classifier (`include_top=True`, 1000 classes, softmax), random
weights from seed 0, TensorFlow backend, CPU. Inference: `predict_on_batch`
(Keras' compiled predict function), 2 warm-up batches, then the median over
`--steps` timed batches. Training: `train_on_batch` with SGD and sparse
categorical cross-entropy, 1 warm-up step, median over `--steps` steps.

    python benchmarks/keras_applications/inference.py --impl ours   # keras_applications
    python benchmarks/keras_applications/inference.py --impl peer   # keras.applications

Both run in this repository's environment: the peer is Keras' own
`keras.applications`, which is what a user would otherwise use. What a user
compares: images per second at inference (higher is better) and
milliseconds per training step (lower is better); both models build the
same layers, so the ratio should be about 1. The `*_cpu_*` figures count
the process's CPU seconds (all threads) instead of wall time: on a shared
machine they are the load-robust ones.
"""

import argparse
import json
import statistics
import time

import numpy as np

BATCH = 16
SIZE = 224
SEED = 0
MODELS = ("ResNet50", "MobileNetV2")


def _build(impl, name):
    import keras

    if impl == "ours":
        import keras_applications

        return getattr(keras_applications, name)(include_top=True, weights=None)
    return getattr(keras.applications, name)(include_top=True, weights=None)


def _median_seconds(fn, warmup, steps):
    """Median wall seconds and median CPU seconds (all threads) per call."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def run(impl, steps):
    import keras

    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    images = rng.uniform(-1.0, 1.0, size=(BATCH, SIZE, SIZE, 3)).astype("float32")
    labels = rng.integers(0, 1000, size=(BATCH,)).astype("int32")
    figures = {}
    for name in MODELS:
        model = _build(impl, name)
        key = name.lower()
        seconds, cpu = _median_seconds(
            lambda m=model: m.predict_on_batch(images), 2, steps
        )
        figures[f"{key}_images_per_s"] = round(BATCH / seconds, 2)
        figures[f"{key}_images_per_cpu_s"] = round(BATCH / cpu, 2)
        model.compile(
            optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy"
        )
        seconds, cpu = _median_seconds(
            lambda m=model: m.train_on_batch(images, labels), 1, steps
        )
        figures[f"{key}_train_step_ms"] = round(1000 * seconds, 1)
        figures[f"{key}_train_step_cpu_ms"] = round(1000 * cpu, 1)
        keras.backend.clear_session()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("ours", "peer"), required=True)
    parser.add_argument(
        "--steps", type=int, default=5, help="timed batches per measurement"
    )
    args = parser.parse_args()
    figures = run(args.impl, args.steps)
    higher = {key: "images_per" in key for key in figures}
    print(
        json.dumps(
            {
                "benchmark": "inference",
                "impl": args.impl,
                "config": {
                    "models": list(MODELS),
                    "batch": BATCH,
                    "image_size": SIZE,
                    "include_top": True,
                    "seed": SEED,
                    "steps": args.steps,
                    "backend": "tensorflow",
                },
                "figures": figures,
                "higher_is_better": higher,
            }
        )
    )


if __name__ == "__main__":
    main()
