# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/release`: release one package of the workspace on its own.

tools/release PACKAGE {major,minor,patch} [--no-build] [--no-tag]
    bump PACKAGE's version (its src/version.py only), move its CHANGELOG's
    "Unreleased" entries under the new version and today's date, refresh
    the version in its api.txt header, build its wheel and sdist into
    dist/, commit those files and tag the commit `<dist-name>==<version>`.
    Refused, before anything is written, when the working tree of the
    package is not clean, when the tag exists, when "Unreleased" is
    empty, or when the new version falls outside the range a dependant
    declares for the package.

tools/release affected [BASE]
    JSON list of the packages CI must test for the changes since BASE
    (default origin/main): the changed packages and all their dependants.

tools/release core-range PACKAGE
    JSON description of the lowest and highest keras-core versions
    PACKAGE allows that exist (released tags or the workspace), which CI
    tests it against.
"""

import dataclasses
import datetime
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion
from packaging.version import Version

from tools.lib import workspace

PARTS = ("major", "minor", "patch")
UNRELEASED = "## Unreleased"
_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
# Changes outside packages/ that cannot affect any package's tests.
_NO_PACKAGE_PREFIXES = ("governance/", ".devcontainer/", ".github/ISSUE_TEMPLATE/")
_NO_PACKAGE_FILES = ("README.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", ".gitignore")


class ReleaseError(ValueError):
    """A release that must not happen; the message says why and how to fix it."""


def packages(root=None):
    """Maps distribution name to `workspace.Package` for the workspace at root."""
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    found = {}
    for directory in sorted((root / "packages").iterdir()):
        if (directory / "pyproject.toml").is_file():
            found[directory.name] = workspace.Package(directory.name, directory)
    return found


def _relative(path, root):
    try:
        return str(pathlib.Path(path).relative_to(root))
    except ValueError:
        return str(path)


def bump(version, part):
    """'1.2.3' -> major '2.0.0', minor '1.3.0', patch '1.2.4'."""
    if part not in PARTS:
        raise ReleaseError(
            f"Unknown version part {part!r}. Fix: use one of {', '.join(PARTS)}."
        )
    parsed = Version(version)
    major, minor, patch = (list(parsed.release) + [0, 0])[:3]
    if parsed.is_prerelease or parsed.is_devrelease:
        if part == "patch":  # 1.3.0rc1 -> 1.3.0
            return f"{major}.{minor}.{patch}"
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


@dataclasses.dataclass(frozen=True)
class Dependency:
    """One dependency declaration of a package's pyproject.toml."""

    text: str  # as written, e.g. "keras-core>=1.0,<2"
    name: str
    specifier: SpecifierSet


def requirements_on(package):
    """The dependency declarations of `package`, parsed."""
    parsed = []
    for text in package.dependencies:
        requirement = Requirement(text)
        parsed.append(Dependency(text, requirement.name, requirement.specifier))
    return parsed


def dependants(dist, all_packages):
    """[(package, requirement)] of the workspace packages that depend on dist."""
    wanted = canonicalize_name(dist)
    found = []
    for other in all_packages.values():
        if other.dist_name == dist:
            continue
        for requirement in requirements_on(other):
            if canonicalize_name(requirement.name) == wanted:
                found.append((other, requirement))
    return found


def range_problems(dist, new_version, all_packages, root):
    """Messages for every dependant whose declared range excludes new_version."""
    problems = []
    for other, requirement in dependants(dist, all_packages):
        if requirement.specifier.contains(new_version, prereleases=True):
            continue
        pyproject = _relative(other.directory / "pyproject.toml", root)
        extra = ""
        if dist == "keras-core":
            extra = (
                f" and KERAS_CORE_REQUIREMENT in {_relative(other.version_file, root)}"
            )
        problems.append(
            f"{pyproject}: {other.dist_name} declares '{requirement.text}', which "
            f"excludes {dist} {new_version}. Fix: first widen that range{extra} "
            f"to include {new_version}, test {other.dist_name} against both ends "
            f"of the new range, and release it; or make a smaller bump of {dist} "
            "if the change is compatible."
        )
    return problems


def move_changelog(text, version, date, path="CHANGELOG.md"):
    """Moves the entries under '## Unreleased' to '## <version> - <date>'."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == UNRELEASED)
    except StopIteration:
        raise ReleaseError(
            f"{path} has no '{UNRELEASED}' section. Fix: add one on top of the "
            "released versions and list the changes of this release under it."
        ) from None
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
        len(lines),
    )
    body = lines[start + 1 : end]
    if not any(line.strip() for line in body):
        raise ReleaseError(
            f"{path}: the '{UNRELEASED}' section (line {start + 1}) is empty, so "
            "there is nothing to release. Fix: list the changes under it "
            "(### Added / ### Changed / ### Fixed) and commit them first."
        )
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    new = (
        lines[: start + 1]
        + ["", f"## {version} - {date.isoformat()}", ""]
        + body
        + ([""] if end < len(lines) else [])
        + lines[end:]
    )
    return "\n".join(new) + "\n"


def set_version(text, version, path="version.py"):
    if len(_VERSION_LINE.findall(text)) != 1:
        raise ReleaseError(
            f'{path} must contain exactly one line `__version__ = "X.Y.Z"`. Fix: '
            "restore that line."
        )
    return _VERSION_LINE.sub(f'__version__ = "{version}"', text)


def _git(root, *args, check=True):
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise ReleaseError(f"`git {' '.join(args)}` failed: {result.stderr.strip()}")
    return result


def find_uv(root=None):
    """The uv the bootstrap installed (in this root or the real workspace)."""
    if os.environ.get("UV"):
        return os.environ["UV"]
    for base in (pathlib.Path(root or workspace.ROOT), workspace.ROOT):
        candidates = sorted(base.glob(".tools/uv-*/bin/uv"))
        if candidates:
            return str(candidates[-1])
    found = shutil.which("uv")
    if found:
        return found
    raise ReleaseError(
        "uv was not found. Fix: run any tool (e.g. `tools/test`) once to bootstrap it."
    )


def build(package, root, out_dir):
    """Builds the wheel and the sdist of one package into out_dir."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            find_uv(root),
            "build",
            "--package",
            package.dist_name,
            "--out-dir",
            str(out_dir),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    if result.returncode != 0:
        raise ReleaseError(
            f"building {package.dist_name} failed:\n{result.stderr.strip()[-3000:]}\n"
            f"Fix: run `uv build --package {package.dist_name}` and correct the "
            f"error in {_relative(package.directory / 'pyproject.toml', root)}."
        )
    stem = package.import_name
    version = package.version
    artifacts = [
        out_dir / f"{stem}-{version}-py3-none-any.whl",
        out_dir / f"{stem}-{version}.tar.gz",
    ]
    missing = [a.name for a in artifacts if not a.is_file()]
    if missing:
        raise ReleaseError(
            f"the build did not produce {', '.join(missing)} in {out_dir}."
        )
    return artifacts


def release(
    dist, part, root=None, today=None, do_build=True, do_tag=True, out_dir=None
):
    """Releases one package; returns a dict describing what was done.

    Every check runs before any file is written; if the build fails, the
    files are restored.
    """
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    today = today or datetime.datetime.now(datetime.UTC).date()
    all_packages = packages(root)
    if dist not in all_packages:
        by_import = {p.import_name: name for name, p in all_packages.items()}
        hint = f" Did you mean {by_import[dist]!r}?" if dist in by_import else ""
        raise ReleaseError(
            f"Unknown package {dist!r}.{hint} Fix: use one of "
            f"{', '.join(all_packages)}."
        )
    package = all_packages[dist]
    if part not in PARTS:
        raise ReleaseError(
            f"Unknown version part {part!r}. Fix: use one of {', '.join(PARTS)}."
        )
    try:
        old_version = package.version
        new_version = bump(old_version, part)
    except InvalidVersion as error:
        raise ReleaseError(
            f"{_relative(package.version_file, root)}: {error}. Fix: write a PEP 440 "
            'version such as __version__ = "1.0.0".'
        ) from error
    tag = f"{dist}=={new_version}"

    problems = range_problems(dist, new_version, all_packages, root)
    if problems:
        raise ReleaseError(
            f"Refusing to release {dist} {new_version} ({part} bump from "
            f"{old_version}):\n" + "\n".join(f"  {p}" for p in problems)
        )
    relative_dir = _relative(package.directory, root)
    if do_tag:
        status = _git(root, "status", "--porcelain", "--", relative_dir).stdout
        if status.strip():
            raise ReleaseError(
                f"{relative_dir} has uncommitted changes:\n{status.rstrip()}\n"
                "Fix: commit or remove them; a release is made from committed code."
            )
        if (
            _git(
                root,
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/tags/{tag}",
                check=False,
            ).returncode
            == 0
        ):
            raise ReleaseError(
                f"The tag {tag!r} already exists. Fix: bump to another version, or "
                "delete the tag if it was made by mistake and never published."
            )

    changelog = package.directory / "CHANGELOG.md"
    api_txt = package.directory / "api.txt"
    originals = {
        path: path.read_text()
        for path in (package.version_file, changelog, api_txt)
        if path.exists()
    }
    if changelog not in originals:
        raise ReleaseError(
            f"{_relative(changelog, root)} does not exist. Fix: create it with a "
            f"'{UNRELEASED}' section listing the changes."
        )
    new_files = {
        package.version_file: set_version(
            originals[package.version_file],
            new_version,
            _relative(package.version_file, root),
        ),
        changelog: move_changelog(
            originals[changelog], new_version, today, _relative(changelog, root)
        ),
    }
    if api_txt in originals:
        new_files[api_txt] = originals[api_txt].replace(
            f"# Public API of {dist} {old_version}.",
            f"# Public API of {dist} {new_version}.",
            1,
        )

    for path, text in new_files.items():
        path.write_text(text)
    artifacts = []
    try:
        if do_build:
            artifacts = build(package, root, out_dir or root / "dist")
    except BaseException:
        for path, text in originals.items():
            path.write_text(text)
        raise
    if do_tag:
        files = [_relative(p, root) for p in new_files]
        _git(root, "add", "--", *files)
        _git(root, "commit", "-q", "-m", f"{dist}: release {new_version}", "--", *files)
        _git(root, "tag", "-a", tag, "-m", f"{dist} {new_version}")
    return {
        "package": dist,
        "old_version": old_version,
        "version": new_version,
        "tag": tag if do_tag else None,
        "files": [_relative(p, root) for p in new_files],
        "artifacts": [_relative(a, root) for a in artifacts],
    }


def package_of(path, all_packages):
    """The package a repository path belongs to, None for none, '*' for all."""
    path = path.strip()
    parts = path.split("/")
    if parts[0] == "packages" and len(parts) > 1:
        return parts[1] if parts[1] in all_packages else None
    if parts[0] in ("examples", "benchmarks") and len(parts) > 2:
        by_import = {p.import_name: name for name, p in all_packages.items()}
        return by_import.get(parts[1], "*")
    if path.startswith(_NO_PACKAGE_PREFIXES) or path in _NO_PACKAGE_FILES:
        return None
    return "*"  # tools/, root configuration, workflows, lock file: everything


def affected(changed_files, all_packages):
    """The packages to test for these changed files: changed ones + dependants."""
    selected = set()
    for path in changed_files:
        owner = package_of(path, all_packages)
        if owner == "*":
            selected = set(all_packages)
            break
        if owner:
            selected.add(owner)
    queue = list(selected)
    while queue:
        dist = queue.pop()
        for other, _ in dependants(dist, all_packages):
            if other.dist_name not in selected:
                selected.add(other.dist_name)
                queue.append(other.dist_name)
    return sorted(selected, key=lambda d: (d != "keras-core", d))


def core_range(dist, root=None):
    """The ends of the keras-core range of `dist` that CI tests it against.

    Candidates are the released keras-core versions (tags
    `keras-core==X`) and the workspace version; each end is the lowest or
    highest candidate inside the declared range, with the git ref to build
    it from ("HEAD" for the workspace).
    """
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    all_packages = packages(root)
    if dist not in all_packages:
        raise ReleaseError(
            f"Unknown package {dist!r}. Fix: use one of {', '.join(all_packages)}."
        )
    requirement = next(
        (
            r
            for r in requirements_on(all_packages[dist])
            if canonicalize_name(r.name) == "keras-core"
        ),
        None,
    )
    if requirement is None:
        raise ReleaseError(
            f"{dist} does not depend on keras-core; there is no range to test."
        )
    candidates = {Version(all_packages["keras-core"].version): "HEAD"}
    tags = _git(root, "tag", "--list", "keras-core==*", check=False).stdout.split()
    for tag in tags:
        try:
            candidates.setdefault(Version(tag.split("==", 1)[1]), tag)
        except InvalidVersion:
            continue
    spec = SpecifierSet(str(requirement.specifier))
    inside = sorted(v for v in candidates if spec.contains(v, prereleases=True))
    if not inside:
        raise ReleaseError(
            f"packages/{dist}/pyproject.toml: no keras-core version satisfies "
            f"'{requirement.text}' (workspace: {all_packages['keras-core'].version}). Fix: "
            "widen the range to include the workspace keras-core."
        )
    low, high = inside[0], inside[-1]
    return {
        "package": dist,
        "requirement": requirement.text,
        "lowest": {"version": str(low), "ref": candidates[low]},
        "highest": {"version": str(high), "ref": candidates[high]},
    }


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "affected":
            base = argv[1] if len(argv) > 1 else "origin/main"
            diff = _git(
                workspace.ROOT, "diff", "--name-only", f"{base}...HEAD", check=False
            )
            if diff.returncode != 0:  # unknown base (new branch, shallow clone): all
                print(f"unknown base {base!r}: testing every package", file=sys.stderr)
                print(json.dumps(affected(["pyproject.toml"], packages())))
                return 0
            print(json.dumps(affected(diff.stdout.split(), packages())))
            return 0
        if argv and argv[0] == "core-range":
            if len(argv) != 2:
                print("usage: tools/release core-range PACKAGE", file=sys.stderr)
                return 2
            print(json.dumps(core_range(argv[1])))
            return 0
        positional = [a for a in argv if not a.startswith("--")]
        flags = {a for a in argv if a.startswith("--")}
        unknown = flags - {"--no-build", "--no-tag"}
        if len(positional) != 2 or unknown or "-h" in argv:
            print(__doc__, file=sys.stderr)
            return 2
        result = release(
            positional[0],
            positional[1],
            do_build="--no-build" not in flags,
            do_tag="--no-tag" not in flags,
        )
    except ReleaseError as error:
        print(f"tools/release: {error}", file=sys.stderr)
        return 1
    print(
        f"released {result['package']} {result['old_version']} -> {result['version']}"
    )
    for name in result["files"]:
        print(f"  updated {name}")
    for name in result["artifacts"]:
        print(f"  built   {name}")
    if result["tag"]:
        print(
            f"  tagged  {result['tag']}  (push it: git push origin '{result['tag']}')"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
