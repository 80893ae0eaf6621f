# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Learned absolute position embeddings."""

import keras
from keras import ops

from keras_core import api_export
from keras_nlp.src.utils import checks

RFC = "20261122-keras-nlp-bert-encoder"


@api_export("keras_nlp.layers.PositionEmbedding", stability="stable", rfc=RFC)
class PositionEmbedding(keras.layers.Layer):
    """Learned position embeddings for the positions of a sequence.

    Holds one trainable vector per position, up to `max_length` positions,
    and returns the vectors of positions `0 .. sequence_length - 1` for every
    sequence of the batch. The width of the vectors is the last dimension of
    the input. Add the result to the token embeddings, as BERT does.

    Sequences longer than `max_length` are an error: when the length is
    known (static shape or eager call) a `ValueError`, otherwise a graph
    assertion that raises `tf.errors.InvalidArgumentError`.

    Reference:
        [Devlin et al., 2019. BERT: Pre-training of Deep Bidirectional
        Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)

    Args:
        max_length: int. The largest sequence length the layer accepts.
        initializer: initializer of the embedding table. Defaults to
            `"glorot_uniform"`.
        **kwargs: standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor `(batch_size, sequence_length, width)`, usually the
            token embeddings. Only its shape is used.

    Input shape:
        `(batch_size, sequence_length, width)`.

    Output shape:
        Same as the input.

    Examples:

    >>> import numpy as np
    >>> tokens = np.zeros((2, 5, 8), "float32")
    >>> layer = keras_nlp.layers.PositionEmbedding(max_length=16)
    >>> layer(tokens).shape
    TensorShape([2, 5, 8])
    """

    def __init__(self, max_length, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(max_length, int) or max_length <= 0:
            raise ValueError(
                "`max_length` must be a positive int (the longest sequence the "
                f"layer accepts). Received: max_length={max_length!r}"
            )
        self.max_length = max_length
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(
                "PositionEmbedding expects inputs of shape (batch_size, "
                "sequence_length, width) with a known width. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        self._check_length(input_shape[1])
        self.position_embeddings = self.add_weight(
            name="embeddings",
            shape=(self.max_length, input_shape[-1]),
            initializer=self.initializer,
        )
        self.built = True

    def _check_length(self, length):
        if length is None:
            return []
        return checks.check_length_at_most(
            length,
            self.max_length,
            f"{self.name}: sequences may have at most max_length="
            f"{self.max_length} positions. Truncate the inputs or build the "
            "model with a larger maximum length.",
        )

    def call(self, inputs):
        shape = ops.shape(inputs)
        length = shape[1]
        dependencies = self._check_length(length)
        table = checks.after(
            ops.cast(self.position_embeddings, self.compute_dtype), dependencies
        )
        positions = ops.slice(table, (0, 0), (length, table.shape[-1]))
        return ops.broadcast_to(
            ops.expand_dims(positions, 0), (shape[0], length, table.shape[-1])
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "max_length": self.max_length,
                "initializer": keras.initializers.serialize(self.initializer),
            }
        )
        return config
