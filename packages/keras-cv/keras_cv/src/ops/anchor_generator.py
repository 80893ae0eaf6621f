# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Multi-level anchor boxes for single-stage detectors."""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format


def _per_level(value, levels, name, nested):
    """Expands `value` to one entry per level (a list of lists if nested)."""
    if isinstance(value, dict):
        missing = [k for k in levels if k not in value]
        if missing:
            raise ValueError(
                f"`{name}` is a dict but has no entry for the levels {missing}. "
                f"Received keys: {sorted(value)}; expected: {levels}."
            )
        out = [value[k] for k in levels]
    elif (
        nested
        and isinstance(value, (list, tuple))
        and value
        and not isinstance(value[0], (list, tuple))
    ):
        out = [list(value)] * len(levels)  # shared by every level
    elif isinstance(value, (list, tuple)):
        if len(value) != len(levels):
            raise ValueError(
                f"`{name}` must have one entry per level ({len(levels)} levels). "
                f"Received {len(value)} entries: {value!r}."
            )
        out = list(value)
    else:
        out = [value] * len(levels)
    if nested:
        out = [list(v) if isinstance(v, (list, tuple)) else [v] for v in out]
        for v in out:
            for x in v:
                if not float(x) > 0:
                    raise ValueError(
                        f"Every value of `{name}` must be positive. Received: {value!r}."
                    )
    return out


_IMAGE_SIZE_MESSAGE = (
    "`image_size` must be `(height, width)` of positive integers (pixels), "
    "such as (512, 512) or `tf.shape(images)[1:3]`."
)


def check_image_size(image_size, argument="image_size"):
    """`(height, width)` as float32 scalars after checking they are positive ints.

    Python values must be ints (a `(height, width, channels)` triple is
    accepted too); tensors must hold positive whole numbers (checked when
    the graph runs if they are symbolic).
    """
    message = _IMAGE_SIZE_MESSAGE.replace("`image_size`", f"`{argument}`")
    if isinstance(image_size, (str, bytes, dict)) or image_size is None:
        raise TypeError(f"{message} Received: {argument}={image_size!r}.")
    if isinstance(image_size, (list, tuple)):
        if len(image_size) not in (2, 3):
            raise ValueError(
                f"{message} Received {len(image_size)} values: "
                f"{argument}={image_size!r}."
            )
        image_size = image_size[:2]
        for value in image_size:
            if isinstance(value, (tf.Tensor, np.ndarray)) and not isinstance(
                value, np.generic
            ):
                continue
            if isinstance(value, (bool, np.bool_)) or not isinstance(
                value, (int, np.integer)
            ):
                raise TypeError(f"{message} Received: {argument}={image_size!r}.")
            if value < 1:
                raise ValueError(f"{message} Received: {argument}={image_size!r}.")
        values = [tf.convert_to_tensor(v) for v in image_size]
        for v in values:
            if v.shape.rank not in (None, 0):
                raise ValueError(
                    f"{message} Received a value of shape {tuple(v.shape)} in "
                    f"{argument}={image_size!r}."
                )
        size = tf.stack([tf.cast(v, "float32") for v in values])
    else:
        size = tf.convert_to_tensor(image_size)
        if not (size.dtype.is_integer or size.dtype.is_floating):
            raise TypeError(f"{message} Received a tensor of dtype {size.dtype.name}.")
        if size.shape.rank == 1 and size.shape[0] == 3:
            size = size[:2]
        if size.shape.rank != 1 or size.shape[0] != 2:
            raise ValueError(
                f"{message} Received: {argument} with shape {tuple(size.shape)}."
            )
        size = tf.cast(size, "float32")
    ok = tf.reduce_all(tf.logical_and(size >= 1.0, tf.equal(size, tf.math.round(size))))
    size = validation.guard(size, ok, message, {argument: size})
    return size[0], size[1]


@api_export("keras_cv.ops.AnchorGenerator", stability="stable", rfc=RFC)
class AnchorGenerator(keras.layers.Layer):
    """Generates the anchor boxes of a feature pyramid.

    Each pyramid level has a stride (pixels between neighbouring anchor
    centres) and an anchor size. At every location of a level there is one
    anchor per (scale, aspect ratio) pair, scales varying slowest: an anchor
    of scale `s` and aspect ratio `r` (width / height) has width
    `size * s * sqrt(r)` and height `size * s / sqrt(r)`, centred at
    `((col + 0.5) * stride, (row + 0.5) * stride)`. A level covers
    `ceil(height / stride) x ceil(width / stride)` locations, rows first.

    Reference: [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002).

    Args:
        anchor_sizes: the base anchor size of each level: a list, or a dict
            keyed by level name (e.g. `{"P3": 32, ...}`).
        scales: anchor scales relative to the base size: a list shared by
            all levels, a list of lists (one per level) or a dict of lists.
        aspect_ratios: width / height ratios, same forms as `scales`.
        strides: the stride of each level: a list or a dict.
        clip_boxes: clip the anchors to the image.
        bounding_box_format: the format of the returned anchors.

    Call arguments:
        image_size: `(height, width)` of the image: positive Python ints,
            or integer scalar tensors (e.g. `tf.shape(images)[1:3]`). Zero,
            negative, fractional and non-numeric sizes raise an error.

    Returns:
        A dict `{level: [num_anchors_of_level, 4]}` when `anchor_sizes` is a
        dict, otherwise all levels concatenated into `[num_anchors, 4]`.

    Examples:

    >>> gen = keras_cv.ops.AnchorGenerator(anchor_sizes=[8], scales=[1.0],
    ...                       aspect_ratios=[1.0], strides=[8])
    >>> gen((16, 8)).numpy().tolist()
    [[0.0, 0.0, 8.0, 8.0], [0.0, 8.0, 8.0, 16.0]]
    """

    def __init__(
        self,
        anchor_sizes,
        scales,
        aspect_ratios,
        strides,
        clip_boxes=False,
        bounding_box_format="xyxy",
        **kwargs,
    ):
        super().__init__(**kwargs)
        # Lists and Python scalars are accepted as well as tensors.
        self._allow_non_tensor_positional_args = True
        self.bounding_box_format = validate_format(bounding_box_format)
        self.clip_boxes = bool(clip_boxes)
        if isinstance(anchor_sizes, dict):
            self._levels = list(anchor_sizes)
            self._as_dict = True
        elif isinstance(anchor_sizes, (list, tuple)):
            self._levels = [str(i) for i in range(len(anchor_sizes))]
            self._as_dict = False
            anchor_sizes = dict(zip(self._levels, anchor_sizes))
        else:
            raise TypeError(
                "`anchor_sizes` must be a list of per-level sizes or a dict "
                f"keyed by level name. Received: {anchor_sizes!r}."
            )
        if not self._levels:
            raise ValueError("`anchor_sizes` must name at least one pyramid level.")

        self._sizes = _per_level(anchor_sizes, self._levels, "anchor_sizes", False)
        self._scales = _per_level(scales, self._levels, "scales", True)
        self._ratios = _per_level(aspect_ratios, self._levels, "aspect_ratios", True)
        self._strides = _per_level(strides, self._levels, "strides", False)
        for name, values in (("anchor_sizes", self._sizes), ("strides", self._strides)):
            if any(not float(v) > 0 for v in values):
                raise ValueError(
                    f"Every value of `{name}` must be positive. Received: {values!r}."
                )
        self.anchor_sizes = (
            anchor_sizes if self._as_dict else list(anchor_sizes.values())
        )
        self.scales = scales
        self.aspect_ratios = aspect_ratios
        self.strides = strides

    @property
    def anchors_per_location(self):
        """The number of anchors at each location of each level (a list)."""
        return [len(s) * len(r) for s, r in zip(self._scales, self._ratios)]

    def _level_anchors(self, height, width, size, scales, ratios, stride):
        shapes = []
        for scale in scales:
            for ratio in ratios:
                base = float(size) * float(scale)
                shapes.append((base * math.sqrt(ratio), base / math.sqrt(ratio)))
        wh = tf.constant(shapes, "float32")  # [K, 2]
        stride_f = float(stride)
        rows = tf.cast(tf.math.ceil(height / stride_f), "int32")
        cols = tf.cast(tf.math.ceil(width / stride_f), "int32")
        cy = (tf.cast(tf.range(rows), "float32") + 0.5) * stride_f
        cx = (tf.cast(tf.range(cols), "float32") + 0.5) * stride_f
        cy, cx = tf.meshgrid(cy, cx, indexing="ij")
        centers = tf.stack(
            [tf.reshape(cx, [-1]), tf.reshape(cy, [-1])], axis=-1
        )  # [L, 2]
        centers = centers[:, None, :]
        half = wh[None, :, :] / 2.0
        boxes = tf.concat([centers - half, centers + half], axis=-1)  # [L, K, 4] xyxy
        boxes = tf.reshape(boxes, [-1, 4])
        if self.clip_boxes:
            limits = tf.stack([width, height, width, height])
            boxes = tf.clip_by_value(boxes, 0.0, limits)
        if self.bounding_box_format != "xyxy":
            boxes = convert_format(
                boxes, "xyxy", self.bounding_box_format, height=height, width=width
            )
        return boxes

    def call(self, image_size):
        height, width = check_image_size(image_size)
        per_level = {}
        for level, size, scales, ratios, stride in zip(
            self._levels, self._sizes, self._scales, self._ratios, self._strides
        ):
            per_level[level] = self._level_anchors(
                height, width, size, scales, ratios, stride
            )
        if self._as_dict:
            return per_level
        return tf.concat(list(per_level.values()), axis=0)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "anchor_sizes": self.anchor_sizes,
                "scales": self.scales,
                "aspect_ratios": self.aspect_ratios,
                "strides": self.strides,
                "clip_boxes": self.clip_boxes,
                "bounding_box_format": self.bounding_box_format,
            }
        )
        return config
