# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Every fenced Python block of every package README runs as written."""

import pytest

from tools.lib import readme_examples

_BLOCKS = readme_examples.readme_blocks()


def _marks(code):
    # A block that runs a search (20 trials) or starts a Ray cluster takes
    # well over 20 s.
    return [pytest.mark.large] if ".search(" in code else []


@pytest.mark.parametrize(
    "dist_name, index",
    [
        pytest.param(name, index, marks=_marks(code), id=f"{name}-{index}")
        for name, index, code in _BLOCKS
    ],
)
def test_readme_block_runs(dist_name, index, tmp_path):
    # The blocks before this one run first: a block may use their names.
    blocks = [
        (i, code) for name, i, code in _BLOCKS if name == dist_name and i <= index
    ]
    readme_examples.run_blocks(dist_name, blocks, tmp_path)


def test_blocks_are_found():
    text = "a\n```python\nx = 1\n```\n```bash\nls\n```\n```python\ny = 2\n```\n"
    assert readme_examples.python_blocks(text) == ["x = 1\n", "y = 2\n"]
    names = {name for name, _, _ in _BLOCKS}
    assert "keras-tuner" in names
