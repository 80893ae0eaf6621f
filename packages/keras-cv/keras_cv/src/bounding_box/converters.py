# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Bounding box formats: conversion, clipping, dense and ragged layouts.

The data convention is the Keras 3 one: a dict `{"boxes", "labels"}` whose
`boxes` have a last dimension of 4 and whose `labels` hold one integer class
per box. Batches are either dense, padded with rows whose label is -1 (and
whose box is `[-1, -1, -1, -1]`), or `tf.RaggedTensor`s. The keras-cv 0.x key
`"classes"` is accepted everywhere: `standardize` renames it to `"labels"`;
the other functions return the key they were given.

The arithmetic of one format change is delegated to
`keras.utils.bounding_boxes.convert_format`. Around it this module adds
what that function lacks (each fault has a test in `converters_test.py`):
it never mutates the caller's dict, it keeps padding rows as padding instead
of turning `[-1, -1, -1, -1]` into a real-looking box, it accepts ragged
batches inside dicts, and `clip_to_image` works for every format rather than
only `xyxy`/`rel_xyxy`.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation

RFC = "20261122-keras-cv-single-stage-detection"

FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)


def validate_format(bounding_box_format, argument="bounding_box_format"):
    """Returns the lower-cased format or raises a ValueError naming it."""
    if not isinstance(bounding_box_format, str) or (
        bounding_box_format.lower() not in FORMATS
    ):
        raise ValueError(
            f"Unknown box format: `{argument}`={bounding_box_format!r}. "
            f"Expected one of {', '.join(FORMATS)}. For example, pass "
            "'xyxy' for [left, top, right, bottom] pixel coordinates."
        )
    return bounding_box_format.lower()


def check_last_dim(boxes, argument="boxes"):
    """Raises a ValueError when the static last dimension is not 4."""
    shape = boxes.shape
    if shape.rank is not None and shape.rank == 0:
        raise ValueError(
            f"`{argument}` must have a last dimension of 4 (one box per row). "
            f"Received a scalar: {argument}={boxes!r}."
        )
    last = shape[-1]
    if last is not None and last != 4:
        raise ValueError(
            f"`{argument}` must have a last dimension of 4 (one box per row). "
            f"Received: {argument}.shape={tuple(shape)}. If your boxes are in a "
            f"dict, pass `bounding_boxes['boxes']`; if they are flattened, "
            "reshape them to (..., 4)."
        )


def check_finite(values, argument="boxes"):
    """Returns `values` after checking they hold no NaN or infinity.

    Eagerly raises a ValueError; in a graph, adds an assertion with the
    same text (see `keras_cv.src.validation`).
    """
    if not isinstance(values, tf.RaggedTensor):
        values = tf.convert_to_tensor(values)
    return validation.guard_finite(values, argument, "padding rows use -1, not NaN")


def check_numeric(values, argument):
    """Raises a TypeError when `values` are not numbers (e.g. strings)."""
    dtype = values.dtype
    if not (dtype.is_floating or dtype.is_integer or dtype == tf.bool):
        raise TypeError(
            f"`{argument}` must hold numbers. Received dtype {dtype.name}. "
            f"Convert `{argument}` to float (boxes) or int (labels) first."
        )


LABELS_MESSAGE = (
    "`labels` must be integer class ids >= 0, or -1 for a padding row (the "
    "only padding value). Found a label below -1, a fractional label, or NaN. "
    "Fix the labels, or mark rows without an object with -1."
)


def check_labels(labels, argument="labels", num_classes=None):
    """Returns `labels` after checking every value is -1 or a class id.

    Labels may be float as long as every value is integer-valued (0.0, 3.0).
    With `num_classes`, class ids must also be below it. Eagerly raises a
    ValueError; in a graph, adds an assertion with the same text.
    """
    ragged = isinstance(labels, tf.RaggedTensor)
    flat = labels.flat_values if ragged else tf.convert_to_tensor(labels)
    check_numeric(flat, argument)
    if flat.dtype == tf.bool:
        raise TypeError(
            f"`{argument}` must hold integer class ids, not booleans. "
            "Received dtype bool."
        )
    values = flat
    if flat.dtype.is_floating:
        finite = tf.math.is_finite(flat)
        whole = tf.logical_and(finite, tf.equal(flat, tf.math.round(flat)))
        ok = tf.logical_and(tf.reduce_all(whole), tf.reduce_all(flat >= -1))
        bad = tf.boolean_mask(flat, ~tf.logical_and(whole, flat >= -1))
    else:
        ok = tf.reduce_all(flat >= -1)
        bad = tf.boolean_mask(flat, flat < -1)
    message = LABELS_MESSAGE.replace("`labels`", f"`{argument}`")
    values = validation.guard(values, ok, message, {"bad labels": bad[:10]})
    if num_classes is not None:
        too_big = tf.cast(values, "float64") >= float(num_classes)
        values = validation.guard(
            values,
            tf.logical_not(tf.reduce_any(too_big)),
            f"`{argument}` holds a class id >= num_classes={num_classes}; "
            f"class ids must be in [0, {num_classes - 1}] (-1 marks padding). "
            "Build the model with a larger `num_classes`, or fix the labels.",
            {"bad labels": tf.boolean_mask(values, too_big)[:10]},
        )
    return labels.with_flat_values(values) if ragged else values


def _to_tensor(x, dtype=None):
    if isinstance(x, tf.RaggedTensor):
        return x if dtype is None else tf.cast(x, dtype)
    if isinstance(x, (list, tuple)) and x and not np.isscalar(x[0]):
        # A list of per-image arrays of different lengths.
        try:
            return tf.convert_to_tensor(x, dtype=dtype)
        except (ValueError, TypeError):
            return tf.ragged.constant(
                [np.asarray(v).tolist() for v in x], dtype=dtype, ragged_rank=1
            )
    return tf.convert_to_tensor(x, dtype=dtype)


@api_export("keras_cv.bounding_box.standardize", stability="stable", rfc=RFC)
def standardize(bounding_boxes):
    """Returns a copy of a bounding box dict in the Keras 3 convention.

    Renames the keras-cv 0.x key `"classes"` to `"labels"`, converts lists and
    NumPy arrays to tensors (ragged when the images hold different numbers of
    boxes) and checks that `boxes` has a last dimension of 4. The input dict
    is never modified.

    Args:
        bounding_boxes: a dict with a `"boxes"` entry and optionally
            `"labels"` (or `"classes"`) and any other per-box entries.

    Returns:
        A new dict with `"boxes"` and, when given, `"labels"`.

    Examples:

    >>> out = keras_cv.bounding_box.standardize({"boxes": [[0.0, 0.0, 2.0, 2.0]], "classes": [3]})
    >>> sorted(out)
    ['boxes', 'labels']
    """
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            "`bounding_boxes` must be a dict with a 'boxes' entry and a "
            "'labels' entry, such as {'boxes': boxes, 'labels': labels}. "
            f"Received an object of type {type(bounding_boxes).__name__}."
        )
    if "boxes" not in bounding_boxes:
        raise ValueError(
            "`bounding_boxes` must have a 'boxes' entry. Received keys: "
            f"{sorted(bounding_boxes)}."
        )
    result = dict(bounding_boxes)
    if "classes" in result:
        if "labels" in result:
            raise ValueError(
                "`bounding_boxes` has both 'labels' and 'classes'; they mean "
                "the same thing. Keep only 'labels' (the Keras 3 key)."
            )
        result["labels"] = result.pop("classes")
    boxes = _to_tensor(result["boxes"])
    check_last_dim(boxes)
    check_numeric(boxes, "boxes")
    if boxes.dtype == tf.bool:
        boxes = tf.cast(boxes, "float32")
    result["boxes"] = check_finite(boxes, "bounding_boxes['boxes']")
    if "labels" in result:
        labels = check_labels(_to_tensor(result["labels"]))
        result["labels"] = _match_labels_to_boxes(result["boxes"], labels)
    return result


_LENGTH_MESSAGE = (
    "`labels` must hold one label per box, but some images have a different "
    "number of labels than of boxes. Check that boxes and labels come from "
    "the same batch; pad dense batches of both with -1 rows."
)


def _squeeze_labels(labels):
    if labels.shape.rank == 3 and labels.shape[-1] == 1:
        return tf.squeeze(labels, -1)
    return labels


def _match_labels_to_boxes(boxes, labels):
    """`labels` in the layout of `boxes`, after checking one label per box.

    Never truncates or broadcasts: dense labels given with ragged boxes may
    extend past a row only with -1 padding, and dense boxes given with
    ragged labels only with [-1, -1, -1, -1] rows.
    """
    boxes_ragged = isinstance(boxes, tf.RaggedTensor)
    labels_ragged = isinstance(labels, tf.RaggedTensor)
    if not boxes_ragged and not labels_ragged:
        return _check_same_leading_shape(boxes, labels)
    labels = _squeeze_labels(labels)
    if boxes_ragged and labels_ragged:
        lengths, label_lengths = boxes.row_lengths(), labels.row_lengths()
        same_rows = tf.equal(boxes.nrows(), labels.nrows())
        same = tf.logical_and(
            same_rows,
            tf.reduce_all(
                tf.equal(lengths[: labels.nrows()], label_lengths[: boxes.nrows()])
            ),
        )
        values = validation.guard(
            labels.flat_values,
            same,
            _LENGTH_MESSAGE,
            {"boxes per image": lengths, "labels per image": label_lengths},
        )
        return labels.with_flat_values(values)
    if boxes_ragged:
        ragged, dense, what = boxes, labels, "labels"
        if dense.shape.rank != 2:
            raise ValueError(
                "With ragged `boxes` (batch, None, 4), dense `labels` must be "
                "(batch, max_boxes), padded with -1. Received: "
                f"labels.shape={tuple(dense.shape)}."
            )
        padding = tf.equal(tf.cast(dense, "float32"), -1.0)
        hint = " Dense labels may extend past a row of ragged boxes only with -1."
    else:
        ragged, dense, what = labels, boxes, "boxes"
        if dense.shape.rank != 3:
            raise ValueError(
                "Ragged `labels` need batched boxes (batch, num_boxes, 4), "
                f"dense or ragged. Received: boxes.shape={tuple(dense.shape)}."
            )
        padding = tf.reduce_all(tf.equal(tf.cast(dense, "float32"), -1.0), -1)
        hint = (
            " Dense boxes may extend past a row of ragged labels only with "
            "[-1, -1, -1, -1] rows."
        )
    lengths = ragged.row_lengths()
    num_rows = tf.shape(dense, out_type="int64")[0]
    width = tf.shape(dense, out_type="int64")[1]
    rows_ok = tf.equal(num_rows, ragged.nrows())
    fits = tf.reduce_all(lengths <= width)
    # Positions past each row's length must be padding.
    past = ~tf.sequence_mask(lengths[:num_rows], width)
    extra_ok = tf.reduce_all(tf.logical_or(~past, padding[: ragged.nrows()]))
    ok = tf.logical_and(rows_ok, tf.logical_and(fits, extra_ok))
    details = {
        f"{'boxes' if what == 'labels' else 'labels'} per image": lengths,
        f"{what} shape": tf.shape(dense),
    }
    if boxes_ragged:
        labels = validation.guard(labels, ok, _LENGTH_MESSAGE + hint, details)
        return tf.RaggedTensor.from_tensor(labels, lengths=lengths)
    values = validation.guard(labels.flat_values, ok, _LENGTH_MESSAGE + hint, details)
    labels = labels.with_flat_values(values)
    return labels.to_tensor(
        default_value=tf.constant(-1, labels.dtype),
        shape=tf.stack([labels.nrows(), width]),
    )


def _check_same_leading_shape(boxes, labels):
    box_shape = tuple(boxes.shape[:-1])
    label_shape = tuple(labels.shape)
    if len(label_shape) == len(box_shape) + 1 and label_shape[-1] == 1:
        label_shape = label_shape[:-1]
    if len(box_shape) != len(label_shape) or any(
        a is not None and b is not None and a != b
        for a, b in zip(box_shape, label_shape)
    ):
        raise ValueError(
            "`labels` must hold one label per box: its shape must equal "
            "`boxes.shape[:-1]`. Received: "
            f"boxes.shape={tuple(boxes.shape)}, labels.shape={tuple(labels.shape)}. "
            "Check that boxes and labels come from the same batch."
        )
    if None in box_shape or None in label_shape:
        # Unknown sizes (e.g. in `tf.data`): compare them when the graph runs.
        label_dims = tf.shape(labels)[: len(box_shape)]
        same = tf.reduce_all(tf.equal(tf.shape(boxes)[:-1], label_dims))
        labels = validation.guard(
            labels,
            same,
            "`labels` must hold one label per box: its shape must equal "
            "`boxes.shape[:-1]`. Check that boxes and labels come from the "
            "same batch.",
            {"boxes shape": tf.shape(boxes), "labels shape": tf.shape(labels)},
        )
    return labels


def _convert_dense(boxes, source, target, height, width, dtype):
    if source == target:
        return tf.cast(boxes, dtype)
    return keras.utils.bounding_boxes.convert_format(
        boxes, source=source, target=target, height=height, width=width, dtype=dtype
    )


def _padding_mask(labels):
    """True on rows that are padding (label -1)."""
    return tf.equal(tf.cast(labels, "int32"), -1)


@api_export("keras_cv.bounding_box.convert_format", stability="stable", rfc=RFC)
def convert_format(
    boxes,
    source,
    target,
    height=None,
    width=None,
    dtype="float32",
    images=None,
    image_shape=None,
):
    """Converts bounding boxes from one format to another.

    Formats (case-insensitive): `"xyxy"` (left, top, right, bottom),
    `"yxyx"` (top, left, bottom, right), `"xywh"` (left, top, width, height),
    `"center_xywh"`, `"center_yxhw"`, and the relative forms `"rel_xyxy"`,
    `"rel_yxyx"`, `"rel_xywh"`, `"rel_center_xywh"` whose coordinates are
    fractions of the image `height` and `width`.

    Works on one image (`(N, 4)`), dense batches (`(B, N, 4)`), ragged
    batches (`tf.RaggedTensor` of shape `(B, None, 4)`) and on a bounding box
    dict. With a dict, the result is a new dict (the input is left as it
    was, and a keras-cv 0.x `"classes"` key stays `"classes"`), and rows
    whose label is -1 stay padding rows (`[-1, -1, -1, -1]`). Works inside
    `tf.data` maps.

    Args:
        boxes: a tensor, array or nested list of boxes with a last dimension
            of 4, a `tf.RaggedTensor`, or a dict with `"boxes"` and
            optionally `"labels"`/`"classes"`.
        source: the format of `boxes`.
        target: the format to return.
        height: the image height; required when converting between a
            relative and an absolute format.
        width: the image width; as `height`.
        dtype: the dtype of the returned boxes.
        images: deprecated (keras-cv 0.9): images `(H, W, C)` or
            `(B, H, W, C)` whose size gives `height` and `width`; warns.
            Also accepted as the fourth positional argument.
        image_shape: deprecated (keras-cv 0.9): `(height, width[, channels])`;
            warns.

    Returns:
        The boxes in the `target` format, with the same structure as `boxes`.

    Examples:

    >>> boxes = [[10.0, 20.0, 30.0, 60.0]]
    >>> keras_cv.bounding_box.convert_format(boxes, "xyxy", "center_xywh").numpy().tolist()
    [[20.0, 40.0, 20.0, 40.0]]
    """
    height, width = _old_size_arguments(boxes, height, width, images, image_shape)
    source = validate_format(source, "source")
    target = validate_format(target, "target")
    if source.startswith("rel_") and target.startswith("rel_"):
        # Relative to relative: the image size cancels out.
        height = width = 1.0
    if (source.startswith("rel_") or target.startswith("rel_")) and (
        height is None or width is None
    ):
        raise ValueError(
            "Converting between a relative ('rel_*') and an absolute format "
            "needs the image size. Pass `height=` and `width=`. Received: "
            f"source={source!r}, target={target!r}, height={height!r}, "
            f"width={width!r}."
        )
    if isinstance(boxes, dict):
        result = standardize(boxes)
        result = _restore_classes_key(boxes, result)
        converted = convert_format(
            result["boxes"], source, target, height=height, width=width, dtype=dtype
        )
        key = "classes" if "classes" in result else "labels"
        if key in result:
            labels = result[key]
            if isinstance(converted, tf.RaggedTensor):
                pad = _padding_mask(labels.flat_values)[:, None]
                converted = converted.with_flat_values(
                    tf.where(pad, tf.constant(-1, dtype), converted.flat_values)
                )
            else:
                labels = tf.reshape(labels, tf.shape(converted)[:-1])
                pad = _padding_mask(labels)[..., None]
                converted = tf.where(pad, tf.constant(-1, dtype), converted)
        result["boxes"] = converted
        return result
    boxes = _to_tensor(boxes)
    check_last_dim(boxes)
    check_numeric(boxes, "boxes")
    boxes = check_finite(boxes)
    if isinstance(boxes, tf.RaggedTensor):
        return tf.ragged.map_flat_values(
            lambda v: _convert_dense(v, source, target, height, width, dtype), boxes
        )
    return _convert_dense(boxes, source, target, height, width, dtype)


def _old_size_arguments(boxes, height, width, images, image_shape):
    """`(height, width)` from the keras-cv 0.9 `images`/`image_shape` forms.

    0.9's signature is `(boxes, source, target, images=None,
    image_shape=None)`: a fourth positional argument of rank 3 or 4 is
    images, a fifth that is a sequence is an image shape. Both forms warn.
    """
    from keras_cv.src.bounding_box import compat

    if height is not None and len(getattr(height, "shape", ())) >= 3:
        images, height = height, None
    if width is not None and isinstance(width, (list, tuple)):
        image_shape, width = width, None
    if images is None and image_shape is None:
        return height, width
    if height is not None or width is not None:
        raise ValueError(
            "Pass either `height=`/`width=` or the keras-cv 0.9 "
            "`images=`/`image_shape=`, not both."
        )
    compat.deprecated(
        "`images=`/`image_shape=`", "`height=` and `width=`", stacklevel=4
    )
    return compat.size_from_images(images, image_shape, boxes)


def _restore_classes_key(given, result):
    """Keeps the caller's keras-cv 0.x key `"classes"` in the output."""
    if isinstance(given, dict) and "classes" in given and "labels" not in given:
        result = dict(result)
        result["classes"] = result.pop("labels")
    return result


def _clip_xyxy(boxes, height, width, relative):
    dtype = boxes.dtype
    if relative:
        limit_h = limit_w = tf.constant(1.0, dtype)
    else:
        limit_h = tf.cast(height, dtype)
        limit_w = tf.cast(width, dtype)
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    zero = tf.constant(0.0, dtype)
    x1 = tf.clip_by_value(x1, zero, limit_w)
    x2 = tf.clip_by_value(x2, zero, limit_w)
    y1 = tf.clip_by_value(y1, zero, limit_h)
    y2 = tf.clip_by_value(y2, zero, limit_h)
    return tf.stack([x1, y1, x2, y2], axis=-1)


@api_export("keras_cv.bounding_box.clip_to_image", stability="stable", rfc=RFC)
def clip_to_image(
    bounding_boxes,
    height=None,
    width=None,
    bounding_box_format="xyxy",
    images=None,
    image_shape=None,
):
    """Clips boxes to the image and drops boxes left with no area.

    Every coordinate is clipped to `[0, width]` horizontally and
    `[0, height]` vertically (`[0, 1]` for relative formats). With a dict,
    a box whose area becomes zero is marked as padding: its label becomes -1
    and its box `[-1, -1, -1, -1]` in dense batches, and it is removed from
    ragged batches. A plain tensor of boxes is only clipped.

    Args:
        bounding_boxes: a dict `{"boxes", "labels"}` (dense, -1 padded, or
            ragged), or a tensor of boxes.
        height: the image height (not needed for relative formats).
        width: the image width (not needed for relative formats).
        bounding_box_format: the format of the boxes, kept in the output.
        images: deprecated (keras-cv 0.9): images whose size gives
            `height` and `width`; warns.
        image_shape: deprecated (keras-cv 0.9): `(height, width[, channels])`.

    The keras-cv 0.9 calling form `clip_to_image(bounding_boxes,
    bounding_box_format, images)` (a format string in second place, which
    can never be a height) is recognised and warns.

    Returns:
        The clipped boxes, with the structure of `bounding_boxes`.

    Examples:

    >>> out = keras_cv.bounding_box.clip_to_image(
    ...     {"boxes": [[-5.0, 2.0, 12.0, 8.0], [20.0, 20.0, 30.0, 30.0]],
    ...      "labels": [1, 2]},
    ...     height=10, width=10)
    >>> out["boxes"].numpy().tolist()
    [[0.0, 2.0, 10.0, 8.0], [-1.0, -1.0, -1.0, -1.0]]
    >>> out["labels"].numpy().tolist()
    [1, -1]
    """
    if isinstance(height, str):
        # keras-cv 0.9: clip_to_image(bounding_boxes, bounding_box_format, images)
        from keras_cv.src.bounding_box import compat

        compat.deprecated(
            "clip_to_image(bounding_boxes, bounding_box_format, images)",
            "clip_to_image(bounding_boxes, height=..., width=..., "
            "bounding_box_format=...)",
        )
        bounding_box_format, height = height, None
        if width is not None:
            images, width = width, None
    if images is not None or image_shape is not None:
        height, width = _old_size_arguments(
            bounding_boxes, height, width, images, image_shape
        )
    given = bounding_boxes
    fmt = validate_format(bounding_box_format)
    relative = fmt.startswith("rel_")
    if not relative and (height is None or width is None):
        raise ValueError(
            f"`clip_to_image` needs `height` and `width` for the absolute "
            f"format {fmt!r}. Received: height={height!r}, width={width!r}."
        )
    work = "rel_xyxy" if relative else "xyxy"

    def clip_dense(boxes):
        xyxy = _convert_dense(boxes, fmt, work, height, width, boxes.dtype)
        clipped = _clip_xyxy(xyxy, height, width, relative)
        return clipped

    if not isinstance(bounding_boxes, dict):
        boxes = _to_tensor(bounding_boxes)
        if not boxes.dtype.is_floating:
            boxes = tf.cast(boxes, "float32")
        check_last_dim(boxes)
        if isinstance(boxes, tf.RaggedTensor):
            clipped = tf.ragged.map_flat_values(clip_dense, boxes)
            return tf.ragged.map_flat_values(
                lambda v: _convert_dense(v, work, fmt, height, width, v.dtype), clipped
            )
        return _convert_dense(clip_dense(boxes), work, fmt, height, width, boxes.dtype)

    result = standardize(bounding_boxes)
    result = _restore_classes_key(
        given, _clip_dict(result, clip_dense, fmt, work, height, width)
    )
    return result


def _clip_dict(result, clip_dense, fmt, work, height, width):
    boxes = result["boxes"]
    if not boxes.dtype.is_floating:
        boxes = tf.cast(boxes, "float32")
    dtype = boxes.dtype
    values = boxes.flat_values if isinstance(boxes, tf.RaggedTensor) else boxes
    clipped = clip_dense(values)
    x1, y1, x2, y2 = tf.unstack(clipped, 4, axis=-1)
    valid = tf.logical_and(x2 > x1, y2 > y1)
    if "labels" in result:
        labels = result["labels"]
        label_values = (
            labels.flat_values if isinstance(labels, tf.RaggedTensor) else labels
        )
        label_values = tf.reshape(label_values, tf.shape(valid))
        valid = tf.logical_and(valid, tf.not_equal(tf.cast(label_values, "int32"), -1))
    out_values = _convert_dense(clipped, work, fmt, height, width, dtype)
    out_values = tf.where(valid[..., None], out_values, tf.constant(-1, dtype))
    if isinstance(boxes, tf.RaggedTensor):
        out_boxes = boxes.with_flat_values(out_values)
        mask = boxes.with_flat_values(valid)
        result["boxes"] = tf.ragged.boolean_mask(out_boxes, mask)
        if "labels" in result:
            result["labels"] = tf.ragged.boolean_mask(result["labels"], mask)
        for key, value in list(result.items()):
            if key not in ("boxes", "labels") and isinstance(value, tf.RaggedTensor):
                result[key] = tf.ragged.boolean_mask(value, mask)
        return result
    result["boxes"] = out_values
    if "labels" in result:
        labels = result["labels"]
        result["labels"] = tf.where(
            tf.reshape(valid, tf.shape(labels)), labels, tf.constant(-1, labels.dtype)
        )
    return result


@api_export("keras_cv.bounding_box.to_dense", stability="stable", rfc=RFC)
def to_dense(bounding_boxes, max_boxes=None):
    """Turns a ragged bounding box dict into a dense one padded with -1.

    Padding rows have the box `[-1, -1, -1, -1]` and the label -1. Dense
    inputs are returned (as a new dict) unchanged, or padded/truncated to
    `max_boxes` when it is given.

    Args:
        bounding_boxes: a dict `{"boxes", "labels", ...}` with ragged or dense
            entries of shape `(B, None, ...)`.
        max_boxes: the number of rows of the result; defaults to the largest
            number of boxes in the batch.

    Returns:
        A new dict of dense tensors.

    Examples:

    >>> boxes = tf.ragged.constant(
    ...     [[[0.0, 0.0, 1.0, 1.0]], []], ragged_rank=1, inner_shape=(4,))
    >>> labels = tf.ragged.constant([[3], []])
    >>> dense = keras_cv.bounding_box.to_dense({"boxes": boxes, "labels": labels}, max_boxes=2)
    >>> dense["labels"].numpy().tolist()
    [[3, -1], [-1, -1]]
    """
    if max_boxes is not None:
        if (
            isinstance(max_boxes, (bool, np.bool_))
            or not isinstance(max_boxes, (int, np.integer))
            or max_boxes < 1
        ):
            raise ValueError(
                "`max_boxes` must be a positive int (the number of rows of "
                f"the dense result) or None for the largest number of boxes "
                f"in the batch. Received: max_boxes={max_boxes!r}."
            )
        max_boxes = int(max_boxes)
    result = standardize(bounding_boxes)
    if max_boxes is not None:
        result = _check_fits(result, max_boxes)
    for key, value in list(result.items()):
        if isinstance(value, tf.RaggedTensor):
            if max_boxes is None:
                value = value.to_tensor(default_value=-1)
            else:
                inner = value.shape[2:]
                shape = [value.nrows(), max_boxes] + list(inner)
                value = value.to_tensor(default_value=-1, shape=shape)
            result[key] = value
        elif max_boxes is not None and isinstance(value, tf.Tensor):
            value = value[:, :max_boxes]
            pad = max_boxes - tf.shape(value)[1]
            paddings = [[0, 0], [0, pad]] + [[0, 0]] * (value.shape.rank - 2)
            result[key] = tf.pad(value, paddings, constant_values=-1)
    return _restore_classes_key(bounding_boxes, result)


def _check_fits(result, max_boxes):
    """Checks that no real box lies past row `max_boxes` (never truncated)."""
    boxes = result["boxes"]
    if isinstance(boxes, tf.RaggedTensor):
        positions = tf.ragged.range(boxes.row_lengths()) + 1
        if "labels" in result:
            labels = tf.cast(result["labels"].flat_values, "int64")
            flat = tf.where(tf.not_equal(labels, -1), positions.flat_values, 0)
            positions = positions.with_flat_values(flat)
        last = tf.maximum(tf.reduce_max(positions, axis=1), 0)
    else:
        if boxes.shape.rank != 3:
            raise ValueError(
                "`to_dense(max_boxes=...)` expects a batch of boxes (batch, "
                f"num_boxes, 4). Received: boxes.shape={tuple(boxes.shape)}."
            )
        if "labels" in result:
            real = tf.not_equal(
                tf.cast(tf.reshape(result["labels"], tf.shape(boxes)[:2]), "int64"), -1
            )
        else:
            real = tf.logical_not(tf.reduce_all(tf.equal(boxes, -1), axis=-1))
        positions = tf.range(1, tf.shape(boxes, out_type="int64")[1] + 1)
        last = tf.reduce_max(
            tf.where(real, positions[None, :], tf.zeros_like(positions)[None, :]),
            axis=1,
        )
    last = tf.cast(last, "int64")
    ok = tf.reduce_all(last <= max_boxes)
    boxes = validation.guard(
        boxes,
        ok,
        f"`to_dense(max_boxes={max_boxes})` would drop boxes: some images "
        f"have a box (label other than -1) past row {max_boxes}. Pass a "
        "larger `max_boxes` (or None for the largest count in the batch), or "
        "drop those boxes explicitly first.",
        {"last box row per image": last},
    )
    return {**result, "boxes": boxes}


@api_export("keras_cv.bounding_box.to_ragged", stability="stable", rfc=RFC)
def to_ragged(bounding_boxes):
    """Turns a dense, -1 padded bounding box dict into a ragged one.

    Rows whose label is -1 are dropped (when there are no labels, rows whose
    four coordinates are all -1). Ragged inputs are returned unchanged.

    Args:
        bounding_boxes: a dict `{"boxes", "labels", ...}` with dense entries of
            shape `(B, N, ...)`.

    Returns:
        A new dict of `tf.RaggedTensor`s of shape `(B, None, ...)`.

    Examples:

    >>> dense = {"boxes": [[[0.0, 0.0, 1.0, 1.0], [-1.0, -1.0, -1.0, -1.0]]],
    ...          "labels": [[4, -1]]}
    >>> keras_cv.bounding_box.to_ragged(dense)["labels"].to_list()
    [[4]]
    """
    result = standardize(bounding_boxes)
    boxes = result["boxes"]
    if isinstance(boxes, tf.RaggedTensor):
        return _restore_classes_key(bounding_boxes, result)
    if boxes.shape.rank != 3:
        raise ValueError(
            "`to_ragged` expects a batch of boxes of shape (B, N, 4). "
            f"Received: boxes.shape={tuple(boxes.shape)}."
        )
    if "labels" in result:
        labels = tf.reshape(result["labels"], tf.shape(boxes)[:-1])
        keep = tf.not_equal(tf.cast(labels, "int32"), -1)
    else:
        keep = tf.logical_not(tf.reduce_all(tf.equal(boxes, -1), axis=-1))
    for key, value in list(result.items()):
        if isinstance(value, tf.Tensor) and value.shape.rank is not None:
            if key == "labels":
                value = tf.reshape(value, tf.shape(keep))
            if value.shape.rank >= 2:
                result[key] = tf.ragged.boolean_mask(value, keep)
    return _restore_classes_key(bounding_boxes, result)
