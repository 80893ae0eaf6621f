# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Test harness: run TensorFlow code under a `tf.distribute` strategy in
fresh Python subprocesses.

Logical CPU devices must be configured before TensorFlow initialises, and
`MultiWorkerMirroredStrategy` needs one process per worker with its own
`TF_CONFIG`; neither can happen inside the pytest process without changing
every later test. So a strategy test writes a script, and this module runs
it in a subprocess with the environment set and returns what the script
reported:

    from tools.lib import distributed

    result = distributed.run('''
    strategy = tf.distribute.MirroredStrategy()
    report(replicas=strategy.num_replicas_in_sync)
    ''', devices=2)
    assert result["replicas"] == 2

    results = distributed.run_workers('''
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    report(task=TASK_INDEX, replicas=strategy.num_replicas_in_sync)
    ''', num_workers=2)

Inside the script, `tf`, `np`, `os`, `json` are imported; `report(**values)`
records JSON-serialisable values (later calls add keys); `TASK_INDEX` is the
worker's index (0 without workers); `WORK_DIR` is a directory shared by
all the workers of one run. A failing script raises `AssertionError` here,
with the end of its stderr. Each subprocess costs TensorFlow's import
(seconds): put several checks into one script.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap

from tools.lib import workspace

_MARKER = "__DISTRIBUTED_RESULT__ "

_PRELUDE = """\
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

_DEVICES = {devices}
if _DEVICES > 1:
    _cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        _cpus[0], [tf.config.LogicalDeviceConfiguration()] * _DEVICES
    )
TASK_INDEX = {task_index}
WORK_DIR = {work_dir!r}
_RESULT = {{}}


def report(**values):
    _RESULT.update(values)
    print({marker!r} + json.dumps(_RESULT), flush=True)


import keras

keras.config.disable_traceback_filtering()  # full tracebacks in the report
keras.utils.set_random_seed({seed})
"""


def _environment(extra=None):
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    root = str(workspace.ROOT)
    env["PYTHONPATH"] = os.pathsep.join(
        [root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    env.setdefault("KERAS_BACKEND", "tensorflow")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(extra or {})
    return env


def _script(code, devices, task_index, work_dir, seed):
    prelude = _PRELUDE.format(
        devices=int(devices),
        task_index=int(task_index),
        work_dir=str(work_dir),
        marker=_MARKER,
        seed=int(seed),
    )
    return prelude + "\n" + textwrap.dedent(code)


def _result(stdout):
    lines = [line for line in stdout.splitlines() if line.startswith(_MARKER)]
    return json.loads(lines[-1][len(_MARKER) :]) if lines else {}


def _tail(text, lines=60):
    return "\n".join(text.splitlines()[-lines:])


class Process:
    """A started script: `wait()` returns its report, `kill()` ends it."""

    def __init__(self, code, devices=1, env=None, work_dir=None, task_index=0, seed=0):
        if work_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="distributed-")
            work_dir = self._tmp.name
        self.work_dir = str(work_dir)
        path = os.path.join(self.work_dir, f"script_{task_index}.py")
        with open(path, "w") as f:
            f.write(_script(code, devices, task_index, self.work_dir, seed))
        self.popen = subprocess.Popen(
            [sys.executable, path],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(env),
            cwd=str(workspace.ROOT),
        )
        self.returncode = None
        self.stdout = self.stderr = ""

    def communicate(self, timeout):
        try:
            self.stdout, self.stderr = self.popen.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.stdout, self.stderr = self.popen.communicate()
            raise AssertionError(
                f"The script did not finish within {timeout} s.\n"
                f"stderr:\n{_tail(self.stderr)}"
            ) from None
        self.returncode = self.popen.returncode
        return self.returncode

    def wait(self, timeout=600, check=True):
        """The script's report; raises `AssertionError` if it failed."""
        self.communicate(timeout)
        if check and self.returncode != 0:
            raise AssertionError(
                f"The script exited with code {self.returncode}.\n"
                f"stderr:\n{_tail(self.stderr)}\nstdout:\n{_tail(self.stdout, 20)}"
            )
        return _result(self.stdout)

    def kill(self):
        if self.popen.poll() is None:
            self.popen.kill()
        self.communicate(timeout=60)


def configure_logical_cpus():
    """Splits the CPU into `$DISTRIBUTED_LOGICAL_CPUS` logical devices.

    For processes this module does not start itself, e.g. as a Ray
    `worker_process_setup_hook` (`"tools.lib.distributed.configure_logical_cpus"`),
    which runs before the worker imports anything else.
    """
    count = int(os.environ.get("DISTRIBUTED_LOGICAL_CPUS", "1"))
    if count > 1:
        import tensorflow as tf

        cpus = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration()] * count
        )


def run(code, devices=2, env=None, timeout=600, work_dir=None, seed=0):
    """Runs `code` in a subprocess with `devices` logical CPU devices.

    Args:
        code: Python source; see the module docstring for what it sees.
        devices: number of logical CPU devices (a `MirroredStrategy`
            created in the script then has as many replicas).
        env: extra environment variables.
        timeout: seconds before the script is killed and the call fails.
        work_dir: directory for the script and its files (default: a fresh
            temporary directory).
        seed: passed to `keras.utils.set_random_seed` before `code` runs.

    Returns:
        The dict of values the script passed to `report`.
    """
    return Process(code, devices, env, work_dir, 0, seed).wait(timeout)


def free_ports(count):
    """`count` distinct free TCP ports on 127.0.0.1."""
    sockets, ports = [], []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def tf_config(ports, index):
    """The `TF_CONFIG` of worker `index` of a cluster on 127.0.0.1."""
    return json.dumps(
        {
            "cluster": {"worker": [f"127.0.0.1:{port}" for port in ports]},
            "task": {"type": "worker", "index": index},
        }
    )


def start_workers(code, num_workers=2, env=None, work_dir=None, seed=0):
    """Starts `num_workers` processes of one cluster (`TF_CONFIG` set).

    Returns the list of `Process`es; each has one CPU device.
    """
    ports = free_ports(num_workers)
    if work_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="workers-")
        work_dir = tmp.name
    else:
        tmp = None
    processes = []
    for index in range(num_workers):
        worker_env = {**(env or {}), "TF_CONFIG": tf_config(ports, index)}
        process = Process(code, 1, worker_env, work_dir, index, seed)
        process._cluster_tmp = tmp  # kept alive with the processes
        processes.append(process)
    return processes


def run_workers(code, num_workers=2, env=None, timeout=600, work_dir=None, seed=0):
    """Runs `code` as a `num_workers`-worker cluster on 127.0.0.1.

    Returns the reports of the workers, in task order. If any worker
    fails, the others are killed and `AssertionError` names the failure.
    """
    processes = start_workers(code, num_workers, env, work_dir, seed)
    results, failure = [], None
    for process in processes:
        try:
            if failure is not None:
                process.kill()
                continue
            results.append(process.wait(timeout))
        except AssertionError as error:
            failure = error
    if failure is not None:
        raise failure
    return results
