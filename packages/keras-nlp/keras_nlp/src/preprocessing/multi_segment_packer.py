# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Packs one or more segments into a fixed-length BERT-style input."""

import keras
import numpy as np
import tensorflow as tf
import tensorflow_text as tf_text

from keras_core import api_export
from keras_nlp.src.preprocessing._utils import check_sequence_length
from keras_nlp.src.preprocessing._utils import to_ragged_ids
from keras_nlp.src.tokenizers.tokenizer import RFC


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
        start_value: int. Id placed first (`[CLS]`).
        end_value: int. Id placed after every segment (`[SEP]`).
        pad_value: int. Id used for padding (`[PAD]`), default 0.
        truncate: `"round_robin"` or `"waterfall"`.

    Call arguments:
        inputs: a batch of token ids (ragged or dense, rank 2, or rank 1 for
            one example), or a list/tuple of such segments.

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
        super().__init__(**kwargs)
        check_sequence_length(sequence_length, minimum=3)
        if truncate not in ("round_robin", "waterfall"):
            raise ValueError(
                "`truncate` must be 'round_robin' or 'waterfall'. Received: "
                f"truncate={truncate!r}."
            )
        for name, value in (
            ("start_value", start_value),
            ("end_value", end_value),
            ("pad_value", pad_value),
        ):
            if not isinstance(value, int):
                raise TypeError(f"`{name}` must be an int id. Received: {value!r}.")
        self.sequence_length = sequence_length
        self.start_value = start_value
        self.end_value = end_value
        self.pad_value = pad_value
        self.truncate = truncate
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    def call(self, inputs):
        segments = _split_segments(inputs)
        if not segments:
            raise ValueError("MultiSegmentPacker needs at least one segment.")
        converted = [to_ragged_ids(s, "segments") for s in segments]
        unbatched = converted[0][1]
        if any(u != unbatched for _, u in converted):
            raise ValueError(
                "All segments must be batched alike (all rank 1 or all rank 2)."
            )
        ragged = [tf.cast(r, tf.int32) for r, _ in converted]
        budget = self.sequence_length - 1 - len(ragged)
        if budget < len(ragged):
            raise ValueError(
                f"sequence_length={self.sequence_length} cannot hold "
                f"{len(ragged)} segment(s): their {len(ragged) + 1} special "
                f"tokens plus at least one token per segment need "
                f"sequence_length >= {2 * len(ragged) + 1}. Increase "
                "`sequence_length`."
            )
        ragged = self._check_batch_sizes(ragged)
        trimmer_cls = (
            tf_text.RoundRobinTrimmer
            if self.truncate == "round_robin"
            else tf_text.WaterfallTrimmer
        )
        trimmed = trimmer_cls(budget).trim(ragged)
        token_ids, segment_ids = tf_text.combine_segments(
            trimmed,
            start_of_sequence_id=self.start_value,
            end_of_segment_id=self.end_value,
        )
        token_ids = tf.cast(token_ids, tf.int32)
        mask = tf.ones_like(token_ids, dtype=tf.bool)
        shape = [None, self.sequence_length]
        out = {
            "token_ids": token_ids.to_tensor(default_value=self.pad_value, shape=shape),
            "segment_ids": tf.cast(segment_ids, tf.int32).to_tensor(shape=shape),
            "padding_mask": mask.to_tensor(default_value=False, shape=shape),
        }
        if unbatched:
            out = {k: v[0] for k, v in out.items()}
        return out

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
        return {
            "token_ids": keras.KerasTensor(shape, dtype="int32"),
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
                "pad_value": self.pad_value,
                "truncate": self.truncate,
            }
        )
        return config
