# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""No private name crosses a file boundary in the package's sources.

The engine's parts (hyperparameters, trial, oracle, tuner, algorithms,
distributed backend) talk to each other through public methods: the
oracle sets a trial's rules with `HyperParameters.set_new_entry_rules`,
an algorithm asks `Oracle.is_tuned` / `Oracle.fill_values`, the tuner
calls `Oracle.set_project_dir` and `RayBackend.run_trials`. This test
reads every module under `keras_tuner/src` (tests excluded) and flags

- `obj._name` (also through `getattr`/`setattr`/`hasattr`/`delattr` with a
  literal name) where `obj` is not `self`, `cls` or `super()`, unless
  `_name` is defined in the same file (an attribute assigned or a method
  or class attribute defined there: a class may touch the private
  members of another instance of itself);
- `from module import _name` of another module of the package.

`ALLOWED` lists the exceptions that Keras or Python forces, each with why.
"""

import ast
import pathlib

SRC = pathlib.Path(__file__).parent
ACCESSORS = {"getattr", "setattr", "hasattr", "delattr"}
# (file relative to keras_tuner/src, name) -> why it is allowed.
ALLOWED = {}


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


def violations(source, filename="module.py"):
    """`(filename, line, text)` of each private name used across files."""
    tree = ast.parse(source)
    defined = _defined_names(tree)
    found = []

    def flag(node, name):
        if name in defined or (filename, name) in ALLOWED:
            return
        found.append((filename, node.lineno, ast.unparse(node)))

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
            and node.module.startswith("keras_tuner")
        ):
            for alias in node.names:
                if _private(alias.name):
                    found.append((filename, node.lineno, ast.unparse(node)))
    return found


def test_checker_flags_private_names_of_other_files():
    source = (
        "from keras_tuner.src.engine.oracle import _LOCKS\n"
        "def f(hps, trial):\n"
        "    hps._new_value_fn = None\n"
        "    getattr(trial, '_best_epoch', None)\n"
    )
    lines = [line for _, line, _ in violations(source)]
    assert lines == [1, 3, 4]


def test_checker_allows_own_members_and_this_files_names():
    source = (
        "class A:\n"
        "    def __init__(self):\n"
        "        self._x = 1\n"
        "    def copy(self):\n"
        "        new = A()\n"
        "        new._x = self._x\n"
        "        return super()._y, new\n"
        "    def name(self, f):\n"
        "        return f.__name__\n"
    )
    assert violations(source) == []


def test_no_private_name_crosses_a_file_boundary():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name.endswith("_test.py") or path.name == "conftest.py":
            continue
        found += violations(path.read_text(), str(path.relative_to(SRC)))
    assert found == [], "\n".join(f"{f}:{line}: {text}" for f, line, text in found)
