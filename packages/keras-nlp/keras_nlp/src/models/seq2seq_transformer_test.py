# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.models.seq2seq_transformer import Seq2SeqTransformer
from keras_nlp.src.samplers.beam_sampler import BeamSampler
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = ["[PAD]", "[START]", "[END]", "[UNK]", "a", "b", "c", "d", "e", "f"]


def _model(tokenizer=None, **kwargs):
    config = dict(
        vocab_size=len(VOCAB),
        hidden_size=16,
        num_layers=2,
        num_attention_heads=2,
        inner_dim=32,
        max_source_length=7,
        max_target_length=6,
        dropout=0.0,
        tokenizer=tokenizer,
    )
    config.update(kwargs)
    return Seq2SeqTransformer(**config)


def _sources():
    return np.array([[4, 5, 6, 0, 0, 0, 0], [7, 8, 9, 4, 5, 0, 0]], "int32")


def _full_log_probs(model, source, generated):
    """Log-probabilities of `generated` under full (uncached) recomputation."""
    decoder = np.concatenate(
        [np.full((len(generated), 1), model.start_token_id), generated[:, :-1]], 1
    )
    logits = model({"source_ids": source, "decoder_ids": decoder})
    log_probs = tf.nn.log_softmax(logits, axis=-1).numpy()
    return np.take_along_axis(log_probs, generated[..., None], axis=-1)[..., 0]


class Seq2SeqTransformerTest(TestCase):
    @pytest.mark.large
    def test_model_harness_with_tokenizer(self):
        model = _model(tokenizer=WordPieceTokenizer(VOCAB))
        x, _ = model.preprocess(_sources(), [[6, 5, 4], [5, 4, 9, 8, 7]])
        self.run_model_test(
            model,
            x,
            expected_output_shape=(2, 6, len(VOCAB)),
        )

    def test_preprocess_shifts_targets(self):
        model = _model()
        x, labels = model.preprocess(
            tf.ragged.constant([[4, 5], [6, 7, 8, 9, 4, 5, 6]]),
            tf.ragged.constant([[5, 4], [4, 5, 6, 7, 8, 9, 4]]),
        )
        self.assertEqual(
            x["source_ids"].numpy().tolist(),
            [[4, 5, 0, 0, 0, 0, 0], [6, 7, 8, 9, 4, 5, 6]],
        )
        self.assertEqual(
            x["decoder_ids"].numpy().tolist(),
            [[1, 5, 4, 0, 0, 0], [1, 4, 5, 6, 7, 8]],
        )
        self.assertEqual(
            labels.numpy().tolist(), [[5, 4, 2, 0, 0, 0], [4, 5, 6, 7, 8, 2]]
        )
        # Works in tf.data.
        dataset = tf.data.Dataset.from_tensor_slices(
            (tf.ragged.constant([[4, 5], [6]]), tf.ragged.constant([[5, 4], [6]]))
        ).batch(2)
        x_ds, labels_ds = next(iter(dataset.map(model.preprocess)))
        self.assertEqual(labels_ds.numpy().tolist()[0], [5, 4, 2, 0, 0, 0])

    def test_cached_greedy_equals_full_recomputation(self):
        model = _model()
        source = _sources()
        generated = model.generate(source, sampler="greedy", jit_compile=False)
        # Greedy by full recomputation, one position at a time.
        decoder = np.zeros((2, 6), "int32")
        decoder[:, 0] = model.start_token_id
        for position in range(5):
            logits = model({"source_ids": source, "decoder_ids": decoder})
            decoder[:, position + 1] = np.argmax(logits[:, position], axis=-1)
        expected = decoder[:, 1:]
        for row in range(2):  # after an end token, padding
            ends = np.flatnonzero(expected[row] == model.end_token_id)
            if ends.size:
                expected[row, ends[0] + 1 :] = model.pad_token_id
        np.testing.assert_array_equal(generated, expected)

    def test_beam_scores_match_full_recomputation(self):
        model = _model()
        source = _sources()
        sampler = BeamSampler(num_beams=3, length_penalty=0.0, return_all_beams=True)
        ids, scores = model.generate(source, sampler=sampler, jit_compile=False)
        self.assertEqual(ids.shape, (2, 3, 5))
        for beam in range(3):
            generated = ids[:, beam]
            log_probs = _full_log_probs(model, source, generated)
            for row in range(2):
                ends = np.flatnonzero(generated[row] == model.end_token_id)
                length = ends[0] + 1 if ends.size else 5
                np.testing.assert_allclose(
                    log_probs[row, :length].sum(), scores[row, beam], atol=1e-4
                )
        self.assertTrue(np.all(np.diff(scores, axis=1) <= 1e-6))  # best first

    @pytest.mark.large
    def test_strings_generate_and_export(self):
        import tensorflow_text  # noqa: F401  (ops of the exported tokenizer)

        model = _model(tokenizer=WordPieceTokenizer(VOCAB))
        texts = ["a b c", "d e f a"]
        generated = model.generate(texts, sampler="greedy")
        self.assertEqual(len(generated), 2)
        self.assertTrue(all(isinstance(t, str) for t in generated))
        path = self.get_temp_dir() + "/served"
        model.export(path, sampler="greedy")
        served = tf.saved_model.load(path).signatures["serving_default"]
        out = served(text=tf.constant(texts))["generated"].numpy()
        self.assertEqual([t.decode() for t in out], generated)

    def test_bad_inputs(self):
        with self.assertRaisesRegex(ValueError, "divisible"):
            _model(hidden_size=15)
        with self.assertRaisesRegex(ValueError, "end_token_id=10"):
            _model(end_token_id=10)
        with self.assertRaisesRegex(ValueError, "three different ids"):
            _model(end_token_id=1)
        with self.assertRaisesRegex(ValueError, "tokenizer has 10 tokens"):
            _model(vocab_size=12, tokenizer=WordPieceTokenizer(VOCAB))
        model = _model()
        with self.assertRaisesRegex(ValueError, "max_length=7"):
            model.generate(_sources(), max_length=7)
        with self.assertRaisesRegex(ValueError, "no tokenizer"):
            model.generate(["a b"])
        with self.assertRaisesRegex(ValueError, "'source_ids' and 'decoder_ids'"):
            model({"source_ids": _sources()})
        with self.assertRaisesRegex(ValueError, "num_beams=0"):
            model.generate(_sources(), sampler=BeamSampler(num_beams=0))
        with self.assertRaisesRegex(ValueError, "needs a tokenizer"):
            model.export(self.get_temp_dir())
