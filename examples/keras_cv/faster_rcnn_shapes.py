# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Two-stage detection end to end: train Faster R-CNN on synthetic shapes,
evaluate it with the COCO metrics in inference mode over all validation
images, export a SavedModel and check that it serves the same detections.

    python examples/keras_cv/faster_rcnn_shapes.py [--quick] [--epochs N]
"""

import argparse
import os
import tempfile
import time

import keras
import numpy as np

import keras_applications
import keras_cv

try:  # the shared data pipeline and export check of the RetinaNet example
    from examples.keras_cv.retinanet_shapes import export_and_compare
    from examples.keras_cv.retinanet_shapes import load_shapes
except ImportError:  # run as a script from this folder
    from retinanet_shapes import export_and_compare
    from retinanet_shapes import load_shapes

# --8<-- [start:config]
# The quality-bar data: 128x128 images, 1-3 objects of 3 classes, 640
# training and 128 validation images.
FULL = dict(
    image_size=128,
    num_train=640,
    num_validation=128,
    epochs=5,
    batch_size=8,
    filters=64,
    head_units=256,
)
# --8<-- [end:config]
QUICK = dict(
    image_size=64,
    num_train=16,
    num_validation=8,
    epochs=1,
    batch_size=8,
    filters=16,
    head_units=32,
)


# --8<-- [start:predict_all]
def _predict_all(model, dataset):
    """Predicts every image of `dataset`; returns stacked truth and detections."""
    truth = {"boxes": [], "labels": []}
    found = {"boxes": [], "labels": [], "scores": [], "num_detections": []}
    for batch in dataset:
        out = model.predict_on_batch(batch["images"])
        for key in found:
            found[key].append(np.asarray(out[key]))
        dense = keras_cv.bounding_box.to_dense(batch["bounding_boxes"], max_boxes=8)
        for key in truth:
            truth[key].append(np.asarray(dense[key]))
    return (
        {k: np.concatenate(v) for k, v in truth.items()},
        {k: np.concatenate(v) for k, v in found.items()},
    )


# --8<-- [end:predict_all]


def main(quick=False, epochs=None, output_dir=None):
    config = dict(QUICK if quick else FULL)
    if epochs is not None:
        config["epochs"] = epochs
    output_dir = output_dir or tempfile.mkdtemp(prefix="faster_rcnn_shapes_")
    os.makedirs(output_dir, exist_ok=True)
    keras.utils.set_random_seed(0)
    print(f"Faster R-CNN on shapes: {config}")

    train, val = load_shapes(config)

    # --8<-- [start:model]
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.FasterRCNN(
        backbone=backbone,
        num_classes=3,
        bounding_box_format="xyxy",
        fpn_filters=config["filters"],
        head_units=config["head_units"],
        seed=0,
    )
    steps = config["epochs"] * (config["num_train"] // config["batch_size"])
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, steps), global_clipnorm=10.0
        )
    )
    start = time.time()
    history = model.fit(train, epochs=config["epochs"], verbose=2)
    train_seconds = time.time() - start
    # --8<-- [end:model]

    # --8<-- [start:evaluate]
    truth, detections = _predict_all(model, val)  # inference mode, all images
    stats = keras_cv.metrics.evaluate_coco(
        truth, detections, bounding_box_format="xyxy"
    )
    print(
        f"trained {steps} steps in {train_seconds:.0f} s; validation (inference "
        f"mode, {len(truth['labels'])} images): mAP@[.5:.95]={stats['AP']:.3f} "
        f"AP50={stats['AP50']:.3f}"
    )
    # --8<-- [end:evaluate]

    # --8<-- [start:export]
    images = next(iter(val))["images"][:4]
    predicted = model.predict(images, verbose=0)
    same = export_and_compare(model, images, predicted, output_dir)
    # --8<-- [end:export]
    return {
        "val_map": float(stats["AP"]),
        "val_ap50": float(stats["AP50"]),
        "val_ap75": float(stats["AP75"]),
        "train_seconds": float(train_seconds),
        "final_loss": float(history.history["loss"][-1]),
        "export_matches_predict": float(same),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args()
    print(main(quick=args.quick, epochs=args.epochs))
