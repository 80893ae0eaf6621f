# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ROIAlign: fixed-size features for boxes of any size, from one or several levels."""

import math
import re

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box.converters import check_last_dim
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format
from keras_cv.src.layers.proposal_sampler import RFC
from keras_cv.src.layers.proposal_sampler import check_int

_LEVEL = re.compile(r"^P(\d+)$")


def _check_output_size(output_size):
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        output_size = (output_size, output_size)
    ok = (
        isinstance(output_size, (list, tuple))
        and len(output_size) == 2
        and all(
            isinstance(d, int) and not isinstance(d, bool) and d > 0
            for d in output_size
        )
    )
    if not ok:
        raise ValueError(
            "`output_size` must be two positive ints (height, width), such as "
            f"(7, 7). Received: output_size={output_size!r}."
        )
    return tuple(int(d) for d in output_size)


def _levels(feature_maps):
    """Returns sorted `[(level, map)]`; a plain tensor is level 0 (stride 1)."""
    if isinstance(feature_maps, dict):
        levels = []
        for key, value in feature_maps.items():
            match = _LEVEL.match(str(key))
            if match is None:
                raise ValueError(
                    "The keys of `feature_maps` must name pyramid levels as "
                    "'P<level>' (stride 2**level), such as 'P3'. Received keys "
                    f"{sorted(feature_maps)}."
                )
            levels.append((int(match.group(1)), value))
        if not levels:
            raise ValueError(
                "`feature_maps` is an empty dict; pass at least one level."
            )
        return sorted(levels, key=lambda item: item[0])
    return [(0, feature_maps)]


def roi_align(features, boxes, box_indices, output_size, sampling_ratio, stride):
    """ROIAlign of `boxes` (`[K, 4]` xyxy in image pixels) on one map.

    Each output cell averages `sampling_ratio**2` bilinear samples placed at
    the centres of a regular sub-grid of the cell. Samples just outside the
    map read the nearest edge value (as in the reference implementation).
    """
    height, width = output_size
    s = sampling_ratio
    shape = tf.shape(features)
    map_h = tf.cast(shape[1], "float32")
    map_w = tf.cast(shape[2], "float32")
    # Replicate the edges so that samples within one pixel outside the map
    # read the edge value instead of zero.
    features = tf.pad(features, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="SYMMETRIC")
    x1, y1, x2, y2 = tf.unstack(boxes / stride, 4, axis=-1)
    bin_h = (y2 - y1) / (height * s)
    bin_w = (x2 - x1) / (width * s)
    # Continuous coordinate c lies at index c - 0.5, plus one for the padding.
    first_y = y1 + 0.5 * bin_h + 0.5
    last_y = y2 - 0.5 * bin_h + 0.5
    first_x = x1 + 0.5 * bin_w + 0.5
    last_x = x2 - 0.5 * bin_w + 0.5
    norm_boxes = tf.stack(
        [
            first_y / (map_h + 1.0),
            first_x / (map_w + 1.0),
            last_y / (map_h + 1.0),
            last_x / (map_w + 1.0),
        ],
        axis=-1,
    )
    crops = tf.image.crop_and_resize(
        features, norm_boxes, box_indices, (height * s, width * s), method="bilinear"
    )
    if s > 1:
        crops = tf.nn.avg_pool2d(crops, ksize=s, strides=s, padding="VALID")
    return crops


@api_export("keras_cv.layers.ROIPooler", stability="stable", rfc=RFC)
class ROIPooler(keras.layers.Layer):
    """Crops a fixed-size feature grid for every region of interest (ROIAlign).

    The second stage of Faster R-CNN classifies each proposal from a fixed
    `output_size` grid of features. This layer computes it with ROIAlign:
    each output cell is the average of `sampling_ratio x sampling_ratio`
    bilinearly interpolated samples, without rounding the box to the
    feature grid. With several pyramid levels, each box is pooled from one
    level chosen by its size: `level = floor(canonical_level +
    log2(sqrt(area) / canonical_size))`, clamped to the levels given, so
    that a 224-pixel box reads level 4 and a box twice as large level 5.

    Boxes reaching outside the image or the feature map are fine: samples
    beyond the edge read the nearest edge feature (boxes are clipped to half
    a feature pixel beyond the map). Zero-area boxes give the feature at their point.

    Reference: [Mask R-CNN](https://arxiv.org/abs/1703.06870) (ROIAlign)
    and [Feature Pyramid Networks](https://arxiv.org/abs/1612.03144)
    (level assignment, equation 1).

    Args:
        output_size: the `(height, width)` of each pooled grid.
        sampling_ratio: samples per output cell along each axis.
        bounding_box_format: the format of `rois`.
        canonical_size: the box size assigned to `canonical_level`.
        canonical_level: the level of boxes of `canonical_size`.

    Call arguments:
        feature_maps: a feature map `[B, H, W, C]` (then `rois` are in its
            own pixel units), or a dict from level name `"P<k>"` to maps of
            stride `2**k` (then `rois` are in image pixels); or a pair
            `(feature_maps, rois)`.
        rois: boxes `[B, M, 4]`.

    Input shape:
        `[B, H, W, C]` maps (or a dict of them) and `[B, M, 4]` boxes.

    Output shape:
        `[B, M, output_height, output_width, C]`.

    Examples:

    >>> features = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> pooler = keras_cv.layers.ROIPooler(output_size=(2, 2), sampling_ratio=1)
    >>> pooled = pooler(features, [[[0.0, 0.0, 4.0, 4.0]]])
    >>> pooled.numpy()[0, 0, :, :, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """

    def __new__(cls, *args, **kwargs):
        from keras_cv.src.layers import compat

        if cls is ROIPooler and compat.is_legacy_roi_pooler_call(args, kwargs):
            # keras-cv 0.9: ROIPooler(bounding_box_format, target_size, image_shape).
            return compat.LegacyROIPooler(*args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(
        self,
        output_size=(7, 7),
        sampling_ratio=2,
        bounding_box_format="xyxy",
        canonical_size=224.0,
        canonical_level=4,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._allow_non_tensor_positional_args = True
        self.output_size = _check_output_size(output_size)
        self.sampling_ratio = check_int(sampling_ratio, "sampling_ratio", 1)
        self.bounding_box_format = validate_format(bounding_box_format)
        if self.bounding_box_format.startswith("rel_"):
            raise ValueError(
                "ROIPooler needs boxes in pixels; convert relative boxes first. "
                f"Received: bounding_box_format={bounding_box_format!r}."
            )
        if not float(canonical_size) > 0:
            raise ValueError(
                f"`canonical_size` must be > 0. Received: {canonical_size!r}."
            )
        self.canonical_size = float(canonical_size)
        self.canonical_level = int(canonical_level)

    def _assign_levels(self, boxes, levels):
        area = tf.maximum(boxes[:, 2] - boxes[:, 0], 0.0) * tf.maximum(
            boxes[:, 3] - boxes[:, 1], 0.0
        )
        size = tf.sqrt(tf.maximum(area, 1e-12))
        level = tf.floor(
            self.canonical_level
            + tf.math.log(size / self.canonical_size) / math.log(2.0)
        )
        return tf.cast(tf.clip_by_value(level, levels[0], levels[-1]), "int32")

    def call(self, feature_maps, rois=None):
        if rois is None:
            if not isinstance(feature_maps, (list, tuple)) or len(feature_maps) != 2:
                raise ValueError(
                    "ROIPooler needs `feature_maps` and `rois`: call it as "
                    "`layer(feature_maps, rois)` or `layer((feature_maps, rois))`. "
                    f"Received only one input of type {type(feature_maps).__name__}."
                )
            feature_maps, rois = feature_maps
        levels = _levels(feature_maps)
        maps = []
        for level, value in levels:
            value = tf.convert_to_tensor(value)
            if value.shape.rank != 4:
                raise ValueError(
                    "Each feature map must be [B, H, W, C]. Received level "
                    f"{level} of shape {tuple(value.shape)}."
                )
            maps.append(value)
        channels = {m.shape[-1] for m in maps}
        if len(channels) > 1:
            raise ValueError(
                "All pyramid levels must have the same number of channels. "
                f"Received channels {sorted(channels, key=str)}."
            )
        rois = tf.convert_to_tensor(rois)
        check_last_dim(rois, "rois")
        if rois.shape.rank != 3:
            raise ValueError(
                f"`rois` must be [B, M, 4]. Received shape {tuple(rois.shape)}."
            )
        rois = tf.cast(rois, "float32")
        if self.bounding_box_format != "xyxy":
            rois = convert_format(rois, self.bounding_box_format, "xyxy")
        batch = tf.shape(rois)[0]
        num = tf.shape(rois)[1]
        flat = tf.reshape(rois, [-1, 4])
        box_indices = tf.repeat(tf.range(batch), num)
        out_h, out_w = self.output_size
        if len(maps) == 1:
            stride = float(2 ** levels[0][0])
            flat = self._clip(flat, maps[0], stride)
            pooled = roi_align(
                maps[0],
                flat,
                box_indices,
                self.output_size,
                self.sampling_ratio,
                stride,
            )
        else:
            assigned = self._assign_levels(flat, [lv for lv, _ in levels])
            positions, pieces = [], []
            for level, fmap in zip((lv for lv, _ in levels), maps):
                where = tf.cast(tf.where(tf.equal(assigned, level))[:, 0], "int32")
                stride = float(2**level)
                boxes = self._clip(tf.gather(flat, where), fmap, stride)
                pieces.append(
                    roi_align(
                        fmap,
                        boxes,
                        tf.gather(box_indices, where),
                        self.output_size,
                        self.sampling_ratio,
                        stride,
                    )
                )
                positions.append(where)
            pooled = tf.dynamic_stitch(positions, pieces)
        channels = maps[0].shape[-1]
        return tf.reshape(
            pooled, [batch, num, out_h, out_w, -1 if channels is None else channels]
        )

    @staticmethod
    def _clip(boxes, fmap, stride):
        """Clips boxes to half a pixel beyond the map (samples read the edge)."""
        shape = tf.cast(tf.shape(fmap), "float32")
        high = (tf.stack([shape[2], shape[1], shape[2], shape[1]]) + 0.5) * stride
        return tf.clip_by_value(boxes, -0.5 * stride, high)

    def compute_output_spec(self, feature_maps, rois=None):
        if rois is None:
            feature_maps, rois = feature_maps
        first = _levels(feature_maps)[0][1]
        return keras.KerasTensor(
            (rois.shape[0], rois.shape[1]) + self.output_size + (first.shape[-1],),
            dtype="float32",
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "output_size": list(self.output_size),
                "sampling_ratio": self.sampling_ratio,
                "bounding_box_format": self.bounding_box_format,
                "canonical_size": self.canonical_size,
                "canonical_level": self.canonical_level,
            }
        )
        return config
