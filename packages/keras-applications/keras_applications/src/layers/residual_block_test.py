# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

from keras_applications.src.layers.residual_block import ResidualBlock
from keras_core.testing import TestCase


def _reference_v1(x, block):
    """The basic block of He et al. 2015 written with plain Keras layers."""
    names = {layer.name: layer for layer in block._flatten_layers(include_self=False)}
    inputs = keras.Input(x.shape[1:])
    shortcut = inputs
    if block.strides != 1 or inputs.shape[-1] != block.filters:
        shortcut = keras.layers.Conv2D(
            block.filters, 1, strides=block.strides, name="s_conv"
        )(inputs)
        shortcut = keras.layers.BatchNormalization(epsilon=1.001e-5, name="s_bn")(
            shortcut
        )
    y = keras.layers.ZeroPadding2D(1)(inputs)
    y = keras.layers.Conv2D(block.filters, 3, strides=block.strides, name="c1")(y)
    y = keras.layers.ReLU()(
        keras.layers.BatchNormalization(epsilon=1.001e-5, name="b1")(y)
    )
    y = keras.layers.Conv2D(block.filters, 3, padding="same", name="c2")(y)
    y = keras.layers.BatchNormalization(epsilon=1.001e-5, name="b2")(y)
    y = keras.layers.ReLU()(keras.layers.Add()([shortcut, y]))
    model = keras.Model(inputs, y)
    pairs = {
        "s_conv": "_0_conv",
        "s_bn": "_0_bn",
        "c1": "_1_conv",
        "b1": "_1_bn",
        "c2": "_2_conv",
        "b2": "_2_bn",
    }
    for ref_name, suffix in pairs.items():
        if ref_name in [layer.name for layer in model.layers]:
            model.get_layer(ref_name).set_weights(
                names[block.name + suffix].get_weights()
            )
    return model(x)


class ResidualBlockTest(TestCase):
    def test_layer_contract_v1(self):
        self.run_layer_test(
            ResidualBlock,
            {"filters": 8, "strides": 2},
            np.random.default_rng(0).normal(size=(2, 7, 7, 4)).astype("float32"),
            expected_output_shape=(2, 4, 4, 8),
        )

    def test_layer_contract_v2(self):
        self.run_layer_test(
            ResidualBlock,
            {"filters": 4, "strides": 2, "preactivation": True},
            np.random.default_rng(0).normal(size=(2, 6, 6, 4)).astype("float32"),
            expected_output_shape=(2, 3, 3, 4),
            # preact BN + conv1 + BN + conv2 (bias), identity shortcut
            expected_num_trainable_weights=2 + 1 + 2 + 2,
        )

    def test_v1_matches_plain_keras_reference(self):
        rng = np.random.default_rng(2)
        x = rng.normal(size=(2, 9, 9, 4)).astype("float32")
        for strides, in_channels in ((2, 4), (1, 8)):
            x = rng.normal(size=(2, 9, 9, in_channels)).astype("float32")
            block = ResidualBlock(8, strides=strides, name="blk")
            block.build(x.shape)
            for w in block.weights:
                w.assign(rng.uniform(0.5, 1.5, size=w.shape).astype("float32"))
            self.assertAllClose(block(x), _reference_v1(x, block), atol=1e-4, rtol=1e-5)

    def test_v2_strided_identity_shortcut_subsamples(self):
        x = np.random.default_rng(3).normal(size=(1, 5, 5, 4)).astype("float32")
        block = ResidualBlock(4, strides=2, preactivation=True)
        block.build(x.shape)
        self.assertIsNone(block.shortcut_conv)
        for w in block.branch_layers[
            -1
        ].weights:  # zero the last conv: output == shortcut
            w.assign(np.zeros(w.shape, "float32"))
        self.assertAllClose(block(x), x[:, ::2, ::2, :])

    def test_errors(self):
        with pytest.raises(ValueError, match="strides"):
            ResidualBlock(8, strides=3)
        with pytest.raises(ValueError, match="filters"):
            ResidualBlock(-1)
        with pytest.raises(ValueError, match="identity shortcut"):
            ResidualBlock(8, conv_shortcut=False)(np.ones((1, 4, 4, 3), "float32"))
