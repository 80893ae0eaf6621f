# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Bad data reaching the detectors gives a ValueError naming the fault.

Also when the fault is only in a later batch of a `tf.data` pipeline (the
first batch is checked eagerly; later ones by assertions in the compiled
step, reported as ValueErrors with our text, never as a bare "Graph
execution error").
"""

import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.mask_rcnn import MaskRCNN
from keras_cv.src.models.retinanet import RetinaNet

TWO_STAGE = dict(
    fpn_filters=8,
    head_units=16,
    rpn_batch_size=16,
    roi_batch_size=8,
    num_proposals=16,
    test_num_proposals=8,
)


def _backbone():
    return keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))


def _model(kind):
    if kind == "retinanet":
        model = RetinaNet(
            _backbone(),
            num_classes=3,
            max_level=5,
            fpn_filters=8,
            head_filters=8,
            head_depth=1,
        )
    elif kind == "faster_rcnn":
        model = FasterRCNN(_backbone(), num_classes=3, **TWO_STAGE)
    else:
        model = MaskRCNN(_backbone(), num_classes=3, mask_filters=8, **TWO_STAGE)
    model.compile()
    return model


def _dataset(kind, bad_label, size=32):
    images = np.zeros((6, size, size, 3), "float32")
    boxes = np.tile(np.array([[[2.0, 2.0, 20.0, 20.0]]], "float32"), (6, 1, 1))
    labels = np.array([[0], [1], [2], [1], [bad_label], [0]])
    targets = {"boxes": boxes, "labels": labels}
    if kind == "mask_rcnn":
        masks = np.zeros((6, 1, size, size), "uint8")
        masks[:, :, 2:20, 2:20] = 1
        data = {"images": images, "bounding_boxes": targets, "instance_masks": masks}
        return tf.data.Dataset.from_tensor_slices(data).batch(2)
    return tf.data.Dataset.from_tensor_slices((images, targets)).batch(2)


def _check_later_batch(kind, cases=((3, "class id >= num_classes=3"),)):
    model = _model(kind)
    for bad, match in cases:
        # The bad label is in batch 3 only; batch 1 is checked eagerly.
        with pytest.raises(ValueError, match=match) as info:
            model.fit(_dataset(kind, bad), epochs=1, verbose=0)
        assert "Graph execution error" not in str(info.value)
        assert "Received" in str(info.value)
    return model


@pytest.mark.large
def test_retinanet_bad_label_in_a_later_batch():
    _check_later_batch("retinanet")


@pytest.mark.large
def test_retinanet_negative_label_in_a_later_batch_and_evaluate():
    model = _check_later_batch("retinanet", ((-2, "only padding value"),))
    with pytest.raises(ValueError, match="class id >= num_classes=3"):
        model.evaluate(_dataset("retinanet", 7), verbose=0)


@pytest.mark.large
def test_faster_rcnn_bad_label_in_a_later_batch():
    _check_later_batch("faster_rcnn")


@pytest.mark.large
def test_mask_rcnn_bad_label_in_a_later_batch():
    _check_later_batch("mask_rcnn")


@pytest.mark.parametrize("kind", ["retinanet", "faster_rcnn"])
def test_grayscale_empty_and_unbatched_images(kind):
    model = _model(kind)
    name = type(model).__name__
    gray = np.zeros((2, 32, 32, 1), "float32")
    with pytest.raises(ValueError, match="grayscale_to_rgb"):
        model.predict(gray, verbose=0)
    with pytest.raises(ValueError, match="grayscale_to_rgb"):
        model.predict(tf.data.Dataset.from_tensor_slices(gray).batch(1), verbose=0)
    boxes = {
        "boxes": np.zeros((2, 1, 4), "float32") + [1, 1, 9, 9],
        "labels": [[0], [1]],
    }
    with pytest.raises(ValueError, match="grayscale_to_rgb"):
        model.fit(gray, boxes, verbose=0)
    with pytest.raises(ValueError, match=f"{name}.predict received no images"):
        model.predict([], verbose=0)
    with pytest.raises(ValueError, match="empty batch"):
        model.predict(np.zeros((0, 32, 32, 3), "float32"), verbose=0)
    with pytest.raises(ValueError, match="add a batch axis"):
        model.predict(np.zeros((32, 32, 3), "float32"), verbose=0)
    out = model.predict(np.zeros((1, 32, 32, 3), "float32"), verbose=0)
    assert out["boxes"].shape[0] == 1
