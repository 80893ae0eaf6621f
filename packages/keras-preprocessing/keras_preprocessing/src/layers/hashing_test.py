# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.category_crossing import CategoryCrossing
from keras_preprocessing.src.layers.hashing import Hashing


class HashingTest(TestCase):
    def test_layer(self):
        self.run_layer_test(
            Hashing,
            {"num_bins": 5, "salt": 7},
            np.array([["A"], ["B"], ["C"]]),
            expected_output_shape=(3, 1),
            expected_output_dtype="int64",
        )

    def test_single_input_equals_keras_and_tf_fingerprint(self):
        x = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
        ours = Hashing(num_bins=3)(x)
        self.assertAllEqual(ours, keras.layers.Hashing(num_bins=3)(x))
        self.assertAllEqual(ours, tf.strings.to_hash_bucket_fast(x, 3))

    def test_list_input_hashes_the_cross(self):
        a = np.array([["x"], ["y"]])
        b = np.array([[1], [2]])
        crossed = CategoryCrossing()([a, b])
        self.assertAllEqual(
            Hashing(num_bins=100)([a, b]), tf.strings.to_hash_bucket_fast(crossed, 100)
        )
        # Keras hashes each element of the list separately instead.
        keras_out = keras.layers.Hashing(num_bins=100)([a, a])
        self.assertEqual(tuple(keras_out.shape), (2, 2, 1))

    def test_functional_list_input_and_tf_data(self):
        a = keras.Input((1,), dtype="string")
        b = keras.Input((1,), dtype="int64")
        layer = Hashing(num_bins=10, salt=[1, 2])
        model = keras.Model([a, b], layer([a, b]))
        data = (np.array([["x"], ["y"]]), np.array([[1], [2]], "int64"))
        expected = model(list(data))
        self.assertEqual(tuple(expected.shape), (2, 1))
        ds = (
            tf.data.Dataset.from_tensor_slices(data)
            .batch(2)
            .map(lambda x, y: layer([x, y]))
        )
        self.assertAllEqual(next(iter(ds)), expected)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, "num_bins"):
            Hashing(num_bins=0)
