# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Our wheels install cleanly and never resolve to the PyPI projects that
share our names (keras-core 0.1.x, keras-cv 0.9, keras-tuner 1.4, ...)."""

import pathlib
import subprocess
import sys
import zipfile

import pytest

from tools.lib import workspace


def _uv():
    found = sorted((workspace.ROOT / ".tools").glob("uv-*/bin/uv"))
    if not found:
        pytest.fail(
            "uv is missing from .tools/: run any tools/ command first (tools/test does)."
        )
    return str(found[-1])


def _run(*args, **kwargs):
    result = subprocess.run(
        args, capture_output=True, text=True, cwd=workspace.ROOT, **kwargs
    )
    assert result.returncode == 0, (
        f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    _run(_uv(), "build", "--all-packages", "--wheel", "--out-dir", str(dist), "--quiet")
    return dist


def test_every_package_builds_a_wheel_without_tests(wheels):
    built = {p.name.split("-")[0]: p for p in wheels.glob("*.whl")}
    assert set(built) == {p.import_name for p in workspace.packages()}
    for name, wheel in built.items():
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
        leaked = [
            n
            for n in names
            if n.endswith("_test.py") or "/testdata/" in n or n.endswith("conftest.py")
        ]
        assert not leaked, f"{wheel.name} ships test files: {leaked[:5]}"
        assert f"{name}/__init__.py" in names


def test_keras_cv_installs_from_our_wheels_only(wheels, tmp_path):
    venv = tmp_path / "venv"
    _run(_uv(), "venv", "--quiet", "--python", sys.executable, str(venv))
    python = str(venv / "bin" / "python")
    # Third-party dependencies, pinned by uv.lock (served from uv's cache).
    requirements = tmp_path / "third_party.txt"
    requirements.write_text(
        _run(
            _uv(),
            "export",
            "--quiet",
            "--frozen",
            "--all-packages",
            "--no-dev",
            "--no-emit-workspace",
            "--no-hashes",
            "--no-header",
        )
    )
    _run(
        _uv(), "pip", "install", "--quiet", "--python", python, "-r", str(requirements)
    )
    # Our packages: no index at all, so they can only come from the wheels.
    _run(
        _uv(),
        "pip",
        "install",
        "--quiet",
        "--python",
        python,
        "--no-index",
        "--find-links",
        str(wheels),
        "keras-cv",
    )
    report = _run(
        python,
        "-c",
        (
            "import importlib.metadata as m, keras_cv, keras_core, keras_applications\n"
            "print(m.version('keras-cv'), m.version('keras-core'), m.version('keras-applications'))\n"
            "print(keras_cv.__version__, keras_core.__version__)\n"
            "print(keras_core.__file__)"
        ),
        env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    versions, imported, location = report.strip().splitlines()[-3:]
    expected = {p.dist_name: p.version for p in workspace.packages()}
    assert versions.split() == [
        expected["keras-cv"],
        expected["keras-core"],
        expected["keras-applications"],
    ]
    assert imported.split() == [expected["keras-cv"], expected["keras-core"]]
    assert pathlib.Path(location).is_relative_to(venv), (
        "keras_core must come from the venv, not the workspace"
    )


def test_resolution_with_pypi_in_view_still_picks_ours(wheels, tmp_path):
    """With PyPI and our wheels both visible, every workspace name resolves
    to our version: the ranges we declare cannot be met by PyPI's releases."""
    out = _run(
        _uv(),
        "pip",
        "compile",
        "--quiet",
        "--no-header",
        "--python-version",
        "3.11",
        "--find-links",
        str(wheels),
        "-",
        input="keras-cv\nkeras-nlp\nkeras-tuner\nkeras-preprocessing\n",
    )
    pins = dict(
        line.split("==")
        for line in out.splitlines()
        if "==" in line and not line.startswith(" ")
    )
    for package in workspace.packages():
        assert pins.get(package.dist_name) == package.version, (
            package.dist_name,
            pins.get(package.dist_name),
        )
