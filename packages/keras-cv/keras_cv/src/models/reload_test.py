# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Saved models reload and keep training in a process that imports only
`keras_cv` (not `keras_applications`, which holds the backbones)."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

import keras_applications
from keras_cv.src.datasets import shapes
from keras_cv.src.losses.focal_loss import FocalLoss
from keras_cv.src.models.deeplab_v3_plus import DeepLabV3Plus
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.mask_rcnn import MaskRCNN
from keras_cv.src.models.retinanet import RetinaNet

TWO_STAGE = dict(
    fpn_filters=8,
    head_units=16,
    rpn_batch_size=32,
    roi_batch_size=16,
    num_proposals=32,
    test_num_proposals=16,
    seed=1,
)


def _resnet18():
    return keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))


def _detection_data(masks=False):
    data = shapes.generate(
        2, image_size=64, seed=0, min_size=0.25, max_size=0.5, return_masks=masks
    )
    y = {"boxes": data["boxes"], "labels": data["labels"]}
    x = data["images"].astype("float32")
    if masks:
        return {
            "images": x,
            "bounding_boxes": y,
            "instance_masks": data["instance_masks"],
        }
    return x, y


def _build(name):
    """(model, compile kwargs, training data as (x, y) or a dict)."""
    if name == "RetinaNet":
        model = RetinaNet(
            _resnet18(),
            num_classes=3,
            max_level=5,
            fpn_filters=8,
            head_filters=8,
            head_depth=1,
        )
        return (
            model,
            dict(optimizer=keras.optimizers.SGD(0.01), box_loss_weight=2.0),
            _detection_data(),
        )
    if name == "FasterRCNN":
        return (
            FasterRCNN(_resnet18(), num_classes=3, **TWO_STAGE),
            dict(optimizer=keras.optimizers.SGD(0.01)),
            _detection_data(),
        )
    if name == "MaskRCNN":
        model = MaskRCNN(
            _resnet18(), num_classes=3, mask_filters=8, max_detections=8, **TWO_STAGE
        )
        return (
            model,
            dict(optimizer=keras.optimizers.SGD(0.01)),
            _detection_data(masks=True),
        )
    backbone = keras_applications.MobileNetV2(
        include_top=False, input_shape=(None, None, 3), alpha=0.35
    )
    model = DeepLabV3Plus(
        backbone,
        num_classes=4,
        dilation_rates=[1, 2],
        pooling_channels=8,
        low_level_channels=4,
        decoder_channels=8,
    )
    x = shapes.generate(2, image_size=64, seed=0, return_masks=True)
    return (
        model,
        dict(optimizer=keras.optimizers.SGD(0.01)),
        (x["images"].astype("float32"), x["segmentation_masks"].astype("int32")),
    )


_CHILD = textwrap.dedent(
    """
    import json, os, sys
    import numpy as np
    import keras
    import keras_cv

    directory, names = sys.argv[1], sys.argv[2].split(",")
    # `import keras_cv` leaves keras_applications to the first reload.
    assert "keras_applications" not in sys.modules
    for name in names:
        saved = np.load(os.path.join(directory, name + ".npz"), allow_pickle=False)
        model = keras.models.load_model(os.path.join(directory, name + ".keras"))
        assert type(model).__name__ == name, type(model)
        assert type(model.optimizer).__name__ == "SGD", model.optimizer
        assert int(model.optimizer.iterations) == 1, int(model.optimizer.iterations)
        if name == "RetinaNet":
            assert model.box_loss_weight == 2.0
        x = saved["x"]
        out = model.predict(x, verbose=0)
        first = out["boxes"] if isinstance(out, dict) else out
        np.testing.assert_allclose(first, saved["prediction"], atol=1e-4)
        preset = getattr(keras_cv.models, name).from_preset(os.path.join(directory, name + "_preset"))
        again = preset.predict(x, verbose=0)
        again = again["boxes"] if isinstance(again, dict) else again
        np.testing.assert_allclose(again, saved["prediction"], atol=1e-4)
        data = json.load(open(os.path.join(directory, name + ".json")))
        y = {k: saved["y_" + k] for k in data["y_keys"]}
        if data["kind"] == "dict":
            batch = {"images": x, "bounding_boxes": y, "instance_masks": saved["masks"]}
            history = model.fit(batch, epochs=1, verbose=0, batch_size=2)
        else:
            history = model.fit(x, y if data["y_dict"] else saved["y_"], epochs=1, verbose=0)
        loss = history.history["loss"][-1]
        assert np.isfinite(loss), loss
        assert int(model.optimizer.iterations) == 2
        print(name, "ok", loss)
    # Reloading registered every keras_applications backbone class by name.
    for backbone in json.loads(sys.argv[3]):
        assert keras.saving.get_registered_object(backbone) is not None, backbone
    """
)


def _check(names, tmp_path):
    import json

    for name in names:
        model, compile_kwargs, data = _build(name)
        model.compile(**compile_kwargs)
        if isinstance(data, dict):
            import tensorflow as tf

            model.fit(tf.data.Dataset.from_tensors(data), epochs=1, verbose=0)
            x, y, extra = (
                data["images"],
                data["bounding_boxes"],
                {"masks": data["instance_masks"]},
            )
            meta = {"kind": "dict", "y_keys": sorted(y)}
        else:
            x, y = data
            model.fit(x, y, epochs=1, verbose=0)
            extra = {}
            meta = {
                "kind": "xy",
                "y_dict": isinstance(y, dict),
                "y_keys": sorted(y) if isinstance(y, dict) else [],
            }
        out = model.predict(x, verbose=0)
        prediction = out["boxes"] if isinstance(out, dict) else out
        arrays = {"x": x, "prediction": prediction, **extra}
        if isinstance(y, dict):
            arrays.update({"y_" + k: v for k, v in y.items()})
        else:
            arrays["y_"] = y
        np.savez(tmp_path / f"{name}.npz", **arrays)
        (tmp_path / f"{name}.json").write_text(json.dumps(meta))
        model.save(tmp_path / f"{name}.keras")
        model.save_to_preset(str(tmp_path / f"{name}_preset"))
    backbones = [
        "keras_applications>" + n
        for n in dir(keras_applications)
        if isinstance(getattr(keras_applications, n), type)
        and issubclass(getattr(keras_applications, n), keras.Model)
        and n != "Backbone"
    ]
    assert len(backbones) >= 10
    env = dict(os.environ, KERAS_BACKEND="tensorflow")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            str(tmp_path),
            ",".join(names),
            json.dumps(backbones),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for name in names:
        assert f"{name} ok" in result.stdout


@pytest.mark.large  # about 3 minutes on a loaded 2-core machine
def test_retinanet_reloads_and_trains_in_a_fresh_process(tmp_path):
    _check(["RetinaNet"], tmp_path)


@pytest.mark.large
def test_every_model_reloads_and_trains_in_a_fresh_process(tmp_path):
    _check(["RetinaNet", "FasterRCNN", "MaskRCNN", "DeepLabV3Plus"], tmp_path)


def test_compile_arguments_are_saved_and_replayed():
    # Fast, in-process part of the reload fix: Keras skips `compile` on load
    # for models that override it, so the model saves and replays its own.
    model, _, _ = _build("RetinaNet")
    model.compile(optimizer=keras.optimizers.SGD(0.05), box_loss_weight=3.0)
    config = model.get_compile_config()
    assert config["box_loss_weight"] == 3.0
    fresh = RetinaNet.from_config(model.get_config())
    assert not hasattr(fresh, "classification_loss")
    fresh.compile_from_config(config)
    assert fresh.box_loss_weight == 3.0
    # The default focal loss is keras-cv's (issue 25: no rescaled Keras loss).
    assert isinstance(fresh.classification_loss, FocalLoss)
    assert isinstance(fresh.optimizer, keras.optimizers.SGD)
    assert float(fresh.optimizer.learning_rate) == pytest.approx(0.05)
    # An uncompiled model saves no compile state.
    assert RetinaNet.from_config(model.get_config()).get_compile_config() is None
