# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.testing import TestCase
from keras_cv.src.bounding_box.converters import FORMATS
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.ops.box_coder import BoxCoder


class BoxCoderTest(TestCase):
    def test_hand_computed(self):
        coder = BoxCoder(scale_factors=[10.0, 10.0, 5.0, 5.0])
        anchors = np.array([[0.0, 0.0, 10.0, 20.0]], "float32")
        boxes = np.array([[5.0, 0.0, 15.0, 40.0]], "float32")  # centre (10, 20), 10x40
        deltas = coder.encode(boxes, anchors).numpy()
        self.assertAllClose(
            deltas, [[10 * 5 / 10, 10 * 10 / 20, 0.0, 5 * np.log(2.0)]], atol=1e-5
        )
        self.assertAllClose(coder.decode(deltas, anchors), boxes, atol=1e-4)

    def test_layer_harness(self):
        coder = BoxCoder([10.0, 10.0, 5.0, 5.0])
        boxes = np.array([[[1.0, 2.0, 5.0, 9.0]], [[0.0, 0.0, 3.0, 3.0]]], "float32")
        self.run_layer_test(
            BoxCoder,
            {"scale_factors": [10.0, 10.0, 5.0, 5.0], "bounding_box_format": "xyxy"},
            boxes,
            call_kwargs={"anchor_boxes": np.array([[0.0, 0.0, 4.0, 4.0]], "float32")},
            expected_output_shape=(2, 1, 4),
            run_functional_check=False,
        )
        self.assertAllClose(coder(boxes, boxes), np.zeros((2, 1, 4)))

    def test_degenerate_boxes_stay_finite(self):
        coder = BoxCoder()
        out = coder.encode(
            [[-1.0, -1.0, -1.0, -1.0], [0, 0, 0, 0]], [[0.0, 0, 4, 4], [0, 0, 0, 0]]
        ).numpy()
        assert np.all(np.isfinite(out))
        decoded = coder.decode([[0.0, 0.0, 1e6, 1e6]], [[0.0, 0.0, 4.0, 4.0]]).numpy()
        assert np.all(np.isfinite(decoded))

    def test_bad_input(self):
        with pytest.raises(ValueError, match="four positive numbers"):
            BoxCoder(scale_factors=[1.0, 2.0])
        with pytest.raises(ValueError, match="Unknown box format"):
            BoxCoder(bounding_box_format="cxcy")


pos = st.floats(0, 100)
size = st.floats(1, 50)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(pos, pos, size, size, pos, pos, size, size), min_size=1, max_size=5
    ),
    st.sampled_from(FORMATS),
)
def test_encode_decode_round_trip(rows, fmt):
    rows = np.array(rows, "float64")
    boxes = np.concatenate([rows[:, :2], rows[:, :2] + rows[:, 2:4]], -1)
    anchors = np.concatenate([rows[:, 4:6], rows[:, 4:6] + rows[:, 6:8]], -1)
    boxes = convert_format(
        boxes, "xyxy", fmt, height=200.0, width=200.0, dtype="float64"
    )
    anchors = convert_format(
        anchors, "xyxy", fmt, height=200.0, width=200.0, dtype="float64"
    )
    coder = BoxCoder([10.0, 10.0, 5.0, 5.0], bounding_box_format=fmt)
    back = coder.decode(coder.encode(boxes, anchors), anchors)
    np.testing.assert_allclose(back.numpy(), boxes.numpy(), atol=1e-5)


@pytest.mark.parametrize("fmt", ["xywh", "center_xywh", "yxyx"])
def test_xyxy_encoding_equals_other_formats(fmt):
    # "xyxy" skips the format conversion: it must encode exactly as the
    # same boxes given in another format (converted by `convert_format`).
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 400, (2, 50, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(0.5, 200, (2, 50, 2))], -1)
    anchors = boxes[0, ::-1] + rng.uniform(-5, 5, (50, 4))
    boxes, anchors = boxes.astype("float32"), anchors.astype("float32")
    fast = BoxCoder([10.0, 10.0, 5.0, 5.0]).encode(boxes, anchors).numpy()
    other = BoxCoder([10.0, 10.0, 5.0, 5.0], bounding_box_format=fmt).encode(
        convert_format(boxes, "xyxy", fmt), convert_format(anchors, "xyxy", fmt)
    )
    np.testing.assert_allclose(fast, other.numpy(), rtol=1e-5, atol=1e-4)


def test_xyxy_encoding_refuses_non_finite_boxes():
    boxes = np.array([[0.0, 0.0, np.nan, 4.0]], "float32")
    with pytest.raises(ValueError, match="contains NaN or infinite"):
        BoxCoder().encode(boxes, [[0.0, 0.0, 4.0, 4.0]])
