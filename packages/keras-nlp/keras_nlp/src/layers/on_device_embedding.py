# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Token embedding by gather or by one-hot matrix product."""

import keras
from keras import ops

from keras_core import api_export
from keras_nlp.src.utils import checks

RFC = "20261122-keras-nlp-bert-encoder"


@api_export("keras_nlp.layers.OnDeviceEmbedding", stability="stable", rfc=RFC)
class OnDeviceEmbedding(keras.layers.Layer):
    """Maps integer ids to dense vectors, by gather or by one-hot product.

    A lookup table of shape `(vocab_size, embedding_width)`. With
    `use_one_hot=False` the rows are gathered; with `use_one_hot=True` the
    ids are turned into one-hot vectors and multiplied with the table. Both
    give the same result; the one-hot form is a plain matrix product, which
    accelerators (TPUs in particular) run faster than a gather when the
    vocabulary is small, such as BERT's two token types, at the cost of a
    `(..., vocab_size)` intermediate tensor.

    Ids outside `[0, vocab_size)` are an error: eagerly a `ValueError`, in a
    traced graph a `tf.errors.InvalidArgumentError` (XLA-compiled code skips
    that check).

    Reference:
        [Devlin et al., 2019. BERT: Pre-training of Deep Bidirectional
        Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)

    Args:
        vocab_size: int. Number of rows of the table (distinct ids).
        embedding_width: int. Size of each embedding vector.
        initializer: initializer of the table. Defaults to `"glorot_uniform"`.
        use_one_hot: bool. Use a one-hot matrix product instead of a gather.
            Defaults to `False`.
        **kwargs: standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: integer tensor of ids, any shape.

    Input shape:
        Any integer tensor `(batch_size, ...)`.

    Output shape:
        `inputs.shape + (embedding_width,)`.

    Examples:

    >>> import numpy as np
    >>> layer = keras_nlp.layers.OnDeviceEmbedding(vocab_size=10, embedding_width=4)
    >>> layer(np.array([[1, 2, 3]])).shape
    TensorShape([1, 3, 4])
    """

    def __init__(
        self,
        vocab_size,
        embedding_width,
        initializer="glorot_uniform",
        use_one_hot=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(vocab_size, int) or vocab_size <= 0:
            raise ValueError(
                "`vocab_size` must be a positive int (the number of distinct ids). "
                f"Received: vocab_size={vocab_size!r}"
            )
        if not isinstance(embedding_width, int) or embedding_width <= 0:
            raise ValueError(
                "`embedding_width` must be a positive int (the size of each "
                f"embedding vector). Received: embedding_width={embedding_width!r}"
            )
        self.vocab_size = vocab_size
        self.embedding_width = embedding_width
        self.initializer = keras.initializers.get(initializer)
        self.use_one_hot = bool(use_one_hot)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.vocab_size, self.embedding_width),
            initializer=self.initializer,
        )
        self.built = True

    def call(self, inputs):
        if not keras.backend.is_int_dtype(
            keras.backend.standardize_dtype(inputs.dtype)
        ):
            inputs = ops.cast(inputs, "int32")
        dependencies = checks.check_ids_in_range(
            inputs,
            self.vocab_size,
            f"{self.name}: ids must lie in [0, vocab_size={self.vocab_size}). "
            "Fix the tokenizer or vocabulary, or raise `vocab_size`.",
        )
        inputs = checks.after(inputs, dependencies)
        if self.use_one_hot:
            one_hot = ops.one_hot(inputs, self.vocab_size, dtype=self.compute_dtype)
            return ops.matmul(one_hot, ops.cast(self.embeddings, self.compute_dtype))
        return ops.take(ops.cast(self.embeddings, self.compute_dtype), inputs, axis=0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.embedding_width,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "vocab_size": self.vocab_size,
                "embedding_width": self.embedding_width,
                "initializer": keras.initializers.serialize(self.initializer),
                "use_one_hot": self.use_one_hot,
            }
        )
        return config
