# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Runs a peer project's public-API tests against our packages.

`tools/peer_tests keras-nlp --peer-src DIR` copies the listed test files of
a peer checkout (e.g. keras-nlp 0.15.1) into a temporary directory (never
into this repository), runs them with pytest in our environment, with a
plugin (`tools/lib/peer_shims/`) that maps the peer's import paths onto our
public names and provides our own stand-in for the peer's test base class,
and prints, per file and in total, how many tests passed, failed, or are
out of scope (they need downloaded presets or are marked large).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Peer test files (relative to the peer checkout) per package, as listed in
# issue 22: public-API tests of the tokenizers, trainers, packers, masked-LM
# generator and BERT preprocessors.
SUITES = {
    "keras-nlp": {
        "plugin": "tools.lib.peer_shims.keras_nlp_plugin",
        "files": [
            "keras_nlp/src/tokenizers/word_piece_tokenizer_test.py",
            "keras_nlp/src/tokenizers/word_piece_tokenizer_trainer_test.py",
            "keras_nlp/src/tokenizers/sentence_piece_tokenizer_test.py",
            "keras_nlp/src/tokenizers/sentence_piece_tokenizer_trainer_test.py",
            "keras_nlp/src/layers/preprocessing/multi_segment_packer_test.py",
            "keras_nlp/src/layers/preprocessing/start_end_packer_test.py",
            "keras_nlp/src/layers/preprocessing/masked_lm_mask_generator_test.py",
            "keras_nlp/src/models/bert/bert_tokenizer_test.py",
            "keras_nlp/src/models/bert/bert_text_classifier_preprocessor_test.py",
            "keras_nlp/src/models/bert/bert_masked_lm_preprocessor_test.py",
        ],
    },
}


def _staged_name(relative):
    """A flat, unique module name for a peer test file."""
    return "peer_" + relative.replace("/", "__").replace("-", "_")


def stage(package, peer_src, directory):
    """Copies the suite's peer test files into `directory`.

    Returns a dict from staged file name to the peer's relative path, and
    the list of listed files missing from the checkout.
    """
    staged, missing = {}, []
    for relative in SUITES[package]["files"]:
        source = os.path.join(peer_src, relative)
        if not os.path.isfile(source):
            missing.append(relative)
            continue
        name = _staged_name(relative)
        shutil.copyfile(source, os.path.join(directory, name))
        staged[name] = relative
    return staged, missing


def summarize(results, staged):
    """Per-file and total counts from the plugin's JSON results."""
    per_file = {
        relative: {"passed": 0, "failed": 0, "out of scope": 0}
        for relative in staged.values()
    }
    failures = []
    for nodeid, outcome in results.items():
        name = nodeid.split("::", 1)[0].split("/")[-1]
        relative = staged.get(name, name)
        per_file.setdefault(relative, {"passed": 0, "failed": 0, "out of scope": 0})
        per_file[relative][outcome["outcome"]] += 1
        if outcome["outcome"] == "failed":
            failures.append((relative, nodeid.split("::", 1)[-1], outcome["reason"]))
        elif outcome["outcome"] == "out of scope":
            failures.append((relative, nodeid.split("::", 1)[-1], outcome["reason"]))
    totals = {"passed": 0, "failed": 0, "out of scope": 0}
    for counts in per_file.values():
        for key in totals:
            totals[key] += counts[key]
    return per_file, totals, failures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/peer_tests", description=__doc__)
    parser.add_argument("package", choices=sorted(SUITES))
    parser.add_argument(
        "--peer-src",
        required=True,
        help="a checkout of the peer's sources (e.g. keras-nlp v0.15.1)",
    )
    parser.add_argument("-k", default=None, help="pytest -k expression")
    parser.add_argument(
        "--verbose", action="store_true", help="list every failing test and why"
    )
    args = parser.parse_args(argv)
    peer_src = os.path.abspath(args.peer_src)
    if not os.path.isdir(peer_src):
        parser.error(f"--peer-src {args.peer_src!r} is not a directory")
    suite = SUITES[args.package]
    with tempfile.TemporaryDirectory(prefix="peer_tests_") as directory:
        staged, missing = stage(args.package, peer_src, directory)
        if not staged:
            parser.error(
                f"none of the {args.package} test files were found under "
                f"{peer_src}; pass the root of a checkout (it holds keras_nlp/)."
            )
        report = os.path.join(directory, "results.json")
        env = dict(os.environ)
        env["PEER_SRC"] = peer_src
        env["PEER_TESTS_REPORT"] = report
        env.setdefault("KERAS_BACKEND", "tensorflow")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            suite["plugin"],
            "--noconftest",
            "--continue-on-collection-errors",
            "--import-mode=importlib",
            "--rootdir",
            directory,
            "-c",
            os.devnull,
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
        ]
        if args.k:
            command += ["-k", args.k]
        command += [os.path.join(directory, name) for name in sorted(staged)]
        subprocess.run(command, env=env, cwd=directory, stdout=subprocess.DEVNULL)
        if not os.path.isfile(report):
            print("tools/peer_tests: pytest did not run (see its output).")
            return 1
        with open(report) as f:
            results = json.load(f)
    per_file, totals, failures = summarize(results, staged)
    print(f"{args.package}: peer tests from {peer_src}")
    for relative, counts in sorted(per_file.items()):
        print(
            f"  {relative}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['out of scope']} out of scope"
        )
    for relative in missing:
        print(f"  {relative}: not in the checkout")
    in_scope = totals["passed"] + totals["failed"]
    share = 100.0 * totals["passed"] / in_scope if in_scope else 0.0
    print(
        f"total: {totals['passed']} passed, {totals['failed']} failed, "
        f"{totals['out of scope']} out of scope; {share:.1f}% of in-scope "
        "tests pass"
    )
    if args.verbose:
        for relative, test, reason in failures:
            print(f"  {relative}::{test}: {reason}")
    return 0 if totals["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
