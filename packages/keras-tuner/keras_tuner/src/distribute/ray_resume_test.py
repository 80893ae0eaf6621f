# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The driver of a Ray search killed with SIGKILL, then started again.

A real driver process (with its own local Ray cluster) is killed while two
trials run on Ray; the same script started again with `overwrite=False`
keeps every completed trial, re-runs the interrupted ones under their ids
and stops at `max_trials`. Marked `large` (two Ray start-ups).
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip("ray")

SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    import ray
    from keras_tuner.src.distribute.ray_backend import RayBackend
    from keras_tuner.src.tuners.random_search import RandomSearch

    root, block = sys.argv[1], sys.argv[2] == "block"

    class Tuner(RandomSearch):
        def run_trial(self, trial, **kwargs):
            x = trial.hyperparameters.Float("x", 0.0, 1.0)
            name = f"{trial.trial_id}_{trial.attempts}_{os.getpid()}"
            open(os.path.join(root, "log", name), "w").close()
            if block and trial.trial_id >= "0004":
                time.sleep(3600)  # the driver is killed meanwhile
            return x

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    tuner = Tuner(max_trials=7, seed=2, directory=root, project_name="p",
                  distribution=RayBackend(max_concurrent_trials=2))
    tuner.search(verbose=0)
    ray.shutdown()
    """
)


def _descendants(pid):
    """Every process below `pid` (the Ray processes the driver started)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append(child)
                frontier.append(child)
    return found


@pytest.mark.large
def test_killed_driver_resumes(tmp_path):
    (tmp_path / "log").mkdir()
    script = tmp_path / "driver.py"
    script.write_text(SCRIPT)
    driver = subprocess.Popen([sys.executable, str(script), str(tmp_path), "block"])
    try:
        deadline = time.time() + 300
        # Wait until two of the blocking trials run, i.e. 0000-0003 are done.
        while len([n for n in os.listdir(tmp_path / "log") if n >= "0004"]) < 2:
            if time.time() > deadline or driver.poll() is not None:
                raise TimeoutError("The driver never reached the blocking trials.")
            time.sleep(0.1)
    finally:
        family = _descendants(driver.pid)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        for pid in family:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    before = json.loads((tmp_path / "p" / "oracle.json").read_text())
    done_before = {
        t["trial_id"]: t["score"]
        for t in before["trials"]
        if t["status"] == "COMPLETED"
    }
    assert sorted(done_before) == ["0000", "0001", "0002", "0003"]
    running = sorted(
        t["trial_id"] for t in before["trials"] if t["status"] == "RUNNING"
    )
    assert running == ["0004", "0005"]

    subprocess.run(
        [sys.executable, str(script), str(tmp_path), "run"], check=True, timeout=600
    )
    after = json.loads((tmp_path / "p" / "oracle.json").read_text())
    trials = {t["trial_id"]: t for t in after["trials"]}
    assert sorted(trials) == [f"{i:04d}" for i in range(7)]
    assert all(t["status"] == "COMPLETED" for t in trials.values())
    for trial_id, score in done_before.items():  # nothing completed is lost
        assert trials[trial_id]["score"] == score
        assert trials[trial_id]["attempts"] == 1
    # The interrupted trials ran again under their ids; 0006 ran once.
    assert trials["0004"]["attempts"] == 2
    assert trials["0005"]["attempts"] == 2
    assert trials["0006"]["attempts"] == 1
    # Each run of a trial left one log entry: no completed trial ran twice.
    runs = [name.split("_")[0] for name in os.listdir(tmp_path / "log")]
    assert {i: runs.count(i) for i in trials} == {
        "0000": 1, "0001": 1, "0002": 1, "0003": 1, "0004": 2, "0005": 2, "0006": 1,
    }  # fmt: skip
