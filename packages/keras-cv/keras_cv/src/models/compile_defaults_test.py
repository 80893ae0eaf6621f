# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A model compiled with every default loads compiled (found under
tf.distribute: `compile()` recorded no arguments, an empty compile config,
which Keras does not replay)."""

import os

import keras
import numpy as np

import keras_applications
from keras_cv.src.models.retinanet import RetinaNet


def test_compile_with_defaults_survives_save_and_load(tmp_path):
    model = RetinaNet(
        keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3)),
        num_classes=2,
        max_level=5,
        fpn_filters=4,
        head_filters=4,
        head_depth=1,
    )
    model.compile()
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.compiled
    assert isinstance(loaded.optimizer, keras.optimizers.Adam)
    assert np.isclose(loaded.optimizer.global_clipnorm, 10.0)
    assert loaded.box_loss_weight == 1.0
