# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Deterministic random weights for torchvision detectors (NumPy only).

`make_torchvision_fixtures.py` (run with PyTorch and torchvision) fills a
torchvision model with these values and records its outputs; the parity
tests regenerate the same state dict from the recorded tensor names and
shapes, without PyTorch, and compare our converted model with the
recording. Each tensor is drawn from its own PCG64 stream, seeded by the
seed and the CRC-32 of its name, so that the values do not depend on the
order of the tensors.

The scales keep activations of order one through ResNet-50: convolutions
get He-normal weights, the last batch norm of each bottleneck block a small
gain (so that residual sums do not double at each block), batch-norm
statistics are randomised, the class logits sit around -4.5 so that some
but not all anchors pass a 0.05 score threshold, and Mask R-CNN's mask
logits spread over several units.
"""

import zlib

import numpy as np


def _rng(seed, name):
    return np.random.Generator(np.random.PCG64([seed, zlib.crc32(name.encode())]))


def random_tensor(name, shape, seed=0):
    """The value of state-dict entry `name` of `shape` (float32 or int64)."""
    shape = tuple(int(d) for d in shape)
    rng = _rng(seed, name)
    leaf = name.rsplit(".", 1)[-1]
    if leaf == "num_batches_tracked":
        return np.zeros(shape, np.int64)
    is_norm = _is_norm(name, shape)
    if is_norm:
        if leaf == "weight":
            low, high = (0.1, 0.3) if _is_last_bn(name) else (0.5, 1.5)
            return rng.uniform(low, high, shape).astype(np.float32)
        if leaf == "running_var":
            return rng.uniform(0.5, 1.5, shape).astype(np.float32)
        return rng.normal(0.0, 0.1, shape).astype(np.float32)  # bias, mean
    if leaf == "bias":
        if "cls_logits" in name:
            return rng.normal(-4.5, 0.3, shape).astype(np.float32)
        return rng.normal(0.0, 0.1, shape).astype(np.float32)
    if len(shape) == 4 or len(shape) == 2:
        fan_in = int(np.prod(shape[1:]))
        if "cls_logits" in name or "cls_score" in name:
            std = 1.0 / np.sqrt(fan_in)
        elif "mask_fcn_logits" in name:
            # Mask logits well away from 0 (probabilities far from the 0.5
            # threshold), so that the pasted masks have clear edges.
            std = 15.0 / np.sqrt(fan_in)
        elif "bbox_reg" in name or "bbox_pred" in name:
            std = 0.3 / np.sqrt(fan_in)
        elif ".fpn." in name:
            # No ReLU follows, and the top-down sums add up: keep it small.
            std = 0.25 / np.sqrt(fan_in)
        else:
            std = np.sqrt(2.0 / fan_in)
        return rng.normal(0.0, std, shape).astype(np.float32)
    return rng.normal(0.0, 0.1, shape).astype(np.float32)


def _is_norm(name, shape):
    """Whether a 1-D entry belongs to a batch or group norm layer."""
    parts = name.split(".")
    if len(shape) != 1 or len(parts) < 3:
        return False
    parent, grandparent = parts[-2], parts[-3]
    if parent.startswith("bn") or parent == "norm":
        return True
    # ResNet shortcut norm (`downsample.1`), and the norm of torchvision's
    # Conv2dNormActivation blocks (`<i>.1` after the convolution `<i>.0`).
    return parent == "1" and (grandparent == "downsample" or grandparent.isdigit())


def _is_last_bn(name):
    return ".bn3." in name or name.endswith("bn3.weight")


def random_state_dict(names_and_shapes, seed=0, adjustments=None):
    """`{name: array}` for an iterable of `(name, shape)`.

    `adjustments` (a dict, recorded in the fixture as JSON) rescales what a
    model needs for activations of order one: `"norm_gain"` multiplies
    every batch-norm gain, `"scale"` / `"shift"` map a tensor name to a
    factor / an offset of its values.
    """
    state = {name: random_tensor(name, shape, seed) for name, shape in names_and_shapes}
    adjustments = adjustments or {}
    gain = adjustments.get("norm_gain")
    for name, value in state.items():
        if (
            gain is not None
            and name.endswith(".weight")
            and _is_norm(name, value.shape)
        ):
            state[name] = value * np.float32(gain)
        if name in adjustments.get("scale", {}):
            state[name] = state[name] * np.float32(adjustments["scale"][name])
        if name in adjustments.get("shift", {}):
            state[name] = state[name] + np.float32(adjustments["shift"][name])
    return state
