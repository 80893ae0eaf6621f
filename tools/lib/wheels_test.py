# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Our wheels install cleanly and never resolve to the PyPI projects that
share our names (keras-core 0.1.x, keras-cv 0.9, keras-tuner 1.4, ...).

The large tests do what a new user does: `tools/wheels` in a fresh clone
(no `.tools/`, no `.venv/`), then, for each package, a fresh virtual
environment with only the install lines its README gives
(`pip install --find-links dist keras-cv`), in which the README's code runs.
"""

import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import zipfile

import pytest

from tools.lib import readme_examples
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
    _run("tools/wheels", "--out-dir", str(dist))
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


@pytest.mark.large  # default-suite time budget
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


def _clean_env(**extra):
    """The caller's environment without what points into this workspace."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("UV_", "VIRTUAL_ENV", "PYTHONPATH", "KERAS_", "TOOLS_"))
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def fresh_clone_wheels(tmp_path_factory):
    """`tools/wheels` in a copy of the repository's files with no `.tools/`."""
    clone = tmp_path_factory.mktemp("clone")
    files = _run(
        "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"
    ).split("\0")
    for name in filter(None, files):
        source = workspace.ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    assert not (clone / ".tools").exists() and not (clone / ".venv").exists()
    result = subprocess.run(
        ["tools/wheels"], cwd=clone, capture_output=True, text=True, env=_clean_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pip install --find-links dist keras-cv" in result.stdout
    assert not (clone / ".venv").exists(), "tools/wheels must not create .venv"
    yield clone / "dist"
    shutil.rmtree(clone, ignore_errors=True)


@pytest.mark.large
def test_tools_wheels_builds_every_wheel_in_a_fresh_clone(fresh_clone_wheels):
    built = sorted(p.name for p in fresh_clone_wheels.glob("*.whl"))
    expected = sorted(
        f"{p.import_name}-{p.version}-py3-none-any.whl" for p in workspace.packages()
    )
    assert built == expected


# Runs a README's Python blocks in order, in one namespace, in the fresh
# environment (the repository is not on the path), then says where each
# package was imported from.
_README_RUNNER = """
import importlib, json, sys
blocks = json.loads(open(sys.argv[1]).read())
namespace = {"__name__": "readme"}
for name, code in blocks:
    exec(compile(code, name, "exec"), namespace)
print("IMPORTED " + json.dumps(
    {m: importlib.import_module(m).__file__ for m in sys.argv[2:]}
))
"""


@pytest.mark.large
@pytest.mark.parametrize("package", [p.dist_name for p in workspace.packages()])
def test_readme_install_line_and_example_in_a_fresh_venv(
    package, fresh_clone_wheels, tmp_path
):
    readme = (workspace.get_package(package).directory / "README.md").read_text()
    lines = readme_examples.install_lines(readme)
    assert lines and lines[0] == f"{readme_examples.INSTALL_PREFIX}{package}", (
        f"{package}/README.md must give `{readme_examples.INSTALL_PREFIX}{package}` "
        f"in a ```bash block; found {lines}"
    )
    # The README's commands run where `dist` is the freshly built wheels.
    (tmp_path / "dist").symlink_to(fresh_clone_wheels)
    venv = tmp_path / "venv"
    try:
        _run(sys.executable, "-m", "venv", str(venv))
        python = str(venv / "bin" / "python")
        env = _clean_env(TF_CPP_MIN_LOG_LEVEL="3")
        for line in lines:
            words = shlex.split(line)
            assert words[:2] == ["pip", "install"]
            result = subprocess.run(
                [python, "-m", "pip", *words[1:], "--quiet"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                env=env,
            )
            assert result.returncode == 0, f"{line}:\n{result.stderr[-3000:]}"
        blocks = (
            [(f"<{package}/README.md prelude>", readme_examples.PRELUDES[package])]
            if package in readme_examples.PRELUDES
            else []
        )
        blocks += [
            (f"<{package}/README.md block {i}>", code)
            for i, code in enumerate(readme_examples.python_blocks(readme))
        ]
        assert len(blocks) >= 1
        (tmp_path / "blocks.json").write_text(json.dumps(blocks))
        (tmp_path / "runner.py").write_text(_README_RUNNER)
        work = tmp_path / "work"
        work.mkdir()
        import_name = package.replace("-", "_")
        result = subprocess.run(
            [
                python,
                str(tmp_path / "runner.py"),
                str(tmp_path / "blocks.json"),
                import_name,
                "keras_core",
            ],
            cwd=work,
            capture_output=True,
            text=True,
            env={**env, "KERAS_BACKEND": "tensorflow"},
            timeout=1800,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
        line = [x for x in result.stdout.splitlines() if x.startswith("IMPORTED ")]
        imported = json.loads(line[-1][len("IMPORTED ") :])
        for module, location in imported.items():
            assert pathlib.Path(location).is_relative_to(venv), (module, location)
    finally:
        shutil.rmtree(venv, ignore_errors=True)  # ~2 GB each
