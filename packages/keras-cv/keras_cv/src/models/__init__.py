# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

# keras_applications (the backbones) is imported when a saved model's
# backbone is rebuilt (`detection_utils.deserialize_backbone`), not here:
# `import keras_cv` stays cheap.
