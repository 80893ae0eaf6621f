# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Losses over the global batch under a `tf.distribute` strategy.

Under `MirroredStrategy` or `MultiWorkerMirroredStrategy` each replica
computes the loss of its share of the batch, and the optimizer sums the
replicas' gradients. The loss of one replica must therefore be its part of
the global loss: sums over its examples divided by a normaliser counted
over the whole global batch (the number of positive anchors, of sampled
regions, of labelled pixels), and terms that do not depend on the batch
(weight regularisers) divided by the number of replicas. Then the summed
gradients equal those of one device on the global batch. Without a
strategy every function here is the identity.

The helpers both keras-cv and keras-nlp need (the replica count, global
sums, the masked cross-entropy over the global batch and the mixin that
works around Keras' faults under strategies) are keras-core's
(`keras_core.distribute`, RFC 20261207-keras-core-distribute); this module
adds what only the detectors and DeepLab use.
"""

import keras
import tensorflow as tf

from keras_core import distribute
from keras_core.distribute import global_batch_loss  # noqa: F401 (used as distribution.*)
from keras_core.distribute import global_sum
from keras_core.distribute import num_replicas
from keras_core.distribute import replica_share  # noqa: F401


def global_normaliser(weights, minimum=1.0):
    """`max(sum(weights) over the global batch, minimum)`, float32."""
    total = global_sum(tf.reduce_sum(tf.cast(weights, "float32")))
    return tf.maximum(total, minimum)


def global_value(value):
    """A replica's share of a loss turned into the global loss for metrics
    that average over replicas (as Keras' own loss tracker does)."""
    replicas = num_replicas()
    if replicas == 1:
        return value
    return value * tf.cast(replicas, value.dtype)


def check_synchronized_batch_norm(value):
    if not isinstance(value, bool):
        raise ValueError(
            "`synchronized_batch_norm` must be True or False. Received: "
            f"synchronized_batch_norm={value!r}."
        )
    return value


def synchronize_batch_norm(model, synchronized):
    """Sets `synchronized` on every `BatchNormalization` layer of `model`.

    Synchronised batch normalisation computes the batch mean and variance
    over the global batch (an all-reduce across replicas at every such
    layer) instead of each replica's share: with small per-replica batches
    the statistics stay those of the global batch. Without a strategy it
    changes nothing. `False` leaves the layers as they are.
    """
    if not synchronized:
        return
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.synchronized = True


def resolve_optimizer(model, optimizer, adam):
    """The optimizer named by `optimizer`, created in `model`'s strategy.

    A Keras optimizer belongs to the strategy in whose scope it was made;
    made outside the scope of a model built under a strategy, `fit` fails
    with "Mixing different tf.distribute.Strategy objects". Names (our
    `"adam"` default, built by `adam()`, or any Keras name) are resolved
    inside the model's scope so that `model.compile()` works outside it.
    Optimizer objects are returned unchanged.
    """
    if not isinstance(optimizer, str):
        return optimizer
    with model.distribute_strategy.scope():
        if optimizer == "adam":
            return adam()
        return keras.optimizers.get(optimizer)


class DistributedTrainingMixin(distribute.DistributedTrainingMixin):
    """keras-core's `DistributedTrainingMixin` plus a split `predict_on_batch`.

    Keras 3.15's `predict_on_batch` runs the whole batch on every replica
    and returns every copy (used by `keras_cv.callbacks.COCOEvaluation`);
    under a strategy with several replicas it goes through `predict`,
    which splits the batch.
    """

    def predict_on_batch(self, x):
        """Returns the predictions (as `predict` does) for one batch `x`.

        Under a `tf.distribute` strategy with several replicas the batch is
        split between them (Keras 3.15 runs the whole batch on every
        replica and returns every copy).
        """
        if self.distribute_strategy.num_replicas_in_sync > 1:
            images = x["images"] if isinstance(x, dict) and "images" in x else x
            size = int(tf.shape(tf.nest.flatten(images)[0])[0])
            return self.predict(x, batch_size=size, verbose=0)
        return super().predict_on_batch(x)
