# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Records torchvision detectors' outputs for keras-cv's parity tests.

The reference is torchvision itself (PyTorch on CPU), which is NOT a
dependency of keras-cv: run this script in a separate environment, e.g.

    python3 -m venv /tmp/tv
    /tmp/tv/bin/pip install torch torchvision numpy
    /tmp/tv/bin/python make_torchvision_fixtures.py \\
        --output packages/keras-cv/keras_cv/src/convert/testdata

(the fixtures in the repository were written with torch 2.14.1 and
torchvision 0.29.1). For each model it builds the torchvision detector
without pretrained weights, fills every parameter and batch-norm statistic
with `random_weights.random_tensor` (NumPy PCG64, so that the tests can
regenerate the same state dict without PyTorch), runs it in eval mode on a
few deterministic images of different sizes and aspect ratios, one image
per call, and writes `<model>[_large].npz` with:

- `names`, `shapes`: the state dict's layout (JSON), `seed`, `num_classes`,
  `min_size`, `max_size`, `adjustments` (JSON, see
  `random_weights.random_state_dict`; MobileNetV3 needs some);
- per image `i`: `image_i` (uint8, HWC), `resized_i` (the size after
  torchvision's resize), the raw head outputs (`cls_logits_i`,
  `bbox_regression_i` for RetinaNet; the RPN proposals `rois_i` and the
  box head's `class_logits_i`, `box_regression_i` for Faster and Mask
  R-CNN; RetinaNet's are subsampled with `raw_index_i` in the large
  fixture), and the final detections `boxes_i`, `scores_i`, `labels_i` in
  original-image coordinates. Mask R-CNN adds `detection_boxes_resized_i`
  (the detections before they are mapped back), `mask_logits_i` (the mask
  head's 28x28 logits of each detection's class, for the detections
  `mask_index_i`) and `masks_i`, the masks
  pasted into the original image and thresholded at 0.5 (bits packed
  along the width by `np.packbits`).

It also writes `tiny_state_dict.pth`, a few tensors saved by `torch.save`,
for the test of the zip-file reading path.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_weights  # noqa: E402

SEED = 7
NUM_CLASSES = 5
# (height, width): landscape, portrait, square, and one where max_size binds.
IMAGE_SIZES = [(100, 150), (150, 90), (77, 77), (60, 200)]
SMALL = dict(min_size=128, max_size=192)
LARGE = dict(min_size=800, max_size=1333)
LARGE_IMAGE_SIZES = [(120, 160), (90, 200)]


def _images(sizes, seed):
    rng = np.random.Generator(np.random.PCG64(seed))
    images = []
    for height, width in sizes:
        # Smooth blobs plus noise: structured enough for varied detections.
        y, x = np.mgrid[0:height, 0:width]
        base = np.zeros((height, width, 3))
        for _ in range(4):
            cy, cx = rng.uniform(0, height), rng.uniform(0, width)
            r = rng.uniform(5, 40)
            color = rng.uniform(0, 255, 3)
            mask = ((y - cy) ** 2 + (x - cx) ** 2) < r**2
            base[mask] = color
        base += rng.normal(0, 20, base.shape)
        images.append(np.clip(base, 0, 255).astype(np.uint8))
    return images


def _fill(model, seed, adjustments=None):
    import torch

    state = model.state_dict()
    names = list(state)
    values = random_weights.random_state_dict(
        ((n, tuple(state[n].shape)) for n in names), seed, adjustments
    )
    model.load_state_dict({n: torch.from_numpy(values[n]) for n in names})
    return names, [list(state[n].shape) for n in names]


def _build(model_name, settings):
    from torchvision.models import detection

    builder = getattr(detection, model_name)
    # The other settings (RPN score threshold, proposals) are the builder's.
    return builder(
        weights=None,
        weights_backbone=None,
        num_classes=NUM_CLASSES,
        min_size=settings["min_size"],
        max_size=settings["max_size"],
    ).eval()


def _record_retinanet(model, image, subsample):
    import torch

    tensor = torch.from_numpy(image.astype(np.float32) / 255.0).permute(2, 0, 1)
    out = {}
    with torch.no_grad():
        images, _ = model.transform([tensor])
        features = list(model.backbone(images.tensors).values())
        head = model.head(features)
        detections = model([tensor])[0]
    cls_logits = head["cls_logits"][0].numpy()
    bbox = head["bbox_regression"][0].numpy()
    if subsample:
        index = np.arange(0, cls_logits.shape[0], subsample)
        out["raw_index"] = index
        cls_logits, bbox = cls_logits[index], bbox[index]
    out["resized"] = np.array(images.image_sizes[0])
    out["padded"] = np.array(images.tensors.shape[-2:])
    out["cls_logits"] = cls_logits
    out["bbox_regression"] = bbox
    out["boxes"] = detections["boxes"].numpy()
    out["scores"] = detections["scores"].numpy()
    out["labels"] = detections["labels"].numpy()
    return out


def _record_faster_rcnn(model, image, subsample):
    import torch

    tensor = torch.from_numpy(image.astype(np.float32) / 255.0).permute(2, 0, 1)
    out = {}
    with torch.no_grad():
        images, _ = model.transform([tensor])
        features = model.backbone(images.tensors)
        proposals, _ = model.rpn(images, features)
        box_features = model.roi_heads.box_roi_pool(
            features, proposals, images.image_sizes
        )
        box_features = model.roi_heads.box_head(box_features)
        class_logits, box_regression = model.roi_heads.box_predictor(box_features)
        detections = model([tensor])[0]
    # All proposals, even in the large fixture: near-equal objectness makes
    # their order fragile, so the tests match them as a set.
    del subsample
    rois = proposals[0].numpy()
    class_logits = class_logits.numpy()
    box_regression = box_regression.numpy()
    out["resized"] = np.array(images.image_sizes[0])
    out["padded"] = np.array(images.tensors.shape[-2:])
    out["num_proposals"] = np.array(proposals[0].shape[0])
    out["rois"] = rois
    out["class_logits"] = class_logits
    out["box_regression"] = box_regression
    out["boxes"] = detections["boxes"].numpy()
    out["scores"] = detections["scores"].numpy()
    out["labels"] = detections["labels"].numpy()
    return out


def _record_mask_rcnn(model, image, subsample):
    """Faster R-CNN's records plus the mask head's outputs and pasted masks."""
    import torch

    out = _record_faster_rcnn(model, image, subsample)
    tensor = torch.from_numpy(image.astype(np.float32) / 255.0).permute(2, 0, 1)
    with torch.no_grad():
        images, _ = model.transform([tensor])
        features = model.backbone(images.tensors)
        proposals, _ = model.rpn(images, features)
        detections, _ = model.roi_heads(features, proposals, images.image_sizes)
        boxes = detections[0]["boxes"]
        labels = detections[0]["labels"]
        heads = model.roi_heads
        pooled = heads.mask_roi_pool(features, [boxes], images.image_sizes)
        logits = heads.mask_predictor(heads.mask_head(pooled))
        logits = logits[torch.arange(len(labels)), labels]
        final = model([tensor])[0]
    # The mask head's logits of each detection's class, on torchvision's
    # boxes in the resized image (before they are mapped back).
    np.testing.assert_allclose(
        torch.sigmoid(logits).numpy(), detections[0]["masks"][:, 0].numpy()
    )
    out["detection_boxes_resized"] = boxes.numpy()
    # Every fourth detection's logits keep the file small; the pasted masks
    # below cover all detections.
    out["mask_index"] = np.arange(0, len(labels), 4)
    out["mask_logits"] = logits.numpy()[out["mask_index"]]
    # The pasted masks in the original image, thresholded as documented
    # (`mask >= 0.5`).
    out["masks"] = np.packbits((final["masks"][:, 0] >= 0.5).numpy(), axis=-1)
    np.testing.assert_array_equal(final["labels"].numpy(), out["labels"])
    return out


RECORDERS = {
    "retinanet_resnet50_fpn": _record_retinanet,
    "retinanet_resnet50_fpn_v2": _record_retinanet,
    "fasterrcnn_resnet50_fpn": _record_faster_rcnn,
    "maskrcnn_resnet50_fpn": _record_mask_rcnn,
    # v2: batch-normalised FPN, box and mask heads, a two-convolution RPN
    # head, a backbone with ordinary (not frozen) batch norms.
    "fasterrcnn_resnet50_fpn_v2": _record_faster_rcnn,
    "maskrcnn_resnet50_fpn_v2": _record_mask_rcnn,
    "fasterrcnn_mobilenet_v3_large_fpn": _record_faster_rcnn,
    "fasterrcnn_mobilenet_v3_large_320_fpn": _record_faster_rcnn,
}
# MobileNetV3: batch-norm gains x0.85 (as drawn, activations grow about
# tenfold per stage through its 17 stages; at 0.8 the image's signal fades
# and the FPN maps differ little between images; at 0.85 the backbone's
# outputs are of order 5 and vary with the image); RPN objectness spread
# around the 0.05 threshold these builders apply (about half pass).
_MOBILENET_ADJUSTMENTS = {
    "norm_gain": 0.85,
    "scale": {"rpn.head.cls_logits.weight": 4.0},
    "shift": {"rpn.head.cls_logits.bias": 1.3},
}
ADJUSTMENTS = {
    "fasterrcnn_mobilenet_v3_large_fpn": _MOBILENET_ADJUSTMENTS,
    "fasterrcnn_mobilenet_v3_large_320_fpn": _MOBILENET_ADJUSTMENTS,
}
# The 320 model is recorded at its own sizes only (the builder's default
# min_size / max_size), as one fixture.
SETTINGS = {"fasterrcnn_mobilenet_v3_large_320_fpn": dict(min_size=320, max_size=640)}
# Mask R-CNN adds an image larger than its resized size, so that masks are
# pasted into boxes larger than the mask grid as well as smaller ones.
EXTRA_IMAGE_SIZES = {
    "maskrcnn_resnet50_fpn": [(260, 390)],
    "maskrcnn_resnet50_fpn_v2": [(260, 390)],
}


def make(model_name, output, large):
    import torch

    torch.manual_seed(0)
    settings = SETTINGS.get(model_name, LARGE if large else SMALL)
    model = _build(model_name, settings)
    adjustments = ADJUSTMENTS.get(model_name, {})
    names, shapes = _fill(model, SEED, adjustments)
    sizes = LARGE_IMAGE_SIZES if large else IMAGE_SIZES
    sizes = sizes + EXTRA_IMAGE_SIZES.get(model_name, [])
    arrays = {
        "names": np.array(json.dumps(names)),
        "shapes": np.array(json.dumps(shapes)),
        "seed": np.array(SEED),
        "num_classes": np.array(NUM_CLASSES),
        "min_size": np.array(settings["min_size"]),
        "max_size": np.array(settings["max_size"]),
        "num_images": np.array(len(sizes)),
        "adjustments": np.array(json.dumps(adjustments)),
    }
    for i, image in enumerate(_images(sizes, SEED + (100 if large else 0))):
        arrays[f"image_{i}"] = image
        record = RECORDERS[model_name](model, image, subsample=13 if large else 0)
        for key, value in record.items():
            arrays[f"{key}_{i}"] = value
        print(
            model_name, i, image.shape, "->", record["resized"], len(record["scores"])
        )
    path = os.path.join(output, f"{model_name}{'_large' if large else ''}.npz")
    np.savez_compressed(path, **arrays)
    print("wrote", path, os.path.getsize(path), "bytes")


def make_tiny_state_dict(output):
    """A few RetinaNet tensors (float32 and int64) saved by `torch.save`."""
    import torch

    model = _build("retinanet_resnet50_fpn", SMALL)
    _fill(model, SEED)
    keep = (
        "backbone.body.bn1.",
        "backbone.body.layer1.0.conv1.weight",
        "head.regression_head.bbox_reg.bias",
    )
    state = {k: v for k, v in model.state_dict().items() if k.startswith(keep)}
    path = os.path.join(output, "tiny_state_dict.pth")
    torch.save(state, path)
    print("wrote", path, sorted(state), os.path.getsize(path), "bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--models", nargs="*", default=sorted(RECORDERS))
    parser.add_argument("--small-only", action="store_true")
    args = parser.parse_args()
    for name in args.models:
        make(name, args.output, large=False)
        if not args.small_only and name not in SETTINGS:
            make(name, args.output, large=True)
    make_tiny_state_dict(args.output)


if __name__ == "__main__":
    main()
