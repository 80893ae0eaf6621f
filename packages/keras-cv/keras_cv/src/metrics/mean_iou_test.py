# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.metrics.mean_iou import MeanIoU


def _numpy_iou(y_true, y_pred, num_classes, ignore_index=None):
    """Reference: per-class IoU from pixel sets, NaN for absent classes."""
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    if ignore_index is not None:
        keep = y_true != ignore_index
        y_true, y_pred = y_true[keep], y_pred[keep]
    ious = []
    for c in range(num_classes):
        inter = np.sum((y_true == c) & (y_pred == c))
        union = np.sum((y_true == c) | (y_pred == c))
        ious.append(inter / union if union else np.nan)
    ious = np.array(ious)
    return np.nanmean(ious), ious


@pytest.mark.parametrize("seed", range(5))
def test_against_numpy_reference_over_batches(seed):
    rng = np.random.default_rng(seed)
    num_classes = int(rng.integers(2, 6))
    metric = MeanIoU(num_classes, ignore_index=255)
    trues, preds = [], []
    for _ in range(3):
        y_true = rng.integers(0, num_classes, (2, 9, 7, 1))
        y_true[rng.random(y_true.shape) < 0.2] = 255
        # Drop the last class from the truth sometimes: absent classes.
        if seed % 2:
            y_true[y_true == num_classes - 1] = 0
        logits = rng.normal(size=(2, 9, 7, num_classes)).astype("float32")
        metric.update_state(y_true, logits)
        trues.append(y_true)
        preds.append(np.argmax(logits, -1)[..., None])
    expected_mean, expected = _numpy_iou(
        np.concatenate(trues), np.concatenate(preds), num_classes, 255
    )
    np.testing.assert_allclose(metric.result(), expected_mean, rtol=1e-5)
    np.testing.assert_allclose(metric.per_class_iou(), expected, rtol=1e-5)


def test_class_maps_and_graph_mode():
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 3, (4, 8, 8))
    y_pred = rng.integers(0, 3, (4, 8, 8, 1))
    metric = MeanIoU(3)

    @tf.function
    def update(t, p):
        metric.update_state(t, p)

    update(tf.constant(y_true), tf.constant(y_pred))
    expected_mean, expected = _numpy_iou(y_true, y_pred[..., 0], 3)
    np.testing.assert_allclose(metric.result(), expected_mean, rtol=1e-5)
    np.testing.assert_allclose(metric.per_class_iou(), expected, rtol=1e-5)
    metric.reset_state()
    assert float(metric.result()) == 0.0
    restored = MeanIoU.from_config(MeanIoU(3, ignore_index=-1).get_config())
    assert restored.ignore_index == -1 and restored.num_classes == 3


def test_bad_inputs():
    metric = MeanIoU(3, ignore_index=255)
    with pytest.raises(ValueError, match="spatial shape"):
        metric.update_state(np.zeros((1, 4, 4, 1)), np.zeros((1, 4, 5, 1), "int32"))
    with pytest.raises(ValueError, match=r"y_true.*\[3\].*num_classes=3"):
        metric.update_state(np.full((1, 2, 2, 1), 3), np.zeros((1, 2, 2, 1), "int32"))
    # The ignore index is allowed in the ground truth.
    metric.update_state(np.full((1, 2, 2, 1), 255), np.zeros((1, 2, 2, 1), "int32"))
    with pytest.raises(ValueError, match="num_classes"):
        MeanIoU(0)
