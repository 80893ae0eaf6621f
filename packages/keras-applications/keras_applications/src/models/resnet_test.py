# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_applications
from keras_applications.src.models.weights_test import assert_loads_keras_applications
from keras_core.testing import TestCase

# Stage depths from Table 1 of He et al. 2015: (block, blocks per stage).
TABLE_1 = {
    18: ("residual_block", [2, 2, 2, 2]),
    34: ("residual_block", [3, 4, 6, 3]),
    50: ("bottleneck_block", [3, 4, 6, 3]),
    101: ("bottleneck_block", [3, 4, 23, 3]),
    152: ("bottleneck_block", [3, 8, 36, 3]),
}


def _blocks_per_stage(model):
    counts = [0, 0, 0, 0]
    for layer in model.layers:
        if layer.name.startswith("conv") and "_block" in layer.name:
            counts[int(layer.name[4]) - 2] += 1
    return counts


class ResNetTest(TestCase):
    def test_model_contract(self):
        model = keras_applications.ResNet18(
            include_top=False, pooling="avg", input_shape=(64, 64, 3)
        )
        images = np.random.default_rng(0).uniform(size=(2, 64, 64, 3)).astype("float32")
        self.run_model_test(model, images, expected_output_shape=(2, 512))

    def test_resnet18_and_34_follow_table_1(self):
        for depth in (18, 34):
            for suffix in ("", "V2"):
                model = getattr(keras_applications, f"ResNet{depth}{suffix}")(
                    include_top=False
                )
                self.assertEqual(_blocks_per_stage(model), TABLE_1[depth][1])
                self.assertEqual(model.output.shape[-1], 512)

    def test_resnet18_parameter_count(self):
        # He et al. report 11.7M parameters for ResNet-18 (1000 classes);
        # with the bias of every convolution (Keras layout) it is 11.70M.
        model = keras_applications.ResNet18()
        self.assertAlmostEqual(model.count_params() / 1e6, 11.7, delta=0.05)

    def test_resnet50_loads_keras_applications_weights(self):
        assert_loads_keras_applications(
            self._tmp_path(),
            keras.applications.ResNet50,
            keras_applications.ResNet50,
            include_top=False,
            input_shape=(64, 64, 3),
        )

    def _tmp_path(self):
        import pathlib

        return pathlib.Path(self.get_temp_dir())


@pytest.mark.large
@pytest.mark.parametrize("depth", [50, 101, 152])
@pytest.mark.parametrize("v2", [False, True])
def test_deep_resnets_match_keras_applications(tmp_path, depth, v2):
    name = f"ResNet{depth}" + ("V2" if v2 else "")
    model = assert_loads_keras_applications(
        tmp_path,
        getattr(keras.applications, name),
        getattr(keras_applications, name),
        include_top=False,
        input_shape=(64, 64, 3),
    )
    assert _blocks_per_stage(model) == TABLE_1[depth][1]


@pytest.mark.large
def test_resnet50_with_classifier_loads_legacy_file(tmp_path):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.ResNet50,
        keras_applications.ResNet50,
        legacy=True,
        classes=10,
        classifier_activation=None,
    )
