# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/docs`: builds the documentation site into `site/`.

    tools/docs                  build with MkDocs in strict mode (any warning fails)
    tools/docs --site-dir DIR   the same, into DIR instead of site/
    tools/docs --serve          build and serve on http://127.0.0.1:8000

The API reference is generated at build time from the `api_export`
declarations (every public symbol, grouped by package, with its stability
level and RFC); the RFCs are published from `governance/rfcs/`; guides
include their code from `examples/` so the page and the tested script are
the same file.
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from tools.lib import api
from tools.lib import workspace

DOCS = workspace.ROOT / "docs"
GUIDES = DOCS / "guides"
EXAMPLES = workspace.ROOT / "examples"
MAX_IMAGE_BYTES = 200 * 1024

# `--8<-- "examples/pkg/workflow.py:section"` on a line of its own (pymdown snippets).
_INCLUDE = re.compile(r'^\s*-{2}8<-{2}\s+"([^"]+)"\s*$')
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
        for number, line in enumerate(page.read_text().splitlines(), 1):
            fence = _FENCE.match(line)
            if fence and block_start is None:
                language, block_start = fence.group(2), number
                continue
            if fence:
                language, block_start = None, None
                continue
            if language == "python" and line.strip() and not _INCLUDE.match(line):
                problems.append(
                    f"{name}:{number}: this ```python block holds code written on the "
                    "page; include it from an example instead "
                    '(`--8<-- "examples/<package>/<workflow>.py:<section>"`).'
                )
                language = "reported"  # once per block
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
        generate_pages()
        command = [sys.executable, "-m", "mkdocs", "serve", "--strict"]
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
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--site-dir", help="where to write the site (default site/)")
    # Internal: the MkDocs step of `build`, run in its own interpreter.
    parser.add_argument("--build-from", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_from:
        return _mkdocs_build(args.build_from, args.site_dir)
    return build(serve=args.serve, site_dir=args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
