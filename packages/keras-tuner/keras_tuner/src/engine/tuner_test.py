# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import os
import sys

import keras
import numpy as np
import pytest
from PIL import Image

import keras_tuner as kt
from keras_tuner.src.engine import tuner as tuner_module
from keras_tuner.src.engine.errors import FatalTypeError
from keras_tuner.src.engine.errors import FatalValueError


def _data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0], dtype="float32"))[:, None]
    return x[: n // 2], y[: n // 2], x[n // 2 :], y[n // 2 :]


def build_model(hp):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(hp.Int("units", 8, 64, step=8), activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(hp.Float("lr", 1e-4, 1e-2, sampling="log")),
        loss="mse",
        metrics=["mae"],
    )
    return model


def test_issue_workflow_best_model_restored_at_best_epoch(tmp_path, capsys):
    x, y, x_val, y_val = _data()
    names = []
    # Layers built by earlier tests must not shift the numbering of the build
    # made at tuner creation.
    keras.backend.clear_session()

    def build(hp):
        model = build_model(hp)
        names.append(model.layers[0].name)
        return model

    tuner = kt.RandomSearch(
        build,
        objective="val_mae",
        max_trials=3,
        directory=str(tmp_path),
        project_name="demo",
        seed=2,
    )
    tuner.search(x, y, validation_data=(x_val, y_val), epochs=3, batch_size=8)
    # One build when the tuner is created (it fills the search space, as in
    # keras-tuner 1.4), then one per trial; the Keras session is cleared
    # between trials, so layer numbering restarts.
    assert names == ["dense", "dense", "dense", "dense"]
    out = capsys.readouterr().out
    assert (
        "Search: trial 3/3" in out and "best val_mae so far" in out and "elapsed" in out
    )
    best_trial = tuner.oracle.get_best_trials(1)[0]
    best_model = tuner.get_best_models()[0]
    best_hp = tuner.get_best_hyperparameters()[0]
    assert best_hp.values == best_trial.hyperparameters.values
    assert best_model.layers[0].units == best_hp.get("units")
    # The restored weights are those of the best epoch: evaluating them gives
    # the validation MAE that was recorded as the trial's score.
    _, mae = best_model.evaluate(x_val, y_val, verbose=0)
    assert mae == pytest.approx(best_trial.score, rel=1e-4)
    scores = [t.score for t in tuner.oracle.trials.values()]
    assert best_trial.score == min(scores)
    assert len(tuner.get_best_hyperparameters(num_models=2)) == 2
    assert len(tuner.get_best_models(num_models=2)) == 2


def test_hypermodel_workflow_shares_hps_and_retrains(tmp_path):
    x, y, x_val, y_val = _data()
    seen = []

    class MyHyperModel(kt.HyperModel):
        def build(self, hp):
            model = keras.Sequential(
                [
                    keras.Input((4,)),
                    keras.layers.Dense(hp.Choice("units", [4, 8])),
                    keras.layers.Dense(1),
                ]
            )
            model.compile(loss="mse", metrics=["mae"])
            return model

        def fit(self, hp, model, x, y, validation_data, callbacks=None, **kwargs):
            seen.append((hp.get("units"), kwargs.get("marker"), callbacks))
            history = model.fit(
                x,
                y,
                validation_data=validation_data,
                epochs=2,
                verbose=0,
                batch_size=hp.Choice("batch_size", [8, 16]),
                callbacks=callbacks,
            )
            return history

    tuner = kt.RandomSearch(
        MyHyperModel(),
        objective=kt.Objective("val_mae", "min"),
        max_trials=2,
        executions_per_trial=2,
        directory=str(tmp_path),
        project_name="hm",
        seed=0,
    )
    tuner.search(x, y, validation_data=(x_val, y_val), marker="from-search", verbose=0)
    assert len(seen) == 4  # 2 trials x 2 executions
    assert all(marker == "from-search" for _, marker, _ in seen)
    assert all(units in (4, 8) for units, _, _ in seen)
    checkpoints = [
        c
        for _, _, callbacks in seen
        for c in callbacks
        if type(c).__name__ == "BestEpochCheckpoint"
    ]
    assert len(checkpoints) == 4
    hp = tuner.get_best_hyperparameters()[0]
    assert set(hp.values) == {"units", "batch_size"}
    model = MyHyperModel().build(hp)
    history = MyHyperModel().fit(hp, model, x, y, validation_data=(x_val, y_val))
    assert len(history.history["val_mae"]) == 2


def test_tuner_workflow_without_oracle_searches_randomly(tmp_path):
    x, y, x_val, y_val = _data()
    calls = []

    class MyTuner(kt.Tuner):
        def run_trial(self, trial, x, y, callbacks=None, **kwargs):
            hp = trial.hyperparameters
            calls.append(kwargs)
            model = keras.Sequential(
                [
                    keras.Input((4,)),
                    keras.layers.Dense(hp.Choice("units", [2, 4, 8, 16])),
                    keras.layers.Dense(1),
                ]
            )
            model.compile(loss="mse", metrics=["mae"])
            history = model.fit(
                x,
                y,
                epochs=2,
                validation_data=kwargs["validation_data"],
                shuffle=hp.Boolean("shuffle"),
                callbacks=callbacks,
                verbose=0,
            )
            return float(np.min(history.history["val_mae"]))

    tuner = MyTuner(
        max_trials=3,
        executions_per_trial=2,
        overwrite=True,
        directory=str(tmp_path),
        project_name="helloworld",
    )
    assert isinstance(tuner.oracle, kt.oracles.RandomSearchOracle)
    tuner.search(x, y, validation_data=(x_val, y_val), verbose=0)
    assert len(calls) == 3 and all("validation_data" in c for c in calls)
    # A space declared only inside run_trial is searched from trial 0 on.
    values = [t.hyperparameters.values["units"] for t in tuner.oracle.trials.values()]
    assert (
        len(
            set(
                map(
                    str,
                    [t.hyperparameters.values for t in tuner.oracle.trials.values()],
                )
            )
        )
        == 3
    )
    assert values[0] in (2, 4, 8, 16)
    # The checkpoint handed through `callbacks` makes the best model loadable.
    model = tuner.get_best_models()[0]
    best = tuner.oracle.get_best_trials(1)[0]
    _, mae = model.evaluate(x_val, y_val, verbose=0)
    assert mae == pytest.approx(best.score, rel=1e-4)
    assert model.layers[0].units == best.hyperparameters.get("units")


@pytest.mark.parametrize(
    "result,objective,expected",
    [
        (0.25, None, 0.25),
        ([1.0, 3.0], None, 2.0),
        ({"score": 0.5, "other": 2.0}, kt.Objective("score", "max"), 0.5),
        ({"loss": [3.0, 1.0, 2.0], "val_loss": [2.0, 0.5, 0.75]}, None, 0.5),
        ([{"acc": 0.5}, {"acc": 0.7}], "acc", 0.6),
        ({"val_loss": 0.25, "val_accuracy": 0.5}, ["val_loss", "val_accuracy"], -0.25),
    ],
)
def test_run_trial_return_types(tmp_path, result, objective, expected):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            trial.hyperparameters.Int("a", 0, 100)
            return result

    tuner = T(
        objective=objective, max_trials=1, directory=str(tmp_path), project_name="r"
    )
    tuner.search(verbose=0)
    assert tuner.oracle.get_best_trials(1)[0].score == pytest.approx(expected)


def test_history_return_uses_best_epoch_by_objective(tmp_path):
    history = keras.callbacks.History()
    history.history = {"val_accuracy": [0.5, 0.9, 0.7], "val_loss": [1.0, 2.0, 0.5]}

    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            trial.hyperparameters.Int("a", 0, 100)
            return history

    tuner = T(
        objective="val_accuracy",
        max_trials=1,
        directory=str(tmp_path),
        project_name="h",
    )
    tuner.search(verbose=0)
    trial = tuner.oracle.trials["0000"]
    assert trial.score == 0.9
    assert trial.metrics.get_last_value("val_loss") == 2.0  # metrics of epoch 1


def test_bad_results_are_clear_errors(tmp_path):
    class ReturnsNone(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            trial.hyperparameters.Int("a", 0, 10)

    with pytest.raises(FatalTypeError, match="returned None"):
        ReturnsNone(max_trials=2, directory=str(tmp_path), project_name="n").search(
            verbose=0
        )

    class UnknownObjective(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            trial.hyperparameters.Int("a", 0, 10)
            return {"val_mae": 1.0, "loss": 2.0}

    tuner = UnknownObjective(
        objective="val_acc", max_trials=2, directory=str(tmp_path), project_name="u"
    )
    with pytest.raises(
        FatalValueError, match="Metrics that exist: \\['loss', 'val_mae'\\]"
    ):
        tuner.search(verbose=0)
    assert tuner.oracle.trials["0000"].status == "FAILED"


def test_build_must_return_a_model(tmp_path):
    x, y, _, _ = _data()
    tuner = kt.RandomSearch(
        lambda hp: "not a model",
        max_trials=2,
        directory=str(tmp_path),
        project_name="b",
    )
    with pytest.raises(
        FatalTypeError, match="to return a `keras.Model`.*'not a model'"
    ):
        tuner.search(x, y, epochs=1, verbose=0)


def test_failing_trials_retried_recorded_and_limited(tmp_path):
    attempts = []

    class Flaky(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            x = trial.hyperparameters.Float("x", 0, 1)
            attempts.append(trial.trial_id)
            if trial.trial_id == "0001":
                raise ValueError("trial one always breaks")
            return x

    tuner = Flaky(
        max_trials=4,
        max_retries_per_trial=2,
        directory=str(tmp_path),
        project_name="f",
        seed=1,
    )
    tuner.search(verbose=0)
    assert attempts.count("0001") == 3  # first run + 2 retries
    failed = tuner.oracle.trials["0001"]
    assert failed.status == "FAILED"
    assert "ValueError: trial one always breaks" in failed.message
    assert "Traceback" in failed.message
    assert len(tuner.oracle.trials) == 4
    assert sum(t.status == "COMPLETED" for t in tuner.oracle.trials.values()) == 3
    saved = json.load(open(os.path.join(str(tmp_path), "f", "results.json")))
    assert (
        "trial one always breaks"
        in [t for t in saved["trials"] if t["trial_id"] == "0001"][0]["message"]
    )

    class Broken(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            trial.hyperparameters.Float("x", 0, 1)
            raise RuntimeError("always")

    broken = Broken(
        max_trials=10,
        max_consecutive_failed_trials=3,
        directory=str(tmp_path),
        project_name="g",
    )
    with pytest.raises(RuntimeError, match="3 trials failed in a row"):
        broken.search(verbose=0)
    assert len(broken.oracle.trials) == 3

    class Failed(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            trial.hyperparameters.Float("x", 0, 1)
            if trial.trial_id == "0000":
                raise kt.errors.FailedTrialError("skip me")
            return 1.0

    failing = Failed(
        max_trials=2, max_retries_per_trial=3, directory=str(tmp_path), project_name="h"
    )
    failing.search(verbose=0)
    assert failing.oracle.trials["0000"].attempts == 1  # not retried
    assert failing.oracle.trials["0000"].status == "FAILED"


def test_tensorboard_callback_without_tensorboard_names_the_extra(
    tmp_path, monkeypatch
):
    # Before: the callback was skipped with a warning and the trials ran
    # without the logs the user asked for.
    x, y, x_val, y_val = _data()
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # as if not installed
    tuner = kt.RandomSearch(
        build_model,
        objective="val_loss",
        max_trials=2,
        directory=str(tmp_path),
        project_name="tb",
    )
    with pytest.raises(ImportError) as raised:
        tuner.search(
            x,
            y,
            validation_data=(x_val, y_val),
            epochs=1,
            verbose=0,
            callbacks=[keras.callbacks.TensorBoard(log_dir=str(tmp_path / "logs"))],
        )
    message = str(raised.value)
    assert "keras-tuner[tensorboard]" in message
    assert 'pip install "keras-tuner[tensorboard]"' in message
    assert tuner.oracle.trials == {}  # raised before the first trial
    # Without a TensorBoard callback the search needs no tensorboard.
    tuner.search(x, y, validation_data=(x_val, y_val), epochs=1, verbose=0)
    assert [t.status for t in tuner.oracle.trials.values()] == ["COMPLETED"] * 2


def test_tensorboard_logs_per_trial_when_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(tuner_module, "tensorboard_available", lambda: True)
    tuner = kt.RandomSearch(
        build_model, max_trials=1, directory=str(tmp_path), project_name="t"
    )
    trial = tuner.oracle.create_trial("tuner0")
    user = keras.callbacks.TensorBoard(log_dir="user_logs")
    callbacks = tuner._trial_callbacks(trial, [user], execution=1)
    boards = [c for c in callbacks if isinstance(c, keras.callbacks.TensorBoard)]
    assert len(boards) == 1
    assert boards[0].log_dir == os.path.join("user_logs", trial.trial_id, "execution1")
    assert user.log_dir == "user_logs"  # the user's callback is copied, not changed
    # Without a TensorBoard callback of the user's, none is added (1.4).
    own = tuner._trial_callbacks(trial, [], execution=0)
    assert not [c for c in own if isinstance(c, keras.callbacks.TensorBoard)]


def test_search_writes_tensorboard_events_per_trial(tmp_path):
    # A user's TensorBoard callback logs every trial's epochs in its own folder.
    assert tuner_module.tensorboard_available()
    tuner = kt.RandomSearch(
        build_model,
        objective="val_mae",
        max_trials=2,
        seed=0,
        directory=str(tmp_path),
        project_name="tb",
    )
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    board = keras.callbacks.TensorBoard(log_dir=str(tmp_path / "tb_logs"))
    tuner.search(x, y, validation_data=(x, y), epochs=2, verbose=0, callbacks=[board])
    for trial_id in tuner.oracle.trials:
        logs = os.path.join(str(tmp_path / "tb_logs"), trial_id, "execution0")
        events = [
            name
            for _, _, files in os.walk(logs)
            for name in files
            if name.startswith("events.out.tfevents")
        ]
        assert events, f"no TensorBoard events for trial {trial_id} in {logs}"


def test_summaries_and_exports(tmp_path, capsys):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            hp = trial.hyperparameters
            return (hp.Float("x", -1, 1) - 0.2) ** 2 + hp.Int("k", 0, 3)

    tuner = T(max_trials=5, directory=str(tmp_path), project_name="s", seed=4)
    tuner.search(verbose=0)
    capsys.readouterr()
    tuner.search_space_summary()
    tuner.results_summary(2)
    out = capsys.readouterr().out
    assert (
        "Default search space size: 2" in out
        and "x (Float)" in out
        and "k (Int)" in out
    )
    assert out.count("Trial 0") == 2 and "Score:" in out
    paths = tuner.export_results(str(tmp_path / "export"))
    saved = json.load(open(paths["json"]))
    best = tuner.oracle.get_best_trials(1)[0]
    assert saved["best_trial_id"] == best.trial_id
    assert saved["best_hyperparameters"] == best.hyperparameters.active_values()
    rows = open(paths["csv"]).read().strip().splitlines()
    assert rows[0].startswith("trial_id,status,score") and len(rows) == 6
    image = Image.open(paths["png"])
    assert image.format == "PNG" and image.size[0] >= 300
    # The search exported its results to the project directory by itself.
    assert os.path.exists(os.path.join(str(tmp_path), "s", "objective.png"))


def test_constructor_errors(tmp_path):
    with pytest.raises(ValueError, match="needs a `hypermodel`"):
        kt.Tuner(directory=str(tmp_path))
    # TypeError, and also keras-tuner 1.4's ValueError.
    for error in (TypeError, ValueError):
        with pytest.raises(error, match="Unrecognized arguments.*'max_trail'"):
            kt.RandomSearch(build_model, max_trail=3, directory=str(tmp_path))
        with pytest.raises(error, match="`hypermodel` argument should be"):
            kt.RandomSearch(hypermodel=3, directory=str(tmp_path))
        with pytest.raises(error, match="instance of `Oracle`.*oracle='random'"):
            kt.Tuner(oracle="random", hypermodel=build_model, directory=str(tmp_path))
    with pytest.raises(ValueError, match="executions_per_trial"):
        kt.RandomSearch(build_model, executions_per_trial=0, directory=str(tmp_path))


def test_resume_refuses_a_different_objective(tmp_path):
    class T(kt.RandomSearch):
        def run_trial(self, trial, **kwargs):
            return trial.hyperparameters.Float("x", 0, 1)

    T(max_trials=1, directory=str(tmp_path), project_name="o").search(verbose=0)
    with pytest.raises(ValueError, match="searched with objective"):
        T(objective="val_accuracy", directory=str(tmp_path), project_name="o")


@pytest.mark.large
def test_no_memory_growth_over_50_trials(tmp_path):
    """A search grows no faster than a plain build/fit/clear_session loop.

    Keras and TensorFlow themselves keep a few MB per model built even after
    `keras.backend.clear_session()` (about 4 MB on TF 2.21), so the
    reference is that loop, measured in the same process.
    """
    import keras

    x, y, x_val, y_val = _data()

    def rss_mb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    sizes = []

    class T(kt.RandomSearch):
        def on_trial_begin(self, trial):
            super().on_trial_begin(trial)
            sizes.append(rss_mb())

    tuner = T(
        build_model,
        objective="val_loss",
        max_trials=50,
        directory=str(tmp_path),
        project_name="m",
    )
    tuner.search(x, y, validation_data=(x_val, y_val), epochs=1, verbose=0)
    plain = []
    for _ in range(50):
        keras.backend.clear_session(free_memory=False)
        plain.append(rss_mb())
        model = build_model(kt.HyperParameters())
        model.fit(x, y, validation_data=(x_val, y_val), epochs=1, verbose=0)
    search_growth = (sizes[-1] - sizes[10]) / (len(sizes) - 11)
    plain_growth = (plain[-1] - plain[10]) / (len(plain) - 11)
    # Per trial, after warm-up: at most the plain loop's growth plus 1 MB.
    assert search_growth <= max(plain_growth, 0.0) + 1.0, (search_growth, plain_growth)


class _LoopModel(keras.Model):
    """A model with a hand-written `fit` that drives the callbacks itself,
    setting `callback.model` as tf.keras loops did, and whose `save_weights`
    writes nothing."""

    def __init__(self, losses):
        super().__init__()
        self.losses_per_epoch = losses

    def fit(self, *args, callbacks=(), **kwargs):
        for callback in callbacks:
            callback.model = self
        for epoch, loss in enumerate(self.losses_per_epoch):
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs={"loss": loss})
        history = keras.callbacks.History()
        history.history = {"loss": list(self.losses_per_epoch)}
        return history

    def save_weights(self, filepath, **kwargs):
        pass


def test_checkpoint_callback_model_is_settable_and_a_model_saving_nothing_warns(
    tmp_path,
):
    class LoopHyperModel(kt.HyperModel):
        def build(self, hp):
            return _LoopModel([5.0, 3.0, 4.0][: hp.Choice("epochs", [2, 3])])

    tuner = kt.RandomSearch(
        LoopHyperModel(),
        objective="loss",
        max_trials=2,
        directory=str(tmp_path),
        project_name="loop",
        seed=0,
    )
    with pytest.warns(UserWarning, match=r"_LoopModel.save_weights\(path\)` wrote no"):
        tuner.search(verbose=0)
    trials = tuner.oracle.get_best_trials(2)
    assert [t.status for t in trials] == ["COMPLETED", "COMPLETED"]
    assert [t.score for t in trials] == [3.0, 3.0]
    assert not [
        name
        for _, _, files in os.walk(tmp_path)
        for name in files
        if name.startswith("checkpoint")
    ]


def test_checkpoint_callback_model_setter_is_set_model():
    callback = tuner_module._make_best_epoch_checkpoint(
        kt.Objective("loss", "min"), "unused.weights.h5", False, {"value": None}
    )
    hooks = tuner_module._TunerHooks(tuner=None, trial=None)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    for cb in (callback, hooks):
        cb.model = model
        assert cb.model is model


def test_trial_values_declared_in_run_trial_are_printed(tmp_path, capsys):
    # Before: the first trial of a search whose `run_trial` declares the
    # hyperparameters printed none (they did not exist when it began).
    class Search(kt.RandomSearch):
        def run_trial(self, trial, *args, **kwargs):
            hp = trial.hyperparameters
            return {"loss": hp.Int("units", 1, 4) + hp.Float("rate", 0.1, 0.2)}

    tuner = Search(
        objective="loss", max_trials=2, directory=str(tmp_path), project_name="p"
    )
    tuner.search()
    out = capsys.readouterr().out
    first, second = out.split("Search: trial 2/2")
    units = tuner.oracle.trials["0000"].hyperparameters.get("units")
    assert "declared during the trial:" in first
    assert f"  units = {units}" in first and "  rate  = " in first
    # The second trial knows the space when it begins: printed once, up front.
    assert second.count("units =") == 1
    assert "declared during the trial:" not in second
    assert second.index("units =") < second.index("completed")
