# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The inverted residual block of MobileNetV2/V3 and EfficientNet (MBConv)."""

import keras

from keras_applications.src.layers import block_utils
from keras_applications.src.layers.squeeze_excitation import SqueezeExcitation
from keras_core import api_export

_PADDINGS = ("same", "symmetric")


@api_export(
    "keras_applications.layers.InvertedResidualBlock",
    stability="stable",
    rfc="20261122-keras-applications-backbones",
)
class InvertedResidualBlock(keras.layers.Layer):
    """The inverted residual (MobileNet bottleneck, "MBConv") block.

    A 1x1 convolution widens the input by `expansion_ratio`, a depthwise
    convolution filters each channel spatially, an optional
    squeeze-and-excitation reweights the channels, and a linear 1x1
    convolution projects to `filters` channels. When the block keeps the
    shape (stride 1, same channels) the input is added back. This is the
    block of MobileNetV2 (`activation="relu6"`), MobileNetV3
    (`"hard_swish"` or `"relu"`, hard-sigmoid excitation) and EfficientNet
    (`"swish"`, sigmoid excitation, stochastic depth).

    References:
    - [Sandler et al., 2018, MobileNetV2: Inverted Residuals and Linear
        Bottlenecks](https://arxiv.org/abs/1801.04381)
    - [Howard et al., 2019, Searching for MobileNetV3](
        https://arxiv.org/abs/1905.02244)
    - [Tan and Le, 2019, EfficientNet](https://arxiv.org/abs/1905.11946)

    Args:
        filters: int, output channels.
        expansion_ratio: float, the expanded width is
            `round(input_channels * expansion_ratio)`. With 1 there is no
            expansion convolution. Defaults to 6.
        kernel_size: int, size of the depthwise kernel. Defaults to 3.
        strides: 1 or 2, stride of the depthwise convolution ("same"
            padding). Defaults to 1.
        activation: str, activation after the expansion and depthwise
            convolutions (`"relu6"`, `"relu"`, `"hard_swish"`, `"swish"`).
        squeeze_channels: int or None, bottleneck width of the
            squeeze-and-excitation; None (default) for no excitation.
        squeeze_activation: str, activation inside the excitation.
        squeeze_gate: `"sigmoid"` or `"hard_sigmoid"`, the excitation gate.
        use_residual: bool, add the input when the shape allows. Defaults
            to True.
        dropout_rate: float in [0, 1), rate at which the whole residual
            branch of a sample is dropped in training (stochastic depth);
            used only with the residual connection. Defaults to 0.
        batch_norm_epsilon: float. Defaults to 1e-3.
        batch_norm_momentum: float. Defaults to 0.99.
        padding: `"same"` (default, TensorFlow's: a strided depthwise
            convolution pads an even input only at the bottom and right)
            or `"symmetric"` (`(kernel_size - 1) // 2` zeros on every side,
            as PyTorch's convolutions, for weights converted from
            torchvision). The output size is the same.
        **kwargs: standard layer arguments such as `name` and `dtype`.
            Sub-layers are named after the block (`<name>_expand_conv`, ...).

    Call arguments:
        inputs: float tensor `(batch, height, width, channels)`.
        training: bool, training mode for batch normalization and dropout.

    Input shape:
        4D tensor `(batch, height, width, channels)`, channels last.

    Output shape:
        4D tensor `(batch, ceil(height / strides), ceil(width / strides),
        filters)`.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> block = keras_applications.layers.InvertedResidualBlock(filters=24, strides=2, squeeze_channels=8)
    >>> block(np.ones((1, 16, 16, 16), "float32")).shape
    TensorShape([1, 8, 8, 24])
    """

    def __init__(
        self,
        filters,
        expansion_ratio=6.0,
        kernel_size=3,
        strides=1,
        activation="relu6",
        squeeze_channels=None,
        squeeze_activation="relu",
        squeeze_gate="sigmoid",
        use_residual=True,
        dropout_rate=0.0,
        batch_norm_epsilon=1e-3,
        batch_norm_momentum=0.99,
        padding="same",
        **kwargs,
    ):
        super().__init__(**kwargs)
        cls = "InvertedResidualBlock"
        if padding not in _PADDINGS:
            raise ValueError(
                f"`padding` of {cls} must be one of {_PADDINGS}. "
                f"Received: padding={padding!r}."
            )
        self.padding = padding
        self.filters = block_utils.check_positive_int(filters, "filters", cls)
        if (
            isinstance(expansion_ratio, bool)
            or not isinstance(expansion_ratio, (int, float))
            or expansion_ratio < 1
        ):
            raise ValueError(
                f"`expansion_ratio` of {cls} must be a number >= 1. "
                f"Received: expansion_ratio={expansion_ratio!r}."
            )
        self.expansion_ratio = float(expansion_ratio)
        self.kernel_size = block_utils.check_positive_int(
            kernel_size, "kernel_size", cls
        )
        self.strides = block_utils.check_strides(strides, cls)
        keras.activations.get(activation)  # fails early on unknown names
        self.activation = activation
        if squeeze_channels is not None:
            block_utils.check_positive_int(squeeze_channels, "squeeze_channels", cls)
        self.squeeze_channels = squeeze_channels
        self.squeeze_activation = squeeze_activation
        self.squeeze_gate = squeeze_gate
        if not isinstance(use_residual, bool):
            raise TypeError(
                f"`use_residual` of {cls} must be a bool. Received: use_residual={use_residual!r}."
            )
        self.use_residual = use_residual
        self.dropout_rate = block_utils.check_rate(dropout_rate, "dropout_rate", cls)
        self.batch_norm_epsilon = float(batch_norm_epsilon)
        self.batch_norm_momentum = float(batch_norm_momentum)
        self._activation_fn = keras.activations.get(activation)

        policy = self.dtype_policy
        # PyTorch pads (kernel_size - 1) // 2 pixels on every side; "same"
        # pads an even input of a strided convolution one pixel less at the
        # top and left. Both give the same output size.
        self.depthwise_pad = None
        if padding == "symmetric" and self.strides > 1:
            pad = (self.kernel_size - 1) // 2
            self.depthwise_pad = keras.layers.ZeroPadding2D(
                pad, name=f"{self.name}_depthwise_pad", dtype=policy
            )
        self.depthwise_conv = keras.layers.DepthwiseConv2D(
            self.kernel_size,
            strides=self.strides,
            padding="valid" if self.depthwise_pad is not None else "same",
            use_bias=False,
            name=f"{self.name}_depthwise_conv",
            dtype=policy,
        )
        self.depthwise_bn = self._bn("depthwise")
        self.se = None
        if squeeze_channels is not None:
            self.se = SqueezeExcitation(
                squeeze_channels,
                activation=squeeze_activation,
                gate_activation=squeeze_gate,
                name=f"{self.name}_se",
                dtype=policy,
            )
        self.project_conv = keras.layers.Conv2D(
            self.filters,
            1,
            use_bias=False,
            name=f"{self.name}_project_conv",
            dtype=policy,
        )
        self.project_bn = self._bn("project")
        self.expand_conv = None
        self.expand_bn = None
        self.dropout = None

    def _bn(self, prefix):
        return keras.layers.BatchNormalization(
            epsilon=self.batch_norm_epsilon,
            momentum=self.batch_norm_momentum,
            name=f"{self.name}_{prefix}_bn",
            dtype=self.dtype_policy,
        )

    def build(self, input_shape):
        input_shape = block_utils.check_image_shape(
            input_shape, "InvertedResidualBlock"
        )
        in_channels = input_shape[-1]
        if self.expansion_ratio != 1:
            expanded = max(1, int(round(in_channels * self.expansion_ratio)))
            self.expand_conv = keras.layers.Conv2D(
                expanded,
                1,
                use_bias=False,
                name=f"{self.name}_expand_conv",
                dtype=self.dtype_policy,
            )
            self.expand_bn = self._bn("expand")
        self._has_residual = (
            self.use_residual and self.strides == 1 and in_channels == self.filters
        )
        if self._has_residual and self.dropout_rate > 0:
            self.dropout = keras.layers.Dropout(
                self.dropout_rate,
                noise_shape=(None, 1, 1, 1),
                name=f"{self.name}_drop",
                dtype=self.dtype_policy,
            )
        block_utils.build_chain(
            [
                self.expand_conv,
                self.expand_bn,
                self.depthwise_pad,
                self.depthwise_conv,
                self.depthwise_bn,
                self.se,
                self.project_conv,
                self.project_bn,
            ],
            input_shape,
        )
        self.built = True

    def call(self, inputs, training=None):
        x = inputs
        if self.expand_conv is not None:
            x = self.expand_conv(x)
            x = self._activation_fn(self.expand_bn(x, training=training))
        if self.depthwise_pad is not None:
            x = self.depthwise_pad(x)
        x = self.depthwise_conv(x)
        x = self._activation_fn(self.depthwise_bn(x, training=training))
        if self.se is not None:
            x = self.se(x)
        x = self.project_conv(x)
        x = self.project_bn(x, training=training)
        if self._has_residual:
            if self.dropout is not None:
                x = self.dropout(x, training=training)
            x = x + inputs
        return x

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape
        return (
            batch,
            block_utils.downsampled(height, self.strides),
            block_utils.downsampled(width, self.strides),
            self.filters,
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "expansion_ratio": self.expansion_ratio,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "activation": self.activation,
                "squeeze_channels": self.squeeze_channels,
                "squeeze_activation": self.squeeze_activation,
                "squeeze_gate": self.squeeze_gate,
                "use_residual": self.use_residual,
                "dropout_rate": self.dropout_rate,
                "batch_norm_epsilon": self.batch_norm_epsilon,
                "batch_norm_momentum": self.batch_norm_momentum,
            }
        )
        if self.padding != "same":  # configs saved before the option load
            config["padding"] = self.padding
        return config
