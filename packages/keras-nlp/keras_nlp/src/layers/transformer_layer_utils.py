# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What the Transformer encoder and decoder blocks share (private).

Input and mask handling, argument checks, and `TransformerLayerBase`: the
common arguments, the feed-forward network and the config of both blocks.
"""

import keras
from keras import ops

from keras_nlp.src.utils import activations

# The arguments of both blocks, in the order of their configs. Each block
# adds one of its own after `inner_activation` (`TransformerLayerBase`).
_LEADING_ARGUMENTS = ("num_attention_heads", "inner_dim", "inner_activation")


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


def check_block_sizes(num_attention_heads, inner_dim):
    """Raises unless both sizes are positive ints (bools are not)."""
    for arg, value in (
        ("num_attention_heads", num_attention_heads),
        ("inner_dim", inner_dim),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(
                f"`{arg}` must be a positive int. Received: {arg}={value!r}"
            )


def check_dropout_rates(**rates):
    """Raises unless every rate lies in [0, 1), naming the first that does not."""
    for arg, value in rates.items():
        if not 0.0 <= float(value) < 1.0:
            raise ValueError(
                f"`{arg}` must be a rate in [0, 1). Received: {arg}={value!r}"
            )


class TransformerLayerBase(keras.layers.Layer):
    """The arguments, feed-forward network and config of a Transformer block.

    `TransformerEncoder` and `TransformerDecoder` keep their own documented
    `__init__` (and its checks); at its end they hand their arguments to
    `_init_block`, which checks the dropout rates and stores the arguments
    both blocks share. A subclass names its one argument of its own in
    `_own_argument`; `get_config` places it after `inner_activation`.
    """

    _own_argument = None

    def _init_block(self, arguments):
        """Stores the shared arguments, given the subclass's `locals()`."""
        a = arguments
        check_dropout_rates(
            output_dropout=a["output_dropout"],
            attention_dropout=a["attention_dropout"],
            inner_dropout=a["inner_dropout"],
        )
        self.num_attention_heads = a["num_attention_heads"]
        self.inner_dim = a["inner_dim"]
        self.inner_activation = activations.serialize_activation(a["inner_activation"])
        self._inner_activation_fn = activations.get_activation(a["inner_activation"])
        self.kernel_initializer = keras.initializers.get(a["kernel_initializer"])
        self.bias_initializer = keras.initializers.get(a["bias_initializer"])
        self.kernel_regularizer = keras.regularizers.get(a["kernel_regularizer"])
        self.bias_regularizer = keras.regularizers.get(a["bias_regularizer"])
        self.inner_activity_regularizer = keras.regularizers.get(
            a["activity_regularizer"]
        )
        self.kernel_constraint = keras.constraints.get(a["kernel_constraint"])
        self.bias_constraint = keras.constraints.get(a["bias_constraint"])
        self.use_bias = bool(a["use_bias"])
        self.norm_first = bool(a["norm_first"])
        self.norm_epsilon = float(a["norm_epsilon"])
        self.output_dropout = float(a["output_dropout"])
        self.attention_dropout = float(a["attention_dropout"])
        self.inner_dropout = float(a["inner_dropout"])
        self.attention_initializer = (
            keras.initializers.get(a["attention_initializer"])
            if a["attention_initializer"] is not None
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

    def _attention(self, name, hidden_size, **kwargs):
        """A `MultiHeadAttention` splitting `hidden_size` over the heads."""
        return keras.layers.MultiHeadAttention(
            num_heads=self.num_attention_heads,
            key_dim=hidden_size // self.num_attention_heads,
            dropout=self.attention_dropout,
            kernel_initializer=clone_initializer(
                self.attention_initializer or self.kernel_initializer
            ),
            name=name,
            **kwargs,
            **self._dense_kwargs(),
        )

    def _norm(self, name, shape):
        norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=self.dtype_policy, name=name
        )
        norm.build(shape)
        return norm

    def _build_feed_forward(self, x_shape, hidden_size):
        """Builds the feed-forward network, its normalization and dropouts.

        In this order (the order of the weights in checkpoints):
        `inner_dense`, `output_dense`, `output_norm`.
        """
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
        self.output_norm = self._norm("output_norm", x_shape)
        self._output_dropout_layer = keras.layers.Dropout(
            self.output_dropout, dtype=self.dtype_policy
        )
        self._inner_dropout_layer = keras.layers.Dropout(
            self.inner_dropout, dtype=self.dtype_policy
        )

    def get_config(self):
        config = super().get_config()
        config.update({name: getattr(self, name) for name in _LEADING_ARGUMENTS})
        if self._own_argument is not None:
            config[self._own_argument] = getattr(self, self._own_argument)
        config.update(
            {
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
