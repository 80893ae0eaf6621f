# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The strategy-scaling benchmark runs (tiny settings; no timing checked)."""

import json
import subprocess
import sys

import pytest

from tools.lib import workspace


@pytest.mark.large
def test_runs_with_tiny_settings():
    process = subprocess.run(
        [
            sys.executable,
            "benchmarks/keras_cv/strategy_scaling.py",
            "--impl",
            "ours",
            "--steps",
            "1",
            "--quick",
        ],
        cwd=workspace.ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    lines = process.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    figures = result["figures"]
    for name in ("retinanet", "bert_classifier"):
        assert figures[f"{name}_steps_per_s_1"] > 0
        assert figures[f"{name}_steps_per_s_2"] > 0
    assert result["config"]["devices"] == "logical_cpu"
    assert "overhead" in lines[0] and "not a speed-up" in lines[0]
