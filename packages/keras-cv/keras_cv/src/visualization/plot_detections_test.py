# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
from PIL import Image

from keras_cv.src.visualization.plot_detections import PALETTE
from keras_cv.src.visualization.plot_detections import plot_detections


def test_boxes_are_drawn_where_the_detections_are(tmp_path):
    images = np.zeros((3, 40, 50, 3), "float32")
    detections = {
        "boxes": np.array(
            [
                [[10, 20, 30, 35], [-1, -1, -1, -1]],
                [[0, 0, 10, 10], [5, 5, 45, 38]],
                [[1, 1, 2, 2], [-1, -1, -1, -1]],
            ],
            "float32",
        ),
        "labels": np.array([[1, -1], [0, 2], [0, -1]]),
        "scores": np.array([[0.9, 0.0], [0.2, 0.8], [0.7, 0.0]]),
        "num_detections": np.array([1, 2, 0]),
    }
    path = tmp_path / "det.png"
    grid = plot_detections(
        images,
        detections,
        path=str(path),
        cols=2,
        class_names=["a", "b", "c"],
        score_threshold=0.5,
    )
    assert grid.shape == (80, 100, 3)
    png = np.asarray(Image.open(path).convert("RGB"))
    np.testing.assert_array_equal(png, grid)
    # Image 0: class-1 box outline at its bottom-left corner.
    np.testing.assert_array_equal(grid[34, 10], PALETTE[1])
    np.testing.assert_array_equal(grid[20 + 5, 29], PALETTE[1])
    assert (grid[27, 20] == 0).all()  # inside the box: untouched
    # Image 1 (second tile): the 0.2-score detection is filtered out, the
    # 0.8 one drawn (class 2).
    np.testing.assert_array_equal(grid[37, 50 + 44], PALETTE[2])
    assert (grid[9, 50 + 0] == 0).all()  # its outline would pass here
    # Image 2 has num_detections=0: nothing drawn.
    assert (grid[40:80, 0:50] == 0).all()


def test_relative_boxes_ground_truth_and_scale():
    images = np.zeros((1, 20, 20, 3))
    det = {"boxes": [[[0.5, 0.5, 1.0, 1.0]]], "labels": [[0]]}
    gt = {"boxes": [[[0.0, 0.0, 0.25, 0.25]]], "labels": [[3]]}
    grid = plot_detections(
        images, det, bounding_box_format="rel_xyxy", ground_truth=gt, scale=2
    )
    assert grid.shape == (40, 40, 3)
    np.testing.assert_array_equal(grid[39, 25], PALETTE[0])
    np.testing.assert_array_equal(grid[10, 5], (255, 255, 255))


def test_bad_inputs():
    with pytest.raises(ValueError, match="batch"):
        plot_detections(np.zeros((8, 8, 3)), {"boxes": [[0, 0, 1, 1]], "labels": [0]})
    with pytest.raises(ValueError, match="dict"):
        plot_detections(np.zeros((1, 8, 8, 3)), [[0, 0, 1, 1]])


def test_best_detection_is_drawn_on_top():
    images = np.zeros((1, 40, 40, 3))
    det = {
        "boxes": [[[10, 10, 30, 30], [10, 10, 30, 30]]],
        "labels": [[0, 1]],
        "scores": [[0.9, 0.3]],
    }
    grid = plot_detections(images, det, line_thickness=1)
    np.testing.assert_array_equal(grid[29, 20], PALETTE[0])
