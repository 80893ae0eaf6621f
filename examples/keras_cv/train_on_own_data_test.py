# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import numpy as np
import pytest

import keras_cv
from examples.keras_cv import train_on_own_data as example


def test_four_formats_give_the_same_batches(tmp_path):
    # The format-specific step ends at `load_own_data`; from there the same
    # pipeline must see the same images and boxes whatever the format.
    batches = {}
    for fmt in example.FORMATS:
        directory = example.write_demo_files(str(tmp_path / fmt), fmt, num_images=6)
        names = keras_cv.datasets.shapes.class_names()
        data = example.load_own_data(fmt, directory, class_names=names)
        assert data.class_names == keras_cv.datasets.shapes.class_names()
        batch = next(iter(example.prepare(data.dataset, 64, 6, 8, training=False)))
        batches[fmt] = {
            "images": batch["images"].numpy(),
            "boxes": batch["bounding_boxes"]["boxes"].numpy(),
            "labels": batch["bounding_boxes"]["labels"].numpy(),
        }
    reference = keras_cv.datasets.shapes.generate(
        6, image_size=64, seed=0, min_size=0.2, max_size=0.5
    )
    for fmt, batch in batches.items():
        assert batch["images"].shape == (6, 64, 64, 3), fmt
        # Image 0 is stored at its generated size, in colour: pixels unchanged.
        np.testing.assert_array_equal(batch["images"][0], reference["images"][0])
        real = reference["labels"][0] >= 0
        np.testing.assert_array_equal(
            batch["labels"][0][: real.sum()], reference["labels"][0][real]
        )
        # YOLO's normalised text has 6 decimals; all formats agree to 0.01 px.
        np.testing.assert_allclose(
            batch["boxes"][0][: real.sum()],
            reference["boxes"][0][real],
            atol=0.01,
            err_msg=fmt,
        )
        for key in ("boxes", "labels"):
            np.testing.assert_allclose(
                batch[key], batches["coco"][key], atol=0.01, err_msg=fmt
            )


@pytest.mark.large
@pytest.mark.parametrize("fmt", example.FORMATS)
def test_trains_evaluates_and_exports_in_each_format(tmp_path, fmt):
    figures = example.main(fmt, quick=True, output_dir=str(tmp_path))
    assert figures["num_images"] == example.QUICK["num_images"]
    assert np.isfinite(figures["final_loss"])
    assert 0.0 <= figures["val_map"] <= 1.0
    assert figures["reload_matches"]
    assert os.path.getsize(tmp_path / "detections.png") > 0
    assert os.path.isdir(tmp_path / "served")
