# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import os
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.testing import TestCase
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "qu", "##ick"]
VOCAB += ["fox", ".", "a", "##b", "ab", "!"]


def _reference():
    with open(os.path.join(HERE, "testdata", "hf_wordpiece_reference.json")) as f:
        return json.load(f)


@pytest.mark.parametrize("case_index", [0, 1, 2, 3])
def test_ids_equal_huggingface_bert_wordpiece(case_index):
    # Expected ids come from HuggingFace `tokenizers` (BertWordPieceTokenizer),
    # see testdata/generate_hf_reference.py.
    reference = _reference()
    case = reference["cases"][case_index]
    tokenizer = WordPieceTokenizer(reference["vocabulary"], **case["config"])
    ours = tokenizer(reference["texts"]).to_list()
    mismatches = [
        (text, got, want)
        for text, got, want in zip(reference["texts"], ours, case["ids"])
        if got != want
    ]
    assert not mismatches, mismatches[:3]
    # The corpus really exercises the pipeline.
    assert sum(len(ids) for ids in ours) > 500


def test_same_ids_eagerly_per_string_and_in_tf_data():
    reference = _reference()
    tokenizer = WordPieceTokenizer(reference["vocabulary"])
    texts = reference["texts"]
    batch = tokenizer(texts).to_list()
    assert [tokenizer(t).numpy().tolist() for t in texts[:6]] == batch[:6]
    dataset = tf.data.Dataset.from_tensor_slices(texts).batch(7).map(tokenizer)
    from_dataset = [row for ragged in dataset for row in ragged.to_list()]
    assert from_dataset == batch


class WordPieceTokenizerTest(TestCase):
    def test_layer_checks(self):
        # The harness' checks, except calling a tokenizer rebuilt from its
        # config alone: the vocabulary is an asset, not in the config.
        tokenizer = WordPieceTokenizer(VOCAB, sequence_length=6)
        data = np.array(["The quick fox!", "ab abb [MASK]"])
        expected = [[5, 6, 7, 8, 13, 0], [12, 12, 11, 4, 0, 0]]
        self.assertAllEqual(tokenizer(data), expected)
        config = tokenizer.get_config()
        self.assertEqual(WordPieceTokenizer.from_config(config).get_config(), config)
        revived = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(tokenizer), safe_mode=True
        )
        self.assertEqual(revived.get_config(), config)
        self.assertEqual(revived.vocabulary_size(), len(VOCAB))
        self.assertEqual((revived.cls_token_id, revived.mask_token_id), (2, 4))
        with self.assertRaisesRegex(ValueError, "vocabulary is an asset"):
            revived(data)
        dataset = tf.data.Dataset.from_tensor_slices(data).batch(2).map(tokenizer)
        self.assertAllEqual(next(iter(dataset)), expected)

    def test_vocabulary_is_an_asset_not_config(self):
        tokenizer = WordPieceTokenizer(VOCAB, lowercase=False)
        config = tokenizer.get_config()
        self.assertIsNone(config["vocabulary"])
        self.assertEqual(config["vocabulary_size"], len(VOCAB))
        text = json.dumps(config)
        self.assertNotIn("##ick", text)
        data = ["The quick fox!", "ab abb [MASK] Qu"]
        expected = tokenizer(data).to_list()
        # Preset: assets/vocabulary.txt, config.json without the vocabulary.
        path = os.path.join(self.get_temp_dir(), "tokenizer_preset")
        tokenizer.save_to_preset(path)
        with open(
            os.path.join(path, "assets", "vocabulary.txt"), encoding="utf-8"
        ) as f:
            self.assertEqual(f.read().splitlines(), VOCAB)
        with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
            self.assertNotIn("##ick", f.read())
        restored = WordPieceTokenizer.from_preset(path)
        self.assertEqual(restored(data).to_list(), expected)
        self.assertEqual(restored.get_vocabulary(), VOCAB)
        # `.keras`: same ids, and config.json inside the archive has no tokens.
        inputs = keras.Input(shape=(), dtype="string")
        model = keras.Model(inputs, tokenizer(inputs))
        keras_path = os.path.join(self.get_temp_dir(), "tokenizer.keras")
        model.save(keras_path)
        with zipfile.ZipFile(keras_path) as archive:
            self.assertNotIn("##ick", archive.read("config.json").decode())
            assets = [n for n in archive.namelist() if n.startswith("assets/")]
            self.assertTrue(any(n.endswith("vocabulary.txt") for n in assets))
        reloaded = keras.saving.load_model(keras_path, safe_mode=True)
        self.assertEqual(reloaded(tf.constant(data)).to_list(), expected)

    def test_vocabulary_file_path_is_saved_as_an_asset(self):
        vocab_path = os.path.join(self.get_temp_dir(), "vocab.txt")
        with open(vocab_path, "w", encoding="utf-8") as f:
            f.write("\n".join(VOCAB) + "\n")
        tokenizer = WordPieceTokenizer(vocab_path)
        path = os.path.join(self.get_temp_dir(), "from_file")
        tokenizer.save_to_preset(path)
        os.remove(vocab_path)  # the preset does not depend on the original
        restored = WordPieceTokenizer.from_preset(path)
        self.assertEqual(restored(["the quick"]).to_list(), [[5, 6, 7]])

    def test_inline_vocabulary_configs_still_load(self):
        # A config holding the vocabulary itself (as written before the
        # vocabulary became an asset) builds a working tokenizer.
        config = WordPieceTokenizer(VOCAB).get_config()
        config.pop("vocabulary_size")
        config.pop("special_token_ids")
        config["vocabulary"] = list(VOCAB)
        tokenizer = WordPieceTokenizer.from_config(config)
        self.assertEqual(tokenizer(["the quick"]).to_list(), [[5, 6, 7]])

    def test_mismatched_or_missing_assets_raise(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        path = os.path.join(self.get_temp_dir(), "assets_dir")
        os.makedirs(path)
        revived = WordPieceTokenizer.from_config(tokenizer.get_config())
        with self.assertRaisesRegex(ValueError, "no vocabulary.txt"):
            revived.load_assets(path)
        with open(os.path.join(path, "vocabulary.txt"), "w") as f:
            f.write("\n".join(VOCAB[:-1]) + "\n")
        with self.assertRaisesRegex(ValueError, "does not match"):
            revived.load_assets(path)
        tokenizer.save_assets(path)
        revived.load_assets(path)
        self.assertEqual(revived(["ab!"]).to_list(), [[12, 13]])
        with self.assertRaisesRegex(ValueError, "line break"):
            WordPieceTokenizer(VOCAB + ["a\nb"]).save_assets(path)

    def test_hand_computed_ids_and_special_tokens(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        ids = tokenizer(["The QUICK [MASK].", "abb [mask] [CLS]x"]).to_list()
        self.assertEqual(ids[0], [5, 6, 7, 4, 9])
        # "[mask]" is not the special token (matching is case-sensitive, as
        # in BERT): "[", "mask", "]" -> unknown pieces.
        self.assertEqual(ids[1], [12, 11, 1, 1, 1, 2, 1])

    def test_special_tokens_can_be_disabled(self):
        tokenizer = WordPieceTokenizer(VOCAB, special_tokens=[])
        self.assertEqual(tokenizer(["[MASK]"]).to_list(), [[1, 1, 1]])

    def test_detokenize_round_trip(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        ids = tokenizer(["the quick fox", "ab abb"])
        text = tokenizer.detokenize(ids).numpy().tolist()
        self.assertEqual(text, [b"the quick fox", b"ab abb"])
        self.assertEqual(tokenizer.detokenize([5, 6, 7]).numpy(), b"the quick")

    def test_string_output_and_padding(self):
        tokenizer = WordPieceTokenizer(VOCAB, sequence_length=4, dtype="string")
        out = tokenizer(["the quick fox!", "a"]).numpy().tolist()
        self.assertEqual(out[0], [b"the", b"qu", b"##ick", b"fox"])
        self.assertEqual(out[1], [b"a", b"", b"", b""])

    def test_vocabulary_file_and_lookups(self):
        path = os.path.join(self.get_temp_dir(), "vocab.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(VOCAB) + "\n")
        tokenizer = WordPieceTokenizer(path)
        self.assertEqual(tokenizer.get_vocabulary(), VOCAB)
        self.assertEqual(tokenizer.vocabulary_size(), len(VOCAB))
        self.assertEqual(tokenizer.token_to_id("fox"), 8)
        self.assertEqual(tokenizer.id_to_token(8), "fox")
        self.assertEqual(tokenizer.mask_token_id, 4)
        with self.assertRaisesRegex(ValueError, "not in the vocabulary"):
            tokenizer.token_to_id("zebra")

    def test_empty_strings(self):
        tokenizer = WordPieceTokenizer(VOCAB, sequence_length=3)
        self.assertEqual(tokenizer(["", "  \t"]).numpy().tolist(), [[0] * 3] * 2)
        self.assertEqual(WordPieceTokenizer(VOCAB)([""]).to_list(), [[]])

    def test_invalid_utf8_bytes_become_the_unknown_token(self):
        # Documented behaviour: each run of invalid UTF-8 bytes is one
        # unknown token (a word of its own); nothing vanishes. A raw \x02
        # (a control character) is still removed by cleaning.
        tokenizer = WordPieceTokenizer(VOCAB)
        ids = tokenizer(tf.constant([b"the\xff\xfe fox \xc3", b"\xff"])).to_list()
        self.assertEqual(ids, [[5, 1, 8, 1], [1]])
        self.assertEqual(tokenizer([b"the\xfffox"]).to_list(), [[5, 1, 8]])
        self.assertEqual(tokenizer(["the\x02fox"]).to_list(), [[1]])
        # U+FFFD written in valid text is removed, as HuggingFace does.
        self.assertEqual(tokenizer(["the\ufffd fox"]).to_list(), [[5, 8]])
        # Offsets agree with the ids.
        ids, starts, ends = tokenizer.tokenize_with_offsets([b"the\xff\xfe fox"])
        self.assertEqual(ids.to_list(), [[5, 1, 8]])
        self.assertEqual(starts.to_list(), [[0, 3, 5]])
        self.assertEqual(ends.to_list(), [[3, 4, 8]])

    def test_bad_vocabularies(self):
        with self.assertRaisesRegex(ValueError, "no unknown token"):
            WordPieceTokenizer(["the", "fox"])
        with self.assertRaisesRegex(ValueError, "repeated"):
            WordPieceTokenizer(["[UNK]", "a", "a"])
        with self.assertRaisesRegex(ValueError, "not in the vocabulary"):
            WordPieceTokenizer(["[UNK]", "a"], special_tokens=["[CLS]"])
        with self.assertRaisesRegex(ValueError, "neither a list"):
            WordPieceTokenizer("/no/such/vocab.txt")

    def test_bad_inputs(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        with self.assertRaisesRegex(TypeError, "must be strings"):
            tokenizer([1, 2])
        with self.assertRaisesRegex(TypeError, "must be strings"):
            tokenizer(tf.constant([1, 2]))
        with self.assertRaisesRegex(ValueError, "rank 0 or 1"):
            tokenizer(tf.constant([["a"]]))

    def test_functional_model_with_string_input_saves(self):
        tokenizer = WordPieceTokenizer(VOCAB, sequence_length=5)
        inputs = keras.Input(shape=(), dtype="string")
        model = keras.Model(inputs, tokenizer(inputs))
        data = np.array(["the quick fox", "ab"])
        expected = tokenizer(data).numpy()
        path = os.path.join(self.get_temp_dir(), "tok.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllEqual(restored(tf.constant(data)), expected)


def test_tokenize_with_offsets_ids_equal_tokenize_on_the_reference_corpus():
    reference = _reference()
    texts = reference["texts"]
    for config in ({}, {"lowercase": False, "strip_accents": False}):
        tokenizer = WordPieceTokenizer(reference["vocabulary"], **config)
        ids, starts, ends = tokenizer.tokenize_with_offsets(texts)
        assert ids.to_list() == tokenizer(texts).to_list()
        for text, row_starts, row_ends in zip(texts, starts.to_list(), ends.to_list()):
            size = len(text.encode("utf-8", errors="replace"))
            assert all(0 <= s < e <= size for s, e in zip(row_starts, row_ends))
            assert row_starts == sorted(row_starts)


def test_tokenize_with_offsets_points_into_the_original_text():
    tokenizer = WordPieceTokenizer(VOCAB + ["cafe", "##s"])
    text = "Thé QUICK\x00s [MASK] cafés!"
    ids, starts, ends = tokenizer.tokenize_with_offsets(text)
    raw = text.encode("utf-8")
    pieces = [raw[s:e].decode("utf-8") for s, e in zip(starts.numpy(), ends.numpy())]
    tokens = [tokenizer.vocabulary[i] for i in ids.numpy()]
    # Hand-computed: accents and case come back as written; NUL is removed
    # inside "QUICK\x00s" (one word "quicks"); [MASK] is one token.
    assert tokens == ["the", "qu", "##ick", "##s", "[MASK]", "cafe", "##s", "!"]
    assert pieces == ["Thé", "QU", "ICK", "s", "[MASK]", "café", "s", "!"]
    ids, starts, ends = tokenizer.tokenize_with_offsets(["", "fox"])
    assert ids.to_list() == [[], [8]] and ends.to_list() == [[], [3]]


class WordPieceSplitFalseTest(TestCase):
    VOCAB = ["[UNK]", "[SEP]", "new york", "ca", "##t", "Dog", "dog"]

    def test_words_are_never_split(self):
        tokenizer = WordPieceTokenizer(self.VOCAB, split=False, lowercase=False)
        # One sequence of words: pieces of all its words, in order.
        self.assertEqual(
            tokenizer(["new york", "cat", "Dog", "dog!"]).numpy().tolist(),
            [2, 3, 4, 5, 0],
        )
        # A batch of sequences (rows of words) gives ragged rows.
        self.assertEqual(
            tokenizer([["cat", "dog"], ["new york"]]).to_list(), [[3, 4, 6], [2]]
        )
        # With splitting, "new york" is two unknown words.
        self.assertEqual(
            WordPieceTokenizer(self.VOCAB, lowercase=False)(["new york"]).to_list(),
            [[0, 0]],
        )

    def test_normalization_and_special_words(self):
        tokenizer = WordPieceTokenizer(
            self.VOCAB, split=False, special_tokens=["[SEP]"]
        )
        # Lowercased (our default), except a word that is a special token.
        self.assertEqual(
            tokenizer(["DOG", "[SEP]", "[SEP] dog"]).numpy().tolist(), [6, 1, 0]
        )
        revived = WordPieceTokenizer.from_config(tokenizer.get_config())
        self.assertFalse(revived.split)
        with self.assertRaisesRegex(TypeError, "split"):
            WordPieceTokenizer(self.VOCAB, split="no")


# The fast path (one FastWordpiece op that also splits words) and the exact
# pipeline (`_exact_ids`) must give the same ids on every string.
FAST_PATH_TEXTS = [
    "plain ascii text, with punctuation!",
    "Café naïve ÀÉÎ ΣΟΦΟΣ straße İstanbul",
    "mixed中文and 日本語。",
    "tabs\tand\nnewlines\u00a0nbsp\u3000ideographic\u2028line",
    "control\x00chars\x01in\x7f the\u200bmiddle\ufeff",
    "e\u0301\u200d\u0316 a\u0301\u0316 combining",
    "special [MASK] and [mask] and glued[SEP]x",
    b"bad \xff\xfe utf-8",
    "a" * 120 + " " + "é" * 60 + " " + "é" * 101,
    "new york",
    "",
]


@pytest.mark.parametrize(
    "config",
    [
        {"lowercase": True},
        {"lowercase": False},
        {"lowercase": False, "strip_accents": True},
        {"lowercase": True, "strip_accents": False},
    ],
)
def test_fast_path_equals_the_exact_pipeline(config):
    vocab = _reference()["vocabulary"] + ["new york", "[unused0]", "##.", "a.b"]
    tokenizer = WordPieceTokenizer(vocab, **config)
    assert tokenizer._fast_wordpiece_e2e is not None
    texts = FAST_PATH_TEXTS + _reference()["texts"]
    exact = tokenizer._exact_ids(tf.constant(texts)).to_list()
    assert tokenizer(texts).to_list() == exact
    # One string at a time: the fast path alone, or the exact redo alone.
    assert [tokenizer(t).numpy().tolist() for t in texts] == exact
    # ASCII strings only: every string takes the fast path.
    ascii_only = [t for t in texts if isinstance(t, str) and t.isascii()]
    ascii_only = [t for t in ascii_only if "[" not in t and "\x00" not in t]
    assert tokenizer(ascii_only).to_list() == [
        exact[texts.index(t)] for t in ascii_only
    ]
    # A vocabulary token with a space is never matched across words.
    new_york = tokenizer(["new york"]).to_list()[0]
    assert vocab.index("new york") not in new_york and len(new_york) > 1


def test_fast_path_in_tf_data_and_saved_model_signature(tmp_path):
    reference = _reference()
    tokenizer = WordPieceTokenizer(reference["vocabulary"])
    texts = FAST_PATH_TEXTS[:7] + reference["texts"]
    exact = tokenizer._exact_ids(tf.constant(texts)).to_list()
    dataset = tf.data.Dataset.from_tensor_slices(texts).batch(5).map(tokenizer)
    assert [row for ragged in dataset for row in ragged.to_list()] == exact

    class Serving(tf.Module):
        def __init__(self):
            self.tokenizer = tokenizer

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def serve(self, strings):
            ids = self.tokenizer(strings)
            return {"values": ids.flat_values, "splits": ids.row_splits}

    path = str(tmp_path / "served")
    tf.saved_model.save(Serving(), path)
    serve = tf.saved_model.load(path).signatures["serving_default"]
    out = serve(strings=tf.constant(texts))
    rows = tf.RaggedTensor.from_row_splits(out["values"], out["splits"]).to_list()
    assert rows == exact


@pytest.mark.large
def test_fast_path_splits_every_code_point_as_the_exact_pipeline():
    # FastWordpiece splits words with ICU's tables, the exact pipeline with
    # RE2's: the strings where they disagree must take the exact path.
    tokenizer = WordPieceTokenizer(["[UNK]", "a", "##a", "b", "##b"])
    code_points = [c for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    for start in range(0, len(code_points), 100_000):
        texts = tf.constant(
            ["a" + chr(c) + "b" for c in code_points[start : start + 100_000]]
        )
        fast = tokenizer(texts).row_lengths().numpy()
        exact = tokenizer._exact_ids(texts).row_lengths().numpy()
        wrong = [hex(code_points[start + i]) for i in (fast != exact).nonzero()[0]]
        assert not wrong, wrong[:20]


def test_vocabulary_without_word_pieces_uses_the_exact_pipeline():
    # FastWordpiece cannot split words itself without a usable piece.
    tokenizer = WordPieceTokenizer(["[UNK]"])
    assert tokenizer._fast_wordpiece_e2e is None
    assert tokenizer(["a b, [UNK]"]).to_list() == [[0, 0, 0, 0]]


_BYTE_PIECES = [b"a", b" ", b"\x00", b"\x7f", b"\x80", b"\xbf", b"\xc0", b"\xc1"]
_BYTE_PIECES += [b"\xc2", b"\xdf", b"\xe0", b"\xed", b"\xef", b"\xf0", b"\xf4"]
_BYTE_PIECES += [b"\xf5", b"\xff", b"\xa0", b"\x9f", b"\x90", b"\x8f"]
_BYTE_PIECES += [c.encode() for c in ("é", "\ud7ff", "\ue000", "\U0010ffff")]
_BYTE_PIECES += [c.encode() for c in ("\ufffd", "😀", "\u1b4e", "\U00016d6e")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_BYTE_PIECES), max_size=8), min_size=1))
def test_fast_path_text_check_is_utf8_validity_without_disagreements(pieces):
    # One RE2 full match stands for "valid UTF-8 (what unicode_transcode
    # leaves unchanged) without a character the word splitters disagree on".
    from keras_nlp.src.tokenizers import word_piece_tokenizer as module

    texts = [b"".join(p) for p in pieces]
    strings = tf.constant(texts)
    valid = tf.equal(
        tf.strings.unicode_transcode(
            strings, "UTF-8", "UTF-8", errors="replace", replacement_char=0xFFFD
        ),
        strings,
    ).numpy()
    disagree = [b"\xe1\xad\x8e" in t or b"\xf0\x96\xb5\xae" in t for t in texts]
    expected = valid & ~np.array(disagree)
    got = tf.strings.regex_full_match(strings, module._FAST_PATH_TEXT).numpy()
    assert got.tolist() == expected.tolist()


def test_tf_data_graph_has_one_branch_and_no_runtime_checks():
    # Every op of the traced graph costs per tf.data batch, and every branch
    # function costs when a pass instantiates it: the common path is one
    # scalar `tf.cond`, the exact pipeline has no ragged runtime checks.
    tokenizer = WordPieceTokenizer(_reference()["vocabulary"])
    graph = (
        tf.function(tokenizer)
        .get_concrete_function(tf.TensorSpec([None], tf.string))
        .graph.as_graph_def()
    )
    ops = [node.op for node in graph.node]
    for function in graph.library.function:
        ops += [node.op for node in function.node_def]
    assert sum(op in ("If", "StatelessIf") for op in ops) == 1
    assert "Assert" not in ops
    assert "UnicodeTranscode" not in [node.op for node in graph.node]
