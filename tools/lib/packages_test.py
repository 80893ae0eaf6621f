# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Every workspace package imports and reports the version it declares."""

import importlib
from importlib import metadata

import pytest

from tools.lib import workspace

PACKAGES = workspace.packages()


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.dist_name)
def test_imports_and_reports_its_version(package):
    module = importlib.import_module(package.import_name)
    assert module.__version__ == package.version
    assert metadata.version(package.dist_name) == package.version


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.dist_name)
def test_has_readme_changelog_and_api_snapshot(package):
    for name in ("README.md", "CHANGELOG.md", "api.txt"):
        assert (package.directory / name).is_file(), f"{package.dist_name} lacks {name}"
    changelog = (package.directory / "CHANGELOG.md").read_text()
    assert "## Unreleased" in changelog


def test_versions_cannot_be_confused_with_pypi_projects():
    """PyPI's same-named projects top out below these (keras-core 0.1.7,
    keras-cv 0.9.0, keras-nlp 0.32.0, keras-tuner 1.4.8,
    keras-applications 1.0.8, keras-preprocessing 1.1.2)."""
    from packaging.version import Version

    pypi_latest = {
        "keras-core": "0.1.7",
        "keras-cv": "0.9.0",
        "keras-nlp": "0.32.0",
        "keras-tuner": "1.4.8",
        "keras-applications": "1.0.8",
        "keras-preprocessing": "1.1.2",
    }
    for package in PACKAGES:
        assert (
            Version(package.version).major
            > Version(pypi_latest[package.dist_name]).major
        )
        for requirement in package.dependencies:
            name = requirement.split(">")[0].split("=")[0].split("<")[0].strip()
            if name in pypi_latest:
                lowest = requirement.split(">=")[1].split(",")[0]
                assert Version(lowest) > Version(pypi_latest[name]), requirement
