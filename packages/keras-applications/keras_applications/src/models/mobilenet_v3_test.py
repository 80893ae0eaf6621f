# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_applications
from keras_applications.src.models.weights_test import assert_loads_keras_applications
from keras_core.testing import TestCase


class MobileNetV3Test(TestCase):
    def test_model_contract(self):
        model = keras_applications.MobileNetV3Small(
            include_top=False, pooling="avg", input_shape=(64, 64, 3)
        )
        images = (
            np.random.default_rng(0)
            .uniform(0, 255, size=(2, 64, 64, 3))
            .astype("float32")
        )
        self.run_model_test(model, images, expected_output_shape=(2, 576))


def test_small_loads_keras3_weights_of_keras_applications(tmp_path):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.MobileNetV3Small,
        keras_applications.MobileNetV3Small,
        include_top=False,
        input_shape=(64, 64, 3),
    )


@pytest.mark.large
@pytest.mark.parametrize("minimalistic", [False, True])
def test_large_with_classifier_loads_keras3_weights(tmp_path, minimalistic):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.MobileNetV3Large,
        keras_applications.MobileNetV3Large,
        classes=10,
        minimalistic=minimalistic,
    )


def test_torchvision_variant_config_round_trip_and_errors():
    model = keras_applications.MobileNetV3Small(
        include_top=False,
        input_shape=(None, None, 3),
        variant="torchvision",
        batch_norm_epsilon=1e-5,
    )
    config = model.get_config()
    assert config["variant"] == "torchvision" and config["batch_norm_epsilon"] == 1e-5
    again = keras_applications.MobileNetV3Small.from_config(config)
    assert again.get_layer("conv_bn").epsilon == 1e-5
    assert again.get_layer("conv_pad") is not None
    # The default variant writes neither key (configs saved before load).
    plain = keras_applications.MobileNetV3Small(
        include_top=False, input_shape=(32, 32, 3)
    )
    assert "variant" not in plain.get_config()
    assert "batch_norm_epsilon" not in plain.get_config()
    with pytest.raises(ValueError, match="Received: variant='pytorch'"):
        keras_applications.MobileNetV3Small(variant="pytorch")
    with pytest.raises(ValueError, match="alpha=0.75"):
        keras_applications.MobileNetV3Small(variant="torchvision", alpha=0.75)
    with pytest.raises(ValueError, match="weights='imagenet'"):
        keras_applications.MobileNetV3Small(variant="torchvision", weights="imagenet")
    with pytest.raises(ValueError, match="batch_norm_epsilon=-1"):
        keras_applications.MobileNetV3Small(batch_norm_epsilon=-1)


def test_torchvision_variant_normalises_with_imagenet_statistics():
    model = keras_applications.MobileNetV3Small(
        include_top=False, input_shape=(None, None, 3), variant="torchvision"
    )
    layer = model.get_layer("normalization")
    pixel = np.array([[[[255.0, 0.0, 127.5]]]], "float32")
    expected = (pixel / 255.0 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(layer(pixel)), expected, rtol=1e-5, atol=1e-5
    )
