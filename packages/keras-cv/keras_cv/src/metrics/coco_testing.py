# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Test helpers: random detection problems and the pycocotools reference.

Only imported by tests and benchmarks (pycocotools is a test dependency).
"""

import contextlib
import io

import numpy as np


def random_problem(rng, num_images, num_classes, max_gt, max_dt, empty_fraction=0.2):
    """Random xywh ground truth and detections, as lists of per-image arrays.

    Detections are partly jittered copies of ground-truth boxes (so that
    matches happen at every IoU threshold) and partly random; some images
    have no ground truth and some no detections; sizes span tiny to huge.
    """
    gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores = [], [], [], [], []
    for _ in range(num_images):
        n = 0 if rng.random() < empty_fraction else int(rng.integers(1, max_gt + 1))
        size = np.exp(rng.uniform(np.log(1.0), np.log(400.0), (n, 2)))
        xy = rng.uniform(0, 600, (n, 2))
        g = np.concatenate([xy, size], -1)
        gl = rng.integers(0, num_classes, n)
        m = 0 if rng.random() < empty_fraction else int(rng.integers(1, max_dt + 1))
        from_gt = rng.random(m) < 0.6 if n else np.zeros(m, bool)
        src = rng.integers(0, max(n, 1), m)
        jitter = 1 + rng.normal(0, 0.15, (m, 4))
        base = g[src] if n else np.zeros((m, 4))
        copied = np.concatenate(
            [
                base[:, :2] + base[:, 2:] * (jitter[:, :2] - 1),
                base[:, 2:] * jitter[:, 2:],
            ],
            -1,
        )
        rand_size = np.exp(rng.uniform(np.log(1.0), np.log(400.0), (m, 2)))
        randoms = np.concatenate([rng.uniform(0, 600, (m, 2)), rand_size], -1)
        d = np.where(from_gt[:, None], copied, randoms)
        d[:, 2:] = np.abs(d[:, 2:])
        dl = np.where(
            from_gt & (rng.random(m) < 0.9),
            gl[src] if n else 0,
            rng.integers(0, num_classes, m),
        )
        gt_boxes.append(g)
        gt_labels.append(gl)
        dt_boxes.append(d)
        dt_labels.append(dl)
        dt_scores.append(rng.random(m))
    return gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores


def pycocotools_stats(
    gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores, gt_crowd=None
):
    """The 12 stats of pycocotools for per-image xywh arrays (`gt_crowd`:
    optional per-image 0/1 `iscrowd` flags of the ground truth)."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    labels = sorted(
        {int(x) for g in gt_labels for x in g} | {int(x) for d in dt_labels for x in d}
    )
    dataset = {
        "images": [{"id": i + 1} for i in range(len(gt_boxes))],
        "categories": [{"id": c + 1} for c in labels],
        "annotations": [],
    }
    ann_id = 1
    if gt_crowd is None:
        gt_crowd = [np.zeros(len(g), "int64") for g in gt_labels]
    for i, (boxes, labs, crowds) in enumerate(zip(gt_boxes, gt_labels, gt_crowd)):
        for b, c, crowd in zip(boxes, labs, crowds):
            b = [float(v) for v in b]
            dataset["annotations"].append(
                {
                    "id": ann_id,
                    "image_id": i + 1,
                    "category_id": int(c) + 1,
                    "bbox": b,
                    "area": b[2] * b[3],
                    "iscrowd": int(crowd),
                }
            )
            ann_id += 1
    results = []
    for i, (boxes, labs, scores) in enumerate(zip(dt_boxes, dt_labels, dt_scores)):
        for b, c, s in zip(boxes, labs, scores):
            results.append(
                {
                    "image_id": i + 1,
                    "category_id": int(c) + 1,
                    "bbox": [float(v) for v in b],
                    "score": float(s),
                }
            )
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = dataset
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(results)
        evaluator = COCOeval(coco_gt, coco_dt, "bbox")
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    return np.array(evaluator.stats)
