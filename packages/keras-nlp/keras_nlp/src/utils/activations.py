# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Activation look-up shared by the Transformer layers and encoders.

Keras' string `"gelu"` already means the exact (erf-based) GELU that the
original BERT and HuggingFace checkpoints use. Checkpoints trained with the
tanh approximation (HuggingFace's `"gelu_new"`, `"gelu_pytorch_tanh"`) need
the other form, which Keras only offers as `gelu(x, approximate=True)` and
not under a string name. This module adds that name so that every
activation can stay a plain, serializable string in layer configs.
"""

import keras

# Names that select the tanh approximation of GELU.
APPROXIMATE_GELU_NAMES = (
    "gelu_approximate",
    "gelu_new",
    "gelu_pytorch_tanh",
    "gelu_tanh",
)
# Names that select the exact GELU.
EXACT_GELU_NAMES = ("gelu", "gelu_exact", "gelu_python")


def gelu_approximate(x):
    """GELU with the tanh approximation (as in GPT-2 and `gelu_new`)."""
    return keras.activations.gelu(x, approximate=True)


def gelu_exact(x):
    """GELU computed with the error function, `x * Phi(x)`."""
    return keras.activations.gelu(x, approximate=False)


def get_activation(identifier):
    """Returns the activation function for a name or a callable.

    Args:
        identifier: `None` (identity), a callable, or a string: any Keras
            activation name, `"gelu"` (exact, erf-based) or
            `"gelu_approximate"` (tanh approximation; HuggingFace's
            `"gelu_new"` and `"gelu_pytorch_tanh"` are accepted as aliases).

    Returns:
        A callable.
    """
    if identifier is None:
        return keras.activations.linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in EXACT_GELU_NAMES:
            return gelu_exact
        if key in APPROXIMATE_GELU_NAMES:
            return gelu_approximate
        try:
            return keras.activations.get(key)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"Unknown activation {identifier!r}. Expected a Keras activation "
                "name such as 'relu' or 'tanh', 'gelu' (exact, erf-based), "
                "'gelu_approximate' (tanh approximation), or a callable."
            ) from error
    raise TypeError(
        "An activation must be a string name, a callable or None. "
        f"Received: {identifier!r} of type {type(identifier).__name__}."
    )


def serialize_activation(identifier):
    """The config form of an activation: strings stay as given."""
    if identifier is None or isinstance(identifier, str):
        return identifier
    if identifier is gelu_approximate:
        return "gelu_approximate"
    if identifier is gelu_exact:
        return "gelu"
    return keras.activations.serialize(identifier)


def deserialize_activation(config):
    """Inverse of `serialize_activation`."""
    if config is None or isinstance(config, str):
        return config
    return keras.activations.deserialize(config)
