# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Project folders: names, `overwrite`, and one search per project at a time."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import keras_tuner as kt
from keras_tuner.src.engine import project
from keras_tuner.src.engine.project import LOCK_FILE
from keras_tuner.src.engine.project import MARKER_FILE
from keras_tuner.src.engine.project import ProjectLock
from keras_tuner.src.engine.project import ProjectLockedError


class Quadratic(kt.Tuner):
    def run_trial(self, trial, *args, **kwargs):
        x = trial.hyperparameters.Float("x", -1.0, 1.0)
        return (x - 0.3) ** 2


def _tuner(root, name="p", **kwargs):
    kwargs.setdefault("max_trials", 2)
    return Quadratic(directory=str(root), project_name=name, seed=1, **kwargs)


def _snapshot(root):
    """Every file below `root` with its content."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


# -- Names ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["..", ".", "a/b", "../other", "/abs/path", "x\0y"])
def test_project_name_must_be_one_component_and_nothing_is_deleted(tmp_path, name):
    # The user's files beside and above `directory`: before the fix,
    # overwrite=True with ".." deleted the parent of `directory`.
    home = tmp_path / "home"
    (home / "searches").mkdir(parents=True)
    (home / "thesis.txt").write_text("years of work")
    (home / "other").mkdir()
    (home / "other" / "data.csv").write_text("1,2")
    if name.startswith("/"):
        name = str(home)
    before = _snapshot(tmp_path)
    with pytest.raises(ValueError, match="single folder name.*Received: project_name"):
        _tuner(home / "searches", name=name, overwrite=True)
    assert _snapshot(tmp_path) == before


def test_project_name_type_is_checked(tmp_path):
    with pytest.raises(TypeError, match="project_name=3"):
        _tuner(tmp_path, name=3)


# -- overwrite ---------------------------------------------------------------
def test_overwrite_refuses_a_folder_the_tuner_did_not_create(tmp_path):
    user = tmp_path / "photos"
    user.mkdir()
    (user / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ValueError, match="not created by keras_tuner.*Nothing was"):
        _tuner(tmp_path, name="photos", overwrite=True)
    assert (user / "cat.jpg").read_bytes() == b"\xff\xd8"
    # Without overwrite the folder is used but never marked as ours, so a
    # later overwrite=True still refuses it.
    _tuner(tmp_path, name="photos").search(verbose=0)
    assert not (user / MARKER_FILE).exists()
    with pytest.raises(ValueError, match="not created by keras_tuner"):
        _tuner(tmp_path, name="photos", overwrite=True)
    assert (user / "cat.jpg").read_bytes() == b"\xff\xd8"


def test_overwrite_deletes_the_tuners_files_and_keeps_others(tmp_path):
    tuner = _tuner(tmp_path)
    assert (tmp_path / "p" / MARKER_FILE).exists()
    tuner.search(verbose=0)
    assert (tmp_path / "p" / "oracle.json").exists()
    (tmp_path / "p" / "notes.txt").write_text("mine")
    with pytest.warns(UserWarning, match="kept 'notes.txt'"):
        fresh = _tuner(tmp_path, overwrite=True)
    assert len(fresh.oracle.trials) == 0
    assert sorted(os.listdir(tmp_path / "p")) == sorted(
        [MARKER_FILE, LOCK_FILE, "notes.txt"]
    )


def test_project_of_an_earlier_version_is_recognised_by_its_state_file(tmp_path):
    # Earlier versions wrote no marker: a folder with an oracle.json and only
    # the tuner's own entries is a project; overwrite may delete it.
    _tuner(tmp_path).search(verbose=0)
    os.remove(tmp_path / "p" / MARKER_FILE)
    resumed = _tuner(tmp_path, max_trials=3)
    assert len(resumed.oracle.trials) == 2
    assert (tmp_path / "p" / MARKER_FILE).exists()  # adopted
    os.remove(tmp_path / "p" / MARKER_FILE)
    assert len(_tuner(tmp_path, overwrite=True).oracle.trials) == 0


def test_an_empty_existing_folder_is_adopted(tmp_path):
    (tmp_path / "p").mkdir()
    _tuner(tmp_path, overwrite=True)
    assert (tmp_path / "p" / MARKER_FILE).exists()


def test_project_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "p").write_text("x")
    with pytest.raises(ValueError, match="exists and is not a folder"):
        _tuner(tmp_path, overwrite=True)
    assert (tmp_path / "p").read_text() == "x"


# -- Lock -------------------------------------------------------------------
def test_second_search_on_a_project_in_use_is_refused(tmp_path):
    tuner = _tuner(tmp_path)
    with ProjectLock(str(tmp_path / "p")):
        with pytest.raises(ProjectLockedError) as info:
            tuner.search(verbose=0)
        message = str(info.value)
        assert os.path.abspath(tmp_path / "p") in message
        assert "another tuner in this same process" in message
        assert "RayBackend" in message
        # overwrite=True cannot delete a project that is being searched.
        with pytest.raises(ProjectLockedError):
            _tuner(tmp_path, overwrite=True)
    assert len(tuner.oracle.trials) == 0  # no trial ran
    tuner.search(verbose=0)  # released: the search runs
    assert len(tuner.oracle.trials) == 2


def test_lock_without_flock_takes_over_a_dead_owners_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(project, "fcntl", None)
    folder = str(tmp_path)
    # A live owner (this test's child process) blocks.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with open(os.path.join(folder, LOCK_FILE), "w") as f:
            json.dump({"pid": child.pid, "host": socket.gethostname()}, f)
        with pytest.raises(ProjectLockedError, match=f"process {child.pid} on host"):
            ProjectLock(folder).acquire()
    finally:
        child.kill()
        child.wait()
    # The same lock whose process is gone is stale and taken over.
    lock = ProjectLock(folder).acquire()
    assert lock.held
    with pytest.raises(ProjectLockedError, match="this same process"):
        ProjectLock(folder).acquire()
    lock.release()
    assert not os.path.exists(os.path.join(folder, LOCK_FILE))


SEARCH = textwrap.dedent(
    """
    import json, os, sys, time
    import keras_tuner as kt

    root, name, max_trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
    log = os.path.join(root, "trials.log")

    class Slow(kt.Tuner):
        def run_trial(self, trial, *args, **kwargs):
            x = trial.hyperparameters.Float("x", -1.0, 1.0)
            with open(log, "a") as f:
                f.write(f"{os.getpid()} start {trial.trial_id}\\n")
            time.sleep(float(os.environ.get("TRIAL_SECONDS", "0.3")))
            return (x - 0.3) ** 2

    tuner = Slow(max_trials=max_trials, directory=root, project_name="p", seed=1)
    # Barrier: both processes call search() at the same moment.
    open(os.path.join(root, f"ready_{name}"), "w").close()
    while not all(os.path.exists(os.path.join(root, f"ready_{n}")) for n in "ab"):
        time.sleep(0.01)
    try:
        tuner.search(verbose=0)
        print("SEARCHED", len(tuner.oracle.trials))
    except RuntimeError as error:
        print("REFUSED", error, flush=True)
        # Once the other search is done, this process continues the project:
        # it must build on the other's trials, not overwrite them.
        while not os.path.exists(os.path.join(root, "done")):
            time.sleep(0.05)
        tuner.oracle.max_trials = max_trials + 2
        tuner.search(verbose=0)
        print("CONTINUED", len(tuner.oracle.trials))
    else:
        open(os.path.join(root, "done"), "w").close()
    """
)


def _start_search(root, name, max_trials, **env):
    script = os.path.join(root, "search.py")
    with open(script, "w") as f:
        f.write(SEARCH)
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **env)
    return subprocess.Popen(
        [sys.executable, script, root, name, str(max_trials)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.large
def test_two_processes_started_at_once_lose_no_completed_trial(tmp_path):
    root = str(tmp_path)
    processes = {n: _start_search(root, n, 4) for n in "ab"}
    outputs = {}
    for n, process in processes.items():
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, err[-3000:]
        outputs[n] = (process.pid, out)
    refused = [n for n, (_, out) in outputs.items() if "REFUSED" in out]
    assert len(refused) == 1, outputs
    winner = "a" if refused == ["b"] else "b"
    message = outputs[refused[0]][1]
    assert f"process {outputs[winner][0]} on host '{socket.gethostname()}'" in message
    assert os.path.abspath(os.path.join(root, "p")) in message
    assert "SEARCHED 4" in outputs[winner][1]
    assert "CONTINUED 6" in message
    with open(os.path.join(root, "p", "oracle.json")) as f:
        trials = json.load(f)["trials"]
    assert [t["trial_id"] for t in trials] == [f"{i:04d}" for i in range(6)]
    assert all(t["status"] == "COMPLETED" for t in trials)
    # Every trial id ran once: the first four in the winner, two more after.
    with open(os.path.join(root, "trials.log")) as f:
        starts = [line.split() for line in f]
    ids = [trial_id for _, _, trial_id in starts]
    assert sorted(ids) == [f"{i:04d}" for i in range(6)]
    by_pid = {pid for pid, _, trial_id in starts if trial_id < "0004"}
    assert by_pid == {str(outputs[winner][0])}


@pytest.mark.large
def test_lock_of_a_killed_search_does_not_block_the_restart(tmp_path):
    root = str(tmp_path)
    # Only one process: the barrier's second file is made here.
    open(os.path.join(root, "ready_b"), "w").close()
    process = _start_search(root, "a", 4, TRIAL_SECONDS="600")
    log = os.path.join(root, "trials.log")
    deadline = time.time() + 900
    while not os.path.exists(log) and time.time() < deadline:
        assert process.poll() is None, process.communicate()[1][-3000:]
        time.sleep(0.05)
    with open(os.path.join(root, "p", LOCK_FILE)) as f:
        assert json.load(f)["pid"] == process.pid  # it holds the lock
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    tuner = _tuner(root, max_trials=4)
    tuner.search(verbose=0)
    assert sorted(tuner.oracle.trials) == ["0000", "0001", "0002", "0003"]
    assert all(t.status == "COMPLETED" for t in tuner.oracle.trials.values())
