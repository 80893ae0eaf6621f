# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The parts every BERT-style encoder repeats: embeddings, the Transformer
stack and the checks of their arguments.

`EncoderEmbeddings` and `TransformerEncoderStack` are groups of layers, not
single Keras layers: called on Keras tensors while a Functional model is
built, they add their layers to it one by one. A model built with them
therefore has exactly the layers (and saved weight names) it had when each
family wired them by hand, so `.keras` files and presets written before keep
loading.
"""

import keras
import numpy as np

from keras_core import api_export
from keras_nlp.src.layers import encoder_fast_path
from keras_nlp.src.layers.on_device_embedding import OnDeviceEmbedding
from keras_nlp.src.layers.position_embedding import PositionEmbedding
from keras_nlp.src.layers.self_attention_mask import SelfAttentionMask
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
from keras_nlp.src.utils import activations


def encoder_initializer(initializer):
    """`"truncated_normal"` means stddev 0.02 (BERT's); others as Keras'."""
    if isinstance(initializer, str) and initializer == "truncated_normal":
        return keras.initializers.TruncatedNormal(stddev=0.02)
    return keras.initializers.get(initializer)


def positive_int(name, value):
    """`value` as an int, or a `ValueError` naming the argument."""
    if (
        not isinstance(value, (int, np.integer))
        or isinstance(value, bool)
        or value <= 0
    ):
        raise ValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")
    return int(value)


def divisor_hint(hidden_size, num_heads):
    """The divisor of `hidden_size` nearest to `num_heads`."""
    divisors = [d for d in range(1, hidden_size + 1) if hidden_size % d == 0]
    return min(divisors, key=lambda d: (abs(d - num_heads), d))


def check_encoder_arguments(optional=(), **sizes):
    """Checks an encoder's size arguments and activation; returns the sizes.

    Every entry of `sizes` must be a positive int, except those named in
    `optional`, which may also be None. `hidden_size` must be divisible by
    `num_attention_heads`, and `inner_activation` (if given) must be a known
    activation.
    """
    activation = sizes.pop("inner_activation", None)
    checked = {
        name: (
            None if value is None and name in optional else positive_int(name, value)
        )
        for name, value in sizes.items()
    }
    hidden, heads = checked.get("hidden_size"), checked.get("num_attention_heads")
    if hidden is not None and heads is not None and hidden % heads:
        raise ValueError(
            f"`hidden_size` ({hidden}) must be divisible by "
            f"`num_attention_heads` ({heads}) so that every head gets "
            "hidden_size / num_attention_heads features. For example use "
            f"num_attention_heads={divisor_hint(hidden, heads)}."
        )
    if activation is not None:
        activations.get_activation(activation)  # fails early on a bad name
    return checked


@api_export("keras_nlp.layers.EncoderEmbeddings", stability="experimental")
class EncoderEmbeddings:
    """The input embeddings of a BERT-style encoder, as a group of layers.

    Looks up word embeddings, adds position embeddings and (optionally)
    segment embeddings, then applies layer normalization, dropout and, when
    `hidden_size` differs from `embedding_width`, a dense projection (as
    ALBERT and ELECTRA-small do). This is the embedding of BERT, DistilBERT
    (no segments), ELECTRA and RoBERTa (`padding_position`).

    It is not a single Keras layer: calling it on Keras tensors while
    building a Functional model adds each of its layers (`word_embedding`,
    `position_embedding`, `type_embedding`, `norm`, `projection`) to the
    model, which keeps the weight names of encoders that wired these layers
    by hand. Call it once.

    Args:
        vocab_size: int. Number of token ids.
        embedding_width: int. Width of the embeddings.
        max_sequence_length: int. Longest input the position embeddings
            allow.
        type_vocab_size: int or None. Number of segment ids; None for no
            segment embeddings.
        hidden_size: int or None. Width after the projection; None (or
            `embedding_width`) for no projection.
        dropout: float. Dropout rate after the normalization.
        norm_epsilon: float. Epsilon of the layer normalization.
        initializer: initializer of the tables and the projection;
            `"truncated_normal"` means a standard deviation of 0.02.
        padding_position: int or None. None: positions are `0, 1, ...` for
            every token (BERT). An int `p`: RoBERTa's scheme, where real
            tokens (`input_mask` 1) are at positions `p + 1, p + 2, ...` and
            padding at `p`; the table then has `max_sequence_length + p + 1`
            rows and the call needs `input_mask`.
        dtype: dtype policy of the layers.
        always_project: bool. Project to `hidden_size` even when it equals
            `embedding_width` (ALBERT's checkpoints always hold the
            projection). Defaults to False.

    Call arguments:
        input_ids: int tensor `(batch_size, sequence_length)`.
        input_type_ids: int tensor of segment ids, or None for all zeros
            (only used with `type_vocab_size`).
        input_mask: int tensor, 1 for real tokens; needed with
            `padding_position`.

    Returns:
        The embeddings, `(batch_size, sequence_length, hidden_size)`.

    Example:

    >>> import numpy as np
    >>> embeddings = keras_nlp.layers.EncoderEmbeddings(
    ...     vocab_size=10, embedding_width=8, max_sequence_length=6)
    >>> ids = keras.Input(shape=(None,), dtype="int32")
    >>> model = keras.Model(ids, embeddings(ids))
    >>> model(np.array([[1, 2, 3]])).shape
    TensorShape([1, 3, 8])
    """

    def __init__(
        self,
        vocab_size,
        embedding_width,
        max_sequence_length,
        type_vocab_size=None,
        hidden_size=None,
        dropout=0.1,
        norm_epsilon=1e-12,
        initializer="truncated_normal",
        padding_position=None,
        dtype=None,
        always_project=False,
    ):
        vocab_size = positive_int("vocab_size", vocab_size)
        embedding_width = positive_int("embedding_width", embedding_width)
        max_sequence_length = positive_int("max_sequence_length", max_sequence_length)
        if type_vocab_size is not None:
            type_vocab_size = positive_int("type_vocab_size", type_vocab_size)
        if hidden_size is not None:
            hidden_size = positive_int("hidden_size", hidden_size)
        if padding_position is not None and (
            isinstance(padding_position, bool)
            or not isinstance(padding_position, (int, np.integer))
            or padding_position < 0
        ):
            raise ValueError(
                "`padding_position` must be None or an int >= 0 (RoBERTa uses "
                f"1). Received: padding_position={padding_position!r}."
            )
        init = encoder_initializer(initializer)
        self.padding_position = padding_position
        self.word_embedding = OnDeviceEmbedding(
            vocab_size,
            embedding_width,
            initializer=clone_initializer(init),
            dtype=dtype,
            name="word_embeddings",
        )
        if padding_position is None:
            self.position_embedding = PositionEmbedding(
                max_sequence_length,
                initializer=clone_initializer(init),
                dtype=dtype,
                name="position_embedding",
            )
        else:
            self.position_embedding = OnDeviceEmbedding(
                max_sequence_length + int(padding_position) + 1,
                embedding_width,
                initializer=clone_initializer(init),
                dtype=dtype,
                name="position_embedding",
            )
        self.type_embedding = None
        if type_vocab_size is not None:
            self.type_embedding = OnDeviceEmbedding(
                type_vocab_size,
                embedding_width,
                initializer=clone_initializer(init),
                use_one_hot=True,
                dtype=dtype,
                name="type_embeddings",
            )
        self.norm = keras.layers.LayerNormalization(
            epsilon=norm_epsilon, dtype=dtype, name="embeddings_norm"
        )
        self._sum = keras.layers.Add(dtype=dtype, name="embeddings_sum")
        # Keras' `Dropout`, with a mask drawn at another shape under XLA.
        self._dropout = encoder_fast_path.FlatDrawDropout(
            dropout, dtype=dtype, name="embeddings_dropout"
        )
        self.projection = None
        if always_project and hidden_size is None:
            raise ValueError(
                "`always_project=True` projects to `hidden_size`; pass "
                "`hidden_size` as well. Received: hidden_size=None."
            )
        if hidden_size is not None and (
            always_project or hidden_size != embedding_width
        ):
            self.projection = keras.layers.Dense(
                hidden_size,
                kernel_initializer=clone_initializer(init),
                dtype=dtype,
                name="embedding_projection",
            )

    def position_ids(self, input_mask):
        """RoBERTa's positions: `p + 1, p + 2, ...` on real tokens, `p` on
        padding (`p` = `padding_position`)."""
        mask = keras.ops.cast(input_mask, "int32")
        return keras.ops.cumsum(mask, axis=1) * mask + self.padding_position

    def __call__(self, input_ids, input_type_ids=None, input_mask=None):
        words = self.word_embedding(input_ids)
        if self.padding_position is None:
            parts = [words, self.position_embedding(words)]
        else:
            if input_mask is None:
                raise ValueError(
                    "EncoderEmbeddings with `padding_position` needs "
                    "`input_mask` (1 for real tokens) to number the positions."
                )
            parts = [words, self.position_embedding(self.position_ids(input_mask))]
        if self.type_embedding is not None:
            if input_type_ids is None:
                input_type_ids = keras.ops.zeros_like(input_ids)
            parts.append(self.type_embedding(input_type_ids))
        x = self.norm(self._sum(parts))
        x = self._dropout(x)
        if self.projection is not None:
            x = self.projection(x)
        return x


@api_export("keras_nlp.layers.TransformerEncoderStack", stability="experimental")
class TransformerEncoderStack:
    """`num_layers` `TransformerEncoder` blocks with a padding mask, as a
    group of layers (optionally with blocks shared across depth).

    Builds the attention mask from `input_mask` with `SelfAttentionMask`,
    then runs the blocks (post-norm, as BERT). Like `EncoderEmbeddings` it
    adds its layers (`mask_layer`, `layers`) to the Functional model being
    built, keeping the weight names of encoders that wired them by hand.

    Args:
        num_layers: int. Number of blocks.
        num_attention_heads: int. Heads per block.
        inner_dim: int. Width of the feed-forward inner layer.
        inner_activation: activation of the feed-forward inner layer.
        output_dropout: float. Dropout rate on the block outputs.
        attention_dropout: float. Dropout rate on attention probabilities.
        norm_epsilon: float. Epsilon of the layer normalizations.
        initializer: initializer of the kernels.
        output_range: int or None. The last block computes only the first
            `output_range` positions.
        dtype: dtype policy of the layers.
        num_groups: int or None. None: each of the `num_layers` applications
            has its own block (`transformer_layer_{i}`). An int (ALBERT's
            shared layers): only `num_groups` blocks
            (`transformer_group_{g}`), each run by `num_layers / num_groups`
            consecutive applications; it must divide `num_layers`.

    Call arguments:
        x: float tensor `(batch_size, sequence_length, hidden_size)`.
        input_mask: int tensor `(batch_size, sequence_length)`, 1 for real
            tokens.

    Returns:
        The list of the outputs of every application of a block (the last
        is the sequence output). After a call, `last_application` holds the
        last application's block and its inputs `[x, attention_mask]`.

    Example:

    >>> import numpy as np
    >>> stack = keras_nlp.layers.TransformerEncoderStack(
    ...     num_layers=2, num_attention_heads=2, inner_dim=16)
    >>> x = keras.Input(shape=(None, 8))
    >>> mask = keras.Input(shape=(None,), dtype="int32")
    >>> model = keras.Model([x, mask], stack(x, mask)[-1])
    >>> model([np.ones((1, 3, 8)), np.array([[1, 1, 0]])]).shape
    TensorShape([1, 3, 8])
    """

    def __init__(
        self,
        num_layers,
        num_attention_heads,
        inner_dim,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        norm_epsilon=1e-12,
        initializer="truncated_normal",
        output_range=None,
        dtype=None,
        num_groups=None,
    ):
        num_layers = positive_int("num_layers", num_layers)
        if num_groups is not None:
            num_groups = positive_int("num_groups", num_groups)
            if num_layers % num_groups:
                raise ValueError(
                    f"`num_groups` ({num_groups}) must divide `num_layers` "
                    f"({num_layers}): each group is shared by the same number "
                    "of consecutive layers. Use num_groups=1 (ALBERT's) or a "
                    "divisor."
                )
            if output_range is not None:
                raise ValueError(
                    "`output_range` needs a last block of its own; it cannot "
                    f"be combined with shared blocks (num_groups={num_groups})."
                    " Pass output_range=None."
                )
        init = encoder_initializer(initializer)
        self.mask_layer = SelfAttentionMask(dtype=dtype, name="self_attention_mask")
        if num_groups is None:
            names = [f"transformer_layer_{i}" for i in range(num_layers)]
            self._block_of = list(range(num_layers))
        else:
            names = [f"transformer_group_{g}" for g in range(num_groups)]
            per_group = num_layers // num_groups
            self._block_of = [i // per_group for i in range(num_layers)]
        self.layers = [
            TransformerEncoder(
                num_attention_heads=num_attention_heads,
                inner_dim=inner_dim,
                inner_activation=inner_activation,
                output_range=output_range if i == len(names) - 1 else None,
                kernel_initializer=clone_initializer(init),
                norm_epsilon=norm_epsilon,
                output_dropout=output_dropout,
                attention_dropout=attention_dropout,
                dtype=dtype,
                name=name,
            )
            for i, name in enumerate(names)
        ]

    def __call__(self, x, input_mask):
        attention_mask = self.mask_layer([x, input_mask])
        outputs = []
        for block in self._block_of:
            # The last application's block and inputs, for an encoder that
            # calls that block again with another `output_range`.
            self.last_application = (self.layers[block], [x, attention_mask])
            x = self.layers[block]([x, attention_mask])
            outputs.append(x)
        return outputs
