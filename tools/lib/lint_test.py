# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import subprocess
import sys

from tools.lib import lint
from tools.lib import workspace


def test_every_python_file_has_the_licence_header():
    missing = [str(p.relative_to(workspace.ROOT)) for p in lint.missing_headers()]
    assert not missing, f"missing licence header (run tools/format): {missing}"


def test_ruff_lint_rules_pass():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."],
        cwd=workspace.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_header_detection_and_insertion(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "ROOT", tmp_path)
    (tmp_path / "good.py").write_text(lint.LICENSE_HEADER + "x = 1\n")
    (tmp_path / "bad.py").write_text("x = 1\n")
    (tmp_path / "script.py").write_text("#!/usr/bin/env python\nprint(1)\n")
    assert sorted(p.name for p in lint.missing_headers()) == ["bad.py", "script.py"]
    lint.add_headers()
    assert lint.missing_headers() == []
    assert (
        (tmp_path / "script.py")
        .read_text()
        .startswith("#!/usr/bin/env python\n" + lint.LICENSE_HEADER)
    )
