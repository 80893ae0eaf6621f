# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Import time of each package over `import keras` (issue 30: at most +0.1 s).

Configuration (fixed): for each package, `--runs` (default 5) fresh
interpreters each run `import keras` and then `import <package>`, timing
the second import alone (wall `time.perf_counter` and the process's CPU
seconds, `time.process_time`); figures are the median over the runs, in
seconds. TensorFlow backend; no seed (nothing random). Timing inside one
interpreter measures exactly the cost added over `import keras`, without
subtracting two noisy process start-up times.

    python benchmarks/keras_core/import_time.py --impl ours   # our six packages
    python benchmarks/keras_core/import_time.py --impl peer   # whichever of keras_cv,
                                                             # keras_nlp, keras_tuner,
                                                             # keras_hub the peer env has

What a user compares: the seconds `import keras_cv` (etc.) adds to a
script that already imports Keras (lower is better). In a peer's
environment only the peer's packages are reported, so `tools/bench
keras_core/import_time --against keras-cv==0.9.0` gives the ratio for
`import_s_keras_cv`.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import textwrap

OURS = (
    "keras_core",
    "keras_cv",
    "keras_nlp",
    "keras_tuner",
    "keras_applications",
    "keras_preprocessing",
)
PEERS = ("keras_cv", "keras_nlp", "keras_tuner", "keras_hub")

_CHILD = textwrap.dedent(
    """
    import json, sys, time
    import keras
    wall, cpu = time.perf_counter(), time.process_time()
    __import__(sys.argv[1])
    print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
    """
)


def import_seconds(package, runs):
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    walls, cpus = [], []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, package],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        wall, cpu = json.loads(result.stdout.strip().splitlines()[-1])
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["ours", "peer"], default="ours")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.runs < 1:
        raise SystemExit(f"--runs must be at least 1. Received: {args.runs}")
    candidates = OURS if args.impl == "ours" else PEERS
    packages = [p for p in candidates if importlib.util.find_spec(p) is not None]
    figures = {}
    for package in packages:
        wall, cpu = import_seconds(package, args.runs)
        figures[f"import_s_{package}"] = wall
        figures[f"import_cpu_s_{package}"] = cpu
    print(
        json.dumps(
            {
                "benchmark": "import_time",
                "impl": args.impl,
                "config": {"runs": args.runs, "baseline": "import keras"},
                "figures": figures,
                "higher_is_better": {key: False for key in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
