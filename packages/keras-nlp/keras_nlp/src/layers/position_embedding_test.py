# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.layers.position_embedding import PositionEmbedding


class PositionEmbeddingTest(TestCase):
    def test_layer(self):
        self.run_layer_test(
            PositionEmbedding,
            init_kwargs={"max_length": 8},
            input_data=np.random.rand(2, 5, 6).astype("float32"),
            expected_output_shape=(2, 5, 6),
            expected_num_trainable_weights=1,
        )

    def test_returns_leading_rows_for_every_sequence(self):
        layer = PositionEmbedding(max_length=8)
        out = layer(np.zeros((3, 5, 4), "float32")).numpy()
        table = layer.position_embeddings.numpy()
        for b in range(3):
            np.testing.assert_array_equal(out[b], table[:5])
        # Shorter sequences use the same rows.
        np.testing.assert_array_equal(
            layer(np.zeros((1, 2, 4), "float32"))[0], table[:2]
        )

    def test_dynamic_length_in_functional_model(self):
        inputs = keras.Input((None, 4))
        model = keras.Model(inputs, PositionEmbedding(max_length=6)(inputs))
        self.assertEqual(tuple(model(np.zeros((2, 6, 4), "float32")).shape), (2, 6, 4))
        self.assertEqual(tuple(model(np.zeros((2, 3, 4), "float32")).shape), (2, 3, 4))

    def test_too_long(self):
        layer = PositionEmbedding(max_length=4)
        with self.assertRaisesRegex(ValueError, r"max_length=4.*sequence length of 5"):
            layer(np.zeros((1, 5, 3), "float32"))
        layer = PositionEmbedding(max_length=4)
        layer(np.zeros((1, 4, 3), "float32"))
        fn = tf.function(layer, input_signature=[tf.TensorSpec((None, None, 3))])
        with pytest.raises(tf.errors.InvalidArgumentError, match="max_length=4"):
            fn(tf.zeros((1, 6, 3)))

    def test_mixed_bfloat16(self):
        layer = PositionEmbedding(max_length=4, dtype="mixed_bfloat16")
        out = layer(np.zeros((1, 3, 2), "float32"))
        self.assertEqual(keras.backend.standardize_dtype(out.dtype), "bfloat16")

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "max_length"):
            PositionEmbedding(max_length=0)
        with self.assertRaisesRegex(ValueError, "sequence_length, width"):
            PositionEmbedding(max_length=4)(np.zeros((2, 3), "float32"))
