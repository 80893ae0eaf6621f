# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Exceptions that steer the search loop."""

from keras_core import api_export


@api_export("keras_tuner.errors.FailedTrialError", stability="experimental")
class FailedTrialError(Exception):
    """Raise from `run_trial`/`build`/`fit` to fail this trial without retrying it.

    The trial is recorded as failed (with the traceback) and the search
    moves on to the next trial.

    Examples:

    >>> import keras_tuner as kt
    >>> error = kt.errors.FailedTrialError("the loss was NaN")
    >>> isinstance(error, Exception)
    True
    """


@api_export("keras_tuner.errors.FatalError", stability="experimental")
class FatalError(Exception):
    """Raise from `run_trial`/`build`/`fit` to stop the whole search at once.

    Examples:

    >>> import keras_tuner as kt
    >>> issubclass(kt.errors.FatalValueError, kt.errors.FatalError)
    True
    """


@api_export("keras_tuner.errors.FatalValueError", stability="experimental")
class FatalValueError(FatalError, ValueError):
    """A `FatalError` that is also a `ValueError`.

    Examples:

    >>> import keras_tuner as kt
    >>> issubclass(kt.errors.FatalValueError, ValueError)
    True
    """


@api_export("keras_tuner.errors.FatalTypeError", stability="experimental")
class FatalTypeError(FatalError, TypeError):
    """A `FatalError` that is also a `TypeError`.

    Examples:

    >>> import keras_tuner as kt
    >>> issubclass(kt.errors.FatalTypeError, TypeError)
    True
    """


@api_export("keras_tuner.errors.FatalRuntimeError", stability="experimental")
class FatalRuntimeError(FatalError, RuntimeError):
    """A `FatalError` that is also a `RuntimeError`.

    Examples:

    >>> import keras_tuner as kt
    >>> issubclass(kt.errors.FatalRuntimeError, RuntimeError)
    True
    """


class StateFileError(RuntimeError):
    """A state file of a search cannot be read."""


class InvalidArgumentError(TypeError, ValueError):
    """A bad argument, raised as both `TypeError` and `ValueError`.

    Where keras-tuner 1.4 raised `ValueError` for an argument of the wrong
    type, we raise `TypeError`; this class is both, so code written for
    either keeps catching it.
    """


class SearchSpaceError(ValueError, RuntimeError):
    """A search space rule was broken (e.g. a new entry with
    `allow_new_entries=False`): our `ValueError`, keras-tuner 1.4's
    `RuntimeError`."""


class ProjectMismatchError(ValueError, RuntimeError):
    """A project directory holds another search (another oracle or
    objective): our `ValueError`, keras-tuner 1.4's `RuntimeError`."""
