# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`keras_core.distribute`: the global-batch helpers against Keras' own
loss, and the Keras faults that `DistributedTrainingMixin` works around,
shown on plain `keras.Model`s under `MultiWorkerMirroredStrategy`."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core import distribute
from tools.lib import distributed


@pytest.mark.parametrize("ignore_class", [0, -1])
@pytest.mark.parametrize("weighted", [False, True])
def test_masked_cross_entropy_equals_keras_on_one_device(ignore_class, weighted):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 5, 4)).astype("float32")
    labels = rng.integers(0, 4, (3, 5)).astype("int32")
    labels[0, 3:] = ignore_class
    labels[2, 1:] = ignore_class
    weights = rng.uniform(0.5, 2.0, (3, 5)).astype("float32") if weighted else None
    keras_loss = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=ignore_class
    )
    ours = distribute.masked_sparse_cross_entropy(
        labels, logits, ignore_class, sample_weight=weights
    )
    # Keras divides the weighted sum by the number of unmasked labels.
    np.testing.assert_allclose(
        float(ours), float(keras_loss(labels, logits, sample_weight=weights)), rtol=1e-5
    )
    # Hand-computed without weights.
    if not weighted:
        log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        valid = labels != ignore_class
        picked = np.take_along_axis(
            log_probs, np.where(valid, labels, 0)[..., None], -1
        )
        np.testing.assert_allclose(
            float(ours), -picked[..., 0][valid].mean(), rtol=1e-5
        )


def test_global_batch_loss_adds_layer_losses_and_declines_other_losses():
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(
                2,
                kernel_regularizer=keras.regularizers.L2(0.1),
                kernel_initializer="ones",
            ),
        ]
    )
    y, logits = np.array([1, -1, 0]), np.zeros((3, 2), "float32")
    model.compile(loss="mse")
    assert distribute.global_batch_loss(model, y, logits) is None
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, ignore_class=-1
        )
    )
    model(np.zeros((1, 3), "float32"))
    expected = np.log(2.0) + 0.1 * 6.0  # two labels count; L2 of six ones
    assert abs(float(distribute.global_batch_loss(model, y, logits)) - expected) < 1e-5
    # Without a strategy the helpers are the identity.
    assert distribute.num_replicas() == 1
    assert float(distribute.replica_share(tf.constant(3.0))) == 3.0
    assert float(distribute.global_sum(2.5)) == 2.5


MULTI_WORKER = """
strategy = tf.distribute.MultiWorkerMirroredStrategy()
from keras_core import distribute

report(replicas=distribute.num_replicas(),
       replicas_in_scope=None)
with strategy.scope():
    report(replicas_in_scope=distribute.num_replicas())

def per_replica(value):
    context = tf.distribute.get_replica_context()
    mine = tf.cast(context.replica_id_in_sync_group + 1, "float32")
    return distribute.global_sum(mine * value), distribute.replica_share(value)

summed, share = strategy.run(per_replica, args=(tf.constant(2.0),))
report(global_sum=float(strategy.experimental_local_results(summed)[0]),
       replica_share=float(strategy.experimental_local_results(share)[0]))


class Plain(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(10, 4)
        self.head = keras.layers.Dense(1)

    def call(self, token_ids):
        return self.head(tf.reduce_mean(self.embedding(token_ids), axis=1))


class OnlyFirstFix(distribute.DistributedTrainingMixin, Plain):
    # The mixin without its second override: Keras' own `_make_function`.
    _make_function = keras.Model._make_function


class Fixed(distribute.DistributedTrainingMixin, Plain):
    pass


ids = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]], "int32")
targets = np.array([[0.5], [-0.5], [1.0], [0.0]], "float32")
dataset = tf.data.Dataset.from_tensor_slices((ids, targets)).batch(4)
for cls in (Plain, OnlyFirstFix, Fixed):
    with strategy.scope():
        model = cls()
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    try:
        history = model.fit(dataset, epochs=2, verbose=0)
        report(**{cls.__name__: {"loss": [float(v) for v in history.history["loss"]]}})
    except Exception as error:
        report(**{cls.__name__: {"error": f"{type(error).__name__}: {error}"[:400]}})
"""


@pytest.mark.large  # two worker processes: ~1 minute on a loaded 2-core machine
def test_mixin_works_around_keras_faults_under_multi_worker_strategy():
    results = distributed.run_workers(MULTI_WORKER, num_workers=2)
    for result in results:
        assert result["replicas"] == 1  # outside the strategy's scope
        assert result["replicas_in_scope"] == 2
        assert result["global_sum"] == 2.0 * (1 + 2)
        assert result["replica_share"] == 1.0
        # Fault 1: Keras builds from the MEAN of the first batch over the
        # replicas, which MultiWorkerMirroredStrategy cannot reduce.
        assert "PerReplica" in result["Plain"].get("error", ""), result["Plain"]
        # Fault 2: past the build, the MEAN over workers of the scalar
        # step logs fails.
        assert "error" in result["OnlyFirstFix"], result["OnlyFirstFix"]
        assert "PerReplica" not in result["OnlyFirstFix"]["error"], result
        loss = result["Fixed"].get("loss")
        assert loss is not None and np.all(np.isfinite(loss)), result["Fixed"]
        assert loss[1] < loss[0], result["Fixed"]
    # Both workers train the same model.
    assert results[0]["Fixed"] == results[1]["Fixed"]
