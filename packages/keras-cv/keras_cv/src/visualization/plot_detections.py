# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Draws detections (boxes, class names, scores) on images, to a PNG file.

`keras.visualization.draw_bounding_boxes` needs OpenCV and its galleries
need matplotlib, neither of which keras-cv depends on; this module draws
with Pillow instead.
"""

import numpy as np

from keras_core import api_export
from keras_cv.src.bounding_box import converters

PALETTE = [
    (255, 59, 48),
    (52, 199, 89),
    (0, 122, 255),
    (255, 204, 0),
    (175, 82, 222),
    (255, 149, 0),
    (90, 200, 250),
    (255, 45, 85),
    (162, 132, 94),
    (142, 142, 147),
]


def to_numpy(x):
    if hasattr(x, "to_tensor"):
        x = x.to_tensor(-1)
    return np.asarray(x)


def _draw_one(image, boxes, labels, scores, class_names, thickness, ground_truth=None):
    from PIL import Image  # imported when used: keeps `import keras_cv` cheap
    from PIL import ImageDraw

    canvas = Image.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    if ground_truth is not None:
        for box in ground_truth:
            draw.rectangle([float(v) for v in box], outline=(255, 255, 255), width=1)
    # Lowest scores first, so that the best detection's label ends on top.
    order = range(len(labels)) if scores is None else np.argsort(scores, kind="stable")
    for k in order:
        box, label = boxes[k], labels[k]
        colour = PALETTE[int(label) % len(PALETTE)]
        x0, y0, x1, y1 = (float(v) for v in box)
        draw.rectangle(
            [x0, y0, max(x1 - 1, x0), max(y1 - 1, y0)], outline=colour, width=thickness
        )
        name = class_names[int(label)] if class_names is not None else str(int(label))
        text = name if scores is None else f"{name} {float(scores[k]):.2f}"
        tx, ty = x0, max(y0 - 11, 0)
        left, top, right, bottom = draw.textbbox((tx, ty), text)
        draw.rectangle([left, top, right, bottom], fill=colour)
        draw.text((tx, ty), text, fill=(0, 0, 0))
    return np.asarray(canvas)


@api_export("keras_cv.visualization.plot_detections", stability="experimental")
def plot_detections(
    images,
    detections,
    path=None,
    bounding_box_format="xyxy",
    class_names=None,
    score_threshold=0.0,
    ground_truth=None,
    cols=None,
    scale=1,
    line_thickness=2,
):
    """Draws detections on a batch of images and saves them as one PNG grid.

    Each box is drawn in its class colour with the class name and, when
    the detections have `"scores"`, the score. Ground-truth boxes, if
    given, are drawn as thin white outlines underneath.

    Args:
        images: `(batch, height, width, 3)` pixel values in [0, 255].
        detections: a dict with `"boxes"`, `"labels"` (or `"classes"`) and
            optionally `"scores"` and `"num_detections"`, as returned by a
            detector's `predict`; rows with label -1 are skipped.
        path: the PNG file to write; `None` only returns the grid.
        bounding_box_format: the format of the boxes.
        class_names: names indexed by label; default the label numbers.
        score_threshold: detections scoring below it are not drawn.
        ground_truth: optional `{"boxes", "labels"}` drawn underneath.
        cols: images per row of the grid (default: up to 4).
        scale: integer upscaling of every image before drawing (small
            images get readable text).
        line_thickness: box outline width in pixels.

    Returns:
        The grid as a uint8 array `(rows * height * scale, cols * width *
        scale, 3)`.

    Examples:

    >>> import numpy as np
    >>> grid = plot_detections(
    ...     np.zeros((2, 32, 32, 3)),
    ...     {"boxes": [[[4, 4, 20, 20]], [[0, 0, 8, 8]]], "labels": [[0], [1]],
    ...      "scores": [[0.9], [0.8]]})
    >>> grid.shape
    (32, 64, 3)
    """
    fmt = converters.validate_format(bounding_box_format)
    images = to_numpy(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "`images` must be a batch of shape (batch, height, width, 3) (or 1 "
            f"channel). Received shape {images.shape}. For one image, pass "
            "`images[None]`."
        )
    if not isinstance(detections, dict) or "boxes" not in detections:
        raise ValueError(
            "`detections` must be a dict with 'boxes' and 'labels' (and "
            "optionally 'scores', 'num_detections'), as returned by "
            f"`model.predict`. Received: {type(detections).__name__}."
        )
    scale = int(scale)
    batch, height, width = images.shape[:3]
    boxes = to_numpy(detections["boxes"]).astype("float32")
    labels = to_numpy(detections.get("labels", detections.get("classes")))
    scores = detections.get("scores", detections.get("confidence"))
    scores = None if scores is None else to_numpy(scores)
    if boxes.shape[0] != batch:
        raise ValueError(
            f"`detections` cover {boxes.shape[0]} images but `images` has {batch}."
        )
    if "num_detections" in detections:
        num = to_numpy(detections["num_detections"])
        valid = np.arange(boxes.shape[1])[None] < num[:, None]
        labels = np.where(valid, labels, -1)
    pixels = np.clip(images, 0, 255).astype("uint8")
    if pixels.shape[-1] == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    gt = None
    if ground_truth is not None:
        gt_boxes = to_numpy(ground_truth["boxes"]).astype("float32")
        gt_labels = to_numpy(ground_truth.get("labels", ground_truth.get("classes")))
        gt = []
        for i in range(batch):
            keep = gt_labels[i] >= 0
            xyxy = np.asarray(
                converters.convert_format(
                    gt_boxes[i][keep], fmt, "xyxy", height=height, width=width
                )
            )
            gt.append(xyxy * scale)
    tiles = []
    for i in range(batch):
        keep = labels[i] >= 0
        if scores is not None:
            keep &= scores[i] >= score_threshold
        xyxy = np.asarray(
            converters.convert_format(
                boxes[i][keep], fmt, "xyxy", height=height, width=width
            )
        ).reshape(-1, 4)
        image = pixels[i]
        if scale > 1:
            image = np.repeat(np.repeat(image, scale, 0), scale, 1)
        tiles.append(
            _draw_one(
                image,
                xyxy * scale,
                labels[i][keep],
                None if scores is None else scores[i][keep],
                class_names,
                line_thickness,
                None if gt is None else gt[i],
            )
        )
    return save_grid(tiles, cols, path)


def save_grid(tiles, cols, path):
    """Lays equal-sized uint8 tiles out in rows of `cols` (default up to 4)
    and writes the grid as a PNG when `path` is given."""
    cols = cols or min(len(tiles), 4)
    rows = -(-len(tiles) // cols)
    tile_h, tile_w = tiles[0].shape[:2]
    grid = np.zeros((rows * tile_h, cols * tile_w, 3), "uint8")
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        grid[r * tile_h : (r + 1) * tile_h, c * tile_w : (c + 1) * tile_w] = tile
    if path is not None:
        from PIL import Image

        Image.fromarray(grid).save(path, format="PNG")
    return grid
