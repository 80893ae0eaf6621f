# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.metrics.coco_evaluation import METRIC_NAMES
from keras_cv.src.metrics.coco_evaluation import evaluate_coco
from keras_cv.src.metrics.coco_testing import pycocotools_stats
from keras_cv.src.metrics.coco_testing import random_problem


def ours(gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores, **kwargs):
    stats = evaluate_coco(
        {"boxes": gt_boxes, "labels": gt_labels},
        {"boxes": dt_boxes, "labels": dt_labels, "scores": dt_scores},
        bounding_box_format="xywh",
        **kwargs,
    )
    assert list(stats) == list(METRIC_NAMES)
    return np.array(list(stats.values()))


@pytest.mark.parametrize("seed", range(24))
def test_equals_pycocotools_on_random_problems(seed):
    rng = np.random.default_rng(seed)
    num_images = int(rng.integers(1, 12))
    num_classes = int(rng.choice([1, 3, 20]))
    problem = random_problem(
        rng,
        num_images,
        num_classes,
        max_gt=int(rng.integers(1, 15)),
        max_dt=int(rng.integers(1, 40)),
    )
    if sum(len(d) for d in problem[2]) == 0:  # pycocotools cannot load zero results
        problem[2][0] = np.array([[1.0, 1.0, 5.0, 5.0]])
        problem[3][0] = np.array([0])
        problem[4][0] = np.array([0.5])
    np.testing.assert_allclose(
        ours(*problem), pycocotools_stats(*problem), atol=1e-6, rtol=0
    )


def test_more_than_100_detections_per_image_and_class():
    rng = np.random.default_rng(7)
    problem = random_problem(rng, 3, 2, max_gt=30, max_dt=260, empty_fraction=0.0)
    np.testing.assert_allclose(
        ours(*problem), pycocotools_stats(*problem), atol=1e-6, rtol=0
    )


def test_tied_scores_and_duplicate_boxes():
    box = np.array([[10.0, 10.0, 50.0, 50.0]])
    gt_boxes = [np.concatenate([box, box, box + 1]), box]
    gt_labels = [np.array([0, 0, 0]), np.array([1])]
    dt_boxes = [
        np.concatenate([box, box + 1, box, box + 2]),
        np.concatenate([box, box]),
    ]
    dt_labels = [np.array([0, 0, 0, 0]), np.array([1, 1])]
    dt_scores = [np.array([0.5, 0.5, 0.5, 0.9]), np.array([0.5, 0.5])]
    problem = (gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores)
    np.testing.assert_allclose(
        ours(*problem), pycocotools_stats(*problem), atol=1e-6, rtol=0
    )


def test_hand_computed_perfect_and_empty():
    gt = {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[1]]}
    pred = {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[1]], "scores": [[0.9]]}
    stats = evaluate_coco(gt, pred)
    assert stats["AP"] == pytest.approx(1.0) and stats["APs"] == pytest.approx(1.0)
    assert stats["APl"] == -1.0 and stats["ARmax1"] == 1.0
    none = evaluate_coco(
        gt,
        {
            "boxes": np.zeros((1, 0, 4)),
            "labels": np.zeros((1, 0)),
            "scores": np.zeros((1, 0)),
        },
    )
    assert none["AP"] == 0.0 and none["ARmax100"] == 0.0
    no_gt = evaluate_coco(
        {"boxes": np.zeros((1, 0, 4)), "labels": np.zeros((1, 0))}, pred
    )
    assert all(v == -1.0 for v in no_gt.values())


def test_dense_ragged_and_list_inputs_agree():
    rng = np.random.default_rng(3)
    gb, gl, db, dl, ds = random_problem(rng, 5, 4, 6, 12)
    expected = ours(gb, gl, db, dl, ds)

    def dense(arrays, width, fill=-1.0):
        n = max(len(a) for a in arrays)
        out = np.full((len(arrays), max(n, 1)) + ((width,) if width else ()), fill)
        for i, a in enumerate(arrays):
            out[i, : len(a)] = a
        return out

    gt = {"boxes": dense(gb, 4), "classes": dense(gl, 0)}
    pred = {
        "boxes": dense(db, 4),
        "labels": dense(dl, 0),
        "confidence": dense(ds, 0, 0.0),
    }
    got = np.array(list(evaluate_coco(gt, pred, bounding_box_format="xywh").values()))
    np.testing.assert_allclose(got, expected, atol=1e-12)

    def ragged(arrays, width):
        return tf.ragged.constant(
            [np.asarray(a).tolist() for a in arrays],
            ragged_rank=1,
            inner_shape=(width,) if width else (),
            dtype="float64",
        )

    gt = {"boxes": ragged(gb, 4), "labels": ragged(gl, 0)}
    pred = {"boxes": ragged(db, 4), "labels": ragged(dl, 0), "scores": ragged(ds, 0)}
    got = np.array(list(evaluate_coco(gt, pred, bounding_box_format="xywh").values()))
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # num_detections cuts padded NMS outputs.
    pred = {
        "boxes": dense(db, 4, 5.0),
        "labels": dense(dl, 0, 0),
        "scores": dense(ds, 0, 0.9),
        "num_detections": [len(d) for d in db],
    }
    got = np.array(
        list(
            evaluate_coco(
                {"boxes": dense(gb, 4), "labels": dense(gl, 0)},
                pred,
                bounding_box_format="xywh",
            ).values()
        )
    )
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_formats_give_the_same_result():
    rng = np.random.default_rng(5)
    gb, gl, db, dl, ds = random_problem(rng, 4, 3, 5, 10, empty_fraction=0.0)
    expected = ours(gb, gl, db, dl, ds)

    def to_xyxy(arrays):
        return [np.concatenate([a[:, :2], a[:, :2] + a[:, 2:]], -1) for a in arrays]

    got = evaluate_coco(
        {"boxes": to_xyxy(gb), "labels": gl},
        {"boxes": to_xyxy(db), "labels": dl, "scores": ds},
    )
    np.testing.assert_allclose(list(got.values()), expected, atol=1e-9)
    rel = [b / np.array([700.0, 1000.0, 700.0, 1000.0]) for b in to_xyxy(gb)]
    rel_d = [b / np.array([700.0, 1000.0, 700.0, 1000.0]) for b in to_xyxy(db)]
    got = evaluate_coco(
        {"boxes": rel, "labels": gl},
        {"boxes": rel_d, "labels": dl, "scores": ds},
        bounding_box_format="rel_xyxy",
        image_shape=(1000, 700),
    )
    np.testing.assert_allclose(list(got.values()), expected, atol=1e-6)


def test_bad_input():
    gt = {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[1]]}
    pred = {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[1]], "scores": [[0.9]]}
    with pytest.raises(ValueError, match="missing the entries"):
        evaluate_coco(gt, {"boxes": pred["boxes"], "labels": pred["labels"]})
    with pytest.raises(ValueError, match="same images"):
        evaluate_coco(gt, {k: v * 2 for k, v in pred.items()})
    with pytest.raises(ValueError, match="NaN"):
        evaluate_coco({"boxes": [[[0.0, np.nan, 1.0, 1.0]]], "labels": [[1]]}, pred)
    with pytest.raises(ValueError, match="last dimension of 4"):
        evaluate_coco({"boxes": [np.zeros((1, 5))], "labels": [[1]]}, pred)
    with pytest.raises(ValueError, match="Unknown box format"):
        evaluate_coco(gt, pred, bounding_box_format="ltrb")
    with pytest.raises(ValueError, match="image_shape"):
        evaluate_coco(gt, pred, bounding_box_format="rel_xyxy")
    with pytest.raises(TypeError, match="must be a dict"):
        evaluate_coco([1], pred)
    # Zero-area boxes are legal: they never match.
    zero = {"boxes": [[[5.0, 5.0, 5.0, 5.0]]], "labels": [[1]], "scores": [[0.9]]}
    assert evaluate_coco(gt, zero)["AP"] == 0.0


@pytest.mark.parametrize("bad", [-2, -7, 0.5, 1.5, -1.5, np.nan])
@pytest.mark.parametrize("role", ["ground_truth", "predictions"])
def test_labels_must_be_class_ids_or_minus_one(bad, role):
    # Before: -2 and 0.5 were scored as classes of their own (and -1.5 was
    # truncated to the padding value -1).
    gt = {"boxes": [[[0.0, 0.0, 10.0, 10.0]] * 2], "labels": [[1.0, 1.0]]}
    pred = {
        "boxes": [[[0.0, 0.0, 10.0, 10.0]] * 2],
        "labels": [[1.0, 1.0]],
        "scores": [[0.9, 0.8]],
    }
    data = gt if role == "ground_truth" else pred
    data["labels"] = [[1.0, bad]]
    with pytest.raises(ValueError, match=rf"`{role}\['labels'\]` must be integer"):
        evaluate_coco(gt, pred)


@pytest.mark.parametrize(
    "shape,error",
    [
        ("128x128", TypeError),
        (b"128", TypeError),
        ((128,), ValueError),
        ((0, 128), ValueError),
        ((-5, 128), ValueError),
        ((12.5, 128), ValueError),
        ((np.nan, 128), ValueError),
        ({"h": 1}, TypeError),
        (("128", "128"), TypeError),
    ],
)
def test_image_shape_must_be_positive_ints(shape, error):
    gt = {"boxes": [[[0.0, 0.0, 0.5, 0.5]]], "labels": [[1]]}
    pred = {"boxes": [[[0.0, 0.0, 0.5, 0.5]]], "labels": [[1]], "scores": [[0.9]]}
    # Before: "128x128" was read as height 1, width 2.
    with pytest.raises(error, match="`image_shape` must be"):
        evaluate_coco(gt, pred, bounding_box_format="rel_xyxy", image_shape=shape)
    from keras_cv.src.metrics.coco_mean_average_precision import (
        COCOMeanAveragePrecision,
    )

    with pytest.raises(error, match="`image_shape` must be"):
        COCOMeanAveragePrecision(bounding_box_format="rel_xyxy", image_shape=shape)
    # Valid shapes, also with channels and as arrays.
    for good in ((128, 128), (128, 128, 3), np.array([128, 128]), [128.0, 128.0]):
        out = evaluate_coco(gt, pred, bounding_box_format="rel_xyxy", image_shape=good)
        assert out["AP"] == pytest.approx(1.0)
