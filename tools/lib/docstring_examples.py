# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Finds and runs the `Example:` section of every public docstring.

An example is either doctest-style (`>>>` lines, outputs compared) or one
or more ```python fenced blocks (executed; they must not raise). Both run,
as doctest does, in the globals of the symbol's module, with `keras`, `np`
(NumPy), `tf` and the symbol's package imported too.
"""

import doctest
import importlib
import inspect
import re

_SECTION = re.compile(r"^(\s*)Examples?:\s*$")
_NEXT_SECTION = re.compile(r"^[A-Z][A-Za-z /]+:\s*$")
_FENCE = re.compile(r"```(?:python)?\n(.*?)```", re.DOTALL)


def example_section(docstring):
    """Returns the text of the `Example:` section, or None."""
    if not docstring:
        return None
    lines = inspect.cleandoc(docstring).splitlines()
    for i, line in enumerate(lines):
        if _SECTION.match(line):
            body = []
            for following in lines[i + 1 :]:
                if _NEXT_SECTION.match(following) and not following.startswith(" "):
                    break
                body.append(following)
            text = inspect.cleandoc("\n".join(body))
            return text or None
    return None


def _namespace(symbol):
    import keras
    import numpy as np
    import tensorflow as tf

    module = getattr(symbol, "__module__", "")
    package = module.split(".")[0]
    # Like doctest itself: the example sees the globals of its module.
    namespace = dict(vars(importlib.import_module(module))) if module else {}
    namespace.update(
        {"keras": keras, "np": np, "tf": tf, "__name__": "__docstring_example__"}
    )
    if package:
        namespace[package] = importlib.import_module(package)
    return namespace


def _line_of(source, section):
    """0-based line of the section's first line in the source file."""
    first = section.strip().splitlines()[0].strip()
    try:
        with open(source) as f:
            for number, line in enumerate(f):
                if line.strip() == first:
                    return number
    except (OSError, TypeError):
        pass
    return 0


def run_example(path, symbol):
    """Runs the example of one public symbol; raises AssertionError on failure."""
    section = example_section(inspect.getdoc(symbol))
    if section is None:
        raise AssertionError(
            f"{path} has no `Example:` section in its docstring; every public "
            "symbol needs one that runs."
        )
    namespace = _namespace(symbol)
    if ">>>" in section:
        parser = doctest.DocTestParser()
        source = inspect.getsourcefile(symbol)
        test = parser.get_doctest(
            section, namespace, path, source, _line_of(source, section)
        )
        runner = doctest.DocTestRunner(
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
        )
        output = []
        runner.run(test, out=output.append)
        if runner.failures:
            raise AssertionError(
                f"the docstring example of {path} failed:\n" + "".join(output)
            )
        return
    blocks = _FENCE.findall(section)
    if not blocks:
        raise AssertionError(
            f"the `Example:` section of {path} has neither `>>>` lines nor a "
            "```python block, so it cannot be run."
        )
    for block in blocks:
        try:
            exec(compile(block, f"<docstring example of {path}>", "exec"), namespace)
        except Exception as error:
            raise AssertionError(
                f"the docstring example of {path} raised {type(error).__name__}: {error}"
            ) from error
