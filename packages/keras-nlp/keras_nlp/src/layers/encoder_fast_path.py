# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The TensorFlow computation of a `TransformerEncoder` block (private).

`TransformerEncoder` keeps its Keras sub-layers (`MultiHeadAttention`,
`Dense`, `LayerNormalization`, `Dropout`) and their variables, so its
weights, their names and shapes, its config and its checkpoints are those of
the Keras layers. With the TensorFlow backend, in float32, its call reads
those variables and computes the block with fewer and cheaper operations
than the sub-layers' own calls:

- tokens are flattened to a `(batch * length, hidden)` matrix, so every
  projection is one 2-D `MatMul` followed by a `BiasAdd` (which Grappler's
  remapper fuses into one oneDNN `_FusedMatMul`, and whose gradient is a
  `BiasAddGrad`), instead of a broadcasting batch matmul or einsum and a
  broadcasting `Add` (whose gradients need `BroadcastGradientArgs`,
  `Shape`, `Sum` and `Reshape` on a dynamic batch size);
- the query, key and value projections are one matmul on their kernels
  concatenated at call time (the variables stay three), with the
  `1 / sqrt(key_dim)` scale applied to the query kernel and bias instead of
  the projected queries;
- the attention mask becomes an additive bias (0 or -1e9) instead of two
  selects around the softmax; rows where the mask allows nothing give zero
  probabilities, as Keras' masked softmax does;
- dropout draws the same uniforms as Keras' `Dropout` (same seed generator,
  same draws in the same order) and keeps the same elements, scaled by the
  same factor, but as one multiplication by a `where(keep, scale, 0)`
  tensor, whose gradient is one multiplication;
- with `output_range`, the keys and values are projected for all positions
  and everything else (queries, attention output, residuals, norms,
  feed-forward network) for the first `output_range` positions only, as
  in the sub-layers' call.

Under XLA (`jit_compile=True`), with `output_range`, the masks of the
attention and inner dropouts (one draw per layer) are the first values of
a draw of the whole layer's shape: the same numbers as a draw of their own
shape, since a stateless draw of `n` values is the first `n` of a longer
one. XLA's CPU compiler keeps the generator of a shape drawn at two or more
places in one computation it calls, but inlines one drawn at a single
place into the multiplication that applies the mask, where every element
recomputes its random block: in a 2-layer encoder the first layer's
attention mask then took most of the step (about 6x the whole layer's
forward pass). Drawing the last layer's masks at the whole shape keeps
each such shape drawn at least twice. For the same reason the embeddings'
dropout (`FlatDrawDropout`) draws its `(batch, length, hidden)` mask under
XLA as a `(batch * length, hidden)` draw, the shape of the blocks' output
dropouts (drawn twice per layer).

The results equal the sub-layers' calls up to floating-point rounding (the
matrix products are summed in another order); the dropout masks are Keras'.
"""

import math

import keras
import tensorflow as tf

from keras_core.tracing import in_xla_context
from keras_nlp.src.utils import activations

# Keras' masked softmax puts this on the masked scores (float32).
_LARGE_NEGATIVE = -1e9


def _plain(layer):
    """True when `layer`'s call is its kernel and bias alone (no
    quantization, LoRA or activity regularizer)."""
    return (
        getattr(layer, "quantization_mode", None) is None
        and not getattr(layer, "lora_enabled", False)
        and layer.activity_regularizer is None
    )


def can_use(block):
    """Whether `encoder_call` computes `block` (else its Keras sub-layers do)."""
    if keras.backend.backend() != "tensorflow":
        return False
    policy = block.dtype_policy
    if policy.compute_dtype != "float32" or policy.variable_dtype != "float32":
        return False
    attention = block.attention_layer
    # The block builds a plain `MultiHeadAttention` (no gate, no
    # `output_shape`); anything else, e.g. a subclass, calls itself.
    if (
        type(attention) is not keras.layers.MultiHeadAttention
        or attention.activity_regularizer is not None
        or attention.value_dim != attention.key_dim
    ):
        return False
    if block.activity_regularizer is not None:
        return False
    layers = (
        attention.query_dense,
        attention.key_dense,
        attention.value_dense,
        attention.output_dense,
        block.inner_dense,
        block.output_dense,
    )
    norms = (block.attention_norm, block.output_norm)
    return all(_plain(layer) for layer in layers) and all(
        _plain_norm(norm) for norm in norms
    )


def _value(variable):
    return tf.convert_to_tensor(variable)


def dropout(layer, x, training, draw_shape=None):
    """`layer`'s (a Keras `Dropout`) call, as one multiplication
    (`draw_shape`: see `keep_mask`)."""
    if not training or layer.rate <= 0:
        return x
    keep = keep_mask(layer.seed_generator, tf.shape(x), layer.rate, x.dtype, draw_shape)
    return _scale(x, tf.where(keep, tf.constant(1 / (1 - layer.rate), x.dtype), 0.0))


@keras.saving.register_keras_serializable(package="keras_nlp")
class FlatDrawDropout(keras.layers.Dropout):
    """`keras.layers.Dropout` (the same masks) that, under XLA, draws the
    mask of `(batch, length, hidden)` float32 inputs as a `(batch * length,
    hidden)` draw, the shape of the Transformer blocks' output dropouts (see
    the module): the embeddings' dropout, whose `(batch, length, hidden)`
    shape is drawn nowhere else, would otherwise be fused into its
    multiplication (in the 2-layer benchmark encoder, more than half of the
    XLA training step's CPU time)."""

    def call(self, inputs, training=False):
        if (
            training
            and self.rate > 0
            and self.noise_shape is None
            and keras.backend.backend() == "tensorflow"
            and len(inputs.shape) == 3
            and inputs.dtype == tf.float32
            and in_xla_context()
        ):
            shape = tf.shape(inputs)
            draw_shape = tf.stack([shape[0] * shape[1], shape[2]])
            return dropout(self, inputs, training, draw_shape)
        return super().call(inputs, training=training)


def _scale(x, factor):
    """`x * factor` for a `factor` of `x`'s shape that needs no gradient."""

    @tf.custom_gradient
    def scale(x):
        return x * factor, lambda dy: dy * factor

    return scale(x)


def keep_mask(seed_generator, shape, rate, dtype, draw_shape=None):
    """Keras' dropout mask: `uniform >= rate`, with the uniforms of
    `tf.nn.experimental.stateless_dropout` for the generator's next seed.

    With `draw_shape` (a shape of at least as many elements) the uniforms
    are the first `prod(shape)` of a draw of `draw_shape`: the same values
    (the generator fills its output in order, block by block, whatever the
    shape), drawn at another shape for XLA's sake (see the module)."""
    seed = seed_generator.next()
    if seed.dtype != tf.int32:
        seed = tf.cast(tf.math.floormod(seed, tf.int32.max - 1), tf.int32)
    key, counter = tf.raw_ops.StatelessRandomGetKeyCounter(seed=seed)
    # alg 3: "auto_select", as `stateless_dropout`'s sampler.
    uniform = tf.raw_ops.StatelessRandomUniformV2(
        shape=shape if draw_shape is None else draw_shape,
        key=key,
        counter=counter,
        alg=3,
        dtype=dtype,
    )
    if draw_shape is not None:
        uniform = tf.reshape(tf.reshape(uniform, [-1])[: tf.reduce_prod(shape)], shape)
    return uniform >= tf.constant(rate, dtype)


def _plain_norm(layer):
    """True for a `LayerNormalization` over the last axis, centred and
    scaled (what `_layer_norm` computes)."""
    return (
        layer.center
        and layer.scale
        and not layer.rms_scaling
        and layer.axis in (-1, [-1])
    )


def _layer_norm(layer, x, residual=None):
    """`layer` (a Keras `LayerNormalization`) on the rows of the matrix
    `x + residual` (or `x`): the forward computation of Keras'
    `ops.layer_normalization` op for op, and its gradient written out (no
    broadcasting gradient ops)."""
    epsilon = layer.epsilon
    gamma, beta = _value(layer.gamma), _value(layer.beta)
    if residual is None:

        @tf.custom_gradient
        def norm(x, gamma, beta):
            return _norm(x, gamma, beta, epsilon)

        return norm(x, gamma, beta)

    @tf.custom_gradient
    def norm_sum(x, residual, gamma, beta):
        y, grad = _norm(x + residual, gamma, beta, epsilon)

        def sum_grad(dy):
            dx, dgamma, dbeta = grad(dy)
            return dx, dx, dgamma, dbeta

        return y, sum_grad

    return norm_sum(x, residual, gamma, beta)


def _norm(x, gamma, beta, epsilon):
    """The normalization and its gradient function (see `_layer_norm`)."""
    mean = tf.reduce_mean(x, axis=-1, keepdims=True)
    variance = tf.reduce_mean(
        tf.math.squared_difference(x, mean), axis=-1, keepdims=True
    )
    inverse = tf.math.rsqrt(variance + epsilon)
    scaled = inverse * gamma
    y = x * scaled + (-mean * scaled + beta)

    def grad(dy):
        normalized = (x - mean) * inverse
        g = dy * gamma
        dx = inverse * (
            g
            - tf.reduce_mean(g, axis=-1, keepdims=True)
            - normalized * tf.reduce_mean(g * normalized, axis=-1, keepdims=True)
        )
        return dx, tf.reduce_sum(dy * normalized, 0), tf.reduce_sum(dy, 0)

    return y, grad


def _dense(x, layer):
    y = tf.matmul(x, _value(layer.kernel))
    if layer.bias is not None:
        y = tf.nn.bias_add(y, _value(layer.bias))
    if layer.activation is activations.gelu_exact:
        return _gelu_exact(y)
    return layer.activation(y) if layer.activation is not None else y


@tf.custom_gradient
def _gelu_exact(x):
    """`tf.nn.gelu(x, approximate=False)` (Keras' exact GELU), the same
    operations, with its derivative `Phi(x) + x * phi(x)` written out."""
    cdf = tf.math.erfc(-x * tf.constant(0.7071067811865476, x.dtype))
    y = 0.5 * x * cdf

    def grad(dy):
        density = tf.exp(-0.5 * tf.square(x)) * tf.constant(0.3989422804014327, x.dtype)
        return dy * (0.5 * cdf + x * density)

    return y, grad


def _attention(block, query_tokens, x, attention_mask, batch, length, training):
    """Self-attention of the `(batch * length, hidden)` tokens `x`, for the
    queries `query_tokens`: `x` itself, or (with `output_range`) the
    `(batch * query_length, hidden)` tokens of the first positions."""
    attention = block.attention_layer
    hidden = x.shape[-1]
    heads, key_dim = attention.num_heads, attention.key_dim
    width = heads * key_dim
    scale = 1.0 / math.sqrt(float(key_dim))
    denses = (attention.query_dense, attention.key_dense, attention.value_dense)
    kernels = [tf.reshape(_value(d.kernel), (hidden, width)) for d in denses]
    kernels[0] = kernels[0] * scale
    biases = None
    if denses[0].bias is not None:
        biases = [tf.reshape(_value(d.bias), (width,)) for d in denses]
        biases[0] = biases[0] * scale
    if query_tokens is x:
        qkv = tf.matmul(x, tf.concat(kernels, axis=1))
        if biases is not None:
            qkv = tf.nn.bias_add(qkv, tf.concat(biases, axis=0))
        qkv = tf.reshape(qkv, (batch, length, 3, heads, key_dim))
        query, key, value = tf.unstack(tf.transpose(qkv, (2, 0, 3, 1, 4)))
    else:
        # Queries for the first positions only; keys and values for all.
        query = tf.matmul(query_tokens, kernels[0])
        kv = tf.matmul(x, tf.concat(kernels[1:], axis=1))
        if biases is not None:
            query = tf.nn.bias_add(query, biases[0])
            kv = tf.nn.bias_add(kv, tf.concat(biases[1:], axis=0))
        query = tf.transpose(
            tf.reshape(query, (batch, -1, heads, key_dim)), (0, 2, 1, 3)
        )
        kv = tf.reshape(kv, (batch, length, 2, heads, key_dim))
        key, value = tf.unstack(tf.transpose(kv, (2, 0, 3, 1, 4)))
    scores = tf.matmul(query, key, transpose_b=True)  # (batch, heads, q, k)
    row_allowed = None
    if attention_mask is not None:
        allowed = attention_mask
        if allowed.dtype != tf.bool:  # as Keras' attention: non-zero allows
            allowed = tf.not_equal(allowed, tf.zeros((), allowed.dtype))
        allowed = allowed[:, None, :, :]  # (batch, 1, q or 1, k)
        scores = scores + tf.where(allowed, 0.0, _LARGE_NEGATIVE)
        # Keras gives rows that allow no key zero probabilities.
        row_allowed = tf.reduce_any(allowed, axis=-1, keepdims=True)
    probabilities = tf.nn.softmax(scores)
    dropout_layer = attention._dropout_layer
    if training and dropout_layer.rate > 0:
        draw_shape = None
        if query_tokens is not x and in_xla_context():
            draw_shape = tf.stack([batch, heads, length, length])
        keep = keep_mask(
            dropout_layer.seed_generator,
            tf.shape(probabilities),
            dropout_layer.rate,
            probabilities.dtype,
            draw_shape,
        )
        if row_allowed is not None:
            keep = tf.logical_and(keep, row_allowed)
        factor = tf.constant(1 / (1 - dropout_layer.rate), probabilities.dtype)
        probabilities = _scale(probabilities, tf.where(keep, factor, 0.0))
        row_allowed = None
    context = tf.matmul(probabilities, value)  # (batch, heads, q, key_dim)
    if row_allowed is not None:
        context = context * tf.cast(row_allowed, context.dtype)
    context = tf.reshape(tf.transpose(context, (0, 2, 1, 3)), (-1, width))
    output = attention.output_dense
    y = tf.matmul(context, tf.reshape(_value(output.kernel), (width, hidden)))
    if output.bias is not None:
        y = tf.nn.bias_add(y, _value(output.bias))
    return y


def encoder_call(
    block,
    x,
    attention_mask,
    training,
    output_dropout,
    inner_dropout,
    output_range=None,
):
    """`TransformerEncoder.call`, see the module.

    `output_dropout` and `inner_dropout` are the block's `Dropout` layers
    (after the attention and the feed-forward network, and inside it).
    `attention_mask` is `None`, `(batch, 1, length)` or `(batch, q, length)`.

    `output_range` is the number of leading positions the call computes
    (None: all), as `TransformerEncoder.call` resolves it from its argument
    and the layer's setting. With it set, as in the sub-layers' call, the
    keys and values come from all positions, but the queries, the attention output,
    the residuals, the normalizations and the feed-forward network only
    from the first `output_range` ones (fewer if the sequence is shorter),
    and a mask whose query dimension is not 1 is cut to as many rows.
    """
    shape = tf.shape(x)
    batch, length = shape[0], shape[1]
    hidden = x.shape[-1]
    tokens = tf.reshape(x, (-1, hidden))
    if output_range is not None:
        target = x[:, :output_range, :]
        out_shape = tf.shape(target)
        target_tokens = tf.reshape(target, (-1, hidden))
        if attention_mask is not None and attention_mask.shape[1] != 1:
            attention_mask = attention_mask[:, :output_range, :]
    else:
        target, out_shape, target_tokens = x, shape, tokens
    if block.norm_first:
        source = _layer_norm(block.attention_norm, tokens)
        if output_range is not None:
            query = tf.reshape(source, (batch, length, hidden))[:, :output_range, :]
            query = tf.reshape(query, (-1, hidden))
        else:
            query = source
    else:
        source, query = tokens, target_tokens
    attention = _attention(
        block, query, source, attention_mask, batch, length, training
    )
    attention = dropout(output_dropout, attention, training)
    if block.norm_first:
        attention_out = target_tokens + attention
        ffn_input = _layer_norm(block.output_norm, attention_out)
    else:
        attention_out = _layer_norm(block.attention_norm, target_tokens, attention)
        ffn_input = attention_out
    inner = _dense(ffn_input, block.inner_dense)
    draw_shape = None
    if output_range is not None and in_xla_context():
        # The inner mask of every position (one draw per layer, see the
        # module); the output dropout draws twice per layer.
        draw_shape = tf.stack([batch * length, tf.shape(inner)[1]])
    inner = dropout(inner_dropout, inner, training, draw_shape)
    ffn = _dense(inner, block.output_dense)
    ffn = dropout(output_dropout, ffn, training)
    if block.norm_first:
        out = attention_out + ffn
    else:
        out = _layer_norm(block.output_norm, attention_out, ffn)
    out = tf.reshape(out, out_shape)
    out.set_shape(target.shape)
    return out
