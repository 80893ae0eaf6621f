# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""pytest plugin: keras-nlp 0.15 tests against our `keras_nlp`.

Loaded by `tools/peer_tests keras-nlp` with `-p`. It

- maps the peer's internal import paths (`keras_nlp.src.layers.preprocessing
  .multi_segment_packer`, `keras_nlp.src.models.bert.bert_tokenizer`, ...)
  to modules holding our public objects of the same names; a name we lack
  is simply absent, so the importing test file fails (counted as failed);
- provides `keras_nlp.src.tests.test_case.TestCase`, our own stand-in for
  the peer's test base class (assertions on tensors, ragged tensors and
  strings; the preprocessing-layer and preprocessor checks);
- marks tests out of scope when they need the peer's downloadable presets
  or are marked `large`/`extra_large`/`kaggle_key_required`;
- writes every test's outcome to `$PEER_TESTS_REPORT` (JSON).
"""

import importlib
import importlib.abc
import importlib.machinery
import json
import os
import re
import sys

import pytest

from tools.lib.peer_tests import PACKAGES

_SUITE = PACKAGES["keras-nlp"]
OUT_OF_SCOPE_MARKERS = _SUITE["out_of_scope"]["markers"]
# Peer module -> {name: (our module, our name)}; packages map to {}, the
# test-case module to None (our stand-in, built below).
MODULES = _SUITE["imports"]["modules"]
# Where a name is not in the first namespace, these are tried in turn.
FALLBACK_NAMESPACES = _SUITE["imports"]["fallback_namespaces"]


def _lookup(module_name, name):
    for candidate in (module_name,) + FALLBACK_NAMESPACES:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        if hasattr(module, name):
            return getattr(module, name)
    return None


def _test_case_class():
    from tools.lib.peer_shims import keras_nlp_test_case

    return keras_nlp_test_case.TestCase


class _ShimLoader(importlib.abc.Loader):
    def __init__(self, fullname):
        self.fullname = fullname

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if self.fullname == "keras_nlp.src.tests.test_case":
            from tools.lib.peer_shims import keras_nlp_test_case

            module.TestCase = keras_nlp_test_case.TestCase
            return
        mapping = MODULES[self.fullname]
        if not mapping:
            module.__path__ = []  # a package
        for name, (source, our_name) in mapping.items():
            value = _lookup(source, our_name)
            if value is not None:
                setattr(module, name, value)


class _ShimFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MODULES:
            return None
        is_package = MODULES[fullname] == {}
        return importlib.machinery.ModuleSpec(
            fullname, _ShimLoader(fullname), is_package=is_package
        )


def pytest_configure(config):
    sys.meta_path.insert(0, _ShimFinder())
    for marker in OUT_OF_SCOPE_MARKERS:
        config.addinivalue_line("markers", f"{marker}: peer marker")
    config._peer_results = {}


def pytest_collection_modifyitems(config, items):
    # `tf.test.TestCase.test_session` is a TensorFlow helper, not a test; and
    # our TestCase stand-in, imported into each file, is no test class.
    items[:] = [
        item
        for item in items
        if item.name != "test_session"
        and getattr(item, "cls", None) is not _test_case_class()
    ]
    for item in items:
        for marker in OUT_OF_SCOPE_MARKERS:
            if item.get_closest_marker(marker) is not None:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"out of scope: marked {marker} (downloads presets)"
                    )
                )
                break


def pytest_collectreport(report):
    if report.failed:
        # The file did not import: every test it defines counts as failed.
        path = report.nodeid
        try:
            with open(report.fspath if hasattr(report, "fspath") else path) as f:
                count = len(re.findall(r"^\s+def test_", f.read(), re.M))
        except OSError:
            count = 1
        reason = str(report.longrepr).strip().splitlines()[-1][:300]
        for i in range(max(count, 1)):
            _RESULTS[f"{path}::<import {i}>"] = {
                "outcome": "failed",
                "reason": f"file did not import: {reason}",
            }


_RESULTS = {}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if report.skipped:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
            reason = str(reason).replace("Skipped: ", "")
            outcome = "out of scope" if "out of scope" in reason else "failed"
            _RESULTS[report.nodeid] = {"outcome": outcome, "reason": reason}
        elif report.passed:
            _RESULTS[report.nodeid] = {"outcome": "passed", "reason": ""}
        else:
            lines = str(report.longrepr).strip().splitlines()
            errors = [line for line in lines if line.startswith("E ")]
            reason = (errors[0] if errors else lines[-1])[:300]
            _RESULTS[report.nodeid] = {"outcome": "failed", "reason": reason}


def pytest_sessionfinish(session):
    path = os.environ.get("PEER_TESTS_REPORT")
    if path:
        with open(path, "w") as f:
            json.dump(_RESULTS, f, indent=1)
