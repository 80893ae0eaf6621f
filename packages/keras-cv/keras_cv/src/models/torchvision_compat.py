# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The input transform, anchors and post-processing of torchvision detectors.

Private helpers behind the detection models' options that reproduce
torchvision's COCO detectors exactly (`image_resize`, `normalization`,
`anchor_layout="torchvision"`, `post_processing="torchvision"`):

- `resized_size` / `ResizeImages`: torchvision's `GeneralizedRCNNTransform`
  resize (shorter side to `min_size` unless the longer side would pass
  `max_size`; the output size is computed in float64 as PyTorch does,
  bilinear with half-pixel centres and no antialiasing).
- `NORMALIZATIONS`: pixel scalings applied inside the model.
- `torchvision_anchors`: anchors with torchvision's layout (aspect ratio =
  height / width, ratios varying slowest, base anchors rounded, corners at
  `i * stride` with `stride = padded_size // level_size`).
- `decode_boxes`: torchvision's `BoxCoder.decode_single` (weights and the
  `log(1000 / 16)` clamp of width/height deltas).
- `postprocess_retinanet`: score threshold, top-k per level, clipping,
  per-class NMS (torchvision's coordinate-offset trick) and the detection
  limit.
"""

import math

import keras
import numpy as np
import tensorflow as tf

# The ImageNet statistics torchvision normalises with (pixels in [0, 1]).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
NORMALIZATIONS = ("symmetric", "imagenet")
ANCHOR_LAYOUTS = ("keras_cv", "torchvision")
POST_PROCESSINGS = ("keras_cv", "torchvision")
BBOX_XFORM_CLIP = math.log(1000.0 / 16)


def normalize(images, normalization):
    """Float pixels in [0, 255] to the backbone's input scale."""
    x = keras.ops.cast(images, "float32")
    if normalization == "imagenet":
        x = x / 255.0
        return (x - tf.constant(IMAGENET_MEAN)) / tf.constant(IMAGENET_STD)
    return x / 127.5 - 1.0


def check_image_resize(image_resize, model_name):
    if image_resize is None:
        return None
    if (
        not isinstance(image_resize, (list, tuple))
        or len(image_resize) != 2
        or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in image_resize
        )
        or image_resize[0] > image_resize[1]
    ):
        raise ValueError(
            f"`image_resize` of {model_name} must be None or `(min_size, "
            "max_size)`, two positive ints with min_size <= max_size, e.g. "
            f"(800, 1333) as torchvision. Received: image_resize={image_resize!r}."
        )
    return (int(image_resize[0]), int(image_resize[1]))


def check_choice(value, choices, argument, model_name):
    if value not in choices:
        raise ValueError(
            f"`{argument}` of {model_name} must be one of {choices}. "
            f"Received: {argument}={value!r}."
        )
    return value


def resized_size(height, width, image_resize):
    """`(new_height, new_width)` int32 tensors, computed as torchvision does.

    The scale `min(min_size / shorter, max_size / longer)` and the products
    `floor(side * scale)` are float64, as in PyTorch's `interpolate` with
    `recompute_scale_factor=True`.
    """
    min_size, max_size = image_resize
    h = tf.cast(height, "float64")
    w = tf.cast(width, "float64")
    scale = tf.minimum(
        tf.constant(float(min_size), "float64") / tf.minimum(h, w),
        tf.constant(float(max_size), "float64") / tf.maximum(h, w),
    )
    new_h = tf.cast(tf.floor(h * scale), "int32")
    new_w = tf.cast(tf.floor(w * scale), "int32")
    return new_h, new_w


class ResizeImages(keras.layers.Layer):
    """Resizes a batch as torchvision's detection transform (see module)."""

    def __init__(self, image_resize, **kwargs):
        super().__init__(**kwargs)
        self.image_resize = tuple(image_resize)

    def call(self, images):
        shape = tf.shape(images)
        new_h, new_w = resized_size(shape[1], shape[2], self.image_resize)
        return tf.image.resize(
            images, tf.stack([new_h, new_w]), method="bilinear", antialias=False
        )

    def compute_output_shape(self, shape):
        return (shape[0], None, None, shape[3])

    def get_config(self):
        return {**super().get_config(), "image_resize": list(self.image_resize)}


def level_sizes(padded_height, padded_width, levels):
    """`[(h, w)]` of each level for a padded input (a multiple of 32).

    Levels 3-5 divide the padded size exactly; each further level is a
    stride-2 convolution with one pixel of padding: `ceil(previous / 2)`.
    """
    sizes = []
    h, w = padded_height, padded_width
    for level in levels:
        if level <= 5:
            sizes.append((h // (2**level), w // (2**level)))
        else:
            ph, pw = sizes[-1]
            sizes.append(((ph + 1) // 2, (pw + 1) // 2))
    return sizes


def base_anchors(sizes, aspect_ratios):
    """torchvision's cell anchors of one level, `[len(ratios) * len(sizes), 4]`."""
    scales = np.asarray(sizes, np.float32)
    ratios = np.asarray(aspect_ratios, np.float32)
    h_ratios = np.sqrt(ratios)
    w_ratios = np.float32(1) / h_ratios
    ws = (w_ratios[:, None] * scales[None, :]).reshape(-1)
    hs = (h_ratios[:, None] * scales[None, :]).reshape(-1)
    anchors = np.stack([-ws, -hs, ws, hs], axis=1) / np.float32(2)
    return np.round(anchors).astype(np.float32)  # half to even, as torch


def torchvision_anchors(padded_height, padded_width, levels, sizes, aspect_ratios):
    """All anchors `[num_anchors, 4]` (xyxy) of a padded input, level by level.

    Args:
        padded_height, padded_width: int32 scalars (the padded input size).
        levels: the pyramid levels, e.g. `[3, 4, 5, 6, 7]`.
        sizes: per level, the anchor sizes in pixels.
        aspect_ratios: per level, the height / width ratios.
    """
    out = []
    for (h, w), level_sizes_, ratios in zip(
        level_sizes(padded_height, padded_width, levels), sizes, aspect_ratios
    ):
        stride_h = padded_height // h
        stride_w = padded_width // w
        shift_x = tf.cast(tf.range(w) * stride_w, "float32")
        shift_y = tf.cast(tf.range(h) * stride_h, "float32")
        sy, sx = tf.meshgrid(shift_y, shift_x, indexing="ij")
        sx = tf.reshape(sx, [-1])
        sy = tf.reshape(sy, [-1])
        shifts = tf.stack([sx, sy, sx, sy], axis=1)
        cell = tf.constant(base_anchors(level_sizes_, ratios))
        out.append(tf.reshape(shifts[:, None, :] + cell[None, :, :], [-1, 4]))
    return out


def decode_boxes(deltas, anchors, weights):
    """torchvision's `BoxCoder.decode_single` on `[..., 4]` deltas and anchors."""
    wx, wy, ww, wh = weights
    widths = anchors[..., 2] - anchors[..., 0]
    heights = anchors[..., 3] - anchors[..., 1]
    ctr_x = anchors[..., 0] + 0.5 * widths
    ctr_y = anchors[..., 1] + 0.5 * heights
    dx = deltas[..., 0] / wx
    dy = deltas[..., 1] / wy
    dw = tf.minimum(deltas[..., 2] / ww, BBOX_XFORM_CLIP)
    dh = tf.minimum(deltas[..., 3] / wh, BBOX_XFORM_CLIP)
    pred_ctr_x = dx * widths + ctr_x
    pred_ctr_y = dy * heights + ctr_y
    half_w = 0.5 * (tf.exp(dw) * widths)
    half_h = 0.5 * (tf.exp(dh) * heights)
    return tf.stack(
        [
            pred_ctr_x - half_w,
            pred_ctr_y - half_h,
            pred_ctr_x + half_w,
            pred_ctr_y + half_h,
        ],
        axis=-1,
    )


def clip_boxes(boxes, height, width):
    """Clips xyxy boxes to `[0, width] x [0, height]` (float32 scalars)."""
    x = tf.clip_by_value(boxes[..., 0::2], 0.0, width)
    y = tf.clip_by_value(boxes[..., 1::2], 0.0, height)
    return tf.stack([x[..., 0], y[..., 0], x[..., 1], y[..., 1]], axis=-1)


def batched_nms(boxes, scores, labels, valid, iou_threshold, max_output):
    """torchvision's `batched_nms` for one image: indices by decreasing score.

    Boxes of different classes are moved apart by `label * (max + 1)` so
    that one NMS never suppresses across classes. Entries where `valid` is
    False are ignored. Returns `(indices, count)`, padded to `max_output`.
    """
    max_coordinate = tf.reduce_max(tf.where(valid[:, None], boxes, -np.inf))
    offsets = tf.cast(labels, "float32") * (max_coordinate + 1.0)
    shifted = boxes + offsets[:, None]
    # TF's NMS takes (y1, x1, y2, x2); IoU is the same with x and y swapped.
    masked = tf.where(valid, scores, -1.0)
    # Greedy NMS (suppresses IoU > threshold, as torchvision's `nms`).
    indices = tf.image.non_max_suppression(
        shifted,
        masked,
        max_output_size=max_output,
        iou_threshold=iou_threshold,
        score_threshold=-0.5,
    )
    count = tf.shape(indices)[0]
    indices = tf.pad(indices, [[0, max_output - count]])
    return indices, count


def postprocess_retinanet(
    box_deltas,
    logits,
    anchors_per_level,
    image_height,
    image_width,
    box_coder_weights,
    score_threshold,
    top_k,
    nms_iou_threshold,
    max_detections,
):
    """torchvision's `RetinaNet.postprocess_detections` for a batch.

    Args:
        box_deltas: `[batch, num_anchors, 4]`.
        logits: `[batch, num_anchors, num_classes]`.
        anchors_per_level: list of `[anchors_of_level, 4]`.
        image_height, image_width: float32 scalars, the size boxes are
            clipped to (the resized image, without padding).

    Returns:
        `boxes [batch, max_detections, 4]`, `scores`, `labels` (int32) and
        `num_detections [batch]`, padded past `num_detections`.
    """
    num_classes = tf.shape(logits)[-1]
    counts = [tf.shape(a)[0] for a in anchors_per_level]
    deltas_levels = tf.split(box_deltas, counts, axis=1)
    logits_levels = tf.split(logits, counts, axis=1)
    batch = tf.shape(logits)[0]
    all_boxes, all_scores, all_labels, all_valid = [], [], [], []
    for deltas, level_logits, anchors in zip(
        deltas_levels, logits_levels, anchors_per_level
    ):
        scores = tf.reshape(tf.sigmoid(level_logits), [batch, -1])
        keep = scores > score_threshold
        masked = tf.where(keep, scores, -1.0)
        k = tf.minimum(top_k, tf.shape(scores)[1])
        top_scores, top_index = tf.math.top_k(masked, k=k)
        valid = top_scores > score_threshold
        anchor_index = top_index // num_classes
        labels = top_index % num_classes
        chosen = tf.gather(deltas, anchor_index, batch_dims=1)
        boxes = decode_boxes(
            chosen, tf.gather(anchors, anchor_index), box_coder_weights
        )
        boxes = clip_boxes(boxes, image_height, image_width)
        all_boxes.append(boxes)
        all_scores.append(top_scores)
        all_labels.append(labels)
        all_valid.append(valid)
    boxes = tf.concat(all_boxes, 1)
    scores = tf.concat(all_scores, 1)
    labels = tf.concat(all_labels, 1)
    valid = tf.concat(all_valid, 1)

    def one_image(args):
        image_boxes, image_scores, image_labels, image_valid = args
        indices, count = batched_nms(
            image_boxes,
            image_scores,
            image_labels,
            image_valid,
            nms_iou_threshold,
            max_detections,
        )
        return (
            tf.gather(image_boxes, indices),
            tf.gather(image_scores, indices),
            tf.gather(image_labels, indices),
            count,
        )

    return tf.map_fn(
        one_image,
        (boxes, scores, labels, valid),
        fn_output_signature=(
            tf.TensorSpec([max_detections, 4], "float32"),
            tf.TensorSpec([max_detections], "float32"),
            tf.TensorSpec([max_detections], "int32"),
            tf.TensorSpec([], "int32"),
        ),
    )


def scale_boxes_back(boxes, original_hw, resized_hw):
    """Boxes of the resized image in original-image pixels (float32 ratios)."""
    ratio_h = tf.cast(original_hw[0], "float32") / tf.cast(resized_hw[0], "float32")
    ratio_w = tf.cast(original_hw[1], "float32") / tf.cast(resized_hw[1], "float32")
    return boxes * tf.stack([ratio_w, ratio_h, ratio_w, ratio_h])
