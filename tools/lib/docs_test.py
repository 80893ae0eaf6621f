# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The documentation site builds in strict mode: no warning, no broken link."""

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
