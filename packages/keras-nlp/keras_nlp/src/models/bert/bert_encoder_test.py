# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy.special import erf

from keras_core.testing import TestCase
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.utils import activations

V, H, L, HEADS, T = 50, 16, 2, 2, 8


def _encoder(**kwargs):
    config = dict(
        vocab_size=V,
        hidden_size=H,
        num_layers=L,
        num_attention_heads=HEADS,
        max_sequence_length=T,
        type_vocab_size=2,
        inner_dim=32,
    )
    config.update(kwargs)
    return BertEncoder(**config)


def _batch(seed=0, length=T):
    rng = np.random.RandomState(seed)
    ids = rng.randint(1, V, size=(3, length)).astype("int32")
    mask = np.ones_like(ids)
    mask[0, 5:] = 0
    mask[1, 2:] = 0
    ids[mask == 0] = 0
    types = np.zeros_like(ids)
    types[2, 4:] = 1
    return ids, mask, types


class BertEncoderTest(TestCase):
    def test_model(self):
        ids, mask, types = _batch()
        # A dict, since tf.data would stack a list of arrays into one tensor.
        self.run_model_test(
            _encoder(),
            {"input_ids": ids, "input_mask": mask, "input_type_ids": types},
            expected_output_shape={
                "sequence_output": (3, T, H),
                "pooled_output": (3, H),
                "encoder_outputs": [(3, T, H)] * L,
            },
            expected_output_dtype="float32",
        )

    def test_list_dict_and_alias_agree(self):
        ids, mask, types = _batch()
        encoder = _encoder()
        expected = encoder([ids, mask, types])
        as_dict = encoder(
            {"input_ids": ids, "input_mask": mask, "input_type_ids": types}
        )
        alias = encoder(
            {
                "input_word_ids": ids.astype("int64"),
                "input_mask": mask,
                "input_type_ids": types,
            }
        )
        for outputs in (as_dict, alias):
            self.assertAllClose(outputs, expected, atol=0, rtol=0)
        self.assertAllClose(
            expected["encoder_outputs"][-1], expected["sequence_output"], atol=0
        )

    def test_symbolic_dict_inputs_and_classifier_trains(self):
        encoder = _encoder(output_dropout=0.0, attention_dropout=0.0)
        inputs = {
            "input_word_ids": keras.Input(
                (None,), dtype="int32", name="input_word_ids"
            ),
            "input_mask": keras.Input((None,), dtype="int32", name="input_mask"),
            "input_type_ids": keras.Input(
                (None,), dtype="int32", name="input_type_ids"
            ),
        }
        pooled = encoder(inputs)["pooled_output"]
        model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(pooled))
        model.compile(keras.optimizers.Adam(3e-3), "binary_crossentropy")
        rng = np.random.RandomState(1)
        ids = rng.randint(2, V, size=(64, T)).astype("int32")
        labels = (rng.rand(64) > 0.5).astype("float32")
        ids[:, 1] = np.where(labels > 0, 1, 0)  # the label is in token 1
        data = {
            "input_word_ids": ids,
            "input_mask": np.ones_like(ids),
            "input_type_ids": np.zeros_like(ids),
        }
        history = model.fit(data, labels, batch_size=16, epochs=8, verbose=0)
        self.assertLess(history.history["loss"][-1], 0.5 * history.history["loss"][0])

    def test_padding_never_changes_real_positions(self):
        ids, mask, types = _batch()
        encoder = _encoder()
        before = encoder([ids, mask, types])
        rng = np.random.RandomState(9)
        garbage_ids = np.where(mask == 1, ids, rng.randint(0, V, ids.shape))
        garbage_types = np.where(mask == 1, types, rng.randint(0, 2, ids.shape))
        after = encoder([garbage_ids, mask, garbage_types])
        real = mask == 1
        for a, b in zip(after["encoder_outputs"], before["encoder_outputs"]):
            np.testing.assert_allclose(a.numpy()[real], b.numpy()[real], atol=1e-5)
        self.assertAllClose(after["pooled_output"], before["pooled_output"], atol=1e-5)
        # The padded positions themselves did change, so the check has teeth.
        self.assertGreater(
            np.abs(
                after["sequence_output"].numpy()[~real]
                - before["sequence_output"].numpy()[~real]
            ).max(),
            1e-3,
        )
        # Extra padding at the end does not change real positions either.
        longer = [np.pad(x, ((0, 0), (0, 3))) for x in (ids, mask, types)]
        encoder_long = _encoder(max_sequence_length=T + 3)
        encoder_long.set_weights(
            [
                np.pad(w, ((0, 3), (0, 0))) if w.shape == (T, H) else w
                for w in encoder.get_weights()
            ]
        )
        padded = encoder_long(longer)
        np.testing.assert_allclose(
            padded["sequence_output"].numpy()[:, :T][real],
            before["sequence_output"].numpy()[real],
            atol=1e-5,
        )

    def test_output_range(self):
        ids, mask, types = _batch()
        full = _encoder()
        expected = full([ids, mask, types])
        sliced = _encoder(output_range=1)
        sliced.set_weights(full.get_weights())
        out = sliced([ids, mask, types])
        self.assertEqual(tuple(out["sequence_output"].shape), (3, 1, H))
        self.assertAllClose(
            out["sequence_output"], expected["sequence_output"][:, :1], atol=1e-5
        )
        self.assertAllClose(out["pooled_output"], expected["pooled_output"], atol=1e-5)

    def test_factorised_embeddings(self):
        encoder = _encoder(embedding_width=4)
        self.assertEqual(tuple(encoder.get_embedding_table().shape), (V, 4))
        self.assertEqual(tuple(encoder.embedding_projection.kernel.shape), (4, H))
        dense = _encoder()
        saved = (
            (V * H + T * H + 2 * H)
            - (V * 4 + T * 4 + 2 * 4 + 4 * H + H)
            + (2 * H - 2 * 4)
        )
        self.assertEqual(dense.count_params() - encoder.count_params(), saved)
        ids, mask, types = _batch()
        self.assertEqual(
            tuple(encoder([ids, mask, types])["sequence_output"].shape), (3, T, H)
        )
        self.assertIsNone(dense.embedding_projection)

    def test_embedding_table_is_the_model_variable(self):
        encoder = _encoder()
        table = encoder.get_embedding_table()
        self.assertEqual(tuple(table.shape), (V, H))
        self.assertIn(id(table), {id(w) for w in encoder.trainable_weights})

    def test_activation_default_is_exact_gelu(self):
        encoder = _encoder()
        self.assertIs(
            encoder.transformer_layers[0].inner_dense.activation, activations.gelu_exact
        )
        approx = _encoder(inner_activation="gelu_approximate")
        self.assertIs(
            approx.transformer_layers[0].inner_dense.activation,
            activations.gelu_approximate,
        )
        x = np.linspace(-4, 4, 81).astype("float32")
        exact = 0.5 * x * (1 + erf(x / np.sqrt(2)))
        self.assertAllClose(
            encoder.transformer_layers[1].inner_dense.activation(x), exact, atol=1e-6
        )
        self.assertGreater(
            float(
                np.abs(
                    approx.transformer_layers[1].inner_dense.activation(x) - exact
                ).max()
            ),
            1e-4,
        )
        restored = BertEncoder.from_config(approx.get_config())
        self.assertEqual(restored.get_config()["inner_activation"], "gelu_approximate")
        relu = _encoder(inner_activation=keras.activations.relu)
        self.assertEqual(
            BertEncoder.from_config(relu.get_config())
            .transformer_layers[0]
            .inner_dense.activation,
            keras.activations.relu,
        )

    def test_default_initializer_is_bert_truncated_normal(self):
        encoder = BertEncoder(
            vocab_size=2000,
            hidden_size=64,
            num_layers=1,
            num_attention_heads=2,
            inner_dim=64,
        )
        table = encoder.get_embedding_table().numpy()
        self.assertAlmostEqual(
            float(table.std()), 0.02 * 0.88, delta=0.002
        )  # truncation at 2 sigma
        self.assertLessEqual(float(np.abs(table).max()), 0.04 + 1e-6)

    @pytest.mark.large  # default-suite time budget
    def test_mixed_bfloat16(self):
        ids, mask, types = _batch()
        reference = _encoder()
        expected = reference([ids, mask, types])
        encoder = _encoder(dtype="mixed_bfloat16")
        encoder.set_weights(reference.get_weights())
        outputs = encoder([ids, mask, types])
        self.assertEqual(
            keras.backend.standardize_dtype(outputs["sequence_output"].dtype),
            "bfloat16",
        )
        self.assertAllClose(
            outputs["pooled_output"], expected["pooled_output"], atol=0.05, rtol=0.05
        )
        restored = BertEncoder.from_config(encoder.get_config())
        self.assertEqual(
            restored.transformer_layers[0].dtype_policy.name, "mixed_bfloat16"
        )
        pooled = encoder.output["pooled_output"]
        model = keras.Model(
            encoder.input, keras.layers.Dense(2, dtype="float32")(pooled)
        )
        model.compile(
            "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
        history = model.fit(
            [ids, mask, types], np.array([0, 1, 1]), epochs=2, verbose=0
        )
        self.assertTrue(np.isfinite(history.history["loss"]).all())

    def test_bad_arguments(self):
        with self.assertRaisesRegex(
            ValueError,
            r"`hidden_size` \(10\) must be divisible by `num_attention_heads` \(4\).*num_attention_heads=5",
        ):
            _encoder(hidden_size=10, num_attention_heads=4)
        with self.assertRaisesRegex(ValueError, "vocab_size"):
            _encoder(vocab_size=0)
        with self.assertRaisesRegex(ValueError, "Unknown activation"):
            _encoder(inner_activation="swishy")

    def test_bad_inputs(self):
        ids, mask, types = _batch()
        encoder = _encoder()
        with self.assertRaisesRegex(
            ValueError, r"Sequences have 10 tokens.*max_sequence_length=8"
        ):
            encoder([*_batch(length=10)])
        with self.assertRaisesRegex(
            ValueError, r"`input_ids` must lie in \[0, vocab_size=50\).*to 50"
        ):
            encoder([np.where(ids == ids.max(), V, ids), mask, types])
        with self.assertRaisesRegex(
            ValueError, r"`input_type_ids` must lie in \[0, type_vocab_size=2\)"
        ):
            encoder([ids, mask, types + 1])
        with self.assertRaisesRegex(ValueError, r"lack \['input_type_ids'\]"):
            encoder({"input_ids": ids, "input_mask": mask, "token_type_ids": types})
        with self.assertRaisesRegex(ValueError, "not both"):
            encoder(
                {
                    "input_ids": ids,
                    "input_word_ids": ids,
                    "input_mask": mask,
                    "input_type_ids": types,
                }
            )
        with self.assertRaisesRegex(ValueError, "takes 3 inputs"):
            encoder([ids, mask])
        with self.assertRaisesRegex(TypeError, "list"):
            encoder(ids)
        with self.assertRaisesRegex(ValueError, "same shape"):
            encoder([ids, mask[:, :4], types])
        with self.assertRaisesRegex(ValueError, "max_sequence_length=8"):
            encoder([keras.Input((12,), dtype="int32")] * 3)
        # Inside a traced function the checks run as graph assertions.
        spec = tf.TensorSpec((None, None), tf.int32)
        predict = tf.function(
            lambda a, b, c: encoder([a, b, c])["pooled_output"],
            input_signature=[spec] * 3,
        )
        with pytest.raises(tf.errors.InvalidArgumentError, match="vocab_size=50"):
            predict(tf.constant(ids + V), tf.constant(mask), tf.constant(types))
        with pytest.raises(tf.errors.InvalidArgumentError, match="max_length=8"):
            long_batch = [tf.constant(x) for x in _batch(length=10)]
            predict(*long_batch)
