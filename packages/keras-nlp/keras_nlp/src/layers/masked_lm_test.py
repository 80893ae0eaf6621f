# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.layers.masked_lm import MaskedLM
from keras_nlp.src.models.bert.bert_encoder import BertEncoder

B, T, H, V = 2, 6, 8, 20


def _data(seed=0):
    rng = np.random.RandomState(seed)
    sequence = rng.normal(size=(B, T, H)).astype("float32")
    positions = np.array([[0, 3, 5], [1, 1, 2]], "int32")
    return sequence, positions


class MaskedLMTest(TestCase):
    def test_layer(self):
        sequence, positions = _data()
        layer = self.run_layer_test(
            MaskedLM,
            init_kwargs={"vocab_size": V, "embedding_width": H, "activation": "gelu"},
            input_data=(sequence, positions),
            expected_output_shape=(B, 3, V),
            expected_output_dtype="float32",
            expected_num_trainable_weights=6,
            run_tf_data_check=False,
        )
        dataset = tf.data.Dataset.from_tensor_slices((sequence, positions)).batch(B)
        dataset = dataset.map(lambda s, p: layer(s, masked_positions=p))
        self.assertAllClose(
            next(iter(dataset)), layer((sequence, positions)), atol=1e-5
        )

    def test_matches_numpy_reference(self):
        sequence, positions = _data()
        table = keras.Variable(
            np.random.RandomState(3).normal(size=(V, 4)).astype("float32")
        )
        layer = MaskedLM(table, activation="tanh")
        logits = layer(sequence, masked_positions=positions).numpy()
        rng = np.random.RandomState(4)
        layer.set_weights(
            [rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()]
        )
        logits = layer(sequence, masked_positions=positions).numpy()
        kernel, bias = (w.numpy() for w in layer.dense.weights)
        gamma, beta = (w.numpy() for w in layer.norm.weights)
        gathered = np.stack([sequence[b, positions[b]] for b in range(B)])
        h = np.tanh(gathered @ kernel + bias)
        h = (h - h.mean(-1, keepdims=True)) / np.sqrt(
            h.var(-1, keepdims=True) + 1e-12
        ) * gamma + beta
        expected = h @ table.numpy().T + layer.output_bias.numpy()
        np.testing.assert_allclose(logits, expected, atol=1e-4, rtol=1e-5)

    def test_predictions_are_probabilities(self):
        sequence, positions = _data()
        probs = MaskedLM(vocab_size=V, embedding_width=H, output="predictions")(
            (sequence, positions)
        )
        self.assertAllClose(tf.reduce_sum(probs, -1), np.ones((B, 3)), atol=1e-5)

    @pytest.mark.filterwarnings(
        "ignore:Gradients do not exist"
    )  # the pooler is unused here
    @pytest.mark.large
    def test_tied_to_encoder_and_saved(self):
        encoder = BertEncoder(
            vocab_size=V,
            hidden_size=H,
            num_layers=1,
            num_attention_heads=2,
            inner_dim=16,
            max_sequence_length=T,
            type_vocab_size=2,
            embedding_width=4,
        )
        ids = keras.Input((T,), dtype="int32")
        mask = keras.Input((T,), dtype="int32")
        types = keras.Input((T,), dtype="int32")
        positions = keras.Input((3,), dtype="int32")
        outputs = encoder([ids, mask, types])
        head = MaskedLM(encoder.get_embedding_table(), activation="gelu")
        logits = head(outputs["sequence_output"], masked_positions=positions)
        model = keras.Model([ids, mask, types, positions], logits)
        # The shared table is one variable in the model and gets gradients from both uses.
        self.assertIs(head.embedding_table, encoder.get_embedding_table())
        self.assertEqual(
            len(model.trainable_weights), len({id(w) for w in model.trainable_weights})
        )
        self.assertEqual(
            len(model.trainable_weights), len(encoder.trainable_weights) + 5
        )
        rng = np.random.RandomState(0)
        data = [
            rng.randint(0, V, (B, T)),
            np.ones((B, T), "int32"),
            np.zeros((B, T), "int32"),
            _data()[1],
        ]
        labels = rng.randint(0, V, (B, 3))
        table_before = encoder.get_embedding_table().numpy().copy()
        model.compile(
            keras.optimizers.SGD(0.1),
            keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        model.fit(data, labels, epochs=1, verbose=0)
        self.assertGreater(
            np.abs(encoder.get_embedding_table().numpy() - table_before).max(), 0
        )
        expected = model.predict(data, verbose=0)
        path = os.path.join(self.get_temp_dir(), "pretraining.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored.predict(data, verbose=0), expected, atol=1e-5)

    def test_bad_arguments(self):
        sequence, _ = _data()
        with self.assertRaisesRegex(ValueError, "either `embedding_table`"):
            MaskedLM()
        with self.assertRaisesRegex(ValueError, "output"):
            MaskedLM(vocab_size=V, embedding_width=H, output="probabilities")
        with self.assertRaisesRegex(ValueError, "disagrees"):
            MaskedLM(keras.Variable(np.zeros((V, H))), vocab_size=V + 1)
        with self.assertRaisesRegex(ValueError, "masked_positions"):
            MaskedLM(vocab_size=V, embedding_width=H)(sequence)
