# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_tuner as kt


def _build(hp, **kwargs):
    kwargs.setdefault("input_shape", (32, 32, 3))
    kwargs.setdefault("classes", 10)
    return kt.applications.HyperXception(**kwargs).build(hp)


def _count(model, kind):
    return sum(type(layer).__name__ == kind for layer in model.layers)


def test_hyperparameters_and_defaults_as_in_keras_tuner_1_4():
    hp = kt.HyperParameters()
    model = _build(hp)
    assert hp.values == {
        "activation": "relu",
        "conv2d_num_filters": 64,
        "kernel_size": 3,
        "initial_strides": 2,
        "sep_num_filters": 256,
        "num_residual_blocks": 4,
        "pooling": "avg",
        "num_dense_layers": 1,
        "dropout_rate": 0.5,
        "dense_use_bn": True,
        "learning_rate": 1e-3,
    }
    assert model.name == "Xception"
    assert model.output_shape == (None, 10)
    # 4 middle blocks + 1 exit block, two separable convolutions each.
    assert _count(model, "SeparableConv2D") == 10
    assert _count(model, "MaxPooling2D") == 1
    # Entry conv at stride 2, exit block halves again: 32 -> 16 -> 8.
    pooled = [layer for layer in model.layers if "Global" in type(layer).__name__]
    assert pooled[0].input.shape == (None, 8, 8, 512)
    assert isinstance(model.optimizer, keras.optimizers.Adam)


def test_selu_flatten_two_dense_layers_and_eager_call():
    hp = kt.HyperParameters()
    hp.Fixed("activation", "selu")
    hp.Fixed("pooling", "flatten")
    hp.Fixed("num_dense_layers", 2)
    hp.Fixed("num_residual_blocks", 2)
    model = _build(hp)
    assert _count(model, "BatchNormalization") == 0  # SELU self-normalises
    assert _count(model, "Flatten") == 1
    assert _count(model, "Dense") == 3
    assert _count(model, "Dropout") == 2
    assert model.layers[1].activation.__name__ == "selu"
    probs = np.asarray(model(np.ones((2, 32, 32, 3), "float32")))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_include_top_false_is_uncompiled_and_keeps_input_tensor():
    hp = kt.HyperParameters()
    hp.Fixed("pooling", "max")
    inputs = keras.Input((32, 32, 3))
    model = _build(hp, input_shape=None, input_tensor=inputs, include_top=False)
    assert model.inputs == [inputs]
    assert model.output_shape == (None, 512)
    assert not model.compiled
    assert "num_dense_layers" not in hp.values


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_shape": (32, 32, 3)}, "You must specify `classes`"),
        ({"classes": 10}, "`input_shape`.*or `input_tensor`"),
    ],
)
def test_missing_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kt.applications.HyperXception(**kwargs)


@pytest.mark.large
def test_tiny_search(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(4, 32, 32, 3)).astype("float32")
    y = np.eye(2)[[0, 1, 0, 1]].astype("float32")
    hp = kt.HyperParameters()
    hp.Fixed("sep_num_filters", 128)
    hp.Fixed("num_residual_blocks", 2)
    tuner = kt.RandomSearch(
        kt.applications.HyperXception(input_shape=(32, 32, 3), classes=2),
        hyperparameters=hp,
        objective="loss",
        max_trials=2,
        directory=str(tmp_path),
        seed=0,
    )
    tuner.search(x, y, epochs=1, batch_size=4, verbose=0)
    trials = tuner.oracle.get_best_trials(2)
    assert [t.status for t in trials] == ["COMPLETED", "COMPLETED"]
    assert tuner.get_best_models(1)[0].predict(x, verbose=0).shape == (4, 2)
