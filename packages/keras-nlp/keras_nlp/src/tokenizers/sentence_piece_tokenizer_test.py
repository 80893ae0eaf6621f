# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
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
    def test_layer_harness(self):
        proto = compute_sentence_piece_proto(CORPUS, vocabulary_size=40)
        self.run_layer_test(
            SentencePieceTokenizer,
            {"proto": proto, "sequence_length": 8},
            np.array(["the quick fox", "a dog"]),
            expected_output_shape=(2, 8),
            expected_output_dtype="int32",
            run_gradient_check=False,
        )

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
