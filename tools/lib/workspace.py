# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Facts about the workspace: where it is and which packages it holds."""

import dataclasses
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES_DIR = ROOT / "packages"


@dataclasses.dataclass(frozen=True)
class Package:
    dist_name: str  # keras-cv
    directory: pathlib.Path  # packages/keras-cv

    @property
    def import_name(self):
        return self.dist_name.replace("-", "_")

    @property
    def source_dir(self):
        return self.directory / self.import_name

    @property
    def pyproject(self):
        with open(self.directory / "pyproject.toml", "rb") as f:
            return tomllib.load(f)

    @property
    def dependencies(self):
        return list(self.pyproject["project"].get("dependencies", []))

    @property
    def version_file(self):
        return self.source_dir / "src" / "version.py"

    @property
    def version(self):
        namespace = {}
        exec(
            self.version_file.read_text(), namespace
        )  # our own file, plain assignments
        return namespace["__version__"]


def packages():
    """All workspace packages, keras-core first, then by name."""
    found = [
        Package(p.name, p)
        for p in sorted(PACKAGES_DIR.iterdir())
        if (p / "pyproject.toml").is_file()
    ]
    return sorted(found, key=lambda p: (p.dist_name != "keras-core", p.dist_name))


def get_package(name):
    """Finds a package by distribution or import name; ValueError otherwise."""
    for package in packages():
        if name in (package.dist_name, package.import_name):
            return package
    known = ", ".join(p.dist_name for p in packages())
    raise ValueError(f"Unknown package {name!r}. Workspace packages: {known}.")
