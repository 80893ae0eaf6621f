# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import math

import pytest

from examples.keras_cv import faster_rcnn_shapes


# About 30 s on 2 cores; the recipe itself is covered by fine_tuning_test.py /
# the model tests in the default suite.
@pytest.mark.large
def test_quick_run(tmp_path):
    figures = faster_rcnn_shapes.main(quick=True, output_dir=str(tmp_path))
    assert set(figures) >= {"val_map", "val_ap50", "train_seconds", "final_loss"}
    assert 0.0 <= figures["val_map"] <= 1.0
    assert math.isfinite(figures["final_loss"])
    # The SavedModel (decoding and NMS inside) serves what predict returns.
    assert figures["export_matches_predict"] == 1.0


@pytest.mark.large
def test_quality_bar(tmp_path):
    # Issue quality bar: inference-mode mAP@[.5:.95] >= 0.5 on the shapes
    # task within the 15-minute CPU budget.
    figures = faster_rcnn_shapes.main(output_dir=str(tmp_path))
    assert figures["val_map"] >= 0.5, figures
    assert figures["train_seconds"] <= 15 * 60, figures
