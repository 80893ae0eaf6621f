# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The primitives composed into a RetinaNet target encoder, end to end."""

import keras
import numpy as np
import tensorflow as tf

from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.target_gather import TargetGather

GEN = AnchorGenerator([8, 16], [1.0], [0.5, 1.0, 2.0], [8, 16])
ANCHORS = GEN((32, 32))
SIM = IouSimilarity()
MATCHER = BoxMatcher(
    positive_threshold=0.5, negative_threshold=0.4, force_match_for_each_col=True
)
GATHER = TargetGather()
CODER = BoxCoder([10.0, 10.0, 5.0, 5.0])


def encode(boxes, labels):
    iou = SIM(ANCHORS, boxes, mask=(labels == -1)[..., None, :])
    idx, ind = MATCHER(iou)
    classes = GATHER(labels, idx, ind != 1, -1)
    classes = tf.where(ind == -2, -2, classes)
    deltas = CODER.encode(GATHER(boxes, idx), ANCHORS)
    weights = tf.cast(ind == 1, "float32")
    return classes, deltas, weights


def numpy_reference(boxes, labels):
    anchors = ANCHORS.numpy().astype("float64")
    valid = labels != -1
    boxes, labels = boxes[valid], labels[valid]
    classes = np.full(len(anchors), -1)
    matched = np.zeros(len(anchors), int)
    if len(boxes):
        iw = np.clip(
            np.minimum(anchors[:, None, 2], boxes[None, :, 2])
            - np.maximum(anchors[:, None, 0], boxes[None, :, 0]),
            0,
            None,
        )
        ih = np.clip(
            np.minimum(anchors[:, None, 3], boxes[None, :, 3])
            - np.maximum(anchors[:, None, 1], boxes[None, :, 1]),
            0,
            None,
        )
        inter = iw * ih
        area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
        iou = inter / (area(anchors)[:, None] + area(boxes)[None, :] - inter)
        matched = iou.argmax(1)
        best = iou.max(1)
        classes = np.where(best >= 0.5, labels[matched], np.where(best >= 0.4, -2, -1))
        for j in range(len(boxes)):
            if iou[:, j].max() > 0:
                row = iou[:, j].argmax()
                matched[row] = j
                classes[row] = labels[j]
    return classes, matched


def test_per_image_in_tf_data_with_empty_images():
    images = [
        (np.array([[2.0, 2.0, 14.0, 12.0], [10.0, 4.0, 30.0, 30.0]]), np.array([3, 5])),
        (np.zeros((0, 4)), np.zeros((0,), "int64")),
        (np.array([[0.0, 0.0, 4.0, 4.0]]), np.array([1])),
    ]

    def gen():
        for b, lab in images:
            yield b.astype("float32"), lab.astype("int32")

    ds = tf.data.Dataset.from_generator(
        gen,
        output_signature=(
            tf.TensorSpec((None, 4), tf.float32),
            tf.TensorSpec((None,), tf.int32),
        ),
    ).map(encode)
    for (boxes, labels), (classes, deltas, weights) in zip(images, ds):
        ref_classes, ref_matched = numpy_reference(boxes, labels)
        np.testing.assert_array_equal(classes.numpy(), ref_classes)
        positive = ref_classes >= 0
        assert np.all(np.isfinite(deltas.numpy()))
        np.testing.assert_array_equal(weights.numpy() == 1, positive)
        if positive.any():
            decoded = CODER.decode(deltas, ANCHORS).numpy()[positive]
            np.testing.assert_allclose(decoded, boxes[ref_matched[positive]], atol=1e-3)


def test_dense_padded_batch_equals_per_image_and_jit():
    boxes = np.array(
        [
            [[2.0, 2.0, 14.0, 12.0], [10.0, 4.0, 30.0, 30.0]],
            [[0.0, 0.0, 4.0, 4.0], [-1.0, -1.0, -1.0, -1.0]],
        ],
        "float32",
    )
    labels = np.array([[3, 5], [1, -1]], "int32")
    batched = encode(boxes, labels)
    jitted = tf.function(encode, jit_compile=True)(boxes, labels)
    for i in range(2):
        keep = labels[i] != -1
        single = encode(boxes[i][keep], labels[i][keep])
        for a, b in zip(batched, single):
            np.testing.assert_allclose(a.numpy()[i], b.numpy(), atol=1e-5)
    for a, b in zip(batched, jitted):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-4)


def test_inside_a_functional_model():
    boxes_in = keras.Input((2, 4))
    labels_in = keras.Input((2,), dtype="int32")
    iou = IouSimilarity()(ANCHORS, boxes_in)
    idx, ind = BoxMatcher(0.5, 0.4)(iou)
    classes = TargetGather()(
        labels_in, idx, mask=keras.ops.not_equal(ind, 1), mask_value=-1
    )
    model = keras.Model([boxes_in, labels_in], classes)
    boxes = np.array([[[2.0, 2.0, 14.0, 12.0], [10.0, 4.0, 30.0, 30.0]]], "float32")
    labels = np.array([[3, 5]], "int32")
    out = model.predict([boxes, labels], verbose=0)
    expected = BoxMatcher(0.5, 0.4)(SIM(ANCHORS, boxes))
    np.testing.assert_array_equal(out[0] >= 0, expected[1].numpy()[0] == 1)
    # Relative boxes go through convert_format first, in the same graph.
    rel = convert_format(boxes, "xyxy", "rel_yxyx", height=32, width=32)
    back = convert_format(rel, "rel_yxyx", "xyxy", height=32, width=32)
    np.testing.assert_allclose(back.numpy(), boxes, atol=1e-5)
