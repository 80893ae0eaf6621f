# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_tuner as kt


def test_fixed_transforms_are_searched_and_identity_at_inference():
    hp = kt.HyperParameters()
    hm = kt.applications.HyperImageAugment(
        input_shape=(16, 16, 3), rotate=[0.1, 0.3], contrast=None, augment_layers=0
    )
    assert hm.transforms == [
        ("rotate", (0.1, 0.3)),
        ("translate_x", (0, 0.4)),
        ("translate_y", (0, 0.4)),
    ]
    model = hm.build(hp)
    assert model.name == "image_augment"
    assert hp.values == {
        "factor_rotate": 0.1,
        "factor_translate_x": 0.0,
        "factor_translate_y": 0.0,
    }
    # Only the transform with a non-zero factor is a layer.
    assert [type(layer).__name__ for layer in model.layers[1:]] == ["RandomRotation"]
    images = np.random.default_rng(0).uniform(size=(2, 16, 16, 3)).astype("float32")
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    trained = np.asarray(model(images, training=True))
    assert trained.shape == images.shape and not np.allclose(trained, images)


def test_random_augment_layers():
    hp = kt.HyperParameters()
    hp.Fixed("augment_layers", 2)
    hm = kt.applications.HyperImageAugment(
        input_tensor=keras.Input((16, 16, 3)), augment_layers=[1, 3]
    )
    model = hm.build(hp)
    assert model.name == "image_rand_augment" and len(model.layers) == 3
    images = np.ones((1, 16, 16, 3), "float32")
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    assert np.asarray(model(images, training=True)).shape == images.shape


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "must specify either `input_shape`"),
        ({"input_shape": (8, 8, 3), "augment_layers": 1.5}, "must be int"),
        ({"input_shape": (8, 8, 3), "contrast": [0.1, 0.2, 0.3]}, "not exceed 2"),
        ({"input_shape": (8, 8, 3), "contrast": [0.1, "a"]}, "must be int or float"),
        ({"input_shape": (8, 8, 3), "rotate": 2.0}, r"in \[0, 1\]"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kt.applications.HyperImageAugment(**kwargs)
