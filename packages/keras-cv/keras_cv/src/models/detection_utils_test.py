# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_cv.src.datasets import shapes
from keras_cv.src.models import detection_utils
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.retinanet import RetinaNet


def _archive():
    model = keras.Sequential(
        [keras.Input((None, None, 3))]
        + [keras.layers.Conv2D(4, 3, padding="same") for _ in range(6)]
    )
    archive = keras.export.ExportArchive()
    archive.track(model)

    def serve(images):
        features = model(tf.cast(images, "float32"))
        return {
            "scores": tf.reduce_mean(features, [1, 2]),
            "count": tf.shape(images)[0],
        }

    endpoint = archive.add_endpoint(
        "serve", serve, input_signature=[tf.TensorSpec((None, None, None, 3), tf.uint8)]
    )
    return archive, endpoint


def test_export_summary_is_short(tmp_path, capsys):
    archive, endpoint = _archive()
    detection_utils.write_saved_model(archive, endpoint, str(tmp_path / "a"), True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        f"Saved a TensorFlow SavedModel at {str(tmp_path / 'a')!r}.",
        "Endpoint 'serve' (also 'serving_default'): images uint8 (None, None, None, 3)",
        "  returns count: int32 (), scores: float32 (None, 4)",
    ]
    served = tf.saved_model.load(str(tmp_path / "a"))
    out = served.serve(tf.constant(np.zeros((2, 5, 5, 3), "uint8")))
    assert int(out["count"]) == 2
    # Keras' own verbose listing prints every captured variable (two per
    # layer here; about 150 lines for a detector).
    archive, _ = _archive()
    archive.write_out(str(tmp_path / "b"), verbose=True)
    assert len(capsys.readouterr().out.splitlines()) > len(lines) + 12
    detection_utils.write_saved_model(archive, endpoint, str(tmp_path / "c"), False)
    assert capsys.readouterr().out == ""


class CountingModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)
        self.traces = 0

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.traces += 1
        return super().train_step(data)


def _traces_of_first_fit(prebuild):
    model = CountingModel()
    model(np.zeros((1, 3), "float32"))
    model.compile(optimizer="adam", loss="mse")
    if prebuild:
        detection_utils.build_optimizer(model)
    x = np.zeros((4, 3), "float32")
    model.fit(x, np.zeros((4, 2), "float32"), epochs=1, batch_size=4, verbose=0)
    return model.traces


def test_building_the_optimizer_first_traces_the_train_step_once():
    # Keras creates the optimizer's variables inside the first trace, and
    # tf.function traces again (a detector's first epoch paid this twice).
    assert _traces_of_first_fit(prebuild=False) == 2
    assert _traces_of_first_fit(prebuild=True) == 1


def test_build_optimizer_of_a_model_compiled_in_a_strategy_scope():
    # Before: fit outside `with strategy.scope()` (as Keras allows) raised
    # "RuntimeError: Need to be inside with strategy.scope()".
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = CountingModel()
        model(np.zeros((1, 3), "float32"))
        model.compile(optimizer="adam", loss="mse")
    detection_utils.build_optimizer(model)
    assert model.optimizer.built
    for variable in model.optimizer.variables:
        assert strategy.extended.variable_created_in_scope(variable.value)
    x = np.zeros((4, 3), "float32")
    model.fit(x, np.zeros((4, 2), "float32"), epochs=1, batch_size=4, verbose=0)
    assert model.traces == 1


def test_build_optimizer_leaves_unbuilt_and_uncompiled_models_alone():
    model = CountingModel()
    detection_utils.build_optimizer(model)  # not compiled: nothing to do
    model.compile(optimizer="adam", loss="mse")
    detection_utils.build_optimizer(model)  # not built: Keras builds later
    assert not model.optimizer.built


def test_build_optimizer_creates_variables_in_the_models_strategy():
    # Faster R-CNN's and DeepLab's `fit` call build_optimizer outside any
    # scope; under a MirroredStrategy the optimizer then refused to create
    # its variables ("Need to be inside `with strategy.scope()`").
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = CountingModel()
        model(np.zeros((1, 3), "float32"))
        model.compile(optimizer="adam", loss="mse")
    detection_utils.build_optimizer(model)
    assert model.optimizer.built
    model.fit(np.zeros((2, 3), "float32"), np.zeros((2, 2), "float32"), verbose=0)


@pytest.mark.large
@pytest.mark.parametrize("cls", [RetinaNet, FasterRCNN])
def test_detector_first_fit_traces_the_train_step_once(cls, monkeypatch):
    traces = []
    original = cls.train_step

    def counting(self, data):
        traces.append(1)
        return original(self, data)

    monkeypatch.setattr(cls, "train_step", counting)
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = cls(backbone, num_classes=3)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    data = shapes.generate(4, image_size=64, seed=0, min_size=0.25, max_size=0.5)
    targets = {"boxes": data["boxes"], "labels": data["labels"]}
    model.fit(data["images"].astype("float32"), targets, batch_size=4, verbose=0)
    assert len(traces) == 1
