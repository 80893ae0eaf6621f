# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import os
import subprocess
import sys
import tomllib

import pytest

from keras_core.src.compat import require_keras_core
from tools.lib import workspace


def test_accepts_a_version_inside_the_range():
    require_keras_core("keras-cv", "2.0.0", ">=1.0,<2", core_version="1.4.2")


@pytest.mark.parametrize("core_version", ["0.1.7", "2.0.0", "3.1"])
def test_rejects_versions_outside_the_range_naming_both(core_version):
    with pytest.raises(ImportError) as info:
        require_keras_core("keras-cv", "2.0.0", ">=1.0,<2", core_version=core_version)
    message = str(info.value)
    assert f"keras-core {core_version} is installed" in message
    assert "keras-cv 2.0.0 requires keras-core>=1.0,<2" in message
    assert "pip install" in message


def test_invalid_requirement_is_a_value_error():
    with pytest.raises(ValueError, match="invalid keras-core requirement"):
        require_keras_core("keras-cv", "2.0.0", "one point oh")


@pytest.mark.parametrize(
    "package",
    [p for p in workspace.packages() if p.dist_name != "keras-core"],
    ids=lambda p: p.dist_name,
)
def test_guard_range_matches_pyproject(package):
    """The import-time guard checks the same range that pip resolves."""
    with open(package.directory / "pyproject.toml", "rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    declared = [d for d in deps if d.replace(" ", "").startswith("keras-core")]
    assert len(declared) == 1, f"{package.dist_name} must depend on keras-core once"
    namespace = {}
    exec(package.version_file.read_text(), namespace)
    assert (
        declared[0].replace(" ", "")
        == "keras-core" + namespace["KERAS_CORE_REQUIREMENT"]
    )


def _import_in_subprocess(setup):
    """Imports keras_tuner in a fresh interpreter after `setup` ran."""
    code = f"{setup}\ntry:\n    import keras_tuner\nexcept ImportError as e:\n    print('ImportError:', e)\nelse:\n    print('imported')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(workspace.ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_domain_package_import_fails_next_to_an_incompatible_core():
    output = _import_in_subprocess(
        "import keras_core.src.compat as c; c.__version__ = '2.3.0'"
    )
    assert "ImportError: keras-tuner 2.0.0 requires keras-core>=1.0,<2" in output
    assert "keras-core 2.3.0 is installed" in output


def test_domain_package_import_fails_next_to_the_unrelated_pypi_core():
    # The PyPI project `keras-core` (0.1.x) has no `keras_core.src.compat`.
    output = _import_in_subprocess(
        "import sys; sys.modules['keras_core.src.compat'] = None"
    )
    assert "needs keras-core>=1.0,<2 from the same project" in output


@pytest.mark.large  # default-suite time budget
def test_domain_package_imports_next_to_this_core():
    assert _import_in_subprocess("pass").strip().endswith("imported")
