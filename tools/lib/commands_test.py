# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The README's commands: bootstrap is a no-op when nothing changed, and
`tools/test` treats "no tests collected" as a failure."""

import os
import subprocess

from tools.lib import workspace


def _run(command, **kwargs):
    return subprocess.run(
        ["bash", "-c", command],
        cwd=workspace.ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
        timeout=600,
        **kwargs,
    )


def test_bootstrap_is_a_no_op_when_the_environment_is_in_sync():
    result = _run('source tools/_bootstrap.sh && echo "PY=$PY"')
    assert result.returncode == 0, result.stderr
    assert "bootstrap:" not in result.stderr  # neither installing uv nor syncing
    assert result.stdout.strip() == f"PY={workspace.ROOT}/.venv/bin/python"


def test_no_tests_collected_is_a_failure(tmp_path):
    (tmp_path / "empty_test.py").write_text("# no tests here\n")
    result = _run(f"tools/test {tmp_path} -q -p no:randomly")
    assert result.returncode == 1
    assert "collected no tests; treating that as a failure" in result.stderr


def test_ci_runs_exactly_the_readme_test_command():
    ci = (workspace.ROOT / ".ci" / "run").read_text()
    commands = [
        line for line in ci.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert commands == ['exec "$(dirname "$0")/../tools/test"']
    readme = (workspace.ROOT / "README.md").read_text()
    assert "tools/test     # the default test suite" in readme
    assert "tools/demo     # the main job" in readme
