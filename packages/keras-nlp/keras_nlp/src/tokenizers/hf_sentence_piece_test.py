# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import pytest
import sentencepiece
import tensorflow as tf

from keras_nlp.src.tokenizers.hf_sentence_piece import HuggingFaceSentencePiece
from keras_nlp.src.tokenizers.hf_sentence_piece import charsmap_table
from keras_nlp.src.tokenizers.hf_sentence_piece import without_normalization

MODEL = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "testdata",
    "xlm_roberta_sentencepiece.model",
)


def _proto():
    with open(MODEL, "rb") as f:
        return f.read()


@pytest.mark.large  # over 4 s; default-suite time budget
def test_charsmap_table_agrees_with_sentencepiece_normalizer():
    # The SentencePiece library's own normalizer (on single characters,
    # where longest match and HuggingFace's lookup agree) is the reference.
    _, charsmap, _ = without_normalization(_proto())
    table = charsmap_table(charsmap)
    assert len(table) > 100_000
    processor = sentencepiece.SentencePieceProcessor()
    processor.LoadFromSerializedProto(_proto())
    checked = 0
    for key, value in table.items():
        text = key.decode("utf-8")
        if len(text) != 1 or not value.strip() or value != value.strip():
            continue
        # "x" + char: the library's normalised form, after its dummy "▁".
        normalized = processor.Normalize("x" + text)
        assert normalized == "\u2581x" + value.decode("utf-8"), text
        checked += 1
        if checked >= 2000:
            break
    assert checked >= 2000


@pytest.mark.parametrize(
    "text,expected",
    [
        # Shortest key of a cluster under 6 bytes: the macron is dropped.
        ("o\u0308\u0304", "\u00f6"),
        # Longer clusters go character by character.
        ("\ufb01\u0301\u0301", "fi\u0301\u0301"),
        # Nothing extends a control character.
        ("\t\u0e36", " \u0e36"),
        ("\x00", "\x00"),
    ],
)
def test_normalize_per_grapheme_cluster(text, expected):
    pipeline = HuggingFaceSentencePiece(_proto(), {})
    got = pipeline.normalize(tf.constant([text])).numpy()[0].decode("utf-8")
    assert got == expected
