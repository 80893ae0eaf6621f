# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The one place that reaches into Keras' ResNet builder.

`keras.applications` exports ResNet50/101/152 (v1 and v2) with fixed
depths; `HyperResNet` searches the depth of two stages, so it calls the
builder and the residual stacks those functions are made of, which live in
`keras.src.applications.resnet`. `keras_resnet_test.py` pins what is used
here, so a Keras release that moves them fails that test first.
"""

from keras.src.applications import resnet as _resnet


def resnet(stack_fn, preact, use_bias, input_tensor, pooling, name):
    """A ResNet without top: stem, `stack_fn(x)`, then global `pooling`.

    Args:
        stack_fn: maps the stem's output to the last stage's output.
        preact: True for pre-activation (ResNetV2: batch norm and ReLU after
            the last stage instead of after the stem).
        use_bias: whether the stem convolution has a bias.
        input_tensor: a Keras tensor the model starts from.
        pooling: `"avg"` or `"max"`.
        name: the model's name.
    """
    return _resnet.ResNet(
        stack_fn,
        preact,
        use_bias,
        include_top=False,
        weights=None,
        input_tensor=input_tensor,
        pooling=pooling,
        name=name,
    )


def stack_v1(x, filters, blocks, stride1=2, name=None):
    """`blocks` ResNet v1 bottleneck blocks (output `4 * filters` channels)."""
    return _resnet.stack_residual_blocks_v1(
        x, filters, blocks, stride1=stride1, name=name
    )


def stack_v2(x, filters, blocks, stride1=2, name=None):
    """`blocks` ResNet v2 (pre-activation) blocks; the last one strides."""
    return _resnet.stack_residual_blocks_v2(
        x, filters, blocks, stride1=stride1, name=name
    )
