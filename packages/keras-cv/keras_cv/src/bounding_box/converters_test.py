# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_cv.src.bounding_box import converters
from keras_cv.src.bounding_box.converters import FORMATS
from keras_cv.src.bounding_box.converters import clip_to_image
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import to_dense
from keras_cv.src.bounding_box.converters import to_ragged

H, W = 200.0, 100.0
# One box, written by hand in every format: left=10, top=20, right=30, bottom=60.
HAND = {
    "xyxy": [10, 20, 30, 60],
    "yxyx": [20, 10, 60, 30],
    "xywh": [10, 20, 20, 40],
    "center_xywh": [20, 40, 20, 40],
    "center_yxhw": [40, 20, 40, 20],
    "rel_xyxy": [0.1, 0.1, 0.3, 0.3],
    "rel_yxyx": [0.1, 0.1, 0.3, 0.3],
    "rel_xywh": [0.1, 0.1, 0.2, 0.2],
    "rel_center_xywh": [0.2, 0.2, 0.2, 0.2],
}


@pytest.mark.parametrize("source,target", list(itertools.product(FORMATS, FORMATS)))
def test_hand_computed_conversions(source, target):
    out = convert_format(
        np.array([HAND[source]], "float32"), source, target, height=H, width=W
    )
    np.testing.assert_allclose(out.numpy()[0], HAND[target], rtol=1e-6, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(FORMATS),
    st.sampled_from(FORMATS),
    st.lists(
        st.tuples(
            st.floats(0, 90), st.floats(0, 190), st.floats(0.5, 10), st.floats(0.5, 10)
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_round_trip_property(source, target, rows):
    xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h in rows], "float64")
    boxes = convert_format(xyxy, "xyxy", source, height=H, width=W, dtype="float64")
    there = convert_format(boxes, source, target, height=H, width=W, dtype="float64")
    back = convert_format(there, target, source, height=H, width=W, dtype="float64")
    np.testing.assert_allclose(back.numpy(), boxes.numpy(), atol=1e-9)


def test_dict_is_not_mutated_unlike_keras():
    # Fault in keras.utils.bounding_boxes.convert_format: it writes the
    # converted boxes back into the dict it was given.
    boxes = np.array([[1.0, 2.0, 3.0, 5.0]])
    given_dict = {"boxes": boxes, "labels": np.array([1])}
    keras.utils.bounding_boxes.convert_format(dict(given_dict), "xyxy", "xywh")
    keras_input = {"boxes": boxes, "labels": np.array([1])}
    keras.utils.bounding_boxes.convert_format(keras_input, "xyxy", "xywh")
    assert keras_input["boxes"] is not boxes  # keras replaced the caller's entry

    ours_input = {"boxes": boxes, "labels": np.array([1])}
    out = convert_format(ours_input, "xyxy", "xywh")
    assert ours_input["boxes"] is boxes
    np.testing.assert_allclose(out["boxes"].numpy(), [[1, 2, 2, 3]])


def test_padding_rows_stay_padding_unlike_keras():
    # Fault in keras: a -1 padding row becomes a real-looking box.
    pad = np.array([[[5.0, 5.0, 2.0, 2.0], [-1.0, -1.0, -1.0, -1.0]]])
    keras_out = keras.utils.bounding_boxes.convert_format(pad, "xywh", "xyxy")
    assert not np.all(np.asarray(keras_out)[0, 1] == -1)

    out = convert_format({"boxes": pad, "labels": [[2, -1]]}, "xywh", "xyxy")
    np.testing.assert_allclose(out["boxes"].numpy(), [[[5, 5, 7, 7], [-1, -1, -1, -1]]])
    np.testing.assert_array_equal(out["labels"].numpy(), [[2, -1]])


def test_classes_key_is_kept_and_standardize_renames_it():
    out = convert_format(
        {"boxes": [[0.0, 0.0, 1.0, 1.0]], "classes": [7]}, "xyxy", "yxyx"
    )
    assert "labels" not in out  # the caller's keras-cv 0.x key is kept
    np.testing.assert_array_equal(out["classes"].numpy(), [7])
    renamed = converters.standardize({"boxes": [[0.0, 0, 1, 1]], "classes": [7]})
    assert "classes" not in renamed and renamed["labels"].numpy().tolist() == [7]
    with pytest.raises(ValueError, match="both 'labels' and 'classes'"):
        convert_format(
            {"boxes": [[0.0, 0, 1, 1]], "classes": [7], "labels": [7]}, "xyxy", "yxyx"
        )


def test_ragged_and_dense_agree():
    per_image = [
        np.array([[1.0, 2.0, 5.0, 9.0], [3.0, 3.0, 4.0, 8.0]]),
        np.zeros((0, 4)),
        np.array([[0.0, 0.0, 10.0, 10.0]]),
    ]
    labels = [[1, 2], [], [0]]
    ragged = {
        "boxes": tf.ragged.constant(
            [b.tolist() for b in per_image], ragged_rank=1, inner_shape=(4,)
        ),
        "labels": tf.ragged.constant(labels, dtype="int32"),
    }
    dense = to_dense(ragged)
    assert dense["boxes"].shape == (3, 2, 4)
    out_ragged = convert_format(ragged, "xyxy", "center_yxhw")
    out_dense = convert_format(dense, "xyxy", "center_yxhw")
    assert isinstance(out_ragged["boxes"], tf.RaggedTensor)
    back = to_ragged(out_dense)
    assert back["boxes"].to_list() == out_ragged["boxes"].to_list()
    assert back["labels"].to_list() == labels
    # A list of per-image arrays is accepted as a ragged batch.
    out_list = convert_format({"boxes": per_image, "labels": labels}, "xyxy", "xywh")
    assert isinstance(out_list["boxes"], tf.RaggedTensor)
    np.testing.assert_allclose(
        out_list["boxes"][0].numpy(), [[1, 2, 4, 7], [3, 3, 1, 5]]
    )


def test_in_tf_data_map():
    boxes = np.array([[[10, 20, 30, 60]], [[0, 0, 50, 100]]], "float32")
    ds = tf.data.Dataset.from_tensor_slices(
        {"boxes": boxes, "classes": np.array([[1], [2]])}
    )
    ds = ds.map(
        lambda d: convert_format(d, "xyxy", "rel_center_xywh", height=H, width=W)
    )
    first = next(iter(ds))
    np.testing.assert_allclose(
        first["boxes"].numpy(), [HAND["rel_center_xywh"]], rtol=1e-6
    )
    assert first["classes"].numpy().tolist() == [1]


def test_to_dense_max_boxes_and_padding():
    ragged = {
        "boxes": tf.ragged.constant(
            [[[0.0, 0, 1, 1], [1, 1, 2, 2]], []], ragged_rank=1, inner_shape=(4,)
        ),
        "labels": tf.ragged.constant([[1, 2], []]),
    }
    dense = to_dense(ragged, max_boxes=3)
    assert dense["boxes"].shape == (2, 3, 4)
    assert dense["labels"].numpy().tolist() == [[1, 2, -1], [-1, -1, -1]]
    # Cutting padding rows is fine; cutting a real box is an error.
    cut = to_dense(dense, max_boxes=2)
    assert cut["labels"].numpy().tolist() == [[1, 2], [-1, -1]]
    with pytest.raises(ValueError, match="would drop boxes"):
        to_dense(dense, max_boxes=1)
    with pytest.raises(ValueError, match="would drop boxes"):
        to_dense(ragged, max_boxes=1)


@pytest.mark.parametrize("max_boxes", [-1, 0, 2.5, 2.0, "3", True, None])
def test_to_dense_max_boxes_must_be_positive_int(max_boxes):
    ragged = {
        "boxes": tf.ragged.constant(
            [[[0.0, 0, 1, 1]], []], ragged_rank=1, inner_shape=(4,)
        ),
        "labels": tf.ragged.constant([[1], []]),
    }
    if max_boxes is None:
        assert to_dense(ragged, max_boxes=None)["labels"].shape == (2, 1)
        return
    with pytest.raises(ValueError, match="`max_boxes` must be a positive int"):
        to_dense(ragged, max_boxes=max_boxes)


@pytest.mark.parametrize("fmt", FORMATS)
def test_clip_every_format(fmt):
    # Keras clips only xyxy and rel_xyxy; every other format raises there.
    xyxy = np.array([[-10.0, 20.0, 130.0, 60.0], [120.0, 0.0, 150.0, 10.0]])
    boxes = convert_format(xyxy, "xyxy", fmt, height=H, width=W)
    if fmt not in ("xyxy", "rel_xyxy"):
        with pytest.raises(NotImplementedError):
            keras.utils.bounding_boxes.clip_to_image_size(
                {"boxes": boxes, "labels": np.array([1, 2])},
                height=H,
                width=W,
                bounding_box_format=fmt,
            )
    out = clip_to_image(
        {"boxes": boxes, "labels": [1, 2]}, height=H, width=W, bounding_box_format=fmt
    )
    back = convert_format(out["boxes"][:1], fmt, "xyxy", height=H, width=W)
    np.testing.assert_allclose(back.numpy(), [[0, 20, 100, 60]], rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(out["boxes"][1].numpy(), [-1, -1, -1, -1])
    assert out["labels"].numpy().tolist() == [1, -1]


def test_clip_ragged_drops_empty_boxes_and_tensor_input():
    ragged = {
        "boxes": tf.ragged.constant(
            [[[-5.0, -5, 5, 5], [50, 50, 60, 60]], [[1, 1, 2, 2]]],
            ragged_rank=1,
            inner_shape=(4,),
        ),
        "labels": tf.ragged.constant([[1, 2], [3]]),
    }
    out = clip_to_image(ragged, height=20, width=20)
    assert out["boxes"].to_list() == [[[0.0, 0.0, 5.0, 5.0]], [[1.0, 1.0, 2.0, 2.0]]]
    assert out["labels"].to_list() == [[1], [3]]
    tensor = clip_to_image(np.array([[-5.0, -5, 50, 5]]), height=20, width=20)
    np.testing.assert_allclose(tensor.numpy(), [[0, 0, 20, 5]])


def test_bad_inputs():
    with pytest.raises(ValueError, match="last dimension of 4"):
        convert_format(np.zeros((2, 5)), "xyxy", "xywh")
    with pytest.raises(ValueError, match="Unknown box format"):
        convert_format(np.zeros((2, 4)), "xyxy", "xyz")
    with pytest.raises(ValueError, match="height="):
        convert_format(np.zeros((2, 4)), "xyxy", "rel_xyxy")
    with pytest.raises(ValueError, match="NaN"):
        convert_format(np.array([[0.0, np.nan, 1.0, 1.0]]), "xyxy", "xywh")
    with pytest.raises(ValueError, match="one label per box"):
        convert_format(
            {"boxes": np.zeros((2, 3, 4)), "labels": np.zeros((3, 3))}, "xyxy", "xywh"
        )
    with pytest.raises(TypeError, match="must be a dict"):
        converters.standardize([1, 2])
    with pytest.raises(ValueError, match="needs `height`"):
        clip_to_image({"boxes": np.zeros((1, 4))})
    # Zero-area boxes are legal: converted exactly and clipped to padding.
    zero = convert_format(np.array([[3.0, 3.0, 3.0, 3.0]]), "xyxy", "xywh")
    np.testing.assert_allclose(zero.numpy(), [[3, 3, 0, 0]])


def _ragged_boxes(lengths):
    rows = [[[0.0, 0.0, 1.0 + i, 1.0 + i] for i in range(n)] for n in lengths]
    return tf.ragged.constant(rows, ragged_rank=1, inner_shape=(4,), dtype="float32")


def test_standardize_never_truncates_dense_labels():
    # Before: the third label of image 0 was silently dropped.
    boxes = _ragged_boxes([2, 1])
    with pytest.raises(ValueError, match="one label per box"):
        converters.standardize({"boxes": boxes, "labels": [[1, 2, 3], [4, -1, -1]]})
    # Too few labels for a row.
    with pytest.raises(ValueError, match="one label per box"):
        converters.standardize({"boxes": boxes, "labels": [[1], [4]]})
    # Another number of images.
    with pytest.raises(ValueError, match="one label per box"):
        converters.standardize({"boxes": boxes, "labels": [[1, 2]]})
    # -1 padding past a row is fine.
    out = converters.standardize({"boxes": boxes, "labels": [[1, 2, -1], [4, -1, -1]]})
    assert out["labels"].to_list() == [[1, 2], [4]]


def test_standardize_ragged_labels_and_boxes_must_agree():
    boxes = _ragged_boxes([2, 1])
    with pytest.raises(ValueError, match="one label per box"):
        converters.standardize(
            {"boxes": boxes, "labels": tf.ragged.constant([[1], [2, 3]])}
        )
    dense = boxes.to_tensor(-1.0)
    # Ragged labels with dense boxes: boxes past a row must be padding.
    with pytest.raises(ValueError, match="one label per box"):
        converters.standardize(
            {"boxes": dense, "labels": tf.ragged.constant([[1], [2]])}
        )
    out = converters.standardize(
        {"boxes": dense, "labels": tf.ragged.constant([[1, 2], [3]])}
    )
    assert out["labels"].numpy().tolist() == [[1, 2], [3, -1]]


def test_standardize_checks_in_tf_data():
    boxes = _ragged_boxes([2, 1])
    ds = tf.data.Dataset.from_tensors(
        {"boxes": boxes, "labels": tf.constant([[1, 2, 3], [4, -1, -1]])}
    ).map(converters.standardize)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one label per box"):
        list(ds)
    dense = tf.data.Dataset.from_tensors(
        {"boxes": np.zeros((2, 3, 4), "float32"), "labels": np.zeros((2, 2), "int32")}
    )
    spec = {
        "boxes": tf.TensorSpec([None, None, 4]),
        "labels": tf.TensorSpec([None, None], tf.int32),
    }
    fn = tf.function(converters.standardize, input_signature=[spec])
    with pytest.raises(tf.errors.InvalidArgumentError, match="one label per box"):
        fn(next(iter(dense)))


@pytest.mark.parametrize("bad", [-2, -5, 0.5, -1.5, np.nan, np.inf])
def test_labels_below_minus_one_or_fractional_raise(bad):
    labels = np.array([[1.0, bad]])
    boxes = np.array([[[0.0, 0, 1, 1], [0, 0, 2, 2]]], "float32")
    with pytest.raises(ValueError, match="only padding value"):
        converters.standardize({"boxes": boxes, "labels": labels})
    with pytest.raises(ValueError, match="only padding value"):
        to_dense({"boxes": boxes, "labels": labels})
    with pytest.raises(ValueError, match="only padding value"):
        convert_format({"boxes": boxes, "labels": labels}, "xyxy", "xywh")


def test_label_and_box_dtypes():
    boxes = np.zeros((1, 4), "float32")
    with pytest.raises(TypeError, match="must hold numbers"):
        converters.standardize({"boxes": boxes, "labels": np.array(["cat"])})
    with pytest.raises(TypeError, match="must hold numbers"):
        converters.standardize(
            {"boxes": np.array([["a", "b", "c", "d"]]), "labels": [1]}
        )
    with pytest.raises(TypeError, match="not booleans"):
        converters.standardize({"boxes": boxes, "labels": np.array([True])})
    # Whole-number float labels are fine.
    out = converters.standardize({"boxes": boxes, "labels": np.array([2.0])})
    assert out["labels"].numpy().tolist() == [2.0]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_boxes_in_dicts_raise(bad):
    boxes = np.array([[0.0, 0.0, bad, 1.0]], "float32")
    with pytest.raises(ValueError, match="NaN or infinite"):
        converters.standardize({"boxes": boxes, "labels": [1]})
    with pytest.raises(ValueError, match="NaN or infinite"):
        clip_to_image({"boxes": boxes, "labels": [1]}, height=10, width=10)
    fn = tf.function(lambda b: convert_format(b, "xyxy", "xywh"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="NaN or infinite"):
        fn(tf.constant(boxes))
