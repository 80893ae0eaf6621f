# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import os

import pytest

from keras_tuner.src.engine.errors import StateFileError
from keras_tuner.src.engine.hyperparameters import HyperParameters
from keras_tuner.src.engine.trial import TrialStatus
from keras_tuner.src.tuners.random_search import RandomSearchOracle


def _oracle(tmp_path, overwrite=False, **kwargs):
    hp = HyperParameters()
    hp.Int("n", 0, 9)
    hp.Choice("c", ["a", "b"])
    oracle = RandomSearchOracle(
        objective="val_loss", hyperparameters=hp, seed=1, **kwargs
    )
    oracle.set_project_dir(str(tmp_path), "p", overwrite=overwrite)
    return oracle


def _finish(oracle, trial, value):
    oracle.update_trial(trial.trial_id, {"val_loss": value})
    trial.status = TrialStatus.COMPLETED
    oracle.end_trial(trial)


def test_trials_scored_ranked_and_state_reloaded(tmp_path):
    oracle = _oracle(tmp_path, max_trials=4)
    for value in (0.5, 0.2, 0.9):
        _finish(oracle, oracle.create_trial("t"), value)
    best = oracle.get_best_trials(2)
    assert [t.score for t in best] == [0.2, 0.5]
    assert oracle.remaining_trials == 1
    reloaded = _oracle(tmp_path, max_trials=4)
    assert [t.score for t in reloaded.get_best_trials(3)] == [0.2, 0.5, 0.9]
    assert reloaded._draw_count == oracle._draw_count
    # The 4th trial is the same after a reload as it would have been without.
    assert reloaded.create_trial("t").hyperparameters.values == (
        oracle.create_trial("t").hyperparameters.values
    )
    assert oracle.create_trial("other").status == TrialStatus.STOPPED


def test_interrupted_trial_is_rerun_under_its_id(tmp_path):
    oracle = _oracle(tmp_path, max_trials=3)
    _finish(oracle, oracle.create_trial("t"), 1.0)
    running = oracle.create_trial("t")  # the process "dies" here
    reloaded = _oracle(tmp_path, max_trials=3)
    again = reloaded.create_trial("t")
    assert again.trial_id == running.trial_id
    assert again.hyperparameters.values == running.hyperparameters.values
    assert again.attempts == 2
    _finish(reloaded, again, 0.5)
    _finish(reloaded, reloaded.create_trial("t"), 0.7)
    assert reloaded.create_trial("t").status == TrialStatus.STOPPED
    assert len(reloaded.trials) == 3


def test_retries_then_failure_with_traceback_then_limit(tmp_path):
    oracle = _oracle(
        tmp_path,
        max_trials=10,
        max_retries_per_trial=1,
        max_consecutive_failed_trials=2,
    )
    trial = oracle.create_trial("t")
    trial.status, trial.message = TrialStatus.INVALID, "Traceback: boom 1"
    oracle.end_trial(trial)
    retried = oracle.create_trial("t")
    assert retried.trial_id == trial.trial_id
    retried.status, retried.message = TrialStatus.INVALID, "Traceback: boom 2"
    oracle.end_trial(retried)
    assert oracle.trials[trial.trial_id].status == TrialStatus.FAILED
    assert "boom 2" in oracle.trials[trial.trial_id].message
    second = oracle.create_trial("t")
    assert second.trial_id != trial.trial_id
    second.status, second.message = TrialStatus.FAILED, "Traceback: boom 3"
    with pytest.raises(RuntimeError, match="(?s)2 trials failed in a row.*boom 3"):
        oracle.end_trial(second)


def test_corrupt_or_foreign_state_is_reported(tmp_path):
    oracle = _oracle(tmp_path)
    _finish(oracle, oracle.create_trial("t"), 1.0)
    path = os.path.join(str(tmp_path), "p", "oracle.json")
    text = open(path).read()
    with open(path, "w") as f:
        f.write(text[: len(text) // 2])
    with pytest.raises(StateFileError, match="oracle.json' is corrupt"):
        _oracle(tmp_path)
    # overwrite=True starts afresh instead.
    assert len(_oracle(tmp_path, overwrite=True).trials) == 0
    state = json.loads(text)
    del state["trials"]
    with open(path, "w") as f:
        json.dump(state, f)
    with pytest.raises(StateFileError, match="incomplete"):
        _oracle(tmp_path)


def test_bad_arguments():
    with pytest.raises(ValueError, match="max_trials"):
        RandomSearchOracle(max_trials=0)
    with pytest.raises(ValueError, match="max_consecutive_failed_trials"):
        RandomSearchOracle(max_consecutive_failed_trials=0)
    with pytest.raises(TypeError, match="kt.HyperParameters"):
        RandomSearchOracle(hyperparameters={"a": 1})


_SHARED = {
    "objective": "val_accuracy",
    "seed": 7,
    "allow_new_entries": False,
    "tune_new_entries": False,
    "max_retries_per_trial": 2,
    "max_consecutive_failed_trials": 5,
}


@pytest.mark.parametrize(
    "tuner_class, own",
    [
        ("RandomSearch", {"max_trials": 4}),
        ("GridSearch", {"max_trials": 6}),
        (
            "BayesianOptimization",
            {
                "max_trials": 8,
                "num_initial_points": 3,
                "alpha": 1e-3,
                "beta": 1.5,
                "acquisition": "ucb",
            },
        ),
        ("Hyperband", {"max_epochs": 9, "factor": 2, "hyperband_iterations": 2}),
    ],
)
def test_algorithm_tuners_hand_every_argument_to_their_oracle(
    tmp_path, tuner_class, own
):
    import keras_tuner as kt

    hp = HyperParameters()
    hp.Int("n", 0, 3)
    tuner = getattr(kt, tuner_class)(
        lambda hp: None,
        hyperparameters=hp,
        directory=str(tmp_path),
        project_name="p",
        **_SHARED,
        **own,
    )
    oracle = tuner.oracle
    assert type(oracle).__name__ == tuner_class + "Oracle"
    assert oracle.objective.name == "val_accuracy"
    assert oracle.objective.direction == "max"
    assert [h.name for h in oracle.hyperparameters.space] == ["n"]
    for name, value in {**_SHARED, **own}.items():
        if name != "objective":
            assert getattr(oracle, name) == value, name
    if tuner_class == "Hyperband":
        assert oracle.max_trials is None


@pytest.mark.parametrize("argument", ["tune_new_entries", "allow_new_entries"])
def test_new_entries_false_without_a_search_space_raises(argument):
    # keras-tuner 1.4 raises here too: nothing could be searched.
    with pytest.raises(ValueError, match=f"`{argument}=False` needs the search space"):
        RandomSearchOracle(objective="loss", **{argument: False})
    hp = HyperParameters()
    hp.Int("units", 1, 4)
    oracle = RandomSearchOracle(
        objective="loss", hyperparameters=hp, **{argument: False}
    )
    assert getattr(oracle, argument) is False


def test_worker_copy_never_writes_state_and_attach_trial_applies_the_rules(tmp_path):
    hp = HyperParameters()
    hp.Int("a", 0, 9)
    oracle = RandomSearchOracle(
        objective="loss", hyperparameters=hp, allow_new_entries=False, seed=3
    )
    oracle.set_project_dir(str(tmp_path), "p")
    trial = oracle.create_trial("t0")
    state_file = tmp_path / "p" / "oracle.json"
    before = state_file.read_text()

    worker = oracle.worker_copy()
    assert worker.trials == {} and worker.ongoing_trials == {}
    assert oracle.trials[trial.trial_id] is trial  # the original is untouched
    rebuilt = type(trial).from_state(trial.get_state())
    worker.attach_trial(rebuilt)
    assert worker.trials == {rebuilt.trial_id: rebuilt}
    assert rebuilt.hyperparameters.Int("a", 0, 9) == trial.hyperparameters.get("a")
    with pytest.raises(ValueError, match="allow_new_entries"):
        rebuilt.hyperparameters.Float("new", 0.0, 1.0)
    worker.update_trial(rebuilt.trial_id, {"loss": 1.0})
    worker.end_trial(rebuilt)
    assert state_file.read_text() == before
    state_file.unlink()
    worker.save()
    assert not state_file.exists()
    oracle.save()  # the search's own oracle still writes
    assert state_file.exists()


@pytest.mark.parametrize("direction", ["min", "max"])
def test_trial_metrics_know_the_objective_direction(tmp_path, direction):
    from keras_tuner.src.engine.objective import Objective
    from keras_tuner.src.engine.trial import Trial

    oracle = RandomSearchOracle(objective=Objective("score", direction), max_trials=1)
    oracle.set_project_dir(str(tmp_path), "p")
    trial = oracle.create_trial("t0")
    oracle.update_trial(trial.trial_id, {"score": 1.0, "val_accuracy": 0.5})
    oracle.update_trial(trial.trial_id, {"score": 3.0, "val_accuracy": 0.7}, step=1)
    metrics = oracle.get_trial(trial.trial_id).metrics
    assert metrics.get_direction("score") == direction
    assert metrics.get_best_value("score") == (1.0 if direction == "min" else 3.0)
    # Other metrics: the direction their name implies, else "min".
    assert metrics.get_direction("val_accuracy") == "max"
    assert metrics.get_best_value("val_accuracy") == 0.7
    assert metrics.get_direction("something") == "min"
    restored = Trial.from_state(oracle.get_trial(trial.trial_id).get_state())
    assert restored.metrics.get_direction("score") == direction
    with pytest.raises(ValueError, match="'min' or 'max'.*direction='up'"):
        metrics.register("score", "up")
