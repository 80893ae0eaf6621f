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
        if isinstance(bb["boxes"], tf.RaggedTensor):
            bb = converters.to_dense(bb)
        bb["boxes"] = tf.cast(bb["boxes"], "float32")
        if "labels" not in bb:
            bb["labels"] = tf.zeros(tf.shape(bb["boxes"])[:-1], "int32")
        result["bounding_boxes"] = bb
    return result


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


def finish(xyxy, labels, was_padding, height, width, fmt):
    """Clips `xyxy` boxes to the image; empty or padding rows become -1.

    A box that left the image (no area after clipping) is dropped by turning
    its row into padding (box -1, label -1): the image no longer shows it.
    """
    h = tf.cast(height, xyxy.dtype)
    w = tf.cast(width, xyxy.dtype)
    limits = tf.stack([w, h, w, h])
    clipped = tf.clip_by_value(xyxy, 0.0, limits)
    empty = tf.logical_or(
        clipped[..., 2] - clipped[..., 0] <= 0.0,
        clipped[..., 3] - clipped[..., 1] <= 0.0,
    )
    padding = tf.logical_or(was_padding, empty)
    boxes = from_xyxy(clipped, fmt, height, width)
    boxes = tf.where(padding[..., None], tf.constant(-1.0, boxes.dtype), boxes)
    labels = tf.where(padding, tf.constant(-1, labels.dtype), labels)
    return {"boxes": boxes, "labels": labels}
