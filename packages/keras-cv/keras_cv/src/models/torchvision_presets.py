# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named presets converted from torchvision's published COCO weights.

`RetinaNet.from_preset("retinanet_resnet50_fpn_coco")`,
`FasterRCNN.from_preset("faster_rcnn_resnet50_fpn_coco")`,
`MaskRCNN.from_preset("mask_rcnn_resnet50_fpn_coco")` (and their `_v2`
variants) resolve the name
here: the weight file is downloaded once from torchvision's URL through
`keras_core.presets.resolve_file` (into `$KERAS_HOME/models/`, verified by
the sha256 prefix torchvision puts in the file name), read without running
pickled code, converted by `keras_cv.convert.from_torchvision`, and saved as
a keras-core preset in
`$KERAS_HOME/presets/torchvision/r<CONVERSION_REVISION>/<file stem>/`, from
which later calls load directly. The revision changes whenever a conversion
would give a different model (e.g. other batch-norm settings), so a preset
cached by an older version is converted again instead of being reused; the
older directory is left as it is. `KERAS_CV_TORCHVISION_MIRROR` replaces
`https://download.pytorch.org` by a mirror serving the same paths (an
internal mirror, or a test server).
"""

import os
import re

from keras_core import presets as core_presets

PYTORCH_DOWNLOADS = "https://download.pytorch.org"
MIRROR_VARIABLE = "KERAS_CV_TORCHVISION_MIRROR"
# Bump when a preset's conversion changes (arguments, weight mapping): the
# cache directory names it, so presets converted before are not reused.
# 2: RetinaNet v2 keeps torchvision's trainable backbone batch norms.
CONVERSION_REVISION = 2

# preset name -> (model class name, torchvision builder, path on
# download.pytorch.org, converter overrides). URLs and hash prefixes are
# torchvision's (`RetinaNet_ResNet50_FPN_Weights.COCO_V1`,
# `FasterRCNN_ResNet50_FPN_Weights.COCO_V1`,
# `MaskRCNN_ResNet50_FPN_Weights.COCO_V1`,
# `FasterRCNN_MobileNet_V3_Large_FPN_Weights.COCO_V1`,
# `FasterRCNN_MobileNet_V3_Large_320_FPN_Weights.COCO_V1`).
TORCHVISION_PRESETS = {
    "retinanet_resnet50_fpn_coco": (
        "RetinaNet",
        "retinanet_resnet50_fpn",
        "/models/retinanet_resnet50_fpn_coco-eeacb38b.pth",
        # torchvision loads its COCO v1 weights with frozen batch-norm
        # epsilon 0 (`overwrite_eps(model, 0.0)`).
        {"backbone_batch_norm_epsilon": 0.0},
    ),
    "retinanet_resnet50_fpn_v2_coco": (
        "RetinaNet",
        "retinanet_resnet50_fpn_v2",
        "/models/retinanet_resnet50_fpn_v2_coco-5905b1c5.pth",
        {},
    ),
    "faster_rcnn_resnet50_fpn_coco": (
        "FasterRCNN",
        "fasterrcnn_resnet50_fpn",
        "/models/fasterrcnn_resnet50_fpn_coco-258fb6c6.pth",
        {"backbone_batch_norm_epsilon": 0.0},  # `overwrite_eps(model, 0.0)`
    ),
    # `FasterRCNN_ResNet50_FPN_V2_Weights.COCO_V1` (ordinary batch norms,
    # epsilon 1e-5: no `overwrite_eps`).
    "faster_rcnn_resnet50_fpn_v2_coco": (
        "FasterRCNN",
        "fasterrcnn_resnet50_fpn_v2",
        "/models/fasterrcnn_resnet50_fpn_v2_coco-dd69338a.pth",
        {},
    ),
    "mask_rcnn_resnet50_fpn_coco": (
        "MaskRCNN",
        "maskrcnn_resnet50_fpn",
        "/models/maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth",
        {"backbone_batch_norm_epsilon": 0.0},  # `overwrite_eps(model, 0.0)`
    ),
    # `MaskRCNN_ResNet50_FPN_V2_Weights.COCO_V1`.
    "mask_rcnn_resnet50_fpn_v2_coco": (
        "MaskRCNN",
        "maskrcnn_resnet50_fpn_v2",
        "/models/maskrcnn_resnet50_fpn_v2_coco-73cbd019.pth",
        {},
    ),
    # torchvision keeps the frozen batch norms' epsilon 1e-5 for these.
    "faster_rcnn_mobilenet_v3_large_fpn_coco": (
        "FasterRCNN",
        "fasterrcnn_mobilenet_v3_large_fpn",
        "/models/fasterrcnn_mobilenet_v3_large_fpn-fb6a3cc7.pth",
        {},
    ),
    "faster_rcnn_mobilenet_v3_large_320_fpn_coco": (
        "FasterRCNN",
        "fasterrcnn_mobilenet_v3_large_320_fpn",
        "/models/fasterrcnn_mobilenet_v3_large_320_fpn-907ea3f9.pth",
        {},
    ),
}


def names(model_class_name):
    return tuple(
        name
        for name, entry in TORCHVISION_PRESETS.items()
        if entry[0] == model_class_name
    )


def url(name):
    base = os.environ.get(MIRROR_VARIABLE) or PYTORCH_DOWNLOADS
    return base.rstrip("/") + TORCHVISION_PRESETS[name][2]


def _cache_dir(name):
    stem = os.path.splitext(os.path.basename(TORCHVISION_PRESETS[name][2]))[0]
    home = os.path.expanduser(os.environ.get("KERAS_HOME") or "~/.keras")
    return os.path.join(home, "presets", "torchvision", f"r{CONVERSION_REVISION}", stem)


def resolve(name):
    """The local preset directory of `name`, downloading and converting once."""
    from keras_cv.src.convert.torchvision import from_torchvision

    directory = _cache_dir(name)
    if os.path.isfile(os.path.join(directory, "metadata.json")):
        return directory
    _, model_name, path, overrides = TORCHVISION_PRESETS[name]
    file_hash = re.search(r"-([0-9a-f]{8,})\.pth$", path).group(1)
    weights = core_presets.resolve_file(url(name), file_hash=file_hash)
    model = from_torchvision(weights, model_name, **overrides)
    core_presets.save_to_preset(model, directory)
    return directory
