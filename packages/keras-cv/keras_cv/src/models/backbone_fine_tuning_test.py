# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The keras-applications fine-tuning recipe on a detector's backbone.

Train the heads with `freeze_backbone(model.backbone)`, then switch to
`unfreeze_backbone(model.backbone)` after some epochs, recompile with a
fresh optimizer at a lower learning rate and continue `fit`. The detectors
build their feature extractor from the backbone's layers, so the flags set
on `model.backbone` must reach what `fit` trains.
"""

import keras
import numpy as np
import pytest

import keras_applications
from keras_cv.src.datasets import shapes
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.retinanet import RetinaNet


def _tiny_backbone():
    """Strided convolutions with batch normalization, pyramid levels P3-P5."""
    inputs = keras.Input((None, None, 3))
    x = inputs
    pyramid = {}
    for level in range(1, 6):
        x = keras.layers.Conv2D(8, 3, strides=2, padding="same", name=f"conv{level}")(x)
        x = keras.layers.BatchNormalization(name=f"bn{level}")(x)
        x = keras.layers.ReLU(name=f"relu{level}")(x)
        if level >= 2:
            pyramid[f"P{level}"] = x
    return keras_applications.Backbone(inputs, x, pyramid, name="tiny_backbone")


def _retinanet(backbone):
    return RetinaNet(
        backbone,
        num_classes=3,
        max_level=5,
        fpn_filters=8,
        head_filters=8,
        head_depth=1,
        batch_norm_momentum=None,  # a pretrained backbone keeps its own
    )


def _faster_rcnn(backbone):
    return FasterRCNN(
        backbone,
        num_classes=3,
        fpn_filters=8,
        head_units=16,
        rpn_batch_size=32,
        roi_batch_size=16,
        num_proposals=32,
        test_num_proposals=16,
        batch_norm_momentum=None,
        seed=1,
    )


def _data():
    data = shapes.generate(4, image_size=64, seed=0, min_size=0.25, max_size=0.5)
    return data["images"].astype("float32"), {
        "boxes": data["boxes"],
        "labels": data["labels"],
    }


def _snapshot(model):
    return {w.path: keras.ops.convert_to_numpy(w).copy() for w in model.weights}


def _steps(model, before):
    return {
        w.path: float(np.abs(keras.ops.convert_to_numpy(w) - before[w.path]).max())
        for w in model.weights
    }


@pytest.mark.large  # about 35 s per detector on the shared 2-core machine
@pytest.mark.parametrize(
    "build", [_retinanet, _faster_rcnn], ids=["RetinaNet", "FasterRCNN"]
)
def test_freeze_then_unfreeze_after_some_epochs(build):
    backbone = _tiny_backbone()
    model = build(backbone)
    images, targets = _data()

    # Stage 1: heads only. The backbone does not move at all.
    keras_applications.freeze_backbone(model.backbone)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    before = _snapshot(backbone)
    model.fit(images, targets, batch_size=4, epochs=1, verbose=0)
    assert max(_steps(backbone, before).values()) == 0.0

    # Stage 2, from epoch 1: everything but batch normalization, fresh Adam
    # at 1e-4. Adam's first step moves each weight by at most the rate.
    keras_applications.unfreeze_backbone(model.backbone)
    learning_rate = 1e-4
    model.compile(optimizer=keras.optimizers.Adam(learning_rate))
    before = _snapshot(backbone)
    model.fit(images, targets, batch_size=4, initial_epoch=1, epochs=2, verbose=0)
    steps = _steps(backbone, before)
    kernels = [v for p, v in steps.items() if p.endswith("kernel")]
    batch_norm = [v for p, v in steps.items() if "/bn" in p or p.startswith("bn")]
    assert len(kernels) == 5 and min(kernels) > 0.0
    assert max(kernels) <= learning_rate * (1 + 1e-3)
    assert len(batch_norm) == 5 * 4 and max(batch_norm) == 0.0
