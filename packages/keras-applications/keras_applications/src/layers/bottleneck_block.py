# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The ResNet bottleneck block (1x1, 3x3, 1x1 convolutions)."""

from keras_applications.src.layers import block_utils
from keras_applications.src.layers.resnet_block_base import ResNetBlockBase
from keras_core import api_export


@api_export(
    "keras_applications.layers.BottleneckBlock",
    stability="stable",
    rfc="20261122-keras-applications-backbones",
)
class BottleneckBlock(ResNetBlockBase):
    """The ResNet bottleneck block: 1x1 reduce, 3x3, 1x1 expand, plus a shortcut.

    The building block of ResNet-50, -101 and -152. A 1x1 convolution
    narrows the input to `filters` channels, a 3x3 convolution works at
    that width, and a last 1x1 convolution widens the result to
    `4 * filters` channels before it is added to the shortcut. The shortcut
    is the input itself, or a 1x1 convolution when the shape changes.

    Two orderings are available:

    - `preactivation=False` (ResNet v1): each convolution is followed by
      batch normalization; ReLU inside the branch and after the addition.
      A stride of 2 is applied by the first 1x1 convolution and by the
      shortcut convolution (the layout of `keras.applications.ResNet50`).
    - `preactivation=True` (ResNet v2): batch normalization and ReLU come
      first, the stride is applied by the 3x3 convolution, a strided
      identity shortcut is subsampled, and nothing follows the addition.

    With the class attribute `BottleneckBlock.winograd = True` (default
    False), the 3x3 convolution, when unstrided and at least 128 channels
    wide, is computed by `keras_applications.layers.winograd_conv2d` (see
    `ResidualBlock`).

    References:
    - [He et al., 2015, Deep Residual Learning for Image Recognition](
        https://arxiv.org/abs/1512.03385)
    - [He et al., 2016, Identity Mappings in Deep Residual Networks](
        https://arxiv.org/abs/1603.05027)

    Args:
        filters: int, width of the bottleneck; the block outputs
            `4 * filters` channels.
        strides: 1 or 2, the spatial downsampling of the block.
        conv_shortcut: bool or None. `True` forces a 1x1 convolution on the
            shortcut, `False` an identity (possibly subsampled). `None`
            (default) uses a convolution when the channels change (and, in
            v1, when the block is strided).
        preactivation: bool, `True` for the ResNet v2 ordering.
        batch_norm_epsilon: float, epsilon of the batch normalizations.
        stride_in_3x3: bool, v1 only: apply the stride with the 3x3
            convolution (over a one-pixel padding on each side) instead of
            the first 1x1 convolution: "ResNet v1.5", the layout of
            torchvision's ResNets. Defaults to False.
        use_bias: bool, whether the convolutions have biases (torchvision's
            have none). Defaults to True.
        **kwargs: standard layer arguments such as `name` and `dtype`.
            Sub-layers are named after the block (`<name>_1_conv`, ...).

    Call arguments:
        inputs: float tensor `(batch, height, width, channels)`.
        training: bool, whether batch normalization uses batch statistics.

    Input shape:
        4D tensor `(batch, height, width, channels)`, channels last.

    Output shape:
        4D tensor `(batch, ceil(height / strides), ceil(width / strides),
        4 * filters)`.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> block = keras_applications.layers.BottleneckBlock(filters=8, strides=2)
    >>> block(np.ones((1, 16, 16, 32), "float32")).shape
    TensorShape([1, 8, 8, 32])
    """

    expansion = 4

    def _branch_layers(self):
        f, s = self.filters, self.strides
        if not self.preactivation and self.stride_in_3x3 and s != 1:
            # ResNet v1.5 (torchvision's layout): the 3x3 convolution
            # strides, over a one-pixel zero padding on every side.
            return [
                (self._conv("1", f, 1), False),
                (self._bn("1"), True),
                (block_utils.symmetric_pad(f"{self.name}_2_pad"), False),
                (self._conv("2", f, 3, strides=s), False),
                (self._bn("2"), True),
                (self._conv("3", 4 * f, 1), False),
                (self._bn("3"), False),
            ]
        if not self.preactivation:
            return [
                (self._conv("1", f, 1, strides=s), False),
                (self._bn("1"), True),
                (self._conv("2", f, 3, padding="same"), False),
                (self._bn("2"), True),
                (self._conv("3", 4 * f, 1), False),
                (self._bn("3"), False),
            ]
        # v2: a strided 3x3 convolution over a symmetric padding; unstrided,
        # the same convolution as "same" padding (so that it can go through
        # Winograd: no weights, names or saved paths change).
        if s != 1:
            third = [
                (block_utils.symmetric_pad(f"{self.name}_2_pad"), False),
                (self._conv("2", f, 3, strides=s, use_bias=False), False),
            ]
        else:
            third = [(self._conv("2", f, 3, padding="same", use_bias=False), False)]
        return [
            (self._conv("1", f, 1, use_bias=False), False),
            (self._bn("1"), True),
            *third,
            (self._bn("2"), True),
            (self._conv("3", 4 * f, 1), False),
        ]
