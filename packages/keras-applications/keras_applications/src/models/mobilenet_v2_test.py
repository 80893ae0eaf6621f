# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_applications
from keras_applications.src.models.weights_test import assert_loads_keras_applications
from keras_core.testing import TestCase


class MobileNetV2Test(TestCase):
    def test_model_contract(self):
        model = keras_applications.MobileNetV2(
            include_top=False, input_shape=(64, 64, 3), alpha=0.35
        )
        images = np.random.default_rng(0).uniform(size=(2, 64, 64, 3)).astype("float32")
        self.run_model_test(model, images, expected_output_shape=(2, 2, 2, 1280))


def test_loads_keras_applications_legacy_file_with_classifier(tmp_path):
    # The layout of keras.applications' cached ImageNet files (name-keyed HDF5).
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.MobileNetV2,
        keras_applications.MobileNetV2,
        legacy=True,
        classes=5,
    )


def test_loads_keras3_weights_of_keras_applications(tmp_path):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.MobileNetV2,
        keras_applications.MobileNetV2,
        include_top=False,
        input_shape=(64, 64, 3),
        alpha=0.5,
    )


@pytest.mark.large
@pytest.mark.parametrize("alpha", [0.75, 1.4])
def test_width_multipliers_match_keras_applications(tmp_path, alpha):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.MobileNetV2,
        keras_applications.MobileNetV2,
        include_top=False,
        input_shape=(96, 96, 3),
        alpha=alpha,
    )
