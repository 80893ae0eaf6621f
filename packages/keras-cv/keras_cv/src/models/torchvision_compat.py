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

from keras_cv.src.graph_functions import in_xla_context

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


# Under XLA, NMS over more than `4 * prefix` candidates runs first on the
# `prefix` best of them (see `batched_nms`).
XLA_NMS_PREFIX = 4096


def batched_nms(boxes, scores, labels, valid, iou_threshold, max_output):
    """torchvision's `batched_nms` for one image: indices by decreasing score.

    Boxes of different classes are moved apart by `label * (max + 1)` so
    that one NMS never suppresses across classes. Entries where `valid` is
    False are ignored. Returns `(indices, count)`, padded to `max_output`.

    Under XLA, whose NMS compares every pair of candidates (a `[N, N]`
    matrix: 8.1e9 entries for the 90,000 class boxes of a Faster R-CNN
    image, most of its time), a large static `N` is first reduced to its
    `XLA_NMS_PREFIX` best candidates: greedy NMS keeps or drops a box by
    the boxes scored above it only, so the prefix keeps exactly what the
    full NMS keeps from it. Its result is taken when it is the full one
    (`max_output` boxes kept, or every valid candidate in the prefix);
    otherwise the full NMS runs (`tf.cond`: one branch runs).
    """
    max_coordinate = tf.reduce_max(tf.where(valid[:, None], boxes, -np.inf))
    offsets = tf.cast(labels, "float32") * (max_coordinate + 1.0)
    shifted = boxes + offsets[:, None]
    # TF's NMS takes (y1, x1, y2, x2); IoU is the same with x and y swapped.
    masked = tf.where(valid, scores, -1.0)
    prefix = max(XLA_NMS_PREFIX, max_output)
    num = shifted.shape[0]
    if num is not None and num > 4 * prefix and in_xla_context():
        # `top_k` is stable (the lower index first on ties, as TF's NMS).
        top_scores, order = tf.math.top_k(masked, k=prefix)
        indices, count = _nms(
            tf.gather(shifted, order), top_scores, iou_threshold, max_output
        )
        complete = tf.logical_or(
            tf.equal(count, max_output),
            tf.reduce_sum(tf.cast(valid, "int32")) <= prefix,
        )
        return tf.cond(
            complete,
            lambda: (tf.gather(order, indices), count),
            lambda: _nms(shifted, masked, iou_threshold, max_output),
        )
    return _nms(shifted, masked, iou_threshold, max_output)


def _nms(boxes, scores, iou_threshold, max_output):
    """Greedy NMS of boxes with scores >= -0.5; indices padded to `max_output`."""
    # At least `max_output` candidates (the extra ones never kept): XLA's
    # NMS refuses a `max_output` above the number of boxes (small images).
    extra = tf.maximum(max_output - tf.shape(scores)[0], 0)
    boxes = tf.pad(boxes, [[0, extra], [0, 0]])
    scores = tf.pad(scores, [[0, extra]], constant_values=-1.0)
    # Greedy NMS (suppresses IoU > threshold, as torchvision's `nms`),
    # of a static size `max_output` (as `tf.cond` needs).
    indices, count = tf.raw_ops.NonMaxSuppressionV4(
        boxes=boxes,
        scores=scores,
        max_output_size=max_output,
        iou_threshold=iou_threshold,
        score_threshold=-0.5,
        pad_to_max_output_size=True,
    )
    # Padded with index 0 (XLA's padding holds other indices).
    return tf.where(tf.range(max_output) < count, indices, 0), count


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


# ------------------------------------------------------------- Faster R-CNN


def remove_small(boxes, min_size):
    """torchvision's `remove_small_boxes` as a mask (width and height >= min)."""
    return tf.logical_and(
        boxes[..., 2] - boxes[..., 0] >= min_size,
        boxes[..., 3] - boxes[..., 1] >= min_size,
    )


def rpn_proposals(
    deltas,
    objectness,
    anchors_per_level,
    image_height,
    image_width,
    pre_nms_top_k,
    nms_iou_threshold,
    num_proposals,
    min_size=1e-3,
    score_threshold=0.0,
):
    """torchvision's `RegionProposalNetwork.filter_proposals` for a batch.

    The `pre_nms_top_k` best anchors of each level by objectness, decoded
    with unit weights, clipped, small boxes and those of objectness
    probability below `score_threshold` removed, NMS per level, the
    `num_proposals` best kept. Returns `(rois [B, num_proposals, 4],
    count [B])`, zero boxes past `count`.
    """
    counts = [tf.shape(a)[0] for a in anchors_per_level]
    batch = tf.shape(objectness)[0]
    boxes, scores, levels = [], [], []
    for index, (d, o, anchors) in enumerate(
        zip(
            tf.split(deltas, counts, axis=1),
            tf.split(objectness, counts, axis=1),
            anchors_per_level,
        )
    ):
        k = tf.minimum(pre_nms_top_k, tf.shape(o)[1])
        top, top_index = tf.math.top_k(o, k=k)
        chosen = tf.gather(d, top_index, batch_dims=1)
        decoded = decode_boxes(
            chosen, tf.gather(anchors, top_index), (1.0, 1.0, 1.0, 1.0)
        )
        boxes.append(clip_boxes(decoded, image_height, image_width))
        scores.append(tf.sigmoid(top))
        levels.append(tf.fill([batch, k], index))
    boxes = tf.concat(boxes, 1)
    scores = tf.concat(scores, 1)
    levels = tf.concat(levels, 1)
    valid = tf.logical_and(remove_small(boxes, min_size), scores >= score_threshold)

    def one_image(args):
        b, s, lv, v = args
        indices, count = batched_nms(b, s, lv, v, nms_iou_threshold, num_proposals)
        rois = tf.gather(b, indices)
        keep = tf.range(num_proposals) < count
        return tf.where(keep[:, None], rois, 0.0), count

    return tf.map_fn(
        one_image,
        (boxes, scores, levels, valid),
        fn_output_signature=(
            tf.TensorSpec([num_proposals, 4], "float32"),
            tf.TensorSpec([], "int32"),
        ),
    )


def roi_levels(rois, min_level, max_level, canonical_scale=224.0, canonical_level=4):
    """torchvision's `LevelMapper`: the pyramid level of each box."""
    area = (rois[..., 2] - rois[..., 0]) * (rois[..., 3] - rois[..., 1])
    level = tf.floor(
        canonical_level
        + tf.math.log(tf.sqrt(area) / canonical_scale) / math.log(2.0)
        + 1e-6
    )
    return tf.cast(tf.clip_by_value(level, min_level, max_level), "int32")


def _bilinear_axis(start, bin_size, size, output_size, sampling_ratio):
    """torchvision's bilinear sample positions along one axis of a map.

    Each of the `R` boxes starts at `start [R]` with bins of `bin_size
    [R]`; bin `p`, sample `i` lies at `p + (i + 0.5) / sampling_ratio`
    bins. Returns `(low, high, frac, outside)`, each `[R, output_size *
    sampling_ratio]`: the two neighbouring rows (or columns) of the `size`
    of the map, the weight of `high`, and whether the sample lies outside
    the map (its value is then zero).
    """
    grid = output_size * sampling_ratio
    steps = (
        tf.cast(tf.range(grid) // sampling_ratio, "float32")
        + (tf.cast(tf.range(grid) % sampling_ratio, "float32") + 0.5) / sampling_ratio
    )
    coords = start[:, None] + steps[None, :] * bin_size[:, None]
    outside = tf.logical_or(coords < -1.0, coords > tf.cast(size, "float32"))
    c = tf.maximum(coords, 0.0)
    low = tf.cast(tf.floor(c), "int32")
    at_end = low >= size - 1
    low = tf.where(at_end, size - 1, low)
    high = tf.where(at_end, size - 1, low + 1)
    c = tf.where(at_end, tf.cast(low, "float32"), c)
    frac = c - tf.cast(low, "float32")
    return low, high, frac, outside


def _roi_align_level(features, batch_index, rois, scale, output_size, sampling_ratio):
    """torchvision's `roi_align` (aligned=False) of `rois` on one level.

    Args:
        features: `[B, H, W, C]`.
        batch_index: `[R]` int32, the image of each box.
        rois: `[R, 4]` xyxy in image pixels.
        scale: the level's spatial scale (1 / stride).
    """
    height = tf.shape(features)[1]
    width = tf.shape(features)[2]
    start_x = rois[:, 0] * scale
    start_y = rois[:, 1] * scale
    roi_w = tf.maximum(rois[:, 2] * scale - start_x, 1.0)
    roi_h = tf.maximum(rois[:, 3] * scale - start_y, 1.0)
    grid = output_size * sampling_ratio
    y_low, y_high, ly, y_out = _bilinear_axis(
        start_y, roi_h / output_size, height, output_size, sampling_ratio
    )
    x_low, x_high, lx, x_out = _bilinear_axis(
        start_x, roi_w / output_size, width, output_size, sampling_ratio
    )
    hy, hx = 1.0 - ly, 1.0 - lx
    r = tf.shape(y_low)[0]
    shape = [r, grid, grid]
    b = tf.broadcast_to(batch_index[:, None, None], shape)

    def gather(yi, xi):  # [R, grid, grid, C]
        index = tf.stack(
            [
                b,
                tf.broadcast_to(yi[:, :, None], shape),
                tf.broadcast_to(xi[:, None, :], shape),
            ],
            axis=-1,
        )
        return tf.gather_nd(features, index)

    value = (
        (hy[:, :, None] * hx[:, None, :])[..., None] * gather(y_low, x_low)
        + (hy[:, :, None] * lx[:, None, :])[..., None] * gather(y_low, x_high)
        + (ly[:, :, None] * hx[:, None, :])[..., None] * gather(y_high, x_low)
        + (ly[:, :, None] * lx[:, None, :])[..., None] * gather(y_high, x_high)
    )
    outside = tf.logical_or(y_out[:, :, None], x_out[:, None, :])
    value = tf.where(outside[..., None], 0.0, value)
    channels = tf.shape(value)[-1]
    value = tf.reshape(
        value, [r, output_size, sampling_ratio, output_size, sampling_ratio, channels]
    )
    return tf.reduce_mean(value, axis=[2, 4])


def _separable_roi_align(features, rois, scale, output_size, sampling_ratio):
    """`_roi_align_level` of `rois [B, N, 4]` on `features [B, H, W, C]`
    as two matrix products.

    Bilinear sampling and the mean over each bin's samples are separable:
    bin `(i, j)` of a box is `sum_y sum_x Ay[i, y] Ax[j, x] F[y, x]`,
    where `Ay [output_size, H]` (`Ax`, along the width) holds each row's
    interpolation weight averaged over the bin's samples, zero for
    samples outside the map. Two matrix products replace the four
    `[R, grid, grid, C]` gathers: about ten times less CPU time on the
    25 x 25 stride-32 map of MobileNetV3 (1000 boxes), the same values up
    to float rounding (the sums are taken in another order). Cost grows
    with `H * W` per box, so the multi-level path keeps the gathers.

    Returns:
        `[B, N, output_size, output_size, C]`.
    """
    batch = tf.shape(features)[0]
    height = tf.shape(features)[1]
    width = tf.shape(features)[2]
    channels = tf.shape(features)[3]
    num = tf.shape(rois)[1]
    flat = tf.reshape(rois, [-1, 4])
    start_x = flat[:, 0] * scale
    start_y = flat[:, 1] * scale
    roi_w = tf.maximum(flat[:, 2] * scale - start_x, 1.0)
    roi_h = tf.maximum(flat[:, 3] * scale - start_y, 1.0)

    def weights(start, bin_size, size):  # [R, output_size, size]
        low, high, frac, outside = _bilinear_axis(
            start, bin_size, size, output_size, sampling_ratio
        )
        w = (
            tf.one_hot(low, size) * (1.0 - frac)[..., None]
            + tf.one_hot(high, size) * frac[..., None]
        )
        w = tf.where(outside[..., None], 0.0, w)
        w = tf.reshape(w, [-1, output_size, sampling_ratio, size])
        return tf.reduce_sum(w, axis=2) / sampling_ratio

    ay = tf.cast(weights(start_y, roi_h / output_size, height), features.dtype)
    ax = tf.cast(weights(start_x, roi_w / output_size, width), features.dtype)
    # Rows first, per image: [B, N * output_size, H] x [B, H, W * C].
    rows = tf.matmul(
        tf.reshape(ay, [batch, num * output_size, height]),
        tf.reshape(features, [batch, height, width * channels]),
    )
    rows = tf.reshape(rows, [-1, output_size, width, channels])
    # Then columns, per box and output row: [R, 1, out, W] x [R, out, W, C].
    out = tf.matmul(ax[:, None], rows)
    return tf.reshape(out, [batch, num, output_size, output_size, channels])


def multi_scale_roi_align(
    features, rois, levels, output_size=7, sampling_ratio=2, canonical_scale=224.0
):
    """torchvision's `MultiScaleRoIAlign` for a batch of proposals.

    Args:
        features: list of `[B, H, W, C]` maps of `levels` (strides 2^level).
        rois: `[B, N, 4]` xyxy.

    Returns:
        `[B, N, output_size, output_size, C]`.
    """
    if len(levels) == 1:  # one map (MobileNetV3): no assignment to levels
        return _separable_roi_align(
            features[0], rois, 1.0 / 2 ** levels[0], output_size, sampling_ratio
        )
    batch = tf.shape(rois)[0]
    num = tf.shape(rois)[1]
    flat = tf.reshape(rois, [-1, 4])
    batch_index = tf.repeat(tf.range(batch), num)
    assigned = roi_levels(flat, levels[0], levels[-1], canonical_scale) - levels[0]
    parts = tf.dynamic_partition(tf.range(tf.shape(flat)[0]), assigned, len(levels))
    pooled = []
    for level, fmap, part in zip(levels, features, parts):
        pooled.append(
            _roi_align_level(
                fmap,
                tf.gather(batch_index, part),
                tf.gather(flat, part),
                1.0 / 2**level,
                output_size,
                sampling_ratio,
            )
        )
    out = tf.dynamic_stitch(parts, pooled)
    channels = tf.shape(out)[-1]
    return tf.reshape(out, [batch, num, output_size, output_size, channels])


def postprocess_faster_rcnn(
    rois,
    num_rois,
    logits,
    deltas,
    image_height,
    image_width,
    box_coder_weights,
    score_threshold,
    nms_iou_threshold,
    max_detections,
    min_size=1e-2,
):
    """torchvision's `RoIHeads.postprocess_detections` for a batch.

    Args:
        rois: `[B, N, 4]` proposals, `num_rois [B]` of them real.
        logits: `[B, N, K + 1]` (0 is background).
        deltas: `[B, N, K, 4]` for the K object classes.

    Returns:
        `boxes, scores, labels` (0-based object classes), `num_detections`.
    """
    num_classes = tf.shape(deltas)[2]
    boxes = decode_boxes(deltas, rois[:, :, None, :], box_coder_weights)
    boxes = clip_boxes(boxes, image_height, image_width)
    scores = tf.nn.softmax(logits, axis=-1)[..., 1:]
    real = tf.range(tf.shape(rois)[1])[None, :] < num_rois[:, None]
    valid = tf.logical_and(scores > score_threshold, remove_small(boxes, min_size))
    valid = tf.logical_and(valid, real[:, :, None])
    batch = tf.shape(rois)[0]
    boxes = tf.reshape(boxes, [batch, -1, 4])
    scores = tf.reshape(scores, [batch, -1])
    valid = tf.reshape(valid, [batch, -1])
    labels = tf.tile(tf.range(num_classes), [tf.shape(rois)[1]])
    labels = tf.broadcast_to(labels[None], tf.shape(scores))

    def one_image(args):
        b, s, lab, v = args
        indices, count = batched_nms(b, s, lab, v, nms_iou_threshold, max_detections)
        return (
            tf.gather(b, indices),
            tf.gather(s, indices),
            tf.gather(lab, indices),
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


# --------------------------------------------------------------- Mask R-CNN


def _resize_taps(start, size, length, grid):
    """Bilinear taps of torchvision's mask resize along one image axis.

    Image pixel `i` of a box starting at integer `start`, whose mask of
    `grid` cells is resized to `size` pixels (`F.interpolate`, bilinear,
    `align_corners=False`), reads cell `src = max((i - start + 0.5) *
    grid / size - 0.5, 0)`. Returns `(low, high, weight_high, inside)`,
    each `[N, length]`; `inside` marks the pixels the pasted box covers
    (`start <= i < start + size`).
    """
    index = tf.range(length)[None, :]
    scale = tf.cast(grid, "float32") / tf.cast(size, "float32")  # [N]
    offset = tf.cast(index - start[:, None], "float32")
    src = tf.maximum(scale[:, None] * (offset + 0.5) - 0.5, 0.0)
    low = tf.cast(tf.floor(src), "int32")
    low = tf.minimum(low, grid - 1)
    high = tf.where(low < grid - 1, low + 1, low)
    weight_high = src - tf.cast(low, "float32")
    inside = tf.logical_and(index >= start[:, None], index < (start + size)[:, None])
    return low, high, weight_high, inside


def paste_masks(masks, boxes, height, width, padding=1):
    """torchvision's `paste_masks_in_image` for a batch of detections.

    Each `M x M` mask gets `padding` zero cells on every side; its box is
    scaled about its centre by `(M + 2 * padding) / M` and truncated to
    integers (towards zero, as `.to(torch.int64)`); the padded mask is
    resized bilinearly (`align_corners=False`, no antialiasing) to the
    box's `x2 - x1 + 1` by `y2 - y1 + 1` pixels and written into a zero
    image at the box's corner, cut to the image.

    Args:
        masks: `[B, K, M, M]` probabilities in box coordinates.
        boxes: `[B, K, 4]` xyxy boxes in the pixels of the output image.
        height, width: the output image size (int32 scalars).

    Returns:
        float32 `[B, K, height, width]`.
    """
    masks = tf.cast(masks, "float32")
    shape = tf.shape(masks)
    batch, k = shape[0], shape[1]
    size = masks.shape[-1]
    grid = size + 2 * padding
    flat = tf.reshape(masks, [-1, size, size])
    flat = tf.pad(flat, [[0, 0], [padding, padding], [padding, padding]])
    x1, y1, x2, y2 = tf.unstack(tf.reshape(tf.cast(boxes, "float32"), [-1, 4]), axis=1)
    scale = float(grid) / size
    w_half = (x2 - x1) * 0.5 * scale
    h_half = (y2 - y1) * 0.5 * scale
    x_c = (x2 + x1) * 0.5
    y_c = (y2 + y1) * 0.5
    bx1 = tf.cast(x_c - w_half, "int32")  # truncation towards zero
    bx2 = tf.cast(x_c + w_half, "int32")
    by1 = tf.cast(y_c - h_half, "int32")
    by2 = tf.cast(y_c + h_half, "int32")
    box_w = tf.maximum(bx2 - bx1 + 1, 1)
    box_h = tf.maximum(by2 - by1 + 1, 1)
    x_low, x_high, x_weight, x_inside = _resize_taps(bx1, box_w, width, grid)
    y_low, y_high, y_weight, y_inside = _resize_taps(by1, box_h, height, grid)
    # Columns first, then rows: h0 * (w0 * v00 + w1 * v01) + h1 * (...).
    x_weight = x_weight[:, None, :]
    columns = (1.0 - x_weight) * tf.gather(flat, x_low, axis=2, batch_dims=1)
    columns += x_weight * tf.gather(flat, x_high, axis=2, batch_dims=1)
    y_weight = y_weight[:, :, None]
    pasted = (1.0 - y_weight) * tf.gather(columns, y_low, axis=1, batch_dims=1)
    pasted += y_weight * tf.gather(columns, y_high, axis=1, batch_dims=1)
    inside = tf.logical_and(y_inside[:, :, None], x_inside[:, None, :])
    pasted = tf.where(inside, pasted, 0.0)
    return tf.reshape(pasted, [batch, k, height, width])
