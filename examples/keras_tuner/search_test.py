# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import math

import pytest

from examples.keras_tuner import search


@pytest.mark.large  # ~21 s; the tuners' own tests cover the search loop
def test_quick_search_learns_better_than_the_mean():
    figures = search.main(quick=True)
    assert set(figures) == {
        "baseline_test_mae",
        "random_val_mae",
        "random_test_mae",
        "bayesian_val_mae",
        "bayesian_test_mae",
        "resumed_trials_kept",
        "resumed_trials_total",
        "run_trial_val_mae",
    }
    assert all(math.isfinite(v) for v in figures.values())
    # Resuming keeps the 3 finished trials and adds only the 2 missing ones.
    assert figures["resumed_trials_kept"] == 3
    assert figures["resumed_trials_total"] == 5
    assert figures["run_trial_val_mae"] < figures["baseline_test_mae"]
    # Even 3 short trials beat predicting the mean petal width.
    assert figures["random_test_mae"] < figures["baseline_test_mae"]
    assert figures["bayesian_test_mae"] < figures["baseline_test_mae"]


def test_data_split():
    (x_train, x_val, x_test), (y_train, y_val, y_test) = search.load_data()
    assert (len(x_train), len(x_val), len(x_test)) == (90, 30, 30)
    assert x_train.shape[1] == 6 and abs(float(x_train[:, :3].mean())) < 1e-5
    assert 0.1 <= float(y_train.min()) and float(y_train.max()) <= 2.5
