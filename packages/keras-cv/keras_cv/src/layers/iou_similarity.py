# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Pairwise intersection over union between two sets of boxes."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import check_finite
from keras_cv.src.bounding_box.converters import check_last_dim
from keras_cv.src.bounding_box.converters import check_numeric
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format
from keras_cv.src.static_shapes import known_elements


def box_areas(x1, y1, x2, y2):
    """Areas of xyxy boxes given by their coordinates (0 when inverted)."""
    return tf.maximum(x2 - x1, 0.0) * tf.maximum(y2 - y1, 0.0)


def pairwise_iou(
    boxes1,
    boxes2,
    bounding_box_format="xyxy",
    image_shape=None,
    mask=None,
    mask_value=-1.0,
):
    """IoU of every box of `boxes1` with every box of `boxes2`.

    `boxes1` is `[..., N, 4]`, `boxes2` is `[..., M, 4]` (leading dimensions
    broadcast); the result is `[..., N, M]`. Boxes with no area have IoU 0
    with everything (never NaN). Where the optional boolean `mask`
    (broadcastable to the result) is True, the result is `mask_value`.
    NaN or infinite coordinates raise a ValueError (an assertion with the
    same text in graphs): NaN would silently make every IoU 0.
    """
    fmt = validate_format(bounding_box_format)
    boxes1 = tf.convert_to_tensor(boxes1)
    boxes2 = tf.convert_to_tensor(boxes2)
    check_last_dim(boxes1, "boxes1")
    check_last_dim(boxes2, "boxes2")
    check_numeric(boxes1, "boxes1")
    check_numeric(boxes2, "boxes2")
    if boxes1.dtype.is_floating:
        boxes1 = check_finite(boxes1, "boxes1")
    if boxes2.dtype.is_floating:
        boxes2 = check_finite(boxes2, "boxes2")
    dtype = boxes1.dtype if boxes1.dtype.is_floating else tf.float32
    height = width = None
    if fmt.startswith("rel_"):
        # IoU does not depend on the scale; use the unit square.
        height = width = 1.0
    if fmt != "xyxy":
        boxes1 = convert_format(
            boxes1, fmt, "xyxy", height=height, width=width, dtype=dtype
        )
        boxes2 = convert_format(
            boxes2, fmt, "xyxy", height=height, width=width, dtype=dtype
        )
    boxes1 = tf.cast(boxes1, dtype)
    boxes2 = tf.cast(boxes2, dtype)
    if _known_pairs(boxes1, boxes2) >= FUSED_MIN_PAIRS:
        # Large problems (label encoding of whole batches): one fused XLA
        # kernel instead of ~13 passes over the [..., N, M] intermediates.
        # Compiled once per concrete shape. The statically known dimensions
        # alone must reach the threshold (e.g. 49k anchors x 20 boxes with
        # an unknown batch size, as in `Dataset.batch`); small problems and
        # those of unknown size keep the op-by-op path and never compile.
        if mask is None:
            return _fused_iou(boxes1, boxes2)
        return _fused_masked_iou(
            boxes1, boxes2, mask, tf.constant(mask_value, boxes1.dtype)
        )
    iou = _iou_xyxy(boxes1, boxes2)
    if mask is not None:
        iou = tf.where(mask, tf.constant(mask_value, iou.dtype), iou)
    return iou


# Number of box pairs from which `pairwise_iou` uses the fused kernel.
FUSED_MIN_PAIRS = 1 << 18


def _known_pairs(boxes1, boxes2):
    """Product of the output's statically known dimensions (0 if rank unknown)."""
    try:
        shape = tf.broadcast_static_shape(
            boxes1.shape[:-2], boxes2.shape[:-2]
        ).concatenate([boxes1.shape[-2], boxes2.shape[-2]])
    except ValueError:
        return 0
    return known_elements(shape)


def _iou_xyxy(boxes1, boxes2):
    a_x1, a_y1, a_x2, a_y2 = tf.unstack(boxes1[..., :, None, :], 4, axis=-1)
    b_x1, b_y1, b_x2, b_y2 = tf.unstack(boxes2[..., None, :, :], 4, axis=-1)
    inter = tf.nn.relu(tf.minimum(a_x2, b_x2) - tf.maximum(a_x1, b_x1)) * tf.nn.relu(
        tf.minimum(a_y2, b_y2) - tf.maximum(a_y1, b_y1)
    )
    # Areas are computed on the small inputs, before broadcasting.
    union = (
        box_areas(a_x1, a_y1, a_x2, a_y2) + box_areas(b_x1, b_y1, b_x2, b_y2)
    ) - inter
    # union >= inter >= 0, and union == 0 only when both boxes have no area
    # (then inter == 0 too): dividing by max(union, tiny) gives 0, not NaN.
    return inter / tf.maximum(union, tf.constant(1e-30, union.dtype))


def _masked_iou(boxes1, boxes2, mask, mask_value):
    return tf.where(mask, mask_value, _iou_xyxy(boxes1, boxes2))


_fused_iou = tf.function(_iou_xyxy, jit_compile=True, autograph=False)
_fused_masked_iou = tf.function(_masked_iou, jit_compile=True, autograph=False)


@api_export("keras_cv.layers.IouSimilarity", stability="stable", rfc=RFC)
class IouSimilarity(keras.layers.Layer):
    """Computes the pairwise intersection over union (IoU) of two box sets.

    The first step of target assignment in single-stage detectors: the IoU
    of every anchor with every ground-truth box, which `BoxMatcher` then
    turns into matches. Works on one image (`[N, 4]` and `[M, 4]`) or on
    batches (`[B, N, 4]` and `[B, M, 4]`); an unbatched set is broadcast
    against a batched one (anchors are usually shared by all images).
    Boxes with no area (including -1 padding rows) have IoU 0. NaN or
    infinite coordinates raise a ValueError (inside `tf.function`/`tf.data`,
    an `InvalidArgumentError` with the same text).

    Args:
        bounding_box_format: the format of both box sets, e.g. `"xyxy"`.
        mask_value: the value written where `mask` is True.

    Call arguments:
        boxes1: boxes `[..., N, 4]`, e.g. the anchors; or a pair
            `(boxes1, boxes2)` when `boxes2` is omitted.
        boxes2: boxes `[..., M, 4]`, e.g. the ground-truth boxes.
        mask: optional boolean tensor broadcastable to `[..., N, M]`; where
            True the output is `mask_value`. For -1 padded ground truth,
            pass `labels[:, None, :] == -1`.

    Input shape:
        `[N, 4]` or `[B, N, 4]`, and `[M, 4]` or `[B, M, 4]`.

    Output shape:
        `[N, M]`, or `[B, N, M]` when either input is batched.

    Examples:

    >>> anchors = [[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]]
    >>> gt = [[0.0, 0.0, 2.0, 2.0]]
    >>> keras_cv.layers.IouSimilarity()(anchors, gt).numpy().astype(float).round(4).tolist()
    [[1.0], [0.1429]]
    """

    def __init__(self, bounding_box_format="xyxy", mask_value=-1.0, **kwargs):
        super().__init__(**kwargs)
        # Lists and Python scalars are accepted as well as tensors.
        self._allow_non_tensor_positional_args = True
        self.bounding_box_format = validate_format(bounding_box_format)
        self.mask_value = float(mask_value)

    def compute_mask(self, *args, **kwargs):
        # `mask` selects pairs to overwrite; it is not a Keras padding mask.
        return None

    def call(self, boxes1, boxes2=None, mask=None):
        if boxes2 is None:
            if not isinstance(boxes1, (list, tuple)) or len(boxes1) != 2:
                raise ValueError(
                    "IouSimilarity needs two box sets: call it as "
                    "`layer(boxes1, boxes2)` or `layer((boxes1, boxes2))`. "
                    f"Received only one input of type {type(boxes1).__name__}."
                )
            boxes1, boxes2 = boxes1
        boxes1 = tf.convert_to_tensor(boxes1)
        boxes2 = tf.convert_to_tensor(boxes2)
        if (
            boxes1.shape.rank == 3
            and boxes2.shape.rank == 3
            and boxes1.shape[0] is not None
            and boxes2.shape[0] is not None
            and boxes1.shape[0] != boxes2.shape[0]
        ):
            raise ValueError(
                "The two box sets must have the same batch size. Received: "
                f"boxes1.shape={tuple(boxes1.shape)}, boxes2.shape={tuple(boxes2.shape)}. "
                "Pass unbatched anchors ([M, 4]) to share them across the batch."
            )
        if isinstance(mask, (list, tuple)) and all(m is None for m in mask):
            mask = None  # Keras fills `mask` with the inputs' (absent) masks.
        if mask is not None:
            mask = tf.cast(mask, "bool")
        return pairwise_iou(
            boxes1,
            boxes2,
            self.bounding_box_format,
            mask=mask,
            mask_value=self.mask_value,
        )

    def compute_output_shape(self, boxes1_shape, boxes2_shape=None, mask_shape=None):
        if boxes2_shape is None:
            boxes1_shape, boxes2_shape = boxes1_shape
        batch = ()
        if len(boxes1_shape) == 3:
            batch = (boxes1_shape[0],)
        elif len(boxes2_shape) == 3:
            batch = (boxes2_shape[0],)
        return batch + (boxes1_shape[-2], boxes2_shape[-2])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "bounding_box_format": self.bounding_box_format,
                "mask_value": self.mask_value,
            }
        )
        return config
