# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Semantic segmentation end to end: train DeepLabV3+ on the synthetic
shapes masks, measure the inference-mode mean IoU, draw the class maps and
export a SavedModel that serves them.

    python examples/keras_cv/deeplab_shapes.py [--quick] [--epochs N]
"""

import argparse
import os
import tempfile
import time

import keras
import numpy as np
import tensorflow as tf

import keras_applications
import keras_cv

# --8<-- [start:config]
# The quality-bar configuration: 128x128 images, 1-3 objects of 3 classes
# (4 classes with the background), 640 training and 128 validation images.
# Context from P4 (an 8x8 map, stride 16) with atrous rates 2, 4 and 6, so
# the widest branch spans the whole map; batches of 8: 960 steps take about
# 460 CPU-seconds, within the bar's 10 CPU-minutes.
FULL = dict(
    image_size=128,
    num_train=640,
    num_validation=128,
    epochs=12,
    batch_size=8,
    learning_rate=1e-3,
    high_level="P4",
    dilation_rates=(2, 4, 6),
    pooling_channels=128,
    low_level_channels=32,
    decoder_channels=64,
)
# --8<-- [end:config]
QUICK = dict(
    FULL,
    image_size=64,
    num_train=8,
    num_validation=4,
    epochs=1,
    pooling_channels=16,
    low_level_channels=8,
    decoder_channels=16,
)
NUM_CLASSES = 4  # background + rectangle, ellipse, triangle


def evaluate(model, dataset):
    """Inference-mode mean and per-class IoU over a dataset."""
    metric = keras_cv.metrics.MeanIoU(NUM_CLASSES)
    for batch in dataset:
        metric.update_state(
            batch["segmentation_masks"], model.predict_on_batch(batch["images"])
        )
    return float(metric.result()), metric.per_class_iou().numpy()


def main(quick=False, epochs=None, output_dir=None):
    config = dict(QUICK if quick else FULL)
    if epochs is not None:
        config["epochs"] = epochs
    output_dir = output_dir or tempfile.mkdtemp(prefix="deeplab_shapes_")
    os.makedirs(output_dir, exist_ok=True)
    keras.utils.set_random_seed(0)
    print(f"DeepLabV3+ on shapes masks: {config}")

    # --8<-- [start:data]
    train_ds, val_ds = keras_cv.datasets.shapes.load(
        num_train=config["num_train"],
        num_validation=config["num_validation"],
        image_size=config["image_size"],
        min_size=0.2,
        max_size=0.5,
        seed=0,
        return_masks=True,
    )

    def images_and_masks(element):
        return {k: element[k] for k in ("images", "segmentation_masks")}

    flip = keras_cv.augmentation.RandomFlip("horizontal", seed=1)
    train = (
        train_ds.map(images_and_masks)
        .shuffle(config["num_train"], seed=0)
        .batch(config["batch_size"], drop_remainder=True)
        .map(lambda batch: flip(batch, training=True))  # masks move with pixels
        .prefetch(tf.data.AUTOTUNE)
    )
    val = val_ds.map(images_and_masks).batch(16)
    # --8<-- [end:data]

    # --8<-- [start:model]
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.DeepLabV3Plus(
        backbone,
        num_classes=NUM_CLASSES,
        high_level=config["high_level"],
        dilation_rates=config["dilation_rates"],
        pooling_channels=config["pooling_channels"],
        low_level_channels=config["low_level_channels"],
        decoder_channels=config["decoder_channels"],
    )
    steps = config["epochs"] * (config["num_train"] // config["batch_size"])
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(config["learning_rate"], steps)
        ),
        jit_compile=False,
    )
    # --8<-- [end:model]

    # --8<-- [start:train]
    start, cpu_start = time.time(), time.process_time()
    history = model.fit(train, epochs=config["epochs"], verbose=2)
    train_seconds = time.time() - start
    train_cpu_seconds = time.process_time() - cpu_start
    mean_iou, per_class = evaluate(model, val)
    print(
        f"trained {steps} steps in {train_seconds:.0f} s ({train_cpu_seconds:.0f} "
        f"CPU-s); validation (inference mode): mean IoU={mean_iou:.3f}, per class "
        f"{dict(zip(['background'] + keras_cv.datasets.shapes.class_names(), np.round(per_class, 3).tolist()))}"
    )
    # --8<-- [end:train]

    # --8<-- [start:plot]
    sample = next(iter(val))
    images = sample["images"][:8]
    class_map = model.predict(images, verbose=0)
    png = os.path.join(output_dir, "segmentation.png")
    keras_cv.visualization.plot_segmentation_masks(
        images,
        class_map,
        path=png,
        ground_truth=sample["segmentation_masks"][:8],
        cols=2,
    )
    print(f"wrote {png} (ground truth left, prediction right)")
    # --8<-- [end:plot]

    # --8<-- [start:export]
    served_dir = os.path.join(output_dir, "served")
    model.export(served_dir, verbose=False)
    served = tf.saved_model.load(served_dir)
    served_map = served.serve(tf.cast(images, tf.uint8))["segmentation_masks"]
    same = bool(np.array_equal(served_map.numpy(), class_map))
    print(
        f"exported to {served_dir}; the SavedModel serves the same class maps: {same}"
    )
    # --8<-- [end:export]
    return {
        "val_mean_iou": mean_iou,
        **{f"val_iou_class{k}": float(v) for k, v in enumerate(per_class)},
        "train_seconds": float(train_seconds),
        "train_cpu_seconds": float(train_cpu_seconds),
        "final_loss": float(history.history["loss"][-1]),
        "export_matches_predict": float(same),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args()
    print(main(quick=args.quick, epochs=args.epochs))
