# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

import keras_tuner as kt
from keras_tuner.src.engine.tuner import load_checkpoint_weights


def test_schedule_by_hand_max_epochs_9_factor_3(tmp_path):
    runs = []

    class T(kt.Hyperband):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            x = hp.Float("x", 0.0, 1.0)
            v = hp.values
            runs.append(
                (
                    v["tuner/bracket"],
                    v["tuner/round"],
                    v["tuner/epochs"],
                    v["tuner/initial_epoch"],
                    v["tuner/trial_id"],
                    x,
                )
            )
            return (x - 0.5) ** 2 + 1.0 / v["tuner/epochs"]

    tuner = T(max_epochs=9, factor=3, seed=2, directory=str(tmp_path), project_name="h")
    assert tuner.oracle.total_trials() == 22
    tuner.search(verbose=0)
    assert len(runs) == 22
    # Bracket 2: 9 trials x 1 epoch, 3 x 3 epochs (from 1), 1 x 9 (from 3).
    shape = [(b, r, e, i) for b, r, e, i, _, _ in runs]
    assert shape[:13] == [(2, 0, 1, 0)] * 9 + [(2, 1, 3, 1)] * 3 + [(2, 2, 9, 3)]
    assert shape[13:19] == [(1, 0, 3, 0)] * 5 + [(1, 1, 9, 3)]
    assert shape[19:] == [(0, 0, 9, 0)] * 3
    # Promoted trials are the best of the previous round and keep their values.
    first_round = {
        tid: (x - 0.5) ** 2
        for (_, _, _, _, _, x), tid in zip(runs[:9], sorted(tuner.oracle.trials)[:9])
    }
    promoted = [past for _, r, _, _, past, _ in runs[9:12]]
    assert promoted == sorted(first_round, key=first_round.get)[:3]
    for _, _, _, _, past, x in runs[9:12]:
        assert tuner.oracle.trials[past].hyperparameters.values["x"] == x


def test_promoted_trials_continue_from_checkpoint(tmp_path):
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    initial_epochs = []

    class HM(kt.HyperModel):
        def build(self, hp):
            model = keras.Sequential(
                [
                    keras.Input((3,)),
                    keras.layers.Dense(hp.Int("units", 2, 32), activation="relu"),
                    keras.layers.Dense(1),
                ]
            )
            model.compile(loss="mse", optimizer="adam")
            return model

        def fit(self, hp, model, *args, **kwargs):
            initial_epochs.append((kwargs["initial_epoch"], kwargs["epochs"]))
            past = hp.values["tuner/trial_id"]
            if past is not None:
                # The weights are those saved by the trial this one continues.
                saved = HM().build(hp)
                load_checkpoint_weights(
                    saved, f"{tuner.project_dir}/trial_{past}/checkpoint.weights.h5"
                )
                for a, b in zip(model.get_weights(), saved.get_weights()):
                    np.testing.assert_array_equal(a, b)
            return model.fit(*args, **kwargs)

    tuner = kt.Hyperband(
        HM(),
        objective="val_loss",
        max_epochs=3,
        factor=3,
        seed=1,
        directory=str(tmp_path),
        project_name="w",
    )
    tuner.search(x, y, validation_data=(x, y), verbose=0)
    assert sorted(set(initial_epochs)) == [(0, 1), (0, 3), (1, 3)]
    assert len(tuner.oracle.trials) == tuner.oracle.total_trials() == 6


def test_bad_arguments():
    with pytest.raises(ValueError, match="factor"):
        kt.oracles.HyperbandOracle(factor=1)
    with pytest.raises(ValueError, match="max_epochs"):
        kt.oracles.HyperbandOracle(max_epochs=0)
