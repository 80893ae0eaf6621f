# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Gathers per-anchor targets from per-object values and match indices."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import RFC


@api_export("keras_cv.ops.TargetGather", stability="stable", rfc=RFC)
class TargetGather(keras.layers.Layer):
    """Builds per-anchor targets from ground-truth values and matches.

    For every anchor, takes the value (label, box, weight, ...) of the
    ground-truth object it was matched to by `BoxMatcher`, and writes
    `mask_value` where `mask` is True (typically for negative and ignored
    anchors). Works with no ground-truth objects at all: every anchor then
    gets `mask_value` where masked and 0 elsewhere. Indices outside
    `[0, num_objects)` raise a ValueError (inside `tf.function`/`tf.data`,
    an `InvalidArgumentError` with the same text).

    Call arguments:
        labels: the per-object values: `[N]`, `[N, D]`, `[B, N]` or
            `[B, N, D]`.
        match_indices: int tensor `[M]` or `[B, M]`, the object index of
            each anchor.
        mask: optional boolean tensor `[M]`/`[B, M]`, or with a trailing
            `D` dimension; True where `mask_value` is written.
        mask_value: the fill value.

    Returns:
        `[M]`, `[M, D]`, `[B, M]` or `[B, M, D]`, with the dtype of `labels`.

    Examples:

    >>> gather = keras_cv.ops.TargetGather()
    >>> gather([7, 9], [1, 0, 0], mask=[False, False, True], mask_value=-1
    ...        ).numpy().tolist()
    [9, 7, -1]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Lists and Python scalars are accepted as well as tensors.
        self._allow_non_tensor_positional_args = True

    def compute_mask(self, *args, **kwargs):
        # `mask` here selects fill positions; it is not a Keras padding mask.
        return None

    def call(self, labels, match_indices, mask=None, mask_value=0.0):
        labels = tf.convert_to_tensor(labels)
        match_indices = tf.convert_to_tensor(match_indices)
        if not match_indices.dtype.is_integer:
            raise TypeError(
                "`match_indices` must be integers (object indices, as "
                f"returned by `BoxMatcher`). Received dtype {match_indices.dtype.name}."
            )
        match_indices = tf.cast(match_indices, "int32")
        batched = match_indices.shape.rank == 2
        if match_indices.shape.rank not in (1, 2):
            raise ValueError(
                "`match_indices` must be [M] or [B, M]. Received shape "
                f"{tuple(match_indices.shape)}."
            )
        batch_dims = 1 if batched else 0
        if labels.shape.rank is not None and labels.shape.rank < batch_dims + 1:
            raise ValueError(
                "`labels` must have an object axis: [N] or [N, D] for [M] "
                "indices, [B, N] or [B, N, D] for [B, M] indices. Received: "
                f"labels.shape={tuple(labels.shape)}, "
                f"match_indices.shape={tuple(match_indices.shape)}."
            )
        if (
            batched
            and labels.shape[0] is not None
            and match_indices.shape[0] is not None
        ):
            if labels.shape[0] != match_indices.shape[0]:
                raise ValueError(
                    "`labels` and `match_indices` must have the same batch size. "
                    f"Received: labels.shape={tuple(labels.shape)}, "
                    f"match_indices.shape={tuple(match_indices.shape)}."
                )
        num_objects = tf.shape(labels)[batch_dims]
        limit = tf.maximum(num_objects, 1)
        in_range = tf.logical_and(match_indices >= 0, match_indices < limit)
        match_indices = validation.guard(
            match_indices,
            tf.reduce_all(in_range),
            "`match_indices` must be in [0, num_objects) where num_objects is "
            "the size of the object axis of `labels` (index 0 is also allowed "
            "when there are no objects). Pass the indices returned by "
            "`BoxMatcher` for the same ground truth.",
            {
                "num_objects": num_objects,
                "out-of-range indices": tf.boolean_mask(match_indices, ~in_range)[:10],
            },
        )
        # One extra zero row so that "no objects" gathers without error.
        pad_shape = tf.tensor_scatter_nd_update(tf.shape(labels), [[batch_dims]], [1])
        padded = tf.concat([labels, tf.zeros(pad_shape, labels.dtype)], axis=batch_dims)
        targets = tf.gather(
            padded, match_indices, axis=batch_dims, batch_dims=batch_dims
        )
        if isinstance(mask, (list, tuple)) and all(m is None for m in mask):
            mask = None  # Keras fills `mask` with the inputs' (absent) masks.
        if mask is not None:
            mask = tf.cast(tf.convert_to_tensor(mask), "bool")
            extra = targets.shape.rank - mask.shape.rank
            for _ in range(max(extra, 0)):
                mask = mask[..., None]
            targets = tf.where(
                mask, tf.cast(tf.constant(mask_value), labels.dtype), targets
            )
        return targets

    def compute_output_spec(self, labels, match_indices, mask=None, mask_value=0.0):
        batched = len(match_indices.shape) == 2
        trailing = tuple(labels.shape[2:] if batched else labels.shape[1:])
        return keras.KerasTensor(
            tuple(match_indices.shape) + trailing, dtype=labels.dtype
        )
