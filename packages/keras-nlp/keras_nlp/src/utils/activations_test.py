# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
from scipy.special import erf

from keras_nlp.src.utils import activations

X = np.linspace(-5, 5, 101).astype("float32")
EXACT = 0.5 * X * (1 + erf(X / np.sqrt(2)))
TANH = 0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X**3)))


@pytest.mark.parametrize("name", ["gelu", "GELU", "gelu_exact", "gelu_python"])
def test_exact_gelu_names(name):
    np.testing.assert_allclose(activations.get_activation(name)(X), EXACT, atol=1e-6)


@pytest.mark.parametrize("name", ["gelu_approximate", "gelu_new", "gelu_pytorch_tanh"])
def test_approximate_gelu_names(name):
    np.testing.assert_allclose(activations.get_activation(name)(X), TANH, atol=1e-6)


def test_the_two_gelus_differ():
    assert np.abs(EXACT - TANH).max() > 1e-4


def test_other_identifiers_and_serialization():
    assert activations.get_activation(None) is keras.activations.linear
    assert activations.get_activation("relu") is keras.activations.relu
    assert (
        activations.serialize_activation(activations.gelu_approximate)
        == "gelu_approximate"
    )
    assert activations.serialize_activation("gelu") == "gelu"
    config = activations.serialize_activation(keras.activations.relu)
    assert config == "relu"
    assert (
        activations.get_activation(activations.deserialize_activation(config))
        is keras.activations.relu
    )
    with pytest.raises(ValueError, match="Unknown activation 'gelu_fast'"):
        activations.get_activation("gelu_fast")
    with pytest.raises(TypeError, match="Received: 3"):
        activations.get_activation(3)
