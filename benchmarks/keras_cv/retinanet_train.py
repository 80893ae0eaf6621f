# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RetinaNet training step time and `predict` latency: ours vs keras-cv 0.9.

Configuration (fixed): batch 4, 256x256 images, ResNet18-sized backbone
(basic blocks [2, 2, 2, 2], random init), 3 classes, pyramid levels P3-P7,
256-channel FPN and heads with each library's defaults (ours: 4
depthwise-separable 3x3 convolutions with GroupNorm per head; keras-cv 0.9:
3 dense 3x3 convolutions without normalisation), 3 ground-truth boxes per
image, Adam, seed 0. `--head-convolution dense` times ours with the
RetinaNet paper's dense heads instead (4 dense 3x3 convolutions with
GroupNorm: about 1.2x the peer's floating-point work per step as direct
convolutions; ours computes the hidden ones by Winograd's F(2x2, 3x3),
with 16/36 of their multiplications).

Each side first times its first training step (`first_step_s`: tracing
and graph building included, one `fit` call of one step), runs 2 more
warm-up steps, then times 10 steps (one `fit`
call on a repeated batch, each step waiting for its loss before the next
starts, as with a progress bar); then 2 warm-up and 10 timed calls of the forward
pass plus the library's `decode_predictions` in one `tf.function`,
returning final detections (decoding and NMS included; keras-cv 0.9 with
its default MultiClassNonMaxSuppression).

Both modes on both sides, each in a freshly built model: as written
(Keras' default compilation) and XLA (`compile(jit_compile=True)` for the
training step; for predict, the forward pass in a `jit_compile=True`
function and the decoding + NMS as written, since neither library's NMS
compiles under XLA). The XLA figures carry the suffix `_jit`, and
`tools/bench` puts each side's better mode against the other's as its
headline (best vs best). `--mode as-written` or `--mode xla` runs one.

    python benchmarks/keras_cv/retinanet_train.py --impl ours   # keras_cv.models.RetinaNet + keras_applications.ResNet18
    python benchmarks/keras_cv/retinanet_train.py --impl ours --head-convolution dense
    python benchmarks/keras_cv/retinanet_train.py --impl peer   # keras-cv 0.9.0 RetinaNet + ResNetBackbone (ResNet18 layout)

What a user compares: seconds per training step and per predict call
(lower is better). Goal: at most 0.8x the peer's step time and 0.5x its
predict latency. `*_cpu_s` are CPU seconds of the whole process (all
threads, `time.process_time`) per step or call: the load-robust figures on
a shared machine, where wall time also depends on the other processes.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(
    0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)

from benchmarks._step_sync import wait_for_each_step  # noqa: E402  (the repository root)

BATCH = 4
SIZE = 256
NUM_CLASSES = 3
WARMUP = 3
STEPS = 10
SEED = 0


def make_batch():
    rng = np.random.default_rng(SEED)
    images = rng.uniform(0, 255, (BATCH, SIZE, SIZE, 3)).astype("float32")
    xy = rng.uniform(0, SIZE * 0.6, (BATCH, 3, 2))
    wh = rng.uniform(SIZE * 0.1, SIZE * 0.4, (BATCH, 3, 2))
    boxes = np.concatenate([xy, xy + wh], -1).astype("float32")
    labels = rng.integers(0, NUM_CLASSES, (BATCH, 3)).astype("int32")
    return images, boxes, labels


def build_ours(head_convolution="separable", jit_compile=False):
    import keras_applications
    import keras_cv

    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.RetinaNet(
        backbone,
        num_classes=NUM_CLASSES,
        bounding_box_format="xyxy",
        head_convolution=head_convolution,
    )
    model.compile(optimizer="adam", jit_compile=jit_compile)

    def targets(boxes, labels):
        return {"boxes": boxes, "labels": labels}

    return model, targets


def build_peer(jit_compile=False):
    import keras
    from _peer_backbone import resnet18_backbone  # this folder

    import keras_cv  # keras-cv 0.9.0, in its own environment

    backbone = resnet18_backbone()
    model = keras_cv.models.RetinaNet(
        backbone=backbone, num_classes=NUM_CLASSES, bounding_box_format="xyxy"
    )
    model.compile(
        optimizer=keras.optimizers.Adam(),
        classification_loss="focal",
        box_loss="smoothl1",
        jit_compile=jit_compile,
    )

    def targets(boxes, labels):
        return {"boxes": boxes, "classes": labels}

    return model, targets


def measure(model, targets, jit_compile=False):
    """Seconds per training step and per forward + decode call."""
    import tensorflow as tf

    images, boxes, labels = make_batch()
    # One fixed batch, repeated; `fit` with a step count (keras-cv 0.9's
    # RetinaNet cannot take `train_on_batch`'s (x, y, sample_weight)).
    data = tf.data.Dataset.from_tensors((images, targets(boxes, labels))).repeat()
    # No tf.data autotuning for one repeated in-memory batch (nothing to
    # tune). With it, some timed `fit` calls ran about 2x slower by wall time
    # at the same CPU time per step, on both sides (ours, separable heads,
    # one process, 7 alternating rounds of 8 waiting steps: 2 rounds at
    # 1.28 s per step with autotuning, the others and all 7 without it at
    # 0.61-0.71 s; CPU 1.18-1.36 s per step throughout).
    options = tf.data.Options()
    options.autotune.enabled = False
    data = data.with_options(options)
    # The first step: tracing, graph optimisation and one step, what a user
    # waits for before the first progress-bar update.
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(data, epochs=1, steps_per_epoch=1, verbose=0)
    first = time.perf_counter() - start
    first_cpu = time.process_time() - cpu_start
    # Each step waits for its results before the next starts, as with a
    # progress bar or any per-batch callback (see `benchmarks/_step_sync.py`).
    wait = [wait_for_each_step()]
    model.fit(data, epochs=1, steps_per_epoch=WARMUP - 1, verbose=0, callbacks=wait)
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(data, epochs=1, steps_per_epoch=STEPS, verbose=0, callbacks=wait)
    step = (time.perf_counter() - start) / STEPS
    step_cpu = (time.process_time() - cpu_start) / STEPS

    # Both sides: the forward pass and the library's own decoding + NMS in
    # one tf.function (keras-cv 0.9's `predict_on_batch` fails under Keras
    # 3.15: its predict_step reads the images from a nested tuple).
    # XLA mode: the forward pass compiled with XLA, decoding + NMS as
    # written (neither library's NMS compiles under XLA).
    forward = tf.function(lambda x: model(x, training=False), jit_compile=jit_compile)

    @tf.function
    def detect(x):
        return model.decode_predictions(forward(x), x)

    batch = tf.constant(images)
    for _ in range(2):
        tf.nest.map_structure(lambda t: t.numpy(), detect(batch))
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(STEPS):
        tf.nest.map_structure(lambda t: t.numpy(), detect(batch))
    predict = (time.perf_counter() - start) / STEPS
    predict_cpu = (time.process_time() - cpu_start) / STEPS
    return {
        "first_step_s": round(first, 3),
        "first_step_cpu_s": round(first_cpu, 3),
        "train_step_s": round(step, 4),
        "predict_s": round(predict, 4),
        "train_step_cpu_s": round(step_cpu, 4),
        "predict_cpu_s": round(predict_cpu, 4),
    }


def measure_modes(build, mode="both"):
    """Both modes, each in a freshly built model: `build(jit_compile)`.

    Returns `(figures, notes)`: the XLA figures carry the suffix `_jit`
    (tools/bench's mode suffix); a mode that fails leaves a note saying why.
    """
    import keras

    figures, notes = {}, {}
    jit_modes = {"both": (False, True), "as-written": (False,), "xla": (True,)}
    for jit in jit_modes[mode]:
        suffix = "_jit" if jit else ""
        keras.utils.set_random_seed(SEED)
        try:
            model, targets = build(jit)
            values = measure(model, targets, jit_compile=jit)
        except Exception as error:  # XLA may not compile every op
            notes[f"error{suffix}"] = f"{type(error).__name__}: {str(error)[:300]}"
            continue
        figures.update({f"{key}{suffix}": value for key, value in values.items()})
    return figures, notes


def add_mode_argument(parser):
    parser.add_argument(
        "--mode",
        choices=["both", "as-written", "xla"],
        default="both",
        help="as written (Keras' default compilation), XLA "
        "(`compile(jit_compile=True)`, figures suffixed `_jit`) or both (default)",
    )


def report(name, impl, config, figures, notes=None):
    print(
        json.dumps(
            {
                "benchmark": name,
                "impl": impl,
                "config": {
                    "batch": BATCH,
                    "image_size": SIZE,
                    "num_classes": NUM_CLASSES,
                    "backbone": "resnet18",
                    "steps": STEPS,
                    "seed": SEED,
                    "modes": ["as written", "jit_compile=True"],
                    **config,
                },
                "figures": figures,
                "notes": notes or {},
                "higher_is_better": {name: False for name in figures},
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument(
        "--head-convolution",
        choices=["separable", "dense"],
        default="separable",
        help="ours only: the heads' convolutions (the peer has one kind)",
    )
    add_mode_argument(parser)
    args = parser.parse_args()
    if args.impl == "ours":
        figures, notes = measure_modes(
            lambda jit: build_ours(args.head_convolution, jit), args.mode
        )
        config = {"head_convolution": args.head_convolution}
    else:
        figures, notes = measure_modes(build_peer, args.mode)
        config = {"head_convolution": "dense (keras-cv 0.9 default, no norm)"}
    report("retinanet_train", args.impl, config, figures, notes)


if __name__ == "__main__":
    main()
