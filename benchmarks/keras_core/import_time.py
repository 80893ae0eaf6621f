# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Import time of each package over `import keras` (issue 30: at most +0.1 s).

Configuration (fixed): one interpreter runs `import keras` (the baseline)
once; then for each package, `--runs` (default 5) children forked from it
each run `import <package>`, timing that import alone (wall
`time.perf_counter` and the child's CPU seconds, `time.process_time`) and
counting the modules it added. Figures are the medians over the runs, in
seconds (and modules). Before the measured runs, one unmeasured child
per package writes the bytecode (`.pyc`, under a temporary
`sys.pycache_prefix`) that an installed wheel has, so that the figures do
not include compiling the sources when the checkout runs with
PYTHONDONTWRITEBYTECODE=1. TensorFlow backend; no seed (nothing random).

A forked child starts exactly where a fresh interpreter stands after
`import keras` (same modules loaded, same page cache), so the figure is the
cost added over `import keras` without subtracting two noisy start-up
times, and without paying TensorFlow's import (about 10 CPU seconds) once
per measurement: the earlier version started a fresh interpreter for each
of the 6 x 5 measurements (plus 3 x 5 more for the peer side, which in our
environment re-measured our own packages), about 45 TensorFlow imports per
round, several minutes on a loaded machine. A child that does not finish
within `--timeout` seconds is killed and reported as an error.

    python benchmarks/keras_core/import_time.py --impl ours   # our six packages
    python benchmarks/keras_core/import_time.py --impl peer   # whichever of keras_cv,
                                                             # keras_nlp, keras_tuner,
                                                             # keras_hub the peer env has

What a user compares: the seconds `import keras_cv` (etc.) adds to a
script that already imports Keras (lower is better). On the peer side only
packages installed from elsewhere than this repository count, so `tools/bench
keras_core/import_time --against keras-cv==0.9.0` gives the ratio for
`import_s_keras_cv`; `--against keras` (the peer inside our environment)
reports our figures alone, each of which is already "over import keras".
"""

import argparse
import importlib.util
import json
import os
import pathlib
import select
import shutil
import signal
import statistics
import sys
import tempfile
import time

OURS = (
    "keras_core",
    "keras_cv",
    "keras_nlp",
    "keras_tuner",
    "keras_applications",
    "keras_preprocessing",
)
PEERS = ("keras_cv", "keras_nlp", "keras_tuner", "keras_hub")
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _from_this_repository(package):
    spec = importlib.util.find_spec(package)
    origin = spec.origin or next(iter(spec.submodule_search_locations or []), "")
    return pathlib.Path(origin).resolve().is_relative_to(ROOT / "packages")


def _measure_in_child(package, write_fd):
    try:
        before = len(sys.modules)
        wall, cpu = time.perf_counter(), time.process_time()
        __import__(package)
        report = {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "modules": len(sys.modules) - before,
        }
    except BaseException as error:  # reported to the parent, which raises
        report = {"error": f"{type(error).__name__}: {error}"}
    os.write(write_fd, json.dumps(report).encode())
    os.close(write_fd)
    os._exit(0)


def import_once(package, timeout):
    """Fork; the child imports `package` and reports wall, CPU and modules."""
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _measure_in_child(package, write_fd)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([read_fd], [], [], max(remaining, 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_fd)
            raise RuntimeError(
                f"`import {package}` did not finish within {timeout} s "
                "(killed). Run `python -X importtime -c 'import keras; "
                f"import {package}'` to see where it stops."
            )
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    report = json.loads(b"".join(chunks) or b"{}")
    if "wall" not in report:
        raise RuntimeError(
            f"`import {package}` failed after `import keras`: "
            f"{report.get('error', 'the child exited without a report')}"
        )
    return report


def import_seconds(package, runs, timeout):
    """Median wall seconds, CPU seconds and module count of `import package`.

    An unmeasured first child compiles the package's modules to bytecode
    (an installed wheel has its `.pyc` files); the measured ones load it.
    """
    import_once(package, timeout)
    reports = [import_once(package, timeout) for _ in range(runs)]
    return tuple(
        statistics.median(r[key] for r in reports) for key in ("wall", "cpu", "modules")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    if args.runs < 1:
        raise SystemExit(f"--runs must be at least 1. Received: {args.runs}")
    if args.impl == "ours":
        candidates = OURS
    else:
        candidates = [
            p
            for p in PEERS
            if importlib.util.find_spec(p) is not None and not _from_this_repository(p)
        ]
    packages = [p for p in candidates if importlib.util.find_spec(p) is not None]
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if packages:  # (nothing to measure: no baseline import either)
        import keras  # noqa: F401  (the baseline every child starts from)

    # Bytecode: a user's installed packages have `.pyc` files, while this
    # checkout may run with PYTHONDONTWRITEBYTECODE (then every import
    # compiles the sources, which is most of the figure). The children write
    # and read bytecode under a temporary prefix, leaving the checkout alone.
    prefix = tempfile.mkdtemp(prefix="import_time_pycache_")
    sys.pycache_prefix, sys.dont_write_bytecode = prefix, False

    figures = {}
    try:
        for package in packages:
            wall, cpu, modules = import_seconds(package, args.runs, args.timeout)
            figures[f"import_s_{package}"] = round(wall, 4)
            figures[f"import_cpu_s_{package}"] = round(cpu, 4)
            figures[f"import_modules_{package}"] = modules
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    print(
        json.dumps(
            {
                "benchmark": "import_time",
                "impl": args.impl,
                "config": {
                    "runs": args.runs,
                    "baseline": "import keras",
                    "method": "fork after import keras; bytecode cached",
                },
                "figures": figures,
                "higher_is_better": {key: False for key in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
