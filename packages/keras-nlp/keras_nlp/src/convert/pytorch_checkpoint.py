# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The restricted PyTorch checkpoint reader, now in keras-core.

Kept so that `keras_nlp.src.convert.pytorch_checkpoint` imports keep
working; the implementation is `keras_core.checkpoints` (RFC
20261207-keras-core-pytorch-checkpoint-reader).
"""

from keras_core.checkpoints import load_pytorch_checkpoint
from keras_core.checkpoints import read_pytorch_shapes

__all__ = ["load_pytorch_checkpoint", "read_pytorch_shapes"]
