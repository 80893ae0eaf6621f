# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DeepLabV3+ on shapes masks: inference-mode mean IoU and training speed,
ours vs keras-cv 0.9.

Configuration (fixed): 128x128 images with 1-3 non-overlapping filled
rectangles, ellipses and triangles (4 classes with the background), 640
training and 128 validation images drawn by this script with seed 0 (the
same arrays on both sides; keras-cv's own shapes dataset is not available in
the peer's environment), batch 8 for 12 epochs, horizontal flips, Adam with cosine decay
from 1e-3, random-init ResNet18-sized backbones, seed 0.

    python benchmarks/keras_cv/deeplab_train.py --impl ours   # keras_cv.models.DeepLabV3Plus, keras_applications.ResNet18
    python benchmarks/keras_cv/deeplab_train.py --impl peer   # keras-cv 0.9.0 DeepLabV3Plus on ResNetBackbone (ResNet18 layout)

Ours uses the example's configuration (P4 context with rates 2, 4, 6; 128
pooling, 32 low-level and 64 decoder channels); the peer its defaults
(rates 6, 12, 18; 256 channels), both with the library's default head.
What a user compares: validation mean IoU in inference mode after the same
number of epochs (higher is better), and seconds per training step and the
CPU-seconds of the whole training (lower is better). Every training step
waits for its results before the next starts (a per-batch callback reads
the loss, as a progress bar does; `benchmarks/_step_sync.py`).

Both modes on both sides, each a fresh model trained from the same seed:
as written (Keras' default compilation) and XLA
(`compile(jit_compile=True)`); the XLA figures carry the suffix `_jit`,
and `tools/bench` puts each side's better mode against the other's as its
headline (best vs best). `--mode as-written` or `--mode xla` runs one.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(
    0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)

import retinanet_train as common  # noqa: E402  (the --mode argument)

from benchmarks._step_sync import wait_for_each_step  # noqa: E402  (the repository root)

SIZE = 128
NUM_TRAIN = 640
NUM_VALIDATION = 128
NUM_CLASSES = 4
BATCH = 8
EPOCHS = 12
SEED = 0


def draw_shapes(num_images, rng, with_boxes=False):
    """Images (uint8) and class masks (int32, 0 = background).

    With `with_boxes=True`, also each image's pixel-tight boxes
    `(num_images, 3, 4)` in xyxy pixels and labels `(num_images, 3)` (0-2),
    padded with -1.
    """
    yy, xx = np.mgrid[:SIZE, :SIZE].astype("float32") + 0.5
    images = np.zeros((num_images, SIZE, SIZE, 3), "uint8")
    masks = np.zeros((num_images, SIZE, SIZE, 1), "int32")
    boxes = np.full((num_images, 3, 4), -1.0, "float32")
    labels = np.full((num_images, 3), -1, "int32")
    for i in range(num_images):
        count = 0
        background = rng.integers(0, 256, 3)
        image = np.broadcast_to(background, (SIZE, SIZE, 3)).astype("float32")
        occupied = np.zeros((SIZE, SIZE), bool)
        for _ in range(int(rng.integers(1, 4))):
            h, w = (rng.uniform(0.2, 0.5, 2) * SIZE).astype(int)
            top, left = rng.integers(0, SIZE - h), rng.integers(0, SIZE - w)
            inside = (yy >= top) & (yy < top + h) & (xx >= left) & (xx < left + w)
            if (inside & occupied).any():
                continue
            kind = int(rng.integers(0, 3))
            if kind == 1:  # ellipse
                cy, cx = top + h / 2, left + w / 2
                shape = ((yy - cy) / (h / 2)) ** 2 + ((xx - cx) / (w / 2)) ** 2 <= 1
            elif kind == 2:  # triangle, apex on the top edge
                apex = left + rng.uniform(0.2, 0.8) * w
                depth = (yy - top) / h
                shape = (
                    inside
                    & (xx >= apex - depth * (apex - left))
                    & (xx <= apex + depth * (left + w - apex))
                )
            else:
                shape = inside
            colour = rng.integers(0, 256, 3)
            while np.abs(colour - background).sum() <= 150:
                colour = rng.integers(0, 256, 3)
            image[shape] = colour
            masks[i, shape, 0] = kind + 1
            occupied |= inside
            ys, xs = np.nonzero(shape)
            boxes[i, count] = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
            labels[i, count] = kind
            count += 1
        noise = rng.normal(0, 0.03 * 255, image.shape)
        images[i] = np.clip(np.round(image + noise), 0, 255).astype("uint8")
    if with_boxes:
        return images, masks, boxes, labels
    return images, masks


def print_result(name, impl, epochs, figures, higher_is_better, notes=None):
    """Prints the JSON line of a benchmark trained on `draw_shapes` data."""
    print(
        json.dumps(
            {
                "benchmark": name,
                "impl": impl,
                "config": {
                    "image_size": SIZE,
                    "num_train": NUM_TRAIN,
                    "num_validation": NUM_VALIDATION,
                    "batch": BATCH,
                    "epochs": epochs,
                    "backbone": "resnet18",
                    "seed": SEED,
                },
                "figures": figures,
                "notes": notes or {},
                "higher_is_better": higher_is_better,
            }
        )
    )


def build_ours(steps, jit_compile=False):
    import keras

    import keras_applications
    import keras_cv

    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.DeepLabV3Plus(
        backbone,
        num_classes=NUM_CLASSES,
        high_level="P4",
        dilation_rates=(2, 4, 6),
        pooling_channels=128,
        low_level_channels=32,
        decoder_channels=64,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, max(steps, 1))
        ),
        jit_compile=jit_compile,
    )

    def class_map(images):
        return model.predict_on_batch(images)[..., 0]

    return model, class_map


def build_peer(steps, jit_compile=False):
    import keras
    from _peer_backbone import resnet18_backbone  # this folder

    import keras_cv  # keras-cv 0.9.0, in its own environment

    backbone = resnet18_backbone((SIZE, SIZE, 3))
    model = keras_cv.models.DeepLabV3Plus(backbone=backbone, num_classes=NUM_CLASSES)
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, max(steps, 1))
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(),  # softmax outputs
        jit_compile=jit_compile,
    )

    def class_map(images):
        return np.argmax(model(images, training=False), -1)

    return model, class_map


def mean_iou(truth, predicted):
    """Mean over classes present in either of per-class IoU (NumPy)."""
    ious = []
    for c in range(NUM_CLASSES):
        union = np.sum((truth == c) | (predicted == c))
        if union:
            ious.append(np.sum((truth == c) & (predicted == c)) / union)
    return float(np.mean(ious))


def train_and_evaluate(impl, epochs, jit_compile):
    """Trains a freshly built model; returns its figures."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    train_images, train_masks = draw_shapes(NUM_TRAIN, rng)
    val_images, val_masks = draw_shapes(NUM_VALIDATION, rng)
    steps = epochs * (NUM_TRAIN // BATCH)
    build = build_ours if impl == "ours" else build_peer
    model, class_map = build(steps, jit_compile)

    def flip(images, masks):
        flipped = tf.random.uniform([BATCH, 1, 1, 1], seed=SEED) < 0.5
        return (
            tf.where(flipped, images[:, :, ::-1], images),
            tf.where(flipped, masks[:, :, ::-1], masks),
        )

    train = (
        tf.data.Dataset.from_tensor_slices(
            (train_images.astype("float32"), train_masks)
        )
        .shuffle(NUM_TRAIN, seed=SEED)
        .batch(BATCH, drop_remainder=True)
        .map(flip)
        .prefetch(2)
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    # Each step waits for its results before the next starts, as with a
    # progress bar (see `benchmarks/_step_sync.py`).
    model.fit(train, epochs=epochs, verbose=0, callbacks=[wait_for_each_step()])
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    predicted = np.concatenate(
        [
            np.asarray(class_map(val_images[i : i + 16].astype("float32")))
            for i in range(0, NUM_VALIDATION, 16)
        ]
    )
    return {
        "val_mean_iou": round(mean_iou(val_masks[..., 0], predicted), 4),
        "train_step_s": round(seconds / max(steps, 1), 4),
        "train_cpu_s": round(cpu_seconds, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    common.add_mode_argument(parser)
    args = parser.parse_args()
    figures, notes = {}, {}
    jit_modes = {"both": (False, True), "as-written": (False,), "xla": (True,)}
    for jit in jit_modes[args.mode]:
        suffix = "_jit" if jit else ""
        try:
            values = train_and_evaluate(args.impl, args.epochs, jit)
        except Exception as error:  # XLA may not compile every op
            notes[f"error{suffix}"] = f"{type(error).__name__}: {str(error)[:300]}"
            continue
        figures.update({f"{key}{suffix}": value for key, value in values.items()})
    print_result(
        "deeplab_train",
        args.impl,
        args.epochs,
        figures,
        {key: key.startswith("val_mean_iou") for key in figures},
        notes,
    )


if __name__ == "__main__":
    main()
