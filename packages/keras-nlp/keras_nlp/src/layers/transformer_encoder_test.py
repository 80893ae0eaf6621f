# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import tensorflow as tf
from scipy.special import erf

from keras_core.testing import TestCase
from keras_nlp.src.layers.self_attention_mask import SelfAttentionMask
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder

B, T, H, HEADS = 2, 5, 8, 2


def _data(seed=0):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(B, T, H)).astype("float32")
    padding = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], "int32")
    mask = np.stack([np.tile(row, (T, 1)) for row in padding]).astype("float32")
    return x, padding, mask


def _randomize(layer, seed=1):
    """Gives every weight (biases, norms too) random values."""
    rng = np.random.RandomState(seed)
    layer.set_weights(
        [
            rng.normal(scale=0.5, size=w.shape).astype("float32")
            for w in layer.get_weights()
        ]
    )


def _layer_norm(x, gamma, beta, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _reference(layer, x, mask, norm_first=False):
    """A NumPy (float64) Transformer encoder block from the layer's weights."""
    att = layer.attention_layer
    w = {
        name: [v.numpy().astype("float64") for v in sub.weights]
        for name, sub in (
            ("q", att.query_dense),
            ("k", att.key_dense),
            ("v", att.value_dense),
            ("o", att.output_dense),
            ("ln1", layer.attention_norm),
            ("ln2", layer.output_norm),
            ("inner", layer.inner_dense),
            ("out", layer.output_dense),
        )
    }
    eps = layer.norm_epsilon
    x = x.astype("float64")

    def attention(h):
        q = np.einsum("btd,dnh->btnh", h, w["q"][0]) + w["q"][1]
        k = np.einsum("btd,dnh->btnh", h, w["k"][0]) + w["k"][1]
        v = np.einsum("btd,dnh->btnh", h, w["v"][0]) + w["v"][1]
        scores = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(q.shape[-1])
        scores = np.where(mask[:, None] > 0, scores, -1e30)
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        ctx = np.einsum("bnts,bsnh->btnh", probs, v)
        return np.einsum("btnh,nhd->btd", ctx, w["o"][0]) + w["o"][1]

    def ffn(h):
        inner = h @ w["inner"][0] + w["inner"][1]
        inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
        return inner @ w["out"][0] + w["out"][1]

    if norm_first:
        h = x + attention(_layer_norm(x, *w["ln1"], eps))
        return h + ffn(_layer_norm(h, *w["ln2"], eps))
    h = _layer_norm(x + attention(x), *w["ln1"], eps)
    return _layer_norm(h + ffn(h), *w["ln2"], eps)


class TransformerEncoderTest(TestCase):
    def test_layer_with_mask(self):
        x, _, mask = _data()
        layer = self.run_layer_test(
            TransformerEncoder,
            init_kwargs={
                "num_attention_heads": HEADS,
                "inner_dim": 16,
                "output_dropout": 0.1,
            },
            input_data=(x, mask),
            expected_output_shape=(B, T, H),
            expected_output_dtype="float32",
            expected_num_trainable_weights=16,
            run_tf_data_check=False,
        )
        dataset = (
            tf.data.Dataset.from_tensor_slices((x, mask))
            .batch(B)
            .map(lambda a, m: layer([a, m]))
        )
        self.assertAllClose(next(iter(dataset)), layer([x, mask]), atol=1e-5)

    def test_layer_without_mask_pre_norm(self):
        x, _, _ = _data()
        self.run_layer_test(
            TransformerEncoder,
            init_kwargs={
                "num_attention_heads": HEADS,
                "inner_dim": 16,
                "inner_activation": "relu",
                "norm_first": True,
                "use_bias": False,
            },
            input_data=x,
            expected_output_shape=(B, T, H),
            expected_num_trainable_weights=10,
        )

    def test_matches_numpy_reference(self):
        x, _, mask = _data()
        for norm_first in (False, True):
            layer = TransformerEncoder(
                HEADS, 16, norm_first=norm_first, norm_epsilon=1e-6
            )
            layer([x, mask])
            _randomize(layer)
            expected = _reference(layer, x, mask, norm_first=norm_first)
            self.assertAllClose(layer([x, mask]), expected, atol=1e-5, rtol=1e-5)

    def test_padding_mask_forms_agree(self):
        x, padding, mask = _data()
        layer = TransformerEncoder(HEADS, 16)
        self.assertAllClose(layer([x, padding]), layer([x, mask]), atol=0, rtol=0)
        self.assertAllClose(
            layer([x, SelfAttentionMask()([x, padding])]),
            layer([x, mask]),
            atol=0,
            rtol=0,
        )

    def test_padded_positions_do_not_change_real_positions(self):
        x, padding, mask = _data()
        layer = TransformerEncoder(HEADS, 16)
        before = layer([x, mask]).numpy()
        noisy = x.copy()
        noisy[padding == 0] = np.random.RandomState(5).normal(
            scale=10, size=noisy[padding == 0].shape
        )
        after = layer([noisy, mask]).numpy()
        np.testing.assert_allclose(after[padding == 1], before[padding == 1], atol=1e-5)
        self.assertGreater(
            np.abs(after[padding == 0] - before[padding == 0]).max(), 1e-2
        )

    def test_output_range(self):
        x, _, mask = _data()
        full = TransformerEncoder(HEADS, 16)
        expected = full([x, mask])
        sliced = TransformerEncoder(HEADS, 16, output_range=2)
        sliced([x, mask])
        sliced.set_weights(full.get_weights())
        out = sliced([x, mask])
        self.assertEqual(tuple(out.shape), (B, 2, H))
        self.assertAllClose(out, expected[:, :2], atol=1e-5)
        inputs = [keras.Input((None, H)), keras.Input((None, None))]
        self.assertEqual(tuple(sliced(inputs).shape), (None, 2, H))

    def test_dropout_only_in_training(self):
        x, _, mask = _data()
        layer = TransformerEncoder(
            HEADS, 16, output_dropout=0.5, attention_dropout=0.5, inner_dropout=0.5
        )
        self.assertAllClose(layer([x, mask]), layer([x, mask], training=False), atol=0)
        self.assertGreater(
            np.abs(
                layer([x, mask], training=True) - layer([x, mask], training=False)
            ).max(),
            1e-3,
        )

    def test_initializers_and_regularizers(self):
        x, _, mask = _data()
        layer = TransformerEncoder(
            HEADS,
            16,
            attention_initializer="zeros",
            kernel_initializer="ones",
            bias_initializer="ones",
            kernel_regularizer="l2",
            activity_regularizer="l1",
        )
        layer([x, mask])
        self.assertAllEqual(
            layer.attention_layer.query_dense.kernel, np.zeros((H, HEADS, H // HEADS))
        )
        self.assertAllEqual(layer.inner_dense.kernel, np.ones((H, 16)))
        self.assertAllEqual(layer.inner_dense.bias, np.ones((16,)))
        self.assertGreater(len(layer.losses), 6)

    def test_shared_block_applied_repeatedly(self):
        x, _, mask = _data()
        block = TransformerEncoder(HEADS, 16)
        once = block([x, mask])
        twice = block([once, mask])
        self.assertLen(block.trainable_weights, 16)
        self.assertGreater(np.abs(twice - once).max(), 1e-3)

    def test_mixed_bfloat16(self):
        x, _, mask = _data()
        reference = TransformerEncoder(HEADS, 16)
        expected = reference([x, mask])
        layer = TransformerEncoder(HEADS, 16, dtype="mixed_bfloat16")
        layer([x, mask])
        layer.set_weights(reference.get_weights())
        out = layer([x, mask])
        self.assertEqual(keras.backend.standardize_dtype(out.dtype), "bfloat16")
        self.assertEqual(layer.attention_layer.query_dense.kernel.dtype, "float32")
        self.assertAllClose(out, expected, atol=0.1, rtol=0.05)

    def test_bad_arguments(self):
        x, _, mask = _data()
        with self.assertRaisesRegex(
            ValueError,
            r"hidden size \(8\) must be divisible by num_attention_heads \(3\)",
        ):
            TransformerEncoder(3, 16)([x, mask])
        with self.assertRaisesRegex(ValueError, "num_attention_heads"):
            TransformerEncoder(0, 16)
        with self.assertRaisesRegex(ValueError, "output_range"):
            TransformerEncoder(2, 16, output_range=0)
        with self.assertRaisesRegex(ValueError, "attention_dropout"):
            TransformerEncoder(2, 16, attention_dropout=1.5)
        with self.assertRaisesRegex(ValueError, "Unknown activation 'gelu_fast'"):
            TransformerEncoder(2, 16, inner_activation="gelu_fast")
        with self.assertRaisesRegex(ValueError, "attention_mask"):
            TransformerEncoder(2, 16)([x, np.ones((B, 1, T, T))])
        with self.assertRaisesRegex(ValueError, "list of 1 to 2"):
            TransformerEncoder(2, 16)([x, mask, mask])
