# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Faster R-CNN training step time and `predict` latency.

keras-cv 0.9.0 has no two-stage detector in `keras_cv.models` (only
RetinaNet, YOLOV8 and YOLOX), so there is no like-for-like peer. The peer
side therefore runs keras-cv 0.9's RetinaNet on exactly the same batch and
settings: it answers "what does a two-stage model cost compared with the
single-stage detector the peer offers". Ours runs
`keras_cv.models.FasterRCNN` with its defaults (FPN P3-P6, 256 channels,
RPN batch 256, 512 training / 300 inference proposals, 7x7 ROIAlign,
two 1024-unit layers, 128 sampled ROIs per image).

Configuration (fixed, shared with `retinanet_train.py`): batch 4, 256x256
images, ResNet18-sized backbone (random init), 3 classes, 3 ground-truth
boxes per image, Adam, seed 0; 3 warm-up and 10 timed training steps
(one `fit` call on a repeated batch), then 2 warm-up and 10 timed calls of
the forward pass plus `decode_predictions` (final detections, NMS
included) in one `tf.function`. Both modes on both sides, as in
`retinanet_train.py`: as written and XLA (figures suffixed `_jit`; a
mode that does not compile leaves a note saying why).

    python benchmarks/keras_cv/faster_rcnn_train.py --impl ours   # keras_cv.models.FasterRCNN
    python benchmarks/keras_cv/faster_rcnn_train.py --impl peer   # keras-cv 0.9.0 RetinaNet (no FasterRCNN there)

What a user compares: seconds per training step and per predict call
(lower is better); `*_cpu_s` are the CPU seconds of the whole process
(all threads) per step or call, the load-robust figures on a shared
machine.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import retinanet_train as common  # noqa: E402  (same batch, timing, report)


def build_ours(jit_compile=False):
    import keras_applications
    import keras_cv

    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.FasterRCNN(
        backbone, num_classes=common.NUM_CLASSES, bounding_box_format="xyxy", seed=0
    )
    model.compile(optimizer="adam", jit_compile=jit_compile)

    def targets(boxes, labels):
        return {"boxes": boxes, "labels": labels}

    return model, targets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    common.add_mode_argument(parser)
    args = parser.parse_args()
    if args.impl == "ours":
        build = build_ours
        model_name = "keras_cv.models.FasterRCNN"
    else:
        build = common.build_peer
        model_name = "keras-cv 0.9.0 RetinaNet (the peer has no FasterRCNN)"
    figures, notes = common.measure_modes(build, args.mode)
    common.report("faster_rcnn_train", args.impl, {"model": model_name}, figures, notes)


if __name__ == "__main__":
    main()
