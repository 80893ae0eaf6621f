# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.category_encoding import CategoryEncoding


class CategoryEncodingTest(TestCase):
    def test_layer(self):
        layer = self.run_layer_test(
            CategoryEncoding,
            {"max_tokens": 4, "output_mode": "count"},
            np.array([[0, 1], [0, 0], [1, 2], [3, 1]]),
            expected_output_shape=(4, 4),
            expected_output_dtype="float32",
        )
        self.assertAllEqual(
            layer(np.array([[0, 1], [0, 0], [1, 2], [3, 1]])),
            [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]],
        )

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(
            st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=1, max_size=6
        ),
        st.sampled_from(["binary", "count"]),
    )
    def test_matches_keras_on_valid_indices(self, rows, mode):
        x = np.array(rows, "int64")
        keras_mode = {"binary": "multi_hot", "count": "count"}[mode]
        expected = keras.layers.CategoryEncoding(num_tokens=6, output_mode=keras_mode)(
            x
        )
        self.assertAllClose(
            CategoryEncoding(max_tokens=6, output_mode=mode)(x), expected
        )

    def test_negative_indices_are_dropped_where_keras_raises(self):
        x = np.array([[0, -1], [-1, -1], [2, 2]])
        self.assertAllEqual(
            CategoryEncoding(max_tokens=3)(x), [[1, 0, 0], [0, 0, 0], [0, 0, 1]]
        )
        self.assertAllEqual(
            CategoryEncoding(max_tokens=3, output_mode="count")(x),
            [[1, 0, 0], [0, 0, 0], [0, 0, 2]],
        )
        with self.assertRaises((ValueError, tf.errors.InvalidArgumentError)):
            keras.layers.CategoryEncoding(num_tokens=3, output_mode="multi_hot")(x)

    def test_weighted_inputs_and_rank_one(self):
        layer = CategoryEncoding(max_tokens=3, output_mode="count")
        out = layer(
            np.array([[0, 2], [1, 1]]), count_weights=np.array([[0.5, 2.0], [1.5, 1.0]])
        )
        self.assertAllClose(out, [[0.5, 0, 2.0], [0, 2.5, 0]])
        self.assertAllEqual(
            CategoryEncoding(max_tokens=3)(np.array([2, 0])), [[0, 0, 1], [1, 0, 0]]
        )
        a = keras.Input((2,), dtype="int64")
        w = keras.Input((2,))
        model = keras.Model(
            [a, w],
            CategoryEncoding(max_tokens=3, output_mode="count")(a, count_weights=w),
        )
        self.assertAllClose(
            model([np.array([[0, 2]]), np.array([[0.5, 2.0]])]), [[0.5, 0, 2.0]]
        )

    def test_tf_idf_adapt_and_round_trip(self):
        layer = CategoryEncoding(max_tokens=4, output_mode="tf-idf")
        docs = np.array([[0, 1], [1, 1], [1, 2]])
        layer.adapt(docs)
        df = np.array([1, 3, 1, 0])
        idf = np.log(1 + 3 / (1 + df))
        self.assertAllClose(layer.idf_weights, idf, atol=1e-6)
        self.assertAllClose(
            layer(np.array([[1, 1, 3]])), [[0, 2 * idf[1], 0, idf[3]]], atol=1e-6
        )
        inputs = keras.Input((2,), dtype="int64")
        model = keras.Model(inputs, layer(inputs))
        path = os.path.join(self.get_temp_dir(), "ce.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored(docs), layer(docs))

    def test_sparse(self):
        out = CategoryEncoding(max_tokens=3, sparse=True)(np.array([[0, 2]]))
        self.assertIsInstance(out, tf.SparseTensor)
        self.assertAllEqual(tf.sparse.to_dense(out), [[1, 0, 1]])

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, "max_tokens"):
            CategoryEncoding(max_tokens=None)
        with self.assertRaisesRegex(ValueError, "output_mode"):
            CategoryEncoding(max_tokens=3, output_mode="tfidf")
        with self.assertRaisesRegex(ValueError, "max_tokens=3.*outside it: 5"):
            CategoryEncoding(max_tokens=3)(np.array([[5]]))
        with self.assertRaisesRegex(TypeError, "integer indices"):
            CategoryEncoding(max_tokens=3)(np.array([["a"]]))
        with self.assertRaisesRegex(ValueError, "must be adapted"):
            CategoryEncoding(max_tokens=3, output_mode="tf-idf")(np.array([[1]]))
