# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Augmentations that combine the images of a batch: Mosaic and MixUp.

Both work on batches (call them after `.batch()` in `tf.data`) and return
more box rows than they were given: Mosaic 4 times, MixUp 2 times, as
`-1`-padded dense batches (ragged input boxes are padded first).

Keras 3.15 has a `MixUp` layer but its boxes are not usable for detection:
it concatenates the boxes along the box axis and the labels along the batch
axis, so labels no longer belong to their boxes (see
`test_keras_mix_up_misaligns_labels`), and it converts the permutation to
NumPy, which fails inside `tf.data`. Keras has no Mosaic.

Other per-box entries of `bounding_boxes` (`is_crowd`, `difficult`, ...)
are gathered and concatenated exactly like the boxes, so each output row
keeps the entries of its source box.
"""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.augmentation import box_utils
from keras_cv.src.bounding_box import converters


class _BatchMixLayer(keras.layers.Layer):
    """Shared input handling of the batch-mixing layers."""

    def __init__(self, bounding_box_format, seed, **kwargs):
        super().__init__(**kwargs)
        self.bounding_box_format = converters.validate_format(bounding_box_format)
        self.seed = seed
        self._allow_non_tensor_positional_args = True
        self.supports_jit = False

    def __call__(self, data, *args, **kwargs):
        return super().__call__(box_utils.to_tensors(data), *args, **kwargs)

    def _check(self, data):
        data = box_utils.check_inputs(data, type(self).__name__)
        if data["images"].shape.rank != 4:
            raise ValueError(
                f"{type(self).__name__} combines the images of a batch, so it "
                "needs batched images of shape (batch, height, width, "
                f"channels). Received images of shape "
                f"{tuple(data['images'].shape)}. In `tf.data`, call it after "
                "`.batch()` (or `.ragged_batch()`): "
                "`ds.batch(8).map(layer)`."
            )
        return data

    def _base_seed(self):
        return tf.random.uniform([2], maxval=2**31 - 1, dtype="int32", seed=self.seed)

    def compute_output_spec(self, data, training=True):
        raise NotImplementedError(
            f"{type(self).__name__} is a data augmentation layer for "
            "`tf.data.Dataset.map`; it is not meant to be part of a model."
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {"bounding_box_format": self.bounding_box_format, "seed": self.seed}
        )
        return config


def _check_fraction_range(value, name, example):
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, (int, float)) for v in value)
        or not 0.0 <= value[0] <= value[1] <= 1.0
    ):
        raise ValueError(
            f"`{name}` must be a (min, max) tuple with 0 <= min <= max <= 1, "
            f"such as {example}. Received: {name}={value!r}."
        )
    return tuple(float(v) for v in value)


@api_export("keras_cv.augmentation.Mosaic", stability="experimental")
class Mosaic(_BatchMixLayer):
    """Combines four images of a batch into each output image (Mosaic).

    The Mosaic augmentation of YOLOv4: a random centre point splits each
    output image into four quadrants; each quadrant shows the corner of one
    image of the batch (the output's own image and three random others)
    that touches the centre, at its original scale (no resizing: combine
    with `JitteredResize` for scale jitter). Pixel `(y, x)` of a quadrant
    shows pixel `(y - dy, x - dx)` of its source image; boxes move by the
    same `(dx, dy)`, are clipped to their quadrant, and rows whose box is
    outside their quadrant become padding (box -1, label -1).

    Output boxes: `4 * N` rows for `N` input rows per image, in the order
    top-left, top-right, bottom-left, bottom-right quadrant, each quadrant's
    rows in the order of its source image (so labels stay with their boxes).
    Use `keras_cv.bounding_box.to_ragged` to drop the padding rows.

    Args:
        bounding_box_format: the format of the boxes, e.g. `"xyxy"`.
        center_range: `(min, max)` range of the centre point, as a fraction
            of the height and width.
        seed: integer seed.

    Call arguments:
        data: `{"images": (batch, h, w, c), "bounding_boxes": {"boxes",
            "labels"}}` with dense (-1 padded) or ragged boxes, optionally
            with `"segmentation_masks"` (batch, h, w, 1) and
            `"instance_masks"` (batch, N, h, w) (the output has 4 N instance
            masks, zero outside their quadrant).
        training: combine only in training mode; otherwise the data is
            returned unchanged.

    Example:

    >>> import numpy as np
    >>> layer = Mosaic(bounding_box_format="xyxy", seed=1)
    >>> out = layer({"images": np.zeros((4, 32, 32, 3), "float32"),
    ...              "bounding_boxes": {"boxes": np.tile([[[4.0, 4.0, 28.0, 28.0]]], (4, 1, 1)),
    ...                                 "labels": np.zeros((4, 1), "int32")}})
    >>> out["images"].shape, out["bounding_boxes"]["boxes"].shape
    (TensorShape([4, 32, 32, 3]), TensorShape([4, 4, 4]))
    """

    def __init__(
        self, bounding_box_format="xyxy", center_range=(0.25, 0.75), seed=None, **kwargs
    ):
        super().__init__(bounding_box_format, seed, **kwargs)
        self.center_range = _check_fraction_range(
            center_range, "center_range", "(0.25, 0.75)"
        )

    def call(self, data, training=True):
        data = self._check(data)
        if not training:
            return data
        images = data["images"]
        shape = tf.shape(images)
        batch, height, width = shape[0], shape[1], shape[2]
        seed = self._base_seed()
        # Sources: the image itself in the top-left quadrant, three random
        # images of the batch in the others.
        others = tf.random.stateless_uniform([batch, 3], seed, 0, batch, dtype="int32")
        sources = tf.concat([tf.range(batch)[:, None], others], axis=1)
        low, high = self.center_range
        u = tf.random.stateless_uniform([batch, 2], seed + 1, low, high)
        size = tf.cast(tf.stack([height, width]), "float32")
        center = tf.cast(tf.round(u * size), "int32")
        yc, xc = center[:, 0], center[:, 1]
        # Shift (dy, dx) of each quadrant: its source's corner touches the
        # centre. Quadrants: 0 top-left, 1 top-right, 2 bottom-left,
        # 3 bottom-right.
        dy = tf.stack([yc - height, yc - height, yc, yc], axis=1)
        dx = tf.stack([xc - width, xc, xc - width, xc], axis=1)
        # Pixel grids (batch, h, w), built with tile: with broadcast_to the
        # index grids got the wrong runtime shape inside tf.function (TF 2.21).
        ys = tf.tile(tf.reshape(tf.range(height), [1, -1, 1]), [batch, 1, width])
        xs = tf.tile(tf.reshape(tf.range(width), [1, 1, -1]), [batch, height, 1])

        def per_image(v):
            return tf.reshape(v, [-1, 1, 1])

        quadrant = 2 * tf.cast(ys >= per_image(yc), "int32") + tf.cast(
            xs >= per_image(xc), "int32"
        )

        def gather(x, q):
            """`x` (batch, h, w, c) moved as quadrant q's source, everywhere."""
            sy = tf.clip_by_value(ys - per_image(dy[:, q]), 0, height - 1)
            sx = tf.clip_by_value(xs - per_image(dx[:, q]), 0, width - 1)
            b = tf.zeros_like(ys) + per_image(sources[:, q])
            return tf.gather_nd(x, tf.stack([b, sy, sx], axis=-1))

        def combine(x):
            out = gather(x, 0)
            for q in (1, 2, 3):
                out = tf.where((quadrant == q)[..., None], gather(x, q), out)
            return out

        result = dict(data)
        result["images"] = combine(images)
        if "segmentation_masks" in data:
            result["segmentation_masks"] = combine(data["segmentation_masks"])
        bb = data.get("bounding_boxes")
        if bb is not None:
            result["bounding_boxes"] = self._boxes(
                bb, sources, dx, dy, yc, xc, height, width
            )
        if "instance_masks" in data:
            # (batch, N, h, w) -> (batch, h, w, N) for the gather.
            masks = tf.transpose(data["instance_masks"], [0, 2, 3, 1])
            parts = []
            for q in range(4):
                inside = tf.cast(quadrant == q, masks.dtype)[..., None]
                parts.append(gather(masks, q) * inside)
            combined = tf.transpose(tf.concat(parts, axis=-1), [0, 3, 1, 2])
            if bb is not None:
                combined = box_utils.drop_instance_masks(
                    combined, result["bounding_boxes"]["labels"]
                )
            result["instance_masks"] = combined
        return result

    def _boxes(self, bb, sources, dx, dy, yc, xc, height, width):
        labels = tf.cast(bb["labels"], "int32")
        xyxy = box_utils.to_xyxy(bb["boxes"], self.bounding_box_format, height, width)
        zero = tf.zeros_like(yc)
        h = tf.fill(tf.shape(yc), height)
        w = tf.fill(tf.shape(xc), width)
        # Quadrant rectangles [x0, y0, x1, y1] per image: (batch, 4, 4).
        regions = tf.stack(
            [
                tf.stack([zero, zero, xc, yc], axis=1),
                tf.stack([xc, zero, w, yc], axis=1),
                tf.stack([zero, yc, xc, h], axis=1),
                tf.stack([xc, yc, w, h], axis=1),
            ],
            axis=1,
        )
        regions = tf.cast(regions, "float32")
        extras = box_utils.extras_of(bb)
        all_boxes, all_labels, all_padding = [], [], []
        all_extras = {key: [] for key in extras}
        for q in range(4):
            src = sources[:, q]
            boxes = tf.gather(xyxy, src)
            lab = tf.gather(labels, src)
            for key, value in extras.items():
                all_extras[key].append(tf.gather(value, src))
            shift = tf.cast(
                tf.stack([dx[:, q], dy[:, q], dx[:, q], dy[:, q]], axis=1), "float32"
            )
            boxes = boxes + shift[:, None, :]
            region = regions[:, q, None, :]
            boxes = tf.concat(
                [
                    tf.maximum(boxes[..., :2], region[..., :2]),
                    tf.minimum(boxes[..., 2:], region[..., 2:]),
                ],
                axis=-1,
            )
            empty = tf.logical_or(
                boxes[..., 2] - boxes[..., 0] <= box_utils.EMPTY_SIZE,
                boxes[..., 3] - boxes[..., 1] <= box_utils.EMPTY_SIZE,
            )
            all_boxes.append(boxes)
            all_labels.append(lab)
            all_padding.append(tf.logical_or(lab < 0, empty))
        out = box_utils.finish(
            tf.concat(all_boxes, axis=1),
            tf.concat(all_labels, axis=1),
            tf.concat(all_padding, axis=1),
            height,
            width,
            self.bounding_box_format,
        )
        return box_utils.with_extras(
            out, {key: tf.concat(parts, axis=1) for key, parts in all_extras.items()}
        )

    def get_config(self):
        return {**super().get_config(), "center_range": list(self.center_range)}


@api_export("keras_cv.augmentation.MixUp", stability="experimental")
class MixUp(_BatchMixLayer):
    """Blends each image of a batch with another one, keeping both box sets.

    MixUp for detection (Zhang et al., 2017, as used by YOLOX and the
    "Bag of Freebies" paper): output image `i` is `w * image_i + (1 - w) *
    image_j` with `j` another image of the batch (the batch shifted
    cyclically by a random amount) and `w` drawn from
    `Beta(alpha, alpha)`; its boxes are the boxes of both images (rows of
    image `i` first, then the rows of image `j`), each with its own label,
    so the output has `2 * N` rows for `N` input rows.

    Args:
        alpha: the Beta distribution's parameter (> 0); small values keep
            one image dominant.
        bounding_box_format: the format of the boxes (they are not moved).
        seed: integer seed.

    Call arguments:
        data: `{"images": (batch, h, w, c), "bounding_boxes": {"boxes",
            "labels"}}` with dense (-1 padded) or ragged boxes, optionally
            with `"instance_masks"` (batch, N, h, w), which are concatenated
            like the boxes. `"segmentation_masks"` are refused (a blend of
            two images has no single class per pixel).
        training: blend only in training mode.

    Example:

    >>> import numpy as np
    >>> layer = MixUp(alpha=0.5, seed=1)
    >>> out = layer({"images": np.zeros((2, 16, 16, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[[1.0, 1.0, 5.0, 5.0]], [[8.0, 8.0, 12.0, 12.0]]],
    ...                                 "labels": [[3], [7]]}})
    >>> out["bounding_boxes"]["labels"].numpy().tolist()
    [[3, 7], [7, 3]]
    """

    def __init__(self, alpha=0.2, bounding_box_format="xyxy", seed=None, **kwargs):
        super().__init__(bounding_box_format, seed, **kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                "`alpha` must be a positive number, the parameter of the "
                f"Beta(alpha, alpha) mixing weight, e.g. 0.2. Received: alpha={alpha!r}."
            )
        self.alpha = float(alpha)

    def call(self, data, training=True):
        data = self._check(data)
        if "segmentation_masks" in data:
            raise ValueError(
                "MixUp cannot blend `segmentation_masks`: a pixel of a blended "
                "image belongs to two images. Remove the key before MixUp, or "
                "use Mosaic, which keeps one image per pixel."
            )
        if not training:
            return data
        images = data["images"]
        batch = tf.shape(images)[0]
        seed = self._base_seed()
        # A random cyclic shift of the batch: every image gets another one
        # as partner (unless the batch has a single image).
        shift = tf.random.stateless_uniform(
            [], seed, 1, tf.maximum(batch, 2), dtype="int32"
        )
        partner = (tf.range(batch) + shift) % batch
        g1 = tf.random.stateless_gamma([batch], seed + 1, alpha=self.alpha)
        g2 = tf.random.stateless_gamma([batch], seed + 2, alpha=self.alpha)
        weight = g1 / tf.maximum(g1 + g2, 1e-12)
        weight = tf.where(g1 + g2 > 0, weight, 0.5)[:, None, None, None]
        dtype = images.dtype if images.dtype.is_floating else tf.float32
        mixed = tf.cast(images, dtype)
        weight = tf.cast(weight, dtype)
        result = dict(data)
        result["images"] = weight * mixed + (1 - weight) * tf.gather(mixed, partner)
        bb = data.get("bounding_boxes")
        if bb is not None:
            labels = tf.cast(bb["labels"], "int32")
            boxes = tf.concat([bb["boxes"], tf.gather(bb["boxes"], partner)], axis=1)
            labels = tf.concat([labels, tf.gather(labels, partner)], axis=1)
            padding = labels < 0
            boxes = tf.where(padding[..., None], tf.constant(-1.0, boxes.dtype), boxes)
            extras = {
                key: tf.concat([value, tf.gather(value, partner)], axis=1)
                for key, value in box_utils.extras_of(bb).items()
            }
            result["bounding_boxes"] = box_utils.with_extras(
                {"boxes": boxes, "labels": labels}, extras
            )
        if "instance_masks" in data:
            masks = data["instance_masks"]
            result["instance_masks"] = tf.concat(
                [masks, tf.gather(masks, partner)], axis=1
            )
        return result

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
