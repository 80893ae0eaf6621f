# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Behaviours that code written for keras-tuner 1.4 relies on."""

import json
import os
import threading
import time
import warnings

import keras
import numpy as np
import pytest

import keras_tuner as kt
from keras_tuner.src.engine.errors import FatalValueError
from keras_tuner.src.engine.errors import StateFileError


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0], dtype="float32"))[:, None]
    return x, y


def _sequential_without_input(hp):
    # No keras.Input: the model is built only by its first call on data.
    model = keras.Sequential(
        [
            keras.layers.Dense(hp.Int("units", 2, 6, step=2), activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


class SubclassedModel(keras.Model):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


def _subclassed(hp):
    model = SubclassedModel(hp.Int("units", 2, 6, step=2))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


# -- The search space is known when the tuner is created ------------------
def test_space_is_filled_at_creation(tmp_path, capsys):
    tuner = kt.RandomSearch(
        _sequential_without_input,
        objective="val_loss",
        max_trials=1,
        directory=str(tmp_path),
    )
    assert [hp.name for hp in tuner.oracle.hyperparameters.space] == ["units"]
    tuner.search_space_summary()
    assert "units" in capsys.readouterr().out


def test_conditional_branches_are_visited_at_creation(tmp_path):
    def build(hp):
        kind = hp.Choice("kind", ["a", "b"])
        with hp.conditional_scope("kind", "b"):
            if kind == "b":
                hp.Int("b_units", 1, 3)
        return _sequential_without_input(hp)

    tuner = kt.RandomSearch(build, max_trials=1, directory=str(tmp_path))
    names = {hp.name for hp in tuner.oracle.hyperparameters.space}
    assert names == {"kind", "b_units", "units"}


def test_nested_branches_under_each_parent_branch_are_visited_at_creation(tmp_path):
    # Each nested branch is seen (inactive) only in the build that takes its
    # parent's branch; all must be found, whatever order they are seen in.
    def build(hp):
        family = hp.Choice("family", ["cnn", "mlp"])
        for parent in ("cnn", "mlp"):
            with hp.conditional_scope("family", [parent]):
                if family == parent:
                    sub = hp.Choice(f"sub_{parent}", ["a", "b"])
                    for child in ("a", "b"):
                        with hp.conditional_scope(f"sub_{parent}", [child]):
                            if sub == child:
                                hp.Int(f"{parent}_{child}", 1, 3)
        more = hp.Boolean("more", default=False)
        with hp.conditional_scope("more", [True]):
            if more:
                hp.Int("extra", 1, 3)
        return _sequential_without_input(hp)

    tuner = kt.RandomSearch(build, max_trials=1, directory=str(tmp_path))
    names = {hp.name for hp in tuner.oracle.hyperparameters.space}
    assert names == {
        "family",
        "sub_cnn",
        "sub_mlp",
        "cnn_a",
        "cnn_b",
        "mlp_a",
        "mlp_b",
        "more",
        "extra",
        "units",
    }


def test_allow_new_entries_false_is_checked_at_creation(tmp_path):
    hp = kt.HyperParameters()
    hp.Int("units", 2, 6, step=2)

    def build(hp):
        hp.Float("lr", 1e-3, 1e-1)
        return _sequential_without_input(hp)

    # Our ValueError, and keras-tuner 1.4's RuntimeError.
    for error in (ValueError, RuntimeError):
        with pytest.raises(error, match="`allow_new_entries` is `False`.*'lr'"):
            kt.RandomSearch(
                build,
                hyperparameters=hp,
                allow_new_entries=False,
                max_trials=1,
                directory=str(tmp_path),
                overwrite=True,
            )


def test_tune_new_entries_false_keeps_the_space_and_uses_defaults(tmp_path):
    hp = kt.HyperParameters()
    hp.Choice("optimizer", ["sgd", "adam"])

    def build(hp):
        hp.Choice("optimizer", ["sgd", "adam"])
        return _sequential_without_input(hp)

    tuner = kt.RandomSearch(
        build,
        hyperparameters=hp,
        tune_new_entries=False,
        objective="val_loss",
        max_trials=2,
        directory=str(tmp_path),
    )
    assert [h.name for h in tuner.oracle.hyperparameters.space] == ["optimizer"]
    x, y = _data()
    tuner.search(x, y, validation_data=(x, y), epochs=1, verbose=0)
    assert [h.name for h in tuner.oracle.hyperparameters.space] == ["optimizer"]
    for trial in tuner.oracle.trials.values():
        assert trial.hyperparameters.get("units") == 2  # the default


# -- Models that are not built when `build(hp)` returns them ---------------
@pytest.mark.parametrize("build", [_sequential_without_input, _subclassed])
def test_best_model_of_an_unbuilt_model_is_restored(tmp_path, build):
    x, y = _data()
    tuner = kt.RandomSearch(
        build, objective="val_loss", max_trials=2, directory=str(tmp_path), seed=1
    )
    tuner.search(x, y, validation_data=(x, y), epochs=2, verbose=0)
    best_trial = tuner.oracle.get_best_trials(1)[0]
    model = tuner.get_best_models(1)[0]
    loss = model.evaluate(x, y, verbose=0)[0]
    # The restored weights are those that gave the trial its score.
    assert loss == pytest.approx(best_trial.score, rel=1e-4)


def test_hyperband_later_rounds_with_an_unbuilt_model(tmp_path):
    x, y = _data()
    tuner = kt.Hyperband(
        _sequential_without_input,
        objective="val_loss",
        max_epochs=3,
        factor=3,
        directory=str(tmp_path),
        seed=0,
    )
    tuner.search(x, y, validation_data=(x, y), verbose=0)
    statuses = {t.status for t in tuner.oracle.trials.values()}
    assert statuses == {"COMPLETED"}
    # Some trials continued the weights of an earlier round.
    assert any(
        "tuner/trial_id" in t.hyperparameters.values
        for t in tuner.oracle.trials.values()
    )


# -- Optimizer instances, reload, legacy run_trial -------------------------
def test_optimizer_instance_gives_each_trial_a_fresh_optimizer(tmp_path):
    x, y = _data()
    optimizer = keras.optimizers.Adam(0.01)
    tuner = kt.RandomSearch(
        _sequential_without_input,
        objective="val_loss",
        max_trials=3,
        optimizer=optimizer,
        directory=str(tmp_path),
    )
    tuner.search(x, y, validation_data=(x, y), epochs=1, verbose=0)
    statuses = [t.status for t in tuner.oracle.trials.values()]
    assert statuses == ["COMPLETED"] * 3
    assert not optimizer.built  # the instance itself was never used


def test_reload_reads_the_saved_search(tmp_path):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            return trial.hyperparameters.Float("x", 0.0, 1.0)

    tuner = T(max_trials=2, directory=str(tmp_path), project_name="p")
    tuner.search(verbose=0)
    saved = sorted(tuner.oracle.trials)
    tuner.oracle.trials = {}
    tuner.reload()
    assert sorted(tuner.oracle.trials) == saved == ["0000", "0001"]
    empty = T(max_trials=2, directory=str(tmp_path), project_name="empty")
    with pytest.raises(FileNotFoundError, match="No saved search"):
        empty.reload()


def test_legacy_run_trial_that_reports_itself(tmp_path):
    class Legacy(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            value = trial.hyperparameters.Float("x", 0.0, 1.0)
            self.oracle.update_trial(trial.trial_id, {"score": value})

    tuner = Legacy(
        objective=kt.Objective("score", "max"),
        max_trials=2,
        directory=str(tmp_path),
    )
    with pytest.warns(DeprecationWarning, match="remove the call"):
        tuner.search(verbose=0)
    trials = list(tuner.oracle.trials.values())
    assert [t.status for t in trials] == ["COMPLETED", "COMPLETED"]
    assert all(t.score == t.hyperparameters.get("x") for t in trials)


def test_callbacks_that_cannot_be_copied_are_rejected_before_any_trial(tmp_path):
    class Holder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.lock = threading.Lock()  # deepcopy cannot copy a lock

    tuner = kt.RandomSearch(
        _sequential_without_input, max_trials=1, directory=str(tmp_path)
    )
    x, y = _data()
    with pytest.raises(FatalValueError, match="should be deep-copyable.*Holder"):
        tuner.search(x, y, epochs=1, callbacks=[Holder()], verbose=0)
    assert tuner.oracle.trials == {}


# -- Errors of the types 1.4 raised ----------------------------------------
def test_project_of_another_oracle_raises_runtime_and_value_error(tmp_path):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            return trial.hyperparameters.Float("x", 0.0, 1.0)

    T(max_trials=1, directory=str(tmp_path), project_name="p").search(verbose=0)

    class G(kt.GridSearch):
        run_trial = T.run_trial

    for error in (RuntimeError, ValueError):
        with pytest.raises(error, match="pass `overwrite=True`"):
            G(max_trials=1, directory=str(tmp_path), project_name="p")


def test_project_written_by_keras_tuner_1_gets_a_clear_error(tmp_path):
    project = tmp_path / "old"
    (project / "trial_0").mkdir(parents=True)
    # The layout keras-tuner 1.x writes: oracle.json plus trial_*/trial.json.
    state = {"ongoing_trials": {}, "tried_so_far": [], "seed": 1, "end_order": []}
    (project / "oracle.json").write_text(json.dumps(state))
    (project / "trial_0" / "trial.json").write_text("{}")
    with pytest.raises(StateFileError, match="written by keras-tuner 1.x"):
        kt.RandomSearch(
            _sequential_without_input, directory=str(tmp_path), project_name="old"
        )
    assert (project / "trial_0" / "trial.json").exists()  # nothing deleted


# -- Trials ----------------------------------------------------------------
def test_trial_without_id_gets_a_unique_id_and_keeps_a_message():
    ids = {kt.Trial(kt.HyperParameters()).trial_id for _ in range(50)}
    assert len(ids) == 50
    trial = kt.Trial(kt.HyperParameters(), message="out of memory")
    assert trial.message == "out of memory"


def test_get_best_hyperparameters_of_trials_made_by_hand(tmp_path):
    tuner = kt.RandomSearch(
        _sequential_without_input,
        objective="val_mae",
        max_trials=2,
        directory=str(tmp_path),
    )
    trials = []
    for value, score in ((1, 0.5), (2, 0.2)):
        hp = kt.HyperParameters()
        hp.Fixed("a", value)
        trial = kt.Trial(hyperparameters=hp, status="COMPLETED")
        trial.score = score
        trials.append(trial)
    tuner.oracle.trials = {t.trial_id: t for t in trials}
    assert tuner.get_best_hyperparameters()[0]["a"] == 2  # val_mae: lower wins


# -- synchronized ----------------------------------------------------------
def test_synchronized_serialises_calls_on_one_oracle_only():
    log = []

    class SlowOracle(kt.oracles.RandomSearchOracle):
        @kt.synchronized
        def slow(self, tag):
            log.append(("start", tag))
            time.sleep(0.05)
            log.append(("end", tag))

        @kt.synchronized
        def nested(self, tag):
            self.slow(tag)  # re-entrant: no deadlock

    same = SlowOracle(max_trials=1)
    threads = [threading.Thread(target=same.nested, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(0, len(log), 2):
        assert log[i][0] == "start" and log[i + 1] == ("end", log[i][1])

    log.clear()
    a, b = SlowOracle(max_trials=1), SlowOracle(max_trials=1)
    threads = [
        threading.Thread(target=a.slow, args=("a",)),
        threading.Thread(target=b.slow, args=("b",)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Two oracles do not wait for each other: both start before either ends.
    assert [kind for kind, _ in log[:2]] == ["start", "start"]


# -- infer_metric_direction -----------------------------------------------
@pytest.mark.parametrize(
    "metric, expected",
    [
        ("val_accuracy", "max"),
        ("acc", "max"),
        ("val_weighted_ce", "min"),
        ("MAE", "min"),
        ("my_metric", None),
        (keras.losses.hinge, "min"),
        (keras.metrics.categorical_accuracy, "max"),
        (keras.losses.CategoricalCrossentropy(), "min"),
        (keras.metrics.FalsePositives(), "min"),
        (keras.metrics.Precision(), "max"),
    ],
)
def test_infer_metric_direction(metric, expected):
    infer = kt.engine.metrics_tracking.infer_metric_direction
    assert infer(metric) == expected


def test_infer_metric_direction_rejects_other_objects():
    with pytest.raises(TypeError, match="metric name.*Received: 3"):
        kt.engine.metrics_tracking.infer_metric_direction(3)


# -- The 1.4 module layout -------------------------------------------------
def test_engine_modules_of_keras_tuner_1_4():
    assert kt.engine.oracle.Oracle is kt.Oracle
    assert kt.engine.oracle.Objective is kt.Objective
    assert issubclass(kt.engine.base_tuner.BaseTuner, kt.Tuner)
    hp = kt.HyperParameters()
    hp.Int("a", 1, 4)
    module = kt.engine.hyperparameters
    restored = module.deserialize(module.serialize(hp))
    assert restored == hp
    int_hp = module.deserialize(module.serialize(hp.space[0]))
    assert (int_hp.name, int_hp.min_value, int_hp.max_value) == ("a", 1, 4)


def test_logger_argument_is_deprecated(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kt.RandomSearch(
            _sequential_without_input, logger=object(), directory=str(tmp_path)
        )
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_grid_search_counts_of_keras_tuner_1_4(tmp_path):
    class G(kt.GridSearch):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            return hp.Int("i", 1, 5) + hp.Float("f", 1.0, 2.0)

    tuner = G(directory=str(tmp_path))
    tuner.search(verbose=0)
    # 5 integers x (the default 1.0 + 10 points of the stepless Float).
    assert len(tuner.oracle.trials) == 55
    floats = {t.hyperparameters.get("f") for t in tuner.oracle.trials.values()}
    assert 1.0 in floats and len(floats) == 11
    assert os.path.isdir(tuner.project_dir)


@pytest.mark.parametrize("tuner_class", [kt.RandomSearch, kt.GridSearch])
def test_a_name_reused_under_two_branches_is_searched_per_branch(tmp_path, tuner_class):
    class T(tuner_class):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            size = hp.Choice("size", ["small", "big"])
            with hp.conditional_scope("size", "small"):
                small = hp.Int("layers", 1, 2)
            with hp.conditional_scope("size", "big"):
                big = hp.Int("layers", 10, 11)
            layers = small if size == "small" else big
            assert layers is not None
            return float(layers)

    tuner = T(max_trials=8, directory=str(tmp_path), seed=3)
    tuner.search(verbose=0)
    seen = set()
    for trial in tuner.oracle.trials.values():
        assert trial.status == "COMPLETED", trial.message
        hp = trial.hyperparameters
        expected = {1, 2} if hp.get("size") == "small" else {10, 11}
        assert hp.get("layers") in expected
        seen.add((hp.get("size"), hp.get("layers")))
    if tuner_class is kt.GridSearch:
        assert seen == {("small", 1), ("small", 2), ("big", 10), ("big", 11)}


def test_update_trial_rejects_metrics_without_the_objective(tmp_path):
    oracle = kt.oracles.RandomSearchOracle(objective="val_loss", max_trials=2)
    trial = oracle.create_trial("tuner0")
    with pytest.raises(ValueError, match="Objective value missing.*'val_loss'"):
        oracle.update_trial(trial.trial_id, {"loss": 0.5})
    assert oracle.update_trial(trial.trial_id, {"val_loss": 0.5}) == "RUNNING"


def test_hypermodel_subclass_without_super_init(tmp_path):
    class NoInit(kt.HyperModel):
        def __init__(self):  # does not call HyperModel.__init__
            self.builds = 0

        def build(self, hp):
            self.builds += 1
            return _sequential_without_input(hp)

    hypermodel = NoInit()
    tuner = kt.RandomSearch(hypermodel, max_trials=1, directory=str(tmp_path))
    assert hypermodel.builds == 1 and tuner.oracle.hyperparameters.space


# -- Messages and values code written for 1.4 looks at ---------------------
def test_fixed_rejects_none_with_the_types_it_takes():
    for bad in (None, [1, 2]):
        with pytest.raises(
            ValueError, match="value must be an int, float, str or bool"
        ):
            kt.HyperParameters().Fixed("f", bad)
    with pytest.raises(TypeError, match="Received: None of type NoneType"):
        kt.engine.hyperparameters.Fixed("f", None)
    assert kt.HyperParameters().Fixed("f", False) is False


def test_objective_prints_with_double_quotes():
    assert str(kt.Objective("val_auc", "max")) == (
        'Objective(name="val_auc", direction="max")'
    )
    # JSON quoting keeps a name holding a quote unambiguous.
    assert repr(kt.Objective('a"b', "min")) == (
        'Objective(name="a\\"b", direction="min")'
    )


def test_run_trial_returning_a_string_names_the_method_and_what_it_takes(tmp_path):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            return trial.hyperparameters.Choice("c", ["a", "b"])

    tuner = T(objective="loss", max_trials=1, directory=str(tmp_path))
    with pytest.raises(
        TypeError,
        match=r"(?s)Tuner\.run_trial\(\) to be one of.*HyperModel\.fit\(\) to be one of.*of type str",
    ):
        tuner.search(verbose=0)


def test_consecutive_failures_message_and_hyperband_factor():
    oracle = kt.oracles.RandomSearchOracle(
        objective="loss", max_consecutive_failed_trials=1, seed=0
    )
    trial = oracle.create_trial("t")
    trial.status, trial.message = "FAILED", "Traceback: out of memory"
    with pytest.raises(
        RuntimeError, match="(?s)Number of consecutive failed trials: 1.*out of memory"
    ):
        oracle.end_trial(trial)
    with pytest.raises(ValueError, match="factor needs to be an integer >= 2"):
        kt.oracles.HyperbandOracle(objective="loss", max_epochs=8, factor=1)
