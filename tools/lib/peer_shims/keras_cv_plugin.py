# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""pytest plugin: keras-cv 0.9 tests against our `keras_cv`.

Loaded by `tools/peer_tests keras-cv` with `-p`. Marks out of scope (as a
skip whose reason starts with "out of scope") the tests the peer itself
skips under Keras 3 and the tests whose source uses a private peer name;
both rules are data in `tools/lib/peer_tests.py`.
"""

import inspect
import re

import pytest

from tools.lib.peer_tests import PACKAGES

_RULES = PACKAGES["keras-cv"]["out_of_scope"]
OUT_OF_SCOPE = _RULES["markers"]
PRIVATE = re.compile(_RULES["private_in_test"])


def pytest_configure(config):
    for name in OUT_OF_SCOPE:
        config.addinivalue_line("markers", f"{name}: peer marker")
    for name in _RULES["known_markers"]:
        config.addinivalue_line("markers", f"{name}: peer marker")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name, reason in OUT_OF_SCOPE.items():
            if item.get_closest_marker(name):
                item.add_marker(pytest.mark.skip(reason="out of scope: " + reason))
                break
        else:
            try:
                source = inspect.getsource(item.function)
            except (OSError, TypeError):
                continue
            found = PRIVATE.search(source)
            if found:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"out of scope: private peer API {found.group(0)}"
                    )
                )
