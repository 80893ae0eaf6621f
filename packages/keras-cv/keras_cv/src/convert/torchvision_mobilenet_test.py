# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Parity of `MobileNetV3Large(variant="torchvision")` with torchvision.

The fixture `testdata/mobilenet_v3_large.npz` holds torchvision's features
for random weights (written by `testdata/make_mobilenet_v3_fixture.py` with
torch 2.14.1 / torchvision 0.29.1); the test regenerates the same weights
with NumPy, converts them and compares.
"""

import importlib.util
import json
import os

import keras
import numpy as np
import pytest

import keras_applications
from keras_cv.src.convert.torchvision_mobilenet import load_mobilenet_v3_backbone

TESTDATA = os.path.join(os.path.dirname(__file__), "testdata")
# torchvision's `features` index -> our layer.
TAPS = {
    "p3": "expanded_conv_5",
    "p4": "expanded_conv_11",
    "c4": "expanded_conv_12",
    "c5": "conv_1_activation",
}


def _fixture_module():
    spec = importlib.util.spec_from_file_location(
        "make_mobilenet_v3_fixture",
        os.path.join(TESTDATA, "make_mobilenet_v3_fixture.py"),
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fixture():
    data = np.load(os.path.join(TESTDATA, "mobilenet_v3_large.npz"))
    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    state = _fixture_module().state_dict(names, shapes, int(data["seed"]))
    return data, state


def _features(epsilon):
    backbone = keras_applications.MobileNetV3Large(
        include_top=False,
        input_shape=(None, None, 3),
        variant="torchvision",
        batch_norm_epsilon=epsilon,
    )
    model = keras.Model(
        backbone.input, {k: backbone.get_layer(v).output for k, v in TAPS.items()}
    )
    return backbone, model


@pytest.mark.parametrize("key, epsilon", [("bn", None), ("frozen", 1e-5)])
def test_features_match_torchvision(fixture, key, epsilon):
    data, state = fixture
    backbone, model = _features(epsilon)
    load_mobilenet_v3_backbone(state, backbone)
    worst = 0.0
    for i in range(int(data["num_images"])):
        out = model(data[f"image_{i}"][None])
        for tap in TAPS:
            expected = data[f"{key}_{tap}_{i}"]
            got = keras.ops.convert_to_numpy(out[tap])[0]
            assert got.shape == expected.shape, (tap, got.shape, expected.shape)
            worst = max(worst, float(np.abs(got - expected).max()))
    # Measured: 5.2e-6 (bn) and 7.9e-6 (frozen) for features up to 2.1; the
    # wrong epsilon (1e-5 on the "bn" fixture) is 0.15 off.
    assert worst < 1e-4, worst


def test_the_keras_layout_does_not_match(fixture):
    # The padding of strided convolutions matters: the "keras" variant with
    # the same weights gives other features (the test can fail).
    data, state = fixture
    backbone = keras_applications.MobileNetV3Large(
        include_top=False, input_shape=(None, None, 3), include_preprocessing=False
    )
    torchvision_layout, _ = _features(None)
    load_mobilenet_v3_backbone(state, torchvision_layout)
    converted = {w.path: w for w in torchvision_layout.weights}
    for weight in backbone.weights:
        weight.assign(converted[weight.path])
    image = (data["image_0"][None] / 255.0 - [0.485, 0.456, 0.406]) / [
        0.229,
        0.224,
        0.225,
    ]
    got = keras.ops.convert_to_numpy(backbone(image.astype("float32")))[0]
    assert np.abs(got - data["bn_c5_0"]).max() > 1e-2


def test_a_state_dict_of_another_model_is_refused(fixture):
    _, state = fixture
    backbone, _ = _features(None)
    missing = {k: v for k, v in state.items() if not k.startswith("features.16.")}
    with pytest.raises(ValueError, match="has no tensor 'features.16.0.weight'"):
        load_mobilenet_v3_backbone(missing, backbone)
    extra = dict(state, **{"features.17.0.weight": np.zeros((1, 1, 1, 1), "float32")})
    with pytest.raises(ValueError, match="tensors the model does not use"):
        load_mobilenet_v3_backbone(extra, backbone)
