# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Decoding + NMS latency for a batch of RetinaNet outputs.

Configuration (fixed): batch 8, 512x512 images, 49,104 anchors (5 levels,
9 anchors per location, xyxy), 80 classes, box offsets ~ N(0, 0.5) scaled
by [10, 10, 5, 5] (keras-cv's variance [0.1, 0.1, 0.2, 0.2]), class logits
~ N(-4.6, 1.5) (RetinaNet's prior of 0.01), seed 0. Sigmoid scores,
score threshold 0.05, IoU threshold 0.5, 100 detections per image, per-class
NMS. Ours: `keras_cv.layers.NMSDetectionDecoder` with its default
`pre_nms_top_k=5000`; peer: keras-cv 0.9.0's delta decoding followed by
`MultiClassNonMaxSuppression` (what its RetinaNet runs). Both inside one
`tf.function` (`ms_per_batch`) and, where XLA compiles the ops, inside one
`tf.function(jit_compile=True)` (`ms_per_batch_jit`, left out otherwise);
2 warm-up calls, median of `--steps` calls.

    python benchmarks/keras_cv/decode_nms.py --impl ours
    python benchmarks/keras_cv/decode_nms.py --impl peer

What a user compares: milliseconds per batch (lower is better).
"""

import argparse
import json
import statistics
import sys
import time

import numpy as np

SIZE = 512
BATCH = 8
NUM_CLASSES = 80
SEED = 0
STRIDES = [8, 16, 32, 64, 128]
SIZES = [32.0, 64.0, 128.0, 256.0, 512.0]
SCALES = [2**0, 2 ** (1 / 3), 2 ** (2 / 3)]
RATIOS = [0.5, 1.0, 2.0]


def make_decoder(impl):
    import tensorflow as tf

    if impl == "ours":
        import keras_cv

        anchors = keras_cv.ops.AnchorGenerator(
            SIZES, SCALES, RATIOS, STRIDES, clip_boxes=True
        )((SIZE, SIZE))
        decoder = keras_cv.layers.NMSDetectionDecoder(
            from_logits=True,
            pre_nms_score_threshold=0.05,
            nms_iou_threshold=0.5,
            max_num_detections=100,
            box_scale_factors=[10.0, 10.0, 5.0, 5.0],
        )

        def decode(deltas, logits):
            out = decoder(deltas, logits, anchors, image_shape=(SIZE, SIZE))
            return out["boxes"], out["scores"], out["labels"], out["num_detections"]

        return decode, int(anchors.shape[0])

    import keras_cv
    from keras_cv.src.bounding_box.converters import _decode_deltas_to_boxes

    generator = keras_cv.layers.AnchorGenerator(
        bounding_box_format="xyxy",
        sizes=SIZES,
        aspect_ratios=RATIOS,
        scales=SCALES,
        strides=STRIDES,
        clip_boxes=True,
    )
    anchors = tf.concat(list(generator(image_shape=(SIZE, SIZE, 3)).values()), axis=0)
    nms = keras_cv.layers.MultiClassNonMaxSuppression(
        bounding_box_format="xyxy",
        from_logits=True,
        iou_threshold=0.5,
        confidence_threshold=0.05,
        max_detections=100,
    )

    def decode(deltas, logits):
        boxes = _decode_deltas_to_boxes(
            anchors=anchors,
            boxes_delta=deltas,
            anchor_format="xyxy",
            box_format="xyxy",
            variance=[0.1, 0.1, 0.2, 0.2],
            image_shape=(SIZE, SIZE, 3),
        )
        out = nms(boxes, logits, image_shape=(SIZE, SIZE, 3))
        return out["boxes"], out["confidence"], out["classes"], out["num_detections"]

    return decode, int(anchors.shape[0])


def _median_ms(decode, deltas, logits, steps):
    for _ in range(2):
        decode(deltas, logits)
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        out = decode(deltas, logits)
        _ = out[3].numpy()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def run(impl, steps):
    import tensorflow as tf

    decode, num_anchors = make_decoder(impl)
    rng = np.random.default_rng(SEED)
    deltas = rng.normal(0, 0.5, (BATCH, num_anchors, 4)).astype("float32")
    logits = rng.normal(-4.6, 1.5, (BATCH, num_anchors, NUM_CLASSES)).astype("float32")
    figures = {"ms_per_batch": _median_ms(tf.function(decode), deltas, logits, steps)}
    try:  # XLA mode: left out for a side whose ops XLA cannot compile
        jit = tf.function(decode, jit_compile=True)
        figures["ms_per_batch_jit"] = _median_ms(jit, deltas, logits, steps)
    except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError) as e:
        print(
            f"decode_nms --impl {impl}: no XLA mode ({str(e).splitlines()[0]})",
            file=sys.stderr,
        )
    return figures, num_anchors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    figures, num_anchors = run(args.impl, args.steps)
    print(
        json.dumps(
            {
                "benchmark": "decode_nms",
                "impl": args.impl,
                "config": {
                    "batch": BATCH,
                    "image_size": SIZE,
                    "anchors": num_anchors,
                    "classes": NUM_CLASSES,
                    "score_threshold": 0.05,
                    "iou_threshold": 0.5,
                    "max_detections": 100,
                    "steps": args.steps,
                    "seed": SEED,
                    "xla_mode": "ms_per_batch_jit" in figures,
                },
                "figures": figures,
                "higher_is_better": {key: False for key in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
