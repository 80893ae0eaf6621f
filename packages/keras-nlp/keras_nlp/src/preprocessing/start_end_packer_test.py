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

    def test_token_strings_and_several_special_values(self):
        packer = StartEndPacker(
            6, start_value=["<bos>", "<lang>"], end_value="<eos>", pad_value="<pad>"
        )
        out = packer(tf.ragged.constant([["hi", "there"], ["a", "b", "c", "d", "e"]]))
        self.assertEqual(
            out.numpy().astype(str).tolist(),
            [
                ["<bos>", "<lang>", "hi", "there", "<eos>", "<pad>"],
                ["<bos>", "<lang>", "a", "b", "c", "<eos>"],
            ],
        )
        # The default pad value 0 becomes "" for strings.
        self.assertEqual(
            StartEndPacker(3, end_value="</s>")(["x"]).numpy().astype(str).tolist(),
            ["x", "</s>", ""],
        )
        ids = StartEndPacker(7, start_value=[8, 9], end_value=[6, 7])([[1, 2, 3, 4]])
        self.assertEqual(ids.numpy().tolist(), [[8, 9, 1, 2, 3, 6, 7]])

    def test_call_arguments_override(self):
        packer = StartEndPacker(5, start_value=1, end_value=2, pad_value=0)
        tokens = [[7, 8, 9]]
        self.assertEqual(packer(tokens).numpy().tolist(), [[1, 7, 8, 9, 2]])
        self.assertEqual(
            packer(tokens, add_start_value=False).numpy().tolist(), [[7, 8, 9, 2, 0]]
        )
        self.assertEqual(
            packer(tokens, add_end_value=False).numpy().tolist(), [[1, 7, 8, 9, 0]]
        )
        self.assertEqual(
            packer(tokens, sequence_length=3).numpy().tolist(), [[1, 7, 2]]
        )
        with self.assertRaisesRegex(ValueError, ">= 2"):
            packer(tokens, sequence_length=1)

    def test_special_value_checks(self):
        with self.assertRaisesRegex(ValueError, "start_value=1.5"):
            StartEndPacker(5, start_value=1.5)
        with self.assertRaisesRegex(ValueError, "all ints or all strings"):
            StartEndPacker(5, start_value=[1, "<s>"])
        with self.assertRaisesRegex(TypeError, "integer token ids"):
            StartEndPacker(5, start_value="<s>")([[1, 2]])
        with self.assertRaisesRegex(TypeError, "string `pad_value`"):
            StartEndPacker(5, pad_value=3)([["a"]])
