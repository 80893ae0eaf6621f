# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The harness must pass good layers and catch broken ones."""

import keras
import numpy as np
import pytest

from keras_core.src.testing.test_case import TestCase


@keras.saving.register_keras_serializable(package="keras_core_test")
class ForgetfulDense(keras.layers.Dense):
    """Drops `units` from its config: from_config cannot rebuild it."""

    def get_config(self):
        config = super().get_config()
        config["units"] = 1
        return config


@keras.saving.register_keras_serializable(package="keras_core_test")
class PairSum(keras.layers.Layer):
    """Takes a dict of two tensors, returns their sum and difference."""

    def call(self, inputs):
        return {"sum": inputs["a"] + inputs["b"], "diff": inputs["a"] - inputs["b"]}


@keras.saving.register_keras_serializable(package="keras_core_test")
class DeadWeight(keras.layers.Layer):
    """Has a trainable weight that the output does not depend on."""

    def build(self, input_shape):
        self.unused = self.add_weight(shape=(1,), name="unused")

    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="keras_core_test")
class ListSum(keras.layers.Layer):
    """Takes a list of two tensors."""

    def call(self, inputs):
        return inputs[0] + 2.0 * inputs[1]


class HarnessTest(TestCase):
    def test_list_inputs_in_every_check(self):
        data = [np.ones((2, 3), "float32"), np.full((2, 3), 2.0, "float32")]
        self.run_layer_test(ListSum, {}, data, expected_output_shape=(2, 3))

    def test_good_layer_passes(self):
        self.run_layer_test(
            keras.layers.Dense,
            init_kwargs={"units": 3},
            input_data=np.ones((2, 4), "float32"),
            expected_output_shape=(2, 3),
            expected_output_dtype="float32",
            expected_num_trainable_weights=2,
            expected_num_non_trainable_weights=0,
        )

    def test_nested_inputs_and_outputs(self):
        data = {"a": np.ones((2, 3), "float32"), "b": np.full((2, 3), 2.0, "float32")}
        self.run_layer_test(
            PairSum,
            init_kwargs={},
            input_data=data,
            expected_output_shape={"sum": (2, 3), "diff": (2, 3)},
            expected_output_dtype="float32",
        )

    def test_broken_config_is_caught(self):
        with pytest.raises(AssertionError, match="rebuilt with from_config"):
            self.run_layer_test(
                ForgetfulDense, {"units": 3}, np.ones((2, 4), "float32")
            )

    def test_wrong_shape_is_caught(self):
        with pytest.raises(AssertionError, match="shape"):
            self.run_layer_test(
                keras.layers.Dense,
                {"units": 3},
                np.ones((2, 4), "float32"),
                expected_output_shape=(2, 4),
            )

    def test_wrong_dtype_is_caught(self):
        with pytest.raises(AssertionError, match="dtype"):
            self.run_layer_test(
                keras.layers.Dense,
                {"units": 3},
                np.ones((2, 4), "float32"),
                expected_output_dtype="int32",
            )

    def test_wrong_weight_count_is_caught(self):
        with pytest.raises(AssertionError, match="trainable weights"):
            self.run_layer_test(
                keras.layers.Dense,
                {"units": 3},
                np.ones((2, 4), "float32"),
                expected_num_trainable_weights=5,
            )

    def test_weight_without_gradient_is_caught(self):
        with pytest.raises(AssertionError, match="no gradient reaches"):
            self.run_layer_test(DeadWeight, {}, np.ones((2, 4), "float32"))

    def test_mixed_precision_dtype(self):
        self.run_layer_test(
            keras.layers.Dense,
            init_kwargs={"units": 3, "dtype": "mixed_bfloat16"},
            input_data=np.ones((2, 4), "float32"),
            expected_output_dtype="bfloat16",
            atol=1e-2,
            rtol=1e-2,
        )

    def test_model_test_catches_a_model_that_does_not_reload(self):
        inputs = keras.Input((2,))
        model = keras.Model(inputs, keras.layers.Lambda(lambda x: x + 1.0)(inputs))
        with pytest.raises(ValueError, match="safe_mode"):
            self.run_model_test(model, np.ones((2, 2), "float32"))

    def test_assert_all_close_compares_nested_values(self):
        self.assertAllClose({"a": [1.0, 2.0]}, {"a": [1.0, 2.0 + 1e-9]})
        with pytest.raises(AssertionError):
            self.assertAllClose({"a": [1.0, 2.0]}, {"a": [1.0, 2.1]})
