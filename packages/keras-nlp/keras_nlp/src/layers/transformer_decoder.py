# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""One Transformer decoder block: causal self-attention, cross-attention, FFN."""

from keras import ops

from keras_core import api_export
from keras_nlp.src.layers.transformer_layer_utils import TransformerLayerBase
from keras_nlp.src.layers.transformer_layer_utils import as_attention_mask
from keras_nlp.src.layers.transformer_layer_utils import check_block_sizes
from keras_nlp.src.layers.transformer_layer_utils import split_inputs


@api_export("keras_nlp.layers.TransformerDecoder", stability="experimental")
class TransformerDecoder(TransformerLayerBase):
    """A Transformer decoder block for encoder-decoder models.

    Three steps, each with a residual connection, dropout and layer
    normalization: self-attention over the decoder sequence (causal by
    default, so position `i` sees only positions `<= i`), cross-attention
    from the decoder sequence to the encoder output (the "memory"), and a
    two-layer feed-forward network. This is the decoder layer of the
    original Transformer, used for translation and summarization. Its
    arguments mirror `TransformerEncoder`.

    Reference:
        [Vaswani et al., 2017. Attention Is All You Need](https://arxiv.org/abs/1706.03762)

    Args:
        num_attention_heads: int. Number of heads of both attention layers.
            The decoder hidden size must be divisible by it.
        inner_dim: int. Width of the inner feed-forward layer.
        inner_activation: activation of the inner layer (see
            `TransformerEncoder`). Defaults to `"gelu"`.
        use_causal_mask: bool. Restrict self-attention to earlier positions.
            Defaults to `True`.
        kernel_initializer: initializer of the dense kernels. Defaults to
            `"glorot_uniform"`.
        bias_initializer: initializer of the biases. Defaults to `"zeros"`.
        kernel_regularizer: regularizer of the dense kernels.
        bias_regularizer: regularizer of the biases.
        activity_regularizer: regularizer of the outputs of the dense layers.
        kernel_constraint: constraint of the dense kernels.
        bias_constraint: constraint of the biases.
        use_bias: bool. Whether the projections have biases. Defaults to
            `True`.
        norm_first: bool. Pre-norm instead of post-norm. Defaults to `False`.
        norm_epsilon: float. Epsilon of the layer normalizations. Defaults to
            `1e-12`.
        output_dropout: float. Dropout on each step's output. Defaults to 0.
        attention_dropout: float. Dropout on attention probabilities.
            Defaults to 0.
        inner_dropout: float. Dropout after the inner activation. Defaults
            to 0.
        attention_initializer: initializer of the attention kernels; `None`
            means `kernel_initializer`.
        **kwargs: standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a list `[x, memory]`, `[x, memory, memory_mask]` or
            `[x, memory, memory_mask, self_attention_mask]`. `x` is the
            decoder sequence `(batch_size, target_length, hidden_size)`;
            `memory` the encoder output `(batch_size, source_length,
            memory_size)`. `memory_mask` says which memory positions each
            target position may attend to: `(batch_size, target_length,
            source_length)`, or a `(batch_size, source_length)` padding mask.
            `self_attention_mask` is `(batch_size, target_length,
            target_length)` or a `(batch_size, target_length)` padding mask;
            it is combined with the causal mask. Masks may be `None`.
        training: bool. Whether dropout is active.

    Input shape:
        `x`: `(batch_size, target_length, hidden_size)`;
        `memory`: `(batch_size, source_length, memory_size)`.

    Output shape:
        `(batch_size, target_length, hidden_size)`.

    Examples:

    >>> import numpy as np
    >>> target = np.random.rand(2, 5, 16).astype("float32")
    >>> memory = np.random.rand(2, 7, 16).astype("float32")
    >>> block = keras_nlp.layers.TransformerDecoder(num_attention_heads=2, inner_dim=32)
    >>> block([target, memory]).shape
    TensorShape([2, 5, 16])
    """

    _own_argument = "use_causal_mask"

    def __init__(
        self,
        num_attention_heads,
        inner_dim,
        inner_activation="gelu",
        use_causal_mask=True,
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
        check_block_sizes(num_attention_heads, inner_dim)
        self._init_block(locals())
        self.use_causal_mask = bool(use_causal_mask)

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) < 2
            or not isinstance(input_shape[1], (list, tuple))
        ):
            raise ValueError(
                "TransformerDecoder expects a list [x, memory, ...]. "
                f"Received input shape: {input_shape}"
            )
        x_shape, memory_shape = tuple(input_shape[0]), tuple(input_shape[1])
        if (
            len(x_shape) != 3
            or x_shape[-1] is None
            or len(memory_shape) != 3
            or memory_shape[-1] is None
        ):
            raise ValueError(
                "`x` and `memory` must both have shape (batch_size, length, "
                f"width) with a known width. Received: x.shape={x_shape}, "
                f"memory.shape={memory_shape}"
            )
        hidden_size = int(x_shape[-1])
        if hidden_size % self.num_attention_heads:
            raise ValueError(
                f"The hidden size ({hidden_size}) must be divisible by "
                f"num_attention_heads ({self.num_attention_heads}). Change one of them."
            )
        self.self_attention_layer = self._attention(
            "self_attention", hidden_size, output_shape=hidden_size
        )
        self.self_attention_layer.build(x_shape, x_shape)
        self.self_attention_norm = self._norm("self_attention_norm", x_shape)
        self.cross_attention_layer = self._attention(
            "cross_attention", hidden_size, output_shape=hidden_size
        )
        self.cross_attention_layer.build(x_shape, memory_shape)
        self.cross_attention_norm = self._norm("cross_attention_norm", x_shape)
        self._build_feed_forward(x_shape, hidden_size)
        self.built = True

    def _causal_mask(self, x):
        length = ops.shape(x)[1]
        rows = ops.expand_dims(ops.arange(length), 1)
        cols = ops.expand_dims(ops.arange(length), 0)
        return ops.expand_dims(ops.greater_equal(rows, cols), 0)  # (1, T, T)

    def _residual_step(self, x, step, norm, training):
        """`x + step(x)` with the normalization before or after."""
        if self.norm_first:
            return x + self._output_dropout_layer(step(norm(x)), training=training)
        return norm(x + self._output_dropout_layer(step(x), training=training))

    def call(self, inputs, training=None):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(
                "TransformerDecoder takes a list [x, memory], [x, memory, "
                "memory_mask] or [x, memory, memory_mask, self_attention_mask]. "
                f"Received: {type(inputs).__name__}"
            )
        x, memory, memory_mask, self_mask = split_inputs(
            inputs, "TransformerDecoder", 4
        )
        memory_mask = as_attention_mask(memory_mask, "memory_mask")
        self_mask = as_attention_mask(self_mask, "self_attention_mask")
        if self_mask is not None:
            self_mask = ops.cast(self_mask, "bool")
        if self.use_causal_mask:
            causal = self._causal_mask(x)
            self_mask = (
                causal if self_mask is None else ops.logical_and(self_mask, causal)
            )

        def self_attention(h):
            return self.self_attention_layer(
                h, h, h, attention_mask=self_mask, training=training
            )

        def cross_attention(h):
            return self.cross_attention_layer(
                h, memory, memory, attention_mask=memory_mask, training=training
            )

        def feed_forward(h):
            inner = self._inner_dropout_layer(self.inner_dense(h), training=training)
            return self.output_dense(inner)

        x = self._residual_step(x, self_attention, self.self_attention_norm, training)
        x = self._residual_step(x, cross_attention, self.cross_attention_norm, training)
        return self._residual_step(x, feed_forward, self.output_norm, training)

    def build_cache(self, memory, max_length):
        """Returns the decoding cache of this block for one encoder output.

        The cache holds the projected keys and values of the decoder
        positions computed so far (zeros at first) and those of the memory,
        projected once instead of at every step.

        Args:
            memory: the encoder output `(batch_size, source_length,
                memory_size)`.
            max_length: int. Number of decoder positions the cache holds.

        Returns:
            A dict of batch-first tensors: `key` and `value`
            `(batch_size, max_length, num_heads, head_size)`, and
            `memory_key`, `memory_value` for the memory.
        """
        if not self.built:
            raise ValueError(
                "Call the TransformerDecoder once (or `build` it) before "
                "`build_cache`, so that its projections exist."
            )
        cross = self.cross_attention_layer
        memory_key = cross.key_dense(memory)
        memory_value = cross.value_dense(memory)
        batch_size = ops.shape(memory)[0]
        heads = self.num_attention_heads
        head_size = self.self_attention_layer.key_dim
        zeros = ops.zeros(
            (batch_size, max_length, heads, head_size), dtype=memory_key.dtype
        )
        return {
            "key": zeros,
            "value": zeros,
            "memory_key": memory_key,
            "memory_value": memory_value,
        }

    def call_with_cache(self, x, cache, index, memory_mask=None):
        """Runs the block on the one decoder position `index`, with a cache.

        Equivalent to calling the block on positions `0 .. index` and
        keeping the output at `index` (causal attention), but it only
        computes the new position: the keys and values of earlier positions
        come from `cache`, and this position's are written into it.
        Inference only (no dropout).

        Args:
            x: `(batch_size, 1, hidden_size)`, the input at position `index`.
            cache: the dict from `build_cache` (or a previous call).
            index: int scalar, the position of `x`.
            memory_mask: optional `(batch_size, source_length)` padding
                mask of the memory.

        Returns:
            A tuple `(output, cache)`: the block output `(batch_size, 1,
            hidden_size)` and the updated cache.
        """
        if not self.use_causal_mask:
            raise ValueError(
                "Cached decoding computes one position at a time, which needs "
                "a causal TransformerDecoder (use_causal_mask=True). "
                "Received a block with use_causal_mask=False."
            )
        self_attention = self.self_attention_layer
        length = ops.shape(cache["key"])[1]
        start = [0, ops.cast(index, "int32"), 0, 0]
        new_cache = dict(cache)

        def self_attention_step(h):
            # Writes this position's key and value in place (XLA's dynamic
            # update slice), not a full copy of the cache.
            key = ops.slice_update(cache["key"], start, self_attention.key_dense(h))
            value = ops.slice_update(
                cache["value"], start, self_attention.value_dense(h)
            )
            new_cache["key"], new_cache["value"] = key, value
            visible = ops.less_equal(ops.arange(length), index)
            mask = ops.broadcast_to(
                ops.reshape(visible, (1, 1, -1)), (ops.shape(h)[0], 1, length)
            )
            return self._attend(self_attention, h, key, value, mask)

        def cross_attention_step(h):
            mask = None
            if memory_mask is not None:
                mask = ops.expand_dims(ops.cast(memory_mask, "bool"), 1)
            return self._attend(
                self.cross_attention_layer,
                h,
                cache["memory_key"],
                cache["memory_value"],
                mask,
            )

        def feed_forward(h):
            return self.output_dense(self.inner_dense(h))

        x = self._residual_step(x, self_attention_step, self.self_attention_norm, False)
        x = self._residual_step(
            x, cross_attention_step, self.cross_attention_norm, False
        )
        x = self._residual_step(x, feed_forward, self.output_norm, False)
        return x, new_cache

    @staticmethod
    def _attend(attention, h, key, value, mask):
        # Keras' MultiHeadAttention with precomputed keys and values: its
        # projections and its (overridable) attention computation.
        query = attention.query_dense(h)
        output, _ = attention._compute_attention(
            query, key, value, attention_mask=mask, training=False
        )
        return attention.output_dense(output)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])
