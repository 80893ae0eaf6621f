# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Turns dense region-proposal outputs into a short list of proposals."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import check_last_dim
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format
from keras_cv.src.layers.proposal_sampler import RFC
from keras_cv.src.layers.proposal_sampler import check_int


def _check_fraction(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 <= value <= 1
    ):
        raise ValueError(
            f"`{name}` must be a number in [0, 1]. Received: {name}={value!r}."
        )
    return float(value)


def _check_non_negative(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"`{name}` must be a number >= 0. Received: {name}={value!r}.")
    return float(value)


def _as_levels(rois, scores):
    """Returns matching lists of per-level `[B, N, 4]` boxes and `[B, N]` scores."""
    if isinstance(rois, dict) != isinstance(scores, dict):
        raise ValueError(
            "`rois` and `roi_scores` must both be dicts of pyramid levels or "
            f"both be tensors. Received: rois of type {type(rois).__name__}, "
            f"roi_scores of type {type(scores).__name__}."
        )
    if isinstance(rois, dict):
        if sorted(rois) != sorted(scores):
            raise ValueError(
                "`rois` and `roi_scores` must have the same levels. Received "
                f"levels {sorted(rois)} and {sorted(scores)}."
            )
        keys = sorted(rois)
        rois = [rois[k] for k in keys]
        scores = [scores[k] for k in keys]
    else:
        rois, scores = [rois], [scores]
    out_boxes, out_scores = [], []
    for b, s in zip(rois, scores):
        b = tf.convert_to_tensor(b)
        s = tf.convert_to_tensor(s)
        check_last_dim(b, "rois")
        b = tf.cast(b, "float32")
        s = tf.cast(s, "float32")
        if s.shape.rank == b.shape.rank and s.shape[-1] == 1:
            s = s[..., 0]
        if b.shape.rank == 4:  # a [B, H, W, A*4]-style map flattened by the caller
            raise ValueError(
                "`rois` must be [N, 4] or [B, N, 4] (or a dict of them). "
                f"Received shape {tuple(b.shape)}; reshape dense maps to [B, -1, 4]."
            )
        if b.shape.rank not in (2, 3) or s.shape.rank != b.shape.rank - 1:
            raise ValueError(
                "`rois` must be [N, 4] or [B, N, 4] and `roi_scores` [N] or "
                f"[B, N] (or [..., 1]). Received: rois.shape={tuple(b.shape)}, "
                f"roi_scores.shape={tuple(s.shape)}."
            )
        out_boxes.append(b)
        out_scores.append(s)
    return out_boxes, out_scores


@api_export("keras_cv.layers.ROIFilter", stability="stable", rfc=RFC)
class ROIFilter(keras.layers.Layer):
    """Selects the best region proposals from dense proposal-network outputs.

    The step between the two stages of Faster R-CNN: the region proposal
    network scores (and refines) every anchor; this layer keeps, per image,
    the `pre_nms_top_k` highest-scoring boxes (per pyramid level when the
    inputs are dicts of levels), clips them to the image, drops boxes whose
    score is below `pre_nms_score_threshold` or whose width or height is
    below `pre_nms_min_size_threshold`, applies class-agnostic non-max
    suppression with `nms_iou_threshold` over all levels together (or,
    with `nms_per_level=True`, within each level separately, so that a box
    only suppresses boxes of its own level), and returns the
    `num_proposals` best survivors of all levels. Training and inference use
    separate settings (the `test_*` arguments), picked by `training`.

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497), and
    [Feature Pyramid Networks](https://arxiv.org/abs/1612.03144) for the
    per-level selection.

    Args:
        pre_nms_top_k: boxes kept per image (and per level) before NMS.
        pre_nms_score_threshold: boxes scoring below this are dropped
            (compared with probabilities when `from_logits=True`).
        pre_nms_min_size_threshold: boxes narrower or shorter than this
            (in pixels, after clipping) are dropped.
        nms_iou_threshold: IoU in [0, 1] above which NMS drops the lower box.
        num_proposals: proposals returned per image.
        test_pre_nms_top_k: `pre_nms_top_k` at inference.
        test_pre_nms_score_threshold: `pre_nms_score_threshold` at inference.
        test_pre_nms_min_size_threshold: `pre_nms_min_size_threshold` at
            inference.
        test_nms_iou_threshold: `nms_iou_threshold` at inference.
        test_num_proposals: `num_proposals` at inference.
        from_logits: whether `roi_scores` are logits (turned into
            probabilities with a sigmoid) or already probabilities.
        bounding_box_format: the format of `rois` and of the output.
        nms_per_level: with dicts of levels, run NMS within each level
            instead of over the concatenated levels. Without levels (plain
            tensors) there is one level and both modes agree.

    Call arguments:
        rois: decoded proposal boxes `[B, N, 4]` (or `[N, 4]`), or a dict
            from level name to `[B, N_level, 4]`; or a pair
            `(rois, roi_scores)`.
        roi_scores: objectness `[B, N]` (or `[N]`, or with a trailing 1),
            or a dict with the same keys as `rois`.
        image_shape: optional `(height, width)` of the images; boxes are
            clipped to it. Needed for relative formats.
        training: picks the training or the inference settings.

    Input shape:
        `[B, N, 4]` boxes and `[B, N]` scores, or dicts of them.

    Output shape:
        `(rois, roi_scores)`: `[B, num_proposals, 4]` and
        `[B, num_proposals]` (`test_num_proposals` at inference), best
        first. Slots without a proposal hold an all-zero box and score 0;
        valid scores are probabilities when `from_logits=True`.

    Examples:

    >>> roi_filter = keras_cv.layers.ROIFilter(num_proposals=2, test_num_proposals=2, from_logits=False)
    >>> boxes = [[[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]]]
    >>> rois, scores = roi_filter(boxes, [[0.9, 0.8, 0.7]])
    >>> rois.numpy().tolist(), scores.numpy().astype(float).round(2).tolist()
    ([[[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]]], [[0.9, 0.7]])
    """

    def __init__(
        self,
        pre_nms_top_k=2000,
        pre_nms_score_threshold=0.0,
        pre_nms_min_size_threshold=0.0,
        nms_iou_threshold=0.7,
        num_proposals=1000,
        test_pre_nms_top_k=1000,
        test_pre_nms_score_threshold=0.0,
        test_pre_nms_min_size_threshold=0.0,
        test_nms_iou_threshold=0.7,
        test_num_proposals=1000,
        from_logits=True,
        bounding_box_format="xyxy",
        nms_per_level=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._allow_non_tensor_positional_args = True
        self.pre_nms_top_k = check_int(pre_nms_top_k, "pre_nms_top_k", 1)
        self.pre_nms_score_threshold = float(pre_nms_score_threshold)
        self.pre_nms_min_size_threshold = _check_non_negative(
            pre_nms_min_size_threshold, "pre_nms_min_size_threshold"
        )
        self.nms_iou_threshold = _check_fraction(nms_iou_threshold, "nms_iou_threshold")
        self.num_proposals = check_int(num_proposals, "num_proposals", 1)
        self.test_pre_nms_top_k = check_int(test_pre_nms_top_k, "test_pre_nms_top_k", 1)
        self.test_pre_nms_score_threshold = float(test_pre_nms_score_threshold)
        self.test_pre_nms_min_size_threshold = _check_non_negative(
            test_pre_nms_min_size_threshold, "test_pre_nms_min_size_threshold"
        )
        self.test_nms_iou_threshold = _check_fraction(
            test_nms_iou_threshold, "test_nms_iou_threshold"
        )
        self.test_num_proposals = check_int(test_num_proposals, "test_num_proposals", 1)
        self.from_logits = bool(from_logits)
        self.bounding_box_format = validate_format(bounding_box_format)
        if not isinstance(nms_per_level, bool):
            raise TypeError(
                "`nms_per_level` must be True or False. Received: "
                f"nms_per_level={nms_per_level!r}."
            )
        self.nms_per_level = nms_per_level

    def _settings(self, training):
        if training:
            return (
                self.pre_nms_top_k,
                self.pre_nms_score_threshold,
                self.pre_nms_min_size_threshold,
                self.nms_iou_threshold,
                self.num_proposals,
            )
        return (
            self.test_pre_nms_top_k,
            self.test_pre_nms_score_threshold,
            self.test_pre_nms_min_size_threshold,
            self.test_nms_iou_threshold,
            self.test_num_proposals,
        )

    def call(self, rois, roi_scores=None, image_shape=None, training=None):
        if roi_scores is None:
            if not isinstance(rois, (list, tuple)) or len(rois) != 2:
                raise ValueError(
                    "ROIFilter needs `rois` and `roi_scores`: call it as "
                    "`layer(rois, roi_scores)` or `layer((rois, roi_scores))`. "
                    f"Received only one input of type {type(rois).__name__}."
                )
            rois, roi_scores = rois
        top_k, score_threshold, min_size, iou_threshold, num_out = self._settings(
            training
        )
        levels, level_scores = _as_levels(rois, roi_scores)
        batched = levels[0].shape.rank == 3
        fmt = self.bounding_box_format
        if fmt.startswith("rel_") and image_shape is None:
            raise ValueError(
                f"ROIFilter needs `image_shape` for the relative format '{fmt}' "
                "(sizes are thresholded in pixels)."
            )
        height = width = None
        if image_shape is not None:
            image_shape = validation.image_shape_tensor(image_shape)
            height, width = image_shape[..., 0], image_shape[..., 1]
            if image_shape.shape.rank == 2:  # per-image shapes [B, 2]
                height, width = height[:, None], width[:, None]
        kept_boxes, kept_scores, kept_masks = [], [], []
        for boxes, scores in zip(levels, level_scores):
            if not batched:
                boxes, scores = boxes[None], scores[None]
            if fmt != "xyxy":
                boxes = convert_format(boxes, fmt, "xyxy", height=height, width=width)
            if self.from_logits:
                scores = tf.sigmoid(scores)
            k = tf.minimum(top_k, tf.shape(scores)[1])
            scores, index = tf.math.top_k(scores, k=k)
            boxes = tf.gather(boxes, index, batch_dims=1)
            if height is not None:
                x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
                boxes = tf.stack(
                    [
                        tf.clip_by_value(x1, 0.0, width),
                        tf.clip_by_value(y1, 0.0, height),
                        tf.clip_by_value(x2, 0.0, width),
                        tf.clip_by_value(y2, 0.0, height),
                    ],
                    axis=-1,
                )
            size_ok = tf.logical_and(
                boxes[..., 2] - boxes[..., 0] >= min_size,
                boxes[..., 3] - boxes[..., 1] >= min_size,
            )
            # Zero-area boxes are never proposals (they are the padding).
            size_ok = tf.logical_and(size_ok, boxes[..., 2] > boxes[..., 0])
            size_ok = tf.logical_and(size_ok, boxes[..., 3] > boxes[..., 1])
            keep = tf.logical_and(size_ok, scores >= score_threshold)
            kept_boxes.append(boxes)
            kept_scores.append(scores)
            kept_masks.append(keep)
        boxes = tf.concat(kept_boxes, axis=1)
        scores = tf.concat(kept_scores, axis=1)
        kept = tf.concat(kept_masks, axis=1)
        # Scores may be any real number when from_logits=False: shift them
        # so that every kept box is strictly positive and every dropped box
        # is below the NMS score threshold of 0.
        offset = tf.reduce_min(tf.where(kept, scores, tf.float32.max))
        offset = tf.minimum(offset, 0.0)
        shifted = tf.where(kept, scores - offset + 1.0, -1.0)[:, :, None]
        if self.nms_per_level and len(kept_boxes) > 1:
            # One NMS "class" per level: a box competes only within its own
            # level (its score is below the threshold in the other columns);
            # the best `num_out` of all levels are returned.
            level_of = tf.concat(
                [tf.fill(tf.shape(b)[1:2], i) for i, b in enumerate(kept_boxes)],
                axis=0,
            )
            own = tf.one_hot(level_of, len(kept_boxes), on_value=True, off_value=False)
            shifted = tf.where(own[None], shifted, -1.0)
        nmsed = tf.image.combined_non_max_suppression(
            boxes[:, :, None, :],
            shifted,
            max_output_size_per_class=num_out,
            max_total_size=num_out,
            iou_threshold=iou_threshold,
            score_threshold=0.0,
            pad_per_class=False,
            clip_boxes=False,
        )
        valid = tf.range(num_out)[None, :] < nmsed.valid_detections[:, None]
        out_scores = tf.where(valid, nmsed.nmsed_scores + offset - 1.0, 0.0)
        out_boxes = tf.where(valid[..., None], nmsed.nmsed_boxes, 0.0)
        if fmt != "xyxy":
            out_boxes = convert_format(
                out_boxes, "xyxy", fmt, height=height, width=width
            )
            out_boxes = tf.where(valid[..., None], out_boxes, 0.0)
        if not batched:
            out_boxes, out_scores = out_boxes[0], out_scores[0]
        return out_boxes, out_scores

    def compute_output_spec(
        self, rois, roi_scores=None, image_shape=None, training=None
    ):
        if roi_scores is None:
            rois, roi_scores = rois
        first = next(iter(rois.values())) if isinstance(rois, dict) else rois
        num = self.num_proposals if training else self.test_num_proposals
        lead = tuple(first.shape[:-2])
        return (
            keras.KerasTensor(lead + (num, 4), dtype="float32"),
            keras.KerasTensor(lead + (num,), dtype="float32"),
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "pre_nms_top_k": self.pre_nms_top_k,
                "pre_nms_score_threshold": self.pre_nms_score_threshold,
                "pre_nms_min_size_threshold": self.pre_nms_min_size_threshold,
                "nms_iou_threshold": self.nms_iou_threshold,
                "num_proposals": self.num_proposals,
                "test_pre_nms_top_k": self.test_pre_nms_top_k,
                "test_pre_nms_score_threshold": self.test_pre_nms_score_threshold,
                "test_pre_nms_min_size_threshold": self.test_pre_nms_min_size_threshold,
                "test_nms_iou_threshold": self.test_nms_iou_threshold,
                "test_num_proposals": self.test_num_proposals,
                "from_logits": self.from_logits,
                "bounding_box_format": self.bounding_box_format,
                "nms_per_level": self.nms_per_level,
            }
        )
        return config
