# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
# bench-requires: pycocotools
"""COCO box evaluation time: `keras_cv.metrics.evaluate_coco` vs pycocotools.

Configuration (fixed): 5,000 images, 100 detections per image, 80 classes,
1 to 15 ground-truth boxes per image (xywh pixels, sizes 1 to 400, 1% of
images without ground truth), seed 0. Detections are 60% jittered copies
of ground-truth boxes (90% with the right class) and 40% random boxes,
with uniform random scores. Ours times `evaluate_coco` on per-image
arrays; the peer times pycocotools' `COCO` index, `loadRes`, `evaluate`,
`accumulate` and `summarize` on annotation dicts built beforehand (their
construction is not timed). One timed run each.

    python benchmarks/keras_cv/coco_evaluation.py --impl ours   # keras_cv.metrics.evaluate_coco
    python benchmarks/keras_cv/coco_evaluation.py --impl peer   # pycocotools

What a user compares: seconds for the evaluation (lower is better), and
that the statistics are the same (the AP figures, ratio 1).
"""

import argparse
import contextlib
import io
import json
import time

import numpy as np

NUM_IMAGES = 5000
DETECTIONS = 100
NUM_CLASSES = 80
MAX_GT = 15
SEED = 0


def make_data():
    rng = np.random.default_rng(SEED)
    gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores = [], [], [], [], []
    for _ in range(NUM_IMAGES):
        n = 0 if rng.random() < 0.01 else int(rng.integers(1, MAX_GT + 1))
        g = np.concatenate(
            [rng.uniform(0, 600, (n, 2)), np.exp(rng.uniform(0, np.log(400), (n, 2)))],
            -1,
        )
        gl = rng.integers(0, NUM_CLASSES, n)
        m = DETECTIONS
        from_gt = (rng.random(m) < 0.6) & (n > 0)
        src = rng.integers(0, max(n, 1), m)
        base = g[src] if n else np.ones((m, 4))
        jitter = 1 + rng.normal(0, 0.15, (m, 4))
        copied = np.concatenate(
            [
                base[:, :2] + base[:, 2:] * (jitter[:, :2] - 1),
                np.abs(base[:, 2:] * jitter[:, 2:]),
            ],
            -1,
        )
        randoms = np.concatenate(
            [rng.uniform(0, 600, (m, 2)), np.exp(rng.uniform(0, np.log(400), (m, 2)))],
            -1,
        )
        d = np.where(from_gt[:, None], copied, randoms)
        dl = np.where(
            from_gt & (rng.random(m) < 0.9),
            gl[src] if n else 0,
            rng.integers(0, NUM_CLASSES, m),
        )
        gt_boxes.append(g)
        gt_labels.append(gl)
        dt_boxes.append(d)
        dt_labels.append(dl)
        dt_scores.append(rng.random(m))
    return gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores


def run_ours(data):
    import keras_cv

    gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores = data
    start = time.perf_counter()
    stats = keras_cv.metrics.evaluate_coco(
        {"boxes": gt_boxes, "labels": gt_labels},
        {"boxes": dt_boxes, "labels": dt_labels, "scores": dt_scores},
        bounding_box_format="xywh",
    )
    return time.perf_counter() - start, list(stats.values())


def run_peer(data):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores = data
    dataset = {
        "images": [{"id": i + 1} for i in range(NUM_IMAGES)],
        "categories": [{"id": c + 1} for c in range(NUM_CLASSES)],
        "annotations": [],
    }
    for i, (boxes, labels) in enumerate(zip(gt_boxes, gt_labels)):
        for b, c in zip(boxes.tolist(), labels.tolist()):
            dataset["annotations"].append(
                {
                    "id": len(dataset["annotations"]) + 1,
                    "image_id": i + 1,
                    "category_id": c + 1,
                    "bbox": b,
                    "area": b[2] * b[3],
                    "iscrowd": 0,
                }
            )
    results = [
        {"image_id": i + 1, "category_id": c + 1, "bbox": b, "score": s}
        for i, (boxes, labels, scores) in enumerate(zip(dt_boxes, dt_labels, dt_scores))
        for b, c, s in zip(boxes.tolist(), labels.tolist(), scores.tolist())
    ]
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = dataset
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(results)
        evaluator = COCOeval(coco_gt, coco_dt, "bbox")
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    return time.perf_counter() - start, [float(v) for v in evaluator.stats]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    args = parser.parse_args()
    data = make_data()
    seconds, stats = (run_ours if args.impl == "ours" else run_peer)(data)
    print(
        json.dumps(
            {
                "benchmark": "coco_evaluation",
                "impl": args.impl,
                "config": {
                    "images": NUM_IMAGES,
                    "detections_per_image": DETECTIONS,
                    "classes": NUM_CLASSES,
                    "max_ground_truth_per_image": MAX_GT,
                    "seed": SEED,
                },
                "figures": {
                    "seconds": seconds,
                    "images_per_s": NUM_IMAGES / seconds,
                    "AP": stats[0],
                    "AP50": stats[1],
                    "ARmax100": stats[8],
                },
                "higher_is_better": {
                    "seconds": False,
                    "images_per_s": True,
                    "AP": True,
                    "AP50": True,
                    "ARmax100": True,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
