# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The export decorator: one declaration per public symbol.

Every public class or function of every package in this repository is
declared with `api_export`. The declaration records the public path, the
stability level and, for stable symbols, the RFC that accepted the design.
`tools/api` reads these declarations to generate each package's public
namespace modules and its `api.txt` snapshot.
"""

import dataclasses
import re

STABILITY_LEVELS = ("stable", "experimental")

_PATH_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_RFC_PATTERN = re.compile(r"^\d{8}-[a-z0-9]+(-[a-z0-9]+)*$")


@dataclasses.dataclass(frozen=True)
class ExportRecord:
    """What one `api_export` declaration says about one public path."""

    path: str
    symbol: object
    stability: str
    rfc: str | None

    @property
    def package(self):
        """The import package the path belongs to (`keras_cv`, ...)."""
        return self.path.split(".")[0]

    @property
    def namespace(self):
        """The public module the symbol appears in (`keras_cv.ops`, ...)."""
        return self.path.rsplit(".", 1)[0]

    @property
    def name(self):
        return self.path.rsplit(".", 1)[1]


# Public path -> ExportRecord, filled as modules are imported.
_REGISTRY = {}


def _validate(paths, stability, rfc):
    if isinstance(paths, str):
        paths = (paths,)
    if not isinstance(paths, (list, tuple)) or not paths:
        raise TypeError(
            "`path` must be a public dotted path such as "
            "'keras_cv.ops.BoxMatcher', or a list of such paths. "
            f"Received: path={paths!r}"
        )
    for path in paths:
        if not isinstance(path, str) or not _PATH_PATTERN.match(path):
            raise ValueError(
                "Each exported path must be a dotted Python path with at "
                "least a package and a name, such as "
                f"'keras_cv.ops.BoxMatcher'. Received: path={path!r}"
            )
    if stability not in STABILITY_LEVELS:
        raise ValueError(
            "`stability` must be one of "
            f"{', '.join(repr(s) for s in STABILITY_LEVELS)}. "
            f"Received: stability={stability!r} for {paths[0]!r}. Use "
            "'experimental' for a new API and 'stable' once an accepted RFC "
            "covers it (pass its file name stem as `rfc`)."
        )
    if rfc is not None and (not isinstance(rfc, str) or not _RFC_PATTERN.match(rfc)):
        raise ValueError(
            "`rfc` must be the file name stem of an RFC in governance/rfcs/, "
            "such as '20261122-keras-core'. "
            f"Received: rfc={rfc!r} for {paths[0]!r}."
        )
    if stability == "stable" and rfc is None:
        raise ValueError(
            f"{paths[0]!r} is exported as 'stable' without an RFC. A stable "
            "symbol must cite the accepted RFC that covers it: pass "
            "`rfc='YYYYMMDD-title'`, or export it as 'experimental'."
        )
    for path in paths:
        if path.startswith("keras_core.") and stability != "stable":
            raise ValueError(
                f"keras-core exports only stable symbols; {path!r} is declared "
                f"{stability!r}. Keep experimental APIs in a domain package "
                "until an RFC graduates them into keras-core."
            )
    return tuple(paths)


def _register_serializable(symbol, package):
    """Registers Keras objects so that `.keras` files and presets load them."""
    import keras

    if not isinstance(symbol, type):
        return
    if not (hasattr(symbol, "get_config") and hasattr(symbol, "from_config")):
        return
    registered = keras.saving.get_registered_name(symbol)
    if registered == symbol.__name__:  # not registered yet
        keras.saving.register_keras_serializable(package=package)(symbol)


def api_export(path, stability="experimental", rfc=None):
    """Declares a public symbol: its public path, stability and RFC.

    Use it on every class and function a package makes public. The
    package's public modules (`keras_cv.ops`, ...) and its `api.txt`
    snapshot are generated from these declarations by `tools/api`, so a
    symbol is public exactly when it is declared here. Keras classes
    (layers, models, losses, metrics) are also registered for
    serialization under their package name, so `.keras` files and presets
    load them with `safe_mode=True`.

    Args:
        path: the public dotted path, e.g. `"keras_cv.ops.BoxMatcher"`, or
            a list of paths when the symbol has aliases.
        stability: `"experimental"` (may change in any release) or
            `"stable"` (changes only through an accepted RFC). keras-core
            exports only stable symbols.
        rfc: the file name stem of the RFC in `governance/rfcs/` that
            accepted the design, e.g. `"20261122-keras-core"`. Required
            for stable symbols.

    Examples:

    >>> from keras_core import api_export
    >>> @api_export("my_package.layers.Identity", stability="experimental")
    ... class Identity:
    ...     pass
    """
    paths = _validate(path, stability, rfc)

    def decorator(symbol):
        for public_path in paths:
            existing = _REGISTRY.get(public_path)
            if existing is not None and not _same_symbol(existing.symbol, symbol):
                raise ValueError(
                    f"The public path {public_path!r} is declared twice: by "
                    f"{_describe(existing.symbol)} and by {_describe(symbol)}. "
                    "Give one of them another path."
                )
            _REGISTRY[public_path] = ExportRecord(public_path, symbol, stability, rfc)
        _register_serializable(symbol, paths[0].split(".")[0])
        symbol._api_export_paths = paths
        return symbol

    return decorator


def _same_symbol(a, b):
    # Re-importing a module (e.g. under pytest) creates a new object for the
    # same definition; treat that as the same declaration.
    return a is b or (
        getattr(a, "__module__", None) == getattr(b, "__module__", None)
        and getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None)
    )


def _describe(symbol):
    return f"{getattr(symbol, '__module__', '?')}.{getattr(symbol, '__qualname__', symbol)}"


def get_exports(package=None):
    """Returns the export records, optionally for one import package only."""
    records = sorted(_REGISTRY.values(), key=lambda r: r.path)
    if package is None:
        return records
    return [r for r in records if r.package == package]


# The decorator declares itself.
api_export("keras_core.api_export", stability="stable", rfc="20261122-keras-core")(
    api_export
)
