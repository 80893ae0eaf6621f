# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/docs`: builds the documentation site into `site/`.

    tools/docs            build with MkDocs in strict mode (any warning fails)
    tools/docs --serve    build and serve on http://127.0.0.1:8000

The API reference is generated at build time from the `api_export`
declarations (every public symbol, grouped by package, with its stability
level and RFC); the RFCs are published from `governance/rfcs/`; guides
include their code from `examples/` so the page and the tested script are
the same file.
"""

import argparse
import os
import shutil
import subprocess
import sys

from tools.lib import api
from tools.lib import workspace

DOCS = workspace.ROOT / "docs"


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


def generate_pages():
    """Writes docs/api/*.md and docs/rfcs/*.md (not committed: generated)."""
    for generated in ("api", "rfcs"):
        shutil.rmtree(DOCS / generated, ignore_errors=True)
        (DOCS / generated).mkdir(parents=True)
    index = [
        "# API reference",
        "",
        "| package | version | public symbols |",
        "| --- | --- | --- |",
    ]
    for package in workspace.packages():
        records = api.records_for(package)
        (DOCS / "api" / f"{package.dist_name}.md").write_text(
            api_page(package, records)
        )
        index.append(
            f"| [{package.dist_name}]({package.dist_name}.md) | {package.version} | {len(records)} |"
        )
    (DOCS / "api" / "index.md").write_text("\n".join(index) + "\n")
    for rfc in sorted((workspace.ROOT / "governance" / "rfcs").glob("2*.md")):
        (DOCS / "rfcs" / rfc.name).write_text(rfc.read_text())


def build(serve=False, site_dir=None, capture=False):
    """Builds the site; returns the exit status (and the log with `capture`)."""
    generate_pages()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve" if serve else "build",
        "--strict",
    ]
    if not serve:
        command += ["--site-dir", str(site_dir or workspace.ROOT / "site")]
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
    args = parser.parse_args(argv)
    return build(serve=args.serve)


if __name__ == "__main__":
    sys.exit(main())
