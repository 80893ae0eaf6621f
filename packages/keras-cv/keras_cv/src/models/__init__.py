# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

# The backbones are keras_applications models: importing it registers their
# classes, so that `keras.models.load_model` and presets find them in a
# process that imported only keras_cv.
import keras_applications  # noqa: F401
