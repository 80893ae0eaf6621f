# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The unigram (SentencePiece) best-segmentation search, in TensorFlow ops.

HuggingFace `tokenizers` finds the pieces of a word with a Viterbi search
over its characters: the best score of every prefix, each the best over
the pieces ending there of (best score where the piece starts) + (piece
score). Scores are the model's float32 scores held as float64, so sums
are exact for any realistic word, and two segmentations tie only when
their scores are exactly equal. A tie goes to the piece that starts first
(the longest last piece), because candidates are visited in order of their
start and only a strictly better one replaces the kept one. A character
that starts no one-character piece is also an unknown piece (the lowest
score minus 10), and consecutive unknown pieces become one token.

tensorflow-text's SentencePiece op runs the same search in float32: its
rounded sums break exact ties (and near ties) another way, on words such
as long runs of one character, so its ids differ from HuggingFace's. This
module reproduces HuggingFace's search exactly with TensorFlow ops (so it
runs in `tf.data` and in SavedModels):

1. all substrings that are pieces, found by growing each start one
   character at a time while the substring is still the prefix of some
   piece (one hash table holds pieces and prefixes);
2. the forward pass, one step per character position, vectorised over the
   words still that long (words sorted longest first);
3. the backward pass from each word's end, then unknown pieces fused.
"""

import tensorflow as tf

UNKNOWN_PENALTY = 10.0


def mask(values, condition):
    """`tf.boolean_mask` for rank-1 `condition`, in three ops (the public op
    builds about twenty-five, which a traced search pays in every loop)."""
    return tf.gather(values, tf.reshape(tf.where(condition), [-1]))


def rowids(row_splits):
    """The row of every value, from row splits (int64)."""
    return tf.repeat(
        tf.range(tf.size(row_splits, tf.int64) - 1), row_splits[1:] - row_splits[:-1]
    )


def unicode_chars(strings):
    """Rank-1 strings -> `(chars, row_splits, byte_starts)`, flat.

    `tf.strings.unicode_split_with_offsets` (invalid bytes become U+FFFD)
    without its RaggedTensor, whose checks are most of a traced graph's
    operations.
    """
    splits, codes, byte_starts = tf.raw_ops.UnicodeDecodeWithOffsets(
        input=strings,
        input_encoding="UTF-8",
        errors="replace",
        replacement_char=0xFFFD,
        Tsplits=tf.int64,
    )
    chars = tf.raw_ops.UnicodeEncode(
        input_values=codes,
        input_splits=tf.range(tf.size(codes, tf.int64) + 1),
        output_encoding="UTF-8",
        errors="replace",
        replacement_char=0xFFFD,
    )
    return chars, splits, byte_starts


class HandleTable:
    """A hash table's lookup, from its resource handle (a function argument)."""

    def __init__(self, handle, default_value):
        self.handle = handle
        self.default_value = default_value

    def lookup(self, keys):
        return tf.raw_ops.LookupTableFindV2(
            table_handle=self.handle, keys=keys, default_value=self.default_value
        )


def _array():
    """A growing int64 TensorArray whose element 0 is empty (so that
    `concat` works when nothing else was written)."""
    array = tf.TensorArray(tf.int64, size=1, dynamic_size=True, infer_shape=False)
    return array.write(0, tf.zeros([0], tf.int64))


class UnigramSearch:
    """Words -> pieces, as HuggingFace `tokenizers`' `Unigram` model.

    Not a layer: tokenizers own one and track `trackables()`.

    Args:
        pieces: list of str, the vocabulary in id order.
        scores: list of float, each piece's score (float32 values).
        unk_id: int, the id of the unknown piece.
        dtype: the ids' dtype (`tf.int32` or `tf.int64`).
    """

    def __init__(self, pieces, scores, unk_id, dtype=tf.int32):
        if len(pieces) != len(scores) or not pieces:
            raise ValueError(
                "A unigram model needs one score per piece and at least one "
                f"piece. Received {len(pieces)} pieces and {len(scores)} scores."
            )
        # The id of a piece is its last one (a dict, as HuggingFace's map).
        index = {}
        for i, piece in enumerate(pieces):
            if piece:
                index[piece] = i
        prefixes = set()
        for piece in index:
            for n in range(1, len(piece)):
                prefixes.add(piece[:n])
        keys = sorted(set(index) | prefixes)
        # code = (id + 1) * 2 + is_prefix; 0 for neither.
        codes = [(index.get(k, -1) + 1) * 2 + (k in prefixes) for k in keys]
        self.max_piece_length = max(len(p) for p in index)
        self.unk_id = int(unk_id)
        self.dtype = dtype
        min_score = min(float(s) for s in scores)
        self.unk_score = min_score - UNKNOWN_PENALTY
        with tf.init_scope():
            self.table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(
                    tf.constant(keys, tf.string), tf.constant(codes, tf.int64)
                ),
                default_value=tf.constant(0, tf.int64),
            )
            self.scores = tf.constant([float(s) for s in scores], tf.float64)

    def trackables(self):
        return [self.table]

    def tensors(self):
        """The search's data, as tensors: the arguments of `with_tensors`."""
        return [
            self.table.resource_handle,
            self.scores,
            tf.constant(self.unk_id, tf.int64),
            tf.constant(self.unk_score, tf.float64),
            tf.constant(self.max_piece_length, tf.int64),
        ]

    @staticmethod
    def tensor_specs():
        return [
            tf.TensorSpec([], tf.resource),
            tf.TensorSpec([None], tf.float64),
            tf.TensorSpec([], tf.int64),
            tf.TensorSpec([], tf.float64),
            tf.TensorSpec([], tf.int64),
        ]

    def with_tensors(self, tensors):
        """A copy whose vocabulary is `tensors` (from `tensors()`), so that a
        traced function taking them as arguments serves every vocabulary."""
        view = object.__new__(UnigramSearch)
        view.dtype = self.dtype
        table, view.scores, view.unk_id, view.unk_score, view.max_piece_length = tensors
        view.table = HandleTable(table, tf.constant(0, tf.int64))
        return view

    def _pieces_found(self, flat, char_limit):
        """(end char, length, id) of every substring that is a piece."""
        total = tf.size(flat, out_type=tf.int64)
        max_length = tf.cast(self.max_piece_length, tf.int64)

        def condition(k, starts, substrings, *_):
            return tf.logical_and(tf.size(starts) > 0, k <= max_length)

        def body(k, starts, substrings, ends_ta, lengths_ta, ids_ta):
            codes = self.table.lookup(substrings)
            ids = codes // 2 - 1
            is_piece = ids >= 0
            step = k - 1
            slot = tf.cast(k, tf.int32)
            ends_ta = ends_ta.write(slot, mask(starts + step, is_piece))
            found = mask(ids, is_piece)
            lengths_ta = lengths_ta.write(slot, tf.fill(tf.shape(found), k))
            ids_ta = ids_ta.write(slot, found)
            following = starts + k
            alive = tf.logical_and(
                tf.equal(codes % 2, 1),
                following < tf.gather(char_limit, starts),
            )
            starts = mask(starts, alive)
            following = mask(following, alive)
            substrings = mask(substrings, alive) + tf.gather(flat, following)
            return k + 1, starts, substrings, ends_ta, lengths_ta, ids_ta

        arrays = [_array() for _ in range(3)]
        k, _, _, ends_ta, lengths_ta, ids_ta = tf.while_loop(
            condition,
            body,
            [tf.constant(1, tf.int64), tf.range(total), flat] + arrays,
            shape_invariants=[
                tf.TensorShape([]),
                tf.TensorShape([None]),
                tf.TensorShape([None]),
            ]
            + [tf.TensorShape(None)] * 3,
        )
        width = tf.maximum(k - 1, 1)
        return ends_ta.concat(), lengths_ta.concat(), ids_ta.concat(), width

    def search(self, words):
        """Rank-1 words -> `(ids, starts, ends)`, ragged `[words, None]`.

        `starts`/`ends` are character offsets of each token in its word.
        """
        ids, starts, ends, token_words = self.search_flat(words)

        def rows(values):
            return tf.RaggedTensor.from_value_rowids(
                values, token_words, nrows=tf.size(words, tf.int64), validate=False
            )

        return rows(ids), rows(starts), rows(ends)

    def search_flat(self, words):
        """Rank-1 words -> `(ids, starts, ends, word)`, rank-1, in word order.

        `starts`/`ends` are character offsets of each token in its word
        `word`. Flat tensors, no RaggedTensor: its checks would be most of
        the operations of a traced tokenizer.
        """
        flat, splits, _ = unicode_chars(words)
        total = tf.size(flat, out_type=tf.int64)
        row_starts = splits[:-1]
        lengths = splits[1:] - splits[:-1]
        word_of_char = rowids(splits)
        char_limit = tf.gather(splits[1:], word_of_char)

        ends, piece_lengths, piece_ids, width = self._pieces_found(flat, char_limit)
        # Dense [characters, width]: the score and id of the piece ending at
        # each character with each length (-inf and -1 for none).
        cells = tf.stack([ends, piece_lengths - 1], axis=1)
        shape = tf.stack([total, width])
        scores = tf.tensor_scatter_nd_update(
            tf.fill(shape, tf.constant(-float("inf"), tf.float64)),
            cells,
            tf.gather(self.scores, piece_ids),
        )
        ids = tf.tensor_scatter_nd_update(
            tf.fill(shape, tf.constant(-1, tf.int64)), cells, piece_ids
        )
        # A character that starts no one-character piece is unknown.
        unknown = ids[:, 0] < 0
        unknown_rows = mask(tf.range(total), unknown)
        unknown_cells = tf.stack([unknown_rows, tf.zeros_like(unknown_rows)], 1)
        count = tf.shape(unknown_cells)[:1]
        scores = tf.tensor_scatter_nd_update(
            scores,
            unknown_cells,
            tf.fill(count, tf.cast(self.unk_score, tf.float64)),
        )
        ids = tf.tensor_scatter_nd_update(
            ids, unknown_cells, tf.fill(count, tf.cast(self.unk_id, tf.int64))
        )

        # Forward pass over positions 1..longest, longest words first.
        order = tf.argsort(-lengths, stable=True)
        sorted_lengths = tf.gather(lengths, order)
        sorted_starts = tf.gather(row_starts, order)
        longest = tf.reduce_max(tf.concat([lengths, [0]], 0))
        per_length = tf.math.bincount(
            tf.cast(lengths, tf.int32), minlength=tf.cast(longest + 1, tf.int32)
        )
        # active[e - 1]: how many words have at least e characters.
        active = tf.cast(tf.cumsum(per_length, reverse=True)[1:], tf.int64)
        step_offsets = tf.cumsum(active, exclusive=True)
        num_words = tf.size(lengths, out_type=tf.int64)
        window = tf.concat(
            [
                tf.zeros([num_words, 1], tf.float64),
                tf.fill(
                    tf.stack([num_words, width - 1]),
                    tf.constant(-float("inf"), tf.float64),
                ),
            ],
            axis=1,
        )

        def forward(e, window, choices_ta):
            n = active[e - 1]
            rows = sorted_starts[:n] + e - 1
            candidates = window[:n] + tf.gather(scores, rows)
            best = tf.reduce_max(candidates, axis=1, keepdims=True)
            # Ties: the longest piece (the earliest start).
            is_best = tf.cast(tf.equal(candidates, best), tf.int32)
            length = width - tf.argmax(tf.reverse(is_best, [1]), axis=1)
            choices_ta = choices_ta.write(tf.cast(e, tf.int32), length)
            window = tf.concat([best, window[:n, :-1]], axis=1)
            return e + 1, window, choices_ta

        _, _, choices_ta = tf.while_loop(
            lambda e, *_: e <= longest,
            forward,
            [
                tf.constant(1, tf.int64),
                window,
                _array(),
            ],
            shape_invariants=[
                tf.TensorShape([]),
                tf.TensorShape([None, None]),
                tf.TensorShape(None),
            ],
        )
        choices = tf.concat([choices_ta.concat(), tf.zeros([1], tf.int64)], 0)

        # Backward pass: each word's pieces from its end.
        def backward(ranks, positions, ends_ta, lengths_ta, i):
            length = tf.gather(choices, tf.gather(step_offsets, positions - 1) + ranks)
            ends_ta = ends_ta.write(i, tf.gather(sorted_starts, ranks) + positions - 1)
            lengths_ta = lengths_ta.write(i, length)
            positions = positions - length
            keep = positions > 0
            return (
                mask(ranks, keep),
                mask(positions, keep),
                ends_ta,
                lengths_ta,
                i + 1,
            )

        nonempty = sorted_lengths > 0
        arrays = [_array() for _ in range(2)]
        _, _, ends_ta, lengths_ta, _ = tf.while_loop(
            lambda ranks, *_: tf.size(ranks) > 0,
            backward,
            [
                mask(tf.range(num_words), nonempty),
                mask(sorted_lengths, nonempty),
            ]
            + arrays
            + [tf.constant(1, tf.int32)],
            shape_invariants=[
                tf.TensorShape([None]),
                tf.TensorShape([None]),
                tf.TensorShape(None),
                tf.TensorShape(None),
                tf.TensorShape([]),
            ],
        )
        piece_ends = ends_ta.concat()
        piece_lengths = lengths_ta.concat()
        order = tf.argsort(piece_ends)
        piece_ends = tf.gather(piece_ends, order)
        piece_lengths = tf.gather(piece_lengths, order)
        piece_ids = tf.gather_nd(ids, tf.stack([piece_ends, piece_lengths - 1], 1))
        piece_starts = piece_ends - piece_lengths + 1
        piece_words = tf.gather(word_of_char, piece_starts)

        # Consecutive unknown pieces of a word become one token.
        is_unknown = tf.equal(piece_ids, tf.cast(self.unk_id, tf.int64))
        continues = tf.concat(
            [
                [False],
                is_unknown[1:]
                & is_unknown[:-1]
                & tf.equal(piece_words[1:], piece_words[:-1]),
            ],
            axis=0,
        )[: tf.size(piece_ids)]
        token_of_piece = tf.cumsum(tf.cast(~continues, tf.int64)) - 1
        num_tokens = tf.reduce_sum(tf.cast(~continues, tf.int64))
        token_starts = tf.math.unsorted_segment_min(
            piece_starts, token_of_piece, num_tokens
        )
        token_ends = (
            tf.math.unsorted_segment_max(piece_ends, token_of_piece, num_tokens) + 1
        )
        token_words = tf.gather(word_of_char, token_starts)
        first_piece = mask(tf.range(tf.size(piece_ids, tf.int64)), ~continues)
        token_ids = tf.gather(piece_ids, first_piece)
        # A fused token is looked up as a whole (HuggingFace's token map).
        # Tokens cover their words' characters in order: join every token's
        # characters, look them all up, keep the fused ones' ids.
        token_of_char = (
            tf.cumsum(
                tf.scatter_nd(
                    tf.expand_dims(token_starts, 1),
                    tf.ones_like(token_starts),
                    tf.expand_dims(total, 0),
                )
            )
            - 1
        )
        token_text = tf.strings.unsorted_segment_join(flat, token_of_char, num_tokens)
        fused_codes = self.table.lookup(token_text)
        fused_ids = tf.where(
            fused_codes >= 2, fused_codes // 2 - 1, tf.cast(self.unk_id, tf.int64)
        )
        next_first = tf.concat([first_piece[1:], tf.size(piece_ids, tf.int64)[None]], 0)
        fused = next_first - first_piece > 1
        token_ids = tf.where(fused, fused_ids, token_ids)
        word_starts = tf.gather(row_starts, token_words)
        return (
            tf.cast(token_ids, self.dtype),
            token_starts - word_starts,
            token_ends - word_starts,
            token_words,
        )
