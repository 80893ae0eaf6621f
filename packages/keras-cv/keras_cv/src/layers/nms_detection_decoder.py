# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Turns raw single-stage detector outputs into final detections."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import convert_format
from keras_cv.src.bounding_box.converters import validate_format
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_coder import check_same_count


def _flatten_levels(value, keys, width, name):
    """[B, H, W, K * width] per level (or [B, A, width]) -> [B, A_total, width]."""
    if isinstance(value, dict):
        missing = [k for k in keys if k not in value]
        if missing:
            raise ValueError(
                f"`{name}` has no entry for the levels {missing}. Received keys: {sorted(value)}."
            )
        parts = []
        for k in keys:
            v = tf.convert_to_tensor(value[k])
            parts.append(tf.reshape(v, [tf.shape(v)[0], -1, width]))
        return tf.concat(parts, axis=1)
    value = tf.convert_to_tensor(value)
    if value.shape.rank != 3:
        raise ValueError(
            f"`{name}` must be [batch, num_anchors, {'4' if width == 4 else 'num_classes'}] "
            f"or a dict of per-level [batch, height, width, channels] maps. "
            f"Received shape {tuple(value.shape)}."
        )
    return value


@api_export("keras_cv.layers.NMSDetectionDecoder", stability="stable", rfc=RFC)
class NMSDetectionDecoder(keras.layers.Layer):
    """Decodes box offsets and class scores into final detections with NMS.

    The serving end of a single-stage detector: box offsets are decoded
    against the anchors (`BoxCoder`), optionally clipped to the image,
    scores go through a sigmoid when `from_logits=True`, the `pre_nms_top_k`
    anchors of highest class score are kept, and non-maximum suppression
    runs for the whole batch at once, per class
    (`tf.image.combined_non_max_suppression`) or across classes
    (`class_agnostic=True`, `tf.image.non_max_suppression_padded`).

    Args:
        bounding_box_format: the format of anchors and returned boxes.
        from_logits: whether `raw_scores` are logits.
        class_agnostic: suppress overlapping boxes whatever their class
            (each anchor then votes for its best class only).
        pre_nms_top_k: the number of anchors (by best class score) kept
            before NMS.
        pre_nms_score_threshold: scores at or below it are dropped.
        nms_iou_threshold: boxes overlapping a better one by more than this
            IoU are suppressed.
        max_num_detections: the number of detections returned per image.
        box_scale_factors: the `scale_factors` of the `BoxCoder` used to
            decode, e.g. `[10.0, 10.0, 5.0, 5.0]`.

    Call arguments:
        raw_boxes: box offsets `[B, A, 4]`, or a dict of per-level maps
            `[B, H, W, K * 4]`. When `anchor_boxes` is None they are taken
            as already decoded boxes.
        raw_scores: class scores `[B, A, C]`, or a dict of per-level maps
            `[B, H, W, K * C]`.
        anchor_boxes: anchors `[A, 4]` or `[B, A, 4]`, or a dict of levels
            (as returned by `AnchorGenerator`).
        image_shape: optional `(height, width)` or `[B, 2]` to clip boxes to.

    Returns:
        A dict: `"boxes"` `[B, max_num_detections, 4]`, `"scores"` and
        `"labels"` `[B, max_num_detections]` sorted by decreasing score, and
        `"num_detections"` `[B]`. Rows past `num_detections` are padding:
        boxes and labels -1, scores 0.

    Examples:

    >>> decoder = keras_cv.layers.NMSDetectionDecoder(from_logits=False, max_num_detections=2)
    >>> anchors = [[0.0, 0.0, 10.0, 10.0], [1.0, 0.0, 11.0, 10.0]]
    >>> out = decoder([[[0.0] * 4, [0.0] * 4]], [[[0.9, 0.1], [0.8, 0.7]]],
    ...               anchors)
    >>> out["labels"].numpy().tolist(), int(out["num_detections"][0])
    ([[0, 1]], 2)
    """

    def __init__(
        self,
        bounding_box_format="xyxy",
        from_logits=True,
        class_agnostic=False,
        pre_nms_top_k=5000,
        pre_nms_score_threshold=0.05,
        nms_iou_threshold=0.5,
        max_num_detections=100,
        box_scale_factors=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._allow_non_tensor_positional_args = True
        self.bounding_box_format = validate_format(bounding_box_format)
        for name, value in (
            ("pre_nms_top_k", pre_nms_top_k),
            ("max_num_detections", max_num_detections),
        ):
            if not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"`{name}` must be a positive integer. Received: {name}={value!r}."
                )
        if not 0.0 <= float(nms_iou_threshold) <= 1.0:
            raise ValueError(
                f"`nms_iou_threshold` must be in [0, 1]. Received: {nms_iou_threshold!r}."
            )
        self.from_logits = bool(from_logits)
        self.class_agnostic = bool(class_agnostic)
        self.pre_nms_top_k = pre_nms_top_k
        self.pre_nms_score_threshold = float(pre_nms_score_threshold)
        self.nms_iou_threshold = float(nms_iou_threshold)
        self.max_num_detections = max_num_detections
        self.box_coder = BoxCoder(
            box_scale_factors, bounding_box_format=self.bounding_box_format
        )
        self.box_scale_factors = self.box_coder.scale_factors

    def build(self, *args, **kwargs):
        self.box_coder.build(None)
        self.built = True

    def call(self, raw_boxes, raw_scores, anchor_boxes=None, image_shape=None):
        keys = None
        for v in (anchor_boxes, raw_boxes, raw_scores):
            if isinstance(v, dict):
                keys = list(v)
                break
        boxes = _flatten_levels(raw_boxes, keys, 4, "raw_boxes")
        if isinstance(raw_scores, dict):
            if not isinstance(raw_boxes, dict):
                raise ValueError(
                    "Per-level `raw_scores` (a dict) need per-level `raw_boxes` too, "
                    "to know the number of anchors per location. Received "
                    f"raw_boxes of type {type(raw_boxes).__name__}."
                )
            per_location = raw_boxes[keys[0]].shape[-1] // 4
            num_classes = raw_scores[keys[0]].shape[-1] // per_location
            scores = _flatten_levels(raw_scores, keys, num_classes, "raw_scores")
        else:
            scores = _flatten_levels(raw_scores, keys, None, "raw_scores")
        if (
            boxes.shape[0] is not None
            and scores.shape[0] is not None
            and boxes.shape[0] != scores.shape[0]
        ):
            raise ValueError(
                "`raw_boxes` and `raw_scores` must have the same batch size. Received: "
                f"raw_boxes.shape={tuple(boxes.shape)}, raw_scores.shape={tuple(scores.shape)}."
            )
        if (
            boxes.shape[1] is not None
            and scores.shape[1] is not None
            and boxes.shape[1] != scores.shape[1]
        ):
            raise ValueError(
                "`raw_boxes` and `raw_scores` must have one row per anchor. Received: "
                f"raw_boxes.shape={tuple(boxes.shape)}, raw_scores.shape={tuple(scores.shape)}."
            )
        if None in (boxes.shape[0], scores.shape[0], boxes.shape[1], scores.shape[1]):
            boxes = validation.guard(
                boxes,
                tf.reduce_all(tf.equal(tf.shape(boxes)[:2], tf.shape(scores)[:2])),
                "`raw_boxes` and `raw_scores` must have the same batch size and "
                "one row per anchor. Pass both outputs of the same model call.",
                {
                    "raw_boxes shape": tf.shape(boxes),
                    "raw_scores shape": tf.shape(scores),
                },
            )
        boxes = tf.cast(boxes, "float32")
        scores = tf.cast(scores, "float32")
        if anchor_boxes is not None:
            if isinstance(anchor_boxes, dict):
                anchor_boxes = tf.concat(
                    [tf.convert_to_tensor(anchor_boxes[k]) for k in keys], axis=0
                )
            anchor_boxes = tf.cast(tf.convert_to_tensor(anchor_boxes), "float32")
            boxes = check_same_count(
                boxes,
                anchor_boxes,
                "raw_boxes",
                "anchor_boxes",
                "The number of anchors must equal the number of predicted "
                "boxes per image: generate the anchors for the image size the "
                "predictions were made on, with the same levels, scales and "
                "aspect ratios as the model's head.",
            )
            boxes = self.box_coder.decode(boxes, anchor_boxes)
        fmt = self.bounding_box_format
        rel = fmt.startswith("rel_")
        if fmt != "xyxy":
            boxes = convert_format(
                boxes, fmt, "rel_xyxy" if rel else "xyxy", height=1.0, width=1.0
            )
        if image_shape is not None and not rel:
            shape = validation.image_shape_tensor(image_shape)
            shape = tf.reshape(shape, [-1, 1, 2])  # [B or 1, 1, (h, w)]
            limits = tf.concat([shape[..., ::-1], shape[..., ::-1]], axis=-1)
            boxes = tf.clip_by_value(boxes, 0.0, limits)
        if self.from_logits:
            scores = tf.sigmoid(scores)
        num_anchors = tf.shape(scores)[1]
        k = tf.minimum(self.pre_nms_top_k, num_anchors)
        best = tf.reduce_max(scores, axis=-1)
        top_scores, top_idx = tf.math.top_k(best, k=k)
        boxes = tf.gather(boxes, top_idx, batch_dims=1)
        max_det = self.max_num_detections
        if self.class_agnostic:
            labels = tf.argmax(scores, axis=-1, output_type=tf.int32)
            labels = tf.gather(labels, top_idx, batch_dims=1)
            selected, valid = tf.image.non_max_suppression_padded(
                boxes,
                top_scores,
                max_output_size=max_det,
                iou_threshold=self.nms_iou_threshold,
                score_threshold=self.pre_nms_score_threshold,
                pad_to_max_output_size=True,
                sorted_input=True,
            )
            out_boxes = tf.gather(boxes, selected, batch_dims=1)
            out_scores = tf.gather(top_scores, selected, batch_dims=1)
            out_labels = tf.gather(labels, selected, batch_dims=1)
        else:
            scores = tf.gather(scores, top_idx, batch_dims=1)
            nmsed = tf.image.combined_non_max_suppression(
                boxes[:, :, None, :],
                scores,
                max_output_size_per_class=max_det,
                max_total_size=max_det,
                iou_threshold=self.nms_iou_threshold,
                score_threshold=self.pre_nms_score_threshold,
                pad_per_class=False,
                clip_boxes=False,
            )
            out_boxes, out_scores, out_labels, valid = nmsed
            out_labels = tf.cast(out_labels, "int32")
        valid = tf.cast(valid, "int32")
        keep = tf.range(max_det)[None, :] < valid[:, None]
        if fmt != "xyxy":
            out_boxes = convert_format(
                out_boxes, "rel_xyxy" if rel else "xyxy", fmt, height=1.0, width=1.0
            )
        out_boxes = tf.where(keep[..., None], out_boxes, -1.0)
        out_labels = tf.where(keep, out_labels, -1)
        out_scores = tf.where(keep, out_scores, 0.0)
        return {
            "boxes": out_boxes,
            "scores": out_scores,
            "labels": out_labels,
            "num_detections": valid,
        }

    def compute_output_spec(
        self, raw_boxes, raw_scores, anchor_boxes=None, image_shape=None
    ):
        first = (
            raw_boxes
            if not isinstance(raw_boxes, dict)
            else next(iter(raw_boxes.values()))
        )
        batch = first.shape[0]
        m = self.max_num_detections
        return {
            "boxes": keras.KerasTensor((batch, m, 4), "float32"),
            "scores": keras.KerasTensor((batch, m), "float32"),
            "labels": keras.KerasTensor((batch, m), "int32"),
            "num_detections": keras.KerasTensor((batch,), "int32"),
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "bounding_box_format": self.bounding_box_format,
                "from_logits": self.from_logits,
                "class_agnostic": self.class_agnostic,
                "pre_nms_top_k": self.pre_nms_top_k,
                "pre_nms_score_threshold": self.pre_nms_score_threshold,
                "nms_iou_threshold": self.nms_iou_threshold,
                "max_num_detections": self.max_num_detections,
                "box_scale_factors": self.box_scale_factors,
            }
        )
        return config
