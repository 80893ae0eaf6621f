# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Crash-safe JSON state files.

A state file is written to a temporary file in the same directory,
flushed and fsync'ed, then moved over the old file with `os.replace`, which
is atomic on POSIX and Windows. A process killed at any moment therefore
leaves either the previous complete file or the new complete file.
"""

import json
import os
import tempfile

from keras_tuner.src.engine.errors import StateFileError


def write_json(path, obj):
    """Atomically writes `obj` as JSON to `path`."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    text = json.dumps(obj, indent=1, sort_keys=False, default=_default)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def read_json(path):
    """Reads a JSON state file; a damaged file raises `StateFileError` naming it."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        raise StateFileError(
            f"Cannot read the search state file '{path}': {error}."
        ) from error
    try:
        return json.loads(text)
    except ValueError as error:
        raise StateFileError(
            f"The search state file '{path}' is corrupt and cannot be parsed as JSON "
            f"({error}). It was not written by this version of keras-tuner, or it was "
            "edited by hand. Restore it from a backup, delete the project directory, "
            "or pass `overwrite=True` to start the search afresh."
        ) from error


def _default(obj):
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(
        f"Cannot save {obj!r} of type {type(obj).__name__} in the search state; "
        "metrics and hyperparameter values must be numbers, strings or booleans."
    )
