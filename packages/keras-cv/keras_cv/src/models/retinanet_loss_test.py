# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RetinaNet's loss against a hand-computed focal loss and smooth L1."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_cv.src.losses.box_losses import SmoothL1Loss
from keras_cv.src.losses.focal_loss import FocalLoss
from keras_cv.src.models.retinanet import RetinaNet


def _backbone():
    inputs = keras.Input((None, None, 3))
    x = inputs
    pyramid = {}
    for level in range(1, 6):
        x = keras.layers.Conv2D(4, 3, strides=2, padding="same")(x)
        if level >= 3:
            pyramid[f"P{level}"] = x
    return keras_applications.Backbone(inputs, x, pyramid)


def _expected(targets, raw, box_loss_weight):
    """Focal loss (alpha 0.25, gamma 2) summed over classes, smooth L1
    (delta 1) summed over coordinates, both over anchors, divided by the
    number of positive anchors: written out in NumPy."""
    class_targets, box_targets, class_weights, box_weights = (
        np.asarray(t, "float64") for t in targets
    )
    logits = np.asarray(raw["classification"], "float64")
    offsets = np.asarray(raw["box"], "float64")
    p = 1.0 / (1.0 + np.exp(-logits))
    p_t = np.where(class_targets == 1, p, 1.0 - p)
    alpha_t = np.where(class_targets == 1, 0.25, 0.75)
    focal = -alpha_t * (1.0 - p_t) ** 2 * np.log(p_t)
    diff = np.abs(box_targets - offsets)
    smooth = np.where(diff < 1.0, 0.5 * diff**2, diff - 0.5)
    positives = max(box_weights.sum(), 1.0)
    cls = (focal.sum(-1) * class_weights).sum() / positives
    box = (smooth.sum(-1) * box_weights).sum() / positives
    return cls + box_loss_weight * box


@pytest.fixture(scope="module")
def model_and_batch():
    keras.utils.set_random_seed(3)
    model = RetinaNet(
        _backbone(),
        num_classes=3,
        max_level=5,
        fpn_filters=8,
        head_filters=8,
        head_depth=1,
    )
    # Logits and offsets far from their initial values: every branch of the
    # focal loss and both pieces of the smooth L1 are exercised.
    for layer in (model.get_layer("classification_head"), model.get_layer("box_head")):
        layer.output_conv.kernel.assign(
            np.random.default_rng(0).normal(0, 0.5, layer.output_conv.kernel.shape)
        )
    images = np.random.default_rng(1).uniform(0, 255, (2, 64, 64, 3))
    images = images.astype("float32")
    boxes = {
        "boxes": np.array(
            [[[4, 4, 40, 36], [30, 20, 60, 62]], [[10, 8, 30, 50], [-1, -1, -1, -1]]],
            "float32",
        ),
        "labels": np.array([[0, 2], [1, -1]], "int32"),
    }
    return model, images, boxes


@pytest.mark.parametrize("box_loss_weight", [1.0, 2.5])
def test_default_losses_equal_hand_computed(model_and_batch, box_loss_weight):
    model, images, boxes = model_and_batch
    model.compile(optimizer="sgd", box_loss_weight=box_loss_weight)
    assert isinstance(model.classification_loss, FocalLoss)
    assert isinstance(model.box_loss, SmoothL1Loss)
    raw = model(images)
    loss = model.compute_loss(images, boxes, raw)
    targets = model.encode_targets(images, boxes)
    assert float(np.asarray(targets[3]).sum()) >= 3  # positives exist
    expected = _expected(targets, raw, box_loss_weight)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)


def test_keras_losses_still_rescaled_to_a_sum(model_and_batch):
    # Keras' own losses average over the last axis; the model keeps turning
    # them into a sum, so passing Keras' focal loss gives the same value.
    model, images, boxes = model_and_batch
    model.compile(
        optimizer="sgd",
        classification_loss=keras.losses.BinaryFocalCrossentropy(
            apply_class_balancing=True,
            alpha=0.25,
            gamma=2.0,
            from_logits=True,
            reduction=None,
        ),
        box_loss=keras.losses.Huber(delta=1.0, reduction=None),
    )
    raw = model(images)
    loss = model.compute_loss(images, boxes, raw)
    expected = _expected(model.encode_targets(images, boxes), raw, 1.0)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)


def test_focal_loss_options_are_used(model_and_batch):
    model, images, boxes = model_and_batch
    model.compile(
        optimizer="sgd",
        classification_loss=FocalLoss(alpha=0.5, gamma=0.0, from_logits=True),
        box_loss=SmoothL1Loss(cutoff=1.0),
    )
    raw = model(images)
    loss = model.compute_loss(images, boxes, raw)
    class_targets, box_targets, class_weights, box_weights = (
        np.asarray(t, "float64") for t in model.encode_targets(images, boxes)
    )
    # alpha 0.5, gamma 0: half the binary cross-entropy.
    ce = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=class_targets, logits=np.asarray(raw["classification"], "float64")
    ).numpy()
    diff = np.abs(box_targets - np.asarray(raw["box"], "float64"))
    smooth = np.where(diff < 1.0, 0.5 * diff**2, diff - 0.5)
    positives = box_weights.sum()
    expected = (0.5 * ce.sum(-1) * class_weights).sum() / positives + (
        smooth.sum(-1) * box_weights
    ).sum() / positives
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
