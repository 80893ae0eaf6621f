# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Atrous spatial pyramid pooling (ASPP), the context module of DeepLab."""

import keras

from keras_core import api_export

RFC = "20261122-keras-cv-semantic-segmentation"


def check_dilation_rates(dilation_rates):
    """Returns `dilation_rates` as a list of ints, or raises ValueError."""
    if (
        not isinstance(dilation_rates, (list, tuple))
        or not dilation_rates
        or any(
            isinstance(r, bool) or not isinstance(r, int) or r < 1
            for r in dilation_rates
        )
    ):
        raise ValueError(
            "`dilation_rates` must be a non-empty list of positive ints, one "
            "atrous 3x3 convolution per rate, e.g. [6, 12, 18]. Received: "
            f"dilation_rates={dilation_rates!r}."
        )
    return [int(r) for r in dilation_rates]


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"`{name}` must be a positive int. Received: {name}={value!r}."
        )
    return value


class ConvNormAct(keras.layers.Layer):
    """Convolution (no bias), batch normalization and an activation."""

    def __init__(
        self, filters, kernel_size, dilation_rate=1, activation="relu", **kwargs
    ):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilation_rate = dilation_rate
        self.activation = keras.activations.get(activation)
        self.conv = keras.layers.Conv2D(
            filters,
            kernel_size,
            padding="same",
            dilation_rate=dilation_rate,
            use_bias=False,
            kernel_initializer="he_normal",
            name="conv",
        )
        self.norm = keras.layers.BatchNormalization(name="norm")

    def build(self, input_shape):
        self.conv.build(input_shape)
        self.norm.build(tuple(input_shape[:-1]) + (self.filters,))

    def call(self, x, training=None):
        return self.activation(self.norm(self.conv(x), training=training))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.filters,)


@api_export("keras_cv.layers.SpatialPyramidPooling", stability="stable", rfc=RFC)
class SpatialPyramidPooling(keras.layers.Layer):
    """Atrous spatial pyramid pooling: context at several scales at once.

    The context module of DeepLabV3 and DeepLabV3+. Parallel branches look
    at the same feature map with growing fields of view:

    - a 1x1 convolution;
    - one 3x3 convolution per entry of `dilation_rates` (atrous, i.e.
      dilated: rate `r` spaces the kernel taps `r` pixels apart);
    - image pooling: the global average of the map through a 1x1
      convolution, spread back over every position.

    Each branch has `num_channels` outputs; the convolution branches are
    batch normalized, while the pooling branch has a bias instead (batch
    statistics of one pooled vector per image are degenerate for small
    batches). The branches are concatenated and projected back to
    `num_channels` by a 1x1 convolution with batch normalization, then
    dropout. Height and width are kept, so the layer works on feature maps
    of any size.

    Reference: [Chen et al., 2017, Rethinking Atrous Convolution for
    Semantic Image Segmentation](https://arxiv.org/abs/1706.05587).

    Args:
        dilation_rates: list of positive ints, the rates of the atrous 3x3
            branches (e.g. `[6, 12, 18]` at stride 16; smaller rates suit
            small feature maps).
        num_channels: channels of every branch and of the output.
        activation: activation of every branch and of the projection.
        dropout: dropout rate applied to the projected output in training.

    Call arguments:
        inputs: a feature map `(batch, height, width, channels)`.
        training: whether batch normalization and dropout run in training mode.

    Input shape:
        4D tensor `(batch, height, width, channels)`.

    Output shape:
        4D tensor `(batch, height, width, num_channels)`.

    Examples:

    >>> import numpy as np
    >>> import keras_cv
    >>> layer = keras_cv.layers.SpatialPyramidPooling(dilation_rates=[1, 2], num_channels=8)
    >>> layer(np.zeros((2, 6, 6, 4), "float32")).shape
    TensorShape([2, 6, 6, 8])
    """

    def __init__(
        self,
        dilation_rates=(6, 12, 18),
        num_channels=256,
        activation="relu",
        dropout=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.dilation_rates = check_dilation_rates(dilation_rates)
        self.num_channels = _check_positive_int(num_channels, "num_channels")
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float))
            or not (0.0 <= dropout < 1.0)
        ):
            raise ValueError(
                f"`dropout` must be a float in [0, 1). Received: dropout={dropout!r}."
            )
        self.dropout = float(dropout)
        self.activation = keras.activations.serialize(keras.activations.get(activation))
        self.branches = [
            ConvNormAct(num_channels, 1, activation=activation, name="branch_1x1")
        ] + [
            ConvNormAct(
                num_channels,
                3,
                dilation_rate=r,
                activation=activation,
                name=f"branch_rate{r}",
            )
            for r in self.dilation_rates
        ]
        self.pooling_conv = keras.layers.Conv2D(
            num_channels, 1, activation=activation, name="pooling_conv"
        )
        self.projection = ConvNormAct(
            num_channels, 1, activation=activation, name="projection"
        )
        self.dropout_layer = keras.layers.Dropout(self.dropout)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                "SpatialPyramidPooling expects a 4D feature map (batch, height, "
                f"width, channels). Received input_shape={tuple(input_shape)}."
            )
        channels = input_shape[-1]
        for branch in self.branches:
            branch.build(input_shape)
        self.pooling_conv.build((None, 1, 1, channels))
        self.projection.build(
            tuple(input_shape[:-1]) + (self.num_channels * (len(self.branches) + 1),)
        )

    def call(self, inputs, training=None):
        outputs = [branch(inputs, training=training) for branch in self.branches]
        pooled = keras.ops.mean(inputs, axis=(1, 2), keepdims=True)
        pooled = self.pooling_conv(pooled)
        # Upsampling a 1x1 map bilinearly is a broadcast.
        outputs.append(pooled * keras.ops.ones_like(outputs[0]))
        x = keras.ops.concatenate(outputs, axis=-1)
        x = self.projection(x, training=training)
        return self.dropout_layer(x, training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.num_channels,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "dilation_rates": list(self.dilation_rates),
                "num_channels": self.num_channels,
                "activation": self.activation,
                "dropout": self.dropout,
            }
        )
        return config
