# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Encodes boxes as offsets from anchors, and decodes them back."""

import math

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import check_finite
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format

# Largest log-size ratio accepted when decoding (boxes up to 1000/16 times
# their anchor), so that exp() of an untrained prediction cannot overflow.
MAX_LOG_SCALE = math.log(1000.0 / 16.0)
_EPS = 1e-8


def _center_xywh(boxes, fmt):
    if fmt == "xyxy":
        # The common case, without a format conversion's copies: the same
        # arithmetic as `convert_format(boxes, "xyxy", "center_xywh")`.
        boxes = check_finite(boxes)
        x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
        w = x2 - x1
        h = y2 - y1
        return x1 + w / 2.0, y1 + h / 2.0, w, h
    if fmt.startswith("rel_"):
        boxes = convert_format(
            boxes, fmt, "center_xywh", height=1.0, width=1.0, dtype=boxes.dtype
        )
    else:
        boxes = convert_format(boxes, fmt, "center_xywh", dtype=boxes.dtype)
    return tf.unstack(boxes, 4, axis=-1)


def check_same_count(boxes, anchors, boxes_name, anchors_name, hint):
    """Returns `boxes` after checking it has one row per anchor.

    Broadcasting over leading (batch) dimensions is fine; a different number
    of rows is not (it would be silently broadcast or fail deep inside).
    """
    if boxes.shape.rank is not None and boxes.shape.rank < 2:
        return boxes
    if anchors.shape.rank is not None and anchors.shape.rank < 2:
        raise ValueError(
            f"`{anchors_name}` must be [num_anchors, 4] or [batch, num_anchors, "
            f"4]. Received shape {tuple(anchors.shape)}."
        )
    if anchors.shape.rank is not None and anchors.shape.rank > 2:
        # Batched anchors: leading dimensions broadcast (e.g. one anchor per
        # row shared by a class axis), but they must be compatible.
        try:
            tf.broadcast_static_shape(boxes.shape[:-1], anchors.shape[:-1])
        except ValueError:
            raise ValueError(
                f"`{boxes_name}` and `{anchors_name}` have incompatible shapes: "
                f"{tuple(boxes.shape)} and {tuple(anchors.shape)}. {hint}"
            ) from None
        return boxes
    rows, anchor_rows = boxes.shape[-2], anchors.shape[-2]
    message = (
        f"`{boxes_name}` and `{anchors_name}` must have one row per anchor: "
        f"their second-to-last dimensions must be equal. {hint}"
    )
    if rows is not None and anchor_rows is not None:
        if rows != anchor_rows:
            raise ValueError(
                f"{message} Received: {boxes_name}.shape={tuple(boxes.shape)}, "
                f"{anchors_name}.shape={tuple(anchors.shape)}."
            )
        return boxes
    count, anchor_count = tf.shape(boxes)[-2], tf.shape(anchors)[-2]
    return validation.guard(
        boxes,
        tf.equal(count, anchor_count),
        message,
        {f"{boxes_name} rows": count, f"{anchors_name} rows": anchor_count},
    )


@api_export("keras_cv.ops.BoxCoder", stability="stable", rfc=RFC)
class BoxCoder(keras.layers.Layer):
    """Encodes boxes as scaled offsets from anchors, and decodes them.

    The encoding of R-CNN and RetinaNet: a box with centre `(x, y)` and size
    `(w, h)` relative to an anchor `(xa, ya, wa, ha)` becomes
    `[sx * (x - xa) / wa, sy * (y - ya) / ha, sw * log(w / wa), sh * log(h / ha)]`
    with `scale_factors = [sx, sy, sw, sh]`. `decode` inverts it (size
    offsets are clipped at `log(1000 / 16)` so untrained outputs cannot
    overflow). Calling the layer encodes.

    Reference: [Rich feature hierarchies for accurate object detection and
    semantic segmentation](https://arxiv.org/abs/1311.2524), appendix C.

    Args:
        scale_factors: four multipliers for the x, y, width and height
            offsets; `None` means `[1, 1, 1, 1]`. RetinaNet uses
            `[10, 10, 5, 5]`.
        bounding_box_format: the format of boxes and anchors.

    Call arguments:
        boxes: boxes `[..., M, 4]` to encode (decoded boxes for `decode`).
        anchor_boxes: anchors `[M, 4]` or `[..., M, 4]`.

    Input shape:
        `[..., M, 4]` boxes and `[M, 4]` (or `[..., M, 4]`) anchors.

    Output shape:
        `[..., M, 4]` offsets.

    Examples:

    >>> coder = keras_cv.ops.BoxCoder(scale_factors=[10.0, 10.0, 5.0, 5.0])
    >>> anchors = [[0.0, 0.0, 10.0, 10.0]]
    >>> deltas = coder.encode([[1.0, 1.0, 11.0, 11.0]], anchors)
    >>> deltas.numpy().round(3).tolist()
    [[1.0, 1.0, 0.0, 0.0]]
    >>> coder.decode(deltas, anchors).numpy().round(3).tolist()
    [[1.0, 1.0, 11.0, 11.0]]
    """

    def __init__(self, scale_factors=None, bounding_box_format="xyxy", **kwargs):
        super().__init__(**kwargs)
        # Lists and Python scalars are accepted as well as tensors.
        self._allow_non_tensor_positional_args = True
        if scale_factors is None:
            scale_factors = [1.0, 1.0, 1.0, 1.0]
        scale_factors = [float(s) for s in scale_factors]
        if len(scale_factors) != 4 or any(not s > 0 for s in scale_factors):
            raise ValueError(
                "`scale_factors` must be four positive numbers (x, y, width, "
                f"height), such as [10.0, 10.0, 5.0, 5.0]. Received: {scale_factors!r}."
            )
        self.scale_factors = scale_factors
        self.bounding_box_format = validate_format(bounding_box_format)

    def encode(self, boxes, anchor_boxes):
        """Returns the offsets of `boxes` from `anchor_boxes`."""
        boxes = tf.convert_to_tensor(boxes)
        dtype = boxes.dtype if boxes.dtype.is_floating else tf.float32
        boxes = tf.cast(boxes, dtype)
        anchor_boxes = tf.cast(tf.convert_to_tensor(anchor_boxes), dtype)
        boxes = check_same_count(
            boxes,
            anchor_boxes,
            "boxes",
            "anchor_boxes",
            "Encode the boxes matched to each anchor (e.g. with `TargetGather`).",
        )
        x, y, w, h = _center_xywh(boxes, self.bounding_box_format)
        xa, ya, wa, ha = _center_xywh(anchor_boxes, self.bounding_box_format)
        wa = tf.maximum(wa, _EPS)
        ha = tf.maximum(ha, _EPS)
        sx, sy, sw, sh = self.scale_factors
        dx = sx * (x - xa) / wa
        dy = sy * (y - ya) / ha
        dw = sw * tf.math.log(tf.maximum(w, _EPS) / wa)
        dh = sh * tf.math.log(tf.maximum(h, _EPS) / ha)
        return tf.stack([dx, dy, dw, dh], axis=-1)

    def decode(self, deltas, anchor_boxes):
        """Returns the boxes that `deltas` encode relative to `anchor_boxes`."""
        deltas = tf.convert_to_tensor(deltas)
        dtype = deltas.dtype if deltas.dtype.is_floating else tf.float32
        deltas = tf.cast(deltas, dtype)
        anchor_boxes = tf.cast(tf.convert_to_tensor(anchor_boxes), dtype)
        deltas = check_same_count(
            deltas,
            anchor_boxes,
            "deltas",
            "anchor_boxes",
            "Decode predictions with the anchors of the same image size and "
            "anchor generator that the model was trained with.",
        )
        xa, ya, wa, ha = _center_xywh(anchor_boxes, self.bounding_box_format)
        sx, sy, sw, sh = self.scale_factors
        dx, dy, dw, dh = tf.unstack(deltas, 4, axis=-1)
        x = dx / sx * wa + xa
        y = dy / sy * ha + ya
        w = tf.exp(tf.minimum(dw / sw, MAX_LOG_SCALE)) * wa
        h = tf.exp(tf.minimum(dh / sh, MAX_LOG_SCALE)) * ha
        boxes = tf.stack([x, y, w, h], axis=-1)
        fmt = self.bounding_box_format
        size = 1.0 if fmt.startswith("rel_") else None
        return convert_format(
            boxes, "center_xywh", fmt, height=size, width=size, dtype=dtype
        )

    def call(self, boxes, anchor_boxes):
        return self.encode(boxes, anchor_boxes)

    def compute_output_shape(self, boxes_shape, anchor_shape):
        return tuple(boxes_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "scale_factors": self.scale_factors,
                "bounding_box_format": self.bounding_box_format,
            }
        )
        return config
