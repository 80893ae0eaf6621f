# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Import-time check that a domain package runs on a keras-core it supports."""

from packaging.specifiers import InvalidSpecifier
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from keras_core.src.api_export import api_export
from keras_core.src.version import __version__


@api_export(
    "keras_core.require_keras_core", stability="stable", rfc="20261122-keras-core"
)
def require_keras_core(package, package_version, requirement, core_version=None):
    """Raises `ImportError` unless keras-core satisfies `requirement`.

    Each domain package calls this first thing on import, with the same
    range its `pyproject.toml` declares, so that a mismatched install
    fails at once with both versions named instead of later with an
    obscure `AttributeError`.

    Args:
        package: the distribution name of the caller, e.g. `"keras-cv"`.
        package_version: the caller's version string.
        requirement: a PEP 440 specifier such as `">=1.0,<2"`.
        core_version: the keras-core version to check; defaults to the
            installed one (used by tests).

    Examples:

    >>> from keras_core import require_keras_core
    >>> require_keras_core("my-package", "1.0.0", ">=1.0,<2")
    >>> require_keras_core("my-package", "1.0.0", ">=1.0,<2", core_version="2.1.0")
    Traceback (most recent call last):
    ...
    ImportError: my-package 1.0.0 requires keras-core>=1.0,<2, but keras-core 2.1.0 is installed. ...
    """
    core_version = __version__ if core_version is None else core_version
    try:
        specifier = SpecifierSet(requirement)
    except InvalidSpecifier as error:
        raise ValueError(
            f"{package} declares an invalid keras-core requirement "
            f"{requirement!r}; expected a PEP 440 range such as '>=1.0,<2'."
        ) from error
    if Version(core_version) not in specifier:
        raise ImportError(
            f"{package} {package_version} requires keras-core{requirement}, "
            f"but keras-core {core_version} is installed. Fix: install a "
            f"matching pair, e.g. `pip install 'keras-core{requirement}'`, or "
            f"upgrade {package} to a release that supports keras-core "
            f"{core_version}."
        )
