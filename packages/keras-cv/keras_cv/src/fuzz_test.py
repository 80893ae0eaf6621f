# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Property tests: random (often bad) box dicts and label tensors.

Every public function that takes them must either return a documented
result or raise a ValueError/TypeError; never crash, hang, raise another
error type, or return a NaN that was not in the input.
"""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.losses.focal_loss import FocalLoss
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.target_gather import TargetGather

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COORD = st.one_of(
    st.floats(-50, 150, allow_nan=False, width=32),
    st.sampled_from([np.nan, np.inf, -np.inf, -1.0, 0.0]),
)
LABEL = st.one_of(
    st.integers(-4, 6),
    st.sampled_from([0.5, -1.5, np.nan, 2.0]),
)


@st.composite
def box_dicts(draw):
    """Dense or ragged `{"boxes", "labels"}`, lengths sometimes mismatched."""
    batch = draw(st.integers(1, 3))
    lengths = draw(st.lists(st.integers(0, 3), min_size=batch, max_size=batch))
    label_lengths = lengths
    if draw(st.booleans()):
        label_lengths = draw(
            st.lists(st.integers(0, 3), min_size=batch, max_size=batch + 1)
        )
    boxes = [[[draw(COORD) for _ in range(4)] for _ in range(n)] for n in lengths]
    labels = [[draw(LABEL) for _ in range(n)] for n in label_lengths]
    layout = draw(st.sampled_from(["ragged", "dense", "dense_boxes", "dense_labels"]))

    def ragged(rows, inner=None):
        if inner:
            return tf.ragged.constant(
                rows, ragged_rank=1, inner_shape=inner, dtype="float32"
            )
        return tf.ragged.constant(rows, dtype="float32")

    def dense(rows, inner=None):
        width = max([len(r) for r in rows] + [0])
        pad = [-1.0] * 4 if inner else -1.0
        return np.array(
            [list(r) + [pad] * (width - len(r)) for r in rows], "float32"
        ).reshape((len(rows), width) + ((4,) if inner else ()))

    out = {
        "boxes": ragged(boxes, (4,))
        if layout in ("ragged", "dense_labels")
        else dense(boxes, True),
        "labels": ragged(labels)
        if layout in ("ragged", "dense_boxes")
        else dense(labels),
    }
    if draw(st.booleans()):
        out["classes"] = out.pop("labels")
    return out


def _values(x):
    if isinstance(x, dict):
        return [v for k, v in x.items()]
    return [x]


def _no_new_nan(result, inputs):
    inputs_nan = any(
        np.isnan(
            np.asarray(
                v.flat_values if isinstance(v, tf.RaggedTensor) else v, "float64"
            )
        ).any()
        for v in inputs
    )
    for v in _values(result):
        if isinstance(v, tf.RaggedTensor):
            v = v.flat_values
        arr = np.asarray(v, "float64")
        if not inputs_nan:
            assert not np.isnan(arr).any()


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (ValueError, TypeError):
        return None


OPS = {
    "standardize": converters.standardize,
    "to_dense": converters.to_dense,
    "to_dense_max": lambda d: converters.to_dense(d, max_boxes=2),
    "to_ragged": converters.to_ragged,
    "convert": lambda d: converters.convert_format(d, "xyxy", "center_xywh"),
    "convert_rel": lambda d: converters.convert_format(
        d, "xyxy", "rel_xyxy", height=100, width=100
    ),
    "clip": lambda d: converters.clip_to_image(d, height=100, width=100),
}


@pytest.mark.parametrize("op", sorted(OPS))
@SETTINGS
@given(data=box_dicts())
def test_box_dict_functions(op, data):
    result = _call(OPS[op], data)
    if result is not None:
        _no_new_nan(result, _values(data))
        assert set(result) >= {"boxes"}


@SETTINGS
@given(data=box_dicts())
def test_box_dicts_through_iou_matcher_gather(data):
    """The encoding pipeline of a single-stage detector on random dicts."""
    dense = _call(converters.to_dense, data)
    if dense is None:
        return
    boxes = dense["boxes"]
    labels = dense.get("labels", dense.get("classes"))
    anchors = np.array(
        [[0, 0, 50, 50], [25, 25, 75, 75], [50, 50, 100, 100]], "float32"
    )
    iou = _call(
        IouSimilarity(),
        anchors,
        boxes,
        mask=tf.equal(tf.cast(labels, "int32"), -1)[:, None, :],
    )
    if iou is None:
        return
    assert not np.isnan(iou.numpy()).any()
    matcher = BoxMatcher(
        positive_threshold=0.5, negative_threshold=0.4, force_match_for_each_col=True
    )
    indices, indicators = matcher(iou)
    assert set(np.unique(indicators.numpy())) <= {-2, -1, 1}
    gathered = TargetGather()(labels, indices, mask=indicators != 1, mask_value=-1)
    assert gathered.shape == indices.shape


@SETTINGS
@given(
    boxes=st.lists(st.lists(COORD, min_size=4, max_size=4), min_size=0, max_size=4),
    fmt=st.sampled_from(converters.FORMATS),
)
def test_box_tensors_through_convert_and_iou(boxes, fmt):
    boxes = np.array(boxes, "float32").reshape(-1, 4)
    out = _call(converters.convert_format, boxes, fmt, "xyxy", height=100, width=100)
    if out is not None:
        assert np.isfinite(boxes).all()
        assert not np.isnan(out.numpy()).any()
    iou = _call(IouSimilarity(bounding_box_format=fmt), boxes, boxes)
    if iou is not None:
        assert np.isfinite(boxes).all()
        assert np.isfinite(iou.numpy()).all()


@SETTINGS
@given(
    targets=st.lists(
        st.one_of(
            st.integers(-4, 5),
            st.sampled_from([0.5, np.nan, np.inf, 1.0, 0.0]),
        ),
        min_size=1,
        max_size=6,
    ),
    sparse=st.booleans(),
)
def test_label_tensors_through_focal_loss(targets, sparse):
    num_classes = 3
    targets = np.array(targets, "float32")
    loss = FocalLoss(from_logits=True)
    if sparse:
        y_pred = np.zeros((len(targets), num_classes), "float32")
        y_true = targets
        valid = np.isin(targets, [-2, -1, 0, 1, 2])
    else:
        y_pred = np.zeros((1, len(targets)), "float32")
        y_true = targets[None]
        valid = np.isin(targets, [0, 1])
    out = _call(loss, y_true, y_pred)
    assert (out is not None) == bool(valid.all())
    if out is not None:
        assert np.isfinite(out.numpy())


@SETTINGS
@given(
    indices=st.lists(st.integers(-3, 6), min_size=1, max_size=5),
    num_objects=st.integers(0, 4),
)
def test_indices_through_target_gather(indices, num_objects):
    labels = np.arange(num_objects, dtype="int32")
    out = _call(TargetGather(), labels, indices)
    limit = max(num_objects, 1)
    assert (out is not None) == all(0 <= i < limit for i in indices)
