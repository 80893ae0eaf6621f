# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The import-time benchmark's forked measurement: figures, timeout, errors."""

import sys
import time

import pytest

from benchmarks.keras_core import import_time


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_child_reports_the_modules_its_import_added(module_dir):
    (module_dir / "bench_leaf_a.py").write_text("X = 1\n")
    (module_dir / "bench_root_a.py").write_text("import bench_leaf_a\n")
    report = import_time.import_once("bench_root_a", timeout=30)
    assert report["modules"] == 2
    assert report["wall"] >= 0 and report["cpu"] >= 0
    # The import happened in the child only.
    assert "bench_root_a" not in sys.modules


def test_a_hanging_import_is_killed_at_the_timeout(module_dir):
    (module_dir / "bench_hangs.py").write_text("import time\ntime.sleep(600)\n")
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="did not finish within 1"):
        import_time.import_once("bench_hangs", timeout=1)
    assert time.monotonic() - start < 30


def test_a_failing_import_names_the_error(module_dir):
    (module_dir / "bench_fails.py").write_text("raise ValueError('broken')\n")
    with pytest.raises(RuntimeError, match="ValueError: broken"):
        import_time.import_once("bench_fails", timeout=30)


def test_the_peer_side_skips_our_own_packages():
    assert import_time._from_this_repository("keras_nlp")
    assert not import_time._from_this_repository("keras")
