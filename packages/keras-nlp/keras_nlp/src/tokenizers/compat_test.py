# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-nlp 0.15 spellings and features of the tokenizers (issue 22)."""

import pytest
import sentencepiece

from keras_nlp.src.tokenizers.sentence_piece_tokenizer import SentencePieceTokenizer
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import (
    compute_sentence_piece_proto,
)
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = ["[PAD]", "@UNK@", "[UNK]", "[MASK]", "the", "fox", "[", "mask", "]"]


def test_word_piece_oov_token_is_unknown_token():
    with pytest.warns(DeprecationWarning, match="use `unknown_token=`"):
        tokenizer = WordPieceTokenizer(VOCAB, oov_token="@UNK@")
    assert tokenizer.unknown_token == "@UNK@"
    assert tokenizer(["the cat"]).to_list() == [[4, 1]]
    assert tokenizer.get_config()["unknown_token"] == "@UNK@"
    with pytest.raises(ValueError, match="Pass only `unknown_token`"):
        with pytest.warns(DeprecationWarning):
            WordPieceTokenizer(VOCAB, oov_token="@UNK@", unknown_token="[PAD]")


def test_word_piece_special_tokens_in_strings():
    default = WordPieceTokenizer(VOCAB)
    assert default(["the [MASK]"]).to_list() == [[4, 3]]
    with pytest.warns(DeprecationWarning, match="use `special_tokens=`"):
        plain = WordPieceTokenizer(VOCAB, special_tokens_in_strings=False)
    # "[MASK]" is ordinary text: "[", "mask", "]" (lowercased).
    assert plain(["the [MASK]"]).to_list() == [[4, 6, 7, 8]]
    with pytest.warns(DeprecationWarning):
        listed = WordPieceTokenizer(
            VOCAB, special_tokens=["[MASK]"], special_tokens_in_strings=True
        )
    assert listed(["the [MASK]"]).to_list() == [[4, 3]]


@pytest.fixture(scope="module")
def protos():
    texts = ["the quick brown fox", "the lazy dog", "a quick dog"] * 20
    return (
        compute_sentence_piece_proto(texts, vocabulary_size=30),
        compute_sentence_piece_proto(texts, vocabulary_size=40, model_type="bpe"),
    )


def test_sentence_piece_add_bos_add_eos_equal_the_library(protos):
    reference = sentencepiece.SentencePieceProcessor()
    reference.LoadFromSerializedProto(protos[0])
    tokenizer = SentencePieceTokenizer(protos[0], add_bos=True, add_eos=True)
    texts = ["the quick fox", "a lazy dog"]
    expected = reference.Encode(texts, add_bos=True, add_eos=True)
    assert tokenizer(texts).to_list() == expected
    assert (
        expected[0][0] == reference.bos_id() and expected[0][-1] == reference.eos_id()
    )
    only_eos = SentencePieceTokenizer(protos[0], add_eos=True)
    assert only_eos(texts).to_list() == reference.Encode(texts, add_eos=True)
    config = tokenizer.get_config()
    assert config["add_bos"] is True and config["add_eos"] is True


def test_sentence_piece_set_proto(protos, tmp_path):
    tokenizer = SentencePieceTokenizer(protos[0])
    path = tmp_path / "other.model"
    path.write_bytes(protos[1])
    tokenizer.set_proto(str(path))
    reference = sentencepiece.SentencePieceProcessor()
    reference.LoadFromSerializedProto(protos[1])
    assert tokenizer.vocabulary_size() == reference.GetPieceSize()
    assert tokenizer(["the lazy fox"]).to_list() == reference.Encode(["the lazy fox"])
    with pytest.raises(ValueError, match="not a valid SentencePiece model"):
        tokenizer.set_proto(b"not a model")


def test_word_piece_set_vocabulary(tmp_path):
    tokenizer = WordPieceTokenizer(VOCAB)
    assert tokenizer(["the fox"]).to_list() == [[4, 5]]
    path = tmp_path / "vocab.txt"
    path.write_text("[UNK]\nfox\nthe\n", encoding="utf-8")
    tokenizer.set_vocabulary(str(path))
    assert tokenizer.vocabulary_size() == 3
    assert tokenizer(["the fox [MASK]"]).to_list() == [[2, 1, 0, 0, 0]]
    assert tokenizer.mask_token_id is None
    with pytest.raises(ValueError, match="no unknown token"):
        tokenizer.set_vocabulary(["the"])
