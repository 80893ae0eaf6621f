# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Random search: every trial draws fresh values, never repeating a configuration."""

from keras_core import api_export
from keras_tuner.src.engine.tuner import Tuner
from keras_tuner.src.tuners.random_search_oracle import RandomSearchOracle

RFC = "20261122-keras-tuner-end-to-end-workflows"


@api_export(
    ["keras_tuner.RandomSearch", "keras_tuner.tuners.RandomSearch"],
    stability="stable",
    rfc=RFC,
)
class RandomSearch(Tuner):
    """A tuner that samples configurations at random.

    Args:
        hypermodel: a `kt.HyperModel` or a function `build(hp)` returning a
            compiled model (optional if `run_trial` is overridden).
        objective: metric name (direction inferred: `"val_accuracy"` is
            maximised, `"val_loss"`/`"val_mae"` minimised), `kt.Objective`
            or list of them.
        max_trials: number of trials (default 10).
        seed: random seed.
        hyperparameters: optional `HyperParameters` declared up front.
        tune_new_entries: whether hyperparameters not in `hyperparameters`
            are searched.
        allow_new_entries: whether model code may declare new ones.
        max_retries_per_trial: reruns of a trial that raised.
        max_consecutive_failed_trials: stop after this many failures in a row.
        **kwargs: `kt.Tuner` arguments (`directory`, `project_name`,
            `overwrite`, `executions_per_trial`, ...).

    Examples:

    ```python
    import tempfile
    import keras
    import numpy as np
    import keras_tuner as kt

    def build_model(hp):
        model = keras.Sequential([
            keras.Input((2,)),
            keras.layers.Dense(hp.Int("units", 2, 4, step=2), activation="relu"),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        return model

    x = np.random.rand(16, 2).astype("float32")
    y = x.sum(axis=1)
    tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=2, directory=tempfile.mkdtemp(), project_name="demo")
    tuner.search(x, y, validation_data=(x, y), epochs=1, verbose=0)
    best_model = tuner.get_best_models(1)[0]
    best_hp = tuner.get_best_hyperparameters(1)[0]
    ```
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        oracle = RandomSearchOracle(
            objective=objective,
            max_trials=max_trials,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)
