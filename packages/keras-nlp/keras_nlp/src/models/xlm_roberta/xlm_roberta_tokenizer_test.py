# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import functools
import json
import os

import keras
import pytest
import sentencepiece
import tensorflow as tf

from keras_nlp.src.models.xlm_roberta.xlm_roberta_tokenizer import XLMRobertaTokenizer

TESTDATA = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "tokenizers",
    "testdata",
)
MODEL = os.path.join(TESTDATA, "xlm_roberta_sentencepiece.model")
FAMILY = "xlm_roberta"
CORPUS_LINES = 1505


@functools.cache
def _reference():
    # HuggingFace `XLMRobertaTokenizerFast` ids (see
    # tokenizers/testdata/make_sentence_piece_reference.py).
    path = os.path.join(TESTDATA, "hf_sentence_piece_reference.json")
    with open(path, encoding="utf-8") as f:
        reference = json.load(f)
    return reference["texts"][FAMILY], reference["cases"][FAMILY]


def _check_parity(ours):
    """Every text's ids equal HuggingFace's, ties in the unigram search too."""
    texts, case = _reference()
    assert len(ours) == len(texts) > CORPUS_LINES
    mismatches = [i for i, (a, b) in enumerate(zip(ours, case["ids"])) if a != b]
    assert mismatches == []


@functools.cache
def _unigram_reference():
    # HuggingFace's ids on strings of random pieces, where the unigram
    # search meets exact ties (tokenizers/testdata/make_unigram_reference.py).
    path = os.path.join(TESTDATA, "hf_unigram_reference.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)[FAMILY]


def _serve(tokenizer, directory):
    module = tf.Module()
    module.tokenizer = tokenizer
    module.serve = tf.function(
        lambda x: tokenizer(x).to_tensor(default_value=-1),
        input_signature=[tf.TensorSpec([None], tf.string)],
    )
    tf.saved_model.save(module, directory)
    reloaded = tf.saved_model.load(directory)
    return lambda texts: [
        [x for x in row if x != -1]
        for row in reloaded.serve(tf.constant(texts)).numpy().tolist()
    ]


def test_ties_equal_huggingface_eagerly_in_tf_data_and_saved_model(tmp_path):
    # The corpus lines that tensorflow-text's search (float32 sums) split
    # otherwise, and 600 random strings of pieces, in the three modes.
    texts, case = _reference()
    lines = [71, 822, 929, 1691]
    random = _unigram_reference()
    inputs = [texts[i] for i in lines] + random["random_texts"]
    want = [case["ids"][i] for i in lines] + random["random_ids"]
    tokenizer = XLMRobertaTokenizer(MODEL)
    assert tokenizer(inputs).to_list() == want
    dataset = tf.data.Dataset.from_tensor_slices(inputs).batch(97).map(tokenizer)
    assert [ids for batch in dataset for ids in batch.to_list()] == want
    assert _serve(tokenizer, str(tmp_path / "saved"))(inputs) == want


@pytest.mark.large  # the whole corpus (the test above: ties, in the 3 modes)
def test_ids_equal_huggingface_eagerly():
    texts, _ = _reference()
    ours = XLMRobertaTokenizer(MODEL)(texts).to_list()
    _check_parity(ours)
    assert sum(len(ids) for ids in ours) > 30_000


@pytest.mark.large  # the whole corpus (the test above: ties, in the 3 modes)
def test_ids_equal_huggingface_in_tf_data():
    texts, _ = _reference()
    tokenizer = XLMRobertaTokenizer(MODEL)
    dataset = tf.data.Dataset.from_tensor_slices(texts).batch(64).map(tokenizer)
    ours = [ids for batch in dataset for ids in batch.to_list()]
    _check_parity(ours)


@pytest.mark.large  # the whole corpus (the test above: ties, in the 3 modes)
def test_ids_equal_huggingface_in_reloaded_saved_model(tmp_path):
    texts, _ = _reference()
    ours = _serve(XLMRobertaTokenizer(MODEL), str(tmp_path / "saved"))(texts)
    _check_parity(ours)


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


def test_detokenize_drops_special_tokens():
    tokenizer = XLMRobertaTokenizer(MODEL)
    ids = tokenizer(["the lazy dog"])
    framed = tf.concat([[[0]], ids, [[tokenizer.mask_token_id, 2, 1]]], axis=1)
    assert tokenizer.detokenize(framed).numpy().tolist() == [b"the lazy dog"]
    assert tokenizer.detokenize(framed[0]).numpy() == b"the lazy dog"


@pytest.mark.large  # over 4 s; default-suite time budget
def test_config_and_keras_file_round_trip(tmp_path):
    texts, case = _reference()
    inputs = keras.Input(shape=(), dtype="string")
    outputs = XLMRobertaTokenizer(MODEL, sequence_length=32)(inputs)
    model = keras.Model(inputs, outputs)
    path = str(tmp_path / "tokenizer.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    got = restored.predict(tf.constant(texts[:50]), verbose=0).tolist()
    want = [(ids + [1] * 32)[:32] for ids in case["ids"][:50]]
    assert got == want
    layer = restored.layers[-1]
    assert isinstance(layer, XLMRobertaTokenizer)
    assert layer.mask_token_id == case["special_token_ids"]["<mask>"]


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
