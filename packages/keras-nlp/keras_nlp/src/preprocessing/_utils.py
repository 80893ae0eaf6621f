# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared helpers of the preprocessing layers."""

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
