# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Box-aware flip, resize-with-padding and translation on Keras 3's layers.

Keras 3's `RandomFlip`, `Resizing(pad_to_aspect_ratio=True)` and
`RandomTranslation` move boxes with their pixels (tested here by mask
consistency). What they lack for detection, and what these layers add:

- padding rows (label -1) stay padding: Keras flips `[-1, -1, -1, -1]` into
  a real-looking box;
- boxes pushed out of the image become padding instead of zero-area boxes
  with their old label;
- every box format, including the relative ones, is converted with the
  image size of the right side of the transform (input or output);
- integer `segmentation_masks` (Keras needs float masks) and per-object
  `instance_masks` move with the pixels (nearest neighbour), padded with
  background 0, and instance masks of dropped boxes become empty.

Keras does the pixel and box arithmetic in `xyxy`; these layers convert from
and to the user's `bounding_box_format` around it.

Every layer of this package keeps the other per-box entries of
`bounding_boxes` (`is_crowd`, `difficult`, scores, ids: any entry with the
leading shape of `labels`) with their box, unchanged; where a box is
dropped they become padding (-1, or False for booleans).
"""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.augmentation import box_utils
from keras_cv.src.bounding_box import converters


class BoxAwareMixin:
    """Runs a Keras image layer in xyxy and fixes the boxes afterwards."""

    def _setup_format(self, bounding_box_format):
        self.detection_format = converters.validate_format(bounding_box_format)

    def __call__(self, data, *args, **kwargs):
        data = box_utils.to_tensors(data)
        out = super().__call__(data, *args, **kwargs)
        return box_utils.restore_dtypes(data, out)

    def call(self, data, training=True):
        if not isinstance(data, dict):
            return super().call(data, training=training)
        data = box_utils.check_inputs(data, type(self).__name__)
        stacked, mask_info = box_utils.pack_masks(data)
        for key in box_utils.MASK_KEYS:
            data.pop(key, None)
        if stacked is not None:
            # Keras moves `segmentation_masks` with the images' transform,
            # with nearest-neighbour interpolation (float masks only).
            data["segmentation_masks"] = stacked
        bb = data.get("bounding_boxes")
        if bb is not None:
            in_h, in_w = box_utils.image_size(data["images"])
            was_padding = bb["labels"] < 0
            xyxy = box_utils.to_xyxy(bb["boxes"], self.detection_format, in_h, in_w)
            data["bounding_boxes"] = {"boxes": xyxy, "labels": bb["labels"]}
        out = super().call(data, training=training)
        if bb is not None:
            out_h, out_w = box_utils.image_size(out["images"])
            out_bb = out["bounding_boxes"]
            out["bounding_boxes"] = box_utils.with_extras(
                box_utils.finish(
                    tf.cast(out_bb["boxes"], "float32"),
                    tf.cast(bb["labels"], "int32"),
                    was_padding,
                    out_h,
                    out_w,
                    self.detection_format,
                ),
                box_utils.extras_of(bb),
            )
        if stacked is not None:
            out.update(box_utils.unpack_masks(out.pop("segmentation_masks"), mask_info))
            if "instance_masks" in out and bb is not None:
                out["instance_masks"] = box_utils.drop_instance_masks(
                    out["instance_masks"], out["bounding_boxes"]["labels"]
                )
        return out

    def transform_segmentation_masks(
        self, segmentation_masks, transformation, training=True
    ):
        # Masks are padded with background (0), whatever `fill_value` the
        # images get: a fill value of 114 is not a class.
        fill = getattr(self, "fill_value", None)
        if not fill:
            return super().transform_segmentation_masks(
                segmentation_masks, transformation, training=training
            )
        self.fill_value = 0.0
        try:
            return super().transform_segmentation_masks(
                segmentation_masks, transformation, training=training
            )
        finally:
            self.fill_value = fill

    def _format_config(self, config):
        config["bounding_box_format"] = self.detection_format
        return config


@api_export("keras_cv.augmentation.RandomFlip", stability="experimental")
class RandomFlip(BoxAwareMixin, keras.layers.RandomFlip):
    """Randomly flips images and their bounding boxes.

    `keras.layers.RandomFlip` applied to `{"images", "bounding_boxes"}`
    with padding rows (label -1) preserved and any box format accepted.

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"`.
        bounding_box_format: the format of the boxes, e.g. `"xyxy"`.
        seed: integer seed.

    Call arguments:
        data: `{"images": (batch,) h, w, c, "bounding_boxes": {"boxes",
            "labels"}}`, batched or not, optionally with
            `"segmentation_masks"` and `"instance_masks"`.
        training: flip only in training mode.

    Examples:

    >>> import numpy as np
    >>> layer = RandomFlip("horizontal", bounding_box_format="xyxy", seed=1)
    >>> out = layer({"images": np.zeros((8, 8, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[0.0, 0.0, 2.0, 2.0]], "labels": [1]}})
    >>> out["images"].shape
    TensorShape([8, 8, 3])
    """

    def __init__(
        self, mode="horizontal", bounding_box_format="xyxy", seed=None, **kwargs
    ):
        kwargs.pop("data_format", None)
        super().__init__(mode=mode, seed=seed, bounding_box_format="xyxy", **kwargs)
        self._setup_format(bounding_box_format)

    def get_config(self):
        return self._format_config(super().get_config())


@api_export("keras_cv.augmentation.Resizing", stability="experimental")
class Resizing(BoxAwareMixin, keras.layers.Resizing):
    """Resizes images to a fixed size, with their boxes.

    `keras.layers.Resizing` for detection: by default
    `pad_to_aspect_ratio=True`, so the image is scaled to fit and padded
    (bottom/right and top/left evenly, as Keras does) instead of distorted.

    Args:
        height: output height.
        width: output width.
        bounding_box_format: the format of the boxes.
        pad_to_aspect_ratio: keep the aspect ratio and pad.
        interpolation: resize interpolation.
        fill_value: value of the padding pixels.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`,
            optionally with `"segmentation_masks"` and `"instance_masks"`.

    Examples:

    >>> import numpy as np
    >>> layer = Resizing(16, 16, bounding_box_format="xyxy")
    >>> out = layer({"images": np.zeros((8, 4, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[0.0, 0.0, 4.0, 8.0]], "labels": [1]}})
    >>> out["bounding_boxes"]["boxes"].numpy().tolist()
    [[4.0, 0.0, 12.0, 16.0]]
    """

    def __init__(
        self,
        height,
        width,
        bounding_box_format="xyxy",
        pad_to_aspect_ratio=True,
        interpolation="bilinear",
        fill_value=0.0,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            height,
            width,
            pad_to_aspect_ratio=pad_to_aspect_ratio,
            interpolation=interpolation,
            fill_value=fill_value,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)

    def get_config(self):
        return self._format_config(super().get_config())


@api_export("keras_cv.augmentation.RandomTranslation", stability="experimental")
class RandomTranslation(BoxAwareMixin, keras.layers.RandomTranslation):
    """Randomly shifts images and their boxes; boxes that leave are dropped.

    `keras.layers.RandomTranslation` for detection (constant fill by
    default): boxes are clipped to the image and rows whose box left the
    image entirely become padding (label -1).

    Args:
        height_factor: fraction of the height to shift by, a float or a
            `(min, max)` tuple.
        width_factor: same for the width.
        bounding_box_format: the format of the boxes.
        fill_mode: `"constant"`, `"reflect"`, `"wrap"` or `"nearest"`.
        fill_value: the constant fill value.
        seed: integer seed.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`,
            optionally with `"segmentation_masks"` and `"instance_masks"`.

    Examples:

    >>> import numpy as np
    >>> layer = RandomTranslation(0.1, 0.1, seed=0)
    >>> out = layer({"images": np.zeros((8, 8, 3), "float32"),
    ...              "bounding_boxes": {"boxes": [[2.0, 2.0, 4.0, 4.0]], "labels": [0]}})
    >>> out["bounding_boxes"]["labels"].shape
    TensorShape([1])
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        bounding_box_format="xyxy",
        fill_mode="constant",
        fill_value=0.0,
        interpolation="bilinear",
        seed=None,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            height_factor,
            width_factor,
            fill_mode=fill_mode,
            fill_value=fill_value,
            interpolation=interpolation,
            seed=seed,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)

    def get_config(self):
        return self._format_config(super().get_config())


@api_export("keras_cv.augmentation.RandomColorJitter", stability="experimental")
class RandomColorJitter(BoxAwareMixin, keras.layers.RandomColorJitter):
    """Randomly changes brightness, contrast, saturation and hue.

    `keras.layers.RandomColorJitter` on detection inputs: pixels change,
    boxes, labels and masks do not (boxes are only clipped to the image and
    padding rows stay padding). Keras' layer needs a `bounding_box_format`
    to accept boxes and takes only dense batches; this one accepts every
    format and ragged boxes, like the other layers of this module.

    Args:
        value_range: the range of the pixel values, e.g. `(0, 255)`.
        brightness_factor: `keras.layers.RandomBrightness`' `factor`.
        contrast_factor: `keras.layers.RandomContrast`' `factor`.
        saturation_factor: `keras.layers.RandomSaturation`' `factor`.
        hue_factor: `keras.layers.RandomHue`' `factor`.
        bounding_box_format: the format of the boxes.
        seed: integer seed.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`, batched
            or not, optionally with `"segmentation_masks"` and
            `"instance_masks"`.
        training: jitter only in training mode.

    Example:

    >>> import numpy as np
    >>> layer = RandomColorJitter(value_range=(0, 255), brightness_factor=0.2,
    ...                           contrast_factor=0.2, saturation_factor=(0.3, 0.7),
    ...                           hue_factor=0.05, seed=1)
    >>> out = layer({"images": np.full((8, 8, 3), 100.0, "float32"),
    ...              "bounding_boxes": {"boxes": [[1.0, 1.0, 4.0, 4.0]], "labels": [2]}})
    >>> out["bounding_boxes"]["boxes"].numpy().tolist()
    [[1.0, 1.0, 4.0, 4.0]]
    """

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        bounding_box_format="xyxy",
        seed=None,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            value_range=value_range,
            brightness_factor=brightness_factor,
            contrast_factor=contrast_factor,
            saturation_factor=saturation_factor,
            hue_factor=hue_factor,
            seed=seed,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)

    def get_config(self):
        return self._format_config(super().get_config())


@api_export("keras_cv.augmentation.RandomCutout", stability="experimental")
class RandomCutout(BoxAwareMixin, keras.layers.RandomErasing):
    """Randomly erases a rectangle of each image (cutout).

    `keras.layers.RandomErasing` on detection inputs: a random rectangle
    of each image (with probability `factor`) is filled with `fill_value`,
    or with noise when `fill_value` is `None`. Boxes and labels are kept
    as they are, also for objects partly or wholly hidden: the detector
    learns to find occluded objects (as in keras-cv 0.9's `RandomCutout`).
    Masks are left untouched.

    Args:
        factor: probability of erasing a rectangle in each image.
        scale: `(min, max)` area of the rectangle as a fraction of the
            image area.
        fill_value: the value of the erased pixels; `None` fills with
            random values in `value_range`.
        value_range: the range of the pixel values.
        bounding_box_format: the format of the boxes.
        seed: integer seed.

    Call arguments:
        data: `{"images", "bounding_boxes": {"boxes", "labels"}}`, batched
            or not, optionally with `"segmentation_masks"` and
            `"instance_masks"`.
        training: erase only in training mode.

    Example:

    >>> import numpy as np
    >>> layer = RandomCutout(factor=1.0, scale=(0.1, 0.2), fill_value=0.0, seed=3)
    >>> out = layer({"images": np.full((10, 10, 3), 255.0, "float32"),
    ...              "bounding_boxes": {"boxes": [[1.0, 1.0, 4.0, 4.0]], "labels": [2]}})
    >>> bool((out["images"].numpy() == 0.0).any())
    True
    """

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        bounding_box_format="xyxy",
        seed=None,
        **kwargs,
    ):
        kwargs.pop("data_format", None)
        super().__init__(
            factor=factor,
            scale=scale,
            fill_value=fill_value,
            value_range=value_range,
            seed=seed,
            bounding_box_format="xyxy",
            **kwargs,
        )
        self._setup_format(bounding_box_format)

    def transform_segmentation_masks(
        self, segmentation_masks, transformation, training=True
    ):
        return segmentation_masks

    def get_config(self):
        return self._format_config(super().get_config())
