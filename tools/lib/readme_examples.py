# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The fenced Python blocks of each package README, and how to run them.

The blocks of one README run in order in one namespace (a later block may
use what an earlier one defined), in a temporary working directory. A
README may use data it does not define (`x`, `y`, ...): `PRELUDES` gives
each package small stand-ins, run before its first block.
"""

import contextlib
import os
import re

from tools.lib import workspace

_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_SHELL_BLOCK = re.compile(
    r"^```(?:bash|sh)[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE
)
# The install line a package README gives (run from a clone after tools/wheels).
INSTALL_PREFIX = "pip install --find-links dist "

# Small data for names a README uses without defining them.
PRELUDES = {
    "keras-tuner": (
        "import numpy as np\n"
        "_rng = np.random.default_rng(0)\n"
        "x = _rng.normal(size=(32, 3)).astype('float32')\n"
        "y = x.sum(axis=1, keepdims=True)\n"
        "x_val = _rng.normal(size=(16, 3)).astype('float32')\n"
        "y_val = x_val.sum(axis=1, keepdims=True)\n"
    ),
}


def python_blocks(text):
    """The code of every ```python fenced block, in order."""
    return [match.group(1) for match in _BLOCK.finditer(text)]


def install_lines(text):
    """Every `pip install --find-links dist ...` line of the shell blocks, in order."""
    return [
        line.split("#")[0].strip()
        for match in _SHELL_BLOCK.finditer(text)
        for line in match.group(1).splitlines()
        if line.strip().startswith(INSTALL_PREFIX)
    ]


def readme_blocks():
    """[(package dist name, block index, code)] for every package README."""
    found = []
    for package in workspace.packages():
        readme = package.directory / "README.md"
        if readme.exists():
            for index, code in enumerate(python_blocks(readme.read_text())):
                found.append((package.dist_name, index, code))
    return found


@contextlib.contextmanager
def _working_directory(path):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def run_blocks(dist_name, blocks, directory, namespace=None):
    """Runs `blocks` (code strings) of one README in `directory`; returns the namespace."""
    namespace = (
        {"__name__": f"readme_{dist_name.replace('-', '_')}"}
        if namespace is None
        else namespace
    )
    with _working_directory(directory):
        if dist_name in PRELUDES and not namespace.get("_prelude_done"):
            exec(
                compile(PRELUDES[dist_name], f"<{dist_name} prelude>", "exec"),
                namespace,
            )
            namespace["_prelude_done"] = True
        for index, code in blocks:
            exec(
                compile(code, f"<{dist_name}/README.md block {index}>", "exec"),
                namespace,
            )
    return namespace
