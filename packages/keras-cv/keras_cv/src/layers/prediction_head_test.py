# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.group_normalization import GroupNormalization
from keras_cv.src.layers.prediction_head import PredictionHead


class PredictionHeadTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            PredictionHead,
            {"output_filters": 6, "filters": 8, "depth": 2, "groups": 4},
            np.random.default_rng(0).normal(size=(2, 5, 6, 3)).astype("float32"),
            expected_output_shape=(2, 5, 6, 6),
            # 2 x (kernel, gamma, beta) + output kernel and bias.
            expected_num_trainable_weights=8,
            expected_num_non_trainable_weights=0,
        )

    def test_layer_harness_separable_without_norm(self):
        self.run_layer_test(
            PredictionHead,
            {
                "output_filters": 4,
                "filters": 8,
                "depth": 1,
                "convolution": "separable",
                "normalization": None,
                "bias_initializer": keras.initializers.Constant(-2.0),
            },
            np.random.default_rng(0).normal(size=(2, 5, 6, 3)).astype("float32"),
            expected_output_shape=(2, 5, 6, 4),
            # depthwise and pointwise kernels, bias; output kernel and bias.
            expected_num_trainable_weights=5,
            expected_num_non_trainable_weights=0,
        )

    def test_against_tf_ops(self):
        # conv -> GroupNorm -> ReLU, then the output conv, with tf.nn ops and
        # Keras' GroupNormalization.
        x = np.random.default_rng(1).normal(size=(2, 6, 5, 3)).astype("float32")
        head = PredictionHead(
            output_filters=5,
            filters=8,
            depth=1,
            groups=2,
            bias_initializer=keras.initializers.Constant(0.3),
            norm_epsilon=1e-5,
        )
        out = head(x)
        assert isinstance(head.norms[0], GroupNormalization)
        assert head.convs[0].bias is None
        reference = keras.layers.GroupNormalization(groups=2, epsilon=1e-5)
        h = tf.nn.conv2d(x, head.convs[0].kernel, 1, "SAME")
        h = tf.nn.relu(reference(h))
        expected = tf.nn.conv2d(h, head.output_conv.kernel, 1, "SAME")
        expected = expected + head.output_conv.bias
        np.testing.assert_allclose(head.output_conv.bias, 0.3)
        np.testing.assert_allclose(out, expected, atol=1e-4)

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="output_filters.*positive int"):
            PredictionHead(0)
        with pytest.raises(ValueError, match="depth"):
            PredictionHead(4, depth=-1)
        with pytest.raises(ValueError, match="convolution"):
            PredictionHead(4, convolution="depthwise")
        with pytest.raises(ValueError, match="normalization"):
            PredictionHead(4, normalization="batch")
        with pytest.raises(ValueError, match="groups.*must divide `filters`"):
            PredictionHead(4, filters=24, groups=16)
