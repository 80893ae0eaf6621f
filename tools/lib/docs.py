# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/docs`: builds the documentation site into `site/`.

    tools/docs                  build with MkDocs in strict mode (any warning fails)
    tools/docs --site-dir DIR   the same, into DIR instead of site/
    tools/docs --serve          build and serve on http://127.0.0.1:8000

    tools/docs guides           regenerate the code and links of docs/guides/*.md
    tools/docs guides --check   only say which guides are stale (exit code 1)

The API reference is generated at build time from the `api_export`
declarations (every public symbol, grouped by package, with its stability
level and RFC); the RFCs are published from `governance/rfcs/`.

Guides are committed as plain Markdown that reads well on the repository
host: each ```python block is a section of an example workflow under
`examples/` (the scripts the demo runs and the tests check), copied in by
`tools/docs guides` below a marker line
`<!-- example: examples/<package>/<workflow>.py:<section> -->`, and links
to public symbols and RFCs point at files of the repository (the symbol's
source file, `governance/rfcs/`). The site build turns those links into
links to the API reference and the published RFCs. A test fails when a
guide differs from what `tools/docs guides` would write.
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

from tools.lib import api
from tools.lib import workspace

DOCS = workspace.ROOT / "docs"
GUIDES = DOCS / "guides"
EXAMPLES = workspace.ROOT / "examples"
MAX_IMAGE_BYTES = 200 * 1024

# The marker above a guide's code block: where `tools/docs guides` copies it from.
_INCLUDE = re.compile(r"^<!-- example: (\S+) -->\s*$")
# The include line of the first version of the guides (pymdown snippets);
# `tools/docs guides` turns each into a marker and the code.
_LEGACY_INCLUDE = re.compile(r'^\s*-{2}8<-{2}\s+"([^"]+)"\s*$')
# A link to a public symbol: the API reference page (site) or the file that
# defines it (repository), with the public path as the fragment.
_SYMBOL_LINK = re.compile(
    r"\]\((?:\.\./api/[\w-]+\.md|(?:\.\./)+packages/[^)#\s]+\.py)"
    r"#((keras_\w+)(?:\.\w+)+)\)"
)
_REPO_SYMBOL_LINK = re.compile(
    r"\]\((?:\.\./)+packages/([\w-]+)/[^)#\s]+\.py#((?:keras_\w+)(?:\.\w+)+)\)"
)
_RFC_LINK = re.compile(r"\]\(\.\./rfcs/([\w.-]+\.md)\)")
_REPO_RFC_LINK = re.compile(r"\]\(\.\./\.\./governance/rfcs/([\w.-]+\.md)\)")
# A link to a package's API listing (`api.txt`) from a page of docs/ (any
# depth): on the site it becomes the package's API reference page.
_REPO_API_LINK = re.compile(r"\]\(((?:\.\./)+)packages/([\w-]+)/api\.txt\)")
# A Markdown link or image `[text](target "title")`, and a reference
# definition `[label]: target`.
_MARKDOWN_LINK = re.compile(
    r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_MARKDOWN_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_SECTION = re.compile(r"-{2}8<-{2}\s+\[(start|end):(\w+)\]")
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*(\w*)")


def snippet_includes(page):
    """`(line, path, section)` of every snippet a Markdown page includes."""
    found = []
    for number, line in enumerate(page.read_text().splitlines(), 1):
        match = _INCLUDE.match(line)
        if match:
            path, _, section = match.group(1).partition(":")
            found.append((number, path, section or None))
    return found


def _sections(path):
    names = {"start": set(), "end": set()}
    for match in _SECTION.finditer(path.read_text()):
        names[match.group(1)].add(match.group(2))
    return names["start"] & names["end"]


def guide_problems(guides_dir=None):
    """Problems of the guides, each `file:line: what is wrong and how to fix it`.

    Guides show code only by including it from the example workflows under
    `examples/` (the scripts the demo runs and the tests check), so a page
    cannot drift from working code: every include must name an existing file
    under `examples/` and, if given, a section marked in it with
    `# --8<-- [start:name]` / `# --8<-- [end:name]`; a ```python block holds
    nothing but includes; every embedded image exists and is small.
    """
    guides_dir = guides_dir or GUIDES
    problems = []
    for page in sorted(guides_dir.glob("*.md")):
        name = os.path.relpath(page, workspace.ROOT)
        for number, path, section in snippet_includes(page):
            target = (workspace.ROOT / path).resolve()
            if not target.is_relative_to(EXAMPLES.resolve()):
                problems.append(
                    f"{name}:{number}: includes '{path}', which is not under examples/. "
                    "Guides show code from the example workflows only: move the code "
                    "into an example (with a test) and include it from there."
                )
            elif not target.is_file():
                problems.append(
                    f"{name}:{number}: includes '{path}', which does not exist. "
                    "Fix the path or restore the example."
                )
            elif section and section not in _sections(target):
                problems.append(
                    f"{name}:{number}: '{path}' has no section '{section}'. Mark it "
                    f"in the example with `# --8<-- [start:{section}]` and "
                    f"`# --8<-- [end:{section}]` comment lines."
                )
        language, block_start = None, None
        lines = page.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            fence = _FENCE.match(line)
            if fence and block_start is None:
                language, block_start = fence.group(2), number
                marked = number > 1 and _INCLUDE.match(lines[number - 2])
                if language == "python" and not marked:
                    problems.append(
                        f"{name}:{number}: this ```python block holds code written "
                        "on the page. Guides show code from the example workflows "
                        "only: put it in an example under examples/ between "
                        "`# --8<-- [start:<section>]` and `# --8<-- [end:<section>]` "
                        "comment lines, write `<!-- example: examples/<package>/"
                        "<workflow>.py:<section> -->` on the line above the block, "
                        "and run `tools/docs guides`."
                    )
                continue
            if fence:
                language, block_start = None, None
                continue
            following = _FENCE.match(lines[number]) if number < len(lines) else None
            if _INCLUDE.match(line) and not (
                following and following.group(2) == "python"
            ):
                problems.append(
                    f"{name}:{number}: this example marker is not followed by a "
                    "```python block. Fix: put an empty ```python block below it "
                    "and run `tools/docs guides`."
                )
        for number, line in enumerate(page.read_text().splitlines(), 1):
            for link in _IMAGE.findall(line):
                image = (page.parent / link).resolve()
                if not image.is_file():
                    problems.append(
                        f"{name}:{number}: image '{link}' does not exist; "
                        "run `.venv/bin/python docs/make_figures.py`."
                    )
                elif image.stat().st_size > MAX_IMAGE_BYTES:
                    problems.append(
                        f"{name}:{number}: image '{link}' is {image.stat().st_size} "
                        f"bytes; keep pictures under {MAX_IMAGE_BYTES} bytes."
                    )
    return problems


def section_code(path, section=None):
    """The code a guide shows for `section` of an example (or the whole file):
    the lines between its start and end markers, without marker lines,
    dedented."""
    lines = pathlib.Path(path).read_text().splitlines()
    if section is None:
        kept = [line for line in lines if not _SECTION.search(line)]
    else:
        kept, inside = [], False
        for line in lines:
            marker = _SECTION.search(line)
            if marker:
                if marker.group(2) == section:
                    inside = marker.group(1) == "start"
                continue
            if inside:
                kept.append(line)
    return textwrap.dedent("\n".join(kept)).strip("\n").splitlines()


def symbol_sources():
    """Public path -> the repository file (relative to the root) defining it."""
    import inspect

    sources = {}
    for package in workspace.packages():
        for record in api.records_for(package):
            source = inspect.getsourcefile(record.symbol)
            sources[record.path] = os.path.relpath(source, workspace.ROOT)
    return sources


def _repository_links(line, page, sources):
    """Links of a guide line as they resolve in the repository."""

    def symbol(match):
        path = match.group(1)
        owner = path
        while owner not in sources and "." in owner:
            owner = owner.rsplit(".", 1)[0]  # a method links its class's file
        if owner not in sources:
            raise ValueError(
                f"{os.path.relpath(page, workspace.ROOT)}: the link to `{path}` "
                "names no public symbol. Fix the public path (see the package's "
                "api.txt)."
            )
        target = os.path.relpath(workspace.ROOT / sources[owner], page.parent)
        return f"]({target}#{path})"

    def rfc_link(match):
        target = workspace.ROOT / "governance" / "rfcs" / match.group(1)
        return f"]({os.path.relpath(target, page.parent)})"

    return _RFC_LINK.sub(rfc_link, _SYMBOL_LINK.sub(symbol, line))


def render_guide(page, text=None, sources=None):
    """The committed form of a guide: each marked ```python block holds the
    current code of its example section, and links resolve in the repository.
    A block of the first version (a `--8<--` include line) becomes a marker
    line and the code."""
    page = pathlib.Path(page)
    text = page.read_text() if text is None else text
    sources = symbol_sources() if sources is None else sources
    lines = text.splitlines()
    out, i, in_code = [], 0, False
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        legacy = (
            fence
            and fence.group(2) == "python"
            and i + 2 < len(lines)
            and _LEGACY_INCLUDE.match(lines[i + 1])
            and _FENCE.match(lines[i + 2])
        )
        if legacy:
            lines[i : i + 2] = [
                f"<!-- example: {_LEGACY_INCLUDE.match(lines[i + 1]).group(1)} -->",
                line,
            ]
            continue
        marker = _INCLUDE.match(line)
        following = _FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
        if marker and following and following.group(2) == "python":
            end = i + 2
            while end < len(lines) and not _FENCE.match(lines[end]):
                end += 1
            path, _, section = marker.group(1).partition(":")
            code = section_code(workspace.ROOT / path, section or None)
            out += [
                line,
                lines[i + 1],
                *code,
                lines[end] if end < len(lines) else "```",
            ]
            i = end + 1
            continue
        if fence:
            in_code = not in_code
        out.append(line if in_code or fence else _repository_links(line, page, sources))
        i += 1
    return "\n".join(out) + "\n"


def stale_guides(guides_dir=None, write=False):
    """Guides whose committed text differs from `render_guide` (rewritten
    with `write`), as paths relative to the root."""
    guides_dir = pathlib.Path(guides_dir or GUIDES)
    sources = symbol_sources()
    stale = []
    for page in sorted(guides_dir.glob("*.md")):
        text = page.read_text()
        rendered = render_guide(page, text, sources)
        if rendered != text:
            stale.append(os.path.relpath(page, workspace.ROOT))
            if write:
                page.write_text(rendered)
    return stale


def site_links(text):
    """A committed page's repository links turned into links of the site
    (the API reference page of the symbol or package, the published RFC).

    Symbol and RFC links are those of a guide (docs/guides/); a link to a
    package's `api.txt` may come from a page at any depth of docs/.
    """
    text = _REPO_SYMBOL_LINK.sub(
        lambda m: f"](../api/{m.group(1)}.md#{m.group(2)})", text
    )
    text = _REPO_API_LINK.sub(lambda m: f"]({m.group(1)[3:]}api/{m.group(2)}.md)", text)
    return _REPO_RFC_LINK.sub(lambda m: f"](../rfcs/{m.group(1)})", text)


def committed_markdown(root=None):
    """The Markdown files git tracks in the repository (absolute paths)."""
    root = pathlib.Path(root or workspace.ROOT)
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--", "*.md"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [root / name for name in listed.split("\0") if name]


def broken_links(page, root=None):
    """`path:line: link` for each relative link of a Markdown page whose
    target is not a file or folder of the repository (what a reader on the
    repository host would follow). URLs, in-page anchors and code are not
    checked; a `#fragment` after a path is ignored."""
    page = pathlib.Path(page)
    root = pathlib.Path(root or workspace.ROOT).resolve()
    broken = []
    fence = None
    for number, line in enumerate(page.read_text().splitlines(), 1):
        opening = _FENCE.match(line)
        if opening:
            if fence is None:
                fence = opening.group(1)[0]
            elif opening.group(1)[0] == fence:
                fence = None
            continue
        if fence is not None:
            continue
        line = re.sub(r"(`+).*?\1", "", line)  # code spans
        links = _MARKDOWN_LINK.findall(line) + _MARKDOWN_REFERENCE.findall(line)
        for link in links:
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", link) or link.startswith("#"):
                continue
            target = link.split("#")[0].split("?")[0]
            if not target:
                continue
            resolved = (
                root / target.lstrip("/")
                if target.startswith("/")
                else page.parent / target
            ).resolve()
            if not resolved.is_relative_to(root) or not resolved.exists():
                broken.append(f"{os.path.relpath(page, root)}:{number}: {link}")
    return broken


def example_workflows():
    """Paths (`examples/<package>/<workflow>.py`) of the demo's workflows."""
    from tools.lib import demo

    return [module.replace(".", "/") + ".py" for module in demo.discover()]


def undocumented_workflows(guides_dir=None):
    """The example workflows that no guide includes code from."""
    guides_dir = guides_dir or GUIDES
    included = {
        path
        for page in guides_dir.glob("*.md")
        for _, path, _ in snippet_includes(page)
    }
    return [path for path in example_workflows() if path not in included]


def api_page(package, records):
    lines = [
        f"# {package.dist_name} API",
        "",
        f"Every public symbol of `{package.import_name}` {package.version}, generated from "
        "its `api_export` declarations. **stable** symbols change only through the RFC "
        "they cite; **experimental** ones may change in any release.",
        "",
    ]
    if not records:
        lines.append("This package exports no symbols yet.")
        return "\n".join(lines) + "\n"
    lines += ["| symbol | stability | RFC |", "| --- | --- | --- |"]
    for record in records:
        rfc = f"[{record.rfc}](../rfcs/{record.rfc}.md)" if record.rfc else "-"
        lines.append(
            f"| [`{record.path}`](#{record.path}) | {record.stability} | {rfc} |"
        )
    lines.append("")
    for record in records:
        lines += [
            f"::: {record.path}",
            "    options:",
            "      show_root_heading: true",
            "",
            f"*{record.stability}*"
            + (
                f", accepted in RFC [{record.rfc}](../rfcs/{record.rfc}.md)"
                if record.rfc
                else ""
            ),
            "",
        ]
    return "\n".join(lines) + "\n"


def generate_pages(docs_dir=None):
    """Writes `api/*.md` and `rfcs/*.md` into `docs_dir` (default docs/).

    These pages are generated, never committed: the API reference from the
    `api_export` declarations, the RFCs copied from `governance/rfcs/`.
    """
    docs_dir = pathlib.Path(docs_dir or DOCS)
    for generated in ("api", "rfcs"):
        shutil.rmtree(docs_dir / generated, ignore_errors=True)
        (docs_dir / generated).mkdir(parents=True)
    index = [
        "# API reference",
        "",
        "| package | version | public symbols |",
        "| --- | --- | --- |",
    ]
    for package in workspace.packages():
        records = api.records_for(package)
        (docs_dir / "api" / f"{package.dist_name}.md").write_text(
            api_page(package, records)
        )
        index.append(
            f"| [{package.dist_name}]({package.dist_name}.md) | {package.version} | {len(records)} |"
        )
    (docs_dir / "api" / "index.md").write_text("\n".join(index) + "\n")
    for rfc in sorted((workspace.ROOT / "governance" / "rfcs").glob("2*.md")):
        (docs_dir / "rfcs" / rfc.name).write_text(rfc.read_text())


def _mkdocs_build(docs_dir, site_dir):
    """Runs MkDocs (strict) on `docs_dir` with the settings of mkdocs.yml."""
    import logging

    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    # The log lines of the `mkdocs` command: "WARNING -  ...", "INFO    -  ...".
    logger = logging.getLogger("mkdocs")
    logger.propagate = False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    config = load_config(
        str(workspace.ROOT / "mkdocs.yml"),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        strict=True,
    )
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(config)
    except exceptions.MkDocsException as error:
        print(f"ERROR   -  {error}", flush=True)
        return 1
    finally:
        config.plugins.on_shutdown()
    return 0


def build(serve=False, site_dir=None, capture=False):
    """Builds the site; returns the exit status (and the log with `capture`).

    The pages are assembled in a private temporary directory (a copy of
    docs/ plus the generated API and RFC pages), so that several builds can
    run at the same time (tests in parallel, several checkouts' tools) without
    deleting each other's generated pages. `serve` generates them into docs/
    instead, so that MkDocs reloads the pages you edit.
    """
    for path in undocumented_workflows():
        print(
            f"docs: no guide includes code from {path}; add one in docs/guides/.",
            file=sys.stderr,
        )
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if serve:
        # Serves docs/ itself so that edits reload: the guides' links to
        # repository files (turned into site links by a build) are reported
        # as warnings here, hence no --strict.
        generate_pages()
        command = [sys.executable, "-m", "mkdocs", "serve"]
        return subprocess.run(command, cwd=workspace.ROOT).returncode
    site_dir = pathlib.Path(site_dir or workspace.ROOT / "site").resolve()
    with tempfile.TemporaryDirectory(prefix="keras_docs_") as scratch:
        docs_dir = pathlib.Path(scratch) / "docs"
        shutil.copytree(
            DOCS,
            docs_dir,
            ignore=lambda directory, names: (
                {"api", "rfcs"} & set(names) if pathlib.Path(directory) == DOCS else ()
            ),
        )
        generate_pages(docs_dir)
        for page in [docs_dir / "index.md", *(docs_dir / "guides").glob("*.md")]:
            page.write_text(site_links(page.read_text()))
        command = [
            sys.executable,
            "-m",
            "tools.lib.docs",
            "--build-from",
            str(docs_dir),
            "--site-dir",
            str(site_dir),
        ]
        result = subprocess.run(
            command, cwd=workspace.ROOT, capture_output=capture, text=True
        )
    if capture:
        return result.returncode, result.stdout + result.stderr
    return result.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/docs", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=("build", "guides"),
        default="build",
        help="build the site (default), or regenerate the guides' code and links",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="with `guides`: only list the stale guides (exit code 1 if any)",
    )
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--site-dir", help="where to write the site (default site/)")
    # Internal: the MkDocs step of `build`, run in its own interpreter.
    parser.add_argument("--build-from", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_from:
        return _mkdocs_build(args.build_from, args.site_dir)
    if args.command == "guides":
        stale = stale_guides(write=not args.check)
        for path in stale:
            print(f"{path}: {'stale' if args.check else 'regenerated'}")
        if args.check and stale:
            print("Fix: run `tools/docs guides`.", file=sys.stderr)
            return 1
        return 0
    return build(serve=args.serve, site_dir=args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
