# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The COCO-start workflow, offline.

The default test runs it on a small RetinaNet saved as a local preset with
torchvision's options (ResNet-18, narrow heads, 91 COCO labels); the large
test serves a full-size checkpoint in torchvision's format (random weights,
`retinanet_resnet50_fpn`'s names and shapes) from a local HTTP server as
torchvision's URL, so that `RetinaNet.from_preset(PRESET)` downloads,
converts and caches it as it does for users.
"""

import hashlib
import importlib.util
import json
import os

import numpy as np
import pytest

import keras_applications
import keras_cv
from examples.keras_cv import retinanet_from_coco
from keras_core.testing import LocalHubServer
from keras_cv.src.convert import torchvision as convert_torchvision
from keras_cv.src.models import torchvision_presets

TESTDATA = os.path.join(
    os.path.dirname(keras_cv.__file__), "src", "convert", "testdata"
)


def _module(name):
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(TESTDATA, f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coco_class_names_follow_the_category_ids():
    names = retinanet_from_coco.coco_class_names()
    assert len(names) == 91
    # Spot checks against the COCO annotation files' category ids.
    assert names[1] == "person" and names[13] == "stop sign"
    assert names[44] == "bottle" and names[67] == "dining table"
    assert names[90] == "toothbrush" and names[12] == "-" and names[0] == "-"
    assert len([n for n in names if n != "-"]) == 80


def _small_coco_preset(directory):
    """A RetinaNet with torchvision's options, small enough for a quick run."""
    arguments = convert_torchvision.TORCHVISION_MODELS["retinanet_resnet50_fpn"][1]()
    arguments.update(
        fpn_filters=16, head_filters=16, head_depth=1, image_resize=(96, 160)
    )
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.RetinaNet(backbone, num_classes=91, **arguments)
    model.save_to_preset(str(directory))
    return str(directory)


def _check(figures, tmp_path):
    assert figures["coco_detections"] >= 0
    assert 0.0 <= figures["val_map"] <= 1.0
    assert figures["export_matches_predict"] == 1.0
    assert os.path.getsize(tmp_path / "out" / "coco_detections.png") > 0
    assert os.path.getsize(tmp_path / "out" / "shapes_detections.png") > 0


@pytest.mark.large  # ~40 s: builds and trains two detectors
def test_quick_run_on_a_small_preset(tmp_path):
    preset = _small_coco_preset(tmp_path / "preset")
    figures = retinanet_from_coco.main(
        quick=True, preset=preset, output_dir=str(tmp_path / "out")
    )
    _check(figures, tmp_path)


@pytest.mark.large
def test_quick_run_downloads_the_named_preset(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    data = np.load(os.path.join(TESTDATA, "retinanet_resnet50_fpn.npz"))
    names = json.loads(str(data["names"]))
    shapes = json.loads(str(data["shapes"]))
    shapes = [
        [9 * 91] + s[1:] if n.startswith("head.classification_head.cls_logits") else s
        for n, s in zip(names, shapes)
    ]
    state = _module("random_weights").random_state_dict(zip(names, shapes), seed=5)
    file = tmp_path / "weights.pth"
    _module("torch_zip").save_state_dict(state, file)
    content = file.read_bytes()
    name = retinanet_from_coco.PRESET
    entry = torchvision_presets.TORCHVISION_PRESETS[name]
    path = f"/models/retinanet_resnet50_fpn_coco-{hashlib.sha256(content).hexdigest()[:8]}.pth"
    monkeypatch.setitem(
        torchvision_presets.TORCHVISION_PRESETS, name, (*entry[:2], path, entry[3])
    )
    with LocalHubServer() as hub:
        monkeypatch.setenv(torchvision_presets.MIRROR_VARIABLE, hub.url + "/files")
        hub.add_url_file(path[1:], content)
        figures = retinanet_from_coco.main(quick=True, output_dir=str(tmp_path / "out"))
    _check(figures, tmp_path)
