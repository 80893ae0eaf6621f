# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.spatial_pyramid_pooling import SpatialPyramidPooling


class SpatialPyramidPoolingTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            SpatialPyramidPooling,
            {"dilation_rates": [1, 2], "num_channels": 4, "dropout": 0.1},
            np.random.default_rng(0).normal(size=(2, 5, 7, 3)).astype("float32"),
            expected_output_shape=(2, 5, 7, 4),
            # 3 conv branches (conv + BN gamma/beta), pooling conv (kernel,
            # bias), projection (conv + BN gamma/beta).
            expected_num_trainable_weights=3 * 3 + 2 + 3,
            expected_num_non_trainable_weights=4 * 2,
        )

    def test_branches_against_tf_ops(self):
        rng = np.random.default_rng(1)
        x = rng.normal(size=(2, 9, 9, 3)).astype("float32")
        layer = SpatialPyramidPooling(
            dilation_rates=[2], num_channels=4, activation=None
        )
        out = layer(x, training=False)
        # Recompute from the weights with tf.nn ops: identity BN (fresh
        # moving stats mean 0, var 1), no activation.
        eps = 1e-3
        scale = 1.0 / np.sqrt(1.0 + eps)
        b1 = tf.nn.conv2d(x, layer.branches[0].conv.kernel, 1, "SAME") * scale
        b2 = (
            tf.nn.conv2d(x, layer.branches[1].conv.kernel, 1, "SAME", dilations=2)
            * scale
        )
        pooled = tf.reduce_mean(x, axis=(1, 2), keepdims=True)
        b3 = (
            tf.nn.conv2d(pooled, layer.pooling_conv.kernel, 1, "SAME")
            + layer.pooling_conv.bias
        )
        b3 = tf.broadcast_to(b3, b1.shape)
        cat = tf.concat([b1, b2, b3], -1)
        expected = tf.nn.conv2d(cat, layer.projection.conv.kernel, 1, "SAME") * scale
        np.testing.assert_allclose(out, expected, atol=1e-4)

    def test_bad_dilation_rates(self):
        for rates in ([0, 6], [6.0], [True], [], "6,12", [-1], None):
            with pytest.raises(ValueError, match="dilation_rates.*positive ints"):
                SpatialPyramidPooling(dilation_rates=rates)
        with pytest.raises(ValueError, match="num_channels"):
            SpatialPyramidPooling(num_channels=0)
        with pytest.raises(ValueError, match="dropout"):
            SpatialPyramidPooling(dropout=1.5)
