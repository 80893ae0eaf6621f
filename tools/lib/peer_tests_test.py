# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""tools/peer_tests: each package's table (files, imports, out of scope,
shims), the staging, the result parsing and the summary (no peer files)."""

import importlib
import os
import sys
import textwrap

import pytest

from tools.lib import peer_tests
from tools.lib.peer_shims import keras_nlp_plugin
from tools.lib.peer_shims import keras_tuner_finder as finder

PACKAGES = peer_tests.PACKAGES


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_table_names_files_imports_rules_and_importable_shims(package):
    suite = PACKAGES[package]
    for key in ("version", "files", "imports", "out_of_scope", "shims", "results"):
        assert suite[key], (package, key)
    for plugin in suite["shims"]:
        assert plugin.startswith("tools.lib.peer_shims.")
        path = os.path.join(peer_tests.ROOT, *plugin.split(".")) + ".py"
        assert os.path.isfile(path), path


def test_main_rejects_a_missing_checkout_and_an_unknown_package(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        peer_tests.main(["keras-nlp", "--peer-src", os.fspath(tmp_path / "nope")])
    assert exit.value.code == 2
    assert "not a directory" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit:
        peer_tests.main(["keras-xyz", "--peer-src", os.fspath(tmp_path)])
    assert exit.value.code == 2


def test_an_empty_checkout_says_what_it_expected(tmp_path):
    with pytest.raises(SystemExit, match="no keras-cv test files in scope"):
        peer_tests.run("keras-cv", os.fspath(tmp_path))


# --- keras-nlp ---------------------------------------------------------------


def test_nlp_stage_copies_listed_files_flat_outside_the_repository(tmp_path):
    files = PACKAGES["keras-nlp"]["files"]["list"]
    for relative in files[:2]:
        path = tmp_path / "peer" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("def test_ok():\n    pass\n")
    out = tmp_path / "staged"
    out.mkdir()
    staging = peer_tests.stage("keras-nlp", str(tmp_path / "peer"), str(out))
    assert sorted(staging.staged.values()) == sorted(files[:2])
    assert staging.missing == files[2:]
    assert all((out / name).is_file() for name in staging.staged)
    assert all(name.startswith("peer_") for name in staging.staged)


def test_nlp_plugin_results_count_per_file(tmp_path):
    staging = peer_tests.Staging()
    staging.staged = {"peer_a.py": "pkg/a_test.py", "peer_b.py": "pkg/b_test.py"}
    report = tmp_path / "results.json"
    report.write_text(
        '{"peer_a.py::T::test_1": {"outcome": "passed", "reason": ""},'
        ' "peer_a.py::T::test_2": {"outcome": "failed", "reason": "E boom"},'
        ' "peer_b.py::test_3": {"outcome": "out of scope", "reason": "presets"}}'
    )
    results = peer_tests.results_from_plugin(str(report), staging)
    assert ("pkg/a_test.py", "T::test_2", "failed", "E boom", 1) in results
    per_file, totals = peer_tests.summarize(results, staging)
    assert per_file["pkg/a_test.py"]["passed"] == 1
    assert per_file["pkg/a_test.py"]["failed"] == 1
    assert per_file["pkg/b_test.py"]["out of scope"] == 1
    assert (totals["passed"], totals["failed"], totals["out of scope"]) == (1, 1, 1)


def test_nlp_shims_map_peer_paths_to_our_public_objects():
    import keras_nlp

    assert keras_nlp_plugin.MODULES is PACKAGES["keras-nlp"]["imports"]["modules"]
    shim = keras_nlp_plugin._ShimFinder()
    sys.meta_path.insert(0, shim)
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
        sys.meta_path.remove(shim)


# --- keras-cv ----------------------------------------------------------------


def test_cv_imports_point_at_our_public_api_and_shims():
    source = textwrap.dedent(
        """\
        import numpy as np
        from keras_cv.src import bounding_box
        from keras_cv.src import layers as cv_layers
        from keras_cv.src.backend import ops
        from keras_cv.src.tests.test_case import TestCase
        from keras_cv.src.layers.object_detection.box_matcher import BoxMatcher
        """
    )
    text, reason = peer_tests.rewrite("keras-cv", source)
    assert reason is None
    assert "from keras_cv import bounding_box" in text
    assert "from keras_cv import layers as cv_layers" in text
    assert "from tools.lib.peer_shims.keras_cv_test_case import ops" in text
    assert "from tools.lib.peer_shims.keras_cv_test_case import TestCase" in text
    assert "from keras_cv.layers import BoxMatcher" in text
    assert "keras_cv.src" not in text


def test_cv_private_or_unknown_imports_put_the_file_out_of_scope():
    text, reason = peer_tests.rewrite(
        "keras-cv",
        "from keras_cv.src.layers.object_detection.roi_sampler import _ROISampler\n",
    )
    assert text is None and "private" in reason
    text, reason = peer_tests.rewrite(
        "keras-cv",
        "from keras_cv.src.layers.object_detection.rpn_label_encoder import (\n"
        "    _RpnLabelEncoder,\n)\n",
    )
    assert text is None and "private" in reason
    text, reason = peer_tests.rewrite(
        "keras-cv", "from keras_cv.src.models import YOLOV8Detector\n"
    )
    assert text is None and "no public twin" in reason


def test_cv_stage_globs_rewrites_and_sets_files_aside(tmp_path):
    peer = tmp_path / "peer"
    box = peer / "keras_cv/src/bounding_box"
    box.mkdir(parents=True)
    (box / "iou_test.py").write_text("from keras_cv.src import bounding_box\n")
    (box / "x_test.py").write_text("from keras_cv.src.bounding_box.x import _y\n")
    (box / "iou.py").write_text("# not a test\n")
    out = tmp_path / "staged"
    out.mkdir()
    staging = peer_tests.stage("keras-cv", str(peer), str(out))
    assert staging.staged == {
        "peer_bounding_box_iou_test.py": "keras_cv/src/bounding_box/iou_test.py"
    }
    assert [r for r, _ in staging.excluded] == ["keras_cv/src/bounding_box/x_test.py"]
    assert (
        "keras_cv import bounding_box"
        in (out / "peer_bounding_box_iou_test.py").read_text()
    )


def test_cv_junit_skips_are_out_of_scope_and_test_session_is_no_test(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(
        "<testsuites><testsuite>"
        '<testcase classname="peer_a_test.T" name="test_ok"/>'
        '<testcase classname="peer_a_test.T" name="test_bad"><failure message="boom"/></testcase>'
        '<testcase classname="peer_a_test.T" name="test_k2"><skipped message="out of scope: Keras 2"/></testcase>'
        '<testcase classname="peer_a_test.T" name="test_session"><skipped message="Not a test."/></testcase>'
        "</testsuite></testsuites>"
    )
    staging = peer_tests.Staging()
    staging.staged = {"peer_a_test.py": "keras_cv/src/a_test.py"}
    staging.excluded = [("keras_cv/src/b_test.py", "private")]
    results = peer_tests.results_from_junit("keras-cv", report, staging, tmp_path)
    assert [r[1:4] for r in results] == [
        ("test_ok", "passed", ""),
        ("test_bad", "failed", "boom"),
        ("test_k2", "out of scope", "out of scope: Keras 2"),
    ]
    assert {r[0] for r in results} == {"keras_cv/src/a_test.py"}


def test_cv_plugin_reads_its_rules_from_the_table():
    from tools.lib.peer_shims import keras_cv_plugin

    rules = PACKAGES["keras-cv"]["out_of_scope"]
    assert keras_cv_plugin.OUT_OF_SCOPE is rules["markers"]
    assert keras_cv_plugin.PRIVATE.search("x = bounding_box._clip(y)")
    assert not keras_cv_plugin.PRIVATE.search("x = bounding_box.clip(y)")


# --- keras-tuner -------------------------------------------------------------


@pytest.fixture
def installed():
    finder.install()
    yield
    finder.uninstall()


def test_tuner_peer_module_names_map_to_public_names(installed):
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
    assert not isinstance(oracle, finder._ShimModule) and oracle.Oracle is kt.Oracle
    private = importlib.import_module("keras_tuner.engine.tuner_utils")
    with pytest.raises(AttributeError, match="internal to keras-tuner 1.4"):
        getattr(private, "SaveBestEpoch")  # noqa: B009


def test_tuner_a_missing_public_name_fails_only_where_used():
    missing = finder.MissingName("keras_tuner.x.Y", "keras_tuner.Y")
    with pytest.raises(AttributeError, match="keras_tuner.Y.*does not exist"):
        missing()
    with pytest.raises(AttributeError, match="does not exist"):
        getattr(missing, "attribute")  # noqa: B009


def _tuner_tests(root):
    (root / "engine").mkdir(parents=True)
    (root / "engine" / "thing_test.py").write_text(
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
    (root / "utils_test.py").write_text("def test_a():\n    pass\n")


def test_tuner_classify_finds_private_names(tmp_path):
    _tuner_tests(tmp_path)
    out = peer_tests.classify("keras-tuner", str(tmp_path))
    assert set(out) == {
        ("engine/thing_test.py", "test_uses_helper"),
        ("engine/thing_test.py", "test_proto"),
        ("utils_test.py", "test_a"),
    }
    assert "_tried_so_far" in out[("engine/thing_test.py", "test_uses_helper")]


def test_tuner_stage_copies_the_tree_and_counts_out_of_scope_per_file(tmp_path):
    peer = tmp_path / "peer_src"
    _tuner_tests(peer / "keras_tuner" / "src")
    (peer / "keras_tuner/src/engine/thing_test.py").write_text(
        "from keras_tuner.src.engine import oracle\n"
        + (peer / "keras_tuner/src/engine/thing_test.py").read_text()
    )
    work = tmp_path / "work"
    work.mkdir()
    staging = peer_tests.stage("keras-tuner", str(peer), str(work))
    staged = (work / "peer/engine/thing_test.py").read_text()
    assert "from keras_tuner.engine import oracle" in staged
    assert staging.staged["peer/utils_test.py"] == "utils_test.py"
    assert (
        "utils_test.py",
        PACKAGES["keras-tuner"]["out_of_scope"]["files"]["utils_test.py"],
    ) in staging.excluded
    assert staging.not_run == list(PACKAGES["keras-tuner"]["out_of_scope"]["large"])
    per_file, totals = peer_tests.summarize([], staging)
    assert per_file["engine/thing_test.py"]["out of scope"] == 2
    assert totals["out of scope"] == 3


def test_tuner_a_file_that_does_not_import_counts_each_of_its_tests(tmp_path):
    (tmp_path / "peer").mkdir()
    (tmp_path / "peer" / "a_test.py").write_text(
        "def test_1():\n    pass\n\n\ndef test_2():\n    pass\n"
    )
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="" name="peer.a_test">'
        '<error message="collection failure">x</error></testcase>'
        '<testcase classname="peer.a_test" name="test_s"><skipped message="peer"/></testcase>'
        "</testsuite></testsuites>"
    )
    staging = peer_tests.Staging()
    staging.staged = {"peer/a_test.py": "a_test.py"}
    results = peer_tests.results_from_junit("keras-tuner", report, staging, tmp_path)
    assert results[0][0] == "a_test.py" and results[0][2:] == (
        "failed",
        "collection failure",
        2,
    )
    assert results[1][2] == "skipped by the peer"
    _, totals = peer_tests.summarize(results, staging)
    assert (totals["failed"], totals["skipped by the peer"]) == (2, 1)
