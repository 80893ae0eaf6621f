# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Clear errors for NaN objectives, damaged checkpoints and deleted trial folders."""

import os
import shutil

import keras
import numpy as np
import pytest

import keras_tuner as kt
from keras_tuner.src.engine.errors import StateFileError


class NaNForSomeTuner(kt.Tuner):
    """x < 0 "diverges" (NaN objective); x >= 0 gives a finite one."""

    def run_trial(self, trial, *args, **kwargs):
        x = trial.hyperparameters.Choice("x", [-2.0, -1.0, 1.0, 2.0])
        return float("nan") if x < 0 else (x - 1.0) ** 2


def test_nan_objective_makes_the_trial_invalid_and_it_is_never_best(tmp_path):
    tuner = NaNForSomeTuner(
        max_trials=4,
        directory=str(tmp_path),
        project_name="n",
        seed=2,
        max_consecutive_failed_trials=4,
    )
    with pytest.warns(RuntimeWarning, match="was NaN at every step"):
        tuner.search(verbose=0)
    trials = list(tuner.oracle.trials.values())
    nan_trials = [t for t in trials if t.hyperparameters.get("x") < 0]
    assert nan_trials and len(nan_trials) < len(trials)
    for trial in nan_trials:
        # INVALID, then FAILED as retries are exhausted (keras-tuner 1.4).
        assert trial.status == "FAILED"
        assert trial.score is None
        assert "['default_objective'] was NaN" in trial.message
    best = tuner.oracle.get_best_trials(len(trials))
    assert {t.hyperparameters.get("x") for t in best} <= {1.0, 2.0}
    assert tuner.get_best_hyperparameters()[0].get("x") == 1.0


def test_nan_trial_is_retried_when_retries_are_allowed(tmp_path):
    tuner = NaNForSomeTuner(
        max_trials=1,
        directory=str(tmp_path),
        project_name="r",
        seed=0,
        hyperparameters=_fixed_x(-1.0),
        max_retries_per_trial=2,
        max_consecutive_failed_trials=5,
    )
    with pytest.warns(RuntimeWarning):
        tuner.search(verbose=0)
    (trial,) = tuner.oracle.trials.values()
    assert trial.attempts == 3 and trial.status == "FAILED"


def _fixed_x(value):
    hp = kt.HyperParameters()
    hp.Fixed("x", value)
    return hp


def test_all_nan_search_explains_itself(tmp_path):
    # Before: "All-NaN slice encountered" from NumPy in every trial.
    tuner = NaNForSomeTuner(
        max_trials=3,
        directory=str(tmp_path),
        project_name="a",
        hyperparameters=_fixed_x(-1.0),
        max_consecutive_failed_trials=10,
    )
    with pytest.warns(RuntimeWarning, match="NaN loss usually means"):
        tuner.search(verbose=0)
    with pytest.warns(UserWarning, match="3 failed.*3 with a NaN objective"):
        assert tuner.get_best_hyperparameters() == []
    for trial in tuner.oracle.trials.values():
        assert "All-NaN" not in (trial.message or "")


def test_all_nan_stops_at_the_failure_limit_with_the_reason(tmp_path):
    tuner = NaNForSomeTuner(
        max_trials=5,
        directory=str(tmp_path),
        project_name="l",
        hyperparameters=_fixed_x(-2.0),
        max_consecutive_failed_trials=2,
    )
    with pytest.warns(RuntimeWarning):
        with pytest.raises(RuntimeError, match="(?s)2 trials failed.*was NaN at every"):
            tuner.search(verbose=0)


# -- Checkpoints and folders ---------------------------------------------------
def _build(hp):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(hp.Choice("units", [2, 4]), activation="relu"),
            keras.layers.Dense(2),
        ]
    )
    model.compile(loss="mse")
    return model


def _searched_tuner(root):
    x = np.random.RandomState(0).rand(16, 3).astype("float32")
    y = np.random.RandomState(1).rand(16, 2).astype("float32")
    tuner = kt.RandomSearch(
        _build, objective="loss", max_trials=1, directory=str(root), project_name="c"
    )
    tuner.search(x, y, epochs=1, verbose=0)
    (trial,) = tuner.oracle.trials.values()
    assert trial.status == "COMPLETED", trial.message
    return tuner


def test_truncated_checkpoint_names_the_file(tmp_path):
    tuner = _searched_tuner(tmp_path)
    (trial,) = tuner.oracle.trials.values()
    path = os.path.join(
        tuner.project_dir, f"trial_{trial.trial_id}", "checkpoint.weights.h5"
    )
    with open(path, "rb") as f:
        head = f.read(100)
    with open(path, "wb") as f:
        f.write(head)
    with pytest.raises(
        ValueError,
        match="checkpoint of trial 0000, '.*checkpoint.weights.h5' \\(100 bytes\\).*truncated or damaged",
    ):
        tuner.get_best_models()


def test_deleted_trial_folder_is_named_instead_of_blaming_callbacks(tmp_path):
    tuner = _searched_tuner(tmp_path)
    shutil.rmtree(os.path.join(tuner.project_dir, "trial_0000"))
    with pytest.raises(FileNotFoundError, match="trial_0000', does not exist") as info:
        tuner.get_best_models()
    assert "callbacks" not in str(info.value)


def test_truncated_state_file_names_the_file_and_the_fix(tmp_path):
    tuner = _searched_tuner(tmp_path)
    path = tuner.oracle.state_path
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text[: len(text) // 2])
    with pytest.raises(StateFileError, match=f"'{path}' is corrupt.*overwrite=True"):
        kt.RandomSearch(
            _build,
            objective="loss",
            max_trials=1,
            directory=str(tmp_path),
            project_name="c",
        )
    # overwrite=True recovers.
    kt.RandomSearch(
        _build,
        objective="loss",
        max_trials=1,
        directory=str(tmp_path),
        project_name="c",
        overwrite=True,
    )


def test_truncated_tuner_state_file_names_the_file(tmp_path):
    tuner = _searched_tuner(tmp_path)
    path = os.path.join(tuner.project_dir, "tuner0.json")
    with open(path, "w") as f:
        f.write('{"a": ')
    with pytest.raises(StateFileError, match=f"'{path}' is corrupt.*overwrite=True"):
        kt.RandomSearch(
            _build,
            objective="loss",
            max_trials=1,
            directory=str(tmp_path),
            project_name="c",
        )
