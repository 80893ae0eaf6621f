# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT's WordPiece tokenizer on tensorflow-text's FastWordpieceTokenizer."""

import os
import re
import warnings

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC
from keras_nlp.src.tokenizers.tokenizer import FromAssets
from keras_nlp.src.tokenizers.tokenizer import Tokenizer
from keras_nlp.src.tokenizers.tokenizer import asset_mismatch_error
from keras_nlp.src.tokenizers.tokenizer import check_ids_in_vocabulary
from keras_nlp.src.tokenizers.tokenizer import pending_vocabulary_error
from keras_nlp.src.tokenizers.tokenizer import to_string_batch
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor
from keras_nlp.src.tokenizers.tokenizer import token_id_tensor
from keras_nlp.src.utils.compat import pop_renamed
from keras_nlp.src.utils.lazy import LazyModule

# Imported when first used: tensorflow-text is most of `import keras_nlp`'s cost.
tf_text = LazyModule("tensorflow_text")

# Characters BERT isolates as single-character words. ASCII punctuation
# includes symbols such as `$`, `+` and `^` that Unicode files under "S".
PUNCTUATION = r"!-/:-@\[-`{-~\p{P}"
# The CJK ideograph blocks BERT surrounds with spaces.
CJK = (
    r"\x{4E00}-\x{9FFF}\x{3400}-\x{4DBF}\x{20000}-\x{2A6DF}\x{2A700}-\x{2B73F}"
    r"\x{2B740}-\x{2B81F}\x{2B820}-\x{2CEAF}\x{F900}-\x{FAFF}\x{2F800}-\x{2FA1F}"
)
# Characters that RE2's Unicode tables (used by `PUNCTUATION`) do not file
# under punctuation but ICU's (used by FastWordpiece's own word splitting)
# do: Unicode 16 additions. A string holding one takes the exact path.
# `word_piece_tokenizer_test.py` checks every code point.
_DISAGREEMENT_RANGES = (
    (0x1B4E, 0x1B4F),
    (0x1B7F, 0x1B7F),
    (0x10D6E, 0x10D6E),
    (0x113D4, 0x113D5),
    (0x113D7, 0x113D8),
    (0x11BE1, 0x11BE1),
    (0x16D6D, 0x16D6F),
    (0x1E5FF, 0x1E5FF),
)


def _char_class(ranges):
    """The body of an RE2 character class for inclusive code point ranges."""
    return "".join(
        rf"\x{{{a:X}}}" if a == b else rf"\x{{{a:X}}}-\x{{{b:X}}}" for a, b in ranges
    )


def _complement(excluded):
    """The code point ranges of [0, 0x10FFFF] outside `excluded`."""
    ranges, start = [], 0
    for a, b in sorted(excluded):
        if a > start:
            ranges.append((start, a - 1))
        start = max(start, b + 1)
    if start <= 0x10FFFF:
        ranges.append((start, 0x10FFFF))
    return ranges


_SPLIT_DISAGREEMENTS = _char_class(_DISAGREEMENT_RANGES)
# Fully matches valid UTF-8 without the characters above, in one RE2 pass.
# An explicit class without the surrogates compiles to the exact UTF-8 byte
# sequences (RE2's `.` accepts some invalid ones, such as overlong forms),
# so this rejects every string that `tf.strings.unicode_transcode` would
# change (tested on random bytes).
_FAST_PATH_TEXT = (
    "[" + _char_class(_complement(_DISAGREEMENT_RANGES + ((0xD800, 0xDFFF),))) + "]*"
)
# Removed by BERT's text cleaning: NUL, U+FFFD and every "other" code point
# (control, format, private use, surrogate) except tab, newline and return.
_REMOVED = r"[\x00\x{FFFD}\p{Cf}\p{Co}\p{Cs}]|[^\t\n\r\P{Cc}]"
# After the removal only these remain as whitespace; BERT maps them to ' '.
_WHITESPACE = r"[\t\n\r\p{Z}]"
# A special token found in raw text becomes this control character (which
# cleaning guarantees is absent from the normalized text) and its index.
_MARK = "\x01"
# Every run of bytes that is not valid UTF-8 becomes this control character
# (a raw one in the text is first turned into `_MARK`, which cleaning
# removes like any control character), then a word of its own that maps to
# the unknown token: invalid input never vanishes silently.
INVALID_UTF8 = "\x02"


def row_ids(row_splits):
    """The row of every value of a ragged tensor with these `row_splits`:
    its `value_rowids()`, in about 20 graph ops instead of about 70 (the ragged
    version builds them with a generic `repeat`), which every `tf.data`
    pass that holds the graph instantiates."""
    positions = tf.range(row_splits[-1], dtype=row_splits.dtype)
    # For each position, how many rows end at or before it (`searchsorted`
    # on the right, as one kernel on one-row inputs).
    return tf.raw_ops.UpperBound(
        sorted_inputs=row_splits[tf.newaxis, 1:],
        values=positions[tf.newaxis],
        out_type=row_splits.dtype,
    )[0]


def repair_utf8(strings):
    """Each run of invalid UTF-8 bytes -> one `INVALID_UTF8` character."""
    strings = tf.strings.regex_replace(strings, INVALID_UTF8, _MARK)
    strings = tf.strings.unicode_transcode(
        strings,
        "UTF-8",
        "UTF-8",
        errors="replace",
        replacement_char=ord(INVALID_UTF8),
    )
    return tf.strings.regex_replace(strings, INVALID_UTF8 + "+", INVALID_UTF8)


SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
# The asset `save_assets` writes: one token per line, the line number its id.
VOCABULARY_FILE = "vocabulary.txt"


def load_vocabulary(vocabulary, what="vocabulary"):
    """A list of tokens from a list, a tuple or a vocabulary file path."""
    if isinstance(vocabulary, (str, os.PathLike)):
        path = os.fspath(vocabulary)
        if not os.path.isfile(path):
            raise ValueError(
                f"`{what}` is neither a list of tokens nor an existing file. "
                f"Received: {what}={path!r}. Pass a list of str or the path "
                "of a text file with one token per line."
            )
        with open(path, encoding="utf-8") as f:
            tokens = [line.rstrip("\r\n") for line in f]
        while tokens and tokens[-1] == "":
            tokens.pop()
        return tokens
    if isinstance(vocabulary, (list, tuple, np.ndarray)):
        tokens = []
        for token in vocabulary:
            if isinstance(token, (bytes, np.bytes_)):
                token = token.decode("utf-8")
            if not isinstance(token, str):
                raise TypeError(
                    f"Every token of `{what}` must be a str. Received an "
                    f"element of type {type(token).__name__}: {token!r}."
                )
            tokens.append(str(token))
        return tokens
    raise TypeError(
        f"`{what}` must be a list of str or a file path. Received: "
        f"{type(vocabulary).__name__}."
    )


def bert_normalize(strings, lowercase=True, strip_accents=None, whitespace=True):
    """BERT's text normalization of a string tensor (any shape).

    Removes control characters, NUL and U+FFFD; maps whitespace to a space
    (unless `whitespace=False`, for a word splitter that treats every
    Unicode space as a separator anyway); optionally removes accents (NFD,
    then drop non-spacing marks) and lowercases. `strip_accents=None`
    follows `lowercase`, as in BERT.
    """
    if strip_accents is None:
        strip_accents = lowercase
    strings = tf.strings.regex_replace(strings, _REMOVED, "")
    if whitespace:
        strings = tf.strings.regex_replace(strings, _WHITESPACE, " ")
    if strip_accents:
        strings = tf_text.normalize_utf8(strings, "NFD")
        strings = tf.strings.regex_replace(strings, r"\p{Mn}", "")
    if lowercase:
        # Character by character, as BERT does: no word-final sigma rule.
        strings = tf.strings.regex_replace(strings, "\u03a3", "\u03c3")
        strings = tf.strings.lower(strings, encoding="utf-8")
    return strings


@api_export("keras_nlp.tokenizers.WordPieceTokenizer", stability="stable", rfc=RFC)
class WordPieceTokenizer(Tokenizer):
    """The WordPiece tokenizer of BERT, from raw strings to token ids.

    Runs BERT's whole text pipeline: special tokens written in the raw text
    (such as `"[MASK]"`) are recognised first, exactly as written; the rest is
    cleaned (control characters, NUL and U+FFFD removed, whitespace unified),
    optionally accent-stripped and lowercased, split on whitespace with every
    punctuation character and CJK ideograph as a word of its own, and each
    word is split greedily into the longest vocabulary pieces (continuations
    prefixed with `suffix_indicator`). A word that cannot be covered by pieces,
    or longer than `max_input_chars_per_word` characters, becomes
    `unknown_token`.

    Bytes that are not valid UTF-8 never vanish: each run of them becomes
    `unknown_token`, as a word of its own (SentencePiece also maps them to
    its unknown id). A U+FFFD character written in valid text is removed by
    cleaning, as in BERT and HuggingFace's `BertNormalizer`. The piece matching is tensorflow-text's
    `FastWordpieceTokenizer` (linear-time WordPiece).

    Token ids equal those of HuggingFace `tokenizers`' `BertWordPieceTokenizer`
    on the same vocabulary and settings (tested on a varied corpus).

    Most strings take a fast path (one FastWordpiece op splits the words
    and matches the pieces); a string with invalid UTF-8, a special token
    written in it or an unknown piece is redone by the full pipeline, with
    the same ids. In `tf.data`, batch before mapping the tokenizer
    (`dataset.batch(32).map(tokenizer)`): every call has a fixed cost, so
    one call per batch is much cheaper than one per string.

    Reference: [Wu et al., 2016](https://arxiv.org/abs/1609.08144),
    [Song et al., 2021](https://arxiv.org/abs/2012.15524).

    Args:
        vocabulary: a list of tokens or the path of a file with one token per
            line; the position of a token is its id. Must contain
            `unknown_token`. It is saved as an asset (`vocabulary.txt` in
            the `assets/` of `.keras` files and presets), not in the config.
        sequence_length: int or None. If set, outputs are padded with 0 or
            truncated to this length (a dense tensor); otherwise ragged.
        lowercase: bool. Lowercase the text (uncased BERT checkpoints).
        strip_accents: bool or None. Remove accents; None follows `lowercase`.
        split_on_cjk: bool. Make each CJK ideograph a word.
        suffix_indicator: str. Prefix of word-continuation pieces.
        unknown_token: str. Token for words that cannot be split.
        special_tokens: list of str or None. Tokens recognised verbatim inside
            raw strings; by default those of `"[PAD]"`, `"[UNK]"`, `"[CLS]"`,
            `"[SEP]"`, `"[MASK]"` present in the vocabulary. Pass `[]` to treat
            them as ordinary text.
        max_input_chars_per_word: int. Longer words become `unknown_token`.
        **kwargs: Keras layer arguments, and the keyword-only `split`
            (bool, default True). With `split=False` the
            inputs are words already split (as in keras-nlp 0.15): a
            sequence of words, or a batch of them, each only normalized and
            split into pieces; a word equal to one of `special_tokens` is
            that token (never lowercased).
            keras-nlp 0.15 spellings still work with a `DeprecationWarning`:
            `oov_token` (now `unknown_token`) and
            `special_tokens_in_strings=False` (now `special_tokens=[]`).
        dtype: `"int32"` or `"int64"` for ids, `"string"` for token pieces.

    Call arguments:
        inputs: a str, a list of str, or a `tf.string` tensor of rank 0 or 1.

    Output shape:
        `(batch_size, None)` ragged ids, or `(batch_size, sequence_length)`
        when `sequence_length` is set; one dimension less for a scalar input.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "qu",
    ...          "##ick", "fox", "."]
    >>> tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocab)
    >>> tokenizer(["The QUICK [MASK]."]).to_list()
    [[5, 6, 7, 4, 9]]
    >>> tokenizer.detokenize([[5, 6, 7, 8]]).numpy()
    array([b'the quick fox'], dtype=object)
    """

    def __init__(
        self,
        vocabulary,
        sequence_length=None,
        lowercase=True,
        strip_accents=None,
        split_on_cjk=True,
        suffix_indicator="##",
        unknown_token="[UNK]",
        special_tokens=None,
        max_input_chars_per_word=100,
        dtype="int32",
        **kwargs,
    ):
        unknown_token = pop_renamed(
            kwargs,
            "oov_token",
            "unknown_token",
            unknown_token,
            "[UNK]",
            "WordPieceTokenizer",
        )
        split = kwargs.pop("split", True)
        if not isinstance(split, bool):
            raise TypeError(
                f"`split` must be True or False. Received: split={split!r}."
            )
        if "special_tokens_in_strings" in kwargs:
            in_strings = kwargs.pop("special_tokens_in_strings")
            warnings.warn(
                "`WordPieceTokenizer(special_tokens_in_strings=...)` is the "
                "keras-nlp 0.15 spelling; use `special_tokens=` instead: the "
                "tokens listed there are recognised in raw strings "
                "(`special_tokens=[]` for none).",
                DeprecationWarning,
                stacklevel=2,
            )
            if not in_strings:
                special_tokens = []
        super().__init__(dtype=dtype, **kwargs)
        if sequence_length is not None and (
            not isinstance(sequence_length, int) or sequence_length < 1
        ):
            raise ValueError(
                "`sequence_length` must be a positive int or None. Received: "
                f"sequence_length={sequence_length!r}."
            )
        if (
            not isinstance(max_input_chars_per_word, int)
            or max_input_chars_per_word < 1
        ):
            raise ValueError(
                "`max_input_chars_per_word` must be a positive int. Received: "
                f"{max_input_chars_per_word!r}."
            )
        self.sequence_length = sequence_length
        self.split = split
        self.lowercase = bool(lowercase)
        self.strip_accents = strip_accents
        self.split_on_cjk = bool(split_on_cjk)
        self.suffix_indicator = suffix_indicator
        self.unknown_token = unknown_token
        self.max_input_chars_per_word = max_input_chars_per_word
        self._special_tokens_arg = (
            None if special_tokens is None else list(special_tokens)
        )
        self._eager_fn = None
        self._eager_offsets_fn = None
        if isinstance(vocabulary, FromAssets):
            # Rebuilt from a config: the vocabulary comes with the assets.
            self.vocabulary = None
            self._pending = vocabulary
            self.special_tokens = list(special_tokens or [])
            for name in SPECIAL_TOKENS:
                attribute = name.strip("[]").lower() + "_token_id"
                setattr(self, attribute, vocabulary.special_token_ids.get(name))
            return
        if vocabulary is None:
            raise ValueError(
                "`vocabulary` is required: a list of tokens or the path of a "
                "file with one token per line (see "
                "`compute_word_piece_vocabulary`). Received: vocabulary=None."
            )
        self._pending = None
        self._set_vocabulary(load_vocabulary(vocabulary))

    def _set_vocabulary(self, tokens):
        """Checks `tokens` and builds the tokenizer around them."""
        if not tokens:
            raise ValueError("`vocabulary` is empty. Pass at least `unknown_token`.")
        if len(set(tokens)) != len(tokens):
            seen, repeated = set(), []
            for t in tokens:
                if t in seen:
                    repeated.append(t)
                seen.add(t)
            raise ValueError(
                "`vocabulary` has repeated tokens, so ids would be ambiguous: "
                f"{repeated[:5]}. Remove the duplicates."
            )
        if self.unknown_token not in tokens:
            raise ValueError(
                f"`vocabulary` has no unknown token {self.unknown_token!r}, "
                "which words outside the vocabulary map to. Add it to the "
                "vocabulary (BERT vocabularies start with [PAD], [UNK], [CLS], "
                "[SEP], [MASK]) or set `unknown_token`."
            )
        if self._special_tokens_arg is None:
            special_tokens = [t for t in SPECIAL_TOKENS if t in tokens]
        else:
            special_tokens = list(self._special_tokens_arg)
            missing = [t for t in special_tokens if t not in tokens]
            if missing:
                raise ValueError(
                    f"`special_tokens` {missing} are not in the vocabulary. "
                    "Add them to the vocabulary or remove them from "
                    "`special_tokens`."
                )
        self.vocabulary = tokens
        self.special_tokens = special_tokens
        self._index_cache = None
        for name in SPECIAL_TOKENS:
            attribute = name.strip("[]").lower() + "_token_id"
            setattr(self, attribute, tokens.index(name) if name in tokens else None)
        self._build_tokenizer()

    def set_vocabulary(self, vocabulary):
        """Replaces the vocabulary (as in keras-nlp 0.15).

        The settings (casing, special tokens, ...) stay; the ids of the
        special tokens are looked up again.

        Args:
            vocabulary: a list of tokens or the path of a file with one
                token per line.
        """
        self._set_vocabulary(load_vocabulary(vocabulary))
        self._pending = None

    def _special_token_ids(self):
        return {
            name: getattr(self, name.strip("[]").lower() + "_token_id")
            for name in SPECIAL_TOKENS
            if getattr(self, name.strip("[]").lower() + "_token_id") is not None
        }

    def _require_vocabulary(self):
        if self.vocabulary is None:
            raise pending_vocabulary_error(self)

    def save_assets(self, dir_path):
        """Writes the vocabulary to `dir_path/vocabulary.txt`."""
        self._require_vocabulary()
        for token in self.vocabulary:
            if "\n" in token or "\r" in token:
                raise ValueError(
                    f"Token {token!r} contains a line break, so the vocabulary "
                    f"cannot be saved as {VOCABULARY_FILE} (one token per "
                    "line). Remove line breaks from the vocabulary."
                )
        path = os.path.join(dir_path, VOCABULARY_FILE)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("".join(token + "\n" for token in self.vocabulary))

    def load_assets(self, dir_path):
        """Reads the vocabulary from `dir_path/vocabulary.txt`."""
        path = self._asset_path(
            dir_path, VOCABULARY_FILE, self.vocabulary is not None, "vocabulary"
        )
        if path is None:
            return
        with open(path, encoding="utf-8", newline="") as f:
            tokens = f.read().split("\n")
        if tokens and tokens[-1] == "":
            tokens.pop()
        pending = self._pending
        if pending is not None:
            found = self._vocabulary_summary(tokens)
            expected = (pending.vocabulary_size, pending.special_token_ids)
            if found != expected:
                raise asset_mismatch_error(
                    path,
                    f"{expected[0]} tokens with special token ids {expected[1]}",
                    f"{found[0]} tokens with {found[1]}",
                )
        self._pending = None
        self._set_vocabulary(tokens)

    @staticmethod
    def _vocabulary_summary(tokens):
        return len(tokens), {t: tokens.index(t) for t in SPECIAL_TOKENS if t in tokens}

    def _word_pieces_only(self):
        """The vocabulary, with every token that no word split by BERT can
        contain (one with whitespace, punctuation or a CJK ideograph beside
        other characters, or a continuation of one such character) replaced
        by a string that normalized text never holds, keeping all ids.

        FastWordpiece's own word splitting would otherwise match, say,
        `"new york"` across the space.
        """
        keep = PUNCTUATION + CJK
        suffix = self.suffix_indicator
        suffixed = np.array(
            [len(t) > len(suffix) and t.startswith(suffix) for t in self.vocabulary]
        )
        body = tf.constant(
            [t[len(suffix) :] if s else t for t, s in zip(self.vocabulary, suffixed)],
            tf.string,
        )
        single = tf.strings.regex_full_match(body, f"[{keep}]").numpy()
        plain = tf.strings.regex_full_match(body, rf"[^{keep}\s\p{{Z}}]+").numpy()
        usable = plain | (single & ~suffixed)
        # A control character: cleaning removes every one from the text.
        mark = _MARK
        taken = set(self.vocabulary)
        while any(f"{mark}{i}" in taken for i in range(len(self.vocabulary))):
            mark += _MARK
        return [
            token if ok or token == self.unknown_token else f"{mark}{i}"
            for i, (token, ok) in enumerate(zip(self.vocabulary, usable))
        ]

    def _build_tokenizer(self):
        ids_dtype = tf.int64 if self._output_dtype == "int64" else tf.int32
        with tf.init_scope():
            self._fast_wordpiece = tf_text.FastWordpieceTokenizer(
                vocab=self.vocabulary,
                suffix_indicator=self.suffix_indicator,
                max_bytes_per_word=4 * self.max_input_chars_per_word,
                token_out_type=ids_dtype,
                unknown_token=self.unknown_token,
                no_pretokenization=True,
                support_detokenization=True,
            )
            # The fast path: FastWordpiece splitting words itself (on
            # whitespace, punctuation and CJK ideographs, as BERT does), so
            # no regex split. Its limit is in bytes: a longer word becomes
            # the unknown token, and every string holding one is redone
            # on the exact path (which counts characters).
            self._fast_wordpiece_e2e = None
            if self.split_on_cjk:
                try:
                    self._fast_wordpiece_e2e = tf_text.FastWordpieceTokenizer(
                        vocab=self._word_pieces_only(),
                        suffix_indicator=self.suffix_indicator,
                        max_bytes_per_word=self.max_input_chars_per_word,
                        token_out_type=ids_dtype,
                        unknown_token=self.unknown_token,
                        no_pretokenization=False,
                    )
                except RuntimeError:
                    # No token usable inside a word (e.g. only "[UNK]"): the
                    # exact pipeline alone.
                    self._fast_wordpiece_e2e = None
            self._unknown_id = self.vocabulary.index(self.unknown_token)
            self._vocab_tensor = tf.constant(self.vocabulary, dtype=tf.string)
        # Longest first, so that "[SEP]" never shadows a longer "[SEP2]".
        specials = sorted(self.special_tokens, key=len, reverse=True)
        # The invalid-UTF-8 marker is split out like a special token and
        # stands for the unknown token.
        self._specials = specials + [INVALID_UTF8]
        self._special_originals = specials + [self.unknown_token]
        self._special_pattern = "|".join([re.escape(t) for t in specials] + [r"\x02"])
        split_keep = PUNCTUATION + (CJK if self.split_on_cjk else "")
        self._keep_pattern = f"[{split_keep}]"
        self._delim_pattern = rf"\s+|{self._keep_pattern}"
        # Strings matching this take the exact path: a special token written
        # in the text (invalid UTF-8 and the characters the two word
        # splitters disagree on are caught by `_FAST_PATH_TEXT`).
        self._special_text_pattern = None
        if specials:
            escaped = "|".join(re.escape(t) for t in specials)
            self._special_text_pattern = f"(?s).*(?:{escaped}).*"
        # What rarely runs (redoing some strings on the exact pipeline) is one
        # function call that is never inlined, so the common path's graph
        # stays small: in tf.data every op costs per batch.
        self._mixed_fn = tf.function(
            self._mixed_flat,
            input_signature=[
                tf.TensorSpec([None], tf.string),
                tf.TensorSpec([None], tf.bool),
                tf.TensorSpec([None], ids_dtype),
                tf.TensorSpec([None], tf.int64),
            ],
            autograph=False,
            experimental_attributes={"_noinline": True},
        )
        self._eager_fn = None
        self._eager_offsets_fn = None

    def get_vocabulary(self):
        self._require_vocabulary()
        return list(self.vocabulary)

    def vocabulary_size(self):
        if self.vocabulary is None:
            return self._pending.vocabulary_size
        return len(self.vocabulary)

    def _words(self, strings):
        """Rank-1 raw strings -> ragged (batch, words) normalized words."""
        # Invalid UTF-8 becomes a marker word (the unknown token). NUL is
        # removed by cleaning too, but first: regex_split stops at it.
        strings = repair_utf8(strings)
        strings = tf.strings.regex_replace(strings, "\x00", "")
        if self._special_pattern is not None:
            # Split out special tokens as written in the raw text, with NUL
            # (now absent) as the separator. Core ops only: tensorflow-text's
            # regex_split costs a fixed ~tens of ms per tf.data pass even in
            # a branch that never runs.
            pieces = tf.strings.split(
                tf.strings.regex_replace(
                    strings, f"({self._special_pattern})", "\x00\\1\x00"
                ),
                sep="\x00",
            )
            flat = pieces.flat_values
            normalized = bert_normalize(flat, self.lowercase, self.strip_accents)
            # A special token becomes " \x01<index> ": one word, never altered.
            special_index = tf.fill(tf.shape(flat), -1)
            for i, token in enumerate(self._specials):
                special_index = tf.where(tf.equal(flat, token), i, special_index)
            marked = tf.strings.join(
                [" " + _MARK, tf.strings.as_string(special_index), " "]
            )
            flat = tf.where(special_index >= 0, marked, normalized)
            # `reduce_join(..., axis=-1)` of the ragged pieces: the same op
            # on the same row ids, without its generic row-id graph.
            strings = tf.strings.unsorted_segment_join(
                flat, row_ids(pieces.row_splits), pieces.nrows()
            )
        else:
            strings = bert_normalize(strings, self.lowercase, self.strip_accents)
        # Whitespace separates words; punctuation and CJK are words themselves.
        # Cleaning left only " " as whitespace (and no NUL).
        spaced = tf.strings.regex_replace(strings, f"({self._keep_pattern})", r" \1 ")
        return tf.strings.split(spaced)

    def _tokenize_rank1(self, strings):
        """Rank-1 raw strings -> formatted ids: the fast path where it is
        exact, the exact pipeline (`_exact_ids`) for the other strings.

        The common case (no string needs the exact pipeline) costs a few
        batch-wide ops and one scalar `tf.cond`: which strings to redo is
        worked out only in the branch that redoes them.
        """
        if self._fast_wordpiece_e2e is None:
            return self._format_tokens(self._exact_ids(strings))
        # Valid UTF-8 without a character the word splitters disagree on.
        plain = tf.strings.regex_full_match(strings, _FAST_PATH_TEXT)
        needs_exact = ~plain
        if self._special_text_pattern is not None:
            needs_exact |= tf.strings.regex_full_match(
                strings, self._special_text_pattern
            )
        # One batch-wide pass: normalize (FastWordpiece treats every Unicode
        # space as a separator, so whitespace needs no mapping), then split
        # and match pieces in one op. Other strings are redone anyway.
        normalized = self._fast_normalize(tf.where(plain, strings, ""))
        ids = self._fast_wordpiece_e2e.tokenize(normalized)
        # An unknown piece may be a word over the byte limit but within the
        # character limit: such strings are redone too (rare in real text).
        values, splits = ids.flat_values, ids.row_splits
        redo = tf.reduce_any(needs_exact) | tf.reduce_any(
            tf.equal(values, tf.cast(self._unknown_id, values.dtype))
        )
        values, splits = tf.cond(
            redo,
            lambda: self._mixed_fn(strings, needs_exact, values, splits),
            lambda: (values, splits),
        )
        tokens = tf.RaggedTensor.from_row_splits(values, splits, validate=False)
        return self._format_tokens(tokens)

    def _mixed_flat(self, strings, needs_exact, values, splits):
        """The fast path's ids with the strings it may get wrong redone."""
        ids = tf.RaggedTensor.from_row_splits(values, splits, validate=False)
        unknown = tf.equal(values, tf.cast(self._unknown_id, values.dtype))
        needs_exact |= (
            tf.math.unsorted_segment_max(
                tf.cast(unknown, tf.int32), row_ids(splits), ids.nrows()
            )
            > 0
        )
        index = tf.where(needs_exact)[:, 0]
        exact = self._exact_ids(tf.gather(strings, index))
        count = tf.shape(strings, out_type=tf.int64)[0]
        rows = tf.concat([ids, exact], axis=0)
        # Row i of the output: row i of `ids`, or its exact redo.
        redo_row = count + tf.cumsum(tf.cast(needs_exact, tf.int64), exclusive=True)
        merged = tf.gather(rows, tf.where(needs_exact, redo_row, tf.range(count)))
        return merged.flat_values, merged.row_splits

    def _fast_normalize(self, strings):
        """`bert_normalize` of valid UTF-8 in fewer passes, whitespace kept.

        With accent stripping, NFD comes first and one regex removes both
        what cleaning removes and the non-spacing marks: NFD neither makes
        nor changes removed characters, and all marks go, so their order
        (which a removed character between two of them could change)
        does not matter.
        """
        strip_accents = self.strip_accents
        if strip_accents is None:
            strip_accents = self.lowercase
        if not strip_accents:
            return bert_normalize(strings, self.lowercase, False, whitespace=False)
        strings = tf_text.normalize_utf8(strings, "NFD")
        strings = tf.strings.regex_replace(strings, rf"{_REMOVED}|\p{{Mn}}", "")
        if self.lowercase:
            strings = tf.strings.regex_replace(strings, "\u03a3", "\u03c3")
            strings = tf.strings.lower(strings, encoding="utf-8")
        return strings

    def _exact_ids(self, strings):
        """Rank-1 raw strings -> ragged ids through the full pipeline."""
        words = self._words(strings)
        flat_words = words.flat_values
        is_special = tf.strings.regex_full_match(flat_words, _MARK + "[0-9]+")
        if self._specials:
            digits = tf.where(is_special, tf.strings.substr(flat_words, 1, 8), "0")
            index = tf.strings.to_number(digits, out_type=tf.int32)
            originals = tf.gather(tf.constant(self._special_originals), index)
            flat_words = tf.where(is_special, originals, flat_words)
        # BERT limits words in characters (FastWordpiece counts bytes): an
        # over-long word becomes the unknown token, which is one piece.
        too_long = tf.strings.length(flat_words, unit="UTF8_CHAR") > (
            self.max_input_chars_per_word
        )
        flat_words = tf.where(too_long, self.unknown_token, flat_words)
        pieces = self._fast_wordpiece.tokenize(flat_words)
        # The pieces of each string's words (`merge_dims` without its
        # runtime checks: they add branches that every tf.data pass pays
        # for when it instantiates the graph).
        return tf.RaggedTensor.from_row_splits(
            pieces.flat_values,
            tf.gather(pieces.row_splits, words.row_splits),
            validate=False,
        )

    def _tokenize_words(self, inputs):
        """`split=False`: pre-split words -> the pieces of each sequence.

        A rank-1 input is one sequence of words, a rank-2 (ragged) input a
        batch of them; every string is one word (normalized, never split).
        """
        if (
            isinstance(inputs, (list, tuple))
            and inputs
            and all(isinstance(row, (list, tuple)) for row in inputs)
        ):
            words = tf.ragged.constant([list(row) for row in inputs], dtype=tf.string)
            unbatched = False
        else:
            words, scalar = to_string_tensor(inputs)
            if scalar:
                words = words[tf.newaxis]
            unbatched = words.shape.rank == 1
            if unbatched:
                words = words[tf.newaxis]
        if words.shape.rank != 2:
            raise ValueError(
                "With `split=False`, `inputs` must be words: a sequence of "
                "words (rank 1) or a batch of them (rank 2). Received shape "
                f"{words.shape}."
            )
        if not isinstance(words, tf.RaggedTensor):
            words = tf.RaggedTensor.from_tensor(words)
        raw = words.flat_values
        # A word with invalid UTF-8 bytes is the unknown token as a whole.
        invalid = tf.not_equal(repair_utf8(raw), raw)
        flat = bert_normalize(
            tf.where(invalid, "", raw), self.lowercase, self.strip_accents
        )
        too_long = tf.strings.length(flat, unit="UTF8_CHAR") > (
            self.max_input_chars_per_word
        )
        too_long |= invalid
        # A word that is exactly a special token stays as written.
        for token in self.special_tokens:
            flat = tf.where(tf.equal(raw, token), token, flat)
        flat = tf.where(too_long, self.unknown_token, flat)
        pieces = self._fast_wordpiece.tokenize(flat)
        tokens = self._format_tokens(words.with_flat_values(pieces).merge_dims(-2, -1))
        return tokens[0] if unbatched else tokens

    def tokenize(self, inputs):
        """Strings -> token ids (ragged, or dense with `sequence_length`)."""
        self._require_vocabulary()
        if not self.split:
            return self._tokenize_words(inputs)
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
            # Eager calls (Python lists) run one compiled graph, not op by op.
            if self._eager_fn is None:
                self._eager_fn = tf.function(
                    self._tokenize_rank1,
                    input_signature=[tf.TensorSpec([None], tf.string)],
                )
            tokens = self._eager_fn(strings)
        else:
            tokens = self._tokenize_rank1(strings)
        if unbatched:
            tokens = tokens[0]
        return tokens

    def _offsets_rank1(self, strings):
        """Rank-1 raw strings -> ragged (ids, starts, ends), byte offsets.

        The same pipeline as `_tokenize_rank1`, but words are found in the
        raw text (so their positions are known) and normalized character by
        character (so every normalized byte has a raw character it came
        from).
        """
        strings = repair_utf8(strings)
        # NUL stops regex_split; \x01 has the same length and is cleaned away.
        strings = tf.strings.regex_replace(strings, "\x00", "\x01")
        keep = self._keep_pattern
        if self._special_pattern is not None:
            keep = f"{self._special_pattern}|{keep}"
        words, word_starts, _ = tf_text.regex_split_with_offsets(
            strings, rf"{keep}|[\t\n\r\p{{Z}}]+", keep
        )
        flat_words = words.flat_values
        is_special = tf.zeros(tf.shape(flat_words), tf.bool)
        for token in self._specials:
            is_special |= tf.equal(flat_words, token)
        chars, char_starts = tf.strings.unicode_split_with_offsets(flat_words, "UTF-8")
        normalized = bert_normalize(
            chars.flat_values, self.lowercase, self.strip_accents
        )
        char_is_special = tf.repeat(is_special, chars.row_lengths())
        normalized = tf.where(char_is_special, chars.flat_values, normalized)
        char_ends = char_starts + tf.cast(tf.strings.length(chars), tf.int64)
        # Raw word start of every character, then each normalized byte's owner.
        word_of_char = chars.value_rowids()
        word_start_flat = tf.cast(word_starts.flat_values, tf.int64)
        raw_char_start = tf.gather(word_start_flat, word_of_char) + tf.cast(
            char_starts.flat_values, tf.int64
        )
        raw_char_end = tf.gather(word_start_flat, word_of_char) + tf.cast(
            char_ends.flat_values, tf.int64
        )
        byte_owner = tf.repeat(
            tf.range(tf.size(normalized, out_type=tf.int64)),
            tf.cast(tf.strings.length(normalized), tf.int64),
        )
        normalized_words = tf.strings.reduce_join(
            chars.with_flat_values(normalized), axis=-1
        )
        word_byte_start = tf.cumsum(
            tf.cast(tf.strings.length(normalized_words), tf.int64), exclusive=True
        )
        # Normalization may reveal punctuation (e.g. U+1FEF -> "`"): split again.
        sub, sub_starts, sub_ends = tf_text.regex_split_with_offsets(
            normalized_words, rf"{keep}|\s+", keep
        )
        flat_sub = sub.flat_values
        too_long = tf.strings.length(flat_sub, unit="UTF8_CHAR") > (
            self.max_input_chars_per_word
        )
        # Over-long words and invalid UTF-8 are the unknown token.
        too_long |= tf.equal(flat_sub, INVALID_UTF8)
        flat_sub = tf.where(too_long, self.unknown_token, flat_sub)
        ids, piece_starts, piece_ends = self._fast_wordpiece.tokenize_with_offsets(
            flat_sub
        )
        # A replaced word is one piece spanning the whole word.
        sub_length = tf.cast(sub_ends.flat_values - sub_starts.flat_values, tf.int64)
        piece_starts = tf.cast(piece_starts, tf.int64)
        piece_ends = tf.cast(piece_ends, tf.int64)
        replaced = tf.repeat(too_long, ids.row_lengths())
        piece_ends = piece_ends.with_flat_values(
            tf.where(
                replaced,
                tf.repeat(sub_length, ids.row_lengths()),
                piece_ends.flat_values,
            )
        )
        piece_starts = piece_starts.with_flat_values(
            tf.where(
                replaced,
                tf.zeros_like(piece_starts.flat_values),
                piece_starts.flat_values,
            )
        )
        # Piece offsets inside the normalized corpus of all words.
        sub_global = tf.gather(word_byte_start, sub.value_rowids()) + tf.cast(
            sub_starts.flat_values, tf.int64
        )
        piece_base = tf.repeat(sub_global, ids.row_lengths())
        start_byte = piece_base + piece_starts.flat_values
        end_byte = piece_base + piece_ends.flat_values - 1
        starts = tf.gather(raw_char_start, tf.gather(byte_owner, start_byte))
        ends = tf.gather(raw_char_end, tf.gather(byte_owner, end_byte))
        # Regroup: pieces of sub-words of words of strings.
        pieces_per_word = tf.math.unsorted_segment_sum(
            ids.row_lengths(), sub.value_rowids(), tf.size(flat_words, tf.int64)
        )
        pieces_per_string = tf.math.unsorted_segment_sum(
            pieces_per_word, words.value_rowids(), tf.shape(strings, tf.int64)[0]
        )
        ids = tf.RaggedTensor.from_row_lengths(ids.flat_values, pieces_per_string)
        starts = ids.with_flat_values(starts)
        ends = ids.with_flat_values(ends)
        return ids, starts, ends

    def tokenize_with_offsets(self, inputs):
        """Strings -> `(token_ids, starts, ends)`, ragged, with byte offsets.

        `starts[i][k]:ends[i][k]` is the span of the UTF-8 bytes of
        `inputs[i]` that token `k` comes from (the whole word for an unknown
        or over-long word, the whole special token for one written in the
        text). The ids are those of `tokenize`. Each run of invalid UTF-8
        bytes is first replaced with one byte (it becomes the unknown token),
        so offsets refer to the repaired string; for valid text they refer
        to the input itself.

        Args:
            inputs: a str, a list of str or a rank 0/1 `tf.string` tensor.

        Returns:
            Three ragged int tensors of shape `(batch_size, None)` (one
            dimension less for a scalar input); offsets are int64.
        """
        self._require_vocabulary()
        strings, unbatched = to_string_batch(inputs)
        if tf.executing_eagerly():
            if self._eager_offsets_fn is None:
                self._eager_offsets_fn = tf.function(
                    self._offsets_rank1,
                    input_signature=[tf.TensorSpec([None], tf.string)],
                )
            outputs = self._eager_offsets_fn(strings)
        else:
            outputs = self._offsets_rank1(strings)
        ids, starts, ends = outputs
        if self._output_dtype == "string":
            ids = ids.with_flat_values(tf.gather(self._vocab_tensor, ids.flat_values))
        if unbatched:
            return ids[0], starts[0], ends[0]
        return ids, starts, ends

    def detokenize(self, inputs):
        """Token ids -> strings, pieces merged into words.

        Args:
            inputs: integer ids: one sequence (rank 1, gives a scalar string)
                or a batch (rank 2, dense or ragged; gives a string vector).

        Raises:
            TypeError: for ids that are not integers (floats are never
                truncated).
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
        # In range, so the cast cannot wrap around.
        ids = tf.cast(ids, tf.int64 if self._output_dtype == "int64" else tf.int32)
        text = self._fast_wordpiece.detokenize(ids)
        if unbatched:
            text = text[0]
        return text

    def get_config(self):
        config = super().get_config()
        summary = None
        if self.vocabulary is not None:
            summary = len(self.vocabulary), self._special_token_ids()
        config.update(self._asset_config("vocabulary", summary))
        config.update(
            {
                "sequence_length": self.sequence_length,
                "lowercase": self.lowercase,
                "strip_accents": self.strip_accents,
                "split_on_cjk": self.split_on_cjk,
                "suffix_indicator": self.suffix_indicator,
                "unknown_token": self.unknown_token,
                "special_tokens": list(self.special_tokens),
                "max_input_chars_per_word": self.max_input_chars_per_word,
                "split": self.split,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**cls._config_with_assets(config, "vocabulary", "a `vocabulary`"))


def normalized_words(tokenizer, strings):
    """Rank-1 raw strings -> ragged `(batch, words)`: the words that
    `tokenizer` normalizes and splits before its WordPiece lookup (the
    vocabulary learner counts these)."""
    return tokenizer._words(strings)
