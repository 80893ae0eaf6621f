# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The basic ResNet residual block (two 3x3 convolutions)."""

from keras_applications.src.layers import block_utils
from keras_applications.src.layers.resnet_block_base import ResNetBlockBase
from keras_core import api_export


@api_export(
    "keras_applications.layers.ResidualBlock",
    stability="stable",
    rfc="20261122-keras-applications-backbones",
)
class ResidualBlock(ResNetBlockBase):
    """The basic residual block: two 3x3 convolutions plus a shortcut.

    The building block of ResNet-18 and ResNet-34: the input goes through
    two 3x3 convolutions of `filters` channels and is added to a shortcut,
    the input itself or a 1x1 convolution when the shape changes. Cheaper
    than `BottleneckBlock` for narrow networks.

    Two orderings are available:

    - `preactivation=False` (ResNet v1): each convolution is followed by
      batch normalization; ReLU inside the branch and after the addition.
    - `preactivation=True` (ResNet v2): batch normalization and ReLU come
      first, and nothing follows the addition; a strided identity shortcut
      is subsampled.

    A stride of 2 is applied by the first 3x3 convolution, after a
    symmetric one-pixel zero padding.

    With the class attribute `ResidualBlock.winograd = True` (default
    False; set before the model is traced), each unstrided 3x3 convolution
    whose input and output have 128 channels or more goes through
    `keras_applications.layers.winograd_conv2d` (Winograd's F(2x2, 3x3) on
    the layer's own weights, float32 on CPU with TensorFlow; the direct
    convolution's result up to rounding, for less CPU time per step but a
    longer first, traced step).

    References:
    - [He et al., 2015, Deep Residual Learning for Image Recognition](
        https://arxiv.org/abs/1512.03385), the "basic block" of its
        Figure 5 (left) and Table 1.
    - [He et al., 2016, Identity Mappings in Deep Residual Networks](
        https://arxiv.org/abs/1603.05027)

    Args:
        filters: int, the number of channels of both convolutions and of
            the output.
        strides: 1 or 2, the spatial downsampling of the block.
        conv_shortcut: bool or None. `True` forces a 1x1 convolution on the
            shortcut, `False` an identity (possibly subsampled). `None`
            (default) uses a convolution when the channels change (and, in
            v1, when the block is strided).
        preactivation: bool, `True` for the ResNet v2 ordering.
        batch_norm_epsilon: float, epsilon of the batch normalizations.
        stride_in_3x3: bool, accepted for symmetry with `BottleneckBlock`;
            this block always strides with its first 3x3 convolution.
        use_bias: bool, whether the convolutions have biases (torchvision's
            have none). Defaults to True.
        **kwargs: standard layer arguments such as `name` and `dtype`.

    Call arguments:
        inputs: float tensor `(batch, height, width, channels)`.
        training: bool, whether batch normalization uses batch statistics.

    Input shape:
        4D tensor `(batch, height, width, channels)`, channels last.

    Output shape:
        4D tensor `(batch, ceil(height / strides), ceil(width / strides),
        filters)`.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> block = keras_applications.layers.ResidualBlock(filters=16, strides=2)
    >>> block(np.ones((1, 16, 16, 8), "float32")).shape
    TensorShape([1, 8, 8, 16])
    """

    expansion = 1

    def _branch_layers(self):
        f, s = self.filters, self.strides
        first = []
        if s != 1:
            first.append((block_utils.symmetric_pad(f"{self.name}_1_pad"), False))
        padding = "valid" if s != 1 else "same"
        if not self.preactivation:
            return first + [
                (self._conv("1", f, 3, strides=s, padding=padding), False),
                (self._bn("1"), True),
                (self._conv("2", f, 3, padding="same"), False),
                (self._bn("2"), False),
            ]
        return first + [
            (self._conv("1", f, 3, strides=s, padding=padding, use_bias=False), False),
            (self._bn("1"), True),
            (self._conv("2", f, 3, padding="same"), False),
        ]
