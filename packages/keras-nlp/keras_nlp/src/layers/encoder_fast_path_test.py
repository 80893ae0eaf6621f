# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`TransformerEncoder`'s TensorFlow computation (`encoder_fast_path`)
against the calls of its Keras sub-layers (the reference)."""

from unittest import mock

import keras
import numpy as np
import pytest
import tensorflow as tf
from absl.testing import parameterized

from keras_core.testing import TestCase
from keras_nlp.src.layers import encoder_fast_path
from keras_nlp.src.layers.self_attention_mask import SelfAttentionMask
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder

B, T, H = 3, 7, 16


def _block(**kwargs):
    keras.utils.set_random_seed(1)
    arguments = dict(
        num_attention_heads=2,
        inner_dim=32,
        output_dropout=0.1,
        attention_dropout=0.2,
        inner_dropout=0.1,
        bias_initializer="random_normal",
    )
    arguments.update(kwargs)
    block = TransformerEncoder(**arguments)
    block.build((None, None, H))
    rng = np.random.RandomState(2)
    block.set_weights(
        [
            rng.normal(scale=0.5, size=w.shape).astype("float32")
            for w in block.get_weights()
        ]
    )
    return block


def _inputs():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(B, T, H)).astype("float32")
    # The last sequence is all padding: its rows allow no key.
    padding = np.array([[1] * 7, [1] * 4 + [0] * 3, [0] * 7], "int32")
    return x, padding


def _run(block, fast, inputs, training):
    """Outputs and gradients, the dropout seeds restored afterwards."""
    generators = [
        block.attention_layer._dropout_layer.seed_generator,
        block._output_dropout_layer.seed_generator,
        block._inner_dropout_layer.seed_generator,
    ]
    states = [g.state.numpy() for g in generators]
    block._use_fast_path = fast
    x = tf.constant(inputs[0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = block([x, *inputs[1:]], training=training)
        loss = tf.reduce_sum(y * tf.sin(tf.range(H, dtype="float32")))
    gradients = tape.gradient(loss, [x] + block.trainable_weights)
    for generator, state in zip(generators, states):
        generator.state.assign(state)
    return [y.numpy()] + [g.numpy() for g in gradients]


def _step(block, training):
    """A function of `(x, mask)` giving the block's outputs and the
    gradients of a fixed weighted sum of them (input, then weights)."""

    def step(a, b):
        with tf.GradientTape() as tape:
            tape.watch(a)
            y = block([a, b], training=training)
            loss = tf.reduce_sum(y * tf.sin(tf.range(H, dtype="float32")))
        return [y] + tape.gradient(loss, [a] + block.trainable_weights)

    return step


def _masked_inputs(mask):
    """`(x,)` or `(x, mask)` for a mask kind, padding rows included."""
    x, padding = _inputs()
    if mask == "3d":
        return (x, SelfAttentionMask()([x, padding]))
    if mask == "causal":
        # Rows differ (a wrong row slice shows); the first query of the
        # padded sequence allows no key.
        causal = np.tril(np.ones((T, T), "float32"))
        return (x, SelfAttentionMask()([x, padding]).numpy() * causal)
    if mask == "3d_one_row":  # (batch, 1, length): broadcast, not sliced
        return (x, padding[:, None, :])
    if mask == "2d":
        return (x, padding)
    return (x,)


def _assert_same(test, fast, reference):
    test.assertEqual(len(fast), len(reference))
    for got, want in zip(fast, reference):
        test.assertEqual(got.shape, want.shape)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


class EncoderFastPathTest(TestCase, parameterized.TestCase):
    @parameterized.product(
        norm_first=[False, True], training=[False, True], mask=["3d", "2d", "none"]
    )
    def test_equals_keras_sublayers(self, norm_first, training, mask):
        block = _block(norm_first=norm_first)
        inputs = _masked_inputs(mask)
        self.assertTrue(encoder_fast_path.can_use(block))
        fast = _run(block, True, inputs, training)
        reference = _run(block, False, inputs, training)
        # The same dropout masks (a different mask would differ by O(1)),
        # the products summed in another order.
        for got, want in zip(fast, reference):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        if training:
            # Dropout was active.
            self.assertGreater(
                np.abs(fast[0] - _run(block, True, inputs, False)[0]).max(), 1e-2
            )

    @parameterized.product(
        norm_first=[False, True],
        training=[False, True],
        mask=["causal", "3d_one_row", "2d", "none"],
        output_range=[1, 3],
    )
    def test_output_range_equals_keras_sublayers(
        self, norm_first, training, mask, output_range
    ):
        block = _block(norm_first=norm_first, output_range=output_range)
        inputs = _masked_inputs(mask)
        self.assertTrue(encoder_fast_path.can_use(block))
        fast = _run(block, True, inputs, training)
        reference = _run(block, False, inputs, training)
        self.assertEqual(fast[0].shape, (B, output_range, H))
        if mask != "causal":
            # Keys and values come from every position: the gradient
            # reaches the positions past `output_range`.
            self.assertGreater(np.abs(fast[1][:, output_range:]).max(), 1e-3)
        _assert_same(self, fast, reference)
        if training:
            self.assertGreater(
                np.abs(fast[0] - _run(block, True, inputs, False)[0]).max(), 1e-2
            )

    @parameterized.parameters("causal", "2d")
    def test_output_range_longer_than_sequence(self, mask):
        # As the sub-layers: all `length` positions, the mask rows alike.
        block = _block(output_range=T + 3)
        inputs = _masked_inputs(mask)
        fast = _run(block, True, inputs, True)
        reference = _run(block, False, inputs, True)
        self.assertEqual(fast[0].shape, (B, T, H))
        _assert_same(self, fast, reference)

    def test_output_range_equals_full_block_rows(self):
        # The first rows of the full block (no dropout): the sliced
        # computation is the full one's, not only the reference's.
        full = _block(norm_first=True)
        sliced = _block(norm_first=True, output_range=2)
        x, mask = _masked_inputs("causal")
        want = full([x, mask], training=False).numpy()[:, :2]
        got = sliced([x, mask], training=False).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)

    def test_dropout_equals_keras_dropout(self):
        layer = keras.layers.Dropout(0.3, seed=7)
        x = tf.constant(np.random.RandomState(0).normal(size=(4, 50)), "float32")
        state = layer.seed_generator.state.numpy()
        want = layer(x, training=True)
        layer.seed_generator.state.assign(state)
        got = encoder_fast_path.dropout(layer, x, True)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        self.assertIs(encoder_fast_path.dropout(layer, x, False), x)

    def test_gelu_equals_keras(self):
        x = tf.constant(np.linspace(-8, 8, 1001), "float32")
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            got = encoder_fast_path._gelu_exact(x)
            want = keras.activations.gelu(x, approximate=False)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        np.testing.assert_allclose(
            tape.gradient(got, x).numpy(), tape.gradient(want, x).numpy(), atol=1e-6
        )

    def test_falls_back_to_sublayers(self):
        # Cases the TensorFlow computation leaves to the Keras sub-layers.
        self.assertFalse(encoder_fast_path.can_use(_block(activity_regularizer="l2")))
        block = TransformerEncoder(2, 32, dtype="mixed_bfloat16")
        block.build((None, None, H))
        self.assertFalse(encoder_fast_path.can_use(block))

    def test_in_tf_function_and_xla(self):
        block = _block()
        x, padding = _inputs()
        want = block([x, padding]).numpy()
        for jit in (False, True):
            got = tf.function(lambda a, b: block([a, b]), jit_compile=jit)(x, padding)
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)

    @parameterized.parameters(False, True)
    def test_output_range_in_tf_function_and_xla(self, norm_first):
        # Unknown batch, length and mask rows in the traced graph; outputs
        # and gradients against the sub-layers' eager call.
        block = _block(norm_first=norm_first, output_range=2)
        for mask in ("causal", "2d"):
            x, mask_value = _masked_inputs(mask)
            reference = _run(block, False, (x, mask_value), False)
            rank = len(mask_value.shape)
            signature = [
                tf.TensorSpec((None, None, H), tf.float32),
                tf.TensorSpec((None,) * rank, tf.as_dtype(mask_value.dtype)),
            ]
            block._use_fast_path = True

            step = _step(block, training=False)

            for jit in (False, True):
                traced = tf.function(step, input_signature=signature, jit_compile=jit)
                got = [t.numpy() for t in traced(x, mask_value)]
                _assert_same(self, got, reference)

    def test_keep_mask_drawn_at_a_larger_shape(self):
        # The first values of a larger draw are the draw of the smaller
        # shape, eagerly and under XLA (sizes not multiples of 4 included).
        for shape, draw_shape in (((3, 2, 1, 7), (3, 2, 7, 7)), ((5, 9), (35, 9))):
            for jit in (False, True):
                masks = []
                for draw in (None, draw_shape):
                    generator = keras.random.SeedGenerator(11)

                    def masked(generator=generator, draw=draw, shape=shape):
                        return encoder_fast_path.keep_mask(
                            generator, tf.constant(shape), 0.5, tf.float32, draw
                        )

                    masks.append(tf.function(masked, jit_compile=jit)().numpy())
                self.assertEqual(masks[0].shape, shape)
                np.testing.assert_array_equal(masks[0], masks[1])
                self.assertTrue(0 < masks[0].mean() < 1)

    @pytest.mark.large
    @parameterized.parameters(False, True)
    def test_output_range_dropout_under_xla(self, norm_first):
        # Under XLA the last layer's attention and inner masks are drawn at
        # the whole layer's shape (see the module): the same masks as drawn
        # at their own shape, so a training call's outputs and gradients
        # are those of the same XLA call drawing at the masks' shapes.
        block = _block(norm_first=norm_first, output_range=2)
        block._use_fast_path = True
        generators = [
            block.attention_layer._dropout_layer.seed_generator,
            block._output_dropout_layer.seed_generator,
            block._inner_dropout_layer.seed_generator,
        ]

        step = _step(block, training=True)

        def run(inputs, in_xla):
            states = [g.state.numpy() for g in generators]
            spy = mock.Mock(wraps=encoder_fast_path.keep_mask)
            with mock.patch.object(encoder_fast_path, "keep_mask", spy):
                with mock.patch.object(
                    encoder_fast_path, "in_xla_context", lambda: in_xla
                ):
                    got = tf.function(step, jit_compile=True)(*inputs)
            for generator, state in zip(generators, states):
                generator.state.assign(state)
            larger = [c.args[4] is not None for c in spy.call_args_list]
            return [t.numpy() for t in got], larger

        for mask in ("causal", "2d"):
            inputs = _masked_inputs(mask)
            got, larger = run(inputs, True)
            # Attention, output (x2) and inner dropouts, in call order.
            self.assertEqual(larger, [True, False, True, False])
            own_shape, larger = run(inputs, False)
            self.assertEqual(larger, [False] * 4)
            _assert_same(self, got, own_shape)
            no_dropout = _run(block, True, inputs, False)
            self.assertGreater(np.abs(got[0] - no_dropout[0]).max(), 1e-2)

    def test_flat_draw_dropout_equals_keras_dropout(self):
        # The same masks as Keras' `Dropout` (same seed), eagerly, in a
        # graph and under XLA, where it draws them at `(batch * length,
        # hidden)`.
        x = tf.constant(np.random.RandomState(0).normal(size=(3, 5, 7)), "float32")
        for jit in (False, True):
            outputs = []
            for cls in (keras.layers.Dropout, encoder_fast_path.FlatDrawDropout):
                layer = cls(0.3, seed=7)
                spy = mock.Mock(wraps=encoder_fast_path.keep_mask)
                with mock.patch.object(encoder_fast_path, "keep_mask", spy):
                    call = tf.function(
                        lambda a, layer=layer: layer(a, training=True),
                        jit_compile=jit,
                    )
                    outputs.append(call(x).numpy())
                if cls is encoder_fast_path.FlatDrawDropout:
                    # The flat draw under XLA only.
                    self.assertEqual(spy.call_count, int(jit))
            np.testing.assert_array_equal(outputs[0], outputs[1])
            self.assertTrue(0 < (outputs[0] == 0).mean() < 1)
