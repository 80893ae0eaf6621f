# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import functools
import json
import os
import re
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.testing import TestCase
from keras_nlp.src.tokenizers.byte_pair_tokenizer import BytePairTokenizer
from keras_nlp.src.tokenizers.byte_pair_tokenizer import bytes_to_unicode

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "testdata")
VOCAB_FILE = os.path.join(TESTDATA, "bpe_vocab.json")
MERGES_FILE = os.path.join(TESTDATA, "bpe_merges.txt")
CASES = [
    "gpt2",
    "gpt2_prefix_space",
    "roberta",
    "roberta_prefix_space",
    "roberta_mask_lstrip",
]
SMALL_VOCAB = {"<|endoftext|>": 0, "a": 1, "b": 2, "Ġ": 3, "ab": 4, "Ġab": 5}
SMALL_MERGES = ["a b", "Ġ ab"]


@functools.cache
def _reference():
    # Ids from HuggingFace `tokenizers` / `transformers` on the messy corpus
    # (see testdata/make_bpe_reference.py).
    with open(os.path.join(TESTDATA, "hf_bpe_reference.json"), encoding="utf-8") as f:
        reference = json.load(f)
    return reference["texts"], {case["name"]: case for case in reference["cases"]}


@functools.cache
def _tokenizer(name):
    _, cases = _reference()
    return BytePairTokenizer(VOCAB_FILE, MERGES_FILE, **cases[name]["config"])


def _mismatches(texts, ours, expected):
    return [
        (text, got, want)
        for text, got, want in zip(texts, ours, expected)
        if got != want
    ]


def test_corpus_is_large_and_messy():
    with open(os.path.join(TESTDATA, "messy_corpus.jsonl"), encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f.read().split("\n") if line]
    assert len(corpus) >= 1000
    text = "".join(corpus)
    for sample in ["😀", "é", "\u0301", "中", "ع", "ש", "\x00", "\u3000", "https://"]:
        assert sample in text, sample
    assert max(len(line) for line in corpus) >= 1000
    assert sum(line != line.strip() for line in corpus) > 100


@pytest.mark.parametrize("name", CASES)
def test_ids_equal_huggingface_eagerly(name):
    texts, cases = _reference()
    ours = _tokenizer(name)(texts).to_list()
    assert not _mismatches(texts, ours, cases[name]["ids"])[:3]
    assert sum(len(ids) for ids in ours) > 50_000


@pytest.mark.parametrize("name", CASES)
def test_plain_batches_take_the_short_path_with_the_same_ids(name):
    # A batch without special tokens, NUL, U+0001 or whitespace runs before
    # text skips the general path's work; its ids must not change. (The
    # whole corpus, above, takes the general path.)
    texts, cases = _reference()
    tokenizer = _tokenizer(name)
    special = tokenizer.special_tokens
    plain = [
        i
        for i, text in enumerate(texts)
        if not re.search(r"[\x00\x01]|\s\s\S", text)
        and not (tokenizer.add_prefix_space and re.match(r"\s", text))
        and not any(token in text for token in special)
    ]
    assert len(plain) > 800
    batch = tf.constant([texts[i] for i in plain])
    found = tf.strings.regex_replace(batch, tokenizer._unusual_pattern, "")
    assert np.array_equal(tf.strings.length(found), tf.strings.length(batch))
    expected = [cases[name]["ids"][i] for i in plain]
    ours = tokenizer(batch).to_list()
    assert not _mismatches([texts[i] for i in plain], ours, expected)[:3]
    # In a graph (tf.data, SavedModels), whose short path differs.
    dataset = tf.data.Dataset.from_tensor_slices(batch).batch(256).map(tokenizer)
    ours = [row for ids in dataset for row in ids.to_list()]
    assert not _mismatches([texts[i] for i in plain], ours, expected)[:3]


def test_ids_equal_huggingface_in_tf_data():
    texts, cases = _reference()
    # A new tokenizer: its cache is empty, so the merge loop runs in tf.data.
    tokenizer = BytePairTokenizer(
        VOCAB_FILE, MERGES_FILE, **cases["gpt2_prefix_space"]["config"]
    )
    dataset = (
        tf.data.Dataset.from_tensor_slices(texts)
        .batch(128)
        .map(tokenizer, num_parallel_calls=2)
    )
    ours = [row for batch in dataset for row in batch.to_list()]
    assert not _mismatches(texts, ours, cases["gpt2_prefix_space"]["ids"])[:3]


def test_ids_equal_huggingface_in_a_reloaded_saved_model(tmp_path):
    texts, cases = _reference()
    tokenizer = BytePairTokenizer(VOCAB_FILE, MERGES_FILE, **cases["roberta"]["config"])
    module = tf.Module()
    module.tokenizer = tokenizer

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def serve(text):
        ids = tokenizer(text)
        return {"ids": ids.flat_values, "lengths": ids.row_lengths()}

    module.serve = serve
    tf.saved_model.save(module, str(tmp_path), signatures={"serving_default": serve})
    restored = tf.saved_model.load(str(tmp_path)).signatures["serving_default"]
    ours = []
    for start in range(0, len(texts), 500):
        out = restored(text=tf.constant(texts[start : start + 500]))
        ours += tf.RaggedTensor.from_row_lengths(out["ids"], out["lengths"]).to_list()
    assert not _mismatches(texts, ours, cases["roberta"]["ids"])[:3]


def test_scalar_inputs_and_the_cache_give_the_same_ids():
    texts, cases = _reference()
    tokenizer = BytePairTokenizer(VOCAB_FILE, MERGES_FILE, **cases["gpt2"]["config"])
    expected = cases["gpt2"]["ids"]
    sample = list(range(0, len(texts), 97))
    # One by one (cold cache), then the batch (partly cached), then again.
    assert [tokenizer(texts[i]).numpy().tolist() for i in sample] == [
        expected[i] for i in sample
    ]
    for _ in range(2):
        assert tokenizer([texts[i] for i in sample]).to_list() == [
            expected[i] for i in sample
        ]


def test_detokenize_gives_the_bytes_back():
    texts, cases = _reference()
    tokenizer = _tokenizer("gpt2_prefix_space")
    decoded = tokenizer.detokenize(
        tf.ragged.constant(cases["gpt2_prefix_space"]["ids"])
    )
    # (An empty text has no piece, so no prefix space either.)
    expected = [t if t.startswith(" ") or not t else " " + t for t in texts]
    # Special tokens come back as written; a prefix space follows each.
    ok = 0
    for got, text, want in zip(decoded.numpy().tolist(), texts, expected):
        if "<" not in text:
            assert got.decode("utf-8") == want
            ok += 1
    assert ok > 1000
    plain = _tokenizer("gpt2")
    for text in texts[:50] + ["a\x00b", "<|endoftext|>x<|endoftext|>"]:
        ids = plain(text)
        assert plain.detokenize(ids).numpy().decode("utf-8") == text


def test_invalid_utf8_is_tokenized_losslessly():
    tokenizer = _tokenizer("gpt2")
    raw = [b"\xff\xfe abc \xc3", b"ok \xe2\x82 end", b"\x80"]
    ids = tokenizer(tf.constant(raw))
    assert tokenizer.detokenize(ids).numpy().tolist() == raw


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_round_trip_property(text):
    tokenizer = _tokenizer("gpt2")
    ids = tokenizer(text)
    assert tokenizer.detokenize(ids).numpy() == text.encode("utf-8", "surrogatepass")


def test_hand_computed_ids():
    tokenizer = BytePairTokenizer(
        SMALL_VOCAB, SMALL_MERGES, special_tokens=["<|endoftext|>"]
    )
    assert tokenizer(["ab ab<|endoftext|>ba", ""]).to_list() == [[4, 5, 0, 2, 1], []]
    # Without a special token in the batch (the short path), empty text too.
    assert tokenizer(["ab ab", "", "ba"]).to_list() == [[4, 5], [], [2, 1]]


def test_overlapping_pairs_and_missing_bytes():
    # Overlapping equal pairs merge from the left, as HuggingFace does.
    vocab = {"a": 0, "aa": 1, "aaa": 2}
    merges = ["a a", "aa a"]
    tokenizer = BytePairTokenizer(vocab, merges)
    # (HuggingFace `tokenizers` 0.23 gives these ids.)
    assert tokenizer(["a", "aa", "aaa", "aaaa", "aaaaa", "a" * 7]).to_list() == [
        [0],
        [1],
        [2],
        [1, 1],
        [1, 2],
        [1, 1, 2],
    ]
    # Bytes without a symbol in the vocabulary are dropped (as in HF).
    assert tokenizer(["aba"]).to_list() == [[1]]


def test_prefix_space_and_lstrip_special_tokens():
    # The prefix space goes before each text piece.
    tokenizer = BytePairTokenizer(
        SMALL_VOCAB,
        SMALL_MERGES,
        special_tokens=["<|endoftext|>"],
        add_prefix_space=True,
    )
    assert tokenizer(["ab<|endoftext|>ab"]).to_list() == [[5, 0, 5]]
    # A special token with `lstrip` takes the whitespace before it.
    tokenizer = BytePairTokenizer(
        SMALL_VOCAB,
        SMALL_MERGES,
        special_tokens=["<|endoftext|>"],
        lstrip_special_tokens=["<|endoftext|>"],
    )
    assert tokenizer(["ab \t <|endoftext|> ab", " <|endoftext|>"]).to_list() == [
        [4, 0, 5],
        [0],
    ]


def test_gpt2_whitespace_rules():
    # GPT-2's `\s+(?!\S)`: the last space of a run before a word goes to
    # the word; a run at the end of the text stays whole.
    vocab = {"a": 0, "b": 1, "Ġ": 2, "ĠĠ": 3, "Ġb": 4, "ĠĠĠ": 5, "ĉ": 6}
    tokenizer = BytePairTokenizer(vocab, ["Ġ Ġ", "Ġ b", "ĠĠ Ġ"])
    assert tokenizer(["a   b", "a   ", "a \tb", "a\t b"]).to_list() == [
        [0, 3, 4],
        [0, 5],
        [0, 2, 6, 1],
        [0, 6, 4],
    ]


def test_string_output_padding_and_dtypes():
    tokenizer = BytePairTokenizer(
        SMALL_VOCAB, SMALL_MERGES, sequence_length=4, dtype="string"
    )
    assert tokenizer(["ab ab", "b"]).numpy().tolist() == [
        [b"ab", "Ġab".encode(), b"", b""],
        [b"b", b"", b"", b""],
    ]
    tokenizer = BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES, sequence_length=2)
    assert tokenizer(["ab ab ab"]).numpy().tolist() == [[4, 5]]
    assert tokenizer(["ab"]).dtype == tf.int32
    tokenizer = BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES, dtype="int64")
    assert tokenizer(["ab"]).dtype == tf.int64


def test_old_argument_name_warns():
    with pytest.warns(DeprecationWarning, match="special_tokens"):
        tokenizer = BytePairTokenizer(
            SMALL_VOCAB, SMALL_MERGES, unsplittable_tokens=["<|endoftext|>"]
        )
    assert tokenizer.special_tokens == ["<|endoftext|>"]


class BytePairTokenizerTest(TestCase):
    def test_config_and_assets_round_trip(self):
        tokenizer = BytePairTokenizer(
            SMALL_VOCAB,
            SMALL_MERGES,
            special_tokens=["<|endoftext|>"],
            add_prefix_space=True,
            sequence_length=5,
            lstrip_special_tokens=["<|endoftext|>"],
        )
        config = tokenizer.get_config()
        self.assertEqual(config["lstrip_special_tokens"], ["<|endoftext|>"])
        self.assertIsNone(config["vocabulary"])
        self.assertIsNone(config["merges"])
        rebuilt = BytePairTokenizer.from_config(config)
        with self.assertRaisesRegex(ValueError, "assets"):
            rebuilt(["ab"])
        self.assertEqual(rebuilt.vocabulary_size(), 6)
        directory = self.get_temp_dir()
        tokenizer.save_assets(directory)
        rebuilt.load_assets(directory)
        self.assertAllEqual(
            rebuilt(["ab<|endoftext|>"]), tokenizer(["ab<|endoftext|>"])
        )
        # Assets that do not match the config are refused.
        other = BytePairTokenizer({**SMALL_VOCAB, "x": 6}, SMALL_MERGES)
        other_dir = os.path.join(directory, "other")
        os.makedirs(other_dir)
        other.save_assets(other_dir)
        with self.assertRaisesRegex(ValueError, "does not match"):
            BytePairTokenizer.from_config(config).load_assets(other_dir)

    def test_functional_model_saves_and_loads(self):
        tokenizer = BytePairTokenizer(VOCAB_FILE, MERGES_FILE, sequence_length=8)
        inputs = keras.Input(shape=(), dtype="string")
        model = keras.Model(inputs, tokenizer(inputs))
        data = np.array(["The quick brown fox 😀", "  spaces\tand tabs "])
        expected = tokenizer(data).numpy()
        path = os.path.join(self.get_temp_dir(), "bpe.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllEqual(restored(tf.constant(data)), expected)

    def test_bad_vocabularies_and_merges(self):
        with self.assertRaisesRegex(ValueError, "0 to len"):
            BytePairTokenizer({"a": 0, "b": 2}, [])
        with self.assertRaisesRegex(TypeError, "int ids"):
            BytePairTokenizer({"a": "0"}, [])
        with self.assertRaisesRegex(ValueError, "not in the vocabulary"):
            BytePairTokenizer({"a": 0, "b": 1}, ["a b"])
        with self.assertRaisesRegex(ValueError, "two tokens"):
            BytePairTokenizer({"a": 0}, ["a"])
        with self.assertRaisesRegex(ValueError, "special_tokens"):
            BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES, special_tokens=["<s>"])
        with self.assertRaisesRegex(ValueError, "both required"):
            BytePairTokenizer(SMALL_VOCAB)
        with self.assertRaisesRegex(ValueError, "existing file"):
            BytePairTokenizer("/nonexistent/vocab.json", SMALL_MERGES)
        with self.assertRaisesRegex(ValueError, "sequence_length"):
            BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES, sequence_length=0)
        with self.assertRaisesRegex(ValueError, "lstrip_special_tokens"):
            BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES, lstrip_special_tokens=["a"])
        with self.assertRaisesRegex(TypeError, "add_prefix_space"):
            BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES, add_prefix_space="yes")

    def test_bad_inputs(self):
        tokenizer = BytePairTokenizer(SMALL_VOCAB, SMALL_MERGES)
        with self.assertRaisesRegex(TypeError, "must be strings"):
            tokenizer(tf.constant([1, 2]))
        with self.assertRaisesRegex(ValueError, "rank 0 or 1"):
            tokenizer(tf.constant([["a"]]))
        with self.assertRaisesRegex(ValueError, "outside the vocabulary"):
            tokenizer.detokenize([[1, 6]])
        with self.assertRaisesRegex(TypeError, "integer"):
            tokenizer.detokenize([[1.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            self.assertEqual(tokenizer.token_to_id("ab"), 4)
        with self.assertRaisesRegex(ValueError, "not in the vocabulary"):
            tokenizer.token_to_id("zz")


def test_byte_level_alphabet():
    symbols = bytes_to_unicode()
    assert len(set(symbols.values())) == 256
    assert symbols[ord(" ")] == "Ġ" and symbols[ord("\n")] == "Ċ"
    assert symbols[ord("!")] == "!" and symbols[0xAD] == "Ń"


def test_character_classes_equal_huggingface_on_every_code_point():
    # HuggingFace's class of each code point (testdata/make_bpe_reference.py)
    # against the classes of our regex, which extend TensorFlow's older
    # Unicode tables.
    from keras_nlp.src.tokenizers import byte_pair_tokenizer as module

    with open(os.path.join(TESTDATA, "hf_bytelevel_classes.json")) as f:
        runs = json.load(f)["runs"]
    codes = np.concatenate([np.arange(a, b + 1) for a, b, _ in runs])
    expected = np.concatenate([np.full(b - a + 1, k) for a, b, k in runs])
    assert codes.size == 0x110000 - 0x800
    chars = tf.strings.unicode_encode(
        tf.RaggedTensor.from_row_lengths(codes.astype("int32"), np.ones_like(codes)),
        "UTF-8",
    )
    letter = tf.strings.regex_full_match(chars, f"[{module._LETTERS}]").numpy()
    number = tf.strings.regex_full_match(chars, f"[{module._NUMBERS}]").numpy()
    space = tf.strings.regex_full_match(chars, f"[{module._WS}]").numpy()
    ours = np.where(letter, "L", np.where(number, "N", np.where(space, "W", "O")))
    wrong = np.flatnonzero(ours != expected)
    assert not wrong.size, [(hex(codes[i]), expected[i], ours[i]) for i in wrong[:10]]
    # And through the tokenizer: a Unicode 16 letter joins the word.
    tokenizer = _tokenizer("gpt2")
    pieces = tokenizer._pretokenize(
        tf.constant(["a\U000105c0b 1\U00010d40"]),
        tf.constant(["a\U000105c0b 1\U00010d40"]),
        tf.constant(True),
    )
    assert len(pieces.to_list()[0]) == 2


def test_full_cache_stops_growing_and_ids_stay_right(monkeypatch):
    from keras_nlp.src.tokenizers import byte_pair_tokenizer as module

    texts, cases = _reference()
    monkeypatch.setattr(module, "CACHE_SIZE", 5)
    tokenizer = BytePairTokenizer(VOCAB_FILE, MERGES_FILE, **cases["gpt2"]["config"])
    sample = texts[:40]
    for _ in range(2):
        assert tokenizer(sample).to_list() == cases["gpt2"]["ids"][:40]
    # One batch may fill it past the limit; then nothing is added.
    size = int(tokenizer._cache.size())
    tokenizer(texts[40:80])
    assert int(tokenizer._cache.size()) == size
