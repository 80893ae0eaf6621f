# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Tune a small regression network on a real dataset, two ways.

Task: predict an iris flower's petal width (cm) from its sepal length,
sepal width, petal length and species (Fisher's iris measurements, 150
flowers, bundled as `iris.csv`). The script runs

1. `kt.RandomSearch` with a plain `build(hp)` function (the HyperModel
   workflow with the default training), and
2. `kt.BayesianOptimization` with a `kt.HyperModel` whose `fit` also tunes
   the batch size,

prints the best hyperparameters and validation MAE of each, then retrains
nothing: it restores the best checkpoints and reports their test MAE next
to the MAE of always predicting the training mean. Then it

3. resumes the random search: a new tuner on the same `directory` and
   `project_name` (as after a crash or in a new process) keeps the finished
   trials and runs only the ones still missing, and
4. runs the Tuner workflow: a `kt.RandomSearch` subclass whose
   `run_trial` also tunes the preprocessing (which input columns to use).

    python examples/keras_tuner/search.py
"""

import os
import tempfile

import keras
import numpy as np

import keras_tuner as kt

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "iris.csv")
SPECIES = ("setosa", "versicolor", "virginica")


def load_data(seed=0):
    """Standardised features, petal width target; 60/20/20 split."""
    rows = []
    with open(DATA) as f:
        next(f)
        for line in f:
            *numbers, species = line.strip().split(",")
            rows.append([float(v) for v in numbers] + [SPECIES.index(species)])
    data = np.array(rows)
    rng = np.random.default_rng(seed)
    data = data[rng.permutation(len(data))]
    features = np.concatenate(
        [data[:, [0, 1, 2]], np.eye(3)[data[:, 4].astype(int)]], axis=1
    ).astype("float32")
    target = data[:, 3:4].astype("float32")
    n_train, n_val = 90, 30
    mean = features[:n_train, :3].mean(axis=0)
    std = features[:n_train, :3].std(axis=0)
    features[:, :3] = (features[:, :3] - mean) / std
    split = lambda a: (a[:n_train], a[n_train : n_train + n_val], a[n_train + n_val :])  # noqa: E731
    return split(features), split(target)


# --8<-- [start:build]
def build_model(hp):
    model = keras.Sequential([keras.Input((6,))])
    for i in range(hp.Int("layers", 1, 2)):
        model.add(
            keras.layers.Dense(hp.Int(f"units_{i}", 8, 64, step=8), activation="relu")
        )
    model.add(keras.layers.Dense(1))
    model.compile(
        optimizer=keras.optimizers.Adam(hp.Float("lr", 1e-3, 3e-2, sampling="log")),
        loss="mse",
        metrics=["mae"],
    )
    return model


# --8<-- [end:build]


# --8<-- [start:hypermodel]
class IrisHyperModel(kt.HyperModel):
    """Same network; `fit` additionally tunes the batch size."""

    def build(self, hp):
        return build_model(hp)

    def fit(self, hp, model, x, y, **kwargs):
        return model.fit(
            x, y, batch_size=hp.Choice("batch_size", [8, 16, 32]), **kwargs
        )


# --8<-- [end:hypermodel]


# --8<-- [start:run_trial]
class ColumnSelectionSearch(kt.RandomSearch):
    """The Tuner workflow: preprocessing, model and training in one place.

    Whether the species columns help is itself a hyperparameter. No
    hypermodel or objective is needed: `run_trial` returns the validation
    MAE, a number, which the tuner minimises.
    """

    def run_trial(self, trial, x, y, validation_data, epochs, **kwargs):
        hp = trial.hyperparameters
        columns = [0, 1, 2] + ([3, 4, 5] if hp.Boolean("species") else [])
        model = keras.Sequential(
            [
                keras.Input((len(columns),)),
                keras.layers.Dense(hp.Int("units", 8, 64, step=8), activation="relu"),
                keras.layers.Dense(1),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(hp.Float("lr", 1e-3, 3e-2, sampling="log")),
            loss="mse",
        )
        x_val, y_val = validation_data
        model.fit(x[:, columns], y, batch_size=8, epochs=epochs, verbose=0)
        predictions = model.predict(x_val[:, columns], verbose=0)
        return float(np.mean(np.abs(predictions - y_val)))


# --8<-- [end:run_trial]


def main(quick=False):
    (x_train, x_val, x_test), (y_train, y_val, y_test) = load_data()
    trials, epochs = (3, 8) if quick else (10, 25)
    baseline = float(np.mean(np.abs(y_test - y_train.mean())))
    print(
        f"Iris petal width: {len(x_train)} train, {len(x_val)} validation, {len(x_test)} test"
    )
    print(f"Predicting the training mean gives test MAE {baseline:.3f} cm")
    figures = {"baseline_test_mae": baseline}
    with tempfile.TemporaryDirectory() as directory:
        # --8<-- [start:tuners]
        tuners = {
            "random": kt.RandomSearch(
                build_model,
                objective="val_mae",
                max_trials=trials,
                seed=1,
                directory=directory,
                project_name="random",
            ),
            "bayesian": kt.BayesianOptimization(
                IrisHyperModel(),
                objective="val_mae",
                max_trials=trials,
                seed=1,
                directory=directory,
                project_name="bayesian",
            ),
        }
        # --8<-- [end:tuners]
        # --8<-- [start:search]
        for name, tuner in tuners.items():
            print(f"\n== {type(tuner).__name__}: {trials} trials of {epochs} epochs ==")
            tuner.search(
                x_train,
                y_train,
                validation_data=(x_val, y_val),
                epochs=epochs,
                verbose=0,
            )
            best_trial = tuner.oracle.get_best_trials(1)[0]
            best_hp = tuner.get_best_hyperparameters()[0]
            model = tuner.get_best_models()[0]
            _, test_mae = model.evaluate(x_test, y_test, verbose=0)
            print(f"Best hyperparameters: {best_hp.active_values()}")
            print(
                f"Best validation MAE {best_trial.score:.3f} cm, test MAE {test_mae:.3f} cm"
            )
            figures[f"{name}_val_mae"] = float(best_trial.score)
            figures[f"{name}_test_mae"] = float(test_mae)
        # --8<-- [end:search]

        # --8<-- [start:resume]
        # A new tuner on the same directory and project_name picks up the
        # finished trials (overwrite=False is the default) and runs only the
        # missing ones: the same code resumes a search after a crash.
        resumed = kt.RandomSearch(
            build_model,
            objective="val_mae",
            max_trials=trials + 2,
            seed=1,
            directory=directory,
            project_name="random",
        )
        kept = len(resumed.oracle.trials)
        resumed.search(
            x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, verbose=0
        )
        print(
            f"\nResumed the random search: {kept} trials kept, "
            f"{len(resumed.oracle.trials) - kept} new, "
            f"best validation MAE {resumed.oracle.get_best_trials(1)[0].score:.3f} cm"
        )
        # --8<-- [end:resume]
        figures["resumed_trials_kept"] = kept
        figures["resumed_trials_total"] = len(resumed.oracle.trials)

        # --8<-- [start:run_trial_search]
        selection = ColumnSelectionSearch(
            max_trials=trials, seed=1, directory=directory, project_name="columns"
        )
        selection.search(
            x_train, y_train, validation_data=(x_val, y_val), epochs=epochs
        )
        best = selection.oracle.get_best_trials(1)[0]
        print(
            f"Tuner workflow: best {best.hyperparameters.active_values()}, "
            f"validation MAE {best.score:.3f} cm"
        )
        # --8<-- [end:run_trial_search]
        figures["run_trial_val_mae"] = float(best.score)
    return figures


if __name__ == "__main__":
    print(main())
