# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared pytest configuration: fixed seeds and a quiet TensorFlow."""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fixed_seeds():
    """Every test starts from the same random state (Python, NumPy, TF)."""
    import keras

    keras.utils.set_random_seed(1337)
    yield
