# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/peer_tests_cv`: keras-cv 0.9's public-API tests against our keras_cv.

The peer's test files are read from a checkout given by path (nothing of
the peer enters this repository). Each is copied to a temporary folder with
its imports pointed at our public API (`keras_cv.src.bounding_box` ->
`keras_cv.bounding_box`, ...) and at `peer_shims`, a module written here
that stands in for the peer's test base class and backend helpers. Tests
that need the peer's private code (names with a leading underscore,
internal modules) and tests the peer itself skips under Keras 3
(`tf_keras_only`, `large`) are out of scope and listed with the reason.

Prints `passed / failed / out of scope` and the failing tests.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_GLOBS = (
    "keras_cv/src/bounding_box/*_test.py",
    "keras_cv/src/layers/object_detection/*_test.py",
)

# Peer import line (regex) -> our import line, or None for private code.
IMPORTS = (
    (r"from keras_cv\.src import bounding_box$", "from keras_cv import bounding_box"),
    (
        r"from keras_cv\.src\.bounding_box import iou as iou_lib$",
        "from keras_cv import bounding_box as iou_lib",
    ),
    (
        r"from keras_cv\.src import layers as (\w+)$",
        r"from keras_cv import layers as \1",
    ),
    (r"from keras_cv\.src import layers$", "from keras_cv import layers"),
    (r"from keras_cv\.src import backend$", "from peer_shims import backend"),
    (r"from keras_cv\.src\.backend import ops$", "from peer_shims import ops"),
    (r"from keras_cv\.src\.backend import random$", "from peer_shims import random"),
    (
        r"from keras_cv\.src\.tests\.test_case import TestCase$",
        "from peer_shims import TestCase",
    ),
    (
        r"from keras_cv\.src\.layers\.object_detection\.\w+ import (BoxMatcher|"
        r"ROIGenerator|ROIPooler|AnchorGenerator|NonMaxSuppression|"
        r"MultiClassNonMaxSuppression)$",
        r"from keras_cv.layers import \1",
    ),
)
PRIVATE_IMPORT = re.compile(
    r"from keras_cv\.src\.[\w.]+ import \(?\s*(_\w+|balanced_sample)"
)

SHIMS = '''
"""Stand-ins for keras-cv 0.9's test helpers, written for tools/peer_tests_cv."""
import types

import keras
import numpy as np
import tensorflow as tf
from absl.testing import parameterized

ops = keras.ops
random = keras.random
backend = types.SimpleNamespace(supports_ragged=lambda: True, ops=keras.ops)


def _numpy(x):
    if isinstance(x, tf.RaggedTensor):
        return x
    if ops.is_tensor(x):
        return ops.convert_to_numpy(x)
    return x


class TestCase(tf.test.TestCase, parameterized.TestCase):
    def assertAllClose(self, x1, x2, atol=1e-6, rtol=1e-6, msg=None):
        super().assertAllClose(
            tf.nest.map_structure(_numpy, x1),
            tf.nest.map_structure(_numpy, x2),
            atol=atol,
            rtol=rtol,
            msg=msg,
        )

    def assertAllEqual(self, x1, x2, msg=None):
        super().assertAllEqual(
            tf.nest.map_structure(_numpy, x1), tf.nest.map_structure(_numpy, x2), msg=msg
        )

    def assertAllGreaterEqual(self, x1, x2):
        super().assertAllGreaterEqual(_numpy(x1), x2)

    def assertAllLessEqual(self, x1, x2):
        super().assertAllLessEqual(_numpy(x1), x2)
'''

CONFTEST = """
import inspect
import re

import pytest

OUT_OF_SCOPE = {
    "tf_keras_only": "Keras 2 only (the peer skips it under Keras 3)",
    "large": "large (the peer skips it without --run_large)",
    "extra_large": "extra large (the peer skips it by default)",
}
PRIVATE = re.compile(r"\\b(bounding_box|iou_lib|cv_layers|layers)\\._\\w+")


def pytest_configure(config):
    for name in OUT_OF_SCOPE:
        config.addinivalue_line("markers", f"{name}: peer marker")
    config.addinivalue_line("markers", "tf_only: peer marker")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name, reason in OUT_OF_SCOPE.items():
            if item.get_closest_marker(name):
                item.add_marker(pytest.mark.skip(reason="out of scope: " + reason))
                break
        else:
            try:
                source = inspect.getsource(item.function)
            except (OSError, TypeError):
                continue
            found = PRIVATE.search(source)
            if found:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"out of scope: private peer API {found.group(0)}"
                    )
                )
"""


def rewrite(source):
    """The test file with our imports, or (None, reason) if it needs private code."""
    lines = []
    joined = re.sub(r"import \(\s*(\w+),?\s*\)", r"import \1", source)
    for line in joined.splitlines():
        stripped = line.strip()
        if PRIVATE_IMPORT.match(stripped):
            return None, f"imports private peer code: {stripped}"
        for pattern, replacement in IMPORTS:
            if re.match(pattern, stripped):
                line = re.sub(pattern, replacement, stripped)
                break
        else:
            if stripped.startswith("from keras_cv") or stripped.startswith(
                "import keras_cv"
            ):
                return None, f"imports a peer module with no public twin: {stripped}"
        lines.append(line)
    return "\n".join(lines) + "\n", None


def collect(peer_src):
    files = []
    for pattern in TEST_GLOBS:
        files += sorted(Path(peer_src).glob(pattern))
    return files


def run(peer_src, keyword=None, verbose=False):
    peer_src = Path(peer_src)
    files = collect(peer_src)
    if not files:
        raise SystemExit(
            f"No keras-cv test files under {peer_src}: expected {TEST_GLOBS}. "
            "Pass the root of a keras-cv checkout (e.g. `git archive v0.9.0`)."
        )
    excluded = []
    with tempfile.TemporaryDirectory(prefix="peer_tests_cv_") as tmp:
        tmp = Path(tmp)
        (tmp / "peer_shims.py").write_text(SHIMS)
        (tmp / "conftest.py").write_text(CONFTEST)
        written = []
        for path in files:
            text, reason = rewrite(path.read_text())
            relative = path.relative_to(peer_src)
            if text is None:
                excluded.append((str(relative), reason))
                continue
            name = "peer_" + "_".join(relative.parts[-2:])
            (tmp / name).write_text(text)
            written.append(name)
        report = tmp / "report.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            f"--rootdir={tmp}",
            f"--junitxml={report}",
            *written,
        ]
        if keyword:
            command += ["-k", keyword]
        env = dict(os.environ, KERAS_BACKEND="tensorflow")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(tmp), str(ROOT), env.get("PYTHONPATH", "")]
        )
        completed = subprocess.run(
            command, cwd=tmp, env=env, capture_output=not verbose, text=True
        )
        if not report.exists():
            sys.stdout.write(completed.stdout or "")
            sys.stderr.write(completed.stderr or "")
            raise SystemExit("pytest did not produce a report.")
        results = parse(report)
    summarize(results, excluded)
    return results, excluded


def parse(report):
    results = []
    for case in ElementTree.parse(report).iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        status, detail = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                status = "failed"
                detail = (child.get("message") or "").splitlines()[0][:200]
            elif child.tag == "skipped":
                status = "out of scope"
                detail = child.get("message") or ""
                if detail.startswith("Not a test"):
                    status = None  # tf.test.TestCase.test_session
        if status is None:
            continue
        results.append((name, status, detail))
    return results


def summarize(results, excluded):
    passed = [r for r in results if r[1] == "passed"]
    failed = [r for r in results if r[1] == "failed"]
    skipped = [r for r in results if r[1] == "out of scope"]
    print("Out of scope (whole files):")
    for path, reason in excluded:
        print(f"  {path}: {reason}")
    print("Out of scope (tests):")
    for name, _, detail in skipped:
        print(f"  {name}: {detail}")
    print("Failed:")
    for name, _, detail in failed:
        print(f"  {name}: {detail}")
    ran = len(passed) + len(failed)
    share = 100.0 * len(passed) / ran if ran else 0.0
    print(
        f"passed {len(passed)} / failed {len(failed)} / out of scope "
        f"{len(skipped)} tests + {len(excluded)} files "
        f"({share:.1f}% of the {ran} tests in scope pass)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/peer_tests_cv", description=__doc__)
    parser.add_argument(
        "--peer-src",
        required=True,
        help="root of a keras-cv source checkout (contains keras_cv/src/)",
    )
    parser.add_argument("-k", dest="keyword", help="pytest -k expression")
    parser.add_argument("--verbose", action="store_true", help="show pytest output")
    args = parser.parse_args(argv)
    results, _ = run(args.peer_src, args.keyword, args.verbose)
    return 1 if any(r[1] == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
