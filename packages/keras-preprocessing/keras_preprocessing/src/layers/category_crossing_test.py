# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import itertools
import os

import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.category_crossing import CategoryCrossing


class CategoryCrossingTest(TestCase):
    def test_layer_config_functional_saving_and_tf_data(self):
        # run_layer_test compares outputs as floats; strings are checked here.
        layer = CategoryCrossing(depth=(1, 2), separator="#")
        clone = CategoryCrossing.from_config(layer.get_config())
        self.assertEqual(clone.get_config(), layer.get_config())
        data = (np.array([["a"], ["b"]]), np.array([[1], [2]], "int64"))
        expected = [[b"a", b"1", b"a#1"], [b"b", b"2", b"b#2"]]
        self.assertAllEqual(layer(data), expected)
        inputs = [keras.Input((1,), dtype="string"), keras.Input((1,), dtype="int64")]
        out = layer(inputs)
        self.assertEqual(tuple(out.shape), (None, 3))
        model = keras.Model(inputs, out)
        path = os.path.join(self.get_temp_dir(), "cross.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllEqual(restored(list(data)), expected)
        ds = (
            tf.data.Dataset.from_tensor_slices(data)
            .batch(2)
            .map(lambda a, b: layer([a, b]))
        )
        self.assertAllEqual(next(iter(ds)), expected)

    def test_cartesian_product_of_multivalent_rows(self):
        a = np.array([["x", "y"]])
        b = np.array([["1", "2", "3"]])
        out = CategoryCrossing(separator="-")([a, b]).numpy()[0]
        expected = [f"{i}-{j}".encode() for i, j in itertools.product(a[0], b[0])]
        self.assertEqual(sorted(out.tolist()), sorted(expected))

    def test_depth_int_and_tuple(self):
        a, b, c = np.array([["a"]]), np.array([["b"]]), np.array([["c"]])
        out = CategoryCrossing(depth=2)([a, b, c]).numpy()[0].tolist()
        self.assertEqual(out, [b"a", b"b", b"c", b"a_X_b", b"a_X_c", b"b_X_c"])
        out = CategoryCrossing(depth=(3,))([a, b, c]).numpy()[0].tolist()
        self.assertEqual(out, [b"a_X_b_X_c"])
        self.assertEqual(
            CategoryCrossing(depth=(1, 3)).compute_output_shape([(None, 1)] * 3),
            (None, 4),
        )

    def test_floats_are_crossed_as_strings(self):
        out = CategoryCrossing()([np.array([[22.0]]), np.array([["male"]])])
        self.assertAllEqual(out, [[b"22.000000_X_male"]])

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, "depth"):
            CategoryCrossing(depth=0)
        with self.assertRaisesRegex(ValueError, "only 2 inputs"):
            CategoryCrossing(depth=3)([np.array([["a"]]), np.array([["b"]])])
        with self.assertRaisesRegex(TypeError, "list of feature tensors"):
            CategoryCrossing()(np.array([["a"]]))
        with self.assertRaisesRegex(ValueError, "shape \\(batch,\\) or \\(batch, n\\)"):
            CategoryCrossing()([np.array([[["a"]]]), np.array([[["b"]]])])
