# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Import hook that lets keras-tuner 1.4's own tests import OUR `keras_tuner`.

keras-tuner 1.4 tests import modules that are internal to that project
(`keras_tuner.backend`, `keras_tuner.tuners.randomsearch`,
`keras_tuner.engine.base_tuner`, ...). Each of those names stands for public
names: `keras_tuner.backend.keras` is simply `keras`, and
`keras_tuner.tuners.randomsearch.RandomSearchOracle` is the public
`keras_tuner.oracles.RandomSearchOracle`. `install()` puts a finder first on
`sys.meta_path` that builds such a module from the public names of our
package, but only when our package has no real module of that name (so a
module we add later, e.g. `keras_tuner.engine.base_tuner`, wins).

A public 1.4 name that our package lacks becomes a `MissingName` placeholder:
the test file still imports, and each test that uses the name fails on its
own with a message naming it (rather than one collection error hiding every
test of the file).

Used only by `tools/peer_tests keras-tuner`; nothing of keras-tuner 1.4 is
copied here, only the list of its module names and the public names they
expose (the table in `tools/lib/peer_tests.py`).
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

from tools.lib.peer_tests import PACKAGES

_IMPORTS = PACKAGES["keras-tuner"]["imports"]
# Peer module name -> {attribute: dotted public name in our package}.
_PUBLIC = _IMPORTS["public"]
# Peer modules that stand for Keras itself (1.4 switched between Keras 3 and
# tf.keras there; Keras 3 is the only case for us).
_ALIASES = _IMPORTS["aliases"]
# 1.4-internal modules that test files import at the top. Tests that use
# them are out of scope; these empty modules only let the other tests of such
# a file run.
_PRIVATE_MODULES = set(_IMPORTS["private_modules"])


def _backend_config():
    import keras

    module = types.ModuleType("keras_tuner.backend.config")
    # 1.4's `backend.config` answers "which Keras": ours always runs Keras 3.
    module.multi_backend = lambda: True
    module.backend = keras.config.backend
    return module


def _backend_io():
    import tensorflow as tf

    module = types.ModuleType("keras_tuner.backend.io")
    gfile = tf.io.gfile
    module.exists = gfile.exists
    module.rmtree = gfile.rmtree
    module.File = gfile.GFile
    module.glob = gfile.glob
    module.makedirs = gfile.makedirs
    return module


_FACTORIES = {
    "keras_tuner.backend.config": _backend_config,
    "keras_tuner.backend.io": _backend_io,
}


class _PrivateModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"`{self.__name__}.{name}` is internal to keras-tuner 1.4 (out of scope)."
        )


class _ShimModule(types.ModuleType):
    """A module built by this finder (never one of our real modules)."""


class MissingName:
    """Stands for a public keras-tuner 1.4 name that our package lacks."""

    def __init__(self, peer_name, public_name):
        self._message = (
            f"`{peer_name}` (public `{public_name}` in keras-tuner 1.4) does "
            "not exist in our keras_tuner."
        )

    def __call__(self, *args, **kwargs):
        raise AttributeError(self._message)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(self._message)

    def __mro_entries__(self, bases):
        raise AttributeError(self._message)

    def __repr__(self):
        return f"<MissingName: {self._message}>"


_RESOLVING = []


def resolve(dotted):
    """Our object at a dotted public path, or None when it does not exist.

    Only our real modules count (the finder is off meanwhile)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        _RESOLVING.append(True)
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        finally:
            _RESOLVING.pop()
        if isinstance(obj, _ShimModule):
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _real_module_exists(fullname):
    parent, _, _ = fullname.rpartition(".")
    parent_module = sys.modules.get(parent)
    path = getattr(parent_module, "__path__", None)
    if path is None:
        return False
    return importlib.machinery.PathFinder.find_spec(fullname, path) is not None


def _build(fullname):
    if fullname in _ALIASES:
        # A proxy, not the real module: the import machinery stamps the
        # module it gets with this name's spec.
        real = importlib.import_module(_ALIASES[fullname])
        module = _ShimModule(fullname)
        module.__getattr__ = lambda name: getattr(real, name)
        return module
    if fullname in _FACTORIES:
        return _FACTORIES[fullname]()
    if fullname in _PRIVATE_MODULES:
        module = _PrivateModule(fullname)
        module.__path__ = []
        return module
    if fullname == "keras_tuner.backend":
        module = _ShimModule(fullname)
        module.__path__ = []  # a package: its submodules go through the finder
        return module
    module = _ShimModule(fullname)
    module.__path__ = []
    for attr, public in _PUBLIC[fullname].items():
        obj = resolve(public)
        setattr(
            module,
            attr,
            MissingName(f"{fullname}.{attr}", public) if obj is None else obj,
        )
    return module


def handled_names():
    return (
        set(_PUBLIC)
        | set(_ALIASES)
        | set(_FACTORIES)
        | _PRIVATE_MODULES
        | {"keras_tuner.backend"}
    )


class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return _build(spec.name)

    def exec_module(self, module):
        parent, _, child = module.__name__.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


class PeerNameFinder(importlib.abc.MetaPathFinder):
    """Builds 1.4-only module names from our public names (see module doc)."""

    def find_spec(self, fullname, path=None, target=None):
        if _RESOLVING or fullname not in handled_names():
            return None
        if fullname.startswith("keras_tuner.backend"):
            pass  # 1.4-internal: never a module of ours
        elif _real_module_exists(fullname):
            return None
        return importlib.util.spec_from_loader(fullname, _Loader())


def install():
    """Puts the finder first on `sys.meta_path` (idempotent)."""
    if not any(isinstance(f, PeerNameFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, PeerNameFinder())
    # The peer tests refer to `keras_tuner.backend` etc. as attributes too.
    import keras_tuner

    for name in ("keras_tuner.backend", "keras_tuner.applications"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    return keras_tuner


def uninstall():
    """Removes the finder and the modules it built (for tests of this shim)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, PeerNameFinder)]
    for name, module in list(sys.modules.items()):
        if isinstance(module, (_ShimModule, _PrivateModule)) or (
            name.startswith("keras_tuner.backend")
        ):
            del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if (
                parent in sys.modules
                and getattr(sys.modules[parent], child, None) is module
            ):
                delattr(sys.modules[parent], child)
