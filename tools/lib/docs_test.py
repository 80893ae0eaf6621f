# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The documentation site builds in strict mode: no warning, no broken link."""

import os

import pytest

from tools.lib import docs
from tools.lib import workspace


def test_site_builds_without_warnings(tmp_path):
    status, log = docs.build(site_dir=tmp_path / "site", capture=True)
    problems = [
        line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))
    ]
    assert status == 0 and not problems, "\n".join(problems) or log[-3000:]
    page = (tmp_path / "site" / "api" / "keras-core" / "index.html").read_text()
    assert "keras_core.presets.from_preset" in page
    assert "20261122-keras-core" in page  # stability and RFC are shown


def test_every_guide_is_in_the_navigation():
    config = (workspace.ROOT / "mkdocs.yml").read_text()
    for guide in sorted((workspace.ROOT / "docs" / "guides").glob("*.md")):
        assert f"guides/{guide.name}" in config, (
            f"{guide.name} is not in mkdocs.yml's nav"
        )


def test_api_page_lists_stability_and_rfc():
    package = workspace.get_package("keras-core")
    from tools.lib import api

    page = docs.api_page(package, api.records_for(package))
    assert (
        "| [`keras_core.presets.from_preset`](#keras_core.presets.from_preset) | stable |"
        in page
    )
    assert "::: keras_core.testing.TestCase" in page


# Example workflows that have a guide as of this test's last review. Each must
# stay documented (the test fails); a workflow added to examples/ later is
# reported by `test_new_workflows_are_reported` until a guide includes it,
# and should then be added here.
DOCUMENTED_WORKFLOWS = [
    "examples/keras_applications/fine_tune.py",
    "examples/keras_core/presets_round_trip.py",
    "examples/keras_cv/deeplab_shapes.py",
    "examples/keras_cv/faster_rcnn_shapes.py",
    "examples/keras_cv/retinanet_shapes.py",
    "examples/keras_nlp/bert_checkpoint_finetune.py",
    "examples/keras_nlp/bert_pretrain_finetune.py",
    "examples/keras_nlp/qa_and_ner.py",
    "examples/keras_nlp/seq2seq_generation.py",
    "examples/keras_preprocessing/structured_and_images.py",
    "examples/keras_tuner/search.py",
]


def test_guides_include_code_only_from_examples():
    problems = docs.guide_problems()
    assert not problems, "\n".join(problems)


def test_documented_workflows_keep_their_guide():
    missing = set(docs.undocumented_workflows()) & set(DOCUMENTED_WORKFLOWS)
    assert not missing, (
        f"No guide in docs/guides/ includes code from {sorted(missing)} any more; "
        "include its sections in a guide."
    )


def test_new_workflows_are_reported(capsys):
    import warnings

    new = [
        path
        for path in docs.undocumented_workflows()
        if path not in DOCUMENTED_WORKFLOWS
    ]
    if new:
        message = (
            f"Example workflows without a guide: {new}. Write a guide in "
            "docs/guides/ that includes their code, then list them in "
            "DOCUMENTED_WORKFLOWS."
        )
        print(message)
        warnings.warn(message, stacklevel=1)
    assert set(DOCUMENTED_WORKFLOWS) <= set(docs.example_workflows()), (
        "DOCUMENTED_WORKFLOWS names a workflow that is no longer under examples/: "
        f"{sorted(set(DOCUMENTED_WORKFLOWS) - set(docs.example_workflows()))}"
    )


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_guide_problems_name_file_line_and_fix(tmp_path, monkeypatch):
    guides = tmp_path / "docs" / "guides"
    example = _write(
        tmp_path / "examples" / "pkg" / "flow.py",
        "# --8<-- [start:good]\nx = 1\n# --8<-- [end:good]\n",
    )
    _write(tmp_path / "tools" / "helper.py", "y = 2\n")
    _write(
        guides / "page.md",
        "# Page\n"
        "<!-- example: examples/pkg/flow.py:good -->\n"
        "```python\n"
        "x = 1\n"
        "```\n"
        "<!-- example: examples/pkg/flow.py:missing -->\n"
        "```python\n"
        "```\n"
        "<!-- example: tools/helper.py -->\n"
        "```python\n"
        "```\n"
        "<!-- example: examples/pkg/gone.py -->\n"
        "```python\n"
        "```\n"
        "```python\n"
        "import keras\n"
        "model = keras.Sequential()\n"
        "```\n"
        "```bash\n"
        "tools/demo\n"
        "```\n"
        "![a picture](../images/none.png)\n"
        "<!-- example: examples/pkg/flow.py:good -->\n"
        "no block here\n",
    )
    monkeypatch.setattr(docs.workspace, "ROOT", tmp_path)
    monkeypatch.setattr(docs, "EXAMPLES", tmp_path / "examples")
    problems = docs.guide_problems(guides)
    assert len(problems) == 6, problems
    assert problems[0].startswith("docs/guides/page.md:6: ")
    assert "no section 'missing'" in problems[0] and "[start:missing]" in problems[0]
    assert problems[1].startswith("docs/guides/page.md:9: ")
    assert "not under examples/" in problems[1]
    assert problems[2].startswith("docs/guides/page.md:12: ")
    assert "does not exist" in problems[2]
    assert problems[3].startswith("docs/guides/page.md:15: ")  # once per block
    assert "written on the page" in problems[3] and "tools/docs guides" in problems[3]
    assert problems[4].startswith("docs/guides/page.md:23: ")
    assert "not followed by a ```python block" in problems[4]
    assert problems[5].startswith("docs/guides/page.md:22: ")
    assert "none.png" in problems[5] and "make_figures.py" in problems[5]
    assert example.is_file()


def test_undocumented_workflows_lists_examples_without_a_guide(tmp_path, monkeypatch):
    guides = tmp_path / "guides"
    _write(
        guides / "one.md",
        "<!-- example: examples/keras_cv/retinanet_shapes.py:model -->\n```python\n```\n",
    )
    monkeypatch.setattr(
        docs,
        "example_workflows",
        lambda: [
            "examples/keras_cv/retinanet_shapes.py",
            "examples/keras_cv/new_flow.py",
        ],
    )
    assert docs.undocumented_workflows(guides) == ["examples/keras_cv/new_flow.py"]


def test_every_guide_links_the_api_reference():
    for guide in sorted((workspace.ROOT / "docs" / "guides").glob("*.md")):
        text = guide.read_text()
        if docs.snippet_includes(guide):
            assert "../api/" in docs.site_links(text), (
                f"{guide.name} links no public symbol"
            )


def test_guides_are_generated_from_the_examples():
    # The committed guides hold the examples' code and repository links as
    # `tools/docs guides` writes them: a changed example section, a moved
    # symbol or a hand edit of generated code fails here.
    stale = docs.stale_guides()
    assert not stale, f"{stale} are stale. Fix: run `tools/docs guides`."


def test_links_of_committed_markdown_resolve_inside_the_repository():
    # Every relative link of a committed Markdown file (README, CONTRIBUTING,
    # docs/, guides, governance/, package READMEs and CHANGELOGs) opens a file
    # of the repository on the repository host: none points at the site's
    # generated pages (docs/api/, docs/rfcs/), which are not committed.
    pages = docs.committed_markdown()
    assert workspace.ROOT / "docs" / "index.md" in pages
    assert workspace.ROOT / "packages" / "keras-cv" / "README.md" in pages
    broken = [line for page in pages for line in docs.broken_links(page)]
    assert not broken, broken


def test_broken_links_names_page_line_and_link(tmp_path):
    _write(tmp_path / "packages" / "keras-cv" / "api.txt", "")
    _write(tmp_path / "docs" / "guides" / "g.md", "")
    page = _write(
        tmp_path / "docs" / "index.md",
        "[ok](guides/g.md#part) and [api](../packages/keras-cv/api.txt)\n"
        "[generated](api/index.md) ![img](images/x.png 'title')\n"
        '[titled](guides/none.md "t") [url](https://example.org/x.md) [a](#top)\n'
        "`[code](missing.md)`\n"
        "```\n[in a block](missing.md)\n```\n"
        "[outside](../../elsewhere.md)\n"
        "[ref]: ../MISSING.md\n"
        "[root](/packages/keras-cv/api.txt) [gone](/docs/nope.md)\n",
    )
    assert docs.broken_links(page, root=tmp_path) == [
        "docs/index.md:2: api/index.md",
        "docs/index.md:2: images/x.png",
        "docs/index.md:3: guides/none.md",
        "docs/index.md:8: ../../elsewhere.md",
        "docs/index.md:9: ../MISSING.md",
        "docs/index.md:10: /docs/nope.md",
    ]


def test_site_links_turn_api_txt_links_into_api_reference_pages():
    index = (workspace.ROOT / "docs" / "index.md").read_text()
    assert "](../packages/keras-cv/api.txt)" in index
    site = docs.site_links(index)
    assert "](api/keras-cv.md)" in site and "api.txt" not in site
    assert docs.site_links("[x](../../packages/keras-nlp/api.txt)") == (
        "[x](../api/keras-nlp.md)"
    )


def test_render_guide_inlines_code_and_links_and_site_links_reverse_them(
    tmp_path, monkeypatch
):
    example = _write(
        tmp_path / "examples" / "pkg" / "flow.py",
        "import os\n"
        "def main():\n"
        "    # --8<-- [start:step]\n"
        "    x = 1\n"
        "    # --8<-- [start:inner]\n"
        "    y = x + 1\n"
        "    # --8<-- [end:inner]\n"
        "    # --8<-- [end:step]\n",
    )
    source = _write(
        tmp_path / "packages" / "keras-cv" / "keras_cv" / "src" / "a.py", ""
    )
    _write(tmp_path / "governance" / "rfcs" / "20260101-x.md", "")
    page = _write(tmp_path / "docs" / "guides" / "g.md", "")
    monkeypatch.setattr(docs.workspace, "ROOT", tmp_path)
    sources = {"keras_cv.models.Thing": os.path.relpath(source, tmp_path)}
    first_version = (
        "See [`Thing`](../api/keras-cv.md#keras_cv.models.Thing), its\n"
        "[`call`](../api/keras-cv.md#keras_cv.models.Thing.call) and\n"
        "[the RFC](../rfcs/20260101-x.md).\n"
        "```python\n"
        '--8<-- "examples/pkg/flow.py:step"\n'
        "```\n"
    )
    rendered = docs.render_guide(page, first_version, sources)
    assert rendered == (
        "See [`Thing`](../../packages/keras-cv/keras_cv/src/a.py"
        "#keras_cv.models.Thing), its\n"
        "[`call`](../../packages/keras-cv/keras_cv/src/a.py"
        "#keras_cv.models.Thing.call) and\n"
        "[the RFC](../../governance/rfcs/20260101-x.md).\n"
        "<!-- example: examples/pkg/flow.py:step -->\n"
        "```python\n"
        "x = 1\n"
        "y = x + 1\n"
        "```\n"
    )
    assert docs.render_guide(page, rendered, sources) == rendered  # stable
    # The example changes: the block follows.
    example.write_text(example.read_text().replace("x = 1", "x = 2"))
    assert "x = 2\n" in docs.render_guide(page, rendered, sources)
    # The site build links the API reference and the published RFCs again.
    assert docs.site_links(rendered).splitlines()[:3] == first_version.splitlines()[:3]
    with pytest.raises(ValueError, match="keras_cv.models.Gone"):
        docs.render_guide(
            page, "[x](../api/keras-cv.md#keras_cv.models.Gone)\n", sources
        )
