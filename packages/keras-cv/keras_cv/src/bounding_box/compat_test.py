# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-cv 0.9 calling forms of the bounding box utilities."""

import numpy as np
import pytest
import tensorflow as tf

import keras_cv
from keras_cv.src.layers.iou_similarity import IouSimilarity

bb = keras_cv.bounding_box
XYXY = np.array([[10.0, 20.0, 30.0, 60.0]], "float32")
REL = XYXY / np.array([100.0, 200.0, 100.0, 200.0], "float32")  # image 200 x 100


def test_convert_format_images_and_image_shape_warn():
    images = np.zeros((1, 200, 100, 3), "float32")
    with pytest.warns(DeprecationWarning, match="height=` and `width="):
        out = bb.convert_format(
            XYXY[None], source="xyxy", target="rel_xyxy", images=images
        )
    np.testing.assert_allclose(out.numpy()[0], REL, rtol=1e-6)
    with pytest.warns(DeprecationWarning):
        out = bb.convert_format(XYXY, "xyxy", "rel_xyxy", images=images[0])
    np.testing.assert_allclose(out.numpy(), REL, rtol=1e-6)
    with pytest.warns(DeprecationWarning):
        out = bb.convert_format(XYXY, "xyxy", "rel_xyxy", image_shape=(200, 100, 3))
    np.testing.assert_allclose(out.numpy(), REL, rtol=1e-6)
    # 0.9's positional form: images in fourth place (a height is a scalar).
    with pytest.warns(DeprecationWarning):
        out = bb.convert_format(XYXY, "xyxy", "rel_xyxy", images[0])
    np.testing.assert_allclose(out.numpy(), REL, rtol=1e-6)
    # Our form is unchanged and does not warn.
    np.testing.assert_allclose(
        bb.convert_format(XYXY, "xyxy", "rel_xyxy", 200, 100).numpy(), REL, rtol=1e-6
    )


def test_convert_format_old_form_errors():
    with pytest.raises(ValueError, match="rank"):
        with pytest.warns(DeprecationWarning):
            bb.convert_format(XYXY, "xyxy", "rel_xyxy", images=np.zeros((1, 8, 8, 3)))
    with pytest.raises(ValueError, match="not both"):
        bb.convert_format(XYXY, "xyxy", "rel_xyxy", height=8, image_shape=(8, 8))


def test_relative_to_relative_needs_no_size():
    out = bb.convert_format(REL, "rel_xyxy", "rel_yxyx")
    np.testing.assert_allclose(out.numpy(), REL[:, [1, 0, 3, 2]], rtol=1e-6)


def test_clip_to_image_old_calling_form():
    data = {
        "boxes": np.array([[200.0, 200, 400, 400], [10, 10, 20, 20]]),
        "classes": [0, 1],
    }
    image = np.zeros((256, 256, 3))
    with pytest.warns(DeprecationWarning, match="clip_to_image"):
        old = bb.clip_to_image(data, "xyxy", image)
    with pytest.warns(DeprecationWarning):
        keyword = bb.clip_to_image(data, bounding_box_format="xyxy", images=image)
    new = bb.clip_to_image(data, height=256, width=256, bounding_box_format="xyxy")
    for out in (old, keyword):
        np.testing.assert_allclose(out["boxes"].numpy(), new["boxes"].numpy())
        assert out["classes"].numpy().tolist() == [0, 1]
    np.testing.assert_allclose(
        new["boxes"].numpy(), [[200, 200, 256, 256], [10, 10, 20, 20]]
    )


def test_classes_key_is_kept():
    ragged = {
        "boxes": tf.ragged.constant(
            [[[0.0, 0, 1, 1]], []], ragged_rank=1, inner_shape=(4,)
        ),
        "classes": tf.ragged.constant([[2], []]),
    }
    dense = bb.to_dense(ragged)
    assert sorted(dense) == ["boxes", "classes"]
    assert sorted(bb.to_ragged(dense)) == ["boxes", "classes"]
    assert "classes" in bb.convert_format(dense, "xyxy", "xywh")
    # standardize still renames (documented).
    assert "labels" in bb.standardize(ragged)


def test_compute_iou_matches_iou_similarity_and_masks():
    a = np.array([[0.0, 0, 2, 2], [-1, -1, -1, -1]], "float32")
    b = np.array([[0.0, 0, 2, 1], [1, 1, 3, 3]], "float32")
    expected = IouSimilarity()(a, b).numpy()
    np.testing.assert_allclose(bb.compute_iou(a, b, "xyxy").numpy(), expected)
    masked = bb.compute_iou(a, b, "xyxy", use_masking=True, mask_val=-7).numpy()
    np.testing.assert_allclose(masked[0], expected[0])
    np.testing.assert_allclose(masked[1], [-7, -7])
    np.testing.assert_allclose(expected[0], [0.5, 1 / 7], rtol=1e-6)


def test_compute_ciou_hand_computed():
    a = np.array([[0.0, 0, 2, 2], [0, 0, 2, 2]], "float32")
    b = np.array([[1.0, 0, 3, 2], [0, 0, 2, 2]], "float32")
    # IoU 2/6; centre distance 1; enclosing box 3 x 2 (diagonal^2 13); same shape.
    out = bb.compute_ciou(a, b, "xyxy").numpy()
    np.testing.assert_allclose(out, [1 / 3 - 1 / 13, 1.0], rtol=1e-5)
    # Different aspect ratios add the penalty alpha * v.
    c = np.array([[0.0, 0, 4, 1]], "float32")
    d = np.array([[0.0, 0, 1, 4]], "float32")
    iou = 1 / 7
    v = 4 / np.pi**2 * (np.arctan(1 / 4) - np.arctan(4)) ** 2
    alpha = v / (1 - iou + v)
    expected = iou - (1.5**2 * 2) / 32 - alpha * v
    np.testing.assert_allclose(
        bb.compute_ciou(c, d, "xyxy").numpy(), [expected], rtol=1e-5
    )


def test_small_utilities():
    assert bb.is_relative("rel_xyxy") and not bb.is_relative("xyxy")
    assert bb.as_relative("xywh") == "rel_xywh"
    with pytest.raises(ValueError, match="Unknown box format"):
        bb.is_relative("bad")
    assert (bb.XYXY.LEFT, bb.XYXY.BOTTOM, bb.YXYX.LEFT, bb.CENTER_XYWH.WIDTH) == (
        0,
        3,
        1,
        2,
    )
    out = bb.ensure_tensor({"boxes": [[0.0, 0, 1, 1]], "classes": [1]}, dtype="float32")
    assert isinstance(out["classes"], tf.Tensor) and out["classes"].dtype == tf.float32
    info = bb.validate_format(
        {"boxes": np.zeros((2, 3, 4)), "classes": np.zeros((2, 3))}
    )
    assert info == {"is_batched": True, "ragged": False, "classes_one_hot": False}
    with pytest.raises(ValueError, match="matching dimensions"):
        bb.validate_format({"boxes": np.zeros((2, 3, 4)), "classes": np.zeros((2, 4))})
    with pytest.raises(ValueError, match="containing keys"):
        bb.validate_format({"box": [1]})


def test_mask_invalid_detections():
    data = {
        "boxes": np.arange(24, dtype="float32").reshape(2, 3, 4),
        "classes": np.array([[1.0, 2, 3], [4, 5, 6]]),
        "confidence": np.array([[0.9, 0.8, 0.7], [0.6, 0.5, 0.4]]),
        "num_detections": np.array([1, 2]),
    }
    out = bb.mask_invalid_detections(data)
    assert out["classes"].numpy().tolist() == [[1, -1, -1], [4, 5, -1]]
    assert out["boxes"].numpy()[0, 1].tolist() == [-1, -1, -1, -1]
    np.testing.assert_allclose(out["boxes"].numpy()[1, :2], data["boxes"][1, :2])
    ragged = bb.mask_invalid_detections(data, output_ragged=True)
    assert ragged["confidence"].row_lengths().numpy().tolist() == [1, 2]
    with pytest.raises(ValueError, match="num_detections"):
        bb.mask_invalid_detections({k: data[k] for k in ("boxes", "classes")})
