# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import warnings

import keras

import keras_nlp
from keras_core.testing import TestCase

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Red", "red", "car", "!"]


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return fn(*args, **kwargs)


class BertTokenizerNameTest(TestCase):
    def test_warns_and_keeps_0_15_defaults(self):
        with self.assertWarnsRegex(
            DeprecationWarning, "keras_nlp.tokenizers.WordPieceTokenizer"
        ):
            old = keras_nlp.models.BertTokenizer(vocabulary=VOCAB)
        same = keras_nlp.tokenizers.WordPieceTokenizer(
            VOCAB, lowercase=False, special_tokens=[]
        )
        text = ["Red car [MASK]", "red Car!"]
        self.assertEqual(old(text).to_list(), same(text).to_list())
        # Casing kept: "Red" and "red" are different ids; "[MASK]" is text.
        self.assertEqual(old(["Red red"]).to_list(), [[5, 6]])
        self.assertNotIn(4, old(["[MASK]"]).to_list()[0])

    def test_special_tokens_in_strings_and_lowercase(self):
        tokenizer = _quiet(
            keras_nlp.models.BertTokenizer,
            vocabulary=VOCAB,
            lowercase=True,
            special_tokens_in_strings=True,
        )
        self.assertEqual(tokenizer(["[CLS] RED car [SEP]"]).to_list(), [[2, 6, 7, 3]])

    def test_vocabulary_without_bert_tokens_raises(self):
        with self.assertRaisesRegex(ValueError, r"\[CLS\]"):
            _quiet(keras_nlp.models.BertTokenizer, vocabulary=["[UNK]", "a"])

    def test_config_round_trip(self):
        tokenizer = _quiet(keras_nlp.models.BertTokenizer, vocabulary=VOCAB)
        revived = _quiet(
            keras.saving.deserialize_keras_object,
            keras.saving.serialize_keras_object(tokenizer),
        )
        self.assertIsInstance(revived, keras_nlp.models.BertTokenizer)
        revived.set_vocabulary(VOCAB)
        self.assertEqual(
            revived(["Red [MASK]"]).to_list(), tokenizer(["Red [MASK]"]).to_list()
        )


class BertTextClassifierPreprocessorNameTest(TestCase):
    def setUp(self):
        self.tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(VOCAB, lowercase=False)

    def test_0_15_keys_with_our_ids(self):
        with self.assertWarnsRegex(
            DeprecationWarning, "keras_nlp.models.BertPreprocessor"
        ):
            old = keras_nlp.models.BertTextClassifierPreprocessor(
                self.tokenizer, sequence_length=7
            )
        new = keras_nlp.models.BertPreprocessor(self.tokenizer, sequence_length=7)
        pair = (["Red car"], ["car !"])
        x, y, w = old(pair, [1], [0.5])
        ours = new(pair)
        self.assertEqual(sorted(x), ["padding_mask", "segment_ids", "token_ids"])
        self.assertAllEqual(x["token_ids"], ours["input_ids"])
        self.assertAllEqual(x["segment_ids"], ours["input_type_ids"])
        self.assertAllEqual(x["padding_mask"], ours["input_mask"])
        self.assertEqual(x["token_ids"].numpy().tolist(), [[2, 5, 7, 3, 7, 8, 3]])
        self.assertEqual((y, w), ([1], [0.5]))

    def test_list_of_lists_is_ambiguous(self):
        old = _quiet(
            keras_nlp.models.BertTextClassifierPreprocessor,
            self.tokenizer,
            sequence_length=7,
        )
        with self.assertRaisesRegex(ValueError, "ambiguous"):
            old([["Red", "car"], ["red", "car"]])

    def test_encoder_takes_the_0_15_keys(self):
        old = _quiet(
            keras_nlp.models.BertTextClassifierPreprocessor,
            self.tokenizer,
            sequence_length=6,
        )
        new = keras_nlp.models.BertPreprocessor(self.tokenizer, sequence_length=6)
        encoder = keras_nlp.encoders.BertEncoder(
            vocab_size=len(VOCAB),
            hidden_size=8,
            num_layers=1,
            num_attention_heads=2,
            inner_dim=8,
            max_sequence_length=6,
        )
        text = ["Red car !"]
        self.assertAllClose(
            encoder(old(text))["pooled_output"], encoder(new(text))["pooled_output"]
        )
        x = old(text)
        x["padding_mask"] = x["padding_mask"] > 0  # 0.15's boolean mask
        self.assertAllClose(
            encoder(x)["sequence_output"], encoder(new(text))["sequence_output"]
        )
        with self.assertRaisesRegex(ValueError, "once"):
            encoder({**x, "input_ids": x["token_ids"]})

    def test_sequence_length_can_be_changed(self):
        old = _quiet(
            keras_nlp.models.BertTextClassifierPreprocessor,
            self.tokenizer,
            sequence_length=5,
        )
        self.assertEqual(old(["Red car"])["token_ids"].shape, (1, 5))
        old.sequence_length = 9
        self.assertEqual(
            old(["Red car"])["token_ids"].numpy().tolist(),
            [[2, 5, 7, 3, 0, 0, 0, 0, 0]],
        )
        self.assertEqual(old.get_config()["sequence_length"], 9)
        with self.assertRaisesRegex(ValueError, ">= 3"):
            old.sequence_length = 2
