# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Max pooling whose gradient XLA compiles cheaply (not public API)."""

import keras
import tensorflow as tf

# Whether ops created now are compiled by XLA (a `jit_compile=True` function
# or one traced inside it); keras-core pins TensorFlow's marking it reads.
from keras_core.tracing import in_xla_context


def max_pool_by_slices(x, pool_size, strides):
    """`tf.nn.max_pool2d(x, pool_size, strides, "VALID")` on channels-last
    `x` with static spatial sizes, as a running `tf.maximum` of the
    window's strided slices in row-major order.

    The same values; and the same gradient: `tf.maximum` gives a tie to
    its first argument, so each window's gradient goes to its first
    maximum in row-major order, as TensorFlow's `MaxPoolGrad` and XLA's
    select-and-scatter route it. XLA's CPU backend compiles this into
    element-wise loops, where the gradient of the pooling op is a
    variadic arg-max reduce-window about 4x slower.
    """
    (ph, pw), (sh, sw) = pool_size, strides
    out_h = (x.shape[1] - ph) // sh + 1
    out_w = (x.shape[2] - pw) // sw + 1
    y = None
    for i in range(ph):
        for j in range(pw):
            window = x[
                :, i : i + sh * (out_h - 1) + 1 : sh, j : j + sw * (out_w - 1) + 1 : sw
            ]
            y = window if y is None else tf.maximum(y, window)
    return y


@keras.saving.register_keras_serializable(package="keras_applications")
class MaxPooling2D(keras.layers.MaxPooling2D):
    """`keras.layers.MaxPooling2D` (same arguments, config and outputs)
    that, in a step compiled with XLA, pools channels-last maps of static
    size with `valid` padding by `max_pool_by_slices`, whose gradient XLA
    compiles into cheaper code than the pooling op's. Elsewhere (and for
    other inputs) it is Keras' layer."""

    def call(self, inputs):
        if (
            self.padding == "valid"
            and self.data_format == "channels_last"
            and len(inputs.shape) == 4
            and None not in inputs.shape[1:]
            and in_xla_context()
        ):
            return max_pool_by_slices(inputs, self.pool_size, self.strides)
        return super().call(inputs)
