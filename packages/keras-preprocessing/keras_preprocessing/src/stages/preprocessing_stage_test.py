# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_preprocessing.src.layers.category_encoding import CategoryEncoding
from keras_preprocessing.src.layers.discretization import Discretization
from keras_preprocessing.src.layers.normalization import Normalization
from keras_preprocessing.src.layers.string_lookup import StringLookup
from keras_preprocessing.src.stages.preprocessing_stage import PreprocessingStage


class PreprocessingStageTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            PreprocessingStage,
            {
                "layers": [
                    Normalization(mean=1.0, variance=4.0),
                    Discretization(bins=[0.0, 1.0]),
                ]
            },
            np.array([[-3.0], [1.5], [9.0]], "float32"),
            expected_output_shape=(3, 1, 3),
            expected_output_dtype="float32",
        )

    def test_sequential_cascade_adapts_on_transformed_data(self):
        rng = np.random.default_rng(0)
        data = rng.normal(10.0, 3.0, size=(400, 1)).astype("float32")
        stage = PreprocessingStage([Normalization(), Discretization(bins=4)])
        stage.adapt(data)
        normalized = (data - data.mean()) / data.std()
        self.assertAllClose(
            stage.stage_layers[1].bin_boundaries,
            np.quantile(normalized, [0.25, 0.5, 0.75]),
            atol=1e-3,
        )
        self.assertTrue(stage.is_adapted)
        out = stage(data)
        self.assertEqual(tuple(out.shape), (400, 1, 4))
        self.assertAllEqual(out.numpy().sum(axis=(0, 1)), [100] * 4)

    def test_sequential_cascade_from_dataset_and_round_trip(self):
        data = np.arange(40.0, dtype="float32")[:, None]
        stage = PreprocessingStage([Normalization(), Discretization(bins=2)])
        stage.adapt(tf.data.Dataset.from_tensor_slices((data, data)).batch(8))
        self.assertAllClose(stage.stage_layers[1].bin_boundaries, [0.0], atol=1e-5)
        model = keras.Sequential(
            [
                keras.Input((1,)),
                stage,
                keras.layers.Reshape((2,)),
                keras.layers.Dense(1),
            ]
        )
        path = os.path.join(self.get_temp_dir(), "stage.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored(data), model(data))
        ds = tf.data.Dataset.from_tensor_slices(data).batch(40).map(stage)
        self.assertAllEqual(next(iter(ds)), stage(data))

    def test_functional_stage_with_two_inputs(self):
        num = keras.Input((1,), name="num")
        cat = keras.Input((1,), dtype="string", name="cat")
        normed = Normalization()(num)
        lookup = StringLookup(mask_token=None, num_oov_indices=0)
        encoded = CategoryEncoding(max_tokens=3, output_mode="tf-idf")(lookup(cat))
        stage = PreprocessingStage(inputs=[num, cat], outputs=[normed, encoded])
        nums = np.array([[1.0], [3.0], [5.0]], "float32")
        cats = np.array([["a"], ["b"], ["a"]])
        stage.adapt([nums, cats])
        self.assertEqual(lookup.get_vocabulary(), ["a", "b"])
        # The encoding was adapted on the lookup's output: a in 2 docs, b in 1, index 2 unseen.
        idf = np.log(1 + 3 / (1 + np.array([2, 1, 0])))
        self.assertAllClose(stage.stage_layers[-1].idf_weights, idf, atol=1e-6)
        out = stage([nums, cats])
        self.assertAllClose(out[0], [[-1.2247449], [0.0], [1.2247449]], atol=1e-5)
        path = os.path.join(self.get_temp_dir(), "fstage.keras")
        wrapper = keras.Model([num, cat], stage([num, cat]))
        wrapper.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored([nums, cats]), out)

    def test_dict_data_for_named_inputs(self):
        a = keras.Input((1,), name="a")
        b = keras.Input((1,), name="b")
        stage = PreprocessingStage(
            inputs={"a": a, "b": b}, outputs=[Normalization()(a), Normalization()(b)]
        )
        stage.adapt({"a": np.array([[0.0], [2.0]]), "b": np.array([[10.0], [30.0]])})
        out = stage({"a": np.array([[2.0]]), "b": np.array([[10.0]])})
        self.assertAllClose(out, [np.array([[1.0]]), np.array([[-1.0]])], atol=1e-5)

    def test_generator_data_is_replayed_for_every_layer(self):
        batches = (np.array([[float(i)], [float(i + 10)]]) for i in range(5))
        stage = PreprocessingStage([Normalization(), Discretization(bins=2)])
        stage.adapt(batches)
        self.assertTrue(stage.is_adapted)
        self.assertAllClose(stage.stage_layers[1].bin_boundaries, [0.0], atol=1e-5)

    def test_other_layers_are_frozen(self):
        dense = keras.layers.Dense(1)
        PreprocessingStage([Normalization(), dense])
        self.assertFalse(dense.trainable)

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="either `layers`"):
            PreprocessingStage(
                [Normalization()], inputs=keras.Input((1,)), outputs=keras.Input((1,))
            )
        with pytest.raises(ValueError, match="needs `layers`"):
            PreprocessingStage()
        with pytest.raises(TypeError, match="list of Keras layers"):
            PreprocessingStage(["not a layer"])
        a = keras.Input((1,))
        stage = PreprocessingStage(inputs=[a, keras.Input((1,))], outputs=[a])
        with pytest.raises(ValueError, match="2 inputs"):
            stage.adapt([np.ones((2, 1))])
