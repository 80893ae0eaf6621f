# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json

import keras_tuner as kt


def _search(tmp_path, name, seed, max_trials=8, space=None):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            return (
                hp.Int("a", 0, 3) + hp.Choice("b", ["x", "y"]).count("x") + space_fn(hp)
            )

    space_fn = space or (lambda hp: 0.0)
    tuner = T(
        max_trials=max_trials, seed=seed, directory=str(tmp_path), project_name=name
    )
    tuner.search(verbose=0)
    return tuner


def test_never_repeats_and_stops_when_space_is_exhausted(tmp_path):
    tuner = _search(tmp_path, "small", seed=1, max_trials=20)
    configs = [
        json.dumps(t.hyperparameters.values, sort_keys=True)
        for t in tuner.oracle.trials.values()
    ]
    assert len(configs) == 8  # 4 x 2 configurations, each once
    assert len(set(configs)) == 8


def test_seeds_reproduce_and_differ(tmp_path):
    def values(tuner):
        return [t.hyperparameters.values for t in tuner.oracle.trials.values()]

    extra = lambda hp: hp.Float("f", 0, 1)  # noqa: E731
    a = _search(tmp_path, "a", seed=10, space=extra)
    b = _search(tmp_path, "b", seed=10, space=extra)
    c = _search(tmp_path, "c", seed=11, space=extra)
    assert values(a) == values(b)
    floats_a = [v["f"] for v in values(a)]
    floats_c = [v["f"] for v in values(c)]
    # Seed 11 is not seed 10 shifted by a trial.
    assert floats_a[1:] != floats_c[:-1] and floats_a != floats_c


def test_declared_space_and_tune_new_entries_false(tmp_path):
    hp = kt.HyperParameters()
    hp.Int("a", 0, 3)

    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            hps = trial.hyperparameters
            return hps.Int("a", 0, 3) + hps.Float("new", 0.0, 1.0, default=0.5)

    tuner = T(
        hyperparameters=hp,
        tune_new_entries=False,
        max_trials=4,
        seed=0,
        directory=str(tmp_path),
        project_name="t",
    )
    tuner.search(verbose=0)
    values = [t.hyperparameters.values for t in tuner.oracle.trials.values()]
    assert all(v["new"] == 0.5 for v in values)
    assert len({v["a"] for v in values}) == 4

    class Strict(T):
        pass

    strict = Strict(
        hyperparameters=hp,
        allow_new_entries=False,
        max_trials=2,
        max_consecutive_failed_trials=2,
        directory=str(tmp_path),
        project_name="s",
    )
    try:
        strict.search(verbose=0)
    except RuntimeError as error:
        assert "allow_new_entries=False" in str(error)
    else:
        raise AssertionError("A new entry should have failed the trials.")
