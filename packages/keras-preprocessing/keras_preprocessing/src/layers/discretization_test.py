# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers import discretization as disc_module
from keras_preprocessing.src.layers.discretization import Discretization


@keras.saving.register_keras_serializable(package="kp_test")
def lower_bin(values, boundaries):
    """A strategy putting boundary values in the lower bin (side='left')."""
    flat = tf.reshape(values, [-1])
    return tf.reshape(tf.searchsorted(boundaries, flat, side="left"), tf.shape(values))


class DiscretizationTest(TestCase):
    def test_layer_with_given_boundaries(self):
        layer = self.run_layer_test(
            Discretization,
            {"bins": [0.0, 1.0]},
            np.array([[-5.0, 0.0], [0.5, 3.0]], "float32"),
            expected_output_shape=(2, 2, 3),
            expected_output_dtype="float32",
        )
        out = layer(np.array([[-5.0, 0.0], [0.5, 3.0]], "float32"))
        self.assertAllEqual(
            np.argmax(out, -1), np.digitize([[-5.0, 0.0], [0.5, 3.0]], [0.0, 1.0])
        )

    def test_int_bins_learn_quantiles_like_numpy(self):
        rng = np.random.default_rng(0)
        data = rng.exponential(size=(1000, 1))
        layer = Discretization(bins=5)
        layer.adapt(data)
        self.assertAllClose(
            layer.bin_boundaries, np.quantile(data, [0.2, 0.4, 0.6, 0.8]), atol=1e-5
        )
        counts = layer(data.astype("float32")).numpy().sum(axis=(0, 1))
        self.assertAllEqual(counts, [200] * 5)

    def test_exact_quantiles_match_numpy_by_selection_and_by_sort(self):
        rng = np.random.default_rng(2)
        samples = [
            rng.normal(size=5000).astype("float32"),
            rng.integers(0, 4, size=3001).astype("float64"),  # many ties
            np.array([3.0], "float32"),
            np.array([2.0, 1.0], "float64"),
            rng.exponential(size=37).astype("float32"),
        ]
        old = disc_module._PARTITION_LIMIT
        try:
            for limit in (old, -1):  # selection with np.partition, then one sort
                disc_module._PARTITION_LIMIT = limit
                for values in samples:
                    for num_bins in (2, 7, 16, 50):
                        probs = np.arange(1, num_bins) / num_bins
                        self.assertAllClose(
                            disc_module._exact_quantiles(values, probs),
                            np.quantile(values.astype("float64"), probs),
                            atol=1e-6,
                        )
        finally:
            disc_module._PARTITION_LIMIT = old

    def test_adapt_on_datasets_matches_numpy_quantiles(self):
        # Exact quantiles whatever the batching, order or element structure.
        rng = np.random.default_rng(3)
        data = rng.exponential(size=(20000, 1)).astype("float32")
        data[::97] = np.nan  # NaNs (missing values) are skipped, with a warning
        valid = data[~np.isnan(data)].astype("float64")
        probs = np.arange(1, 16) / 16
        expected = np.quantile(valid, probs).astype("float32")
        datasets = {
            "batches": tf.data.Dataset.from_tensor_slices(data).batch(128),
            "xy_shuffled_mapped": tf.data.Dataset.from_tensor_slices(
                (data, np.zeros(len(data)))
            )
            .shuffle(20000, seed=0)
            .map(lambda x, y: (x, y), num_parallel_calls=tf.data.AUTOTUNE)
            .batch(1000),
            "scalars": tf.data.Dataset.from_tensor_slices(data[:, 0]),
        }
        for name, dataset in datasets.items():
            with self.subTest(name):
                layer = Discretization(bins=16)
                with self.assertWarnsRegex(UserWarning, "skipped 207 NaN value"):
                    layer.adapt(dataset)
                self.assertAllClose(layer.bin_boundaries, expected, rtol=1e-6)
        from_array = Discretization(bins=16)
        with self.assertWarnsRegex(UserWarning, "skipped 207 NaN value.* of 20000"):
            from_array.adapt(data)
        self.assertAllEqual(from_array.bin_boundaries, layer.bin_boundaries)

    def test_compressed_summary_keeps_ranks_close(self):
        # Beyond `_EXACT_LIMIT` values the boundaries come from the weighted
        # summary of `_SUMMARY_SIZE` points: the fraction of the data below
        # each boundary stays within 1 / _SUMMARY_SIZE of its target (the
        # docstring's stated error), on smooth data, ties and sorted input.
        rng = np.random.default_rng(1)
        samples = {
            "normal": rng.normal(size=20000),
            "exponential": rng.exponential(size=50000),
            "ties": rng.integers(0, 1000, size=30000).astype("float64"),
            "sorted": np.sort(rng.normal(size=30000)),
            "reversed": -np.sort(rng.normal(size=30000)),
        }
        old = disc_module._EXACT_LIMIT, disc_module._SUMMARY_SIZE
        disc_module._EXACT_LIMIT, disc_module._SUMMARY_SIZE = 3000, 500
        try:
            for name, data in samples.items():
                for num_bins in (4, 16):
                    with self.subTest(name, bins=num_bins):
                        layer = Discretization(bins=num_bins)
                        layer.adapt(data, batch_size=700)
                        self.assertIsNotNone(layer._accumulator.summary)
                        bounds = layer.bin_boundaries.numpy().astype("float64")
                        probs = np.arange(1, num_bins) / num_bins
                        below = (data[:, None] < bounds).mean(axis=0)
                        at_most = (data[:, None] <= bounds).mean(axis=0)
                        error = np.maximum(below - probs, probs - at_most)
                        self.assertLessEqual(error.max(), 1 / 500)
        finally:
            disc_module._EXACT_LIMIT, disc_module._SUMMARY_SIZE = old
        self.assertAllClose(
            layer.bin_boundaries,
            np.quantile(data, probs),
            atol=0.02,
        )

    def test_sparse_output_densifies_to_dense(self):
        x = np.array([[0.5], [3.0]], "float32")
        sparse = Discretization(bins=[0.0, 1.0], sparse=True)(x)
        self.assertIsInstance(sparse, tf.SparseTensor)
        self.assertAllEqual(
            tf.sparse.to_dense(sparse), Discretization(bins=[0.0, 1.0])(x)
        )

    def test_callable_strategy_and_round_trip(self):
        layer = Discretization(bins=[0.0, 1.0], strategy=lower_bin)
        self.assertAllEqual(np.argmax(layer(np.array([[1.0]])), -1), [[1]])
        self.assertAllEqual(
            np.argmax(Discretization(bins=[0.0, 1.0])(np.array([[1.0]])), -1), [[2]]
        )
        clone = Discretization.from_config(layer.get_config())
        self.assertIs(clone.strategy, lower_bin)

    def test_adapted_keras_round_trip_and_tf_data(self):
        layer = Discretization(bins=4)
        layer.adapt(np.arange(100.0))
        inputs = keras.Input((1,))
        model = keras.Model(inputs, layer(inputs))
        path = os.path.join(self.get_temp_dir(), "d.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored.layers[-1].bin_boundaries, layer.bin_boundaries)
        x = np.array([[10.0], [90.0]], "float32")
        self.assertAllEqual(restored(x), layer(x))
        ds = tf.data.Dataset.from_tensor_slices(x).batch(2).map(layer)
        self.assertAllEqual(next(iter(ds)), layer(x))

    def test_differs_from_keras(self):
        # Keras returns bin indices and keeps boundaries out of the weights.
        keras_layer = keras.layers.Discretization(num_bins=4)
        keras_layer.adapt(np.arange(100.0))
        self.assertEqual(tuple(keras_layer(np.array([[10.0]])).shape), (1, 1))
        self.assertEqual(keras_layer.weights, [])
        ours = Discretization(bins=4)
        ours.adapt(np.arange(100.0))
        self.assertEqual(tuple(ours(np.array([[10.0]])).shape), (1, 1, 4))
        self.assertEqual(
            [w.name for w in ours.non_trainable_weights], ["bin_boundaries"]
        )

    def test_bad_input(self):
        with self.assertRaisesRegex(TypeError, "`bins` must be"):
            Discretization(bins="four")
        with self.assertRaisesRegex(ValueError, "strictly increasing"):
            Discretization(bins=[1.0, 0.0])
        with self.assertRaisesRegex(TypeError, "numeric values"):
            Discretization(bins=3).adapt(np.array(["a", "b"]))
        with self.assertRaisesRegex(ValueError, "must be adapted"):
            Discretization(bins=3)(np.ones((1, 1)))
        with self.assertRaisesRegex(ValueError, "nothing to adapt"):
            Discretization(bins=[0.0]).adapt(np.ones((2, 1)))
