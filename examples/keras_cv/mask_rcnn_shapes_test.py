# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import math
import os

import pytest

from examples.keras_cv import mask_rcnn_shapes


# `large` to keep the default suite under 15 minutes: MaskRCNN's export and
# decoding run in its default model tests, Faster R-CNN's training path in
# the Faster R-CNN example's quick run.
@pytest.mark.large
def test_quick_run(tmp_path):
    figures = mask_rcnn_shapes.main(quick=True, output_dir=str(tmp_path))
    assert set(figures) >= {"val_mask_ap", "val_mask_ap50", "val_box_ap", "final_loss"}
    assert 0.0 <= figures["val_mask_ap"] <= 1.0 or figures["val_mask_ap"] == -1.0
    assert math.isfinite(figures["final_loss"])
    assert math.isfinite(figures["final_mask_loss"])
    # The SavedModel (both stages, NMS, mask head and pasting inside)
    # serves what predict returns.
    assert figures["export_matches_predict"] == 1.0, figures
    assert os.path.getsize(figures["plot"]) > 0


@pytest.mark.large
def test_full_run(tmp_path):
    # The Faster R-CNN bar and CPU budget, applied to masks: inference-mode
    # mask AP@[.5:.95] >= 0.5 (measured: 0.901, 518 CPU-seconds of training).
    figures = mask_rcnn_shapes.main(output_dir=str(tmp_path))
    assert figures["val_mask_ap"] >= 0.5, figures
    assert figures["train_cpu_seconds"] <= 15 * 60, figures
    assert figures["export_matches_predict"] == 1.0, figures
