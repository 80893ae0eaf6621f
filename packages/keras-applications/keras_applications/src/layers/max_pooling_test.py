# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_applications.src.layers import max_pooling


def _pool_and_grad(layer, x, dy, jit_compile):
    @tf.function(jit_compile=jit_compile)
    def run(x, dy):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        return y, tape.gradient(y, x, output_gradients=dy)

    return run(x, dy)


@pytest.mark.parametrize("shape", [(2, 13, 12, 5), (1, 9, 9, 3)])
@pytest.mark.parametrize("pool_size,strides", [(3, 2), (2, 2), (3, 1)])
def test_same_values_and_gradient_as_keras_max_pooling(shape, pool_size, strides):
    rng = np.random.default_rng(0)
    # ReLU outputs: windows with tied maxima (zeros), where the gradient
    # goes to the first maximum in row-major order.
    x = tf.constant(np.maximum(rng.normal(size=shape), 0).astype("float32"))
    layer = max_pooling.MaxPooling2D(pool_size, strides=strides)
    reference = keras.layers.MaxPooling2D(pool_size, strides=strides)
    dy = tf.constant(
        rng.normal(size=reference.compute_output_shape(shape)).astype("float32")
    )
    y_ref, grad_ref = _pool_and_grad(reference, x, dy, jit_compile=False)
    for jit_compile in (False, True):
        y, grad = _pool_and_grad(layer, x, dy, jit_compile)
        np.testing.assert_array_equal(y, y_ref)
        # Up to float rounding: an input shared by overlapping windows
        # sums their gradients (up to 9 here), possibly in another order.
        np.testing.assert_allclose(grad, grad_ref, rtol=1e-6, atol=1e-6)
    y_xla, _ = _pool_and_grad(reference, x, dy, jit_compile=True)
    np.testing.assert_array_equal(y_xla, y_ref)


def test_slices_used_only_under_xla():
    x = tf.zeros((1, 7, 7, 2))

    def op_types(jit_compile):
        fn = tf.function(
            max_pooling.MaxPooling2D(3, strides=2), jit_compile=jit_compile
        )
        graph = fn.get_concrete_function(x).graph
        return {op.type for op in graph.get_operations()}

    assert "MaxPool" in op_types(False)
    assert "MaxPool" not in op_types(True)
    assert "Maximum" in op_types(True)


def test_config_round_trip():
    layer = max_pooling.MaxPooling2D(3, strides=2, name="pool1_pool")
    config = keras.saving.serialize_keras_object(layer)
    restored = keras.saving.deserialize_keras_object(config)
    assert type(restored) is max_pooling.MaxPooling2D
    assert restored.get_config() == layer.get_config()
