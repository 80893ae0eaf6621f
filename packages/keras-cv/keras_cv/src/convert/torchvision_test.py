# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Parity with torchvision's detectors, recorded by real torchvision code.

`testdata/make_torchvision_fixtures.py` ran torchvision 0.29.1 on models
filled with `testdata/random_weights.py`; these tests regenerate the same
state dict without PyTorch, convert it and compare raw head outputs and
final detections with the recording.
"""

import importlib.util
import json
import os

import numpy as np
import pytest

from keras_core.checkpoints import load_pytorch_checkpoint
from keras_cv.src.convert import torchvision as tv_convert

TESTDATA = os.path.join(os.path.dirname(__file__), "testdata")


def _random_weights():
    spec = importlib.util.spec_from_file_location(
        "random_weights", os.path.join(TESTDATA, "random_weights.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fixture(name):
    data = np.load(os.path.join(TESTDATA, f"{name}.npz"))
    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    adjustments = json.loads(str(data["adjustments"])) if "adjustments" in data else {}
    state = _random_weights().random_state_dict(
        zip(names, shapes), int(data["seed"]), adjustments
    )
    return data, state


def _assert_same_detections(detections, data, i, label_offset=0):
    """Same count, scores (both sorted), and the same (label, box) set.

    Detections whose scores tie within float error may come in another
    order, so each of torchvision's is matched to ours by label and box.
    """
    count = int(detections["num_detections"][0])
    assert count == len(data[f"scores_{i}"]), (i, count, len(data[f"scores_{i}"]))
    scores = np.asarray(detections["scores"][0][:count])
    boxes = np.asarray(detections["boxes"][0][:count])
    labels = np.asarray(detections["labels"][0][:count]) + label_offset
    np.testing.assert_allclose(scores, data[f"scores_{i}"], rtol=0, atol=1e-4)
    expected_boxes, expected_labels = data[f"boxes_{i}"], data[f"labels_{i}"]
    distance = np.abs(expected_boxes[:, None, :] - boxes[None, :, :]).max(-1)
    distance += np.where(expected_labels[:, None] == labels[None, :], 0.0, np.inf)
    distance += np.abs(data[f"scores_{i}"][:, None] - scores[None, :]) * 1e3
    match = distance.argmin(1)
    assert len(set(match.tolist())) == count
    np.testing.assert_array_equal(labels[match], expected_labels)
    np.testing.assert_allclose(boxes[match], expected_boxes, rtol=0, atol=0.01)
    np.testing.assert_allclose(scores[match], data[f"scores_{i}"], rtol=0, atol=1e-4)
    # Padding past the detections.
    assert np.all(np.asarray(detections["labels"][0][count:]) == -1)
    return match


def _compare_retinanet(model, data, images):
    for i in images:
        image = data[f"image_{i}"][None].astype("float32")
        raw = model(image, training=False)
        logits = raw["classification"][0].numpy()
        deltas = raw["box"][0].numpy()
        if f"raw_index_{i}" in data:
            logits = logits[data[f"raw_index_{i}"]]
            deltas = deltas[data[f"raw_index_{i}"]]
        np.testing.assert_allclose(logits, data[f"cls_logits_{i}"], rtol=0, atol=1e-4)
        np.testing.assert_allclose(
            deltas, data[f"bbox_regression_{i}"], rtol=0, atol=1e-4
        )

        _assert_same_detections(model.predict_on_batch(image), data, i)


@pytest.fixture(scope="module")
def retinanet_small():
    data, state = _fixture("retinanet_resnet50_fpn")
    model = tv_convert.from_torchvision(
        state,
        "retinanet_resnet50_fpn",
        image_resize=(int(data["min_size"]), int(data["max_size"])),
    )
    return model, data


def test_retinanet_matches_torchvision(retinanet_small):
    # An image where max_size binds (57x192 from 60x200); the large tests
    # run all four (landscape, portrait and square too).
    model, data = retinanet_small
    assert model.num_classes == int(data["num_classes"])  # read from the weights
    _compare_retinanet(model, data, [3])


@pytest.mark.large
def test_retinanet_batch_of_two_matches_torchvision(retinanet_small):
    model, data = retinanet_small
    image = data["image_1"].astype("float32")
    detections = model.predict_on_batch(np.stack([image, image]))
    count = len(data["scores_1"])
    for row in range(2):
        assert int(detections["num_detections"][row]) == count
        np.testing.assert_array_equal(
            detections["labels"][row][:count], data["labels_1"]
        )
        np.testing.assert_allclose(
            detections["boxes"][row][:count], data["boxes_1"], rtol=0, atol=0.01
        )


def test_retinanet_bounding_box_format_and_config(retinanet_small):
    model, data = retinanet_small
    config = model.get_config()
    assert config["anchor_layout"] == "torchvision"
    assert config["image_resize"] == [int(data["min_size"]), int(data["max_size"])]
    assert config["backbone"]["config"]["variant"] == "torchvision"
    assert config["head_normalization"] is None
    # v1's backbone batch norms are torchvision's FrozenBatchNorm2d.
    assert config["freeze_batch_norm"] is True
    assert not model.backbone.get_layer("conv1_bn").trainable


@pytest.mark.large
def test_retinanet_matches_torchvision_all_small_images(retinanet_small):
    model, data = retinanet_small
    _compare_retinanet(model, data, range(int(data["num_images"])))


@pytest.mark.large
def test_retinanet_matches_torchvision_at_800_1333():
    data, state = _fixture("retinanet_resnet50_fpn_large")
    model = tv_convert.from_torchvision(state, "retinanet_resnet50_fpn")
    assert model.image_resize == (800, 1333)
    _compare_retinanet(model, data, range(int(data["num_images"])))


def _retinanet_v2(name):
    data, state = _fixture(name)
    resize = (int(data["min_size"]), int(data["max_size"]))
    if resize == (800, 1333):
        resize = None  # the converter's default
    overrides = {} if resize is None else {"image_resize": resize}
    model = tv_convert.from_torchvision(state, "retinanet_resnet50_fpn_v2", **overrides)
    return model, data


@pytest.mark.large  # over 4 s; default-suite time budget
def test_retinanet_v2_matches_torchvision():
    model, data = _retinanet_v2("retinanet_resnet50_fpn_v2")
    assert model.head_normalization == "group" and model.extra_levels_input == "C5"
    # torchvision's v2 backbone has ordinary batch norms (v1's are frozen).
    assert not model.freeze_batch_norm and model.batch_norm_momentum == 0.9
    conv1_bn = model.backbone.get_layer("conv1_bn")
    assert conv1_bn.trainable and conv1_bn.momentum == 0.9
    _compare_retinanet(model, data, [3])


@pytest.mark.large
def test_retinanet_v2_matches_torchvision_everywhere():
    model, data = _retinanet_v2("retinanet_resnet50_fpn_v2")
    _compare_retinanet(model, data, range(int(data["num_images"])))
    model, data = _retinanet_v2("retinanet_resnet50_fpn_v2_large")
    _compare_retinanet(model, data, range(int(data["num_images"])))


# ------------------------------------------------------------- Faster R-CNN


def _compare_faster_rcnn(model, data, images, eager=False):
    for i in images:
        image = data[f"image_{i}"][None].astype("float32")
        raw = model(image, training=False)
        _compare_region_outputs(raw, data, i)

        # Our labels have no background class: torchvision's label - 1.
        # `eager` decodes the raw outputs above instead of tracing `predict`.
        detections = (
            model.decode_predictions(raw, image)
            if eager
            else model.predict_on_batch(image)
        )
        _assert_same_detections(detections, data, i, label_offset=1)


def _box_iou(a, b):
    """IoU `[N, M]` of xyxy boxes, in float64."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), axis=-1)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=-1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=-1)
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def _one_to_one(distance):
    """For each row, its nearest column not taken by an earlier row.

    The same box can be proposed twice (NMS runs per pyramid level, e.g. a
    box clipped to the whole image from two levels): each copy is matched
    once.
    """
    taken = np.zeros(distance.shape[1], bool)
    match = np.empty(distance.shape[0], np.int64)
    for row in range(distance.shape[0]):
        match[row] = np.argmin(np.where(taken, np.inf, distance[row]))
        taken[match[row]] = True
    return match


def _compare_region_outputs(raw, data, i, nms_ties=0):
    """Proposals and box-head outputs of Faster / Mask R-CNN.

    With `nms_ties`, up to that many of our proposals may be missing from
    torchvision's if each overlaps another proposal with an IoU within
    1e-5 of the proposal NMS threshold (0.7): whether such a box survives
    depends on the last bits of the decoded coordinates.
    """
    count = int(data[f"num_proposals_{i}"])
    rois = raw["rois"][0].numpy()
    expected = data[f"rois_{i}"]
    ours = rois[np.abs(rois).sum(1) > 0]
    # Proposals beyond the real ones are padding.
    assert np.all(rois[len(ours) :] == 0)
    extra = np.abs(ours[:, None, :] - expected[None, :, :]).max(-1).min(1) > 1e-3
    assert extra.sum() <= nms_ties, (i, ours[extra])
    if extra.any():
        iou = _box_iou(ours[extra], ours[~extra])
        assert (np.abs(iou - 0.7) < 1e-5).any(axis=1).all(), (i, ours[extra])
    assert len(ours) - extra.sum() == count
    rois = rois[: len(ours)]
    # The same proposals; near-equal objectness scores may order them
    # differently, so each of torchvision's is matched to its nearest not
    # yet matched (equal boxes, e.g. the whole image found on several
    # levels, are matched one to one).
    distance = np.abs(expected[:, None, :] - rois[None, :, :]).max(-1)
    match = _one_to_one(distance)
    np.testing.assert_allclose(rois[match], expected, rtol=0, atol=1e-3)
    logits = raw["classification"][0].numpy()[match]
    deltas = raw["box"][0].numpy()[match].reshape(count, -1)
    np.testing.assert_allclose(logits, data[f"class_logits_{i}"], rtol=0, atol=1e-4)
    # torchvision also regresses the background class (first 4 values).
    np.testing.assert_allclose(
        deltas, data[f"box_regression_{i}"][:, 4:], rtol=0, atol=1e-4
    )


@pytest.fixture(scope="module")
def faster_rcnn_small():
    data, state = _fixture("fasterrcnn_resnet50_fpn")
    model = tv_convert.from_torchvision(
        state,
        "fasterrcnn_resnet50_fpn",
        image_resize=(int(data["min_size"]), int(data["max_size"])),
    )
    return model, data


@pytest.mark.large  # over 4 s; default-suite time budget
def test_faster_rcnn_matches_torchvision(faster_rcnn_small):
    model, data = faster_rcnn_small
    assert model.num_classes == int(data["num_classes"]) - 1  # no background
    _compare_faster_rcnn(model, data, [3])


@pytest.mark.large
def test_faster_rcnn_matches_torchvision_all_small_images(faster_rcnn_small):
    model, data = faster_rcnn_small
    _compare_faster_rcnn(model, data, range(int(data["num_images"])))


@pytest.mark.large
def test_faster_rcnn_matches_torchvision_at_800_1333():
    data, state = _fixture("fasterrcnn_resnet50_fpn_large")
    model = tv_convert.from_torchvision(state, "fasterrcnn_resnet50_fpn")
    assert model.image_resize == (800, 1333)
    _compare_faster_rcnn(model, data, range(int(data["num_images"])))


def test_old_torchvision_rpn_names_are_upgraded():
    old = {"rpn.head.conv.weight": 1, "rpn.head.conv.bias": 2}
    assert tv_convert._upgrade_names(old) == {
        "rpn.head.conv.0.0.weight": 1,
        "rpn.head.conv.0.0.bias": 2,
    }


def test_faster_rcnn_num_classes_counts_the_background():
    with pytest.raises(ValueError, match="has 6 classes \\(background included\\)"):
        tv_convert.from_torchvision(
            {"roi_heads.box_predictor.cls_score.bias": np.zeros(6, "float32")},
            "fasterrcnn_resnet50_fpn",
            num_classes=5,
        )


def test_reads_a_file_written_by_torch_save():
    state = load_pytorch_checkpoint(os.path.join(TESTDATA, "tiny_state_dict.pth"))
    data = np.load(os.path.join(TESTDATA, "retinanet_resnet50_fpn.npz"))
    names = json.loads(str(data["names"]))
    shapes = dict(zip(names, json.loads(str(data["shapes"]))))
    weights = _random_weights()
    assert sorted(state) == sorted(
        [
            "backbone.body.bn1.bias",
            "backbone.body.bn1.num_batches_tracked",
            "backbone.body.bn1.running_mean",
            "backbone.body.bn1.running_var",
            "backbone.body.bn1.weight",
            "backbone.body.layer1.0.conv1.weight",
            "head.regression_head.bbox_reg.bias",
        ]
    )
    for name, value in state.items():
        expected = weights.random_tensor(name, shapes[name], int(data["seed"]))
        assert value.dtype == expected.dtype, name
        np.testing.assert_array_equal(value, expected)


def test_from_torchvision_path_reports_missing_tensors():
    # The real reading path: a torch.save file, which lacks most tensors.
    with pytest.raises(
        ValueError, match="tiny_state_dict.pth has no tensor 'backbone.body.conv1"
    ):
        tv_convert.from_torchvision(
            os.path.join(TESTDATA, "tiny_state_dict.pth"),
            "retinanet_resnet50_fpn",
            num_classes=1,  # the file's bbox_reg only; no cls_logits to count
        )


def test_from_torchvision_errors(tmp_path):
    with pytest.raises(
        ValueError, match="Unknown torchvision model 'yolo'.*retinanet_resnet50_fpn"
    ):
        tv_convert.from_torchvision({}, "yolo")
    with pytest.raises(ValueError, match="No file .*missing.pth"):
        tv_convert.from_torchvision(
            str(tmp_path / "missing.pth"), "retinanet_resnet50_fpn"
        )
    with pytest.raises(
        TypeError, match="must be the path of a torchvision weight file"
    ):
        tv_convert.from_torchvision(3, "retinanet_resnet50_fpn")
    with pytest.raises(
        ValueError, match="the state dict has no 'head.classification_head.cls_logits"
    ):
        tv_convert.from_torchvision({"x": np.zeros(3)}, "retinanet_resnet50_fpn")
    with pytest.raises(ValueError, match="num_classes=91` but .* has 5 classes"):
        tv_convert.from_torchvision(
            {"head.classification_head.cls_logits.bias": np.zeros(45, "float32")},
            "retinanet_resnet50_fpn",
            num_classes=91,
        )


@pytest.mark.large
def test_extra_and_misshapen_tensors_are_reported():
    _, state = _fixture("retinanet_resnet50_fpn")
    state["head.extra.weight"] = np.zeros(3, "float32")
    with pytest.raises(
        ValueError, match="1 tensors the model does not use.*head.extra.weight"
    ):
        tv_convert.from_torchvision(state, "retinanet_resnet50_fpn")
    del state["head.extra.weight"]
    state["head.regression_head.bbox_reg.weight"] = state[
        "head.regression_head.bbox_reg.weight"
    ][:, :128]
    with pytest.raises(ValueError, match="bbox_reg.weight' has shape"):
        tv_convert.from_torchvision(state, "retinanet_resnet50_fpn")


def test_old_torchvision_names_are_upgraded():
    old = {
        "backbone.fpn.inner_blocks.0.weight": 1,
        "backbone.fpn.layer_blocks.2.bias": 2,
        "head.classification_head.conv.0.weight": 3,
        "head.classification_head.conv.6.bias": 4,
        "head.regression_head.conv.2.weight": 5,
        "head.regression_head.bbox_reg.weight": 6,
    }
    assert tv_convert._upgrade_names(old) == {
        "backbone.fpn.inner_blocks.0.0.weight": 1,
        "backbone.fpn.layer_blocks.2.0.bias": 2,
        "head.classification_head.conv.0.0.weight": 3,
        "head.classification_head.conv.3.0.bias": 4,
        "head.regression_head.conv.1.0.weight": 5,
        "head.regression_head.bbox_reg.weight": 6,
    }


# ----------------------------------------- Faster R-CNN MobileNetV3-Large FPN


def _mobilenet(name, model_name="fasterrcnn_mobilenet_v3_large_fpn"):
    data, state = _fixture(name)
    model = tv_convert.from_torchvision(
        state,
        model_name,
        image_resize=(int(data["min_size"]), int(data["max_size"])),
    )
    return model, data


def test_faster_rcnn_mobilenet_v3_large_320_matches_torchvision():
    # torchvision's builder defaults (320 / 640, 150 proposals, RPN score
    # threshold 0.05) on an image where max_size binds (192x640 from
    # 60x200); the large tests run all images and the 800 / 1333 model.
    model, data = _mobilenet(
        "fasterrcnn_mobilenet_v3_large_320_fpn", "fasterrcnn_mobilenet_v3_large_320_fpn"
    )
    assert model.image_resize == (320, 640) == (int(data["min_size"]), 640)
    assert model.test_num_proposals == model.rpn_pre_nms_top_k == 150
    assert model.rpn_levels == [5, 5, 6] and model.roi_levels == [5]
    _compare_faster_rcnn(model, data, [3], eager=True)


@pytest.mark.large
def test_faster_rcnn_mobilenet_v3_large_matches_torchvision_everywhere():
    for name, model_name in (
        (
            "fasterrcnn_mobilenet_v3_large_320_fpn",
            "fasterrcnn_mobilenet_v3_large_320_fpn",
        ),
        ("fasterrcnn_mobilenet_v3_large_fpn", "fasterrcnn_mobilenet_v3_large_fpn"),
        (
            "fasterrcnn_mobilenet_v3_large_fpn_large",
            "fasterrcnn_mobilenet_v3_large_fpn",
        ),
    ):
        model, data = _mobilenet(name, model_name)
        _compare_faster_rcnn(model, data, range(int(data["num_images"])))


@pytest.mark.large
def test_faster_rcnn_mobilenet_rpn_score_threshold_matters():
    # Without torchvision's RPN score threshold of 0.05, proposals that
    # torchvision drops are kept: the comparison can fail.
    model, data = _mobilenet("fasterrcnn_mobilenet_v3_large_fpn")
    image = data["image_0"][None].astype("float32")
    model.rpn_score_threshold = 0.0
    raw = model(image, training=False)
    kept = int((np.abs(raw["rois"][0].numpy()).sum(1) > 0).sum())
    assert kept > int(data["num_proposals_0"])


# --------------------------------------------------------------- Mask R-CNN


def _mask_iou(ours, theirs):
    """Per-instance IoU of `[K, H, W]` binary masks (1 where both are empty)."""
    ours, theirs = ours.astype(bool), theirs.astype(bool)
    inter = (ours & theirs).reshape(len(ours), -1).sum(1)
    union = (ours | theirs).reshape(len(ours), -1).sum(1)
    return np.where(union == 0, 1.0, inter / np.maximum(union, 1))


def _compare_mask_rcnn(model, data, images, mask_logits_rtol=0.0):
    """Mask R-CNN's records; `mask_logits_rtol` is added to the 1e-4 bound.

    The fixtures' mask logits are of order 10 (`random_weights` scales the
    last layer up for sharp masks); v2's batch-normalised head carries
    float32 rounding of relative size ~1e-5 into them.
    """
    for i in images:
        image = data[f"image_{i}"][None].astype("float32")
        raw = model(image, training=False)
        _compare_region_outputs(raw, data, i, nms_ties=1)
        detections = model.decode_predictions(raw, image)
        match = _assert_same_detections(detections, data, i, label_offset=1)

        # The mask head's logits of each detection's class (recorded for
        # the detections `mask_index`), on our detections (boxes within
        # 0.01 px of torchvision's) ...
        index = data[f"mask_index_{i}"]
        expected_logits = data[f"mask_logits_{i}"]
        logits = raw["mask_logits"][0].numpy()[match[index]]
        np.testing.assert_allclose(
            logits, expected_logits, rtol=mask_logits_rtol, atol=1e-4
        )
        # ... and on torchvision's own boxes in the resized image.
        labels = data[f"labels_{i}"][index] - 1
        stage_one = model.stage_one(image, training=False)
        boxes = data[f"detection_boxes_resized_{i}"][index][None]
        all_logits = model._mask_logits(stage_one, boxes, training=False)
        own = np.transpose(all_logits[0].numpy(), (0, 3, 1, 2))[
            np.arange(len(index)), labels
        ]
        np.testing.assert_allclose(
            own, expected_logits, rtol=mask_logits_rtol, atol=1e-4
        )

        # Masks pasted into the original image, set at 0.5.
        height, width = data[f"image_{i}"].shape[:2]
        expected = np.unpackbits(data[f"masks_{i}"], axis=-1, count=width)
        masks = np.asarray(detections["masks"][0])
        count = len(expected)
        assert masks.shape == (model.max_detections, height, width)
        assert not masks[count:].any()
        iou = _mask_iou(masks[match], expected)
        scores = np.asarray(detections["scores"][0])[match]
        boxes = np.asarray(detections["boxes"][0])[match]
        print(
            f"maskrcnn image {i} {image.shape[1:3]}: max |score diff| "
            f"{np.abs(scores - data[f'scores_{i}']).max():.2e}, max |box diff| "
            f"{np.abs(boxes - data[f'boxes_{i}']).max():.2e} px, "
            "max |mask logit diff| "
            f"{np.abs(logits - expected_logits).max():.2e} (ours) "
            f"{np.abs(own - expected_logits).max():.2e} (torchvision's boxes), "
            f"min mask IoU {iou.min():.6f}, pixels differing "
            f"{int((masks[match] != expected).sum())} of {int(expected.sum())} set"
        )
        assert iou.min() >= 0.99, (i, iou.min(), np.argmin(iou))
        assert expected.any(axis=(1, 2)).all()  # no trivially empty masks


@pytest.fixture(scope="module")
def mask_rcnn_small():
    data, state = _fixture("maskrcnn_resnet50_fpn")
    model = tv_convert.from_torchvision(
        state,
        "maskrcnn_resnet50_fpn",
        image_resize=(int(data["min_size"]), int(data["max_size"])),
    )
    return model, data


def test_mask_rcnn_matches_torchvision(mask_rcnn_small):
    # 260x390 resized to 128x192: masks pasted into boxes larger than the
    # 28x28 grid (the large tests run the smaller images too).
    model, data = mask_rcnn_small
    assert model.num_classes == int(data["num_classes"]) - 1  # no background
    assert model.post_processing == "torchvision" and model.mask_threshold == 0.5
    _compare_mask_rcnn(model, data, [4])


@pytest.mark.large
def test_mask_rcnn_matches_torchvision_all_small_images(mask_rcnn_small):
    model, data = mask_rcnn_small
    _compare_mask_rcnn(model, data, range(int(data["num_images"])))


@pytest.mark.large
def test_mask_rcnn_matches_torchvision_at_800_1333():
    data, state = _fixture("maskrcnn_resnet50_fpn_large")
    model = tv_convert.from_torchvision(state, "maskrcnn_resnet50_fpn")
    assert model.image_resize == (800, 1333)
    _compare_mask_rcnn(model, data, range(int(data["num_images"])))


def test_old_torchvision_mask_head_names_are_upgraded():
    old = {
        "roi_heads.mask_head.mask_fcn1.weight": 1,
        "roi_heads.mask_head.mask_fcn4.bias": 2,
        "roi_heads.mask_predictor.conv5_mask.weight": 3,
    }
    assert tv_convert._upgrade_names(old) == {
        "roi_heads.mask_head.0.0.weight": 1,
        "roi_heads.mask_head.3.0.bias": 2,
        "roi_heads.mask_predictor.conv5_mask.weight": 3,
    }


# ------------------------------------------------ Faster and Mask R-CNN v2


def _v2(name, model_name):
    data, state = _fixture(name)
    resize = (int(data["min_size"]), int(data["max_size"]))
    overrides = {} if resize == (800, 1333) else {"image_resize": resize}
    return tv_convert.from_torchvision(state, model_name, **overrides), data


def _check_v2_architecture(model):
    assert model.fpn_normalization == "batch" and model.rpn_depth == 2
    assert model.head_conv_depth == 4 and model.head_dense_depth == 1
    assert model.head_normalization == "batch" and model.norm_epsilon == 1e-5
    # torchvision's v2 backbone has ordinary batch norms (not frozen).
    assert not model.freeze_batch_norm
    assert model.backbone.get_layer("conv1_bn").trainable
    assert not model.roi_head.get_layer("box_conv1").use_bias


@pytest.mark.large  # a ResNet-50 conversion: over 4 s
def test_faster_rcnn_v2_matches_torchvision():
    model, data = _v2("fasterrcnn_resnet50_fpn_v2", "fasterrcnn_resnet50_fpn_v2")
    _check_v2_architecture(model)
    assert model.num_classes == int(data["num_classes"]) - 1
    # All four sizes: landscape, portrait, square, max_size binding (the
    # last one proposes the whole-image box twice, from two levels).
    _compare_faster_rcnn(model, data, range(int(data["num_images"])))


@pytest.mark.large
def test_faster_rcnn_v2_matches_torchvision_at_800_1333():
    model, data = _v2("fasterrcnn_resnet50_fpn_v2_large", "fasterrcnn_resnet50_fpn_v2")
    assert model.image_resize == (800, 1333)
    _compare_faster_rcnn(model, data, range(int(data["num_images"])))


@pytest.mark.large  # a ResNet-50 conversion: over 4 s
def test_mask_rcnn_v2_matches_torchvision():
    model, data = _v2("maskrcnn_resnet50_fpn_v2", "maskrcnn_resnet50_fpn_v2")
    _check_v2_architecture(model)
    assert model.mask_normalization == "batch"
    assert not model.mask_head.get_layer("mask_conv1").use_bias
    _compare_mask_rcnn(
        model, data, range(int(data["num_images"])), mask_logits_rtol=2e-5
    )


@pytest.mark.large
def test_mask_rcnn_v2_matches_torchvision_at_800_1333():
    model, data = _v2("maskrcnn_resnet50_fpn_v2_large", "maskrcnn_resnet50_fpn_v2")
    assert model.image_resize == (800, 1333)
    _compare_mask_rcnn(
        model, data, range(int(data["num_images"])), mask_logits_rtol=2e-5
    )


@pytest.mark.large  # builds a ResNet-50 Faster R-CNN
def test_v2_state_dict_of_v1_is_refused():
    # A v1 file converted as v2 (or the reverse) names what it lacks.
    data = np.load(os.path.join(TESTDATA, "fasterrcnn_resnet50_fpn.npz"))
    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    state = {n: np.zeros(s, "float32") for n, s in zip(names, shapes)}
    with pytest.raises(
        ValueError, match="has no tensor 'backbone.fpn.inner_blocks.0.1"
    ):
        tv_convert.from_torchvision(state, "fasterrcnn_resnet50_fpn_v2")
