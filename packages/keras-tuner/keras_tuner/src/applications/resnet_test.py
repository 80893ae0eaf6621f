# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import keras
import numpy as np
import pytest

import keras_tuner as kt


def _space(hp, name):
    return next(h for h in hp.space if h.name == name)


def _build(hp, **kwargs):
    kwargs.setdefault("input_shape", (32, 32, 3))
    kwargs.setdefault("classes", 10)
    return kt.applications.HyperResNet(**kwargs).build(hp)


def _blocks(model, stage):
    return len(
        {
            layer.name.split("_")[1]
            for layer in model.layers
            if layer.name.startswith(f"conv{stage}_block")
        }
    )


def test_hyperparameters_and_defaults_as_in_keras_tuner_1_4():
    hp = kt.HyperParameters()
    model = _build(hp)
    assert hp.values == {
        "version": "v2",
        "conv3_depth": 4,
        "conv4_depth": 6,
        "pooling": "avg",
        "optimizer": "adam",
        "learning_rate": 0.01,
    }
    assert _space(hp, "conv4_depth").values == [6, 23, 36]
    assert _space(hp, "optimizer").values == ["adam", "rmsprop", "sgd"]
    assert model.name == "ResNet"
    assert model.output_shape == (None, 10)
    # ResNet-50's v2 stages: 3, 4, 6, 3 blocks.
    assert [_blocks(model, s) for s in (2, 3, 4, 5)] == [3, 4, 6, 3]
    assert "post_bn" in {layer.name for layer in model.layers}
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    assert model.loss == "categorical_crossentropy"


@pytest.mark.parametrize("version", ["v1", "v2", "next"])
def test_versions_searched_depths_and_eager_call(version):
    hp = kt.HyperParameters()
    hp.Fixed("version", version)
    hp.Fixed("conv3_depth", 8)
    hp.Fixed("pooling", "max")
    model = _build(hp)
    assert [_blocks(model, s) for s in (2, 3, 4, 5)] == [3, 8, 6, 3]
    names = {layer.name for layer in model.layers}
    assert "max_pool" in names and "avg_pool" not in names
    assert ("post_bn" in names) == (version == "v2")
    if version == "next":
        conv = model.get_layer("conv3_block1_2_conv")
        assert conv.groups == 32
        assert model.get_layer("conv5_block3_out").output.shape[-1] == 2048
    probs = np.asarray(model(np.ones((2, 32, 32, 3), "float32")))
    assert probs.shape == (2, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_include_top_false_returns_pooled_features_uncompiled():
    hp = kt.HyperParameters()
    inputs = keras.Input((32, 32, 3))
    features = keras.layers.Rescaling(1 / 255)(inputs)
    model = _build(hp, input_shape=None, input_tensor=features, include_top=False)
    assert model.inputs == [inputs]
    assert model.output_shape == (None, 2048)
    assert not model.compiled
    assert set(hp.values) == {"version", "conv3_depth", "conv4_depth", "pooling"}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_shape": (32, 32, 3)}, "You must specify `classes`"),
        ({"classes": 10}, "`input_shape`.*or `input_tensor`"),
        ({"input_shape": (32, 32, 3), "classes": 0}, "positive int.*classes=0"),
    ],
)
def test_missing_or_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kt.applications.HyperResNet(**kwargs)


@pytest.mark.large
def test_tiny_search_trains_the_smallest_resnet(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(4, 32, 32, 3)).astype("float32")
    y = np.eye(2)[[0, 1, 0, 1]].astype("float32")
    hp = kt.HyperParameters()
    hp.Fixed("version", "v1")
    hp.Fixed("conv4_depth", 6)
    tuner = kt.RandomSearch(
        kt.applications.HyperResNet(input_shape=(32, 32, 3), classes=2),
        hyperparameters=hp,
        objective="loss",
        max_trials=1,
        directory=str(tmp_path),
        seed=0,
    )
    tuner.search(x, y, epochs=1, batch_size=4, verbose=0)
    trial = tuner.oracle.get_best_trials(1)[0]
    assert trial.status == "COMPLETED" and np.isfinite(trial.score)
    assert trial.hyperparameters.get("version") == "v1"
    best = tuner.get_best_models(1)[0]
    assert best.predict(x, verbose=0).shape == (4, 2)
