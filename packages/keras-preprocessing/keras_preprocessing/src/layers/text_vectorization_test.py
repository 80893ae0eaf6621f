# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.text_vectorization import TextVectorization


class TextVectorizationTest(TestCase):
    def test_layer_with_tokens(self):
        layer = self.run_layer_test(
            TextVectorization,
            {"tokens": ["the", "cat", "sat"], "max_length": 4},
            np.array([["The cat!"], ["a dog sat"]]),
            expected_output_shape=(2, 4),
            expected_output_dtype="int64",
        )
        self.assertAllEqual(
            layer(np.array([["The cat!"], ["a dog sat"]])), [[2, 3, 0, 0], [1, 1, 4, 0]]
        )

    def test_count_binary_and_tfidf_modes(self):
        docs = ["a b b", "b c"]
        count = TextVectorization(mode="count")
        count.adapt(docs)
        vocab = count.get_vocabulary()
        self.assertEqual(vocab, ["[UNK]", "b", "c", "a"])
        self.assertAllClose(count(["b b x a"]), [[1, 2, 0, 1]])
        binary = TextVectorization(mode="binary", tokens=6)
        binary.adapt(docs)
        self.assertAllClose(binary(["b b x a"]), [[1, 1, 0, 1, 0, 0]])
        tfidf = TextVectorization(mode="tfidf")
        tfidf.adapt(docs)
        # idf = log(1 + num_docs / (1 + doc_freq)): b in 2 docs, a and c in 1.
        idf_b, idf_1 = np.log(1 + 2 / 3), np.log(1 + 2 / 2)
        self.assertAllClose(tfidf(["b b a"])[0, 1:], [2 * idf_b, 0.0, idf_1], atol=1e-6)

    def test_ngrams_and_split_none(self):
        layer = TextVectorization(tokens=["a b", "a", "b"], ngrams=2)
        self.assertAllEqual(layer(["a b"]), [[3, 4, 2]])
        whole = TextVectorization(tokens=["new york"], split=None, standardize=None)
        self.assertAllEqual(whole(["new york"]), [2])

    def test_adapt_resume_and_round_trip(self):
        layer = TextVectorization(max_length=3)
        layer.adapt(tf.data.Dataset.from_tensor_slices(["x y", "y"]).batch(2))
        layer.adapt(["z z z"], reset_state=False)
        self.assertEqual(layer.get_vocabulary(), ["", "[UNK]", "z", "y", "x"])
        inputs = keras.Input((1,), dtype="string")
        model = keras.Model(inputs, layer(inputs))
        path = os.path.join(self.get_temp_dir(), "tv.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        x = np.array([["x z q"]])
        self.assertAllEqual(restored(x), [[4, 2, 1]])
        ds = tf.data.Dataset.from_tensor_slices(x).batch(1).map(restored.layers[-1])
        self.assertAllEqual(next(iter(ds)), [[4, 2, 1]])

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, "`mode` must be"):
            TextVectorization(mode="tf_idf")
        with self.assertRaisesRegex(ValueError, "only applies to mode='int'"):
            TextVectorization(mode="count", max_length=3)
        with self.assertRaisesRegex(TypeError, "adapts on strings"):
            TextVectorization().adapt(np.array([1.0, 2.0]))
        with self.assertRaisesRegex(ValueError, "shape \\(batch,\\)"):
            TextVectorization().adapt(np.array([[["a"]]]))
        with self.assertRaisesRegex(ValueError, "must be adapted"):
            TextVectorization()(["a"])
