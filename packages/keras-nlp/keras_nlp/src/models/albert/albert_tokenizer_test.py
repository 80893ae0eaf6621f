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

from keras_nlp.src.models.albert.albert_tokenizer import AlbertTokenizer

TESTDATA = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "tokenizers",
    "testdata",
)
MODEL = os.path.join(TESTDATA, "albert_spiece.model")
FAMILY = "albert"
CORPUS_LINES = 1505


@functools.cache
def _reference():
    # HuggingFace `AlbertTokenizerFast` ids (see
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


def test_ties_equal_huggingface_eagerly_and_in_tf_data():
    # The corpus lines that tensorflow-text's search (float32 sums) split
    # otherwise, and 600 random strings of pieces. (The search is the one of
    # XLM-RoBERTa's test, which also runs them in a SavedModel.)
    texts, case = _reference()
    lines = [71, 822, 929, 1691]
    random = _unigram_reference()
    inputs = [texts[i] for i in lines] + random["random_texts"]
    want = [case["ids"][i] for i in lines] + random["random_ids"]
    tokenizer = AlbertTokenizer(MODEL)
    assert tokenizer(inputs).to_list() == want
    dataset = tf.data.Dataset.from_tensor_slices(inputs).batch(97).map(tokenizer)
    assert [ids for batch in dataset for ids in batch.to_list()] == want


@pytest.mark.large  # the whole corpus (the test above: ties)
def test_ids_equal_huggingface_eagerly():
    texts, _ = _reference()
    ours = AlbertTokenizer(MODEL)(texts).to_list()
    _check_parity(ours)
    assert sum(len(ids) for ids in ours) > 30_000


@pytest.mark.large  # the whole corpus (the test above: ties)
def test_ids_equal_huggingface_in_tf_data():
    texts, _ = _reference()
    tokenizer = AlbertTokenizer(MODEL)
    dataset = tf.data.Dataset.from_tensor_slices(texts).batch(64).map(tokenizer)
    ours = [ids for batch in dataset for ids in batch.to_list()]
    _check_parity(ours)


@pytest.mark.large  # the whole corpus (the test above: ties)
def test_ids_equal_huggingface_in_reloaded_saved_model(tmp_path):
    texts, _ = _reference()
    ours = _serve(AlbertTokenizer(MODEL), str(tmp_path / "saved"))(texts)
    _check_parity(ours)


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
    texts, case = _reference()
    inputs = keras.Input(shape=(), dtype="string")
    outputs = AlbertTokenizer(MODEL, sequence_length=32)(inputs)
    model = keras.Model(inputs, outputs)
    path = str(tmp_path / "tokenizer.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    got = restored.predict(tf.constant(texts[:50]), verbose=0).tolist()
    want = [(ids + [0] * 32)[:32] for ids in case["ids"][:50]]
    assert got == want
    layer = restored.layers[-1]
    assert isinstance(layer, AlbertTokenizer)
    assert layer.mask_token_id == case["special_token_ids"]["[MASK]"]


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
