# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import pytest
import sentencepiece
import tensorflow as tf

from keras_nlp.src.models.xlm_roberta.xlm_roberta_tokenizer import XLMRobertaTokenizer
from keras_nlp.src.tokenizers.sentence_piece_parity_test import SHIFT_LINES
from keras_nlp.src.tokenizers.sentence_piece_parity_test import SentencePieceParity

PARITY = SentencePieceParity(
    "xlm_roberta", "xlm_roberta_sentencepiece.model", XLMRobertaTokenizer
)
MODEL = PARITY.model
_reference = PARITY.reference


def test_ties_equal_huggingface_in_tf_data():
    # The corpus lines that tensorflow-text's search (float32 sums) split
    # otherwise, and 600 random strings of pieces. (ALBERT's default test
    # runs them eagerly: the search is the same.)
    PARITY.check_ties(("tf_data",))


@pytest.mark.large  # more traces; default-suite time budget
def test_ties_equal_huggingface_eagerly_and_in_saved_model(tmp_path):
    PARITY.check_ties(("eager", "saved_model"), tmp_path)


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
    # HuggingFace's offset_mapping: its shift after characters the table
    # removes at the start of a text (or after a special token written in
    # it), and the corpus's first 150 lines (the whole corpus: below).
    PARITY.check_offsets("eager", list(SHIFT_LINES) + list(range(150)))


@pytest.mark.large  # the whole corpus (the test above: a part in tf.data)
def test_offsets_equal_huggingface_on_the_corpus():
    PARITY.check_offsets("tf_data")
    PARITY.check_offsets("eager")


def test_special_tokens_and_fairseq_ids():
    tokenizer = XLMRobertaTokenizer(MODEL)
    _, case = _reference()
    assert case["special_token_ids"] == {
        "<s>": tokenizer.cls_token_id,
        "<pad>": tokenizer.pad_token_id,
        "</s>": tokenizer.sep_token_id,
        "<unk>": tokenizer.unk_token_id,
        "<mask>": tokenizer.mask_token_id,
    }
    assert tokenizer.vocabulary_size() == case["vocabulary_size"]
    vocabulary = tokenizer.get_vocabulary()
    processor = sentencepiece.SentencePieceProcessor()
    processor.Load(MODEL)
    # fairseq's layout: the model's piece i (from 3 on) is id i + 1.
    assert vocabulary[4:-1] == [
        processor.IdToPiece(i) for i in range(3, processor.GetPieceSize())
    ]
    ids = tokenizer(["a <mask> b", "\u2603"]).to_list()
    assert tokenizer.mask_token_id in ids[0]
    assert tokenizer.unk_token_id in ids[1]


@pytest.mark.large  # default-suite time budget
def test_detokenize_drops_special_tokens():
    tokenizer = XLMRobertaTokenizer(MODEL)
    ids = tokenizer(["the lazy dog"])
    framed = tf.concat([[[0]], ids, [[tokenizer.mask_token_id, 2, 1]]], axis=1)
    assert tokenizer.detokenize(framed).numpy().tolist() == [b"the lazy dog"]
    assert tokenizer.detokenize(framed[0]).numpy() == b"the lazy dog"


@pytest.mark.large  # over 4 s; default-suite time budget
def test_config_and_keras_file_round_trip(tmp_path):
    PARITY.check_keras_file_round_trip(tmp_path, pad_id=1, mask_token="<mask>")


def test_model_without_xlm_roberta_layout_is_refused():
    import io

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(["the quick brown fox", "the lazy dog"] * 20),
        model_writer=model,
        vocab_size=27,
        pad_id=0,
        unk_id=1,
        bos_id=2,
        eos_id=3,
        minloglevel=2,
    )
    with pytest.raises(ValueError, match=r"starts with the pieces"):
        XLMRobertaTokenizer(model.getvalue())
