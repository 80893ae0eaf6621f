# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""One Transformer encoder block: self-attention plus a feed-forward network."""

import keras

from keras_core import api_export
from keras_nlp.src.layers import encoder_fast_path
from keras_nlp.src.layers.transformer_layer_utils import TransformerLayerBase
from keras_nlp.src.layers.transformer_layer_utils import as_attention_mask
from keras_nlp.src.layers.transformer_layer_utils import check_block_sizes
from keras_nlp.src.layers.transformer_layer_utils import split_inputs

RFC = "20261122-keras-nlp-bert-encoder"


@api_export("keras_nlp.layers.TransformerEncoder", stability="stable", rfc=RFC)
class TransformerEncoder(TransformerLayerBase):
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
        output_range: int or None. For this call only, compute the first
            `output_range` positions instead of the layer's own
            `output_range` (the same weights; the keys and values still
            cover the whole sequence). `None` (the default) uses the
            layer's. `keras_nlp.encoders.BertEncoder` and the other
            encoders pass it to their last block when called with
            `output_range` (as the classifier tasks do).

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

    _own_argument = "output_range"

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
        check_block_sizes(num_attention_heads, inner_dim)
        if output_range is not None:
            _check_output_range(output_range)
        self._init_block(locals())
        self.output_range = output_range
        # False computes the block with its Keras sub-layers' calls (the
        # reference of the tests); see `encoder_fast_path`.
        self._use_fast_path = True

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
        x_shape = tuple(x_shape)
        self.attention_layer = self._attention("attention", hidden_size)
        self.attention_layer.build(x_shape, x_shape)
        self.attention_norm = self._norm("attention_norm", x_shape)
        self._build_feed_forward(x_shape, hidden_size)
        self.built = True

    def call(self, inputs, training=None, output_range=None):
        x, attention_mask = split_inputs(inputs, "TransformerEncoder", 2)
        attention_mask = as_attention_mask(attention_mask, "attention_mask")
        output_range = self._call_output_range(output_range)
        if self._use_fast_path and encoder_fast_path.can_use(self):
            return encoder_fast_path.encoder_call(
                self,
                x,
                attention_mask,
                training,
                self._output_dropout_layer,
                self._inner_dropout_layer,
                output_range=output_range,
            )
        if output_range is not None:
            target = x[:, :output_range, :]
            if attention_mask is not None and attention_mask.shape[1] != 1:
                attention_mask = attention_mask[:, :output_range, :]
        else:
            target = x

        if self.norm_first:
            source = self.attention_norm(x)
            query = source[:, :output_range, :] if output_range is not None else source
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

    def _call_output_range(self, output_range):
        """The positions a call computes: its `output_range`, else the
        layer's."""
        if output_range is None:
            return self.output_range
        _check_output_range(output_range)
        return output_range

    def compute_output_shape(self, input_shape, output_range=None):
        x_shape = input_shape[0] if _is_shape_list(input_shape) else input_shape
        x_shape = tuple(x_shape)
        output_range = self._call_output_range(output_range)
        if output_range is not None:
            length = x_shape[1]
            length = output_range if length is None else min(length, output_range)
            return (x_shape[0], length, x_shape[2])
        return x_shape

    def compute_output_spec(self, inputs, training=None, output_range=None):
        x = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        return keras.KerasTensor(
            self.compute_output_shape(tuple(x.shape), output_range),
            dtype=self.compute_dtype,
        )


def _check_output_range(output_range):
    if not isinstance(output_range, int) or output_range <= 0:
        raise ValueError(
            "`output_range` must be None (all positions) or a positive int "
            "(the number of leading positions to compute). Received: "
            f"output_range={output_range!r}"
        )


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
