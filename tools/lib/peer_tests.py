# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Runs a peer project's own tests against our packages (issues 21 and 22).

    tools/peer_tests <keras-nlp|keras-cv|keras-tuner> --peer-src DIR [--failures]

DIR is a checkout of the peer's sources (e.g. `git archive v0.15.1 | tar -x
-C DIR`). The peer test files in scope are copied to a temporary directory
(nothing of the peer enters this repository), their imports are pointed at
our public names, and pytest runs them in our environment with a plugin from
`tools/lib/peer_shims/` (our stand-ins for the peer's test helpers, import
mapping, out-of-scope marking). Tests that need the peer's private code,
downloads or its own skips are out of scope and listed with the reason.
Prints passed / failed / out of scope per file and in total.

Everything that differs between packages is data in `PACKAGES`: the files
in scope, the import mapping, the out-of-scope rules, the shims (pytest
plugins) and the pytest options; the code below only applies it.
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
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_NLP_DIR = "keras_nlp/src/"
_TUNER_PRIVATE_ATTRIBUTE = r"(?<![\w.])(?:\w+\.)*\w+\._(?!_)[a-zA-Z]\w*"

PACKAGES = {
    # keras-nlp 0.15.1, issue 22: public-API tests of the tokenizers, trainers,
    # packers, masked-LM generator and BERT preprocessors.
    "keras-nlp": {
        "version": "0.15.1",
        # Listed files, staged flat; the import mapping is done at import
        # time by the plugin (a meta-path finder), not by rewriting.
        "files": {
            "list": [
                _NLP_DIR + "tokenizers/word_piece_tokenizer_test.py",
                _NLP_DIR + "tokenizers/word_piece_tokenizer_trainer_test.py",
                _NLP_DIR + "tokenizers/sentence_piece_tokenizer_test.py",
                _NLP_DIR + "tokenizers/sentence_piece_tokenizer_trainer_test.py",
                _NLP_DIR + "layers/preprocessing/multi_segment_packer_test.py",
                _NLP_DIR + "layers/preprocessing/start_end_packer_test.py",
                _NLP_DIR + "layers/preprocessing/masked_lm_mask_generator_test.py",
                _NLP_DIR + "models/bert/bert_tokenizer_test.py",
                _NLP_DIR + "models/bert/bert_text_classifier_preprocessor_test.py",
                _NLP_DIR + "models/bert/bert_masked_lm_preprocessor_test.py",
            ],
        },
        "imports": {
            # Peer module -> {name: (our module, our name)}; {} is a package;
            # None is the test-case module (our stand-in).
            "modules": {
                "keras_nlp.src.tests": {},
                "keras_nlp.src.tests.test_case": None,
                "keras_nlp.src.layers.preprocessing": {},
                "keras_nlp.src.layers.preprocessing.multi_segment_packer": {
                    "MultiSegmentPacker": ("keras_nlp.layers", "MultiSegmentPacker"),
                },
                "keras_nlp.src.layers.preprocessing.start_end_packer": {
                    "StartEndPacker": ("keras_nlp.layers", "StartEndPacker"),
                },
                "keras_nlp.src.layers.preprocessing.masked_lm_mask_generator": {
                    "MaskedLMMaskGenerator": (
                        "keras_nlp.layers",
                        "MaskedLMMaskGenerator",
                    ),
                },
                "keras_nlp.src.tokenizers.word_piece_tokenizer_trainer": {
                    "compute_word_piece_vocabulary": (
                        "keras_nlp.tokenizers",
                        "compute_word_piece_vocabulary",
                    ),
                },
                "keras_nlp.src.tokenizers.sentence_piece_tokenizer_trainer": {
                    "compute_sentence_piece_proto": (
                        "keras_nlp.tokenizers",
                        "compute_sentence_piece_proto",
                    ),
                },
                "keras_nlp.src.models.bert.bert_tokenizer": {
                    "BertTokenizer": ("keras_nlp.models", "BertTokenizer"),
                },
                "keras_nlp.src.models.bert.bert_text_classifier_preprocessor": {
                    "BertTextClassifierPreprocessor": (
                        "keras_nlp.models",
                        "BertTextClassifierPreprocessor",
                    ),
                },
                "keras_nlp.src.models.bert.bert_masked_lm_preprocessor": {
                    "BertMaskedLMPreprocessor": (
                        "keras_nlp.models",
                        "BertMaskedLMPreprocessor",
                    ),
                },
            },
            # Where a name is not in the first namespace, these are tried.
            "fallback_namespaces": ("keras_nlp.preprocessing", "keras_nlp.tokenizers"),
        },
        "out_of_scope": {
            # Peer marks of tests that download presets.
            "markers": ("large", "extra_large", "kaggle_key_required"),
        },
        "shims": ["tools.lib.peer_shims.keras_nlp_plugin"],
        # The plugin writes each outcome to JSON; a file that does not import
        # counts one failure per `def test_` in it.
        "results": "plugin-json",
        "pytest_args": [
            "--noconftest",
            "--continue-on-collection-errors",
            "--import-mode=importlib",
            "-c",
            os.devnull,
        ],
        "timeout": None,
    },
    # keras-cv 0.9.0, issue 21: bounding-box and object-detection layer tests.
    "keras-cv": {
        "version": "0.9.0",
        "files": {
            "globs": [
                "keras_cv/src/bounding_box/*_test.py",
                "keras_cv/src/layers/object_detection/*_test.py",
            ],
        },
        "imports": {
            # Peer import line (regex) -> our import line. An import of
            # `keras_cv` matching none of these puts the file out of scope.
            "rewrite": [
                (
                    r"from keras_cv\.src import bounding_box$",
                    "from keras_cv import bounding_box",
                ),
                (
                    r"from keras_cv\.src\.bounding_box import iou as iou_lib$",
                    "from keras_cv import bounding_box as iou_lib",
                ),
                (
                    r"from keras_cv\.src import layers as (\w+)$",
                    r"from keras_cv import layers as \1",
                ),
                (r"from keras_cv\.src import layers$", "from keras_cv import layers"),
                (
                    r"from keras_cv\.src import backend$",
                    "from tools.lib.peer_shims.keras_cv_test_case import backend",
                ),
                (
                    r"from keras_cv\.src\.backend import ops$",
                    "from tools.lib.peer_shims.keras_cv_test_case import ops",
                ),
                (
                    r"from keras_cv\.src\.backend import random$",
                    "from tools.lib.peer_shims.keras_cv_test_case import random",
                ),
                (
                    r"from keras_cv\.src\.tests\.test_case import TestCase$",
                    "from tools.lib.peer_shims.keras_cv_test_case import TestCase",
                ),
                (
                    r"from keras_cv\.src\.layers\.object_detection\.\w+ import "
                    r"(BoxMatcher|ROIGenerator|ROIPooler|AnchorGenerator|"
                    r"NonMaxSuppression|MultiClassNonMaxSuppression)$",
                    r"from keras_cv.layers import \1",
                ),
            ],
        },
        "out_of_scope": {
            # A file importing one of these private names is out of scope.
            "private_import": (
                r"from keras_cv\.src\.[\w.]+ import \(?\s*(_\w+|balanced_sample)"
            ),
            # A test whose source uses a private name of these modules.
            "private_in_test": r"\b(bounding_box|iou_lib|cv_layers|layers)\._\w+",
            # Tests the peer itself skips under Keras 3 / by default.
            "markers": {
                "tf_keras_only": "Keras 2 only (the peer skips it under Keras 3)",
                "large": "large (the peer skips it without --run_large)",
                "extra_large": "extra large (the peer skips it by default)",
            },
            "known_markers": ("tf_only",),
        },
        "shims": ["tools.lib.peer_shims.keras_cv_plugin"],
        # JUnit XML; a skip is out of scope (tf.test's "Not a test" skip of
        # `test_session` is not counted); a collection error is one failure.
        "results": "junit",
        "junit": {
            "skipped": "out of scope",
            "collection_error": "one",
            "reason_chars": 200,
        },
        "pytest_args": [],
        "timeout": None,
    },
    # keras-tuner 1.4 (1.4.7 / 1.4.8 sources), all its `*_test.py` files.
    "keras-tuner": {
        "version": "1.4",
        # Every test file under keras_tuner/ (or keras_tuner/src/), staged
        # as a tree with the `keras_tuner.src.` prefix dropped.
        "files": {
            "tree": "keras_tuner",
            "tree_src": "keras_tuner/src",
            "strip_prefix": ("keras_tuner.src.", "keras_tuner."),
        },
        "imports": {
            # Peer module name -> {attribute: dotted public name in our package}.
            "public": {
                "keras_tuner.tuners.randomsearch": {
                    "RandomSearch": "keras_tuner.tuners.RandomSearch",
                    "RandomSearchOracle": "keras_tuner.oracles.RandomSearchOracle",
                },
                "keras_tuner.tuners.gridsearch": {
                    "GridSearch": "keras_tuner.tuners.GridSearch",
                    "GridSearchOracle": "keras_tuner.oracles.GridSearchOracle",
                },
                "keras_tuner.tuners.hyperband": {
                    "Hyperband": "keras_tuner.tuners.Hyperband",
                    "HyperbandOracle": "keras_tuner.oracles.HyperbandOracle",
                },
                "keras_tuner.tuners.bayesian": {
                    "BayesianOptimization": "keras_tuner.tuners.BayesianOptimization",
                    "BayesianOptimizationOracle": "keras_tuner.oracles.BayesianOptimizationOracle",
                },
                "keras_tuner.tuners.sklearn_tuner": {
                    "SklearnTuner": "keras_tuner.tuners.SklearnTuner",
                },
                "keras_tuner.engine.base_tuner": {
                    "BaseTuner": "keras_tuner.engine.base_tuner.BaseTuner",
                },
                "keras_tuner.engine.oracle": {
                    "Oracle": "keras_tuner.Oracle",
                    "Objective": "keras_tuner.Objective",
                    "synchronized": "keras_tuner.synchronized",
                },
                "keras_tuner.engine.metrics_tracking": {
                    "infer_metric_direction": (
                        "keras_tuner.engine.metrics_tracking.infer_metric_direction"
                    ),
                },
                "keras_tuner.applications": {
                    "HyperResNet": "keras_tuner.applications.HyperResNet",
                    "HyperXception": "keras_tuner.applications.HyperXception",
                    "HyperEfficientNet": "keras_tuner.applications.HyperEfficientNet",
                    "HyperImageAugment": "keras_tuner.applications.HyperImageAugment",
                },
                "keras_tuner.applications.resnet": {
                    "HyperResNet": "keras_tuner.applications.HyperResNet",
                },
                "keras_tuner.applications.xception": {
                    "HyperXception": "keras_tuner.applications.HyperXception",
                },
                "keras_tuner.applications.efficientnet": {
                    "HyperEfficientNet": "keras_tuner.applications.HyperEfficientNet",
                },
                "keras_tuner.applications.augment": {
                    "HyperImageAugment": "keras_tuner.applications.HyperImageAugment",
                },
            },
            # Peer modules that stand for Keras itself (1.4 switched between Keras 3
            # and tf.keras; Keras 3 is the only case for us).
            "aliases": {
                "keras_tuner.backend.keras": "keras",
                "keras_tuner.backend.ops": "keras.ops",
                "keras_tuner.backend.random": "keras.random",
            },
            # 1.4-internal modules that test files import at the top: empty modules
            # (tests that use them are out of scope) so the file's other tests run.
            "private_modules": (
                "keras_tuner.protos",
                "keras_tuner.utils",
                "keras_tuner.test_utils",
                "keras_tuner.test_utils.mock_distribute",
                "keras_tuner.engine.tuner_utils",
                "keras_tuner.engine.conditions",
                "keras_tuner.engine.hyperparameters.hp_utils",
                "keras_tuner.engine.hyperparameters.hp_types",
                "keras_tuner.distribute.oracle_client",
                "keras_tuner.distribute.oracle_chief",
                "keras_tuner.distribute.utils",
            ),
        },
        "out_of_scope": {
            # Whole test files whose subject is private in keras-tuner 1.4.
            "files": {
                "distribute/oracle_chief_test.py": "gRPC chief process (1.4-internal module and protobuf messages)",
                "distribute/oracle_client_test.py": "gRPC oracle client (1.4-internal module)",
                "distribute/utils_test.py": "1.4-internal distribution helpers",
                "test_utils/mock_distribute_test.py": "1.4's own test helper",
                "engine/conditions_test.py": "`engine.conditions` is 1.4-internal (conditions are public only through `conditional_scope`)",
                "engine/hyperparameters/hp_utils_test.py": "1.4-internal helpers",
                "engine/tuner_utils_test.py": "1.4-internal helpers (`tuner_utils`)",
                "utils_test.py": "1.4-internal helpers (`keras_tuner.utils`)",
                "integration_tests/legacy_import_test.py": "the `kerastuner` import name of keras-tuner < 1.1 (another distribution name)",
            },
            # Single tests, "relative/path.py::test_name" (parameters ignored).
            "tests": {
                "engine/tuner_test.py::test_tuning_correctness": (
                    "patches `keras_tuner.engine.tuner_utils` objects (1.4-internal)"
                ),
            },
            # In scope but slow: run only with --large ("large, not run").
            "large": {
                "integration_tests/end_to_end_test.py::test_end_to_end_workflow": (
                    "20 trials x 10 epochs on 10,000 28x28 images: many minutes on 2 cores"
                ),
            },
            # Test source (with the module-level helpers it calls) that marks
            # a test as needing a 1.4-private name.
            "private_patterns": [
                (
                    r"\bto_proto\b|\bfrom_proto\b|\bprotos\b",
                    "protobuf messages (1.4-internal)",
                ),
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
                (
                    r"\bcreate_objective\b",
                    "`objective.create_objective` (1.4-internal)",
                ),
                (r"\bDisplay\b", "`oracle.Display` (1.4-internal)"),
                (
                    r"\butils\.(?:IS_NOTEBOOK|try_clear|to_list|load_json|create_directory|has_chief_oracle)",
                    "`keras_tuner.utils` (1.4-internal)",
                ),
                (
                    r"\bhp_types\.(?:serialize|deserialize)",
                    "`hp_types` module (1.4-internal)",
                ),
                (r"\bLinkedList\b", "GridSearch's internal linked list"),
                (
                    r"\bbayesian\.(?:sklearn|scipy)\b|\bsklearn_tuner\.sklearn\b",
                    "patches a module global of a 1.4 file",
                ),
                (r"\bconvert_hyperparams_to_hparams\b", "`tuner_utils` (1.4-internal)"),
                # Private attribute or method of a keras-tuner object, read, set or patched.
                (
                    _TUNER_PRIVATE_ATTRIBUTE,
                    "a private attribute (`obj._name`)",
                ),
                (r"[\"']_(?!_)[a-zA-Z]\w*[\"']", "patches a private method by name"),
            ],
            # Private-attribute matches that are Keras' or Python's own.
            "allowed_private": r"\b(?:keras|np|tf|os|sys|mock|pytest)\.[\w.]*\._",
            # 1.4-private names that our classes provide with the same
            # signature and meaning; tests call them only to set up an oracle
            # outside a tuner, so the public behaviour they check stays in scope.
            "shared_private": {
                "_set_project_dir": "Oracle._set_project_dir(directory, project_name): "
                "how 1.4 tests give a bare oracle its directory; ours has the same method",
            },
        },
        "shims": ["tools.lib.peer_shims.keras_tuner_plugin"],
        # JUnit XML; a skip is the peer's own; a file that does not import
        # counts one failure per test function in it.
        "results": "junit",
        "junit": {
            "skipped": "skipped by the peer",
            "collection_error": "static",
            "reason_chars": 300,
        },
        "pytest_args": [
            "--import-mode=importlib",
            "-p",
            "no:randomly",
            "--continue-on-collection-errors",
            "--no-header",
            "-o",
            "console_output_style=classic",
            "-W",
            "ignore::DeprecationWarning",
        ],
        "python_files": "*_test.py",
        "timeout": 300,
    },
}


# --- Files in scope -------------------------------------------------------


def _staged_name(relative):
    """A flat, unique module name for a listed peer test file (keras-nlp)."""
    return "peer_" + relative.replace("/", "__").replace("-", "_")


def rewrite(package, source):
    """The test file with our imports, or (None, reason) if it needs private code."""
    rules = PACKAGES[package]
    private = re.compile(rules["out_of_scope"]["private_import"])
    top = package.replace("-", "_")
    lines = []
    joined = re.sub(r"import \(\s*(\w+),?\s*\)", r"import \1", source)
    for line in joined.splitlines():
        stripped = line.strip()
        if private.match(stripped):
            return None, f"imports private peer code: {stripped}"
        for pattern, replacement in rules["imports"]["rewrite"]:
            if re.match(pattern, stripped):
                line = re.sub(pattern, replacement, stripped)
                break
        else:
            if stripped.startswith(f"from {top}") or stripped.startswith(
                f"import {top}"
            ):
                return None, f"imports a peer module with no public twin: {stripped}"
        lines.append(line)
    return "\n".join(lines) + "\n", None


class Staging:
    """What `stage` put in the work directory, and what it left out."""

    def __init__(self):
        self.staged = {}  # path relative to the work directory -> peer path
        self.missing = []  # listed peer files absent from the checkout
        self.excluded = []  # (peer path, reason): whole files out of scope
        self.out_of_scope = {}  # (peer path, test name) -> reason, not run
        self.not_run = []  # "path::test" in scope but slow (--large)
        self.tests_dir = None


def stage(package, peer_src, work, large=False):
    """Copies the package's peer test files in scope into `work`."""
    files = PACKAGES[package]["files"]
    result = Staging()
    if "list" in files:
        for relative in files["list"]:
            source = os.path.join(peer_src, relative)
            if not os.path.isfile(source):
                result.missing.append(relative)
                continue
            name = _staged_name(relative)
            shutil.copyfile(source, os.path.join(work, name))
            result.staged[name] = relative
    elif "globs" in files:
        for pattern in files["globs"]:
            for path in sorted(Path(peer_src).glob(pattern)):
                relative = str(path.relative_to(peer_src))
                text, reason = rewrite(package, path.read_text())
                if text is None:
                    result.excluded.append((relative, reason))
                    continue
                name = "peer_" + "_".join(Path(relative).parts[-2:])
                (Path(work) / name).write_text(text)
                result.staged[name] = relative
    else:
        _stage_tree(package, peer_src, work, files, result, large)
    return result


def _stage_tree(package, peer_src, work, files, result, large):
    base = os.path.join(peer_src, files["tree_src"])
    if not os.path.isdir(base):
        base = os.path.join(peer_src, files["tree"])
    if not os.path.isdir(base):
        return
    old, new = files["strip_prefix"]
    tests = os.path.join(work, "peer")
    for dirpath, _, names in os.walk(base):
        for file in names:
            if not file.endswith("_test.py"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, file), base)
            target = os.path.join(tests, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(os.path.join(dirpath, file)) as f:
                text = f.read()
            with open(target, "w") as f:
                f.write(text.replace(old, new))
            result.staged[os.path.join("peer", rel)] = rel
    if not result.staged:
        return
    result.tests_dir = tests
    rules = PACKAGES[package]["out_of_scope"]
    result.out_of_scope = classify(package, tests)
    result.excluded = sorted(rules["files"].items())
    result.not_run = [] if large else list(rules["large"])


# --- Out of scope by reading a test's source (keras-tuner) -----------------


def _test_sources(path):
    """{test name: source including the module-level helpers it calls}."""
    with open(path) as f:
        source = f.read()
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


def _is_allowed(rules, code, match):
    text = match.group(0)
    attr = text.rsplit(".", 1)[-1].strip("'\"")
    if attr in rules["shared_private"]:
        return True
    if text.startswith("self.") and re.search(re.escape(text) + r"\s*=[^=]", code):
        return True  # an attribute the test's own class defines
    line_start = code.rfind("\n", 0, match.start()) + 1
    return bool(re.search(rules["allowed_private"], code[line_start : match.end()]))


def classify(package, tests_root):
    """{(relpath, test name): reason} for every out-of-scope test."""
    rules = PACKAGES[package]["out_of_scope"]
    out = {}
    for dirpath, _, files in os.walk(tests_root):
        for file in files:
            if not file.endswith("_test.py"):
                continue
            full = os.path.join(dirpath, file)
            rel = os.path.relpath(full, tests_root)
            for name, text in _test_sources(full).items():
                if rel in rules["files"]:
                    out[(rel, name)] = rules["files"][rel]
                    continue
                if f"{rel}::{name}" in rules["tests"]:
                    out[(rel, name)] = rules["tests"][f"{rel}::{name}"]
                    continue
                code = _strip_comments(text)
                for pattern, reason in rules["private_patterns"]:
                    for match in re.finditer(pattern, code):
                        if _is_allowed(rules, code, match):
                            continue
                        out[(rel, name)] = f"{reason}: `{match.group(0)}`"
                        break
                    if (rel, name) in out:
                        break
    return out


def _count_static(path):
    try:
        return max(1, len(_test_sources(path)))
    except (OSError, SyntaxError):
        return 1


# --- Results ---------------------------------------------------------------


def _peer_file(staging, dotted):
    """The peer path of a JUnit class name or module name."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        candidate = "/".join(parts[:cut]) + ".py"
        if candidate in staging.staged:
            return staging.staged[candidate]
    return dotted


def results_from_plugin(report, staging):
    """[(peer path, test, outcome, reason, count)] from the plugin's JSON."""
    with open(report) as f:
        outcomes = json.load(f)
    results = []
    for nodeid, outcome in outcomes.items():
        name = nodeid.split("::", 1)[0].split("/")[-1]
        relative = staging.staged.get(name, name)
        test = nodeid.split("::", 1)[-1]
        results.append((relative, test, outcome["outcome"], outcome["reason"], 1))
    return results


def results_from_junit(package, report, staging, work):
    """[(peer path, test, outcome, reason, count)] from pytest's JUnit XML."""
    rules = PACKAGES[package]["junit"]
    results = []
    for case in ElementTree.parse(report).iter("testcase"):
        classname, name = case.get("classname") or "", case.get("name") or ""
        relative = _peer_file(staging, classname or name)
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        skipped = case.find("skipped")
        if failure is not None:
            message = failure.get("message") or ""
            count = 1
            if rules["collection_error"] == "static" and (
                "collection failure" in message
            ):
                # A file that fails to import is one error: count its tests.
                count = _count_static(
                    os.path.join(work, name.replace(".", "/") + ".py")
                )
            lines = message.splitlines()
            reason = lines[0][: rules["reason_chars"]] if lines else ""
            results.append((relative, name, "failed", reason, count))
        elif skipped is not None:
            message = skipped.get("message") or ""
            if message.startswith("Not a test"):
                continue  # tf.test.TestCase.test_session
            results.append((relative, name, rules["skipped"], message, 1))
        else:
            results.append((relative, name, "passed", "", 1))
    return results


OUTCOMES = ("passed", "failed", "out of scope", "skipped by the peer")


def summarize(results, staging):
    """Per-file and total counts; out-of-scope tests not run count too."""
    per_file = {
        relative: dict.fromkeys(OUTCOMES, 0) for relative in staging.staged.values()
    }
    for relative, _, outcome, _, count in results:
        per_file.setdefault(relative, dict.fromkeys(OUTCOMES, 0))
        per_file[relative][outcome] += count
    for relative, _ in staging.out_of_scope:
        per_file.setdefault(relative, dict.fromkeys(OUTCOMES, 0))
        per_file[relative]["out of scope"] += 1
    totals = dict.fromkeys(OUTCOMES, 0)
    for counts in per_file.values():
        for key in totals:
            totals[key] += counts[key]
    return per_file, totals


# --- Running ---------------------------------------------------------------


def run(package, peer_src, k=None, timeout=None, large=False, ours=None, keep=False):
    """Stages and runs the peer tests; returns (staging, results, log)."""
    suite = PACKAGES[package]
    work = tempfile.mkdtemp(prefix=f"peer_tests_{package.replace('-', '_')}_")
    try:
        staging = stage(package, peer_src, work, large=large)
        if not staging.staged:
            raise SystemExit(
                f"tools/peer_tests: no {package} test files in scope under "
                f"{peer_src}; pass the root of a {package} {suite['version']} "
                f"checkout (expected {suite['files']})."
            )
        env = dict(os.environ)
        env.setdefault("KERAS_BACKEND", "tensorflow")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p
        )
        env["PEER_SRC"] = peer_src
        env.pop("PEER_TESTS_OURS", None)
        if ours:
            env["PEER_TESTS_OURS"] = os.path.abspath(ours)
        command = [sys.executable, "-m", "pytest", "-q"]
        for plugin in suite["shims"]:
            command += ["-p", plugin]
        command += ["-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", work]
        command += suite["pytest_args"]
        if "python_files" in suite:
            ini = os.path.join(work, "pytest.ini")
            with open(ini, "w") as f:
                f.write(f"[pytest]\npython_files = {suite['python_files']}\n")
            command += ["-c", ini]
        timeout = timeout if timeout is not None else suite["timeout"]
        if timeout:
            command.append(f"--timeout={timeout}")
        if suite["results"] == "plugin-json":
            report = os.path.join(work, "results.json")
            env["PEER_TESTS_REPORT"] = report
        else:
            report = os.path.join(work, "results.xml")
            command.append(f"--junitxml={report}")
        if staging.tests_dir:
            env["PEER_TESTS_DIR"] = staging.tests_dir
            listed = os.path.join(work, "out_of_scope.json")
            with open(listed, "w") as f:
                json.dump(
                    [f"{rel}::{name}" for rel, name in staging.out_of_scope]
                    + staging.not_run,
                    f,
                )
            env["PEER_TESTS_OUT_OF_SCOPE"] = listed
            for rel, _ in staging.excluded:
                command.append("--ignore=" + os.path.join(staging.tests_dir, rel))
            command.append(staging.tests_dir)
        else:
            command += [os.path.join(work, name) for name in sorted(staging.staged)]
        if k:
            command += ["-k", k]
        proc = subprocess.run(
            command, cwd=work, env=env, capture_output=True, text=True
        )
        log = proc.stdout + proc.stderr
        with open(os.path.join(work, "pytest.log"), "w") as f:
            f.write(log)
        if not os.path.isfile(report):
            print(proc.stdout[-5000:], proc.stderr[-5000:])
            raise SystemExit("tools/peer_tests: pytest produced no result file.")
        if suite["results"] == "plugin-json":
            results = results_from_plugin(report, staging)
        else:
            results = results_from_junit(package, report, staging, work)
        return staging, results, log
    finally:
        if keep:
            print(f"work directory kept: {work} (pytest output in pytest.log)")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(package, peer_src, staging, results, failures=False, list_out=False):
    """Prints the per-file and total counts; returns the exit status."""
    per_file, totals = summarize(results, staging)
    print(f"{package}: peer tests ({PACKAGES[package]['version']}) from {peer_src}")
    for relative, counts in sorted(per_file.items()):
        line = (
            f"  {relative}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['out of scope']} out of scope"
        )
        if counts["skipped by the peer"]:
            line += f", {counts['skipped by the peer']} skipped by the peer"
        print(line)
    for relative in staging.missing:
        print(f"  {relative}: not in the checkout")
    for relative, reason in staging.excluded:
        print(f"  {relative}: out of scope (whole file): {reason}")
    if list_out:
        print("Out of scope:")
        for relative, test, outcome, reason, _ in results:
            if outcome == "out of scope":
                print(f"  {relative}::{test}: {reason}")
        for (relative, test), reason in sorted(staging.out_of_scope.items()):
            print(f"  {relative}::{test}: {reason}")
    if failures:
        print("Failed:")
        for relative, test, outcome, reason, _ in results:
            if outcome == "failed":
                print(f"  {relative}::{test}: {reason}")
    in_scope = totals["passed"] + totals["failed"]
    share = 100.0 * totals["passed"] / in_scope if in_scope else 0.0
    out = f"{totals['out of scope']}"
    if staging.excluded and not staging.tests_dir:
        # Files set aside whole before running (their tests are not counted).
        out += f" tests + {len(staging.excluded)} files"
    summary = (
        f"total: passed {totals['passed']} / failed {totals['failed']} / "
        f"out of scope {out}"
    )
    if totals["skipped by the peer"]:
        summary += f" / skipped by the peer's own marks {totals['skipped by the peer']}"
    if staging.not_run:
        summary += f" / large, not run {len(staging.not_run)} (--large)"
    print(f"{summary} ({share:.1f}% of the {in_scope} in-scope tests pass)")
    return 0 if totals["failed"] == 0 else 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/peer_tests", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("package", choices=sorted(PACKAGES))
    parser.add_argument(
        "--peer-src",
        required=True,
        help="root of a checkout of the peer's sources (e.g. keras-nlp v0.15.1)",
    )
    parser.add_argument("-k", default=None, help="pytest -k expression")
    parser.add_argument(
        "--failures", action="store_true", help="list every failed test and why"
    )
    parser.add_argument(
        "--list-out-of-scope",
        action="store_true",
        help="list every out-of-scope test and why",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="also print pytest's own output"
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        help="seconds per test (default: the package's, 300 for keras-tuner)",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="also run the slow tests listed as large (keras-tuner)",
    )
    parser.add_argument(
        "--ours",
        default=None,
        help="keras-tuner: a directory holding another checkout of our "
        "keras_tuner package (e.g. packages/keras-tuner of a base commit) "
        "to measure instead",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    args = parser.parse_args(argv)
    peer_src = os.path.abspath(args.peer_src)
    if not os.path.isdir(peer_src):
        parser.error(f"--peer-src {args.peer_src!r} is not a directory")
    if args.ours and args.package != "keras-tuner":
        parser.error("--ours is only for keras-tuner")
    staging, results, log = run(
        args.package, peer_src, args.k, args.timeout, args.large, args.ours, args.keep
    )
    if args.verbose:
        print(log)
    return report(
        args.package,
        peer_src,
        staging,
        results,
        failures=args.failures or args.verbose,
        list_out=args.list_out_of_scope or args.verbose,
    )


if __name__ == "__main__":
    sys.exit(main())
