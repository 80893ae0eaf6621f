# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""COCO mask AP (`iou_type="segm"`) against pycocotools' `segm` evaluation."""

import contextlib
import io

import numpy as np
import pytest
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from keras_cv.src.metrics.coco_evaluation import METRIC_NAMES
from keras_cv.src.metrics.coco_evaluation import evaluate_coco
from keras_cv.src.metrics.coco_masks import decode_rle

SIZE = (56, 64)


def _blob(rng):
    h, w = SIZE
    yy, xx = np.mgrid[:h, :w]
    cy, cx = rng.uniform(0, h), rng.uniform(0, w)
    ry, rx = np.exp(rng.uniform(np.log(1.5), np.log(30), 2))
    if rng.random() < 0.5:
        mask = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
    else:
        mask = (np.abs(yy - cy) <= ry) & (np.abs(xx - cx) <= rx)
    if not mask.any():
        mask[int(min(cy, h - 1)), int(min(cx, w - 1))] = True
    return mask


def _problem(rng, num_images, num_classes=3):
    gt_masks, gt_labels, dt_masks, dt_labels, dt_scores = [], [], [], [], []
    for _ in range(num_images):
        n = int(rng.integers(0, 5))
        g = [_blob(rng) for _ in range(n)]
        gl = rng.integers(0, num_classes, n)
        m = int(rng.integers(0, 7))
        d, dl = [], []
        for _ in range(m):
            if n and rng.random() < 0.7:
                k = int(rng.integers(0, n))
                shift = rng.integers(-3, 4, 2)
                mask = np.roll(g[k], tuple(shift), axis=(0, 1))
                if rng.random() < 0.3:
                    mask = mask & (rng.random(SIZE) < 0.8)
                d.append(mask)
                dl.append(gl[k] if rng.random() < 0.9 else rng.integers(0, num_classes))
            else:
                d.append(_blob(rng))
                dl.append(rng.integers(0, num_classes))
        gt_masks.append(np.array(g, bool).reshape(n, *SIZE))
        gt_labels.append(np.asarray(gl, "int64"))
        dt_masks.append(np.array(d, bool).reshape(m, *SIZE))
        dt_labels.append(np.asarray(dl, "int64"))
        dt_scores.append(rng.random(m))
    return gt_masks, gt_labels, dt_masks, dt_labels, dt_scores


def _rle(mask):
    rle = mask_utils.encode(np.asfortranarray(mask.astype("uint8")))
    rle["counts"] = rle["counts"].decode("ascii")
    return rle


def _pycocotools(gt_masks, gt_labels, dt_masks, dt_labels, dt_scores, gt_crowd=None):
    labels = sorted(
        {int(x) for g in gt_labels for x in g} | {int(x) for d in dt_labels for x in d}
    )
    dataset = {
        "images": [
            {"id": i + 1, "height": SIZE[0], "width": SIZE[1]}
            for i in range(len(gt_masks))
        ],
        "categories": [{"id": c + 1} for c in labels],
        "annotations": [],
    }
    if gt_crowd is None:
        gt_crowd = [np.zeros(len(g), "int64") for g in gt_labels]
    for i, (masks, labs, crowds) in enumerate(zip(gt_masks, gt_labels, gt_crowd)):
        for mask, c, crowd in zip(masks, labs, crowds):
            rle = _rle(mask)
            dataset["annotations"].append(
                {
                    "id": len(dataset["annotations"]) + 1,
                    "image_id": i + 1,
                    "category_id": int(c) + 1,
                    "segmentation": rle,
                    "area": float(mask.sum()),
                    "bbox": list(mask_utils.toBbox(rle)),
                    "iscrowd": int(crowd),
                }
            )
    results = [
        {
            "image_id": i + 1,
            "category_id": int(c) + 1,
            "segmentation": _rle(m),
            "score": float(s),
        }
        for i, (masks, labs, scores) in enumerate(zip(dt_masks, dt_labels, dt_scores))
        for m, c, s in zip(masks, labs, scores)
    ]
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO()
        coco.dataset = dataset
        coco.createIndex()
        if not results:
            return None
        evaluator = COCOeval(coco, coco.loadRes(results), "segm")
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    return dict(zip(METRIC_NAMES, evaluator.stats))


@pytest.mark.parametrize("seed", range(6))
def test_segm_equals_pycocotools(seed):
    rng = np.random.default_rng(seed)
    gt_masks, gt_labels, dt_masks, dt_labels, dt_scores = _problem(rng, 8)
    expected = _pycocotools(gt_masks, gt_labels, dt_masks, dt_labels, dt_scores)
    if seed % 2:  # RLE dicts (compressed strings and count lists)
        gt_in = [[_rle(m) for m in masks] for masks in gt_masks]
        dt_in = [
            [{"size": list(SIZE), "counts": _uncompressed_counts(m)} for m in masks]
            for masks in dt_masks
        ]
    else:  # binary arrays
        gt_in, dt_in = gt_masks, dt_masks
    stats = evaluate_coco(
        {"masks": gt_in, "labels": gt_labels},
        {"masks": dt_in, "labels": dt_labels, "scores": dt_scores},
        iou_type="segm",
    )
    for name in METRIC_NAMES:
        np.testing.assert_allclose(
            stats[name], expected[name], atol=1e-12, err_msg=name
        )


def test_segm_dense_padded_batch_and_box_mode_differs():
    rng = np.random.default_rng(42)
    gt_masks, gt_labels, dt_masks, dt_labels, dt_scores = _problem(rng, 4)
    expected = _pycocotools(gt_masks, gt_labels, dt_masks, dt_labels, dt_scores)

    def pad(masks, labels, scores=None, rows=7):
        dense = np.zeros((len(masks), rows) + SIZE, "uint8")
        lab = -np.ones((len(masks), rows), "int64")
        sc = np.zeros((len(masks), rows))
        for i, m in enumerate(masks):
            dense[i, : len(m)] = m
            lab[i, : len(m)] = labels[i]
            if scores is not None:
                sc[i, : len(m)] = scores[i]
        return dense, lab, sc

    g, gl, _ = pad(gt_masks, gt_labels)
    d, dl, ds = pad(dt_masks, dt_labels, dt_scores)
    stats = evaluate_coco(
        {"masks": g, "labels": gl},
        {"masks": d, "labels": dl, "scores": ds},
        iou_type="segm",
    )
    np.testing.assert_allclose(
        [stats[k] for k in METRIC_NAMES],
        [expected[k] for k in METRIC_NAMES],
        atol=1e-12,
    )


def _uncompressed_counts(mask):
    flat = mask.T.ravel().astype(int)
    changes = np.flatnonzero(np.diff(np.concatenate([[0], flat, [1 - flat[-1]]])))
    return np.diff(np.concatenate([[0], changes])).tolist()


def test_decode_rle_matches_pycocotools():
    rng = np.random.default_rng(3)
    for _ in range(20):
        mask = (
            rng.random((int(rng.integers(1, 40)), int(rng.integers(1, 40))))
            < rng.random()
        )
        rle = mask_utils.encode(np.asfortranarray(mask.astype("uint8")))
        np.testing.assert_array_equal(decode_rle(rle), mask)
        np.testing.assert_array_equal(
            decode_rle(
                {"size": list(mask.shape), "counts": _uncompressed_counts(mask)}
            ),
            mask,
        )


def test_segm_bad_inputs():
    with pytest.raises(ValueError, match="iou_type"):
        evaluate_coco(
            {"boxes": [], "labels": []},
            {"boxes": [], "labels": [], "scores": []},
            iou_type="mask",
        )
    with pytest.raises(ValueError, match="'masks'"):
        evaluate_coco(
            {"boxes": [[[0, 0, 1, 1]]], "labels": [[0]]},
            {"boxes": [[[0, 0, 1, 1]]], "labels": [[0]], "scores": [[1.0]]},
            iou_type="segm",
        )
    with pytest.raises(ValueError, match="corrupt"):
        decode_rle({"size": [2, 2], "counts": [1, 2]})


@pytest.mark.parametrize("seed", range(4))
def test_segm_crowd_regions_equal_pycocotools(seed):
    rng = np.random.default_rng(50 + seed)
    gt_masks, gt_labels, dt_masks, dt_labels, dt_scores = _problem(rng, 8)
    crowd = [(rng.random(len(g)) < 0.4).astype("int64") for g in gt_labels]
    for i in range(len(gt_masks)):  # detections covering parts of crowd regions
        for j in np.nonzero(crowd[i])[0]:
            part = gt_masks[i][j] & (rng.random(SIZE) < 0.7)
            dt_masks[i] = np.concatenate([dt_masks[i], part[None]])
            dt_labels[i] = np.append(dt_labels[i], gt_labels[i][j])
            dt_scores[i] = np.append(dt_scores[i], rng.random())
    expected = _pycocotools(gt_masks, gt_labels, dt_masks, dt_labels, dt_scores, crowd)
    stats = evaluate_coco(
        {"masks": gt_masks, "labels": gt_labels, "is_crowd": crowd},
        {"masks": dt_masks, "labels": dt_labels, "scores": dt_scores},
        iou_type="segm",
    )
    for name in METRIC_NAMES:
        np.testing.assert_allclose(
            stats[name], expected[name], atol=1e-12, err_msg=name
        )
