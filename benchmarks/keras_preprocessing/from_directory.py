# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Benchmark: images per second read by `from_directory` from 2,000 JPEGs.

Configuration (fixed, seed 0): 2,000 JPEG files of 160x120 pixels in two
class folders (written once to `--data-dir`); both implementations decode,
resize to 128x128, rescale to [0, 1] and batch by 32, shuffled, one full
epoch per measurement; figures: images per wall-clock second and images
per CPU second of the process (all threads, including tf.data's; less
sensitive to other load on the machine), higher is better, best of
`--calls`.

`--impl ours` times `ImagePipeline([Rescaling(1/255)]).from_directory(...)`;
`--impl peer` times `keras.utils.image_dataset_from_directory(...)` mapped
with `keras.layers.Rescaling(1/255)`, the Keras 3 equivalent, in the same
environment. Prints one JSON line.

    python benchmarks/keras_preprocessing/from_directory.py --impl ours
"""

import argparse
import json
import os
import tempfile
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

NUM_IMAGES = 2000
IMAGE_SIZE = (128, 128)
BATCH = 32


def write_images(directory):
    import numpy as np
    from PIL import Image

    marker = os.path.join(directory, f".complete_{NUM_IMAGES}")
    if os.path.exists(marker):
        return
    rng = np.random.default_rng(0)
    for i in range(NUM_IMAGES):
        label = f"class_{i % 2}"
        os.makedirs(os.path.join(directory, label), exist_ok=True)
        pixels = rng.integers(0, 256, size=(120, 160, 3), dtype="uint8")
        Image.fromarray(pixels).save(
            os.path.join(directory, label, f"{i:05d}.jpg"), quality=90
        )
    open(marker, "w").close()


def make_dataset(impl, directory):
    import keras

    if impl == "ours":
        from keras_preprocessing import image

        pipeline = image.ImagePipeline([keras.layers.Rescaling(1 / 255)])
        return pipeline.from_directory(
            directory, image_size=IMAGE_SIZE, batch_size=BATCH, seed=0
        )
    rescale = keras.layers.Rescaling(1 / 255)
    dataset = keras.utils.image_dataset_from_directory(
        directory,
        image_size=IMAGE_SIZE,
        batch_size=BATCH,
        seed=0,
        label_mode="categorical",
        verbose=False,
    )
    import tensorflow as tf

    return dataset.map(
        lambda x, y: (rescale(x), y), num_parallel_calls=tf.data.AUTOTUNE
    ).prefetch(tf.data.AUTOTUNE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("ours", "peer"), required=True)
    parser.add_argument("--calls", type=int, default=2)
    parser.add_argument(
        "--data-dir", default=os.path.join(tempfile.gettempdir(), "kp_bench_jpegs")
    )
    args = parser.parse_args(argv)
    write_images(args.data_dir)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(args.calls):
        dataset = make_dataset(args.impl, args.data_dir)
        start, start_cpu = time.perf_counter(), time.process_time()
        count = sum(int(x.shape[0]) for x, _ in dataset)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    assert count == NUM_IMAGES, count
    figures = {
        "images_per_s": round(NUM_IMAGES / best, 1),
        "images_per_cpu_s": round(NUM_IMAGES / best_cpu, 1),
    }
    print(
        json.dumps(
            {
                "benchmark": "from_directory",
                "impl": args.impl,
                "config": {
                    "images": NUM_IMAGES,
                    "source_size": [160, 120],
                    "image_size": list(IMAGE_SIZE),
                    "batch_size": BATCH,
                    "seed": 0,
                },
                "figures": figures,
                "higher_is_better": {k: True for k in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
