# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-cv 0.9's detection layers, built with 0.9's arguments."""

import numpy as np
import pytest
import tensorflow as tf

import keras_cv


def test_anchor_generator_old_form_equals_ours():
    with pytest.warns(DeprecationWarning, match="keras_cv.ops.AnchorGenerator"):
        old = keras_cv.layers.AnchorGenerator(
            "xyxy",
            sizes=[8, 16],
            scales=[1.0, 1.5],
            aspect_ratios=[0.5, 2.0],
            strides=[8, 16],
        )
    ours = keras_cv.ops.AnchorGenerator([8, 16], [1.0, 1.5], [0.5, 2.0], [8, 16])
    levels = old(image_shape=(32, 48, 3))
    assert sorted(levels) == [0, 1]
    np.testing.assert_allclose(
        np.concatenate([levels[0], levels[1]]), ours((32, 48)).numpy(), rtol=1e-6
    )
    same = old(image=np.zeros((32, 48, 3)))
    np.testing.assert_allclose(same[1], levels[1])
    with pytest.raises(ValueError, match="rank 3"):
        old(image=np.zeros((2, 32, 48, 3)))
    with pytest.raises(ValueError, match="one entry per level"):
        keras_cv.layers.AnchorGenerator("xyxy", [8, 16], [1.0], [1.0], [8])
    named = keras_cv.layers.AnchorGenerator("yxyx", {"P3": 8}, [1.0], [1.0], {"P3": 8})
    assert list(named(image_shape=(16, 16))) == ["P3"]


def test_box_matcher_old_form():
    with pytest.warns(DeprecationWarning, match="keras_cv.ops.BoxMatcher"):
        matcher = keras_cv.layers.BoxMatcher([0.0, 0.2, 0.5], [-3, -2, -1, 1])
    idx, values = matcher(np.array([[0.04, 0, 0, 0], [0, 0, 1.0, 0]]))
    assert idx.numpy().tolist() == [0, 2] and values.numpy().tolist() == [-2, 1]
    # No ground truth: 0.9 marks every row -1 (ours: the lowest band).
    _, values = matcher(np.zeros((2, 0), "float32"))
    assert values.numpy().tolist() == [-1, -1]
    ours = keras_cv.ops.BoxMatcher(
        thresholds=[0.0, 0.2, 0.5], match_values=[-3, -2, -1, 1]
    )
    assert ours(np.zeros((2, 0), "float32"))[1].numpy().tolist() == [-3, -3]


def _reference_nms(boxes, scores, k, iou, threshold):
    keep = tf.image.non_max_suppression(
        boxes, scores, k, iou_threshold=iou, score_threshold=threshold
    ).numpy()
    return keep


def test_non_max_suppression_matches_tf_image():
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 50, (1, 12, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(5, 20, (1, 12, 2))], -1).astype(
        "float32"
    )
    scores = rng.uniform(0, 1, (1, 12, 1)).astype("float32")
    with pytest.warns(DeprecationWarning, match="NMSDetectionDecoder"):
        nms = keras_cv.layers.NonMaxSuppression(
            "xyxy",
            from_logits=False,
            iou_threshold=0.3,
            confidence_threshold=0.2,
            max_detections=5,
        )
    out = nms(boxes, scores)
    keep = _reference_nms(boxes[0], scores[0, :, 0], 5, 0.3, 0.2)
    n = len(keep)
    assert int(out["num_detections"][0]) == n
    np.testing.assert_allclose(out["boxes"][0, :n], boxes[0, keep], rtol=1e-6)
    np.testing.assert_allclose(out["confidence"][0, :n], scores[0, keep, 0], rtol=1e-6)
    assert out["classes"].dtype == tf.float32
    multi = keras_cv.layers.MultiClassNonMaxSuppression(
        "xyxy", from_logits=False, max_detections=3
    )
    two = np.concatenate([scores, 1 - scores], -1)
    assert multi(boxes, two)["boxes"].shape == (1, 3, 4)


def test_roi_generator_old_form():
    with pytest.warns(DeprecationWarning, match="ROIFilter"):
        gen = keras_cv.layers.ROIGenerator(
            "xyxy", nms_iou_threshold_train=0.96, post_nms_topk_train=4
        )
    boxes = np.array(
        [[[0, 0, 10, 10], [0.1, 0.1, 9.9, 9.9], [5, 5, 10, 10], [2, 2, 8, 8]]]
    )
    scores = np.array([[0.6, 0.9, 0.2, 0.3]])
    rois, roi_scores = gen(boxes, scores, training=True)
    # Box 0 overlaps box 1 (IoU 0.96 +) and goes; the rest by score, then -1.
    np.testing.assert_allclose(roi_scores.numpy(), [[0.9, 0.3, 0.2, -1]], rtol=1e-6)
    np.testing.assert_allclose(rois.numpy()[0, :3], boxes[0, [1, 3, 2]], rtol=1e-6)
    np.testing.assert_allclose(rois.numpy()[0, 3], [-1, -1, -1, -1])


def test_roi_pooler_old_form_is_max_pooling():
    feature = np.arange(64, dtype="float32").reshape(1, 8, 8, 1)
    with pytest.warns(DeprecationWarning, match="output_size"):
        pooler = keras_cv.layers.ROIPooler(
            "rel_yxyx", target_size=[2, 2], image_shape=[224, 224, 3]
        )
    out = pooler(feature, np.array([[[0.0, 0.0, 1.0, 1.0]]]))
    # Each 4 x 4 quarter's maximum is its bottom-right cell.
    assert out.numpy().reshape(-1).tolist() == [27, 31, 59, 63]
    pooler = keras_cv.layers.ROIPooler(
        "yxyx", target_size=[2, 2], image_shape=[224, 224, 3]
    )
    out = pooler(feature, np.array([[[0.0, 0.0, 224, 220]]]))
    # x stops at int(220 / 28) = 7 cells: bins of columns 0-2 and 3-6.
    assert out.numpy().reshape(-1).tolist() == [26, 30, 58, 62]
    with pytest.raises(ValueError, match="dynamic shape"):
        keras_cv.layers.ROIPooler(
            "rel_yxyx", target_size=[2, 2], image_shape=[None, 224, 3]
        )
    # Our form is unchanged.
    ours = keras_cv.layers.ROIPooler(output_size=(2, 2))
    assert type(ours).__name__ == "ROIPooler"


def test_retinanet_label_encoder_hand_computed():
    gen = keras_cv.ops.AnchorGenerator([8], [1.0], [1.0], [8])  # anchors at x 0-8, 8-16
    with pytest.warns(DeprecationWarning, match="encode_targets"):
        encoder = keras_cv.layers.RetinaNetLabelEncoder("xyxy", gen)
    images = np.zeros((2, 8, 16, 3), "float32")
    data = {
        # Image 0: a box shifted by 1 px from anchor 0 (IoU 7/9), and padding.
        # Image 1: a box overlapping anchor 1 with IoU 0.45 (ignored band).
        "boxes": np.array(
            [[[1.0, 0, 9, 8], [-1, -1, -1, -1]], [[8.0, 0, 16, 3.6], [-1, -1, -1, -1]]]
        ),
        "classes": np.array([[4, -1], [2, -1]]),
    }
    boxes, classes = encoder(images, data)
    assert classes.numpy().tolist() == [[4.0, -1.0], [-1.0, -2.0]]
    # (y, x, h, w) offsets / (0.1, 0.1, 0.2, 0.2): centre x moves by 1/8.
    np.testing.assert_allclose(boxes.numpy()[0, 0], [0.0, 1.25, 0.0, 0.0], atol=1e-5)
    # Old AnchorGenerator works too and gives the same targets.
    with pytest.warns(DeprecationWarning):
        old_gen = keras_cv.layers.AnchorGenerator("xyxy", [8], [1.0], [1.0], [8])
        same = keras_cv.layers.RetinaNetLabelEncoder("xyxy", old_gen)(images, data)
    np.testing.assert_allclose(same[0].numpy(), boxes.numpy())


def test_old_and_new_layers_serialize_to_their_own_classes():
    import keras

    with pytest.warns(DeprecationWarning):
        old_gen = keras_cv.layers.AnchorGenerator("xyxy", [8], [1.0], [1.0], [8])
        old_matcher = keras_cv.layers.BoxMatcher([0.5], [-1, 1])
        revived = [
            keras.saving.deserialize_keras_object(
                keras.saving.serialize_keras_object(x)
            )
            for x in (old_gen, old_matcher)
        ]
    assert [type(x) for x in revived] == [type(old_gen), type(old_matcher)]
    new_gen = keras_cv.ops.AnchorGenerator([8], [1.0], [1.0], [8])
    again = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(new_gen)
    )
    assert type(again) is keras_cv.ops.AnchorGenerator
    np.testing.assert_allclose(revived[0](image_shape=(8, 8))[0], new_gen((8, 8)))
