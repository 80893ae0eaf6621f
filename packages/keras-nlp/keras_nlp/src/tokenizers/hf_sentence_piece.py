# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""SentencePiece tokenisation the way HuggingFace's fast tokenizers do it.

`transformers`' fast tokenizers for SentencePiece families (XLM-RoBERTa,
ALBERT, ...) do not run the SentencePiece library: they rebuild its pieces
as a `tokenizers` pipeline, which differs from SentencePiece's own
`Encode` in four ways that change ids on real text:

1. Special tokens written in the text (`<mask>`, `[SEP]`, ...) are found
   first, in the raw text, and become their ids.
2. The model's normalisation table (its "precompiled charsmap") is applied
   per extended grapheme cluster: a cluster shorter than 6 bytes is replaced
   as a whole by the value of the *shortest* table key it starts with
   (SentencePiece takes the longest key at each position), so `"o" + U+0308
   + U+0304` becomes `"ö"`; other clusters are mapped character by
   character. NUL is kept (SentencePiece's ops stop at it).
3. The text is split into words at Unicode `White_Space` (SentencePiece
   knows only the ASCII space after normalisation), and each word that does
   not start with "▁" gets one (`Metaspace`).
4. The pieces of each word (each "▁" and the text up to the next one)
   are found by the unigram Viterbi search in float64, where an exact tie
   goes to the segmentation with the longest last piece.

`HuggingFaceSentencePiece` reproduces all four with TensorFlow and
tensorflow-text ops (so it runs in `tf.data` and in SavedModels); step 4
is `UnigramSearch` (tensorflow-text's SentencePiece op searches in float32
and breaks exact ties another way, e.g. on long runs of one character).
Families add their own steps before it (ALBERT: NFKD, accent stripping,
lowercasing) and give their own vocabulary (XLM-RoBERTa's fairseq ids).
"""

import re
import struct

import tensorflow as tf

from keras_nlp.src.tokenizers.unigram_search import HandleTable
from keras_nlp.src.tokenizers.unigram_search import UnigramSearch
from keras_nlp.src.tokenizers.unigram_search import mask
from keras_nlp.src.tokenizers.unigram_search import rowids
from keras_nlp.src.tokenizers.unigram_search import unicode_chars
from keras_nlp.src.utils.lazy import LazyModule

tf_text = LazyModule("tensorflow_text")

# Unicode White_Space, what HuggingFace's `WhitespaceSplit` splits at.
WHITE_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Characters that extend a grapheme cluster (combining marks, ZWNJ, ZWJ,
# emoji modifiers, tags); with CR LF, the clusters the table lookup needs.
_EXTEND = r"[\p{M}\x{200C}\x{200D}\x{1F3FB}-\x{1F3FF}\x{E0020}-\x{E007F}]"
_CONTROL = r"[\p{Cc}\p{Zl}\p{Zp}\x{200B}\x{2060}-\x{206F}\x{FEFF}\x{FFF0}-\x{FFFB}]"
_MISSING = "\x00\x01missing"
# NUL, which tensorflow-text's SentencePiece op cannot take, is given to it
# as this noncharacter: both are unknown pieces to the model.
NUL_STAND_INS = [chr(c) for c in range(0xFDD0, 0xFDF0)]
METASPACE = "\u2581"
# Traced eager tokenizers, shared by every pipeline with the same static
# settings: the vocabulary and tables are arguments (see `tokenize`).
_SHARED_FUNCTIONS = {}


def charsmap_table(blob, max_key_bytes=None):
    """Every entry of a SentencePiece precompiled charsmap, as a dict.

    The blob is a little-endian uint32 size, a darts-clone double array of
    that many bytes (the keys), then the NUL-terminated values.

    Args:
        blob: `normalizer_spec.precompiled_charsmap` of a model.
        max_key_bytes: int or None. Only keys up to this many bytes.

    Returns:
        dict from key bytes to value bytes.
    """
    if not blob:
        return {}
    (size,) = struct.unpack("<I", blob[:4])
    units = struct.unpack(f"<{size // 4}I", blob[4 : 4 + size])
    values = blob[4 + size :]

    def offset(unit):
        return (unit >> 10) << ((unit & (1 << 9)) >> 6)

    def label(unit):
        return unit & ((1 << 31) | 0xFF)

    table = {}
    stack = [(offset(units[0]), b"")]
    while stack:
        position, key = stack.pop()
        if max_key_bytes is not None and len(key) >= max_key_bytes:
            continue
        for byte in range(1, 256):
            child = position ^ byte
            if child >= len(units) or label(units[child]) != byte:
                continue
            following = child ^ offset(units[child])
            if (units[child] >> 8) & 1:
                start = units[following] & ((1 << 31) - 1)
                table[key + bytes([byte])] = values[start : values.index(b"\0", start)]
            stack.append((following, key + bytes([byte])))
    return table


def without_normalization(proto):
    """The model with an identity normaliser (whitespace handling kept)."""
    from sentencepiece import sentencepiece_model_pb2

    model = sentencepiece_model_pb2.ModelProto()
    model.ParseFromString(proto)
    charsmap = model.normalizer_spec.precompiled_charsmap
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.precompiled_charsmap = b""
    return model, charsmap, model.SerializeToString()


class HuggingFaceSentencePiece:
    """Raw strings -> SentencePiece ids, as HuggingFace's fast tokenizers.

    Not a layer: the family tokenizers own one and track its TensorFlow
    resources (tables and the SentencePiece model).

    Args:
        proto: the serialized SentencePiece model.
        special_tokens: dict from special token text to the id it becomes
            when written in the text.
        dtype: the ids' dtype (`tf.int32` or `tf.int64`).
        vocabulary: list of `(piece, score)` in id order, HuggingFace's
            vocabulary for the model, or None for the model's own pieces.
        unk_id: the id of the unknown piece in `vocabulary`, or None for the
            model's own.
    """

    def __init__(
        self, proto, special_tokens, dtype=tf.int32, vocabulary=None, unk_id=None
    ):
        model, charsmap, _ = without_normalization(proto)
        pieces = [p.piece for p in model.pieces]
        self.nul_stand_in = next(
            c for c in NUL_STAND_INS if not any(c in p for p in pieces)
        )
        if vocabulary is None:
            vocabulary = [(p.piece, p.score) for p in model.pieces]
            unk_id = model.trainer_spec.unk_id
        # HuggingFace looks up whole clusters only below 6 bytes; single
        # characters are at most 4.
        table = charsmap_table(charsmap, max_key_bytes=5)
        keys = [k.decode("utf-8") for k in table]
        values = [v.decode("utf-8") for v in table.values()]
        self.dtype = dtype
        self.special_tokens = dict(special_tokens)
        with tf.init_scope():
            self.table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(
                    tf.constant(keys or [_MISSING], tf.string),
                    tf.constant(values or [_MISSING], tf.string),
                ),
                default_value=_MISSING,
            )
            if self.special_tokens:
                self.special_table = tf.lookup.StaticHashTable(
                    tf.lookup.KeyValueTensorInitializer(
                        tf.constant(list(self.special_tokens)),
                        tf.constant(list(self.special_tokens.values()), dtype),
                    ),
                    default_value=tf.constant(-1, dtype),
                )
        self.search = UnigramSearch(
            [p for p, _ in vocabulary], [s for _, s in vocabulary], unk_id, dtype
        )
        # Longest first: HuggingFace matches the longest special token.
        ordered = sorted(self.special_tokens, key=len, reverse=True)
        self.special_pattern = "|".join(re.escape(t) for t in ordered)

    def trackables(self):
        """The TensorFlow resources to track (for SavedModels)."""
        out = [self.table] + self.search.trackables()
        if self.special_tokens:
            out.append(self.special_table)
        return out

    def split_special_tokens(self, strings):
        """Rank-1 strings -> (segments [batch, None], is_special flat bool)."""
        segments, row, special = self._split_special_flat(strings)
        segments = tf.RaggedTensor.from_value_rowids(
            segments, row, nrows=tf.size(strings, tf.int64), validate=False
        )
        return segments, special

    def _split_special_flat(self, strings):
        """Rank-1 strings -> flat `(segments, row, is_special)`."""
        if not self.special_tokens:
            row = tf.range(tf.size(strings, tf.int64))
            return strings, row, tf.zeros_like(row, tf.bool)
        segments, _, _, splits = regex_split(
            strings, self.special_pattern, self.special_pattern
        )
        found = self.special_table.lookup(segments)
        return segments, rowids(splits), found >= 0

    def normalize(self, strings):
        """The model's table, applied per grapheme cluster as HuggingFace does."""
        flat, splits, _ = unicode_chars(strings)
        extend = tf.strings.regex_full_match(flat, _EXTEND)
        previous = tf.concat([[""], flat[:-1]], axis=0)
        # Nothing extends a control character (Unicode's rule GB4), but LF
        # extends CR.
        after_control = tf.strings.regex_full_match(previous, _CONTROL)
        extend = tf.logical_and(extend, tf.logical_not(after_control))
        extend |= tf.logical_and(tf.equal(flat, "\n"), tf.equal(previous, "\r"))
        # (One slot more: an empty last string starts at the end.)
        first = tf.scatter_nd(
            tf.expand_dims(splits[:-1], 1),
            tf.ones_like(splits[:-1], tf.int32),
            tf.shape(flat, out_type=tf.int64) + 1,
        )[:-1]
        starts = tf.logical_or(tf.logical_not(extend), first > 0)
        cluster_of_char = tf.cumsum(tf.cast(starts, tf.int64)) - 1
        num_clusters = tf.reduce_sum(tf.cast(starts, tf.int64))
        cluster_start = mask(tf.range(tf.size(flat, tf.int64)), starts)
        # Each character's place in its cluster, and each cluster's length.
        place = tf.range(tf.size(flat, tf.int64)) - tf.gather(
            cluster_start, cluster_of_char
        )
        lengths = (
            tf.concat([cluster_start[1:], tf.size(flat, tf.int64)[None]], 0)
            - cluster_start
        )

        def join(values):
            return tf.strings.unsorted_segment_join(
                values, cluster_of_char, num_clusters
            )

        # Per character: the table's value, or the character.
        mapped = self.table.lookup(flat)
        mapped = tf.where(tf.equal(mapped, _MISSING), flat, mapped)
        per_char = join(mapped)
        # Whole clusters under 6 bytes: the value of the shortest key that
        # the cluster starts with.
        whole = join(flat)
        short = tf.strings.length(whole) < 6
        result = tf.fill(tf.shape(whole), _MISSING)
        for size in range(5, 0, -1):
            prefix = join(tf.where(place < size, flat, ""))
            value = self.table.lookup(prefix)
            use = short & (lengths >= size) & tf.not_equal(value, _MISSING)
            result = tf.where(use, value, result)
        normalized = tf.where(tf.equal(result, _MISSING), per_char, result)
        # Back to one string per input.
        return tf.strings.unsorted_segment_join(
            normalized,
            tf.gather(rowids(splits), cluster_start),
            tf.size(strings, tf.int64),
        )

    def word_pieces(self, words):
        """Rank-1 words -> `(ids, starts, ends)` ragged `[words, None]`.

        `Metaspace`: a word gets a leading "▁" unless it has one, and is
        cut before each "▁"; each part is searched on its own. Offsets are
        characters of the word without the added "▁".
        """
        ids, starts, ends, word = self._word_pieces_flat(words)
        return tuple(
            tf.RaggedTensor.from_value_rowids(
                x, word, nrows=tf.size(words, tf.int64), validate=False
            )
            for x in (ids, starts, ends)
        )

    def _word_pieces_flat(self, words):
        """`word_pieces`, flat: `(ids, starts, ends, word)` in word order."""
        has_space = tf.strings.regex_full_match(words, METASPACE + ".*")
        prefixed = tf.where(has_space, words, METASPACE + words)
        part = METASPACE + "[^" + METASPACE + "]*"
        parts, part_starts, _, part_splits = regex_split(prefixed, part, part)
        part_word = rowids(part_splits)
        ids, starts, ends, token_part = self.search.search_flat(parts)
        # Byte offsets of the parts -> characters of the word.
        part_chars = tf.strings.length(
            tf.strings.substr(
                tf.gather(prefixed, part_word),
                tf.zeros_like(part_starts),
                part_starts,
            ),
            unit="UTF8_CHAR",
        )
        shift = part_chars - tf.where(tf.gather(has_space, part_word), 0, 1)
        # The added "▁" belongs to the word's first character.
        shift = tf.cast(tf.gather(shift, token_part), tf.int64)
        starts = tf.maximum(starts + shift, 0)
        ends = tf.maximum(ends + shift, 0)
        return ids, starts, ends, tf.gather(part_word, token_part)

    def tokenize(self, strings, before_normalization=None):
        """Rank-1 strings -> ragged ids `[batch, None]`, as HuggingFace's.

        Args:
            strings: rank-1 `tf.string` tensor.
            before_normalization: a function of a rank-1 string tensor, the
                family's own steps (ALBERT's lowercasing, ...), or None.
        """
        if tf.executing_eagerly():
            # The search's loops run as a graph, not op by op. Tracing costs
            # about a CPU second, so one traced function serves every pipeline
            # with the same static settings: tables and vocabulary are its
            # arguments, not captured constants.
            key = (
                before_normalization,
                self.dtype,
                self.special_pattern,
                self.nul_stand_in,
            )
            function = _SHARED_FUNCTIONS.get(key)
            if function is None:
                function = _SHARED_FUNCTIONS[key] = _traced_tokenize(*key)
            special = self.special_table if self.special_tokens else self.table
            return function(
                strings,
                self.table.resource_handle,
                special.resource_handle,
                *self.search.tensors(),
            )
        return self._tokenize(strings, before_normalization)

    def tokenize_with_offsets(self, strings, before_normalization=None):
        """Rank-1 strings -> ragged `(ids, starts, ends)`, byte offsets.

        The ids are those of `tokenize`. `strings[i][starts[i][k]:ends[i][k]]`
        (UTF-8 bytes) is the text token `k` comes from, as HuggingFace's
        `offset_mapping` (which counts characters) follows each normalised
        character to the raw character it came from: a token spans from its
        first character's raw character to its last one's; the "▁" a word
        starts with belongs to the word's first character (so a token that
        is only "▁" spans that character); a character the table replaces
        together with the marks that follow it (a grapheme cluster) comes
        from the cluster's first character; characters a family's steps or
        the table add come from the character they were made of. A special
        token written in the text spans itself.

        Args:
            strings: rank-1 `tf.string` tensor.
            before_normalization: as in `tokenize`; applied here to one
                raw character at a time (which is what it does to valid
                text, but for `` and '' which become one ").
        """
        if tf.executing_eagerly():
            key = (
                "offsets",
                before_normalization,
                self.dtype,
                self.special_pattern,
                self.nul_stand_in,
            )
            function = _SHARED_FUNCTIONS.get(key)
            if function is None:
                function = _SHARED_FUNCTIONS[key] = _traced_tokenize(
                    *key[1:], offsets=True
                )
            special = self.special_table if self.special_tokens else self.table
            return function(
                strings,
                self.table.resource_handle,
                special.resource_handle,
                *self.search.tensors(),
            )
        return self._offsets(strings, before_normalization)

    def _offsets(self, strings, before_normalization):
        ids, starts, ends, row = self._offsets_flat(strings, before_normalization)
        nrows = tf.size(strings, tf.int64)
        return tuple(
            tf.RaggedTensor.from_value_rowids(x, row, nrows=nrows, validate=False)
            for x in (ids, starts, ends)
        )

    def _offsets_flat(self, strings, before_normalization):
        """`tokenize_with_offsets`, flat: `(ids, starts, ends, row)`."""
        # Raw characters, each with its global byte span (over all strings).
        raw, raw_splits, raw_byte_starts = unicode_chars(strings)
        string_bytes = tf.cast(tf.strings.length(strings), tf.int64)
        string_base = tf.cumsum(string_bytes, exclusive=True)
        raw_row = rowids(raw_splits)
        raw_start = tf.gather(string_base, raw_row) + raw_byte_starts
        raw_end = raw_start + tf.cast(tf.strings.length(raw), tf.int64)
        num_raw = tf.size(raw, tf.int64)
        # NUL goes through the ops as the stand-in (one character each).
        raw = tf.where(tf.equal(raw, "\x00"), self.nul_stand_in, raw)
        strings = tf.strings.unsorted_segment_join(
            raw, raw_row, tf.size(strings, tf.int64)
        )
        segments, segment_row, special = self._split_special_flat(strings)
        # Each raw character's segment (segments tile their strings, and NUL
        # stand-ins change byte lengths, so count in characters).
        segment_chars = tf.cast(tf.strings.length(segments, unit="UTF8_CHAR"), tf.int64)
        segment_of_raw = tf.repeat(tf.range(tf.size(segments, tf.int64)), segment_chars)
        # The family's steps, one raw character at a time.
        text = tf.where(tf.gather(special, segment_of_raw), "", raw)
        if before_normalization is not None:
            # Two-character replacements (ALBERT's `` -> "): the pair's
            # first character becomes nothing, its second the replacement
            # (where HuggingFace's alignment puts it).
            pairs = getattr(before_normalization, "pair_replacements", {})
            for character, replacement in pairs.items():
                text = _replace_pairs(text, segment_of_raw, character, replacement)
            text = before_normalization(text)
        chars, char_splits, _ = unicode_chars(text)
        source = rowids(char_splits)  # raw character of each character
        char_segment = tf.gather(segment_of_raw, source)
        # The table, per grapheme cluster of each segment.
        chars, source = self._normalize_chars(chars, char_segment, source)
        char_segment = tf.gather(segment_of_raw, source)
        # Words: runs of characters that are not white space.
        space = tf.strings.regex_full_match(chars, f"[{WHITE_SPACE}]")
        keep = tf.logical_not(space)
        chars = mask(chars, keep)
        source = mask(source, keep)
        char_segment = mask(char_segment, keep)
        position = mask(tf.range(tf.size(space, tf.int64)), keep)
        count = tf.size(chars, tf.int64)
        word_start = tf.concat(
            [
                tf.ones([tf.minimum(count, 1)], tf.bool),
                tf.not_equal(position[1:], position[:-1] + 1)
                | tf.not_equal(char_segment[1:], char_segment[:-1]),
            ],
            0,
        )
        # Parts: from each "▁", and from each word start (which gets a "▁"
        # of its own when it has none).
        is_space_piece = tf.equal(chars, METASPACE)
        part_start = word_start | is_space_piece
        part_of_char = tf.cumsum(tf.cast(part_start, tf.int64)) - 1
        num_parts = tf.reduce_sum(tf.cast(part_start, tf.int64))
        first_char = mask(tf.range(count), part_start)
        added = mask(word_start & tf.logical_not(is_space_piece), part_start)
        parts = tf.where(added, METASPACE, "") + tf.strings.unsorted_segment_join(
            chars, part_of_char, num_parts
        )
        ids, starts, ends, token_part = self.search.search_flat(parts)
        added = tf.cast(tf.gather(added, token_part), tf.int64)
        base = tf.gather(first_char, token_part)
        first = base + tf.maximum(starts - added, 0)
        last = base + tf.maximum(ends - 1 - added, 0)
        token_starts = tf.gather(raw_start, tf.gather(source, first))
        token_ends = tf.gather(raw_end, tf.gather(source, last))
        token_segment = tf.gather(char_segment, first)
        if self.special_tokens:
            special_segment = mask(tf.range(tf.size(segments, tf.int64)), special)
            special_ids = self.special_table.lookup(
                tf.gather(segments, special_segment)
            )
            # A special segment's raw characters: its first and last.
            first_raw = tf.math.unsorted_segment_min(
                tf.range(num_raw), segment_of_raw, tf.size(segments, tf.int64)
            )
            last_raw = tf.math.unsorted_segment_max(
                tf.range(num_raw), segment_of_raw, tf.size(segments, tf.int64)
            )
            token_segment = tf.concat([token_segment, special_segment], 0)
            order = tf.argsort(token_segment, stable=True)
            token_segment = tf.gather(token_segment, order)
            ids = tf.gather(tf.concat([ids, special_ids], 0), order)
            token_starts = tf.gather(
                tf.concat(
                    [
                        token_starts,
                        tf.gather(raw_start, tf.gather(first_raw, special_segment)),
                    ],
                    0,
                ),
                order,
            )
            token_ends = tf.gather(
                tf.concat(
                    [
                        token_ends,
                        tf.gather(raw_end, tf.gather(last_raw, special_segment)),
                    ],
                    0,
                ),
                order,
            )
        row = tf.gather(segment_row, token_segment)
        base = tf.gather(string_base, row)
        return ids, token_starts - base, token_ends - base, row

    def _normalize_chars(self, flat, segment, source):
        """`normalize` on characters: `(chars, source)` after the table,
        each output character with the `source` of the one it came from."""
        extend = tf.strings.regex_full_match(flat, _EXTEND)
        previous = tf.concat([[""], flat[:-1]], axis=0)
        after_control = tf.strings.regex_full_match(previous, _CONTROL)
        extend = tf.logical_and(extend, tf.logical_not(after_control))
        extend |= tf.logical_and(tf.equal(flat, "\n"), tf.equal(previous, "\r"))
        first = tf.concat(
            [
                tf.ones([tf.minimum(tf.size(segment), 1)], tf.bool),
                tf.not_equal(segment[1:], segment[:-1]),
            ],
            0,
        )
        starts = tf.logical_or(tf.logical_not(extend), first)
        total = tf.size(flat, tf.int64)
        cluster_of_char = tf.cumsum(tf.cast(starts, tf.int64)) - 1
        num_clusters = tf.reduce_sum(tf.cast(starts, tf.int64))
        cluster_start = mask(tf.range(total), starts)
        place = tf.range(total) - tf.gather(cluster_start, cluster_of_char)
        lengths = tf.concat([cluster_start[1:], total[None]], 0) - cluster_start

        def join(values):
            return tf.strings.unsorted_segment_join(
                values, cluster_of_char, num_clusters
            )

        mapped = self.table.lookup(flat)
        mapped = tf.where(tf.equal(mapped, _MISSING), flat, mapped)
        whole = join(flat)
        short = tf.strings.length(whole) < 6
        result = tf.fill(tf.shape(whole), _MISSING)
        for size in range(5, 0, -1):
            prefix = join(tf.where(place < size, flat, ""))
            value = self.table.lookup(prefix)
            use = short & (lengths >= size) & tf.not_equal(value, _MISSING)
            result = tf.where(use, value, result)
        replaced = tf.not_equal(result, _MISSING)
        # Clusters replaced whole: output character j comes from the
        # cluster's character min(j, length - 1) (HuggingFace's alignment).
        out_whole, whole_splits, _ = unicode_chars(tf.where(replaced, result, ""))
        whole_cluster = rowids(whole_splits)
        j = tf.range(tf.size(out_whole, tf.int64)) - tf.gather(
            whole_splits, whole_cluster
        )
        whole_char = tf.gather(cluster_start, whole_cluster) + tf.minimum(
            j, tf.gather(lengths, whole_cluster) - 1
        )
        # The others, character by character.
        per_char = tf.where(tf.gather(replaced, cluster_of_char), "", mapped)
        out_chars, char_splits, _ = unicode_chars(per_char)
        char_of_out = rowids(char_splits)
        chars = tf.concat([out_whole, out_chars], 0)
        origin = tf.concat([whole_char, char_of_out], 0)
        order = tf.argsort(origin, stable=True)
        chars = tf.gather(chars, order)
        origin = tf.gather(origin, order)
        # HuggingFace attaches a removed character to the output character
        # before it; the characters a segment starts with that the table
        # removes have none, and are lost from its alignment: every later
        # character of the segment takes its source from that many
        # characters earlier. Reproduced, so that offsets equal its own.
        index = tf.range(total)
        num_segments = tf.reduce_max(tf.concat([segment, [-1]], 0)) + 1
        first_of_segment = tf.math.unsorted_segment_min(index, segment, num_segments)
        first_output = tf.math.unsorted_segment_min(
            origin, tf.gather(segment, origin), num_segments
        )
        lost = tf.gather(first_output - first_of_segment, tf.gather(segment, origin))
        return chars, tf.gather(source, origin - lost)

    def with_tensors(self, table, special_table, search_tensors):
        """A copy that reads its tables from resource handles (the arguments
        of a shared traced function) and its vocabulary from tensors."""
        view = object.__new__(HuggingFaceSentencePiece)
        view.dtype = self.dtype
        view.special_tokens = self.special_tokens
        view.special_pattern = self.special_pattern
        view.nul_stand_in = self.nul_stand_in
        view.table = HandleTable(table, tf.constant(_MISSING))
        view.special_table = HandleTable(special_table, tf.constant(-1, self.dtype))
        view.search = self.search.with_tensors(search_tensors)
        return view

    def _tokenize(self, strings, before_normalization):
        ids, row = self._tokenize_flat(strings, before_normalization)
        return tf.RaggedTensor.from_value_rowids(
            ids, row, nrows=tf.size(strings, tf.int64), validate=False
        )

    def _tokenize_flat(self, strings, before_normalization):
        """Rank-1 strings -> flat `(ids, row)`, the ids in order."""
        # tensorflow-text's ops stop at NUL: it goes through them as a
        # noncharacter that the model does not know either.
        strings = tf.strings.regex_replace(strings, r"\x00", self.nul_stand_in)
        segments, segment_row, special = self._split_special_flat(strings)
        # Special segments become one id each, not words.
        text = tf.where(special, "", segments)
        if before_normalization is not None:
            text = before_normalization(text)
        text = self.normalize(text)
        words, _, _, word_splits = regex_split(text, f"[{WHITE_SPACE}]+", "")
        ids, _, _, word = self._word_pieces_flat(words)
        piece_segment = tf.gather(rowids(word_splits), word)
        if self.special_tokens:
            special_segment = mask(tf.range(tf.size(segments, tf.int64)), special)
            special_ids = self.special_table.lookup(
                tf.gather(segments, special_segment)
            )
            # Each special segment has no pieces: a stable sort by segment
            # puts its id in its place.
            piece_segment = tf.concat([piece_segment, special_segment], 0)
            order = tf.argsort(piece_segment, stable=True)
            piece_segment = tf.gather(piece_segment, order)
            ids = tf.gather(tf.concat([ids, special_ids], 0), order)
        return ids, tf.gather(segment_row, piece_segment)


def tokenize_with_offsets(pipeline, inputs, before_normalization=None, vocabulary=None):
    """A family tokenizer's `tokenize_with_offsets`, through its pipeline.

    Args:
        pipeline: the tokenizer's `HuggingFaceSentencePiece`.
        inputs: a str, a list of str or a rank 0/1 `tf.string` tensor.
        before_normalization: the family's steps, as for `tokenize`.
        vocabulary: a `tf.string` tensor of the pieces, to give pieces
            instead of ids; None for ids.
    """
    from keras_nlp.src.tokenizers.tokenizer import to_string_batch

    strings, unbatched = to_string_batch(inputs)
    ids, starts, ends = pipeline.tokenize_with_offsets(strings, before_normalization)
    if vocabulary is not None:
        ids = ids.with_flat_values(tf.gather(vocabulary, ids.flat_values))
    if unbatched:
        return ids[0], starts[0], ends[0]
    return ids, starts, ends


def _traced_tokenize(
    before_normalization, dtype, special_pattern, nul_stand_in, offsets=False
):
    """A traced `HuggingFaceSentencePiece.tokenize` for these static
    settings, taking the strings, the two tables' handles and the search's
    tensors."""
    static = object.__new__(HuggingFaceSentencePiece)
    static.dtype = dtype
    static.special_pattern = special_pattern
    static.special_tokens = bool(special_pattern)
    static.nul_stand_in = nul_stand_in
    static.search = object.__new__(UnigramSearch)
    static.search.dtype = dtype

    def tokenize(strings, table, special_table, *search_tensors):
        view = static.with_tensors(table, special_table, search_tensors)
        if offsets:
            return view._offsets(strings, before_normalization)
        return view._tokenize(strings, before_normalization)

    return tf.function(
        tokenize,
        input_signature=[
            tf.TensorSpec([None], tf.string),
            tf.TensorSpec([], tf.resource),
            tf.TensorSpec([], tf.resource),
        ]
        + UnigramSearch.tensor_specs(),
        autograph=False,
    )


def _replace_pairs(chars, segment, character, replacement):
    """Characters -> characters where each run of `character` in a segment
    has its pairs, from the left, replaced: the first of a pair by nothing,
    the second by `replacement` (a regex replacement of the doubled
    character, one character at a time)."""
    same = tf.equal(chars, character)
    index = tf.range(tf.size(chars, tf.int64))
    follows = tf.concat(
        [
            [False],
            same[1:] & same[:-1] & tf.equal(segment[1:], segment[:-1]),
        ],
        0,
    )[: tf.size(chars)]
    run_start = tf.logical_not(follows)
    run = tf.cumsum(tf.cast(run_start, tf.int64)) - 1
    place = index - tf.gather(mask(index, run_start), run)
    leads = tf.concat([follows[1:], [False]], 0)[: tf.size(chars)]
    first = same & tf.equal(place % 2, 0) & leads
    second = same & tf.equal(place % 2, 1)
    chars = tf.where(first, "", chars)
    return tf.where(second, replacement, chars)


def regex_split(strings, delimiter, keep):
    """Rank-1 strings -> flat `(pieces, starts, ends, row_splits)`.

    `tensorflow_text.regex_split_with_offsets` without its RaggedTensors
    (their checks are most of a traced tokenizer's operations): its kernel,
    called as tensorflow-text calls it (each pattern in a group; an empty
    `keep`, its default, keeps no delimiter).
    """
    from tensorflow_text.python.ops.regex_split_ops import gen_regex_split_ops

    return gen_regex_split_ops.regex_split_with_offsets(
        strings, f"({delimiter})", f"({keep})"
    )
