# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Imports of the optional dependencies (extras) some loaders need.

`pip install keras-cv` leaves them out; each loader imports its extra only
when it is called, and a missing one is named with the line that installs it.
"""

import importlib

# module -> (pip distribution, keras-cv extra)
EXTRAS = {
    "tensorflow_datasets": ("tensorflow-datasets", "tfds"),
    "pandas": ("pandas", "pandas"),
}


def require(module, feature):
    """Imports `module`, or raises an `ImportError` naming the extra to install."""
    distribution, extra = EXTRAS[module]
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{feature} needs `{distribution}`, which is not installed. It is the "
            f"optional `keras-cv[{extra}]` extra: install it with "
            f'`pip install "keras-cv[{extra}]"` (with this repository\'s wheels: '
            f'`pip install --find-links dist "keras-cv[{extra}]"`), or '
            f"`pip install {distribution}`."
        ) from error
