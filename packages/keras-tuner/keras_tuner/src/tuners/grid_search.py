# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Grid search: every combination of values, in order, each exactly once."""

from keras_core import api_export
from keras_tuner.src.engine.hyperparameters import Fixed
from keras_tuner.src.engine.oracle import Oracle
from keras_tuner.src.engine.oracle import values_hash
from keras_tuner.src.engine.trial import TrialStatus
from keras_tuner.src.engine.tuner import Tuner

RFC = "20261122-keras-tuner-end-to-end-workflows"


@api_export(
    ["keras_tuner.oracles.GridSearchOracle", "keras_tuner.oracles.GridSearch"],
    stability="stable",
    rfc=RFC,
)
class GridSearchOracle(Oracle):
    """Proposes every combination of hyperparameter values once.

    Combinations are enumerated in declaration order, the first
    hyperparameter varying slowest. `Int`, `Choice`, `Boolean` and `Float`
    with a `step` contribute all their values, default first; a `Float`
    without a step contributes its default and 10 values spread according
    to its sampling. Conditional
    hyperparameters are enumerated only where they are active. The next
    combination is always "the first one not tried yet", computed from the
    recorded trials, so an interrupted search resumes exactly where it was.

    Args:
        objective: metric name, `kt.Objective` or list of them.
        max_trials: optional cap on the number of trials (default: the
            whole grid).
        seed: unused by the grid itself; kept for a uniform signature.
        hyperparameters: as for `kt.oracles.RandomSearchOracle`.
        allow_new_entries: as for `kt.oracles.RandomSearchOracle`.
        tune_new_entries: as for `kt.oracles.RandomSearchOracle`.
        max_retries_per_trial: as for `kt.oracles.RandomSearchOracle`.
        max_consecutive_failed_trials: as for `kt.oracles.RandomSearchOracle`.

    Examples:

    >>> oracle = GridSearchOracle(objective="val_loss")
    >>> print(oracle.max_trials)
    None
    """

    def __init__(
        self,
        objective=None,
        max_trials=None,
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

    def new_entry_value(self, hp, draw):
        return hp.default

    def _grid(self):
        """Yields (values, active values) for every grid point, in order."""
        space = self.hyperparameters.space

        def walk(index, values):
            if index == len(space):
                hps = self.hyperparameters.copy()
                hps.values = dict(values)
                yield dict(values), hps.active_values()
                return
            hp = space[index]
            hps = self.hyperparameters.copy()
            hps.values = dict(values)
            if hps.is_active(hp) and self.is_tuned(hp):
                # The default first, then the other values (keras-tuner 1.4's
                # order: a stepless Float's default is an extra grid point).
                choices = [hp.value] if isinstance(hp, Fixed) else [hp.default]
                choices += [v for v in hp.values if v != hp.default]
            elif hp.name in values:
                # An inactive twin (same name, another conditional branch):
                # the value already chosen stays.
                yield from walk(index + 1, values)
                return
            else:
                choices = [hp.default]
            for choice in choices:
                values[hp.name] = choice
                yield from walk(index + 1, values)
            values.pop(hp.name, None)

        yield from walk(0, {})

    def _may_become(self, running, active):
        """Whether a running trial with `running` values may end as `active`.

        Hyperparameters its code has not declared yet get their defaults
        when it does (a grid search gives new entries their default), so
        the grid point that extends `running` with defaults is taken.
        """
        defaults = {}
        for hp in self.hyperparameters.space:
            defaults.setdefault(hp.name, []).append(hp.default)
        return all(active.get(k) == v for k, v in running.items()) and all(
            value in defaults.get(name, [value])
            for name, value in active.items()
            if name not in running
        )

    def _completed_values(self):
        """Active values (of the space) of each completed trial."""
        space = {hp.name for hp in self.hyperparameters.space}
        return [
            {k: v for k, v in t.hyperparameters.active_values().items() if k in space}
            for t in self.trials.values()
            if t.status == TrialStatus.COMPLETED
        ]

    def populate_space(self, trial_id):
        tried = self._tried_hashes()
        # A completed trial also covers the grid points that differ from it
        # only in hyperparameters its code never declared (e.g. the other
        # branch's entries, found while trials ran): running them would
        # repeat it.
        completed = self._completed_values()
        running = [t.hyperparameters.values for t in self.ongoing_trials.values()]
        # Whether the point just before the current one in grid order is a
        # trial's own point (tried, or covered by a completed trial). A point
        # that follows one a running trial only may become (it has not
        # declared all its hyperparameters yet) waits: the hyperparameters
        # that trial declares insert their points right after its own, so
        # the grid is still visited in order (as in keras-tuner 1.4, where
        # concurrent `create_trial` calls then return IDLE).
        after_a_trial = True  # the first point has no predecessor
        for values, active in self._grid():
            if values_hash(active) in tried or any(
                all(active.get(k) == v for k, v in c.items()) for c in completed
            ):
                after_a_trial = True
                continue
            if any(self._may_become(r, active) for r in running):
                after_a_trial = False
                continue
            if after_a_trial:
                return {"status": TrialStatus.RUNNING, "values": values}
            after_a_trial = False
        if self.ongoing_trials:
            # Trials still running may declare new hyperparameters, which
            # extend the grid: wait for them (as keras-tuner 1.4 does).
            return {"status": TrialStatus.IDLE}
        return {"status": TrialStatus.STOPPED}


@api_export(
    ["keras_tuner.GridSearch", "keras_tuner.tuners.GridSearch"],
    stability="stable",
    rfc=RFC,
)
class GridSearch(Tuner):
    """A tuner that tries every combination of hyperparameter values.

    Args:
        hypermodel: a `kt.HyperModel` or a function `build(hp)`.
        objective: metric name, `kt.Objective` or list of them.
        max_trials: optional cap (default: the whole grid).
        seed: int, as for `kt.RandomSearch`.
        hyperparameters: `kt.HyperParameters`, as for `kt.RandomSearch`.
        tune_new_entries: bool, as for `kt.RandomSearch`.
        allow_new_entries: bool, as for `kt.RandomSearch`.
        max_retries_per_trial: int, as for `kt.RandomSearch`.
        max_consecutive_failed_trials: int, as for `kt.RandomSearch`.
        **kwargs: `kt.Tuner` arguments.

    Examples:

    The grid of a `run_trial` search space: 2 x 3 configurations, each
    tried once (see `kt.RandomSearch` for the model-building workflow).

    >>> import tempfile
    >>> import keras_tuner as kt
    >>> class Grid(kt.GridSearch):
    ...     def run_trial(self, trial, **kwargs):
    ...         hp = trial.hyperparameters
    ...         return hp.Int("a", 0, 1) + hp.Choice("b", [0.5, 0.25, 0.0])
    >>> tuner = Grid(directory=tempfile.mkdtemp(), project_name="grid")
    >>> tuner.search(verbose=0)
    >>> len(tuner.oracle.trials), tuner.get_best_hyperparameters()[0].values
    (6, {'a': 0, 'b': 0.0})
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=None,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        oracle = GridSearchOracle(
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
