# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
from keras.src.applications import efficientnet as keras_efficientnet
from keras.src.applications import mobilenet_v2 as keras_mobilenet_v2

from keras_applications.src.layers.inverted_residual_block import InvertedResidualBlock
from keras_core.testing import TestCase


def _copy_from(block, reference, rename):
    for layer in block._flatten_layers(include_self=False, recursive=True):
        if layer.weights and not list(layer._flatten_layers(include_self=False)):
            layer.set_weights(reference.get_layer(rename(layer.name)).get_weights())


def _randomize(model, rng):
    for w in model.weights:
        w.assign(rng.uniform(0.5, 1.5, size=w.shape).astype("float32"))


_MOBILENET_V2_SUFFIXES = {
    "_expand_conv": "_expand",
    "_expand_bn": "_expand_BN",
    "_depthwise_conv": "_depthwise",
    "_depthwise_bn": "_depthwise_BN",
    "_project_conv": "_project",
    "_project_bn": "_project_BN",
}


def _mobilenet_v2_name(name):
    for ours, theirs in _MOBILENET_V2_SUFFIXES.items():
        if name.endswith(ours):
            return name[: -len(ours)] + theirs
    return name


class InvertedResidualBlockTest(TestCase):
    def test_layer_contract(self):
        self.run_layer_test(
            InvertedResidualBlock,
            {
                "filters": 8,
                "strides": 2,
                "kernel_size": 5,
                "squeeze_channels": 2,
                "activation": "hard_swish",
            },
            np.random.default_rng(0).normal(size=(2, 7, 7, 4)).astype("float32"),
            expected_output_shape=(2, 4, 4, 8),
        )

    def test_layer_contract_residual_with_dropout(self):
        self.run_layer_test(
            InvertedResidualBlock,
            {
                "filters": 4,
                "expansion_ratio": 2.5,
                "dropout_rate": 0.5,
                "activation": "swish",
            },
            np.random.default_rng(0).normal(size=(2, 4, 4, 4)).astype("float32"),
            expected_output_shape=(2, 4, 4, 4),
        )

    def test_matches_keras_mobilenet_v2_block(self):
        rng = np.random.default_rng(4)
        for stride, filters in ((2, 16), (1, 8)):
            x = rng.normal(size=(2, 8, 8, 8)).astype("float32")
            inputs = keras.Input(x.shape[1:])
            out = keras_mobilenet_v2._inverted_res_block(
                inputs, 6, stride, 1.0, filters, block_id=3
            )
            reference = keras.Model(inputs, out)
            _randomize(reference, rng)
            block = InvertedResidualBlock(
                filters, strides=stride, batch_norm_momentum=0.999, name="block_3"
            )
            block.build(x.shape)
            _copy_from(block, reference, _mobilenet_v2_name)
            self.assertAllClose(block(x), reference(x), atol=1e-3, rtol=1e-5)

    def test_matches_keras_efficientnet_block(self):
        rng = np.random.default_rng(5)
        x = rng.normal(size=(2, 9, 9, 8)).astype("float32")  # odd size, stride 2
        inputs = keras.Input(x.shape[1:])
        out = keras_efficientnet.block(
            inputs,
            "swish",
            0.0,
            "b2a_",
            filters_in=8,
            filters_out=16,
            kernel_size=5,
            strides=2,
            expand_ratio=6,
            se_ratio=0.25,
        )
        reference = keras.Model(inputs, out)
        for w in reference.weights:
            w.assign(rng.uniform(0.1, 0.3, size=w.shape).astype("float32"))
        block = InvertedResidualBlock(
            16,
            kernel_size=5,
            strides=2,
            activation="swish",
            squeeze_channels=2,
            squeeze_activation="swish",
            name="b2a",
        )
        block.build(x.shape)

        def rename(name):
            return {
                "b2a_depthwise_conv": "b2a_dwconv",
                "b2a_depthwise_bn": "b2a_bn",
            }.get(name, name)

        _copy_from(block, reference, rename)
        self.assertAllClose(block(x), reference(x), atol=1e-4, rtol=1e-4)

    def test_stochastic_depth_drops_whole_branch(self):
        x = np.ones((64, 4, 4, 4), "float32")
        block = InvertedResidualBlock(4, dropout_rate=0.5)
        eval_out = np.asarray(block(x, training=False))
        train_out = np.asarray(block(x, training=True))
        dropped = np.all(np.isclose(train_out, x), axis=(1, 2, 3))
        self.assertTrue(0 < dropped.sum() < 64)  # some samples keep only the identity
        self.assertFalse(np.allclose(eval_out, x))

    def test_errors(self):
        with pytest.raises(ValueError, match="expansion_ratio"):
            InvertedResidualBlock(8, expansion_ratio=0.5)
        with pytest.raises(ValueError, match="dropout_rate"):
            InvertedResidualBlock(8, dropout_rate=1.0)
        with pytest.raises(ValueError, match="Unknown|activation|Could not interpret"):
            InvertedResidualBlock(8, activation="no_such_activation")
        with pytest.raises(ValueError, match="Received: padding='valid'"):
            InvertedResidualBlock(8, padding="valid")


class SymmetricPaddingTest(TestCase):
    def test_layer_contract(self):
        self.run_layer_test(
            InvertedResidualBlock,
            {"filters": 8, "strides": 2, "kernel_size": 5, "padding": "symmetric"},
            np.random.default_rng(0).normal(size=(2, 8, 6, 4)).astype("float32"),
            expected_output_shape=(2, 4, 3, 8),
        )


@pytest.mark.parametrize("kernel_size", [3, 5])
def test_symmetric_padding_pads_every_side_as_pytorch(kernel_size):
    # A depthwise-only block (expansion 1, identity batch norms, linear
    # activation, projection = identity): its output is the depthwise
    # convolution, which the NumPy reference computes with PyTorch's
    # padding of (k - 1) // 2 zeros on every side.
    rng = np.random.default_rng(kernel_size)
    x = rng.normal(size=(1, 8, 7, 2)).astype("float32")
    block = InvertedResidualBlock(
        2,
        expansion_ratio=1,
        kernel_size=kernel_size,
        strides=2,
        activation="linear",
        padding="symmetric",
        batch_norm_epsilon=0.0,
    )
    block(x)
    kernel = rng.normal(size=(kernel_size, kernel_size, 2, 1)).astype("float32")
    block.depthwise_conv.kernel.assign(kernel)
    block.project_conv.kernel.assign(np.eye(2, dtype="float32")[None, None])
    pad = (kernel_size - 1) // 2
    padded = np.pad(x[0], ((pad, pad), (pad, pad), (0, 0)))
    rows = (x.shape[1] + 2 * pad - kernel_size) // 2 + 1
    cols = (x.shape[2] + 2 * pad - kernel_size) // 2 + 1
    expected = np.zeros((rows, cols, 2), "float32")
    for i in range(rows):
        for j in range(cols):
            window = padded[2 * i : 2 * i + kernel_size, 2 * j : 2 * j + kernel_size]
            expected[i, j] = np.einsum("hwc,hwc->c", window, kernel[..., 0])
    got = keras.ops.convert_to_numpy(block(x))[0]
    np.testing.assert_allclose(got, expected, atol=1e-5)
    same = InvertedResidualBlock.from_config({**block.get_config(), "padding": "same"})
    same(x)
    for a, b in zip(same.weights, block.weights):
        a.assign(b)
    # TensorFlow's "same" pads the even height differently: other values.
    assert np.abs(keras.ops.convert_to_numpy(same(x))[0] - expected).max() > 1e-3
