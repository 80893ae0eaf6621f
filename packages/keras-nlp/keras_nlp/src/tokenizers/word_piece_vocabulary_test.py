# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import pytest
import tensorflow as tf

from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer
from keras_nlp.src.tokenizers.word_piece_vocabulary import compute_word_piece_vocabulary

CORPUS = [
    "The movie was wonderful, truly wonderful!",
    "A boring, predictable movie; I walked out.",
    "Wonderfully acted and beautifully shot.",
    "Café owners loved the soundtrack.",
    "Predictably boring: nothing happened [MASK].",
] * 4


def test_vocabulary_fits_the_tokenizer():
    vocab = compute_word_piece_vocabulary(CORPUS, vocabulary_size=60)
    assert vocab[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert len(vocab) == len(set(vocab))
    # Normalized like the tokenizer: lowercase, no accents, punctuation alone.
    assert "cafe" in vocab or "c" in vocab
    assert not any(t != t.lower() for t in vocab[5:])
    assert "é" not in vocab and "," in vocab
    tokenizer = WordPieceTokenizer(vocab)
    ids = tokenizer(CORPUS).to_list()
    # Every character was seen, so nothing is unknown; pieces reassemble.
    assert all(1 not in row for row in ids)
    assert tokenizer.detokenize(tokenizer(["wonderful movie"])).numpy()[0] == (
        b"wonderful movie"
    )


def test_list_dataset_and_files_agree(tmp_path):
    from_list = compute_word_piece_vocabulary(CORPUS, vocabulary_size=50)
    dataset = tf.data.Dataset.from_tensor_slices(CORPUS)
    assert compute_word_piece_vocabulary(dataset, vocabulary_size=50) == from_list
    assert (
        compute_word_piece_vocabulary(dataset.batch(3), vocabulary_size=50) == from_list
    )
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(CORPUS) + "\n", encoding="utf-8")
    out = tmp_path / "vocab.txt"
    from_file = compute_word_piece_vocabulary(
        files=[str(path)], vocabulary_size=50, vocabulary_output_file=str(out)
    )
    assert from_file == from_list
    assert WordPieceTokenizer(str(out)).get_vocabulary() == from_list


def test_cased_vocabulary_keeps_case():
    vocab = compute_word_piece_vocabulary(CORPUS, vocabulary_size=60, lowercase=False)
    assert "T" in vocab and "##é" in vocab


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="exactly one of"):
        compute_word_piece_vocabulary(vocabulary_size=10)
    with pytest.raises(TypeError, match="not a single str"):
        compute_word_piece_vocabulary("some text", vocabulary_size=10)
    with pytest.raises(ValueError, match="empty"):
        compute_word_piece_vocabulary([], vocabulary_size=10)
    with pytest.raises(ValueError, match="positive int"):
        compute_word_piece_vocabulary(CORPUS, vocabulary_size=0)
    with pytest.raises(ValueError, match="do not exist"):
        compute_word_piece_vocabulary(files=os.fspath(tmp_path / "x.txt"))
    labelled = tf.data.Dataset.from_tensor_slices((CORPUS, [0] * len(CORPUS)))
    with pytest.raises(ValueError, match="dataset of strings"):
        compute_word_piece_vocabulary(labelled)


def test_vocabulary_has_exactly_the_requested_size():
    # The learner alone overshoots (20 tokens for a size of 3) or
    # undershoots by its slack; the result is cut to the requested size.
    with pytest.raises(ValueError, match=r"at least 46 tokens.*>= 46"):
        compute_word_piece_vocabulary(CORPUS, vocabulary_size=3)
    with pytest.raises(ValueError, match="vocabulary_size=45 cannot hold"):
        compute_word_piece_vocabulary(CORPUS, vocabulary_size=45)
    largest = compute_word_piece_vocabulary(CORPUS, vocabulary_size=30000)
    for size in (46, 47, 53, 66, 80, len(largest)):
        vocab = compute_word_piece_vocabulary(CORPUS, vocabulary_size=size)
        assert len(vocab) == size == len(set(vocab))
        assert vocab[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        # Every word of the text can still be split: no unknown token.
        ids = WordPieceTokenizer(vocab)(CORPUS).to_list()
        assert all(1 not in row for row in ids)
    # A small text has fewer distinct pieces than asked for: all of them.
    assert len(largest) < 30000
    assert set(compute_word_piece_vocabulary(CORPUS, vocabulary_size=80)) < set(largest)
    tiny = compute_word_piece_vocabulary(["ab"], vocabulary_size=3, reserved_tokens=[])
    assert len(tiny) == 3 and {"a", "##b"} <= set(tiny)
