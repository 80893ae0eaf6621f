# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/demo`: runs every end-to-end workflow and prints what each achieved.

    tools/demo                 every workflow under examples/, full settings
    tools/demo --quick         tiny settings (what the tests use)
    tools/demo --only NAME     workflows whose name contains NAME

Each workflow is a module `examples/<package>/<workflow>.py` with a
`main(quick=False)` returning a dict of figures. Each runs in its own
interpreter, so one failure is reported and the others still run. The
demo also validates the RFC folder. Exit status 1 if anything failed.
"""

import argparse
import json
import subprocess
import sys
import time

from tools.lib import workspace

_MARKER = "DEMO_RESULT "
_RUNNER = """
import json, sys
from {module} import main
figures = main(quick={quick})
print({marker!r} + json.dumps(figures, default=str))
"""
# keras-core first: everything builds on it.
_ORDER = [
    "keras_core",
    "keras_applications",
    "keras_preprocessing",
    "keras_cv",
    "keras_nlp",
    "keras_tuner",
]


def discover(only=None):
    found = []
    for path in sorted((workspace.ROOT / "examples").glob("*/*.py")):
        if path.name.startswith("_") or path.name.endswith("_test.py"):
            continue
        module = f"examples.{path.parent.name}.{path.stem}"
        if only and only not in module:
            continue
        found.append(module)
    rank = {name: i for i, name in enumerate(_ORDER)}
    return sorted(found, key=lambda m: (rank.get(m.split(".")[1], len(rank)), m))


def run_workflow(module, quick):
    code = _RUNNER.format(module=module, quick=quick, marker=_MARKER)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=workspace.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    figures = None
    tail = []
    for line in process.stdout:
        if line.startswith(_MARKER):
            figures = json.loads(line[len(_MARKER) :])
            continue
        tail = (tail + [line])[-40:]
        if _is_noise(line):
            continue
        print(f"  | {line}", end="", flush=True)
    status = process.wait()
    seconds = time.perf_counter() - start
    if status != 0 or figures is None:
        return False, seconds, "".join(tail)
    return True, seconds, figures


def _is_noise(line):
    # TensorFlow's start-up chatter says nothing about the workflow.
    return line.startswith(("I0000", "E0000", "W0000", "WARNING: All log messages"))


def check_rfcs():
    """Validates governance/rfcs/; returns (ok, summary)."""
    try:
        from tools.lib import rfc
    except ImportError as error:
        return False, f"RFC checker unavailable: {error}"
    problems = rfc.check_folder()
    count = len(list((workspace.ROOT / "governance" / "rfcs").glob("2*.md")))
    if problems:
        return False, f"{len(problems)} problem(s) in {count} RFCs:\n" + "\n".join(
            f"    {p}" for p in problems
        )
    return True, f"{count} RFCs valid"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/demo", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="tiny settings")
    parser.add_argument(
        "--only", help="run the workflows whose module name contains this"
    )
    args = parser.parse_args(argv)

    results = []
    if not args.only or "rfc" in args.only:
        ok, summary = check_rfcs()
        print(f"== governance: RFC folder check: {summary}")
        results.append(("governance.rfc_check", ok, 0.0, summary))
    modules = discover(args.only)
    if not modules and args.only and "rfc" not in args.only:
        print(f"No workflow matches {args.only!r}. Workflows: {', '.join(discover())}")
        return 1
    for module in modules:
        print(
            f"\n== {module} ({'quick' if args.quick else 'full'} settings)", flush=True
        )
        ok, seconds, figures = run_workflow(module, args.quick)
        if not ok:
            print(f"  FAILED after {seconds:.0f} s; last output:\n{figures}")
        results.append((module, ok, seconds, figures))

    print("\n== summary")
    for name, ok, seconds, figures in results:
        shown = json.dumps(figures) if isinstance(figures, dict) else str(figures)
        print(
            f"  {'PASS' if ok else 'FAIL'}  {name:55s} {seconds:7.1f} s  {shown if ok else ''}"
        )
    failed = [name for name, ok, _, _ in results if not ok]
    if failed:
        print(f"\n{len(failed)} of {len(results)} failed: {', '.join(failed)}")
        return 1
    print(f"\nall {len(results)} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
