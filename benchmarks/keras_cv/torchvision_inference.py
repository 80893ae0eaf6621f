# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
# bench-requires: torchvision==0.29.1 torch==2.14.1
"""COCO detectors converted from torchvision against torchvision itself, on CPU.

Configuration (fixed): torchvision's `retinanet_resnet50_fpn` and
`fasterrcnn_resnet50_fpn` (v1 architectures, 91 COCO classes) with the
same weights on both sides: every tensor of the state dict is drawn by
`packages/keras-cv/keras_cv/src/convert/testdata/random_weights.py` (NumPy
PCG64, seed 0, batch-norm statistics randomised; the class logits sit so
that some but not all anchors pass the 0.05 score threshold), so both
sides find the same detections and spend the same time on non-max
suppression. Ours is `keras_cv.convert.from_torchvision` of that state
dict; the peer is torchvision's model with `load_state_dict`. Images:
uniform noise of `--size` x `--size` pixels (800 by default, seed 0; the
detection transform resizes the shorter side to 800, so 800 x 800 goes
through at its size; `--quick`, i.e. `--size 64 --resize 64 64 --calls 1`,
only checks that the script runs), in [0, 255] for ours and [0, 1] for
torchvision,
in batches of 1 and 4. Both sides run their full inference path: input
transform, network, post-processing (score threshold 0.05, top 1000 per
level, per-class NMS at 0.5), boxes in the pixels of the input images.

Each side in its best mode. Ours: `model.predict_on_batch` (one
`tf.function` call per batch, what `predict` runs per batch) as written
(`<model>_b<batch>_images_per_s`), and with
`model.compile(jit_compile=True)` (XLA, where the graph compiles: the
same name with `_jit`; a note `..._jit_error` says why not); `tools/bench`
compares the better of the two with torchvision's (its headline).
torchvision: `model.eval()` under `torch.inference_mode()`, with
PyTorch's default CPU threads. One warm-up call (tracing, XLA
compilation), then `--calls` timed calls of the same batch; images per
second of wall time, and per CPU-second of the process
(`images_per_cpu_s`, robust to other load).

`--models` adds torchvision's `fasterrcnn_mobilenet_v3_large_fpn`
(`faster_rcnn_mobilenet`, its weights drawn with the parity fixture's
adjustments so that activations stay of order one; off by default).

    python benchmarks/keras_cv/torchvision_inference.py --impl ours
    python benchmarks/keras_cv/torchvision_inference.py --impl peer  # needs torch, torchvision
    tools/bench keras_cv/torchvision_inference --against torchvision==0.29.1
    tools/bench keras_cv/torchvision_inference --against torchvision==0.29.1 \
        --repeats 1 --quick  # checks that both sides run; no figures to keep

(`tools/bench --repeats` is the number of alternating rounds; the
script's own number of timed calls per batch is `--calls`.)

What a user compares: the images per second of the converted model with
those of the torchvision model it came from, on the same machine, for the
same detections (higher is better).
"""

import argparse
import importlib.util
import json
import os
import pathlib
import time

import numpy as np

SEED = 0
NUM_CLASSES = 91
BATCHES = (1, 4)
ALL_MODELS = {
    "retinanet": "retinanet_resnet50_fpn",
    "faster_rcnn": "fasterrcnn_resnet50_fpn",
    "faster_rcnn_mobilenet": "fasterrcnn_mobilenet_v3_large_fpn",
}
DEFAULT_MODELS = ("retinanet", "faster_rcnn")
TESTDATA = (
    pathlib.Path(__file__).resolve().parents[2]
    / "packages/keras-cv/keras_cv/src/convert/testdata"
)


def _random_weights():
    spec = importlib.util.spec_from_file_location(
        "random_weights", TESTDATA / "random_weights.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_images(size, batch):
    rng = np.random.default_rng(SEED)
    return rng.uniform(0, 255, (batch, size, size, 3)).astype("float32")


def _adjustments(model_name):
    """The weight adjustments the parity fixture of `model_name` records."""
    data = np.load(TESTDATA / f"{model_name}.npz")
    return json.loads(str(data["adjustments"])) if "adjustments" in data else {}


def _coco_shapes(model_name):
    """Names and shapes of the torchvision state dict with 91 classes.

    Read from the parity fixture (recorded from torchvision with fewer
    classes), with the class-dependent tensors resized, so that ours needs
    no PyTorch.
    """
    data = np.load(TESTDATA / f"{model_name}.npz")
    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    out = []
    for name, shape in zip(names, shapes):
        if name.startswith("head.classification_head.cls_logits"):
            shape = [9 * NUM_CLASSES] + shape[1:]
        elif name.startswith("roi_heads.box_predictor.cls_score"):
            shape = [NUM_CLASSES] + shape[1:]
        elif name.startswith("roi_heads.box_predictor.bbox_pred"):
            shape = [4 * NUM_CLASSES] + shape[1:]
        out.append((name, shape))
    return out


def _timed(call, repeats, batch):
    call()  # warm-up: tracing, compilation
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        call()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return repeats * batch / wall, repeats * batch / cpu


def run_ours(models, size, repeats, resize):
    import keras_cv

    random_weights = _random_weights()
    figures = {}
    for key, model_name in models.items():
        state = random_weights.random_state_dict(
            _coco_shapes(model_name), SEED, _adjustments(model_name)
        )
        for jit in (False, True):
            model = keras_cv.convert.from_torchvision(
                state, model_name, image_resize=resize
            )
            suffix = "_jit" if jit else ""  # tools/bench's mode suffix
            if jit:
                model.compile(jit_compile=True)
            for batch in BATCHES:
                images = make_images(size, batch)
                name = f"{key}_b{batch}_images_per"
                try:
                    wall, cpu = _timed(
                        lambda m=model, x=images: m.predict_on_batch(x),
                        repeats,
                        batch,
                    )
                except Exception as error:  # XLA may not compile every op
                    figures[f"{name}_s{suffix}_error"] = (
                        f"{type(error).__name__}: {str(error)[:300]}"
                    )
                    continue
                figures[f"{name}_s{suffix}"] = wall
                figures[f"{name}_cpu_s{suffix}"] = cpu
    return figures


def run_peer(models, size, repeats, resize):
    import torch
    import torchvision

    random_weights = _random_weights()
    figures = {}
    for key, model_name in models.items():
        model = getattr(torchvision.models.detection, model_name)(
            weights=None,
            weights_backbone=None,
            num_classes=NUM_CLASSES,
            min_size=resize[0],
            max_size=resize[1],
        )
        values = random_weights.random_state_dict(
            ((name, tuple(value.shape)) for name, value in model.state_dict().items()),
            SEED,
            _adjustments(model_name),
        )
        state = {name: torch.from_numpy(value) for name, value in values.items()}
        model.load_state_dict(state)
        model.eval()
        for batch in BATCHES:
            images = torch.from_numpy(make_images(size, batch) / 255.0)
            images = list(images.permute(0, 3, 1, 2).contiguous())

            def call(model=model, images=images):
                with torch.inference_mode():
                    return model(images)

            wall, cpu = _timed(call, repeats, batch)
            figures[f"{key}_b{batch}_images_per_s"] = wall
            figures[f"{key}_b{batch}_images_per_cpu_s"] = cpu
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument("--size", type=int, default=800)
    parser.add_argument(
        "--calls", type=int, default=5, help="timed calls per batch (after a warm-up)"
    )
    parser.add_argument(
        "--models",
        nargs="+",
        choices=sorted(ALL_MODELS),
        default=list(DEFAULT_MODELS),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="--size 64 --resize 64 64 --calls 1: only checks that the script runs",
    )
    parser.add_argument(
        "--resize",
        type=int,
        nargs=2,
        default=(800, 1333),
        metavar=("MIN_SIZE", "MAX_SIZE"),
        help="the detection transform's sizes; smaller only to check the script",
    )
    args = parser.parse_args()
    if args.quick:
        args.size, args.resize, args.calls = 64, (64, 64), 1
    if args.calls < 1:
        parser.error(f"--calls must be at least 1. Received: {args.calls}")
    resize = tuple(args.resize)
    models = {key: ALL_MODELS[key] for key in args.models}
    if args.impl == "ours":
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        figures = run_ours(models, args.size, args.calls, resize)
    else:
        figures = run_peer(models, args.size, args.calls, resize)
    numbers = {k: v for k, v in figures.items() if isinstance(v, float)}
    notes = {k: v for k, v in figures.items() if not isinstance(v, float)}
    print(
        json.dumps(
            {
                "benchmark": "torchvision_inference",
                "impl": args.impl,
                "config": {
                    "models": list(models.values()),
                    "num_classes": NUM_CLASSES,
                    "image_size": args.size,
                    "resize": list(resize),
                    "batches": list(BATCHES),
                    "timed_calls": args.calls,
                    "seed": SEED,
                    "device": "cpu",
                },
                "figures": numbers,
                "notes": notes,
                "higher_is_better": {k: True for k in numbers},
            }
        )
    )


if __name__ == "__main__":
    main()
