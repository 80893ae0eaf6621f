# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_applications
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.fine_tuning import replace_classification_head
from keras_cv.src.models.mask_rcnn import MaskRCNN
from keras_cv.src.models.retinanet import RetinaNet


def _tiny_backbone():
    return keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))


def _randomize(model):
    """Moves every weight a little (so that copies are recognisable)."""
    rng = np.random.default_rng(0)
    for weight in model.weights:
        if weight.dtype.startswith("float"):
            value = keras.ops.convert_to_numpy(weight)
            weight.assign(
                (value * rng.uniform(0.9, 1.1, value.shape)).astype("float32")
            )


def _retinanet():
    return RetinaNet(
        _tiny_backbone(),
        num_classes=5,
        max_level=5,
        fpn_filters=8,
        head_filters=8,
        head_depth=1,
        image_resize=(48, 80),
        normalization="imagenet",
        score_threshold=0.2,
    )


def _faster_rcnn():
    return FasterRCNN(
        _tiny_backbone(),
        num_classes=5,
        fpn_filters=8,
        head_units=16,
        num_proposals=16,
        test_num_proposals=16,
        seed=1,
    )


def _mask_rcnn():
    return MaskRCNN(
        _tiny_backbone(),
        num_classes=5,
        fpn_filters=8,
        head_units=16,
        mask_filters=8,
        num_proposals=16,
        test_num_proposals=16,
        max_detections=4,
        seed=1,
    )


def _by_path(model):
    return {w.path: keras.ops.convert_to_numpy(w) for w in model.weights}


@pytest.mark.parametrize(
    "build",
    [
        _retinanet,
        # Two-stage models: ~10 s each on an idle machine, twice that loaded.
        pytest.param(_faster_rcnn, marks=pytest.mark.large),
        pytest.param(_mask_rcnn, marks=pytest.mark.large),
    ],
    ids=["ret", "frcnn", "mask"],
)
def test_keeps_every_weight_but_the_class_outputs(build):
    old = build()
    _randomize(old)
    before = _by_path(old)
    new = replace_classification_head(old, num_classes=2)
    assert type(new) is type(old) and new.num_classes == 2 and old.num_classes == 5
    assert new.get_config() == {**old.get_config(), "num_classes": 2}
    changed = []
    for old_w, new_w in zip(old.weights, new.weights):
        value = keras.ops.convert_to_numpy(new_w)
        if tuple(old_w.shape) == tuple(new_w.shape):
            np.testing.assert_array_equal(value, before[old_w.path])
        else:
            changed.append(new_w.path)
    assert changed
    if isinstance(old, RetinaNet):
        output = new.get_layer("classification_head").output_conv
        assert changed == [w.path for w in output.weights]
        # Freshly initialised: the prior probability 0.01 of the paper.
        np.testing.assert_allclose(output.bias.numpy(), -np.log(99.0), rtol=1e-6)
    else:
        roi = old.roi_head
        expected = (
            roi.get_layer("classification").weights + roi.get_layer("box").weights
        )
        if isinstance(old, MaskRCNN):
            expected += old.mask_head.get_layer("mask_logits").weights
        assert sorted(changed) == sorted(w.path for w in expected)
    # The original model is untouched.
    for path, value in _by_path(old).items():
        np.testing.assert_array_equal(value, before[path])
    images = np.random.default_rng(1).uniform(0, 255, (1, 64, 96, 3))
    detections = new.predict_on_batch(images.astype("float32"))
    labels = np.asarray(detections["labels"])
    assert labels.max() < 2


@pytest.mark.large  # ~20 s on the shared machine
def test_fine_tuned_retinanet_trains_with_a_frozen_backbone():
    old = _retinanet()
    new = replace_classification_head(old, 2, freeze_backbone=True)
    assert new.backbone.trainable_weights == []
    assert old.backbone.trainable  # only the copy is frozen
    new.compile(optimizer=keras.optimizers.Adam(1e-3))
    before = _by_path(new.backbone)
    images = np.full((2, 64, 64, 3), 100.0, "float32")
    targets = {
        "boxes": np.array([[[8, 8, 40, 40]], [[10, 20, 60, 50]]], "float32"),
        "labels": np.array([[0], [1]], "int32"),
    }
    history = new.fit(images, targets, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    for path, value in _by_path(new.backbone).items():
        np.testing.assert_array_equal(value, before[path])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(num_classes=0), ValueError, "Received: num_classes=0"),
        (dict(num_classes=2.0), TypeError, "Received: num_classes=2.0"),
        (dict(num_classes=True), TypeError, "positive int"),
        (dict(num_classes=2, freeze_backbone="yes"), TypeError, "freeze_backbone"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        replace_classification_head(None, **kwargs)


def test_a_model_that_is_not_a_detector_is_refused():
    with pytest.raises(TypeError, match="Received: Sequential"):
        replace_classification_head(keras.Sequential([keras.layers.Dense(2)]), 2)
