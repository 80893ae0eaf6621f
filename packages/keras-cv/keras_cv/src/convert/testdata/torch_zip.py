# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a dict of NumPy arrays in `torch.save`'s zip format, without torch.

For tests that need a full-size checkpoint file (too large to commit); the
writer is keras-core's public `save_pytorch_checkpoint`.
"""

from keras_core.checkpoints import save_pytorch_checkpoint


def save_state_dict(state, path):
    """Writes `state` ({name: np.ndarray}) to `path` as `torch.save` does."""
    return save_pytorch_checkpoint(state, path)
