# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.proposal_sampler import ProposalSampler
from keras_cv.src.ops.anchor_labeler import AnchorLabeler
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher


def _labeler(fraction=0.5, size=4, **kwargs):
    return AnchorLabeler(
        ProposalSampler(fraction, size, seed=0),
        BoxMatcher(positive_threshold=0.5, negative_threshold=0.3),
        IouSimilarity(),
        BoxCoder(scale_factors=[10.0, 10.0, 5.0, 5.0]),
        **kwargs,
    )


ANCHORS = np.array(
    [
        [0, 0, 10, 10],  # IoU 1 with object 0 -> positive
        [0, 0, 10, 20],  # IoU 0.5 with object 0 -> positive
        [0, 0, 10, 14],  # IoU 0.714 with object 0 -> positive
        [30, 30, 40, 40],  # IoU 1 with object 1 -> positive
        [5, 0, 15, 10],  # IoU 0.333 -> ignored
        [60, 60, 70, 70],  # negative
        [80, 80, 90, 90],  # negative
    ],
    "float32",
)
GT = np.array([[0, 0, 10, 10], [30, 30, 40, 40], [-1, -1, -1, -1]], "float32")
LABELS = np.array([2, 0, -1], "int32")


class AnchorLabelerTest(TestCase):
    def test_layer(self):
        anchors = np.stack([ANCHORS, ANCHORS])
        parts = _labeler()
        self.run_layer_test(
            AnchorLabeler,
            {
                "proposal_sampler": parts.proposal_sampler,
                "proposal_matcher": parts.proposal_matcher,
                "similarity_calculator": parts.similarity_calculator,
                "box_coder": parts.box_coder,
            },
            (anchors, np.stack([GT, GT]), np.stack([LABELS, LABELS])),
            expected_output_shape=((2, 7), (2, 7, 4), (2, 7), (2, 7)),
            expected_output_dtype=("int32", "float32", "float32", "float32"),
        )
        labeler = _labeler()
        data = tf.data.Dataset.from_tensor_slices((GT[None], LABELS[None])).batch(1)
        mapped = next(
            iter(data.map(lambda boxes, labels: labeler(ANCHORS, boxes, labels)))
        )
        for got, want in zip(mapped, labeler(ANCHORS, GT[None], LABELS[None])):
            self.assertAllClose(got, want)

    def test_serialization_keeps_the_parts(self):
        labeler = _labeler(background_label=7)
        import keras

        revived = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(labeler), safe_mode=True
        )
        self.assertEqual(revived.background_label, 7)
        self.assertEqual(revived.box_coder.scale_factors, [10.0, 10.0, 5.0, 5.0])
        self.assertEqual(revived.proposal_sampler.batch_size, 4)
        self.assertEqual(revived.proposal_matcher.thresholds, [0.3, 0.5])

    def test_hand_computed_targets(self):
        # Room for everything: all 4 positives and both negatives sampled.
        labeler = _labeler(fraction=0.5, size=8)
        cls, box, cls_w, box_w = [t.numpy() for t in labeler(ANCHORS, GT, LABELS)]
        self.assertEqual(cls.tolist(), [2, 2, 2, 0, -1, -1, -1])
        self.assertEqual(
            cls_w.tolist(), [1, 1, 1, 1, 0, 1, 1]
        )  # ignored anchor 4 unsampled
        self.assertEqual(box_w.tolist(), [1, 1, 1, 1, 0, 0, 0])
        # Anchor 1 (0..10 x 0..20) to object 0 (0..10 x 0..10):
        # dy = 10 * (5 - 10) / 20 = -2.5, dh = 5 * log(10 / 20).
        self.assertAllClose(box[1], [0.0, -2.5, 0.0, 5 * np.log(0.5)], atol=1e-5)
        self.assertAllClose(box[0], np.zeros(4))
        self.assertAllClose(box[5:], np.zeros((2, 4)))

    def test_sampling_limits_and_indices(self):
        labeler = _labeler(fraction=0.25, size=4)
        out = labeler.label(ANCHORS[None], GT[None], LABELS[None])
        weights = out["class_weights"].numpy()[0]
        self.assertEqual(weights.sum(), 3.0)  # 1 positive + the 2 negatives
        self.assertEqual(out["box_weights"].numpy()[0].sum(), 1.0)
        indices = out["sampled_indices"].numpy()[0]
        self.assertIn(indices[0], (0, 1, 2, 3))
        self.assertEqual(sorted(indices[1:3].tolist()), [5, 6])
        self.assertEqual(indices[3], -1)
        # The dense weights are exactly the sampled indices.
        self.assertEqual(
            sorted(np.nonzero(weights)[0].tolist()), sorted(indices[:3].tolist())
        )

    def test_no_ground_truth(self):
        labeler = _labeler(size=4, background_label=0)
        cls, box, cls_w, box_w = labeler(
            ANCHORS, np.full((1, 4), -1.0, "float32"), [-1]
        )
        self.assertEqual(cls.numpy().tolist(), [0] * 7)
        self.assertEqual(cls_w.numpy().sum(), 4.0)
        self.assertEqual(box_w.numpy().sum(), 0.0)
        cls, _, cls_w, _ = labeler(
            ANCHORS, np.zeros((0, 4), "float32"), np.zeros((0,), "int32")
        )
        self.assertEqual(cls_w.numpy().sum(), 4.0)

    def test_batched_proposals_per_image(self):
        proposals = np.stack([ANCHORS, ANCHORS[::-1]])
        labeler = _labeler(size=8)
        cls, _, _, box_w = labeler(
            proposals, np.stack([GT, GT]), np.stack([LABELS, LABELS])
        )
        self.assertEqual(cls.numpy()[1].tolist(), [2, 2, 2, 0, -1, -1, -1][::-1])
        self.assertEqual(box_w.numpy()[1].tolist(), [1, 1, 1, 1, 0, 0, 0][::-1])

    def test_bad_input(self):
        with pytest.raises(TypeError, match="ProposalSampler"):
            AnchorLabeler(None, BoxMatcher(0.5), IouSimilarity(), BoxCoder())
        labeler = _labeler()
        with pytest.raises(ValueError, match="last dimension of 4"):
            labeler(ANCHORS[:, :3], GT, LABELS)
        with pytest.raises(ValueError, match="one label per ground-truth box"):
            labeler(ANCHORS, GT[None], LABELS[None, None, None])
        with pytest.raises(ValueError, match="need batched"):
            labeler(ANCHORS[None], GT, LABELS)
        with pytest.raises(ValueError, match="needs `"):
            labeler(ANCHORS)
