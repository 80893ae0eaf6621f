# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The shared test harness every layer and model of this project goes through."""

import os
import tempfile
import unittest

import numpy as np

from keras_core.src.api_export import api_export


def _to_numpy(x):
    import tensorflow as tf

    if isinstance(x, tf.RaggedTensor):
        return x.to_list()
    if hasattr(x, "numpy"):
        return x.numpy()
    return np.asarray(x)


def _flatten(structure):
    import tensorflow as tf

    return tf.nest.flatten(structure, expand_composites=False)


def _is_leaf(x):
    return not isinstance(x, (dict, list, tuple))


def _paired_leaves(actual, expected):
    """Pairs the arrays of two structures; a tensor matches a nested list."""
    import tensorflow as tf

    if _is_leaf(actual) or _is_leaf(expected):
        return [(actual, expected)]
    tf.nest.assert_same_structure(actual, expected, check_types=False)
    return list(zip(_flatten(actual), _flatten(expected)))


def _shape_of(x):
    return tuple(x.shape)


def _dtype_name(x):
    import keras

    return keras.backend.standardize_dtype(x.dtype)


def _batch_size(data):
    first = _flatten(data)[0]
    return int(first.shape[0])


def _make_inputs(data):
    """Symbolic `keras.Input`s mirroring the structure of a data batch."""
    import keras
    import tensorflow as tf

    def make(x, name=None):
        x = tf.convert_to_tensor(x) if not isinstance(x, tf.RaggedTensor) else x
        return keras.Input(
            shape=tuple(x.shape[1:]),
            dtype=x.dtype.name,
            ragged=isinstance(x, tf.RaggedTensor),
            name=name,
        )

    if isinstance(data, dict):  # Functional models want dict keys as input names
        return {key: make(value, name=key) for key, value in data.items()}
    return tf.nest.map_structure(make, data)


@api_export(
    "keras_core.testing.TestCase", stability="stable", rfc="20261122-keras-core"
)
class TestCase(unittest.TestCase):
    """Base class for the tests of every layer and model in this project.

    Subclass it in a sibling `*_test.py` file and call `run_layer_test`
    for each layer and `run_model_test` for each model: one call checks
    the config round trip, eager and symbolic (Functional) use, saving to
    a `.keras` file and loading it back with `safe_mode=True`, mapping
    inside `tf.data`, output shapes and dtypes, and that gradients reach
    every trainable weight. pytest runs these classes directly.

    Examples:

    ```python
    import keras
    from keras_core.testing import TestCase

    class DenseTest(TestCase):
        def test_dense(self):
            self.run_layer_test(
                keras.layers.Dense,
                init_kwargs={"units": 3},
                input_data=np.ones((2, 4), "float32"),
                expected_output_shape=(2, 3),
            )
    ```
    """

    def setUp(self):
        super().setUp()
        import keras

        keras.utils.set_random_seed(1337)
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)

    def get_temp_dir(self):
        """A directory removed after the test."""
        return self._tmp.name

    def assertLen(self, container, expected_len, msg=None):
        """Asserts that `container` has `expected_len` elements."""
        self.assertEqual(len(container), expected_len, msg)

    def assertAllClose(self, actual, expected, atol=1e-6, rtol=1e-6, msg=None):
        """Asserts that two nested structures of arrays are elementwise close."""
        for a, e in _paired_leaves(actual, expected):
            np.testing.assert_allclose(
                np.asarray(_to_numpy(a), dtype="float64"),
                np.asarray(_to_numpy(e), dtype="float64"),
                atol=atol,
                rtol=rtol,
                err_msg=msg or "",
            )

    def assertAllEqual(self, actual, expected, msg=None):
        """Asserts that two nested structures of arrays are exactly equal."""
        for a, e in _paired_leaves(actual, expected):
            np.testing.assert_array_equal(_to_numpy(a), _to_numpy(e), err_msg=msg or "")

    def _check_shapes_and_dtypes(self, outputs, expected_shape, expected_dtype, what):
        import tensorflow as tf

        if expected_shape is not None:
            if _is_shape(expected_shape):
                self.assertNotIsInstance(
                    outputs, (list, tuple, dict), f"{what}: one tensor expected"
                )
                self.assertEqual(
                    tuple(outputs.shape), tuple(expected_shape), f"{what} shape"
                )
            else:
                actual = tf.nest.map_structure(_shape_of, outputs)
                self.assertEqual(actual, expected_shape, f"{what} shapes")
        if expected_dtype is not None:
            actual = tf.nest.map_structure(_dtype_name, outputs)
            if isinstance(expected_dtype, str):
                for dtype in _flatten(actual):
                    self.assertEqual(dtype, expected_dtype, f"{what} dtype")
            else:
                self.assertEqual(actual, expected_dtype, f"{what} dtypes")

    def run_layer_test(
        self,
        layer_cls,
        init_kwargs,
        input_data,
        expected_output_shape=None,
        expected_output_dtype=None,
        expected_num_trainable_weights=None,
        expected_num_non_trainable_weights=None,
        call_kwargs=None,
        run_functional_check=True,
        run_saving_check=True,
        run_tf_data_check=True,
        run_gradient_check=True,
        atol=1e-5,
        rtol=1e-5,
    ):
        """Runs the standard checks on one layer class.

        Args:
            layer_cls: the layer class.
            init_kwargs: dict of constructor arguments.
            input_data: a batch of inputs: an array, or a list/dict of them,
                passed as the first argument of `call`.
            expected_output_shape: the output shape (a tuple, or a nested
                structure of tuples matching the outputs).
            expected_output_dtype: a dtype name for every output, or a
                nested structure of names.
            expected_num_trainable_weights: checked when given.
            expected_num_non_trainable_weights: checked when given.
            call_kwargs: extra keyword arguments for `call`.
            run_functional_check: wrap the layer in a Functional model.
            run_saving_check: save the Functional model to `.keras` and
                reload it with `safe_mode=True` (needs the functional check).
            run_tf_data_check: apply the layer inside `tf.data.Dataset.map`.
            run_gradient_check: check that gradients reach every trainable
                weight.
            atol: absolute tolerance of the output comparisons.
            rtol: relative tolerance of the output comparisons.

        Returns:
            The layer instance that was tested.
        """
        import keras
        import tensorflow as tf

        call_kwargs = dict(call_kwargs or {})
        layer = layer_cls(**init_kwargs)

        # 1. Config round trip, directly and through Keras serialization.
        config = layer.get_config()
        self.assertIsInstance(config, dict)
        clone = layer_cls.from_config(config)
        self.assertEqual(
            clone.get_config(), config, "from_config(get_config()) changed the config"
        )
        serialized = keras.saving.serialize_keras_object(layer)
        revived = keras.saving.deserialize_keras_object(serialized, safe_mode=True)
        self.assertIsInstance(revived, layer_cls)
        self.assertEqual(
            revived.get_config(), config, "serialization round trip changed the config"
        )

        # 2. Eager call.
        outputs = layer(input_data, **call_kwargs)
        self._check_shapes_and_dtypes(
            outputs, expected_output_shape, expected_output_dtype, "eager output"
        )
        if expected_num_trainable_weights is not None:
            self.assertLen(
                layer.trainable_weights,
                expected_num_trainable_weights,
                "trainable weights",
            )
        if expected_num_non_trainable_weights is not None:
            self.assertLen(
                layer.non_trainable_weights,
                expected_num_non_trainable_weights,
                "non-trainable weights",
            )
        # Calling twice gives the same answer (no hidden state drift in inference).
        self.assertAllClose(
            layer(input_data, **call_kwargs), outputs, atol=atol, rtol=rtol
        )

        self.assertEqual(
            tf.nest.map_structure(_shape_of, clone(input_data, **call_kwargs)),
            tf.nest.map_structure(_shape_of, outputs),
            "a layer rebuilt with from_config(get_config()) gives outputs of other shapes",
        )

        # 3. Functional model and `.keras` round trip.
        if run_functional_check:
            inputs = _make_inputs(input_data)
            symbolic = layer(inputs, **call_kwargs)
            self._check_shapes_and_dtypes(
                symbolic,
                _with_none_batch(expected_output_shape),
                expected_output_dtype,
                "symbolic output",
            )
            model = keras.Model(inputs, symbolic)
            self.assertAllClose(model(input_data), outputs, atol=atol, rtol=rtol)
            if run_saving_check:
                path = os.path.join(self.get_temp_dir(), "layer_test.keras")
                model.save(path)
                restored = keras.saving.load_model(path, safe_mode=True)
                self.assertAllClose(restored(input_data), outputs, atol=atol, rtol=rtol)

        # 4. Inside tf.data.
        if run_tf_data_check:
            self._check_in_tf_data(layer, input_data, outputs, call_kwargs, atol, rtol)

        # 5. Gradients.
        if run_gradient_check and layer.trainable_weights:
            self._check_gradients(layer, input_data, call_kwargs)
        return layer

    def _check_in_tf_data(self, layer, input_data, expected, call_kwargs, atol, rtol):
        import tensorflow as tf

        batch = _batch_size(input_data)
        if isinstance(input_data, (list, tuple)):
            # tf.data unpacks tuple elements into separate map arguments.
            container = type(input_data)
            dataset = tf.data.Dataset.from_tensor_slices(tuple(input_data)).batch(batch)
            dataset = dataset.map(lambda *x: layer(container(x), **call_kwargs))
        else:
            dataset = tf.data.Dataset.from_tensor_slices(input_data).batch(batch)
            dataset = dataset.map(lambda x: layer(x, **call_kwargs))
        results = list(dataset)
        self.assertLen(results, 1)
        self.assertAllClose(results[0], expected, atol=atol, rtol=rtol)

    def _check_gradients(self, layer, input_data, call_kwargs):
        import tensorflow as tf

        with tf.GradientTape() as tape:
            kwargs = dict(call_kwargs)
            if _accepts_training(layer):
                kwargs["training"] = True
            outputs = layer(input_data, **kwargs)
            total = tf.add_n(
                [
                    tf.reduce_sum(tf.cast(o, "float32"))
                    for o in _flatten(outputs)
                    if o.dtype.is_floating
                ]
            )
        grads = tape.gradient(total, layer.trainable_weights)
        missing = [w.path for w, g in zip(layer.trainable_weights, grads) if g is None]
        self.assertFalse(
            missing, f"no gradient reaches these trainable weights: {missing}"
        )

    def run_model_test(
        self,
        model,
        input_data,
        expected_output_shape=None,
        expected_output_dtype=None,
        run_saving_check=True,
        run_tf_data_check=True,
        run_preset_check=True,
        atol=1e-5,
        rtol=1e-5,
    ):
        """Runs the standard checks on a built model instance.

        Checks the config round trip, `.keras` save and load with
        `safe_mode=True` (equal outputs), a preset round trip through
        `keras_core.presets` (equal outputs), prediction over a `tf.data`
        dataset, and output shapes and dtypes.

        Args:
            model: a Keras model instance.
            input_data: a batch of inputs for `model(...)`.
            expected_output_shape: the output shape or nested shapes.
            expected_output_dtype: a dtype name or nested names.
            run_saving_check: check the `.keras` round trip.
            run_tf_data_check: check `predict` on a `tf.data` dataset.
            run_preset_check: check the preset round trip.
            atol: absolute tolerance of the comparisons.
            rtol: relative tolerance of the comparisons.

        Returns:
            The model's outputs on `input_data`.
        """
        import keras
        import tensorflow as tf

        from keras_core.src import presets

        outputs = model(input_data)
        self._check_shapes_and_dtypes(
            outputs, expected_output_shape, expected_output_dtype, "model output"
        )

        config = model.get_config()
        clone = model.__class__.from_config(config)
        self.assertIsInstance(clone, model.__class__)
        clone_out = clone(input_data)
        self.assertEqual(
            tf.nest.map_structure(_shape_of, clone_out),
            tf.nest.map_structure(_shape_of, outputs),
            "a model rebuilt from its config gives outputs of other shapes",
        )

        if run_saving_check:
            path = os.path.join(self.get_temp_dir(), "model_test.keras")
            model.save(path)
            restored = keras.saving.load_model(path, safe_mode=True)
            self.assertAllClose(restored(input_data), outputs, atol=atol, rtol=rtol)

        if run_preset_check:
            directory = os.path.join(self.get_temp_dir(), "model_preset")
            presets.save_to_preset(model, directory)
            restored = presets.from_preset(directory)
            self.assertIsInstance(restored, model.__class__)
            self.assertAllClose(restored(input_data), outputs, atol=atol, rtol=rtol)

        if run_tf_data_check:
            batch = _batch_size(input_data)
            dataset = tf.data.Dataset.from_tensor_slices(input_data).batch(batch)
            predicted = model.predict(dataset, verbose=0)
            self.assertAllClose(predicted, outputs, atol=atol, rtol=rtol)
        return outputs


def _accepts_training(layer):
    import inspect

    try:
        return "training" in inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False


def _is_shape(x):
    return isinstance(x, tuple) and all(isinstance(d, (int, type(None))) for d in x)


def _with_none_batch(structure):
    """Replaces the batch dimension of every expected shape with None."""
    if structure is None:
        return None
    if _is_shape(structure):
        return (None,) + tuple(structure[1:])
    if isinstance(structure, dict):
        return {k: _with_none_batch(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_with_none_batch(v) for v in structure)
    return structure
