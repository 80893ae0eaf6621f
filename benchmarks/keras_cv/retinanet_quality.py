# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RetinaNet trained from scratch on shapes: inference-mode COCO mAP, ours vs
keras-cv 0.9.

Configuration (fixed): 128x128 images with 1-3 non-overlapping filled
rectangles, ellipses and triangles (3 classes), 640 training and 128
validation images drawn by this script with seed 0 (the same arrays on both
sides: `deeplab_train.draw_shapes`, boxes pixel-tight), batch 8 for 6
epochs with random horizontal flips, Adam with cosine decay from 1e-3 and
global gradient clipping at 10, random-init ResNet18-sized backbones, seed
0. Each library's RetinaNet keeps its default FPN and heads (ours:
separable heads with GroupNorm, pyramid levels P3-P5 as in the shapes
example; keras-cv 0.9: dense heads, its fixed levels P3-P7, focal and
smooth-L1 losses). Both are evaluated in inference mode
(`training=False`) on all validation images with pycocotools
(mAP@[.5:.95] and AP50), from the library's own decoding with a score
threshold of 0.05 and at most 100 detections per image (keras-cv 0.9's
default decoder keeps only scores >= 0.5; it is given 0.05 here so that
both are scored alike).

    python benchmarks/keras_cv/retinanet_quality.py --impl ours   # keras_cv.models.RetinaNet, keras_applications.ResNet18
    python benchmarks/keras_cv/retinanet_quality.py --impl peer   # keras-cv 0.9.0 RetinaNet on ResNetBackbone (ResNet18 layout)

What a user compares: validation mAP and AP50 after the same training
(higher is better), and the CPU-seconds of that training (lower is
better). The issue's bar for ours: mAP >= 0.6 and AP50 >= 0.95 within 10
minutes of training on 2 cores.
"""
# bench-requires: pycocotools

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The same images on both sides, and the same data settings as deeplab_train.
from deeplab_train import BATCH  # noqa: E402
from deeplab_train import NUM_TRAIN  # noqa: E402
from deeplab_train import NUM_VALIDATION  # noqa: E402
from deeplab_train import SEED  # noqa: E402
from deeplab_train import SIZE  # noqa: E402
from deeplab_train import draw_shapes  # noqa: E402
from deeplab_train import print_result  # noqa: E402

NUM_CLASSES = 3
EPOCHS = 6


def _optimizer(steps):
    import keras

    return keras.optimizers.Adam(
        keras.optimizers.schedules.CosineDecay(1e-3, max(steps, 1)),
        global_clipnorm=10.0,
    )


def build_ours(steps):
    import keras_applications
    import keras_cv

    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.RetinaNet(
        backbone,
        num_classes=NUM_CLASSES,
        bounding_box_format="xyxy",
        max_level=5,
        score_threshold=0.05,
        max_detections=100,
    )
    model.compile(optimizer=_optimizer(steps))

    def targets(boxes, labels):
        return {"boxes": boxes, "labels": labels}

    def detect(images):
        out = model.predict_on_batch(images)
        return out["boxes"], out["scores"], out["labels"], out["num_detections"]

    return model, targets, detect


def build_peer(steps):
    import tensorflow as tf
    from _peer_backbone import resnet18_backbone  # this folder

    import keras_cv  # keras-cv 0.9.0, in its own environment

    backbone = resnet18_backbone()
    model = keras_cv.models.RetinaNet(
        backbone=backbone,
        num_classes=NUM_CLASSES,
        bounding_box_format="xyxy",
        prediction_decoder=keras_cv.layers.MultiClassNonMaxSuppression(
            bounding_box_format="xyxy",
            from_logits=True,
            confidence_threshold=0.05,
            max_detections=100,
        ),
    )
    model.compile(
        optimizer=_optimizer(steps),
        classification_loss="focal",
        box_loss="smoothl1",
    )

    def targets(boxes, labels):
        return {"boxes": boxes, "classes": labels}

    # Its `predict_on_batch` fails under Keras 3.15 (see retinanet_train.py):
    # the forward pass in inference mode and its own decoding instead.
    @tf.function
    def decode(images):
        return model.decode_predictions(model(images, training=False), images)

    def detect(images):
        out = decode(tf.constant(images))
        return out["boxes"], out["confidence"], out["classes"], out["num_detections"]

    return model, targets, detect


def coco_stats(boxes, labels, detections):
    """mAP@[.5:.95] and AP50 with pycocotools."""
    import contextlib
    import io

    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    images, annotations, results = [], [], []
    for i in range(len(boxes)):
        images.append({"id": i, "width": SIZE, "height": SIZE})
        for box, label in zip(boxes[i], labels[i]):
            if label < 0:
                continue
            x0, y0, x1, y1 = (float(v) for v in box)
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": i,
                    "category_id": int(label) + 1,
                    "bbox": [x0, y0, x1 - x0, y1 - y0],
                    "area": (x1 - x0) * (y1 - y0),
                    "iscrowd": 0,
                }
            )
    for i, (det_boxes, scores, classes, count) in enumerate(detections):
        for box, score, label in zip(
            det_boxes[:count], scores[:count], classes[:count]
        ):
            x0, y0, x1, y1 = (float(v) for v in box)
            results.append(
                {
                    "image_id": i,
                    "category_id": int(label) + 1,
                    "bbox": [x0, y0, x1 - x0, y1 - y0],
                    "score": float(score),
                }
            )
    truth = COCO()
    truth.dataset = {
        "images": images,
        "annotations": annotations,
        "categories": [{"id": c + 1} for c in range(NUM_CLASSES)],
    }
    with contextlib.redirect_stdout(io.StringIO()):
        truth.createIndex()
        if not results:
            return 0.0, 0.0
        evaluation = COCOeval(truth, truth.loadRes(results), "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return float(evaluation.stats[0]), float(evaluation.stats[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    train_images, _, train_boxes, train_labels = draw_shapes(
        NUM_TRAIN, rng, with_boxes=True
    )
    val_images, _, val_boxes, val_labels = draw_shapes(
        NUM_VALIDATION, rng, with_boxes=True
    )
    steps = args.epochs * (NUM_TRAIN // BATCH)
    model, targets, detect = (build_ours if args.impl == "ours" else build_peer)(steps)

    def flip(images, boxes, labels):
        flipped = tf.random.uniform([BATCH, 1], seed=SEED) < 0.5
        mirrored = tf.stack(
            [SIZE - boxes[..., 2], boxes[..., 1], SIZE - boxes[..., 0], boxes[..., 3]],
            -1,
        )
        boxes = tf.where(flipped[..., None] & (labels[..., None] >= 0), mirrored, boxes)
        images = tf.where(flipped[:, :, None, None], images[:, :, ::-1], images)
        return images, targets(boxes, labels)

    train = (
        tf.data.Dataset.from_tensor_slices(
            (train_images.astype("float32"), train_boxes, train_labels)
        )
        .shuffle(NUM_TRAIN, seed=SEED)
        .batch(BATCH, drop_remainder=True)
        .map(flip)
        .prefetch(2)
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(train, epochs=args.epochs, verbose=0)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    detections = []
    for i in range(0, NUM_VALIDATION, 16):
        out = [np.asarray(t) for t in detect(val_images[i : i + 16].astype("float32"))]
        detections += [tuple(t[j] for t in out) for j in range(len(out[0]))]
    mean_ap, ap50 = coco_stats(val_boxes, val_labels, detections)
    figures = {
        "val_map": round(mean_ap, 4),
        "val_ap50": round(ap50, 4),
        "train_s": round(seconds, 1),
        "train_cpu_s": round(cpu_seconds, 1),
    }
    print_result(
        "retinanet_quality",
        args.impl,
        args.epochs,
        figures,
        {"val_map": True, "val_ap50": True, "train_s": False, "train_cpu_s": False},
    )


if __name__ == "__main__":
    main()
