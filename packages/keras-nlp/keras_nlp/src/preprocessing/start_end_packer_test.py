# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.preprocessing.start_end_packer import StartEndPacker


class StartEndPackerTest(TestCase):
    def test_hand_computed(self):
        packer = StartEndPacker(
            5, start_value=1, end_value=2, pad_value=-1, return_padding_mask=True
        )
        ids, mask = packer(tf.ragged.constant([[7, 8], [7, 8, 9, 10, 11], []]))
        self.assertEqual(
            ids.numpy().tolist(),
            [[1, 7, 8, 2, -1], [1, 7, 8, 9, 2], [1, 2, -1, -1, -1]],
        )
        self.assertEqual(mask.numpy().sum(axis=1).tolist(), [4, 5, 2])

    def test_without_specials_and_unbatched(self):
        self.assertEqual(StartEndPacker(3)([4, 5, 6, 7]).numpy().tolist(), [4, 5, 6])
        self.assertEqual(
            StartEndPacker(4, end_value=2)([[4]]).numpy().tolist(), [[4, 2, 0, 0]]
        )

    def test_layer_harness(self):
        self.run_layer_test(
            StartEndPacker,
            {"sequence_length": 6, "start_value": 1, "end_value": 2},
            np.array([[5, 6, 7], [5, 8, 9]]),
            expected_output_shape=(2, 6),
            expected_output_dtype="int32",
        )

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "sequence_length"):
            StartEndPacker(1, start_value=1, end_value=2)
        with self.assertRaisesRegex(ValueError, "rank"):
            StartEndPacker(4)(np.zeros((1, 2, 3), "int32"))
