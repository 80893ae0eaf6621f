# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import base64
import os

import keras
import numpy as np
import pytest
import sentencepiece
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import SentencePieceTokenizer
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import (
    compute_sentence_piece_proto,
)

CORPUS = [
    "the quick brown fox jumps over the lazy dog",
    "a wonderful film with a boring ending",
    "nothing happened and the dog slept",
    "émigré café naïve",
] * 10


@pytest.fixture(scope="module")
def proto():
    return compute_sentence_piece_proto(CORPUS, vocabulary_size=40)


def test_ids_equal_the_sentencepiece_library(proto, tmp_path):
    reference = sentencepiece.SentencePieceProcessor(model_proto=proto)
    texts = ["the lazy fox", "a café, naïve dog!", ""]
    want = [reference.encode(t) for t in texts]
    assert SentencePieceTokenizer(proto)(texts).to_list() == want
    path = tmp_path / "spm.model"
    path.write_bytes(proto)
    tokenizer = SentencePieceTokenizer(str(path))
    assert tokenizer(texts).to_list() == want
    assert tokenizer.detokenize(tokenizer(texts)).numpy().tolist() == [
        reference.decode(ids).encode() for ids in want
    ]
    assert tokenizer.get_vocabulary()[3] == reference.id_to_piece(3)
    assert tokenizer.vocabulary_size() == reference.get_piece_size()


def test_bpe_and_files(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(CORPUS), encoding="utf-8")
    out = tmp_path / "bpe.model"
    proto = compute_sentence_piece_proto(
        files=str(path),
        vocabulary_size=40,
        model_type="bpe",
        proto_output_file=str(out),
    )
    assert out.read_bytes() == proto
    reference = sentencepiece.SentencePieceProcessor(model_proto=proto)
    assert SentencePieceTokenizer(proto)(["the dog"]).to_list() == [
        reference.encode("the dog")
    ]


class SentencePieceTokenizerTest(TestCase):
    def test_layer_checks_and_model_asset(self):
        # The harness' checks, except calling a tokenizer rebuilt from its
        # config alone: the model is an asset, not in the config.
        proto = compute_sentence_piece_proto(CORPUS, vocabulary_size=40)
        tokenizer = SentencePieceTokenizer(proto, sequence_length=8)
        data = np.array(["the quick fox", "a dog"])
        expected = tokenizer(data).numpy()
        reference = sentencepiece.SentencePieceProcessor(model_proto=proto)
        self.assertEqual(
            [[int(i) for i in row[row > 0]] for row in expected],
            [reference.encode(str(t))[:8] for t in data],
        )
        config = tokenizer.get_config()
        self.assertIsNone(config["proto"])
        self.assertNotIn("proto_base64", config)
        self.assertEqual(config["vocabulary_size"], 40)
        self.assertEqual(
            SentencePieceTokenizer.from_config(config).get_config(), config
        )
        revived = SentencePieceTokenizer.from_config(config)
        self.assertEqual(revived.unk_token_id, tokenizer.unk_token_id)
        with self.assertRaisesRegex(ValueError, "vocabulary is an asset"):
            revived(data)
        dataset = tf.data.Dataset.from_tensor_slices(data).batch(2).map(tokenizer)
        self.assertAllEqual(next(iter(dataset)), expected)
        path = os.path.join(self.get_temp_dir(), "spm_preset")
        tokenizer.save_to_preset(path)
        with open(os.path.join(path, "assets", "sentence_piece.model"), "rb") as f:
            self.assertEqual(f.read(), proto)
        self.assertAllEqual(SentencePieceTokenizer.from_preset(path)(data), expected)
        inputs = keras.Input(shape=(), dtype="string")
        model = keras.Model(inputs, tokenizer(inputs))
        keras_path = os.path.join(self.get_temp_dir(), "spm.keras")
        model.save(keras_path)
        restored = keras.saving.load_model(keras_path, safe_mode=True)
        self.assertAllEqual(restored(tf.constant(data)), expected)
        # Configs that embed the model (proto_base64) still load.
        legacy = dict(config, proto_base64=base64.b64encode(proto).decode("ascii"))
        legacy.pop("vocabulary_size")
        legacy.pop("special_token_ids")
        self.assertAllEqual(SentencePieceTokenizer.from_config(legacy)(data), expected)

    def test_bad_inputs(self):
        with self.assertRaisesRegex(ValueError, "not a valid SentencePiece"):
            SentencePieceTokenizer(b"not a model")
        with self.assertRaisesRegex(ValueError, "not a file"):
            SentencePieceTokenizer("/no/such.model")
        with self.assertRaisesRegex(ValueError, "model_type"):
            compute_sentence_piece_proto(CORPUS, model_type="wordpiece")
        proto = compute_sentence_piece_proto(CORPUS, vocabulary_size=40)
        with self.assertRaisesRegex(TypeError, "must be strings"):
            SentencePieceTokenizer(proto)(tf.constant([1]))


class SentencePieceProtoIdsTest(TestCase):
    def test_pad_is_id_0_then_unk_bos_eos(self):
        import sentencepiece

        proto = compute_sentence_piece_proto(
            ["small rivers flow", "rivers flow fast"] * 4, vocabulary_size=20
        )
        model = sentencepiece.SentencePieceProcessor(model_proto=proto)
        self.assertEqual(
            [model.id_to_piece(i) for i in range(4)], ["<pad>", "<unk>", "<s>", "</s>"]
        )
        self.assertEqual(
            (model.pad_id(), model.unk_id(), model.bos_id(), model.eos_id()),
            (0, 1, 2, 3),
        )
        # The caller's SentencePiece options still win.
        proto = compute_sentence_piece_proto(
            ["small rivers flow"] * 4, vocabulary_size=16, pad_id=-1, unk_id=0
        )
        model = sentencepiece.SentencePieceProcessor(model_proto=proto)
        self.assertEqual((model.pad_id(), model.unk_id()), (-1, 0))


def test_set_random_seed_after_building_keeps_the_tokenizer(proto, tmp_path):
    # `keras.utils.set_random_seed` clears TensorFlow's eager kernel cache;
    # it used to free the model resource ("... SentencepieceOp does not
    # exist") of every tokenizer built before.
    reference = sentencepiece.SentencePieceProcessor(model_proto=proto)
    want = [reference.encode("the lazy fox")]
    tokenizer = SentencePieceTokenizer(proto)
    same_model = SentencePieceTokenizer(proto)
    keras.utils.set_random_seed(7)
    assert tokenizer(["the lazy fox"]).to_list() == want
    dataset = tf.data.Dataset.from_tensor_slices(["the lazy fox"]).batch(1)
    dataset = dataset.map(tokenizer)
    keras.utils.set_random_seed(8)
    assert next(iter(dataset)).to_list() == want
    assert tokenizer.detokenize(tokenizer(["the lazy fox"])).numpy().tolist() == [
        b"the lazy fox"
    ]
    # Tokenizers of one model share its resource; dropping one keeps the other.
    del tokenizer
    keras.utils.set_random_seed(9)
    assert same_model(["the lazy fox"]).to_list() == want
    # A SavedModel holding the tokenizer recreates the resource when loaded.
    module = tf.Module()
    module.tokenizer = same_model
    module.tokenize = tf.function(
        lambda x: same_model(x).to_tensor(),
        input_signature=[tf.TensorSpec([None], tf.string)],
    )
    tf.saved_model.save(module, str(tmp_path / "saved"))
    restored = tf.saved_model.load(str(tmp_path / "saved"))
    keras.utils.set_random_seed(10)
    assert restored.tokenize(tf.constant(["the lazy fox"])).numpy().tolist() == want
