# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Optional dependencies are extras: every package imports without them, and
each feature that needs one names the extra and the line that installs it."""

import json
import os
import subprocess
import sys
import tomllib

import pytest

from tools.lib import workspace

# (package, extra) -> (the module it provides, code that uses the feature)
FEATURES = {
    ("keras-core", "hub"): (
        "huggingface_hub",
        "keras_core.presets.resolve_file('hf://someone/model', 'config.json')",
    ),
    ("keras-cv", "tfds"): (
        "tensorflow_datasets",
        "keras_cv.datasets.coco.load('validation', data_dir=TMP)",
    ),
    ("keras-cv", "pandas"): (
        "pandas",
        "keras_cv.datasets.load_csv(os.path.join(TMP, 'boxes.csv'))",
    ),
    ("keras-nlp", "tfds"): (
        "tensorflow_datasets",
        "keras_nlp.datasets.load_imdb_reviews('test', data_dir=TMP, download=False)",
    ),
    ("keras-tuner", "tensorboard"): (
        "tensorboard",
        "kt.RandomSearch(lambda hp: keras.Sequential([keras.Input((1,)), "
        "keras.layers.Dense(1)]), objective='loss', max_trials=1, directory=TMP)"
        ".search(np.zeros((2, 1)), np.zeros((2, 1)), verbose=0, "
        "callbacks=[keras.callbacks.TensorBoard(TMP)])",
    ),
    ("keras-tuner", "ray"): ("ray", "kt.distribute.RayBackend().connect()"),
    ("keras-tuner", "sklearn"): (
        "sklearn",
        "kt.SklearnTuner(oracle=kt.oracles.RandomSearchOracle("
        "objective=kt.Objective('score', 'max'), max_trials=1), "
        "hypermodel=lambda hp: None, directory=TMP)",
    ),
}

# Runs in a fresh interpreter: the optional modules cannot be imported
# (`sys.modules[name] = None` makes `import name` raise ImportError), every
# package imports, and each feature raises an ImportError whose message is
# printed as JSON.
_SCRIPT = """
import json, os, sys, tempfile
for name in {blocked!r}:
    sys.modules[name] = None
import numpy as np
import keras
import keras_core, keras_cv, keras_nlp, keras_applications, keras_preprocessing
import keras_tuner as kt
TMP = tempfile.mkdtemp()
results = {{}}
for key, code in {features!r}:
    try:
        exec(code)
        results[key] = "no error"
    except ImportError as error:
        results[key] = str(error)
    except Exception as error:
        results[key] = f"{{type(error).__name__}}: {{error}}"
print("RESULTS " + json.dumps(results))
"""


def _extras(dist_name):
    package = workspace.get_package(dist_name)
    return package.pyproject["project"].get("optional-dependencies", {})


def test_each_extra_is_declared_and_installed_in_the_dev_environment():
    with open(workspace.ROOT / "pyproject.toml", "rb") as f:
        root = tomllib.load(f)
    installed = {}  # dist name -> extras the workspace root installs
    for requirement in root["project"]["dependencies"]:
        name, _, extras = requirement.partition("[")
        installed[name] = set(extras.rstrip("]").split(",")) if extras else set()
    for dist_name, extra in FEATURES:
        assert extra in _extras(dist_name), f"{dist_name}[{extra}] is not declared"
        assert extra in installed.get(dist_name, set()), (
            f"the workspace root must install {dist_name}[{extra}] for the tests"
        )
    # And no hard dependency is one of the optional modules.
    optional = {"tensorflow-datasets", "tensorboard", "ray", "scikit-learn"}
    for package in workspace.packages():
        names = {
            d.split(">")[0].split("<")[0].split("=")[0] for d in package.dependencies
        }
        assert not names & optional, (package.dist_name, names & optional)


@pytest.mark.large  # a fresh interpreter imports every package (~30 s under load)
def test_every_package_imports_without_its_extras_and_names_the_missing_one():
    blocked = sorted({module for module, _ in FEATURES.values()})
    features = [(f"{d}[{e}]", code) for (d, e), (_, code) in FEATURES.items()]
    script = _SCRIPT.format(blocked=blocked, features=features)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=workspace.ROOT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    line = [x for x in result.stdout.splitlines() if x.startswith("RESULTS ")][-1]
    results = json.loads(line[len("RESULTS ") :])
    for (dist_name, extra), _ in FEATURES.items():
        message = results[f"{dist_name}[{extra}]"]
        assert f'pip install "{dist_name}[{extra}]"' in message, (
            f"{dist_name}[{extra}]: {message}"
        )
