# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The machinery shared by `ResidualBlock` and `BottleneckBlock`.

Both blocks come in two orderings:

- post-activation (ResNet v1, He et al. 2015): convolution, batch norm,
  ReLU inside the branch, and a ReLU after the addition;
- pre-activation (ResNet v2, He et al. 2016): batch norm and ReLU before
  the branch, nothing after the addition.

Sub-layers are named `<block>_<i>_conv`, `<block>_<i>_bn`, `<block>_0_conv`
(shortcut) and `<block>_preact_bn`, the layout of `keras.applications`'
ResNets, so that their weight files load by name.

The 3x3 stride-1 convolutions of the branch with at least
`_WINOGRAD_MIN_CHANNELS` input and output channels are computed by
Winograd's algorithm (`winograd_conv2d`, from the layers' own weights)
where it applies, when the class attribute `winograd` is True (default
False); the others, and all of them with `winograd = False`, by calling
their layers.
"""

import keras

from keras_applications.src.layers import block_utils
from keras_applications.src.layers.winograd import winograd_conv2d

# The fewest input and output channels for which a 3x3 convolution of the
# branch goes through Winograd. Measured under load (CPU time of forward
# plus both gradients, batch 4, TensorFlow as written, oneDNN, F(2x2, 3x3)):
# Winograd / direct 1.08 at 64x64x64 and 1.00 at 32x32x64 (no gain), 0.76
# at 32x32x128, 0.65 at 16x16x256, 0.71 at 8x8x512.
_WINOGRAD_MIN_CHANNELS = 128


def _winograd_pays(layer, inputs):
    """Whether the branch computes `layer(inputs)` by `winograd_conv2d`.

    Decided from static shapes when the call is traced; `winograd_conv2d`
    itself calls the layer where Winograd does not apply (dtype, device).
    """
    return (
        type(layer) is keras.layers.Conv2D
        and tuple(layer.kernel_size) == (3, 3)
        and tuple(layer.strides) == (1, 1)
        and inputs.shape[-1] is not None
        and min(inputs.shape[-1], layer.filters) >= _WINOGRAD_MIN_CHANNELS
    )


class ResNetBlockBase(keras.layers.Layer):
    """Common constructor, build and call of the two ResNet blocks."""

    expansion = 1
    # Whether the branch's 3x3 stride-1 convolutions of at least 128 input
    # and output channels are computed by Winograd's algorithm
    # (`keras_applications.layers.winograd_conv2d`, equal to the direct
    # convolution up to float32 rounding); False (default): by their
    # layers' call. Opt in with `ResidualBlock.winograd = True` (or
    # `BottleneckBlock`) before the step is traced: on CPU it saves about 6%
    # of a RetinaNet ResNet-18 training step's CPU time (measured under
    # load), but each such convolution adds about 110 traced ops, and the
    # first training step took about 0.6-1.2 s longer (idle: RetinaNet
    # first step 4.7-5.4 s without, 5.6-5.9 s with).
    winograd = False

    def __init__(
        self,
        filters,
        strides=1,
        conv_shortcut=None,
        preactivation=False,
        batch_norm_epsilon=1.001e-5,
        stride_in_3x3=False,
        use_bias=True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.filters = block_utils.check_positive_int(filters, "filters", cls)
        self.strides = block_utils.check_strides(strides, cls)
        if conv_shortcut is not None and not isinstance(conv_shortcut, bool):
            raise TypeError(
                f"`conv_shortcut` of {cls} must be True, False or None "
                f"(decide from the shapes). Received: conv_shortcut={conv_shortcut!r}."
            )
        if not isinstance(preactivation, bool):
            raise TypeError(
                f"`preactivation` of {cls} must be a bool. "
                f"Received: preactivation={preactivation!r}."
            )
        if (
            isinstance(batch_norm_epsilon, bool)
            or not isinstance(batch_norm_epsilon, (int, float))
            or batch_norm_epsilon < 0
        ):
            raise ValueError(
                f"`batch_norm_epsilon` of {cls} must be a non-negative float "
                "(0 only for converted weights whose variances are all "
                f"positive). Received: batch_norm_epsilon={batch_norm_epsilon!r}."
            )
        for arg, value in (("stride_in_3x3", stride_in_3x3), ("use_bias", use_bias)):
            if not isinstance(value, bool):
                raise TypeError(
                    f"`{arg}` of {cls} must be a bool. Received: {arg}={value!r}."
                )
        self.stride_in_3x3 = stride_in_3x3
        self.use_bias = use_bias
        self.conv_shortcut = conv_shortcut
        self.preactivation = preactivation
        self.batch_norm_epsilon = float(batch_norm_epsilon)

    @property
    def output_channels(self):
        return self.filters * self.expansion

    def _conv(
        self, suffix, filters, kernel_size, strides=1, padding="valid", use_bias=True
    ):
        return keras.layers.Conv2D(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            use_bias=use_bias and self.use_bias,
            name=f"{self.name}_{suffix}_conv",
            dtype=self.dtype_policy,
        )

    def _bn(self, suffix):
        return keras.layers.BatchNormalization(
            epsilon=self.batch_norm_epsilon,
            name=f"{self.name}_{suffix}_bn",
            dtype=self.dtype_policy,
        )

    def _branch_layers(self):
        """Returns the residual branch as a list of (layer, relu_after)."""
        raise NotImplementedError

    def _uses_conv_shortcut(self, in_channels):
        if self.conv_shortcut is not None:
            return self.conv_shortcut
        if in_channels != self.output_channels:
            return True
        # v1 downsamples the shortcut with a strided 1x1 convolution; v2
        # subsamples it with a 1x1 max pooling (keras.applications' layout).
        return self.strides != 1 and not self.preactivation

    def build(self, input_shape):
        cls = type(self).__name__
        input_shape = block_utils.check_image_shape(input_shape, cls)
        in_channels = input_shape[-1]
        self.preact_bn = self._bn("preact") if self.preactivation else None
        self.shortcut_conv = None
        self.shortcut_bn = None
        if self._uses_conv_shortcut(in_channels):
            self.shortcut_conv = self._conv("0", self.output_channels, 1, self.strides)
            if not self.preactivation:
                self.shortcut_bn = self._bn("0")
        elif in_channels != self.output_channels:
            raise ValueError(
                f"{cls} '{self.name}' cannot add an identity shortcut: the "
                f"input has {in_channels} channels but the block outputs "
                f"{self.output_channels}. Pass conv_shortcut=True (or None)."
            )
        pairs = self._branch_layers()
        self.branch_layers = [layer for layer, _ in pairs]
        self._relu_after = tuple(relu for _, relu in pairs)
        block_utils.build_chain([self.preact_bn], input_shape)
        block_utils.build_chain([self.shortcut_conv, self.shortcut_bn], input_shape)
        block_utils.build_chain(self.branch_layers, input_shape)
        self.built = True

    def call(self, inputs, training=None):
        x = inputs
        if self.preactivation:
            x = keras.ops.relu(self.preact_bn(x, training=training))
        if self.shortcut_conv is not None:
            shortcut = self.shortcut_conv(x if self.preactivation else inputs)
            if self.shortcut_bn is not None:
                shortcut = self.shortcut_bn(shortcut, training=training)
        elif self.strides != 1:
            shortcut = inputs[:, :: self.strides, :: self.strides, :]
        else:
            shortcut = inputs
        for layer, relu_after in zip(self.branch_layers, self._relu_after):
            if isinstance(layer, keras.layers.BatchNormalization):
                x = layer(x, training=training)
            elif self.winograd and _winograd_pays(layer, x):
                # F(2x2, 3x3) at most: rounding as the direct convolution's.
                # With F(4x4, 3x3) in ResNet-50 (4e-6 of the largest value
                # per convolution), 2 of Mask R-CNN v2's proposals at
                # 800x1333 differed from torchvision's in its parity test.
                x = winograd_conv2d(layer, x, largest_tile=2)
            else:
                x = layer(x)
            if relu_after:
                x = keras.ops.relu(x)
        x = shortcut + x
        if not self.preactivation:
            x = keras.ops.relu(x)
        return x

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape
        return (
            batch,
            block_utils.downsampled(height, self.strides),
            block_utils.downsampled(width, self.strides),
            self.output_channels,
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "strides": self.strides,
                "conv_shortcut": self.conv_shortcut,
                "preactivation": self.preactivation,
                "batch_norm_epsilon": self.batch_norm_epsilon,
            }
        )
        # Written only when set, so that default configs stay as they were.
        if self.stride_in_3x3:
            config["stride_in_3x3"] = True
        if not self.use_bias:
            config["use_bias"] = False
        return config
