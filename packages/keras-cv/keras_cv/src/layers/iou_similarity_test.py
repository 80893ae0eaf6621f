# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.testing import TestCase
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.layers.iou_similarity import IouSimilarity


def reference_iou(a, b):
    """Loop-based IoU written from the definition, in float64."""
    out = np.zeros((len(a), len(b)))
    for i, p in enumerate(a):
        for j, q in enumerate(b):
            iw = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
            ih = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
            inter = iw * ih
            union = (
                (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter
            )
            out[i, j] = inter / union if union > 0 else 0.0
    return out


size = st.one_of(st.just(0.0), st.floats(0.5, 30))
box = st.tuples(st.floats(0, 50), st.floats(0, 50), size, size).map(
    lambda t: [t[0], t[1], t[0] + t[2], t[1] + t[3]]
)


class IouSimilarityTest(TestCase):
    def test_layer_harness(self):
        rng = np.random.default_rng(0)
        xy = rng.uniform(0, 10, (2, 5, 2))
        a = np.concatenate([xy, xy + rng.uniform(1, 5, (2, 5, 2))], -1).astype(
            "float32"
        )
        xy = rng.uniform(0, 10, (2, 3, 2))
        b = np.concatenate([xy, xy + rng.uniform(1, 5, (2, 3, 2))], -1).astype(
            "float32"
        )
        self.run_layer_test(
            IouSimilarity,
            {"bounding_box_format": "xyxy", "mask_value": -1.0},
            (a, b),
            expected_output_shape=(2, 5, 3),
            expected_output_dtype="float32",
            # The harness maps a single tensor; two-input tf.data use below.
            run_tf_data_check=False,
        )
        ds = tf.data.Dataset.from_tensor_slices((a, b)).batch(2)
        ds = ds.map(lambda x, y: IouSimilarity()(x, y))
        self.assertAllClose(next(iter(ds)), IouSimilarity()(a, b))

    def test_hand_computed(self):
        anchors = [[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0], [5.0, 5.0, 6.0, 6.0]]
        gt = [[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 4.0, 4.0]]
        out = IouSimilarity()(anchors, gt).numpy()
        self.assertAllClose(out, [[1.0, 0.25], [1 / 7, 0.25], [0.0, 0.0]])

    def test_formats_agree(self):
        xyxy = np.array([[1.0, 2.0, 5.0, 9.0], [0.0, 0.0, 3.0, 3.0]], "float32")
        for fmt in ("yxyx", "xywh", "center_yxhw", "rel_xyxy"):
            other = convert_format(xyxy, "xyxy", fmt, height=10, width=10)
            out = IouSimilarity(bounding_box_format=fmt)(other, other)
            self.assertAllClose(out, reference_iou(xyxy, xyxy), atol=1e-6)

    def test_batch_broadcast_and_mask(self):
        anchors = np.array([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]], "float32")
        gt = np.array(
            [[[0.0, 0.0, 2.0, 2.0], [-1, -1, -1, -1]], [[1, 1, 3, 3], [0, 0, 2, 2]]],
            "float32",
        )
        labels = np.array([[1, -1], [2, 3]])
        out = IouSimilarity(mask_value=-5.0)(
            anchors, gt, mask=(labels == -1)[:, None, :]
        ).numpy()
        assert out.shape == (2, 2, 2)
        self.assertAllClose(out[0], [[1.0, -5.0], [1 / 7, -5.0]])
        self.assertAllClose(out[1], reference_iou(anchors, gt[1]))

    def test_zero_area_and_bad_input(self):
        out = IouSimilarity()(
            [[1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0], [0, 0, 2, 2]]
        ).numpy()
        self.assertAllEqual(out, [[0.0, 0.0]])
        with pytest.raises(ValueError, match="last dimension of 4"):
            IouSimilarity()(np.zeros((2, 3)), np.zeros((2, 4)))
        with pytest.raises(ValueError, match="same batch size"):
            IouSimilarity()(np.zeros((2, 3, 4)), np.zeros((3, 3, 4)))
        with pytest.raises(ValueError, match="Unknown box format"):
            IouSimilarity(bounding_box_format="xyz")
        with pytest.raises(ValueError, match="two box sets"):
            IouSimilarity()(np.zeros((2, 4)))


@settings(max_examples=40, deadline=None)
@given(st.lists(box, min_size=1, max_size=5), st.lists(box, min_size=1, max_size=5))
def test_iou_properties(a, b):
    a = np.array(a, "float64")
    b = np.array(b, "float64")
    layer = IouSimilarity()
    ab = layer(a, b).numpy()
    ba = layer(b, a).numpy()
    np.testing.assert_allclose(ab, ba.T, atol=1e-6)
    assert np.all(ab >= 0) and np.all(ab <= 1 + 1e-6)
    np.testing.assert_allclose(ab, reference_iou(a, b), atol=1e-5)
    aa = np.diag(layer(a, a).numpy())
    area = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    np.testing.assert_allclose(aa[area > 0], 1.0, atol=1e-6)


def test_fused_kernel_equals_op_by_op(monkeypatch):
    # Large static inputs take one XLA kernel; force it on a small case.
    from keras_cv.src.layers import iou_similarity

    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 50, (2, 30, 2))
    a = np.concatenate([xy, xy + rng.uniform(0, 20, (2, 30, 2))], -1)
    b = np.concatenate([xy[:, :6], xy[:, :6] + 5.0], -1)
    a[0, 0] = [3.0, 3.0, 3.0, 9.0]  # zero area
    expected = IouSimilarity()(a.astype("float32"), b.astype("float32")).numpy()
    monkeypatch.setattr(iou_similarity, "FUSED_MIN_PAIRS", 1)
    fused = IouSimilarity()(a.astype("float32"), b.astype("float32")).numpy()
    np.testing.assert_allclose(fused, expected, rtol=1e-6, atol=1e-7)
    for i in range(2):
        np.testing.assert_allclose(fused[i], reference_iou(a[i], b[i]), atol=1e-5)


def test_fused_kernel_with_unknown_batch_and_mask(monkeypatch):
    # In `Dataset.batch` maps the batch size is unknown: the known
    # dimensions (anchors x boxes) decide, and the mask is applied inside
    # the kernel. Spy on the kernels to check which path runs.
    from keras_cv.src.layers import iou_similarity

    calls = []
    fused = iou_similarity._fused_masked_iou

    def spy(*args):
        calls.append(args[0].shape)
        return fused(*args)

    monkeypatch.setattr(iou_similarity, "_fused_masked_iou", spy)
    monkeypatch.setattr(iou_similarity, "FUSED_MIN_PAIRS", 30 * 6)
    rng = np.random.default_rng(4)
    xy = rng.uniform(0, 50, (30, 2))
    anchors = np.concatenate([xy, xy + rng.uniform(1, 20, (30, 2))], -1)
    boxes = np.concatenate([xy[:12], xy[:12] + 6.0], -1).reshape(2, 6, 4)
    labels = np.array([[0, 1, 2, -1, -1, -1], [1, 1, 0, 2, 0, -1]])
    layer = IouSimilarity(mask_value=-1.0)

    @tf.function(
        input_signature=[
            tf.TensorSpec((None, 6, 4), tf.float32),
            tf.TensorSpec((None, 6), tf.int32),
        ]
    )
    def encode(b, lab):
        return layer(anchors.astype("float32"), b, mask=(lab == -1)[:, None, :])

    out = encode(boxes.astype("float32"), labels.astype("int32")).numpy()
    assert len(calls) == 1  # traced once, through the fused kernel
    for i in range(2):
        expected = reference_iou(anchors, boxes[i])
        expected[:, labels[i] == -1] = -1.0
        np.testing.assert_allclose(out[i], expected, atol=1e-5)
    # Known dimensions below the threshold: op by op, same numbers.
    monkeypatch.setattr(iou_similarity, "FUSED_MIN_PAIRS", 30 * 6 + 1)
    small = IouSimilarity(mask_value=-1.0)

    @tf.function(input_signature=[tf.TensorSpec((None, 6, 4), tf.float32)])
    def plain(b):
        return small(anchors.astype("float32"), b)

    np.testing.assert_allclose(
        plain(boxes.astype("float32")).numpy()[1],
        reference_iou(anchors, boxes[1]),
        atol=1e-5,
    )
    assert len(calls) == 1
