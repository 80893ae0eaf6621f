# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Training over the global batch under a `tf.distribute` strategy.

Under `MirroredStrategy` or `MultiWorkerMirroredStrategy` each replica
computes the loss of its share of the batch, and the optimizer sums the
replicas' gradients. A replica's loss must therefore be its part of the
global loss: sums over its examples divided by a count taken over the whole
global batch (positive anchors, labelled pixels, real tokens), and terms
that do not depend on the batch (weight regularisers) divided by the number
of replicas. Then the summed gradients equal those of one device on the
global batch. Without a strategy every function here is the identity.

`DistributedTrainingMixin` works around faults of Keras 3 (3.15) under
these strategies; it is the only place of the domain packages that
overrides Keras' trainer internals, and `distribute_test.py` shows each
fault on a plain `keras.Model`.
"""

import keras
import tensorflow as tf

from keras_core.src.api_export import api_export

_RFC = "20261207-keras-core-distribute"


@api_export("keras_core.distribute.num_replicas", stability="stable", rfc=_RFC)
def num_replicas():
    """The number of replicas in sync of the current strategy.

    1 without a strategy, inside `tf.distribute.get_strategy()`'s default
    one.

    Returns:
        An int.

    Example:

    >>> from keras_core.distribute import num_replicas
    >>> num_replicas()
    1
    """
    return tf.distribute.get_strategy().num_replicas_in_sync


@api_export("keras_core.distribute.global_sum", stability="stable", rfc=_RFC)
def global_sum(value):
    """`value` summed over the replicas; no gradient flows through it.

    Inside a replica function (a `train_step` under a strategy) the values
    of all replicas are added with an all-reduce; elsewhere, or with one
    replica, `value` is returned (as a tensor). Use it for normalisers
    such as the number of positive anchors of the global batch.

    Args:
        value: a tensor or a number.

    Returns:
        A tensor of the shape and dtype of `value`.

    Example:

    >>> from keras_core.distribute import global_sum
    >>> float(global_sum(3.0))
    3.0
    """
    value = tf.stop_gradient(tf.convert_to_tensor(value))
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.SUM, value)


@api_export("keras_core.distribute.replica_share", stability="stable", rfc=_RFC)
def replica_share(value):
    """`value / num_replicas()`, for loss terms that do not depend on the batch.

    A weight regulariser added to every replica's loss would be counted
    once per replica when the optimizer sums the gradients; each replica
    adds its share instead.

    Args:
        value: a floating-point tensor.

    Returns:
        A tensor of the dtype of `value`.

    Example:

    >>> import tensorflow as tf
    >>> from keras_core.distribute import replica_share
    >>> float(replica_share(tf.constant(0.5)))
    0.5
    """
    replicas = num_replicas()
    if replicas == 1:
        return value
    return value / tf.cast(replicas, value.dtype)


@api_export(
    "keras_core.distribute.masked_sparse_cross_entropy", stability="stable", rfc=_RFC
)
def masked_sparse_cross_entropy(y_true, logits, ignore_class, sample_weight=None):
    """Mean sparse cross-entropy over the labels that are not `ignore_class`,
    counted over the global batch (this replica's share of it).

    On one device it equals `keras.losses.SparseCategoricalCrossentropy(
    from_logits=True, ignore_class=ignore_class)`. Under a strategy Keras'
    loss divides by each replica's own count of labels, which weighs the
    labels of a replica with few of them more (padded tokens, unlabelled
    pixels); this one divides by the count of the global batch.

    Args:
        y_true: integer labels of shape `(batch, ...)` (or with a trailing
            axis of size 1).
        logits: float logits of shape `(batch, ..., num_classes)`.
        ignore_class: the label value that does not count (e.g. 0 for
            padding tokens, -1 for unlabelled pixels).
        sample_weight: optional weights broadcastable to `y_true`.

    Returns:
        A float32 scalar.

    Example:

    >>> import numpy as np
    >>> from keras_core.distribute import masked_sparse_cross_entropy
    >>> logits = np.log(np.array([[[0.5, 0.5], [0.9, 0.1]]], "float32"))
    >>> round(float(masked_sparse_cross_entropy([[1, -1]], logits, -1)), 4)
    0.6931
    """
    y_true = tf.cast(y_true, "int32")
    logits = tf.convert_to_tensor(logits)
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


def _is_masked_sparse_cross_entropy(loss):
    """True for a `SparseCategoricalCrossentropy` on logits with an
    `ignore_class` and the default reduction: the loss that
    `masked_sparse_cross_entropy` computes over the global batch."""
    if not isinstance(loss, keras.losses.SparseCategoricalCrossentropy):
        return False
    config = loss.get_config()
    return (
        config.get("from_logits") is True
        and config.get("ignore_class") is not None
        and config.get("reduction") == "sum_over_batch_size"
        and config.get("axis", -1) == -1
    )


@api_export("keras_core.distribute.global_batch_loss", stability="stable", rfc=_RFC)
def global_batch_loss(model, y, y_pred, sample_weight=None):
    """The compiled masked cross-entropy of `model` over the global batch.

    For a `compute_loss` override: when `model.loss` is a
    `keras.losses.SparseCategoricalCrossentropy(from_logits=True,
    ignore_class=...)` with the default reduction, returns
    `masked_sparse_cross_entropy` of `y` and `y_pred` plus the model's
    layer losses (each replica's share); otherwise returns `None`, and the
    caller falls back to Keras' `compute_loss`.

    Args:
        model: a compiled `keras.Model`.
        y: the labels of the batch.
        y_pred: the model's logits.
        sample_weight: optional sample weights.

    Returns:
        A float32 scalar, or `None`.

    Example:

    >>> import keras, numpy as np
    >>> from keras_core.distribute import global_batch_loss
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.compile(loss=keras.losses.SparseCategoricalCrossentropy(
    ...     from_logits=True, ignore_class=-1))
    >>> logits = np.zeros((2, 2), "float32")
    >>> round(float(global_batch_loss(model, np.array([1, -1]), logits)), 4)
    0.6931
    """
    loss = getattr(model, "loss", None)
    if y is None or y_pred is None or not _is_masked_sparse_cross_entropy(loss):
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


@api_export(
    "keras_core.distribute.DistributedTrainingMixin", stability="stable", rfc=_RFC
)
class DistributedTrainingMixin:
    """Makes a subclassed `keras.Model` train under every `tf.distribute`
    strategy.

    Put it before `keras.Model` in the bases of a model class. It works
    around two faults of Keras 3 (3.15) with the TensorFlow backend:

    1. Before `fit`/`evaluate` under a strategy Keras builds the model's
       compiled state from the MEAN over the replicas of the first batch:
       integer inputs (token ids, labels) become floats, and under
       `MultiWorkerMirroredStrategy` the reduction fails for any input
       ("Attempt to convert a value (PerReplica...) to a Tensor",
       keras-team/keras#20329). The mixin builds from the first replica's
       share of the batch, which has the right shapes and dtypes.
    2. Under `MultiWorkerMirroredStrategy` with several workers Keras
       averages the logs of a step with `strategy.reduce("MEAN", v,
       axis=0)`, which fails on scalar losses and metrics. The mixin gives
       them a length-1 axis, which that reduction removes again.

    Without a strategy, and under strategies where Keras has no fault, it
    changes nothing. It overrides the Keras trainer's private
    `_maybe_symbolic_build` and `_make_function`; keras-core's tests show
    each fault on a plain `keras.Model` so that a Keras release that fixes
    or moves them is noticed.

    Example:

    ```python
    import keras
    import numpy as np
    import tensorflow as tf
    from keras_core.distribute import DistributedTrainingMixin

    class Classifier(DistributedTrainingMixin, keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.embedding = keras.layers.Embedding(10, 4)
            self.head = keras.layers.Dense(2)

        def call(self, token_ids):
            return self.head(keras.ops.mean(self.embedding(token_ids), axis=1))

    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = Classifier()
        model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(
            from_logits=True))
    ids = np.array([[1, 2, 3], [4, 5, 6]], "int32")
    model.fit(ids, np.array([0, 1]), epochs=1, verbose=0)
    ```
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
