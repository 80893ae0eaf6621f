# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared helpers of the preprocessing layers."""

import numpy as np
import tensorflow as tf

from keras_nlp.src.tokenizers.tokenizer import token_id_tensor


def to_ragged_ids(x, what="inputs"):
    """Token ids (list, array, tensor, ragged) -> (rank-2 ragged, unbatched)."""
    ragged = token_id_tensor(x, what)
    rank = ragged.shape.rank
    if rank == 1:
        ragged = tf.RaggedTensor.from_tensor(ragged[tf.newaxis, :])
        return ragged, True
    if rank != 2:
        raise ValueError(
            f"`{what}` must be a sequence of ids (rank 1) or a batch of them "
            f"(rank 2). Received rank {rank} (shape {ragged.shape})."
        )
    if not isinstance(ragged, tf.RaggedTensor):
        ragged = tf.RaggedTensor.from_tensor(ragged)
    return ragged, False


def check_sequence_length(sequence_length, minimum=1):
    if not isinstance(sequence_length, int) or sequence_length < minimum:
        raise ValueError(
            f"`sequence_length` must be an int >= {minimum}. Received: "
            f"sequence_length={sequence_length!r}."
        )


def _is_text(x):
    """True when `x` holds strings (a string tensor or nested Python str)."""
    if isinstance(x, (tf.Tensor, tf.RaggedTensor)):
        return x.dtype == tf.string
    if isinstance(x, (list, tuple)):
        for item in x:
            if isinstance(item, (str, bytes)):
                return True
            if isinstance(item, (list, tuple)) and item:
                return _is_text(item)
        return False
    if hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "SUO":
        return True
    return False


def to_ragged_tokens(x, what="inputs"):
    """Token ids or token strings -> (rank-2 ragged, unbatched).

    Integer ids go through `to_ragged_ids` (floats and booleans raise);
    strings (a string tensor or nested Python `str`) are kept as strings.
    """
    if not _is_text(x):
        return to_ragged_ids(x, what)
    if isinstance(x, (tf.Tensor, tf.RaggedTensor)):
        tokens = x
    elif isinstance(x, (list, tuple)):
        tokens = tf.ragged.constant(list(x), dtype=tf.string)
        if isinstance(tokens, tf.RaggedTensor) and tokens.ragged_rank == 0:
            tokens = tokens.flat_values
    else:
        tokens = tf.convert_to_tensor(x, dtype=tf.string)
    rank = tokens.shape.rank
    if rank == 1:
        if isinstance(tokens, tf.RaggedTensor):
            tokens = tokens.to_tensor()
        return tf.RaggedTensor.from_tensor(tokens[tf.newaxis, :]), True
    if rank != 2:
        raise ValueError(
            f"`{what}` must be a sequence of tokens (rank 1) or a batch of "
            f"them (rank 2). Received rank {rank} (shape {tokens.shape})."
        )
    if not isinstance(tokens, tf.RaggedTensor):
        tokens = tf.RaggedTensor.from_tensor(tokens)
    return tokens, False


def special_values(name, value, owner, allow_none=True):
    """A special token argument -> a tuple of ints or of strs (or None).

    keras-nlp 0.15 accepts one id, one token string, or a list of either
    (several tokens placed in order). Anything else (floats, booleans,
    mixed lists) raises a `ValueError`.
    """
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"`{owner}` needs `{name}`. Received: None.")
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    ints = all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values
    )
    strs = all(isinstance(v, str) for v in values)
    if not values or not (ints or strs):
        raise ValueError(
            f"`{owner}` received `{name}={value!r}`. Expected an int id, a "
            "token string, or a non-empty list of either (all ints or all "
            "strings). Float or boolean ids are never truncated; pass ints."
        )
    return tuple(int(v) for v in values) if ints else tuple(values)


def config_value(values):
    """Special values as written to a config: one value or a list."""
    if values is None:
        return None
    return values[0] if len(values) == 1 else list(values)


def check_token_kind(ragged, specials, owner):
    """Token strings need string special tokens, ids need int ones."""
    text = ragged.dtype == tf.string
    for name, values in specials.items():
        if values is None:
            continue
        if text != isinstance(values[0], str):
            got = "token strings" if text else "integer ids"
            raise TypeError(
                f"`{owner}` received {got} as inputs but `{name}="
                f"{config_value(values)!r}`. Pass integer token ids with int "
                "special tokens, or token strings with string special tokens."
            )


def tile_row(values, batch, dtype):
    """A `(batch, len(values))` ragged tensor repeating `values` per row."""
    row = tf.constant([list(values)], dtype=dtype)
    return tf.RaggedTensor.from_tensor(tf.tile(row, [batch, 1]))
