# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Anchor matching and training targets in one pass over the anchors."""

import functools

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box.converters import check_finite
from keras_cv.src.bounding_box.converters import check_last_dim
from keras_cv.src.bounding_box.converters import check_numeric
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.iou_similarity import box_areas
from keras_cv.src.ops.box_coder import BoxCoder

# The number of (image, anchor, box) triples from which the XLA kernel is
# used: `BoxMatcher`'s threshold.
from keras_cv.src.ops.box_matcher import FUSED_MIN_ELEMENTS
from keras_cv.src.ops.box_matcher import UNROLL_MAX_COLS
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.box_matcher import forced_rows
from keras_cv.src.ops.target_gather import TargetGather
from keras_cv.src.static_shapes import known_elements

_EPS = 1e-8  # as `BoxCoder`
_KEYS = ("match_indices", "match_indicators", "class_targets", "box_targets")


@api_export("keras_cv.ops.AnchorTargetAssigner", stability="experimental")
class AnchorTargetAssigner(keras.layers.Layer):
    """Matches anchors to ground truth and builds their training targets.

    Gives exactly what this chain of primitives gives (RetinaNet's target
    assignment), but in one pass over the anchors:

    ```python
    iou = keras_cv.layers.IouSimilarity()(anchors, boxes, mask=(labels < 0)[:, None, :])
    match_indices, match_indicators = keras_cv.ops.BoxMatcher(
        positive_threshold, negative_threshold, force_match_for_each_col
    )(iou)
    class_targets = keras_cv.ops.TargetGather()(
        labels, match_indices, match_indicators != 1, background_class
    )
    class_targets = tf.where(match_indicators == -2, ignore_class, class_targets)
    box_targets = keras_cv.ops.BoxCoder(scale_factors).encode(
        keras_cv.ops.TargetGather()(boxes, match_indices), anchors
    )
    ```

    Match indicators are 1 (positive), -1 (negative) and -2 (ignored).
    When the number of ground-truth boxes is static and at most 64, each
    anchor's best box is found with a loop over the boxes that never builds
    the `[batch, anchors, boxes]` IoU matrix (unless
    `force_match_for_each_col`, which needs each box's best anchor), and the
    logarithms of the box sizes are taken once per box and once per anchor
    instead of once per (anchor, matched box) pair. Large problems run as
    one XLA kernel, as `IouSimilarity` and `BoxMatcher` do; other shapes
    use the chain above. Matches, indicators and classes are identical to
    the chain's; the size offsets `sw * log(w / wa)` are computed as
    `sw * (log(w) - log(wa))`: offsets differ from the chain's by float
    rounding (below 1e-5 with RetinaNet's scale factors).

    Args:
        positive_threshold: the IoU at and above which an anchor is positive.
        negative_threshold: the IoU below which an anchor is negative;
            defaults to `positive_threshold` (no ignore band).
        force_match_for_each_col: give every ground-truth box its best
            anchor (as `BoxMatcher`).
        scale_factors: the `BoxCoder` scale factors, `None` for ones
            (RetinaNet: `[10, 10, 5, 5]`).
        background_class: the class target of negative anchors.
        ignore_class: the class target of ignored anchors.

    Call arguments:
        anchors: `"xyxy"` anchors `[M, 4]`, shared by the batch.
        boxes: `"xyxy"` ground-truth boxes `[B, N, 4]` (or `[N, 4]`).
        labels: integer labels `[B, N]` (or `[N]`); negative labels are
            padding and never matched.

    Returns:
        A dict with `"match_indices"` (int32 `[B, M]`), `"match_indicators"`
        (int32 `[B, M]`), `"class_targets"` (`[B, M]`, the dtype of
        `labels`) and `"box_targets"` (float `[B, M, 4]`, the encoded matched
        box of every anchor, negatives included); no `B` for unbatched input.

    Examples:

    >>> assigner = keras_cv.ops.AnchorTargetAssigner(0.5, 0.4)
    >>> anchors = [[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 4.0, 20.0], [30.0, 30.0, 40.0, 40.0]]
    >>> out = assigner(anchors, [[0.0, 0.0, 10.0, 12.0], [0.0, 0.0, 5.0, 20.0]], [4, 7])
    >>> out["match_indicators"].numpy().tolist(), out["class_targets"].numpy().tolist()
    ([1, 1, -1], [4, 7, -1])
    """

    def __init__(
        self,
        positive_threshold=0.5,
        negative_threshold=None,
        force_match_for_each_col=False,
        scale_factors=None,
        background_class=-1,
        ignore_class=-2,
        **kwargs,
    ):
        super().__init__(**kwargs)
        # Lists and Python scalars are accepted as well as tensors.
        self._allow_non_tensor_positional_args = True
        # The primitives check the arguments, and serve shapes the fused
        # path does not cover.
        self._matcher = BoxMatcher(
            positive_threshold=positive_threshold,
            negative_threshold=negative_threshold,
            force_match_for_each_col=force_match_for_each_col,
        )
        self._coder = BoxCoder(scale_factors=scale_factors)
        self._similarity = IouSimilarity()
        self._gather = TargetGather()
        self.negative_threshold, self.positive_threshold = self._matcher.thresholds
        self.force_match_for_each_col = self._matcher.force_match_for_each_col
        self.scale_factors = self._coder.scale_factors
        self.background_class = int(background_class)
        self.ignore_class = int(ignore_class)

    def build(self, *args, **kwargs):
        self.built = True

    def call(self, anchors, boxes, labels):
        anchors = tf.convert_to_tensor(anchors)
        boxes = tf.convert_to_tensor(boxes)
        labels = tf.convert_to_tensor(labels)
        for value, name in ((anchors, "anchors"), (boxes, "boxes")):
            check_last_dim(value, name)
            check_numeric(value, name)
        if not labels.dtype.is_integer:
            raise TypeError(
                "`labels` must be integers (class ids, negative for padding). "
                f"Received dtype {labels.dtype.name}."
            )
        if anchors.shape.rank != 2:
            raise ValueError(
                "`anchors` must be [num_anchors, 4], shared by the batch. "
                f"Received shape {tuple(anchors.shape)}."
            )
        batched = boxes.shape.rank == 3
        if boxes.shape.rank not in (2, 3) or labels.shape.rank != boxes.shape.rank - 1:
            raise ValueError(
                "`boxes` must be [N, 4] or [B, N, 4] and `labels` [N] or [B, N]. "
                f"Received: boxes.shape={tuple(boxes.shape)}, "
                f"labels.shape={tuple(labels.shape)}."
            )
        if not batched:
            boxes, labels = boxes[None], labels[None]
        dtype = boxes.dtype if boxes.dtype.is_floating else tf.float32
        boxes = tf.cast(check_finite(boxes, "boxes"), dtype)
        anchors = tf.cast(check_finite(anchors, "anchors"), dtype)
        num_boxes = boxes.shape[1]
        if (
            dtype == tf.float32
            and num_boxes is not None
            and 0 < num_boxes <= UNROLL_MAX_COLS
        ):
            args = (
                self.negative_threshold,
                self.positive_threshold,
                self.force_match_for_each_col,
                tuple(self.scale_factors),
                self.background_class,
                self.ignore_class,
            )
            elements = known_elements(boxes.shape[:-1]) * (anchors.shape[0] or 1)
            kernel = _fused_assign if elements >= FUSED_MIN_ELEMENTS else _assign
            result = kernel(anchors, boxes, labels, *args)
        else:
            result = self._primitives(anchors, boxes, labels)
        result = dict(zip(_KEYS, result))
        if not batched:
            result = {key: value[0] for key, value in result.items()}
        return result

    def _primitives(self, anchors, boxes, labels):
        iou = self._similarity(anchors, boxes, mask=(labels < 0)[:, None, :])
        indices, indicators = self._matcher(iou)
        classes = self._gather(labels, indices, indicators != 1, self.background_class)
        classes = tf.where(
            indicators == -2, tf.cast(self.ignore_class, labels.dtype), classes
        )
        box_targets = self._coder.encode(self._gather(boxes, indices), anchors)
        return indices, indicators, classes, box_targets

    def compute_output_spec(self, anchors, boxes, labels):
        lead = tuple(boxes.shape[:-2]) + (anchors.shape[0],)
        return {
            "match_indices": keras.KerasTensor(lead, dtype="int32"),
            "match_indicators": keras.KerasTensor(lead, dtype="int32"),
            "class_targets": keras.KerasTensor(lead, dtype=labels.dtype),
            "box_targets": keras.KerasTensor(lead + (4,), dtype="float32"),
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "positive_threshold": self.positive_threshold,
                "negative_threshold": self.negative_threshold,
                "force_match_for_each_col": self.force_match_for_each_col,
                "scale_factors": self.scale_factors,
                "background_class": self.background_class,
                "ignore_class": self.ignore_class,
            }
        )
        return config


def _assign(
    anchors,
    boxes,
    labels,
    negative,
    positive,
    force,
    scales,
    background,
    ignore,
    xla=False,
):
    """`AnchorTargetAssigner` for `[M, 4]` anchors and `[B, N, 4]` boxes, static N."""
    dtype = boxes.dtype
    num_boxes = boxes.shape[1]
    ax1, ay1, ax2, ay2 = tf.unstack(anchors, 4, axis=-1)  # [M]
    bx1, by1, bx2, by2 = tf.unstack(boxes, 4, axis=-1)  # [B, N]
    area_a = box_areas(ax1, ay1, ax2, ay2)
    area_b = box_areas(bx1, by1, bx2, by2)
    padding = labels < 0
    mask_value = tf.constant(-1.0, dtype)
    tiny = tf.constant(1e-30, dtype)

    def iou_column(j):
        # The arithmetic of `IouSimilarity`, for box j of every image: [B, M].
        inter = tf.nn.relu(
            tf.minimum(ax2, bx2[:, j, None]) - tf.maximum(ax1, bx1[:, j, None])
        ) * tf.nn.relu(
            tf.minimum(ay2, by2[:, j, None]) - tf.maximum(ay1, by1[:, j, None])
        )
        union = (area_a + area_b[:, j, None]) - inter
        return inter / tf.maximum(union, tiny)

    if force:
        # Each box's best anchor needs the whole matrix (as `BoxMatcher`).
        columns = [
            tf.where(padding[:, j, None], mask_value, iou_column(j))
            for j in range(num_boxes)
        ]
        forced_any, forced_col = forced_rows(tf.stack(columns, axis=-1))
    best, indices = _best_box(iou_column, padding, labels, num_boxes, xla)
    # The threshold bands of `BoxMatcher`.
    indicators = tf.where(
        best >= tf.constant(positive, dtype),
        tf.constant(1, "int32"),
        tf.where(
            best >= tf.constant(negative, dtype),
            tf.constant(-2, "int32"),
            tf.constant(-1, "int32"),
        ),
    )
    if force:
        indices = tf.where(forced_any, forced_col, indices)
        indicators = tf.where(forced_any, tf.constant(1, "int32"), indicators)

    # Per-box and per-anchor values of the box encoding (as `BoxCoder`),
    # with the logarithms taken before the selection.
    eps = tf.constant(_EPS, dtype)
    w = bx2 - bx1
    h = by2 - by1
    per_box = [
        bx1 + w / 2.0,
        by1 + h / 2.0,
        tf.math.log(tf.maximum(w, eps)),
        tf.math.log(tf.maximum(h, eps)),
        labels,
    ]
    wa = ax2 - ax1
    ha = ay2 - ay1
    xa = ax1 + wa / 2.0
    ya = ay1 + ha / 2.0
    wa = tf.maximum(wa, eps)
    ha = tf.maximum(ha, eps)
    # The matched box's values: one gather from the per-box table.
    table = tf.stack(per_box[:4], axis=-1)  # [B, N, 4]
    matched = tf.unstack(tf.gather(table, indices, axis=1, batch_dims=1), 4, axis=-1)
    matched.append(tf.gather(labels, indices, axis=1, batch_dims=1))
    x, y, log_w, log_h, matched_labels = matched
    sx, sy, sw, sh = scales
    box_targets = tf.stack(
        [
            sx * (x - xa) / wa,
            sy * (y - ya) / ha,
            sw * (log_w - tf.math.log(wa)),
            sh * (log_h - tf.math.log(ha)),
        ],
        axis=-1,
    )
    classes = tf.where(
        tf.equal(indicators, 1),
        matched_labels,
        tf.where(
            tf.equal(indicators, -2),
            tf.cast(ignore, labels.dtype),
            tf.cast(background, labels.dtype),
        ),
    )
    return indices, indicators, classes, box_targets


# Low bits of a packed (IoU, box) key: the box index, reversed.
_INDEX_BITS = 6


def _best_box(iou_column, padding, labels, num_boxes, xla):
    """Best IoU of each anchor and its box (the first on ties), `[B, M]` each.

    Same result as a running `>` comparison over the columns (that of
    `BoxMatcher`, with -1 for padding columns), computed as a running max
    of int64 keys `(IoU bits << 6) | (63 - j)`: IoUs are >= 0, so their
    bits order as the floats do, and the larger low bits make the first
    column win ties. Each IoU column has a single use, so XLA fuses the
    whole loop into one pass over the anchors instead of writing every
    column to memory.
    """
    low = (1 << _INDEX_BITS) - 1
    key = None
    for j in range(num_boxes):
        # The sign bit is cleared: an IoU of -0.0 equals 0.0.
        bits = tf.bitwise.bitwise_and(
            tf.bitcast(iou_column(j), tf.int32), tf.constant(0x7FFFFFFF, tf.int32)
        )
        column_key = tf.bitwise.bitwise_or(
            tf.bitwise.left_shift(tf.cast(bits, tf.int64), _INDEX_BITS),
            tf.constant(low - j, tf.int64),
        )
        # Padding columns (IoU -1 in `IouSimilarity`): below every IoU.
        column_key = tf.where(
            padding[:, j, None],
            tf.constant(-(1 << _INDEX_BITS) + low - j, tf.int64),
            column_key,
        )
        key = column_key if key is None else tf.maximum(key, column_key)
    if xla:
        # XLA copies cheap elementwise chains (the running max) into each
        # of their consumers, and would then write every IoU column (a
        # division: not copied) to memory for them. A division by a one
        # known only at run time ends the chain in one fusion (exact:
        # the keys are below 2^53).
        one = 1.0 + 0.0 * tf.cast(tf.reduce_max(labels), tf.float64)
        key = tf.cast(tf.cast(key, tf.float64) / one, tf.int64)
    indices = tf.cast(low - tf.bitwise.bitwise_and(key, low), tf.int32)
    value_bits = tf.bitwise.right_shift(key, _INDEX_BITS)
    best = tf.where(
        value_bits < 0,
        tf.constant(-1.0, tf.float32),
        tf.bitcast(tf.cast(tf.maximum(value_bits, 0), tf.int32), tf.float32),
    )
    return best, indices


_fused_assign = tf.function(
    functools.partial(_assign, xla=True), jit_compile=True, autograph=False
)
