# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Byte-level BPE (GPT-2, RoBERTa) built from TensorFlow ops.

tensorflow-text has no BPE kernel, so the tokenizer is assembled from
TensorFlow ops (see the NLP scope RFC): RE2 regexes (matches marked with
`regex_replace`, then `tf.strings.split`) reproduce GPT-2's
pre-tokenisation, a 256-entry table maps bytes to
the byte-level symbols' ids, the merges are an integer hash table applied
to every word of a batch at once in a `tf.while_loop`, and the ids of the
words already seen are kept in a hash table (the cache). Everything runs
eagerly (through one traced function), in `tf.data` and in a SavedModel.
"""

import functools
import json
import os
import re

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import FromAssets
from keras_nlp.src.tokenizers.tokenizer import Tokenizer
from keras_nlp.src.tokenizers.tokenizer import asset_mismatch_error
from keras_nlp.src.tokenizers.tokenizer import check_ids_in_vocabulary
from keras_nlp.src.tokenizers.tokenizer import pending_vocabulary_error
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor
from keras_nlp.src.tokenizers.tokenizer import token_id_tensor
from keras_nlp.src.utils.compat import pop_renamed

VOCABULARY_FILE = "vocab.json"
MERGES_FILE = "merges.txt"

# Unicode's White_Space characters: what `\s` matches in the Oniguruma
# regex of HuggingFace `tokenizers` (RE2's `\s` is ASCII only).
_WS = (
    r"\t\n\x0B\x0C\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}"
    r"\x{202F}\x{205F}\x{3000}"
)
_WS_RUN = "[" + _WS + "]+"
# Letters and numbers of Unicode 16 that TensorFlow's RE2 tables (an older
# Unicode) lack but HuggingFace's regex engine knows: `\p{L}` and `\p{N}` are
# extended with them (testdata/hf_bytelevel_classes.json holds HuggingFace's
# class of every code point; the tests compare all of them).
_LETTERS = (
    r"\p{L}\x{1C89}-\x{1C8A}\x{A7CB}-\x{A7CD}\x{A7DA}-\x{A7DC}\x{105C0}-\x{105F3}"
    r"\x{10D4A}-\x{10D65}\x{10D6F}-\x{10D85}\x{10EC2}-\x{10EC4}\x{11380}-\x{11389}"
    r"\x{1138B}\x{1138E}\x{11390}-\x{113B5}\x{113B7}\x{113D1}\x{113D3}"
    r"\x{11BC0}-\x{11BE0}\x{13460}-\x{143FA}\x{16100}-\x{1611D}\x{16D40}-\x{16D6C}"
    r"\x{18CFF}\x{1E5D0}-\x{1E5ED}\x{1E5F0}\x{2EBF0}-\x{2EE5D}"
)
_NUMBERS = (
    r"\p{N}\x{10D40}-\x{10D49}\x{116D0}-\x{116E3}\x{11BF0}-\x{11BF9}"
    r"\x{16130}-\x{16139}\x{16D70}-\x{16D79}\x{1CCF0}-\x{1CCF9}\x{1E5F1}-\x{1E5FA}"
)
# GPT-2's pre-tokenisation regex without its `\s+(?!\S)` look-ahead, which
# RE2 lacks: `_pretokenize` first cuts each run of 2 or more whitespace
# characters followed by text before its last character, which gives the
# same pieces.
_PIECES = (
    r"'s|'t|'re|'ve|'m|'ll|'d| ?["
    + _LETTERS
    + r"]+| ?["
    + _NUMBERS
    + r"]+| ?[^"
    + _WS
    + _LETTERS
    + _NUMBERS
    + r"\x01]+|"
    + _WS_RUN
)
# A whitespace character, then the last one of a run followed by text.
_RUN_END = "([" + _WS + "])([" + _WS + "][^" + _WS + "])"
# Entries of the word cache; beyond this, new words are merged every time.
CACHE_SIZE = 200_000
# Splits are made by writing `_MARK` around regex matches
# (`tf.strings.regex_replace`) and splitting there (`tf.strings.split`),
# several times faster than `regex_split` with its capture groups. The
# matching runs on a shadow of the text where NUL and `_MARK` itself are
# `_STAND_IN`: all three are one-byte "other" characters for the regex, so
# the pieces have the same lengths, and they are cut from the original.
_MARK = b"\x01"
_STAND_IN = b"\x02"
# Never in the UTF-8 of encoded ids: ends them in a cache entry.
_CACHE_SEPARATOR = b"\xff"


def _cut_runs(texts):
    """`_MARK` before the last whitespace character of runs followed by text."""
    return tf.strings.regex_replace(texts, _RUN_END, b"\\1" + _MARK + b"\\2")


def _drop_empty(values, row_splits, keep, branch=True):
    """Ragged (row, piece) without the pieces where `keep` is False.

    Cheaper than `tf.ragged.boolean_mask`, and (with `branch`) only done
    when some piece is empty.
    """

    def drop():
        kept = tf.concat([[0], tf.cumsum(tf.cast(keep, tf.int64))], axis=0)
        return tf.boolean_mask(values, keep), tf.gather(kept, row_splits)

    if branch:
        values, row_splits = tf.cond(
            tf.reduce_all(keep), lambda: (values, row_splits), drop
        )
    else:
        values, row_splits = drop()
    return tf.RaggedTensor.from_row_splits(values, row_splits, validate=False)


def bytes_to_unicode():
    """The byte-level alphabet: a printable character for each of 256 bytes.

    Bytes that are printable Latin-1 characters stand for themselves; the
    others (controls, space, soft hyphen, ...) are given the code points from
    256 on, in byte order. This is the alphabet of GPT-2 and RoBERTa
    vocabularies (a space is "Ġ", a newline "Ċ").
    """
    printable = [
        b
        for b in range(256)
        if ord("!") <= b <= ord("~") or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF
    ]
    mapping = {b: chr(b) for b in printable}
    others = [b for b in range(256) if b not in mapping]
    for offset, b in enumerate(others):
        mapping[b] = chr(256 + offset)
    return mapping


def load_vocabulary(vocabulary):
    """`{token: id}` from a dict or a `vocab.json` path, checked."""
    if isinstance(vocabulary, (str, os.PathLike)):
        path = os.fspath(vocabulary)
        if not os.path.isfile(path):
            raise ValueError(
                "`vocabulary` is neither a dict nor an existing file. Received: "
                f"vocabulary={path!r}. Pass a dict of token to id or the path "
                "of a `vocab.json` file."
            )
        with open(path, encoding="utf-8") as f:
            vocabulary = json.load(f)
    if not isinstance(vocabulary, dict):
        raise TypeError(
            "`vocabulary` must be a dict of token to id or the path of a "
            f"`vocab.json` file. Received: {type(vocabulary).__name__}."
        )
    for token, index in vocabulary.items():
        if not isinstance(token, str) or isinstance(index, bool):
            raise TypeError(
                "`vocabulary` must map str tokens to int ids. Received the "
                f"entry {token!r}: {index!r}."
            )
        if not isinstance(index, (int, np.integer)):
            raise TypeError(
                "`vocabulary` must map str tokens to int ids. Received the "
                f"entry {token!r}: {index!r}."
            )
    ids = sorted(int(i) for i in vocabulary.values())
    if ids != list(range(len(ids))):
        raise ValueError(
            "The ids of `vocabulary` must be 0 to len(vocabulary) - 1, each "
            f"once. Received {len(ids)} tokens with ids from {ids[0] if ids else None} "
            f"to {ids[-1] if ids else None}"
            f"{' and repeated ids' if len(set(ids)) != len(ids) else ''}."
        )
    if len(ids) >= 0x10FFFF - 0x800:
        raise ValueError(
            f"`vocabulary` has {len(ids)} tokens; at most {0x10FFFF - 0x801} "
            "are supported."
        )
    return {token: int(index) for token, index in vocabulary.items()}


def load_merges(merges):
    """A list of `(left, right)` pairs from a list or a `merges.txt` path."""
    if isinstance(merges, (str, os.PathLike)):
        path = os.fspath(merges)
        if not os.path.isfile(path):
            raise ValueError(
                "`merges` is neither a list nor an existing file. Received: "
                f"merges={path!r}. Pass a list of 'left right' str or the path "
                "of a `merges.txt` file."
            )
        with open(path, encoding="utf-8") as f:
            merges = f.read().split("\n")
        if merges and merges[0].startswith("#version"):
            merges = merges[1:]
        merges = [line for line in merges if line]
    if not isinstance(merges, (list, tuple)):
        raise TypeError(
            "`merges` must be a list of 'left right' str (or of pairs) or the "
            f"path of a `merges.txt` file. Received: {type(merges).__name__}."
        )
    pairs = []
    for line, merge in enumerate(merges):
        if isinstance(merge, str):
            parts = merge.split(" ")
        elif isinstance(merge, (list, tuple)):
            parts = list(merge)
        else:
            parts = None
        if (
            parts is None
            or len(parts) != 2
            or not all(isinstance(p, str) and p for p in parts)
        ):
            raise ValueError(
                f"Merge {line} is not two tokens separated by one space (or a "
                f"pair of str). Received: {merge!r}. Each line of `merges.txt` "
                "reads like 'Ġ t'."
            )
        pairs.append((parts[0], parts[1]))
    return pairs


@api_export("keras_nlp.tokenizers.BytePairTokenizer", stability="experimental")
class BytePairTokenizer(Tokenizer):
    """Byte-level BPE tokenizer, as GPT-2 and RoBERTa use, from raw strings.

    Splits the text with GPT-2's pre-tokenisation rules (contractions such as
    `'s`, runs of letters, of digits or of other characters each with at most
    one leading space, whitespace runs), writes every byte of each piece as
    a symbol of the byte-level alphabet (`"Ġ"` for a space, see
    `bytes_to_unicode`), then merges adjacent symbols in the order of
    `merges` (lowest rank first) until no pair of the piece is a merge. Any
    text, including invalid UTF-8, becomes ids and `detokenize` gives its
    bytes back. `special_tokens` written in the text are recognised first,
    exactly as written, and are never split. Each word's ids are cached
    (in the tokenizer, for up to 200,000 distinct words).

    It is built from TensorFlow ops, so it runs eagerly, in `tf.data`
    pipelines and inside an exported SavedModel. Ids equal those of
    HuggingFace `tokenizers` (`BPE` model with the `ByteLevel`
    pre-tokenizer, as in `RobertaTokenizerFast` and `GPT2TokenizerFast`) on
    the same files; bytes whose symbol is missing from the vocabulary are
    dropped, as there.

    Reference: [Sennrich et al., 2016](https://arxiv.org/abs/1508.07909),
    [Radford et al., 2019](https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf).

    Args:
        vocabulary: a dict of token to id (ids 0 to size - 1) or the path of
            a `vocab.json` file. Saved as an asset (`vocab.json` in the
            `assets/` of `.keras` files and presets), not in the config.
        merges: a list of merges, each `"left right"` or a pair, highest
            priority first, or the path of a `merges.txt` file (a first line
            `#version: ...` is skipped). Both sides and their concatenation
            must be in the vocabulary. Saved as an asset (`merges.txt`).
        sequence_length: int or None. If set, outputs are padded with 0 or
            truncated to this length (a dense tensor); otherwise ragged.
        add_prefix_space: bool. Add a space before text that does not start
            with one (and after each special token), so that the first word
            is tokenized like the others (RoBERTa's `add_prefix_space`).
        special_tokens: list of str or None. Tokens recognised verbatim in
            the raw text, such as `"<|endoftext|>"` or `"<s>"`; each must be
            in the vocabulary. keras-nlp 0.15's `unsplittable_tokens` still
            works, with a `DeprecationWarning`.
        lstrip_special_tokens: list of str or None. Special tokens that also
            take the whitespace before them, which then yields no token
            (HuggingFace's `lstrip`, set for RoBERTa's `<mask>` in its hub
            tokenizers: `"a <mask>"` gives the ids of `"a"` and `"<mask>"`).
            Each must be in `special_tokens`.
        dtype: `"int32"` or `"int64"` for ids, `"string"` for token pieces.

    Call arguments:
        inputs: a str, a list of str, or a `tf.string` tensor of rank 0 or 1.

    Output shape:
        `(batch_size, None)` ragged ids, or `(batch_size, sequence_length)`
        when `sequence_length` is set; one dimension less for a scalar input.

    Examples:

    >>> vocabulary = {"<|endoftext|>": 0, "a": 1, "b": 2, "Ġ": 3, "ab": 4,
    ...               "Ġab": 5}
    >>> tokenizer = keras_nlp.tokenizers.BytePairTokenizer(
    ...     vocabulary, merges=["a b", "Ġ ab"], special_tokens=["<|endoftext|>"])
    >>> tokenizer(["ab ab<|endoftext|>ba"]).to_list()
    [[4, 5, 0, 2, 1]]
    >>> tokenizer.detokenize([[4, 5, 0, 2, 1]]).numpy()
    array([b'ab ab<|endoftext|>ba'], dtype=object)
    """

    def __init__(
        self,
        vocabulary,
        merges=None,
        sequence_length=None,
        add_prefix_space=False,
        special_tokens=None,
        dtype="int32",
        lstrip_special_tokens=None,
        **kwargs,
    ):
        special_tokens = pop_renamed(
            kwargs,
            "unsplittable_tokens",
            "special_tokens",
            special_tokens,
            None,
            "BytePairTokenizer",
        )
        super().__init__(dtype=dtype, **kwargs)
        if sequence_length is not None and (
            not isinstance(sequence_length, int)
            or isinstance(sequence_length, bool)
            or sequence_length < 1
        ):
            raise ValueError(
                "`sequence_length` must be a positive int or None. Received: "
                f"sequence_length={sequence_length!r}."
            )
        if not isinstance(add_prefix_space, bool):
            raise TypeError(
                "`add_prefix_space` must be True or False. Received: "
                f"add_prefix_space={add_prefix_space!r}."
            )
        if special_tokens is None:
            special_tokens = []
        if isinstance(special_tokens, str) or not all(
            isinstance(t, str) and t for t in special_tokens
        ):
            raise TypeError(
                "`special_tokens` must be a list of non-empty str. Received: "
                f"special_tokens={special_tokens!r}."
            )
        unmatchable = [t for t in special_tokens if "\x00" in t or "\x01" in t]
        if unmatchable:
            raise ValueError(
                "`special_tokens` cannot contain the control characters NUL "
                f"or U+0001. Received: {unmatchable!r}."
            )
        lstrip_special_tokens = list(lstrip_special_tokens or [])
        not_special = [t for t in lstrip_special_tokens if t not in special_tokens]
        if not_special:
            raise ValueError(
                f"`lstrip_special_tokens` {not_special} are not in "
                "`special_tokens`. Add them to `special_tokens` too."
            )
        self.sequence_length = sequence_length
        self.add_prefix_space = add_prefix_space
        self.special_tokens = list(special_tokens)
        self.lstrip_special_tokens = lstrip_special_tokens
        self._eager_fn = None
        if isinstance(vocabulary, FromAssets):
            # Rebuilt from a config: vocabulary and merges come as assets.
            self.vocabulary = None
            self.merges = None
            self._pending = vocabulary
            return
        if vocabulary is None or merges is None:
            raise ValueError(
                "`vocabulary` and `merges` are both required: a dict of token "
                "to id (or a `vocab.json` path) and a list of merges (or a "
                f"`merges.txt` path). Received: vocabulary={vocabulary!r:.80}, "
                f"merges={merges!r:.80}."
            )
        self._pending = None
        self._set_vocabulary(load_vocabulary(vocabulary), load_merges(merges))

    # Vocabulary and tables.

    def _set_vocabulary(self, vocabulary, merges):
        missing = [t for t in self.special_tokens if t not in vocabulary]
        if missing:
            raise ValueError(
                f"`special_tokens` {missing} are not in the vocabulary. Add "
                "them to the vocabulary or remove them from `special_tokens`."
            )
        merge_values = {}
        size = len(vocabulary)
        for rank, (left, right) in enumerate(merges):
            for part in (left, right, left + right):
                if part not in vocabulary:
                    raise ValueError(
                        f"Merge {rank} ({left!r} {right!r}) uses the token "
                        f"{part!r}, which is not in the vocabulary. The "
                        "merges and the vocabulary do not belong together; "
                        "pass the `merges.txt` made with this `vocab.json`."
                    )
            key = vocabulary[left] * size + vocabulary[right]
            # A repeated merge keeps its last rank, as in HuggingFace.
            merge_values[key] = rank * size + vocabulary[left + right]
        self.vocabulary = dict(vocabulary)
        self.merges = [f"{left} {right}" for left, right in merges]
        self._index_cache = None
        self._build_tables(merge_values)

    def _build_tables(self, merge_values):
        size = len(self.vocabulary)
        tokens = [None] * size
        for token, index in self.vocabulary.items():
            tokens[index] = token
        byte_symbols = bytes_to_unicode()
        symbol_bytes = {symbol: b for b, symbol in byte_symbols.items()}
        special = set(self.special_tokens)
        decoded = []
        for token in tokens:
            if token not in special and all(c in symbol_bytes for c in token):
                decoded.append(bytes(symbol_bytes[c] for c in token))
            else:
                # Special tokens (and tokens outside the byte-level
                # alphabet, as HuggingFace decodes them) are their own text.
                decoded.append(token.encode("utf-8"))
        byte_ids = [self.vocabulary.get(byte_symbols[b], -1) for b in range(256)]
        keys = np.array(list(merge_values), dtype=np.int64)
        values = np.array(list(merge_values.values()), dtype=np.int64)
        with tf.init_scope():
            self._vocab_tensor = tf.constant(tokens, dtype=tf.string)
            self._decoded_tensor = tf.constant(decoded, dtype=tf.string)
            self._byte_ids = tf.constant(byte_ids, dtype=tf.int64)
            if keys.size:
                self._merge_table = tf.lookup.StaticHashTable(
                    tf.lookup.KeyValueTensorInitializer(keys, values), -1
                )
            else:
                self._merge_table = None
            self._special_table = None
            if self.special_tokens:
                special_ids = [self.vocabulary[t] for t in self.special_tokens]
                self._special_table = tf.lookup.StaticHashTable(
                    tf.lookup.KeyValueTensorInitializer(
                        tf.constant(self.special_tokens),
                        tf.constant(special_ids, dtype=tf.int64),
                    ),
                    -1,
                )
            # Word fingerprint -> the word's ids (as `_encode_ids` writes
            # them), `_CACHE_SEPARATOR`, then the word itself, which is
            # compared on lookup so that a fingerprint collision can never
            # give a wrong answer.
            self._cache = tf.lookup.experimental.MutableHashTable(
                tf.int64, tf.string, default_value=""
            )
        # Longest first: RE2 alternation takes the first alternative that
        # matches, and "<s>" must not shadow a longer token starting alike.
        specials = sorted(self.special_tokens, key=len, reverse=True)
        self._special_pattern = (
            "|".join(
                ("[" + _WS + "]*" if t in self.lstrip_special_tokens else "")
                + re.escape(t)
                for t in specials
            )
            or None
        )
        # Texts that need the general path: NUL or `_MARK` (shadows), a
        # whitespace run followed by text (the run cut), a special token.
        unusual = [r"[\x00\x01]", _RUN_END]
        if self.add_prefix_space:
            # The prefix space may start a run: "\tword" becomes " \tword".
            unusual.append("^[" + _WS + "]")
        if self._special_pattern is not None:
            unusual.append(self._special_pattern)
        self._unusual_pattern = "|".join(unusual)
        self._eager_fn = None

    def _require_vocabulary(self):
        if self.vocabulary is None:
            raise pending_vocabulary_error(self)

    def get_vocabulary(self):
        self._require_vocabulary()
        return [t.decode("utf-8") for t in self._vocab_tensor.numpy().tolist()]

    def vocabulary_size(self):
        if self.vocabulary is None:
            return self._pending.vocabulary_size
        return len(self.vocabulary)

    def token_to_id(self, token):
        self._require_vocabulary()
        if token not in self.vocabulary:
            raise ValueError(
                f"Token {token!r} is not in the vocabulary of "
                f"{len(self.vocabulary)} tokens."
            )
        return self.vocabulary[token]

    # Tokenization.

    @staticmethod
    def _split_at_marks(originals, marked, exact, drop_empty=True, branch=True):
        """Cuts `originals` where `_MARK`s are written in `marked`.

        `marked` is the shadow of `originals` (same bytes, but `_MARK`
        absent) with `_MARK`s inserted; `exact` (a scalar bool tensor) says
        that the shadow is `originals` itself, so that the pieces of
        `marked` can be used as they are. Returns ragged (row, piece) pieces
        of `originals`, empty pieces dropped unless `drop_empty=False`.
        `branch=False` cuts and drops without a cond, which is faster for
        small batches in `tf.data` (see `_tokenize_rank1`).
        """
        pieces = tf.strings.split(marked, _MARK)
        lengths = tf.strings.length(pieces.flat_values)

        def cut():
            # Cut the pieces from `originals` at the same byte offsets.
            size = tf.cast(lengths, tf.int64)
            ends = tf.cumsum(size)
            row_starts = tf.gather(
                tf.concat([[0], ends], axis=0), pieces.row_splits[:-1]
            )
            counts = pieces.row_lengths()
            starts = ends - size - tf.repeat(row_starts, counts)
            return tf.strings.substr(tf.repeat(originals, counts), starts, size)

        flat = tf.cond(exact, lambda: pieces.flat_values, cut) if branch else cut()
        if not drop_empty:
            return pieces.with_flat_values(flat)
        return _drop_empty(flat, pieces.row_splits, lengths > 0, branch)

    def _pretokenize(self, texts, shadows, exact):
        """Text pieces -> ragged (piece, pre-token) of their bytes.

        `shadows` are `texts` with NUL and `_MARK` replaced (same lengths;
        `exact` when there were none): the regexes run on them and the
        pieces are cut from `texts`.
        """
        # Cut each run of >= 2 whitespace characters that is followed by
        # text before its last character: GPT-2's `\s+(?!\S)` leaves that
        # character to the next piece (" word", or "\n" alone). Then mark
        # the start of every match of GPT-2's regex: no match crosses the
        # first cut (`_PIECES` never matches `_MARK`), so one split at all
        # marks gives the pieces of each segment.
        marked = _cut_runs(shadows)
        marked = tf.strings.regex_replace(marked, _PIECES, _MARK + b"\\0")
        return self._split_at_marks(texts, marked, exact)

    def _merge(self, words):
        """Unique words -> ragged (word, id) through the merge loop."""
        codes = tf.strings.unicode_decode(words, "ISO-8859-1")
        symbols = tf.gather(self._byte_ids, codes.flat_values)
        known = symbols >= 0
        symbols = tf.boolean_mask(symbols, known)
        rows = tf.boolean_mask(codes.value_rowids(), known)
        num_words = tf.shape(words, out_type=tf.int64)[0]
        if self._merge_table is None:
            return tf.RaggedTensor.from_value_rowids(
                symbols, rows, nrows=num_words, validate=False
            )
        size = tf.constant(len(self.vocabulary), tf.int64)
        never = tf.constant(np.iinfo(np.int64).max, tf.int64)

        def step(symbols, rows, done_symbols, done_rows):
            # Words still being merged, numbered 0, 1, ... in order.
            new_word = tf.concat([[True], tf.not_equal(rows[1:], rows[:-1])], axis=0)
            local = tf.cumsum(tf.cast(new_word, tf.int64)) - 1
            values = self._merge_table.lookup(symbols[:-1] * size + symbols[1:])
            values = tf.where(~new_word[1:] & (values >= 0), values, never)
            pair_local = local[:-1]
            # The lowest rank of each word's pairs (sorted segments).
            best = tf.math.segment_min(values, pair_local)
            is_best = tf.equal(values, tf.gather(best, pair_local)) & (values < never)
            # Equal neighbours ("a a a") overlap: merge every other pair
            # from the left of each run, as HuggingFace's queue does.
            previous = tf.concat([[False], is_best[:-1]], axis=0)
            run_start = is_best & ~previous
            index = tf.range(tf.size(is_best, out_type=tf.int64))
            # (A trailing 0 keeps the gather valid when there is no run.)
            starts = tf.concat([tf.boolean_mask(index, run_start), [0]], axis=0)
            run = tf.maximum(tf.cumsum(tf.cast(run_start, tf.int64)) - 1, 0)
            offset = index - tf.gather(starts, run)
            chosen = is_best & tf.equal(offset % 2, 0)
            merged = tf.where(chosen, values % size, symbols[:-1])
            new_symbols = tf.concat([merged, symbols[-1:]], axis=0)
            keep = ~tf.concat([[False], chosen], axis=0)
            # A word without a merge this round is final: set it aside, so
            # that later rounds only see the words still changing.
            changed = tf.math.unsorted_segment_max(
                tf.cast(chosen, tf.int32), pair_local, local[-1] + 1
            )
            stays = tf.boolean_mask(tf.gather(changed, local) > 0, keep)
            symbols = tf.boolean_mask(new_symbols, keep)
            rows = tf.boolean_mask(rows, keep)
            done_symbols = tf.concat(
                [done_symbols, tf.boolean_mask(symbols, ~stays)], axis=0
            )
            done_rows = tf.concat([done_rows, tf.boolean_mask(rows, ~stays)], axis=0)
            return (
                tf.boolean_mask(symbols, stays),
                tf.boolean_mask(rows, stays),
                done_symbols,
                done_rows,
            )

        empty = tf.zeros([0], tf.int64)
        _, _, symbols, rows = tf.while_loop(
            lambda symbols, *_: tf.size(symbols) > 0,
            step,
            (symbols, rows, empty, empty),
            shape_invariants=(tf.TensorShape([None]),) * 4,
        )
        # Words were set aside whole and in order: a stable sort by word
        # restores the batch.
        order = tf.argsort(rows, stable=True)
        symbols, rows = tf.gather(symbols, order), tf.gather(rows, order)
        return tf.RaggedTensor.from_value_rowids(
            symbols, rows, nrows=num_words, validate=False
        )

    @staticmethod
    def _encode_ids(ids):
        """Ragged ids -> one string per row (each id one code point)."""
        points = ids.flat_values + 1
        points = tf.where(points >= 0xD800, points + 0x800, points)
        points = ids.with_flat_values(tf.cast(points, tf.int32))
        return tf.strings.unicode_encode(points, "UTF-8")

    @staticmethod
    def _decode_ids(strings):
        points = tf.strings.unicode_decode(strings, "UTF-8")
        flat = tf.cast(points.flat_values, tf.int64)
        return points.with_flat_values(tf.where(flat >= 0xE000, flat - 0x800, flat) - 1)

    def _word_ids(self, words):
        """Words -> ragged ids, through the cache."""
        unique, index = tf.unique(words)
        keys = tf.strings.to_hash_bucket_fast(unique, np.iinfo(np.int64).max)
        entries = tf.strings.split(
            self._cache.lookup(keys), _CACHE_SEPARATOR, maxsplit=1
        ).to_tensor(default_value="", shape=[None, 2])
        cached = entries[:, 0]
        missing = tf.not_equal(entries[:, 1], unique)
        new_words = tf.boolean_mask(unique, missing)
        encoded = self._encode_ids(self._merge(new_words))

        # New words are added while the cache is not full (a masked insert:
        # a cond costs more in `tf.data`).
        entries = tf.strings.join([encoded, new_words], separator=_CACHE_SEPARATOR)
        room = tf.fill(tf.shape(new_words), self._cache.size() < CACHE_SIZE)
        inserted = self._cache.insert(
            tf.boolean_mask(tf.boolean_mask(keys, missing), room),
            tf.boolean_mask(entries, room),
        )
        with tf.control_dependencies([inserted]):
            cached = tf.tensor_scatter_nd_update(cached, tf.where(missing), encoded)
        return tf.gather(self._decode_ids(cached), index)

    def _tokenize_rank1(self, strings, branch=False):
        """Rank-1 strings -> ids.

        One scan per batch finds whether any text holds a special token,
        NUL, `_MARK` or a whitespace run followed by text (or, with
        `add_prefix_space`, starts with whitespace). Deleting a match
        changes a length; the search is unanchored, like the splits, so
        invalid UTF-8 is read alike. A batch without them (most) skips the
        special-token split, the shadows and the run cut: one cond.

        `branch=True` (eager calls: whole corpora at once, in a traced
        function) also puts the cut of pieces from texts with NUL, the
        removal of empty pieces and the interleaving of special-token ids
        behind conds. `branch=False` (`tf.data`, SavedModels: small
        batches) always does them: there a cond costs a batch more than
        that work (measured: `tf.data` passes were slower with them).
        """
        found = tf.strings.regex_replace(strings, self._unusual_pattern, "")
        unusual = tf.reduce_any(
            tf.not_equal(tf.strings.length(found), tf.strings.length(strings))
        )
        num = tf.shape(strings, out_type=tf.int64)[0]

        def general():
            texts, shadows, exact, piece_rows, special_ids = self._general_pieces(
                strings, branch
            )
            marked = tf.strings.regex_replace(shadows, _PIECES, _MARK + b"\\0")
            words = self._split_at_marks(
                texts, marked, exact, drop_empty=False, branch=branch
            )
            return words.flat_values, words.row_splits, piece_rows, special_ids

        def plain():
            texts = strings
            if self.add_prefix_space:
                # Not before an empty text, which stays without ids (as in
                # HuggingFace).
                no_space = tf.not_equal(tf.strings.substr(texts, 0, 1), " ") & (
                    tf.strings.length(texts) > 0
                )
                texts = tf.where(no_space, tf.strings.join([" ", texts]), texts)
            marked = tf.strings.regex_replace(texts, _PIECES, _MARK + b"\\0")
            words = tf.strings.split(marked, _MARK)
            # One text piece per text, no special token.
            return (
                words.flat_values,
                words.row_splits,
                tf.range(num + 1),
                tf.fill([num], tf.constant(-1, tf.int64)),
            )

        # GPT-2's regex marks the start of every match (see `_pretokenize`).
        # The matches tile the text, so each text's first piece is empty (as
        # is an empty text): an empty word has no ids, so empty pieces are
        # left in (cheaper than removing them).
        words, word_splits, piece_rows, special_ids = tf.cond(unusual, general, plain)
        # The cache and merge loop stay outside the conds.
        text_ids = tf.RaggedTensor.from_row_splits(
            self._word_ids(words), word_splits, validate=False
        ).merge_dims(1, 2)
        if not branch:
            return self._output(self._interleave(text_ids, piece_rows, special_ids))

        def interleave():
            tokens = self._interleave(text_ids, piece_rows, special_ids)
            return tokens.flat_values, tokens.row_splits

        values, row_splits = tf.cond(
            unusual, interleave, lambda: (text_ids.flat_values, text_ids.row_splits)
        )
        return self._output(
            tf.RaggedTensor.from_row_splits(values, row_splits, validate=False)
        )

    def _output(self, tokens):
        if self._output_dtype != "int64":
            tokens = tf.cast(tokens, tf.int32)
        return self._format_tokens(tokens)

    def _general_pieces(self, strings, branch=True):
        """Any batch -> text pieces, their shadows with runs cut, `exact`,
        the pieces' row splits and special-token ids (-1 for a text)."""
        shadows = tf.strings.regex_replace(strings, r"[\x00\x01]", _STAND_IN)
        # Most texts have neither NUL nor U+0001: no need to cut pieces out
        # of the original text then.
        exact = tf.reduce_all(tf.equal(shadows, strings))
        num = tf.shape(strings, out_type=tf.int64)[0]
        if self._special_pattern is not None:
            # Special tokens, as written in the raw text, become pieces.
            marked = tf.strings.regex_replace(
                shadows, self._special_pattern, _MARK + b"\\0" + _MARK
            )
            split = self._split_at_marks(strings, marked, exact, branch=branch)
            piece_rows = split.row_splits
            texts = split.flat_values
            shadow_texts = self._split_at_marks(
                shadows, marked, tf.constant(True), branch=branch
            ).flat_values
            found = texts
            if self.lstrip_special_tokens:
                # The whitespace a token took is dropped. (A text piece never
                # becomes a token this way: it holds no special token.)
                found = tf.strings.regex_replace(texts, "^[" + _WS + "]+", "")
            special_ids = self._special_table.lookup(found)
        else:
            piece_rows = tf.range(num + 1)
            texts, shadow_texts = strings, shadows
            special_ids = tf.fill(
                tf.shape(strings, out_type=tf.int64), tf.constant(-1, tf.int64)
            )
        is_text = special_ids < 0
        texts = tf.boolean_mask(texts, is_text)
        shadow_texts = tf.boolean_mask(shadow_texts, is_text)
        if self.add_prefix_space:
            no_space = tf.not_equal(tf.strings.substr(texts, 0, 1), " ") & (
                tf.strings.length(texts) > 0
            )
            texts = tf.where(no_space, tf.strings.join([" ", texts]), texts)
            shadow_texts = tf.where(
                no_space, tf.strings.join([" ", shadow_texts]), shadow_texts
            )
        # Text pieces (their runs cut, in the shadows) for GPT-2's regex.
        return texts, _cut_runs(shadow_texts), exact, piece_rows, special_ids

    @staticmethod
    def _interleave(text_ids, piece_rows, special_ids):
        """Ids of the text pieces and of the special tokens, in text order."""
        is_text = special_ids < 0
        specials = tf.boolean_mask(special_ids, ~is_text)[:, tf.newaxis]
        specials = tf.RaggedTensor.from_tensor(specials)
        all_ids = tf.concat([text_ids, specials], axis=0)
        text_rank = tf.cumsum(tf.cast(is_text, tf.int64), exclusive=True)
        special_rank = tf.cumsum(tf.cast(~is_text, tf.int64), exclusive=True)
        order = tf.where(
            is_text, text_rank, tf.reduce_sum(tf.cast(is_text, tf.int64)) + special_rank
        )
        per_piece = tf.gather(all_ids, order)
        return tf.RaggedTensor.from_row_splits(
            per_piece, piece_rows, validate=False
        ).merge_dims(1, 2)

    def __call__(self, inputs, *args, **kwargs):
        # A Python list becomes one tensor first: Keras would otherwise check
        # every string of it (a quarter of the time of a warm-cache call).
        if isinstance(inputs, (list, tuple)):
            inputs, _ = to_string_tensor(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def tokenize(self, inputs):
        """Strings -> token ids (ragged, or dense with `sequence_length`)."""
        self._require_vocabulary()
        strings, unbatched = to_string_tensor(inputs)
        if isinstance(strings, tf.RaggedTensor) or strings.shape.rank not in (
            0,
            1,
            None,
        ):
            raise ValueError(
                "`inputs` must be a str or a batch of str (rank 0 or 1). "
                f"Received shape {strings.shape}. Flatten nested lists first."
            )
        if unbatched:
            strings = tf.expand_dims(strings, 0)
        if tf.executing_eagerly():
            # Eager calls run one traced graph, not op by op.
            if self._eager_fn is None:
                self._eager_fn = tf.function(
                    functools.partial(self._tokenize_rank1, branch=True),
                    input_signature=[tf.TensorSpec([None], tf.string)],
                    autograph=False,
                )
            tokens = self._eager_fn(strings)
        else:
            tokens = self._tokenize_rank1(strings)
        if unbatched:
            tokens = tokens[0]
        return tokens

    def detokenize(self, inputs):
        """Token ids -> the bytes they stand for, one string per sequence.

        Args:
            inputs: integer ids: one sequence (rank 1, gives a scalar string)
                or a batch (rank 2, dense or ragged; gives a string vector).

        Raises:
            TypeError: for ids that are not integers.
            ValueError: for ids outside `[0, vocabulary_size)`, naming them
                and the valid range; inside a traced function the same text
                comes with a `tf.errors.InvalidArgumentError`.
        """
        self._require_vocabulary()
        ids = token_id_tensor(inputs, "detokenize inputs")
        ids = check_ids_in_vocabulary(
            ids, len(self.vocabulary), f"{type(self).__name__}.detokenize"
        )
        unbatched = ids.shape.rank == 1
        if unbatched:
            ids = tf.expand_dims(ids, 0)
        if not isinstance(ids, tf.RaggedTensor):
            ids = tf.RaggedTensor.from_tensor(ids)
        pieces = tf.gather(self._decoded_tensor, ids)
        text = tf.strings.reduce_join(pieces, axis=-1)
        return text[0] if unbatched else text

    # Assets and config.

    def save_assets(self, dir_path):
        """Writes `vocab.json` and `merges.txt` to `dir_path`."""
        self._require_vocabulary()
        with open(os.path.join(dir_path, VOCABULARY_FILE), "w", encoding="utf-8") as f:
            json.dump(self.vocabulary, f, ensure_ascii=False)
        with open(
            os.path.join(dir_path, MERGES_FILE), "w", encoding="utf-8", newline=""
        ) as f:
            f.write("#version: 0.2\n" + "".join(m + "\n" for m in self.merges))

    def load_assets(self, dir_path):
        """Reads `vocab.json` and `merges.txt` from `dir_path`."""
        loaded = self.vocabulary is not None
        path = self._asset_path(dir_path, VOCABULARY_FILE, loaded, "vocabulary")
        if path is None:
            return
        merges_path = self._asset_path(dir_path, MERGES_FILE, False, "merges")
        vocabulary = load_vocabulary(path)
        pending = self._pending
        if pending is not None:
            found = self._summary(vocabulary)
            expected = (pending.vocabulary_size, pending.special_token_ids)
            if found != expected:
                raise asset_mismatch_error(
                    path,
                    f"{expected[0]} tokens with special token ids {expected[1]}",
                    f"{found[0]} tokens with {found[1]}",
                )
        self._set_vocabulary(vocabulary, load_merges(merges_path))
        self._pending = None

    def _summary(self, vocabulary):
        return len(vocabulary), {
            t: vocabulary[t] for t in self.special_tokens if t in vocabulary
        }

    def get_config(self):
        config = super().get_config()
        summary = None if self.vocabulary is None else self._summary(self.vocabulary)
        config.update(self._asset_config("vocabulary", summary))
        config.update(
            {
                "merges": None,
                "sequence_length": self.sequence_length,
                "add_prefix_space": self.add_prefix_space,
                "special_tokens": list(self.special_tokens),
                "lstrip_special_tokens": list(self.lstrip_special_tokens),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**cls._config_with_assets(config, "vocabulary", "a `vocabulary`"))
