# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Finds private names that cross a file boundary in a package's sources.

A package's modules talk to each other through names without a leading
underscore; a `_name` belongs to the file that defines it. The checker
reads a module with `ast` and reports

- `obj._name` (also `getattr`/`setattr`/`hasattr`/`delattr` with a
  literal name) where `obj` is not `self`, `cls` or `super()` and `_name`
  is not defined in the same file (a function, class or variable, or an
  attribute of `self`/`cls`: a class may use the private members of
  another instance of itself);
- `from <package>... import _name`.

Keras, TensorFlow and other libraries' private members count too: using
one is a dependency on something that can change without notice, so each
such use is listed in the package's allow-list with the reason.
"""

import ast

ACCESSORS = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def _is_own(node):
    """`self`, `cls` or `super()`: the object's own (or inherited) members."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "super"
    )


def _defined_names(tree):
    """Private names a module defines: functions, classes, attributes of
    `self`/`cls` and module or class variables (an assignment to another
    object's attribute defines nothing)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and _is_own(node.value)
        ):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {n for n in names if _private(n)}


def violations(source, filename="module.py", package="keras_tuner"):
    """`(filename, line, name, text)` of each private name used across files.

    Args:
        source: the module's source text.
        filename: its path, as reported.
        package: the import name whose `from ... import _x` are flagged.
    """
    tree = ast.parse(source)
    defined = _defined_names(tree)
    found = []

    def flag(node, name):
        if name in defined:
            return
        found.append((filename, node.lineno, name, ast.unparse(node)))

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not _is_own(node.value):
                flag(node, node.attr)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ACCESSORS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and not _is_own(node.args[0])
        ):
            flag(node, node.args[1].value)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] == package
        ):
            for alias in node.names:
                if _private(alias.name):
                    found.append((filename, node.lineno, alias.name, ast.unparse(node)))
    return found


def package_violations(src_dir, package, allowed=()):
    """Violations in every non-test module under `src_dir`, and the entries
    of `allowed` that match nothing (a stale exception hides a future use)."""
    found, used = [], set()
    for path in sorted(src_dir.rglob("*.py")):
        if (
            path.name.endswith("_test.py")
            or path.name == "conftest.py"
            or "testdata" in path.parts
        ):
            continue
        found += violations(path.read_text(), str(path.relative_to(src_dir)), package)
    reported = []
    for entry in found:
        key = (entry[0], entry[2])
        if key in allowed:
            used.add(key)
        else:
            reported.append(entry)
    return reported, sorted(set(allowed) - used)
