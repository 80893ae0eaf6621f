# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.group_normalization import GroupNormalization


class GroupNormalizationTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            GroupNormalization,
            {"groups": 2, "epsilon": 1e-5},
            np.random.default_rng(0).normal(size=(2, 4, 5, 6)).astype("float32"),
            expected_output_shape=(2, 4, 5, 6),
            expected_num_trainable_weights=2,
            expected_num_non_trainable_weights=0,
        )

    def test_outputs_and_gradients_equal_keras(self):
        # The fused path against Keras' layer: outputs and the gradients for
        # inputs, gamma and beta.
        rng = np.random.default_rng(0)
        x = tf.constant(rng.normal(1.0, 3.0, (2, 5, 7, 16)), "float32")
        weight = tf.constant(rng.normal(size=x.shape), "float32")
        ours = GroupNormalization(groups=4)
        reference = keras.layers.GroupNormalization(groups=4)
        ours.build(x.shape)
        reference.build(x.shape)
        gamma = rng.normal(size=16).astype("float32")
        beta = rng.normal(size=16).astype("float32")
        for layer in (ours, reference):
            layer.gamma.assign(gamma)
            layer.beta.assign(beta)
        results = []
        for layer in (ours, reference):
            with tf.GradientTape() as tape:
                tape.watch(x)
                loss = tf.reduce_sum(layer(x) * weight)
            results.append(
                (layer(x), *tape.gradient(loss, [x, layer.gamma, layer.beta]))
            )
        for a, b in zip(*results):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-4)

    def test_against_numpy_definition(self):
        # Hand-written definition: each image and group normalised over its
        # pixels and channels, then scaled and shifted per channel.
        rng = np.random.default_rng(1)
        x = rng.normal(size=(3, 4, 6, 6)).astype("float32")
        layer = GroupNormalization(groups=3, epsilon=1e-5)
        layer.build(x.shape)
        gamma = rng.normal(size=6).astype("float32")
        beta = rng.normal(size=6).astype("float32")
        layer.gamma.assign(gamma)
        layer.beta.assign(beta)
        grouped = x.reshape(3, 4, 6, 3, 2)
        mean = grouped.mean(axis=(1, 2, 4), keepdims=True)
        var = grouped.var(axis=(1, 2, 4), keepdims=True)
        expected = ((grouped - mean) / np.sqrt(var + 1e-5)).reshape(x.shape)
        expected = expected * gamma + beta
        np.testing.assert_allclose(layer(x), expected, atol=1e-4)

    def test_without_scale_and_center_and_other_ranks(self):
        rng = np.random.default_rng(2)
        x = rng.normal(size=(2, 3, 3, 4)).astype("float32")
        ours = GroupNormalization(groups=2, center=False, scale=False)
        reference = keras.layers.GroupNormalization(groups=2, center=False, scale=False)
        np.testing.assert_allclose(ours(x), reference(x), atol=1e-4)
        seq = rng.normal(size=(2, 5, 4)).astype("float32")  # falls back to Keras
        np.testing.assert_allclose(
            GroupNormalization(groups=2)(seq),
            keras.layers.GroupNormalization(groups=2)(seq),
            atol=1e-5,
        )

    def test_traced_training_graph_is_small(self):
        # Tracing speed: a RetinaNet training step has 40 of these layers,
        # and graph building is proportional to their ops. Forward and
        # gradient of the fused path take about 80 ops (250 in its first
        # version, which repeated per-group statistics with `tf.repeat`).
        layer = GroupNormalization(groups=4)
        layer.build((None, None, None, 16))

        @tf.function
        def step(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = layer(x)
            return tape.gradient(y, [x, layer.gamma, layer.beta])

        graph = step.get_concrete_function(tf.TensorSpec([2, None, None, 16])).graph
        self.assertLess(len(graph.get_operations()), 100)
        # Dynamic spatial size and batch: the gradients are still right.
        x = tf.random.stateless_normal((2, 3, 5, 16), seed=(1, 2))
        reference = keras.layers.GroupNormalization(groups=4)
        reference.build(x.shape)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = reference(x)
        expected = tape.gradient(y, [x, reference.gamma, reference.beta])
        for a, b in zip(step(x), expected):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-4)
