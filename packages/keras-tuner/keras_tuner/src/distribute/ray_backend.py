# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Runs the trials of a search concurrently as Ray tasks.

The oracle never leaves the driver: it proposes trials, records their
results and writes `oracle.json` exactly as in a local search. Each
proposed trial is shipped to a Ray task together with a trimmed copy of
the tuner (its hypermodel, its `run_trial` and the arguments of
`search`); the task runs the engine's own trial code, which writes
checkpoints and logs under the same `directory/project_name`, and sends
back the trial's metrics and hyperparameters. The project directory must
therefore be visible at the same path on every node (a shared or network
file system; on one machine it always is).

Ray is imported only when a search starts, so keras-tuner works without
it.
"""

import math
import numbers
import time
import traceback

from keras_core import api_export
from keras_tuner.src.engine import errors
from keras_tuner.src.engine.hyperparameters import HyperParameters
from keras_tuner.src.engine.trial import Trial
from keras_tuner.src.engine.trial import TrialStatus

RFC = "20261122-keras-tuner-distributed-search"


def import_ray():
    """Imports Ray, or explains how to install it."""
    try:
        import ray
    except ImportError as error:
        raise ImportError(
            "`kt.distribute.RayBackend` needs Ray, which is not installed. Install "
            "it with `pip install \"keras-tuner[ray]\"` (or `pip install 'ray>=2.40'`), "
            "or leave the tuner's `distribution` unset to search on this machine."
        ) from error
    return ray


def _check_resources(resources):
    if resources is None:
        return {"CPU": 1.0}
    if not isinstance(resources, dict):
        raise TypeError(
            "`resources_per_trial` must be a dict such as {'CPU': 1, 'GPU': 0}. "
            f"Received: {resources!r} of type {type(resources).__name__}."
        )
    checked = {}
    for name, amount in resources.items():
        if (
            not isinstance(name, str)
            or isinstance(amount, bool)
            or not isinstance(amount, numbers.Real)
            or amount < 0
        ):
            raise ValueError(
                "`resources_per_trial` maps resource names to non-negative amounts, "
                f"e.g. {{'CPU': 2, 'GPU': 1}}. Received: {name!r}: {amount!r}."
            )
        key = {"cpu": "CPU", "gpu": "GPU"}.get(name.lower(), name)
        checked[key] = float(amount)
    checked.setdefault("CPU", 1.0)
    return checked


@api_export("keras_tuner.distribute.RayBackend", stability="stable", rfc=RFC)
class RayBackend:
    """Runs a tuner's trials concurrently on a Ray cluster.

    Use it when one machine is too slow for a search: the same tuner, the
    same `run_trial` or `HyperModel`, and the same search arguments run
    their trials as Ray tasks on whatever nodes the cluster has. The
    oracle stays in the calling process (the driver), so Bayesian
    optimisation sees the trials still running and proposes distinct
    points. Results, checkpoints and `oracle.json` land in the tuner's
    `directory/project_name` as in a local search, so
    `get_best_models()`, `results_summary()` and resuming with
    `overwrite=False` are unchanged. The directory must be reachable at
    the same path from every node.

    A trial whose code raises, or whose worker process or node dies, is
    run again (possibly on another node) as long as it has retries left
    (`max_retries_per_trial`), then recorded as failed.

    Needs the optional dependency Ray: `pip install keras-tuner[ray]`.

    Args:
        address: the Ray cluster to use: None to use the one this process
            is already connected to, else Ray's default (the cluster named
            by `RAY_ADDRESS`, or the last one `ray start` launched on this
            machine, or a new local cluster); `"local"` for a new local
            cluster; or `"host:port"` of a running cluster (see
            `ray start --head`).
        max_concurrent_trials: how many trials run at once; None uses as
            many as the cluster's CPUs allow with `resources_per_trial`.
        resources_per_trial: the Ray resources one trial reserves, e.g.
            `{"CPU": 2, "GPU": 1}` (default `{"CPU": 1}`).
        max_retries_per_trial: how many times a failed trial is run again;
            None keeps the oracle's own `max_retries_per_trial`.
        schedule_timeout: seconds a trial may wait for its
            `resources_per_trial` to become free on the cluster (default
            600). A trial still waiting then stops the search with a
            `RuntimeError` that says what it needs and what the cluster
            has; the trial was not run, and a resumed search runs it. None
            waits forever (e.g. for an autoscaling cluster). Resources that
            no node of the cluster has at all (a GPU on a CPU-only cluster,
            more CPUs than the largest node) are refused with a
            `ValueError` before any trial starts.

    Examples:

    >>> import tempfile
    >>> import keras_tuner as kt
    >>> class MyTuner(kt.Tuner):
    ...     def run_trial(self, trial, offset):
    ...         x = trial.hyperparameters.Float("x", -1.0, 1.0)
    ...         return (x - offset) ** 2
    >>> tuner = MyTuner(
    ...     max_trials=8, directory=tempfile.mkdtemp(), project_name="demo",
    ...     distribution=kt.distribute.RayBackend(max_concurrent_trials=2))
    >>> tuner.distribution.resources_per_trial
    {'CPU': 1.0}

    `tuner.search(0.3)` then runs the 8 trials two at a time as Ray tasks
    (on a new local Ray cluster if the process is connected to none),
    with the tuner's `run_trial` or `HyperModel`, and
    `tuner.get_best_hyperparameters()` or `tuner.get_best_models()` read
    the results as after a local search.
    """

    def __init__(
        self,
        address=None,
        max_concurrent_trials=None,
        resources_per_trial=None,
        max_retries_per_trial=None,
        schedule_timeout=600,
    ):
        if address is not None and not isinstance(address, str):
            raise TypeError(
                "`address` must be None or a string such as '127.0.0.1:6379'. "
                f"Received: {address!r}."
            )
        if max_concurrent_trials is not None and (
            isinstance(max_concurrent_trials, bool)
            or not isinstance(max_concurrent_trials, int)
            or max_concurrent_trials < 1
        ):
            raise ValueError(
                "`max_concurrent_trials` must be a positive integer or None (as many "
                f"as the cluster fits). Received: {max_concurrent_trials!r}."
            )
        if max_retries_per_trial is not None and (
            isinstance(max_retries_per_trial, bool)
            or not isinstance(max_retries_per_trial, int)
            or max_retries_per_trial < 0
        ):
            raise ValueError(
                "`max_retries_per_trial` must be an integer >= 0 or None (use the "
                f"oracle's). Received: {max_retries_per_trial!r}."
            )
        if schedule_timeout is not None and (
            isinstance(schedule_timeout, bool)
            or not isinstance(schedule_timeout, numbers.Real)
            or not math.isfinite(schedule_timeout)
            or schedule_timeout <= 0
        ):
            raise ValueError(
                "`schedule_timeout` must be a positive number of seconds, or None "
                f"to wait forever. Received: {schedule_timeout!r}."
            )
        self.schedule_timeout = schedule_timeout
        self.address = address
        self.max_concurrent_trials = max_concurrent_trials
        self.resources_per_trial = _check_resources(resources_per_trial)
        self.max_retries_per_trial = max_retries_per_trial

    # -- Cluster ----------------------------------------------------------
    def connect(self):
        """Connects to (or starts) the Ray cluster; returns the `ray` module."""
        ray = import_ray()
        if not ray.is_initialized():
            kwargs = {"include_dashboard": False}
            if self.address is not None:
                kwargs["address"] = self.address
            ray.init(**kwargs)
        return ray

    def _concurrency(self, ray):
        """How many trials run at once on the connected cluster."""
        if self.max_concurrent_trials is not None:
            return self.max_concurrent_trials
        cpus = ray.cluster_resources().get("CPU", 1.0)
        per_trial = self.resources_per_trial.get("CPU", 1.0)
        if per_trial <= 0:
            return max(int(cpus), 1)
        return max(int(math.floor(cpus / per_trial)), 1)

    def _bundle(self):
        """The resources one trial reserves (zero amounts left out)."""
        return {k: v for k, v in self.resources_per_trial.items() if v > 0}

    def _check_feasible(self, ray):
        """Raises `ValueError` if no node of the cluster can ever run a trial."""
        needed = self._bundle()
        if not needed:
            return
        nodes = [n.get("Resources", {}) for n in ray.nodes() if n.get("Alive")]
        if any(all(node.get(k, 0.0) >= v for k, v in needed.items()) for node in nodes):
            return
        totals = ray.cluster_resources()
        largest = {
            k: max([node.get(k, 0.0) for node in nodes] or [0.0]) for k in needed
        }
        raise ValueError(
            f"`resources_per_trial={self.resources_per_trial}` cannot be met: no "
            f"node of the Ray cluster has all of it (largest node: {largest}; "
            f"cluster totals: { {k: totals.get(k, 0.0) for k in needed} }), so no "
            "trial could ever start. Lower `resources_per_trial` (e.g. "
            "{'CPU': 1} without 'GPU' on a CPU-only cluster), or add nodes with "
            "these resources to the cluster. No trial was started."
        )

    def _remote_function(self, ray, placement_group=None):
        resources = dict(self.resources_per_trial)
        options = {
            "num_cpus": resources.pop("CPU"),
            "num_gpus": resources.pop("GPU", 0.0),
            # Lost workers are retried by the oracle, which counts the retry.
            "max_retries": 0,
        }
        if resources:
            options["resources"] = resources
        if placement_group is not None:
            from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

            options["scheduling_strategy"] = PlacementGroupSchedulingStrategy(
                placement_group=placement_group,
                placement_group_bundle_index=0,
            )
        return ray.remote(run_trial_task).options(**options)

    def _submit(self, ray, tuner_ref, trial, args_ref):
        """Starts `trial` as a Ray task; returns (ref, placement group or None).

        Each trial reserves its resources through its own placement group,
        whose state tells whether the trial got them (it was scheduled).
        """
        from ray.util import placement_group

        bundle = self._bundle()
        group = placement_group([bundle]) if bundle else None
        remote = self._remote_function(ray, group)
        return remote.remote(tuner_ref, trial_payload(trial), args_ref), group

    def _check_scheduled(self, ray, pending):
        """Raises if a pending trial waited too long for its resources."""
        from ray.util import placement_group_table

        now = time.time()
        for entry in pending.values():
            if entry["scheduled"]:
                continue
            group = entry["group"]
            if group is None or placement_group_table(group).get("state") == (
                "CREATED"
            ):
                entry["scheduled"] = True
                continue
            waited = now - entry["submitted"]
            if waited > self.schedule_timeout:
                needed = self._bundle()
                totals = ray.cluster_resources()
                free = ray.available_resources()
                raise RuntimeError(
                    f"Trial {entry['trial'].trial_id} could not be scheduled on the "
                    f"Ray cluster within schedule_timeout={self.schedule_timeout} s: "
                    f"it needs {needed} on one node and none had that free "
                    f"(cluster totals: { {k: totals.get(k, 0.0) for k in needed} }; "
                    f"available now: { {k: free.get(k, 0.0) for k in needed} }). "
                    "Other jobs may hold the resources, or a node was lost. Free "
                    "resources, lower `resources_per_trial`, or raise "
                    "`schedule_timeout` (None waits forever). The trial was not "
                    "run; search again with `overwrite=False` to run it."
                )

    # -- Search (called by `Tuner.search`) ---------------------------------
    def run_trials(self, tuner, fit_args, fit_kwargs):
        """Runs `tuner`'s trials as concurrent Ray tasks until the oracle stops.

        `Tuner.search` calls it between its search-begin and search-end
        hooks, so displays, exports and hooks are those of a local search;
        call `tuner.search(...)` rather than this method.

        Args:
            tuner: the `kt.Tuner` whose oracle proposes the trials.
            fit_args: tuple, the positional arguments given to `search()`.
            fit_kwargs: dict, the keyword arguments given to `search()`.
        """
        ray = self.connect()
        self._check_feasible(ray)
        oracle = tuner.oracle
        saved_retries = oracle.max_retries_per_trial
        if self.max_retries_per_trial is not None:
            oracle.max_retries_per_trial = self.max_retries_per_trial
        pending = {}
        try:
            tuner_ref = ray.put(worker_copy(tuner))
            args_ref = ray.put((fit_args, fit_kwargs))
            slots = [f"{tuner.tuner_id}-ray{i}" for i in range(self._concurrency(ray))]
            idle_rounds = 0
            while True:
                stopped = False
                while slots:
                    trial = oracle.create_trial(slots[0])
                    if trial.status != TrialStatus.RUNNING:
                        stopped = trial.status == TrialStatus.STOPPED
                        break
                    slot = slots.pop(0)
                    tuner.on_trial_begin(trial)
                    ref, group = self._submit(ray, tuner_ref, trial, args_ref)
                    pending[ref] = {
                        "slot": slot,
                        "trial": trial,
                        "group": group,
                        "submitted": time.time(),
                        "scheduled": group is None,
                    }
                if not pending:
                    if stopped:
                        break
                    # The oracle is waiting (IDLE) with nothing running.
                    idle_rounds += 1
                    if idle_rounds > 1000:
                        raise RuntimeError(
                            f"The oracle {type(oracle).__name__} stays idle with no "
                            "trial running, so the search cannot go on."
                        )
                    time.sleep(0.01)
                    continue
                idle_rounds = 0
                waiting = self.schedule_timeout is not None and not all(
                    entry["scheduled"] for entry in pending.values()
                )
                done, _ = ray.wait(
                    list(pending), num_returns=1, timeout=1.0 if waiting else None
                )
                if waiting:
                    self._check_scheduled(ray, pending)
                for ref in done:
                    entry = pending.pop(ref)
                    slots.append(entry["slot"])
                    _remove_group(entry["group"])
                    self._end_trial(ray, tuner, entry["trial"], ref)
        finally:
            for ref, entry in pending.items():
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # noqa: BLE001 - best effort on the way out
                    pass
                _remove_group(entry["group"])
            oracle.max_retries_per_trial = saved_retries

    def _end_trial(self, ray, tuner, trial, ref):
        oracle = tuner.oracle
        try:
            result = ray.get(ref)
        except ray.exceptions.RayError as error:
            # The worker process or its node died, or the task could not run.
            result = {
                "status": TrialStatus.INVALID,
                "message": (
                    f"Trial {trial.trial_id} was lost on Ray (attempt "
                    f"{trial.attempts}): {type(error).__name__}: {error}"
                ),
            }
        if result.get("hyperparameters") is not None:
            trial.hyperparameters = HyperParameters.from_config(
                result["hyperparameters"]
            )
            oracle.attach_trial(trial)
        if result.get("metrics") is not None:
            trial.metrics.set_state(result["metrics"])
        trial.status = result["status"]
        trial.message = result.get("message")
        fatal = result.get("fatal")
        if fatal is not None:
            try:
                oracle.end_trial(trial)
            except RuntimeError:
                pass
            raise fatal
        if trial.status == TrialStatus.INVALID:
            tuner.show_trial_message(trial)
        oracle.end_trial(trial)
        tuner.on_trial_end(trial)


def _remove_group(group):
    if group is None:
        return
    from ray.util import remove_placement_group

    try:
        remove_placement_group(group)
    except Exception:  # noqa: BLE001 - already gone with its node or cluster
        pass


def worker_copy(tuner):
    """A copy of `tuner` to ship to workers (see `Tuner.worker_copy`).

    A `distribution_strategy` cannot be pickled: the copy carries a
    `StrategySpec` that the worker re-creates.
    """
    clone = tuner.worker_copy()
    if getattr(tuner, "distribution_strategy", None) is not None:
        clone.distribution_strategy = StrategySpec(tuner.distribution_strategy)
    return clone


class StrategySpec:
    """A tuner's `distribution_strategy`, as shipped to a Ray worker.

    A `tf.distribute` strategy object holds devices and locks of the
    driver's process and cannot be pickled. The worker copy of the tuner
    carries this description instead; `scope()` creates the strategy once
    per worker process, on the same devices, and enters it, so
    `Tuner._try_build` builds every trial's model under it as in a local
    search. `MirroredStrategy` and `OneDeviceStrategy` are supported (a
    `MultiWorkerMirroredStrategy` spans processes that Ray does not start;
    give each trial several devices instead, e.g.
    `resources_per_trial={"GPU": 2}` with `MirroredStrategy()`).
    """

    _created = {}

    def __init__(self, strategy):
        import tensorflow as tf

        if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) or not (
            isinstance(
                strategy,
                (tf.distribute.MirroredStrategy, tf.distribute.OneDeviceStrategy),
            )
        ):
            raise ValueError(
                "With `distribution=RayBackend(...)` a trial can train under a "
                "tf.distribute.MirroredStrategy or OneDeviceStrategy, which the "
                "Ray worker re-creates on the same devices. Received "
                f"distribution_strategy={type(strategy).__name__}. Use "
                "MirroredStrategy over the devices of one worker (and "
                "`resources_per_trial` to reserve them), or run the search "
                "without RayBackend."
            )
        devices = [str(d) for d in strategy.extended.worker_devices]
        self.kind = (
            "one_device"
            if isinstance(strategy, tf.distribute.OneDeviceStrategy)
            else "mirrored"
        )
        self.devices = devices

    def create(self):
        """The strategy, on this process's devices of the same names."""
        import tensorflow as tf

        key = (self.kind, tuple(self.devices))
        if key not in StrategySpec._created:
            available = {
                d.name.split("device:")[-1].upper()
                for d in tf.config.list_logical_devices()
            }
            missing = [
                d
                for d in self.devices
                if d.split("device:")[-1].upper() not in available
            ]
            if missing:
                raise ValueError(
                    f"The trial's distribution_strategy uses the devices {self.devices}, "
                    f"but this Ray worker has only {sorted(available)} (missing "
                    f"{missing}). Reserve them with `resources_per_trial` (e.g. "
                    "{'GPU': 2}) or build the strategy over devices every worker has."
                )
            if self.kind == "one_device":
                strategy = tf.distribute.OneDeviceStrategy(self.devices[0])
            else:
                strategy = tf.distribute.MirroredStrategy(self.devices)
            StrategySpec._created[key] = strategy
        return StrategySpec._created[key]

    def scope(self):
        return self.create().scope()

    @property
    def num_replicas_in_sync(self):
        return len(self.devices)


def trial_payload(trial):
    """What a worker needs to rebuild `trial` (without the oracle's closures)."""
    return {
        "state": trial.get_state(),
        "draw": getattr(trial, "draw", 0),
        "initial_values": dict(getattr(trial, "initial_values", {})),
    }


def run_trial_task(tuner, payload, fit_args_and_kwargs):
    """Body of the Ray task: runs one trial with the engine's own code."""
    fit_args, fit_kwargs = fit_args_and_kwargs
    trial = Trial.from_state(payload["state"])
    trial.draw = payload["draw"]
    trial.initial_values = payload["initial_values"]
    result = {"status": TrialStatus.COMPLETED, "message": None, "fatal": None}
    try:
        tuner.run_trial_in_worker(trial, *fit_args, **dict(fit_kwargs))
    except errors.FatalError as error:
        result.update(status=TrialStatus.FAILED, fatal=error)
        result["message"] = traceback.format_exc()
    except errors.FailedTrialError:
        result.update(status=TrialStatus.FAILED, message=traceback.format_exc())
    except Exception:  # noqa: BLE001 - any error of user code is recorded
        result.update(status=TrialStatus.INVALID, message=traceback.format_exc())
    result["metrics"] = trial.metrics.get_state()
    result["hyperparameters"] = trial.hyperparameters.get_config()
    return result
