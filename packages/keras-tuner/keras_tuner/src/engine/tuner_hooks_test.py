# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-tuner 1.4 behaviour: TensorBoard, HParams events, hooks, state, env vars."""

import glob
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

import keras_tuner as kt
from keras_tuner.src.engine import tuner as tuner_module


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


def _build(hp):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(hp.Choice("units", [2, 4])),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="mse", optimizer="sgd")
    return model


class HandWrittenLoop(kt.HyperModel):
    """A `fit` with its own loop that calls the callbacks it is given."""

    seen = []

    def build(self, hp):
        return _build(hp)

    def fit(self, hp, model, x, y, callbacks=None, epochs=2, **kwargs):
        type(self).seen.append(list(callbacks))
        loss_fn = keras.losses.MeanSquaredError()
        for epoch in range(epochs):
            loss = float(loss_fn(y, model(x)))
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs={"loss": loss})
        return {"loss": loss}


@pytest.mark.parametrize("tensorboard_installed", [True, False])
def test_hand_written_loop_runs_every_trial(
    tmp_path, monkeypatch, tensorboard_installed
):
    # Before: a TensorBoard callback the user did not ask for failed every
    # trial ("'Functional' object has no attribute 'optimizer'").
    if not tensorboard_installed:
        monkeypatch.setitem(sys.modules, "tensorboard", None)
        monkeypatch.setattr(tuner_module, "tensorboard_available", lambda: False)
    HandWrittenLoop.seen = []
    tuner = kt.RandomSearch(
        HandWrittenLoop(),
        objective="loss",
        max_trials=2,
        directory=str(tmp_path),
        project_name="loop",
    )
    x, y = _data()
    tuner.search(x, y, epochs=2)
    assert [t.status for t in tuner.oracle.trials.values()] == ["COMPLETED"] * 2
    assert tuner.get_best_hyperparameters()[0].get("units") in (2, 4)
    for callbacks in HandWrittenLoop.seen:
        assert not [c for c in callbacks if isinstance(c, keras.callbacks.TensorBoard)]
    assert not os.path.exists(os.path.join(tuner.project_dir, "logs"))


def _hparams_events(log_dir):
    """(kind, content) of every HParams plugin summary, read by TensorBoard."""
    from tensorboard.backend.event_processing import event_file_loader
    from tensorboard.plugins.hparams import plugin_data_pb2

    found = []
    for path in sorted(glob.glob(os.path.join(log_dir, "events.out.tfevents*"))):
        for event in event_file_loader.EventFileLoader(path).Load():
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name != "hparams":
                    continue
                data = plugin_data_pb2.HParamsPluginData.FromString(
                    value.metadata.plugin_data.content
                )
                found.append((data.WhichOneof("data"), data))
    return found


def test_user_tensorboard_gets_per_trial_dirs_and_hparams_sessions(tmp_path):
    board = keras.callbacks.TensorBoard(log_dir=str(tmp_path / "tb"))
    tuner = kt.RandomSearch(
        _build,
        objective="loss",
        max_trials=2,
        executions_per_trial=2,
        seed=1,
        directory=str(tmp_path),
        project_name="hp",
    )
    x, y = _data()
    tuner.search(x, y, epochs=1, verbose=0, callbacks=[board])
    assert board.log_dir == str(tmp_path / "tb")  # the user's object is unchanged
    for trial_id, trial in tuner.oracle.trials.items():
        for execution in (0, 1):
            log_dir = str(tmp_path / "tb" / trial_id / f"execution{execution}")
            assert glob.glob(os.path.join(log_dir, "train", "events.out.tfevents*"))
            events = _hparams_events(log_dir)
            kinds = [kind for kind, _ in events]
            assert kinds == ["session_start_info", "session_end_info"], kinds
            start = events[0][1].session_start_info
            assert start.group_name == trial_id
            assert start.hparams["units"].number_value == trial.hyperparameters.get(
                "units"
            )
            from tensorboard.plugins.hparams import api_pb2

            assert events[1][1].session_end_info.status == api_pb2.STATUS_SUCCESS


class HookedTuner(kt.RandomSearch):
    def __init__(self, *args, **kwargs):
        self.calls = []
        self.restored = None
        super().__init__(*args, **kwargs)

    def on_epoch_begin(self, trial, model, epoch, logs=None):
        self.calls.append(("epoch_begin", trial.trial_id, epoch, model))

    def on_batch_begin(self, trial, model, batch, logs):
        self.calls.append(("batch_begin", trial.trial_id, batch, model))

    def on_batch_end(self, trial, model, batch, logs=None):
        self.calls.append(("batch_end", trial.trial_id, batch, model, dict(logs)))

    def on_epoch_end(self, trial, model, epoch, logs=None):
        self.calls.append(("epoch_end", trial.trial_id, epoch, model, dict(logs)))

    def get_state(self):
        state = super().get_state()
        state["epochs_seen"] = sum(1 for c in self.calls if c[0] == "epoch_end")
        return state

    def set_state(self, state):
        super().set_state(state)
        self.restored = state


def test_epoch_and_batch_hooks_are_called_with_trial_and_model(tmp_path):
    tuner = HookedTuner(
        _build,
        objective="loss",
        max_trials=2,
        directory=str(tmp_path),
        project_name="h",
    )
    x, y = _data()
    tuner.search(x, y, epochs=2, batch_size=16, verbose=0)
    for trial_id in ("0000", "0001"):
        mine = [c for c in tuner.calls if c[1] == trial_id]
        kinds = [c[0] for c in mine]
        # 2 epochs of 2 batches each, in Keras' order.
        one_epoch = ["epoch_begin"] + ["batch_begin", "batch_end"] * 2 + ["epoch_end"]
        assert kinds == one_epoch * 2
        assert all(isinstance(c[3], keras.Model) for c in mine)
        assert [c[2] for c in mine if c[0] == "epoch_end"] == [0, 1]
        assert all("loss" in c[4] for c in mine if c[0] in ("epoch_end", "batch_end"))


def test_get_state_is_saved_and_set_state_restores_it(tmp_path):
    x, y = _data()
    kwargs = dict(objective="loss", directory=str(tmp_path), project_name="s")
    tuner = HookedTuner(_build, max_trials=2, **kwargs)
    assert tuner.restored is None  # a new project has no tuner state
    tuner.search(x, y, epochs=1, verbose=0)
    path = os.path.join(tuner.project_dir, "tuner0.json")
    assert os.path.exists(path)
    resumed = HookedTuner(_build, max_trials=2, **kwargs)
    assert resumed.restored == {"epochs_seen": 2}
    fresh = HookedTuner(_build, max_trials=2, overwrite=True, **kwargs)
    assert fresh.restored is None
    # The base class keeps no state of its own.
    assert kt.Tuner.get_state(fresh) == {}


def test_save_and_reload_carry_the_tuner_state(tmp_path):
    # keras-tuner 1.4's `save()`/`reload()` cover the tuner's own state too.
    x, y = _data()
    kwargs = dict(objective="loss", directory=str(tmp_path), project_name="r")
    tuner = HookedTuner(_build, max_trials=1, **kwargs)
    tuner.search(x, y, epochs=1, verbose=0)
    tuner.calls.append(("epoch_end", None, 1, None, {}))  # one more epoch seen
    tuner.save()
    other = HookedTuner(_build, max_trials=1, **kwargs)
    assert other.restored == {"epochs_seen": 2}
    other.restored = None
    other.reload()
    assert other.restored == {"epochs_seen": 2}


# -- keras-tuner 1.4's chief/worker environment ---------------------------------
ROLE = textwrap.dedent(
    """
    import os, sys
    import keras_tuner as kt

    class T(kt.Tuner):
        def run_trial(self, trial, *args, **kwargs):
            return trial.hyperparameters.Float("x", 0.0, 1.0)

    tuner = T(max_trials=3, directory=sys.argv[1], project_name="shared")
    tuner.search(verbose=0)
    print("SEARCHED", os.environ["KERASTUNER_TUNER_ID"])
    """
)


@pytest.mark.large
def test_chief_and_workers_with_keras_tuner_1_variables_stop_clearly(tmp_path):
    script = tmp_path / "role.py"
    script.write_text(ROLE)
    processes = []
    for tuner_id in ("chief", "tuner0", "tuner1"):
        env = dict(
            os.environ,
            KERASTUNER_TUNER_ID=tuner_id,
            KERASTUNER_ORACLE_IP="127.0.0.1",
            KERASTUNER_ORACLE_PORT="8000",
            TF_CPP_MIN_LOG_LEVEL="3",
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, str(script), str(tmp_path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for process in processes:
        out, err = process.communicate(timeout=900)
        assert process.returncode != 0 and "SEARCHED" not in out
        assert "KERASTUNER_ORACLE_IP" in err and "'127.0.0.1'" in err
        assert "kt.distribute.RayBackend(address=None)" in err
        assert "distribution=backend" in err
    # No process ran a search: no project, so no duplicated trials.
    assert not (tmp_path / "shared").exists()


def test_keras_tuner_1_variables_are_refused_in_process(tmp_path, monkeypatch):
    monkeypatch.setenv("KERASTUNER_TUNER_ID", "chief")
    with pytest.raises(RuntimeError, match="(?s)KERASTUNER_TUNER_ID.*RayBackend"):
        kt.RandomSearch(_build, max_trials=1, directory=str(tmp_path))
    assert os.listdir(tmp_path) == []
