# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A module imported on first attribute access, not at `import keras_nlp`.

tensorflow-text loads its op libraries when imported, which costs more than
the rest of `import keras_nlp` together. Modules that need it bind
`tf_text = LazyModule("tensorflow_text")` and use `tf_text.X` as before;
the import happens the first time a tokenizer or packer runs.
"""

import importlib


class LazyModule:
    """Stands for the module `name` and imports it on first attribute access."""

    def __init__(self, name):
        self._name = name
        self._module = None

    def _load(self):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attr):
        # Only called for attributes this object lacks: everything the
        # module exports.
        return getattr(self._load(), attr)

    def __repr__(self):
        state = "loaded" if self._module is not None else "not yet imported"
        return f"<LazyModule {self._name!r} ({state})>"
