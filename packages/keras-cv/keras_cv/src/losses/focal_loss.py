# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Focal loss for dense (per-anchor) classification."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import RFC


def _is_numeric(value):
    dtype = getattr(value, "dtype", None)
    if isinstance(dtype, tf.DType):
        return dtype.is_integer or dtype.is_floating or dtype == tf.bool
    try:
        kind = np.asarray(value).dtype.kind if dtype is None else np.dtype(dtype).kind
    except (TypeError, ValueError):
        return True  # let Keras report what it cannot convert
    return kind in "biuf"


@api_export("keras_cv.losses.FocalLoss", stability="stable", rfc=RFC)
class FocalLoss(keras.losses.Loss):
    """Focal loss: binary cross-entropy that down-weights easy examples.

    The classification loss of RetinaNet. For each anchor and class, with
    `p_t` the predicted probability of the true binary label,
    `loss = -alpha_t * (1 - p_t) ** gamma * log(p_t)`, where `alpha_t` is
    `alpha` for positives and `1 - alpha` for negatives. The loss is summed
    over classes (so each anchor contributes one value), then reduced.
    Anchors are usually normalised by the number of positives through
    `sample_weight`.

    Reference: [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002).

    Args:
        alpha: the weight of positives, in [0, 1].
        gamma: the focusing exponent (0 gives weighted cross-entropy).
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; targets become
            `y * (1 - label_smoothing) + 0.5 * label_smoothing`.
        reduction: a Keras reduction, e.g. `"sum_over_batch_size"` or `"sum"`.
        name: the loss name.

    Call arguments:
        y_true: binary targets (only 0 and 1) with the shape of `y_pred`
            (`[..., C]`), or integer class ids with one dimension less
            (`[...]`): ids in `[0, C)`, or -1 (background) or -2 (ignored)
            for no positive class. Any other value raises a ValueError
            (inside `tf.function`, an `InvalidArgumentError` with the same
            text).
        y_pred: `[..., C]` probabilities or logits.

    Examples:

    >>> loss = keras_cv.losses.FocalLoss(from_logits=True, reduction=None)
    >>> out = loss(np.array([[1, 0]], "float32"), np.array([[2.0, -2.0]]))
    >>> out.shape
    TensorShape([1])
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        reduction="sum_over_batch_size",
        name="focal_loss",
        **kwargs,
    ):
        super().__init__(reduction=reduction, name=name, **kwargs)
        if not 0.0 <= float(alpha) <= 1.0:
            raise ValueError(f"`alpha` must be in [0, 1]. Received: alpha={alpha!r}.")
        if float(gamma) < 0:
            raise ValueError(f"`gamma` must be >= 0. Received: gamma={gamma!r}.")
        if not 0.0 <= float(label_smoothing) <= 1.0:
            raise ValueError(
                f"`label_smoothing` must be in [0, 1]. Received: {label_smoothing!r}."
            )
        self.alpha = float(alpha)
        self.gamma = float(gamma)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)

    def __call__(self, y_true, y_pred, sample_weight=None):
        # Keras casts `y_true` to the dtype of `y_pred` before `call`; check
        # that both are numbers first, so that strings get our message.
        for name, value in (("y_true", y_true), ("y_pred", y_pred)):
            if not _is_numeric(value):
                raise TypeError(
                    f"`{name}` must hold numbers: binary targets (0 or 1) or "
                    "integer class ids for `y_true`, probabilities or logits "
                    f"for `y_pred`. Received: {name} of dtype "
                    f"{getattr(value, 'dtype', type(value).__name__)}."
                )
        return super().__call__(y_true, y_pred, sample_weight=sample_weight)

    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        if not y_pred.dtype.is_floating:
            y_pred = tf.cast(y_pred, "float32")
        y_true = tf.convert_to_tensor(y_true)
        if not (
            y_true.dtype.is_integer
            or y_true.dtype.is_floating
            or y_true.dtype == tf.bool
        ):
            raise TypeError(
                "`y_true` must hold numbers: binary targets (0 or 1) or integer "
                f"class ids. Received dtype {y_true.dtype.name}."
            )
        if y_true.dtype == tf.bool:
            y_true = tf.cast(y_true, y_pred.dtype)
        if (
            y_true.shape.rank is not None
            and y_pred.shape.rank is not None
            and y_true.shape.rank == y_pred.shape.rank - 1
        ):
            num_classes = tf.shape(y_pred)[-1]
            ids = tf.cast(y_true, "float32")
            ok = tf.logical_and(
                tf.equal(ids, tf.math.round(ids)),
                tf.logical_and(ids >= -2, ids < tf.cast(num_classes, "float32")),
            )
            y_true = validation.guard(
                y_true,
                tf.reduce_all(ok),
                "Sparse `y_true` (one dimension less than `y_pred`) must hold "
                "integer class ids in [0, num_classes), or -1 (background) or "
                "-2 (ignored) for anchors without a class. Fix the targets, or "
                "pass binary targets with the shape of `y_pred`.",
                {
                    "num_classes": num_classes,
                    "bad targets": tf.boolean_mask(ids, ~ok)[:10],
                },
            )
            y_true = tf.one_hot(
                tf.cast(y_true, "int32"), num_classes, dtype=y_pred.dtype
            )
        else:
            if (
                y_true.shape.rank is not None
                and y_pred.shape.rank is not None
                and (
                    y_true.shape.rank != y_pred.shape.rank
                    or not y_true.shape.is_compatible_with(y_pred.shape)
                )
            ):
                raise ValueError(
                    "`y_true` must have the shape of `y_pred` (binary targets "
                    "per class) or one dimension less (class ids); it is never "
                    f"broadcast. Received: y_true.shape={tuple(y_true.shape)}, "
                    f"y_pred.shape={tuple(y_pred.shape)}."
                )
            y_true = validation.guard(
                y_true,
                tf.reduce_all(tf.equal(tf.shape(y_true), tf.shape(y_pred))),
                "`y_true` must have the shape of `y_pred` (binary targets per "
                "class) or one dimension less (class ids); it is never "
                "broadcast.",
                {"y_true shape": tf.shape(y_true), "y_pred shape": tf.shape(y_pred)},
            )
            binary = tf.logical_or(tf.equal(y_true, 0), tf.equal(y_true, 1))
            y_true = validation.guard(
                y_true,
                tf.reduce_all(binary),
                "Binary `y_true` (with the shape of `y_pred`) must hold only 0 "
                "and 1. For class ids pass them with one dimension less than "
                "`y_pred`; for soft targets use `label_smoothing`.",
                {"bad targets": tf.boolean_mask(y_true, ~binary)[:10]},
            )
        y_true = tf.cast(y_true, y_pred.dtype)
        if self.label_smoothing:
            y_true = y_true * (1.0 - self.label_smoothing) + 0.5 * self.label_smoothing
        if self.from_logits:
            ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
            prob = tf.sigmoid(y_pred)
        else:
            eps = keras.config.epsilon()
            prob = tf.clip_by_value(y_pred, eps, 1.0 - eps)
            ce = -(
                y_true * tf.math.log(prob) + (1.0 - y_true) * tf.math.log(1.0 - prob)
            )
        p_t = y_true * prob + (1.0 - y_true) * (1.0 - prob)
        alpha_t = y_true * self.alpha + (1.0 - y_true) * (1.0 - self.alpha)
        loss = alpha_t * tf.pow(1.0 - p_t, self.gamma) * ce
        return tf.reduce_sum(loss, axis=-1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "alpha": self.alpha,
                "gamma": self.gamma,
                "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing,
            }
        )
        return config
