# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import pytest

from examples.keras_cv import deeplab_shapes


@pytest.mark.large
def test_quick_run(tmp_path):
    figures = deeplab_shapes.main(quick=True, output_dir=str(tmp_path))
    assert 0.0 <= figures["val_mean_iou"] <= 1.0
    assert figures["export_matches_predict"] == 1.0
    assert os.path.getsize(tmp_path / "segmentation.png") > 0


@pytest.mark.large
def test_quality_bar(tmp_path):
    # The bar: 128x128 shapes masks, at most 10 CPU-minutes of
    # training (process CPU time, all threads; wall time is inflated on a
    # shared machine), inference-mode mean IoU >= 0.8 on all 128 validation
    # images.
    figures = deeplab_shapes.main(output_dir=str(tmp_path))
    assert figures["train_cpu_seconds"] <= 600
    assert figures["val_mean_iou"] >= 0.8
    assert figures["export_matches_predict"] == 1.0
