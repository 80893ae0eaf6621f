# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.ops import anchor_target_assigner
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.anchor_target_assigner import AnchorTargetAssigner
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.box_matcher_test import reference_match
from keras_cv.src.ops.target_gather import TargetGather

SCALES = [10.0, 10.0, 5.0, 5.0]
ANCHORS = AnchorGenerator(
    [8, 16], [1.0, 1.5], [0.5, 1.0, 2.0], [8, 16], clip_boxes=True
)((64, 64)).numpy()
KEYS = ("match_indices", "match_indicators", "class_targets", "box_targets")


def _batch(seed, num_boxes):
    """Boxes with ties (duplicates, anchors as boxes), padding, an all-padded image."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 56, (4, num_boxes, 2))
    wh = rng.uniform(2, 40, (4, num_boxes, 2))
    boxes = np.concatenate([xy, np.minimum(xy + wh, 64)], -1).astype("float32")
    labels = rng.integers(0, 9, (4, num_boxes)).astype("int32")
    boxes[0, -1] = boxes[0, 0]  # duplicate box: ties, the first wins
    boxes[0, 1 % num_boxes] = ANCHORS[5]  # IoU exactly 1
    boxes[3, 0] = [10.0, 10.0, 10.0, 30.0]  # no area
    labels[1, num_boxes // 2 :] = -1  # padding rows
    boxes[1, num_boxes // 2 :] = -1.0
    labels[2] = -1  # every box is padding
    return boxes, labels


def _reference(boxes, labels, force):
    """Matches from the row-by-row reference on `IouSimilarity`; targets in numpy."""
    iou = IouSimilarity()(ANCHORS, boxes, mask=(labels < 0)[:, None, :]).numpy()
    out = {key: [] for key in KEYS}
    a = ANCHORS.astype("float64")
    wa, ha = a[:, 2] - a[:, 0], a[:, 3] - a[:, 1]
    for b in range(len(boxes)):
        idx, ind = reference_match(iou[b], 0.5, 0.4, force)
        cls = np.where(ind == 1, labels[b][idx], np.where(ind == -2, -2, -1))
        m = boxes[b][idx].astype("float64")
        w, h = m[:, 2] - m[:, 0], m[:, 3] - m[:, 1]
        deltas = np.stack(
            [
                10 * ((m[:, 0] + w / 2) - (a[:, 0] + wa / 2)) / wa,
                10 * ((m[:, 1] + h / 2) - (a[:, 1] + ha / 2)) / ha,
                5 * np.log(np.maximum(w, 1e-8) / wa),
                5 * np.log(np.maximum(h, 1e-8) / ha),
            ],
            -1,
        )
        for key, value in zip(KEYS, (idx, ind, cls, deltas)):
            out[key].append(value)
    return {key: np.stack(value) for key, value in out.items()}


def _chain(boxes, labels, force):
    """The primitives that `AnchorTargetAssigner` fuses."""
    iou = IouSimilarity()(ANCHORS, boxes, mask=(labels < 0)[:, None, :])
    idx, ind = BoxMatcher(0.5, 0.4, force)(iou)
    gather = TargetGather()
    cls = gather(labels, idx, ind != 1, -1)
    cls = tf.where(ind == -2, -2, cls)
    deltas = BoxCoder(SCALES).encode(gather(boxes, idx), ANCHORS)
    return dict(zip(KEYS, (idx, ind, cls, deltas)))


@pytest.mark.large
@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("num_boxes", [1, 6, 70])  # 70 > 64: the primitives
@pytest.mark.parametrize("fused", [False, True])
def test_equals_reference_and_primitives(monkeypatch, force, num_boxes, fused):
    # Eager, graph and XLA; the op-by-op kernel and the fused XLA kernel.
    monkeypatch.setattr(
        anchor_target_assigner, "FUSED_MIN_ELEMENTS", 0 if fused else 1 << 40
    )
    boxes, labels = _batch(num_boxes, num_boxes)
    assigner = AnchorTargetAssigner(0.5, 0.4, force, SCALES)
    ref = _reference(boxes, labels, force)
    chain = _chain(boxes, labels, force)
    call = lambda b, lab: assigner(ANCHORS, b, lab)  # noqa: E731
    for fn in (call, tf.function(call), tf.function(call, jit_compile=True)):
        out = {key: value.numpy() for key, value in fn(boxes, labels).items()}
        for key in KEYS[:3]:
            np.testing.assert_array_equal(out[key], ref[key], err_msg=key)
            np.testing.assert_array_equal(out[key], chain[key].numpy(), err_msg=key)
        # Offsets: the same formulas as BoxCoder's, but the size offsets are
        # log(w) - log(wa) instead of log(w / wa), and the kernels differ
        # (XLA or TensorFlow's): float rounding apart (< 1e-5 seen).
        np.testing.assert_allclose(
            out["box_targets"], chain["box_targets"].numpy(), rtol=0, atol=2e-5
        )
        np.testing.assert_allclose(out["box_targets"], ref["box_targets"], atol=1e-4)
    assert (ref["match_indicators"] == 1).any() and (
        ref["match_indicators"] == -2
    ).any()


def test_unknown_batch_in_tf_data_and_unbatched():
    boxes, labels = _batch(0, 6)
    assigner = AnchorTargetAssigner(0.5, 0.4, True, SCALES, ignore_class=-1)
    ds = tf.data.Dataset.from_tensor_slices((boxes, labels)).batch(2)
    ds = ds.map(lambda b, lab: assigner(ANCHORS, b, lab)["class_targets"])
    got = np.concatenate([x.numpy() for x in ds])
    ref = _reference(boxes, labels, True)["class_targets"]
    np.testing.assert_array_equal(got, np.where(ref == -2, -1, ref))
    single = assigner(ANCHORS, boxes[0], labels[0])
    assert single["box_targets"].shape == (len(ANCHORS), 4)
    np.testing.assert_array_equal(
        single["match_indices"].numpy(),
        _reference(boxes, labels, True)["match_indices"][0],
    )


def test_no_boxes_and_config():
    assigner = AnchorTargetAssigner(0.5, 0.4, True, SCALES)
    out = assigner(ANCHORS, np.zeros((2, 0, 4), "float32"), np.zeros((2, 0), "int32"))
    assert (out["match_indicators"].numpy() == -1).all()
    assert (out["class_targets"].numpy() == -1).all()
    clone = AnchorTargetAssigner.from_config(assigner.get_config())
    assert clone.get_config() == assigner.get_config()


def test_bad_input():
    assigner = AnchorTargetAssigner(0.5)
    with pytest.raises(TypeError, match="integers"):
        assigner(ANCHORS, np.zeros((1, 2, 4)), np.zeros((1, 2), "float32"))
    with pytest.raises(ValueError, match="num_anchors"):
        assigner(ANCHORS[None], np.zeros((1, 2, 4)), np.zeros((1, 2), "int32"))
    with pytest.raises(ValueError, match="must not exceed"):
        AnchorTargetAssigner(0.4, 0.5)
    with pytest.raises(ValueError, match="NaN|finite"):
        assigner(ANCHORS, np.full((1, 2, 4), np.nan), np.zeros((1, 2), "int32"))
