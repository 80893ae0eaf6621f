# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import itertools

import numpy as np

import keras_tuner as kt


def test_enumerates_the_whole_grid_once_in_order(tmp_path):
    class T(kt.GridSearch):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            return (
                (hp.Int("a", 0, 2) - 1) ** 2
                + hp.Choice("b", [0.5, 1.0])
                + hp.Boolean("c")
            )

    tuner = T(directory=str(tmp_path), project_name="g")
    tuner.search(verbose=0)
    seen = [
        (
            t.hyperparameters.values["a"],
            t.hyperparameters.values["b"],
            t.hyperparameters.values["c"],
        )
        for t in tuner.oracle.trials.values()
    ]
    assert sorted(seen) == sorted(
        itertools.product([0, 1, 2], [0.5, 1.0], [False, True])
    )
    # Trial 0 runs at the defaults, the rest in grid order.
    assert seen[0] == (0, 0.5, False)
    assert seen[1:4] == [(0, 0.5, True), (0, 1.0, False), (0, 1.0, True)]
    best = tuner.get_best_hyperparameters()[0].values
    assert best == {"a": 1, "b": 0.5, "c": False}


def test_conditional_grid_and_max_trials(tmp_path):
    hp = kt.HyperParameters()
    model = hp.Choice("model", ["linear", "mlp"])
    with hp.conditional_scope("model", "mlp"):
        hp.Int("units", 8, 24, step=8)
    assert model == "linear"

    class T(kt.GridSearch):
        def run_trial(self, trial, **kwargs):
            hps = trial.hyperparameters
            return 1.0 if hps.get("model") == "linear" else hps.get("units") / 100

    tuner = T(hyperparameters=hp, directory=str(tmp_path), project_name="c")
    tuner.search(verbose=0)
    active = [t.hyperparameters.active_values() for t in tuner.oracle.trials.values()]
    assert active == [
        {"model": "linear"},
        {"model": "mlp", "units": 8},
        {"model": "mlp", "units": 16},
        {"model": "mlp", "units": 24},
    ]
    capped = T(
        hyperparameters=hp, max_trials=2, directory=str(tmp_path), project_name="d"
    )
    capped.search(verbose=0)
    assert len(capped.oracle.trials) == 2


def test_float_without_step_uses_ten_points():
    assert len(kt.hyperparameters.Float("x", 0.0, 1.0).values) == 10
    # The middles of 10 equal slices of the (log) range, as in keras-tuner 1.4:
    # 1e-4 * 1000 ** ((i + 0.5) / 10).
    log = kt.hyperparameters.Float("lr", 1e-4, 1e-1, sampling="log").values
    expected = [1e-4 * 1000 ** ((i + 0.5) / 10) for i in range(10)]
    assert np.allclose(log, expected, rtol=1e-12)


def test_exhausted_grid_waits_while_trials_run_that_may_extend_it():
    # Two workers: the second asks once the known grid (one Boolean) is
    # handed out. The first trial still runs and may declare more, so the
    # oracle answers IDLE (wait), not STOPPED; the grid it then extends is
    # visited.
    hp = kt.HyperParameters()
    hp.Boolean("a")
    oracle = kt.oracles.GridSearchOracle(objective="loss", hyperparameters=hp)
    first = oracle.create_trial("w1")
    second = oracle.create_trial("w2")
    assert [first.status, second.status] == ["RUNNING", "RUNNING"]
    assert oracle.create_trial("w3").status == "IDLE"

    first.hyperparameters.Boolean("b")  # declared while the trial ran
    oracle.update_space(first.hyperparameters)
    oracle.update_trial(first.trial_id, {"loss": 1.0})
    oracle.end_trial(first)
    third = oracle.create_trial("w3")
    assert third.status == "RUNNING"
    assert third.hyperparameters.values == {"a": False, "b": True}

    for trial in (second, third):
        oracle.update_trial(trial.trial_id, {"loss": 1.0})
        oracle.end_trial(trial)
    statuses = []
    while True:
        trial = oracle.create_trial("w1")
        statuses.append(trial.status)
        if trial.status != "RUNNING":
            break
        oracle.update_trial(trial.trial_id, {"loss": 1.0})
        oracle.end_trial(trial)
    # (True, False) and (True, True) are left (the second trial ran before
    # `b` existed); then nothing runs any more, so STOPPED.
    assert statuses == ["RUNNING", "RUNNING", "STOPPED"]
