# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Composability: an ALBERT-style encoder assembled from the public layers."""

import os

import keras
import numpy as np
import pytest

import keras_nlp
from keras_core.testing import TestCase

VOCAB, TYPES, WIDTH, HIDDEN, HEADS, LAYERS, LENGTH = 30, 2, 8, 16, 2, 3, 10


def albert_style_encoder():
    """One TransformerEncoder shared by all layers; factorised embeddings."""
    word_ids = keras.Input((None,), dtype="int32", name="input_word_ids")
    mask = keras.Input((None,), dtype="int32", name="input_mask")
    type_ids = keras.Input((None,), dtype="int32", name="input_type_ids")
    words = keras_nlp.layers.OnDeviceEmbedding(VOCAB, WIDTH)(word_ids)
    positions = keras_nlp.layers.PositionEmbedding(LENGTH)(words)
    types = keras_nlp.layers.OnDeviceEmbedding(TYPES, WIDTH, use_one_hot=True)(type_ids)
    x = keras.layers.Add()([words, positions, types])
    x = keras.layers.LayerNormalization(epsilon=1e-12)(x)
    x = keras.layers.EinsumDense("...x,xy->...y", output_shape=HIDDEN, bias_axes="y")(x)
    attention_mask = keras_nlp.layers.SelfAttentionMask()([x, mask])
    shared = keras_nlp.layers.TransformerEncoder(
        num_attention_heads=HEADS, inner_dim=32, name="shared_block"
    )
    for _ in range(LAYERS):
        x = shared([x, attention_mask])
    pooled = keras.layers.Dense(HIDDEN, activation="tanh")(x[:, 0, :])
    encoder = keras.Model(
        [word_ids, mask, type_ids], {"sequence_output": x, "pooled_output": pooled}
    )
    return encoder, shared


class SharedLayerEncoderTest(TestCase):
    @pytest.mark.large  # about 30 s on 2 cores
    def test_albert_style_encoder_trains(self):
        encoder, shared = albert_style_encoder()
        # The block is stored once, however often it is applied.
        self.assertEqual(len([layer for layer in encoder.layers if layer is shared]), 1)
        block_params = sum(int(np.prod(w.shape)) for w in shared.trainable_weights)
        self.assertLess(encoder.count_params(), 2 * block_params)

        inputs = encoder.inputs
        logits = keras.layers.Dense(2)(encoder(inputs)["pooled_output"])
        classifier = keras.Model(inputs, logits)
        classifier.compile(
            keras.optimizers.Adam(3e-3),
            keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        # Task: does token 7 occur among the real tokens? Padding carries noise.
        rng = np.random.RandomState(0)
        n = 128
        ids = rng.randint(8, VOCAB, size=(n, LENGTH)).astype("int32")
        lengths = rng.randint(4, LENGTH + 1, size=n)
        mask = (np.arange(LENGTH)[None] < lengths[:, None]).astype("int32")
        labels = rng.randint(0, 2, size=n)
        where = rng.randint(1, 4, size=n)
        ids[np.arange(n)[labels == 1], where[labels == 1]] = 7
        ids[mask == 0] = 7  # padding must be ignored
        data = [ids, mask, np.zeros_like(ids)]
        before = shared.get_weights()[0].copy()
        history = classifier.fit(data, labels, batch_size=32, epochs=15, verbose=0)
        self.assertGreater(history.history["accuracy"][-1], 0.9)
        self.assertLess(history.history["loss"][-1], 0.5 * history.history["loss"][0])
        self.assertGreater(np.abs(shared.get_weights()[0] - before).max(), 0)

        # The whole thing saves and reloads like any Keras model.
        path = os.path.join(self.get_temp_dir(), "albert_style.keras")
        classifier.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(
            restored.predict(data, verbose=0),
            classifier.predict(data, verbose=0),
            atol=1e-5,
        )
