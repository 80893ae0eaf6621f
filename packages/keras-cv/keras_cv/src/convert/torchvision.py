# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Converts torchvision detection weights into keras-cv models.

torchvision's architectures are reproduced by arguments of our models
(see `TORCHVISION_MODELS`); this module builds the model with them and
copies every tensor of the state dict into it, checking that each tensor
is used once and each weight of ours is set.
"""

import os
import re

import numpy as np

from keras_core import api_export
from keras_core.checkpoints import load_pytorch_checkpoint

# Anchor sizes of torchvision's RetinaNet: (x, int(x * 2^(1/3)), int(x * 2^(2/3))).
RETINANET_ANCHOR_SIZES = tuple(
    (x, int(x * 2 ** (1.0 / 3)), int(x * 2 ** (2.0 / 3)))
    for x in (32, 64, 128, 256, 512)
)


def _retinanet_v1_arguments():
    return dict(
        max_level=7,
        fpn_filters=256,
        head_filters=256,
        head_depth=4,
        head_convolution="dense",
        head_normalization=None,
        extra_levels_input="P5",
        extra_levels_padding="symmetric",
        anchor_sizes=RETINANET_ANCHOR_SIZES,
        anchor_layout="torchvision",
        aspect_ratios=(0.5, 1.0, 2.0),
        box_coder_weights=(1.0, 1.0, 1.0, 1.0),
        normalization="imagenet",
        image_resize=(800, 1333),
        freeze_batch_norm=True,
        batch_norm_momentum=None,
        post_processing="torchvision",
        score_threshold=0.05,
        nms_iou_threshold=0.5,
        max_detections=300,
        pre_nms_top_k=1000,
        positive_threshold=0.5,
        negative_threshold=0.4,
    )


def _faster_rcnn_v1_arguments():
    return dict(
        min_level=2,
        extra_level="max_pool",
        fpn_filters=256,
        head_units=1024,
        anchor_sizes=((32,), (64,), (128,), (256,), (512,)),
        anchor_layout="torchvision",
        aspect_ratios=(0.5, 1.0, 2.0),
        box_coder_weights=(10.0, 10.0, 5.0, 5.0),
        normalization="imagenet",
        image_resize=(800, 1333),
        freeze_batch_norm=True,
        batch_norm_momentum=None,
        post_processing="torchvision",
        rpn_pre_nms_top_k=1000,
        test_num_proposals=1000,
        max_detections=100,
        score_threshold=0.05,
        nms_iou_threshold=0.5,
    )


def _faster_rcnn_mobilenet_arguments():
    arguments = _faster_rcnn_v1_arguments()
    arguments.update(
        # torchvision's `_mobilenet_extractor`: the FPN on the outputs of
        # `features[13]` (the first block of stride 32, 160 channels) and
        # `features[16]` (the last 1x1 convolution, 960 channels), plus
        # `LastLevelMaxPool`; 5 anchor sizes x 3 ratios on each of the
        # three maps; RoIAlign on the first map (both are of stride 32).
        fpn_inputs=("expanded_conv_12", "P5"),
        anchor_sizes=((32, 64, 128, 256, 512),) * 3,
        rpn_score_threshold=0.05,
    )
    return arguments


def _faster_rcnn_mobilenet_320_arguments():
    arguments = _faster_rcnn_mobilenet_arguments()
    arguments.update(
        image_resize=(320, 640), rpn_pre_nms_top_k=150, test_num_proposals=150
    )
    return arguments


def _mask_rcnn_v1_arguments():
    arguments = _faster_rcnn_v1_arguments()
    # Mask head: 4 x (3x3 conv 256 + ReLU), 2x2 stride-2 transposed conv
    # 256 + ReLU, 1x1 mask logits; masks pooled 14x14 (sampling ratio 2),
    # pasted as torchvision's `paste_masks_in_image`, set at 0.5.
    arguments.update(mask_filters=256, mask_threshold=0.5)
    return arguments


def _retinanet_v2_arguments():
    arguments = _retinanet_v1_arguments()
    arguments.update(
        # GroupNorm(32) heads (convolutions without bias), P6 from C5, and
        # a backbone with ordinary, trainable batch norms (torchvision's
        # builder passes no `norm_layer` to `resnet50`, unlike v1's
        # `FrozenBatchNorm2d`; PyTorch momentum 0.1 is Keras' 0.9).
        head_normalization="group",
        head_norm_epsilon=1e-5,
        extra_levels_input="C5",
        freeze_batch_norm=False,
        batch_norm_momentum=0.9,
    )
    return arguments


def _faster_rcnn_v2_arguments():
    arguments = _faster_rcnn_v1_arguments()
    # torchvision's v2 (Li et al., "Benchmarking Detection Transfer Learning
    # with Vision Transformers"): batch norms (epsilon 1e-5) after the FPN's
    # convolutions and the box head's four 3x3 convolutions (which have no
    # bias), a box head of one dense layer, a two-convolution RPN head, and
    # a backbone with ordinary, trainable batch norms (PyTorch momentum 0.1).
    arguments.update(
        fpn_normalization="batch",
        rpn_depth=2,
        head_conv_depth=4,
        head_dense_depth=1,
        head_normalization="batch",
        norm_epsilon=1e-5,
        freeze_batch_norm=False,
        batch_norm_momentum=0.9,
    )
    return arguments


def _mask_rcnn_v2_arguments():
    arguments = _faster_rcnn_v2_arguments()
    # The v1 mask head with a batch norm after each of its convolutions.
    arguments.update(mask_filters=256, mask_threshold=0.5, mask_normalization="batch")
    return arguments


# model name -> (keras-cv model class name, constructor arguments)
TORCHVISION_MODELS = {
    "retinanet_resnet50_fpn": ("RetinaNet", _retinanet_v1_arguments),
    "retinanet_resnet50_fpn_v2": ("RetinaNet", _retinanet_v2_arguments),
    "fasterrcnn_resnet50_fpn": ("FasterRCNN", _faster_rcnn_v1_arguments),
    "maskrcnn_resnet50_fpn": ("MaskRCNN", _mask_rcnn_v1_arguments),
    "fasterrcnn_resnet50_fpn_v2": ("FasterRCNN", _faster_rcnn_v2_arguments),
    "maskrcnn_resnet50_fpn_v2": ("MaskRCNN", _mask_rcnn_v2_arguments),
    "fasterrcnn_mobilenet_v3_large_fpn": (
        "FasterRCNN",
        _faster_rcnn_mobilenet_arguments,
    ),
    "fasterrcnn_mobilenet_v3_large_320_fpn": (
        "FasterRCNN",
        _faster_rcnn_mobilenet_320_arguments,
    ),
}
# Models whose backbone is torchvision's MobileNetV3-Large (ResNet-50 else).
MOBILENET_V3_MODELS = (
    "fasterrcnn_mobilenet_v3_large_fpn",
    "fasterrcnn_mobilenet_v3_large_320_fpn",
)


def _conv_kernel(value):
    """torch `(out, in, kh, kw)` -> Keras `(kh, kw, in, out)`."""
    return np.transpose(value, (2, 3, 1, 0))


def _upgrade_names(state):
    """Renames entries saved by older torchvision versions to today's names.

    Before torchvision 0.13 the FPN blocks were bare convolutions
    (`inner_blocks.0.weight`, now `inner_blocks.0.0.weight`) and the
    RetinaNet heads alternated convolution and ReLU (`conv.2.weight` for the
    second convolution, now `conv.1.0.weight`); the Mask R-CNN head's
    convolutions were `mask_head.mask_fcn1` to `mask_fcn4` (now
    `mask_head.0.0` to `mask_head.3.0`).
    """
    out = {}
    for name, value in state.items():
        new = re.sub(
            r"^(backbone\.fpn\.(?:inner|layer)_blocks\.\d+)\.(weight|bias)$",
            r"\1.0.\2",
            name,
        )
        new = re.sub(r"^rpn\.head\.conv\.(weight|bias)$", r"rpn.head.conv.0.0.\1", new)
        mask_conv = re.match(
            r"^roi_heads\.mask_head\.mask_fcn(\d+)\.(weight|bias)$", new
        )
        if mask_conv:
            index = int(mask_conv.group(1)) - 1
            new = f"roi_heads.mask_head.{index}.0.{mask_conv.group(2)}"
        match = re.match(
            r"^(head\.(?:classification|regression)_head\.conv)\.(\d+)\.(weight|bias)$",
            new,
        )
        if match:
            new = f"{match.group(1)}.{int(match.group(2)) // 2}.0.{match.group(3)}"
        out[new] = value
    return out


class StateDictAssigner:
    """Copies state-dict tensors into Keras variables, tracking both sides."""

    def __init__(self, state, source):
        self.state = {
            k: v for k, v in state.items() if not k.endswith("num_batches_tracked")
        }
        self.source = source
        self.used = set()
        self.assigned = set()

    def take(self, name):
        if name not in self.state:
            raise ValueError(
                f"{self.source} has no tensor {name!r}, which the model needs. "
                "Is it a state dict of the model named by `model_name`? It has "
                f"{len(self.state)} tensors, e.g. {sorted(self.state)[:5]}."
            )
        self.used.add(name)
        return np.asarray(self.state[name])

    def assign(self, variable, value, name):
        value = np.asarray(value, dtype="float32")
        if tuple(variable.shape) != value.shape:
            raise ValueError(
                f"{self.source}: tensor {name!r} has shape {value.shape} after "
                f"conversion, but the model's weight {variable.path!r} has shape "
                f"{tuple(variable.shape)}. Check `model_name` and `num_classes`."
            )
        variable.assign(value)
        self.assigned.add(id(variable))

    def conv(self, layer, prefix, bias=True):
        self.assign(
            layer.kernel,
            _conv_kernel(self.take(prefix + ".weight")),
            prefix + ".weight",
        )
        if bias:
            self.assign(layer.bias, self.take(prefix + ".bias"), prefix + ".bias")

    def batch_norm(self, layer, prefix):
        for ours, theirs in (
            (layer.gamma, "weight"),
            (layer.beta, "bias"),
            (layer.moving_mean, "running_mean"),
            (layer.moving_variance, "running_var"),
        ):
            self.assign(ours, self.take(f"{prefix}.{theirs}"), f"{prefix}.{theirs}")

    def norm(self, layer, prefix):
        self.assign(layer.gamma, self.take(prefix + ".weight"), prefix + ".weight")
        self.assign(layer.beta, self.take(prefix + ".bias"), prefix + ".bias")

    def finish(self, model):
        unused = sorted(set(self.state) - self.used)
        if unused:
            raise ValueError(
                f"{self.source} has {len(unused)} tensors the model does not "
                f"use, e.g. {unused[:5]}: it is not a state dict of this "
                "architecture (or of a variant with more layers)."
            )
        missing = [v.path for v in model.weights if id(v) not in self.assigned]
        if missing:
            raise ValueError(
                f"{len(missing)} weights of the model were not set from "
                f"{self.source}, e.g. {missing[:5]}."
            )


def _layers_by_name(model):
    return {
        layer.name: layer
        for layer in model._flatten_layers(include_self=False, recursive=True)
    }


def _assign_resnet(assign, backbone, prefix, blocks=(3, 4, 6, 3)):
    layers = _layers_by_name(backbone)
    assign.conv(layers["conv1_conv"], f"{prefix}.conv1", bias=False)
    assign.batch_norm(layers["conv1_bn"], f"{prefix}.bn1")
    for stage, count in enumerate(blocks):
        for index in range(count):
            ours = f"conv{stage + 2}_block{index + 1}"
            theirs = f"{prefix}.layer{stage + 1}.{index}"
            for j in (1, 2, 3):
                assign.conv(layers[f"{ours}_{j}_conv"], f"{theirs}.conv{j}", bias=False)
                assign.batch_norm(layers[f"{ours}_{j}_bn"], f"{theirs}.bn{j}")
            if f"{ours}_0_conv" in layers:
                assign.conv(
                    layers[f"{ours}_0_conv"], f"{theirs}.downsample.0", bias=False
                )
                assign.batch_norm(layers[f"{ours}_0_bn"], f"{theirs}.downsample.1")


def _assign_conv_norm(assign, conv, norm, prefix):
    """A torchvision `Conv2dNormActivation`: `<prefix>.0` and its norm `.1`."""
    assign.conv(conv, f"{prefix}.0", bias=norm is None)
    if norm is not None:
        assign.batch_norm(norm, f"{prefix}.1")


def _assign_fpn(assign, fpn, prefix, extra_names=("p6", "p7")):
    lateral_norms = fpn.lateral_norms or [None] * len(fpn.lateral)
    output_norms = fpn.output_norms or [None] * len(fpn.output_convs)
    for i, (conv, norm) in enumerate(zip(fpn.lateral, lateral_norms)):
        _assign_conv_norm(assign, conv, norm, f"{prefix}.inner_blocks.{i}")
    for i, (conv, norm) in enumerate(zip(fpn.output_convs, output_norms)):
        _assign_conv_norm(assign, conv, norm, f"{prefix}.layer_blocks.{i}")
    for conv, name in zip(fpn.extra, extra_names):
        assign.conv(conv, f"{prefix}.extra_blocks.{name}")


def _assign_retinanet_head(assign, head, prefix, output_name):
    for i, conv in enumerate(head.convs):
        norm = head.norms[i]
        assign.conv(conv, f"{prefix}.conv.{i}.0", bias=norm is None)
        if norm is not None:
            assign.norm(norm, f"{prefix}.conv.{i}.1")
    assign.conv(head.output_conv, f"{prefix}.{output_name}")


def _dense(assign, layer, prefix, kernel=None, rows=slice(None)):
    weight = assign.take(prefix + ".weight")[rows] if kernel is None else kernel
    assign.assign(layer.kernel, np.transpose(weight), prefix + ".weight")
    assign.assign(layer.bias, assign.take(prefix + ".bias")[rows], prefix + ".bias")


def _assign_backbone(assign, backbone, prefix):
    if "expanded_conv" in {layer.name for layer in backbone.layers}:
        from keras_cv.src.convert.torchvision_mobilenet import assign_mobilenet_v3

        assign_mobilenet_v3(assign, backbone, prefix)
    else:
        _assign_resnet(assign, backbone, prefix)


def _assign_faster_rcnn(assign, model):
    _assign_backbone(assign, model.backbone, "backbone.body")
    stage_one = model.stage_one
    _assign_fpn(assign, stage_one.get_layer("fpn"), "backbone.fpn")
    for i in range(model.rpn_depth):
        name = "rpn_conv" if i == 0 else f"rpn_conv{i + 1}"
        assign.conv(stage_one.get_layer(name), f"rpn.head.conv.{i}.0")
    assign.conv(stage_one.get_layer("rpn_classification"), "rpn.head.cls_logits")
    assign.conv(stage_one.get_layer("rpn_box"), "rpn.head.bbox_pred")
    head = model.roi_head
    normalized = model.head_normalization is not None
    for i in range(model.head_conv_depth):
        # torchvision's FastRCNNConvFCHead: Conv2dNormActivation blocks,
        # then `Flatten` and `Linear`/`ReLU` pairs in one Sequential.
        _assign_conv_norm(
            assign,
            head.get_layer(f"box_conv{i + 1}"),
            head.get_layer(f"box_conv{i + 1}_bn") if normalized else None,
            f"roi_heads.box_head.{i}",
        )
    if model.head_conv_depth:
        first = model.head_conv_depth + 1
        dense_names = [
            f"roi_heads.box_head.{first + 2 * j}" for j in range(model.head_dense_depth)
        ]
    else:
        dense_names = [
            f"roi_heads.box_head.fc{6 + j}" for j in range(model.head_dense_depth)
        ]
    fc6 = assign.take(dense_names[0] + ".weight")
    channels = model.fpn_filters
    # torch flattens pooled features as (channels, 7, 7), we as (7, 7, channels).
    fc6 = fc6.reshape(fc6.shape[0], channels, 7, 7).transpose(0, 2, 3, 1)
    _dense(assign, head.get_layer("fc1"), dense_names[0], fc6.reshape(fc6.shape[0], -1))
    for j, name in enumerate(dense_names[1:]):
        _dense(assign, head.get_layer(f"fc{j + 2}"), name)
    _dense(
        assign, head.get_layer("classification"), "roi_heads.box_predictor.cls_score"
    )
    # torchvision also regresses a box for the background class: dropped.
    _dense(
        assign,
        head.get_layer("box"),
        "roi_heads.box_predictor.bbox_pred",
        rows=slice(4, None),
    )


def _assign_mask_head(assign, model):
    head = model.mask_head
    normalized = model.mask_normalization is not None
    for i in range(4):
        _assign_conv_norm(
            assign,
            head.get_layer(f"mask_conv{i + 1}"),
            head.get_layer(f"mask_conv{i + 1}_bn") if normalized else None,
            f"roi_heads.mask_head.{i}",
        )
    # torch's ConvTranspose2d weight is (in, out, kh, kw); Keras' kernel
    # (kh, kw, out, in): the same transpose as a convolution's.
    assign.conv(head.get_layer("mask_upsample"), "roi_heads.mask_predictor.conv5_mask")
    # torchvision also predicts a mask for the background class: dropped.
    prefix = "roi_heads.mask_predictor.mask_fcn_logits"
    logits = head.get_layer("mask_logits")
    weight = assign.take(prefix + ".weight")[1:]
    assign.assign(logits.kernel, _conv_kernel(weight), prefix + ".weight")
    assign.assign(logits.bias, assign.take(prefix + ".bias")[1:], prefix + ".bias")


def _faster_rcnn_num_classes(state, num_classes, source):
    bias = state.get("roi_heads.box_predictor.cls_score.bias")
    if bias is None:
        if num_classes is not None:
            return num_classes
        raise ValueError(
            f"{source} has no 'roi_heads.box_predictor.cls_score.bias': it is "
            "not a torchvision Faster R-CNN state dict."
        )
    found = int(np.asarray(bias).shape[0])
    if num_classes is not None and num_classes != found:
        raise ValueError(
            f"`num_classes={num_classes}` but the classification layer of "
            f"{source} has {found} classes (background included). Pass "
            f"num_classes={found} (or None)."
        )
    return found


def _retinanet_num_classes(state, num_anchors, num_classes, source):
    bias = state.get("head.classification_head.cls_logits.bias")
    if bias is None:
        if num_classes is not None:
            return num_classes  # the missing tensors are reported by name
        raise ValueError(
            f"{source} has no 'head.classification_head.cls_logits.bias': "
            "it is not a torchvision RetinaNet state dict."
        )
    found = int(np.asarray(bias).shape[0]) // num_anchors
    if num_classes is not None and num_classes != found:
        raise ValueError(
            f"`num_classes={num_classes}` but the classification layer of "
            f"{source} has {found} classes. Pass num_classes={found} (or None)."
        )
    return found


def _read_state(state_dict_path):
    if isinstance(state_dict_path, dict):
        return dict(state_dict_path), "the state dict"
    if not isinstance(state_dict_path, (str, os.PathLike)):
        raise TypeError(
            "`state_dict_path` must be the path of a torchvision weight file "
            "(`.pth`, a `torch.save` of `model.state_dict()`) or a dict of "
            f"NumPy arrays. Received: {type(state_dict_path).__name__}."
        )
    path = os.fspath(state_dict_path)
    if not os.path.isfile(path):
        raise ValueError(
            f"No file {path!r}. Pass the path of a torchvision weight file, e.g. "
            "one downloaded from https://download.pytorch.org/models/."
        )
    return load_pytorch_checkpoint(path), path


@api_export("keras_cv.convert.from_torchvision", stability="experimental")
def from_torchvision(state_dict_path, model_name, num_classes=None, **kwargs):
    """Builds a keras-cv detector from a torchvision detection state dict.

    The model reproduces torchvision's architecture, input transform
    (resize to `min_size` 800 / `max_size` 1333, ImageNet normalisation)
    and post-processing (score threshold 0.05, top 1000 per level,
    per-class NMS at IoU 0.5, 300 detections per image for RetinaNet), so
    that `model.predict(images)` gives torchvision's detections, in the
    pixels of the original images. The checkpoint is read without running
    any pickled code (`keras_core.checkpoints.load_pytorch_checkpoint`).

    Supported `model_name`s: `"retinanet_resnet50_fpn"` (torchvision's
    `retinanet_resnet50_fpn`, v1), `"retinanet_resnet50_fpn_v2"` (GroupNorm
    heads, P6 from C5, a backbone with ordinary batch norms, as
    torchvision's v2 trains them), `"fasterrcnn_resnet50_fpn"`
    (`fasterrcnn_resnet50_fpn`, v1: RPN on P2-P6 with P6 a max pooling,
    1000 proposals per image, RoIAlign with sampling ratio 2 and
    `aligned=False`, 100 detections per image) and `"maskrcnn_resnet50_fpn"`
    (`maskrcnn_resnet50_fpn`, v1: that Faster R-CNN plus the mask head on
    14x14 RoIAlign grids, the mask of each detection's predicted class,
    pasted into the image as torchvision's `paste_masks_in_image` and set
    at probability 0.5), `"fasterrcnn_resnet50_fpn_v2"` and
    `"maskrcnn_resnet50_fpn_v2"` (torchvision's v2: batch norms in the
    feature pyramid and after the box and mask heads' convolutions, a
    box head of four 3x3 convolutions and one dense layer, a
    two-convolution RPN head, a backbone with ordinary batch norms),
    `"fasterrcnn_mobilenet_v3_large_fpn"` (a
    MobileNetV3-Large backbone, `keras_applications.MobileNetV3Large(
    variant="torchvision")`, with the FPN on its two last stages, both of
    stride 32, plus a max-pooled level; RPN proposals of objectness below
    0.05 dropped) and `"fasterrcnn_mobilenet_v3_large_320_fpn"` (the same
    model on images resized to 320 / 640, with 150 proposals). Our Faster
    and Mask R-CNN have no background class: their label `i` is
    torchvision's label `i + 1`.

    On a CPU these models predict fastest as they are (Keras' default
    `jit_compile="auto"` does not use XLA without an accelerator):
    `compile(jit_compile=True)` runs their convolutions, MobileNetV3's
    depthwise ones above all, on XLA's slower CPU kernels (about 3.7x the
    CPU time for `"fasterrcnn_mobilenet_v3_large_fpn"` at 800 pixels).

    Args:
        state_dict_path: path of a `torch.save(model.state_dict())` file
            (e.g. torchvision's published `.pth`, or a checkpoint fine-tuned
            with torchvision), or a dict of NumPy arrays keyed like it.
        model_name: the torchvision builder the state dict comes from.
        num_classes: the number of classes of the checkpoint, including
            torchvision's background index (91 for COCO). Defaults to the
            number the classification layer has.
        **kwargs: overrides of the keras-cv model's arguments, e.g.
            `bounding_box_format="xywh"`, `image_resize=(512, 853)`,
            `score_threshold=0.3`, or `backbone_batch_norm_epsilon=0.0`
            (the epsilon of the backbone's frozen batch norms: 1e-5 by
            default; torchvision's published COCO v1 weights are used with 0).

    Returns:
        A `keras_cv.models.RetinaNet`, `keras_cv.models.FasterRCNN` or
        `keras_cv.models.MaskRCNN` with the weights loaded.

    Example:

    A torchvision checkpoint, e.g. fine-tuned on 3 classes + background,
    converts with `keras_cv.convert.from_torchvision("retinanet_finetuned.pth",
    "retinanet_resnet50_fpn")`; the model's `predict` then takes uint8 or
    float images in [0, 255]. A file of another model is refused by name:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from keras_core.checkpoints import save_pytorch_checkpoint
    >>> path = os.path.join(tempfile.mkdtemp(), "classifier.pth")
    >>> _ = save_pytorch_checkpoint({"fc.weight": np.zeros((2, 4), "float32")}, path)
    >>> keras_cv.convert.from_torchvision(path, "retinanet_resnet50_fpn")
    Traceback (most recent call last):
    ...
    ValueError: ...it is not a torchvision RetinaNet state dict.
    """
    import keras_applications
    from keras_cv.src.models.retinanet import RetinaNet

    if model_name not in TORCHVISION_MODELS:
        raise ValueError(
            f"Unknown torchvision model {model_name!r}. Supported: "
            f"{sorted(TORCHVISION_MODELS)}."
        )
    state, source = _read_state(state_dict_path)
    state = _upgrade_names(state)
    class_name, make_arguments = TORCHVISION_MODELS[model_name]
    arguments = make_arguments()
    epsilon = kwargs.pop("backbone_batch_norm_epsilon", 1e-5)
    arguments.update(kwargs)
    if class_name in ("FasterRCNN", "MaskRCNN"):
        num_classes = _faster_rcnn_num_classes(state, num_classes, source)
    else:
        num_anchors = len(arguments["anchor_sizes"][0]) * len(
            arguments["aspect_ratios"]
        )
        num_classes = _retinanet_num_classes(state, num_anchors, num_classes, source)
    if model_name in MOBILENET_V3_MODELS:
        # The model normalises its inputs itself (`normalization`).
        backbone = keras_applications.MobileNetV3Large(
            include_top=False,
            input_shape=(None, None, 3),
            variant="torchvision",
            batch_norm_epsilon=epsilon,
            include_preprocessing=False,
        )
    else:
        backbone = keras_applications.ResNet50(
            include_top=False,
            input_shape=(None, None, 3),
            variant="torchvision",
            batch_norm_epsilon=epsilon,
        )
    assign = StateDictAssigner(state, source)
    if class_name in ("FasterRCNN", "MaskRCNN"):
        from keras_cv.src.models.faster_rcnn import FasterRCNN
        from keras_cv.src.models.mask_rcnn import MaskRCNN

        model_class = MaskRCNN if class_name == "MaskRCNN" else FasterRCNN
        # torchvision counts the background class; ours do not.
        model = model_class(backbone, num_classes=num_classes - 1, **arguments)
        _assign_faster_rcnn(assign, model)
        if class_name == "MaskRCNN":
            _assign_mask_head(assign, model)
        assign.finish(model)
        return model
    model = RetinaNet(backbone, num_classes=num_classes, **arguments)
    _assign_resnet(assign, model.backbone, "backbone.body")
    _assign_fpn(assign, model.get_layer("fpn"), "backbone.fpn")
    _assign_retinanet_head(
        assign,
        model.get_layer("classification_head"),
        "head.classification_head",
        "cls_logits",
    )
    _assign_retinanet_head(
        assign, model.get_layer("box_head"), "head.regression_head", "bbox_reg"
    )
    assign.finish(model)
    return model
