# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_applications
from keras_applications.src.models.weights_test import assert_loads_keras_applications
from keras_core.testing import TestCase


@pytest.mark.large
def test_b0_loads_keras3_weights_of_keras_applications(tmp_path):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.EfficientNetB0,
        keras_applications.EfficientNetB0,
        include_top=False,
        input_shape=(64, 64, 3),
    )


@pytest.mark.large
class EfficientNetTest(TestCase):
    def test_model_contract(self):
        model = keras_applications.EfficientNetB0(
            include_top=False, pooling="avg", input_shape=(64, 64, 3)
        )
        images = (
            np.random.default_rng(0)
            .uniform(0, 255, size=(2, 64, 64, 3))
            .astype("float32")
        )
        self.run_model_test(model, images, expected_output_shape=(2, 1280))


@pytest.mark.large
@pytest.mark.parametrize("variant", ["B1", "B2", "B3"])
def test_scaled_variants_match_keras_applications(tmp_path, variant):
    assert_loads_keras_applications(
        tmp_path,
        getattr(keras.applications, f"EfficientNet{variant}"),
        getattr(keras_applications, f"EfficientNet{variant}"),
        include_top=False,
        input_shape=(64, 64, 3),
    )


@pytest.mark.large
def test_b0_with_classifier_loads_legacy_file(tmp_path):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.EfficientNetB0,
        keras_applications.EfficientNetB0,
        legacy=True,
        classes=3,
    )
