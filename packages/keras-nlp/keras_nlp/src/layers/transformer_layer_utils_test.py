# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np

from keras_core.testing import TestCase
from keras_nlp.src.layers.transformer_decoder import TransformerDecoder
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder
from keras_nlp.src.layers.transformer_layer_utils import as_attention_mask
from keras_nlp.src.layers.transformer_layer_utils import check_block_sizes
from keras_nlp.src.layers.transformer_layer_utils import check_dropout_rates
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
from keras_nlp.src.layers.transformer_layer_utils import split_inputs


class SplitInputsTest(TestCase):
    def test_pads_with_none(self):
        x, y = object(), object()
        self.assertEqual(split_inputs(x, "Block", 3), [x, None, None])
        self.assertEqual(split_inputs([x, y], "Block", 3), [x, y, None])
        self.assertEqual(split_inputs((x, y), "Block", 2), [x, y])

    def test_rejects_too_many_empty_and_dicts(self):
        with self.assertRaisesRegex(ValueError, "1 to 2 tensors. Received a list of 3"):
            split_inputs([1, 2, 3], "Block", 2)
        with self.assertRaisesRegex(ValueError, "Received a tuple of 0"):
            split_inputs((), "Block", 2)
        with self.assertRaisesRegex(TypeError, r"not a dict. Received keys: \['a'\]"):
            split_inputs({"a": 1}, "Block", 2)


class AsAttentionMaskTest(TestCase):
    def test_padding_mask_gets_a_query_axis(self):
        padding = np.array([[1, 1, 0], [1, 0, 0]])
        mask = keras.ops.convert_to_numpy(as_attention_mask(padding, "m"))
        self.assertEqual(mask.shape, (2, 1, 3))
        self.assertAllEqual(mask[:, 0, :], padding)

    def test_full_mask_and_none_pass_through(self):
        full = np.ones((2, 4, 3))
        self.assertIs(as_attention_mask(full, "m"), full)
        self.assertIsNone(as_attention_mask(None, "m"))

    def test_other_ranks_raise_with_the_name(self):
        with self.assertRaisesRegex(ValueError, r"`memory_mask` .* shape=\(3,\)"):
            as_attention_mask(np.ones((3,)), "memory_mask")


class ChecksTest(TestCase):
    def test_block_sizes(self):
        check_block_sizes(2, 8)
        for heads, inner in ((0, 8), (True, 8), (2.0, 8), (2, -1)):
            with self.assertRaisesRegex(ValueError, "must be a positive int"):
                check_block_sizes(heads, inner)

    def test_dropout_rates_name_the_first_bad_one(self):
        check_dropout_rates(a=0.0, b=0.99)
        with self.assertRaisesRegex(ValueError, r"`b` .* Received: b=1.0"):
            check_dropout_rates(a=0.5, b=1.0, c=-1)


class CloneInitializerTest(TestCase):
    def test_same_config_fresh_object(self):
        seeded = keras.initializers.GlorotUniform(seed=7)
        clone = clone_initializer(seeded)
        self.assertIsNot(clone, seeded)
        self.assertEqual(clone.get_config(), seeded.get_config())
        self.assertAllClose(clone((3, 4)), seeded((3, 4)))
        self.assertIsInstance(clone_initializer("zeros"), keras.initializers.Zeros)


class TransformerLayerBaseTest(TestCase):
    def test_config_keys_in_argument_order(self):
        # Each block's own argument sits after `inner_activation`, as in
        # the order of its `__init__` arguments.
        for cls, own in (
            (TransformerEncoder, "output_range"),
            (TransformerDecoder, "use_causal_mask"),
        ):
            keys = list(cls(2, 8).get_config())
            start = keys.index("num_attention_heads")
            self.assertEqual(
                keys[start : start + 5],
                ["num_attention_heads", "inner_dim", "inner_activation", own]
                + ["kernel_initializer"],
            )
            self.assertEqual(keys[-1], "attention_initializer")

    def test_feed_forward_weights_in_checkpoint_order(self):
        encoder = TransformerEncoder(2, 16)
        encoder(np.zeros((1, 3, 8), "float32"))
        decoder = TransformerDecoder(2, 16)
        decoder([np.zeros((1, 3, 8), "float32"), np.zeros((1, 4, 6), "float32")])
        tail = [
            "inner_dense/kernel",
            "inner_dense/bias",
            "output_dense/kernel",
            "output_dense/bias",
            "output_norm/gamma",
            "output_norm/beta",
        ]
        for layer in (encoder, decoder):
            names = [w.path.split("/", 1)[1] for w in layer.weights]
            self.assertEqual(names[-6:], tail)
