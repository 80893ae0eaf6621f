# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Resuming a search killed with SIGKILL, for every oracle.

A real subprocess runs one search per oracle (one thread each, so that a
single Python start-up serves all four) and blocks inside a trial; the
test kills it with SIGKILL, then resumes every search in this process
with `overwrite=False` and checks that no completed trial was lost, that
the interrupted trial ran again under its own id with its own values, and
that the search reached its budget without counting that trial twice.
"""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import keras_tuner as kt

KINDS = ("random", "grid", "bayesian", "hyperband")
MAX_TRIALS = 6
BLOCK_AT = 4  # the 4th trial start blocks until the process is killed
RANDOM_KILL_TRIALS = 10


def make_tuner(
    kind, root, block_at=None, overwrite=False, max_trials=MAX_TRIALS, seconds=0.02
):
    """A search over a small space whose trials log their start and end."""
    base = {
        "random": kt.RandomSearch,
        "grid": kt.GridSearch,
        "bayesian": kt.BayesianOptimization,
        "hyperband": kt.Hyperband,
    }[kind]
    log_path = os.path.join(root, f"{kind}.log")

    class Search(base):
        def run_trial(self, trial, *args, **kwargs):
            hp = trial.hyperparameters
            x = hp.Float("x", 0.0, 1.0)
            c = hp.Choice("c", ["a", "b", "c"])
            n = hp.Int("n", 1, 4)
            with open(log_path, "a") as f:
                f.write(f"start {trial.trial_id}\n")
            if block_at is not None:
                with open(log_path) as f:
                    starts = sum(1 for line in f if line.startswith("start"))
                if starts == block_at:
                    time.sleep(600)
            time.sleep(seconds)
            epochs = hp.values.get("tuner/epochs", 1)
            value = (x - 0.3) ** 2 + 0.01 * n + {"a": 0.0, "b": 0.1, "c": 0.2}[c]
            with open(log_path, "a") as f:
                f.write(f"end {trial.trial_id}\n")
            return value + 1.0 / epochs

    kwargs = dict(directory=root, project_name=kind, overwrite=overwrite, seed=3)
    if kind == "hyperband":
        return Search(max_epochs=3, factor=3, **kwargs)
    return Search(max_trials=max_trials, **kwargs)


WORKER = textwrap.dedent(
    """
    import sys, threading
    sys.path.insert(0, {test_dir!r})
    import resume_test
    root, block_at = sys.argv[1], int(sys.argv[2])
    kinds = sys.argv[3].split(",")
    overwrite = sys.argv[4] == "1"
    max_trials, seconds = int(sys.argv[5]), float(sys.argv[6])
    threads = [
        threading.Thread(
            target=lambda k=k: resume_test.make_tuner(
                k, root, block_at or None, overwrite, max_trials, seconds
            ).search(verbose=0)
        )
        for k in kinds
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    """
)


def _lines(root, kind):
    path = os.path.join(root, f"{kind}.log")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def _run_and_kill(
    root,
    kinds,
    block_at=None,
    delay=None,
    overwrite=True,
    max_trials=MAX_TRIALS,
    seconds=0.02,
):
    """Runs the searches in a subprocess and kills it with SIGKILL.

    Returns False (nothing killed) if the searches had already finished.
    """
    script = os.path.join(root, "worker.py")
    with open(script, "w") as f:
        f.write(WORKER.format(test_dir=os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow")
    process = subprocess.Popen(
        [
            sys.executable,
            script,
            root,
            str(block_at or 0),
            ",".join(kinds),
            "1" if overwrite else "0",
            str(max_trials),
            str(seconds),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    logged_before = {k: len(_lines(root, k)) for k in kinds}
    try:
        deadline = time.time() + 900  # Python + TensorFlow start-up on a loaded machine
        while time.time() < deadline:
            if process.poll() == 0 and block_at is None and not overwrite:
                return False  # a resumed search that had nothing left to run
            if process.poll() is not None:
                raise AssertionError(
                    "The worker exited before it was killed:\n"
                    + process.stderr.read().decode()[-3000:]
                )
            if block_at is not None:
                done = all(
                    sum(1 for w in _lines(root, k) if w[0] == "start") >= block_at
                    for k in kinds
                )
            else:
                # Something new was logged: the search is inside its trials.
                done = any(len(_lines(root, k)) > logged_before[k] for k in kinds)
            if done:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("The worker did not reach the blocking trial in time.")
        if delay:
            time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return True


def _state(root, kind):
    with open(os.path.join(root, kind, "oracle.json")) as f:
        return json.load(f)


@pytest.mark.large  # default-suite time budget
def test_sigkill_mid_trial_then_resume_every_oracle(tmp_path):
    root = str(tmp_path)
    _run_and_kill(root, KINDS, block_at=BLOCK_AT)
    for kind in KINDS:
        before = {t["trial_id"]: t for t in _state(root, kind)["trials"]}
        completed_before = {
            i: t for i, t in before.items() if t["status"] == "COMPLETED"
        }
        running_before = [i for i, t in before.items() if t["status"] == "RUNNING"]
        assert len(completed_before) == BLOCK_AT - 1, kind
        assert len(running_before) == 1, kind
        interrupted = running_before[0]

        tuner = make_tuner(kind, root, block_at=None, overwrite=False)
        tuner.search(verbose=0)
        oracle = tuner.oracle
        expected = oracle.total_trials() if kind == "hyperband" else MAX_TRIALS
        assert len(oracle.trials) == expected, kind
        assert all(t.status == "COMPLETED" for t in oracle.trials.values()), kind
        # No completed trial was lost or changed.
        for trial_id, old in completed_before.items():
            assert oracle.trials[trial_id].score == old["score"], (kind, trial_id)
            assert (
                oracle.trials[trial_id].hyperparameters.values
                == (old["hyperparameters"]["values"])
            ), (kind, trial_id)
        # The interrupted trial ran again under its id with the values it was
        # proposed with, and finished exactly once.
        rerun = oracle.trials[interrupted]
        for name, value in before[interrupted]["initial_values"].items():
            assert rerun.hyperparameters.values[name] == value, (kind, name)
        lines = _lines(root, kind)
        starts = [w[1] for w in lines if w[0] == "start"]
        ends = [w[1] for w in lines if w[0] == "end"]
        assert starts.count(interrupted) == 2, kind
        assert sorted(ends) == sorted(oracle.trials), kind
        # Every trial evaluated a different configuration.
        configs = {
            json.dumps(t.hyperparameters.active_values(), sort_keys=True)
            for t in oracle.trials.values()
            if kind != "hyperband"
        }
        if kind != "hyperband":
            assert len(configs) == MAX_TRIALS, kind


def _completed(root, kind):
    """{trial_id: (score, values)} of the completed trials in the state file."""
    path = os.path.join(root, kind, "oracle.json")
    if not os.path.exists(path):
        return {}
    return {
        t["trial_id"]: (t["score"], t["hyperparameters"]["values"])
        for t in _state(root, kind)["trials"]
        if t["status"] == "COMPLETED"
    }


@pytest.mark.large
@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_at_random_moments(tmp_path, kind):
    """Killed five times at random moments, the search loses nothing and ends intact.

    After every kill the completed trials of the state file must include all
    those of the previous kill, unchanged (score and values).
    """
    root = str(tmp_path)
    rng = random.Random(11)
    seen = {}
    kills = 0
    for attempt in range(5):
        killed = _run_and_kill(
            root,
            [kind],
            delay=rng.uniform(0.0, 0.5),
            overwrite=attempt == 0,
            max_trials=RANDOM_KILL_TRIALS,
            seconds=0.2,
        )
        kills += killed
        completed = _completed(root, kind)
        for trial_id, record in seen.items():
            assert completed.get(trial_id) == record, (kind, attempt, trial_id)
        seen = completed
        if not killed:
            break
    assert kills >= 2, kills
    tuner = make_tuner(kind, root, overwrite=False, max_trials=RANDOM_KILL_TRIALS)
    tuner.search(verbose=0)
    oracle = tuner.oracle
    for trial_id, (score, values) in seen.items():
        assert oracle.trials[trial_id].score == score, (kind, trial_id)
        assert oracle.trials[trial_id].hyperparameters.values == values
    expected = oracle.total_trials() if kind == "hyperband" else RANDOM_KILL_TRIALS
    assert len(oracle.trials) == expected
    assert all(t.status == "COMPLETED" for t in oracle.trials.values())
    ends = [w[1] for w in _lines(root, kind) if w[0] == "end"]
    assert set(ends) == set(oracle.trials)
