# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Hyperband: many configurations on small budgets, the best promoted to larger ones.

Reference: Li et al., "Hyperband: A Novel Bandit-Based Approach to
Hyperparameter Optimization", JMLR 2018.
"""

import math
import os

from keras_core import api_export
from keras_tuner.src.engine.oracle import Oracle
from keras_tuner.src.engine.trial import TrialStatus
from keras_tuner.src.engine.tuner import CHECKPOINT_WEIGHTS
from keras_tuner.src.engine.tuner import Tuner
from keras_tuner.src.engine.tuner import default_run_trial
from keras_tuner.src.engine.tuner import load_checkpoint_weights

RFC = "20261122-keras-tuner-end-to-end-workflows"


@api_export(
    ["keras_tuner.oracles.HyperbandOracle", "keras_tuner.oracles.Hyperband"],
    stability="stable",
    rfc=RFC,
)
class HyperbandOracle(Oracle):
    """Successive halving over several brackets (Hyperband).

    With `s_max = floor(log_factor(max_epochs))`, bracket `s` (from `s_max`
    down to 0) starts `ceil((s_max + 1) / (s + 1) * factor**s)` random
    configurations trained for `max_epochs / factor**s` epochs, then keeps
    the best `1/factor` of them for `factor` times more epochs, until
    `max_epochs`. Promoted trials continue from the checkpoint of the trial
    they come from. Each trial's values carry `tuner/epochs`,
    `tuner/initial_epoch`, `tuner/bracket`, `tuner/round` and
    `tuner/trial_id` (the trial it continues, or None).

    Args:
        objective: metric name, `kt.Objective` or list of them.
        max_epochs: epochs of the longest training (>= 1).
        factor: reduction factor between rounds (>= 2).
        hyperband_iterations: how many times to run all the brackets.
        seed: as for `kt.oracles.RandomSearchOracle`.
        hyperparameters: as for `kt.oracles.RandomSearchOracle`.
        allow_new_entries: as for `kt.oracles.RandomSearchOracle`.
        tune_new_entries: as for `kt.oracles.RandomSearchOracle`.
        max_retries_per_trial: as for `kt.oracles.RandomSearchOracle`.
        max_consecutive_failed_trials: as for `kt.oracles.RandomSearchOracle`.

    Examples:

    >>> oracle = HyperbandOracle(objective="val_loss", max_epochs=9, factor=3)
    >>> oracle.total_trials()
    22
    """

    def __init__(
        self,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        if not isinstance(max_epochs, int) or max_epochs < 1:
            raise ValueError(
                f"`max_epochs` must be an integer >= 1. Received: max_epochs={max_epochs!r}."
            )
        if not isinstance(factor, int) or factor < 2:
            raise ValueError(
                "Hyperband's factor needs to be an integer >= 2 (each round "
                f"keeps 1/factor of the models). Received: factor={factor!r}."
            )
        if not isinstance(hyperband_iterations, int) or hyperband_iterations < 1:
            raise ValueError(
                "`hyperband_iterations` must be an integer >= 1. Received: "
                f"{hyperband_iterations!r}."
            )
        super().__init__(
            objective=objective,
            max_trials=None,
            hyperparameters=hyperparameters,
            allow_new_entries=allow_new_entries,
            tune_new_entries=tune_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        self.max_epochs = max_epochs
        self.factor = factor
        self.hyperband_iterations = hyperband_iterations
        self.s_max = int(math.floor(math.log(max_epochs) / math.log(factor) + 1e-9))
        self._iteration = 0
        self._bracket_pos = 0  # 0 -> bracket s_max, ..., s_max -> bracket 0
        self._rounds = []  # trial ids of each round of the current bracket
        self._past = {}  # trial id -> id of the trial it continues

    # -- Schedule ---------------------------------------------------------
    def _initial_size(self, s):
        return int(math.ceil((self.s_max + 1) / (s + 1) * self.factor**s))

    def _round_size(self, s, k):
        return max(int(self._initial_size(s) // self.factor**k), 1)

    def _round_epochs(self, s, k):
        return max(int(round(self.max_epochs / self.factor ** (s - k))), 1)

    def total_trials(self):
        """Trials of a full run, if no configuration is exhausted or fails."""
        per_iteration = sum(
            self._round_size(s, k) for s in range(self.s_max + 1) for k in range(s + 1)
        )
        return per_iteration * self.hyperband_iterations

    def _ranked(self, trial_ids):
        completed = [
            self.trials[i]
            for i in trial_ids
            if self.trials[i].status == TrialStatus.COMPLETED
            and self.trials[i].score is not None
        ]
        sign = 1.0 if self.objective.direction == "min" else -1.0
        completed.sort(key=lambda t: (sign * t.score, t.trial_id))
        return [t.trial_id for t in completed]

    def _ended(self, trial_id):
        return self.trials[trial_id].status in (
            TrialStatus.COMPLETED,
            TrialStatus.FAILED,
        )

    def populate_space(self, trial_id):
        while True:
            if self._iteration >= self.hyperband_iterations:
                return {"status": TrialStatus.STOPPED}
            s = self.s_max - self._bracket_pos
            if not self._rounds:
                self._rounds = [[]]
            k = len(self._rounds) - 1
            current = self._rounds[k]
            if k == 0:
                target = self._round_size(s, 0)
                candidates = None
            else:
                promoted = {self._past[i] for i in current}
                ranked = self._ranked(self._rounds[k - 1])
                target = min(self._round_size(s, k), len(ranked))
                candidates = [i for i in ranked[:target] if i not in promoted]
            if len(current) < target:
                if k == 0:
                    values = self._random_values()
                    past = None
                    if values is None:  # the space is exhausted
                        if not current:
                            return {"status": TrialStatus.STOPPED}
                        self._rounds[0] = current  # the round ends with fewer trials
                        target = len(current)
                else:
                    past = candidates[0]
                    values = dict(self.trials[past].hyperparameters.values)
                if values is not None:
                    values.update(
                        {
                            "tuner/epochs": self._round_epochs(s, k),
                            "tuner/initial_epoch": self._round_epochs(s, k - 1)
                            if k
                            else 0,
                            "tuner/bracket": s,
                            "tuner/round": k,
                            "tuner/trial_id": past,
                        }
                    )
                    current.append(trial_id)
                    self._past[trial_id] = past
                    return {"status": TrialStatus.RUNNING, "values": values}
            if not all(self._ended(i) for i in current):
                return {"status": TrialStatus.IDLE}
            if k >= s or not self._ranked(current):
                self._rounds = []
                self._bracket_pos += 1
                if self._bracket_pos > self.s_max:
                    self._bracket_pos = 0
                    self._iteration += 1
            else:
                self._rounds.append([])

    def get_algorithm_state(self):
        return {
            "iteration": self._iteration,
            "bracket_pos": self._bracket_pos,
            "rounds": self._rounds,
            "past": self._past,
        }

    def set_algorithm_state(self, state):
        self._iteration = state.get("iteration", 0)
        self._bracket_pos = state.get("bracket_pos", 0)
        self._rounds = [list(r) for r in state.get("rounds", [])]
        self._past = dict(state.get("past", {}))


@api_export(
    ["keras_tuner.Hyperband", "keras_tuner.tuners.Hyperband"],
    stability="stable",
    rfc=RFC,
)
class Hyperband(Tuner):
    """A tuner running the Hyperband algorithm.

    The default `run_trial` trains each trial for `tuner/epochs` epochs
    starting at `tuner/initial_epoch`, continuing from the best-epoch
    weights of the trial it was promoted from. A custom `run_trial` reads
    these values from `trial.hyperparameters.values`.

    Reference: Li et al., "Hyperband: A Novel Bandit-Based Approach to
    Hyperparameter Optimization", JMLR 2018.

    Args:
        hypermodel: a `kt.HyperModel` or a function `build(hp)`.
        objective: metric name, `kt.Objective` or list of them.
        max_epochs: epochs of the longest training.
        factor: reduction factor between rounds.
        hyperband_iterations: how many times to run all brackets.
        seed: int, as for `kt.RandomSearch`.
        hyperparameters: `kt.HyperParameters`, as for `kt.RandomSearch`.
        tune_new_entries: bool, as for `kt.RandomSearch`.
        allow_new_entries: bool, as for `kt.RandomSearch`.
        max_retries_per_trial: int, as for `kt.RandomSearch`.
        max_consecutive_failed_trials: int, as for `kt.RandomSearch`.
        **kwargs: `kt.Tuner` arguments.

    Examples:

    A custom `run_trial` reads the epoch budget Hyperband gives each trial
    (see `kt.RandomSearch` for the model-building workflow):

    >>> import tempfile
    >>> import keras_tuner as kt
    >>> class Budgeted(kt.Hyperband):
    ...     def run_trial(self, trial, **kwargs):
    ...         rate = trial.hyperparameters.Float("rate", 0.1, 0.9)
    ...         return (1.0 - rate) ** trial.hyperparameters.values["tuner/epochs"]
    >>> tuner = Budgeted(max_epochs=9, factor=3, seed=0, directory=tempfile.mkdtemp(), project_name="hb")
    >>> tuner.search(verbose=0)
    >>> max(t.hyperparameters.values["tuner/epochs"] for t in tuner.oracle.trials.values())
    9
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        oracle = HyperbandOracle(
            objective=objective,
            max_epochs=max_epochs,
            factor=factor,
            hyperband_iterations=hyperband_iterations,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)

    @default_run_trial
    def run_trial(self, trial, *fit_args, **fit_kwargs):
        """Trains the trial's model for its bracket's epoch budget.

        Args:
            trial: the `Trial`; read `trial.hyperparameters`.
            *fit_args: what `search()` received positionally.
            **fit_kwargs: what `search()` received by keyword; `epochs`
                and `initial_epoch` are set from the bracket.

        Returns:
            A list of `History` objects (one per execution).
        """
        values = trial.hyperparameters.values
        if "tuner/epochs" in values:
            fit_kwargs["epochs"] = values["tuner/epochs"]
            fit_kwargs["initial_epoch"] = values["tuner/initial_epoch"]
        return super().run_trial(trial, *fit_args, **fit_kwargs)

    def _build_and_fit_model(self, trial, *args, **kwargs):
        hp = trial.hyperparameters
        model = self._try_build(hp)
        past = hp.values.get("tuner/trial_id")
        if past is not None:
            path = os.path.join(self.project_dir, f"trial_{past}", CHECKPOINT_WEIGHTS)
            if os.path.exists(path):
                load_checkpoint_weights(model, path)
        return self.hypermodel.fit(hp, model, *args, **kwargs)
