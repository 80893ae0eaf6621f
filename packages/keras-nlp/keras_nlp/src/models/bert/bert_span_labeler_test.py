# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BertSpanLabeler: windows with a stride, labels, answers from offsets."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_span_labeler import BertSpanLabeler
from keras_nlp.src.models.bert.bert_span_labeler import BertSpanLabelerPreprocessor
from keras_nlp.src.models.bert.bert_span_labeler import best_spans
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada", "home"]
VOCAB += [".", "to", "paris", "zoe", "bob", "walked", "where", "did", "go"]
QUESTIONS = ["Where did Zoë go?", "who"]
CONTEXTS = ["Bob walked home. Zoë ran to Paris.", "Ada"]
LABELS = {"answer_start": [28, 0], "answer_text": ["Paris", "Ada"]}


def _preprocessor(sequence_length=10, doc_stride=2, max_question_length=3):
    return BertSpanLabelerPreprocessor(
        WordPieceTokenizer(VOCAB),
        sequence_length=sequence_length,
        doc_stride=doc_stride,
        max_question_length=max_question_length,
    )


def _labeler(**kwargs):
    encoder = BertEncoder(
        vocab_size=len(VOCAB),
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=16,
        max_sequence_length=10,
        type_vocab_size=2,
    )
    return BertSpanLabeler(encoder, _preprocessor(), **kwargs)


class BertSpanLabelerPreprocessorTest(TestCase):
    def test_windows_with_stride_hand_computed(self):
        out = _preprocessor().windows((QUESTIONS, CONTEXTS), LABELS)
        # Question cut to 3 tokens (where did zoe); 10 - 3 - 3 = 4 context
        # tokens per window; 9 context tokens, windows start 2 apart: 0, 2,
        # 4, 6 -> 4 windows, then 1 window for the short example.
        self.assertEqual(out["example_index"].numpy().tolist(), [0, 0, 0, 0, 1])
        ids = out["input_ids"].numpy().tolist()
        q = [2, 15, 16, 12, 3]
        self.assertEqual(ids[0], q + [13, 14, 8, 9, 3])  # bob walked home .
        self.assertEqual(ids[1], q + [8, 9, 12, 5, 3])  # home . zoe ran
        self.assertEqual(ids[2], q + [12, 5, 10, 11, 3])  # zoe ran to paris
        self.assertEqual(ids[3], q + [10, 11, 9, 3, 0])  # to paris .
        self.assertEqual(ids[4], [2, 4, 3, 7, 3, 0, 0, 0, 0, 0])
        self.assertEqual(
            out["input_type_ids"].numpy()[3].tolist(), [0] * 5 + [1] * 4 + [0]
        )
        # Byte offsets into the context ("Zoë" has a 2-byte letter).
        self.assertEqual(
            out["token_starts"].numpy()[2].tolist(), [-1] * 5 + [17, 22, 26, 29, -1]
        )
        self.assertEqual(
            out["token_ends"].numpy()[2].tolist(), [-1] * 5 + [21, 25, 28, 34, -1]
        )
        # "Paris" is whole in windows 2 (position 8) and 3 (position 6); the
        # other windows point at [CLS].
        self.assertEqual(out["start"].numpy().tolist(), [0, 0, 8, 6, 3])
        self.assertEqual(out["end"].numpy().tolist(), [0, 0, 8, 6, 3])

    def test_answer_cut_by_a_window_points_at_cls(self):
        # "home. Zoë" spans windows 0 (home .) and 1 (home . zoe): only
        # window 1 holds it whole.
        out = _preprocessor().windows(
            (QUESTIONS[:1], CONTEXTS[:1]),
            {"answer_start": [11], "answer_text": ["home. Zoë"]},
        )
        self.assertEqual(out["start"].numpy().tolist(), [0, 5, 0, 0])
        self.assertEqual(out["end"].numpy().tolist(), [0, 7, 0, 0])

    def test_config_and_tf_data(self):
        preprocessor = _preprocessor()
        revived = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(preprocessor), safe_mode=True
        )
        self.assertEqual(revived.get_config(), preprocessor.get_config())
        ds = (
            tf.data.Dataset.from_tensor_slices(((QUESTIONS, CONTEXTS), LABELS))
            .batch(2)
            .map(preprocessor)
        )
        x, y = next(iter(ds))
        self.assertEqual(x["input_ids"].shape, (5, 10))
        self.assertEqual(y["start"].numpy().tolist(), [0, 0, 8, 6, 3])

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "max_question_length"):
            _preprocessor(sequence_length=8, max_question_length=5)
        with self.assertRaisesRegex(ValueError, "doc_stride"):
            _preprocessor(doc_stride=0)
        with self.assertRaisesRegex(ValueError, r"pair `\(questions, contexts\)`"):
            _preprocessor()(["only questions"])


def test_best_spans_hand_computed():
    neg = -1e9
    # Two windows of example 0, one of example 1; context tokens at 1..3.
    starts = tf.constant([[0, 1, 5, 0], [0, 4, 0, 0], [0, 1, 0, 2]], tf.int64)
    token_starts = tf.constant([[-1, 0, 3, 6], [-1, 0, 3, 6], [-1, 0, 2, 4]], tf.int64)
    start_logits = tf.constant(
        [[neg, 1.0, 5.0, 0.0], [neg, 4.0, 0.0, 0.0], [neg, 1.0, 0.0, 2.0]]
    )
    end_logits = tf.constant(
        [[neg, 3.0, 0.0, 2.0], [neg, 0.0, 0.0, 6.0], [neg, 5.0, 0.0, 0.0]]
    )
    del starts
    window, i, j, score = best_spans(
        start_logits, end_logits, token_starts, [0, 0, 1], 2, max_answer_length=2
    )
    # Window 0: best j >= i, j - i < 2: (2, 3) = 5 + 2 = 7. Window 1: (1, 2)
    # = 4 + 0 or (2, 3) = 0 + 6 -> 6. Example 0 -> window 0, (2, 3), 7.
    # Example 1 (window 2): (1, 1) = 1 + 5 = 6 beats (3, 3) = 2 + 0.
    assert window.numpy().tolist() == [0, 2]
    assert i.numpy().tolist() == [2, 1] and j.numpy().tolist() == [3, 1]
    np.testing.assert_allclose(score.numpy(), [7.0, 6.0])
    # With max_answer_length=3 window 1's (1, 3) = 4 + 6 = 10 wins.
    window, i, j, score = best_spans(
        start_logits, end_logits, token_starts, [0, 0, 1], 2, max_answer_length=3
    )
    assert window.numpy().tolist()[0] == 1 and (i[0], j[0]) == (1, 3)


class BertSpanLabelerTest(TestCase):
    @pytest.mark.large  # default-suite time budget
    def test_answers_come_from_the_original_text(self):
        labeler = _labeler(max_answer_length=1)
        answers = labeler.predict_answers(QUESTIONS, CONTEXTS)
        self.assertLen(answers, 2)
        for answer, context in zip(answers, CONTEXTS):
            # One-token answers cut from the raw context, case and accents kept.
            self.assertEqual(context[answer["start"] : answer["end"]], answer["text"])
            self.assertIn(
                answer["text"],
                ["Bob", "walked", "home", ".", "Zoë", "ran", "to", "Paris", "Ada"],
            )
        logits = labeler.predict((QUESTIONS, CONTEXTS), verbose=0)
        self.assertEqual(logits["start"].shape, (5, 10))
        # Question tokens and padding can never be predicted.
        self.assertTrue(np.all(logits["start"][4, 1:3] < -1e8))

    def test_bad_labels(self):
        labeler = _labeler()
        with self.assertRaisesRegex(ValueError, "outside the context"):
            labeler.fit(
                (QUESTIONS, CONTEXTS),
                {"answer_start": [30, 0], "answer_text": ["Paris", "Ada"]},
                verbose=0,
            )
        with self.assertRaisesRegex(ValueError, "reads ' Pari'"):
            labeler.fit(
                (QUESTIONS, CONTEXTS),
                {"answer_start": [27, 0], "answer_text": ["Paris", "Ada"]},
                verbose=0,
            )
        with self.assertRaisesRegex(ValueError, "one answer per"):
            labeler.fit(
                (QUESTIONS, CONTEXTS),
                {"answer_start": [28], "answer_text": ["Paris"]},
                verbose=0,
            )
        with self.assertRaisesRegex(
            tf.errors.InvalidArgumentError, "outside the context"
        ):
            _preprocessor()(
                (QUESTIONS, CONTEXTS),
                {"answer_start": [28, 2], "answer_text": ["Paris", "Ada"]},
            )
        with self.assertRaisesRegex(ValueError, "max_answer_length"):
            _labeler(max_answer_length=0)


@pytest.mark.large
class BertSpanLabelerRoundTripTest(TestCase):
    def test_fit_save_preset_export(self):
        labeler = _labeler()
        labeler.compile(
            optimizer=keras.optimizers.Adam(1e-2),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        history = labeler.fit((QUESTIONS, CONTEXTS), LABELS, epochs=30, verbose=0)
        self.assertLess(history.history["loss"][-1], history.history["loss"][0])
        expected = labeler.predict_answers(QUESTIONS, CONTEXTS)
        self.assertEqual([a["text"] for a in expected], ["Paris", "Ada"])
        directory = self.get_temp_dir()
        path = os.path.join(directory, "labeler.keras")
        labeler.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertEqual(restored.predict_answers(QUESTIONS, CONTEXTS), expected)
        preset = os.path.join(directory, "preset")
        labeler.save_to_preset(preset)
        loaded = BertSpanLabeler.from_preset(preset)
        self.assertEqual(loaded.predict_answers(QUESTIONS, CONTEXTS), expected)
        served = os.path.join(directory, "served")
        labeler.export(served)
        signature = tf.saved_model.load(served).signatures["serving_default"]
        out = signature(question=tf.constant(QUESTIONS), context=tf.constant(CONTEXTS))
        self.assertEqual(
            [t.decode("utf-8") for t in out["text"].numpy()],
            [a["text"] for a in expected],
        )
        self.assertEqual(out["start"].numpy().tolist(), [a["start"] for a in expected])
        self.assertAllClose(out["score"], [a["score"] for a in expected])
