# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""weights="imagenet" against a local HTTP server serving keras.applications-style files."""

import hashlib
import os

import keras
import numpy as np
import pytest
from keras.src.applications import efficientnet as keras_efficientnet
from keras.src.applications import mobilenet_v2 as keras_mobilenet_v2
from keras.src.applications import mobilenet_v3 as keras_mobilenet_v3
from keras.src.applications import resnet as keras_resnet

import keras_applications
from keras_applications.src.models import imagenet
from keras_applications.src.models.weights_test import save_legacy_h5
from keras_core.testing import LocalHubServer


def test_urls_and_hashes_are_the_ones_keras_applications_publishes():
    assert (
        imagenet.GOOGLE_STORAGE + imagenet._RESNET_BASE
        == keras_resnet.BASE_WEIGHTS_PATH
    )
    assert (
        imagenet.GOOGLE_STORAGE + imagenet._MOBILENET_V2_BASE
        == keras_mobilenet_v2.BASE_WEIGHT_PATH
    )
    assert (
        imagenet.GOOGLE_STORAGE + imagenet._MOBILENET_V3_BASE
        == keras_mobilenet_v3.BASE_WEIGHT_PATH
    )
    assert (
        imagenet.GOOGLE_STORAGE + imagenet._EFFICIENTNET_BASE
        == keras_efficientnet.BASE_WEIGHTS_PATH
    )
    for key, hashes in imagenet.RESNET_HASHES.items():
        assert keras_resnet.WEIGHTS_HASHES[key] == hashes
    assert imagenet.MOBILENET_V3_HASHES == keras_mobilenet_v3.WEIGHTS_HASHES
    for key, hashes in imagenet.EFFICIENTNET_HASHES.items():
        assert keras_efficientnet.WEIGHTS_HASHES[key] == hashes


@pytest.mark.parametrize(
    "cls, kwargs, path",
    [
        (
            keras_applications.ResNet50V2,
            {"include_top": False},
            "resnet/resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            keras_applications.MobileNetV2,
            {"include_top": False, "alpha": 0.35, "input_shape": (128, 128, 3)},
            "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_128_no_top.h5",
        ),
        (
            keras_applications.MobileNetV2,
            {"alpha": 1.4},
            "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.4_224.h5",
        ),
        (
            keras_applications.MobileNetV3Large,
            {"minimalistic": True},
            "mobilenet_v3/weights_mobilenet_v3_large_minimalistic_224_1.0_float.h5",
        ),
        (
            keras_applications.MobileNetV3Small,
            {"include_top": False, "alpha": 0.75},
            "mobilenet_v3/weights_mobilenet_v3_small_224_0.75_float_no_top_v2.h5",
        ),
    ],
)
def test_file_names_follow_keras_applications(cls, kwargs, path):
    model = cls(**kwargs)
    name, _ = imagenet.weights_file(model)
    assert name == "/tensorflow/keras-applications/" + path


def test_efficientnet_file_names():
    model = keras_applications.EfficientNetB1(include_top=False)
    assert imagenet.weights_file(model) == (
        "/keras-applications/efficientnetb1_notop.h5",
        imagenet.EFFICIENTNET_HASHES["b1"][1],
    )


def test_models_without_published_weights_are_refused_clearly():
    with pytest.raises(
        ValueError, match="publishes no ImageNet weights for this depth"
    ):
        keras_applications.ResNet18(weights="imagenet")
    with pytest.raises(ValueError, match="needs classes=1000"):
        keras_applications.ResNet50(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match=r"alpha in \(0.35"):
        keras_applications.MobileNetV2(weights="imagenet", alpha=0.6, include_top=False)
    with pytest.raises(ValueError, match="alpha 0.75 and 1.0"):
        keras_applications.MobileNetV3Small(
            weights="imagenet", alpha=0.75, minimalistic=True, include_top=False
        )


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with LocalHubServer() as server:
        monkeypatch.setenv(imagenet.MIRROR_VARIABLE, server.url + "/files")
        yield server


def _serve_mobilenet_v3_small(server, tmp_path, monkeypatch, include_top):
    """Serves a keras.applications-style file and publishes its md5 in our table."""
    peer = keras.applications.MobileNetV3Small(weights=None, include_top=include_top)
    # Non-trivial BatchNormalization statistics, so that loading them matters.
    for layer in peer.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.moving_mean.assign(
                np.random.uniform(-0.1, 0.1, layer.moving_mean.shape)
            )
            layer.moving_variance.assign(
                np.random.uniform(0.5, 1.5, layer.moving_variance.shape)
            )
    local = tmp_path / "served.h5"
    save_legacy_h5(peer, str(local))
    content = local.read_bytes()
    md5 = hashlib.md5(content).hexdigest()
    key = "small_224_1.0_float"
    top, notop = imagenet.MOBILENET_V3_HASHES[key]
    monkeypatch.setitem(
        imagenet.MOBILENET_V3_HASHES, key, (md5, notop) if include_top else (top, md5)
    )
    name = f"weights_mobilenet_v3_{key}" + (".h5" if include_top else "_no_top_v2.h5")
    server.add_url_file(f"tensorflow/keras-applications/mobilenet_v3/{name}", content)
    return name


@pytest.mark.parametrize("include_top", [True, False])
def test_imagenet_weights_download_load_and_cache(
    mirror, tmp_path, monkeypatch, include_top
):
    name = _serve_mobilenet_v3_small(mirror, tmp_path, monkeypatch, include_top)
    ours = keras_applications.MobileNetV3Small(
        weights="imagenet", include_top=include_top
    )
    cached = tmp_path / "keras_home" / "models" / name
    assert cached.is_file()
    assert [r["path"] for r in mirror.requests] == [
        f"/files/tensorflow/keras-applications/mobilenet_v3/{name}"
    ]
    reference = keras.applications.MobileNetV3Small(
        weights=str(cached), include_top=include_top
    )
    images = np.random.uniform(0, 255, (2, 224, 224, 3)).astype("float32")
    np.testing.assert_allclose(
        ours(images, training=False),
        reference(images, training=False),
        atol=1e-5,
        rtol=1e-5,
    )
    # Cached: a second model makes no request, also offline.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = keras_applications.MobileNetV3Small(
        weights="imagenet", include_top=include_top
    )
    assert len(mirror.requests) == 1
    for a, b in zip(again.get_weights(), ours.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_imagenet_hash_mismatch_and_offline_without_cache(
    mirror, tmp_path, monkeypatch
):
    name = _serve_mobilenet_v3_small(mirror, tmp_path, monkeypatch, include_top=False)
    expected = imagenet.MOBILENET_V3_HASHES["small_224_1.0_float"][1]
    mirror.corrupt(f"/files/tensorflow/keras-applications/mobilenet_v3/{name}")
    with pytest.raises(ValueError, match=f"'{name}'.*expected {expected}"):
        keras_applications.MobileNetV3Small(weights="imagenet", include_top=False)
    assert not os.path.exists(tmp_path / "keras_home" / "models" / name)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(FileNotFoundError) as info:
        keras_applications.MobileNetV3Small(weights="imagenet", include_top=False)
    message = str(info.value)
    assert f"/files/tensorflow/keras-applications/mobilenet_v3/{name}" in message
    assert str(tmp_path / "keras_home" / "models" / name) in message


@pytest.mark.large  # two ResNet50s and a 94 MB file
def test_resnet50_imagenet_matches_keras_applications(mirror, tmp_path, monkeypatch):
    peer = keras.applications.ResNet50(weights=None, include_top=False)
    local = tmp_path / "served.h5"
    save_legacy_h5(peer, str(local))
    content = local.read_bytes()
    top, _ = imagenet.RESNET_HASHES["resnet50"]
    monkeypatch.setitem(
        imagenet.RESNET_HASHES, "resnet50", (top, hashlib.md5(content).hexdigest())
    )
    name = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"
    mirror.add_url_file(f"tensorflow/keras-applications/resnet/{name}", content)
    ours = keras_applications.ResNet50(
        weights="imagenet", include_top=False, pooling="avg"
    )
    reference = keras.applications.ResNet50(
        weights=str(tmp_path / "keras_home" / "models" / name),
        include_top=False,
        pooling="avg",
    )
    images = np.random.uniform(-1, 1, (2, 64, 64, 3)).astype("float32")
    np.testing.assert_allclose(
        ours(images, training=False), reference(images, training=False), atol=1e-4
    )
