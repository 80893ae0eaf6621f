# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Runs keras-tuner 1.4's own tests against OUR `keras_tuner`.

    tools/peer_tests_tuner --peer-src PATH [--list-out-of-scope] [--failures]
                           [-k EXPR] [--timeout SECONDS]

PATH is a checkout of keras-team/keras-tuner (e.g. `git archive v1.4.7` or the
1.4.8 sources; the tests are its `keras_tuner/**/*_test.py`, in either the
`keras_tuner/` or the `keras_tuner/src/` layout). Nothing of it enters this
repository: the test files are copied to a temporary directory, the
`keras_tuner.src.` prefix is dropped from their imports, and
`tools/lib/peer_tests_tuner_shim.py` maps the 1.4-internal module names they
import to the public names those stand for. Our own conftest (seeds, image
data format) replaces the peer's.

A test that needs a name that is private in keras-tuner 1.4 (not in its
public namespace: protobuf messages, `tuner_utils`, `MetricsTracker`,
private attributes such as `oracle._tried_so_far`, ...) is out of scope: it
is found by reading the test's source (see `PRIVATE_PATTERNS`) or listed by
hand in `OUT_OF_SCOPE`, each with its reason, and is not run. Prints
passed / failed / out of scope (and tests the peer itself skips).
"""

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from tools.lib import workspace

# Whole test files whose subject is private in keras-tuner 1.4.
OUT_OF_SCOPE_FILES = {
    "distribute/oracle_chief_test.py": "gRPC chief process (1.4-internal module and protobuf messages)",
    "distribute/oracle_client_test.py": "gRPC oracle client (1.4-internal module)",
    "distribute/utils_test.py": "1.4-internal distribution helpers",
    "test_utils/mock_distribute_test.py": "1.4's own test helper",
    "engine/conditions_test.py": "`engine.conditions` is 1.4-internal (conditions are public only through `conditional_scope`)",
    "engine/hyperparameters/hp_utils_test.py": "1.4-internal helpers",
    "engine/tuner_utils_test.py": "1.4-internal helpers (`tuner_utils`)",
    "utils_test.py": "1.4-internal helpers (`keras_tuner.utils`)",
    "integration_tests/legacy_import_test.py": "the `kerastuner` import name of keras-tuner < 1.1 (another distribution name)",
}

# Single tests, by "relative/path.py::test_name" (parameters ignored).
OUT_OF_SCOPE = {
    "engine/tuner_test.py::test_tuning_correctness": (
        "patches `keras_tuner.engine.tuner_utils` objects (1.4-internal)"
    ),
}

# In scope but slow: run only with --large (reported as "large, not run").
LARGE = {
    "integration_tests/end_to_end_test.py::test_end_to_end_workflow": (
        "20 trials x 10 epochs on 10,000 28x28 images: many minutes on 2 cores"
    ),
}

# Source patterns that mark a test as needing a 1.4-private name.
PRIVATE_PATTERNS = [
    (r"\bto_proto\b|\bfrom_proto\b|\bprotos\b", "protobuf messages (1.4-internal)"),
    (r"\btuner_utils\b", "`engine.tuner_utils` (1.4-internal)"),
    (r"\bhp_utils\b", "`hyperparameters.hp_utils` (1.4-internal)"),
    (r"\bmock_distribute\b", "1.4's multi-process test helper"),
    (
        r"\boracle_chief\b|\boracle_client\b|\bdist_utils\b",
        "gRPC distribution (1.4-internal)",
    ),
    (
        r"\bMetricsTracker\b|\bMetricObservation\b|\bMetricHistory\b",
        "`metrics_tracking` classes (1.4-internal; only `infer_metric_direction` is public)",
    ),
    (r"\bcreate_objective\b", "`objective.create_objective` (1.4-internal)"),
    (r"\bDisplay\b", "`oracle.Display` (1.4-internal)"),
    (
        r"\butils\.(?:IS_NOTEBOOK|try_clear|to_list|load_json|create_directory|has_chief_oracle)",
        "`keras_tuner.utils` (1.4-internal)",
    ),
    (r"\bhp_types\.(?:serialize|deserialize)", "`hp_types` module (1.4-internal)"),
    (r"\bLinkedList\b", "GridSearch's internal linked list"),
    (
        r"\bbayesian\.(?:sklearn|scipy)\b|\bsklearn_tuner\.sklearn\b",
        "patches a module global of a 1.4 file",
    ),
    (r"\bconvert_hyperparams_to_hparams\b", "`tuner_utils` (1.4-internal)"),
    # Private attribute or method of a keras-tuner object, read, set or patched.
    (
        r"(?<![\w.])(?:\w+\.)*\w+\._(?!_)[a-zA-Z]\w*",
        "a private attribute (`obj._name`)",
    ),
    (r"[\"']_(?!_)[a-zA-Z]\w*[\"']", "patches a private method by name"),
]


def _test_sources(path):
    """{test name: source including the module-level helpers it calls}."""
    source = open(path).read()
    tree = ast.parse(source)
    functions = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            functions[node.name] = ast.get_source_segment(source, node)
    result = {}
    for name, text in functions.items():
        if not name.startswith("test_"):
            continue
        used = set(re.findall(r"\b(\w+)\b", text))
        helpers = [functions[h] for h in used if h in functions and h != name]
        result[name] = text + "\n" + "\n".join(helpers)
    return result


def _strip_comments(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


# Private-attribute matches that are Keras' or Python's own, not keras-tuner's.
_ALLOWED_PRIVATE = re.compile(r"\b(?:keras|np|tf|os|sys|mock|pytest)\.[\w.]*\._")

# 1.4-private names that our classes provide with the same signature and
# meaning; tests call them only to set up an oracle outside a tuner, so the
# public behaviour they then check stays in scope.
SHARED_PRIVATE = {
    "_set_project_dir": "Oracle._set_project_dir(directory, project_name): "
    "how 1.4 tests give a bare oracle its directory; ours has the same method",
}


def _is_allowed(code, match):
    text = match.group(0)
    attr = text.rsplit(".", 1)[-1].strip("'\"")
    if attr in SHARED_PRIVATE:
        return True
    if text.startswith("self.") and re.search(re.escape(text) + r"\s*=[^=]", code):
        return True  # an attribute the test's own class defines
    line_start = code.rfind("\n", 0, match.start()) + 1
    return bool(_ALLOWED_PRIVATE.search(code[line_start : match.end()]))


def classify(peer_tests_root):
    """{(relpath, test name): reason} for every out-of-scope test."""
    out = {}
    for dirpath, _, files in os.walk(peer_tests_root):
        for file in files:
            if not file.endswith("_test.py"):
                continue
            full = os.path.join(dirpath, file)
            rel = os.path.relpath(full, peer_tests_root)
            for name, text in _test_sources(full).items():
                if rel in OUT_OF_SCOPE_FILES:
                    out[(rel, name)] = OUT_OF_SCOPE_FILES[rel]
                    continue
                if f"{rel}::{name}" in OUT_OF_SCOPE:
                    out[(rel, name)] = OUT_OF_SCOPE[f"{rel}::{name}"]
                    continue
                code = _strip_comments(text)
                for pattern, reason in PRIVATE_PATTERNS:
                    for match in re.finditer(pattern, code):
                        if _is_allowed(code, match):
                            continue
                        out[(rel, name)] = f"{reason}: `{match.group(0)}`"
                        break
                    if (rel, name) in out:
                        break
    return out


_CONFTEST = '''\
"""Written by tools/peer_tests_tuner: our fixtures, the import shim, the
out-of-scope list."""
import json
import os
import sys

sys.path.insert(0, {root!r})
if os.environ.get("PEER_TESTS_TUNER_OURS"):
    # Another checkout of our keras_tuner (e.g. a base commit), measured instead.
    sys.path.insert(0, os.environ["PEER_TESTS_TUNER_OURS"])
from tools.lib import peer_tests_tuner_shim  # noqa: E402

peer_tests_tuner_shim.install()

import keras  # noqa: E402
import pytest  # noqa: E402

_OUT = set(json.load(open(os.path.join(os.path.dirname(__file__), "out_of_scope.json"))))


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(0)
    keras.backend.set_image_data_format("channels_last")
    yield


def pytest_collection_modifyitems(config, items):
    kept, dropped = [], []
    for item in items:
        rel = os.path.relpath(str(item.path), os.path.dirname(__file__))
        name = item.originalname or item.name
        (dropped if rel + "::" + name in _OUT else kept).append(item)
    items[:] = kept
    config.hook.pytest_deselected(items=dropped)
'''


def _copy_tests(peer_src, dest):
    base = os.path.join(peer_src, "keras_tuner")
    if os.path.isdir(os.path.join(base, "src")):
        base = os.path.join(base, "src")
    if not os.path.isdir(base):
        raise SystemExit(f"--peer-src {peer_src!r}: no keras_tuner/ directory there.")
    count = 0
    for dirpath, _, files in os.walk(base):
        for file in files:
            if not file.endswith("_test.py"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, file), base)
            target = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            text = open(os.path.join(dirpath, file)).read()
            with open(target, "w") as f:
                f.write(text.replace("keras_tuner.src.", "keras_tuner."))
            count += 1
    if not count:
        raise SystemExit(f"--peer-src {peer_src!r}: no *_test.py files found.")


def _count_static(path):
    try:
        return max(1, len(_test_sources(path)))
    except SyntaxError:
        return 1


def run(
    peer_src,
    k=None,
    timeout=300,
    show_failures=False,
    list_out=False,
    keep=False,
    large=False,
    ours=None,
):
    work = tempfile.mkdtemp(prefix="peer_tests_tuner_")
    try:
        tests = os.path.join(work, "peer")
        _copy_tests(peer_src, tests)
        out = classify(tests)
        not_run = [] if large else list(LARGE)
        with open(os.path.join(tests, "out_of_scope.json"), "w") as f:
            json.dump([f"{rel}::{name}" for rel, name in out] + not_run, f)
        with open(os.path.join(tests, "conftest.py"), "w") as f:
            f.write(_CONFTEST.format(root=str(workspace.ROOT)))
        with open(os.path.join(work, "pytest.ini"), "w") as f:
            f.write("[pytest]\npython_files = *_test.py\n")
        xml = os.path.join(work, "result.xml")
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            tests,
            "-c",
            os.path.join(work, "pytest.ini"),
            "--rootdir",
            work,
            "--import-mode=importlib",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--continue-on-collection-errors",
            "-q",
            "--no-header",
            "-o",
            "console_output_style=classic",
            f"--timeout={timeout}",
            f"--junitxml={xml}",
            "-W",
            "ignore::DeprecationWarning",
        ]
        for rel in OUT_OF_SCOPE_FILES:
            cmd.append("--ignore=" + os.path.join(tests, rel))
        if k:
            cmd += ["-k", k]
        env = dict(os.environ)
        env.pop("PEER_TESTS_TUNER_OURS", None)
        if ours:
            env["PEER_TESTS_TUNER_OURS"] = os.path.abspath(ours)
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env)
        with open(os.path.join(work, "pytest.log"), "w") as f:
            f.write(proc.stdout + proc.stderr)
        if not os.path.exists(xml):
            print(proc.stdout[-5000:], proc.stderr[-5000:])
            raise SystemExit("pytest produced no result file.")
        passed, failed, skipped, failures = 0, 0, 0, []
        for case in ET.parse(xml).getroot().iter("testcase"):
            kinds = {child.tag for child in case}
            name = f"{case.get('classname')}::{case.get('name')}"
            if "failure" in kinds or "error" in kinds:
                node = case.find("failure")
                if node is None:
                    node = case.find("error")
                message = (node.get("message") or "").splitlines()
                n = 1
                if "collection failure" in (node.get("message") or ""):
                    # A file that fails to import is one error: count its tests.
                    rel = case.get("name", "").replace(".", "/") + ".py"
                    n = _count_static(os.path.join(work, rel))
                failed += n
                failures.append((name, message[0][:300] if message else ""))
            elif "skipped" in kinds:
                skipped += 1
            else:
                passed += 1
        in_scope = passed + failed
        if list_out:
            print("Out of scope (needs a name private in keras-tuner 1.4):")
            for (rel, name), reason in sorted(out.items()):
                print(f"  {rel}::{name}: {reason}")
        if show_failures:
            print("Failed:")
            for name, message in failures:
                print(f"  {name}: {message}")
        rate = 100.0 * passed / in_scope if in_scope else 0.0
        summary = (
            f"passed {passed} / failed {failed} / out of scope {len(out)}"
            f" / skipped by the peer's own marks {skipped}"
        )
        if not_run:
            summary += f" / large, not run {len(not_run)} (--large)"
        print(f"{summary}  (pass rate {rate:.1f}% of {in_scope} in-scope tests)")
        return 0 if failed == 0 else 1
    finally:
        if keep:
            print(f"work directory kept: {work} (pytest output in pytest.log)")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/peer_tests_tuner", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--peer-src", required=True, help="checkout of keras-team/keras-tuner"
    )
    parser.add_argument("-k", default=None, help="pytest -k expression")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per test")
    parser.add_argument("--failures", action="store_true", help="list failed tests")
    parser.add_argument(
        "--large", action="store_true", help=f"also the slow tests: {sorted(LARGE)}"
    )
    parser.add_argument(
        "--ours",
        default=None,
        help="a directory holding another checkout of our keras_tuner package "
        "(e.g. packages/keras-tuner of a base commit) to measure instead",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    parser.add_argument(
        "--list-out-of-scope", action="store_true", help="list excluded tests and why"
    )
    args = parser.parse_args(argv)
    return run(
        args.peer_src,
        args.k,
        args.timeout,
        args.failures,
        args.list_out_of_scope,
        args.keep,
        args.large,
        args.ours,
    )


if __name__ == "__main__":
    sys.exit(main())
