# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""One Transformer encoder block: self-attention plus a feed-forward network."""

import keras
from keras import ops

from keras_core import api_export
from keras_nlp.src.utils import activations

RFC = "20261122-keras-nlp-bert-encoder"


def clone_initializer(initializer):
    """A fresh initializer with the same config.

    Sharing one seeded initializer object between weights would give them
    identical values; every sub-layer gets its own copy instead.
    """
    initializer = keras.initializers.get(initializer)
    return initializer.__class__.from_config(initializer.get_config())


def split_inputs(inputs, layer_name, max_parts):
    """Splits `x` or `[x, ...]` into a list of `max_parts` (missing: None)."""
    if isinstance(inputs, (list, tuple)):
        parts = list(inputs)
        if not parts or len(parts) > max_parts:
            raise ValueError(
                f"{layer_name} takes a tensor or a list of 1 to {max_parts} "
                f"tensors. Received a {type(inputs).__name__} of {len(parts)}."
            )
    elif isinstance(inputs, dict):
        raise TypeError(
            f"{layer_name} takes a tensor or a list of tensors, not a dict. "
            f"Received keys: {sorted(inputs)}."
        )
    else:
        parts = [inputs]
    return parts + [None] * (max_parts - len(parts))


def as_attention_mask(mask, name):
    """Accepts a `(batch, query, key)` mask or a `(batch, key)` padding mask."""
    if mask is None:
        return None
    rank = len(mask.shape)
    if rank == 2:
        return ops.expand_dims(mask, axis=1)
    if rank != 3:
        raise ValueError(
            f"`{name}` must have shape (batch_size, query_length, key_length), "
            "or (batch_size, key_length) for a padding mask. "
            f"Received: shape={tuple(mask.shape)}"
        )
    return mask


@api_export("keras_nlp.layers.TransformerEncoder", stability="stable", rfc=RFC)
class TransformerEncoder(keras.layers.Layer):
    """A Transformer encoder block: self-attention and a feed-forward network.

    The building block of BERT-style encoders. Each token attends to the
    tokens the attention mask allows (multi-head attention from
    `keras.layers.MultiHeadAttention`), then passes through a two-layer
    feed-forward network; each of the two steps has a residual connection,
    dropout and layer normalization. With `norm_first=False` (BERT, the
    original Transformer) the normalization follows each residual sum; with
    `norm_first=True` (GPT-2 and many later models) it precedes each step,
    which trains more stably in deep stacks.

    A block can be applied several times, which is how ALBERT shares one
    block across all its layers.

    References:
        - [Vaswani et al., 2017. Attention Is All You Need](https://arxiv.org/abs/1706.03762)
        - [Devlin et al., 2019. BERT: Pre-training of Deep Bidirectional
          Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)

    Args:
        num_attention_heads: int. Number of attention heads. The hidden size
            (the last dimension of the input) must be divisible by it.
        inner_dim: int. Width of the first (inner) feed-forward layer.
        inner_activation: activation of the inner layer: a Keras activation
            name, `"gelu"` (exact, erf-based, as in BERT),
            `"gelu_approximate"` (tanh form) or a callable. Defaults to
            `"gelu"`.
        output_range: int or None. When set, only the first `output_range`
            positions are computed and returned (they still attend to the
            whole sequence); BERT uses `output_range=1` in its last layer
            when only the `[CLS]` output is needed. Defaults to `None`.
        kernel_initializer: initializer of the dense kernels. Defaults to
            `"glorot_uniform"`.
        bias_initializer: initializer of the biases. Defaults to `"zeros"`.
        kernel_regularizer: regularizer of the dense kernels.
        bias_regularizer: regularizer of the biases.
        activity_regularizer: regularizer of the outputs of the dense layers.
        kernel_constraint: constraint of the dense kernels.
        bias_constraint: constraint of the biases.
        use_bias: bool. Whether the attention projections and the
            feed-forward layers have biases. Defaults to `True`.
        norm_first: bool. Normalize before each step (pre-norm) instead of
            after each residual sum (post-norm). Defaults to `False`.
        norm_epsilon: float. Epsilon of the layer normalizations. Defaults to
            `1e-12`, as in BERT.
        output_dropout: float. Dropout rate on the attention output and on
            the feed-forward output. Defaults to `0.0`.
        attention_dropout: float. Dropout rate on the attention
            probabilities. Defaults to `0.0`.
        inner_dropout: float. Dropout rate after the inner activation.
            Defaults to `0.0`.
        attention_initializer: initializer of the attention kernels. `None`
            means `kernel_initializer`. Defaults to `None`.
        **kwargs: standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor `x` of shape `(batch_size, sequence_length,
            hidden_size)`, or a list `[x, attention_mask]`. `attention_mask`
            is `(batch_size, sequence_length, sequence_length)` (1 where a
            query may attend to a key, as `SelfAttentionMask` makes it) or a
            `(batch_size, sequence_length)` padding mask; `None` or absent
            means every position attends to every other.
        training: bool. Whether dropout is active.

    Input shape:
        `x`: `(batch_size, sequence_length, hidden_size)`.

    Output shape:
        `(batch_size, output_range or sequence_length, hidden_size)`.

    Examples:

    >>> import numpy as np
    >>> x = np.random.rand(2, 6, 16).astype("float32")
    >>> padding = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    >>> mask = keras_nlp.layers.SelfAttentionMask()([x, padding])
    >>> block = keras_nlp.layers.TransformerEncoder(num_attention_heads=2, inner_dim=32)
    >>> block([x, mask]).shape
    TensorShape([2, 6, 16])
    """

    def __init__(
        self,
        num_attention_heads,
        inner_dim,
        inner_activation="gelu",
        output_range=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_bias=True,
        norm_first=False,
        norm_epsilon=1e-12,
        output_dropout=0.0,
        attention_dropout=0.0,
        inner_dropout=0.0,
        attention_initializer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for arg, value in (
            ("num_attention_heads", num_attention_heads),
            ("inner_dim", inner_dim),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"`{arg}` must be a positive int. Received: {arg}={value!r}"
                )
        if output_range is not None and (
            not isinstance(output_range, int) or output_range <= 0
        ):
            raise ValueError(
                "`output_range` must be None (all positions) or a positive int "
                f"(the number of leading positions to compute). Received: output_range={output_range!r}"
            )
        for arg, value in (
            ("output_dropout", output_dropout),
            ("attention_dropout", attention_dropout),
            ("inner_dropout", inner_dropout),
        ):
            if not 0.0 <= float(value) < 1.0:
                raise ValueError(
                    f"`{arg}` must be a rate in [0, 1). Received: {arg}={value!r}"
                )
        self.num_attention_heads = num_attention_heads
        self.inner_dim = inner_dim
        self.inner_activation = activations.serialize_activation(inner_activation)
        self._inner_activation_fn = activations.get_activation(inner_activation)
        self.output_range = output_range
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.inner_activity_regularizer = keras.regularizers.get(activity_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.use_bias = bool(use_bias)
        self.norm_first = bool(norm_first)
        self.norm_epsilon = float(norm_epsilon)
        self.output_dropout = float(output_dropout)
        self.attention_dropout = float(attention_dropout)
        self.inner_dropout = float(inner_dropout)
        self.attention_initializer = (
            keras.initializers.get(attention_initializer)
            if attention_initializer is not None
            else None
        )

    def _dense_kwargs(self):
        return dict(
            bias_initializer=clone_initializer(self.bias_initializer),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.inner_activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            use_bias=self.use_bias,
            dtype=self.dtype_policy,
        )

    def build(self, input_shape):
        x_shape = input_shape[0] if _is_shape_list(input_shape) else input_shape
        if len(x_shape) != 3 or x_shape[-1] is None:
            raise ValueError(
                "TransformerEncoder expects inputs of shape (batch_size, "
                "sequence_length, hidden_size) with a known hidden_size. "
                f"Received: shape={tuple(x_shape)}"
            )
        hidden_size = int(x_shape[-1])
        if hidden_size % self.num_attention_heads:
            raise ValueError(
                f"The hidden size ({hidden_size}) must be divisible by "
                f"num_attention_heads ({self.num_attention_heads}), so that "
                "every head gets an equal slice. Change one of them."
            )
        self.hidden_size = hidden_size
        attention_initializer = self.attention_initializer or self.kernel_initializer
        self.attention_layer = keras.layers.MultiHeadAttention(
            num_heads=self.num_attention_heads,
            key_dim=hidden_size // self.num_attention_heads,
            dropout=self.attention_dropout,
            kernel_initializer=clone_initializer(attention_initializer),
            name="attention",
            **self._dense_kwargs(),
        )
        x_shape = tuple(x_shape)
        self.attention_layer.build(x_shape, x_shape)
        self.attention_norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=self.dtype_policy, name="attention_norm"
        )
        self.attention_norm.build(x_shape)
        self.inner_dense = keras.layers.Dense(
            self.inner_dim,
            activation=self._inner_activation_fn,
            kernel_initializer=clone_initializer(self.kernel_initializer),
            name="inner_dense",
            **self._dense_kwargs(),
        )
        self.inner_dense.build(x_shape)
        self.output_dense = keras.layers.Dense(
            hidden_size,
            kernel_initializer=clone_initializer(self.kernel_initializer),
            name="output_dense",
            **self._dense_kwargs(),
        )
        self.output_dense.build(x_shape[:-1] + (self.inner_dim,))
        self.output_norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=self.dtype_policy, name="output_norm"
        )
        self.output_norm.build(x_shape)
        self._output_dropout_layer = keras.layers.Dropout(
            self.output_dropout, dtype=self.dtype_policy
        )
        self._inner_dropout_layer = keras.layers.Dropout(
            self.inner_dropout, dtype=self.dtype_policy
        )
        self.built = True

    def call(self, inputs, training=None):
        x, attention_mask = split_inputs(inputs, "TransformerEncoder", 2)
        attention_mask = as_attention_mask(attention_mask, "attention_mask")
        if self.output_range is not None:
            target = x[:, : self.output_range, :]
            if attention_mask is not None and attention_mask.shape[1] != 1:
                attention_mask = attention_mask[:, : self.output_range, :]
        else:
            target = x

        if self.norm_first:
            source = self.attention_norm(x)
            query = (
                source[:, : self.output_range, :]
                if self.output_range is not None
                else source
            )
        else:
            source, query = x, target
        attention = self.attention_layer(
            query, source, source, attention_mask=attention_mask, training=training
        )
        attention = self._output_dropout_layer(attention, training=training)
        if self.norm_first:
            attention_out = target + attention
        else:
            attention_out = self.attention_norm(target + attention)

        ffn_input = (
            self.output_norm(attention_out) if self.norm_first else attention_out
        )
        inner = self.inner_dense(ffn_input)
        inner = self._inner_dropout_layer(inner, training=training)
        ffn = self.output_dense(inner)
        ffn = self._output_dropout_layer(ffn, training=training)
        if self.norm_first:
            return attention_out + ffn
        return self.output_norm(attention_out + ffn)

    def compute_output_shape(self, input_shape):
        x_shape = input_shape[0] if _is_shape_list(input_shape) else input_shape
        x_shape = tuple(x_shape)
        if self.output_range is not None:
            length = x_shape[1]
            length = (
                self.output_range if length is None else min(length, self.output_range)
            )
            return (x_shape[0], length, x_shape[2])
        return x_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_attention_heads": self.num_attention_heads,
                "inner_dim": self.inner_dim,
                "inner_activation": self.inner_activation,
                "output_range": self.output_range,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "kernel_regularizer": keras.regularizers.serialize(
                    self.kernel_regularizer
                ),
                "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": keras.regularizers.serialize(
                    self.inner_activity_regularizer
                ),
                "kernel_constraint": keras.constraints.serialize(
                    self.kernel_constraint
                ),
                "bias_constraint": keras.constraints.serialize(self.bias_constraint),
                "use_bias": self.use_bias,
                "norm_first": self.norm_first,
                "norm_epsilon": self.norm_epsilon,
                "output_dropout": self.output_dropout,
                "attention_dropout": self.attention_dropout,
                "inner_dropout": self.inner_dropout,
                "attention_initializer": (
                    keras.initializers.serialize(self.attention_initializer)
                    if self.attention_initializer is not None
                    else None
                ),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["inner_activation"] = activations.deserialize_activation(
            config.get("inner_activation")
        )
        return cls(**config)


def _is_shape_list(shape):
    """True for a list of shapes, False for one shape."""
    return (
        isinstance(shape, (list, tuple))
        and len(shape) > 0
        and isinstance(shape[0], (list, tuple, type(None)))
        and not (
            shape[0] is None and all(isinstance(d, (int, type(None))) for d in shape)
        )
    )
