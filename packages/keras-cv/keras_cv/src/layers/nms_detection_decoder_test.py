# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.nms_detection_decoder import NMSDetectionDecoder
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.box_coder import BoxCoder


def random_outputs(rng, batch, anchors, classes):
    xy = rng.uniform(0, 60, (batch, anchors, 2))
    boxes = np.concatenate(
        [xy, xy + rng.uniform(4, 30, (batch, anchors, 2))], -1
    ).astype("float32")
    scores = rng.uniform(0, 1, (batch, anchors, classes)).astype("float32")
    return boxes, scores


def reference(boxes, scores, top_k, thr, iou, max_det, agnostic):
    """Per image: top-k anchors, then tf.image.non_max_suppression_with_scores."""
    out = []
    for b, s in zip(boxes, scores):
        order = np.argsort(-s.max(-1), kind="stable")[:top_k]
        b, s = b[order], s[order]
        dets = []
        if agnostic:
            best = s.max(-1)
            sel, sc = tf.image.non_max_suppression_with_scores(
                b, best, max_det, iou, thr
            )
            dets = [
                (float(v), int(np.argmax(s[i])), b[i])
                for i, v in zip(sel.numpy(), sc.numpy())
            ]
        else:
            for c in range(s.shape[1]):
                sel, sc = tf.image.non_max_suppression_with_scores(
                    b, s[:, c], max_det, iou, thr
                )
                dets += [(float(v), c, b[i]) for i, v in zip(sel.numpy(), sc.numpy())]
        dets.sort(key=lambda d: -d[0])
        out.append(dets[:max_det])
    return out


class NMSDetectionDecoderTest(TestCase):
    def _compare(self, agnostic):
        rng = np.random.default_rng(4 + agnostic)
        boxes, scores = random_outputs(rng, 3, 60, 4)
        decoder = NMSDetectionDecoder(
            from_logits=False,
            class_agnostic=agnostic,
            pre_nms_top_k=40,
            pre_nms_score_threshold=0.3,
            nms_iou_threshold=0.4,
            max_num_detections=15,
        )
        out = decoder(boxes, scores)
        ref = reference(boxes, scores, 40, 0.3, 0.4, 15, agnostic)
        for i, dets in enumerate(ref):
            n = int(out["num_detections"][i])
            self.assertEqual(n, len(dets))
            self.assertAllClose(out["scores"][i, :n], [d[0] for d in dets])
            self.assertAllEqual(out["labels"][i, :n], [d[1] for d in dets])
            self.assertAllClose(
                out["boxes"][i, :n], np.array([d[2] for d in dets]).reshape(-1, 4)
            )
            self.assertAllEqual(out["labels"][i, n:], -np.ones(15 - n))

    def test_per_class_matches_tf_image(self):
        self._compare(False)

    def test_class_agnostic_matches_tf_image(self):
        self._compare(True)

    def test_decodes_with_anchors_and_levels(self):
        gen = AnchorGenerator(
            {"P3": 8, "P4": 16}, [1.0], [1.0, 2.0], {"P3": 8, "P4": 16}
        )
        anchors = gen((32, 32))
        rng = np.random.default_rng(0)
        deltas = {
            k: rng.normal(0, 0.5, (2, 32 // s, 32 // s, 2 * 4)).astype("float32")
            for k, s in (("P3", 8), ("P4", 16))
        }
        logits = {
            k: rng.normal(0, 2, (2, 32 // s, 32 // s, 2 * 3)).astype("float32")
            for k, s in (("P3", 8), ("P4", 16))
        }
        decoder = NMSDetectionDecoder(
            box_scale_factors=[10.0, 10.0, 5.0, 5.0], max_num_detections=5
        )
        out = decoder(deltas, logits, anchors, image_shape=(32, 32))
        flat_deltas = np.concatenate([v.reshape(2, -1, 4) for v in deltas.values()], 1)
        flat_logits = np.concatenate([v.reshape(2, -1, 3) for v in logits.values()], 1)
        flat_anchors = np.concatenate([anchors["P3"], anchors["P4"]])
        boxes = (
            BoxCoder([10.0, 10.0, 5.0, 5.0]).decode(flat_deltas, flat_anchors).numpy()
        )
        boxes = np.clip(boxes, 0, 32)
        ref = reference(
            boxes, 1 / (1 + np.exp(-flat_logits)), 5000, 0.05, 0.5, 5, False
        )
        for i, dets in enumerate(ref):
            n = int(out["num_detections"][i])
            self.assertAllClose(out["scores"][i, :n], [d[0] for d in dets], atol=1e-5)
            self.assertAllClose(
                out["boxes"][i, :n], np.array([d[2] for d in dets]), atol=1e-4
            )
        assert np.all(out["boxes"].numpy()[out["labels"].numpy() >= 0] <= 32)

    def test_layer_harness(self):
        boxes, scores = random_outputs(np.random.default_rng(1), 2, 20, 3)
        self.run_layer_test(
            NMSDetectionDecoder,
            {
                "from_logits": False,
                "max_num_detections": 6,
                "bounding_box_format": "yxyx",
            },
            boxes,
            call_kwargs={"raw_scores": scores},
            expected_output_shape={
                "boxes": (2, 6, 4),
                "labels": (2, 6),
                "num_detections": (2,),
                "scores": (2, 6),
            },
            run_functional_check=False,
        )

    def test_bad_input(self):
        boxes, scores = random_outputs(np.random.default_rng(1), 2, 20, 3)
        with pytest.raises(ValueError, match="same batch size"):
            NMSDetectionDecoder()(boxes, scores[:1])
        with pytest.raises(ValueError, match="one row per anchor"):
            NMSDetectionDecoder()(boxes, scores[:, :5])
        with pytest.raises(ValueError, match="positive integer"):
            NMSDetectionDecoder(max_num_detections=0)
        with pytest.raises(ValueError, match="must be"):
            NMSDetectionDecoder()(boxes[0], scores[0])
