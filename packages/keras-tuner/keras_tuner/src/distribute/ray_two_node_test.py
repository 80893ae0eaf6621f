# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A two-node Ray cluster on loopback, with a worker node killed mid-search.

The test starts `ray start --head --block` and `ray start --address=... --block`
as two separate processes (one CPU each), searches through them, kills the
raylet of the node the driver is not attached to with SIGKILL while that
node runs a trial, and checks that every trial completes exactly once.
Marked `large` (Ray needs tens of seconds to notice a dead node).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from keras_tuner.src.distribute.ray_backend import RayBackend
from keras_tuner.src.tuners.random_search import RandomSearch

ray = pytest.importorskip("ray")

RAY_CLI = os.path.join(os.path.dirname(sys.executable), "ray")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid):
    """Pids of the processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _args(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode().split("\0")
    except OSError:
        return []


def _raylet_pid(socket_name, roots):
    """The raylet, started below one of `roots`, serving `socket_name`."""
    frontier = list(roots)
    while frontier:
        pid = frontier.pop()
        args = _args(pid)
        if (
            args
            and os.path.basename(args[0]) == "raylet"
            and f"--raylet_socket_name={socket_name}" in args
        ):
            return pid
        frontier.extend(_children(pid))
    return None


class NodeTuner(RandomSearch):
    """Each trial notes the node it runs on, then works for a second."""

    def run_trial(self, trial, log_dir, **kwargs):
        import ray as ray_module

        x = trial.hyperparameters.Float("x", 0.0, 1.0)
        node = ray_module.get_runtime_context().get_node_id()
        path = os.path.join(log_dir, f"{trial.trial_id}_{trial.attempts}_{node}")
        open(path, "w").close()
        time.sleep(1.5)
        return x


@pytest.mark.large
def test_two_node_cluster_survives_a_killed_node(tmp_path, monkeypatch):
    if ray.is_initialized():
        ray.shutdown()
    port = _free_port()
    # A loopback test cluster: no token authentication between its processes.
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    common = ["--num-cpus=1", "--block", "--disable-usage-stats"]
    head = subprocess.Popen(
        [RAY_CLI, "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1",
         "--include-dashboard=false", *common],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        address = f"127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:  # wait for the head, then add the second node
            probe = subprocess.run(
                [RAY_CLI, "status", f"--address={address}"],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            if probe.returncode == 0:
                break
            if time.time() > deadline:
                raise TimeoutError(f"The Ray head did not start: {probe.stderr}")
            time.sleep(1)
        # The driver joins before the second node exists, so it attaches to
        # the head (both nodes share one IP address; a driver attached to
        # the node killed below would die with it, and `ray start --block`
        # on the head would take the whole cluster down with its raylet).
        ray.init(address=address, log_to_driver=False)
        worker = subprocess.Popen(
            [RAY_CLI, "start", f"--address={address}",
             "--node-ip-address=127.0.0.1", *common],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while len([n for n in ray.nodes() if n["Alive"]]) < 2:
            if time.time() > deadline:
                raise TimeoutError("The second Ray node did not join.")
            time.sleep(0.5)
        driver_node = ray.get_runtime_context().get_node_id()
        (other,) = [n for n in ray.nodes() if n["Alive"] and n["NodeID"] != driver_node]
        worker_node = other["NodeID"]
        raylet = _raylet_pid(other["RayletSocketName"], [worker.pid])
        assert raylet is not None, f"no raylet found for {other['RayletSocketName']}"

        log_dir = tmp_path / "log"
        log_dir.mkdir()
        killed = []

        def kill_worker_node_mid_trial():
            while not killed:
                if any(p.endswith(worker_node) for p in os.listdir(log_dir)):
                    os.kill(raylet, signal.SIGKILL)
                    killed.append(raylet)
                time.sleep(0.05)

        watcher = threading.Thread(target=kill_worker_node_mid_trial, daemon=True)
        watcher.start()
        tuner = NodeTuner(
            max_trials=6,
            seed=0,
            directory=str(tmp_path),
            project_name="two",
            distribution=RayBackend(max_concurrent_trials=2, max_retries_per_trial=2),
        )
        tuner.search(str(log_dir), verbose=0)
        watcher.join(timeout=5)
        assert killed == [raylet], "the second node was never killed"

        trials = tuner.oracle.trials
        assert sorted(trials) == [f"{i:04d}" for i in range(6)]
        assert all(t.status == "COMPLETED" for t in trials.values())
        assert sorted(tuner.oracle.end_order) == sorted(trials)  # each ended once
        runs = [name.split("_") for name in os.listdir(log_dir)]
        on_worker = {trial_id for trial_id, _, node in runs if node == worker_node}
        assert on_worker, "no trial ran on the second node"
        # The trial that was running on the killed node ran again.
        assert any(trials[i].attempts >= 2 for i in on_worker)
    finally:
        if ray.is_initialized():
            ray.shutdown()
        for process in (worker, head):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
        # `ray start --head` leaves a pointer that a later `ray.init()` on this
        # machine would follow to our stopped cluster.
        pointer = "/tmp/ray/ray_current_cluster"
        if os.path.exists(pointer):
            with open(pointer) as f:
                if f.read().strip().endswith(f":{port}"):
                    os.remove(pointer)
