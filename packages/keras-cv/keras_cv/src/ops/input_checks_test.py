# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Bad inputs to the target-assignment ops raise errors that name the fault."""

import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.nms_detection_decoder import NMSDetectionDecoder
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.target_gather import TargetGather

ANCHORS = np.array([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 2.0, 2.0]], "float32")
GT = np.array([[1.0, 0.0, 10.0, 10.0], [50.0, 50.0, 60.0, 60.0]], "float32")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("which", ["anchors", "ground_truth"])
def test_iou_refuses_non_finite_boxes(bad, which):
    anchors, gt = ANCHORS.copy(), GT.copy()
    # Before: the NaN ground-truth box made every IoU 0 with that column,
    # and an anchor with IoU 0.9 with the first box became a negative.
    (anchors if which == "anchors" else gt)[1, 2] = bad
    argument = "boxes1" if which == "anchors" else "boxes2"
    with pytest.raises(ValueError, match=f"`{argument}` contains NaN or infinite"):
        IouSimilarity()(anchors, gt)
    fn = tf.function(lambda a, b: IouSimilarity()(a, b))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="contains NaN or infinite"
    ):
        fn(tf.constant(anchors), tf.constant(gt))
    ds = tf.data.Dataset.from_tensors((anchors, gt)).map(
        lambda a, b: IouSimilarity()(a, b)
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="contains NaN or infinite"
    ):
        list(ds)


def test_iou_of_finite_boxes_is_unchanged():
    iou = IouSimilarity()(ANCHORS, GT).numpy()
    np.testing.assert_allclose(iou[0], [0.9, 0.0], rtol=1e-6)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_matcher_refuses_non_finite_similarity(bad):
    sim = np.array([[0.9, bad], [0.1, 0.2]], "float32")
    matcher = BoxMatcher(positive_threshold=0.5, negative_threshold=0.4)
    with pytest.raises(ValueError, match="`similarity_matrix` contains NaN"):
        matcher(sim)
    with pytest.raises(tf.errors.InvalidArgumentError, match="similarity_matrix"):
        tf.function(matcher)(tf.constant(sim))
    # Large matrices take the fused path; the check is outside it.
    big = np.zeros((1 << 18, 2), "float32")
    big[5, 0] = bad
    with pytest.raises(ValueError, match="`similarity_matrix` contains NaN"):
        matcher(big)


@pytest.mark.parametrize("indices", [[0, 2], [-1, 0], [0, 9999]])
def test_target_gather_out_of_range(indices):
    gather = TargetGather()
    # Before: index 2 of 2 objects silently gathered a zero row.
    with pytest.raises(ValueError, match=r"must be in \[0, num_objects\)"):
        gather([7, 9], indices)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_objects"):
        tf.function(lambda i: gather(tf.constant([7, 9]), i))(tf.constant(indices))
    batched = [indices, [0, 0]]
    with pytest.raises(ValueError, match="num_objects"):
        gather([[7, 9], [1, 2]], batched)


def test_target_gather_valid_and_empty():
    gather = TargetGather()
    assert gather([7, 9], [1, 0]).numpy().tolist() == [9, 7]
    # No objects: index 0 is allowed and gathers zeros.
    empty = tf.zeros([0], "int32")
    assert gather(empty, [0, 0]).numpy().tolist() == [0, 0]
    with pytest.raises(TypeError, match="must be integers"):
        gather([7, 9], [0.0, 1.0])


@pytest.mark.parametrize(
    "size,error",
    [
        ((-64, 64), ValueError),
        ((0, 64), ValueError),
        ((64, 0), ValueError),
        ((64.5, 64), TypeError),
        ((64.0, 64), TypeError),
        (("64", 64), TypeError),
        ((True, 64), TypeError),
        ("64x64", TypeError),
        ((64,), ValueError),
        ((1, 2, 3, 4), ValueError),
    ],
)
def test_anchor_image_size(size, error):
    gen = AnchorGenerator([8], [1.0], [1.0], [8])
    with pytest.raises(error, match="positive integers"):
        gen(size)


def test_anchor_image_size_tensors():
    gen = AnchorGenerator([8], [1.0], [1.0], [8])
    assert gen((16, 8)).shape == (2, 4)
    assert gen(tf.constant([16, 8])).shape == (2, 4)
    assert gen((16, 8, 3)).shape == (2, 4)
    with pytest.raises(ValueError, match="positive integers"):
        gen(tf.constant([-16, 8]))
    with pytest.raises(ValueError, match="positive integers"):
        gen(tf.constant([16.5, 8.0]))
    fn = tf.function(lambda s: gen(s))
    with pytest.raises(tf.errors.InvalidArgumentError, match="positive integers"):
        fn(tf.constant([0, 8]))


def test_box_coder_refuses_mismatched_anchors():
    coder = BoxCoder()
    with pytest.raises(ValueError, match="one row per anchor"):
        coder.encode(np.zeros((3, 4), "float32"), ANCHORS)
    with pytest.raises(ValueError, match="one row per anchor"):
        coder.decode(np.zeros((1, 3, 4), "float32"), ANCHORS)
    fn = tf.function(
        lambda d, a: coder.decode(d, a),
        input_signature=[
            tf.TensorSpec([None, None, 4]),
            tf.TensorSpec([None, 4]),
        ],
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="one row per anchor"):
        fn(tf.zeros((1, 3, 4)), tf.constant(ANCHORS))
    # Batch broadcasting of shared anchors stays allowed.
    assert coder.decode(np.zeros((2, 2, 4), "float32"), ANCHORS[None]).shape == (
        2,
        2,
        4,
    )


def test_decoder_refuses_mismatched_anchors():
    decoder = NMSDetectionDecoder(from_logits=False)
    boxes = np.zeros((1, 3, 4), "float32")
    scores = np.full((1, 3, 2), 0.5, "float32")
    with pytest.raises(ValueError, match="number of anchors must equal"):
        decoder(boxes, scores, ANCHORS)
    with pytest.raises(ValueError, match="one row per anchor"):
        decoder(boxes, scores[:, :2], ANCHORS)
    fn = tf.function(
        lambda b, s, a: decoder(b, s, a),
        input_signature=[
            tf.TensorSpec([None, None, 4]),
            tf.TensorSpec([None, None, 2]),
            tf.TensorSpec([None, 4]),
        ],
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="number of anchors"):
        fn(tf.constant(boxes), tf.constant(scores), tf.constant(ANCHORS))
    with pytest.raises(tf.errors.InvalidArgumentError, match="one row per anchor"):
        fn(tf.constant(boxes), tf.constant(scores[:, :2]), tf.constant(ANCHORS))


@pytest.mark.parametrize(
    "shape,error",
    [
        ("128x128", TypeError),
        ((0, 64), ValueError),
        ((-5, 64), ValueError),
        ((64,), ValueError),
    ],
)
def test_decoder_and_roi_filter_image_shape(shape, error):
    from keras_cv.src.layers.roi_filter import ROIFilter

    boxes = np.array([[[0.0, 0.0, 10.0, 10.0]]], "float32")
    scores = np.array([[[2.0]]], "float32")
    with pytest.raises(error, match="`image_shape` must be"):
        NMSDetectionDecoder()(boxes, scores, image_shape=shape)
    with pytest.raises(error, match="`image_shape` must be"):
        ROIFilter()(boxes, scores[..., 0], image_shape=shape)
    # Valid shapes still clip: (height, width), with channels, per image.
    for good in ((8, 8), (8, 8, 3), [[8, 8]]):
        out = NMSDetectionDecoder()(boxes, scores, image_shape=good)
        np.testing.assert_allclose(out["boxes"][0, 0], [0, 0, 8, 8])
