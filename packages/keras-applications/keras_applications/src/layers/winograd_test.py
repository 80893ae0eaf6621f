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


def _errors(shape, channels, filters, tile, seed=0):
    """Relative errors from float64 (result, input and kernel gradients)
    of `winograd.conv3x3` and of TensorFlow's float32 convolution."""
    # Reference: TensorFlow's own convolution and its gradients (float64,
    # so that the float32 rounding of both is measured, not of the reference).
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(*shape, channels))
    kernel = rng.normal(size=(3, 3, channels, filters)) / np.sqrt(9 * channels)
    upstream = rng.normal(size=(*shape, filters))
    f64 = [tf.constant(a, tf.float64) for a in (x, kernel, upstream)]
    f32 = [tf.constant(a, tf.float32) for a in (x, kernel, upstream)]
    reference = _value_and_grads(_direct, *f64)
    direct = _value_and_grads(_direct, *f32)
    ours = _value_and_grads(lambda x, k: winograd.conv3x3(x, k, tile), *f32)
    for want, got in zip(reference, ours):
        assert got.shape == want.shape
    return (
        [_relative(want, got) for want, got in zip(reference, ours)],
        [_relative(want, fast) for want, fast in zip(reference, direct)],
    )


@pytest.mark.parametrize("tile", [2, 4])
@pytest.mark.parametrize(
    "shape",
    [(2, 8, 8), (2, 5, 7), (1, 2, 2), (1, 1, 1), (3, 1, 6), (1, 9, 4), (1, 13, 10)],
)
def test_equals_direct_convolution_and_its_gradients(shape, tile):
    ours, direct = _errors(shape, 16, 12, tile)
    for error, fast in zip(ours, direct):
        if tile == 2:
            # F(2x2, 3x3): within 1e-5 of the largest value, and no further
            # from float64 than TensorFlow's float32 convolution is (with a
            # small margin).
            assert error < 1e-5
            assert error < 3 * fast + 1e-6
        else:
            # F(4x4, 3x3) rounds more (its transforms have entries up to 8):
            # the documented tolerance, 2e-5 of the largest value.
            assert error < winograd.TOLERANCE


@pytest.mark.large
@pytest.mark.parametrize("tile", [2, 4])
def test_error_at_a_detection_heads_shape(tile):
    # 256 channels, as RetinaNet's heads: the sums are longest there.
    # Measured (seed 0): F(4x4) about 4e-6, 3e-6, 2e-6 (result, input and
    # kernel gradients); oneDNN's float32 convolution 1.5e-6, 2e-6, 3e-7.
    ours, direct = _errors((2, 16, 16), 256, 256, tile)
    for error, fast in zip(ours, direct):
        assert error < (winograd.TOLERANCE if tile == 4 else 3 * fast + 1e-6)
    if tile == 4:
        assert max(ours) < 1e-5  # the margin the tolerance leaves


def test_rejects_other_tiles():
    with pytest.raises(ValueError, match="`tile` must be 2 or 4"):
        winograd.conv3x3(tf.zeros((1, 4, 4, 2)), tf.zeros((3, 3, 2, 2)), 3)


def test_tile_size():
    assert winograd.tile_size(32, 32, 256, 256) == 4
    assert winograd.tile_size(12, 12, 128, 256) == 4
    assert winograd.tile_size(None, 8, 256, 256) == 4
    assert winograd.tile_size(8, 8, 256, 256) == 2
    assert winograd.tile_size(4, 4, 256, 256) == 0
    assert winograd.tile_size(4, 4, 512, 512) == 2
    assert winograd.tile_size(2, 2, 512, 512) == 0
    # Few channels: the transforms cost more than the products save.
    assert winograd.tile_size(32, 32, 64, 64) == 0
    assert winograd.tile_size(56, 56, 64, 64) == 4
    assert winograd.tile_size(32, 32, 256, 16) == 0


@pytest.mark.parametrize("tile", [2, 4])
@pytest.mark.parametrize("jit_compile", [False, True])
def test_dynamic_spatial_sizes_in_a_function(jit_compile, tile):
    rng = np.random.default_rng(1)
    kernel = tf.constant(rng.normal(size=(3, 3, 8, 4)), tf.float32)

    @tf.function(
        input_signature=[tf.TensorSpec([None, None, None, 8], tf.float32)],
        jit_compile=jit_compile,
    )
    def both(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            ours, direct = winograd.conv3x3(x, kernel, tile), _direct(x, kernel)
        return ours, direct, tape.gradient(ours, x), tape.gradient(direct, x)

    for shape in [(2, 6, 4), (1, 3, 5), (1, 11, 9)]:
        x = tf.constant(rng.normal(size=(*shape, 8)), tf.float32)
        ours, direct, d_ours, d_direct = both(x)
        assert ours.shape == (*shape, 4)
        assert _relative(direct, ours) < winograd.TOLERANCE
        assert _relative(d_direct, d_ours) < winograd.TOLERANCE


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
    conv = keras.layers.Conv2D(128, 3, padding="same")
    x = np.random.default_rng(1).normal(size=(1, 13, 12, 128)).astype("float32")
    expected = conv(x)  # builds the layer
    conv.bias.assign(np.arange(128, dtype="float32") / 32)
    expected = conv(x)
    ours = keras_applications.layers.winograd_conv2d(conv, x)
    assert _relative(expected, ours) < winograd.TOLERANCE


@pytest.mark.parametrize("size, tile", [(16, 4), (8, 2), (4, 0)])
def test_winograd_conv2d_chooses_the_tile_by_the_maps_size(size, tile, monkeypatch):
    # 128 channels: Winograd from 8x8 (`tile_size`).
    calls = []
    conv3x3 = winograd.conv3x3
    monkeypatch.setattr(
        winograd, "conv3x3", lambda x, k, t: calls.append(t) or conv3x3(x, k, t)
    )
    conv = keras.layers.Conv2D(128, 3, padding="same")
    x = np.random.default_rng(3).normal(size=(1, size, size, 128)).astype("float32")
    ours = keras_applications.layers.winograd_conv2d(conv, x)
    assert calls == ([tile] if tile else [])
    assert _relative(conv(x), ours) < winograd.TOLERANCE


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


def test_winograd_conv2d_largest_tile():
    conv = keras.layers.Conv2D(128, 3, padding="same", use_bias=False)
    x = np.random.default_rng(3).normal(size=(1, 16, 16, 128)).astype("float32")
    direct = np.asarray(conv(x), "float64")
    kernel = conv.kernel.numpy().astype("float64")
    exact = tf.nn.conv2d(x.astype("float64"), kernel, 1, "SAME").numpy()
    scale = np.abs(exact).max()
    direct_error = np.abs(direct - exact).max() / scale
    errors = {}
    for largest_tile in (2, 4):
        y = keras_applications.layers.winograd_conv2d(
            conv, x, largest_tile=largest_tile
        )
        errors[largest_tile] = np.abs(np.asarray(y, "float64") - exact).max() / scale
    # F(2x2, 3x3) rounds about as the direct convolution; F(4x4, 3x3), the
    # default on a 16x16 map with 128 channels, more but within TOLERANCE.
    assert errors[2] <= 3 * direct_error
    assert errors[2] < errors[4] <= winograd.TOLERANCE
    with pytest.raises(ValueError, match="`largest_tile` must be 2 or 4, received 3"):
        keras_applications.layers.winograd_conv2d(conv, x, largest_tile=3)
