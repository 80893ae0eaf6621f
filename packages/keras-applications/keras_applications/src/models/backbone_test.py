# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_applications

FAST = {
    "ResNet18": keras_applications.ResNet18,
    "ResNet18V2": keras_applications.ResNet18V2,
    "MobileNetV2": keras_applications.MobileNetV2,
    "MobileNetV3Small": keras_applications.MobileNetV3Small,
    "EfficientNetB0": keras_applications.EfficientNetB0,
}


@pytest.fixture(scope="module")
def resnet18():
    return keras_applications.ResNet18(include_top=False, input_shape=(64, 64, 3))


@pytest.mark.parametrize("name", sorted(FAST))
def test_pyramid_levels_have_their_strides(name):
    model = FAST[name](include_top=False, input_shape=(64, 96, 3))
    assert model.pyramid_levels == ["P2", "P3", "P4", "P5"]
    for level, stride in (("P2", 4), ("P3", 8), ("P4", 16), ("P5", 32)):
        shape = model.pyramid_outputs[level].shape
        assert shape[1:3] == (64 // stride, 96 // stride), (level, shape)
    # P5 is the feature map the model itself ends with.
    assert model.pyramid_outputs["P5"] is model.output


def test_pyramid_model_matches_intermediate_layers(resnet18):
    features = resnet18.get_pyramid_model(["P3", "P4", "P5"])
    images = np.random.default_rng(0).uniform(size=(2, 64, 64, 3)).astype("float32")
    outputs = features(images)
    assert sorted(outputs) == ["P3", "P4", "P5"]
    np.testing.assert_allclose(outputs["P5"], resnet18(images), atol=1e-5)
    # P3 is the output of the last block of stage conv3.
    probe = keras.Model(resnet18.input, resnet18.get_layer("conv3_block2").output)
    np.testing.assert_allclose(outputs["P3"], probe(images), atol=1e-5)
    # Shared weights: the pyramid model holds exactly the backbone's variables.
    assert {id(v) for v in features.weights} <= {id(v) for v in resnet18.weights}


def test_pyramid_of_unknown_size_inputs():
    model = keras_applications.MobileNetV3Small(include_top=False)
    features = model.get_pyramid_model()
    out = features(np.zeros((1, 96, 64, 3), "float32"))
    assert tuple(out["P2"].shape[1:3]) == (24, 16)
    assert tuple(out["P5"].shape[1:3]) == (3, 2)


def test_unknown_pyramid_level_is_a_clear_error(resnet18):
    with pytest.raises(
        ValueError,
        match=r"no pyramid level 'P6'.*Available levels: \['P2', 'P3', 'P4', 'P5'\]",
    ):
        resnet18.get_pyramid_model(["P3", "P6"])
    with pytest.raises(ValueError, match="non-empty list"):
        resnet18.get_pyramid_model("P3")
    with pytest.raises(ValueError, match="duplicates"):
        resnet18.get_pyramid_model(["P3", "P3"])


def test_include_top_with_other_input_shape_is_a_clear_error():
    with pytest.raises(
        ValueError,
        match=r"include_top=True.*expects input_shape=\(224, 224, 3\).*include_top=False",
    ):
        keras_applications.ResNet18(include_top=True, input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match=r"expects input_shape=\(240, 240, 3\)"):
        keras_applications.EfficientNetB1(input_shape=(224, 224, 3))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"pooling": "mean", "include_top": False}, "pooling"),
        ({"pooling": "avg"}, "only used with include_top=False"),
        ({"classes": 0}, "classes"),
        ({"include_top": "yes"}, "include_top"),
        ({"input_shape": (64, 64), "include_top": False}, "input_shape"),
        ({"input_shape": (16, 16, 3), "include_top": False}, "at least 32x32"),
        ({"classifier_activation": "no_such_fn"}, "classifier_activation"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        keras_applications.ResNet18(**kwargs)


def test_classifier_head():
    model = keras_applications.MobileNetV3Small(classes=7)
    out = np.asarray(model(np.zeros((2, 224, 224, 3), "float32")))
    assert out.shape == (2, 7)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, atol=1e-5)
    assert model.pyramid_outputs["P5"].shape[1:3] == (7, 7)


def test_pooling_options(resnet18):
    pooled = keras_applications.ResNet18(
        include_top=False, pooling="max", input_shape=(64, 64, 3)
    )
    pooled.set_weights(resnet18.get_weights())
    images = np.random.default_rng(0).uniform(size=(1, 64, 64, 3)).astype("float32")
    np.testing.assert_allclose(
        pooled(images), np.asarray(resnet18(images)).max(axis=(1, 2)), atol=1e-6
    )


def test_pyramid_model_saves_and_loads(resnet18, tmp_path):
    features = resnet18.get_pyramid_model(["P4", "P5"])
    path = str(tmp_path / "pyramid.keras")
    features.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    images = np.random.default_rng(5).uniform(size=(1, 64, 64, 3)).astype("float32")
    expected, actual = features(images), restored(images)
    for level in ("P4", "P5"):
        np.testing.assert_allclose(actual[level], expected[level], atol=1e-5)


def test_frozen_backbone_config_round_trip(tmp_path):
    model = keras_applications.MobileNetV3Small(
        include_top=False, input_shape=(64, 64, 3)
    )
    model.trainable = False
    clone = keras_applications.MobileNetV3Small.from_config(model.get_config())
    assert not clone.trainable
    assert clone.get_config() == model.get_config()
    assert clone.pyramid_levels == model.pyramid_levels
