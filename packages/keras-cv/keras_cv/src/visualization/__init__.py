# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Private implementation of keras-cv. Import from `keras_cv` instead."""

from keras_cv.src.version import KERAS_CORE_REQUIREMENT
from keras_cv.src.version import __version__

try:
    from keras_core.src.compat import require_keras_core
except ImportError as error:  # no keras-core, or the unrelated one from PyPI
    raise ImportError(
        f"keras-cv {__version__} needs keras-core{KERAS_CORE_REQUIREMENT} from the "
        f"same project, but it cannot be imported ({error}). Fix: install "
        f"'keras-core{KERAS_CORE_REQUIREMENT}' built from this repository."
    ) from error

require_keras_core("keras-cv", __version__, KERAS_CORE_REQUIREMENT)
