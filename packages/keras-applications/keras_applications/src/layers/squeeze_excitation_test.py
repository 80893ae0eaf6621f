# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest

from keras_applications.src.layers.squeeze_excitation import SqueezeExcitation
from keras_core.testing import TestCase


def _numpy_reference(layer, x):
    reduce_kernel, reduce_bias = [np.asarray(w) for w in layer.reduce_conv.weights]
    expand_kernel, expand_bias = [np.asarray(w) for w in layer.expand_conv.weights]
    pooled = x.mean(axis=(1, 2))  # (batch, channels)
    hidden = np.maximum(pooled @ reduce_kernel[0, 0] + reduce_bias, 0.0)
    logits = hidden @ expand_kernel[0, 0] + expand_bias
    if layer.gate_activation == "sigmoid":
        gate = 1.0 / (1.0 + np.exp(-logits))
    else:
        gate = np.clip(logits / 6.0 + 0.5, 0.0, 1.0)
    return x * gate[:, None, None, :]


class SqueezeExcitationTest(TestCase):
    def test_layer_contract(self):
        self.run_layer_test(
            SqueezeExcitation,
            {"squeeze_channels": 3, "gate_activation": "hard_sigmoid"},
            np.random.default_rng(0).normal(size=(2, 5, 5, 8)).astype("float32"),
            expected_output_shape=(2, 5, 5, 8),
            expected_num_trainable_weights=4,
        )

    def test_matches_numpy_reference(self):
        rng = np.random.default_rng(1)
        x = rng.normal(size=(3, 4, 6, 8)).astype("float32")
        for gate in ("sigmoid", "hard_sigmoid"):
            layer = SqueezeExcitation(4, gate_activation=gate)
            layer.build(x.shape)
            for w in layer.weights:
                w.assign(rng.normal(size=w.shape).astype("float32"))
            self.assertAllClose(layer(x), _numpy_reference(layer, x), atol=1e-5)

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="squeeze_channels"):
            SqueezeExcitation(0)
        with pytest.raises(ValueError, match="gate_activation"):
            SqueezeExcitation(4, gate_activation="tanh")
        with pytest.raises(ValueError, match="rank 4"):
            SqueezeExcitation(4)(np.ones((2, 8), "float32"))
