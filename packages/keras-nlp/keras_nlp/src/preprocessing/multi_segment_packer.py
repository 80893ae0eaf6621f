# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Packs one or more segments into a fixed-length BERT-style input."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.preprocessing._utils import check_sequence_length
from keras_nlp.src.preprocessing._utils import check_token_kind
from keras_nlp.src.preprocessing._utils import config_value
from keras_nlp.src.preprocessing._utils import special_values
from keras_nlp.src.preprocessing._utils import to_ragged_tokens
from keras_nlp.src.tokenizers.tokenizer import RFC
from keras_nlp.src.utils.lazy import LazyModule

# Imported when first used: tensorflow-text is most of `import keras_nlp`'s cost.
tf_text = LazyModule("tensorflow_text")


def _split_segments(inputs):
    """A tuple, or a list of tensors/batches, is several segments."""
    if isinstance(inputs, tuple):
        return list(inputs)
    if isinstance(inputs, list) and inputs:
        first = inputs[0]
        if isinstance(first, (tf.Tensor, tf.RaggedTensor, np.ndarray)):
            return list(inputs)
        if isinstance(first, keras.KerasTensor):
            return list(inputs)
        if (
            isinstance(first, (list, tuple))
            and first
            and isinstance(first[0], (list, tuple, np.ndarray))
        ):
            return list(inputs)
    return [inputs]


@api_export("keras_nlp.preprocessing.MultiSegmentPacker", stability="stable", rfc=RFC)
class MultiSegmentPacker(keras.layers.Layer):
    """Packs token-id segments as `[CLS] a [SEP] b [SEP] ...` of fixed length.

    The input format of BERT-style encoders: a start token, every segment
    followed by an end (separator) token, then padding up to
    `sequence_length`. When the segments are too long they are truncated:

    - `"round_robin"`: one token at a time is kept from each segment in turn
      until the budget is used (long segments lose the most);
    - `"waterfall"`: the first segment keeps as much as it can, then the
      second, and so on (later segments are cut first).

    `sequence_length` must hold the special tokens plus at least one token
    per segment (3 for one segment, 5 for a pair); every segment must hold
    the same number of examples. Ids are copied unchanged (the packer has no
    vocabulary); they must be integers, floats are never truncated.

    Args:
        sequence_length: int. Length of the packed output.
        start_value: int, str or a list of either. Id(s) placed first
            (`[CLS]`); token strings when the segments are strings.
        end_value: int, str or a list of either. Id(s) placed after the
            last segment (`[SEP]`).
        pad_value: int or str. Id used for padding (`[PAD]`), default 0
            (`""` for string segments).
        truncate: `"round_robin"` or `"waterfall"`.
        **kwargs: Keras layer arguments, and the keyword-only
            `sep_value`: int, str, a list of either, or None: id(s) placed after every segment but the last; defaults to
            `end_value` (BERT). RoBERTa-style packing uses
            `sep_value=["</s>", "</s>"]`.

    Call arguments:
        inputs: a batch of token ids or token strings (ragged or dense,
            rank 2, or rank 1 for one example), or a list/tuple of such
            segments.

    Returns:
        A dict with `token_ids`, `segment_ids` (0 for the start token, the
        first segment and its end token, 1 for the second segment, ...) and
        `padding_mask` (True on real tokens), each
        `(batch_size, sequence_length)`.

    Examples:

    >>> packer = keras_nlp.preprocessing.MultiSegmentPacker(
    ...     sequence_length=8, start_value=101, end_value=102)
    >>> out = packer(([[1, 2, 3, 4]], [[5, 6, 7]]))
    >>> out["token_ids"].numpy().tolist()
    [[101, 1, 2, 3, 102, 5, 6, 102]]
    >>> out["segment_ids"].numpy().tolist()
    [[0, 0, 0, 0, 0, 1, 1, 1]]
    """

    def __init__(
        self,
        sequence_length,
        start_value,
        end_value,
        pad_value=0,
        truncate="round_robin",
        **kwargs,
    ):
        # `sep_value` (keras-nlp 0.15) is keyword-only, read from `kwargs`
        # so that the stable positional signature is unchanged.
        sep_value = kwargs.pop("sep_value", None)
        super().__init__(**kwargs)
        check_sequence_length(sequence_length, minimum=3)
        if truncate not in ("round_robin", "waterfall"):
            raise ValueError(
                "`truncate` must be 'round_robin' or 'waterfall'. Received: "
                f"truncate={truncate!r}."
            )
        owner = type(self).__name__
        values = {}
        for name, value in (
            ("start_value", start_value),
            ("end_value", end_value),
            ("sep_value", end_value if sep_value is None else sep_value),
            ("pad_value", pad_value),
        ):
            try:
                values[name] = special_values(name, value, owner, allow_none=False)
            except ValueError as error:
                raise TypeError(str(error)) from None
        if len(values["pad_value"]) != 1:
            raise TypeError(
                f"`pad_value` must be one id or one token string. Received: "
                f"pad_value={pad_value!r}."
            )
        kinds = {isinstance(v[0], str) for k, v in values.items() if k != "pad_value"}
        if len(kinds) > 1:
            raise TypeError(
                f"`{owner}` special tokens must all be int ids or all token "
                f"strings. Received: start_value={start_value!r}, "
                f"end_value={end_value!r}, sep_value={sep_value!r}."
            )
        self._start = values["start_value"]
        self._end = values["end_value"]
        self._sep = values["sep_value"]
        self._pad = values["pad_value"][0]
        self.sequence_length = sequence_length
        self.start_value = config_value(self._start)
        self.end_value = config_value(self._end)
        self.sep_value = None if sep_value is None else config_value(self._sep)
        self.pad_value = pad_value
        self.truncate = truncate
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    def call(self, inputs):
        segments = _split_segments(inputs)
        if not segments:
            raise ValueError("MultiSegmentPacker needs at least one segment.")
        converted = [to_ragged_tokens(s, "segments") for s in segments]
        unbatched = converted[0][1]
        if any(u != unbatched for _, u in converted):
            raise ValueError(
                "All segments must be batched alike (all rank 1 or all rank 2)."
            )
        text = converted[0][0].dtype == tf.string
        if any((r.dtype == tf.string) != text for r, _ in converted):
            raise TypeError(
                "All segments must hold token strings, or all integer ids. "
                f"Received dtypes {[r.dtype.name for r, _ in converted]}."
            )
        owner = type(self).__name__
        check_token_kind(
            converted[0][0],
            {"start_value": self._start, "end_value": self._end},
            owner,
        )
        pad = self._pad
        if text and not isinstance(pad, str):
            if pad != 0:
                raise TypeError(
                    f"`{owner}` received token strings but an int "
                    f"`pad_value={pad!r}`. Pass a string `pad_value`."
                )
            pad = ""
        elif not text and isinstance(pad, str):
            raise TypeError(
                f"`{owner}` received integer ids but a string "
                f"`pad_value={pad!r}`. Pass an int `pad_value`."
            )
        dtype = tf.string if text else tf.int32
        ragged = [r if text else tf.cast(r, tf.int32) for r, _ in converted]
        n = len(ragged)
        specials = len(self._start) + len(self._end) + (n - 1) * len(self._sep)
        budget = self.sequence_length - specials
        if budget < n:
            raise ValueError(
                f"sequence_length={self.sequence_length} cannot hold "
                f"{n} segment(s): their {specials} special tokens plus at "
                f"least one token per segment need sequence_length >= "
                f"{specials + n}. Increase `sequence_length`."
            )
        ragged = self._check_batch_sizes(ragged)
        out = self._pack(ragged, budget, dtype, pad)
        if unbatched:
            out = {k: v[0] for k, v in out.items()}
        return out

    def _kept_lengths(self, segments, budget):
        """How many tokens of each row of each segment are kept: int32
        `(batch,)` per segment, as tensorflow-text's trimmers allocate."""
        if len(segments) == 1:
            splits = segments[0].row_splits
            return [tf.minimum(tf.cast(splits[1:] - splits[:-1], tf.int32), budget)]
        # Two or more segments share the budget as tensorflow-text's trimmers
        # allocate it (their public masks, counted per row).
        trimmer_cls = (
            tf_text.RoundRobinTrimmer
            if self.truncate == "round_robin"
            else tf_text.WaterfallTrimmer
        )
        masks = trimmer_cls(budget).generate_mask(segments)
        return [tf.reduce_sum(tf.cast(m, tf.int32), axis=1) for m in masks]

    def _pack(self, segments, budget, dtype, pad):
        """The packed `(batch, sequence_length)` outputs, computed column by
        column: each column takes a start token, a token of a segment, a
        separator or padding, according to where the kept tokens of its row
        end. The same values as concatenating the trimmed ragged segments
        and the special tokens, then padding, in far fewer graph ops (a
        `tf.data` map traces and instantiates every op; issue 30)."""
        length = self.sequence_length
        kept = self._kept_lengths(segments, budget)
        columns = tf.range(length)[tf.newaxis, :]

        def special(values, begin, tokens):
            """`tokens` with `values` written at columns `begin, begin+1, ...`."""
            if len(values) == 1:
                return tf.where(columns == begin, tf.constant(values[0], dtype), tokens)
            offset = columns - begin
            inside = (offset >= 0) & (offset < len(values))
            index = tf.clip_by_value(offset, 0, len(values) - 1)
            return tf.where(
                inside, tf.gather(tf.constant(values, dtype), index), tokens
            )

        tokens = special(self._start, 0, tf.constant(pad, dtype))
        segment_ids = tf.zeros_like(columns)
        begin = len(self._start)
        for index, (segment, count) in enumerate(zip(segments, kept)):
            if index:
                segment_ids += tf.cast(columns >= begin, tf.int32)
            end = begin + count[:, tf.newaxis]
            # Column c of row r holds token c - begin of the row: a flat
            # index into the segment's values (one pad value appended, so
            # that the index stays valid for an empty segment).
            values = tf.concat([segment.values, tf.constant([pad], dtype)], 0)
            starts = tf.cast(segment.row_splits[:-1], tf.int32)[:, tf.newaxis]
            source = tf.clip_by_value(
                starts + columns - begin, 0, tf.size(segment.values, tf.int32)
            )
            inside = (columns >= begin) & (columns < end)
            tokens = tf.where(inside, tf.gather(values, source), tokens)
            closer = self._end if index == len(segments) - 1 else self._sep
            tokens = special(closer, end, tokens)
            begin = end + len(closer)
        padding_mask = columns < begin
        return {
            "token_ids": tokens,
            "segment_ids": tf.where(padding_mask, segment_ids, 0),
            "padding_mask": padding_mask,
        }

    def _check_batch_sizes(self, segments):
        """Segments must hold the same number of examples; never broadcast."""
        if len(segments) < 2:
            return segments
        sizes = [s.nrows() for s in segments]
        static = [s.shape[0] for s in segments]
        if tf.executing_eagerly() or None not in static:
            values = [int(n) for n in (sizes if tf.executing_eagerly() else static)]
            if len(set(values)) > 1:
                raise ValueError(
                    "All segments must hold the same number of examples (one "
                    "row per example, aligned across segments). Received "
                    f"segments with batch sizes {values}. Pass the i-th "
                    "example of every segment at the same row."
                )
            return segments
        message = (
            "All segments must hold the same number of examples (one row per "
            "example, aligned across segments). Pass the i-th example of "
            "every segment at the same row. Received batch sizes:"
        )
        check = tf.debugging.Assert(
            tf.reduce_all(tf.equal(tf.stack(sizes), sizes[0])),
            [message, tf.stack(sizes)],
        )
        with tf.control_dependencies([check]):
            return [s.with_flat_values(tf.identity(s.flat_values)) for s in segments]

    def compute_output_spec(self, inputs):
        first = _split_segments(inputs)[0]
        shape = tuple(first.shape[:-1]) + (self.sequence_length,)
        text = isinstance(self._start[0], str)
        return {
            "token_ids": keras.KerasTensor(shape, dtype="string" if text else "int32"),
            "segment_ids": keras.KerasTensor(shape, dtype="int32"),
            "padding_mask": keras.KerasTensor(shape, dtype="bool"),
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "sequence_length": self.sequence_length,
                "start_value": self.start_value,
                "end_value": self.end_value,
                "sep_value": self.sep_value,
                "pad_value": self.pad_value,
                "truncate": self.truncate,
            }
        )
        return config
