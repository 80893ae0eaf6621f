# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared helpers of the box-aware augmentation layers."""

import tensorflow as tf

from keras_cv.src.bounding_box import converters


def to_tensors(data):
    """Converts the lists and arrays of an input dict to tensors (Keras
    refuses calls that mix tensors and non-tensors)."""
    if not isinstance(data, dict):
        return data

    def convert(x):
        if isinstance(x, dict):
            return {k: convert(v) for k, v in x.items()}
        if isinstance(x, (tf.Tensor, tf.RaggedTensor, tf.SparseTensor)):
            return x
        if isinstance(x, (list, tuple)) or hasattr(x, "__array__"):
            return tf.convert_to_tensor(x)
        return x

    return convert(data)


def check_inputs(data, layer_name):
    if not isinstance(data, dict) or "images" not in data:
        raise ValueError(
            f"{layer_name} expects a dict {{'images': ..., 'bounding_boxes': "
            "{'boxes': ..., 'labels': ...}}. Received: "
            f"{type(data).__name__}"
            + (f" with keys {sorted(data)}" if isinstance(data, dict) else "")
            + "."
        )
    images = tf.convert_to_tensor(data["images"])
    if images.shape.rank not in (3, 4):
        raise ValueError(
            f"{layer_name} expects images of shape (height, width, channels) "
            "or (batch, height, width, channels). Received images of shape "
            f"{tuple(images.shape)}."
        )
    result = dict(data)
    result["images"] = images
    if "bounding_boxes" in data:
        bb = converters.standardize(data["bounding_boxes"])
        extras = {k: bb.pop(k) for k in list(bb) if k not in BOX_KEYS}
        if "labels" not in bb:
            if isinstance(bb["boxes"], tf.RaggedTensor):
                bb["labels"] = tf.ragged.map_flat_values(
                    lambda x: tf.zeros(tf.shape(x)[:-1], "int32"), bb["boxes"]
                )
            else:
                bb["labels"] = tf.zeros(tf.shape(bb["boxes"])[:-1], "int32")
        ragged_labels = bb["labels"]
        if isinstance(bb["boxes"], tf.RaggedTensor):
            bb = converters.to_dense(bb)
        bb["boxes"] = tf.cast(bb["boxes"], "float32")
        bb.update(_dense_extras(extras, ragged_labels, bb["labels"], layer_name))
        result["bounding_boxes"] = bb
    return check_masks(result, layer_name)


# The entries of `bounding_boxes` that the layers move; every other entry is
# a per-box attribute (`is_crowd`, `difficult`, scores, ids) carried along
# unchanged with its row.
BOX_KEYS = ("boxes", "labels")


def padding_value(dtype):
    """The value of padding rows: -1 (as `to_dense` pads), False for bools."""
    return tf.constant(False if dtype == tf.bool else -1, dtype)


def _extra_error(layer_name, key, value, labels):
    return (
        f"{layer_name}: `bounding_boxes['{key}']` must hold one entry per box, "
        "with the same leading shape as `labels` (a per-box attribute such as "
        f"`is_crowd` or `difficult`). Received {key} of shape "
        f"{tuple(value.shape)} for labels of shape {tuple(labels.shape)}. "
        "Per-image values belong outside `bounding_boxes` (at the top level "
        "of the input dict)."
    )


def _dense_extras(extras, ragged_labels, labels, layer_name):
    """The per-box `extras` as dense tensors aligned with dense `labels`.

    Ragged entries must have the row lengths of the (ragged) labels; they
    are padded like `to_dense` pads (-1, or False for booleans) to the
    number of rows of `labels`.
    """
    out = {}
    rank = labels.shape.rank
    for key, value in extras.items():
        if not isinstance(value, (tf.Tensor, tf.RaggedTensor)):
            value = tf.convert_to_tensor(value)
        if value.shape.rank is None or value.shape.rank < rank:
            raise ValueError(_extra_error(layer_name, key, value, labels))
        message = _extra_error(layer_name, key, value, labels)
        if isinstance(value, tf.RaggedTensor):
            if not isinstance(ragged_labels, tf.RaggedTensor):
                raise ValueError(message)
            tf.debugging.assert_equal(
                value.row_lengths(), ragged_labels.row_lengths(), message=message
            )
            shape = tf.concat(
                [
                    tf.shape(labels, out_type="int64"),
                    tf.shape(value.flat_values, out_type="int64")[1:],
                ],
                axis=0,
            )
            value = value.to_tensor(
                default_value=padding_value(value.dtype), shape=shape
            )
        else:
            static = value.shape[:rank]
            if not static.is_compatible_with(labels.shape):
                raise ValueError(message)
            # (Next to ragged labels, a dense entry has the rows of the
            # padded labels.)
            tf.debugging.assert_equal(
                tf.shape(value)[:rank], tf.shape(labels), message=message
            )
        out[key] = value
    return out


def extras_of(bounding_boxes):
    """The per-box entries of a checked `bounding_boxes` dict other than
    boxes and labels."""
    return {k: v for k, v in bounding_boxes.items() if k not in BOX_KEYS}


_MOVED_KEYS = ("images", "bounding_boxes") + ("segmentation_masks", "instance_masks")


def restore_dtypes(data, out):
    """Undoes the dtype conversion of Keras' data layers in `tf.data`.

    Inside `tf.data` Keras 3's preprocessing layers cast every input to
    their float compute dtype: per-box entries (`is_crowd` booleans,
    `difficult` ints) and entries the layer never touches (`image_ids`)
    came back as float32. The untouched entries are returned as given, the
    per-box entries in their own dtype (padding -1, or False for booleans,
    where the label is -1).
    """
    if not isinstance(data, dict) or not isinstance(out, dict):
        return out
    out = dict(out)
    for key, value in data.items():
        if key not in _MOVED_KEYS and key in out:
            out[key] = value
    given = data.get("bounding_boxes")
    result = out.get("bounding_boxes")
    if isinstance(given, dict) and isinstance(result, dict):
        result = dict(result)
        for key, value in given.items():
            if key in BOX_KEYS or key == "classes" or key not in result:
                continue
            dtype = tf.as_dtype(value.dtype)
            if result[key].dtype == dtype:
                continue
            converted = tf.cast(result[key], dtype)
            if dtype == tf.bool:
                padding = result["labels"] < 0
                for _ in range(converted.shape.rank - padding.shape.rank):
                    padding = padding[..., None]
                converted = tf.logical_and(converted, tf.logical_not(padding))
            result[key] = converted
        out["bounding_boxes"] = result
    return out


def with_extras(bounding_boxes, extras):
    """`bounding_boxes` plus the per-box `extras`, row for row, with the
    padding value wherever the label is -1 (a box the layer dropped)."""
    labels = bounding_boxes["labels"]
    out = dict(bounding_boxes)
    for key, value in extras.items():
        padding = labels < 0
        for _ in range(value.shape.rank - labels.shape.rank):
            padding = padding[..., None]
        out[key] = tf.where(padding, padding_value(value.dtype), value)
    return out


def image_size(images):
    shape = tf.shape(images)
    return shape[-3], shape[-2]


def to_xyxy(boxes, fmt, height, width):
    if fmt == "xyxy":
        return boxes
    return converters.convert_format(
        boxes,
        fmt,
        "xyxy",
        height=tf.cast(height, "float32"),
        width=tf.cast(width, "float32"),
    )


def from_xyxy(boxes, fmt, height, width):
    if fmt == "xyxy":
        return boxes
    return converters.convert_format(
        boxes,
        "xyxy",
        fmt,
        height=tf.cast(height, "float32"),
        width=tf.cast(width, "float32"),
    )


EMPTY_SIZE = 1e-3


def finish(xyxy, labels, was_padding, height, width, fmt):
    """Clips `xyxy` boxes to the image; empty or padding rows become -1.

    A box that left the image (no area after clipping) is dropped by turning
    its row into padding (box -1, label -1): the image no longer shows it.
    Boxes thinner than `EMPTY_SIZE` pixels count as empty: such slivers are
    the rounding noise of relative formats at an image or crop border.
    """
    h = tf.cast(height, xyxy.dtype)
    w = tf.cast(width, xyxy.dtype)
    limits = tf.stack([w, h, w, h])
    clipped = tf.clip_by_value(xyxy, 0.0, limits)
    empty = tf.logical_or(
        clipped[..., 2] - clipped[..., 0] <= EMPTY_SIZE,
        clipped[..., 3] - clipped[..., 1] <= EMPTY_SIZE,
    )
    padding = tf.logical_or(was_padding, empty)
    boxes = from_xyxy(clipped, fmt, height, width)
    boxes = tf.where(padding[..., None], tf.constant(-1.0, boxes.dtype), boxes)
    labels = tf.where(padding, tf.constant(-1, labels.dtype), labels)
    return {"boxes": boxes, "labels": labels}


MASK_KEYS = ("segmentation_masks", "instance_masks")


def check_masks(data, layer_name):
    """Checks the masks of an input dict against its images.

    `segmentation_masks` are `(batch,) height, width, 1` (or without the
    channel axis) and `instance_masks` `(batch,) num_objects, height, width`.
    Spatial sizes must equal the images' wherever they are known.
    """
    images = data["images"]
    rank = images.shape.rank
    result = dict(data)
    for key in MASK_KEYS:
        if key not in data:
            continue
        masks = tf.convert_to_tensor(data[key])
        if key == "segmentation_masks":
            if masks.shape.rank == rank - 1:
                masks = masks[..., None]
            ok_rank = masks.shape.rank == rank
            spatial = masks.shape[-3:-1]
            expected = f"{'(batch, ' if rank == 4 else '('}height, width, 1)"
        else:
            ok_rank = masks.shape.rank == rank
            spatial = masks.shape[-2:]
            expected = f"{'(batch, ' if rank == 4 else '('}num_objects, height, width)"
        image_spatial = images.shape[-3:-1]
        mismatch = ok_rank and any(
            a is not None and b is not None and a != b
            for a, b in zip(spatial, image_spatial)
        )
        if not ok_rank or mismatch:
            raise ValueError(
                f"{layer_name}: `{key}` must have shape {expected} with the "
                f"height and width of the images. Received {key} of shape "
                f"{tuple(masks.shape)} for images of shape {tuple(images.shape)}. "
                "Resize the masks with nearest-neighbour interpolation to the "
                "image size (or pass images and masks before resizing either)."
            )
        result[key] = masks
    return result


def pack_masks(data):
    """Stacks the masks of `data` as float channels of one image-like tensor.

    Returns `(stacked, info)`: `stacked` is `None` when there are no masks;
    `info` lets `unpack_masks` restore keys, shapes and dtypes.
    """
    present = [k for k in MASK_KEYS if k in data]
    if not present:
        return None, None
    batched = data["images"].shape.rank == 4
    parts, info = [], []
    for key in present:
        masks = data[key]
        if key == "instance_masks":
            masks = tf.transpose(masks, [0, 2, 3, 1] if batched else [1, 2, 0])
        channels = masks.shape[-1]
        if channels is None:
            channels = tf.shape(masks)[-1]
        parts.append(tf.cast(masks, "float32"))
        info.append((key, masks.dtype, channels))
    stacked = parts[0] if len(parts) == 1 else tf.concat(parts, axis=-1)
    return stacked, (batched, info)


def unpack_masks(stacked, info):
    """Inverse of `pack_masks`: a dict of masks in their original layout."""
    batched, entries = info
    out, start = {}, 0
    for key, dtype, channels in entries:
        part = stacked[..., start : start + channels]
        start = start + channels
        part = tf.cast(tf.round(part), dtype)
        if key == "instance_masks":
            part = tf.transpose(part, [0, 3, 1, 2] if batched else [2, 0, 1])
        out[key] = part
    return out


def drop_instance_masks(instance_masks, labels):
    """Zeroes the instance masks of rows whose label is padding (-1)."""
    keep = tf.cast(labels >= 0, instance_masks.dtype)
    return instance_masks * keep[..., None, None]


def boxes_through_pixel_transform(xyxy, matrix):
    """Moves `xyxy` boxes by the transform that produced the output image.

    `matrix` holds the 8 parameters `[a0, a1, a2, b0, b1, b2, c0, c1]` of a
    projective transform in the convention of
    `keras.ops.image.affine_transform` (and `tf.raw_ops.ImageProjectiveTransformV3`):
    output pixel `(x, y)` (pixel indices) shows input pixel
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.
    Its shape is `(8,)`, or `(batch, 8)` for boxes of shape `(batch, N, 4)`.

    Box coordinates are continuous (pixel `i` spans `[i, i + 1)`, its centre
    is at `i + 0.5`). Each box's four corners are mapped through the inverse
    transform and the result is the tightest box around them: for a rotation
    or shear, the box of the transformed corners (which contains the rotated
    object and can be larger than the object's own tight box).
    """
    matrix = tf.cast(tf.reshape(matrix, [-1, 8]), "float32")
    ones = tf.ones_like(matrix[:, :1])
    full = tf.reshape(tf.concat([matrix, ones], axis=1), [-1, 3, 3])
    inverse = tf.linalg.inv(tf.cast(full, "float64"))
    boxes = tf.cast(xyxy, "float64")
    batched = boxes.shape.rank == 3
    if not batched:
        boxes = boxes[None]
        inverse = inverse[:1]
    x1, y1, x2, y2 = tf.unstack(boxes, axis=-1)
    # (batch, N, 4 corners) in pixel-index coordinates.
    xs = tf.stack([x1, x2, x1, x2], axis=-1) - 0.5
    ys = tf.stack([y1, y1, y2, y2], axis=-1) - 0.5
    points = tf.stack([xs, ys, tf.ones_like(xs)], axis=-1)
    mapped = tf.einsum("bij,bnkj->bnki", inverse, points)
    mx = mapped[..., 0] / mapped[..., 2] + 0.5
    my = mapped[..., 1] / mapped[..., 2] + 0.5
    out = tf.stack(
        [
            tf.reduce_min(mx, -1),
            tf.reduce_min(my, -1),
            tf.reduce_max(mx, -1),
            tf.reduce_max(my, -1),
        ],
        axis=-1,
    )
    out = tf.cast(out, "float32")
    return out if batched else out[0]
