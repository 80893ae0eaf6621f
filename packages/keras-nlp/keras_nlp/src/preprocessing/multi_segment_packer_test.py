# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
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

    def test_token_strings_and_sep_value(self):
        # Budget 9 - 4 special tokens = 5 tokens, shared round robin (3 + 2).
        packer = MultiSegmentPacker(
            9,
            start_value="<s>",
            end_value="</s>",
            sep_value=["</s>", "</s>"],
            pad_value="<pad>",
        )
        first = tf.ragged.constant([["q", "r", "s"], ["q"]])
        second = tf.ragged.constant([["t", "u", "v"], ["t"]])
        out = packer((first, second))
        self.assertEqual(
            out["token_ids"].numpy().astype(str).tolist(),
            [
                ["<s>", "q", "r", "s", "</s>", "</s>", "t", "u", "</s>"],
                ["<s>", "q", "</s>", "</s>", "t", "</s>", "<pad>", "<pad>", "<pad>"],
            ],
        )
        self.assertEqual(
            out["segment_ids"].numpy().tolist(),
            [[0, 0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 1, 1, 0, 0, 0]],
        )
        self.assertEqual(out["padding_mask"].numpy().sum(axis=1).tolist(), [9, 6])
        revived = MultiSegmentPacker.from_config(packer.get_config())
        self.assertAllEqual(revived((first, second))["token_ids"], out["token_ids"])

    def test_list_start_value_with_ids(self):
        packer = MultiSegmentPacker(8, start_value=[1, 5], end_value=2, sep_value=[3])
        out = packer(([[10, 11]], [[12, 13]]))
        self.assertEqual(
            out["token_ids"].numpy().tolist(), [[1, 5, 10, 11, 3, 12, 13, 2]]
        )
        self.assertEqual(
            out["segment_ids"].numpy().tolist(), [[0, 0, 0, 0, 0, 1, 1, 1]]
        )
        with self.assertRaisesRegex(
            TypeError, "must all be int ids or all token strings"
        ):
            MultiSegmentPacker(8, start_value=1, end_value="[SEP]")
        with self.assertRaisesRegex(TypeError, r"start_value=\[1.0\]"):
            MultiSegmentPacker(8, start_value=[1.0], end_value=2)


def _reference_pack(segments, sequence_length, start, end, sep, pad, truncate):
    """The packing as tensorflow-text trims and `tf.concat` joins ragged
    segments (the packer's previous computation), padded with `to_tensor`."""
    import tensorflow_text as tf_text

    n = len(segments)
    budget = sequence_length - len(start) - len(end) - (n - 1) * len(sep)
    trimmer = (
        tf_text.RoundRobinTrimmer
        if truncate == "round_robin"
        else tf_text.WaterfallTrimmer
    )
    trimmed = trimmer(budget).trim(segments)
    batch = trimmed[0].nrows()
    dtype = segments[0].dtype

    def row(values):
        return tf.RaggedTensor.from_tensor(
            tf.tile(tf.constant([list(values)], dtype), [batch, 1])
        )

    parts, ids = [row(start)], [tf.zeros([batch, len(start)], tf.int32)]
    for i, segment in enumerate(trimmed):
        closer = row(end if i == n - 1 else sep)
        parts += [segment, closer]
        ids += [tf.ones_like(segment, tf.int32) * i, tf.ones_like(closer, tf.int32) * i]
    shape = [None, sequence_length]
    tokens = tf.concat(parts, axis=1)
    segment_ids = tf.concat(ids, axis=1)
    return {
        "token_ids": tokens.to_tensor(default_value=pad, shape=shape),
        "segment_ids": segment_ids.to_tensor(shape=shape),
        "padding_mask": tf.ones_like(segment_ids, tf.bool).to_tensor(
            default_value=False, shape=shape
        ),
    }


def _random_segments(rng, n):
    batch = int(rng.integers(0, 6))
    if not batch:
        return [
            tf.RaggedTensor.from_row_splits(
                tf.zeros([0], tf.int32), tf.zeros([1], tf.int64)
            )
            for _ in range(n)
        ]
    return [
        tf.ragged.constant(
            [list(rng.integers(4, 50, rng.integers(0, 15))) for _ in range(batch)],
            dtype=tf.int32,
            ragged_rank=1,
            inner_shape=(),
        )
        for _ in range(n)
    ]


_SPECIALS = (((101,), (102,), (102,)), ((1, 5), (2,), (3, 3)))


class PackingEqualsTrimAndConcatTest(TestCase):
    def _check_random_cases(self, cases):
        """Packs random batches eagerly and traced, against tensorflow-text's
        trimmers plus ragged concatenation."""
        rng = np.random.default_rng(0)
        for n, truncate, (start, end, sep), tight in cases:
            length = len(start) + len(end) + (n - 1) * len(sep) + n if tight else 12
            segments = _random_segments(rng, n)
            packer = MultiSegmentPacker(
                length,
                list(start),
                list(end),
                sep_value=list(sep),
                pad_value=7,
                truncate=truncate,
            )
            expected = _reference_pack(segments, length, start, end, sep, 7, truncate)
            graph = tf.function(packer.call)
            for out in (packer(tuple(segments)), graph(tuple(segments))):
                for key in expected:
                    self.assertAllEqual(out[key], expected[key])

    def test_random_segments_equal_the_ragged_reference(self):
        # One case per segment count and truncation, both special-token
        # layouts and both lengths among them (the whole grid is large).
        self._check_random_cases(
            [
                (1, "round_robin", _SPECIALS[0], True),
                (2, "round_robin", _SPECIALS[1], False),
                (2, "waterfall", _SPECIALS[0], False),
                (3, "round_robin", _SPECIALS[0], False),
                (3, "waterfall", _SPECIALS[1], True),
            ]
        )

    @pytest.mark.large
    def test_every_random_case_equals_the_ragged_reference(self):
        self._check_random_cases(
            [
                (n, truncate, specials, tight)
                for n in (1, 2, 3)
                for truncate in ("round_robin", "waterfall")
                for specials in _SPECIALS
                for tight in (True, False)
            ]
        )

    def test_token_strings_equal_the_ragged_reference(self):
        segments = [
            tf.ragged.constant([["a", "b", "c"], [], ["d"]]),
            tf.ragged.constant([["e"], ["f", "g", "h", "i"], []]),
        ]
        packer = MultiSegmentPacker(
            7, "<s>", "</s>", sep_value=["</s>", "</s>"], pad_value="<pad>"
        )
        expected = _reference_pack(
            segments, 7, ("<s>",), ("</s>",), ("</s>", "</s>"), "<pad>", "round_robin"
        )
        out = packer(tuple(segments))
        for key in expected:
            self.assertAllEqual(out[key], expected[key])

    def test_a_bert_packing_traces_few_ops(self):
        packer = MultiSegmentPacker(128, 2, 3)
        spec = tf.RaggedTensorSpec([None, None], tf.int32)
        graph = tf.function(packer.call).get_concrete_function(spec).graph
        # 71 ops; 340 when the ragged segments were trimmed and concatenated.
        self.assertLess(len(graph.get_operations()), 100)
