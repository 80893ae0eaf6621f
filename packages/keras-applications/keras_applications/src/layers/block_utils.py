# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Helpers shared by the block layers: argument checks and sub-layer builds."""

import keras


def check_positive_int(value, name, layer_name):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"`{name}` of {layer_name} must be a positive integer. "
            f"Received: {name}={value!r}."
        )
    return value


def check_strides(value, layer_name):
    if isinstance(value, bool) or value not in (1, 2):
        raise ValueError(
            f"`strides` of {layer_name} must be 1 or 2 (the blocks downsample "
            f"at most by two). Received: strides={value!r}."
        )
    return value


def check_rate(value, name, layer_name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 <= value < 1
    ):
        raise ValueError(
            f"`{name}` of {layer_name} must be a float in [0, 1). "
            f"Received: {name}={value!r}."
        )
    return float(value)


def check_image_shape(input_shape, layer_name):
    if len(input_shape) != 4:
        raise ValueError(
            f"{layer_name} expects a batch of channels_last feature maps of "
            "rank 4, (batch, height, width, channels). Received: "
            f"input_shape={tuple(input_shape)}."
        )
    if input_shape[-1] is None:
        raise ValueError(
            f"{layer_name} needs a known number of channels (the last "
            f"dimension). Received: input_shape={tuple(input_shape)}."
        )
    return tuple(input_shape)


def build_chain(layers, input_shape):
    """Builds `layers` one after the other; returns the final output shape."""
    shape = input_shape
    for layer in layers:
        if layer is None:
            continue
        if not layer.built:
            layer.build(shape)
        shape = layer.compute_output_shape(shape)
    return shape


def downsampled(size, strides):
    if size is None:
        return None
    return (size + strides - 1) // strides


def symmetric_pad(name):
    """A one-pixel zero padding on each side, for 3x3 strided convolutions."""
    return keras.layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name)
