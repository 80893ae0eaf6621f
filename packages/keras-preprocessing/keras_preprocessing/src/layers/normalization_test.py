# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.normalization import Normalization


class NormalizationTest(TestCase):
    def test_layer_with_given_statistics(self):
        self.run_layer_test(
            Normalization,
            {"axis": -1, "mean": [1.0, 2.0], "variance": [4.0, 1.0]},
            np.array([[3.0, 2.0], [1.0, 4.0]], "float32"),
            expected_output_shape=(2, 2),
        )

    def test_adapt_matches_numpy(self):
        rng = np.random.default_rng(0)
        data = rng.normal(3.0, 2.0, size=(500, 3)).astype("float32")
        layer = Normalization()
        layer.adapt(data)
        self.assertAllClose(layer.adapt_mean, data.mean(axis=0), atol=1e-4)
        self.assertAllClose(layer.adapt_variance, data.var(axis=0), atol=1e-3)
        self.assertAllClose(layer(data), (data - data.mean(0)) / data.std(0), atol=1e-3)

    def test_streaming_batches_equal_one_pass(self):
        rng = np.random.default_rng(1)
        data = rng.uniform(-5, 5, size=(103, 2, 4))
        layer = Normalization(axis=(1, 2))
        layer.adapt(tf.data.Dataset.from_tensor_slices(data).batch(10))
        self.assertAllClose(layer.adapt_mean, data.mean(0), atol=1e-5)
        self.assertAllClose(layer.adapt_variance, data.var(0), atol=1e-4)

    def test_axis_none_and_reset_state_false(self):
        layer = Normalization(axis=None)
        layer.adapt(np.array([[1.0, 2.0]]))
        layer.adapt(np.array([[3.0, 4.0], [5.0, 6.0]]), reset_state=False)
        self.assertAllClose(layer.adapt_mean, 3.5)
        self.assertAllClose(layer.adapt_variance, np.var([1, 2, 3, 4, 5, 6]), atol=1e-5)
        self.assertEqual(int(layer.count.numpy()), 6)

    def test_keras_round_trip_keeps_statistics_and_can_resume(self):
        layer = Normalization()
        layer.adapt(np.array([[0.0], [2.0]]))
        inputs = keras.Input((1,))
        model = keras.Model(inputs, layer(inputs))
        path = os.path.join(self.get_temp_dir(), "norm.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored(np.array([[3.0]])), [[2.0]], atol=1e-5)
        restored_layer = restored.layers[-1]
        self.assertTrue(restored_layer.is_adapted)
        restored_layer.adapt(np.array([[4.0]]), reset_state=False)
        self.assertAllClose(restored_layer.adapt_mean, [2.0])

    def test_works_in_tf_data_after_adapt(self):
        layer = Normalization()
        layer.adapt(np.array([[0.0], [2.0]]))
        ds = (
            tf.data.Dataset.from_tensor_slices(np.array([[3.0]], "float32"))
            .batch(1)
            .map(layer)
        )
        self.assertAllClose(next(iter(ds)), [[2.0]], atol=1e-5)

    def test_differs_from_keras_before_adapt(self):
        # Keras normalizes with mean 0 / variance 1 when never adapted.
        x = np.array([[5.0]], "float32")
        self.assertAllClose(keras.layers.Normalization()(x), x)
        with self.assertRaisesRegex(ValueError, "must be adapted"):
            Normalization()(x)

    def test_bad_adapt_data(self):
        with self.assertRaisesRegex(TypeError, "numeric data.*string"):
            Normalization().adapt(np.array([["a"], ["b"]]))
        with self.assertRaisesRegex(ValueError, "axis=\\(2,\\).*rank 2"):
            Normalization(axis=2).adapt(np.ones((3, 2)))
        layer = Normalization()
        layer.adapt(np.ones((3, 2)))
        with self.assertRaisesRegex(ValueError, "built for inputs of shape"):
            layer.adapt(np.ones((3, 5)))
        with self.assertRaisesRegex(ValueError, "fixed"):
            Normalization(mean=0.0, variance=1.0).adapt(np.ones((3, 1)))
