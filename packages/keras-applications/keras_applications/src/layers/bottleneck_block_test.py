# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
from keras.src.applications import resnet as keras_resnet

from keras_applications.src.layers.bottleneck_block import BottleneckBlock
from keras_core.testing import TestCase


def _compare_with_keras_applications(
    test, preactivation, strides, conv_shortcut, in_channels
):
    """keras.applications' own block function is the reference."""
    rng = np.random.default_rng(strides + 2 * preactivation)
    x = rng.normal(size=(2, 8, 8, in_channels)).astype("float32")
    inputs = keras.Input(x.shape[1:])
    if preactivation:
        out = keras_resnet.residual_block_v2(
            inputs, 4, stride=strides, conv_shortcut=conv_shortcut, name="ref"
        )
    else:
        out = keras_resnet.residual_block_v1(
            inputs, 4, stride=strides, conv_shortcut=conv_shortcut, name="ref"
        )
    reference = keras.Model(inputs, out)
    for w in reference.weights:
        w.assign(rng.uniform(0.5, 1.5, size=w.shape).astype("float32"))
    block = BottleneckBlock(4, strides=strides, preactivation=preactivation, name="ref")
    block.build(x.shape)
    for layer in block._flatten_layers(include_self=False):
        if layer.weights:
            layer.set_weights(reference.get_layer(layer.name).get_weights())
    test.assertAllClose(block(x), reference(x), atol=1e-3, rtol=1e-5)


class BottleneckBlockTest(TestCase):
    def test_layer_contract(self):
        self.run_layer_test(
            BottleneckBlock,
            {"filters": 2, "strides": 2},
            np.random.default_rng(0).normal(size=(2, 5, 5, 4)).astype("float32"),
            expected_output_shape=(2, 3, 3, 8),
            # 4 convs (kernel, bias) and 4 BN (gamma, beta): branch + shortcut
            expected_num_trainable_weights=4 * 2 + 4 * 2,
        )

    def test_preactivation_layer_contract(self):
        self.run_layer_test(
            BottleneckBlock,
            {"filters": 2, "preactivation": True},
            np.random.default_rng(0).normal(size=(2, 4, 4, 8)).astype("float32"),
            expected_output_shape=(2, 4, 4, 8),
        )

    def test_v1_matches_keras_applications(self):
        _compare_with_keras_applications(self, False, 2, True, 8)
        _compare_with_keras_applications(self, False, 1, False, 16)

    def test_v2_matches_keras_applications(self):
        _compare_with_keras_applications(self, True, 1, True, 8)
        _compare_with_keras_applications(self, True, 2, False, 16)

    def test_errors(self):
        with pytest.raises(TypeError, match="conv_shortcut"):
            BottleneckBlock(4, conv_shortcut="yes")
        with pytest.raises(ValueError, match="batch_norm_epsilon"):
            BottleneckBlock(4, batch_norm_epsilon=-1e-5)
        # 0 is accepted: torchvision's COCO detectors use frozen batch norms
        # with epsilon 0.
        assert BottleneckBlock(4, batch_norm_epsilon=0).batch_norm_epsilon == 0.0
        with pytest.raises(
            TypeError, match="`stride_in_3x3` of BottleneckBlock must be a bool"
        ):
            BottleneckBlock(4, stride_in_3x3=1)

    def test_stride_in_3x3_matches_a_numpy_reference(self):
        # ResNet v1.5: 1x1 (stride 1), 3x3 stride 2 over a symmetric padding.
        block = BottleneckBlock(
            2, strides=2, stride_in_3x3=True, use_bias=False, batch_norm_epsilon=0.0
        )
        x = np.random.default_rng(0).normal(size=(1, 6, 8, 3)).astype("float32")
        out = block(x, training=False).numpy()
        weights = {
            w.path.split("/")[-2] + "/" + w.name: w.numpy() for w in block.weights
        }

        def conv(x, kernel, stride, pad):
            x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
            k = kernel.shape[0]
            h = (x.shape[1] - k) // stride + 1
            w = (x.shape[2] - k) // stride + 1
            out = np.zeros((1, h, w, kernel.shape[-1]), "float64")
            for i in range(h):
                for j in range(w):
                    patch = x[
                        0, i * stride : i * stride + k, j * stride : j * stride + k
                    ]
                    out[0, i, j] = np.tensordot(patch, kernel, axes=3)
            return out

        def bn(x, name):
            mean = weights[f"{name}/moving_mean"]
            var = weights[f"{name}/moving_variance"]
            return (x - mean) / np.sqrt(var) * weights[f"{name}/gamma"] + weights[
                f"{name}/beta"
            ]

        n = block.name
        y = np.maximum(bn(conv(x, weights[f"{n}_1_conv/kernel"], 1, 0), f"{n}_1_bn"), 0)
        y = np.maximum(bn(conv(y, weights[f"{n}_2_conv/kernel"], 2, 1), f"{n}_2_bn"), 0)
        y = bn(conv(y, weights[f"{n}_3_conv/kernel"], 1, 0), f"{n}_3_bn")
        shortcut = bn(
            conv(x[:, ::2, ::2], weights[f"{n}_0_conv/kernel"], 1, 0), f"{n}_0_bn"
        )
        np.testing.assert_allclose(out, np.maximum(y + shortcut, 0), atol=1e-4)
        assert not any(w.name == "bias" for w in block.weights)
