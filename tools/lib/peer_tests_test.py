# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""tools/peer_tests: staging, the import shims and the summary."""

import importlib
import os
import sys

from tools.lib import peer_tests
from tools.lib.peer_shims import keras_nlp_plugin


def _fake_peer(tmp_path):
    """A checkout with two of the listed files (our own tiny tests)."""
    files = peer_tests.SUITES["keras-nlp"]["files"]
    for relative in files[:2]:
        path = tmp_path / "peer" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("def test_ok():\n    pass\n")
    return tmp_path / "peer", files


def test_stage_copies_listed_files_outside_the_repository(tmp_path):
    peer, files = _fake_peer(tmp_path)
    out = tmp_path / "staged"
    out.mkdir()
    staged, missing = peer_tests.stage("keras-nlp", str(peer), str(out))
    assert sorted(staged.values()) == sorted(files[:2])
    assert missing == files[2:]
    assert all((out / name).is_file() for name in staged)
    assert len(set(staged)) == 2 and all(n.startswith("peer_") for n in staged)


def test_summarize_counts_per_file():
    staged = {"peer_a.py": "pkg/a_test.py", "peer_b.py": "pkg/b_test.py"}
    results = {
        "peer_a.py::T::test_1": {"outcome": "passed", "reason": ""},
        "peer_a.py::T::test_2": {"outcome": "failed", "reason": "E boom"},
        "peer_b.py::test_3": {"outcome": "out of scope", "reason": "presets"},
    }
    per_file, totals, failures = peer_tests.summarize(results, staged)
    assert per_file["pkg/a_test.py"] == {"passed": 1, "failed": 1, "out of scope": 0}
    assert per_file["pkg/b_test.py"] == {"passed": 0, "failed": 0, "out of scope": 1}
    assert totals == {"passed": 1, "failed": 1, "out of scope": 1}
    assert ("pkg/a_test.py", "T::test_2", "E boom") in failures


def test_shims_map_peer_paths_to_our_public_objects():
    import keras_nlp

    finder = keras_nlp_plugin._ShimFinder()
    sys.meta_path.insert(0, finder)
    try:
        for name in list(sys.modules):
            if name.startswith("keras_nlp.src.layers.preprocessing"):
                del sys.modules[name]
        module = importlib.import_module(
            "keras_nlp.src.layers.preprocessing.multi_segment_packer"
        )
        assert module.MultiSegmentPacker is keras_nlp.layers.MultiSegmentPacker
        test_case = importlib.import_module("keras_nlp.src.tests.test_case")
        assert hasattr(test_case.TestCase, "run_preprocessing_layer_test")
    finally:
        sys.meta_path.remove(finder)


def test_main_rejects_a_missing_checkout(tmp_path, capsys):
    try:
        peer_tests.main(["keras-nlp", "--peer-src", os.fspath(tmp_path / "nope")])
    except SystemExit as exit:
        assert exit.code == 2
    assert "not a directory" in capsys.readouterr().err
