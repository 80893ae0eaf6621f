# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Squeeze-and-excitation: channel attention from globally pooled features."""

import keras

from keras_applications.src.layers import block_utils
from keras_core import api_export

_GATES = ("sigmoid", "hard_sigmoid")


@api_export(
    "keras_applications.layers.SqueezeExcitation",
    stability="stable",
    rfc="20261122-keras-applications-backbones",
)
class SqueezeExcitation(keras.layers.Layer):
    """Squeeze-and-excitation: rescales each channel by a learned gate.

    The feature map is averaged over its spatial dimensions ("squeeze"),
    passed through a small two-layer bottleneck of 1x1 convolutions, and
    the resulting per-channel gate in [0, 1] multiplies the input
    ("excitation"). MobileNetV3 and EfficientNet put one inside each
    inverted residual block; it is a cheap way to add channel attention to
    any convolutional network.

    Reference:
    - [Hu et al., 2018, Squeeze-and-Excitation Networks](
        https://arxiv.org/abs/1709.01507)

    Args:
        squeeze_channels: int, width of the bottleneck (the number of
            filters of the first 1x1 convolution).
        activation: str, activation of the bottleneck. Defaults to `"relu"`.
        gate_activation: `"sigmoid"` (EfficientNet) or `"hard_sigmoid"`
            (MobileNetV3, `relu6(x + 3) / 6`). Defaults to `"sigmoid"`.
        **kwargs: standard layer arguments such as `name` and `dtype`.

    Call arguments:
        inputs: a float tensor of shape `(batch, height, width, channels)`.

    Input shape:
        4D tensor `(batch, height, width, channels)`, channels last.

    Output shape:
        Same as the input.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> layer = keras_applications.layers.SqueezeExcitation(squeeze_channels=4)
    >>> layer(np.ones((2, 8, 8, 16), "float32")).shape
    TensorShape([2, 8, 8, 16])
    """

    def __init__(
        self, squeeze_channels, activation="relu", gate_activation="sigmoid", **kwargs
    ):
        super().__init__(**kwargs)
        self.squeeze_channels = block_utils.check_positive_int(
            squeeze_channels, "squeeze_channels", "SqueezeExcitation"
        )
        if gate_activation not in _GATES:
            raise ValueError(
                "`gate_activation` of SqueezeExcitation must be one of "
                f"{', '.join(repr(g) for g in _GATES)}. "
                f"Received: gate_activation={gate_activation!r}."
            )
        self.activation = activation
        self.gate_activation = gate_activation
        self.reduce_conv = keras.layers.Conv2D(
            squeeze_channels,
            1,
            activation=activation,
            name=f"{self.name}_reduce",
            dtype=self.dtype_policy,
        )
        self.expand_conv = None  # needs the input channels; made in build

    def build(self, input_shape):
        input_shape = block_utils.check_image_shape(input_shape, "SqueezeExcitation")
        channels = input_shape[-1]
        self.expand_conv = keras.layers.Conv2D(
            channels, 1, name=f"{self.name}_expand", dtype=self.dtype_policy
        )
        pooled = (input_shape[0], 1, 1, channels)
        block_utils.build_chain([self.reduce_conv, self.expand_conv], pooled)
        self.built = True

    def call(self, inputs):
        x = keras.ops.mean(inputs, axis=(1, 2), keepdims=True)
        x = self.reduce_conv(x)
        x = self.expand_conv(x)
        if self.gate_activation == "sigmoid":
            x = keras.ops.sigmoid(x)
        else:
            x = keras.ops.relu6(x + 3.0) * (1.0 / 6.0)
        return inputs * x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "squeeze_channels": self.squeeze_channels,
                "activation": self.activation,
                "gate_activation": self.gate_activation,
            }
        )
        return config
