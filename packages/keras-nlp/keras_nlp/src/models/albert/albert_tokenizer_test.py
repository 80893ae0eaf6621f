# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import pytest
import sentencepiece

from keras_nlp.src.models.albert.albert_tokenizer import AlbertTokenizer
from keras_nlp.src.tokenizers.sentence_piece_parity_test import SentencePieceParity

PARITY = SentencePieceParity("albert", "albert_spiece.model", AlbertTokenizer)
MODEL = PARITY.model
_reference = PARITY.reference


def test_ties_equal_huggingface_eagerly():
    # The corpus lines that tensorflow-text's search (float32 sums) split
    # otherwise, and 600 random strings of pieces. (XLM-RoBERTa's default
    # test runs them in all three modes: the search is the same.)
    PARITY.check_ties(("eager",))


@pytest.mark.large  # a second trace; default-suite time budget
def test_ties_equal_huggingface_in_tf_data():
    PARITY.check_ties(("tf_data",))


@pytest.mark.large  # the whole corpus (the test above: the ties)
def test_ids_equal_huggingface_eagerly():
    PARITY.check_corpus("eager")


@pytest.mark.large  # the whole corpus (the test above: the ties)
def test_ids_equal_huggingface_in_tf_data():
    PARITY.check_corpus("tf_data")


@pytest.mark.large  # the whole corpus (the test above: the ties)
def test_ids_equal_huggingface_in_reloaded_saved_model(tmp_path):
    PARITY.check_corpus("saved_model", tmp_path)


def test_offsets_equal_huggingface_eagerly():
    # HuggingFace's offset_mapping on the corpus's first 150 lines (accents
    # stripped, NFKD, special tokens written in the text) and its `` and ''
    # pairs (lines 225-239); the whole corpus: below.
    PARITY.check_offsets("eager", list(range(150)) + list(range(225, 240)))


@pytest.mark.large  # the whole corpus (the test above: a part, eagerly)
def test_offsets_equal_huggingface_on_the_corpus():
    PARITY.check_offsets("tf_data")
    PARITY.check_offsets("eager")


def test_special_tokens_and_ids():
    tokenizer = AlbertTokenizer(MODEL)
    _, case = _reference()
    assert case["special_token_ids"] == {
        "<pad>": tokenizer.pad_token_id,
        "<unk>": tokenizer.unk_token_id,
        "[CLS]": tokenizer.cls_token_id,
        "[SEP]": tokenizer.sep_token_id,
        "[MASK]": tokenizer.mask_token_id,
    }
    assert tokenizer.vocabulary_size() == case["vocabulary_size"]
    ids = tokenizer(["a [MASK] b", "[mask]"]).to_list()
    assert tokenizer.mask_token_id in ids[0]
    assert tokenizer.mask_token_id not in ids[1]  # only the raw token


@pytest.mark.large  # over 4 s; default-suite time budget
def test_config_and_keras_file_round_trip(tmp_path):
    PARITY.check_keras_file_round_trip(tmp_path, pad_id=0, mask_token="[MASK]")


def test_model_without_albert_pieces_is_refused():
    import io

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(["the quick brown fox", "the lazy dog"] * 20),
        model_writer=model,
        vocab_size=25,
        minloglevel=2,
    )
    with pytest.raises(ValueError, match=r"lacks \['<pad>', '\[CLS\]'"):
        AlbertTokenizer(model.getvalue())
