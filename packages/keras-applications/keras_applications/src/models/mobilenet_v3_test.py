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
