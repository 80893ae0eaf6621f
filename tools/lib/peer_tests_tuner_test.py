# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""tools/peer_tests_tuner: the import shim and the out-of-scope rules."""

import importlib
import textwrap

import pytest

from tools.lib import peer_tests_tuner
from tools.lib import peer_tests_tuner_shim as shim


@pytest.fixture
def installed():
    shim.install()
    yield
    shim.uninstall()


def test_peer_module_names_map_to_public_names(installed):
    import keras

    import keras_tuner as kt

    backend_keras = importlib.import_module("keras_tuner.backend.keras")
    assert backend_keras.Sequential is keras.Sequential
    config = importlib.import_module("keras_tuner.backend.config")
    assert config.multi_backend() and config.backend() == keras.config.backend()
    random_search = importlib.import_module("keras_tuner.tuners.randomsearch")
    assert random_search.RandomSearchOracle is kt.oracles.RandomSearchOracle
    assert random_search.RandomSearch is kt.RandomSearch
    # A real public module of ours wins over the shim.
    oracle = importlib.import_module("keras_tuner.engine.oracle")
    assert not isinstance(oracle, shim._ShimModule) and oracle.Oracle is kt.Oracle
    private = importlib.import_module("keras_tuner.engine.tuner_utils")
    with pytest.raises(AttributeError, match="internal to keras-tuner 1.4"):
        getattr(private, "SaveBestEpoch")  # noqa: B009


def test_a_missing_public_name_fails_only_where_used():
    missing = shim.MissingName("keras_tuner.x.Y", "keras_tuner.Y")
    with pytest.raises(AttributeError, match="keras_tuner.Y.*does not exist"):
        missing()
    with pytest.raises(AttributeError, match="does not exist"):
        getattr(missing, "attribute")  # noqa: B009


def test_classify_finds_private_names(tmp_path):
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "thing_test.py").write_text(
        textwrap.dedent(
            """
            def _helper(oracle):
                return oracle._tried_so_far

            def test_public(tmp_path):
                oracle._set_project_dir(tmp_path, "p")  # shared set-up name
                assert 1

            def test_uses_helper():
                _helper(None)

            def test_proto():
                x.to_proto()

            def test_own_attribute():
                class A:
                    def f(self):
                        self._mine = 1
                        return self._mine
            """
        )
    )
    (tmp_path / "utils_test.py").write_text("def test_a():\n    pass\n")
    out = peer_tests_tuner.classify(str(tmp_path))
    assert set(out) == {
        ("engine/thing_test.py", "test_uses_helper"),
        ("engine/thing_test.py", "test_proto"),
        ("utils_test.py", "test_a"),
    }
    assert "_tried_so_far" in out[("engine/thing_test.py", "test_uses_helper")]
