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


def test_concurrent_grid_waits_for_running_trials_and_never_duplicates_them():
    # Workers ask while others run. The oracle answers IDLE (wait), not
    # STOPPED, while a running trial may still declare hyperparameters
    # that extend the grid, and never hands out the point a running trial
    # will become once it gives its undeclared entries their defaults.
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
    assert third.hyperparameters.values == {"a": False, "b": True}
    # (True, False) is what the running second trial becomes: skipped. The
    # point after it, (True, True), waits until that trial ends: it may
    # still declare entries whose points come first in grid order.
    assert oracle.create_trial("w4").status == "IDLE"

    second.hyperparameters.Boolean("b")
    oracle.update_trial(second.trial_id, {"loss": 1.0})
    oracle.end_trial(second)
    fourth = oracle.create_trial("w4")
    assert fourth.hyperparameters.values == {"a": True, "b": True}
    assert oracle.create_trial("w5").status == "IDLE"
    for trial in (third, fourth):
        oracle.update_trial(trial.trial_id, {"loss": 1.0})
        oracle.end_trial(trial)
    assert oracle.create_trial("w5").status == "STOPPED"
    visited = [t.hyperparameters.values for t in oracle.trials.values()]
    assert sorted(tuple(v.items()) for v in visited) == [
        (("a", a), ("b", b)) for a in (False, True) for b in (False, True)
    ]


def test_concurrent_grid_without_new_entries_never_waits():
    # When the running trials declare nothing new, the point after a running
    # trial's own point is handed out at once: parallel workers stay busy.
    hp = kt.HyperParameters()
    hp.Int("a", 0, 2)
    hp.Boolean("b")
    oracle = kt.oracles.GridSearchOracle(objective="loss", hyperparameters=hp)
    trials = [oracle.create_trial(f"w{i}") for i in range(6)]
    assert [t.status for t in trials] == ["RUNNING"] * 6
    assert [tuple(t.hyperparameters.values.values()) for t in trials] == [
        (a, b) for a in (0, 1, 2) for b in (False, True)
    ]
    assert oracle.create_trial("w6").status == "IDLE"


def test_entries_found_during_the_search_count_as_in_keras_tuner_1_4(tmp_path):
    # `choice1` is declared only when `flag` is True, `choice2` only when it
    # is False, without conditional scopes: both end up in the space. A
    # point that differs from a completed trial only in an entry found after
    # that trial ran is that trial again, so it is not repeated: 3 points
    # with flag False, then 3 x 3 with flag True (the grid cannot tell that
    # `choice2` is unused there; a conditional scope would say so), 12 as in
    # keras-tuner 1.4 (it was 21, the first 3 configurations repeated).
    class T(kt.GridSearch):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            if hp.Boolean("flag"):
                return float(hp.Choice("choice1", [0, 1, 2]))
            return float(hp.Choice("choice2", [3, 4, 5]))

    tuner = T(objective="loss", directory=str(tmp_path), project_name="n")
    tuner.search(verbose=0)
    visited = [t.hyperparameters.active_values() for t in tuner.oracle.trials.values()]
    assert len(visited) == 12
    assert visited[:3] == [{"flag": False, "choice2": c} for c in (3, 4, 5)]
    assert sorted((v["choice2"], v["choice1"]) for v in visited[3:]) == [
        (c2, c1) for c2 in (3, 4, 5) for c1 in (0, 1, 2)
    ]
