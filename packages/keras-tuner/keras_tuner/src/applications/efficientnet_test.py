# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_tuner as kt


def _space(hp, name):
    return next(h for h in hp.space if h.name == name)


def _hypermodel(**kwargs):
    kwargs.setdefault("input_shape", (32, 32, 3))
    kwargs.setdefault("classes", 10)
    return kt.applications.HyperEfficientNet(**kwargs)


def test_hyperparameters_and_defaults_as_in_keras_tuner_1_4():
    hp = kt.HyperParameters()
    model = _hypermodel().build(hp)
    assert hp.values == {
        "version": "B0",
        "pooling": "avg",
        "top_dropout_rate": 0.2,
        "learning_rate": 0.01,
    }
    assert _space(hp, "version").values == [f"B{i}" for i in range(8)]
    assert model.name == "EfficientNet"
    assert model.output_shape == (None, 10)
    # Images are resized to the variant's own size (224 for B0).
    resize = model.get_layer(index=1)
    assert isinstance(resize, keras.layers.Resizing)
    assert resize.output.shape == (None, 224, 224, 3)
    assert model.get_layer("top_dropout").rate == pytest.approx(0.2)
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert float(model.optimizer.momentum) == pytest.approx(0.1)


def test_version_and_pooling_and_eager_call():
    hp = kt.HyperParameters()
    hp.Fixed("version", "B1")
    hp.Fixed("pooling", "max")
    model = _hypermodel(classes=3).build(hp)
    assert model.get_layer(index=1).output.shape == (None, 240, 240, 3)
    assert "max_pool" in {layer.name for layer in model.layers}
    probs = np.asarray(model(np.ones((1, 32, 32, 3), "float32") * 128))
    assert probs.shape == (1, 3)
    np.testing.assert_allclose(probs.sum(), 1.0, rtol=1e-5)


def test_augmentation_model_or_hypermodel_comes_first():
    hp = kt.HyperParameters()
    augment = keras.Sequential([keras.layers.RandomFlip()], name="aug")
    model = _hypermodel(augmentation_model=augment).build(hp)
    assert model.layers[1].name == "aug"

    hp = kt.HyperParameters()
    hyper_augment = kt.applications.HyperImageAugment(
        input_shape=(32, 32, 3), augment_layers=0, contrast=None
    )
    model = _hypermodel(augmentation_model=hyper_augment).build(hp)
    assert model.layers[1].name == "image_augment"
    assert "factor_rotate" in hp.values and "version" in hp.values


def test_compile_model_and_1_4_compile_overrides():
    class Public(kt.applications.HyperEfficientNet):
        def compile_model(self, model, hp):
            model.compile(optimizer=hp.Choice("optimizer", ["adam", "sgd"]), loss="mse")

    class Legacy(kt.applications.HyperEfficientNet):
        def _compile(self, model, hp):
            model.compile(optimizer="rmsprop", loss="mse")

    hp = kt.HyperParameters()
    model = Public(input_shape=(32, 32, 3), classes=2).build(hp)
    assert "learning_rate" not in hp.values and hp.values["optimizer"] == "adam"
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    hp = kt.HyperParameters()
    model = Legacy(input_shape=(32, 32, 3), classes=2).build(hp)
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    assert "learning_rate" not in hp.values


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"classes": None}, "You must specify `classes`"),
        ({"input_shape": None}, "`input_shape`.*or `input_tensor`"),
        ({"augmentation_model": 0}, "augmentation_model=0 \\(of type int\\)"),
        ({"weights": "noisy-student"}, "weights='noisy-student'"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _hypermodel(**kwargs)


@pytest.mark.large
def test_tiny_search(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, size=(4, 32, 32, 3)).astype("float32")
    y = np.eye(2)[[0, 1, 0, 1]].astype("float32")
    hp = kt.HyperParameters()
    hp.Fixed("version", "B0")
    tuner = kt.RandomSearch(
        kt.applications.HyperEfficientNet(input_shape=(32, 32, 3), classes=2),
        hyperparameters=hp,
        objective="loss",
        max_trials=1,
        directory=str(tmp_path),
        seed=0,
    )
    tuner.search(x, y, epochs=1, batch_size=4, verbose=0)
    trial = tuner.oracle.get_best_trials(1)[0]
    assert trial.status == "COMPLETED" and np.isfinite(trial.score)
    assert tuner.get_best_models(1)[0].predict(x, verbose=0).shape == (4, 2)
