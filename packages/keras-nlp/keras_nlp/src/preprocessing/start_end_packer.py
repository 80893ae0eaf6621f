# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Adds start/end tokens to one segment and pads it to a fixed length."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.preprocessing._utils import check_sequence_length
from keras_nlp.src.preprocessing._utils import to_ragged_ids
from keras_nlp.src.tokenizers.tokenizer import RFC


@api_export("keras_nlp.preprocessing.StartEndPacker", stability="stable", rfc=RFC)
class StartEndPacker(keras.layers.Layer):
    """Adds optional start and end ids to sequences, truncates and pads them.

    For single-segment models (language models, decoders): each sequence
    becomes `[start] tokens [end] pad ...` of exactly `sequence_length`.
    Too-long sequences lose their last tokens; the end id is always kept.

    Args:
        sequence_length: int. Output length.
        start_value: int or None. Id placed first.
        end_value: int or None. Id placed after the tokens.
        pad_value: int. Padding id, default 0.
        return_padding_mask: bool. Also return a boolean mask of real tokens.

    Call arguments:
        inputs: token ids, ragged or dense, rank 2 (a batch) or rank 1.

    Returns:
        The packed ids `(batch_size, sequence_length)`, or a tuple
        `(ids, padding_mask)` with `return_padding_mask=True`.

    Examples:

    >>> packer = keras_nlp.preprocessing.StartEndPacker(
    ...     sequence_length=5, start_value=1, end_value=2)
    >>> packer([[7, 8], [7, 8, 9, 10, 11]]).numpy().tolist()
    [[1, 7, 8, 2, 0], [1, 7, 8, 9, 2]]
    """

    def __init__(
        self,
        sequence_length,
        start_value=None,
        end_value=None,
        pad_value=0,
        return_padding_mask=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        specials = (start_value is not None) + (end_value is not None)
        check_sequence_length(sequence_length, minimum=max(1, specials))
        self.sequence_length = sequence_length
        self.start_value = start_value
        self.end_value = end_value
        self.pad_value = pad_value
        self.return_padding_mask = bool(return_padding_mask)
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    def call(self, inputs):
        ragged, unbatched = to_ragged_ids(inputs)
        ragged = tf.cast(ragged, tf.int32)
        batch = ragged.nrows()
        keep = (
            self.sequence_length
            - (self.start_value is not None)
            - (self.end_value is not None)
        )
        ragged = ragged[:, :keep]
        parts = []
        if self.start_value is not None:
            parts.append(
                tf.RaggedTensor.from_tensor(tf.fill([batch, 1], self.start_value))
            )
        parts.append(ragged)
        if self.end_value is not None:
            parts.append(
                tf.RaggedTensor.from_tensor(tf.fill([batch, 1], self.end_value))
            )
        packed = tf.concat(parts, axis=1) if len(parts) > 1 else ragged
        shape = [None, self.sequence_length]
        ids = packed.to_tensor(default_value=self.pad_value, shape=shape)
        mask = tf.ones_like(packed, dtype=tf.bool).to_tensor(
            default_value=False, shape=shape
        )
        if unbatched:
            ids, mask = ids[0], mask[0]
        if self.return_padding_mask:
            return ids, mask
        return ids

    def compute_output_spec(self, inputs):
        shape = tuple(inputs.shape[:-1]) + (self.sequence_length,)
        ids = keras.KerasTensor(shape, dtype="int32")
        if self.return_padding_mask:
            return ids, keras.KerasTensor(shape, dtype="bool")
        return ids

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "sequence_length": self.sequence_length,
                "start_value": self.start_value,
                "end_value": self.end_value,
                "pad_value": self.pad_value,
                "return_padding_mask": self.return_padding_mask,
            }
        )
        return config
