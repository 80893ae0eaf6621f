# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A griffe extension for the docs build: Keras-style `Example:` sections.

Our docstrings write examples Keras-style, with the `>>>` lines at the same
indentation as the `Example:` header. Google-style parsers expect the
section body indented under the header; without this extension the example
would render as prose. Used by `mkdocs.yml` only; the docstrings are not
changed.
"""

import re

import griffe

_HEADER = re.compile(r"^Examples?:\s*$")
_NEXT_SECTION = re.compile(r"^[A-Z][A-Za-z /]+:\s*$")


def indent_examples(text):
    """Indents the body of every top-level `Example(s):` section by 4 spaces."""
    lines = text.splitlines()
    out, inside = [], False
    for line in lines:
        if _HEADER.match(line):
            out.append("Examples:")
            inside = True
            continue
        if inside and _NEXT_SECTION.match(line):
            inside = False
        out.append(("    " + line if line.strip() else line) if inside else line)
    return "\n".join(out)


class KerasStyleExamples(griffe.Extension):
    """Re-indents example sections before the docstring is parsed."""

    def on_object(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = indent_examples(obj.docstring.value)

    def on_alias(self, *, alias, **kwargs):
        pass
