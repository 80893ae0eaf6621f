# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Turns a padding mask into a self-attention mask."""

import keras
from keras import ops

from keras_core import api_export

RFC = "20261122-keras-nlp-bert-encoder"


@api_export("keras_nlp.layers.SelfAttentionMask", stability="stable", rfc=RFC)
class SelfAttentionMask(keras.layers.Layer):
    """Builds a 3-D attention mask from a 2-D padding mask.

    Attention layers need to know, for each query position, which key
    positions it may attend to. For padded batches that is the same for
    every query: all real (non-padding) tokens. This layer repeats the
    padding mask `to_mask` of shape `(batch_size, to_length)` once per query
    position of `from_tensor`, giving `(batch_size, from_length, to_length)`,
    the `attention_mask` that `TransformerEncoder` and
    `keras.layers.MultiHeadAttention` take. Entry `[b, i, j]` is 1 when query
    `i` may attend to key `j` and 0 otherwise.

    Call arguments:
        inputs: a list `[from_tensor, to_mask]`, or only `from_tensor` when
            `to_mask` is passed separately. `from_tensor` is any tensor of
            shape `(batch_size, from_length, ...)`: only its first two
            dimensions are used. `to_mask` is `(batch_size, to_length)`, with
            non-zero (or `True`) for real tokens.
        to_mask: the padding mask, when not given inside `inputs`.

    Input shape:
        `from_tensor`: `(batch_size, from_length, ...)`;
        `to_mask`: `(batch_size, to_length)`.

    Output shape:
        `(batch_size, from_length, to_length)`, in the layer's compute dtype.

    Examples:

    >>> import numpy as np
    >>> embeddings = np.zeros((1, 3, 8), "float32")
    >>> padding_mask = np.array([[1, 1, 0]])
    >>> mask = keras_nlp.layers.SelfAttentionMask()([embeddings, padding_mask])
    >>> mask.shape
    TensorShape([1, 3, 3])
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs, to_mask=None):
        if to_mask is None:
            if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
                raise ValueError(
                    "SelfAttentionMask expects `[from_tensor, to_mask]` or "
                    "`(from_tensor, to_mask=...)`. Received: inputs of type "
                    f"{type(inputs).__name__}"
                    + (
                        f" with {len(inputs)} elements."
                        if isinstance(inputs, (list, tuple))
                        else "."
                    )
                )
            from_tensor, to_mask = inputs
        else:
            from_tensor = inputs
        if len(to_mask.shape) != 2:
            raise ValueError(
                "`to_mask` must have shape (batch_size, to_length). "
                f"Received: to_mask.shape={tuple(to_mask.shape)}"
            )
        from_shape = ops.shape(from_tensor)
        to_mask = ops.cast(ops.not_equal(to_mask, 0), self.compute_dtype)
        to_mask = ops.expand_dims(to_mask, axis=1)  # (batch, 1, to_length)
        ones = ops.ones((from_shape[0], from_shape[1], 1), dtype=self.compute_dtype)
        return ones * to_mask

    def compute_output_shape(self, inputs_shape, to_mask_shape=None):
        if to_mask_shape is None:
            inputs_shape, to_mask_shape = inputs_shape
        return (inputs_shape[0], inputs_shape[1], to_mask_shape[1])
