# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The ResNet blocks' Winograd path against the same blocks calling their layers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_applications.src.layers import resnet_block_base
from keras_applications.src.layers.bottleneck_block import BottleneckBlock
from keras_applications.src.layers.residual_block import ResidualBlock

C = resnet_block_base._WINOGRAD_MIN_CHANNELS
# 18x18 inputs: the 3x3s, also those after a stride 2 (9x9), take the
# blocks' F(2x2, 3x3) (`winograd.tile_size`: maps under 8x8 stay direct).
SIZE = 18
TORCHVISION = {"stride_in_3x3": True, "use_bias": False, "batch_norm_epsilon": 1e-5}

# (block class, config, input channels, 3x3 convolutions computed by Winograd)
CASES = {
    "basic_v1": (ResidualBlock, {"filters": C}, C, 2),
    "basic_v1_strided": (ResidualBlock, {"filters": C, "strides": 2}, C // 2, 1),
    "basic_v1_narrow_input": (ResidualBlock, {"filters": C}, C // 2, 1),
    "basic_v2": (ResidualBlock, {"filters": C, "preactivation": True}, C, 2),
    "basic_v2_strided": (
        ResidualBlock,
        {"filters": C, "strides": 2, "preactivation": True},
        C,
        1,
    ),
    "basic_torchvision": (ResidualBlock, {"filters": C, **TORCHVISION}, C, 2),
    "bottleneck_v1": (BottleneckBlock, {"filters": C}, 4 * C, 1),
    "bottleneck_v1_strided": (BottleneckBlock, {"filters": C, "strides": 2}, C, 1),
    "bottleneck_v2": (BottleneckBlock, {"filters": C, "preactivation": True}, 4 * C, 1),
    "bottleneck_v2_strided": (
        BottleneckBlock,
        {"filters": C, "strides": 2, "preactivation": True},
        4 * C,
        0,
    ),
    "bottleneck_torchvision": (
        BottleneckBlock,
        {"filters": C, **TORCHVISION},
        4 * C,
        1,
    ),
    "bottleneck_torchvision_strided": (
        BottleneckBlock,
        {"filters": C, "strides": 2, **TORCHVISION},
        2 * C,
        0,
    ),
    "bottleneck_narrow": (BottleneckBlock, {"filters": C // 2}, 2 * C, 0),
}


def _block(cls, config, in_channels, seed=0):
    block = cls(**config)
    block.build((None, SIZE, SIZE, in_channels))
    rng = np.random.default_rng(seed)
    for w in block.weights:
        if "moving_variance" in w.path or "gamma" in w.path:
            w.assign(rng.uniform(0.5, 1.5, w.shape).astype("float32"))
        else:
            w.assign(rng.normal(0, 0.1, w.shape).astype("float32"))
    return block


def _step(block, in_channels, winograd, training, jit_compile):
    """Outputs and gradients (input and weights) of `block`, Winograd on or off.

    Returns the concrete function, traced with the class switch set.
    """

    @tf.function(jit_compile=jit_compile)
    def step(x, upstream):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = block(x, training=training)
            loss = tf.reduce_sum(y * upstream)
        return y, tape.gradient(loss, [x] + block.trainable_weights)

    base = resnet_block_base.ResNetBlockBase
    default, base.winograd = base.winograd, winograd  # the class switch
    try:
        concrete = step.get_concrete_function(
            tf.TensorSpec((2, SIZE, SIZE, in_channels), tf.float32),
            tf.TensorSpec(None, tf.float32),
        )
    finally:
        base.winograd = default
    return concrete


def _convolutions(concrete):
    return sum(op.type == "Conv2D" for op in concrete.graph.get_operations())


def _assert_close(actual, expected, name, floor=0.0, flips=False):
    """Within 1e-5 of the largest magnitude of `expected` (or `floor`).

    Winograd rounds differently from the direct convolution (a few 1e-6 of
    the largest value per convolution, see winograd.py). With `flips`, a
    gradient may also differ where a ReLU's pre-activation lies within that
    rounding of 0 and switches side between the two paths: at 2 x 18 x 18 x
    128 values about one such flip per block is expected, and each changes
    the few hundred gradient entries that read the flipped value (the input
    gradient's 3 x 3 x 128 around it). A wrong transform would change most
    entries: at most 10% may differ by more than the tolerance (one flip
    changes 1.4% of the input gradient here).
    """
    actual, expected = np.asarray(actual), np.asarray(expected)
    scale = max(np.abs(expected).max(), floor, 1e-30)
    error = np.abs(actual - expected) / scale
    if not flips:
        assert error.max() <= 1e-5, f"{name}: {error.max():.2e} of the largest value"
        return
    off = np.mean(error > 1e-5)
    assert off <= 0.1, f"{name}: {off:.1%} of the entries off by more than 1e-5"


@pytest.mark.large
@pytest.mark.parametrize("jit_compile", [False, True], ids=["traced", "xla"])
@pytest.mark.parametrize("training", [True, False], ids=["train", "infer"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_winograd_equals_the_block_calling_its_layers(case, training, jit_compile):
    cls, config, in_channels, winograd_convs = CASES[case]
    block = _block(cls, config, in_channels)
    rng = np.random.default_rng(1)
    x = tf.constant(rng.normal(size=(2, SIZE, SIZE, in_channels)).astype("float32"))
    fast = _step(block, in_channels, True, training, jit_compile)
    reference = _step(block, in_channels, False, training, jit_compile)
    # The Winograd path replaces exactly the expected convolutions (each
    # direct convolution also has two Conv2D-free gradient ops, so forward
    # Conv2D ops are what differ).
    assert _convolutions(reference) - _convolutions(fast) == winograd_convs
    y_ref, _ = reference(x, tf.ones(()))
    upstream = tf.constant(rng.normal(size=y_ref.shape).astype("float32"))
    y_ref, grads_ref = reference(x, upstream)
    y, grads = fast(x, upstream)
    _assert_close(y, y_ref, "output")
    names = ["input"] + [w.path for w in block.trainable_weights]
    largest = {n: np.abs(g).max() for n, g in zip(names, grads_ref)}
    for name, g, g_ref in zip(names, grads, grads_ref):
        # A convolution's bias followed by batch normalization in training
        # has a zero gradient (the batch mean removes it): rounding noise
        # on both paths, measured against its kernel's gradient.
        floor = largest.get(name.replace("/bias", "/kernel"), 0.0)
        floor = floor if name.endswith("/bias") else 0.0
        _assert_close(g, g_ref, name, floor, flips=True)


def test_switch_is_a_class_attribute_off_by_default():
    assert ResidualBlock.winograd is False and BottleneckBlock.winograd is False
    block = _block(ResidualBlock, {"filters": C}, C)
    assert "winograd" not in block.get_config()


@pytest.mark.parametrize(
    "case", ["basic_v1", "bottleneck_v2", "bottleneck_torchvision"]
)
def test_serialization_round_trip_unchanged(case):
    cls, config, in_channels, _ = CASES[case]
    block = _block(cls, config, in_channels)
    restored = cls.from_config(block.get_config())
    x = (
        np.random.default_rng(2)
        .normal(size=(1, SIZE, SIZE, in_channels))
        .astype("float32")
    )
    restored.build(x.shape)
    restored.set_weights(block.get_weights())
    assert restored.get_config() == block.get_config()
    assert [w.path for w in restored.weights] == [w.path for w in block.weights]
    np.testing.assert_array_equal(restored(x), block(x))


def test_unstrided_v2_bottleneck_has_same_weights_as_padded_layout():
    # The unstrided v2 3x3 convolution is now a "same" convolution (it was a
    # symmetric ZeroPadding2D and a "valid" one): same weights and names.
    block = _block(BottleneckBlock, {"filters": 4, "preactivation": True}, 16)
    conv = block.branch_layers[2]
    assert conv.name.endswith("_2_conv") and conv.padding == "same"
    assert [type(layer).__name__ for layer in block.branch_layers] == [
        "Conv2D",
        "BatchNormalization",
        "Conv2D",
        "BatchNormalization",
        "Conv2D",
    ]
    x = np.random.default_rng(3).normal(size=(1, 5, 5, 4)).astype("float32")
    padded = keras.layers.Conv2D(4, 3, use_bias=False)
    padded.build((None, 7, 7, 4))
    padded.kernel.assign(conv.kernel)
    np.testing.assert_allclose(
        conv(x), padded(np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))), atol=1e-6
    )
