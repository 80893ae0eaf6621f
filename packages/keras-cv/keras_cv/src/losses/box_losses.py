# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Box regression losses: smooth L1 on offsets, generalized IoU on boxes."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format


@api_export("keras_cv.losses.SmoothL1Loss", stability="stable", rfc=RFC)
class SmoothL1Loss(keras.losses.Loss):
    """Smooth L1 loss on box offsets, summed over the 4 coordinates.

    Quadratic for small errors and linear for large ones:
    `0.5 * x ** 2 / cutoff` when `|x| < cutoff`, else `|x| - 0.5 * cutoff`.
    Use it on `BoxCoder` offsets.

    Reference: [Fast R-CNN](https://arxiv.org/abs/1504.08083).

    Args:
        cutoff: where the loss turns from quadratic to linear (> 0).
        reduction: a Keras reduction.
        name: the loss name.

    Call arguments:
        y_true: target offsets `[..., 4]`.
        y_pred: predicted offsets `[..., 4]`.

    Examples:

    >>> loss = keras_cv.losses.SmoothL1Loss(reduction=None)
    >>> loss(np.zeros((1, 4)), np.array([[0.5, 2.0, 0.0, 0.0]])).numpy().tolist()
    [1.625]
    """

    def __init__(
        self,
        cutoff=1.0,
        reduction="sum_over_batch_size",
        name="smooth_l1_loss",
        **kwargs,
    ):
        super().__init__(reduction=reduction, name=name, **kwargs)
        if not float(cutoff) > 0:
            raise ValueError(f"`cutoff` must be > 0. Received: cutoff={cutoff!r}.")
        self.cutoff = float(cutoff)

    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        if y_pred.shape[-1] is not None and y_pred.shape[-1] != 4:
            raise ValueError(
                f"SmoothL1Loss expects box offsets with a last dimension of 4. Received shape {tuple(y_pred.shape)}."
            )
        diff = tf.abs(y_true - y_pred)
        loss = tf.where(
            diff < self.cutoff,
            0.5 * diff * diff / self.cutoff,
            diff - 0.5 * self.cutoff,
        )
        return tf.reduce_sum(loss, axis=-1)

    def get_config(self):
        config = super().get_config()
        config["cutoff"] = self.cutoff
        return config


@api_export("keras_cv.losses.GIoULoss", stability="stable", rfc=RFC)
class GIoULoss(keras.losses.Loss):
    """Generalized IoU loss between predicted and target boxes: `1 - GIoU`.

    GIoU is the IoU minus the fraction of the smallest enclosing box not
    covered by the union; unlike IoU it still gives a gradient when boxes do
    not overlap. The loss is in [0, 2]. Boxes with no area are handled
    (no NaN).

    Reference: [Generalized Intersection over Union](https://arxiv.org/abs/1902.09630).

    Args:
        bounding_box_format: the format of both box sets.
        reduction: a Keras reduction.
        name: the loss name.

    Call arguments:
        y_true: target boxes `[..., 4]`.
        y_pred: predicted boxes `[..., 4]`.

    Examples:

    >>> loss = keras_cv.losses.GIoULoss(reduction=None)
    >>> loss(np.array([[0.0, 0.0, 2.0, 2.0]]), np.array([[2.0, 0.0, 4.0, 2.0]])
    ...      ).numpy().tolist()
    [1.0]
    """

    def __init__(
        self,
        bounding_box_format="xyxy",
        reduction="sum_over_batch_size",
        name="giou_loss",
        **kwargs,
    ):
        super().__init__(reduction=reduction, name=name, **kwargs)
        self.bounding_box_format = validate_format(bounding_box_format)

    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        if y_pred.shape[-1] is not None and y_pred.shape[-1] != 4:
            raise ValueError(
                f"GIoULoss expects boxes with a last dimension of 4. Received shape {tuple(y_pred.shape)}."
            )
        fmt = self.bounding_box_format
        if fmt != "xyxy":
            size = 1.0 if fmt.startswith("rel_") else None
            y_true = convert_format(
                y_true,
                fmt,
                "rel_xyxy" if size else "xyxy",
                height=size,
                width=size,
                dtype=y_pred.dtype,
            )
            y_pred = convert_format(
                y_pred,
                fmt,
                "rel_xyxy" if size else "xyxy",
                height=size,
                width=size,
                dtype=y_pred.dtype,
            )
        t_x1, t_y1, t_x2, t_y2 = tf.unstack(y_true, 4, axis=-1)
        p_x1, p_y1, p_x2, p_y2 = tf.unstack(y_pred, 4, axis=-1)
        area_t = tf.maximum(t_x2 - t_x1, 0.0) * tf.maximum(t_y2 - t_y1, 0.0)
        area_p = tf.maximum(p_x2 - p_x1, 0.0) * tf.maximum(p_y2 - p_y1, 0.0)
        inter = tf.maximum(
            tf.minimum(t_x2, p_x2) - tf.maximum(t_x1, p_x1), 0.0
        ) * tf.maximum(tf.minimum(t_y2, p_y2) - tf.maximum(t_y1, p_y1), 0.0)
        union = area_t + area_p - inter
        iou = tf.math.divide_no_nan(inter, union)
        enclose = (tf.maximum(t_x2, p_x2) - tf.minimum(t_x1, p_x1)) * (
            tf.maximum(t_y2, p_y2) - tf.minimum(t_y1, p_y1)
        )
        enclose = tf.maximum(enclose, 0.0)
        giou = iou - tf.math.divide_no_nan(enclose - union, enclose)
        return 1.0 - giou

    def get_config(self):
        config = super().get_config()
        config["bounding_box_format"] = self.bounding_box_format
        return config
