# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The peer's backbone of the keras-cv benchmarks (run in keras-cv 0.9's environment)."""


def resnet18_backbone(input_shape=(None, None, 3)):
    """keras-cv 0.9's `ResNetBackbone` in the ResNet18 layout, random init."""
    import keras_cv  # keras-cv 0.9.0, in its own environment

    return keras_cv.models.ResNetBackbone(
        stackwise_filters=[64, 128, 256, 512],
        stackwise_blocks=[2, 2, 2, 2],
        stackwise_strides=[1, 2, 2, 2],
        block_type="basic_block",
        include_rescaling=True,
        input_shape=input_shape,
    )
