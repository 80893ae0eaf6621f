# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.roi_filter import ROIFilter


def _random_boxes(rng, batch, num, size=100.0):
    xy = rng.uniform(0, size * 0.8, (batch, num, 2))
    wh = rng.uniform(2, size * 0.3, (batch, num, 2))
    return np.concatenate([xy, xy + wh], -1).astype("float32")


class ROIFilterTest(TestCase):
    def test_layer(self):
        rng = np.random.default_rng(0)
        boxes = _random_boxes(rng, 2, 20)
        scores = rng.normal(size=(2, 20)).astype("float32")
        self.run_layer_test(
            ROIFilter,
            {
                "pre_nms_top_k": 10,
                "num_proposals": 5,
                "test_pre_nms_top_k": 8,
                "test_num_proposals": 4,
            },
            (boxes, scores),
            expected_output_shape=((2, 4, 4), (2, 4)),
            expected_output_dtype=("float32", "float32"),
        )
        layer = ROIFilter(test_num_proposals=4)
        expected = layer(boxes, scores)
        dataset = tf.data.Dataset.from_tensor_slices((boxes, scores)).batch(2)
        mapped = next(iter(dataset.map(lambda b, s: layer(b, s))))
        self.assertAllClose(mapped, expected)

    def test_hand_computed_nms(self):
        layer = ROIFilter(num_proposals=3, test_num_proposals=3, from_logits=False)
        boxes = [[[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30], [0, 0, 10, 9]]]
        rois, scores = layer(
            np.array(boxes, "float32"), np.array([[0.9, 0.8, 0.7, 0.95]])
        )
        # IoU([0,0,10,10], [0,0,10,9]) = 0.9 > 0.7; IoU with [1,1,10,10] = 0.81 > 0.7.
        self.assertAllClose(rois, [[[0, 0, 10, 9], [20, 20, 30, 30], [0, 0, 0, 0]]])
        self.assertAllClose(scores, [[0.95, 0.7, 0.0]])

    def test_matches_tf_image_nms_on_random_inputs(self):
        rng = np.random.default_rng(1)
        boxes = _random_boxes(rng, 3, 60)
        logits = rng.normal(size=(3, 60)).astype("float32")
        layer = ROIFilter(
            test_pre_nms_top_k=60, test_num_proposals=15, test_nms_iou_threshold=0.5
        )
        rois, scores = layer(boxes, logits)
        for b in range(3):
            probs = 1 / (1 + np.exp(-logits[b]))
            keep = tf.image.non_max_suppression(
                boxes[b], probs, 15, iou_threshold=0.5
            ).numpy()
            self.assertAllClose(rois[b][: len(keep)], boxes[b][keep])
            self.assertAllClose(scores[b][: len(keep)], probs[keep], atol=1e-6)

    def test_top_k_score_and_size_thresholds(self):
        boxes = np.array(
            [[[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 42, 10], [60, 0, 70, 10]]],
            "float32",
        )
        scores = np.array([[0.9, 0.2, 0.8, 0.7]], "float32")
        kwargs = dict(num_proposals=4, test_num_proposals=4, from_logits=False)
        # Top-2 before NMS keeps boxes 0 and 2.
        rois, _ = ROIFilter(test_pre_nms_top_k=2, **kwargs)(boxes, scores)
        self.assertAllClose(rois[0, :2], boxes[0, [0, 2]])
        self.assertAllClose(rois[0, 2:], np.zeros((2, 4)))
        # Score threshold drops box 1; min size drops the 2-pixel-wide box 2.
        rois, s = ROIFilter(
            test_pre_nms_score_threshold=0.5,
            test_pre_nms_min_size_threshold=5.0,
            **kwargs,
        )(boxes, scores)
        self.assertAllClose(rois[0, :2], boxes[0, [0, 3]])
        self.assertAllClose(s[0], [0.9, 0.7, 0.0, 0.0])

    def test_training_and_inference_settings_differ(self):
        boxes = _random_boxes(np.random.default_rng(2), 1, 30)
        scores = np.linspace(1, 0, 30, dtype="float32")[None]
        layer = ROIFilter(
            num_proposals=6,
            test_num_proposals=3,
            nms_iou_threshold=1.0,
            test_nms_iou_threshold=1.0,
            from_logits=False,
        )
        train_rois, _ = layer(boxes, scores, training=True)
        test_rois, _ = layer(boxes, scores, training=False)
        self.assertEqual(tuple(train_rois.shape), (1, 6, 4))
        self.assertEqual(tuple(test_rois.shape), (1, 3, 4))
        self.assertAllClose(train_rois[0], boxes[0, :6])
        self.assertAllClose(test_rois[0], boxes[0, :3])

    def test_per_level_top_k(self):
        # Level P3 has all the high scores; with per-level top-1, P4 still
        # contributes its best box.
        p3 = np.array([[[0, 0, 10, 10], [50, 50, 60, 60]]], "float32")
        p4 = np.array([[[0, 40, 30, 70], [70, 0, 99, 30]]], "float32")
        rois, scores = ROIFilter(
            test_pre_nms_top_k=1, test_num_proposals=4, from_logits=False
        )(
            {"P3": p3, "P4": p4},
            {"P3": np.array([[0.9, 0.8]]), "P4": np.array([[0.1, 0.3]])},
        )
        self.assertAllClose(rois[0, :2], [[0, 0, 10, 10], [70, 0, 99, 30]])
        self.assertAllClose(scores[0], [0.9, 0.3, 0.0, 0.0])
        # Concatenated, the same top-1 keeps only the best box overall.
        rois, _ = ROIFilter(
            test_pre_nms_top_k=1, test_num_proposals=4, from_logits=False
        )(np.concatenate([p3, p4], 1), np.array([[0.9, 0.8, 0.1, 0.3]]))
        self.assertAllClose(rois[0, 1:], np.zeros((3, 4)))

    def test_nms_per_level_against_tf_image_nms(self):
        # Per-level NMS equals tf.image NMS run on each level alone, then
        # merged by score; across levels, overlapping boxes both survive.
        rng = np.random.default_rng(7)
        levels = {"P3": _random_boxes(rng, 2, 30), "P4": _random_boxes(rng, 2, 12)}
        scores = {
            k: rng.uniform(0, 1, v.shape[:2]).astype("float32")
            for k, v in levels.items()
        }
        layer = ROIFilter(
            test_pre_nms_top_k=100,
            test_num_proposals=25,
            test_nms_iou_threshold=0.5,
            from_logits=False,
            nms_per_level=True,
        )
        rois, out_scores = layer(levels, scores)
        for b in range(2):
            ref = []
            for k in ("P3", "P4"):
                keep = tf.image.non_max_suppression(
                    levels[k][b], scores[k][b], 100, iou_threshold=0.5
                ).numpy()
                ref += [(scores[k][b][i], tuple(levels[k][b][i])) for i in keep]
            ref.sort(key=lambda t: -t[0])
            ref = ref[:25]
            self.assertAllClose(out_scores[b, : len(ref)], [r[0] for r in ref])
            self.assertAllClose(rois[b, : len(ref)], [r[1] for r in ref])
            self.assertAllClose(out_scores[b, len(ref) :], np.zeros(25 - len(ref)))
        # The same box on two levels: per level both stay, concatenated one.
        box = np.array([[[0, 0, 10, 10]]], "float32")
        inputs = ({"P3": box, "P4": box}, {"P3": [[0.9]], "P4": [[0.8]]})
        kwargs = dict(test_num_proposals=2, from_logits=False)
        _, per_level = ROIFilter(nms_per_level=True, **kwargs)(*inputs)
        _, together = ROIFilter(**kwargs)(*inputs)
        self.assertAllClose(per_level[0], [0.9, 0.8])
        self.assertAllClose(together[0], [0.9, 0.0])
        with pytest.raises(TypeError, match="nms_per_level"):
            ROIFilter(nms_per_level="yes")

    def test_rois_outside_the_image_are_clipped(self):
        boxes = np.array(
            [[[-20, -5, 30, 40], [90, 90, 150, 140], [120, 120, 130, 130]]], "float32"
        )
        rois, scores = ROIFilter(test_num_proposals=3, from_logits=False)(
            boxes, np.array([[0.9, 0.8, 0.7]]), image_shape=(100, 110)
        )
        # The third box lies wholly outside: zero area after clipping, dropped.
        self.assertAllClose(rois[0], [[0, 0, 30, 40], [90, 90, 110, 100], [0, 0, 0, 0]])
        self.assertAllClose(scores[0], [0.9, 0.8, 0.0])

    def test_empty_proposals(self):
        layer = ROIFilter(
            test_num_proposals=4, test_pre_nms_score_threshold=0.5, from_logits=False
        )
        rois, scores = layer(
            np.ones((2, 3, 4), "float32") * [0, 0, 5, 5], np.full((2, 3), 0.1)
        )
        self.assertAllClose(rois, np.zeros((2, 4, 4)))
        self.assertAllClose(scores, np.zeros((2, 4)))
        rois, scores = layer(
            np.zeros((2, 0, 4), "float32"), np.zeros((2, 0), "float32")
        )
        self.assertEqual(tuple(rois.shape), (2, 4, 4))
        self.assertAllClose(scores, np.zeros((2, 4)))

    def test_unbatched_and_other_format(self):
        boxes = np.array([[5, 5, 10, 10], [20, 20, 4, 4]], "float32")  # center_xywh
        rois, scores = ROIFilter(
            test_num_proposals=2, from_logits=False, bounding_box_format="center_xywh"
        )(boxes, np.array([0.4, 0.6]))
        self.assertAllClose(rois, [[20, 20, 4, 4], [5, 5, 10, 10]])
        self.assertAllClose(scores, [0.6, 0.4])

    def test_bad_input(self):
        with pytest.raises(ValueError, match="nms_iou_threshold"):
            ROIFilter(nms_iou_threshold=1.5)
        with pytest.raises(ValueError, match="num_proposals"):
            ROIFilter(num_proposals=0)
        with pytest.raises(ValueError, match="pre_nms_min_size_threshold"):
            ROIFilter(pre_nms_min_size_threshold=-1)
        layer = ROIFilter()
        with pytest.raises(ValueError, match="last dimension of 4"):
            layer(np.zeros((1, 3, 5)), np.zeros((1, 3)))
        with pytest.raises(ValueError, match="both be dicts"):
            layer({"P3": np.zeros((1, 3, 4))}, np.zeros((1, 3)))
        with pytest.raises(ValueError, match="needs `image_shape`"):
            ROIFilter(bounding_box_format="rel_xyxy")(
                np.zeros((1, 3, 4)), np.zeros((1, 3))
            )
