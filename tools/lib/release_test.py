# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/release` on a temporary copy of the workspace (never the real repo)."""

import datetime
import shutil
import subprocess
import tarfile
import zipfile

import pytest

from tools.lib import release
from tools.lib import workspace

TODAY = datetime.date(2026, 11, 23)


def git(root, *args):
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path):
    """A git repository holding a copy of the workspace's release-relevant files.

    Every package keeps its real pyproject.toml, README.md, CHANGELOG.md,
    api.txt and version.py; its import package is reduced to version.py and
    an empty __init__.py so that building it is quick.
    """
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(workspace.ROOT / "pyproject.toml", root)
    for package in workspace.packages():
        target = root / "packages" / package.dist_name
        src = target / package.import_name / "src"
        src.mkdir(parents=True)
        for name in ("pyproject.toml", "README.md", "CHANGELOG.md", "api.txt"):
            if (package.directory / name).exists():
                shutil.copy(package.directory / name, target / name)
        shutil.copy(package.version_file, src / "version.py")
        (src / "__init__.py").write_text("")
        (target / package.import_name / "__init__.py").write_text("")
    git(root, "init", "-q")
    git(root, "config", "user.email", "release-test@example.com")
    git(root, "config", "user.name", "Release Test")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "copy of the workspace")
    return root


def read(root, relative):
    return (root / relative).read_text()


def test_bump():
    assert release.bump("1.2.3", "major") == "2.0.0"
    assert release.bump("1.2.3", "minor") == "1.3.0"
    assert release.bump("1.2.3", "patch") == "1.2.4"
    assert release.bump("2.0", "patch") == "2.0.1"
    assert release.bump("1.3.0rc1", "patch") == "1.3.0"
    with pytest.raises(release.ReleaseError, match="'micro'.*major, minor, patch"):
        release.bump("1.0.0", "micro")


def test_move_changelog():
    text = (
        "# Changelog\n\nIntro.\n\n## Unreleased\n\n### Added\n- A thing.\n\n"
        "## 1.0.0 - 2026-01-01\n\n- First.\n"
    )
    moved = release.move_changelog(text, "1.1.0", TODAY)
    assert moved == (
        "# Changelog\n\nIntro.\n\n## Unreleased\n\n## 1.1.0 - 2026-11-23\n\n"
        "### Added\n- A thing.\n\n## 1.0.0 - 2026-01-01\n\n- First.\n"
    )
    with pytest.raises(
        release.ReleaseError, match="is empty, so there is nothing to release"
    ):
        release.move_changelog(moved, "1.2.0", TODAY)
    with pytest.raises(release.ReleaseError, match="has no '## Unreleased' section"):
        release.move_changelog("# Changelog\n", "1.2.0", TODAY)


def test_patch_release_bumps_one_package_builds_and_tags(repo):
    cv = "packages/keras-cv"
    before = {p.dist_name: p.version for p in release.packages(repo).values()}
    result = release.release("keras-cv", "patch", root=repo, today=TODAY)

    old, new = before["keras-cv"], release.bump(before["keras-cv"], "patch")
    assert result["version"] == new and result["tag"] == f"keras-cv=={new}"
    after = {p.dist_name: p.version for p in release.packages(repo).values()}
    assert after == {**before, "keras-cv": new}  # no other package moved

    changelog = read(repo, f"{cv}/CHANGELOG.md")
    assert f"## Unreleased\n\n## {new} - 2026-11-23\n\n### Added" in changelog
    assert read(repo, f"{cv}/api.txt").startswith(f"# Public API of keras-cv {new}.")
    assert f"keras-cv {old}." not in read(repo, f"{cv}/api.txt")

    # One commit touching only the package's three files, tagged.
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted(
        [f"{cv}/CHANGELOG.md", f"{cv}/api.txt", f"{cv}/keras_cv/src/version.py"]
    )
    assert git(repo, "rev-parse", f"keras-cv=={new}^{{commit}}") == git(
        repo, "rev-parse", "HEAD"
    )
    assert git(repo, "status", "--porcelain") == ""  # uv ignores dist/ itself

    # Wheel and sdist carry the new version.
    wheel = repo / "dist" / f"keras_cv-{new}-py3-none-any.whl"
    sdist = repo / "dist" / f"keras_cv-{new}.tar.gz"
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"keras_cv-{new}.dist-info/METADATA").decode()
    assert (
        f"Version: {new}" in metadata
        and "Requires-Dist: keras-core<2,>=1.0" in metadata
    )
    with tarfile.open(sdist) as archive:
        assert f"keras_cv-{new}/CHANGELOG.md" in archive.getnames()


def test_major_core_bump_that_breaks_dependants_is_refused(repo):
    with pytest.raises(release.ReleaseError) as info:
        release.release("keras-core", "major", root=repo, today=TODAY)
    message = str(info.value)
    assert "keras-core 2.0.0" in message
    assert (
        "packages/keras-cv/pyproject.toml: keras-cv declares 'keras-core>=1.0,<2'"
        in message
    )
    assert (
        "KERAS_CORE_REQUIREMENT in packages/keras-cv/keras_cv/src/version.py" in message
    )
    assert "Fix: first widen that range" in message
    # Nothing was written, committed or tagged.
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "tag") == ""


def test_minor_core_bump_inside_the_ranges_is_allowed(repo):
    result = release.release(
        "keras-core", "minor", root=repo, today=TODAY, do_build=False
    )
    assert result["version"] == "1.1.0" and result["tag"] == "keras-core==1.1.0"
    assert release.packages(repo)["keras-core"].version == "1.1.0"


def test_major_bump_of_a_domain_dependency_is_refused(repo):
    with pytest.raises(
        release.ReleaseError, match=r"keras-cv declares 'keras-applications>=2\.0,<3'"
    ):
        release.release(
            "keras-applications", "major", root=repo, today=TODAY, do_build=False
        )


def test_refusals(repo):
    with pytest.raises(
        release.ReleaseError,
        match="Unknown package 'keras_cv'. Did you mean 'keras-cv'",
    ):
        release.release("keras_cv", "patch", root=repo)
    with pytest.raises(release.ReleaseError, match="Unknown version part 'huge'"):
        release.release("keras-cv", "huge", root=repo)
    # Uncommitted changes in the package.
    (repo / "packages/keras-nlp/README.md").write_text("edited\n")
    with pytest.raises(
        release.ReleaseError, match="packages/keras-nlp has uncommitted changes"
    ):
        release.release("keras-nlp", "patch", root=repo, do_build=False)
    git(repo, "checkout", "--", "packages/keras-nlp/README.md")
    # Nothing under Unreleased.
    release.release("keras-nlp", "patch", root=repo, today=TODAY, do_build=False)
    with pytest.raises(
        release.ReleaseError,
        match="CHANGELOG.md: the '## Unreleased' section .* is empty",
    ):
        release.release("keras-nlp", "patch", root=repo, today=TODAY, do_build=False)
    # An existing tag.
    version = release.bump(release.packages(repo)["keras-tuner"].version, "patch")
    git(repo, "tag", f"keras-tuner=={version}")
    with pytest.raises(
        release.ReleaseError, match=f"tag 'keras-tuner=={version}' already exists"
    ):
        release.release("keras-tuner", "patch", root=repo, do_build=False)


def test_failed_build_restores_the_files(repo, monkeypatch):
    def broken_build(*args, **kwargs):
        raise release.ReleaseError("building failed")

    monkeypatch.setattr(release, "build", broken_build)
    with pytest.raises(release.ReleaseError, match="building failed"):
        release.release("keras-cv", "minor", root=repo)
    assert git(repo, "status", "--porcelain") == ""


def test_affected_packages():
    all_packages = release.packages()
    everything = sorted(all_packages, key=lambda d: (d != "keras-core", d))
    assert release.affected(
        ["packages/keras-applications/keras_applications/x.py"], all_packages
    ) == [
        "keras-applications",
        "keras-cv",
    ]
    assert release.affected(["packages/keras-core/api.txt"], all_packages) == everything
    assert release.affected(["examples/keras_nlp/bert.py"], all_packages) == [
        "keras-nlp"
    ]
    assert (
        release.affected(["governance/rfcs/20261122-x.md", "README.md"], all_packages)
        == []
    )
    assert release.affected(["tools/lib/api.py"], all_packages) == everything
    assert release.affected(["uv.lock"], all_packages) == everything
    assert everything[0] == "keras-core" and len(everything) == 6


def test_core_range_uses_released_tags(repo):
    ends = release.core_range("keras-cv", root=repo)
    assert ends["requirement"] == "keras-core>=1.0,<2"
    assert ends["lowest"] == ends["highest"] == {"version": "1.0.0", "ref": "HEAD"}
    git(repo, "tag", "keras-core==1.0.0")
    release.release("keras-core", "minor", root=repo, today=TODAY, do_build=False)
    git(repo, "tag", "keras-core==0.9.0")  # outside the range: ignored
    ends = release.core_range("keras-cv", root=repo)
    assert ends["lowest"] == {"version": "1.0.0", "ref": "keras-core==1.0.0"}
    assert ends["highest"] == {"version": "1.1.0", "ref": "HEAD"}
    with pytest.raises(release.ReleaseError, match="does not depend on keras-core"):
        release.core_range("keras-core", root=repo)
