# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Pins the parts of `keras.src.applications.resnet` that HyperResNet uses."""

import keras

from keras_tuner.src.applications import keras_resnet


def _names(model):
    return {layer.name for layer in model.layers}


def test_v1_stack_in_the_resnet_builder():
    def stack_fn(x):
        x = keras_resnet.stack_v1(x, 16, 2, stride1=1, name="conv2")
        return keras_resnet.stack_v1(x, 32, 3, name="conv3")

    inputs = keras.Input((64, 64, 3))
    model = keras_resnet.resnet(stack_fn, False, True, inputs, "max", "pinned")
    assert model.name == "pinned"
    assert model.inputs == [inputs]
    # Stem /4, conv3 /2; bottleneck output is 4 * filters; global max pooling.
    assert model.get_layer("conv3_block3_out").output.shape == (None, 8, 8, 128)
    assert model.output.shape == (None, 128)
    assert {"conv1_conv", "conv1_bn", "conv2_block1_0_conv", "max_pool"} <= _names(
        model
    )
    assert "conv3_block4_out" not in _names(model)
    assert model.get_layer("conv1_conv").use_bias


def test_v2_stack_is_preactivated_and_strides_in_its_last_block():
    def stack_fn(x):
        return keras_resnet.stack_v2(x, 16, 3, stride1=2, name="conv2")

    model = keras_resnet.resnet(
        stack_fn, True, False, keras.Input((64, 64, 3)), "avg", "pinned_v2"
    )
    names = _names(model)
    assert {"post_bn", "post_relu", "conv2_block1_preact_bn", "avg_pool"} <= names
    assert "conv1_bn" not in names  # pre-activation: no batch norm after the stem
    assert model.get_layer("conv2_block2_out").output.shape == (None, 16, 16, 64)
    assert model.get_layer("conv2_block3_out").output.shape == (None, 8, 8, 64)
    assert not model.get_layer("conv1_conv").use_bias
