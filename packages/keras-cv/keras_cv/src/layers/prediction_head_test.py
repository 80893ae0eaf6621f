# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_applications.src.layers import winograd
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

    @pytest.mark.large
    def test_winograd_equals_keras_conv2d(self):
        self._check_winograd(jit_compile=False)

    @pytest.mark.large
    def test_winograd_equals_keras_conv2d_under_xla(self):
        self._check_winograd(jit_compile=True)

    def _check_winograd(self, jit_compile):
        # The dense head's hidden convolutions (128 channels: Winograd F(4x4, 3x3) on the
        # 13x14 level, F(2x2, 3x3) on the 8x9 one, direct below) against the
        # same head calling its Keras Conv2D layers: outputs and all
        # gradients over the levels of a pyramid, in a traced step (the
        # levels share one graph function) and under XLA; within
        # F(4x4, 3x3)'s documented tolerance (2e-5 of the largest value).
        rng = np.random.default_rng(2)
        levels = [
            tf.constant(rng.normal(size=(2, s, s + 1, 128)), tf.float32)
            for s in (13, 8, 3, 1)
        ]
        heads = []
        for use_winograd in (False, True):
            head = PredictionHead(
                output_filters=6, filters=128, depth=2, groups=4, norm_epsilon=1e-5
            )
            head.winograd = use_winograd
            head.build((None, None, None, 128))
            heads.append(head)
        heads[1].set_weights(heads[0].get_weights())
        upstream = [
            tf.constant(rng.normal(size=(*x.shape[:-1], 6)), tf.float32) for x in levels
        ]

        @tf.function(jit_compile=jit_compile)
        def step(head, levels):
            with tf.GradientTape() as tape:
                tape.watch(levels)
                outputs = [head(x) for x in levels]
                loss = tf.add_n(
                    [tf.reduce_sum(y * u) for y, u in zip(outputs, upstream)]
                )
            return outputs, tape.gradient(loss, levels + head.trainable_variables)

        reference, ours = step(heads[0], levels), step(heads[1], levels)
        for want, got in zip(tf.nest.flatten(reference), tf.nest.flatten(ours)):
            np.testing.assert_allclose(
                got,
                want,
                rtol=1e-5,
                atol=winograd.TOLERANCE * float(tf.reduce_max(tf.abs(want))),
            )

    def test_winograd_only_for_its_convolutions(self):
        separable = PredictionHead(
            4, filters=8, depth=1, groups=4, convolution="separable"
        )
        dense = PredictionHead(4, filters=8, depth=1, groups=4)
        x = np.zeros((1, 4, 4, 8), "float32")
        separable(x), dense(x)
        assert not winograd.applies_to(separable.convs[0])
        assert winograd.applies_to(dense.convs[0])
