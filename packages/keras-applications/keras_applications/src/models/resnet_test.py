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

    @pytest.mark.large
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


def test_resnet50_torchvision_variant():
    model = keras_applications.ResNet50(
        include_top=False, input_shape=(None, None, 3), variant="torchvision"
    )
    # torchvision's resnet50 has 25,557,032 parameters, 2,049,000 of them in
    # its classifier; batch-norm statistics are buffers there.
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == 25_557_032 - 2_049_000
    layers = {layer.name: layer for layer in model._flatten_layers(include_self=False)}
    block = layers["conv3_block1"]
    convs = {layer.name: layer for layer in block.branch_layers}
    # ResNet v1.5: the 3x3 convolution strides, over a symmetric padding.
    assert convs["conv3_block1_1_conv"].strides == (1, 1)
    assert convs["conv3_block1_2_conv"].strides == (2, 2)
    assert convs["conv3_block1_2_conv"].padding == "valid"
    assert not convs["conv3_block1_2_conv"].use_bias
    assert layers["conv1_bn"].epsilon == 1e-5
    config = model.get_config()
    assert config["variant"] == "torchvision"
    restored = keras_applications.ResNet50.from_config(config)
    x = np.random.default_rng(0).uniform(size=(1, 64, 96, 3)).astype("float32")
    restored.set_weights(model.get_weights())
    np.testing.assert_allclose(restored(x), model(x), atol=1e-5)
    # Default configs do not gain the new keys.
    default = keras_applications.ResNet18(include_top=False).get_config()
    assert "variant" not in default and "batch_norm_epsilon" not in default


def test_resnet_variant_errors():
    with pytest.raises(ValueError, match="`variant` of ResNet18 must be one of"):
        keras_applications.ResNet18(include_top=False, variant="caffe")
    with pytest.raises(ValueError, match="ResNet50V2 has no torchvision variant"):
        keras_applications.ResNet50V2(include_top=False, variant="torchvision")
    with pytest.raises(ValueError, match="`batch_norm_epsilon` of BottleneckBlock"):
        keras_applications.ResNet50(include_top=False, batch_norm_epsilon=-1.0)
    model = keras_applications.ResNet18(
        include_top=False, variant="torchvision", batch_norm_epsilon=0.0
    )
    assert model.get_layer("conv1_bn").epsilon == 0.0
