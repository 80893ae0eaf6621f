# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.layers.on_device_embedding import OnDeviceEmbedding

IDS = np.array([[0, 3, 9, 3], [7, 1, 0, 2]], "int32")


class OnDeviceEmbeddingTest(TestCase):
    def test_layer_gather(self):
        self.run_layer_test(
            OnDeviceEmbedding,
            init_kwargs={"vocab_size": 10, "embedding_width": 4},
            input_data=IDS,
            expected_output_shape=(2, 4, 4),
            expected_output_dtype="float32",
            expected_num_trainable_weights=1,
        )

    def test_layer_one_hot(self):
        self.run_layer_test(
            OnDeviceEmbedding,
            init_kwargs={"vocab_size": 10, "embedding_width": 4, "use_one_hot": True},
            input_data=IDS,
            expected_output_shape=(2, 4, 4),
            expected_num_trainable_weights=1,
        )

    def test_rows_of_the_table(self):
        layer = OnDeviceEmbedding(10, 4)
        out = layer(IDS)
        table = layer.embeddings.numpy()
        self.assertAllEqual(out, table[IDS])

    def test_gather_and_one_hot_agree(self):
        gather = OnDeviceEmbedding(50, 8)
        one_hot = OnDeviceEmbedding(50, 8, use_one_hot=True)
        ids = np.random.RandomState(0).randint(0, 50, size=(3, 7))
        gather(ids)
        one_hot(ids)
        one_hot.set_weights(gather.get_weights())
        self.assertAllClose(gather(ids), one_hot(ids), atol=0, rtol=0)
        # And their gradients: the one-hot product scatters like the gather.
        grads = []
        for layer in (gather, one_hot):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(layer(ids) * np.arange(8, dtype="float32"))
            grads.append(tf.convert_to_tensor(tape.gradient(loss, layer.embeddings)))
        self.assertAllClose(grads[0], grads[1], atol=1e-6)

    def test_int64_and_float_ids(self):
        layer = OnDeviceEmbedding(10, 4)
        self.assertAllEqual(layer(IDS.astype("int64")), layer(IDS))

    def test_mixed_bfloat16(self):
        policy = keras.config.dtype_policy()
        keras.config.set_dtype_policy("mixed_bfloat16")
        try:
            gather = OnDeviceEmbedding(10, 4)
            one_hot = OnDeviceEmbedding(10, 4, use_one_hot=True)
            out = gather(IDS)
            one_hot(IDS)
            one_hot.set_weights(gather.get_weights())
            self.assertEqual(keras.backend.standardize_dtype(out.dtype), "bfloat16")
            self.assertEqual(gather.embeddings.dtype, "float32")
            self.assertAllEqual(one_hot(IDS), out)
        finally:
            keras.config.set_dtype_policy(policy)

    def test_out_of_range_ids_eager(self):
        layer = OnDeviceEmbedding(10, 4)
        with self.assertRaisesRegex(ValueError, r"vocab_size=10.*Received an id of 10"):
            layer(np.array([[1, 10]]))
        with self.assertRaisesRegex(ValueError, r"Received an id of -1"):
            layer(np.array([[1, -1]]))

    def test_out_of_range_ids_in_graph(self):
        for use_one_hot in (False, True):
            layer = OnDeviceEmbedding(10, 4, use_one_hot=use_one_hot)
            fn = tf.function(layer)
            self.assertEqual(tuple(fn(tf.constant(IDS)).shape), (2, 4, 4))
            with pytest.raises(tf.errors.InvalidArgumentError, match="vocab_size=10"):
                fn(tf.constant([[3, 12]]))

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "vocab_size"):
            OnDeviceEmbedding(0, 4)
        with self.assertRaisesRegex(ValueError, "embedding_width"):
            OnDeviceEmbedding(10, "4")
