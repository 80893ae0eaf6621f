# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Mean and per-class intersection over union of segmentation class maps."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.layers.spatial_pyramid_pooling import RFC


@api_export("keras_cv.metrics.MeanIoU", stability="stable", rfc=RFC)
class MeanIoU(keras.metrics.MeanIoU):
    """Mean intersection over union of per-pixel classes, with an ignore index.

    The standard semantic segmentation metric: for each class `c`,
    `IoU_c = TP_c / (TP_c + FP_c + FN_c)` over all pixels seen so far (a
    confusion matrix is accumulated), and the result is the mean over the
    classes that appear in the ground truth or the predictions. Pixels
    whose ground truth equals `ignore_index` are left out.
    `per_class_iou()` returns every class's IoU.

    Built on `keras.metrics.MeanIoU`, it also takes what a segmentation
    model gives: logits `(batch, height, width, num_classes)` (reduced by
    argmax) or class maps `(batch, height, width[, 1])`, with ground truth
    `(batch, height, width[, 1])`. Class ids outside `[0, num_classes)`
    that are not `ignore_index` raise a `ValueError` (eagerly) instead of
    being silently dropped.

    Args:
        num_classes: number of classes, background included.
        ignore_index: ground-truth value of unlabelled pixels, or `None`.
        name: metric name.
        dtype: dtype of the result.

    Examples:

    >>> import keras_cv
    >>> metric = keras_cv.metrics.MeanIoU(num_classes=2)
    >>> _ = metric.update_state([[0, 0], [1, 1]], [[0, 1], [1, 1]])
    >>> round(float(metric.result()), 4)  # class 0: 1/2, class 1: 2/3
    0.5833
    >>> [round(float(v), 4) for v in metric.per_class_iou()]
    [0.5, 0.6667]
    """

    def __init__(self, num_classes, ignore_index=None, name="mean_iou", dtype=None):
        if (
            isinstance(num_classes, bool)
            or not isinstance(num_classes, int)
            or num_classes < 1
        ):
            raise ValueError(
                f"`num_classes` must be a positive int. Received: num_classes={num_classes!r}."
            )
        if ignore_index is not None and (
            isinstance(ignore_index, bool) or not isinstance(ignore_index, int)
        ):
            raise ValueError(
                f"`ignore_index` must be an int or None. Received: ignore_index={ignore_index!r}."
            )
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_index,
            sparse_y_true=True,
            sparse_y_pred=True,
        )
        self.ignore_index = ignore_index

    def _standardize(self, y_true, y_pred):
        y_true = tf.convert_to_tensor(y_true)
        y_pred = tf.convert_to_tensor(y_pred)
        true_rank = y_true.shape.rank
        if (
            true_rank is not None
            and true_rank >= 1
            and y_true.shape[-1] == 1
            and true_rank >= 3
        ):
            y_true = y_true[..., 0]
        logits = (
            y_pred.dtype.is_floating
            and y_pred.shape.rank == y_true.shape.rank + 1
            and y_pred.shape[-1] == self.num_classes
        )
        if logits:
            y_pred = tf.argmax(y_pred, axis=-1)
        elif y_pred.shape.rank == y_true.shape.rank + 1 and y_pred.shape[-1] == 1:
            y_pred = y_pred[..., 0]
        if (
            y_pred.shape.rank != y_true.shape.rank
            or not y_pred.shape.is_compatible_with(y_true.shape)
        ):
            raise ValueError(
                "MeanIoU needs predictions with the spatial shape of the ground "
                "truth: class maps (batch, height, width[, 1]) or logits (batch, "
                f"height, width, {self.num_classes}). Received y_true of shape "
                f"{tuple(y_true.shape)} and y_pred of shape {tuple(y_pred.shape)}. "
                "Resize the masks (nearest neighbour) or the predictions first."
            )
        y_true = tf.cast(y_true, "int32")
        y_pred = tf.cast(y_pred, "int32")
        if tf.executing_eagerly():
            for role, values in (("y_true", y_true), ("y_pred", y_pred)):
                values = values.numpy()
                bad = (values < 0) | (values >= self.num_classes)
                if role == "y_true" and self.ignore_index is not None:
                    bad &= values != self.ignore_index
                if bad.any():
                    raise ValueError(
                        f"`{role}` holds class ids {sorted(set(np.unique(values[bad]).tolist()))[:5]} "
                        f"outside [0, {self.num_classes - 1}] (num_classes="
                        f"{self.num_classes}"
                        + (
                            f", ignore_index={self.ignore_index}"
                            if role == "y_true" and self.ignore_index is not None
                            else ""
                        )
                        + "). Use a larger `num_classes` or set `ignore_index` to "
                        "the value of unlabelled pixels."
                    )
        return y_true, y_pred

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the confusion matrix of a batch.

        Args:
            y_true: ground-truth class ids `(batch, height, width[, 1])`.
            y_pred: class ids of the same shape, or logits with a last axis
                of `num_classes`.
            sample_weight: optional per-pixel weights.
        """
        y_true, y_pred = self._standardize(y_true, y_pred)
        if sample_weight is not None:
            sample_weight = tf.convert_to_tensor(sample_weight)
            if sample_weight.shape.rank == y_true.shape.rank + 1:
                sample_weight = sample_weight[..., 0]
        return super().update_state(y_true, y_pred, sample_weight=sample_weight)

    def per_class_iou(self):
        """IoU of every class, `(num_classes,)`; NaN for classes that are in
        neither the ground truth nor the predictions."""
        matrix = tf.cast(self.total_cm, "float64")
        true_positives = tf.linalg.diag_part(matrix)
        union = tf.reduce_sum(matrix, 0) + tf.reduce_sum(matrix, 1) - true_positives
        nan = tf.constant(np.nan, "float64")
        iou = tf.where(union > 0, true_positives / tf.maximum(union, 1.0), nan)
        return tf.cast(iou, "float32")

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "ignore_index": self.ignore_index,
            "name": self.name,
            "dtype": self.dtype,
        }
