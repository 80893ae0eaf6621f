# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Instance segmentation end to end: train Mask R-CNN on synthetic shapes
with per-object masks, evaluate COCO mask AP (and box AP) in inference mode
over all validation images, draw the masks, export a SavedModel and check
that it serves the same detections and masks.

    python examples/keras_cv/mask_rcnn_shapes.py [--quick] [--epochs N]
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

try:  # the shared data pipeline of the RetinaNet example
    from examples.keras_cv.retinanet_shapes import load_shapes
except ImportError:  # run as a script from this folder
    from retinanet_shapes import load_shapes

# --8<-- [start:config]
# The shapes task of the detection examples, with one mask per object:
# 128x128 images, 1-3 objects of 3 classes, 640 training and 128
# validation images.
FULL = dict(
    image_size=128,
    num_train=640,
    num_validation=128,
    epochs=5,
    batch_size=8,
    filters=64,
    head_units=256,
    mask_filters=64,
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
    mask_filters=16,
)


# --8<-- [start:predict_all]
def predict_all(model, dataset):
    """Predicts every image; returns per-image truth and detections (with masks)."""
    truth = {"masks": [], "labels": [], "boxes": []}
    found = {"masks": [], "labels": [], "scores": [], "boxes": []}
    for batch in dataset:
        out = model.predict_on_batch(batch["images"])
        for i, n in enumerate(out["num_detections"]):
            for key in found:  # keep only the real detections of image i
                found[key].append(np.asarray(out[key][i, :n]))
        labels = batch["bounding_boxes"]["labels"].numpy()
        for i, image_labels in enumerate(labels):
            real = image_labels >= 0
            truth["labels"].append(image_labels[real])
            truth["boxes"].append(batch["bounding_boxes"]["boxes"].numpy()[i][real])
            truth["masks"].append(batch["instance_masks"].numpy()[i][real])
    return truth, found


# --8<-- [end:predict_all]


def _class_map(masks, labels, height, width):
    """One class map (0 background, label + 1 on an object) from instances."""
    out = np.zeros((height, width, 1), "int32")
    for mask, label in zip(masks, labels):
        out[mask.astype(bool), 0] = label + 1
    return out


def main(quick=False, epochs=None, output_dir=None):
    config = dict(QUICK if quick else FULL)
    if epochs is not None:
        config["epochs"] = epochs
    output_dir = output_dir or tempfile.mkdtemp(prefix="mask_rcnn_shapes_")
    os.makedirs(output_dir, exist_ok=True)
    keras.utils.set_random_seed(0)
    size = config["image_size"]
    print(f"Mask R-CNN on shapes: {config}")

    # --8<-- [start:data]
    # The RetinaNet example's pipeline, asking the dataset for the masks too.
    train, val = load_shapes(config, return_masks=True)
    # --8<-- [end:data]

    # --8<-- [start:model]
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.MaskRCNN(
        backbone=backbone,
        num_classes=3,
        bounding_box_format="xyxy",
        fpn_filters=config["filters"],
        head_units=config["head_units"],
        mask_filters=config["mask_filters"],
        seed=0,
    )
    steps = config["epochs"] * (config["num_train"] // config["batch_size"])
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, steps), global_clipnorm=10.0
        )
    )
    start, cpu_start = time.time(), time.process_time()
    # Batches {"images", "bounding_boxes", "instance_masks"}: five losses.
    history = model.fit(train, epochs=config["epochs"], verbose=2)
    train_seconds = time.time() - start
    train_cpu_seconds = time.process_time() - cpu_start
    # --8<-- [end:model]

    # --8<-- [start:evaluate]
    truth, found = predict_all(model, val)  # inference mode, all images
    mask_stats = keras_cv.metrics.evaluate_coco(truth, found, iou_type="segm")
    box_stats = keras_cv.metrics.evaluate_coco(truth, found, bounding_box_format="xyxy")
    print(
        f"trained {steps} steps in {train_seconds:.0f} s; validation (inference "
        f"mode, {len(truth['labels'])} images): mask AP={mask_stats['AP']:.3f} "
        f"AP50={mask_stats['AP50']:.3f} AP75={mask_stats['AP75']:.3f}; "
        f"box AP={box_stats['AP']:.3f}"
    )
    # --8<-- [end:evaluate]

    # --8<-- [start:plot]
    batch = next(iter(val))
    images = batch["images"][:4]
    predicted = model.predict(images, verbose=0)
    shown = [
        _class_map(
            predicted["masks"][i][predicted["scores"][i] >= 0.5],
            predicted["labels"][i][predicted["scores"][i] >= 0.5],
            size,
            size,
        )
        for i in range(len(images))
    ]
    plot_path = os.path.join(output_dir, "masks.png")
    keras_cv.visualization.plot_segmentation_masks(
        images,
        np.stack(shown),
        path=plot_path,
        ground_truth=batch["segmentation_masks"][:4],
        scale=2,
    )
    # --8<-- [end:plot]

    # --8<-- [start:export]
    served_dir = os.path.join(output_dir, "served")
    model.export(served_dir, verbose=False)
    reloaded = tf.saved_model.load(served_dir)  # uint8 images in
    served = reloaded.serve(tf.cast(images, tf.uint8))
    mask_mismatch = float(np.mean(served["masks"].numpy() != predicted["masks"]))
    same = bool(
        np.array_equal(served["num_detections"].numpy(), predicted["num_detections"])
        and np.array_equal(served["labels"].numpy(), predicted["labels"])
        and np.allclose(served["boxes"].numpy(), predicted["boxes"], atol=1e-3)
        and mask_mismatch == 0.0
    )
    print(
        f"exported to {served_dir}; the SavedModel serves the same detections and masks: {same}"
    )
    # --8<-- [end:export]
    return {
        "val_mask_ap": float(mask_stats["AP"]),
        "val_mask_ap50": float(mask_stats["AP50"]),
        "val_mask_ap75": float(mask_stats["AP75"]),
        "val_box_ap": float(box_stats["AP"]),
        "train_seconds": float(train_seconds),
        "train_cpu_seconds": float(train_cpu_seconds),
        "final_loss": float(history.history["loss"][-1]),
        "final_mask_loss": float(history.history["mask_loss"][-1]),
        "export_matches_predict": float(same),
        "export_mask_mismatch": mask_mismatch,
        "plot": plot_path,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args()
    print(main(quick=args.quick, epochs=args.epochs))
