# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/lint` and `tools/format`: ruff plus the licence header.

tools/lint      check formatting, lint rules and licence headers; exit 1 on problems
tools/format    apply ruff's formatting and fixes, add missing licence headers
"""

import argparse
import os
import pathlib
import subprocess
import sys

from tools.lib import workspace

LICENSE_HEADER = (
    "# Copyright 2026 The Keras Domain Packages Authors.\n"
    '# Licensed under the Apache License, Version 2.0 (the "License").\n'
    "# See the LICENSE file at the root of this repository.\n"
)
_SKIP_PARTS = {".venv", ".tools", "build", "dist", ".git", "site", "node_modules"}


def python_files():
    """Our Python files; skipped directories are pruned, never walked."""
    found = []
    for directory, subdirs, files in os.walk(workspace.ROOT):
        subdirs[:] = [
            d for d in subdirs if d not in _SKIP_PARTS and not d.startswith(".")
        ]
        found += [
            pathlib.Path(directory, f)
            for f in files
            if f.endswith(".py") and not f.startswith(".")
        ]
    return sorted(found)


def missing_headers():
    """Python files that do not start with the licence header."""
    missing = []
    for path in python_files():
        text = path.read_text()
        body = text.split("\n", 1)[1] if text.startswith("#!") else text
        if text.strip() and not body.startswith(LICENSE_HEADER):
            missing.append(path)
    return missing


def add_headers():
    for path in missing_headers():
        text = path.read_text()
        if text.startswith("#!"):
            shebang, rest = text.split("\n", 1)
            path.write_text(f"{shebang}\n{LICENSE_HEADER}{rest}")
        else:
            path.write_text(LICENSE_HEADER + text)
        print(f"added licence header: {path.relative_to(workspace.ROOT)}")


def _ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=workspace.ROOT
    ).returncode


def lint():
    status = 0
    missing = missing_headers()
    for path in missing:
        print(
            f"{path.relative_to(workspace.ROOT)}:1: missing the Apache-2.0 licence header (fix: tools/format)"
        )
    status |= bool(missing)
    status |= _ruff("check", ".") != 0
    status |= _ruff("format", "--check", ".") != 0
    if status:
        print("tools/lint: problems found; `tools/format` fixes most of them.")
    return int(status)


def format_all():
    add_headers()
    _ruff("check", "--fix", "--quiet", ".")
    return _ruff("format", "--quiet", ".")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/lint")
    parser.add_argument("command", choices=["lint", "format"])
    args = parser.parse_args(argv)
    return lint() if args.command == "lint" else format_all()


if __name__ == "__main__":
    sys.exit(main())
