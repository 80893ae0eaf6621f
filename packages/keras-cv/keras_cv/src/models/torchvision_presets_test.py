# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named torchvision presets, downloaded from a real HTTP server on 127.0.0.1."""

import hashlib
import importlib.util
import os

import numpy as np
import pytest

from keras_core.testing import LocalHubServer
from keras_cv.src.models import torchvision_presets
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.mask_rcnn import MaskRCNN
from keras_cv.src.models.retinanet import RetinaNet

TESTDATA = os.path.join(os.path.dirname(__file__), "..", "convert", "testdata")
NAME = "retinanet_resnet50_fpn_coco"


def _module(name):
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(TESTDATA, f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with LocalHubServer() as hub:
        monkeypatch.setenv(torchvision_presets.MIRROR_VARIABLE, hub.url + "/files")
        yield hub


def _publish(server, monkeypatch, content, name=NAME):
    """Serves `content` under a torchvision-style name with its hash prefix."""
    prefix = hashlib.sha256(content).hexdigest()[:8]
    entry = torchvision_presets.TORCHVISION_PRESETS[name]
    stem = os.path.basename(entry[2]).rsplit("-", 1)[0]
    path = f"/models/{stem}-{prefix}.pth"
    monkeypatch.setitem(
        torchvision_presets.TORCHVISION_PRESETS, name, (*entry[:2], path, entry[3])
    )
    server.add_url_file(path[1:], content)
    return path


def test_presets_are_listed_with_torchvision_urls(monkeypatch):
    assert RetinaNet.presets == (NAME, "retinanet_resnet50_fpn_v2_coco")
    assert FasterRCNN.presets == (
        "faster_rcnn_resnet50_fpn_coco",
        "faster_rcnn_resnet50_fpn_v2_coco",
        "faster_rcnn_mobilenet_v3_large_fpn_coco",
        "faster_rcnn_mobilenet_v3_large_320_fpn_coco",
    )
    assert MaskRCNN.presets == (
        "mask_rcnn_resnet50_fpn_coco",
        "mask_rcnn_resnet50_fpn_v2_coco",
    )
    monkeypatch.delenv(torchvision_presets.MIRROR_VARIABLE, raising=False)
    # torchvision's URLs (models/detection/retinanet.py, faster_rcnn.py).
    assert torchvision_presets.url(NAME) == (
        "https://download.pytorch.org/models/retinanet_resnet50_fpn_coco-eeacb38b.pth"
    )
    assert torchvision_presets.url("retinanet_resnet50_fpn_v2_coco").endswith(
        "/models/retinanet_resnet50_fpn_v2_coco-5905b1c5.pth"
    )
    assert torchvision_presets.url("faster_rcnn_resnet50_fpn_coco") == (
        "https://download.pytorch.org/models/fasterrcnn_resnet50_fpn_coco-258fb6c6.pth"
    )
    # torchvision's MaskRCNN_ResNet50_FPN_Weights.COCO_V1 (mask_rcnn.py).
    assert torchvision_presets.url("mask_rcnn_resnet50_fpn_coco") == (
        "https://download.pytorch.org/models/maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth"
    )
    # torchvision 0.29.1's FasterRCNN_ResNet50_FPN_V2_Weights.COCO_V1 and
    # MaskRCNN_ResNet50_FPN_V2_Weights.COCO_V1.
    assert torchvision_presets.url("faster_rcnn_resnet50_fpn_v2_coco") == (
        "https://download.pytorch.org/models/"
        "fasterrcnn_resnet50_fpn_v2_coco-dd69338a.pth"
    )
    assert torchvision_presets.url("mask_rcnn_resnet50_fpn_v2_coco") == (
        "https://download.pytorch.org/models/maskrcnn_resnet50_fpn_v2_coco-73cbd019.pth"
    )
    # torchvision's FasterRCNN_MobileNet_V3_Large_FPN_Weights.COCO_V1 and
    # FasterRCNN_MobileNet_V3_Large_320_FPN_Weights.COCO_V1 (faster_rcnn.py).
    assert torchvision_presets.url("faster_rcnn_mobilenet_v3_large_fpn_coco") == (
        "https://download.pytorch.org/models/"
        "fasterrcnn_mobilenet_v3_large_fpn-fb6a3cc7.pth"
    )
    assert torchvision_presets.url("faster_rcnn_mobilenet_v3_large_320_fpn_coco") == (
        "https://download.pytorch.org/models/"
        "fasterrcnn_mobilenet_v3_large_320_fpn-907ea3f9.pth"
    )


def test_corrupt_download_is_refused_before_conversion(server, monkeypatch, tmp_path):
    path = _publish(server, monkeypatch, b"not a checkpoint" * 100)
    server.corrupt("/files" + path)
    with pytest.raises(ValueError, match="is corrupt or not the expected file"):
        RetinaNet.from_preset(NAME)
    assert not os.path.exists(tmp_path / "keras_home" / "presets")


def test_a_file_that_is_not_a_checkpoint_is_refused(server, monkeypatch):
    _publish(server, monkeypatch, b"<html>moved</html>")
    with pytest.raises(ValueError, match="not a zip-format PyTorch checkpoint"):
        RetinaNet.from_preset(NAME)


def test_a_preset_cached_by_an_older_conversion_is_not_reused(
    server, monkeypatch, tmp_path
):
    # A preset directory as an earlier conversion revision left it: the
    # resolver must download and convert again (here the download is
    # refused), and it must leave the old directory untouched.
    monkeypatch.setattr(torchvision_presets, "CONVERSION_REVISION", 3)
    path = _publish(server, monkeypatch, b"<html>moved</html>")
    stem = os.path.basename(path)[: -len(".pth")]
    root = tmp_path / "keras_home" / "presets" / "torchvision"
    for old in (root / stem, root / "r2" / stem):
        old.mkdir(parents=True)
        (old / "metadata.json").write_text("{}")
    with pytest.raises(ValueError, match="not a zip-format PyTorch checkpoint"):
        RetinaNet.from_preset(NAME)
    assert [r["path"] for r in server.requests] == ["/files" + path]
    for old in (root / stem, root / "r2" / stem):
        assert os.listdir(old) == ["metadata.json"]
    assert not (root / "r3").exists()


@pytest.mark.large
def test_preset_downloads_converts_and_caches(server, monkeypatch, tmp_path):
    # A full-size state dict (COCO's 91 classes), generated and written in
    # torch.save's format without PyTorch; float16 keeps the file at ~70 MB.
    data = np.load(os.path.join(TESTDATA, "retinanet_resnet50_fpn.npz"))
    import json

    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    shapes = [
        [9 * 91] + s[1:] if n.startswith("head.classification_head.cls_logits") else s
        for n, s in zip(names, shapes)
    ]
    state = _module("random_weights").random_state_dict(zip(names, shapes), seed=3)
    state = {
        k: v.astype("float16") if v.dtype == np.float32 else v for k, v in state.items()
    }
    file = tmp_path / "weights.pth"
    _module("torch_zip").save_state_dict(state, file)
    path = _publish(server, monkeypatch, file.read_bytes())

    model = RetinaNet.from_preset(NAME, score_threshold=0.3)
    assert model.num_classes == 91 and model.score_threshold == 0.3
    assert model.image_resize == (800, 1333)
    assert model.backbone.get_layer("conv1_bn").epsilon == 0.0
    bias = model.get_layer("classification_head").output_conv.bias.numpy()
    np.testing.assert_array_equal(
        bias, state["head.classification_head.cls_logits.bias"].astype("float32")
    )
    assert len([r for r in server.requests if r["path"] == "/files" + path]) == 1
    stem = os.path.basename(path)[: -len(".pth")]
    revision = f"r{torchvision_presets.CONVERSION_REVISION}"
    cached = tmp_path / "keras_home" / "presets" / "torchvision" / revision / stem
    assert (cached / "metadata.json").is_file()

    # Later calls load the cached preset: no request, also offline.
    before = len(server.requests)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = RetinaNet.from_preset(NAME)
    assert len(server.requests) == before
    np.testing.assert_array_equal(
        again.get_layer("classification_head").output_conv.bias.numpy(), bias
    )
    image = np.zeros((1, 40, 60, 3), "float32")
    np.testing.assert_allclose(
        again(image)["classification"], model(image)["classification"], atol=1e-5
    )


# torchvision's COCO heads: 91 classes (background and 90), 4 box numbers each.
_COCO_BOX_HEAD = {
    "roi_heads.box_predictor.cls_score.weight": [91, 1024],
    "roi_heads.box_predictor.cls_score.bias": [91],
    "roi_heads.box_predictor.bbox_pred.weight": [364, 1024],
    "roi_heads.box_predictor.bbox_pred.bias": [364],
}
_COCO_MASK_HEAD = {
    "roi_heads.mask_predictor.mask_fcn_logits.weight": [91, 256, 1, 1],
    "roi_heads.mask_predictor.mask_fcn_logits.bias": [91],
}


def _coco_checkpoint(fixture, heads, seed, tmp_path):
    """A float16 checkpoint with the names of the fixture's state dict and
    COCO-sized `heads`, random values: `(state dict, file)`."""
    import json

    data = np.load(os.path.join(TESTDATA, fixture))
    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    shapes = [heads.get(n, s) for n, s in zip(names, shapes)]
    state = _module("random_weights").random_state_dict(zip(names, shapes), seed=seed)
    state = {
        k: v.astype("float16") if v.dtype == np.float32 else v for k, v in state.items()
    }
    file = tmp_path / "weights.pth"
    _module("torch_zip").save_state_dict(state, file)
    return state, file


@pytest.mark.large
def test_faster_rcnn_preset_downloads_and_converts(server, monkeypatch, tmp_path):
    state, file = _coco_checkpoint(
        "fasterrcnn_resnet50_fpn.npz", _COCO_BOX_HEAD, 4, tmp_path
    )
    name = "faster_rcnn_resnet50_fpn_coco"
    _publish(server, monkeypatch, file.read_bytes(), name)
    model = FasterRCNN.from_preset(name)
    assert model.num_classes == 90 and model.min_level == 2
    assert model.backbone.get_layer("conv1_bn").epsilon == 0.0
    detections = model.predict_on_batch(np.zeros((1, 48, 64, 3), "float32"))
    assert detections["boxes"].shape == (1, 100, 4)


@pytest.mark.large
def test_mask_rcnn_preset_downloads_and_converts(server, monkeypatch, tmp_path):
    state, file = _coco_checkpoint(
        "maskrcnn_resnet50_fpn.npz", {**_COCO_BOX_HEAD, **_COCO_MASK_HEAD}, 5, tmp_path
    )
    name = "mask_rcnn_resnet50_fpn_coco"
    _publish(server, monkeypatch, file.read_bytes(), name)
    model = MaskRCNN.from_preset(name)
    assert model.num_classes == 90 and model.post_processing == "torchvision"
    assert model.backbone.get_layer("conv1_bn").epsilon == 0.0
    bias = model.mask_head.get_layer("mask_logits").bias.numpy()
    np.testing.assert_array_equal(
        bias,
        state["roi_heads.mask_predictor.mask_fcn_logits.bias"][1:].astype("float32"),
    )
    detections = model.predict_on_batch(np.zeros((1, 48, 64, 3), "float32"))
    assert detections["masks"].shape == (1, 100, 48, 64)


@pytest.mark.large
def test_mask_rcnn_v2_preset_downloads_and_converts(server, monkeypatch, tmp_path):
    state, file = _coco_checkpoint(
        "maskrcnn_resnet50_fpn_v2.npz",
        {**_COCO_BOX_HEAD, **_COCO_MASK_HEAD},
        6,
        tmp_path,
    )
    name = "mask_rcnn_resnet50_fpn_v2_coco"
    _publish(server, monkeypatch, file.read_bytes(), name)
    model = MaskRCNN.from_preset(name)
    assert model.num_classes == 90 and model.mask_normalization == "batch"
    assert model.rpn_depth == 2 and model.head_conv_depth == 4
    # No `overwrite_eps` for v2: PyTorch's batch-norm epsilon everywhere.
    assert model.backbone.get_layer("conv1_bn").epsilon == 1e-5
    assert model.mask_head.get_layer("mask_conv1_bn").epsilon == 1e-5
    np.testing.assert_array_equal(
        model.mask_head.get_layer("mask_conv4_bn").moving_variance.numpy(),
        state["roi_heads.mask_head.3.1.running_var"].astype("float32"),
    )
    detections = model.predict_on_batch(np.zeros((1, 48, 64, 3), "float32"))
    assert detections["masks"].shape == (1, 100, 48, 64)


@pytest.mark.large
def test_faster_rcnn_mobilenet_preset_downloads_and_converts(
    server, monkeypatch, tmp_path
):
    state, file = _coco_checkpoint(
        "fasterrcnn_mobilenet_v3_large_fpn.npz", _COCO_BOX_HEAD, 6, tmp_path
    )
    name = "faster_rcnn_mobilenet_v3_large_fpn_coco"
    _publish(server, monkeypatch, file.read_bytes(), name)
    model = FasterRCNN.from_preset(name)
    assert model.num_classes == 90 and model.image_resize == (800, 1333)
    assert model.fpn_inputs == ["expanded_conv_12", "P5"]
    assert model.rpn_score_threshold == 0.05
    assert model.backbone.get_layer("conv_bn").epsilon == 1e-5
    detections = model.predict_on_batch(np.zeros((1, 48, 64, 3), "float32"))
    assert detections["boxes"].shape == (1, 100, 4)


def _check_retinanet_v2(model):
    assert model.num_classes == 91 and model.extra_levels_input == "C5"
    assert model.head_normalization == "group" and model.head_norm_epsilon == 1e-5
    # torchvision's v2 backbone has ordinary, trainable batch norms
    # (epsilon 1e-5, PyTorch momentum 0.1), unlike v1's frozen ones.
    assert not model.freeze_batch_norm
    conv1_bn = model.backbone.get_layer("conv1_bn")
    assert conv1_bn.trainable and conv1_bn.momentum == 0.9
    assert conv1_bn.epsilon == 1e-5


def _check_faster_rcnn_v2(model):
    assert model.num_classes == 90 and model.rpn_depth == 2
    assert model.head_conv_depth == 4 and model.fpn_normalization == "batch"
    assert not model.freeze_batch_norm
    conv1_bn = model.backbone.get_layer("conv1_bn")
    assert conv1_bn.trainable and conv1_bn.momentum == 0.9
    assert conv1_bn.epsilon == 1e-5


def _check_mobilenet_320(model):
    assert model.num_classes == 90 and model.image_resize == (320, 640)
    assert model.rpn_pre_nms_top_k == model.test_num_proposals == 150
    assert model.fpn_inputs == ["expanded_conv_12", "P5"]


@pytest.mark.large  # a ResNet-50 (or MobileNetV3) conversion each
@pytest.mark.parametrize(
    "name, model_class, fixture, heads, check",
    [
        (
            "retinanet_resnet50_fpn_v2_coco",
            RetinaNet,
            "retinanet_resnet50_fpn_v2.npz",
            {
                "head.classification_head.cls_logits.weight": [9 * 91, 256, 3, 3],
                "head.classification_head.cls_logits.bias": [9 * 91],
            },
            _check_retinanet_v2,
        ),
        (
            "faster_rcnn_resnet50_fpn_v2_coco",
            FasterRCNN,
            "fasterrcnn_resnet50_fpn_v2.npz",
            _COCO_BOX_HEAD,
            _check_faster_rcnn_v2,
        ),
        (
            "faster_rcnn_mobilenet_v3_large_320_fpn_coco",
            FasterRCNN,
            "fasterrcnn_mobilenet_v3_large_320_fpn.npz",
            _COCO_BOX_HEAD,
            _check_mobilenet_320,
        ),
    ],
)
def test_other_presets_download_convert_and_reload(
    server, monkeypatch, tmp_path, name, model_class, fixture, heads, check
):
    # The presets not covered above, through the resolver: torchvision's
    # options after the download and conversion, and again after loading
    # the cached preset offline (they live in the saved config).
    _, file = _coco_checkpoint(fixture, heads, 8, tmp_path)
    _publish(server, monkeypatch, file.read_bytes(), name)
    model = model_class.from_preset(name)
    check(model)
    before = len(server.requests)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = model_class.from_preset(name)
    assert len(server.requests) == before
    check(again)
    for ours, cached in zip(model.weights, again.weights):
        np.testing.assert_array_equal(ours.numpy(), cached.numpy())
