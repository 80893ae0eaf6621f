# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Scale-jittered resize-and-crop, and a random crop that moves boxes right.

Both layers place a (scaled) copy of the image in an output canvas at an
offset: pixel `(y, x)` of the output shows pixel `((y - oy) / sy,
(x - ox) / sx)` of the input, and a box moves by the same map,
`x -> x * sx + ox`. Keras 3.15's `keras.layers.RandomCrop` subtracts the
vertical offset from x coordinates and the horizontal one from y (see the
test `test_keras_random_crop_moves_boxes_by_the_wrong_offset`), so
`keras_cv.augmentation.RandomCrop` is written on this map instead.
`segmentation_masks` and `instance_masks` are placed by the same map with
nearest-neighbour resizing, padded with background 0.
"""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.augmentation import box_utils
from keras_cv.src.bounding_box import converters


def _place(image, scale_y, scale_x, offset_y, offset_x, out_h, out_w, interpolation):
    """Resizes one image by (scale_y, scale_x) and places it at the offset."""
    in_h, in_w = box_utils.image_size(image)
    new_h = tf.maximum(
        tf.cast(tf.round(tf.cast(in_h, "float32") * scale_y), "int32"), 1
    )
    new_w = tf.maximum(
        tf.cast(tf.round(tf.cast(in_w, "float32") * scale_x), "int32"), 1
    )
    resized = tf.image.resize(image, tf.stack([new_h, new_w]), method=interpolation)
    resized = tf.cast(resized, image.dtype)
    pad_top = tf.maximum(offset_y, 0)
    pad_left = tf.maximum(offset_x, 0)
    pad_bottom = tf.maximum(out_h - new_h - offset_y, 0)
    pad_right = tf.maximum(out_w - new_w - offset_x, 0)
    padded = tf.pad(resized, [[pad_top, pad_bottom], [pad_left, pad_right], [0, 0]])
    start_y = tf.maximum(-offset_y, 0)
    start_x = tf.maximum(-offset_x, 0)
    placed = padded[start_y : start_y + out_h, start_x : start_x + out_w]
    # The exact factors applied to coordinates (after rounding the size).
    sy = tf.cast(new_h, "float32") / tf.cast(in_h, "float32")
    sx = tf.cast(new_w, "float32") / tf.cast(in_w, "float32")
    return placed, sy, sx


def _move_boxes(xyxy, sy, sx, offset_y, offset_x):
    scale = tf.stack([sx, sy, sx, sy])
    offset = tf.cast(tf.stack([offset_x, offset_y, offset_x, offset_y]), "float32")
    return xyxy * scale + offset


class _PlacementLayer(keras.layers.Layer):
    """Base: subclasses pick (scale_y, scale_x, offset_y, offset_x) per image."""

    def __init__(
        self, height, width, bounding_box_format, seed, interpolation, **kwargs
    ):
        super().__init__(**kwargs)
        for name, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"`{name}` must be a positive int. Received: {name}={value!r}."
                )
        self.height = height
        self.width = width
        self.bounding_box_format = converters.validate_format(bounding_box_format)
        self.seed = seed
        self.interpolation = interpolation
        self._allow_non_tensor_positional_args = True
        self.supports_jit = False

    def _sample(self, in_h, in_w, seed):
        raise NotImplementedError

    def _one(self, image, boxes, labels, masks, seed, training):
        in_h, in_w = box_utils.image_size(image)
        scale_y, scale_x, offset_y, offset_x = self._sample(in_h, in_w, seed, training)
        placement = (scale_y, scale_x, offset_y, offset_x, self.height, self.width)
        placed, sy, sx = _place(image, *placement, self.interpolation)
        placed = tf.ensure_shape(placed, (self.height, self.width, image.shape[-1]))
        placed_masks = None
        if masks is not None:
            # Same placement, nearest neighbour: labels are never blended.
            placed_masks, _, _ = _place(masks, *placement, "nearest")
            placed_masks = tf.ensure_shape(
                placed_masks, (self.height, self.width, masks.shape[-1])
            )
        if boxes is None:
            return placed, None, placed_masks
        was_padding = labels < 0
        xyxy = box_utils.to_xyxy(boxes, self.bounding_box_format, in_h, in_w)
        xyxy = _move_boxes(xyxy, sy, sx, offset_y, offset_x)
        out = box_utils.finish(
            xyxy, labels, was_padding, self.height, self.width, self.bounding_box_format
        )
        return placed, out, placed_masks

    def __call__(self, data, *args, **kwargs):
        return super().__call__(box_utils.to_tensors(data), *args, **kwargs)

    def call(self, data, training=True):
        data = box_utils.check_inputs(data, type(self).__name__)
        images = data["images"]
        bb = data.get("bounding_boxes")
        masks, mask_info = box_utils.pack_masks(data)
        labels = None if bb is None else tf.cast(bb["labels"], "int32")
        boxes = None if bb is None else bb["boxes"]
        base_seed = tf.random.uniform(
            [2], maxval=2**31 - 1, dtype="int32", seed=self.seed
        )
        if images.shape.rank != 4:
            image, out_bb, out_masks = self._one(
                images, boxes, labels, masks, base_seed, training
            )
        else:
            count = tf.shape(images)[0]
            seeds = tf.stack(
                [base_seed[0] + tf.range(count), tf.fill([count], base_seed[1])], 1
            )
            # Optional parts travel through map_fn as a tuple of present ones.
            parts = {"images": images, "seeds": seeds}
            signature = {
                "images": tf.TensorSpec(
                    (self.height, self.width, images.shape[-1]), images.dtype
                )
            }
            if bb is not None:
                parts.update(boxes=boxes, labels=labels)
                signature.update(
                    boxes=tf.TensorSpec(boxes.shape[1:], "float32"),
                    labels=tf.TensorSpec(labels.shape[1:], "int32"),
                )
            if masks is not None:
                parts["masks"] = masks
                signature["masks"] = tf.TensorSpec(
                    (self.height, self.width, masks.shape[-1]), "float32"
                )

            def one(p):
                image, out, placed_masks = self._one(
                    p["images"],
                    p.get("boxes"),
                    p.get("labels"),
                    p.get("masks"),
                    p["seeds"],
                    training,
                )
                result = {"images": image}
                if out is not None:
                    result.update(boxes=out["boxes"], labels=out["labels"])
                if placed_masks is not None:
                    result["masks"] = placed_masks
                return result

            mapped = tf.map_fn(one, parts, fn_output_signature=signature)
            image = mapped["images"]
            out_bb = (
                None
                if bb is None
                else {"boxes": mapped["boxes"], "labels": mapped["labels"]}
            )
            out_masks = mapped.get("masks")
        result = dict(data)
        result["images"] = image
        if out_bb is not None:
            # Per-box attributes (`is_crowd`, ...) stay with their rows.
            out_bb = box_utils.with_extras(out_bb, box_utils.extras_of(bb))
            result["bounding_boxes"] = out_bb
        if out_masks is not None:
            result.update(box_utils.unpack_masks(out_masks, mask_info))
            if "instance_masks" in result and out_bb is not None:
                result["instance_masks"] = box_utils.drop_instance_masks(
                    result["instance_masks"], out_bb["labels"]
                )
        return result

    def compute_output_spec(self, data, training=True):
        raise NotImplementedError(
            f"{type(self).__name__} is a data augmentation layer for "
            "`tf.data.Dataset.map`; it is not meant to be part of a model."
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "bounding_box_format": self.bounding_box_format,
                "seed": self.seed,
                "interpolation": self.interpolation,
            }
        )
        return config


@api_export("keras_cv.augmentation.JitteredResize", stability="experimental")
class JitteredResize(_PlacementLayer):
    """Scale-jittered resize and random crop (or pad) to a fixed size.

    The standard large-scale-jitter augmentation of detectors: the image is
    first scaled so that it fits `(height, width)` (aspect ratio kept), then
    by a random factor drawn from `scale_factor`; the result is cropped at a
    random position when larger than the output, or padded (bottom/right,
    at a random position) when smaller. Boxes follow exactly; boxes cut by
    the crop are clipped, and boxes that leave the crop become padding
    (label -1). In inference (`training=False`) the scale factor is 1 and
    the image sits at the top-left corner, i.e. a resize with padding.

    Args:
        height: output height.
        width: output width.
        scale_factor: `(min, max)` random scale relative to the fitted size.
        bounding_box_format: the format of the boxes.
        seed: integer seed.
        interpolation: `tf.image.resize` method name.

    Call arguments:
        data: `{"images": (batch,) h, w, c, "bounding_boxes": {"boxes",
            "labels"}}`, batched or not, optionally with
            `"segmentation_masks"` and `"instance_masks"`; input sizes may
            differ per image when unbatched (e.g. in `tf.data` before
            batching).
        training: jitter only in training mode.

    Examples:

    >>> import numpy as np
    >>> layer = JitteredResize(32, 32, scale_factor=(0.8, 1.25), seed=1)
    >>> out = layer({"images": np.zeros((40, 60, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[6.0, 4.0, 30.0, 20.0]], "labels": [2]}})
    >>> out["images"].shape
    TensorShape([32, 32, 3])
    """

    def __init__(
        self,
        height,
        width,
        scale_factor=(0.8, 1.25),
        bounding_box_format="xyxy",
        seed=None,
        interpolation="bilinear",
        **kwargs,
    ):
        super().__init__(
            height, width, bounding_box_format, seed, interpolation, **kwargs
        )
        if (
            not isinstance(scale_factor, (tuple, list))
            or len(scale_factor) != 2
            or not 0 < scale_factor[0] <= scale_factor[1]
        ):
            raise ValueError(
                "`scale_factor` must be a (min, max) tuple with 0 < min <= max, "
                f"such as (0.8, 1.25). Received: scale_factor={scale_factor!r}."
            )
        self.scale_factor = tuple(float(s) for s in scale_factor)

    def _sample(self, in_h, in_w, seed, training):
        in_h = tf.cast(in_h, "float32")
        in_w = tf.cast(in_w, "float32")
        fit = tf.minimum(self.height / in_h, self.width / in_w)
        if not training:
            return fit, fit, tf.constant(0), tf.constant(0)
        low, high = self.scale_factor
        scale = fit * tf.random.stateless_uniform([], seed, low, high)
        new_h = tf.cast(tf.round(in_h * scale), "int32")
        new_w = tf.cast(tf.round(in_w * scale), "int32")
        u = tf.random.stateless_uniform([2], seed + 1)

        def offset(new, out, r):
            # Crop position when larger, placement when smaller.
            span = tf.cast(tf.abs(out - new), "float32")
            pos = tf.cast(tf.floor(r * (span + 1.0)), "int32")
            return tf.where(new > out, -pos, pos)

        return (
            scale,
            scale,
            offset(new_h, self.height, u[0]),
            offset(new_w, self.width, u[1]),
        )

    def get_config(self):
        return {**super().get_config(), "scale_factor": list(self.scale_factor)}


@api_export("keras_cv.augmentation.RandomCrop", stability="experimental")
class RandomCrop(_PlacementLayer):
    """Randomly crops images and their boxes to a fixed size.

    A replacement for `keras.layers.RandomCrop`, which in Keras 3.15 moves
    boxes by the wrong offset (it swaps the horizontal and vertical crop
    offsets). Images larger than `(height, width)` are cropped at a random
    position (in training) or at the centre (in inference); smaller images
    are padded at the bottom/right. Boxes are shifted with the pixels,
    clipped, and dropped (label -1) when they leave the crop.

    Args:
        height: crop height.
        width: crop width.
        bounding_box_format: the format of the boxes.
        seed: integer seed.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`,
            optionally with `"segmentation_masks"` and `"instance_masks"`.
        training: random crop in training mode, centre crop otherwise.

    Examples:

    >>> import numpy as np
    >>> layer = RandomCrop(16, 16, seed=2)
    >>> out = layer({"images": np.zeros((20, 40, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[0.0, 0.0, 40.0, 20.0]], "labels": [0]}})
    >>> out["bounding_boxes"]["boxes"].numpy().tolist()
    [[0.0, 0.0, 16.0, 16.0]]
    """

    def __init__(self, height, width, bounding_box_format="xyxy", seed=None, **kwargs):
        kwargs.pop("interpolation", None)
        super().__init__(height, width, bounding_box_format, seed, "nearest", **kwargs)

    def _sample(self, in_h, in_w, seed, training):
        one = tf.constant(1.0)
        spans = tf.maximum(tf.stack([in_h - self.height, in_w - self.width]), 0)
        if training:
            u = tf.random.stateless_uniform([2], seed)
            start = tf.cast(tf.floor(u * tf.cast(spans + 1, "float32")), "int32")
        else:
            start = spans // 2
        return one, one, -start[0], -start[1]

    def get_config(self):
        config = super().get_config()
        config.pop("interpolation")
        return config
