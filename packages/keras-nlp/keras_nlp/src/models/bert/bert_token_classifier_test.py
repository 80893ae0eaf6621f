# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BertTokenClassifier: word tags aligned to pieces and mapped back."""

import os

import keras
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_token_classifier import BertTokenClassifier
from keras_nlp.src.models.bert.bert_token_classifier import (
    BertTokenClassifierPreprocessor,
)
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "love", "##lace", "wrote", "in"]
VOCAB += ["paris", "."]
NAMES = ["O", "B-PER", "I-PER", "B-LOC"]
WORDS = [["Ada", "Lovelace", "wrote", "in", "Paris", "."], ["\x07", "wrote", "Ada"]]
TAGS = [["B-PER", "I-PER", "O", "O", "B-LOC", "O"], ["O", "O", "B-PER"]]


def _preprocessor(sequence_length=8):
    return BertTokenClassifierPreprocessor(
        WordPieceTokenizer(VOCAB), sequence_length=sequence_length
    )


def _tagger():
    encoder = BertEncoder(
        vocab_size=len(VOCAB),
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=16,
        max_sequence_length=8,
        type_vocab_size=2,
    )
    return BertTokenClassifier(encoder, 4, _preprocessor(), label_names=NAMES)


class BertTokenClassifierPreprocessorTest(TestCase):
    def test_first_piece_labels_hand_computed(self):
        x, y, w = _preprocessor()(WORDS, [[1, 2, 0, 0, 3, 0], [0, 0, 1]])
        # Sentence 0: ada love ##lace wrote in paris . -> 7 pieces, cut to
        # 8 - 2 = 6: "." is dropped.
        self.assertEqual(
            x["input_ids"].numpy().tolist(),
            [[2, 4, 5, 6, 7, 8, 9, 3], [2, 1, 7, 4, 3, 0, 0, 0]],
        )
        # "\x07" tokenizes to nothing and becomes one [UNK].
        self.assertEqual(
            y.numpy().tolist(), [[0, 1, 2, 0, 0, 0, 3, 0], [0, 0, 0, 1, 0, 0, 0, 0]]
        )
        self.assertEqual(
            w.numpy().tolist(),
            [[0, 1, 1, 0, 1, 1, 1, 0], [0, 1, 1, 1, 0, 0, 0, 0]],
        )
        aligned = _preprocessor().align(WORDS)
        self.assertEqual(
            aligned["word_positions"].to_list(), [[1, 2, 4, 5, 6, -1], [1, 2, 3]]
        )

    def test_raw_sentences_tf_data_and_config(self):
        preprocessor = _preprocessor()
        self.assertAllEqual(
            preprocessor(["Ada wrote"])["input_ids"],
            preprocessor([["Ada", "wrote"]])["input_ids"],
        )
        revived = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(preprocessor), safe_mode=True
        )
        self.assertEqual(revived.get_config(), preprocessor.get_config())
        ds = (
            tf.data.Dataset.from_tensor_slices(
                (
                    tf.ragged.constant(WORDS),
                    tf.ragged.constant([[1, 2, 0, 0, 3, 0], [0, 0, 1]]),
                )
            )
            .ragged_batch(2)
            .map(preprocessor)
        )
        x, y, w = next(iter(ds))
        self.assertEqual(y.numpy()[0].tolist(), [0, 1, 2, 0, 0, 0, 3, 0])

    def test_misaligned_tags_in_a_graph(self):
        with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "one tag per word"):
            _preprocessor()(WORDS, [[1, 2, 0], [0, 0, 1]])


class BertTokenClassifierTest(TestCase):
    @pytest.mark.large
    def test_predict_tags_maps_back_to_words(self):
        tagger = _tagger()
        tags = tagger.predict_tags(WORDS + [["Ada", "Lovelace"]])
        self.assertEqual([len(t) for t in tags], [6, 3, 2])
        self.assertTrue(all(t in NAMES for row in tags for t in row))
        # The word cut by truncation gets tag 0.
        self.assertEqual(tags[0][5], "O")
        # Each word's tag is the argmax at its first piece.
        x = tagger.preprocessor(WORDS[:1])
        first = tagger.predict(x, verbose=0)[0].argmax(-1)[[1, 2, 4, 5, 6]]
        self.assertEqual(tags[0][:5], [NAMES[i] for i in first])

    def test_bad_inputs(self):
        tagger = _tagger()
        with self.assertRaisesRegex(ValueError, "Sentence 1 has 3 words but 2 tags"):
            tagger.fit(WORDS, [TAGS[0], ["O", "O"]], verbose=0)
        with self.assertRaisesRegex(ValueError, "Unknown tag 'B-ORG'"):
            tagger.fit(WORDS, [TAGS[0], ["O", "O", "B-ORG"]], verbose=0)
        with self.assertRaisesRegex(ValueError, r"\[0, num_classes=4\)"):
            tagger.fit(WORDS, [[0] * 6, [0, 0, 7]], verbose=0)
        with self.assertRaisesRegex(ValueError, "4 distinct names"):
            BertTokenClassifier(tagger.encoder, 4, label_names=["O", "B-PER"])


@pytest.mark.large
class BertTokenClassifierRoundTripTest(TestCase):
    def test_fit_save_preset_export(self):
        tagger = _tagger()
        tagger.compile(
            optimizer=keras.optimizers.Adam(1e-2),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            weighted_metrics=["accuracy"],
        )
        history = tagger.fit(WORDS * 4, TAGS * 4, epochs=20, verbose=0)
        self.assertGreater(history.history["accuracy"][-1], 0.9)
        expected = tagger.predict_tags(WORDS)
        self.assertEqual(expected, [TAGS[0][:5] + ["O"], TAGS[1]])
        directory = self.get_temp_dir()
        path = os.path.join(directory, "tagger.keras")
        tagger.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertEqual(restored.predict_tags(WORDS), expected)
        preset = os.path.join(directory, "preset")
        tagger.save_to_preset(preset)
        self.assertEqual(
            BertTokenClassifier.from_preset(preset).predict_tags(WORDS), expected
        )
        self.run_model_test(tagger, tagger.preprocessor(WORDS), run_preset_check=False)
        served = os.path.join(directory, "served")
        tagger.export(served)
        signature = tf.saved_model.load(served).signatures["serving_default"]
        out = signature(text=tf.constant(["Ada Lovelace wrote in Paris", "wrote Ada"]))
        want = tagger.predict_tags(["Ada Lovelace wrote in Paris", "wrote Ada"])
        got = [[t.decode() for t in row if t] for row in out["tags"].numpy().tolist()]
        self.assertEqual(got, want)
        self.assertEqual(
            out["words"].numpy()[1].tolist(), [b"wrote", b"Ada", b"", b"", b""]
        )
        self.assertEqual(out["tag_ids"].numpy()[1].tolist()[2:], [-1, -1, -1])
