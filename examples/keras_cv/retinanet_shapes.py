# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Object detection end to end: train RetinaNet on synthetic shapes,
evaluate with the COCO metrics in inference mode, draw the detections,
export a SavedModel and check that it serves the same detections.

    python examples/keras_cv/retinanet_shapes.py [--quick] [--epochs N]
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
# The quality-bar configuration: 128x128 images, 1-3 objects of 3 classes,
# 640 training and 128 validation images.
# The model keeps its default sizes (256-channel pyramid, heads of four
# depthwise-separable convolutions).
FULL = dict(
    image_size=128,
    num_train=640,
    num_validation=128,
    epochs=6,
    batch_size=8,
    model_size={},
)
# --8<-- [end:config]
QUICK = dict(
    image_size=64,
    num_train=16,
    num_validation=8,
    epochs=1,
    batch_size=8,
    # A small model, for a smoke run.
    model_size=dict(fpn_filters=16, head_filters=16, head_depth=1),
)


# --8<-- [start:pretrained]
def pretrained_retinanet(num_classes, backbone="ResNet50", weights="imagenet"):
    """A RetinaNet on a backbone with keras.applications' ImageNet weights.

    The weights download once into `~/.keras/models` (`$KERAS_HOME/models`);
    offline, copy the file there or pass its local path as `weights`. The
    detection heads start from scratch.
    """
    backbone = getattr(keras_applications, backbone)(
        include_top=False, weights=weights, input_shape=(None, None, 3)
    )
    return keras_cv.models.RetinaNet(
        backbone=backbone, num_classes=num_classes, bounding_box_format="xyxy"
    )


# --8<-- [end:pretrained]


# --8<-- [start:data]
def load_shapes(config, return_masks=False):
    """Batched training data (shuffled, flipped) and validation data.

    With `return_masks=True` the samples also carry "segmentation_masks" and
    "instance_masks", and the flip moves them with the images and boxes.
    """
    train_ds, val_ds = keras_cv.datasets.shapes.load(
        num_train=config["num_train"],
        num_validation=config["num_validation"],
        image_size=config["image_size"],
        min_size=0.2,
        max_size=0.5,
        seed=0,
        return_masks=return_masks,
    )
    flip = keras_cv.augmentation.RandomFlip(
        "horizontal", bounding_box_format="xyxy", seed=1
    )
    train = (
        train_ds.shuffle(config["num_train"], seed=0)
        .batch(config["batch_size"], drop_remainder=True)
        .map(
            lambda batch: flip(batch, training=True),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
        .prefetch(tf.data.AUTOTUNE)
    )
    val = val_ds.batch(16)
    return train, val


# --8<-- [end:data]


# --8<-- [start:export]
def export_and_compare(model, images, detections, output_dir):
    """Exports a SavedModel; True if it serves `detections` for `images`."""
    served_dir = os.path.join(output_dir, "served")
    model.export(served_dir, verbose=False)
    reloaded = tf.saved_model.load(served_dir)  # keep it alive while serving
    served = reloaded.serve(tf.cast(images, tf.uint8))
    same = bool(
        np.array_equal(served["num_detections"].numpy(), detections["num_detections"])
        and np.allclose(served["boxes"].numpy(), detections["boxes"], atol=1e-3)
        and np.array_equal(served["labels"].numpy(), detections["labels"])
    )
    print(
        f"exported to {served_dir}; reloaded SavedModel gives the same detections: {same}"
    )
    return same


# --8<-- [end:export]


def main(quick=False, epochs=None, output_dir=None):
    config = dict(QUICK if quick else FULL)
    if epochs is not None:
        config["epochs"] = epochs
    output_dir = output_dir or tempfile.mkdtemp(prefix="retinanet_shapes_")
    os.makedirs(output_dir, exist_ok=True)
    keras.utils.set_random_seed(0)
    size = config["image_size"]
    print(f"RetinaNet on shapes: {config}")

    train, val = load_shapes(config)

    # --8<-- [start:model]
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.RetinaNet(
        backbone=backbone,
        num_classes=3,
        bounding_box_format="xyxy",
        max_level=5,  # 128-pixel images: no need for levels 6 and 7
        **config["model_size"],
    )
    steps = config["epochs"] * (config["num_train"] // config["batch_size"])
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, steps), global_clipnorm=10.0
        )
    )
    # --8<-- [end:model]
    # --8<-- [start:train]
    evaluation = keras_cv.callbacks.COCOEvaluation(
        val, frequency=config["epochs"], verbose=1
    )
    start, cpu_start = time.time(), time.process_time()
    history = model.fit(
        train, epochs=config["epochs"], callbacks=[evaluation], verbose=2
    )
    train_seconds = time.time() - start
    train_cpu_seconds = time.process_time() - cpu_start  # robust to other load
    stats = evaluation.results  # inference mode, all validation images
    print(
        f"trained {steps} steps in {train_seconds:.0f} s ({train_cpu_seconds:.0f} "
        f"CPU-s); validation (inference "
        f"mode): mAP@[.5:.95]={stats['AP']:.3f} AP50={stats['AP50']:.3f}"
    )
    # --8<-- [end:train]

    # --8<-- [start:plot]
    sample = next(iter(val))
    images = sample["images"][:8]
    detections = model.predict(images, verbose=0)
    png = os.path.join(output_dir, "detections.png")
    keras_cv.visualization.plot_detections(
        images,
        detections,
        path=png,
        class_names=keras_cv.datasets.shapes.class_names(),
        score_threshold=0.5,
        ground_truth={k: v[:8] for k, v in sample["bounding_boxes"].items()},
        scale=2 if size < 128 else 1,
    )
    print(f"wrote {png}")
    # --8<-- [end:plot]

    same = export_and_compare(model, images, detections, output_dir)
    return {
        "val_map": float(stats["AP"]),
        "val_ap50": float(stats["AP50"]),
        "val_ap75": float(stats["AP75"]),
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
