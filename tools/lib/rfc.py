# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/rfc`: create and validate design proposals in governance/rfcs/.

    tools/rfc new "Title" --package keras-cv --author "Name <email>"
    tools/rfc check [FILE ...]          default: every RFC in governance/rfcs/
    tools/rfc check --base origin/main --actor @handle [--actor-team @org/team]
                                        also check status transitions
    tools/rfc codeowners [--check]      write .github/CODEOWNERS from MAINTAINERS

The format is described in governance/rfcs/README.md. Every problem is
reported as `path:line: message` with the offending value and the fix.
"""

import argparse
import ast
import dataclasses
import datetime
import difflib
import os
import pathlib
import re
import sys

from tools.lib import workspace

RFC_DIR = workspace.ROOT / "governance" / "rfcs"
TEMPLATE = RFC_DIR / "TEMPLATE.md"
NOT_RFCS = ("README.md", "TEMPLATE.md")

STATUSES = (
    "Proposed",
    "Accepted",
    "Rejected",
    "Withdrawn",
    "Implemented",
    "Superseded",
    "Obsolete",
)
# The status changes a pull request may make (checked against the base branch).
TRANSITIONS = {
    "Proposed": ("Accepted", "Rejected", "Withdrawn"),
    "Accepted": ("Implemented", "Superseded"),
    "Implemented": ("Superseded", "Obsolete"),
    "Rejected": (),
    "Withdrawn": (),
    "Superseded": (),
    "Obsolete": (),
}
NEW_RFC_STATUS = "Proposed"
MAINTAINERS_FILE = "MAINTAINERS"
CODEOWNERS_FILE = pathlib.Path(".github") / "CODEOWNERS"
# Statuses a stable symbol may cite.
CITABLE_STATUSES = ("Accepted", "Implemented")
REQUIRED_FIELDS = ("Status", "Author(s)", "Sponsor", "Updated", "Target package")
OPTIONAL_FIELDS = (
    "Implemented in",
    "Public symbols",
    "Replaced by",
    "Obsoletes",
    "API changes",
)
SECTIONS = (
    "Objective",
    "Motivation",
    "User Benefit",
    "Design Proposal",
    "Detailed Design",
    "Questions and Discussion Topics",
)
NAME_PATTERN = re.compile(r"^(\d{8})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
STEM_PATTERN = re.compile(r"^\d{8}-[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"[^\s()<>@,]+@[^\s()<>@,]+\.[A-Za-z]{2,}")
PERSON_PATTERN = re.compile(
    r"^[^()<>,]*\S[^()<>,]*\(\s*" + EMAIL_PATTERN.pattern + r"\s*\)$"
)
PUBLIC_PATH_PATTERN = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
PULL_REQUEST_PATTERN = re.compile(r"(#\d+|https?://\S+/pull/\d+|\b[0-9a-f]{7,40}\b)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with one RFC file."""

    path: pathlib.Path
    line: int
    message: str

    def __str__(self):
        return f"{_display(self.path)}:{self.line}: {self.message}"


@dataclasses.dataclass
class Rfc:
    """What an RFC file says (whatever could be parsed of it)."""

    path: pathlib.Path
    title: str | None = None
    fields: dict = dataclasses.field(default_factory=dict)  # name -> value
    field_lines: dict = dataclasses.field(default_factory=dict)  # name -> line
    sections: dict = dataclasses.field(default_factory=dict)  # name -> body
    section_lines: dict = dataclasses.field(default_factory=dict)  # name -> line
    section_order: list = dataclasses.field(default_factory=list)

    @property
    def stem(self):
        return self.path.stem

    @property
    def status(self):
        return self.fields.get("Status")

    @property
    def target_package(self):
        return self.fields.get("Target package")

    @property
    def updated(self):
        return _parse_date(self.fields.get("Updated", ""))

    def list_field(self, name):
        """A comma-separated header value as a list (empty when absent)."""
        value = self.fields.get(name, "")
        return [item.strip().strip("`") for item in value.split(",") if item.strip()]


def _display(path):
    path = pathlib.Path(path)
    try:
        return str(path.resolve().relative_to(workspace.ROOT))
    except ValueError:
        return str(path)


def _parse_date(text):
    try:
        return datetime.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def _cells(line):
    """The cells of a Markdown table row, stripped."""
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [cell.strip() for cell in inner.split("|")]


def _field_name(cell):
    return cell.replace("*", "").replace("`", "").strip()


def parse(path, text=None):
    """Parses an RFC file into an `Rfc`; never raises on bad content."""
    path = pathlib.Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    rfc = Rfc(path)
    # Comments are invisible in rendered Markdown; keep their line breaks so
    # that line numbers stay right.
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.splitlines()
    current = None  # section being read
    body = []
    in_table = False
    in_fence = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if (
            not in_fence
            and stripped.startswith("## ")
            and not stripped.startswith("###")
        ):
            if current is not None:
                rfc.sections[current] = "\n".join(body)
            current = stripped[3:].strip()
            rfc.section_lines.setdefault(current, number)
            rfc.section_order.append(current)
            body = []
            continue
        if current is not None:
            body.append(line)
            continue
        if rfc.title is None and stripped.startswith("# "):
            rfc.title = stripped[2:].strip()
            rfc.field_lines["#title"] = number
            continue
        if stripped.startswith("|"):
            cells = _cells(stripped)
            if len(cells) >= 2 and not set("".join(cells)) <= set(":- "):
                name = _field_name(cells[0])
                if name not in rfc.fields:
                    rfc.fields[name] = " | ".join(cells[1:]).strip()
                    rfc.field_lines[name] = number
            in_table = True
        elif in_table and stripped:
            in_table = False
    if current is not None:
        rfc.sections[current] = "\n".join(body)
    return rfc


def _python_blocks(markdown):
    """(offset in lines, code) of every ```python block of `markdown`."""
    blocks = []
    lines = markdown.splitlines()
    start = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if start is None and re.match(r"^```\s*(python|py)\s*$", stripped):
            start = index
        elif start is not None and stripped.startswith("```"):
            blocks.append((start, "\n".join(lines[start + 1 : index])))
            start = None
    return blocks


def _workspace_packages(root):
    packages_dir = pathlib.Path(root) / "packages"
    if not packages_dir.is_dir():
        return {}
    return {
        p.name: p
        for p in sorted(packages_dir.iterdir())
        if (p / "pyproject.toml").is_file()
    }


def _api_paths(package_dir):
    """Public paths listed in a package's api.txt."""
    api = package_dir / "api.txt"
    if not api.is_file():
        return set()
    paths = set()
    for line in api.read_text().splitlines():
        parts = line.strip().split(" ", 1)
        if len(parts) == 2 and parts[0] in ("class", "def", "method", "property"):
            paths.add(re.split(r"[(\s|]", parts[1], maxsplit=1)[0])
    return paths


def _api_rfcs(package_dir):
    """Public path -> RFC id cited in a package's api.txt ('-' excluded)."""
    api = package_dir / "api.txt"
    if not api.is_file():
        return {}
    cited = {}
    for line in api.read_text().splitlines():
        parts = line.strip().split(" ", 1)
        if len(parts) != 2 or parts[0] not in ("class", "def", "method", "property"):
            continue
        path = re.split(r"[(\s|]", parts[1], maxsplit=1)[0]
        rfc_id = parts[1].rsplit("|", 1)[-1].strip()
        if rfc_id and rfc_id != "-":
            cited[path] = rfc_id
    return cited


@dataclasses.dataclass(frozen=True)
class Maintainer:
    handle: str  # @github-handle (or @org/team)
    name: str
    email: str
    packages: tuple  # distribution names, or ("*",) for every package

    @property
    def display(self):
        return f"{self.name} ({self.email}, {self.handle})"


def load_maintainers(root=None):
    """The maintainers listed in MAINTAINERS, or None when there is no file.

    Each non-comment line is `@handle | Name | email | package, package` (or
    `*` for every package).
    """
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    path = root / MAINTAINERS_FILE
    if not path.is_file():
        return None
    return parse_maintainers(path.read_text())


def parse_maintainers(text):
    """The maintainers listed in the text of a MAINTAINERS file."""
    maintainers = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("|")]
        if (
            len(cells) != 4
            or not cells[0].startswith("@")
            or not EMAIL_PATTERN.fullmatch(cells[2])
        ):
            raise ValueError(
                f"{MAINTAINERS_FILE}:{number}: {line!r} is not "
                "'@handle | Name | email | packages'. Fix: write e.g. "
                "'@ada | Ada Lovelace | ada@example.org | keras-cv, keras-core'."
            )
        packages = tuple(p.strip() for p in cells[3].split(",") if p.strip())
        maintainers.append(Maintainer(cells[0], cells[1], cells[2], packages))
    return maintainers


def maintainers_of(maintainers, package):
    return [m for m in maintainers if "*" in m.packages or package in m.packages]


def render_codeowners(maintainers, packages):
    """The text of .github/CODEOWNERS (generated; never edited by hand).

    The maintainers of every package (`*`) own the repository, governance/,
    MAINTAINERS and CODEOWNERS; each package's folder is owned by its own
    maintainers; any maintainer may review an RFC (the sponsor and the
    status changes are checked against the RFC's package by `tools/rfc`).
    GitHub applies the last matching line.
    """
    everyone = sorted({m.handle for m in maintainers})
    leads = sorted({m.handle for m in maintainers if "*" in m.packages}) or everyone
    lines = [
        f"# Generated from {MAINTAINERS_FILE} by `tools/rfc codeowners`; do not edit.",
        "# GitHub applies the last line that matches a changed file.",
        f"* {' '.join(leads)}",
    ]
    for package in packages:
        owners = sorted({m.handle for m in maintainers_of(maintainers, package)})
        if owners:
            lines.append(f"/packages/{package}/ {' '.join(owners)}")
    lines.append(f"/governance/ {' '.join(leads)}")
    lines.append(f"/governance/rfcs/ {' '.join(everyone)}")
    lines.append(f"/{MAINTAINERS_FILE} {' '.join(leads)}")
    lines.append(f"/{CODEOWNERS_FILE.as_posix()} {' '.join(leads)}")
    return "\n".join(lines) + "\n"


def _git_show(root, ref, relative):
    """The text of `relative` at `ref`, or None if it does not exist there."""
    import subprocess

    result = subprocess.run(
        ["git", "-C", str(root), "show", f"{ref}:{relative}"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        verify = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", ref],
            capture_output=True,
        )
        if verify.returncode != 0:
            raise ValueError(
                f"--base {ref!r} is not a git revision of {root}. Fix: pass the "
                "branch the change will merge into, e.g. origin/main (fetch it first)."
            )
        return None
    return result.stdout


def check_transition(path, base, actor=None, root=None, actor_teams=()):
    """Problems with the status change of one RFC relative to git ref `base`.

    A new RFC must be Proposed; a changed status must follow `TRANSITIONS`
    and be made by a maintainer of the target package: `actor` (a handle)
    is one, or belongs to one of `actor_teams` (team handles `@org/team`,
    as CI finds them for the pull request's author) that is one.
    """
    path = pathlib.Path(path)
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    problems = []
    if not path.is_file():
        return problems
    rfc = parse(path)
    line = rfc.field_lines.get("Status", 1)
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return [Problem(path, 0, f"is not inside {root}; cannot compare with --base.")]
    old_text = _git_show(root, base, relative)
    status = rfc.status
    if old_text is None:
        if status != NEW_RFC_STATUS:
            problems.append(
                Problem(
                    path,
                    line,
                    f"a new RFC must have Status {NEW_RFC_STATUS!r}, not {status!r} "
                    f"(it does not exist in {base}). Fix: write "
                    f"'{NEW_RFC_STATUS}'; a maintainer changes it after review, "
                    "in a later pull request.",
                )
            )
        return problems
    old_status = parse(path, old_text).status
    if old_status == status:
        return problems
    allowed = TRANSITIONS.get(old_status, ())
    if status not in allowed:
        problems.append(
            Problem(
                path,
                line,
                f"Status changed from {old_status!r} to {status!r}, which is not "
                f"allowed. From {old_status!r} the status may become "
                f"{', '.join(repr(a) for a in allowed) or 'nothing (final)'}. Fix: "
                f"restore {old_status!r}, or write a new RFC.",
            )
        )
        return problems
    # Who may change a status is decided by MAINTAINERS as it is in the base,
    # so that a change cannot make its own author a maintainer.
    base_maintainers = _git_show(root, base, MAINTAINERS_FILE)
    maintainers = (
        parse_maintainers(base_maintainers)
        if base_maintainers is not None
        else load_maintainers(root) or []
    )
    target = rfc.target_package or ""
    owners = maintainers_of(maintainers, target)
    if actor is None:
        problems.append(
            Problem(
                path,
                line,
                f"Status changed from {old_status!r} to {status!r}; only a "
                f"maintainer of {target} may do that, and no --actor was given. "
                "Fix: pass --actor @handle (CI passes the pull request's author).",
            )
        )
    elif not {actor.lower(), *(t.lower() for t in actor_teams)} & {
        m.handle.lower() for m in owners
    }:
        teams = (
            f" (member of {', '.join(actor_teams)})" if actor_teams else " (in no team)"
        )
        problems.append(
            Problem(
                path,
                line,
                f"Status changed from {old_status!r} to {status!r} by {actor}{teams}, "
                f"who is not a maintainer of {target} in {MAINTAINERS_FILE}. Fix: "
                f"ask a member of "
                f"{', '.join(m.handle for m in owners) or '(nobody)'} to make the "
                "change.",
            )
        )
    return problems


def workflow_code(rfc):
    """The ```python blocks of the Design Proposal, joined in order."""
    blocks = _python_blocks(rfc.sections.get("Design Proposal", ""))
    return "\n\n".join(code for _, code in blocks)


def run_workflow(path, root=None, python=None, timeout=900):
    """Runs the Design Proposal's workflow in a fresh subprocess.

    The blocks are executed in order, as one script, in an empty temporary
    directory, with the workspace's interpreter (`.venv/bin/python` when it
    exists) and `KERAS_BACKEND=tensorflow`. The workflow must bring its own
    small inputs. Returns a list with one `Problem` if it fails or times out.
    """
    import subprocess
    import tempfile

    path = pathlib.Path(path)
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    rfc = parse(path)
    line = rfc.section_lines.get("Design Proposal", 1)
    code = workflow_code(rfc)
    if not code.strip():
        return [Problem(path, line, "the Design Proposal has no workflow to run.")]
    if python is None:
        venv = root / ".venv" / "bin" / "python"
        python = str(venv) if venv.is_file() else sys.executable
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(root)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    with tempfile.TemporaryDirectory() as scratch:
        try:
            result = subprocess.run(
                [python, "-c", code],
                cwd=scratch,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return [
                Problem(
                    path,
                    line,
                    f"the workflow did not finish within {timeout} s. Fix: run it "
                    "on smaller inputs (fewer samples, epochs and steps).",
                )
            ]
    if result.returncode != 0:
        tail = "\n    ".join(result.stderr.strip().splitlines()[-6:])
        return [
            Problem(
                path,
                line,
                f"the workflow of the Design Proposal fails (exit code "
                f"{result.returncode}):\n    {tail}\nFix: make the ```python "
                "blocks a runnable script that defines its own small inputs.",
            )
        ]
    return []


def check_rfc(path, today=None, root=None, rfc_dir=None):
    """Returns the problems of one RFC file (an empty list when it is valid)."""
    path = pathlib.Path(path)
    today = today or datetime.datetime.now(datetime.UTC).date()
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    rfc_dir = pathlib.Path(rfc_dir) if rfc_dir is not None else path.parent
    problems = []

    def report(line, message):
        problems.append(Problem(path, line, message))

    if not path.is_file():
        report(0, "no such file. Fix: pass the path of an RFC in governance/rfcs/.")
        return problems
    text = path.read_text(encoding="utf-8")
    rfc = parse(path, text)

    # File name.
    match = NAME_PATTERN.match(path.name)
    file_date = None
    if not match:
        report(
            1,
            f"file name {path.name!r} does not match YYYYMMDD-kebab-title.md. Fix: "
            "rename it, e.g. '20261122-keypoint-detection-heads.md' (lower-case "
            "words joined by '-'), or create it with `tools/rfc new`.",
        )
    else:
        try:
            file_date = datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
        except ValueError:
            report(
                1,
                f"file name {path.name!r} starts with {match.group(1)!r}, which is "
                "not a real date. Fix: use the date the RFC was created, as YYYYMMDD.",
            )
        else:
            if file_date > today:
                report(
                    1,
                    f"file name date {match.group(1)} is in the future (today is "
                    f"{today:%Y%m%d}). Fix: use the date the RFC was created.",
                )

    # Title.
    if rfc.title is None or not rfc.title:
        report(
            1, "missing title. Fix: make the first line '# <Title of the proposal>'."
        )
    elif rfc.field_lines.get("#title") != 1:
        report(
            rfc.field_lines["#title"],
            "the title must be the first line of the file. Fix: move "
            f"'# {rfc.title}' to line 1.",
        )
    elif rfc.title.lower().startswith("title of"):
        report(1, f"title {rfc.title!r} is the template's. Fix: write the real title.")

    # Header table.
    table_line = min(rfc.field_lines.get(f, 10**9) for f in REQUIRED_FIELDS)
    table_line = 2 if table_line == 10**9 else table_line
    for name in rfc.fields:
        if name in REQUIRED_FIELDS or name in OPTIONAL_FIELDS:
            continue
        guess = difflib.get_close_matches(name, REQUIRED_FIELDS + OPTIONAL_FIELDS, n=1)
        hint = f"did you mean {guess[0]!r}? " if guess else ""
        report(
            rfc.field_lines[name],
            f"unknown header row {name!r}. Fix: {hint}the rows are "
            f"{', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}.",
        )
    for name in REQUIRED_FIELDS:
        if name not in rfc.fields:
            report(
                table_line,
                f"the header table has no {name!r} row. Fix: add "
                f"'| **{name}** | ... |' (see governance/rfcs/TEMPLATE.md).",
            )
        elif not rfc.fields[name]:
            report(
                rfc.field_lines[name], f"the {name!r} row is empty. Fix: fill it in."
            )

    status = rfc.fields.get("Status")
    if status:
        if status not in STATUSES:
            guess = difflib.get_close_matches(
                status.strip("*` ").capitalize(), STATUSES, n=1, cutoff=0.5
            )
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            report(
                rfc.field_lines["Status"],
                f"Status {status!r} is not one of {', '.join(STATUSES)}. Fix: "
                f"{hint}write exactly one of them.",
            )

    for role in ("Author(s)", "Sponsor"):
        value = rfc.fields.get(role)
        if not value:
            continue
        people = [p.strip() for p in re.split(r",(?![^()]*\))", value) if p.strip()]
        for person in people:
            if not PERSON_PATTERN.match(person):
                report(
                    rfc.field_lines[role],
                    f"{role} entry {person!r} is not 'Name (email)'. Fix: write e.g. "
                    "'Ada Lovelace (ada@example.org)'; separate several people "
                    "with commas.",
                )
            elif person.startswith("Your Name") or "you@example.org" in person:
                report(
                    rfc.field_lines[role],
                    f"{role} entry {person!r} is the template's placeholder. Fix: "
                    "write the real name and email.",
                )

    updated_text = rfc.fields.get("Updated")
    if updated_text:
        updated = (
            _parse_date(updated_text)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", updated_text)
            else None
        )
        line = rfc.field_lines["Updated"]
        if updated is None:
            report(
                line,
                f"Updated {updated_text!r} is not a real date in the form YYYY-MM-DD. "
                f"Fix: write the date of the last change, e.g. {today.isoformat()}.",
            )
        elif updated > today:
            report(
                line,
                f"Updated {updated_text} is in the future (today is {today}). Fix: "
                "write the date of the last change.",
            )
        elif file_date is not None and updated < file_date:
            report(
                line,
                f"Updated {updated_text} is before the RFC was created "
                f"({file_date}, from its file name). Fix: write the date of the "
                "last change.",
            )

    packages = _workspace_packages(root)
    target = rfc.fields.get("Target package")
    if target:
        if target not in packages:
            guess = difflib.get_close_matches(
                target.replace("_", "-"), list(packages), n=1
            )
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            report(
                rfc.field_lines["Target package"],
                f"Target package {target!r} is not a package of this workspace. "
                f"Fix: {hint}use one of {', '.join(packages)} (the distribution "
                "name, as in packages/<name>/).",
            )

    # Status-specific rows.
    if status == "Implemented":
        where = rfc.fields.get("Implemented in", "")
        if not where:
            report(
                rfc.field_lines["Status"],
                "an Implemented RFC must name the pull request or commit that "
                "landed it. Fix: add '| **Implemented in** | #123 |' (or the pull "
                "request URL, or the commit hash).",
            )
        elif not PULL_REQUEST_PATTERN.search(where):
            report(
                rfc.field_lines["Implemented in"],
                f"Implemented in {where!r} names no pull request or commit. Fix: "
                "write '#123', a pull request URL or a commit hash.",
            )
        symbols = rfc.list_field("Public symbols")
        if not symbols:
            report(
                rfc.field_lines["Status"],
                "an Implemented RFC must list the public symbols it covers. Fix: "
                "add '| **Public symbols** | keras_cv.ops.BoxMatcher, ... |'.",
            )
        elif target in packages:
            known = _api_paths(packages[target])
            for symbol in symbols:
                if not PUBLIC_PATH_PATTERN.match(symbol) or symbol not in known:
                    report(
                        rfc.field_lines["Public symbols"],
                        f"public symbol {symbol!r} is not in "
                        f"packages/{target}/api.txt. Fix: list public paths as "
                        "they appear there (run `tools/api generate` first if "
                        "the export is new).",
                    )
    if status in ("Obsolete", "Superseded") and not rfc.fields.get("Replaced by"):
        report(
            rfc.field_lines["Status"],
            f"an {status} RFC must name what replaced it. Fix: add "
            "'| **Replaced by** | YYYYMMDD-newer-design |'.",
        )
    if status == "Implemented" and target in packages:
        cited = _api_rfcs(packages[target])
        known = _api_paths(packages[target])
        for symbol in rfc.list_field("Public symbols"):
            if symbol not in known or cited.get(symbol) == rfc.stem:
                continue  # a missing symbol is reported above
            citation = (
                f"citing RFC {cited[symbol]!r}"
                if symbol in cited
                else "without an RFC (experimental)"
            )
            report(
                rfc.field_lines["Public symbols"],
                f"public symbol {symbol!r} is exported {citation}, not with this "
                f"one ({rfc.stem!r}). Fix: export it with "
                f'`stability="stable", rfc="{rfc.stem}"` in `api_export` and run '
                "`tools/api generate`, or remove it from Public symbols.",
            )
    maintainers = load_maintainers(root)
    sponsor = rfc.fields.get("Sponsor")
    if maintainers is not None and sponsor and target in packages:
        allowed = maintainers_of(maintainers, target)
        emails = {m.email.lower() for m in allowed}
        for email in EMAIL_PATTERN.findall(sponsor):
            if email.lower() not in emails:
                report(
                    rfc.field_lines["Sponsor"],
                    f"Sponsor {email!r} is not a maintainer of {target} in "
                    f"{MAINTAINERS_FILE}. Fix: ask one of "
                    f"{', '.join(m.display for m in allowed) or '(nobody)'} to "
                    "sponsor the RFC, and write their 'Name (email)'.",
                )
    for name in ("Replaced by", "Obsoletes"):
        value = rfc.fields.get(name, "").strip("` ")
        if not value:
            continue
        stem = value[:-3] if value.endswith(".md") else value
        if STEM_PATTERN.match(stem) and not (rfc_dir / f"{stem}.md").is_file():
            report(
                rfc.field_lines[name],
                f"{name} {value!r} names an RFC that does not exist in "
                f"{_display(rfc_dir)}. Fix: use the file name stem of an existing RFC.",
            )
        elif name == "Obsoletes" and not STEM_PATTERN.match(stem):
            report(
                rfc.field_lines[name],
                f"Obsoletes {value!r} is not an RFC file name stem. Fix: write "
                "e.g. '20261122-keras-core'.",
            )
    for symbol in rfc.list_field("API changes"):
        if not PUBLIC_PATH_PATTERN.match(symbol):
            report(
                rfc.field_lines["API changes"],
                f"API changes entry {symbol!r} is not a public dotted path. Fix: "
                "list paths such as 'keras_cv.ops.BoxMatcher', separated by commas.",
            )

    # Sections.
    last_line = len(text.splitlines()) or 1
    for name in rfc.section_order:
        if name not in SECTIONS:
            guess = difflib.get_close_matches(name, SECTIONS, n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            report(
                rfc.section_lines[name],
                f"unexpected section '## {name}'. Fix: {hint}the sections are "
                f"{', '.join(SECTIONS)}; use '###' for subsections.",
            )
    present = [s for s in rfc.section_order if s in SECTIONS]
    if present != [s for s in SECTIONS if s in present]:
        report(
            rfc.section_lines[present[0]],
            f"sections are in the order {', '.join(present)}. Fix: order them "
            f"{', '.join(s for s in SECTIONS if s in present)}.",
        )
    for name in SECTIONS:
        if name not in rfc.sections:
            report(
                last_line,
                f"missing section '## {name}'. Fix: add it with its content "
                "(see governance/rfcs/TEMPLATE.md).",
            )
            continue
        body = rfc.sections[name].strip()
        if not body:
            report(
                rfc.section_lines[name],
                f"section '## {name}' is empty (comments do not count). Fix: write it.",
            )

    design = rfc.sections.get("Design Proposal")
    if design is not None and design.strip():
        blocks = _python_blocks(design)
        heading = rfc.section_lines["Design Proposal"]
        if not blocks:
            report(
                heading,
                "the Design Proposal has no ```python code block. Fix: add the "
                "end-to-end workflow a user would write, as a ```python block.",
            )
        import_name = target.replace("-", "_") if target else None
        usable = False
        for offset, code in blocks:
            line = heading + 1 + offset
            if not code.strip():
                report(line, "empty ```python block. Fix: write the workflow in it.")
                continue
            try:
                ast.parse(code)
            except SyntaxError as error:
                report(
                    line + (error.lineno or 0),
                    f"the ```python block is not valid Python ({error.msg}). Fix: "
                    "make the workflow runnable code, without '>>>' prompts.",
                )
                usable = True  # reported already; judge the fixed block later
                continue
            if import_name is None or re.search(rf"\b{import_name}\b", code):
                usable = True
        if blocks and import_name and not usable and target in packages:
            report(
                heading,
                f"no ```python block of the Design Proposal uses {import_name}, "
                "the target package. Fix: show the end-to-end workflow with the "
                f"proposed API (e.g. `import {import_name}`).",
            )
    return sorted(problems, key=lambda p: p.line)


def rfc_files(rfc_dir=None):
    """Every RFC file of the folder (not README.md and TEMPLATE.md)."""
    rfc_dir = pathlib.Path(rfc_dir) if rfc_dir is not None else RFC_DIR
    return sorted(p for p in rfc_dir.glob("*.md") if p.name not in NOT_RFCS)


def check_folder(rfc_dir=None, today=None, root=None):
    """Validates every RFC of governance/rfcs/; returns the list of problems."""
    problems = []
    for path in rfc_files(rfc_dir):
        problems.extend(check_rfc(path, today=today, root=root, rfc_dir=rfc_dir))
    return problems


def load(stem, rfc_dir=None):
    """The parsed RFC with this file name stem, or None when there is none."""
    rfc_dir = pathlib.Path(rfc_dir) if rfc_dir is not None else RFC_DIR
    path = rfc_dir / f"{stem}.md"
    return parse(path) if path.is_file() else None


def slugify(title):
    """'Keypoint detection heads' -> 'keypoint-detection-heads'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def new_rfc(title, package, author, sponsor=None, today=None, rfc_dir=None, root=None):
    """Writes a new Proposed RFC from the template; returns its path."""
    today = today or datetime.datetime.now(datetime.UTC).date()
    rfc_dir = pathlib.Path(rfc_dir) if rfc_dir is not None else RFC_DIR
    root = pathlib.Path(root) if root is not None else workspace.ROOT
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise ValueError(
            f"The title {title!r} has no letters or digits to name the file with. "
            'Fix: pass a descriptive title, e.g. "Keypoint detection heads".'
        )
    packages = _workspace_packages(root)
    if package not in packages:
        guess = difflib.get_close_matches(
            package.replace("_", "-"), list(packages), n=1
        )
        hint = f"Did you mean {guess[0]!r}? " if guess else ""
        raise ValueError(
            f"--package {package!r} is not a package of this workspace. {hint}"
            f"Fix: use one of {', '.join(packages)}."
        )
    match = re.fullmatch(
        r"\s*([^<>()]*\S)\s*<\s*(" + EMAIL_PATTERN.pattern + r")\s*>\s*", author
    )
    if not match:
        raise ValueError(
            f"--author {author!r} is not in the form 'Name <email>'. Fix: pass e.g. "
            '--author "Ada Lovelace <ada@example.org>".'
        )
    author_cell = f"{match.group(1)} ({match.group(2)})"
    path = rfc_dir / f"{today:%Y%m%d}-{slug}.md"
    if path.exists():
        raise ValueError(
            f"{_display(path)} already exists. Fix: edit it, or choose another title."
        )
    template = (
        (rfc_dir / "TEMPLATE.md") if (rfc_dir / "TEMPLATE.md").is_file() else TEMPLATE
    )
    values = {
        "Status": "Proposed",
        "Author(s)": author_cell,
        "Updated": today.isoformat(),
        "Target package": package,
    }
    if sponsor is None:
        # The package's own maintainers, else those of every package.
        maintainers = load_maintainers(root) or []
        own = [m for m in maintainers if package in m.packages]
        chosen = own or maintainers_of(maintainers, package)
        if chosen:
            sponsor = f"{chosen[0].name} ({chosen[0].email})"
    if sponsor:
        values["Sponsor"] = sponsor
    out = []
    titled = False
    for line in template.read_text(encoding="utf-8").splitlines():
        if not titled and line.startswith("# "):
            out.append(f"# {title}")
            titled = True
            continue
        stripped = line.strip()
        if stripped.startswith("|") and not stripped.startswith("<!--"):
            cells = _cells(stripped)
            name = _field_name(cells[0]) if cells else ""
            if name in values and len(cells) >= 2:
                key = line.split("|")[1]
                out.append(f"|{key}| {values.pop(name)} |")
                continue
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/rfc", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="create governance/rfcs/YYYYMMDD-title.md")
    new.add_argument("title")
    new.add_argument("--package", required=True, help="target package, e.g. keras-cv")
    new.add_argument("--author", required=True, help='"Name <email>"')
    new.add_argument(
        "--sponsor",
        help='"Name (email)" of a maintainer of the package (see MAINTAINERS); '
        "default: the package's maintainers",
    )
    check = commands.add_parser("check", help="validate RFC files")
    check.add_argument(
        "files", nargs="*", help="default: every RFC in governance/rfcs/"
    )
    check.add_argument(
        "--base",
        help="git revision to compare statuses with (e.g. origin/main): new RFCs "
        "must be Proposed, status changes must be allowed transitions",
    )
    check.add_argument(
        "--run",
        action="store_true",
        help="also run each RFC's Design Proposal workflow in a subprocess "
        "(needs the development environment)",
    )
    check.add_argument(
        "--actor",
        help="@handle of the author of the change (a maintainer of the package "
        "for a status change)",
    )
    check.add_argument(
        "--actor-team",
        action="append",
        default=[],
        metavar="@ORG/TEAM",
        help="a team of MAINTAINERS the actor is a member of (repeatable; CI "
        "looks the memberships up)",
    )
    owners = commands.add_parser(
        "codeowners", help=f"write {CODEOWNERS_FILE} from {MAINTAINERS_FILE}"
    )
    owners.add_argument(
        "--check", action="store_true", help="fail if the file is out of date"
    )
    args = parser.parse_args(argv)

    if args.command == "codeowners":
        try:
            maintainers = load_maintainers()
        except ValueError as error:
            print(f"tools/rfc codeowners: {error}", file=sys.stderr)
            return 2
        if maintainers is None:
            print(f"tools/rfc codeowners: no {MAINTAINERS_FILE} file.", file=sys.stderr)
            return 2
        text = render_codeowners(maintainers, list(_workspace_packages(workspace.ROOT)))
        target = workspace.ROOT / CODEOWNERS_FILE
        if args.check:
            if not target.is_file() or target.read_text() != text:
                print(
                    f"tools/rfc codeowners: {CODEOWNERS_FILE} is out of date with "
                    f"{MAINTAINERS_FILE}. Fix: run `tools/rfc codeowners`.",
                    file=sys.stderr,
                )
                return 1
            print(f"tools/rfc codeowners: {CODEOWNERS_FILE} is up to date")
            return 0
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        print(f"wrote {CODEOWNERS_FILE}")
        return 0

    if args.command == "new":
        try:
            path = new_rfc(args.title, args.package, args.author, sponsor=args.sponsor)
        except ValueError as error:
            print(f"tools/rfc new: {error}", file=sys.stderr)
            return 2
        print(f"wrote {_display(path)} (Status: Proposed)")
        print(
            "Next: fill in every section, run `tools/rfc check`, open a pull request."
        )
        return 0

    if args.files:
        problems = []
        for name in args.files:
            path = pathlib.Path(os.environ.get("TOOLS_CALLER_CWD", ".")) / name
            if path.name in NOT_RFCS:
                continue
            problems.extend(check_rfc(path, rfc_dir=RFC_DIR))
        count = len(args.files)
    else:
        problems = check_folder()
        count = len(rfc_files())
    if args.base:
        paths = (
            [
                pathlib.Path(os.environ.get("TOOLS_CALLER_CWD", ".")) / n
                for n in args.files
            ]
            if args.files
            else rfc_files()
        )
        try:
            for path in paths:
                if path.name not in NOT_RFCS:
                    problems.extend(
                        check_transition(
                            path, args.base, args.actor, actor_teams=args.actor_team
                        )
                    )
        except ValueError as error:
            print(f"tools/rfc check: {error}", file=sys.stderr)
            return 2
    if args.run:
        paths = (
            [
                pathlib.Path(os.environ.get("TOOLS_CALLER_CWD", ".")) / n
                for n in args.files
            ]
            if args.files
            else rfc_files()
        )
        for path in paths:
            if path.name not in NOT_RFCS:
                problems.extend(run_workflow(path))
    for problem in problems:
        print(problem)
    if problems:
        print(f"\ntools/rfc check: {len(problems)} problem(s).", file=sys.stderr)
        return 1
    print(f"tools/rfc check: {count} RFC file(s) OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
