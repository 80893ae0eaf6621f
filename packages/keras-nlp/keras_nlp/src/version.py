# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

__version__ = "2.0.0"
# The keras-core releases this package is tested with; must equal the range
# in pyproject.toml (a test checks it).
KERAS_CORE_REQUIREMENT = ">=1.0,<2"
