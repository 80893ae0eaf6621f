# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RayBackend: searches through `tuner.search` on a local Ray cluster.

One local Ray cluster (two CPUs) serves the whole module: Ray's start-up
and the first TensorFlow import in its two worker processes are paid once.
The default suite runs one search on it, the issue's required test: 8
trials of the run_trial workflow, 2 at a time, each trial a tiny function
(no model). The HyperModel workflow (Keras models trained on the workers),
Hyperband, Bayesian distinctness, retries and killed workers are marked
`large`, as are the two-node and driver-resume tests beside this one.
"""

import json
import os
import signal
import sys
import time

import numpy as np
import pytest

from keras_tuner.src.distribute.ray_backend import RayBackend
from keras_tuner.src.distribute.ray_backend import run_trial_task
from keras_tuner.src.distribute.ray_backend import trial_payload
from keras_tuner.src.distribute.ray_backend import worker_copy
from keras_tuner.src.engine import errors
from keras_tuner.src.engine.hypermodel import HyperModel
from keras_tuner.src.engine.hyperparameters import HyperParameters
from keras_tuner.src.engine.oracle import values_hash
from keras_tuner.src.tuners.bayesian import BayesianOptimization
from keras_tuner.src.tuners.hyperband import Hyperband
from keras_tuner.src.tuners.random_search import RandomSearch

ray = pytest.importorskip("ray")


def start_local_cluster(attempts=2):
    """`ray.init` of a new two-CPU local cluster, tried again if start-up timed out.

    Ray gives its raylet a fixed 30 s to register; on a heavily loaded
    machine the first start can miss that, a second usually does not.
    """
    for attempt in range(attempts):
        try:
            ray.init(
                address="local",
                num_cpus=2,
                include_dashboard=False,
                log_to_driver=False,
            )
            return
        except Exception as error:  # Ray raises a bare Exception here.
            ray.shutdown()
            if "timed out during startup" not in str(error) or attempt + 1 == attempts:
                raise


@pytest.fixture(scope="module")
def cluster():
    start_local_cluster()
    yield
    ray.shutdown()


def _wait_for(paths, timeout=120.0):
    """Blocks until every path exists (proves trials run at the same time)."""
    deadline = time.time() + timeout
    while not all(os.path.exists(p) for p in paths):
        if time.time() > deadline:
            raise TimeoutError(f"Waited {timeout} s for {paths}.")
        time.sleep(0.05)


def _write_span(log_dir, name, start, **extra):
    """Notes when and in which process a trial ran."""
    span = {"start": start, "end": time.time(), "pid": os.getpid(), **extra}
    with open(os.path.join(log_dir, f"span_{name}.json"), "w") as f:
        json.dump(span, f)


def _read_spans(log_dir):
    return [json.loads(p.read_text()) for p in sorted(log_dir.glob("span_*.json"))]


def _spans_by_trial(log_dir, trials):
    """Each trial's span, found by its hyperparameter values (one per trial)."""
    spans = _read_spans(log_dir)
    assert len(spans) == len(trials)
    found = {}
    for trial_id, trial in trials.items():
        (span,) = [s for s in spans if s["values"] == trial.hyperparameters.values]
        found[trial_id] = span
    return found


def _assert_ran_on_ray_two_at_a_time(spans):
    events = sorted(
        [(s["start"], 1) for s in spans.values()]
        + [(s["end"], -1) for s in spans.values()]
    )
    assert np.cumsum([e[1] for e in events]).max() <= 2
    pids = {s["pid"] for s in spans.values()}
    assert len(pids) >= 2  # two Ray worker processes took trials
    assert os.getpid() not in pids  # none ran in the driver


class QuadraticTuner(RandomSearch):
    """run_trial returning a float; logs when each trial runs and where."""

    def run_trial(self, trial, offset, log_dir, rendezvous=(), **kwargs):
        x = trial.hyperparameters.Float("x", -1.0, 1.0)
        start = time.time()
        open(os.path.join(log_dir, f"started_{trial.trial_id}"), "w").close()
        if trial.trial_id in rendezvous:
            _wait_for([os.path.join(log_dir, f"started_{i}") for i in rendezvous])
        time.sleep(0.1)
        _write_span(log_dir, trial.trial_id, start, values={"x": x})
        return (x - offset) ** 2


@pytest.mark.large  # default-suite time budget
def test_run_trial_workflow_eight_trials_two_at_a_time(cluster, tmp_path, capsys):
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    tuner = QuadraticTuner(
        max_trials=8,
        seed=3,
        directory=str(tmp_path),
        project_name="p",
        distribution=RayBackend(max_concurrent_trials=2),
    )
    # Trials 0000 and 0001 each wait for the other: they must run together.
    tuner.search(0.25, str(log_dir), rendezvous=("0000", "0001"), verbose=0)

    trials = tuner.oracle.trials
    assert sorted(trials) == [f"{i:04d}" for i in range(8)]
    for trial in trials.values():
        assert trial.status == "COMPLETED"
        assert trial.attempts == 1
        x = trial.hyperparameters.get("x")
        assert trial.score == pytest.approx((x - 0.25) ** 2)
    _assert_ran_on_ray_two_at_a_time(_spans_by_trial(log_dir, trials))

    # Same layout as a local search: the state file, the exported results,
    # and results readable by a fresh local tuner (resuming from oracle.json).
    state = json.loads((tmp_path / "p" / "oracle.json").read_text())
    assert [t["status"] for t in state["trials"]] == ["COMPLETED"] * 8
    assert state["running"] == []
    exported = json.loads((tmp_path / "p" / "results.json").read_text())
    assert len(exported["trials"]) == 8
    reloaded = QuadraticTuner(
        max_trials=8, seed=3, directory=str(tmp_path), project_name="p"
    )
    best = min(trials.values(), key=lambda t: t.score)
    assert reloaded.get_best_hyperparameters()[0].values == (
        best.hyperparameters.values
    )
    capsys.readouterr()
    tuner.results_summary(num_trials=1)
    assert f"Trial {best.trial_id}" in capsys.readouterr().out


def _regression_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2)).astype("float32")
    y = (x[:, :1] * 2.0 - x[:, 1:]).astype("float32")
    return x, y


class SquareHyperModel(HyperModel):
    """The HyperModel workflow with `fit` overridden; logs each trial."""

    def __init__(self, log_dir):
        super().__init__()
        self.log_dir = log_dir

    def build(self, hp):
        import keras

        model = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(hp.Int("units", 2, 8, step=2), activation="relu"),
                keras.layers.Dense(1),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.SGD(hp.Float("lr", 1e-3, 1e-1, sampling="log")),
            loss="mse",
        )
        return model

    def fit(self, hp, model, x, y, callbacks=None, **kwargs):
        start = time.time()
        # What the model scores before training: the checkpoint a promoted
        # Hyperband trial continues from, or a fresh initialisation.
        initial_loss = float(model.evaluate(x, y, verbose=0))
        kwargs.setdefault("epochs", 2)
        kwargs["verbose"] = 0
        history = model.fit(x, y, validation_data=(x, y), callbacks=callbacks, **kwargs)
        name = f"{os.getpid()}_{time.time_ns()}"
        _write_span(
            self.log_dir, name, start, initial_loss=initial_loss, values=hp.values
        )
        return history


def _search_hypermodel_on_ray(tuner_class, tmp_path, **tuner_kwargs):
    """Searches `SquareHyperModel` on the module's cluster, two trials at a time.

    Checks what holds for any algorithm: every trial completed on Ray, and
    the best model, restored on the driver from the checkpoint a worker
    wrote, scores what the worker recorded for its best epoch.
    """
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    x, y = _regression_data()
    tuner = tuner_class(
        SquareHyperModel(str(log_dir)),
        objective="val_loss",
        directory=str(tmp_path),
        project_name="hm",
        distribution=RayBackend(max_concurrent_trials=2),
        **tuner_kwargs,
    )
    tuner.search(x, y, verbose=0)
    trials = tuner.oracle.trials
    assert all(t.status == "COMPLETED" for t in trials.values())
    spans = _spans_by_trial(log_dir, trials)
    _assert_ran_on_ray_two_at_a_time(spans)
    for trial_id in trials:
        assert (
            tmp_path / "hm" / f"trial_{trial_id}" / "checkpoint.weights.h5"
        ).exists()
    best_trial = tuner.oracle.get_best_trials(1)[0]
    model = tuner.get_best_models(1)[0]
    loss = float(model.evaluate(x, y, verbose=0))
    assert loss == pytest.approx(best_trial.score, rel=1e-4)
    assert model.layers[0].units == best_trial.hyperparameters.get("units")
    return tuner, spans


@pytest.mark.large
def test_hypermodel_fit_workflow_eight_trials_two_at_a_time(cluster, tmp_path):
    tuner, _ = _search_hypermodel_on_ray(RandomSearch, tmp_path, max_trials=8, seed=1)
    assert sorted(tuner.oracle.trials) == [f"{i:04d}" for i in range(8)]


@pytest.mark.large
def test_hyperband_on_ray_promotes_from_shared_checkpoints(cluster, tmp_path):
    tuner, spans = _search_hypermodel_on_ray(
        Hyperband, tmp_path, max_epochs=3, factor=3, seed=4
    )
    trials = tuner.oracle.trials
    # Brackets s=1 (3 trials of 1 epoch, the best one continued to 3 epochs)
    # and s=0 (2 trials of 3 epochs): every round ran to completion.
    assert len(trials) == tuner.oracle.total_trials() == 6
    schedule = sorted(
        (
            t.hyperparameters.get("tuner/bracket"),
            t.hyperparameters.get("tuner/round"),
            t.hyperparameters.get("tuner/epochs"),
        )
        for t in trials.values()
    )
    assert schedule == [
        (0, 0, 3),
        (0, 0, 3),
        (1, 0, 1),
        (1, 0, 1),
        (1, 0, 1),
        (1, 1, 3),
    ]
    first_round = [
        t for t in trials.values()
        if t.hyperparameters.get("tuner/bracket") == 1
        and t.hyperparameters.get("tuner/round") == 0
    ]  # fmt: skip
    (promoted,) = [
        t for t in trials.values() if t.hyperparameters.get("tuner/round") == 1
    ]
    best_first = min(first_round, key=lambda t: t.score)
    past_id = promoted.hyperparameters.get("tuner/trial_id")
    assert past_id == best_first.trial_id
    assert promoted.hyperparameters.get("tuner/initial_epoch") == 1
    # The promoted round started once the first round had ended.
    assert spans[promoted.trial_id]["start"] >= max(
        spans[t.trial_id]["end"] for t in first_round
    )
    # The worker started the promoted trial from the checkpoint that another
    # worker wrote for the trial it continues: before any training it scores
    # exactly that trial's best validation loss (same data), unlike a fresh
    # initialisation.
    assert spans[promoted.trial_id]["initial_loss"] == pytest.approx(
        trials[past_id].score, rel=1e-4
    )
    assert spans[past_id]["initial_loss"] != pytest.approx(
        trials[past_id].score, rel=1e-2
    )


class PointTuner(BayesianOptimization):
    def run_trial(self, trial, **kwargs):
        hp = trial.hyperparameters
        time.sleep(0.05)
        return (hp.get("a") - 0.3) ** 2 + (hp.get("b") - 2) ** 2


@pytest.mark.large
def test_bayesian_concurrent_trials_are_distinct(cluster, tmp_path):
    hps = HyperParameters()
    hps.Float("a", 0.0, 1.0, step=0.25)
    hps.Int("b", 0, 3)
    # 5 x 4 = 20 points; with 10 trials two at a time, none is proposed twice
    # even though the Gaussian process keeps pointing at the same optimum.
    tuner = PointTuner(
        hyperparameters=hps,
        max_trials=10,
        num_initial_points=2,
        seed=0,
        directory=str(tmp_path),
        project_name="bo",
        distribution=RayBackend(max_concurrent_trials=2),
    )
    tuner.search(verbose=0)
    trials = list(tuner.oracle.trials.values())
    assert len(trials) == 10
    assert all(t.status == "COMPLETED" for t in trials)
    keys = [values_hash(t.hyperparameters.active_values()) for t in trials]
    assert len(set(keys)) == 10


class FlakyTuner(RandomSearch):
    """Trial 0001 raises on its first attempt; trial 0002's worker dies."""

    def run_trial(self, trial, **kwargs):
        x = trial.hyperparameters.Float("x", 0.0, 1.0)
        if trial.trial_id == "0001" and trial.attempts == 1:
            raise ValueError("transient failure")
        if trial.trial_id == "0002" and trial.attempts == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        return x


def _flaky_search(tmp_path, max_trials, max_retries_per_trial):
    tuner = FlakyTuner(
        max_trials=max_trials,
        seed=0,
        max_consecutive_failed_trials=3,
        directory=str(tmp_path),
        project_name="flaky",
        distribution=RayBackend(
            max_concurrent_trials=2, max_retries_per_trial=max_retries_per_trial
        ),
    )
    tuner.search(verbose=0)
    return tuner


@pytest.mark.large
def test_failed_and_killed_trials_are_retried(cluster, tmp_path):
    tuner = _flaky_search(tmp_path, max_trials=4, max_retries_per_trial=1)
    trials = tuner.oracle.trials
    assert sorted(trials) == ["0000", "0001", "0002", "0003"]
    assert {i: t.status for i, t in trials.items()} == dict.fromkeys(
        trials, "COMPLETED"
    )
    assert {i: t.attempts for i, t in trials.items()} == {
        "0000": 1,
        "0001": 2,
        "0002": 2,
        "0003": 1,
    }
    # Each trial ended once.
    assert sorted(tuner.oracle.end_order) == sorted(trials)
    # The oracle's own setting is restored after the search.
    assert tuner.oracle.max_retries_per_trial == 0


@pytest.mark.large
def test_killed_trial_without_retries_fails(cluster, tmp_path):
    tuner = _flaky_search(tmp_path, max_trials=3, max_retries_per_trial=0)
    statuses = {i: t.status for i, t in tuner.oracle.trials.items()}
    assert statuses == {"0000": "COMPLETED", "0001": "FAILED", "0002": "FAILED"}
    assert "transient failure" in tuner.oracle.trials["0001"].message
    assert "lost on Ray" in tuner.oracle.trials["0002"].message


@pytest.mark.parametrize(
    "resources, name",
    [({"GPU": 1}, "GPU"), ({"CPU": 64}, "CPU"), ({"CPU": 1, "TPU": 1}, "TPU")],
)
def test_infeasible_resources_are_refused_before_any_trial(
    cluster, tmp_path, resources, name
):
    # Before: the search waited forever with no message.
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    tuner = QuadraticTuner(
        max_trials=2,
        directory=str(tmp_path),
        project_name="p",
        distribution=RayBackend(resources_per_trial=resources),
    )
    with pytest.raises(ValueError, match="cannot be met.*No trial was started") as info:
        tuner.search(0.3, str(log_dir), verbose=0)
    assert f"'{name}': 0.0" in str(info.value) or name == "CPU"
    largest = str(info.value).split("largest node: ")[1].split("}")[0]
    assert "'CPU': 2.0" in largest
    assert tuner.oracle.trials == {}
    assert list(log_dir.iterdir()) == []


@pytest.mark.large  # ~12 s (a real timeout)
def test_trial_that_cannot_be_scheduled_times_out_and_resumes(cluster, tmp_path):
    from ray.util import placement_group
    from ray.util import remove_placement_group

    log_dir = tmp_path / "log"
    log_dir.mkdir()
    # Something else holds both CPUs of the cluster.
    hog = placement_group([{"CPU": 2}])
    assert hog.wait(120)
    try:
        tuner = QuadraticTuner(
            max_trials=2,
            seed=1,
            directory=str(tmp_path),
            project_name="p",
            distribution=RayBackend(max_concurrent_trials=1, schedule_timeout=2),
        )
        start = time.time()
        with pytest.raises(
            RuntimeError,
            match=r"Trial 0000 could not be scheduled.*schedule_timeout=2 s.*"
            r"available now: \{'CPU': 0.0\}",
        ):
            tuner.search(0.3, str(log_dir), verbose=0)
        assert time.time() - start < 60
    finally:
        remove_placement_group(hog)
    with open(tmp_path / "p" / "oracle.json") as f:
        (trial,) = json.load(f)["trials"]
    assert trial["status"] == "RUNNING" and list(log_dir.iterdir()) == []
    # Once the resources are free, the search resumes with that trial.
    resumed = QuadraticTuner(
        max_trials=2,
        seed=1,
        directory=str(tmp_path),
        project_name="p",
        distribution=RayBackend(max_concurrent_trials=1),
    )
    resumed.search(0.3, str(log_dir), verbose=0)
    statuses = {i: t.status for i, t in resumed.oracle.trials.items()}
    assert statuses == {"0000": "COMPLETED", "0001": "COMPLETED"}


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="max_concurrent_trials"):
        RayBackend(max_concurrent_trials=0)
    with pytest.raises(ValueError, match="resources_per_trial"):
        RayBackend(resources_per_trial={"CPU": -1})
    with pytest.raises(TypeError, match="resources_per_trial"):
        RayBackend(resources_per_trial=2)
    with pytest.raises(ValueError, match="max_retries_per_trial"):
        RayBackend(max_retries_per_trial=-1)
    with pytest.raises(TypeError, match="address"):
        RayBackend(address=6379)
    for timeout in (0, -1, float("nan"), "10", True):
        with pytest.raises(ValueError, match="schedule_timeout"):
            RayBackend(schedule_timeout=timeout)
    with pytest.raises(TypeError, match="distribution_strategy"):
        QuadraticTuner(max_trials=1, directory=str(tmp_path), distribution="ray")


def test_without_ray_local_search_works_and_ray_search_explains(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails
    local = QuadraticTuner(max_trials=2, seed=0, directory=str(tmp_path))
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    local.search(0.5, str(log_dir), verbose=0)
    assert [t.status for t in local.oracle.trials.values()] == ["COMPLETED"] * 2
    assert local.distribution is None
    # A backend can be configured without Ray; the search says what to install.
    tuner = QuadraticTuner(
        max_trials=2,
        directory=str(tmp_path),
        project_name="needs_ray",
        distribution=RayBackend(max_concurrent_trials=2),
    )
    with pytest.raises(ImportError, match=r"keras-tuner\[ray\]"):
        tuner.search(0.5, str(log_dir), verbose=0)


# -- The worker side, run in this process (no cluster) ---------------------
class DeclaringTuner(RandomSearch):
    """Declares its space inside run_trial; fails on demand."""

    def run_trial(self, trial, mode="ok", **kwargs):
        hp = trial.hyperparameters
        a = hp.Int("a", 0, 100)
        if mode == "raise":
            raise ValueError("boom")
        if mode == "failed":
            raise errors.FailedTrialError("not worth retrying")
        if mode == "fatal":
            raise errors.FatalValueError("stop everything")
        return {"loss": float(a), "other": 1.0}


def _shipped_round_trip(tuner, mode):
    """Serialises tuner and trial as Ray would and runs the task body."""
    cloudpickle = pytest.importorskip("ray.cloudpickle")
    trial = tuner.oracle.create_trial("tuner0-ray0")
    shipped = cloudpickle.loads(cloudpickle.dumps(worker_copy(tuner)))
    payload = cloudpickle.loads(cloudpickle.dumps(trial_payload(trial)))
    return trial, run_trial_task(shipped, payload, ((), {"mode": mode}))


def test_worker_runs_the_trial_and_never_writes_the_state(tmp_path):
    tuner = DeclaringTuner(
        objective="loss",
        max_trials=3,
        seed=5,
        directory=str(tmp_path),
        project_name="w",
    )
    state_file = tmp_path / "w" / "oracle.json"
    trial, result = _shipped_round_trip(tuner, "ok")
    before = state_file.read_text()
    assert result["status"] == "COMPLETED"
    assert result["fatal"] is None
    values = HyperParameters.from_config(result["hyperparameters"]).values
    # The value declared on the worker is drawn from the oracle's stream for
    # this trial, as a local run would draw it.
    a_hp = HyperParameters.from_config(result["hyperparameters"]).space[0]
    assert values["a"] == a_hp.random_sample(tuner.oracle.seed, trial.draw)
    assert result["metrics"]["metrics"]["loss"][0]["value"] == float(values["a"])
    assert state_file.read_text() == before
    # The copy shipped to workers carries no search history.
    assert worker_copy(tuner).oracle.trials == {}
    assert tuner.oracle.trials[trial.trial_id] is trial


@pytest.mark.parametrize(
    "mode, status, fatal",
    [
        ("raise", "INVALID", None),
        ("failed", "FAILED", None),
        ("fatal", "FAILED", errors.FatalValueError),
    ],
)
def test_worker_reports_errors(tmp_path, mode, status, fatal):
    tuner = DeclaringTuner(
        objective="loss",
        max_trials=3,
        seed=5,
        directory=str(tmp_path),
        project_name="e",
    )
    _, result = _shipped_round_trip(tuner, mode)
    assert result["status"] == status
    if fatal is None:
        assert result["fatal"] is None
    else:
        assert isinstance(result["fatal"], fatal)
    assert {"raise": "boom", "failed": "not worth", "fatal": "stop"}[mode] in (
        result["message"]
    )
