# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The random-search oracle: fresh values each trial, never a repeated configuration.

Apart from `random_search.py` (the tuner) because the engine's `Tuner` uses
it as its default oracle: this module depends on the engine's oracle only,
so `engine/tuner.py` imports it without an import circle.
"""

from keras_core import api_export
from keras_tuner.src.engine.oracle import Oracle
from keras_tuner.src.engine.trial import TrialStatus

RFC = "20261122-keras-tuner-end-to-end-workflows"


@api_export(
    ["keras_tuner.oracles.RandomSearchOracle", "keras_tuner.oracles.RandomSearch"],
    stability="stable",
    rfc=RFC,
)
class RandomSearchOracle(Oracle):
    """Proposes random configurations, each one not tried before.

    Each hyperparameter draws from its own random stream (derived from the
    seed and its name), so adding a hyperparameter does not change the
    values the others take. The search stops after `max_trials` trials or
    when no untried configuration can be found.

    Args:
        objective: metric name, `kt.Objective` or list of them.
        max_trials: number of trials (default 10).
        seed: random seed.
        hyperparameters: optional `HyperParameters` declared up front.
        allow_new_entries: whether model code may declare new hyperparameters.
        tune_new_entries: whether those are searched (else kept at default).
        max_retries_per_trial: reruns of a trial that raised.
        max_consecutive_failed_trials: stop after this many failures in a row.

    Examples:

    >>> oracle = RandomSearchOracle(objective="val_loss", max_trials=5, seed=1)
    >>> oracle.max_trials
    5
    """

    def __init__(
        self,
        objective=None,
        max_trials=10,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        super().__init__(
            objective=objective,
            max_trials=max_trials,
            hyperparameters=hyperparameters,
            allow_new_entries=allow_new_entries,
            tune_new_entries=tune_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )

    def populate_space(self, trial_id):
        values = self._random_values()
        if values is None:
            return {"status": TrialStatus.STOPPED}
        return {"status": TrialStatus.RUNNING, "values": values}
