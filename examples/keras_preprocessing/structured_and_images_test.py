# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import pytest

from examples.keras_preprocessing import structured_and_images


@pytest.mark.large  # default-suite time budget
def test_quick_run(tmp_path):
    figures = structured_and_images.main(quick=True, output_dir=str(tmp_path))
    assert figures["titanic_eval_accuracy"] > figures["titanic_base_rate"]
    assert figures["titanic_round_trip_max_error"] < 1e-5
    assert figures["image_val_accuracy"] >= 0.7
    assert figures["preview_png_kib"] > 0
    assert (tmp_path / "augmentation_preview.png").exists()
    assert figures["two_stream_mask_mismatch_pixels"] == 0
    assert figures["segmentation_val_mean_iou"] > 0.5
