# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Draws segmentation class maps over images, to a PNG file (Pillow only)."""

import numpy as np

from keras_core import api_export
from keras_cv.src.visualization.plot_detections import PALETTE
from keras_cv.src.visualization.plot_detections import save_grid
from keras_cv.src.visualization.plot_detections import to_numpy


def _class_maps(masks, name, batch, height, width):
    masks = to_numpy(masks)
    if masks.ndim == 4 and masks.shape[-1] == 1:
        masks = masks[..., 0]
    if masks.shape != (batch, height, width):
        raise ValueError(
            f"`{name}` must be class maps of shape (batch, height, width[, 1]) "
            f"matching the images, here ({batch}, {height}, {width}[, 1]). "
            f"Received shape {masks.shape}. Pass `model.predict(images)` or "
            "the dataset's `segmentation_masks`."
        )
    return masks.astype("int64")


def _overlay(image, class_map, alpha, background_class, ignore_index):
    out = image.astype("float32")
    for value in np.unique(class_map):
        if value == background_class:
            continue
        where = class_map == value
        if ignore_index is not None and value == ignore_index:
            colour = np.array([255.0, 255.0, 255.0])
        else:
            colour = np.array(PALETTE[int(value) % len(PALETTE)], "float32")
        out[where] = (1.0 - alpha) * out[where] + alpha * colour
    return np.clip(np.round(out), 0, 255).astype("uint8")


@api_export("keras_cv.visualization.plot_segmentation_masks", stability="experimental")
def plot_segmentation_masks(
    images,
    masks,
    path=None,
    ground_truth=None,
    alpha=0.5,
    background_class=0,
    ignore_index=None,
    cols=None,
    scale=1,
):
    """Overlays per-pixel class maps on images and saves them as a PNG grid.

    Every class except `background_class` is tinted in its colour (the
    palette of `plot_detections`, indexed by class id); pixels equal to
    `ignore_index` are tinted white. With `ground_truth`, each tile shows the
    ground truth (left) next to `masks` (right).

    Args:
        images: `(batch, height, width, 3)` pixel values in [0, 255].
        masks: class maps `(batch, height, width[, 1])`, e.g. the output of
            `DeepLabV3Plus.predict` or a dataset's `segmentation_masks`.
        path: the PNG file to write; `None` only returns the grid.
        ground_truth: optional class maps of the same shape, drawn on the
            left of each tile.
        alpha: opacity of the tint, in [0, 1].
        background_class: the class left untinted, or `None` to tint all.
        ignore_index: mask value of unlabelled pixels, tinted white.
        cols: tiles per row of the grid (default: up to 4).
        scale: integer upscaling of every image (nearest neighbour).

    Returns:
        The grid as a uint8 array.

    Examples:

    >>> import numpy as np
    >>> masks = np.zeros((2, 16, 16, 1), "int32")
    >>> masks[:, 4:8, 4:8] = 1
    >>> grid = plot_segmentation_masks(np.zeros((2, 16, 16, 3)), masks)
    >>> grid.shape, grid[0, 0].tolist(), grid[5, 5].tolist()
    ((16, 32, 3), [0, 0, 0], [26, 100, 44])
    """
    images = to_numpy(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "`images` must be a batch of shape (batch, height, width, 3) (or 1 "
            f"channel). Received shape {images.shape}. For one image, pass "
            "`images[None]`."
        )
    if not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"`alpha` must be in [0, 1]. Received: alpha={alpha!r}.")
    batch, height, width = images.shape[:3]
    predicted = _class_maps(masks, "masks", batch, height, width)
    truth = (
        None
        if ground_truth is None
        else _class_maps(ground_truth, "ground_truth", batch, height, width)
    )
    pixels = np.clip(images, 0, 255).astype("uint8")
    if pixels.shape[-1] == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    scale = int(scale)
    tiles = []
    for i in range(batch):
        parts = [] if truth is None else [truth[i]]
        parts.append(predicted[i])
        drawn = [
            _overlay(pixels[i], m, float(alpha), background_class, ignore_index)
            for m in parts
        ]
        tile = np.concatenate(drawn, axis=1)
        if scale > 1:
            tile = np.repeat(np.repeat(tile, scale, 0), scale, 1)
        tiles.append(tile)
    return save_grid(tiles, cols, path)
