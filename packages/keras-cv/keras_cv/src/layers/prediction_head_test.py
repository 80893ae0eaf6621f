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

    @pytest.mark.large
    def test_heads_of_one_structure_share_one_function(self):
        # Two heads with their own weights and outputs (6 and 4 filters)
        # call one graph function in a traced step: the outputs and all
        # gradients are each head's own (against the heads' layers, eager).
        rng = np.random.default_rng(3)
        levels = [
            tf.constant(rng.normal(size=(2, s, s + 1, 8)), tf.float32) for s in (5, 2)
        ]
        heads = [
            PredictionHead(n, filters=8, depth=2, groups=4, name=f"head_{n}")
            for n in (6, 4)
        ]
        for head in heads:
            head.build((None, None, None, 8))
            # Weights large enough for the GroupNorm and ReLU to matter.
            head.set_weights(
                [rng.normal(size=w.shape).astype("float32") for w in head.weights]
            )
        self.assertTrue(heads[1].share_function(heads[0]))

        def step(levels):
            with tf.GradientTape() as tape:
                tape.watch(levels)
                outputs = [head(x) for x in levels for head in heads]
                loss = tf.add_n([tf.reduce_sum(y * y) for y in outputs])
            weights = heads[0].trainable_variables + heads[1].trainable_variables
            return outputs, tape.gradient(loss, levels + weights)

        traced = tf.function(step)
        ours, reference = traced(levels), step(levels)
        for want, got in zip(tf.nest.flatten(reference), tf.nest.flatten(ours)):
            np.testing.assert_allclose(
                got, want, rtol=1e-5, atol=1e-5 * float(tf.reduce_max(tf.abs(want)))
            )
        graph = traced.get_concrete_function(levels).graph
        functions = {
            op.get_attr("f").name
            for op in graph.get_operations()
            if op.type in ("PartitionedCall", "StatefulPartitionedCall")
        }
        # One function and its gradient for the 4 calls.
        self.assertLen(functions, 2)

    def test_share_function_only_for_one_structure(self):
        head = PredictionHead(6, filters=8, depth=2, groups=4)
        self.assertTrue(
            head.share_function(PredictionHead(4, filters=8, depth=2, groups=4))
        )
        for kwargs in (
            {"depth": 1},
            {"groups": 2},
            {"convolution": "separable"},
            {"normalization": None},
            {"norm_epsilon": 1e-5},
        ):
            other = PredictionHead(
                4, **{"filters": 8, "depth": 2, "groups": 4, **kwargs}
            )
            self.assertFalse(head.share_function(other), kwargs)
        reference = PredictionHead(4, filters=8, depth=2, groups=4)
        reference.winograd = False
        self.assertFalse(head.share_function(reference))
