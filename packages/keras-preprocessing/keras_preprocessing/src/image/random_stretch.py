# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Random width and height stretching, which Keras 3 no longer ships."""

import math

import keras
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.image.rfc import IMAGE_RFC


def _factor_range(factor, name):
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        lower, upper = float(factor), float(factor)
    elif isinstance(factor, (list, tuple)) and len(factor) == 2:
        lower, upper = float(factor[0]), float(factor[1])
    else:
        raise ValueError(
            f"`factor` of {name} must be a float or a pair of floats. Received: factor={factor!r}."
        )
    if not (math.isfinite(lower) and math.isfinite(upper)):
        raise ValueError(
            f"`factor` of {name} must be finite. Received: factor={factor!r}."
        )
    if lower < 0 or upper < 0 or lower >= 1:
        raise ValueError(
            f"`factor` of {name} is a fraction of the size: values must be >= 0 and the shrink part < 1. "
            f"Received: factor={factor!r}."
        )
    return lower, upper


class _RandomStretch(keras.layers.Layer):
    _axis = None  # 1 for height, 2 for width

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self._lower, self._upper = _factor_range(factor, type(self).__name__)
        if interpolation not in ("bilinear", "nearest", "bicubic", "area"):
            raise ValueError(f"Unknown `interpolation` {interpolation!r}.")
        self.interpolation = interpolation
        self.seed = seed
        self.generator = keras.random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        scale = keras.random.uniform(
            (), 1.0 - self._lower, 1.0 + self._upper, seed=seed or self.generator
        )
        return {"scale": scale}

    def _resize(self, images, transformation, interpolation):
        if transformation is None:
            return images
        shape = tf.shape(images)
        size = [shape[1], shape[2]]
        size[self._axis - 1] = tf.maximum(
            1,
            tf.cast(
                tf.round(
                    tf.cast(size[self._axis - 1], "float32") * transformation["scale"]
                ),
                "int32",
            ),
        )
        resized = tf.image.resize(images, tf.stack(size), method=interpolation)
        return tf.cast(resized, images.dtype) if images.dtype.is_floating else resized

    def transform_images(self, images, transformation, training=True):
        return self._resize(
            tf.cast(images, self.compute_dtype), transformation, self.interpolation
        )

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return tf.cast(self._resize(masks, transformation, "nearest"), masks.dtype)

    def call(self, images, training=True):
        return self.transform_images(
            images, self.get_random_transformation(images, training), training
        )

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[self._axis] = None
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "interpolation": self.interpolation,
                "seed": self.seed,
            }
        )
        return config


@api_export("keras_preprocessing.image.RandomWidth", stability="stable", rfc=IMAGE_RFC)
class RandomWidth(_RandomStretch):
    """Randomly stretches or shrinks the width of a batch of images.

    An augmentation that distorts the aspect ratio: during training, every
    batch is resized to `width * (1 + u)` with `u` drawn uniformly from
    `[-lower, upper]`; at inference the images pass unchanged. Keras 3
    removed this layer; it is provided here with the design's semantics.
    Segmentation masks (through `ImagePipeline`) use nearest interpolation.

    Args:
        factor: float `f` for `[-f, f]`, or a pair `(lower, upper)`.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`.
        seed: optional int seed.
        **kwargs: base layer arguments.

    Call arguments:
        images: `(batch, height, width, channels)`.
        training: augment only when true.

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, height, new_width, channels)`.

    Examples:

    ```python
    from keras_preprocessing.image import RandomWidth

    layer = RandomWidth(0.2, seed=1)
    layer(np.zeros((2, 8, 10, 3)), training=True).shape  # width in [8, 12]
    ```
    """

    _axis = 2


@api_export("keras_preprocessing.image.RandomHeight", stability="stable", rfc=IMAGE_RFC)
class RandomHeight(_RandomStretch):
    """Randomly stretches or shrinks the height of a batch of images.

    The height counterpart of `RandomWidth`: every training batch is resized
    to `height * (1 + u)`, `u` uniform in `[-lower, upper]`.

    Args:
        factor: float `f` for `[-f, f]`, or a pair `(lower, upper)`.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`.
        seed: optional int seed.
        **kwargs: base layer arguments.

    Call arguments:
        images: `(batch, height, width, channels)`.
        training: augment only when true.

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, new_height, width, channels)`.

    Examples:

    ```python
    from keras_preprocessing.image import RandomHeight

    layer = RandomHeight((0.0, 0.5), seed=1)
    layer(np.zeros((2, 8, 10, 3)), training=True).shape  # height in [8, 12]
    ```
    """

    _axis = 1
