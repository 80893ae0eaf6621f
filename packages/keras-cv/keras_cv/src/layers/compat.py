# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-cv 0.9's object detection layers, on top of ours.

Code written for keras-cv 0.9 builds `keras_cv.layers.AnchorGenerator`,
`BoxMatcher`, `NonMaxSuppression`, `MultiClassNonMaxSuppression`,
`ROIGenerator` and `ROIPooler` with 0.9's arguments and reads 0.9's
outputs. These classes take those arguments, compute with our layers, and
warn with a `DeprecationWarning` that names our layer.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box import compat as box_compat
from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.nms_detection_decoder import NMSDetectionDecoder
from keras_cv.src.layers.roi_filter import ROIFilter
from keras_cv.src.ops.anchor_generator import AnchorGenerator as _OurAnchorGenerator
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher as _OurBoxMatcher
from keras_cv.src.ops.target_gather import TargetGather

RFC = box_compat.COMPAT_RFC

# The classes exported as `keras_cv.layers.AnchorGenerator` and
# `keras_cv.layers.BoxMatcher` have their own Python names: Keras registers
# serializable classes by name, and ours (`keras_cv.ops.*`) must keep theirs.


@api_export("keras_cv.layers.AnchorGenerator", stability="stable", rfc=RFC)
class LegacyAnchorGenerator(_OurAnchorGenerator):
    """keras-cv 0.9's anchor generator (use `keras_cv.ops.AnchorGenerator`).

    Same anchors as `keras_cv.ops.AnchorGenerator` (an anchor of size `s`,
    scale `k` and aspect ratio `r` is `s * k * sqrt(r)` wide and
    `s * k / sqrt(r)` high, centred at `(i + 0.5) * stride`), built with
    0.9's arguments and called with one image or its shape. Returns a dict
    of anchors per level: keyed by level name when `sizes` is a dict, by
    level index (0, 1, ...) when it is a list.

    Args:
        bounding_box_format: the format of the anchors.
        sizes: the anchor size of each level (list or dict).
        scales: anchor scales, shared by all levels.
        aspect_ratios: width / height ratios, shared by all levels.
        strides: the stride of each level (same structure as `sizes`).
        clip_boxes: clip the anchors to the image.

    Call arguments:
        image: one image `(height, width, channels)` (not a batch).
        image_shape: alternatively, `(height, width[, channels])`.

    Example:

    >>> gen = keras_cv.layers.AnchorGenerator("xyxy", sizes=[4], scales=[1.0],
    ...                                       aspect_ratios=[1.0], strides=[4])
    >>> gen(image_shape=(4, 4, 3))[0].numpy().tolist()
    [[0.0, 0.0, 4.0, 4.0]]
    """

    def __init__(
        self,
        bounding_box_format,
        sizes,
        scales,
        aspect_ratios,
        strides,
        clip_boxes=False,
        **kwargs,
    ):
        box_compat.deprecated(
            "keras_cv.layers.AnchorGenerator", "keras_cv.ops.AnchorGenerator"
        )
        if isinstance(sizes, dict) != isinstance(strides, dict) or (
            isinstance(sizes, dict) and sorted(sizes) != sorted(strides)
        ):
            raise ValueError(
                "`sizes` and `strides` must describe the same levels: both lists "
                "of the same length or both dicts with the same keys. Received: "
                f"sizes={sizes!r}, strides={strides!r}."
            )
        if not isinstance(sizes, dict) and len(sizes) != len(strides):
            raise ValueError(
                "`sizes` and `strides` must have one entry per level. Received "
                f"{len(sizes)} sizes and {len(strides)} strides."
            )
        self._list_levels = not isinstance(sizes, dict)
        if self._list_levels:
            sizes_arg = {str(i): v for i, v in enumerate(sizes)}
            strides_arg = {str(i): v for i, v in enumerate(strides)}
        else:
            sizes_arg, strides_arg = sizes, strides
        super().__init__(
            anchor_sizes=sizes_arg,
            scales=scales,
            aspect_ratios=aspect_ratios,
            strides=strides_arg,
            clip_boxes=clip_boxes,
            bounding_box_format=bounding_box_format,
            **kwargs,
        )
        self.sizes = sizes
        self.strides = strides

    def __call__(self, image=None, image_shape=None, **kwargs):
        if image is None and image_shape is None:
            raise ValueError(
                "Pass `image=` (one image) or `image_shape=(height, width)`."
            )
        if image is not None:
            shape = tuple(
                np.shape(image) if not hasattr(image, "shape") else image.shape
            )
            if len(shape) != 3:
                raise ValueError(
                    "`image` must be one image of rank 3 (height, width, "
                    f"channels), not a batch. Received rank {len(shape)}: "
                    f"shape {shape}. Pass `image=images[0]` or "
                    "`image_shape=images.shape[1:]`."
                )
            image_shape = shape
        height, width = int(image_shape[0]), int(image_shape[1])
        anchors = super().__call__((height, width))
        if self._list_levels:
            return {int(k): v for k, v in anchors.items()}
        return anchors

    def get_config(self):
        config = super().get_config()
        config.pop("anchor_sizes")
        config["sizes"] = self.sizes
        return config


@api_export("keras_cv.layers.BoxMatcher", stability="stable", rfc=RFC)
class LegacyBoxMatcher(_OurBoxMatcher):
    """keras-cv 0.9's box matcher (use `keras_cv.ops.BoxMatcher`).

    Matches like `keras_cv.ops.BoxMatcher` with `thresholds` and
    `match_values`. One 0.9 behaviour differs from ours: with no
    ground-truth columns, every row gets the indicator -1 (ours gives the
    lowest band's value).

    Args:
        thresholds: ascending similarity thresholds.
        match_values: one indicator per band (`len(thresholds) + 1`).
        force_match_for_each_col: give each column its best row.

    Example:

    >>> matcher = keras_cv.layers.BoxMatcher([0.0, 0.5], [-2, -1, 1])
    >>> idx, values = matcher(np.array([[0.9, 0.1], [0.2, 0.3]]))
    >>> values.numpy().tolist()
    [1, -1]
    """

    def __init__(
        self, thresholds, match_values, force_match_for_each_col=False, **kwargs
    ):
        box_compat.deprecated("keras_cv.layers.BoxMatcher", "keras_cv.ops.BoxMatcher")
        super().__init__(
            thresholds=thresholds,
            match_values=match_values,
            force_match_for_each_col=force_match_for_each_col,
            **kwargs,
        )

    def call(self, similarity_matrix):
        indices, values = super().call(similarity_matrix)
        sim = tf.convert_to_tensor(similarity_matrix)
        empty = tf.equal(tf.shape(sim)[-1], 0)
        values = tf.where(empty, tf.constant(-1, values.dtype), values)
        return indices, values

    def get_config(self):
        config = super().get_config()
        return {
            k: v
            for k, v in config.items()
            if k not in ("positive_threshold", "negative_threshold")
        }


def _nms_output(out, from_decoder=True):
    return {
        "boxes": out["boxes"],
        "classes": tf.cast(out["labels"], "float32"),
        "confidence": out["scores"],
        "num_detections": out["num_detections"],
    }


@api_export("keras_cv.layers.NonMaxSuppression", stability="stable", rfc=RFC)
class NonMaxSuppression(NMSDetectionDecoder):
    """keras-cv 0.9's class-agnostic NMS (use `keras_cv.layers.NMSDetectionDecoder`).

    Takes decoded boxes and per-class scores; returns 0.9's keys
    `"boxes"`, `"classes"`, `"confidence"`, `"num_detections"`.

    Args:
        bounding_box_format: the format of the boxes.
        from_logits: whether the scores are logits.
        iou_threshold: boxes overlapping a better one by more are dropped.
        confidence_threshold: scores at or below it are dropped.
        max_detections: detections returned per image.
        max_detections_per_class: accepted for 0.9 calls (class-agnostic).

    Example:

    >>> nms = keras_cv.layers.NonMaxSuppression("xyxy", from_logits=False,
    ...                                         max_detections=1)
    >>> out = nms(np.array([[[0.0, 0.0, 1.0, 1.0]]]), np.array([[[0.9]]]))
    >>> out["confidence"].numpy().astype(float).round(2).tolist()
    [[0.9]]
    """

    def __init__(
        self,
        bounding_box_format,
        from_logits,
        iou_threshold=0.5,
        confidence_threshold=0.5,
        max_detections=100,
        max_detections_per_class=100,
        **kwargs,
    ):
        box_compat.deprecated(
            f"keras_cv.layers.{type(self).__name__}",
            "keras_cv.layers.NMSDetectionDecoder",
        )
        super().__init__(
            bounding_box_format=bounding_box_format,
            from_logits=from_logits,
            class_agnostic=self._agnostic,
            pre_nms_score_threshold=confidence_threshold,
            nms_iou_threshold=iou_threshold,
            max_num_detections=int(max_detections),
            **kwargs,
        )
        self.max_detections_per_class = int(max_detections_per_class)

    _agnostic = True

    def call(self, box_prediction, class_prediction, images=None, image_shape=None):
        boxes = tf.convert_to_tensor(box_prediction)
        boxes = tf.cast(boxes, "float32") if not boxes.dtype.is_floating else boxes
        scores = tf.convert_to_tensor(class_prediction)
        scores = tf.cast(scores, "float32")
        out = super().call(tf.cast(boxes, "float32"), scores)
        if boxes.dtype != tf.float32:
            out["boxes"] = tf.cast(out["boxes"], boxes.dtype)
        return _nms_output(out)

    def compute_output_spec(self, box_prediction, class_prediction, **kwargs):
        spec = super().compute_output_spec(box_prediction, class_prediction)
        return {
            "boxes": spec["boxes"],
            "classes": spec["labels"].__class__(spec["labels"].shape, "float32"),
            "confidence": spec["scores"],
            "num_detections": spec["num_detections"],
        }


@api_export("keras_cv.layers.MultiClassNonMaxSuppression", stability="stable", rfc=RFC)
class MultiClassNonMaxSuppression(NonMaxSuppression):
    """keras-cv 0.9's per-class NMS (use `keras_cv.layers.NMSDetectionDecoder`).

    As `NonMaxSuppression`, but boxes of different classes never suppress
    each other.

    Example:

    >>> nms = keras_cv.layers.MultiClassNonMaxSuppression("xyxy", from_logits=False)
    >>> out = nms(np.array([[[0.0, 0.0, 1.0, 1.0]]]), np.array([[[0.9, 0.1]]]))
    >>> out["classes"].numpy()[0, :2].tolist()
    [0.0, -1.0]
    """

    _agnostic = False


@api_export("keras_cv.layers.ROIGenerator", stability="stable", rfc=RFC)
class ROIGenerator(ROIFilter):
    """keras-cv 0.9's region proposal filter (use `keras_cv.layers.ROIFilter`).

    Keeps the `pre_nms_topk` highest-scoring boxes, runs NMS and returns
    the best `post_nms_topk` proposals, padded with -1 boxes and scores.
    Scores are probabilities (0.9 convention).

    Args:
        bounding_box_format: the format of the boxes.
        pre_nms_topk_train: boxes kept before NMS in training.
        nms_score_threshold_train: score threshold of NMS in training.
        nms_iou_threshold_train: IoU threshold of NMS in training.
        post_nms_topk_train: proposals returned in training.
        pre_nms_topk_test: boxes kept before NMS at inference.
        nms_score_threshold_test: score threshold of NMS at inference.
        nms_iou_threshold_test: IoU threshold of NMS at inference.
        post_nms_topk_test: proposals returned at inference.

    Call arguments:
        multi_level_boxes: `[B, N, 4]` or a dict of levels.
        multi_level_scores: `[B, N]` or a dict of levels.
        training: which settings to use.

    Example:

    >>> gen = keras_cv.layers.ROIGenerator("xyxy", post_nms_topk_test=2)
    >>> rois, scores = gen(np.array([[[0.0, 0.0, 10.0, 10.0]]]),
    ...                    np.array([[0.9]]))
    >>> scores.numpy().astype(float).round(2).tolist()
    [[0.9, -1.0]]
    """

    def __init__(
        self,
        bounding_box_format,
        pre_nms_topk_train=2000,
        nms_score_threshold_train=0.0,
        nms_iou_threshold_train=0.7,
        post_nms_topk_train=1000,
        pre_nms_topk_test=1000,
        nms_score_threshold_test=0.0,
        nms_iou_threshold_test=0.7,
        post_nms_topk_test=1000,
        **kwargs,
    ):
        box_compat.deprecated(
            "keras_cv.layers.ROIGenerator", "keras_cv.layers.ROIFilter"
        )
        super().__init__(
            pre_nms_top_k=pre_nms_topk_train,
            pre_nms_score_threshold=nms_score_threshold_train,
            nms_iou_threshold=nms_iou_threshold_train,
            num_proposals=post_nms_topk_train,
            test_pre_nms_top_k=pre_nms_topk_test,
            test_pre_nms_score_threshold=nms_score_threshold_test,
            test_nms_iou_threshold=nms_iou_threshold_test,
            test_num_proposals=post_nms_topk_test,
            from_logits=False,
            bounding_box_format=bounding_box_format,
            **kwargs,
        )

    def call(self, multi_level_boxes, multi_level_scores, training=None):
        def cast(x):
            if isinstance(x, dict):
                return {k: tf.cast(v, "float32") for k, v in x.items()}
            return tf.cast(x, "float32")

        rois, scores = super().call(
            cast(multi_level_boxes), cast(multi_level_scores), training=training
        )
        # ROIFilter pads with zero boxes (never a proposal: they have no
        # area); 0.9 pads with -1 boxes and scores.
        valid = tf.reduce_any(tf.not_equal(rois, 0.0), axis=-1)
        scores = tf.where(valid, scores, -1.0)
        rois = tf.where(valid[..., None], rois, -1.0)
        return rois, scores


def is_legacy_roi_pooler_call(args, kwargs):
    """Whether `ROIPooler(...)` got keras-cv 0.9's arguments.

    0.9: `ROIPooler(bounding_box_format, target_size, image_shape)`; ours
    starts with `output_size` (a pair of ints), so a string first argument
    or the keywords `target_size`/`image_shape` can only be the 0.9 form.
    """
    return bool(args and isinstance(args[0], str)) or (
        "target_size" in kwargs or "image_shape" in kwargs
    )


class LegacyROIPooler(keras.layers.Layer):
    """keras-cv 0.9's ROI max pooling on one feature map.

    Each ROI (in `bounding_box_format`, relative to `image_shape`) is cut
    into `target_size` bins on the feature map; bin `i` spans the cells
    from `int(start + i * step)` to `int(start + (i + 1) * step)` (at least
    one cell) and its output is the maximum there. Built by
    `keras_cv.layers.ROIPooler(bounding_box_format, target_size,
    image_shape)`; our `ROIPooler(output_size=...)` does ROIAlign on a
    feature pyramid instead.
    """

    def __init__(self, bounding_box_format, target_size, image_shape, **kwargs):
        super().__init__(**kwargs)
        self._allow_non_tensor_positional_args = True
        box_compat.deprecated(
            "keras_cv.layers.ROIPooler(bounding_box_format, target_size, image_shape)",
            "keras_cv.layers.ROIPooler(output_size=..., bounding_box_format=...)",
            stacklevel=4,
        )
        self.bounding_box_format = converters.validate_format(bounding_box_format)
        if len(target_size) != 2 or any(int(t) < 1 for t in target_size):
            raise ValueError(
                "`target_size` must be two positive ints (height, width). "
                f"Received: target_size={target_size!r}."
            )
        self.target_size = [int(t) for t in target_size]
        if len(image_shape) not in (2, 3) or any(
            v is None or isinstance(v, bool) or not int(v) > 0
            for v in list(image_shape)[:2]
        ):
            raise ValueError(
                "`image_shape` must be the static (height, width[, channels]) of "
                "the images the ROIs refer to; a dynamic shape (None) cannot "
                "scale them. Received: image_shape="
                f"{image_shape!r}. Pass the input size, e.g. [224, 224, 3]."
            )
        self.image_shape = list(image_shape)

    def call(self, feature_map, rois):
        feature_map = tf.convert_to_tensor(feature_map)
        rois = tf.cast(tf.convert_to_tensor(rois), "float32")
        rois = converters.convert_format(
            rois,
            self.bounding_box_format,
            "rel_yxyx",
            height=float(self.image_shape[0]),
            width=float(self.image_shape[1]),
        )
        shape = tf.shape(feature_map)
        height, width = shape[1], shape[2]
        rows = _bins(rois[..., 0], rois[..., 2], height, self.target_size[0])
        cols = _bins(rois[..., 1], rois[..., 3], width, self.target_size[1])
        # rows: [B, N, Th, H]; cols: [B, N, Tw, W]
        lowest = (
            feature_map.dtype.min
            if feature_map.dtype.is_floating
            else (feature_map.dtype.min)
        )
        fill = tf.constant(lowest, feature_map.dtype)
        # Max over columns of each column bin: [B, N, Tw, H, C].
        x = feature_map[:, None, None, :, :, :]  # [B, 1, 1, H, W, C]
        col_mask = cols[:, :, :, None, :, None]  # [B, N, Tw, 1, W, 1]
        by_col = tf.reduce_max(tf.where(col_mask, x, fill), axis=4)
        # Max over rows of each row bin: [B, N, Th, Tw, C].
        by_col = by_col[:, :, None]  # [B, N, 1, Tw, H, C]
        row_mask = rows[:, :, :, None, :, None]  # [B, N, Th, 1, H, 1]
        return tf.reduce_max(tf.where(row_mask, by_col, fill), axis=4)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "bounding_box_format": self.bounding_box_format,
                "target_size": self.target_size,
                "image_shape": self.image_shape,
            }
        )
        return config


def _bins(start, stop, size, count):
    """[B, N, count, size] masks of the cells of each bin along one axis."""
    size_f = tf.cast(size, "float32")
    first = start * size_f
    step = (stop - start) * size_f / float(count)
    index = tf.range(count, dtype="float32")
    lo = tf.cast(first[..., None] + index * step[..., None], "int32")
    hi = tf.cast(first[..., None] + (index + 1.0) * step[..., None], "int32")
    hi = lo + tf.maximum(1, hi - lo)
    cells = tf.range(size)
    return tf.logical_and(cells >= lo[..., None], cells < hi[..., None])


@api_export("keras_cv.layers.RetinaNetLabelEncoder", stability="stable", rfc=RFC)
class RetinaNetLabelEncoder(keras.layers.Layer):
    """keras-cv 0.9's RetinaNet target encoder (use `RetinaNet.encode_targets`).

    For each anchor of `anchor_generator`, the ground-truth box of highest
    IoU: at IoU >= `positive_threshold` the anchor gets that box's class
    and its offsets, below `negative_threshold` `background_class`, in
    between `ignore_class`. Offsets are 0.9's: centre and log-size
    differences in `(y, x, h, w)` order, divided by `box_variance`. Rows
    labelled -1 are padding and match nothing.

    Args:
        bounding_box_format: the format of the ground-truth boxes.
        anchor_generator: `keras_cv.layers.AnchorGenerator` (0.9) or
            `keras_cv.ops.AnchorGenerator`.
        positive_threshold: IoU from which an anchor is positive.
        negative_threshold: IoU below which an anchor is background.
        box_variance: divisors of the `(y, x, h, w)` offsets.
        background_class: the class target of background anchors.
        ignore_class: the class target of ignored anchors.

    Call arguments:
        images: `(batch, height, width, channels)` (only the shape is used).
        box_labels: `{"boxes", "classes"}` (or `"labels"`), dense or ragged.

    Returns:
        `(box_targets, class_targets)`: `(batch, num_anchors, 4)` and
        `(batch, num_anchors)`.

    Example:

    >>> gen = keras_cv.ops.AnchorGenerator([8], [1.0], [1.0], [8])
    >>> encoder = keras_cv.layers.RetinaNetLabelEncoder("xyxy", gen)
    >>> boxes, classes = encoder(np.zeros((1, 8, 16, 3)),
    ...     {"boxes": np.array([[[0.0, 0.0, 8.0, 8.0]]]), "classes": np.array([[3]])})
    >>> classes.numpy().tolist()
    [[3.0, -1.0]]
    """

    def __init__(
        self,
        bounding_box_format,
        anchor_generator,
        positive_threshold=0.5,
        negative_threshold=0.4,
        box_variance=(0.1, 0.1, 0.2, 0.2),
        background_class=-1.0,
        ignore_class=-2.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        box_compat.deprecated(
            "keras_cv.layers.RetinaNetLabelEncoder",
            "keras_cv.models.RetinaNet.encode_targets (or keras_cv.ops.BoxMatcher, "
            "TargetGather and BoxCoder)",
        )
        self._allow_non_tensor_positional_args = True
        self.bounding_box_format = converters.validate_format(bounding_box_format)
        self.anchor_generator = anchor_generator
        variance = [float(v) for v in box_variance]
        if len(variance) != 4 or any(not v > 0 for v in variance):
            raise ValueError(
                "`box_variance` must be four positive numbers (y, x, height, "
                f"width). Received: box_variance={box_variance!r}."
            )
        self.box_variance = variance
        self.positive_threshold = float(positive_threshold)
        self.negative_threshold = float(negative_threshold)
        self.background_class = float(background_class)
        self.ignore_class = float(ignore_class)
        self._matcher = _OurBoxMatcher(
            positive_threshold=self.positive_threshold,
            negative_threshold=self.negative_threshold,
        )
        # Our coder's order is (x, y, w, h); 0.9's is (y, x, h, w).
        vy, vx, vh, vw = variance
        self._coder = BoxCoder(
            scale_factors=[1 / vx, 1 / vy, 1 / vw, 1 / vh], bounding_box_format="xyxy"
        )
        self._gather = TargetGather()

    def build(self, *args, **kwargs):
        self.built = True

    def _anchors(self, height, width):
        gen = self.anchor_generator
        if isinstance(gen, LegacyAnchorGenerator):
            anchors = gen(image_shape=(height, width))
        else:
            anchors = gen((height, width))
        if isinstance(anchors, dict):
            anchors = tf.concat(list(anchors.values()), axis=0)
        fmt = gen.bounding_box_format
        return converters.convert_format(
            anchors, fmt, "xyxy", height=float(height), width=float(width)
        )

    def call(self, images, box_labels):
        shape = getattr(images, "shape", None)
        if shape is None or len(shape) != 4 or None in tuple(shape[1:3]):
            raise ValueError(
                "`images` must be a batch (batch, height, width, channels) of "
                f"static height and width. Received shape {shape}."
            )
        height, width = int(shape[1]), int(shape[2])
        dense = converters.to_dense(converters.standardize(box_labels))
        labels = tf.cast(dense["labels"], "float32")
        if labels.shape.rank == 3:
            labels = tf.squeeze(labels, -1)
        boxes = converters.convert_format(
            tf.cast(dense["boxes"], "float32"),
            self.bounding_box_format,
            "xyxy",
            height=float(height),
            width=float(width),
        )
        anchors = self._anchors(height, width)
        iou = IouSimilarity()(anchors, boxes, mask=tf.equal(labels, -1.0)[:, None, :])
        indices, indicators = self._matcher(iou)
        matched = self._gather(boxes, indices)
        deltas = self._coder.encode(matched, anchors[None])
        deltas = tf.gather(deltas, [1, 0, 3, 2], axis=-1)
        classes = self._gather(labels, indices)
        classes = tf.where(indicators == 1, classes, self.background_class)
        classes = tf.where(indicators == -2, self.ignore_class, classes)
        return deltas, classes

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "bounding_box_format": self.bounding_box_format,
                "anchor_generator": keras.saving.serialize_keras_object(
                    self.anchor_generator
                ),
                "positive_threshold": self.positive_threshold,
                "negative_threshold": self.negative_threshold,
                "box_variance": self.box_variance,
                "background_class": self.background_class,
                "ignore_class": self.ignore_class,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["anchor_generator"] = keras.saving.deserialize_keras_object(
            config["anchor_generator"]
        )
        return cls(**config)
