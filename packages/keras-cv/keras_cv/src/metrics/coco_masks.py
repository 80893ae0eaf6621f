# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Instance masks for the COCO evaluation: RLE decoding and mask IoU.

COCO run-length encodings (RLE) list alternating runs of 0s and 1s over
the pixels in column-major order, starting with 0s. The `counts` are a
list of ints or a compressed string: each run is a variable-length number
of 5-bit groups (a continuation bit 0x20 per character, offset by 48 to be
printable, the last group sign-extended), and from the third run on the
stored value is the difference to the run two places before.
"""

import numpy as np


def _decode_counts(counts):
    if isinstance(counts, bytes):
        counts = counts.decode("ascii")
    if not isinstance(counts, str):
        return [int(c) for c in counts]
    runs, p = [], 0
    while p < len(counts):
        value, shift, more = 0, 0, True
        while more:
            c = ord(counts[p]) - 48
            value |= (c & 0x1F) << shift
            more = bool(c & 0x20)
            p += 1
            shift += 5
            if not more and c & 0x10:
                value |= -1 << shift
        if len(runs) > 2:
            value += runs[-2]
        runs.append(value)
    return runs


def decode_rle(rle):
    """Decodes one COCO RLE dict (`{"size": [h, w], "counts": ...}`) to a
    bool `(h, w)` mask."""
    if not isinstance(rle, dict) or "size" not in rle or "counts" not in rle:
        raise ValueError(
            "A COCO run-length encoding must be a dict {'size': [height, width], "
            f"'counts': ...}}. Received: {rle!r:.200}."
        )
    height, width = (int(v) for v in rle["size"])
    runs = _decode_counts(rle["counts"])
    if sum(runs) != height * width or min(runs, default=0) < 0:
        raise ValueError(
            f"The RLE counts sum to {sum(runs)} pixels but its size is "
            f"{height}x{width}; the encoding is corrupt."
        )
    values = np.arange(len(runs)) % 2 == 1
    return np.repeat(values, runs).reshape(width, height).T


def masks_per_image(value, role, num_images):
    """Returns a list (per image) of bool `(num_rows, h, w)` arrays.

    Accepts a dense `(batch, rows, h, w)` array, or a list per image of
    arrays or of lists of masks / RLE dicts.
    """
    if hasattr(value, "numpy"):
        value = value.numpy()
    if hasattr(value, "to_list"):
        value = value.to_list()
    images = list(value) if not isinstance(value, np.ndarray) else list(value)
    if len(images) != num_images:
        raise ValueError(
            f"`{role}['masks']` covers {len(images)} images but the other "
            f"entries of `{role}` cover {num_images}."
        )
    result = []
    for i, rows in enumerate(images):
        if hasattr(rows, "numpy"):
            rows = rows.numpy()
        if isinstance(rows, np.ndarray) and rows.dtype != object:
            masks = rows.astype(bool)
            if masks.ndim == 2 and masks.size == 0:
                masks = masks.reshape(0, 0, 0)
        else:
            masks = [
                decode_rle(m) if isinstance(m, dict) else np.asarray(m).astype(bool)
                for m in rows
            ]
            masks = np.stack(masks) if masks else np.zeros((0, 0, 0), bool)
        if masks.ndim != 3:
            raise ValueError(
                f"`{role}['masks']` of image {i} must be (num_masks, height, "
                f"width) binary masks or a list of COCO RLE dicts. Received "
                f"shape {masks.shape}."
            )
        result.append(masks)
    return result


def mask_boxes(masks):
    """xyxy bounds of bool masks `(n, h, w)`; zeros for empty masks."""
    boxes = np.zeros((len(masks), 4), "float64")
    for k, mask in enumerate(masks):
        ys, xs = np.nonzero(mask)
        if len(xs):
            boxes[k] = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
    return boxes


class PairIoU:
    """Mask IoU of (detection, ground truth) pairs of the same image.

    Detections and ground truth are given as flat lists of masks with their
    image index; per image, the IoU matrix is computed once with a matrix
    product of the flattened masks.
    """

    def __init__(self, dt_masks, dt_image, gt_masks, gt_image, num_images):
        self.dt_local = np.zeros(len(dt_masks), "int64")
        self.gt_local = np.zeros(len(gt_masks), "int64")
        self.dt_area = np.array([m.sum() for m in dt_masks], "float64")
        self.gt_area = np.array([m.sum() for m in gt_masks], "float64")
        self.offset = np.zeros(num_images, "int64")
        self.num_gt = np.zeros(num_images, "int64")
        tables, start = [], 0
        for i in range(num_images):
            d = np.nonzero(dt_image == i)[0]
            g = np.nonzero(gt_image == i)[0]
            self.dt_local[d] = np.arange(len(d))
            self.gt_local[g] = np.arange(len(g))
            self.offset[i] = start
            self.num_gt[i] = len(g)
            if len(d) and len(g):
                shape = dt_masks[d[0]].shape
                for k in g:
                    if gt_masks[k].shape != shape:
                        raise ValueError(
                            f"Image {i} has predicted masks of shape {shape} "
                            f"but a ground-truth mask of shape {gt_masks[k].shape}; "
                            "masks of one image must have its size."
                        )
                dm = np.stack([dt_masks[k].ravel() for k in d]).astype("float32")
                gm = np.stack([gt_masks[k].ravel() for k in g]).astype("float32")
                inter = (dm @ gm.T).astype("float64")
                union = self.dt_area[d][:, None] + self.gt_area[g][None] - inter
                with np.errstate(divide="ignore", invalid="ignore"):
                    table = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
            else:
                table = np.zeros((len(d), len(g)))
            tables.append(table.ravel())
            start += len(d) * len(g)
        self.table = np.concatenate(tables) if tables else np.zeros(0)
        self.dt_image = dt_image

    def __call__(self, dt_indices, gt_indices):
        image = self.dt_image[dt_indices]
        base = self.offset[image] + self.dt_local[dt_indices] * self.num_gt[image]
        flat = base[:, None] + self.gt_local[np.maximum(gt_indices, 0)]
        iou = (
            self.table[np.minimum(flat, max(len(self.table) - 1, 0))]
            if len(self.table)
            else np.zeros(gt_indices.shape)
        )
        return np.where(gt_indices >= 0, iou, 0.0)
