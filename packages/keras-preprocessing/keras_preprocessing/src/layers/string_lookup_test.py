# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.string_lookup import StringLookup


class StringLookupTest(TestCase):
    def test_layer_with_vocabulary(self):
        layer = self.run_layer_test(
            StringLookup,
            {"vocabulary": ["a", "b", "c", "d"]},
            np.array([["a", "c", "d"], ["d", "z", "b"]]),
            expected_output_shape=(2, 3),
            expected_output_dtype="int64",
        )
        # mask "" -> 0, OOV -> 1, then the vocabulary from 2.
        self.assertAllEqual(
            layer(np.array([["a", "c", "d"], ["d", "z", ""]])), [[2, 4, 5], [5, 1, 0]]
        )

    def test_adapt_orders_by_frequency_and_resumes(self):
        layer = StringLookup(mask_token=None)
        layer.adapt(["b", "a", "b", "c", "b", "a"])
        self.assertEqual(layer.get_vocabulary(), ["[UNK]", "b", "a", "c"])
        layer.adapt(
            tf.data.Dataset.from_tensor_slices([["c"], ["c"], ["c"]]).batch(2),
            reset_state=False,
        )
        self.assertEqual(layer.get_vocabulary(), ["[UNK]", "c", "b", "a"])
        layer.adapt(["z"])
        self.assertEqual(layer.get_vocabulary(), ["[UNK]", "z"])

    def test_no_oov_indices_maps_unknown_to_minus_one(self):
        layer = StringLookup(vocabulary=["a", "b"], num_oov_indices=0, mask_token=None)
        self.assertAllEqual(layer(np.array([["a", "zz", "b"]])), [[0, -1, 1]])
        # Keras raises instead.
        keras_layer = keras.layers.StringLookup(
            vocabulary=["a", "b"], num_oov_indices=0
        )
        with self.assertRaises(tf.errors.InvalidArgumentError):
            keras_layer(np.array([["a", "zz"]]))

    def test_many_oov_indices_hash_unknown_tokens(self):
        layer = StringLookup(vocabulary=["a"], num_oov_indices=3, mask_token=None)
        out = layer(np.array(["q", "r", "s", "t", "a"])).numpy()
        self.assertTrue(set(out[:4]) <= {0, 1, 2})
        self.assertEqual(out[4], 3)

    def test_invert(self):
        layer = StringLookup(vocabulary=["a", "b"], invert=True)
        self.assertAllEqual(layer(np.array([2, 3, 1])), [b"a", b"b", b"[UNK]"])

    def test_vocabulary_file_and_duplicates(self):
        path = os.path.join(self.get_temp_dir(), "vocab.txt")
        with open(path, "w") as f:
            f.write("cat\ndog\n")
        self.assertAllEqual(StringLookup(vocabulary=path)(np.array(["dog"])), [3])
        with open(path, "w") as f:
            f.write("cat\ndog\nfish\ndog\n")
        with self.assertRaisesRegex(
            ValueError, "repeats the token 'dog': line 4 and line 2"
        ):
            StringLookup(vocabulary=path)
        with self.assertRaisesRegex(ValueError, "does not exist"):
            StringLookup(vocabulary=path + ".missing")
        with self.assertRaisesRegex(ValueError, "repeats the token 'a'"):
            StringLookup(vocabulary=["a", "b", "a"])

    def test_adapted_round_trip_keeps_vocabulary(self):
        layer = StringLookup()
        layer.adapt(np.array([["x"], ["y"], ["y"]]))
        inputs = keras.Input((1,), dtype="string")
        model = keras.Model(inputs, layer(inputs))
        path = os.path.join(self.get_temp_dir(), "lookup.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertEqual(restored.layers[-1].get_vocabulary(), layer.get_vocabulary())
        x = np.array([["y"], ["x"], ["q"]])
        self.assertAllEqual(restored(x), [[2], [3], [1]])
        ds = tf.data.Dataset.from_tensor_slices(x).batch(3).map(restored.layers[-1])
        self.assertAllEqual(next(iter(ds)), [[2], [3], [1]])

    def test_bad_input(self):
        with self.assertRaisesRegex(TypeError, "adapts on strings"):
            StringLookup().adapt(np.array([1, 2]))
        with self.assertRaisesRegex(ValueError, "must be adapted"):
            StringLookup()(np.array(["a"]))
        with self.assertRaisesRegex(ValueError, "fixed `vocabulary`"):
            StringLookup(vocabulary=["a"]).adapt(["b"])
