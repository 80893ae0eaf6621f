# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""torchvision MobileNetV3 weights into `keras_applications.MobileNetV3*`.

The backbone is `keras_applications.MobileNetV3Large(variant="torchvision")`
(or `MobileNetV3Small`): the same blocks as torchvision's `mobilenet_v3_*`
with PyTorch's padding. torchvision's `features` is a sequence: `features.0`
the stem (convolution `.0`, batch norm `.1`), `features.<b + 1>` the
inverted residual block `b` (`block.<j>`: the expansion if the block widens
its input, the depthwise convolution, the squeeze-and-excitation `fc1` /
`fc2` if any, the projection; each a convolution `.0` and a batch norm
`.1`), and the last `features.<n + 1>` the final 1x1 convolution. In
torchvision's detection backbones the same modules sit under
`backbone.body`.
"""

import numpy as np

from keras_cv.src.convert.torchvision import StateDictAssigner


def _depthwise_kernel(value):
    """torch `(channels, 1, kh, kw)` -> Keras `(kh, kw, channels, 1)`."""
    return np.transpose(value, (2, 3, 0, 1))


def _conv(assign, layer, name):
    assign.conv(layer, name, bias=layer.use_bias)


def assign_mobilenet_v3(assign, backbone, prefix):
    """Copies torchvision's `features` under `prefix` into `backbone`.

    Args:
        assign: a `StateDictAssigner` over the state dict.
        backbone: a `MobileNetV3Large` / `MobileNetV3Small` built with
            `variant="torchvision"` and `include_top=False`.
        prefix: the name of torchvision's `features` in the state dict,
            e.g. `"features"` or `"backbone.body"`.
    """
    _conv(assign, backbone.get_layer("conv"), f"{prefix}.0.0")
    assign.batch_norm(backbone.get_layer("conv_bn"), f"{prefix}.0.1")
    index = 0
    while True:
        name = f"expanded_conv_{index}" if index else "expanded_conv"
        try:
            block = backbone.get_layer(name)
        except ValueError:
            break
        theirs = f"{prefix}.{index + 1}.block"
        j = 0
        if block.expand_conv is not None:
            _conv(assign, block.expand_conv, f"{theirs}.{j}.0")
            assign.batch_norm(block.expand_bn, f"{theirs}.{j}.1")
            j += 1
        weight = f"{theirs}.{j}.0.weight"
        assign.assign(
            block.depthwise_conv.kernel,
            _depthwise_kernel(assign.take(weight)),
            weight,
        )
        assign.batch_norm(block.depthwise_bn, f"{theirs}.{j}.1")
        j += 1
        if block.se is not None:
            assign.conv(block.se.reduce_conv, f"{theirs}.{j}.fc1")
            assign.conv(block.se.expand_conv, f"{theirs}.{j}.fc2")
            j += 1
        _conv(assign, block.project_conv, f"{theirs}.{j}.0")
        assign.batch_norm(block.project_bn, f"{theirs}.{j}.1")
        index += 1
    _conv(assign, backbone.get_layer("conv_1"), f"{prefix}.{index + 1}.0")
    assign.batch_norm(backbone.get_layer("conv_1_bn"), f"{prefix}.{index + 1}.1")


def load_mobilenet_v3_backbone(state, backbone, prefix="features"):
    """Loads the `prefix` tensors of a torchvision state dict into `backbone`.

    Every tensor under `prefix` must be used and every weight of
    `backbone` set, or a `ValueError` names what does not fit. Tensors
    outside `prefix` (e.g. torchvision's classifier) are ignored.

    Args:
        state: `{name: np.ndarray}`, e.g. from
            `keras_core.checkpoints.load_pytorch_checkpoint`.
        backbone: a `keras_applications.MobileNetV3Large(variant=
            "torchvision", include_top=False)` (or `MobileNetV3Small`).
        prefix: the name of torchvision's `features` in `state`.

    Returns:
        `backbone`, with the weights set.
    """
    kept = {k: v for k, v in state.items() if k.startswith(prefix + ".")}
    assign = StateDictAssigner(kept, "the state dict")
    assign_mobilenet_v3(assign, backbone, prefix)
    assign.finish(backbone)
    return backbone
