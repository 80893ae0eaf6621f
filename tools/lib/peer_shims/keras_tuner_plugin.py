# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""pytest plugin: keras-tuner 1.4 tests against our `keras_tuner`.

Loaded by `tools/peer_tests keras-tuner` with `-p`. It installs the import
finder (`keras_tuner_finder`), gives every test our fixtures (seed, image
data format) in place of the peer's conftest, and deselects the tests that
`tools/peer_tests` classified out of scope (`$PEER_TESTS_OUT_OF_SCOPE`, a
JSON list of "relative/path.py::test_name" under `$PEER_TESTS_DIR`).
"""

import json
import os
import sys

if os.environ.get("PEER_TESTS_OURS"):
    # Another checkout of our keras_tuner (e.g. a base commit), measured instead.
    sys.path.insert(0, os.environ["PEER_TESTS_OURS"])

from tools.lib.peer_shims import keras_tuner_finder  # noqa: E402

keras_tuner_finder.install()

import keras  # noqa: E402
import pytest  # noqa: E402

_TESTS = os.environ.get("PEER_TESTS_DIR", "")
_OUT = set()
if os.environ.get("PEER_TESTS_OUT_OF_SCOPE"):
    with open(os.environ["PEER_TESTS_OUT_OF_SCOPE"]) as f:
        _OUT = set(json.load(f))


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(0)
    keras.backend.set_image_data_format("channels_last")
    yield


def pytest_collection_modifyitems(config, items):
    kept, dropped = [], []
    for item in items:
        rel = os.path.relpath(str(item.path), _TESTS)
        name = item.originalname or item.name
        (dropped if rel + "::" + name in _OUT else kept).append(item)
    items[:] = kept
    config.hook.pytest_deselected(items=dropped)
