# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The keras-cv 0.9 bounding box utilities that code written for it calls.

`compute_iou`, `compute_ciou`, `ensure_tensor`, `mask_invalid_detections`,
`as_relative`, `is_relative`, `validate_format` and the format classes
(`XYXY`, ...), in our own implementation. The 0.9 calling forms of
`convert_format` and `clip_to_image` (`images=`, `image_shape=`) are
handled in `converters.py` and warn with the new spelling.
"""

import math
import warnings

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box import converters
from keras_cv.src.bounding_box.converters import FORMATS

# The RFC of the keras-cv 0.9 compatibility surface.
COMPAT_RFC = "20261207-keras-cv-0-9-compatibility"


def deprecated(old, new, stacklevel=3):
    warnings.warn(
        f"{old} is the keras-cv 0.9 spelling; use {new} instead.",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def size_from_images(images=None, image_shape=None, boxes=None):
    """`(height, width)` from 0.9's `images=` or `image_shape=` arguments."""
    if images is not None:
        if isinstance(images, tf.RaggedTensor):
            raise ValueError(
                "Ragged `images` (images of different sizes) are not supported: "
                "convert each image's boxes with its own `height=` and `width=`."
            )
        images = images if isinstance(images, tf.Tensor) else np.asarray(images)
        rank = len(images.shape)
        if rank not in (3, 4):
            raise ValueError(
                "`images` must be one image (height, width, channels) or a batch "
                f"(batch, height, width, channels). Received shape {tuple(images.shape)}."
            )
        if boxes is not None and not isinstance(boxes, dict):
            box_rank = len(getattr(boxes, "shape", np.shape(boxes)))
            if box_rank and box_rank != rank - 1:
                raise ValueError(
                    f"`images` of rank {rank} go with boxes of rank {rank - 1} "
                    f"(batched images with batched boxes). Received boxes of rank "
                    f"{box_rank}. Pass `height=` and `width=` instead."
                )
        shape = tf.shape(images) if isinstance(images, tf.Tensor) else images.shape
        return shape[rank - 3], shape[rank - 2]
    if image_shape is not None:
        values = list(image_shape)
        if len(values) not in (2, 3):
            raise ValueError(
                "`image_shape` must be (height, width) or (height, width, channels). "
                f"Received: image_shape={image_shape!r}."
            )
        return values[0], values[1]
    return None, None


class _Format:
    """Indices of the four coordinates of a box format (keras-cv 0.9 style)."""


def _format_class(name, fields, doc):
    attrs = {"__doc__": doc}
    for index, field in enumerate(fields):
        attrs[field] = index
    cls = type(name, (_Format,), attrs)
    return api_export(
        f"keras_cv.bounding_box.{name}", stability="stable", rfc=COMPAT_RFC
    )(cls)


XYXY = _format_class(
    "XYXY",
    ("LEFT", "TOP", "RIGHT", "BOTTOM"),
    """Coordinate indices of the `"xyxy"` format: `[left, top, right, bottom]`.

    Example:

    >>> keras_cv.bounding_box.XYXY.RIGHT
    2
    """,
)
REL_XYXY = _format_class(
    "REL_XYXY",
    ("LEFT", "TOP", "RIGHT", "BOTTOM"),
    """Coordinate indices of `"rel_xyxy"` (fractions of the image size).

    Example:

    >>> keras_cv.bounding_box.REL_XYXY.TOP
    1
    """,
)
YXYX = _format_class(
    "YXYX",
    ("TOP", "LEFT", "BOTTOM", "RIGHT"),
    """Coordinate indices of the `"yxyx"` format: `[top, left, bottom, right]`.

    Example:

    >>> keras_cv.bounding_box.YXYX.LEFT
    1
    """,
)
REL_YXYX = _format_class(
    "REL_YXYX",
    ("TOP", "LEFT", "BOTTOM", "RIGHT"),
    """Coordinate indices of `"rel_yxyx"` (fractions of the image size).

    Example:

    >>> keras_cv.bounding_box.REL_YXYX.BOTTOM
    2
    """,
)
XYWH = _format_class(
    "XYWH",
    ("X", "Y", "WIDTH", "HEIGHT"),
    """Coordinate indices of the `"xywh"` format: `[left, top, width, height]`.

    Example:

    >>> keras_cv.bounding_box.XYWH.WIDTH
    2
    """,
)
REL_XYWH = _format_class(
    "REL_XYWH",
    ("X", "Y", "WIDTH", "HEIGHT"),
    """Coordinate indices of `"rel_xywh"` (fractions of the image size).

    Example:

    >>> keras_cv.bounding_box.REL_XYWH.HEIGHT
    3
    """,
)
CENTER_XYWH = _format_class(
    "CENTER_XYWH",
    ("X", "Y", "WIDTH", "HEIGHT"),
    """Coordinate indices of `"center_xywh"`: `[center x, center y, width, height]`.

    Example:

    >>> keras_cv.bounding_box.CENTER_XYWH.X
    0
    """,
)


@api_export("keras_cv.bounding_box.is_relative", stability="stable", rfc=COMPAT_RFC)
def is_relative(bounding_box_format):
    """Whether a box format is relative to the image size (`"rel_*"`).

    Args:
        bounding_box_format: a format name such as `"rel_xyxy"`.

    Returns:
        A bool. Unknown formats raise a ValueError.

    Example:

    >>> keras_cv.bounding_box.is_relative("rel_xyxy")
    True
    """
    return converters.validate_format(bounding_box_format).startswith("rel_")


@api_export("keras_cv.bounding_box.as_relative", stability="stable", rfc=COMPAT_RFC)
def as_relative(bounding_box_format):
    """The relative twin of a box format (`"yxyx"` -> `"rel_yxyx"`).

    Args:
        bounding_box_format: a format name.

    Returns:
        The `"rel_"` format; relative formats are returned unchanged.

    Example:

    >>> keras_cv.bounding_box.as_relative("yxyx")
    'rel_yxyx'
    """
    fmt = converters.validate_format(bounding_box_format)
    if fmt.startswith("rel_"):
        return fmt
    relative = "rel_" + fmt
    if relative not in FORMATS:
        raise ValueError(
            f"The format {fmt!r} has no relative twin. Relative formats are "
            f"{[f for f in FORMATS if f.startswith('rel_')]}."
        )
    return relative


@api_export("keras_cv.bounding_box.validate_format", stability="stable", rfc=COMPAT_RFC)
def validate_format(bounding_boxes, variable_name="bounding_boxes"):
    """Checks a keras-cv 0.9 box dict and describes its layout.

    The dict needs `"boxes"` and `"classes"` (or `"labels"`), both batched
    or both unbatched, both ragged or both dense, with one class per box.

    Args:
        bounding_boxes: the dict to check.
        variable_name: the name used in error messages.

    Returns:
        A dict with `"is_batched"`, `"ragged"` and `"classes_one_hot"`.

    Example:

    >>> info = keras_cv.bounding_box.validate_format(
    ...     {"boxes": np.zeros((2, 3, 4)), "classes": np.zeros((2, 3))})
    >>> info["is_batched"], info["ragged"]
    (True, False)
    """
    if not isinstance(bounding_boxes, dict):
        raise ValueError(
            f"Expected `{variable_name}` to be a dictionary, got an object of type "
            f"{type(bounding_boxes).__name__}. Pass {{'boxes': ..., 'classes': ...}}."
        )
    key = "classes" if "classes" in bounding_boxes else "labels"
    if "boxes" not in bounding_boxes or key not in bounding_boxes:
        raise ValueError(
            f"Expected `{variable_name}` to be a dictionary containing keys "
            f"'boxes' and 'classes' (or 'labels'). Received keys: "
            f"{sorted(bounding_boxes)}."
        )
    boxes, classes = bounding_boxes["boxes"], bounding_boxes[key]
    box_shape, class_shape = (
        tuple(np.shape(boxes)) if not hasattr(boxes, "shape") else tuple(boxes.shape),
        tuple(classes.shape if hasattr(classes, "shape") else np.shape(classes)),
    )
    batched = len(box_shape) == 3
    ragged = isinstance(boxes, tf.RaggedTensor)
    leading = 2 if batched else 1
    if batched and ragged != isinstance(classes, tf.RaggedTensor):
        raise ValueError(
            "Expected `boxes` and `classes` to be both ragged or both dense. "
            f"Received types {type(boxes).__name__} and {type(classes).__name__}."
        )
    if not ragged and box_shape[:leading] != class_shape[:leading]:
        raise ValueError(
            "Expected `boxes` and `classes` to have matching dimensions on the "
            f"first {leading} axes (one class per box). Received: "
            f"boxes.shape={box_shape}, classes.shape={class_shape}."
        )
    return {
        "is_batched": batched,
        "ragged": ragged,
        "classes_one_hot": len(class_shape) == leading + 1,
    }


@api_export("keras_cv.bounding_box.ensure_tensor", stability="stable", rfc=COMPAT_RFC)
def ensure_tensor(boxes, dtype=None):
    """Returns a copy of a box dict whose entries are tensors.

    Args:
        boxes: a dict with `"boxes"` and optionally `"classes"`/`"labels"`
            and `"confidence"` (lists, arrays or tensors).
        dtype: optional dtype for those entries.

    Returns:
        A new dict; ragged tensors stay ragged.

    Example:

    >>> out = keras_cv.bounding_box.ensure_tensor({"boxes": [[0.0, 0.0, 1.0, 1.0]]})
    >>> isinstance(out["boxes"], tf.Tensor)
    True
    """
    if not isinstance(boxes, dict):
        raise TypeError(
            "`ensure_tensor` takes a box dict such as {'boxes': ..., 'classes': ...}. "
            f"Received an object of type {type(boxes).__name__}."
        )
    result = dict(boxes)
    for key in ("boxes", "classes", "labels", "confidence"):
        if key in result:
            value = result[key]
            if isinstance(value, tf.RaggedTensor):
                result[key] = value if dtype is None else tf.cast(value, dtype)
            else:
                result[key] = tf.convert_to_tensor(value, dtype=dtype)
    return result


@api_export(
    "keras_cv.bounding_box.mask_invalid_detections", stability="stable", rfc=COMPAT_RFC
)
def mask_invalid_detections(bounding_boxes, output_ragged=False):
    """Marks detections past `num_detections` as -1 padding.

    Non-max suppression returns a fixed number of rows per image; the rows
    past `num_detections` are not detections. This sets their boxes,
    classes and confidences to -1.

    Args:
        bounding_boxes: a dense dict with `"boxes"`, `"classes"` (or
            `"labels"`), optional `"confidence"`, and `"num_detections"`.
        output_ragged: return ragged tensors without the padding rows.

    Returns:
        A new dict.

    Example:

    >>> out = keras_cv.bounding_box.mask_invalid_detections({
    ...     "boxes": np.ones((1, 2, 4), "float32"), "classes": np.ones((1, 2)),
    ...     "num_detections": np.array([1])})
    >>> out["classes"].numpy().tolist()
    [[1.0, -1.0]]
    """
    info = validate_format(bounding_boxes)
    if info["ragged"]:
        raise ValueError(
            "`mask_invalid_detections` needs dense tensors; call "
            "`keras_cv.bounding_box.to_dense(bounding_boxes)` first."
        )
    if "num_detections" not in bounding_boxes:
        raise ValueError(
            "`mask_invalid_detections` needs a 'num_detections' entry (the "
            "number of valid rows of each image), as returned by non-max "
            f"suppression. Received keys: {sorted(bounding_boxes)}."
        )
    key = "classes" if "classes" in bounding_boxes else "labels"
    boxes = tf.convert_to_tensor(bounding_boxes["boxes"])
    num = tf.cast(tf.convert_to_tensor(bounding_boxes["num_detections"]), "int32")
    rows = tf.range(tf.shape(boxes)[1])[None, :]
    valid = rows < num[:, None]
    result = dict(bounding_boxes)
    result["boxes"] = tf.where(valid[..., None], boxes, tf.constant(-1, boxes.dtype))
    for name in (key, "confidence"):
        if name in result:
            value = tf.convert_to_tensor(result[name])
            result[name] = tf.where(valid, value, tf.constant(-1, value.dtype))
    if output_ragged:
        for name in ("boxes", key, "confidence"):
            if name in result:
                result[name] = tf.ragged.boolean_mask(result[name], valid)
    return result


def _to_xyxy(boxes, fmt):
    boxes = tf.convert_to_tensor(boxes)
    dtype = boxes.dtype if boxes.dtype.is_floating else tf.float32
    fmt = converters.validate_format(fmt)
    if fmt.startswith("rel_"):
        return converters.convert_format(boxes, fmt, "rel_xyxy", dtype=dtype)
    return converters.convert_format(boxes, fmt, "xyxy", dtype=dtype)


@api_export("keras_cv.bounding_box.compute_iou", stability="stable", rfc=COMPAT_RFC)
def compute_iou(
    boxes1,
    boxes2,
    bounding_box_format,
    use_masking=False,
    mask_val=-1,
    images=None,
    image_shape=None,
):
    """Pairwise IoU of two box sets (the keras-cv 0.9 function).

    Our layer for this is `keras_cv.layers.IouSimilarity`; this function
    computes the same values with 0.9's arguments.

    Args:
        boxes1: `[N, 4]` or `[B, N, 4]`.
        boxes2: `[M, 4]` or `[B, M, 4]`.
        bounding_box_format: the format of both sets.
        use_masking: write `mask_val` for pairs in which either box is
            padding (all coordinates negative).
        mask_val: the value for masked pairs.
        images: unused (IoU does not depend on the image size); accepted
            for 0.9 calls.
        image_shape: unused, as `images`.

    Returns:
        `[N, M]` or `[B, N, M]` IoUs.

    Example:

    >>> keras_cv.bounding_box.compute_iou(
    ...     np.array([[0.0, 0.0, 2.0, 2.0]]), np.array([[0.0, 0.0, 2.0, 1.0]]),
    ...     "xyxy").numpy().tolist()
    [[0.5]]
    """
    from keras_cv.src.layers.iou_similarity import pairwise_iou

    boxes1 = tf.convert_to_tensor(boxes1)
    boxes2 = tf.convert_to_tensor(boxes2)
    if not boxes1.dtype.is_floating:
        boxes1 = tf.cast(boxes1, "float32")
    boxes2 = tf.cast(boxes2, boxes1.dtype)
    mask = None
    if use_masking:
        pad1 = tf.reduce_max(boxes1, axis=-1) < 0  # [..., N]
        pad2 = tf.reduce_max(boxes2, axis=-1) < 0  # [..., M]
        mask = tf.logical_or(pad1[..., :, None], pad2[..., None, :])
    return pairwise_iou(
        boxes1,
        boxes2,
        bounding_box_format,
        mask=mask,
        mask_value=float(mask_val),
    )


@api_export("keras_cv.bounding_box.compute_ciou", stability="stable", rfc=COMPAT_RFC)
def compute_ciou(boxes1, boxes2, bounding_box_format, images=None, image_shape=None):
    """Complete IoU of matching boxes: IoU minus centre-distance and aspect terms.

    `CIoU = IoU - d^2 / c^2 - alpha * v`, where `d` is the distance of the
    box centres, `c` the diagonal of the smallest box enclosing both,
    `v = 4 / pi^2 * (atan(w2 / h2) - atan(w1 / h1))^2` and
    `alpha = v / (1 - IoU + v)`. Computed element-wise (box `i` of `boxes1`
    with box `i` of `boxes2`), not pairwise.

    Reference: [Distance-IoU Loss](https://arxiv.org/abs/1911.08287).

    Args:
        boxes1: `[..., 4]`.
        boxes2: `[..., 4]`, broadcastable with `boxes1`.
        bounding_box_format: the format of both.
        images: unused; accepted for 0.9 calls.
        image_shape: unused; accepted for 0.9 calls.

    Returns:
        `[...]` CIoU values in `[-1, 1]`.

    Example:

    >>> box = np.array([[0.0, 0.0, 2.0, 2.0]])
    >>> float(keras_cv.bounding_box.compute_ciou(box, box, "xyxy")[0])
    1.0
    """
    a = _to_xyxy(boxes1, bounding_box_format)
    b = tf.cast(_to_xyxy(boxes2, bounding_box_format), a.dtype)
    eps = tf.constant(1e-9, a.dtype)
    ax1, ay1, ax2, ay2 = tf.unstack(a, 4, axis=-1)
    bx1, by1, bx2, by2 = tf.unstack(b, 4, axis=-1)
    aw, ah = tf.maximum(ax2 - ax1, 0.0), tf.maximum(ay2 - ay1, 0.0)
    bw, bh = tf.maximum(bx2 - bx1, 0.0), tf.maximum(by2 - by1, 0.0)
    inter = tf.nn.relu(tf.minimum(ax2, bx2) - tf.maximum(ax1, bx1)) * tf.nn.relu(
        tf.minimum(ay2, by2) - tf.maximum(ay1, by1)
    )
    union = aw * ah + bw * bh - inter
    iou = inter / tf.maximum(union, eps)
    enclose_w = tf.maximum(ax2, bx2) - tf.minimum(ax1, bx1)
    enclose_h = tf.maximum(ay2, by2) - tf.minimum(ay1, by1)
    diagonal = enclose_w**2 + enclose_h**2
    distance = ((ax1 + ax2) - (bx1 + bx2)) ** 2 / 4.0 + (
        (ay1 + ay2) - (by1 + by2)
    ) ** 2 / 4.0
    v = (4.0 / math.pi**2) * (
        tf.atan(bw / tf.maximum(bh, eps)) - tf.atan(aw / tf.maximum(ah, eps))
    ) ** 2
    alpha = v / tf.maximum(1.0 - iou + v, eps)
    return iou - distance / tf.maximum(diagonal, eps) - alpha * v
