# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
from PIL import Image

from keras_cv.src.datasets import shapes
from keras_cv.src.visualization.plot_detections import PALETTE
from keras_cv.src.visualization.plot_segmentation_masks import plot_segmentation_masks


def test_writes_png_overlay_with_class_colours(tmp_path):
    data = shapes.generate(3, image_size=24, noise=0.0, seed=2, return_masks=True)
    masks = data["segmentation_masks"].astype("int32")
    truth = masks.copy()
    truth[:, :2] = 255
    path = tmp_path / "masks.png"
    grid = plot_segmentation_masks(
        data["images"],
        masks,
        path=str(path),
        ground_truth=truth,
        alpha=1.0,
        ignore_index=255,
        cols=2,
    )
    assert grid.shape == (2 * 24, 2 * 48, 3)
    np.testing.assert_array_equal(np.asarray(Image.open(path)), grid)
    for i in range(3):
        r, c = divmod(i, 2)
        tile = grid[r * 24 : (r + 1) * 24, c * 48 : (c + 1) * 48]
        left, right = tile[:, :24], tile[:, 24:]
        m = masks[i, ..., 0]
        # Background pixels keep the image; class pixels get their colour.
        np.testing.assert_array_equal(right[m == 0], data["images"][i][m == 0])
        for value in set(np.unique(m).tolist()) - {0}:
            assert (right[m == value] == PALETTE[value]).all()
        assert (left[:2] == 255).all()  # ignored pixels are white


def test_bad_inputs():
    with pytest.raises(ValueError, match="masks.*matching the images"):
        plot_segmentation_masks(np.zeros((2, 8, 8, 3)), np.zeros((2, 8, 9, 1)))
    with pytest.raises(ValueError, match="images"):
        plot_segmentation_masks(np.zeros((8, 8, 3)), np.zeros((8, 8)))
