# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.integer_lookup import IntegerLookup


class IntegerLookupTest(TestCase):
    def test_layer_with_vocabulary(self):
        layer = self.run_layer_test(
            IntegerLookup,
            {"vocabulary": [12, 36, 1138, 42]},
            np.array([[12, 1138, 42], [42, 1000, 36]], "int64"),
            expected_output_shape=(2, 3),
            expected_output_dtype="int64",
        )
        self.assertAllEqual(
            layer(np.array([[12, 1138, 42], [42, 1000, 0]])), [[2, 4, 5], [5, 1, 0]]
        )

    def test_adapt_no_mask_no_oov_and_invert(self):
        layer = IntegerLookup(mask_value=None, num_oov_indices=0)
        layer.adapt(np.array([7, 7, 3, 9, 7, 3]))
        self.assertEqual([int(v) for v in layer.get_vocabulary()], [7, 3, 9])
        self.assertAllEqual(layer(np.array([3, 5, 9])), [1, -1, 2])
        inverse = IntegerLookup(vocabulary=[7, 3, 9], mask_value=None, invert=True)
        self.assertAllEqual(inverse(np.array([1, 2, 3])), [7, 3, 9])

    def test_vocabulary_file_errors_name_the_line(self):
        path = os.path.join(self.get_temp_dir(), "ids.txt")
        with open(path, "w") as f:
            f.write("5\n6\n5\n")
        with self.assertRaisesRegex(
            ValueError, "repeats the integer 5: line 3 and line 1"
        ):
            IntegerLookup(vocabulary=path)
        with open(path, "w") as f:
            f.write("5\nsix\n")
        with self.assertRaisesRegex(ValueError, "Line 2 .* 'six'"):
            IntegerLookup(vocabulary=path)

    def test_adapted_round_trip(self):
        layer = IntegerLookup()
        layer.adapt(np.array([[4], [4], [8]]))
        inputs = keras.Input((1,), dtype="int64")
        model = keras.Model(inputs, layer(inputs))
        path = os.path.join(self.get_temp_dir(), "ilookup.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        x = np.array([[8], [4], [5]], "int64")
        self.assertAllEqual(restored(x), layer(x))
        self.assertAllEqual(layer(x), [[3], [2], [1]])

    def test_bad_input(self):
        with self.assertRaisesRegex(TypeError, "adapts on integers"):
            IntegerLookup().adapt(np.array([1.5, 2.5]))
        with self.assertRaisesRegex(ValueError, "must be adapted"):
            IntegerLookup()(tf.constant([1], "int64"))
