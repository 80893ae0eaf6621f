# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLA compilation of torchvision's post-processing helpers."""

import numpy as np
import tensorflow as tf

from keras_cv.src.models import torchvision_compat as tv


def test_batched_nms_compiles_with_fewer_boxes_than_max_output():
    boxes = tf.constant(
        [[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10]], "float32"
    )
    scores = tf.constant([0.9, 0.8, 0.7, 0.6])
    labels = tf.constant([0, 0, 0, 1])
    valid = tf.constant([True, True, True, True])

    def run(b, s, lab, v):
        return tv.batched_nms(b, s, lab, v, 0.5, 10)

    indices, count = tf.function(run, jit_compile=True)(boxes, scores, labels, valid)
    # Box 1 overlaps box 0 (IoU 0.81); box 3 is of another class.
    assert int(count) == 3
    np.testing.assert_array_equal(indices.numpy()[:3], [0, 2, 3])
    eager_indices, eager_count = run(boxes, scores, labels, valid)
    assert int(eager_count) == 3
    np.testing.assert_array_equal(eager_indices.numpy(), indices.numpy())


def test_one_level_roi_align_compiles_and_matches_the_level():
    rng = np.random.default_rng(0)
    features = tf.constant(rng.normal(size=(2, 4, 6, 3)).astype("float32"))
    rois = tf.constant(
        [[[0, 0, 64, 64], [10, 20, 150, 100]], [[5, 5, 40, 90], [0, 0, 190, 120]]],
        "float32",
    )

    def run(f, r):
        return tv.multi_scale_roi_align([f], r, [5])

    pooled = tf.function(run, jit_compile=True)(features, rois)
    assert tuple(pooled.shape) == (2, 2, 7, 7, 3)
    expected = tv._roi_align_level(
        features, tf.constant([0, 0, 1, 1]), tf.reshape(rois, [-1, 4]), 1 / 32, 7, 2
    )
    np.testing.assert_allclose(
        pooled.numpy().reshape(-1, 7, 7, 3), expected.numpy(), atol=1e-5
    )


def test_one_level_roi_align_by_matrix_products_equals_the_gathers():
    # The one-level path computes RoIAlign as two matrix products; the
    # reference is the per-sample bilinear gathers of `_roi_align_level`
    # (the multi-level path), on boxes inside, across and outside the map,
    # past its far edge, degenerate (zero, as padded proposals) and of
    # different sizes, on a non-square map, two images.
    rng = np.random.default_rng(1)
    features = tf.constant(rng.normal(size=(2, 9, 13, 5)).astype("float32"))
    xy = rng.uniform(-80, 450, (2, 40, 2))
    wh = rng.uniform(0, 300, (2, 40, 2))
    rois = np.concatenate([xy, xy + wh], -1).astype("float32")
    rois[0, :3] = 0.0
    rois[1, 0] = [400, 280, 416, 288]  # the far corner (last row and column)
    rois[1, 1] = [-40, -40, -33, -35]  # outside, above the left edge
    rois[1, 2] = [10, 10, 10, 10]
    rois = tf.constant(rois)
    expected = tv._roi_align_level(
        features, tf.repeat(tf.range(2), 40), tf.reshape(rois, [-1, 4]), 1 / 32, 7, 2
    )
    pooled = tv.multi_scale_roi_align([features], rois, [5])
    assert tuple(pooled.shape) == (2, 40, 7, 7, 5)
    np.testing.assert_allclose(
        pooled.numpy().reshape(-1, 7, 7, 5), expected.numpy(), atol=1e-5
    )
    # Other output sizes and sampling ratios, in a graph.
    pooled = tf.function(
        lambda f, r: tv.multi_scale_roi_align(
            [f], r, [4], output_size=5, sampling_ratio=3
        )
    )(features, rois)
    expected = tv._roi_align_level(
        features, tf.repeat(tf.range(2), 40), tf.reshape(rois, [-1, 4]), 1 / 16, 5, 3
    )
    np.testing.assert_allclose(
        pooled.numpy().reshape(-1, 5, 5, 5), expected.numpy(), atol=1e-5
    )


def _nms_case(rng, num, num_valid, duplicates):
    """`num` boxes, `num_valid` of them valid, the `duplicates` best identical."""
    xy = rng.uniform(0, 500, (num, 2))
    wh = rng.uniform(5, 60, (num, 2))
    boxes = np.concatenate([xy, xy + wh], -1).astype("float32")
    scores = rng.uniform(0.05, 1.0, num).astype("float32")
    scores[::7] = scores[3]  # ties, resolved by the lower index
    labels = rng.integers(0, 5, num).astype("int32")
    valid = np.zeros(num, bool)
    valid[rng.permutation(num)[:num_valid]] = True
    if duplicates:
        best = np.argsort(-np.where(valid, scores, -1.0), kind="stable")[:duplicates]
        boxes[best] = boxes[best[0]]
        labels[best] = labels[best[0]]
    return boxes, scores, labels, valid


def test_batched_nms_under_xla_equals_the_full_nms(monkeypatch):
    # Under XLA a large NMS runs on the best `XLA_NMS_PREFIX` candidates
    # first, and on all of them when the prefix cannot be the result; the
    # reference is TensorFlow's NMS kernel on all candidates (eagerly).
    monkeypatch.setattr(tv, "XLA_NMS_PREFIX", 64)
    rng = np.random.default_rng(0)
    cases = {
        # Many valid, 10 kept among the 64 best: the prefix's result.
        "prefix kept max_output": _nms_case(rng, 1000, 900, 0),
        # Few valid, all among the 64 best: the prefix's result.
        "all valid in the prefix": _nms_case(rng, 1000, 40, 0),
        # The 100 best are one box (one kept): the full NMS runs.
        "prefix suppressed": _nms_case(rng, 1000, 900, 100),
    }
    compiled = tf.function(
        lambda b, s, lab, v: tv.batched_nms(b, s, lab, v, 0.5, 10), jit_compile=True
    )
    for name, (boxes, scores, labels, valid) in cases.items():
        indices, count = compiled(boxes, scores, labels, valid)
        expected, expected_count = tv.batched_nms(boxes, scores, labels, valid, 0.5, 10)
        assert int(count) == int(expected_count), name
        np.testing.assert_array_equal(indices.numpy(), expected.numpy(), err_msg=name)
    # In the last case the prefix alone keeps one box, the full NMS 10.
    assert int(expected_count) == 10
