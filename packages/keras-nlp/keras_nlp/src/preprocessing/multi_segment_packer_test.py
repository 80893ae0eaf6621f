# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.preprocessing.multi_segment_packer import MultiSegmentPacker


class MultiSegmentPackerTest(TestCase):
    def test_round_robin_hand_computed(self):
        packer = MultiSegmentPacker(8, start_value=101, end_value=102)
        out = packer(([[1, 2, 3, 4], [1]], [[5, 6, 7], [5, 6]]))
        # Budget 8 - 3 = 5: a, b, a, b, a -> 3 from a, 2 from b.
        self.assertEqual(
            out["token_ids"].numpy().tolist(),
            [[101, 1, 2, 3, 102, 5, 6, 102], [101, 1, 102, 5, 6, 102, 0, 0]],
        )
        self.assertEqual(
            out["segment_ids"].numpy().tolist(),
            [[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1, 0, 0]],
        )
        self.assertEqual(
            out["padding_mask"].numpy().tolist(),
            [[True] * 8, [True] * 6 + [False] * 2],
        )

    def test_waterfall_hand_computed(self):
        packer = MultiSegmentPacker(8, 101, 102, pad_value=9, truncate="waterfall")
        out = packer((tf.ragged.constant([[1, 2, 3, 4, 5, 6]]), tf.constant([[7, 8]])))
        # The first segment takes the whole budget of 5; b keeps nothing.
        self.assertEqual(
            out["token_ids"].numpy().tolist(), [[101, 1, 2, 3, 4, 5, 102, 102]]
        )
        out = packer(([[1, 2, 3]], [[7, 8, 9]]))
        self.assertEqual(
            out["token_ids"].numpy().tolist(), [[101, 1, 2, 3, 102, 7, 8, 102]]
        )
        out = packer(([[1]], [[7]]))
        self.assertEqual(
            out["token_ids"].numpy().tolist(), [[101, 1, 102, 7, 102, 9, 9, 9]]
        )

    def test_single_segment_and_unbatched(self):
        packer = MultiSegmentPacker(5, 1, 2)
        self.assertEqual(
            packer([7, 8, 9, 10])["token_ids"].numpy().tolist(), [1, 7, 8, 9, 2]
        )
        self.assertEqual(
            packer([[7], [8, 9]])["token_ids"].numpy().tolist(),
            [[1, 7, 2, 0, 0], [1, 8, 9, 2, 0]],
        )

    def test_three_segments(self):
        packer = MultiSegmentPacker(9, 1, 2)
        out = packer(([[3, 3, 3]], [[4, 4, 4]], [[5, 5, 5]]))
        # Budget 9 - 4 = 5, taken a, b, c, a, b.
        self.assertEqual(
            out["token_ids"].numpy().tolist(), [[1, 3, 3, 2, 4, 4, 2, 5, 2]]
        )
        self.assertEqual(
            out["segment_ids"].numpy().tolist(), [[0, 0, 0, 0, 1, 1, 1, 2, 2]]
        )

    def test_layer_harness(self):
        self.run_layer_test(
            MultiSegmentPacker,
            {"sequence_length": 6, "start_value": 1, "end_value": 2},
            (np.array([[5, 6, 7], [5, 0, 0]]), np.array([[8, 9], [8, 9]])),
            expected_output_shape={
                "token_ids": (2, 6),
                "segment_ids": (2, 6),
                "padding_mask": (2, 6),
            },
            # The harness maps single-argument layers; tested below instead.
            run_tf_data_check=False,
        )

    def test_in_tf_data_with_ragged_segments(self):
        packer = MultiSegmentPacker(6, 1, 2)
        a = tf.ragged.constant([[5, 6, 7, 8], [5]])
        b = tf.ragged.constant([[9], [9, 9, 9, 9]])
        ds = tf.data.Dataset.from_tensor_slices((a, b)).batch(2)
        out = next(iter(ds.map(lambda x, y: packer((x, y)))))
        self.assertEqual(
            out["token_ids"].numpy().tolist(), [[1, 5, 6, 2, 9, 2], [1, 5, 2, 9, 9, 2]]
        )

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "truncate"):
            MultiSegmentPacker(8, 1, 2, truncate="longest_first")
        with self.assertRaisesRegex(ValueError, "cannot hold 2 segment"):
            MultiSegmentPacker(4, 1, 2)(([[3]], [[4]]))
        with self.assertRaisesRegex(ValueError, ">= 3"):
            MultiSegmentPacker(2, 1, 2)
        with self.assertRaisesRegex(TypeError, "integer token ids"):
            MultiSegmentPacker(8, 1, 2)(tf.constant([["a"]]))
