# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`Tuner`: runs trials proposed by an oracle and keeps their results.

Two workflows share this class. In the *Tuner workflow* you subclass
`Tuner` (or an algorithm such as `RandomSearch`) and override
`run_trial(self, trial, *args, **kwargs)`, doing preprocessing, model
building and training in one place; it returns a number, a list (one
result per execution), a dict of metrics or a `History`. In the
*HyperModel workflow* you pass a `HyperModel` (or a `build(hp)` function)
and the default `run_trial` builds the model and calls
`hypermodel.fit(hp, model, *args, **kwargs)`.
"""

import copy
import gc
import importlib.util
import inspect
import numbers
import os
import sys
import traceback
import warnings

import numpy as np

from keras_core import api_export
from keras_tuner.src.engine import errors
from keras_tuner.src.engine import project as project_lib
from keras_tuner.src.engine import reporting
from keras_tuner.src.engine import state as state_io
from keras_tuner.src.engine.hypermodel import get_hypermodel
from keras_tuner.src.engine.hyperparameters import inactive_scopes
from keras_tuner.src.engine.objective import DEFAULT_NAME
from keras_tuner.src.engine.objective import MultiObjective
from keras_tuner.src.engine.oracle import Oracle
from keras_tuner.src.engine.trial import TrialStatus
from keras_tuner.src.tuners.random_search_oracle import RandomSearchOracle

RFC = "20261122-keras-tuner-end-to-end-workflows"
CHECKPOINT_WEIGHTS = "checkpoint.weights.h5"
CHECKPOINT_MODEL = "checkpoint.keras"
_ORACLE_KWARGS = (
    "objective",
    "max_trials",
    "seed",
    "hyperparameters",
    "allow_new_entries",
    "tune_new_entries",
    "max_retries_per_trial",
    "max_consecutive_failed_trials",
)


def tensorboard_available():
    return importlib.util.find_spec("tensorboard") is not None


def _check_tensorboard(callbacks):
    """A `keras.callbacks.TensorBoard` needs the `tensorboard` package (the
    `keras-tuner[tensorboard]` extra): say so before the first trial."""
    import keras

    uses_tensorboard = any(
        isinstance(callback, keras.callbacks.TensorBoard)
        for callback in list(callbacks or [])
    )
    if uses_tensorboard and not tensorboard_available():
        raise ImportError(
            "A `keras.callbacks.TensorBoard` was passed to `search()`, but the "
            "`tensorboard` package is not installed (TensorFlow's summary ops "
            "live in it). It is the optional `keras-tuner[tensorboard]` extra: "
            'install it with `pip install "keras-tuner[tensorboard]"` (with this '
            "repository's wheels: `pip install --find-links dist "
            '"keras-tuner[tensorboard]"`), or `pip install tensorboard`; or remove '
            "the TensorBoard callback."
        )


def _is_number(value):
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, numbers.Number):
        return True
    return (
        hasattr(value, "shape")
        and tuple(getattr(value, "shape", (1,))) == ()
        and hasattr(value, "dtype")
    )


class _SettableModel:
    """Lets `callback.model = m` work on the tuner's callbacks.

    tf.keras callbacks took `callback.model = m`; Keras 3's read-only
    property takes only `set_model(m)`. Hand-written training loops (and
    keras-tuner 1.4 code) use either, so both set the model.
    """

    @property
    def model(self):
        return super().model

    @model.setter
    def model(self, model):
        self.set_model(model)


def _warn_no_checkpoint(model, full_model):
    method = "save" if full_model else "save_weights"
    warnings.warn(
        f"`{type(model).__name__}.{method}(path)` wrote no file, so this trial's "
        "best epoch is not checkpointed and `get_best_models()` cannot reload it. "
        f"Let `{method}` write to the path it is given (Keras models do).",
        stacklevel=2,
    )


def _make_best_epoch_checkpoint(objective, filepath, full_model, best_holder):
    import keras

    class BestEpochCheckpoint(_SettableModel, keras.callbacks.Callback):
        """Saves the model at its best epoch (by the objective, else val_loss/loss)."""

        def on_epoch_end(self, epoch, logs=None):
            if getattr(self, "_model", None) is None:
                return  # a hand-written loop that never called `set_model`
            logs = logs or {}
            value, direction = _value_from_logs(objective, logs)
            if value is None:
                return
            better = best_holder["value"] is None or (
                value < best_holder["value"]
                if direction == "min"
                else value > best_holder["value"]
            )
            if better:
                best_holder["value"] = value
                tmp = filepath + (".tmp.keras" if full_model else ".tmp.weights.h5")
                if full_model:
                    self.model.save(tmp)
                else:
                    self.model.save_weights(tmp)
                if not os.path.exists(tmp):
                    # A model whose `save` / `save_weights` writes no file
                    # (overridden, or a stand-in in a test): the trial goes
                    # on, only its best epoch cannot be reloaded.
                    _warn_no_checkpoint(self.model, full_model)
                    return
                if not full_model:
                    save_build_config(self.model, filepath)
                os.replace(tmp, filepath)

    return BestEpochCheckpoint()


def _build_config_path(weights_path):
    return weights_path + ".build.json"


def _zeros_like_shape(shape):
    """Zeros of a recorded input shape (None dimensions become 1), nested alike."""
    if isinstance(shape, dict):
        return {k: _zeros_like_shape(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and all(
        d is None or isinstance(d, int) for d in shape
    ):
        return np.zeros([1 if d is None else d for d in shape], "float32")
    return [_zeros_like_shape(s) for s in shape]


def save_build_config(model, weights_path):
    """Records how `model` was built (its input shapes) next to its weights.

    A model built by its first call on data (a `Sequential` without
    `keras.Input`, a subclassed model) is not built when `build(hp)`
    returns it; this lets `load_checkpoint_weights` build it first.
    """
    try:
        config = model.get_build_config()
    except Exception:  # noqa: BLE001 - a model without a build config
        config = None
    if config:
        state_io.write_json(_build_config_path(weights_path), config)


def load_checkpoint_weights(model, path):
    """Loads a best-epoch checkpoint (which includes optimizer variables)."""
    build_config = _build_config_path(path)
    if not model.built and os.path.exists(build_config):
        config = state_io.read_json(build_config)
        model.build_from_config(config)
        if not model.built and config.get("input_shape") is not None:
            # A subclassed model stays unbuilt by `build_from_config`: one call
            # on zeros of the recorded shape builds it.
            model(_zeros_like_shape(config["input_shape"]), training=False)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and not optimizer.built and model.built:
        optimizer.build(model.trainable_variables)
    model.load_weights(path)


def _load_checkpoint_file(path, trial, load):
    """Runs `load()`; a damaged checkpoint file gets an error naming it."""
    try:
        return load()
    except Exception as error:  # noqa: BLE001 - h5py/zip/Keras raise many types
        size = os.path.getsize(path) if os.path.exists(path) else 0
        raise ValueError(
            f"The checkpoint of trial {trial.trial_id}, '{path}' ({size} bytes), "
            f"cannot be loaded: {type(error).__name__}: {error}. The file is "
            "truncated or damaged (e.g. the disk filled up, or it was copied "
            "incompletely). Restore it from a copy, or delete the file and "
            "rebuild the model from `tuner.get_best_hyperparameters()` and train "
            "it again."
        ) from error


def _value_from_logs(objective, logs):
    if objective.has_value(logs):
        value = float(objective.get_value(logs))
        return value, objective.direction
    for name in ("val_loss", "loss"):
        if name in logs:
            return float(logs[name]), "min"
    return None, None


_KT1_ENV = ("KERASTUNER_TUNER_ID", "KERASTUNER_ORACLE_IP", "KERASTUNER_ORACLE_PORT")


def _refuse_keras_tuner_1_distribution_env():
    """keras-tuner 1.4's chief/worker variables are not supported: say so."""
    found = {name: os.environ[name] for name in _KT1_ENV if name in os.environ}
    if not found:
        return
    raise RuntimeError(
        f"keras-tuner 1.4's distributed-search variables are set ({found}), but "
        "this keras_tuner runs distributed searches on Ray instead of 1.4's "
        "chief/worker protocol: each process started this way would run its own "
        "full search and they would overwrite each other's trials. Unset "
        f"{', '.join(_KT1_ENV)}, start only one process (the former chief), "
        "and give the tuner a Ray backend:\n"
        "    backend = kt.distribute.RayBackend(address=None)  # or 'host:port'\n"
        "    tuner = kt.RandomSearch(..., distribution=backend)\n"
        "Start the former worker machines as Ray nodes (`ray start "
        "--address=HEAD_IP:6379`); see the distributed-search guide."
    )


class _TunerHooksBase:
    """Calls the tuner's batch/epoch hooks from Keras' callback methods."""

    def __init__(self, tuner, trial):
        super().__init__()
        self.tuner = tuner
        self.trial = trial

    def _current_model(self):
        # None when a hand-written loop calls the hooks without `set_model`.
        return getattr(self, "_model", None)

    def on_epoch_begin(self, epoch, logs=None):
        self.tuner.on_epoch_begin(self.trial, self._current_model(), epoch, logs=logs)

    def on_batch_begin(self, batch, logs=None):
        self.tuner.on_batch_begin(self.trial, self._current_model(), batch, logs)

    def on_batch_end(self, batch, logs=None):
        self.tuner.on_batch_end(self.trial, self._current_model(), batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.tuner.on_epoch_end(self.trial, self._current_model(), epoch, logs=logs)


def _TunerHooks(tuner, trial):
    import keras

    class TunerHooks(_SettableModel, _TunerHooksBase, keras.callbacks.Callback):
        pass

    return TunerHooks(tuner, trial)


def _hparams_values(hyperparameters):
    values = {}
    for name, value in hyperparameters.active_values().items():
        if isinstance(value, (bool, int, float, str)):
            values[name] = value
    return values


class _TrialRun:
    """What the tuner tracks while one attempt of a trial runs.

    Kept by the tuner (`Tuner._trial_runs`, by trial id), not on the
    `Trial`, which holds only what the oracle records.
    """

    def __init__(self, attempt):
        self.attempt = attempt
        # Best objective value so far, shared by the best-epoch checkpoint
        # callbacks of all executions of the attempt.
        self.best = {"value": None}
        # TensorBoard folders that get the HParams session events. They are
        # written when `run_trial` returns: only then are all hyperparameters
        # of the trial declared (model code declares them as it runs).
        self.hparams_log_dirs = []


def _end_hparams_sessions(trial, sessions, ok):
    """Writes the HParams plugin's session start and end into each log folder."""
    if not sessions:
        return
    import tensorflow as tf
    from tensorboard.plugins.hparams import api_pb2
    from tensorboard.plugins.hparams import summary
    from tensorboard.plugins.hparams import summary_v2

    status = api_pb2.STATUS_SUCCESS if ok else api_pb2.STATUS_FAILURE
    end = summary.session_end_pb(status).SerializeToString()
    values = _hparams_values(trial.hyperparameters)
    for log_dir in sessions:
        try:
            writer = tf.summary.create_file_writer(log_dir)
            with writer.as_default():
                summary_v2.hparams(
                    values,
                    trial_id=str(trial.trial_id),
                    start_time_secs=trial.started_at,
                )
                tf.summary.experimental.write_raw_pb(end, step=0)
            writer.close()
        except Exception as error:  # noqa: BLE001 - logging never fails a trial
            warnings.warn(
                f"Could not write the HParams events of trial {trial.trial_id} to "
                f"'{log_dir}': {type(error).__name__}: {error}",
                stacklevel=2,
            )


# The `run_trial` methods of the library's tuners (`default_run_trial`).
_DEFAULT_RUN_TRIALS = set()


def default_run_trial(method):
    """Marks `method` as a library `run_trial` that keeps the default workflow.

    A tuner whose `run_trial` is marked builds models with its
    `hypermodel` (so it needs one) and adds the trial's callbacks itself,
    in `Tuner.run_trial`. Any other `run_trial` is the user's override (the
    Tuner workflow): the tuner then needs no `hypermodel` and passes the
    trial's callbacks in `callbacks=` when the method accepts them. For a
    library tuner that extends `Tuner.run_trial` (calls it), as `Hyperband`
    does to set the epochs of a bracket.

    Args:
        method: the function defined as `run_trial` in a class body.

    Returns:
        `method`, unchanged.
    """
    _DEFAULT_RUN_TRIALS.add(method)
    return method


def _check_distribution(distribution):
    if distribution is None:
        return None
    # Imported here: the module imports Ray only when a search starts.
    from keras_tuner.src.distribute.ray_backend import RayBackend

    if not isinstance(distribution, RayBackend):
        raise TypeError(
            "`distribution` must be None (run trials in this process) or a "
            "`kt.distribute.RayBackend(...)`. Received: "
            f"{distribution!r} of type {type(distribution).__name__}. For a "
            "`tf.distribute.Strategy`, pass `distribution_strategy=` instead."
        )
    return distribution


@api_export(
    ["keras_tuner.Tuner", "keras_tuner.engine.tuner.Tuner"], stability="stable", rfc=RFC
)
class Tuner:
    """Runs a hyperparameter search and keeps its results.

    Use it directly by overriding `run_trial` (the Tuner workflow), or
    through an algorithm such as `kt.RandomSearch` with a `HyperModel` or
    build function (the HyperModel workflow). Without an `oracle`, a
    `Tuner` searches at random; oracle arguments (`objective`,
    `max_trials`, `seed`, `hyperparameters`, `max_retries_per_trial`,
    `max_consecutive_failed_trials`, ...) may then be given directly.

    Everything passed to `search(...)` reaches `run_trial` (and
    `HyperModel.fit`), with `callbacks` extended by a checkpoint of the
    best epoch. No TensorBoard callback is added: a
    `keras.callbacks.TensorBoard(log_dir)` you pass is copied per trial to
    log into `log_dir/<trial_id>/execution<n>`, together with the HParams
    plugin's session start and end events of the trial (TensorBoard's
    HParams view then shows the search). `run_trial` may return a single number (minimised unless an
    objective says otherwise), a list of such results (averaged), a dict
    of metrics, or a `History`. The search state lives in
    `directory/project_name`; with `overwrite=False` an interrupted search
    continues where it stopped.

    Args:
        oracle: the search algorithm (`kt.oracles.*`); default random search.
        hypermodel: a `kt.HyperModel` or a function `build(hp)` returning a
            compiled model. Optional when `run_trial` is overridden.
        max_model_size: trials whose model has more parameters fail.
        optimizer: if given, models are (re)compiled with it.
        loss: if given, models are (re)compiled with it.
        metrics: if given, models are (re)compiled with them.
        distribution_strategy: a `tf.distribute.Strategy` to build models in.
        directory: where search projects are stored (default ".").
        project_name: sub-directory of this search (default
            "untitled_project").
        logger: unused, kept for keras-tuner 1.x code.
        tuner_id: name of this tuner in the oracle's bookkeeping.
        overwrite: start afresh, deleting a previous search of the same
            project (default False: resume it).
        executions_per_trial: how many times each configuration is trained;
            the metrics are averaged.
        distribution: where trials run: None (default) runs them one after
            the other in this process; a `kt.distribute.RayBackend` runs
            them concurrently on a Ray cluster while the oracle stays here.
            (Unlike `distribution_strategy`, which spreads the training of
            one model over devices, this spreads trials over workers.)
        **kwargs: oracle arguments when `oracle` is None.

    Examples:

    ```python
    import tempfile
    import keras_tuner as kt

    class MyTuner(kt.Tuner):
        def run_trial(self, trial, *args, **kwargs):
            hp = trial.hyperparameters
            x = hp.Float("x", -1.0, 1.0)
            return (x - 0.3) ** 2  # minimised

    tuner = MyTuner(max_trials=3, overwrite=True,
                    directory=tempfile.mkdtemp(), project_name="demo")
    tuner.search()
    best_x = tuner.get_best_hyperparameters()[0].get("x")
    ```
    """

    def __init__(
        self,
        oracle=None,
        hypermodel=None,
        max_model_size=None,
        optimizer=None,
        loss=None,
        metrics=None,
        distribution_strategy=None,
        directory=None,
        project_name=None,
        logger=None,
        tuner_id=None,
        overwrite=False,
        executions_per_trial=1,
        distribution=None,
        **kwargs,
    ):
        _refuse_keras_tuner_1_distribution_env()
        unknown = [k for k in kwargs if k not in _ORACLE_KWARGS]
        if unknown:
            raise errors.InvalidArgumentError(
                f"Unrecognized arguments for {type(self).__name__}: {sorted(unknown)}. "
                f"Accepted oracle arguments: {list(_ORACLE_KWARGS)}."
            )
        if oracle is None:
            oracle = RandomSearchOracle(**kwargs)
        elif kwargs:
            raise errors.InvalidArgumentError(
                f"Pass {sorted(kwargs)} to the oracle, not to the tuner, when an "
                "`oracle` is given."
            )
        if not isinstance(oracle, Oracle):
            raise errors.InvalidArgumentError(
                "Expected `oracle` argument to be an instance of `Oracle` (e.g. "
                f"kt.oracles.RandomSearchOracle). Received: oracle={oracle!r}."
            )
        if not isinstance(executions_per_trial, int) or executions_per_trial < 1:
            raise ValueError(
                "`executions_per_trial` must be a positive integer. Received: "
                f"{executions_per_trial!r}."
            )
        self.oracle = oracle
        self.hypermodel = get_hypermodel(hypermodel)
        if self.hypermodel is None and not self._run_trial_overridden():
            raise ValueError(
                f"{type(self).__name__} needs a `hypermodel` (a `kt.HyperModel` or a "
                "function `build(hp)` returning a compiled model), or a subclass that "
                "overrides `run_trial(self, trial, *args, **kwargs)`. Received "
                "`hypermodel=None`."
            )
        self.max_model_size = max_model_size
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.distribution_strategy = distribution_strategy
        self.executions_per_trial = executions_per_trial
        self.distribution = _check_distribution(distribution)
        self.directory = directory or "."
        self.project_name = project_name or "untitled_project"
        self.tuner_id = tuner_id or "tuner0"
        if logger is not None:
            warnings.warn(
                "The `logger` argument is no longer used and is ignored; remove it.",
                DeprecationWarning,
                stacklevel=2,
            )
        self.logger = logger
        self._display = None
        self._trial_runs = {}  # trial id -> _TrialRun of its running attempt
        self.oracle.set_project_dir(self.directory, self.project_name, overwrite)
        tuner_state = self._tuner_state_path()
        if not overwrite and os.path.exists(tuner_state):
            self.set_state(state_io.read_json(tuner_state))
        self._populate_initial_space()

    def _populate_initial_space(self):
        """Builds the model once so the search space is known before `search()`.

        As in keras-tuner 1.4: `search_space_summary()` shows the space at
        once, and `allow_new_entries=False` is checked here. Conditional
        branches not taken with the default values are visited by building
        again with their parent set to a value that activates them.
        """
        if self.hypermodel is None or self.oracle.trials:
            return
        hp = self.oracle.get_space()
        self.hypermodel.declare_hyperparameters(hp)
        self.oracle.update_space(hp)
        # Every branch seen inactive in any build so far (a nested branch is
        # seen only in the build that takes its parent's branch).
        seen, visited = {}, set()
        for _ in range(50):  # a bound, in case branches keep appearing
            for scope in inactive_scopes(hp):
                seen.setdefault(repr(scope), scope)
            pending = [scope for key, scope in seen.items() if key not in visited]
            if not pending:
                break
            visited.add(repr(pending[0]))
            hp = self.oracle.get_space()
            for condition in pending[0]:
                hp.values[condition.name] = condition.values[0]
            self.hypermodel.declare_hyperparameters(hp)
            self.oracle.update_space(hp)

    # -- Paths ------------------------------------------------------------
    @property
    def project_dir(self):
        return os.path.join(self.directory, self.project_name)

    def get_trial_dir(self, trial_id):
        path = os.path.join(self.project_dir, f"trial_{trial_id}")
        os.makedirs(path, exist_ok=True)
        return path

    def _checkpoint_path(self, trial_id):
        name = CHECKPOINT_WEIGHTS if self.hypermodel is not None else CHECKPOINT_MODEL
        return os.path.join(self.get_trial_dir(trial_id), name)

    def _run_trial_overridden(self):
        return type(self).run_trial not in _DEFAULT_RUN_TRIALS

    # -- Search loop ------------------------------------------------------
    def search(self, *fit_args, **fit_kwargs):
        """Runs trials until the oracle stops; arguments reach `run_trial`.

        With a `distribution` (e.g. `kt.distribute.RayBackend`), the trials
        run there, several at a time; results land in the same directory.
        """
        self._check_callbacks_copyable(fit_kwargs.get("callbacks"))
        _check_tensorboard(fit_kwargs.get("callbacks"))
        # One search per project at a time: a second process (or tuner) on
        # this project gets a clear error instead of re-running our trial ids.
        lock = project_lib.ProjectLock(self.project_dir, purpose="search")
        lock.acquire()
        try:
            # Another process may have searched this project since this tuner
            # read its state: continue from what is on disk.
            self.oracle.reload_if_changed()
            self._search_locked(fit_args, fit_kwargs)
        finally:
            lock.release()

    def _search_locked(self, fit_args, fit_kwargs):
        verbose = fit_kwargs.get("verbose", 1)
        self._display = reporting.Display(self.oracle, verbose=verbose)
        self.on_search_begin()
        try:
            if self.distribution is not None:
                self.distribution.run_trials(self, fit_args, fit_kwargs)
                return
            while True:
                trial = self.oracle.create_trial(self.tuner_id)
                if trial.status == TrialStatus.STOPPED:
                    break
                if trial.status == TrialStatus.IDLE:
                    continue
                self.on_trial_begin(trial)
                self._try_run_and_update_trial(trial, *fit_args, **fit_kwargs)
                self.on_trial_end(trial)
        finally:
            self.on_search_end()

    @staticmethod
    def _check_callbacks_copyable(callbacks):
        """Each trial gets its own copy of the callbacks: check that up front."""
        for callback in list(callbacks or []):
            try:
                copy.deepcopy(callback)
            except Exception as error:  # noqa: BLE001 - any copy failure
                raise errors.FatalValueError(
                    "All callbacks used during a search should be deep-copyable "
                    "(each trial trains with its own copy). Received: "
                    f"{callback!r}, which cannot be copied ({type(error).__name__}: "
                    f"{error}). Pass a callback that `copy.deepcopy` accepts, e.g. "
                    "one that does not hold a lock, file or module."
                ) from error

    def _try_run_and_update_trial(self, trial, *fit_args, **fit_kwargs):
        try:
            self._run_and_update_trial(trial, *fit_args, **fit_kwargs)
            trial.status = TrialStatus.COMPLETED
        except errors.FatalError:
            trial.status = TrialStatus.FAILED
            trial.message = traceback.format_exc()
            try:
                self.oracle.end_trial(trial)
            except RuntimeError:
                pass
            raise
        except errors.FailedTrialError:
            trial.status = TrialStatus.FAILED
            trial.message = traceback.format_exc()
        except Exception:  # noqa: BLE001 - any error of user code is recorded
            trial.status = TrialStatus.INVALID
            trial.message = traceback.format_exc()
            self.show_trial_message(trial)
        self.oracle.end_trial(trial)

    def show_trial_message(self, trial):
        """Prints `trial.message` (why an attempt failed) if the search is verbose.

        Args:
            trial: a `kt.Trial` whose attempt ended with an error.
        """
        if self._display is not None and self._display.verbose and trial.message:
            print(trial.message, flush=True)

    def worker_copy(self):
        """A copy of this tuner for a process that runs single trials.

        Its oracle is `oracle.worker_copy()` (no trial records, never writes
        the state file); it has no progress display, runs its trial in its
        own process (no `distribution`) and uses absolute paths. Used by
        distributed backends (`kt.distribute.RayBackend`).

        Returns:
            A shallow copy of the tuner.
        """
        clone = copy.copy(self)
        clone.oracle = self.oracle.worker_copy()
        clone.directory = os.path.abspath(self.directory)
        clone._display = None
        clone._trial_runs = {}
        clone.distribution = None
        clone._gc_frozen = False
        return clone

    def run_trial_in_worker(self, trial, *fit_args, **fit_kwargs):
        """Runs one trial (rebuilt from its state) and records its results.

        For a `worker_copy()` of the tuner: frees what a previous trial of
        the process left, makes `trial` follow the oracle's rules
        (`oracle.attach_trial`), then builds, trains and scores exactly as
        a local search does. Errors propagate (the caller records them).

        Args:
            trial: a `kt.Trial`, e.g. `kt.Trial.from_state(state)`.
            *fit_args: as given to `search()`.
            **fit_kwargs: as given to `search()`.
        """
        self.oracle.trials = {}
        self.oracle.attach_trial(trial)
        if "keras" in sys.modules:
            self._release_memory()
        self._run_and_update_trial(trial, *fit_args, **fit_kwargs)

    def _run_and_update_trial(self, trial, *fit_args, **fit_kwargs):
        kwargs = dict(fit_kwargs)
        if self._run_trial_overridden() and self._accepts_callbacks():
            kwargs["callbacks"] = self._trial_callbacks(
                trial, kwargs.get("callbacks"), execution=0
            )
        run = self._trial_runs[trial.trial_id] = _TrialRun(trial.attempts)
        try:
            results = self.run_trial(trial, *fit_args, **kwargs)
        except BaseException:
            _end_hparams_sessions(trial, run.hparams_log_dirs, ok=False)
            raise
        finally:
            self._trial_runs.pop(trial.trial_id, None)
        _end_hparams_sessions(trial, run.hparams_log_dirs, ok=True)
        if results is None and self.oracle.get_trial(trial.trial_id).metrics.metrics:
            # keras-tuner 1.x style: `run_trial` reported its metrics itself.
            warnings.warn(
                "`run_trial` called `oracle.update_trial()` and returned None. "
                "This still works but is deprecated. Please remove the call to "
                "`self.oracle.update_trial(...)` and return the metrics (a number, "
                "a dict or a `History`) from `run_trial` instead.",
                DeprecationWarning,
                stacklevel=2,
            )
            return
        metrics = self._to_metrics(results, trial)
        self.oracle.update_trial(trial.trial_id, metrics)

    def _accepts_callbacks(self):
        try:
            parameters = inspect.signature(self.run_trial).parameters.values()
        except (TypeError, ValueError):
            return True
        return any(
            p.name == "callbacks" or p.kind is inspect.Parameter.VAR_KEYWORD
            for p in parameters
        )

    @default_run_trial
    def run_trial(self, trial, *args, **kwargs):
        """Evaluates one trial; override it for the Tuner workflow.

        The default builds a model with the hypermodel and trains it with
        `hypermodel.fit(hp, model, *args, **kwargs)`,
        `executions_per_trial` times.

        Args:
            trial: the `Trial`; read `trial.hyperparameters`.
            *args: what `search()` received positionally.
            **kwargs: what `search()` received by keyword; `callbacks`
                includes a best-epoch checkpoint, and a callback calling
                the tuner's `on_epoch_begin`/`on_batch_begin`/
                `on_batch_end`/`on_epoch_end` hooks.

        Returns:
            A number, a list of results, a dict of metrics or a `History`.
        """
        user_callbacks = kwargs.pop("callbacks", None)
        results = []
        for execution in range(self.executions_per_trial):
            execution_kwargs = dict(kwargs)
            execution_kwargs["callbacks"] = self._trial_callbacks(
                trial, user_callbacks, execution
            ) + [_TunerHooks(self, trial)]
            results.append(self._build_and_fit_model(trial, *args, **execution_kwargs))
        return results

    def _build_and_fit_model(self, trial, *args, **kwargs):
        hp = trial.hyperparameters
        model = self._try_build(hp)
        return self.hypermodel.fit(hp, model, *args, **kwargs)

    # -- Callbacks --------------------------------------------------------
    def _trial_run(self, trial):
        run = self._trial_runs.get(trial.trial_id)
        if run is None or run.attempt != trial.attempts:
            run = self._trial_runs[trial.trial_id] = _TrialRun(trial.attempts)
        return run

    def _trial_callbacks(self, trial, user_callbacks, execution):
        import keras

        run = self._trial_run(trial)
        callbacks = []
        for callback in list(user_callbacks or []):
            callback = copy.deepcopy(callback)  # checked in `search()`
            if isinstance(callback, keras.callbacks.TensorBoard):
                _check_tensorboard([callback])
                callback.log_dir = os.path.join(
                    str(callback.log_dir), str(trial.trial_id), f"execution{execution}"
                )
                run.hparams_log_dirs.append(callback.log_dir)
            callbacks.append(callback)
        callbacks.append(
            _make_best_epoch_checkpoint(
                self.oracle.objective,
                self._checkpoint_path(trial.trial_id),
                full_model=self.hypermodel is None,
                best_holder=run.best,
            )
        )
        return callbacks

    # -- Models -----------------------------------------------------------
    def _try_build(self, hp):
        import keras

        if self.hypermodel is None:
            raise ValueError(
                "This tuner has no `hypermodel`, so it cannot build models. Pass "
                "`hypermodel=` to the tuner, or save models yourself in `run_trial`."
            )
        if self.distribution_strategy is not None:
            with self.distribution_strategy.scope():
                model = self.hypermodel.build(hp)
        else:
            model = self.hypermodel.build(hp)
        if not isinstance(model, keras.Model):
            raise errors.FatalTypeError(
                "Expected the model-building function, `build(hp)`, to return a "
                "`keras.Model`. Received: "
                f"{model!r} of type {type(model).__name__}. Return the model "
                "(compiled) at the end of your build function."
            )
        if (
            self.optimizer is not None
            or self.loss is not None
            or self.metrics is not None
        ):
            optimizer = self.optimizer
            if isinstance(optimizer, keras.optimizers.Optimizer):
                # A fresh optimizer per model: one instance cannot serve
                # several models (its variables belong to the first).
                optimizer = type(optimizer).from_config(optimizer.get_config())
            model.compile(
                optimizer=optimizer or getattr(model, "optimizer", None) or "adam",
                loss=self.loss or getattr(model, "loss", None),
                metrics=self.metrics,
            )
        if self.max_model_size is not None:
            if not model.built:
                raise errors.FailedTrialError(
                    "`max_model_size` is set but the model is not built; give its "
                    "first layer an input shape."
                )
            size = model.count_params()
            if size > self.max_model_size:
                raise errors.FailedTrialError(
                    f"Oversized model: the model has {size} parameters, more than "
                    f"max_model_size={self.max_model_size}."
                )
        return model

    def load_model(self, trial):
        """The model of `trial`, restored at its best epoch."""
        import keras

        trial_dir = os.path.join(self.project_dir, f"trial_{trial.trial_id}")
        weights = os.path.join(trial_dir, CHECKPOINT_WEIGHTS)
        full = os.path.join(trial_dir, CHECKPOINT_MODEL)
        if not os.path.isdir(trial_dir):
            raise FileNotFoundError(
                f"The folder of trial {trial.trial_id}, '{trial_dir}', does not exist: "
                "it was deleted or moved after the trial ran (the search state "
                f"'{self.oracle.state_path}' still lists the trial). Restore the "
                "folder to load its model, or rebuild the model from "
                "`tuner.get_best_hyperparameters()` and train it again."
            )
        if self.hypermodel is not None:
            model = self._try_build(trial.hyperparameters)
            if os.path.exists(weights):
                _load_checkpoint_file(
                    weights, trial, lambda: load_checkpoint_weights(model, weights)
                )
                return model
        if os.path.exists(full):
            return _load_checkpoint_file(
                full, trial, lambda: keras.saving.load_model(full)
            )
        if self.hypermodel is not None:
            raise ValueError(
                f"No checkpoint was saved for trial {trial.trial_id} in '{trial_dir}': "
                "the `callbacks` handed to `run_trial`/`fit` were not passed to "
                "`model.fit`. Pass them on, or save the model in `run_trial` yourself."
            )
        raise ValueError(
            f"No model was saved for trial {trial.trial_id} in '{trial_dir}'. In the "
            "Tuner workflow pass the `callbacks` argument of `run_trial` to "
            "`model.fit` (it checkpoints the best epoch), or save models yourself "
            "under a path built from `trial.trial_id`."
        )

    def save_model(self, trial_id, model, step=0):
        """Saves `model` as the checkpoint of trial `trial_id`."""
        path = self._checkpoint_path(trial_id)
        if path.endswith(".weights.h5"):
            model.save_weights(path)
        else:
            model.save(path)

    def get_best_models(self, num_models=1):
        """The `num_models` best models, restored at their best epoch, best first."""
        return [self.load_model(trial) for trial in self._best_trials(num_models)]

    def get_best_hyperparameters(self, num_trials=1, num_models=None):
        """The `HyperParameters` of the best trials, best first.

        Args:
            num_trials: how many (also accepted as `num_models`).
        """
        if num_models is not None:
            num_trials = num_models
        return [t.hyperparameters for t in self._best_trials(num_trials)]

    def _best_trials(self, num_trials):
        best = self.oracle.get_best_trials(num_trials)
        if not best and self.oracle.trials:
            statuses = [t.status for t in self.oracle.trials.values()]
            nan = sum(
                1
                for t in self.oracle.trials.values()
                if t.message and "was NaN at every step" in t.message
            )
            warnings.warn(
                f"None of the {len(statuses)} trials of this search completed with "
                f"a score ({statuses.count(TrialStatus.FAILED)} failed, "
                f"{statuses.count(TrialStatus.INVALID)} invalid, "
                f"{statuses.count(TrialStatus.RUNNING)} running; {nan} with a NaN "
                "objective), so there is no best trial and the list is empty. "
                "`tuner.results_summary()` shows each trial's error.",
                stacklevel=3,
            )
        return best

    # -- Results ----------------------------------------------------------
    def _to_metrics(self, results, trial):
        if isinstance(results, (list, tuple)):
            if not results:
                raise errors.FatalTypeError(
                    "`run_trial` returned an empty list; return a number, a dict of "
                    "metrics, a `History`, or a non-empty list of them."
                )
            dicts = [self._single_result_to_metrics(r) for r in results]
            common = [k for k in dicts[0] if all(k in d for d in dicts)]
            metrics = {k: float(np.mean([d[k] for d in dicts])) for k in common}
        else:
            metrics = self._single_result_to_metrics(results)
        objective = self.oracle.objective
        if objective.name == DEFAULT_NAME and DEFAULT_NAME not in metrics:
            for name in ("val_loss", "loss"):
                if name in metrics:
                    metrics[DEFAULT_NAME] = metrics[name]
                    break
            else:
                if len(metrics) == 1:
                    metrics[DEFAULT_NAME] = next(iter(metrics.values()))
        if not objective.has_value(metrics):
            wanted = [o.name for o in getattr(objective, "objectives", [objective])]
            raise errors.FatalValueError(
                f"The objective {wanted} is not among the metrics of trial "
                f"{trial.trial_id}. Metrics that exist: {sorted(metrics)}. Pass one of "
                "them as `objective` (e.g. objective='val_loss'), or return it from "
                "`run_trial`/`fit`."
            )
        return metrics

    def _single_result_to_metrics(self, result):
        import keras

        if result is None:
            raise errors.FatalTypeError(
                "`run_trial` (or `HyperModel.fit`) returned None. Did you forget "
                "to return the metrics? Return the objective as a number, a dict "
                "of metrics, or the `History` of `model.fit`."
            )
        if isinstance(result, keras.callbacks.History):
            result = result.history
        if isinstance(result, dict):
            if any(isinstance(v, (list, tuple, np.ndarray)) for v in result.values()):
                return self._best_epoch_metrics(result)
            metrics = {}
            for name, value in result.items():
                if not _is_number(value):
                    raise errors.FatalTypeError(
                        f"The metric '{name}' returned by `run_trial` must be a number. "
                        f"Received: {value!r} of type {type(value).__name__}."
                    )
                metrics[name] = float(value)
            return metrics
        if _is_number(result):
            objective = self.oracle.objective
            if isinstance(objective, MultiObjective):
                raise errors.FatalTypeError(
                    "With several objectives, `run_trial` must return a dict of "
                    f"metrics; it returned the single number {result!r}."
                )
            return {objective.name: float(result)}
        raise errors.FatalTypeError(
            "We expected the value returned by Tuner.run_trial() to be one of: a "
            "number (the objective), a dict of metrics, a `History`, or a list of "
            "those, and so the value of HyperModel.fit() to be one of them too "
            "(the default `run_trial` returns it). Received: "
            f"{result!r} of type {type(result).__name__}. Return the objective "
            "value or the `History` of `model.fit`."
        )

    def _best_epoch_metrics(self, history):
        lengths = {
            len(v) for v in history.values() if isinstance(v, (list, tuple, np.ndarray))
        }
        epochs = max(lengths) if lengths else 0
        if epochs == 0:
            raise errors.FatalValueError(
                "The training history is empty (0 epochs). Train for at least one epoch."
            )
        best_epoch, best_value = epochs - 1, None
        for epoch in range(epochs):
            logs = {k: v[epoch] for k, v in history.items() if len(v) > epoch}
            value, direction = _value_from_logs(self.oracle.objective, logs)
            if value is None or np.isnan(value):
                continue
            if best_value is None or (
                value < best_value if direction == "min" else value > best_value
            ):
                best_epoch, best_value = epoch, value
        return {
            k: float(v[best_epoch]) for k, v in history.items() if len(v) > best_epoch
        }

    # -- Hooks ------------------------------------------------------------
    def on_search_begin(self):
        self._gc_frozen = False
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()
            self._gc_frozen = True

    def on_trial_begin(self, trial):
        self._release_memory()
        if self._display is not None:
            self._display.on_trial_begin(trial)

    def on_trial_end(self, trial):
        if self._display is not None:
            self._display.on_trial_end(trial)
        self._save_tuner_state()

    def on_epoch_begin(self, trial, model, epoch, logs=None):
        """Called at the start of each epoch of the default `run_trial`.

        Override it (and the other batch/epoch hooks) to act during
        training without writing a callback. It is called for the models
        that the default `run_trial` trains (`HyperModel.fit`); an
        overridden `run_trial` calls what it likes.

        Args:
            trial: the running `Trial`.
            model: the `keras.Model` being trained.
            epoch: index of the epoch.
            logs: the metrics Keras passes to callbacks, if any.
        """

    def on_batch_begin(self, trial, model, batch, logs):
        """Called at the start of each training batch (see `on_epoch_begin`).

        Args:
            trial: the running `Trial`.
            model: the `keras.Model` being trained.
            batch: index of the batch within the epoch.
            logs: the metrics Keras passes to callbacks, if any.
        """

    def on_batch_end(self, trial, model, batch, logs=None):
        """Called at the end of each training batch (see `on_epoch_begin`).

        Args:
            trial: the running `Trial`.
            model: the `keras.Model` being trained.
            batch: index of the batch within the epoch.
            logs: the batch's metrics.
        """

    def on_epoch_end(self, trial, model, epoch, logs=None):
        """Called at the end of each epoch (see `on_epoch_begin`).

        The tuner records the trial's result from what `run_trial` returns
        and checkpoints the best epoch itself, so the default does nothing.

        Args:
            trial: the running `Trial`.
            model: the `keras.Model` being trained.
            epoch: index of the epoch.
            logs: the epoch's metrics, including the objective.
        """

    def get_state(self):
        """The tuner's own state to keep with the project (a JSON-able dict).

        Saved as `<tuner_id>.json` in the project folder after every trial
        and handed to `set_state` when a tuner resumes the project
        (`overwrite=False`). The default has no state; override both
        methods in a subclass that keeps some (call `super()`).
        """
        return {}

    def set_state(self, state):
        """Restores what `get_state` returned (see `get_state`).

        Args:
            state: the dict that `get_state` returned when it was saved.
        """

    def _tuner_state_path(self):
        return os.path.join(self.project_dir, f"{self.tuner_id}.json")

    def _save_tuner_state(self):
        state_io.write_json(self._tuner_state_path(), self.get_state())

    def on_search_end(self):
        if getattr(self, "_gc_frozen", False):
            gc.unfreeze()
            self._gc_frozen = False
        try:
            self.export_results()
        except OSError as error:
            warnings.warn(f"Could not export the search results: {error}", stacklevel=2)
        if self._display is not None:
            self._display.on_search_end()

    def _release_memory(self):
        """Frees the previous trial's models and Keras state.

        Objects alive before the search are frozen out of the garbage
        collector (`gc.freeze`) at search start, so the collection here
        only walks what the previous trials created, which keeps it fast.
        """
        import keras

        if getattr(self, "_gc_frozen", False):
            gc.collect()
        keras.backend.clear_session(free_memory=False)

    def save(self):
        """Writes the search state (the oracle's `oracle.json`) now.

        The state is also written after each trial; this is for code that
        changes the oracle by hand. The tuner's own state (`get_state`) is
        written beside it.
        """
        self.oracle.save()
        self._save_tuner_state()

    def reload(self):
        """Reads the search state back from the project directory.

        Raises `FileNotFoundError` when the project has no saved state yet.
        """
        if self.oracle.state_path is None or not os.path.exists(self.oracle.state_path):
            raise FileNotFoundError(
                f"No saved search in '{self.project_dir}' (no "
                f"'{os.path.basename(self.oracle.state_path or 'oracle.json')}'). "
                "Run `search()` first, or check `directory` and `project_name`."
            )
        self.oracle.reload()
        if os.path.exists(self._tuner_state_path()):
            self.set_state(state_io.read_json(self._tuner_state_path()))

    # -- Reports ----------------------------------------------------------
    def search_space_summary(self, extended=False):
        """Prints the hyperparameters of the search space."""
        reporting.search_space_summary(self.oracle.get_space(), extended)

    def results_summary(self, num_trials=10):
        """Prints the `num_trials` best trials."""
        reporting.results_summary(self.oracle, num_trials)

    def export_results(self, directory=None):
        """Writes results.json, results.csv and objective.png; returns their paths."""
        return reporting.export_results(self.oracle, directory or self.project_dir)

    @property
    def remaining_trials(self):
        return self.oracle.remaining_trials


@api_export("keras_tuner.engine.base_tuner.BaseTuner", stability="experimental")
class BaseTuner(Tuner):
    """A tuner for models that are not Keras models (scikit-learn, ...).

    Subclass it and override `run_trial(self, trial, *args, **kwargs)`,
    which builds, trains and evaluates one configuration and returns its
    metrics (a number or a dict). To use `get_best_models()`, also
    override `save_model(trial_id, model, step=0)` (call it from
    `run_trial`) and `load_model(trial)`. Unlike `Tuner`, nothing Keras
    specific is added: no callbacks are passed to `run_trial`, and
    `optimizer`, `loss` and `metrics` are not accepted.

    keras-tuner 1.4 had this class as the parent of `Tuner`; here it is a
    `Tuner` with its Keras parts switched off, so `isinstance(tuner,
    BaseTuner)` is False for a `kt.RandomSearch`.

    Args:
        oracle: the search algorithm (`kt.oracles.*`).
        hypermodel: optional `kt.HyperModel` or function `build(hp)`
            returning any model object.
        directory: where search projects are stored (default ".").
        project_name: sub-directory of this search.
        overwrite: start afresh instead of resuming.
        **kwargs: other `kt.Tuner` arguments (`tuner_id`, `logger`, ...).

    Examples:

    ```python
    import tempfile
    import keras_tuner as kt

    class MyTuner(kt.engine.base_tuner.BaseTuner):
        def run_trial(self, trial, x):
            a = trial.hyperparameters.Float("a", 0.0, 1.0)
            return {"score": -((a - x) ** 2)}

    tuner = MyTuner(
        oracle=kt.oracles.RandomSearchOracle(
            objective=kt.Objective("score", "max"), max_trials=3
        ),
        directory=tempfile.mkdtemp(),
    )
    tuner.search(0.5)
    ```
    """

    def __init__(
        self,
        oracle,
        hypermodel=None,
        directory=None,
        project_name=None,
        overwrite=False,
        **kwargs,
    ):
        for name in ("optimizer", "loss", "metrics", "max_model_size"):
            if kwargs.get(name) is not None:
                raise errors.InvalidArgumentError(
                    f"Unrecognized arguments for {type(self).__name__}: '{name}' "
                    "is a `kt.Tuner` argument for Keras models. Received: "
                    f"{name}={kwargs[name]!r}."
                )
        super().__init__(
            oracle=oracle,
            hypermodel=hypermodel,
            directory=directory,
            project_name=project_name,
            overwrite=overwrite,
            **kwargs,
        )

    def run_trial(self, trial, *args, **kwargs):
        """Builds, trains and evaluates one configuration; returns its metrics."""
        raise NotImplementedError(
            f"{type(self).__name__}.run_trial(trial, ...) is not implemented. "
            "Override it to return the metrics of the trial (a number or a dict)."
        )

    def _accepts_callbacks(self):
        return False

    def _release_memory(self):
        pass

    def save_model(self, trial_id, model, step=0):
        """Saves `model` for trial `trial_id`; override it to use `get_best_models`."""
        raise NotImplementedError(
            f"{type(self).__name__}.save_model(trial_id, model, step=0) is not "
            "implemented; override it (and `load_model`) to keep models."
        )

    def load_model(self, trial):
        """Loads the model of `trial`; override it to use `get_best_models`."""
        raise NotImplementedError(
            f"{type(self).__name__}.load_model(trial) is not implemented; override "
            "it (and `save_model`) to use `get_best_models()`."
        )
