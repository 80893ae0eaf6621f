# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Zero-padding of images to a multiple of a stride."""

import keras
import tensorflow as tf

from keras_core import api_export


@api_export("keras_cv.layers.PadToMultiple", stability="experimental")
class PadToMultiple(keras.layers.Layer):
    """Zero-pads height and width at the bottom and right to a multiple.

    A backbone with a feature pyramid needs input sides divisible by its
    coarsest stride (32 for P5) so that every level is exactly half the
    previous one. Padding at the bottom and right only does not move pixel
    coordinates: boxes on the padded image are the boxes on the original.

    Args:
        multiple: positive int; height and width are rounded up to a
            multiple of it.

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, ceil(height / multiple) * multiple, ceil(width / multiple)
        * multiple, channels)`.

    Example:

    >>> layer = keras_cv.layers.PadToMultiple(32)
    >>> tuple(layer(np.ones((1, 40, 64, 3), "float32")).shape)
    (1, 64, 64, 3)
    """

    def __init__(self, multiple, **kwargs):
        super().__init__(**kwargs)
        if isinstance(multiple, bool) or not isinstance(multiple, int) or multiple < 1:
            raise ValueError(
                "`multiple` must be a positive int, the stride the image sides "
                f"are rounded up to (e.g. 32). Received: multiple={multiple!r}."
            )
        self.multiple = multiple

    def call(self, x):
        if len(x.shape) != 4:
            raise ValueError(
                "PadToMultiple expects images of shape (batch, height, width, "
                f"channels). Received a tensor of shape {tuple(x.shape)}."
            )
        shape = keras.ops.shape(x)
        m = self.multiple
        pad_h = (m - shape[1] % m) % m
        pad_w = (m - shape[2] % m) % m
        return tf.pad(x, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]])

    def compute_output_shape(self, shape):
        def up(d):
            return (
                None
                if d is None
                else (d + self.multiple - 1) // self.multiple * self.multiple
            )

        return (shape[0], up(shape[1]), up(shape[2]), shape[3])

    def get_config(self):
        return {**super().get_config(), "multiple": self.multiple}
