# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Lints .github/: workflows and issue forms against GitHub's schemas, plus
checks the schemas cannot express (jobs named in `needs` exist, actions are
pinned, every tool a workflow runs exists), so a broken workflow cannot land.

The schema validator is check-jsonschema (PyPI), which ships GitHub's
schemas and so works offline. It is imported when the environment has it
(the `dev` dependency group); otherwise it runs through the bootstrap's
`uv tool run`, which fetches it from PyPI once.
"""

import importlib.util
import os
import re
import subprocess
import sys

import pytest
import yaml

from tools.lib import release
from tools.lib import workspace

CHECK_JSONSCHEMA = "check-jsonschema==0.39.0"
GITHUB = workspace.ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(
    p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"
)


def check_jsonschema(schema, paths):
    """Runs check-jsonschema with one of its built-in schemas."""
    if importlib.util.find_spec("check_jsonschema") is not None:
        command = [sys.executable, "-m", "check_jsonschema"]
    else:
        command = [release.find_uv(), "tool", "run", "--from", CHECK_JSONSCHEMA]
        command.append("check-jsonschema")
    return subprocess.run(
        [*command, "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=workspace.ROOT,
    )


def load(path):
    document = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    if True in document:
        document["on"] = document.pop(True)
    return document


def run_scripts(document):
    for job in document.get("jobs", {}).values():
        for step in job.get("steps", []):
            if "run" in step:
                yield step["run"]


def test_the_expected_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {
        "ci.yml",
        "rfc.yml",
        "nightly.yml",
        "release.yml",
    }
    assert {p.name for p in ISSUE_FORMS} >= {"bug_report.yml", "feature_request.yml"}
    assert (GITHUB / "pull_request_template.md").is_file()
    assert (GITHUB / "PULL_REQUEST_TEMPLATE" / "rfc.md").is_file()


def test_workflows_match_the_github_schema():
    result = check_jsonschema("vendor.github-workflows", WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_match_the_github_schemas():
    result = check_jsonschema("vendor.github-issue-forms", ISSUE_FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    result = check_jsonschema(
        "vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_rejects_broken_workflows(tmp_path):
    missing_runner = tmp_path / "missing_runner.yml"
    missing_runner.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo\n")
    misspelt = tmp_path / "misspelt.yml"
    misspelt.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stesp:\n      - run: echo\n"
    )
    for path, expected in [(missing_runner, "runs-on"), (misspelt, "stesp")]:
        result = check_jsonschema("vendor.github-workflows", [path])
        assert result.returncode != 0
        assert expected in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_needs_name_existing_jobs(path):
    jobs = load(path)["jobs"]
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in jobs, f"{path.name}: job {name!r} needs unknown job {need!r}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned(path):
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.search(
                    r"@(v\d+(\.\d+)*|[0-9a-f]{40}|release/v\d+)$", step["uses"]
                ), f"{path.name}: pin {step['uses']!r} to a version tag or commit"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_tools_workflows_run_exist(path):
    for script in run_scripts(load(path)):
        for tool in re.findall(r"(?<![\w/.])tools/([A-Za-z_]+(?:\.sh)?)\b", script):
            if tool == "lib":
                continue
            target = workspace.ROOT / "tools" / tool
            sourced = tool.endswith(".sh")
            assert target.is_file() and (sourced or os.access(target, os.X_OK)), (
                f"{path.name} runs tools/{tool}, which does not exist or is not executable"
            )
        for module in re.findall(r"-m (tools\.lib\.\w+)", script):
            relative = module.replace(".", "/") + ".py"
            assert (workspace.ROOT / relative).is_file(), (
                f"{path.name}: no module {module}"
            )


def test_ci_runs_what_contributors_run():
    ci = load(GITHUB / "workflows" / "ci.yml")
    scripts = "\n".join(run_scripts(ci))
    for command in ("tools/test", "tools/lint", "tools/api check", "tools/rfc check"):
        assert command in scripts
    assert "release affected" in scripts and "core-range" in scripts
    assert ci["jobs"]["core-range"]["strategy"]["matrix"]["end"] == [
        "lowest",
        "highest",
    ]
    rfc = load(GITHUB / "workflows" / "rfc.yml")
    assert "governance/rfcs/**" in rfc["on"]["pull_request"]["paths"]
    assert load(GITHUB / "workflows" / "release.yml")["on"]["push"]["tags"] == ["*==*"]
    nightly = load(GITHUB / "workflows" / "nightly.yml")
    assert "schedule" in nightly["on"]
    assert "tf-nightly" in "\n".join(run_scripts(nightly))


def _glob(pattern):
    """A regular expression for a GitHub `paths` filter pattern."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def runs_on_pull_request(document, changed):
    """Whether GitHub starts the workflow for a pull request changing only the
    files `changed` (the `paths` / `paths-ignore` filters of `pull_request`)."""
    on = document["on"]
    if isinstance(on, (str, list)):
        return "pull_request" in ([on] if isinstance(on, str) else on)
    if "pull_request" not in on:
        return False
    trigger = on["pull_request"] or {}
    if "paths" in trigger:
        return any(_glob(p).match(f) for p in trigger["paths"] for f in changed)
    if "paths-ignore" in trigger:
        ignored = [_glob(p) for p in trigger["paths-ignore"]]
        return not all(any(g.match(f) for g in ignored) for f in changed)
    return True


def test_a_pull_request_changing_only_rfcs_runs_only_the_rfc_workflow():
    # No other workflow, and so no job that builds the development
    # environment, runs for it.
    rfc_only = ["governance/rfcs/20261122-keras-core.md"]
    assert [
        path.name for path in WORKFLOWS if runs_on_pull_request(load(path), rfc_only)
    ] == ["rfc.yml"]
    # Code changes still run CI (and a change of the checker, both).
    ci = load(GITHUB / "workflows" / "ci.yml")
    rfc = load(GITHUB / "workflows" / "rfc.yml")
    for changed in (["packages/keras-cv/README.md"], rfc_only + ["tools/lib/api.py"]):
        assert runs_on_pull_request(ci, changed)
    assert runs_on_pull_request(ci, ["tools/lib/rfc.py"])
    assert runs_on_pull_request(rfc, ["tools/lib/rfc.py"])
    assert not runs_on_pull_request(rfc, ["packages/keras-cv/README.md"])
    # The RFC job sets up no environment: the system Python runs the checker.
    scripts = "\n".join(run_scripts(rfc))
    assert "tools/rfc check" in scripts and "tools/rfc codeowners --check" in scripts
    for tool in ("_bootstrap", "uv ", "pip install", "tools/test", "tools/api"):
        assert tool not in scripts, tool


def test_devcontainer_sets_up_the_environment():
    import json

    config = json.loads(
        (workspace.ROOT / ".devcontainer" / "devcontainer.json").read_text()
    )
    assert "3.11" in config["image"]
    assert "tools/_bootstrap.sh" in config["postCreateCommand"]
    assert (workspace.ROOT / "tools" / "_bootstrap.sh").is_file()
