# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Masked language model head with weights tied to the token embeddings."""

import keras
from keras import ops

from keras_core import api_export
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
from keras_nlp.src.utils import activations

RFC = "20261122-keras-nlp-bert-encoder"
OUTPUT_TYPES = ("logits", "predictions")


@api_export("keras_nlp.layers.MaskedLM", stability="stable", rfc=RFC)
class MaskedLM(keras.layers.Layer):
    """Predicts the original tokens at the masked positions of a sequence.

    The pre-training head of BERT: it gathers the encoder outputs at the
    given positions, transforms them (dense layer, activation, layer
    normalization) and scores every vocabulary entry by a dot product with
    the token embedding table plus a per-token bias. Passing the encoder's
    table (`encoder.get_embedding_table()`) ties input and output
    embeddings, so the head adds only the transform and the bias. With
    factorised embeddings the transform maps the hidden size down to the
    embedding width.

    A `.keras` file cannot record that two layers share one variable: a
    reloaded `MaskedLM` owns a copy of the table with the saved values (the
    outputs are the same, but the copy is no longer tied). To keep training
    with tied weights after reloading, build a new head from the reloaded
    encoder's table.

    Reference:
        [Devlin et al., 2019. BERT: Pre-training of Deep Bidirectional
        Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)

    Args:
        embedding_table: the `(vocab_size, embedding_width)` embedding
            variable to tie to, usually `encoder.get_embedding_table()`. If
            `None`, the layer creates its own table of shape
            `(vocab_size, embedding_width)`.
        activation: activation of the transform layer, e.g. `"gelu"` as in
            BERT. Defaults to `None` (linear).
        initializer: initializer of the transform kernel (and of the table
            when the layer owns it). Defaults to `"glorot_uniform"`.
        output: `"logits"` (unnormalized scores) or `"predictions"`
            (softmax probabilities). Defaults to `"logits"`.
        vocab_size: int. Only needed without `embedding_table`.
        embedding_width: int. Only needed without `embedding_table`.
        norm_epsilon: float. Epsilon of the layer normalization. Defaults to
            `1e-12`.
        **kwargs: standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: the encoder output `(batch_size, sequence_length,
            hidden_size)`, or a tuple `(sequence_output, masked_positions)`.
        masked_positions: integer tensor `(batch_size, num_predictions)`:
            the positions to predict, when not given inside `inputs`.

    Input shape:
        `sequence_output`: `(batch_size, sequence_length, hidden_size)`;
        `masked_positions`: `(batch_size, num_predictions)`.

    Output shape:
        `(batch_size, num_predictions, vocab_size)`.

    Examples:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=50, hidden_size=16, num_layers=1, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8)
    >>> head = keras_nlp.layers.MaskedLM(encoder.get_embedding_table(), activation="gelu")
    >>> ids = np.random.randint(0, 50, size=(2, 8))
    >>> outputs = encoder([ids, np.ones_like(ids), np.zeros_like(ids)])
    >>> head(outputs["sequence_output"], masked_positions=np.array([[1, 4], [2, 3]])).shape
    TensorShape([2, 2, 50])
    """

    def __init__(
        self,
        embedding_table=None,
        activation=None,
        initializer="glorot_uniform",
        output="logits",
        vocab_size=None,
        embedding_width=None,
        norm_epsilon=1e-12,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if output not in OUTPUT_TYPES:
            raise ValueError(
                f"`output` must be one of {OUTPUT_TYPES}: 'logits' for raw scores "
                "(use a loss with from_logits=True) or 'predictions' for "
                f"probabilities. Received: output={output!r}"
            )
        if embedding_table is not None:
            shape = tuple(embedding_table.shape)
            if len(shape) != 2:
                raise ValueError(
                    "`embedding_table` must be 2-D (vocab_size, embedding_width). "
                    f"Received shape {shape}."
                )
            for arg, value, actual in (
                ("vocab_size", vocab_size, shape[0]),
                ("embedding_width", embedding_width, shape[1]),
            ):
                if value is not None and value != actual:
                    raise ValueError(
                        f"`{arg}`={value} disagrees with the embedding table of shape "
                        f"{shape}. Leave `{arg}` unset when passing a table."
                    )
            vocab_size, embedding_width = int(shape[0]), int(shape[1])
        elif vocab_size is None or embedding_width is None:
            raise ValueError(
                "MaskedLM needs either `embedding_table` (e.g. "
                "`encoder.get_embedding_table()`) or both `vocab_size` and "
                f"`embedding_width`. Received: vocab_size={vocab_size!r}, "
                f"embedding_width={embedding_width!r}"
            )
        self.vocab_size = int(vocab_size)
        self.embedding_width = int(embedding_width)
        self.activation = activations.serialize_activation(activation)
        self._activation_fn = activations.get_activation(activation)
        self.initializer = keras.initializers.get(initializer)
        self.output_type = output
        self.norm_epsilon = float(norm_epsilon)
        # Assigning the variable tracks it, so it is trained and saved with
        # this layer too (a model lists it once).
        self.embedding_table = embedding_table

    def build(self, input_shape):
        if (
            isinstance(input_shape, (list, tuple))
            and input_shape
            and isinstance(input_shape[0], (list, tuple))
        ):
            input_shape = input_shape[0]
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(
                "MaskedLM expects a sequence output of shape (batch_size, "
                f"sequence_length, hidden_size). Received: {tuple(input_shape)}"
            )
        if self.embedding_table is None:
            self.embedding_table = self.add_weight(
                name="embedding_table",
                shape=(self.vocab_size, self.embedding_width),
                initializer=clone_initializer(self.initializer),
            )
        self.dense = keras.layers.Dense(
            self.embedding_width,
            activation=self._activation_fn,
            kernel_initializer=clone_initializer(self.initializer),
            dtype=self.dtype_policy,
            name="transform",
        )
        self.dense.build(tuple(input_shape))
        self.norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=self.dtype_policy, name="transform_norm"
        )
        self.norm.build(tuple(input_shape[:-1]) + (self.embedding_width,))
        self.output_bias = self.add_weight(
            name="output_bias", shape=(self.vocab_size,), initializer="zeros"
        )
        self.built = True

    def call(self, inputs, masked_positions=None):
        if masked_positions is None:
            if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
                raise ValueError(
                    "MaskedLM needs `masked_positions`: call it as "
                    "`layer(sequence_output, masked_positions=positions)` or "
                    "`layer((sequence_output, positions))`."
                )
            sequence_output, masked_positions = inputs
        else:
            sequence_output = inputs
        if len(masked_positions.shape) != 2:
            raise ValueError(
                "`masked_positions` must have shape (batch_size, num_predictions). "
                f"Received: shape={tuple(masked_positions.shape)}"
            )
        positions = ops.cast(masked_positions, "int32")
        gathered = ops.take_along_axis(
            sequence_output, ops.expand_dims(positions, -1), axis=1
        )
        hidden = self.norm(self.dense(gathered))
        table = ops.cast(self.embedding_table, self.compute_dtype)
        logits = ops.matmul(hidden, ops.transpose(table)) + ops.cast(
            self.output_bias, self.compute_dtype
        )
        if self.output_type == "predictions":
            return ops.softmax(logits, axis=-1)
        return logits

    def compute_output_shape(self, inputs_shape, masked_positions_shape=None):
        if masked_positions_shape is None:
            inputs_shape, masked_positions_shape = inputs_shape
        return (inputs_shape[0], masked_positions_shape[1], self.vocab_size)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                # A variable cannot be serialized; a reloaded layer owns a copy.
                "embedding_table": None,
                "vocab_size": self.vocab_size,
                "embedding_width": self.embedding_width,
                "activation": self.activation,
                "initializer": keras.initializers.serialize(self.initializer),
                "output": self.output_type,
                "norm_epsilon": self.norm_epsilon,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["activation"] = activations.deserialize_activation(
            config.get("activation")
        )
        return cls(**config)
