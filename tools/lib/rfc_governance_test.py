# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Maintainers, code owners, sponsors and status transitions (issue 28)."""

import os
import resource
import shutil
import subprocess
import sys
import time

import pytest

from tools.lib import rfc
from tools.lib import rfc_test
from tools.lib import workspace

NAME = "20261120-keypoint-detection-heads.md"
MAINTAINERS = """\
# comment
@grace | Grace Hopper | grace@example.com | keras-cv
@alan | Alan Turing | alan@example.com | keras-nlp
@org/cv-team | keras-cv team | cv@example.com | keras-cv
@org/nlp-team | keras-nlp team | nlp@example.com | keras-nlp
"""


def _git(root, *args):
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@e.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@e.org",
        },
    )


@pytest.fixture
def repo(root):
    """The fake workspace of rfc_test as a git repository with MAINTAINERS."""
    (root / "MAINTAINERS").write_text(MAINTAINERS)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base", "--allow-empty")
    return root


root = rfc_test.root  # the fake-workspace fixture


def _commit_rfc(repo, status):
    path = rfc_test.write(repo / "rfcs", rfc_test.rfc_text(status=status), NAME)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", f"rfc {status}")
    return path


def _change(repo, base_status, new_status, actor, actor_teams=()):
    path = _commit_rfc(repo, base_status)
    rfc_test.write(repo / "rfcs", rfc_test.rfc_text(status=new_status), NAME)
    return rfc.check_transition(
        path, "HEAD", actor=actor, root=repo, actor_teams=actor_teams
    )


@pytest.mark.parametrize("status", ["Accepted", "Implemented", "Rejected", "Obsolete"])
def test_a_new_rfc_must_be_proposed(repo, status):
    path = rfc_test.write(repo / "rfcs", rfc_test.rfc_text(status=status), NAME)
    (problem,) = rfc.check_transition(path, "HEAD", actor="@grace", root=repo)
    assert "a new RFC must have Status 'Proposed'" in problem.message
    path.write_text(rfc_test.rfc_text(status="Proposed"))
    assert rfc.check_transition(path, "HEAD", actor=None, root=repo) == []


@pytest.mark.parametrize(
    "old, new",
    [
        ("Proposed", "Accepted"),
        ("Proposed", "Rejected"),
        ("Proposed", "Withdrawn"),
        ("Accepted", "Implemented"),
        ("Accepted", "Superseded"),
    ],
)
def test_allowed_transitions_by_a_maintainer(repo, old, new):
    assert _change(repo, old, new, "@grace") == []


@pytest.mark.parametrize(
    "old, new",
    [
        ("Proposed", "Implemented"),
        ("Proposed", "Superseded"),
        ("Accepted", "Proposed"),
        ("Accepted", "Rejected"),
        ("Accepted", "Withdrawn"),
        ("Accepted", "Obsolete"),
        ("Rejected", "Accepted"),
        ("Withdrawn", "Proposed"),
        ("Implemented", "Accepted"),
        ("Superseded", "Accepted"),
    ],
)
def test_illegal_transitions_are_refused(repo, old, new):
    (problem,) = _change(repo, old, new, "@grace")
    assert f"Status changed from {old!r} to {new!r}, which is not allowed" in (
        problem.message
    )


def test_a_transition_by_a_non_maintainer_is_refused(repo):
    (problem,) = _change(repo, "Proposed", "Accepted", "@alan")  # keras-nlp only
    assert "by @alan (in no team), who is not a maintainer of keras-cv" in (
        problem.message
    )
    assert "@grace, @org/cv-team" in problem.message


def test_a_member_of_the_package_team_may_make_a_transition(repo):
    assert _change(repo, "Proposed", "Accepted", "@bob", ["@org/cv-team"]) == []


def test_a_member_of_another_package_team_may_not(repo):
    (problem,) = _change(repo, "Proposed", "Accepted", "@bob", ["@org/nlp-team"])
    assert "by @bob (member of @org/nlp-team), who is not a maintainer of keras-cv" in (
        problem.message
    )


def test_a_change_cannot_make_its_own_author_a_maintainer(repo):
    # Who may change a status is read from MAINTAINERS in the base.
    path = _commit_rfc(repo, "Proposed")
    (repo / "MAINTAINERS").write_text(
        MAINTAINERS + "@eve | Eve | eve@example.com | *\n"
    )
    rfc_test.write(repo / "rfcs", rfc_test.rfc_text(status="Accepted"), NAME)
    (problem,) = rfc.check_transition(path, "HEAD", actor="@eve", root=repo)
    assert "by @eve (in no team), who is not a maintainer of keras-cv" in (
        problem.message
    )


def test_a_transition_needs_an_actor(repo):
    (problem,) = _change(repo, "Proposed", "Accepted", None)
    assert "no --actor was given" in problem.message


def test_an_unknown_base_is_explained(repo):
    path = _commit_rfc(repo, "Proposed")
    with pytest.raises(ValueError, match="is not a git revision"):
        rfc.check_transition(path, "no-such-branch", actor="@grace", root=repo)


def test_the_sponsor_must_maintain_the_target_package(repo):
    problems = rfc.check_rfc(
        rfc_test.write(
            repo / "rfcs",
            rfc_test.rfc_text().replace(
                "Grace Hopper (grace@example.com)", "Alan Turing (alan@example.com)"
            ),
            NAME,
        ),
        today=rfc_test.TODAY,
        root=repo,
    )
    (problem,) = problems
    assert "Sponsor 'alan@example.com' is not a maintainer of keras-cv" in (
        problem.message
    )
    assert (
        rfc.check_rfc(
            rfc_test.write(repo / "rfcs", rfc_test.rfc_text(), NAME),
            today=rfc_test.TODAY,
            root=repo,
        )
        == []
    )


def test_implemented_symbols_must_be_exported_with_this_rfc(repo):
    api = repo / "packages" / "keras-cv" / "api.txt"
    api.write_text(
        api.read_text().replace(
            "| stable | 20261120-keypoint-detection-heads\n  method",
            "| stable | 20261001-other\n  method",
        )
    )
    extra = (
        "| **Implemented in** | #12 |\n"
        "| **Public symbols** | keras_cv.models.KeypointDetector |\n"
    )
    path = rfc_test.write(
        repo / "rfcs", rfc_test.rfc_text(status="Implemented", extra=extra), NAME
    )
    problems = rfc.check_rfc(path, today=rfc_test.TODAY, root=repo)
    (problem,) = problems
    assert "citing RFC '20261001-other', not with this one" in problem.message
    # Exported as experimental (no RFC): refused too.
    api.write_text(
        api.read_text().replace(
            "KeypointDetector(num_keypoints) | stable | 20261001-other",
            "KeypointDetector(num_keypoints) | experimental | -",
        )
    )
    (problem,) = rfc.check_rfc(path, today=rfc_test.TODAY, root=repo)
    assert (
        "'keras_cv.models.KeypointDetector' is exported without an RFC "
        "(experimental), not with this one" in problem.message
    )


def test_malformed_maintainers_line_is_named(repo):
    (repo / "MAINTAINERS").write_text("grace | Grace | nope | keras-cv\n")
    with pytest.raises(ValueError, match="MAINTAINERS:1: .* is not '@handle"):
        rfc.load_maintainers(repo)


def test_codeowners_is_generated_from_maintainers(repo):
    text = rfc.render_codeowners(rfc.load_maintainers(repo), ["keras-cv", "keras-nlp"])
    assert "/packages/keras-cv/ @grace @org/cv-team\n" in text
    assert "/packages/keras-nlp/ @alan @org/nlp-team\n" in text
    everyone = "@alan @grace @org/cv-team @org/nlp-team"
    assert f"/governance/ {everyone}\n" in text  # no maintainer of every package
    # The maintainers of every package own the rest, governance and MAINTAINERS;
    # any maintainer reviews RFCs. GitHub applies the last matching line.
    leads = rfc.parse_maintainers(
        MAINTAINERS + "@org/leads | Leads | l@example.com | *"
    )
    lines = rfc.render_codeowners(leads, ["keras-cv"]).splitlines()
    assert lines[2] == "* @org/leads"
    assert lines[3] == "/packages/keras-cv/ @grace @org/cv-team @org/leads"
    assert lines[4:] == [
        "/governance/ @org/leads",
        "/governance/rfcs/ @alan @grace @org/cv-team @org/leads @org/nlp-team",
        "/MAINTAINERS @org/leads",
        "/.github/CODEOWNERS @org/leads",
    ]


def test_every_package_has_its_own_maintainers_team():
    maintainers = rfc.load_maintainers(workspace.ROOT)
    for package in rfc._workspace_packages(workspace.ROOT):
        own = [m for m in maintainers if package in m.packages]
        assert own or package == "keras-core", f"{package} has no team of its own"
        assert all(m.handle.startswith("@keras-domain-packages/") for m in own)
    (lead,) = [m for m in maintainers if "*" in m.packages]
    assert lead.handle == "@keras-domain-packages/maintainers"


def test_a_new_rfc_is_sponsored_by_the_package_maintainers(repo):
    shutil.copy(rfc.TEMPLATE, repo / "rfcs" / "TEMPLATE.md")
    kwargs = dict(today=rfc_test.TODAY, rfc_dir=repo / "rfcs", root=repo)
    path = rfc.new_rfc("Heads", "keras-cv", "Ada <ada@example.com>", **kwargs)
    assert rfc.parse(path).fields["Sponsor"] == "Grace Hopper (grace@example.com)"


def test_committed_codeowners_is_up_to_date():
    maintainers = rfc.load_maintainers(workspace.ROOT)
    expected = rfc.render_codeowners(
        maintainers, list(rfc._workspace_packages(workspace.ROOT))
    )
    assert (workspace.ROOT / rfc.CODEOWNERS_FILE).read_text() == expected


def test_tools_rfc_runs_without_the_development_environment(tmp_path):
    # A copy of what the checker reads, with no .venv and no uv: under 5 s.
    clone = tmp_path / "clone"
    for part in ("tools", "governance", "MAINTAINERS"):
        source = workspace.ROOT / part
        if source.is_dir():
            shutil.copytree(
                source,
                clone / part,
                ignore=shutil.ignore_patterns("__pycache__", ".venv"),
            )
        else:
            shutil.copy(source, clone / part)
    for package in rfc._workspace_packages(workspace.ROOT).values():
        target = clone / "packages" / package.name
        target.mkdir(parents=True)
        for name in ("pyproject.toml", "api.txt"):
            shutil.copy(package / name, target / name)
    venv_bin = os.path.dirname(sys.executable)
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin
    )
    # Under 5 s of processor time (about 0.5 s: the standard library only).
    # Wall-clock time on a shared machine measures the other processes, so
    # it only guards against a hang here.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(
        [str(clone / "tools" / "rfc"), "check"], capture_output=True, text=True, env=env
    )
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(rfc.rfc_files())} RFC file(s) OK" in result.stdout
    assert not (clone / ".venv").exists() and not (clone / ".tools").exists()
    assert cpu < 5, cpu
    assert elapsed < 60, elapsed


def _workflow_rfc(folder, code):
    text = rfc_test.rfc_text().replace(
        "import keras_cv\n\nmodel = keras_cv.models.KeypointDetector(num_keypoints=17)\n"
        "model.fit(train_ds, epochs=3)",
        code,
    )
    assert code in text
    return rfc_test.write(folder, text, NAME)


def test_a_workflow_block_that_fails_is_reported(tmp_path):
    path = _workflow_rfc(
        tmp_path, "values = [1, 2]\nassert sum(values) == 4, 'sum is off'"
    )
    (problem,) = rfc.run_workflow(path, python=sys.executable)
    assert "the workflow of the Design Proposal fails (exit code 1)" in problem.message
    assert "AssertionError: sum is off" in problem.message


def test_a_workflow_block_that_runs_passes(tmp_path):
    path = _workflow_rfc(tmp_path, "values = [1, 2]\nassert sum(values) == 3")
    assert rfc.run_workflow(path, python=sys.executable) == []


def test_a_workflow_that_hangs_is_stopped(tmp_path):
    path = _workflow_rfc(tmp_path, "import time\ntime.sleep(60)")
    (problem,) = rfc.run_workflow(path, python=sys.executable, timeout=1)
    assert "did not finish within 1 s" in problem.message


@pytest.mark.large  # each workflow trains a small model: ~1 to 5 min under load
@pytest.mark.parametrize("path", rfc.rfc_files(), ids=lambda path: path.stem)
def test_every_rfc_workflow_runs_with_tools_rfc_check_run(path):
    result = subprocess.run(
        ["tools/rfc", "check", "--run", str(path)],
        cwd=workspace.ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 RFC file(s) OK" in result.stdout


def test_the_governance_readme_worked_example_quotes_what_the_tool_prints(
    tmp_path,
):
    """The messages quoted in governance/README.md's worked example are the
    ones `tools/rfc check` gives for those changes of the real keras-core RFC."""
    readme = (workspace.ROOT / "governance" / "README.md").read_text()
    example = readme.split("### Worked example")[1].split("\n## ")[0]
    stem = "20261122-keras-core"
    prefix = f"governance/rfcs/{stem}.md:"
    quoted = [
        line.strip().split(": ", 1)[1]
        for line in example.splitlines()
        if line.strip().startswith(prefix)
    ]
    assert len(quoted) == 5, quoted
    # A copy of what the checks read, as a git repository at the accepted RFC.
    repo = tmp_path / "repo"
    for name in ["MAINTAINERS", f"governance/rfcs/{stem}.md"] + [
        f"packages/{p.dist_name}/{f}"
        for p in workspace.packages()
        for f in ("pyproject.toml", "api.txt")
    ]:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(workspace.ROOT / name, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "accepted")
    path = repo / "governance" / "rfcs" / f"{stem}.md"
    accepted = path.read_text()
    assert "| Status             | Accepted |" in accepted
    maintainer = "@keras-domain-packages/maintainers"
    cv_team = "@keras-domain-packages/cv-maintainers"

    def check(text, team):
        path.write_text(text)
        problems = rfc.check_transition(
            path, "HEAD", actor="@ada", root=repo, actor_teams=[team]
        )
        problems += rfc.check_rfc(path, root=repo)
        return [p.message for p in problems]

    implemented = accepted.replace("| Accepted |", "| Implemented |", 1)
    rows = (
        "| **Target package** | keras-core |\n| **Implemented in** | 7c4059e |\n"
        "| **Public symbols** | keras_core.presets.from_preset{} |"
    )
    with_rows = implemented.replace(
        "| **Target package** | keras-core |",
        rows.format(", keras_core.presets.load_preset"),
    )
    printed = (
        check(accepted.replace("| Accepted |", "| Proposed |", 1), maintainer)
        + check(implemented, cv_team)
        + check(with_rows, maintainer)
    )
    assert sorted(quoted) == sorted(printed)
    ok = implemented.replace("| **Target package** | keras-core |", rows.format(""))
    assert check(ok, maintainer) == []
