# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import os

import numpy as np
import pytest

from keras_tuner.src.engine import state
from keras_tuner.src.engine.errors import StateFileError


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = str(tmp_path / "oracle.json")
    state.write_json(path, {"a": np.float32(1.5), "b": np.arange(2)})
    assert json.load(open(path)) == {"a": 1.5, "b": [0, 1]}

    # A crash while writing (here: during the rename) keeps the old file whole.
    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        state.write_json(path, {"a": 2})
    monkeypatch.undo()
    assert json.load(open(path)) == {"a": 1.5, "b": [0, 1]}
    assert os.listdir(tmp_path) == ["oracle.json"]


def test_corrupt_file_error_names_the_file(tmp_path):
    path = tmp_path / "oracle.json"
    path.write_text('{"trials": [')
    with pytest.raises(StateFileError, match=f"'{path}' is corrupt.*overwrite=True"):
        state.read_json(str(path))


def test_unserialisable_value_is_explained(tmp_path):
    with pytest.raises(TypeError, match="must be numbers, strings or booleans"):
        state.write_json(str(tmp_path / "x.json"), {"a": object()})
