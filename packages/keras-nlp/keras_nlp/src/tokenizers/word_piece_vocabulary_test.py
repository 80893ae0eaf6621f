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


@pytest.mark.large
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


def test_order_is_reserved_then_sorted_characters_then_frequent_pieces():
    # keras-nlp 0.15 documents this result for this text and size: reserved
    # tokens, the characters in sorted order, then "##at" (5 times).
    vocab = compute_word_piece_vocabulary(
        ["bat sat pat mat rat"],
        vocabulary_size=13,
        lowercase=False,
        reserved_tokens=["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"],
    )
    assert vocab == [
        "[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]",
        "a", "b", "m", "p", "r", "s", "t", "##at",
    ]  # fmt: skip
    # Pieces by count: "##aa" is in four words and "##a" in one more place.
    vocab = compute_word_piece_vocabulary(
        ["baa maa caa saa aaa"], vocabulary_size=8, reserved_tokens=[]
    )
    assert vocab == ["a", "b", "c", "m", "s", "##aa", "##a", "##b"]
    # The suffix indicator is the learner's joiner.
    vocab = compute_word_piece_vocabulary(
        ["baa maa caa saa aaa"],
        vocabulary_size=8,
        reserved_tokens=[],
        suffix_indicator="@@",
    )
    assert vocab == ["a", "b", "c", "m", "s", "@@aa", "@@a", "@@b"]


def test_cut_that_would_leave_words_unknown_keeps_the_alphabet():
    # Cut from the end, ["a", "x", "y"] could not split "xa" or "ya"; the
    # inner-only "a" gives way to the continuation "##a".
    vocab = compute_word_piece_vocabulary(
        ["xa ya"], vocabulary_size=3, reserved_tokens=[]
    )
    assert vocab == ["x", "y", "##a"]
    tokenizer = WordPieceTokenizer(vocab + ["[UNK]"], special_tokens=[])
    assert tokenizer(["xa ya"]).to_list() == [[0, 2, 1, 2]]
    with pytest.raises(ValueError, match=r"vocabulary_size=2 cannot hold.*>= 3"):
        compute_word_piece_vocabulary(["xa ya"], vocabulary_size=2, reserved_tokens=[])
    # Reserved tokens are never cut.
    with pytest.raises(ValueError, match="vocabulary_size=4 cannot hold the 5"):
        compute_word_piece_vocabulary(["ab"], vocabulary_size=4)


def test_split_false_takes_words_already_split():
    words = tf.data.Dataset.from_tensor_slices(
        ["This", "string", ":", "would", "be", "split", "up", "."]
    )
    text = tf.data.Dataset.from_tensor_slices(["This string: would be split up."])
    split = compute_word_piece_vocabulary(text, 40, lowercase=False)
    assert compute_word_piece_vocabulary(words, 40, lowercase=False, split=False) == (
        split
    )
    # Ragged batches of words, normalized like the tokenizer (lowercased,
    # accents stripped), never split at punctuation.
    ragged = tf.data.Dataset.from_tensor_slices(
        tf.ragged.constant([["Café", "x-y"], ["café"]])
    )
    vocab = compute_word_piece_vocabulary(ragged, 20, split=False, reserved_tokens=[])
    assert "cafe" in vocab and not any("é" in t or "C" in t for t in vocab)
    # "x-y" stays one word (split text makes it three: "x", "-", "y").
    assert "x-y" in vocab
    assert "x-y" not in compute_word_piece_vocabulary(
        ["Café x-y", "café"], 20, reserved_tokens=[]
    )
    # A word longer than `max_token_length` is not learned.
    long_line = tf.data.Dataset.from_tensor_slices(["a line that is not split " * 3])
    assert compute_word_piece_vocabulary(
        long_line, 20, split=False, reserved_tokens=["[UNK]"]
    ) == ["[UNK]"]


def test_split_false_needs_a_dataset(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("a b\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"split=False\)` needs `data`.*files="):
        compute_word_piece_vocabulary(files=[str(path)], split=False)
    # A list (texts here, file names in keras-nlp 0.15) is refused too.
    with pytest.raises(ValueError, match="Received: type\\(data\\)=<class 'list'>"):
        compute_word_piece_vocabulary(["a", "b"], split=False)
    with pytest.raises(ValueError, match="`split` must be True or False"):
        compute_word_piece_vocabulary(["a"], split="no")
    numbers = tf.data.Dataset.from_tensor_slices([1, 2])
    with pytest.raises(ValueError, match="dataset of words"):
        compute_word_piece_vocabulary(numbers, split=False)


def test_list_of_file_names_as_data_is_the_old_form(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("\n".join(CORPUS[:3]) + "\n", encoding="utf-8")
    second.write_text("\n".join(CORPUS[3:]) + "\n", encoding="utf-8")
    names = [str(first), str(second)]
    expected = compute_word_piece_vocabulary(files=names, vocabulary_size=50)
    assert expected == compute_word_piece_vocabulary(CORPUS, vocabulary_size=50)
    with pytest.warns(DeprecationWarning, match=r"use `compute_word_piece_voc.*files="):
        assert compute_word_piece_vocabulary(names, vocabulary_size=50) == expected
    # os.PathLike items are always paths.
    with pytest.warns(DeprecationWarning):
        assert compute_word_piece_vocabulary([first, second], 50) == expected
    # Some existing files among other strings: ambiguous, refused.
    with pytest.raises(ValueError, match=r"some items are existing files"):
        compute_word_piece_vocabulary([str(first), "just text"], 50)


def test_data_of_another_type_is_both_type_and_value_error():
    for error in (TypeError, ValueError):
        with pytest.raises(error, match=r"Received: type\(data\)=<class 'dict'>"):
            compute_word_piece_vocabulary({"a": "b.txt"}, 10)
