# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import warnings

import keras
import pytest

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


class BertMaskedLMPreprocessorOldKeysTest(TestCase):
    def setUp(self):
        super().setUp()
        self.tokenizer = _quiet(keras_nlp.models.BertTokenizer, vocabulary=VOCAB)
        self.kwargs = dict(
            sequence_length=8,
            mask_selection_rate=1.0,
            mask_token_rate=1.0,
            random_token_rate=0.0,
            mask_selection_length=3,
        )

    def test_0_15_tokenizer_gives_0_15_keys_with_our_ids(self):
        old = keras_nlp.models.BertMaskedLMPreprocessor(self.tokenizer, **self.kwargs)
        ours = keras_nlp.models.BertMaskedLMPreprocessor(
            keras_nlp.tokenizers.WordPieceTokenizer(VOCAB, lowercase=False),
            **self.kwargs,
        )
        x_old, y_old, w_old = old(["Red car !"])
        x_new, y_new, w_new = ours(["Red car !"])
        self.assertEqual(
            sorted(x_old),
            ["mask_positions", "padding_mask", "segment_ids", "token_ids"],
        )
        self.assertEqual(
            sorted(x_new),
            ["input_ids", "input_mask", "input_type_ids", "masked_positions"],
        )
        # Every token is masked: [CLS] [MASK] x3 [SEP], labels "Red car !".
        self.assertAllEqual(x_old["token_ids"], [[2, 4, 4, 4, 3, 0, 0, 0]])
        self.assertAllEqual(x_old["token_ids"], x_new["input_ids"])
        self.assertAllEqual(x_old["segment_ids"], x_new["input_type_ids"])
        self.assertAllEqual(x_old["padding_mask"], x_new["input_mask"])
        self.assertAllEqual(x_old["mask_positions"], [[1, 2, 3]])
        self.assertAllEqual(y_old, [[5, 7, 8]])
        self.assertAllEqual(y_old, y_new)
        self.assertAllEqual(w_old, w_new)

    def test_sequence_length_can_be_changed(self):
        preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
            self.tokenizer, **self.kwargs
        )
        preprocessor.sequence_length = 11
        self.assertEqual(preprocessor(["Red car"])[0]["token_ids"].shape, (1, 11))
        with self.assertRaisesRegex(ValueError, ">= 3"):
            preprocessor.sequence_length = 1

    @pytest.mark.large
    def test_masked_lm_takes_the_0_15_keys(self):
        preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
            self.tokenizer, **self.kwargs
        )
        encoder = keras_nlp.encoders.BertEncoder(
            vocab_size=len(VOCAB),
            hidden_size=8,
            num_layers=1,
            num_attention_heads=2,
            inner_dim=8,
            max_sequence_length=8,
        )
        masked_lm = keras_nlp.models.BertMaskedLM(encoder, preprocessor)
        history = masked_lm.fit(["Red car !", "red car"], epochs=1, verbose=0)
        self.assertTrue(all(v == v for v in history.history["loss"]))  # not NaN
        x, _, _ = preprocessor(["Red car !"])
        ours = {
            "input_ids": x["token_ids"],
            "input_type_ids": x["segment_ids"],
            "input_mask": x["padding_mask"],
            "masked_positions": x["mask_positions"],
        }
        logits = masked_lm.predict(x, verbose=0)
        self.assertAllClose(logits, masked_lm.predict(ours, verbose=0))
