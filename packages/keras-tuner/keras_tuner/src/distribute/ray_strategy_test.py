# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A tuner's per-trial `distribution_strategy=` with the Ray backend.

The tuner ships a description of the strategy (`StrategySpec`) instead of
the strategy object, which cannot be pickled; each Ray worker re-creates it
on the same devices and builds the trial's model under it. The search runs
in a subprocess with 2 logical CPU devices (`tools.lib.distributed`), and
its Ray workers split their CPU alike through a setup hook.
"""

import pickle

import keras
import pytest
import tensorflow as tf

from keras_tuner.src.distribute.ray_backend import StrategySpec
from keras_tuner.src.distribute.ray_backend import worker_copy
from keras_tuner.src.tuners.random_search import RandomSearch
from tools.lib import distributed

pytest.importorskip("ray")

SEARCH = """
import ray
import keras_tuner as kt
from keras_tuner.src.distribute.ray_backend import StrategySpec
from keras_tuner.src.distribute.ray_backend import worker_copy

x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], "float32")


class StrategyModel(kt.HyperModel):
    def build(self, hp):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(
            hp.Int("units", 2, 8, step=2)), keras.layers.Dense(1)])
        model.compile(keras.optimizers.SGD(0.05), "mse")
        return model

    def fit(self, hp, model, *args, **kwargs):
        history = model.fit(*args, **kwargs)
        replicas = model.distribute_strategy.num_replicas_in_sync
        return {"val_loss": history.history["val_loss"][-1],
                "replicas": float(replicas)}


strategy = tf.distribute.MirroredStrategy()
ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
         runtime_env={"worker_process_setup_hook":
                      "tools.lib.distributed.configure_logical_cpus"})
tuner = kt.RandomSearch(
    StrategyModel(), objective="val_loss", max_trials=2, overwrite=True,
    directory=WORK_DIR, project_name="search",
    distribution_strategy=strategy,
    distribution=kt.distribute.RayBackend(max_concurrent_trials=1))
tuner.search(x, y, validation_split=0.25, epochs=2, batch_size=16, verbose=0)
trials = list(tuner.oracle.trials.values())
report(statuses=[t.status for t in trials],
       replicas=[t.metrics.get_last_value("replicas") for t in trials],
       local_replicas=strategy.num_replicas_in_sync)
ray.shutdown()
"""


@pytest.mark.large
def test_ray_trials_train_under_the_tuners_strategy():
    result = distributed.run(
        SEARCH, devices=2, env={"DISTRIBUTED_LOGICAL_CPUS": "2"}, timeout=900
    )
    assert result["local_replicas"] == 2
    assert result["statuses"] == ["COMPLETED", "COMPLETED"], result
    # Each trial's model trained on the 2 replicas of a MirroredStrategy
    # re-created in the Ray worker.
    assert result["replicas"] == [2.0, 2.0], result


def build(hp):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_worker_copy_of_a_tuner_with_a_strategy_pickles(tmp_path):
    # Before StrategySpec, `ray.put(worker_copy(tuner))` failed: strategy
    # objects cannot be pickled.
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")

    tuner = RandomSearch(
        build,
        objective="val_loss",
        max_trials=1,
        directory=str(tmp_path),
        distribution_strategy=strategy,
    )
    clone = pickle.loads(pickle.dumps(worker_copy(tuner)))
    assert isinstance(clone.distribution_strategy, StrategySpec)
    assert tuner.distribution_strategy is strategy  # the driver's is unchanged
    with clone.distribution_strategy.scope():
        created = tf.distribute.get_strategy()
    assert isinstance(created, tf.distribute.OneDeviceStrategy)
    assert created.extended.worker_devices == strategy.extended.worker_devices


def test_strategies_a_worker_cannot_recreate_are_refused():
    with pytest.raises(ValueError, match="MirroredStrategy or OneDeviceStrategy"):
        StrategySpec(tf.distribute.get_strategy())
    spec = StrategySpec(tf.distribute.OneDeviceStrategy("/cpu:0"))
    spec.devices = ["/job:localhost/replica:0/task:0/device:GPU:7"]
    with pytest.raises(ValueError, match="missing"):
        spec.create()
