# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`import <package>` pulls in no heavy module beyond what `import keras` did.

A module-set check, not a timing (timings are meaningless on a shared
machine): in a fresh interpreter, after `import keras`, each package is
imported in turn and the modules it added are compared with a list of
libraries that cost tenths of a second to import and that no package needs
until a feature runs (tensorflow-text's op libraries, keras_applications'
model zoo, PIL, pandas, scipy, ...). Issue 30's goal is at most +0.1 s over
`import keras` per package; `benchmarks/keras_core/import_time.py` measures it.
"""

import json
import os
import subprocess
import sys
import textwrap

from tools.lib import workspace

# Top-level modules that must stay unimported after `import <package>`.
HEAVY = (
    "tensorflow_text",
    "tensorflow_datasets",
    "keras_applications",
    "keras_hub",
    "PIL",
    "pandas",
    "scipy",
    "sklearn",
    "ray",
    "huggingface_hub",
    "safetensors",
    "sentencepiece",
    "pycocotools",
    "hypothesis",
    "matplotlib",
    "xml.etree",
)

# keras_applications last: importing it is allowed to load what it needs.
ORDER = (
    "keras_core",
    "keras_preprocessing",
    "keras_tuner",
    "keras_nlp",
    "keras_cv",
    "keras_applications",
)

_CHILD = textwrap.dedent(
    """
    import importlib, json, sys
    import keras

    heavy, order = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    report = {}
    for package in order:
        before = set(sys.modules)
        importlib.import_module(package)
        added = set(sys.modules) - before
        report[package] = sorted(
            h for h in heavy
            if h != package and any(m == h or m.startswith(h + ".") for m in added)
        )
    print(json.dumps(report))
    """
)


def test_importing_a_package_imports_no_heavy_module():
    names = {p.import_name for p in workspace.packages()}
    assert set(ORDER) == names, f"update ORDER for the packages {sorted(names)}"
    env = dict(os.environ, KERAS_BACKEND="tensorflow", PYTHONPATH=str(workspace.ROOT))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(HEAVY), json.dumps(ORDER)],
        capture_output=True,
        text=True,
        env=env,
        cwd=workspace.ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    offenders = {package: heavy for package, heavy in report.items() if heavy}
    assert not offenders, (
        "These packages import heavy modules at import time (import them "
        f"where they are used instead): {offenders}"
    )
