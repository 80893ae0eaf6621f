# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""One evaluation of one configuration: its values, status, metrics and score."""

import math
import time
import uuid

from keras_core import api_export
from keras_tuner.src.engine.hyperparameters import HyperParameters
from keras_tuner.src.engine.objective import infer_direction


@api_export("keras_tuner.engine.trial.TrialStatus", stability="experimental")
class TrialStatus:
    """The states of a trial.

    `RUNNING`: being evaluated. `IDLE`: the oracle has nothing to run yet
    (parallel searches). `STOPPED`: the search is over. `COMPLETED`: ended
    with metrics. `INVALID`: raised, may be retried. `FAILED`: raised and
    is not retried; its traceback is in `trial.message`.

    Examples:

    >>> from keras_tuner.src.engine.trial import TrialStatus
    >>> TrialStatus.COMPLETED
    'COMPLETED'
    """

    RUNNING = "RUNNING"
    IDLE = "IDLE"
    INVALID = "INVALID"
    STOPPED = "STOPPED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class MetricsTracker:
    """Per-metric observations of one trial: lists of `(value, step)`.

    Each metric has a direction (`"min"` or `"max"`): the one registered
    (the oracle registers its objectives'), else the one its name implies
    (`infer_direction`), else `"min"`.
    """

    def __init__(self):
        self.metrics = {}  # name -> list of {"value": float, "step": int}
        self.directions = {}  # name -> "min" | "max", registered

    def register(self, name, direction):
        """Records that `name` improves towards `direction` (`"min"`/`"max"`)."""
        if direction not in ("min", "max"):
            raise ValueError(
                f"`direction` of metric '{name}' must be 'min' or 'max'. "
                f"Received: direction={direction!r}."
            )
        self.directions[name] = direction

    def get_direction(self, name):
        """`"min"` or `"max"`: registered, else implied by the name, else min."""
        if name in self.directions:
            return self.directions[name]
        return infer_direction(name) or "min"

    def update(self, name, value, step=0):
        value = float(value)
        self.metrics.setdefault(name, []).append({"value": value, "step": int(step)})

    def exists(self, name):
        return name in self.metrics

    def get_history(self, name):
        return list(self.metrics.get(name, []))

    def get_last_value(self, name):
        history = self.metrics.get(name)
        return history[-1]["value"] if history else None

    def get_best_value(self, name, direction=None):
        direction = direction or self.get_direction(name)
        values = [
            o["value"] for o in self.metrics.get(name, []) if not math.isnan(o["value"])
        ]
        if not values:
            return None
        return min(values) if direction == "min" else max(values)

    def get_state(self):
        return {"metrics": self.metrics, "directions": dict(self.directions)}

    def set_state(self, state):
        self.metrics = {k: list(v) for k, v in state.get("metrics", {}).items()}
        self.directions = dict(state.get("directions", {}))


@api_export(
    ["keras_tuner.engine.trial.Trial", "keras_tuner.Trial"], stability="experimental"
)
class Trial:
    """A configuration being (or having been) evaluated.

    Your `run_trial(self, trial, ...)` receives one: read
    `trial.hyperparameters` for the values and use `trial.trial_id` to
    build unique paths (e.g. to save the model).

    Args:
        hyperparameters: the `HyperParameters` of this trial.
        trial_id: unique id (the oracle uses a zero-padded counter; a
            random hex string when not given).
        status: a `TrialStatus` value.
        message: why the trial failed (the traceback), if it did.

    Examples:

    >>> import keras_tuner as kt
    >>> trial = kt.Trial(kt.HyperParameters(), trial_id="0")
    >>> trial.trial_id
    '0'
    """

    def __init__(
        self, hyperparameters, trial_id=None, status=TrialStatus.RUNNING, message=None
    ):
        self.hyperparameters = hyperparameters
        # Without an id (a trial made by hand), a unique one.
        self.trial_id = trial_id if trial_id is not None else uuid.uuid4().hex[:12]
        self.status = status
        self.metrics = MetricsTracker()
        self.score = None
        self.best_step = 0
        self.message = message  # traceback of the last failure
        self.attempts = 0  # how many times it has started running
        self.started_at = None
        self.ended_at = None
        self.draw = 0  # index into the per-hyperparameter random streams
        self.initial_values = {}  # the values the oracle proposed

    def mark_started(self):
        self.attempts += 1
        self.started_at = time.time()

    @property
    def duration(self):
        if self.started_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    def get_state(self):
        return {
            "trial_id": self.trial_id,
            "hyperparameters": self.hyperparameters.get_config(),
            "status": self.status,
            "metrics": self.metrics.get_state(),
            "score": self.score,
            "best_step": self.best_step,
            "message": self.message,
            "attempts": self.attempts,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
        }

    def set_state(self, state):
        self.trial_id = state["trial_id"]
        self.hyperparameters = HyperParameters.from_config(state["hyperparameters"])
        self.status = state["status"]
        self.metrics.set_state(state.get("metrics", {}))
        self.score = state.get("score")
        self.best_step = state.get("best_step", 0)
        self.message = state.get("message")
        self.attempts = state.get("attempts", 0)
        self.started_at = state.get("started_at")
        self.ended_at = state.get("ended_at")

    @classmethod
    def from_state(cls, state):
        trial = cls(HyperParameters())
        trial.set_state(state)
        return trial

    def summary(self):
        """Prints the values and score of this trial."""
        print(f"Trial {self.trial_id} summary")
        print("Hyperparameters:")
        for name, value in self.hyperparameters.active_values().items():
            print(f"{name}: {value}")
        if self.score is not None:
            print(f"Score: {self.score}")
        if self.message is not None and self.status == TrialStatus.FAILED:
            print(self.message)

    def __repr__(self):
        return (
            f"Trial(trial_id={self.trial_id!r}, status={self.status!r}, "
            f"score={self.score!r}, values={self.hyperparameters.values!r})"
        )
