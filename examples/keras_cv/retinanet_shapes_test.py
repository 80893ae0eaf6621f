# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import pytest

from examples.keras_cv import retinanet_shapes


def test_pretrained_retinanet_loads_the_backbone_file(tmp_path, monkeypatch):
    import h5py
    import keras
    import numpy as np
    from keras.src.legacy.saving import legacy_h5_format

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    peer = keras.applications.MobileNetV3Small(
        include_top=False, weights=None, input_shape=(None, None, 3)
    )
    path = str(tmp_path / "mobilenet_v3_small_notop.h5")
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, peer)
    model = retinanet_shapes.pretrained_retinanet(
        3, backbone="MobileNetV3Small", weights=path
    )
    np.testing.assert_array_equal(
        model.backbone.get_layer("conv").kernel.numpy(),
        peer.get_layer("conv").kernel.numpy(),
    )


@pytest.mark.large  # ~19 s; retinanet_test.py covers the model's train/predict/export
def test_quick_run(tmp_path):
    figures = retinanet_shapes.main(quick=True, output_dir=str(tmp_path))
    assert set(figures) >= {
        "val_map",
        "val_ap50",
        "train_seconds",
        "export_matches_predict",
    }
    assert 0.0 <= figures["val_map"] <= 1.0
    # The reloaded SavedModel serves exactly what `predict` returns.
    assert figures["export_matches_predict"] == 1.0
    assert os.path.getsize(tmp_path / "detections.png") > 0
    assert os.path.isdir(tmp_path / "served")


@pytest.mark.large
def test_quality_bar(tmp_path):
    # The bar: 128x128 shapes, 640 train / 128 validation images,
    # at most 10 minutes of training on 2 CPU cores (process CPU time, all
    # threads; wall time is inflated on a shared machine), inference-mode
    # COCO evaluation over all validation images.
    figures = retinanet_shapes.main(output_dir=str(tmp_path))
    assert figures["train_cpu_seconds"] <= 600
    assert figures["val_map"] >= 0.6
    assert figures["val_ap50"] >= 0.95
    assert figures["export_matches_predict"] == 1.0
