# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.layers.transformer_decoder import TransformerDecoder

B, T, S, H = 2, 4, 6, 8


def _data(seed=0):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(B, T, H)).astype("float32")
    memory = rng.normal(size=(B, S, 12)).astype("float32")
    memory_padding = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], "int32")
    return x, memory, memory_padding


class TransformerDecoderTest(TestCase):
    def test_layer(self):
        x, memory, memory_padding = _data()
        layer = self.run_layer_test(
            TransformerDecoder,
            init_kwargs={
                "num_attention_heads": 2,
                "inner_dim": 16,
                "output_dropout": 0.1,
            },
            input_data=(x, memory, memory_padding),
            expected_output_shape=(B, T, H),
            expected_output_dtype="float32",
            expected_num_trainable_weights=26,
            run_tf_data_check=False,
        )
        dataset = tf.data.Dataset.from_tensor_slices((x, memory, memory_padding)).batch(
            B
        )
        dataset = dataset.map(lambda a, m, p: layer([a, m, p]))
        self.assertAllClose(
            next(iter(dataset)), layer([x, memory, memory_padding]), atol=1e-5
        )

    def test_layer_pre_norm_without_masks(self):
        x, memory, _ = _data()
        self.run_layer_test(
            TransformerDecoder,
            init_kwargs={
                "num_attention_heads": 2,
                "inner_dim": 16,
                "norm_first": True,
                "use_causal_mask": False,
            },
            input_data=(x, memory),
            expected_output_shape=(B, T, H),
            run_tf_data_check=False,
        )

    def test_causal(self):
        x, memory, _ = _data()
        for norm_first in (False, True):
            layer = TransformerDecoder(2, 16, norm_first=norm_first)
            before = layer([x, memory]).numpy()
            changed = x.copy()
            changed[:, 2:] += 5.0
            after = layer([changed, memory]).numpy()
            np.testing.assert_allclose(after[:, :2], before[:, :2], atol=1e-5)
            self.assertGreater(np.abs(after[:, 2:] - before[:, 2:]).max(), 1e-2)

    def test_not_causal_sees_the_future(self):
        x, memory, _ = _data()
        layer = TransformerDecoder(2, 16, use_causal_mask=False)
        changed = x.copy()
        changed[:, -1] += 5.0
        self.assertGreater(
            np.abs(layer([changed, memory])[:, 0] - layer([x, memory])[:, 0]).max(),
            1e-3,
        )

    def test_memory_mask_hides_padded_memory(self):
        x, memory, memory_padding = _data()
        layer = TransformerDecoder(2, 16)
        before = layer([x, memory, memory_padding]).numpy()
        noisy = memory.copy()
        noisy[memory_padding == 0] = 100.0
        after = layer([x, noisy, memory_padding]).numpy()
        np.testing.assert_allclose(after, before, atol=1e-5)
        # Without the mask the padded memory matters.
        self.assertGreater(np.abs(layer([x, noisy]) - layer([x, memory])).max(), 1e-3)

    def test_self_attention_padding_mask(self):
        x, memory, _ = _data()
        layer = TransformerDecoder(2, 16, use_causal_mask=False)
        padding = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], "int32")
        before = layer([x, memory, None, padding]).numpy()
        noisy = x.copy()
        noisy[padding == 0] = 50.0
        after = layer([noisy, memory, None, padding]).numpy()
        np.testing.assert_allclose(after[padding == 1], before[padding == 1], atol=1e-5)

    def test_mixed_bfloat16(self):
        x, memory, _ = _data()
        out = TransformerDecoder(2, 16, dtype="mixed_bfloat16")([x, memory])
        self.assertEqual(keras.backend.standardize_dtype(out.dtype), "bfloat16")

    def test_bad_inputs(self):
        x, memory, _ = _data()
        with self.assertRaisesRegex(ValueError, r"x, memory"):
            TransformerDecoder(2, 16)(x)
        with self.assertRaisesRegex(ValueError, r"hidden size \(8\) must be divisible"):
            TransformerDecoder(3, 16)([x, memory])

    def test_cached_decoding_equals_full_recomputation(self):
        x, memory, memory_padding = _data()
        for norm_first in (False, True):
            layer = TransformerDecoder(2, 16, norm_first=norm_first)
            full = layer([x, memory, memory_padding]).numpy()
            cache = layer.build_cache(memory, max_length=T)
            outputs = []
            for index in range(T):
                out, cache = layer.call_with_cache(
                    x[:, index : index + 1], cache, index, memory_mask=memory_padding
                )
                outputs.append(out.numpy())
            np.testing.assert_allclose(
                np.concatenate(outputs, axis=1), full, atol=1e-5, rtol=1e-5
            )
            # The cache holds the keys of every position after the last step.
            self.assertEqual(tuple(cache["key"].shape), (B, T, 2, 4))

    def test_cached_decoding_needs_causal_block(self):
        x, memory, _ = _data()
        layer = TransformerDecoder(2, 16, use_causal_mask=False)
        layer([x, memory])
        with self.assertRaisesRegex(ValueError, "use_causal_mask=True"):
            layer.call_with_cache(x[:, :1], layer.build_cache(memory, T), 0)
        with self.assertRaisesRegex(ValueError, "before `build_cache`"):
            TransformerDecoder(2, 16).build_cache(memory, T)
