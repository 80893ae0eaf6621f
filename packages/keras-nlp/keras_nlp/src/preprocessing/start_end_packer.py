# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Adds start/end tokens to one segment and pads it to a fixed length."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.preprocessing._utils import check_sequence_length
from keras_nlp.src.preprocessing._utils import check_token_kind
from keras_nlp.src.preprocessing._utils import config_value
from keras_nlp.src.preprocessing._utils import special_values
from keras_nlp.src.preprocessing._utils import tile_row
from keras_nlp.src.preprocessing._utils import to_ragged_tokens
from keras_nlp.src.tokenizers.tokenizer import RFC


@api_export("keras_nlp.preprocessing.StartEndPacker", stability="stable", rfc=RFC)
class StartEndPacker(keras.layers.Layer):
    """Adds optional start and end ids to sequences, truncates and pads them.

    For single-segment models (language models, decoders): each sequence
    becomes `[start] tokens [end] pad ...` of exactly `sequence_length`.
    Too-long sequences lose their last tokens; the end id is always kept.

    Args:
        sequence_length: int. Output length.
        start_value: int, str, a list of either, or None. Id(s) placed
            first (token strings when the inputs are strings).
        end_value: int, str, a list of either, or None. Id(s) placed after
            the tokens.
        pad_value: int or str. Padding id or token, default 0 (`""` for
            string inputs).
        return_padding_mask: bool. Also return a boolean mask of real tokens.

    Call arguments:
        inputs: token ids or token strings, ragged or dense, rank 2 (a
            batch) or rank 1.
        sequence_length: int or None. Overrides the layer's length.
        add_start_value: bool. False leaves out `start_value` in this call.
        add_end_value: bool. False leaves out `end_value` in this call.

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
        owner = "StartEndPacker"
        self._start = special_values("start_value", start_value, owner)
        self._end = special_values("end_value", end_value, owner)
        self._pad = special_values("pad_value", pad_value, owner, allow_none=False)
        if len(self._pad) != 1:
            raise ValueError(
                f"`pad_value` must be one id or one token string. Received: "
                f"pad_value={pad_value!r}."
            )
        specials = len(self._start or ()) + len(self._end or ())
        check_sequence_length(sequence_length, minimum=max(1, specials))
        self.sequence_length = sequence_length
        self.start_value = config_value(self._start)
        self.end_value = config_value(self._end)
        self.pad_value = pad_value
        self.return_padding_mask = bool(return_padding_mask)
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    def call(
        self,
        inputs,
        sequence_length=None,
        add_start_value=True,
        add_end_value=True,
    ):
        ragged, unbatched = to_ragged_tokens(inputs)
        text = ragged.dtype == tf.string
        start = self._start if add_start_value else None
        end = self._end if add_end_value else None
        check_token_kind(
            ragged, {"start_value": start, "end_value": end}, "StartEndPacker"
        )
        pad = self._pad[0]
        if text and not isinstance(pad, str):
            if pad != 0:
                raise TypeError(
                    "`StartEndPacker` received token strings but an int "
                    f"`pad_value={pad!r}`. Pass a string `pad_value`."
                )
            pad = ""
        elif not text and isinstance(pad, str):
            raise TypeError(
                "`StartEndPacker` received integer ids but a string "
                f"`pad_value={pad!r}`. Pass an int `pad_value`."
            )
        length = self.sequence_length if sequence_length is None else sequence_length
        specials = len(start or ()) + len(end or ())
        check_sequence_length(length, minimum=max(1, specials))
        dtype = tf.string if text else tf.int32
        if not text:
            ragged = tf.cast(ragged, tf.int32)
        batch = ragged.nrows()
        ragged = ragged[:, : length - specials]
        parts = []
        if start:
            parts.append(tile_row(start, batch, dtype))
        parts.append(ragged)
        if end:
            parts.append(tile_row(end, batch, dtype))
        packed = tf.concat(parts, axis=1) if len(parts) > 1 else ragged
        shape = [None, length]
        ids = packed.to_tensor(default_value=pad, shape=shape)
        mask = tf.ones_like(packed, dtype=tf.bool).to_tensor(
            default_value=False, shape=shape
        )
        if unbatched:
            ids, mask = ids[0], mask[0]
        if self.return_padding_mask:
            return ids, mask
        return ids

    def compute_output_spec(self, inputs, sequence_length=None, **kwargs):
        length = self.sequence_length if sequence_length is None else sequence_length
        shape = tuple(inputs.shape[:-1]) + (length,)
        text = getattr(inputs, "dtype", None) in ("string", tf.string)
        ids = keras.KerasTensor(shape, dtype="string" if text else "int32")
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
