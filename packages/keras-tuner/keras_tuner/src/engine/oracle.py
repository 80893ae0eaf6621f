# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The oracle: proposes trials, records their results, persists the search.

An oracle owns the search state: the search space, every trial with its
values, status and metrics, the retry queue and the algorithm's own
state. All of it lives in one JSON file, `oracle.json`, in the project
directory, rewritten atomically (`state.write_json`) each time a trial
starts or ends. A search killed at any moment therefore restarts from a
consistent state: completed trials are kept, and a trial that was running
is queued to run again under the same id, so it is not counted twice
against `max_trials`.
"""

import copy
import functools
import json
import os
import threading
import time
import traceback
import warnings
import weakref

import numpy as np

from keras_core import api_export
from keras_tuner.src.engine import errors
from keras_tuner.src.engine import project as project_lib
from keras_tuner.src.engine import state as state_io
from keras_tuner.src.engine.hyperparameters import Fixed
from keras_tuner.src.engine.hyperparameters import HyperParameters
from keras_tuner.src.engine.objective import Objective
from keras_tuner.src.engine.objective import create_objective
from keras_tuner.src.engine.trial import Trial
from keras_tuner.src.engine.trial import TrialStatus

STATE_FILE = "oracle.json"
_LOCKS = weakref.WeakKeyDictionary()  # oracle -> its re-entrant lock
_LOCKS_GUARD = threading.Lock()


@api_export(
    ["keras_tuner.synchronized", "keras_tuner.engine.oracle.synchronized"],
    stability="experimental",
)
def synchronized(method):
    """Makes an `Oracle` method run one call at a time per oracle.

    Calls to decorated methods of the same oracle (the same method or
    different ones) from several threads wait for each other; calls on
    different oracles do not. The lock is re-entrant, so a decorated
    override may call a decorated `super()` method. `create_trial`,
    `update_trial` and `end_trial` of `kt.Oracle` are decorated already.

    Args:
        method: a method of an `Oracle` subclass.

    Examples:

    >>> import keras_tuner as kt
    >>> class MyOracle(kt.oracles.RandomSearchOracle):
    ...     @kt.synchronized
    ...     def create_trial(self, tuner_id):
    ...         return super().create_trial(tuner_id)
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with _LOCKS_GUARD:
            lock = _LOCKS.setdefault(self, threading.RLock())
        with lock:
            return method(self, *args, **kwargs)

    return wrapper


_MAX_SAMPLING_ATTEMPTS = 200


def values_hash(values):
    """A stable key of a configuration (its active values)."""
    return json.dumps(
        {k: v for k, v in sorted(values.items()) if not k.startswith("tuner/")},
        sort_keys=True,
        default=str,
    )


@api_export(
    [
        "keras_tuner.Oracle",
        "keras_tuner.oracles.Oracle",
        "keras_tuner.engine.oracle.Oracle",
    ],
    stability="experimental",
)
class Oracle:
    """Base class of search algorithms.

    Subclasses implement `populate_space(trial_id)`, which returns
    `{"status": "RUNNING", "values": {...}}` with the values of the next
    trial, or `{"status": "STOPPED"}` when the search is over. The base
    class handles trial bookkeeping, retries, failure limits, best-trial
    ranking and crash-safe persistence.

    Args:
        objective: a metric name, a `kt.Objective`, or a list of them. None
            (for `run_trial` code that returns a single number) minimises
            that number.
        max_trials: number of trials to run (None: until the algorithm
            stops). Trials that are retried or resumed after a crash count
            once.
        hyperparameters: optional `HyperParameters` declaring (part of) the
            search space up front, or overriding the ranges of
            hyperparameters declared in the model code.
        allow_new_entries: whether model code may declare hyperparameters
            not in `hyperparameters`.
        tune_new_entries: whether such new hyperparameters are searched (if
            False they keep their default).
        seed: random seed. Each hyperparameter draws from its own stream
            derived from the seed and its name.
        max_retries_per_trial: how many times a trial that raised is run
            again before it is recorded as failed.
        max_consecutive_failed_trials: the search stops with a
            `RuntimeError` after this many failed trials in a row.

    Examples:

    >>> import keras_tuner as kt
    >>> oracle = kt.oracles.RandomSearchOracle(objective="val_loss", max_trials=3)
    >>> isinstance(oracle, kt.Oracle)
    True
    """

    def __init__(
        self,
        objective=None,
        max_trials=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        seed=None,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        self.objective = create_objective(objective)
        if max_trials is not None and (
            not isinstance(max_trials, (int, np.integer)) or max_trials < 1
        ):
            raise ValueError(
                f"`max_trials` must be a positive integer or None. Received: "
                f"max_trials={max_trials!r}."
            )
        if not isinstance(max_retries_per_trial, int) or max_retries_per_trial < 0:
            raise ValueError(
                "`max_retries_per_trial` must be an integer >= 0. Received: "
                f"{max_retries_per_trial!r}."
            )
        if (
            not isinstance(max_consecutive_failed_trials, int)
            or max_consecutive_failed_trials < 1
        ):
            raise ValueError(
                "`max_consecutive_failed_trials` must be an integer >= 1. Received: "
                f"{max_consecutive_failed_trials!r}."
            )
        if hyperparameters is not None and not isinstance(
            hyperparameters, HyperParameters
        ):
            raise TypeError(
                "`hyperparameters` must be a `kt.HyperParameters`. Received: "
                f"{hyperparameters!r}."
            )
        if hyperparameters is None:
            for name, value in (
                ("tune_new_entries", tune_new_entries),
                ("allow_new_entries", allow_new_entries),
            ):
                if not value:
                    raise ValueError(
                        f"`{name}=False` needs the search space: without "
                        "`hyperparameters` every hyperparameter is a new entry, "
                        f"so {'none would be searched' if name[0] == 't' else 'the model code could declare none'}. "
                        "Pass `hyperparameters=kt.HyperParameters()` with the "
                        f"entries to search, or leave `{name}=True`."
                    )
        self.max_trials = None if max_trials is None else int(max_trials)
        self.hyperparameters = (
            hyperparameters.copy() if hyperparameters is not None else HyperParameters()
        )
        self._declared_names = {hp.name for hp in self.hyperparameters.space}
        # The space given here overrides declarations of the same names in
        # model code (a different range there is not an error).
        self.hyperparameters.set_new_entry_rules(overridable=self._declared_names)
        self.allow_new_entries = allow_new_entries
        self.tune_new_entries = tune_new_entries
        if seed is None:
            seed = int.from_bytes(os.urandom(4), "little")
        self.seed = int(seed)
        self.max_retries_per_trial = max_retries_per_trial
        self.max_consecutive_failed_trials = max_consecutive_failed_trials

        self.trials = {}
        self.ongoing_trials = {}  # tuner_id -> Trial
        self.start_order = []
        self.end_order = []
        self._retry_queue = []
        self._draw_count = 0
        self._consecutive_failures = 0
        self._project_dir = None
        self._is_worker_copy = False  # set on `worker_copy()`s: never saves

    # -- Algorithm hooks --------------------------------------------------
    def populate_space(self, trial_id):
        """Returns `{"status": ..., "values": {...}}` for the next trial."""
        raise NotImplementedError

    def new_entry_value(self, hp, draw):
        """Value of a hyperparameter first declared while trial `draw` runs.

        A search space declared only inside `run_trial` is therefore
        searched from the first trial on.
        """
        if not self.tune_new_entries or isinstance(hp, Fixed):
            return hp.default
        return hp.random_sample(self.seed, draw)

    def get_algorithm_state(self):
        """Extra state a subclass needs to resume."""
        return {}

    def set_algorithm_state(self, state):
        pass

    # -- Sampling helpers -------------------------------------------------
    def _next_draw(self):
        draw = self._draw_count
        self._draw_count += 1
        return draw

    def is_tuned(self, hp):
        """Whether the search chooses the value of `hp`.

        False for a `Fixed` hyperparameter and, with
        `tune_new_entries=False`, for one that is not in the search space
        given to the oracle: those keep their default. For algorithms
        (`populate_space`) that build their own model of the space.

        Args:
            hp: a `HyperParameter` of the space.

        Returns:
            bool.
        """
        if isinstance(hp, Fixed):
            return False
        return self.tune_new_entries or hp.name in self._declared_names

    def _tried_hashes(self):
        # Only values of the search space count: with tune_new_entries=False
        # a trial also holds defaults of entries the space does not have.
        space = {hp.name for hp in self.hyperparameters.space}
        return {
            values_hash(
                {
                    k: v
                    for k, v in t.hyperparameters.active_values().items()
                    if k in space
                }
            )
            for t in self.trials.values()
        }

    def fill_values(self, chooser):
        """Values of the whole space, chosen in declaration order.

        For `populate_space` implementations: walks the search space so
        that conditions see the values chosen for their parents. Active
        hyperparameters that `is_tuned` get `chooser(hp)`; the others keep
        their default.

        Args:
            chooser: a callable `hp -> value`.

        Returns:
            A tuple `(values, active_values)` of dicts `{name: value}`:
            every declared name, and only the active ones.

        Examples:

        >>> import keras_tuner as kt
        >>> hp = kt.HyperParameters()
        >>> _ = hp.Int("units", 1, 9)
        >>> oracle = kt.oracles.RandomSearchOracle(hyperparameters=hp)
        >>> oracle.fill_values(lambda h: h.prob_to_value(0.0))[0]
        {'units': 1}
        """
        hps = self.hyperparameters.copy()
        for hp in hps.space:
            if hps.is_active(hp) and self.is_tuned(hp):
                hps.values[hp.name] = chooser(hp)
            elif hps.is_active(hp) or hp.name not in hps.values:
                # An inactive twin (same name, other branch) keeps the value.
                hps.values[hp.name] = hp.default
        return hps.values, hps.active_values()

    def _random_values(self):
        """Random values not tried before, or None if none could be found."""
        if not any(self.is_tuned(hp) for hp in self.hyperparameters.space):
            # Nothing declared yet (e.g. the first trials failed before
            # declaring anything): the running trial samples what it declares.
            return self.fill_values(lambda hp: hp.default)[0]
        tried = self._tried_hashes()
        for _ in range(_MAX_SAMPLING_ATTEMPTS):
            draw = self._next_draw()
            values, active = self.fill_values(
                lambda hp, draw=draw: hp.random_sample(self.seed, draw)
            )
            if values_hash(active) not in tried:
                return values
        return None

    # -- Trial life cycle -------------------------------------------------
    @property
    def remaining_trials(self):
        if self.max_trials is None:
            return None
        return max(self.max_trials - len(self.trials), 0)

    def _make_trial_hps(self, values, draw):
        hps = self.hyperparameters.copy()
        hps.values.update(values or {})
        self._apply_new_entry_rules(hps, draw)
        return hps

    def _apply_new_entry_rules(self, hps, draw):
        hps.set_new_entry_rules(
            allow_new_entries=bool(self.allow_new_entries),
            new_value_fn=lambda hp: self.new_entry_value(hp, draw),
            overridable=self._declared_names,
        )

    def _attach_new_value_fn(self, trial):
        self._apply_new_entry_rules(trial.hyperparameters, trial.draw)

    def worker_copy(self):
        """A copy of this oracle for a process that runs single trials.

        It keeps the objective, seed, search space and rules (to score
        results and to draw values of hyperparameters declared while a
        trial runs) but none of the trials, and never writes the state
        file: the oracle of the search does. Used by distributed backends
        (`kt.distribute.RayBackend`) to ship the oracle to workers.

        Returns:
            A shallow copy with empty trial records and an absolute
            project directory.
        """
        clone = copy.copy(self)
        clone.trials = {}
        clone.ongoing_trials = {}
        clone.start_order = []
        clone.end_order = []
        clone._retry_queue = []
        clone._is_worker_copy = True
        if clone._project_dir is not None:
            clone._project_dir = os.path.abspath(clone._project_dir)
        return clone

    def attach_trial(self, trial):
        """Makes `trial` follow this oracle's rules and records it.

        Hyperparameters that `trial`'s code declares then obey
        `allow_new_entries`, the overrides of the `hyperparameters` given
        to the oracle, and take the values this oracle would draw for
        them. Used for a trial rebuilt elsewhere (from `Trial.get_state()`
        on a worker, or from a worker's result).

        Args:
            trial: a `kt.Trial` (its `draw`, if set, keeps its random stream).
        """
        self._attach_new_value_fn(trial)
        self.trials[trial.trial_id] = trial

    @synchronized
    def create_trial(self, tuner_id="tuner0"):
        """The next trial to run (status RUNNING), or one with status STOPPED/IDLE."""
        if tuner_id in self.ongoing_trials:
            return self.ongoing_trials[tuner_id]
        if self._retry_queue:
            trial = self.trials[self._retry_queue.pop(0)]
            trial.status = TrialStatus.RUNNING
            trial.ended_at = None
            # Values declared while the previous attempt ran are forgotten,
            # so the rerun draws them again exactly as the first attempt did.
            trial.hyperparameters.values = {
                k: v
                for k, v in trial.hyperparameters.values.items()
                if k in trial.initial_values or k in self.hyperparameters
            }
            return self._start(trial, tuner_id)
        if self.max_trials is not None and len(self.trials) >= self.max_trials:
            return Trial(self.hyperparameters.copy(), status=TrialStatus.STOPPED)
        trial_id = f"{len(self.trials):04d}"
        response = self.populate_space(trial_id) or {}
        status = response.get("status", TrialStatus.RUNNING)
        values = response.get("values")
        if status == TrialStatus.RUNNING and values is None:
            status = TrialStatus.STOPPED
        if status != TrialStatus.RUNNING:
            return Trial(self.hyperparameters.copy(), status=status)
        draw = response.get("draw")
        if draw is None:
            draw = self._next_draw()
        trial = Trial(self._make_trial_hps(values, draw), trial_id=trial_id)
        trial.draw = draw
        trial.initial_values = dict(trial.hyperparameters.values)
        self.trials[trial_id] = trial
        return self._start(trial, tuner_id)

    def _start(self, trial, tuner_id):
        self._attach_new_value_fn(trial)
        trial.mark_started()
        self.ongoing_trials[tuner_id] = trial
        self.start_order.append(trial.trial_id)
        self.save()
        return trial

    @synchronized
    def update_trial(self, trial_id, metrics, step=0):
        """Records metric values (`{name: value}`) for a running trial.

        Raises `ValueError` when `metrics` lacks the objective.
        """
        if not self.objective.has_value(metrics):
            wanted = [o.name for o in getattr(self.objective, "objectives", [])] or [
                self.objective.name
            ]
            raise ValueError(
                f"Objective value missing in the metrics reported for trial "
                f"{trial_id}: expected {wanted}, received {sorted(metrics)}. Report "
                "the objective, or create the tuner with `objective=` set to one "
                "of the metrics you report."
            )
        trial = self.trials[trial_id]
        for objective in getattr(self.objective, "objectives", [self.objective]):
            if objective.name in metrics:
                trial.metrics.register(objective.name, objective.direction)
        for name, value in metrics.items():
            trial.metrics.update(name, value, step)
        return trial.status

    def update_space(self, hyperparameters):
        """Adds hyperparameters declared by model code to the search space.

        With `allow_new_entries=False`, a hyperparameter that is not in the
        space raises; with `tune_new_entries=False`, new ones are not added
        (trials use their defaults).
        """
        known = {(hp.name, repr(hp.conditions)) for hp in self.hyperparameters.space}
        new = [
            hp
            for hp in hyperparameters.space
            if (hp.name, repr(hp.conditions)) not in known
        ]
        if new and not self.allow_new_entries:
            raise errors.SearchSpaceError(
                f"`allow_new_entries` is `False` (the tuner was created with "
                f"`allow_new_entries=False`), but the model code declared "
                f"hyperparameters that are not in the search space: "
                f"{sorted({hp.name for hp in new})}. Declare them in the "
                "`hyperparameters` passed to the tuner, or allow new entries."
            )
        if not self.tune_new_entries:
            return
        self.hyperparameters.merge(new, overwrite=False)

    def score_trial(self, trial):
        """Sets `trial.score` (and `best_step`) from its recorded metrics."""
        objective = self.objective
        subs = getattr(objective, "objectives", [objective])
        best = {}
        for o in subs:
            history = trial.metrics.get_history(o.name)
            if not history:
                raise ValueError(
                    f"Trial {trial.trial_id} reported no value for the objective "
                    f"'{o.name}'. It reported: {sorted(trial.metrics.metrics)}."
                )
            values = [h["value"] for h in history]
            if all(np.isnan(v) for v in values):
                # Diverged training: end_trial makes the trial INVALID.
                trial.score = float("nan")
                return
            index = int(
                np.nanargmin(values) if o.direction == "min" else np.nanargmax(values)
            )
            best[o.name] = values[index]
            trial.best_step = history[index]["step"]
        trial.score = float(objective.get_value(best))

    @synchronized
    def end_trial(self, trial, status=None):
        """Ends a running trial; `trial.status` says how it went.

        `COMPLETED` trials are scored. `INVALID` (the trial raised) is
        retried up to `max_retries_per_trial` times, then `FAILED`.
        Raises `RuntimeError` once `max_consecutive_failed_trials` trials
        failed in a row.
        """
        if not isinstance(trial, Trial):  # keras-tuner 1.x: end_trial(trial_id, status)
            trial = self.trials[trial]
        if status is not None:
            trial.status = status
        stored = self.trials.get(trial.trial_id, trial)
        if stored is not trial:
            stored.status, stored.message = trial.status, trial.message
            stored.metrics = trial.metrics
            trial = stored
        for tuner_id, running in list(self.ongoing_trials.items()):
            if running.trial_id == trial.trial_id:
                del self.ongoing_trials[tuner_id]
        self.update_space(trial.hyperparameters)
        trial.ended_at = time.time()
        if trial.status == TrialStatus.COMPLETED:
            try:
                self.score_trial(trial)
            except ValueError:
                trial.status = TrialStatus.FAILED
                trial.message = traceback.format_exc()
            else:
                if trial.score is not None and np.isnan(trial.score):
                    self._invalidate_nan_trial(trial)
        if trial.status == TrialStatus.INVALID:
            if trial.attempts <= self.max_retries_per_trial:
                self._retry_queue.append(trial.trial_id)
                self.save()
                return
            trial.status = TrialStatus.FAILED
        if trial.status == TrialStatus.RUNNING:
            trial.status = TrialStatus.COMPLETED
        self.end_order.append(trial.trial_id)
        if trial.status == TrialStatus.FAILED:
            self._consecutive_failures += 1
        else:
            self._consecutive_failures = 0
        self.on_trial_end(trial)
        self.save()
        if trial.status == TrialStatus.FAILED and (
            self._consecutive_failures >= self.max_consecutive_failed_trials
        ):
            raise RuntimeError(
                "Number of consecutive failed trials: "
                f"{self._consecutive_failures} ({self._consecutive_failures} trials "
                "failed in a row), which reaches "
                f"`max_consecutive_failed_trials={self.max_consecutive_failed_trials}`; "
                "the search stops. Fix the error below (or raise the limit). Traceback "
                f"of trial {trial.trial_id}:\n{trial.message}"
            )

    def _invalidate_nan_trial(self, trial):
        """A NaN objective makes the trial INVALID (as in keras-tuner 1.4)."""
        subs = getattr(self.objective, "objectives", [self.objective])
        nan_names = [
            o.name
            for o in subs
            if all(np.isnan(h["value"]) for h in trial.metrics.get_history(o.name))
        ]
        trial.status = TrialStatus.INVALID
        trial.score = None
        trial.message = (
            f"Trial {trial.trial_id}: the objective {nan_names} was NaN at every "
            "step it was reported, so the trial has no score; it is recorded as "
            "INVALID (retried if `max_retries_per_trial` allows, then FAILED) and "
            "is never ranked among the best trials. A NaN loss usually means the "
            "training diverged (learning rate too high) or the data holds NaN: "
            "narrow the search space, or check the data."
        )
        warnings.warn(trial.message, RuntimeWarning, stacklevel=3)

    def on_trial_end(self, trial):
        """Hook for subclasses, called once a trial has ended for good."""

    def get_trial(self, trial_id):
        return self.trials[trial_id]

    def get_space(self):
        return self.hyperparameters.copy()

    def completed_trials(self):
        return [
            self.trials[i]
            for i in sorted(self.trials)
            if self.trials[i].status == TrialStatus.COMPLETED
            and self.trials[i].score is not None
        ]

    def get_best_trials(self, num_trials=1):
        """The `num_trials` completed trials with the best scores, best first."""
        trials = self.completed_trials()
        sign = 1.0 if self.objective.direction == "min" else -1.0
        trials.sort(
            key=lambda t: (
                np.isnan(t.score),
                sign * t.score if not np.isnan(t.score) else 0,
            )
        )
        return trials[:num_trials]

    # -- Persistence ------------------------------------------------------
    @property
    def project_dir(self):
        """The project directory (where `oracle.json` is), or None if not set."""
        return self._project_dir

    def set_project_dir(self, directory, project_name, overwrite=False):
        """Opens (creating it if needed) the project `directory/project_name`.

        The tuner calls this when it is created. A project that holds an
        `oracle.json` is resumed: its trials are loaded. `overwrite=True`
        first deletes the files a tuner project holds (only those), under
        the project's lock.

        Args:
            directory: the parent directory.
            project_name: one folder name (no path separators).
            overwrite: bool, whether to start the project over.
        """
        self._project_dir = project_lib.open_project(directory, project_name, overwrite)
        self._state_stamp = None
        if os.path.exists(self.state_path):
            self.reload()

    def _set_project_dir(self, directory, project_name, overwrite=False):
        # The keras-tuner 1.4 name, which 1.4 code (and its tests) call.
        self.set_project_dir(directory, project_name, overwrite)

    def _state_file_stamp(self):
        try:
            stat = os.stat(self.state_path)
        except (OSError, TypeError):
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def reload_if_changed(self):
        """Reloads the state file if another process wrote it since we last did."""
        if self.state_path is None or not os.path.exists(self.state_path):
            return
        if self._state_file_stamp() != getattr(self, "_state_stamp", None):
            self.reload()

    @property
    def state_path(self):
        if self._project_dir is None:
            return None
        return os.path.join(self._project_dir, STATE_FILE)

    def get_state(self):
        return {
            "format": 1,
            "oracle": type(self).__name__,
            "objective": self.objective.get_config(),
            "max_trials": self.max_trials,
            "seed": self.seed,
            "hyperparameters": self.hyperparameters.get_config(),
            "trials": [
                dict(
                    self.trials[i].get_state(),
                    draw=getattr(self.trials[i], "draw", 0),
                    initial_values=getattr(self.trials[i], "initial_values", {}),
                )
                for i in sorted(self.trials)
            ],
            "start_order": self.start_order,
            "end_order": self.end_order,
            "retry_queue": self._retry_queue,
            "running": sorted({t.trial_id for t in self.ongoing_trials.values()}),
            "draw_count": self._draw_count,
            "consecutive_failures": self._consecutive_failures,
            "algorithm": self.get_algorithm_state(),
        }

    def set_state(self, state):
        path = self.state_path or STATE_FILE
        if "format" not in state and "tried_so_far" in state:
            raise state_io.StateFileError(
                f"The project in '{self._project_dir}' was written by keras-tuner "
                "1.x, whose search state this version cannot resume. Its results "
                "stay readable in the trial_*/trial.json files. To search again, "
                "pass `overwrite=True` (this deletes that project) or use another "
                "`project_name` or `directory`."
            )
        try:
            if state.get("oracle") != type(self).__name__:
                raise errors.ProjectMismatchError(
                    f"The project was created by a {state.get('oracle')} oracle, not a "
                    f"{type(self).__name__}. Use another `project_name`, or pass "
                    "`overwrite=True` to discard the previous search."
                )
            self.seed = state["seed"]
            self.hyperparameters.merge(
                HyperParameters.from_config(state["hyperparameters"]).space,
                overwrite=False,
            )
            self.trials = {}
            for trial_state in state["trials"]:
                trial = Trial.from_state(trial_state)
                trial.draw = trial_state.get("draw", 0)
                trial.initial_values = trial_state.get("initial_values", {})
                self.trials[trial.trial_id] = trial
            self.start_order = list(state["start_order"])
            self.end_order = list(state["end_order"])
            self._draw_count = state["draw_count"]
            self._consecutive_failures = state["consecutive_failures"]
            # Trials that were running when the process died run again first,
            # under their own ids (they already count against max_trials).
            interrupted = [
                t.trial_id
                for t in self.trials.values()
                if t.status == TrialStatus.RUNNING
            ]
            queue = [i for i in interrupted if i not in state["retry_queue"]]
            self._retry_queue = sorted(queue) + list(state["retry_queue"])
            self.ongoing_trials = {}
            self.set_algorithm_state(state.get("algorithm", {}))
        except (KeyError, TypeError, AttributeError) as error:
            raise state_io.StateFileError(
                f"The search state file '{path}' is incomplete or from an unknown "
                f"format ({type(error).__name__}: {error}). Delete it or pass "
                "`overwrite=True` to start afresh."
            ) from error
        saved_objective = Objective.from_config(state["objective"])
        if saved_objective != self.objective:
            raise errors.ProjectMismatchError(
                f"The project in '{self._project_dir}' was searched with objective "
                f"{saved_objective!r}, but this tuner has {self.objective!r}. Use "
                "another `project_name`, or pass `overwrite=True` to start afresh."
            )

    def save(self):
        if self.state_path is None or getattr(self, "_is_worker_copy", False):
            return
        state_io.write_json(self.state_path, self.get_state())
        self._state_stamp = self._state_file_stamp()

    def reload(self):
        self.set_state(state_io.read_json(self.state_path))
        self._state_stamp = self._state_file_stamp()

    # keras-tuner 1.x name.
    def _get_trial_dir(self, trial_id):
        return os.path.join(self._project_dir, f"trial_{trial_id}")
