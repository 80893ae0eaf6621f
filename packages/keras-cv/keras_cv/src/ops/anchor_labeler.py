# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Training targets for anchors or proposals: match, sample, gather, encode."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box.converters import check_last_dim
from keras_cv.src.layers.proposal_sampler import RFC
from keras_cv.src.layers.proposal_sampler import ProposalSampler
from keras_cv.src.ops.target_gather import TargetGather

_PARTS = ("proposal_sampler", "proposal_matcher", "similarity_calculator", "box_coder")


def _revive(value):
    if isinstance(value, dict):
        return keras.saving.deserialize_keras_object(value)
    return value


@api_export("keras_cv.ops.AnchorLabeler", stability="stable", rfc=RFC)
class AnchorLabeler(keras.layers.Layer):
    """Builds class and box targets for a sampled set of anchors or proposals.

    One object serves both stages of Faster R-CNN: with anchors it labels
    the region proposal network, with proposals the region head. For every
    candidate box it computes the similarity with the ground truth
    (`similarity_calculator`, e.g. `IouSimilarity`), matches it
    (`proposal_matcher`, a `BoxMatcher`), samples a balanced subset of
    positives and negatives (`proposal_sampler`, a `ProposalSampler`), and
    gathers the targets: the matched label for sampled positives and
    `background_label` for sampled negatives; the box offsets of the
    matched ground truth (`box_coder.encode`) for sampled positives.
    Candidates that were not sampled get weight 0. Ground-truth rows with a
    negative label are padding and are never matched; an image without
    ground truth gets only negatives.

    The sampler's indicator values must be the matcher's positive and
    negative values (both default to 1 and -1).

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497).

    Args:
        proposal_sampler: a `keras_cv.layers.ProposalSampler`.
        proposal_matcher: a `keras_cv.ops.BoxMatcher`.
        similarity_calculator: a `keras_cv.layers.IouSimilarity` (or any
            layer mapping `(boxes1, boxes2, mask=...)` to similarities).
        box_coder: a `keras_cv.ops.BoxCoder` (its `bounding_box_format` is
            the format of all boxes here).
        background_label: the class target of sampled negatives (and of
            every unsampled candidate).

    Call arguments:
        proposals: candidate boxes `[M, 4]` (shared by the batch) or
            `[B, M, 4]`; or a tuple `(proposals, gt_boxes, gt_labels)`.
        gt_boxes: ground-truth boxes `[B, N, 4]` (or `[N, 4]` unbatched).
        gt_labels: int labels `[B, N]` (or `[N]`), -1 for padding.
        training: passed to the sampler (fresh random samples when True).

    Returns:
        `(class_targets, box_targets, class_weights, box_weights)`: int32
        `[B, M]`, float32 `[B, M, 4]`, float32 `[B, M]` and `[B, M]` (no `B`
        for unbatched inputs). A weight is 1 for sampled candidates (box
        weights: sampled positives) and 0 elsewhere. `label()` also returns
        the sampled indices.

    Examples:

    >>> labeler = keras_cv.ops.AnchorLabeler(
    ...     keras_cv.layers.ProposalSampler(positive_fraction=0.5, batch_size=2),
    ...     keras_cv.ops.BoxMatcher(positive_threshold=0.5),
    ...     keras_cv.layers.IouSimilarity(),
    ...     keras_cv.ops.BoxCoder())
    >>> anchors = [[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0], [50.0, 50.0, 60.0, 60.0]]
    >>> cls, box, cls_w, box_w = labeler(anchors, [[0.0, 0.0, 10.0, 12.0]], [4])
    >>> cls.numpy().tolist(), float(cls_w.numpy().sum()), box_w.numpy().tolist()
    ([4, -1, -1], 2.0, [1.0, 0.0, 0.0])
    """

    def __init__(
        self,
        proposal_sampler,
        proposal_matcher,
        similarity_calculator,
        box_coder,
        background_label=-1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._allow_non_tensor_positional_args = True
        self.proposal_sampler = _revive(proposal_sampler)
        self.proposal_matcher = _revive(proposal_matcher)
        self.similarity_calculator = _revive(similarity_calculator)
        self.box_coder = _revive(box_coder)
        if not isinstance(self.proposal_sampler, ProposalSampler):
            raise TypeError(
                "`proposal_sampler` must be a keras_cv.layers.ProposalSampler. "
                f"Received: {self.proposal_sampler!r}."
            )
        for name in _PARTS[1:]:
            if not callable(getattr(self, name)):
                raise TypeError(
                    f"`{name}` must be a callable layer. Received: {getattr(self, name)!r}."
                )
        if not hasattr(self.box_coder, "encode"):
            raise TypeError(
                "`box_coder` must have an `encode(boxes, anchor_boxes)` method, "
                f"like keras_cv.ops.BoxCoder. Received: {self.box_coder!r}."
            )
        self.background_label = int(background_label)
        self.target_gather = TargetGather()

    def build(self, *args, **kwargs):
        self.built = True

    def label(self, proposals, gt_boxes, gt_labels, training=None):
        """Returns the targets as a dict, with the sampled indices.

        Args:
            proposals: candidate boxes `[M, 4]` or `[B, M, 4]`.
            gt_boxes: ground-truth boxes `[B, N, 4]` or `[N, 4]`.
            gt_labels: labels `[B, N]` or `[N]`, -1 for padding.
            training: passed to the sampler.

        Returns:
            A dict with `"class_targets"`, `"box_targets"`,
            `"class_weights"`, `"box_weights"` (as `call`) and
            `"sampled_indices"` (`[B, batch_size]` int32, -1 padded,
            positives first).
        """
        proposals = tf.convert_to_tensor(proposals)
        gt_boxes = tf.convert_to_tensor(gt_boxes)
        gt_labels = tf.convert_to_tensor(gt_labels)
        check_last_dim(proposals, "proposals")
        check_last_dim(gt_boxes, "gt_boxes")
        batched = gt_boxes.shape.rank == 3
        if gt_boxes.shape.rank not in (2, 3):
            raise ValueError(
                "`gt_boxes` must be [N, 4] or [B, N, 4]. Received shape "
                f"{tuple(gt_boxes.shape)}."
            )
        if gt_labels.shape.rank == gt_boxes.shape.rank:
            gt_labels = gt_labels[..., 0]  # [B, N, 1] labels
        if gt_labels.shape.rank != gt_boxes.shape.rank - 1:
            raise ValueError(
                "`gt_labels` must have one label per ground-truth box: [N] for "
                "[N, 4] boxes, [B, N] for [B, N, 4]. Received: "
                f"gt_boxes.shape={tuple(gt_boxes.shape)}, gt_labels.shape={tuple(gt_labels.shape)}."
            )
        if not batched:
            gt_boxes, gt_labels = gt_boxes[None], gt_labels[None]
            if proposals.shape.rank == 3:
                raise ValueError(
                    "Batched `proposals` [B, M, 4] need batched `gt_boxes` "
                    f"[B, N, 4]. Received gt_boxes.shape={tuple(gt_boxes.shape[1:])}."
                )
        if proposals.shape.rank not in (2, 3):
            raise ValueError(
                f"`proposals` must be [M, 4] or [B, M, 4]. Received shape {tuple(proposals.shape)}."
            )
        gt_boxes = tf.cast(gt_boxes, "float32")
        gt_labels = tf.cast(gt_labels, "int32")
        proposals = tf.cast(proposals, "float32")
        padding = gt_labels < 0
        similarity = self.similarity_calculator(
            proposals, gt_boxes, mask=padding[:, None, :]
        )
        match_indices, indicators = self.proposal_matcher(similarity)
        sampled = self.proposal_sampler(indicators, training=training)
        batch = tf.shape(indicators)[0]
        num = tf.shape(indicators)[1]
        # Scatter the sampled indices back to a dense [B, M] mask.
        rows = tf.repeat(tf.range(batch)[:, None], tf.shape(sampled)[1], axis=1)
        valid = sampled >= 0
        coords = tf.stack(
            [tf.boolean_mask(rows, valid), tf.boolean_mask(sampled, valid)], axis=-1
        )
        chosen = tf.scatter_nd(
            coords, tf.ones(tf.shape(coords)[0], "bool"), tf.stack([batch, num])
        )
        positive = tf.logical_and(
            chosen, tf.equal(indicators, self.proposal_sampler.positive_indicator)
        )
        class_targets = self.target_gather(
            gt_labels,
            match_indices,
            mask=tf.logical_not(positive),
            mask_value=self.background_label,
        )
        matched_boxes = self.target_gather(gt_boxes, match_indices)
        anchors = proposals if proposals.shape.rank == 3 else proposals[None]
        box_targets = self.box_coder.encode(matched_boxes, anchors)
        box_targets = tf.where(positive[..., None], box_targets, 0.0)
        result = {
            "class_targets": class_targets,
            "box_targets": box_targets,
            "class_weights": tf.cast(chosen, "float32"),
            "box_weights": tf.cast(positive, "float32"),
            "sampled_indices": sampled,
        }
        if not batched:
            result = {k: v[0] for k, v in result.items()}
        return result

    def call(self, proposals, gt_boxes=None, gt_labels=None, training=None):
        if gt_boxes is None and gt_labels is None:
            if not isinstance(proposals, (list, tuple)) or len(proposals) != 3:
                raise ValueError(
                    "AnchorLabeler needs `(proposals, gt_boxes, gt_labels)`. "
                    f"Received only one input of type {type(proposals).__name__}."
                )
            proposals, gt_boxes, gt_labels = proposals
        if gt_boxes is None or gt_labels is None:
            raise ValueError("AnchorLabeler needs both `gt_boxes` and `gt_labels`.")
        result = self.label(proposals, gt_boxes, gt_labels, training=training)
        return (
            result["class_targets"],
            result["box_targets"],
            result["class_weights"],
            result["box_weights"],
        )

    def compute_output_spec(
        self, proposals, gt_boxes=None, gt_labels=None, training=None
    ):
        if gt_boxes is None:
            proposals, gt_boxes, gt_labels = proposals
        lead = tuple(gt_boxes.shape[:-2]) + (proposals.shape[-2],)
        return (
            keras.KerasTensor(lead, dtype="int32"),
            keras.KerasTensor(lead + (4,), dtype="float32"),
            keras.KerasTensor(lead, dtype="float32"),
            keras.KerasTensor(lead, dtype="float32"),
        )

    def get_config(self):
        config = super().get_config()
        for name in _PARTS:
            config[name] = keras.saving.serialize_keras_object(getattr(self, name))
        config["background_label"] = self.background_label
        return config
