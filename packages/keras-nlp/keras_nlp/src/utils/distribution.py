# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Losses over the global batch under a `tf.distribute` strategy.

Under `MirroredStrategy` or `MultiWorkerMirroredStrategy` each replica
computes the loss of its share of the batch and the optimizer sums the
replicas' gradients, so a replica's loss must be its part of the global
loss: sums over its examples divided by a count taken over the whole
global batch (here: the labels that are not padding), and batch-independent
terms (weight regularisers) divided by the number of replicas. Keras' own
`SparseCategoricalCrossentropy(ignore_class=...)` divides by each replica's
own count instead. Without a strategy every function here is the identity.
(keras-cv has the same helpers for its models; the packages share no code
but keras-core.)
"""

import tensorflow as tf


def num_replicas():
    """Replicas in sync of the current strategy (1 without one)."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def global_sum(value):
    """`value` summed over the replicas (no gradient flows through it)."""
    value = tf.stop_gradient(tf.convert_to_tensor(value))
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.SUM, value)


def replica_share(value):
    """`value / num_replicas`: a batch-independent term split so that the
    replicas' gradients add up to one copy of it."""
    replicas = num_replicas()
    if replicas == 1:
        return value
    return value / tf.cast(replicas, value.dtype)


def masked_sparse_cross_entropy(y_true, logits, ignore_class, sample_weight=None):
    """Mean sparse cross-entropy over the labels that are not `ignore_class`,
    counted over the global batch (this replica's share of it).

    Equals `keras.losses.SparseCategoricalCrossentropy(from_logits=True,
    ignore_class=ignore_class)` on one device; under a strategy Keras'
    loss divides by each replica's own count of labels instead, which
    weighs the labels of a replica with few of them more.
    """
    y_true = tf.cast(y_true, "int32")
    if y_true.shape.rank == logits.shape.rank:
        y_true = tf.squeeze(y_true, -1)
    valid = tf.not_equal(y_true, ignore_class)
    safe = tf.where(valid, y_true, 0)
    per_label = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=safe, logits=tf.cast(logits, "float32")
    )
    weights = tf.cast(valid, "float32")
    if sample_weight is not None:
        sample_weight = tf.cast(sample_weight, "float32")
        while sample_weight.shape.rank < weights.shape.rank:
            sample_weight = sample_weight[..., None]
        if sample_weight.shape.rank > weights.shape.rank:
            sample_weight = tf.squeeze(sample_weight, -1)
        per_label = per_label * sample_weight
    count = global_sum(tf.reduce_sum(weights))
    return tf.math.divide_no_nan(tf.reduce_sum(per_label * weights), count)


def is_masked_sparse_cross_entropy(loss):
    """True for a `keras.losses.SparseCategoricalCrossentropy` on logits
    with an `ignore_class` and the default reduction: the loss that
    `masked_sparse_cross_entropy` computes over the global batch."""
    import keras

    if not isinstance(loss, keras.losses.SparseCategoricalCrossentropy):
        return False
    config = loss.get_config()
    return (
        config.get("from_logits") is True
        and config.get("ignore_class") is not None
        and config.get("reduction") == "sum_over_batch_size"
        and config.get("axis", -1) == -1
    )


def global_batch_loss(model, y, y_pred, sample_weight):
    """The model's compiled masked cross-entropy over the global batch plus
    its layer losses, or None when `model.loss` is another loss."""
    loss = getattr(model, "loss", None)
    if y is None or y_pred is None or not is_masked_sparse_cross_entropy(loss):
        return None
    total = masked_sparse_cross_entropy(
        y, y_pred, loss.get_config()["ignore_class"], sample_weight
    )
    if model.losses:
        total = total + replica_share(
            tf.add_n([tf.cast(extra, "float32") for extra in model.losses])
        )
    return total


def in_multi_worker_mode(strategy):
    """True for a `MultiWorkerMirroredStrategy` spanning several workers."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and (
        strategy.num_replicas_in_sync > len(strategy.extended.worker_devices)
    )


class DistributedTrainingMixin:
    """Works around two Keras (3.15) faults under `tf.distribute`.

    1. Before `fit`/`evaluate` Keras builds a model's compiled state from
       the MEAN over the replicas of the first batch: integer inputs (token
       ids, labels) become floats, and under `MultiWorkerMirroredStrategy`
       the reduction fails for any input (keras-team/keras#20329). One
       replica's share of the batch has the right shapes and dtypes.
    2. Under `MultiWorkerMirroredStrategy` with several workers Keras
       averages the logs of a step with `strategy.reduce("MEAN", v,
       axis=0)`, which fails on scalar losses and metrics; they are given
       a length-1 axis, which that reduction removes again.

    Overrides Keras internals (`_maybe_symbolic_build`, `_make_function`)
    in this one place; the strategy tests of each model pin both.
    """

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        if iterator is not None and getattr(self, "_distribute_strategy", None):
            strategy = self.distribute_strategy

            def first_replica(value):
                if isinstance(value, tf.distribute.DistributedValues):
                    return strategy.experimental_local_results(value)[0]
                return value

            for _, _, batches in iterator:
                data_batch = tf.nest.map_structure(first_replica, next(batches))
                break
            iterator = None
        return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    def _make_function(self, step_function):
        if in_multi_worker_mode(self.distribute_strategy):
            step = step_function

            def step_function(data):
                def with_axis(value):
                    if tf.is_tensor(value) and value.shape.rank == 0:
                        return tf.reshape(value, [1])
                    return value

                return tf.nest.map_structure(with_axis, step(data))

        return super()._make_function(step_function)
