# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import datetime
import shutil

import pytest

from tools.lib import rfc
from tools.lib import workspace

TODAY = datetime.date(2026, 11, 22)

GOOD = """\
# Keypoint detection heads

| Status             | {status} |
| :----------------- | :------- |
| **Author(s)**      | Ada Lovelace (ada@example.com), Alan Turing (alan@example.com) |
| **Sponsor**        | Grace Hopper (grace@example.com) |
| **Updated**        | {updated} |
| **Target package** | {package} |
{extra}
## Objective

Heads that predict keypoints.

## Motivation

Users ask for pose estimation.

## User Benefit

Pose estimation with `fit`.

## Design Proposal

The workflow:

```python
import keras_cv

model = keras_cv.models.KeypointDetector(num_keypoints=17)
model.fit(train_ds, epochs=3)
```

### Alternatives

None worth keeping.

## Detailed Design

Signatures follow.

## Questions and Discussion Topics

Which datasets?
"""


def write(folder, text, name="20261120-keypoint-detection-heads.md"):
    path = folder / name
    path.write_text(text)
    return path


def rfc_text(status="Accepted", updated="2026-11-21", package="keras-cv", extra=""):
    return GOOD.format(status=status, updated=updated, package=package, extra=extra)


@pytest.fixture
def root(tmp_path):
    """A fake workspace with one package (keras-cv) and an rfcs folder."""
    package = tmp_path / "packages" / "keras-cv"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text('[project]\nname = "keras-cv"\n')
    (package / "api.txt").write_text(
        "# Public API of keras-cv 2.0.0.\n"
        "class keras_cv.models.KeypointDetector(num_keypoints) | stable | 20261120-keypoint-detection-heads\n"
        "  method keras_cv.models.KeypointDetector.predict_keypoints(x) | stable | 20261120-keypoint-detection-heads\n"
    )
    (tmp_path / "rfcs").mkdir()
    return tmp_path


def check(root, text, name="20261120-keypoint-detection-heads.md"):
    path = write(root / "rfcs", text, name)
    return path, rfc.check_rfc(path, today=TODAY, root=root)


def only_problem(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_good_rfc_passes(root):
    _, problems = check(root, rfc_text())
    assert problems == []


def test_parse_reads_header_and_sections(root):
    path, _ = check(root, rfc_text())
    parsed = rfc.parse(path)
    assert parsed.title == "Keypoint detection heads"
    assert parsed.status == "Accepted"
    assert parsed.target_package == "keras-cv"
    assert parsed.updated == datetime.date(2026, 11, 21)
    assert parsed.field_lines["Status"] == 3
    assert parsed.section_order == list(rfc.SECTIONS)


def test_misspelt_status_names_file_line_value_and_fix(root):
    path, problems = check(root, rfc_text(status="Acepted"))
    problem = only_problem(problems)
    assert problem.path == path and problem.line == 3
    text = str(problem)
    assert text.startswith(f"{path}:3: ")
    assert "'Acepted'" in text and "did you mean 'Accepted'" in text


def test_lower_case_status_is_refused(root):
    problem = only_problem(check(root, rfc_text(status="accepted"))[1])
    assert "'accepted'" in problem.message and "'Accepted'" in problem.message


@pytest.mark.parametrize("updated", ["2026-11-31", "22/11/2026", "2026-1-5", "soon"])
def test_malformed_date(root, updated):
    problem = only_problem(check(root, rfc_text(updated=updated))[1])
    assert problem.line == 7
    assert repr(updated) in problem.message and "YYYY-MM-DD" in problem.message


def test_future_date(root):
    problem = only_problem(check(root, rfc_text(updated="2026-12-01"))[1])
    assert problem.line == 7 and "in the future" in problem.message
    assert "2026-12-01" in problem.message


def test_updated_before_creation(root):
    problem = only_problem(check(root, rfc_text(updated="2026-11-01"))[1])
    assert "before the RFC was created" in problem.message


def test_unknown_target_package(root):
    problem = only_problem(check(root, rfc_text(package="keras_cv"))[1])
    assert problem.line == 8
    assert (
        "'keras_cv'" in problem.message and "did you mean 'keras-cv'" in problem.message
    )


def test_missing_section(root):
    text = rfc_text().replace("## User Benefit\n\nPose estimation with `fit`.\n\n", "")
    problem = only_problem(check(root, text)[1])
    assert "missing section '## User Benefit'" in problem.message


def test_section_with_only_a_comment_is_empty(root):
    text = rfc_text().replace("Which datasets?", "<!-- to do -->")
    problem = only_problem(check(root, text)[1])
    assert "'## Questions and Discussion Topics' is empty" in problem.message


def test_misspelt_section_and_order(root):
    text = rfc_text().replace("## Motivation", "## Motivations")
    problems = check(root, text)[1]
    messages = " ".join(p.message for p in problems)
    assert "unexpected section '## Motivations'" in messages
    assert "did you mean 'Motivation'" in messages
    assert "missing section '## Motivation'" in messages
    swapped = (
        rfc_text()
        .replace("## Objective", "## TEMP")
        .replace("## Motivation", "## Objective")
        .replace("## TEMP", "## Motivation")
    )
    problem = only_problem(check(root, swapped)[1])
    assert "order" in problem.message


def test_design_proposal_needs_a_python_block(root):
    text = rfc_text().replace("```python", "```text")
    problem = only_problem(check(root, text)[1])
    assert "no ```python code block" in problem.message


def test_code_block_inside_a_comment_does_not_count(root):
    text = (
        rfc_text()
        .replace("```python", "<!--\n```python")
        .replace("epochs=3)\n```", "epochs=3)\n```\n-->")
    )
    problem = only_problem(check(root, text)[1])
    assert "no ```python code block" in problem.message


def test_python_block_must_parse(root):
    path, problems = check(root, rfc_text().replace("epochs=3)", "epochs=3"))
    problem = only_problem(problems)
    assert "not valid Python" in problem.message
    assert problem.line > rfc.parse(path).section_lines["Design Proposal"]


def test_python_block_must_use_the_target_package(root):
    text = (
        rfc_text()
        .replace("import keras_cv\n", "import keras\n")
        .replace("keras_cv.models", "keras.models")
    )
    problem = only_problem(check(root, text)[1])
    assert "keras_cv" in problem.message and "end-to-end workflow" in problem.message


@pytest.mark.parametrize(
    "name, expected",
    [
        ("keypoints.md", "does not match YYYYMMDD-kebab-title.md"),
        ("20261120_Keypoint_Heads.md", "does not match"),
        ("20261340-keypoint-heads.md", "not a real date"),
        ("20261225-keypoint-heads.md", "in the future"),
    ],
)
def test_bad_file_names(root, name, expected):
    problems = check(root, rfc_text(updated="2026-11-22"), name=name)[1]
    assert any(expected in p.message and p.line == 1 for p in problems), problems


def test_unknown_header_row_suggests_the_right_one(root):
    text = rfc_text().replace("| **Sponsor**   ", "| **Sponser**   ")
    messages = [p.message for p in check(root, text)[1]]
    assert any(
        "unknown header row 'Sponser'" in m and "'Sponsor'" in m for m in messages
    )
    assert any("no 'Sponsor' row" in m for m in messages)


def test_template_placeholder_author_is_refused(root):
    text = rfc_text().replace(
        "Alan Turing (alan@example.com)", "Your Name (you@example.org)"
    )
    problem = only_problem(check(root, text)[1])
    assert "placeholder" in problem.message


def test_author_must_have_an_email(root):
    text = rfc_text().replace("Alan Turing (alan@example.com)", "Alan Turing")
    problem = only_problem(check(root, text)[1])
    assert "'Alan Turing'" in problem.message and "Name (email)" in problem.message


def test_implemented_needs_pull_request_and_symbols(root):
    messages = " ".join(
        p.message for p in check(root, rfc_text(status="Implemented"))[1]
    )
    assert "Implemented in" in messages and "Public symbols" in messages
    extra = (
        "| **Implemented in** | #42 |\n"
        "| **Public symbols** | keras_cv.models.KeypointDetector, "
        "keras_cv.models.KeypointDetector.predict_keypoints |\n"
    )
    assert check(root, rfc_text(status="Implemented", extra=extra))[1] == []


def test_implemented_symbols_must_be_in_api_txt(root):
    extra = "| **Implemented in** | abc1234 |\n| **Public symbols** | keras_cv.models.Missing |\n"
    problem = only_problem(check(root, rfc_text(status="Implemented", extra=extra))[1])
    assert (
        "'keras_cv.models.Missing'" in problem.message and "api.txt" in problem.message
    )
    extra = "| **Implemented in** | soon |\n| **Public symbols** | keras_cv.models.KeypointDetector |\n"
    problem = only_problem(check(root, rfc_text(status="Implemented", extra=extra))[1])
    assert "'soon'" in problem.message and "pull request" in problem.message


def test_obsolete_names_its_replacement(root):
    problem = only_problem(check(root, rfc_text(status="Obsolete"))[1])
    assert "Replaced by" in problem.message
    extra = "| **Replaced by** | 20261121-better-heads |\n"
    problem = only_problem(check(root, rfc_text(status="Obsolete", extra=extra))[1])
    assert (
        "'20261121-better-heads'" in problem.message
        and "does not exist" in problem.message
    )
    write(root / "rfcs", rfc_text(updated="2026-11-21"), "20261121-better-heads.md")
    assert check(root, rfc_text(status="Obsolete", extra=extra))[1] == []


def test_api_changes_must_be_paths(root):
    extra = "| **API changes** | keras_cv.models.KeypointDetector, the matcher |\n"
    problem = only_problem(check(root, rfc_text(extra=extra))[1])
    assert "'the matcher'" in problem.message
    parsed = rfc.parse(root / "rfcs" / "20261120-keypoint-detection-heads.md")
    assert parsed.list_field("API changes") == [
        "keras_cv.models.KeypointDetector",
        "the matcher",
    ]


def test_check_folder_skips_readme_and_template(root):
    folder = root / "rfcs"
    (folder / "README.md").write_text("# Not an RFC\n")
    shutil.copy(rfc.TEMPLATE, folder / "TEMPLATE.md")
    write(folder, rfc_text())
    write(folder, rfc_text(status="Draft"), "20261121-other.md")
    problems = rfc.check_folder(folder, today=TODAY, root=root)
    assert [p.path.name for p in problems] == ["20261121-other.md"]


def test_new_writes_a_proposed_rfc_from_the_template(root):
    folder = root / "rfcs"
    shutil.copy(rfc.TEMPLATE, folder / "TEMPLATE.md")
    path = rfc.new_rfc(
        "Keypoint detection heads!",
        "keras-cv",
        "Ada Lovelace <ada@example.com>",
        today=datetime.date(2026, 12, 1),
        rfc_dir=folder,
        root=root,
    )
    assert path.name == "20261201-keypoint-detection-heads.md"
    parsed = rfc.parse(path)
    assert parsed.title == "Keypoint detection heads!"
    assert parsed.fields["Status"] == "Proposed"
    assert parsed.fields["Author(s)"] == "Ada Lovelace (ada@example.com)"
    assert parsed.fields["Updated"] == "2026-12-01"
    assert parsed.fields["Target package"] == "keras-cv"
    # Freshly created, it only lacks content: each section is reported.
    problems = rfc.check_rfc(path, today=datetime.date(2026, 12, 1), root=root)
    assert sorted(p.message.split("'")[1] for p in problems) == sorted(
        f"## {s}" for s in rfc.SECTIONS
    )
    # Filled in, it passes.
    text = path.read_text()
    filled = rfc_text(status="Proposed", updated="2026-12-01")
    body = filled[filled.index("## Objective") :]
    path.write_text(text[: text.index("## Objective")] + body)
    assert rfc.check_rfc(path, today=datetime.date(2026, 12, 1), root=root) == []


def test_new_refuses_bad_input(root):
    folder = root / "rfcs"
    shutil.copy(rfc.TEMPLATE, folder / "TEMPLATE.md")
    kwargs = dict(today=TODAY, rfc_dir=folder, root=root)
    with pytest.raises(ValueError, match="'keras-vision' is not a package.*keras-cv"):
        rfc.new_rfc("Heads", "keras-vision", "Ada <ada@example.com>", **kwargs)
    with pytest.raises(ValueError, match="'Ada' is not in the form 'Name <email>'"):
        rfc.new_rfc("Heads", "keras-cv", "Ada", **kwargs)
    with pytest.raises(ValueError, match="no letters or digits"):
        rfc.new_rfc("!!!", "keras-cv", "Ada <ada@example.com>", **kwargs)
    rfc.new_rfc("Heads", "keras-cv", "Ada <ada@example.com>", **kwargs)
    with pytest.raises(ValueError, match="already exists"):
        rfc.new_rfc("Heads", "keras-cv", "Ada <ada@example.com>", **kwargs)


def test_cli_check_reports_and_fails(root, capsys, monkeypatch):
    path = write(root / "rfcs", rfc_text(status="Done"))
    monkeypatch.setenv("TOOLS_CALLER_CWD", str(root))
    assert rfc.main(["check", str(path.relative_to(root))]) == 1
    out = capsys.readouterr().out
    assert "20261120-keypoint-detection-heads.md:3: Status 'Done'" in out


def test_the_repository_rfcs_are_valid():
    problems = rfc.check_folder()
    assert problems == [], "\n".join(str(p) for p in problems)
    stems = {p.stem for p in rfc.rfc_files()}
    assert "20261122-keras-core" in stems
    assert workspace.ROOT / "governance" / "rfcs" == rfc.RFC_DIR
