# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Rotation, shear and zoom of images with their boxes, on Keras 3's layers.

Keras 3's `RandomRotation`, `RandomShear` and `RandomZoom` draw the random
parameters and move the pixels; these layers keep that and compute the
boxes themselves, from the very matrix Keras gives the image transform
(`box_utils.boxes_through_pixel_transform`): every box becomes the tightest
box around its four transformed corners, clipped to the image; a box that
left the image becomes padding (label -1). One formula for the three
layers, instead of Keras' three: Keras 3.15's `RandomShear` shears boxes in
relative coordinates, which is wrong for any non-square image (see
`test_keras_random_shear_boxes_miss_the_object`).

The padding, format, mask and ragged-input handling is that of the other
Keras wrappers (`keras_wrappers.BoxAwareMixin`).
"""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.augmentation import box_utils
from keras_cv.src.augmentation.keras_wrappers import BoxAwareMixin


class _MatrixBoxesMixin(BoxAwareMixin):
    """Boxes follow the pixel transform matrix of the image."""

    def _pixel_matrix(self, transformation):
        raise NotImplementedError

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        boxes = box_utils.boxes_through_pixel_transform(
            bounding_boxes["boxes"], self._pixel_matrix(transformation)
        )
        return {**bounding_boxes, "boxes": boxes}


@api_export("keras_cv.augmentation.RandomRotation", stability="experimental")
class RandomRotation(_MatrixBoxesMixin, keras.layers.RandomRotation):
    """Randomly rotates images and their bounding boxes.

    `keras.layers.RandomRotation` for detection: the images are rotated by
    Keras about their centre (positive angles counter-clockwise, `factor`
    a fraction of a full turn), with a constant fill by default.

    Boxes: each box becomes the tightest box around its four transformed
    corners (for a rotation or shear it contains the object and can be
    larger than the object's own tight box), clipped to the image; rows
    whose box left the image become padding (box -1, label -1), so labels
    stay aligned with their boxes. Padding rows stay padding.

    Args:
        factor: a float or a `(min, max)` tuple, fractions of 360 degrees;
            `0.05` rotates by up to 18 degrees either way.
        bounding_box_format: the format of the boxes, e.g. `"xyxy"`.
        fill_mode: `"constant"`, `"reflect"`, `"wrap"` or `"nearest"`.
            Reflected or wrapped content can show copies of objects that
            have no box, hence the constant default.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: the constant fill value.
        seed: integer seed.

    Call arguments:
        data: `{"images": (batch,) h, w, c, "bounding_boxes": {"boxes",
            "labels"}}`, batched (dense padded with -1, or ragged) or not,
            optionally with `"segmentation_masks"` and `"instance_masks"`.
        training: rotate only in training mode.

    Example:

    >>> import numpy as np
    >>> layer = RandomRotation((0.25, 0.25), bounding_box_format="xyxy")
    >>> out = layer({"images": np.zeros((10, 10, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[1.0, 2.0, 4.0, 3.0]],
    ...                                 "labels": [1]}})
    >>> np.round(out["bounding_boxes"]["boxes"].numpy(), 3).tolist()
    [[2.0, 6.0, 3.0, 9.0]]
    """

    def __init__(
        self,
        factor,
        bounding_box_format="xyxy",
        fill_mode="constant",
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            factor,
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)

    def _pixel_matrix(self, transformation):
        return transformation["rotation_matrix"]

    def get_config(self):
        return self._format_config(super().get_config())


@api_export("keras_cv.augmentation.RandomShear", stability="experimental")
class RandomShear(_MatrixBoxesMixin, keras.layers.RandomShear):
    """Randomly shears images and their bounding boxes.

    `keras.layers.RandomShear` for detection, with boxes that follow the
    pixels (Keras 3.15 shears boxes in relative coordinates and misses the
    object on non-square images). The shear is about the top-left corner,
    as in Keras, in a random direction.

    Boxes: each box becomes the tightest box around its four transformed
    corners (for a rotation or shear it contains the object and can be
    larger than the object's own tight box), clipped to the image; rows
    whose box left the image become padding (box -1, label -1), so labels
    stay aligned with their boxes. Padding rows stay padding.

    Args:
        x_factor: a float or a `(min, max)` tuple: horizontal shear, the
            horizontal shift per pixel of height (0.2 shifts the bottom row
            by 20% of the image height relative to the top row).
        y_factor: same for the vertical shear.
        bounding_box_format: the format of the boxes.
        fill_mode: `"constant"`, `"reflect"`, `"wrap"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: the constant fill value.
        seed: integer seed.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`, batched
            or not, optionally with `"segmentation_masks"` and
            `"instance_masks"`.
        training: shear only in training mode.

    Example:

    >>> import numpy as np
    >>> layer = RandomShear(x_factor=0.2, bounding_box_format="xyxy", seed=1)
    >>> out = layer({"images": np.zeros((20, 30, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[5.0, 5.0, 10.0, 10.0]],
    ...                                 "labels": [1]}})
    >>> out["bounding_boxes"]["labels"].numpy().tolist()
    [1]
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        bounding_box_format="xyxy",
        fill_mode="constant",
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            x_factor=x_factor,
            y_factor=y_factor,
            interpolation=interpolation,
            fill_mode=fill_mode,
            fill_value=fill_value,
            seed=seed,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)
        # Keras 3.15 stores the factors as (-x, x) ranges that its own
        # constructor refuses, so its config does not round-trip.
        self._factors = {"x_factor": x_factor, "y_factor": y_factor}

    def _pixel_matrix(self, transformation):
        return self._get_shear_matrix(transformation["shear_factor"])

    def get_config(self):
        config = self._format_config(super().get_config())
        config.update(
            {
                k: list(v) if isinstance(v, tuple) else v
                for k, v in self._factors.items()
            }
        )
        return config


@api_export("keras_cv.augmentation.RandomZoom", stability="experimental")
class RandomZoom(_MatrixBoxesMixin, keras.layers.RandomZoom):
    """Randomly zooms images in or out, with their bounding boxes.

    `keras.layers.RandomZoom` for detection: the output keeps the input
    size; a positive factor zooms out (the image shrinks, the border is
    filled), a negative one zooms in (boxes grow and the ones pushed out
    are dropped). For scale jitter to a fixed output size, see
    `JitteredResize`.

    Boxes: each box becomes the tightest box around its four transformed
    corners (for a rotation or shear it contains the object and can be
    larger than the object's own tight box), clipped to the image; rows
    whose box left the image become padding (box -1, label -1), so labels
    stay aligned with their boxes. Padding rows stay padding.

    Args:
        height_factor: a float or a `(min, max)` tuple in `[-1, inf)`;
            `(-0.3, 0.3)` zooms between 30% in and 30% out.
        width_factor: same for the width; `None` keeps the aspect ratio
            (the height's zoom is used).
        bounding_box_format: the format of the boxes.
        fill_mode: `"constant"`, `"reflect"`, `"wrap"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: the constant fill value.
        seed: integer seed.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`, batched
            or not, optionally with `"segmentation_masks"` and
            `"instance_masks"`.
        training: zoom only in training mode.

    Example:

    >>> import numpy as np
    >>> layer = RandomZoom((-0.5, -0.5), bounding_box_format="xyxy")
    >>> out = layer({"images": np.zeros((10, 10, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[3.0, 3.0, 5.0, 5.0]],
    ...                                 "labels": [1]}})
    >>> np.round(out["bounding_boxes"]["boxes"].numpy(), 3).tolist()
    [[1.0, 1.0, 5.0, 5.0]]
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
        bounding_box_format="xyxy",
        fill_mode="constant",
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            height_factor,
            width_factor=width_factor,
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)

    def _pixel_matrix(self, transformation):
        zooms = tf.concat(
            [transformation["width_zoom"], transformation["height_zoom"]], axis=1
        )
        shape = transformation["input_shape"]
        return self._get_zoom_matrix(tf.cast(zooms, "float32"), shape[-3], shape[-2])

    def get_config(self):
        return self._format_config(super().get_config())
