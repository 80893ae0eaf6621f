# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The package's modules import each other without circles.

Counts every import, also those inside functions (a deferred import only
hides a circle): e.g. the engine's `Tuner` takes its default oracle from
`tuners/random_search_oracle.py`, which depends on the engine's oracle
only, not from `tuners/random_search.py`, which imports the engine's tuner.
"""

import ast
import pathlib

SRC = pathlib.Path(__file__).parent
PACKAGE = "keras_tuner.src"


def _module_name(path):
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _import_graph():
    modules = {
        _module_name(p): p
        for p in SRC.rglob("*.py")
        if not p.name.endswith("_test.py") and p.name != "conftest.py"
    }
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [
                    f"{node.module}.{alias.name}" for alias in node.names
                ]
            else:
                continue
            targets |= {n for n in names if n in modules and n != name}
        # A package's __init__ is not an edge worth checking (it only
        # re-exports).
        graph[name] = {t for t in targets if modules[t].name != "__init__.py"}
    return graph


def _cycles(graph):
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_cycle_finder_sees_a_deferred_import_circle():
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert _cycles(graph) == [["a", "b", "a"]]


def test_no_import_circles_between_modules():
    graph = _import_graph()
    assert (
        "keras_tuner.src.tuners.random_search_oracle"
        in graph["keras_tuner.src.engine.tuner"]
    )
    assert _cycles(graph) == []
