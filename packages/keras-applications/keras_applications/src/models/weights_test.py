# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Weight loading: our files, keras.applications' Keras 3 and legacy files."""

import h5py
import keras
import numpy as np
import pytest
from keras.src.legacy.saving import legacy_h5_format

import keras_applications


def randomize_weights(model, seed=0):
    """Non-trivial weights (BN statistics included) with moderate outputs."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        if w.path.endswith("count"):
            continue
        if "variance" in w.path or "gamma" in w.path:
            value = rng.uniform(0.5, 1.5, w.shape)
        else:
            value = rng.normal(0.0, 0.05, w.shape)
        w.assign(value.astype(w.dtype))


def save_legacy_h5(model, path):
    """Writes the name-keyed HDF5 layout of keras.applications' cached files."""
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


def assert_loads_keras_applications(
    tmp_path, peer_cls, ours_cls, legacy=False, images=None, **kwargs
):
    """Saves a keras.applications model's weights, loads them into ours, compares."""
    peer = peer_cls(weights=None, **kwargs)
    randomize_weights(peer)
    if legacy:
        path = str(tmp_path / "peer.h5")
        save_legacy_h5(peer, path)
    else:
        path = str(tmp_path / "peer.weights.h5")
        peer.save_weights(path)
    ours = ours_cls(weights=path, **kwargs)
    if images is None:
        shape = kwargs.get("input_shape") or (224, 224, 3)
        images = (
            np.random.default_rng(1)
            .uniform(0, 255, (2,) + tuple(shape))
            .astype("float32")
        )
    expected = np.asarray(peer(images))
    actual = np.asarray(ours(images))
    assert np.abs(expected).max() > 1e-3  # the comparison is not vacuous
    np.testing.assert_allclose(actual, expected, atol=1e-5, rtol=1e-5)
    return ours


@pytest.mark.large
def test_resnet50_loads_legacy_cached_file_layout(tmp_path):
    assert_loads_keras_applications(
        tmp_path,
        keras.applications.ResNet50,
        keras_applications.ResNet50,
        legacy=True,
        include_top=False,
        input_shape=(64, 64, 3),
        pooling="avg",
    )


def test_own_weights_round_trip(tmp_path):
    model = keras_applications.ResNet18(include_top=False, input_shape=(64, 64, 3))
    randomize_weights(model, seed=3)
    path = str(tmp_path / "ours.weights.h5")
    model.save_weights(path)
    restored = keras_applications.ResNet18(
        include_top=False, input_shape=(64, 64, 3), weights=path
    )
    images = np.random.default_rng(0).uniform(size=(1, 64, 64, 3)).astype("float32")
    np.testing.assert_allclose(restored(images), model(images), atol=1e-6)


def test_own_file_of_another_architecture_is_refused(tmp_path):
    path = str(tmp_path / "r18.weights.h5")
    keras_applications.ResNet18(
        include_top=False, input_shape=(64, 64, 3)
    ).save_weights(path)
    with pytest.raises(
        ValueError, match="not saved from ResNet34.*another architecture"
    ):
        keras_applications.ResNet34(include_top=False, weights=path)


def test_keras_applications_file_of_another_architecture_is_refused(tmp_path):
    peer = keras.applications.MobileNetV3Small(
        weights=None, include_top=False, input_shape=(64, 64, 3)
    )
    path = str(tmp_path / "mnv3.weights.h5")
    peer.save_weights(path)
    with pytest.raises(
        ValueError, match="fits neither MobileNetV2.*keras.applications.MobileNetV2"
    ):
        keras_applications.MobileNetV2(include_top=False, weights=path)
    legacy = str(tmp_path / "mnv3.h5")
    save_legacy_h5(peer, legacy)
    with pytest.raises(
        ValueError, match="does not fit MobileNetV2.*missing from the file.*Conv1"
    ):
        keras_applications.MobileNetV2(include_top=False, weights=legacy)


def test_other_classes_count_is_refused(tmp_path):
    peer = keras.applications.MobileNetV2(weights=None, classes=10)
    legacy = str(tmp_path / "mnv2_top.h5")
    save_legacy_h5(peer, legacy)
    with pytest.raises(ValueError, match="predictions: expected .*1000.*file has .*10"):
        keras_applications.MobileNetV2(weights=legacy)


def test_weights_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="publishes no ImageNet weights"):
        keras_applications.ResNet18(weights="imagenet")
    with pytest.raises(ValueError, match="existing local weights file"):
        keras_applications.ResNet18(weights=str(tmp_path / "missing.weights.h5"))
    other = tmp_path / "notes.txt"
    other.write_text("not weights")
    with pytest.raises(ValueError, match="Cannot read weights file"):
        keras_applications.ResNet18(include_top=False, weights=str(other))
