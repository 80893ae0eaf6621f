# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes `legacy_state_dict.pth`: a state dict in PyTorch's legacy format.

PyTorch before 1.6 (and `torch.save(..., _use_new_zipfile_serialization=
False)`) writes a sequence of pickles followed by raw storages instead of a
zip archive; torchvision's oldest COCO weights are such files. Run with
PyTorch installed (not a dependency of keras-core), e.g.

    /tmp/tv/bin/python make_legacy_checkpoint.py

The values are simple functions of `np.arange`, checked by
`pytorch_checkpoint_test.py`.
"""

import collections
import os

import numpy as np
import torch


def main():
    state = collections.OrderedDict()
    state["conv.weight"] = torch.from_numpy(
        np.arange(2 * 3 * 2 * 2, dtype=np.float32).reshape(2, 3, 2, 2) / 10
    )
    state["bn.num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
    state["half"] = torch.arange(5, dtype=torch.float16) / 4
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    state["transposed"] = base.t()  # strided view of a shared storage
    state["base"] = base
    path = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "legacy_state_dict.pth"
    )
    torch.save(state, path, _use_new_zipfile_serialization=False)
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
