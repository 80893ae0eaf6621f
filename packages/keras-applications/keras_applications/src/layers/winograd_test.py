# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_applications.src.layers import winograd


def _relative(expected, actual):
    expected = np.asarray(expected, np.float64)
    return np.abs(expected - np.asarray(actual, np.float64)).max() / max(
        np.abs(expected).max(), 1e-30
    )


def _value_and_grads(conv, x, kernel, upstream):
    with tf.GradientTape() as tape:
        tape.watch([x, kernel])
        y = conv(x, kernel)
        loss = tf.reduce_sum(y * upstream)
    return [y, *tape.gradient(loss, [x, kernel])]


def _direct(x, kernel):
    return tf.nn.conv2d(x, kernel, 1, "SAME")


@pytest.mark.parametrize(
    "shape", [(2, 8, 8), (2, 5, 7), (1, 2, 2), (1, 1, 1), (3, 1, 6), (1, 9, 4)]
)
def test_equals_direct_convolution_and_its_gradients(shape):
    # Reference: TensorFlow's own convolution and its gradients (float64,
    # so that the float32 rounding of both is measured, not of the reference).
    rng = np.random.default_rng(0)
    x = rng.normal(size=(*shape, 16))
    kernel = rng.normal(size=(3, 3, 16, 12)) * 0.1
    upstream = rng.normal(size=(*shape, 12))
    f64 = [tf.constant(a, tf.float64) for a in (x, kernel, upstream)]
    f32 = [tf.constant(a, tf.float32) for a in (x, kernel, upstream)]
    reference = _value_and_grads(_direct, *f64)
    direct = _value_and_grads(_direct, *f32)
    ours = _value_and_grads(winograd.conv3x3, *f32)
    for want, fast, got in zip(reference, direct, ours):
        assert got.shape == want.shape
        # Within 1e-5 of the largest value, and no further from float64
        # than TensorFlow's float32 convolution is (with a small margin).
        error = _relative(want, got)
        assert error < 1e-5
        assert error < 3 * _relative(want, fast) + 1e-6


@pytest.mark.parametrize("jit_compile", [False, True])
def test_dynamic_spatial_sizes_in_a_function(jit_compile):
    rng = np.random.default_rng(1)
    kernel = tf.constant(rng.normal(size=(3, 3, 8, 4)), tf.float32)

    @tf.function(
        input_signature=[tf.TensorSpec([None, None, None, 8], tf.float32)],
        jit_compile=jit_compile,
    )
    def both(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            ours, direct = winograd.conv3x3(x, kernel), _direct(x, kernel)
        return ours, direct, tape.gradient(ours, x), tape.gradient(direct, x)

    for shape in [(2, 6, 4), (1, 3, 5)]:
        x = tf.constant(rng.normal(size=(*shape, 8)), tf.float32)
        ours, direct, d_ours, d_direct = both(x)
        assert ours.shape == (*shape, 4)
        assert _relative(direct, ours) < 1e-5
        assert _relative(d_direct, d_ours) < 1e-5


def test_applies_to():
    assert winograd.applies_to(keras.layers.Conv2D(4, 3, padding="same"))
    assert winograd.applies_to(
        keras.layers.Conv2D(4, 3, padding="same", use_bias=False)
    )
    for conv in [
        keras.layers.Conv2D(4, 3),  # "valid"
        keras.layers.Conv2D(4, 1, padding="same"),
        keras.layers.Conv2D(4, 3, strides=2, padding="same"),
        keras.layers.Conv2D(4, 3, dilation_rate=2, padding="same"),
        keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
        keras.layers.Conv2D(4, 3, padding="same", dtype="mixed_float16"),
        keras.layers.SeparableConv2D(4, 3, padding="same"),
    ]:
        assert not winograd.applies_to(conv)


def test_winograd_conv2d_equals_the_layer_with_its_bias():
    conv = keras.layers.Conv2D(6, 3, padding="same")
    x = np.random.default_rng(1).normal(size=(2, 7, 5, 4)).astype("float32")
    expected = conv(x)  # builds the layer
    conv.bias.assign(np.arange(6, dtype="float32"))
    expected = conv(x)
    ours = keras_applications.layers.winograd_conv2d(conv, x)
    assert _relative(expected, ours) < 1e-5


def test_winograd_conv2d_builds_and_calls_other_convolutions():
    strided = keras.layers.Conv2D(3, 3, strides=2, padding="same", activation="relu")
    x = np.random.default_rng(2).normal(size=(1, 8, 8, 2)).astype("float32")
    ours = keras_applications.layers.winograd_conv2d(strided, x)
    assert strided.built and ours.shape == (1, 4, 4, 3)
    np.testing.assert_allclose(ours, strided(x), atol=1e-6)
    unbuilt = keras.layers.Conv2D(3, 3, padding="same")
    assert keras_applications.layers.winograd_conv2d(unbuilt, x).shape == (1, 8, 8, 3)
    assert unbuilt.built


def test_winograd_conv2d_refuses_what_is_not_a_layer():
    with pytest.raises(TypeError, match="expected `conv` to be a keras.layers.Conv2D"):
        keras_applications.layers.winograd_conv2d(
            np.ones((3, 3, 2, 2)), np.ones((1, 4, 4, 2))
        )
