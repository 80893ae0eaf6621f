# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The BERT encoder network as a Keras Functional model."""

import keras
import numpy as np

from keras_core import api_export
from keras_nlp.src.layers.encoder_blocks import EncoderEmbeddings
from keras_nlp.src.layers.encoder_blocks import TransformerEncoderStack
from keras_nlp.src.layers.encoder_blocks import check_encoder_arguments
from keras_nlp.src.layers.encoder_blocks import encoder_initializer
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
from keras_nlp.src.utils import activations
from keras_nlp.src.utils import checks

RFC = "20261122-keras-nlp-bert-encoder"
INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")
# Other names accepted for the inputs: the TF Hub BERT models use
# `input_word_ids`; keras-nlp 0.15 preprocessors give `token_ids`,
# `segment_ids` and `padding_mask`.
INPUT_ALIASES = {
    "input_word_ids": "input_ids",
    "token_ids": "input_ids",
    "segment_ids": "input_type_ids",
    "padding_mask": "input_mask",
}


# BERT's initializer: `"truncated_normal"` means stddev 0.02.
bert_initializer = encoder_initializer


@api_export("keras_nlp.encoders.BertEncoder", stability="stable", rfc=RFC)
class BertEncoder(keras.Model):
    """The bidirectional Transformer encoder of BERT, as a Functional model.

    Embeds token ids (word, position and segment embeddings, summed and
    normalized), runs `num_layers` `TransformerEncoder` blocks over them,
    and pools the first (`[CLS]`) token through a dense `tanh` layer. It
    contains no task head: add a classifier on `pooled_output`, a tagger on
    `sequence_output`, or `keras_nlp.layers.MaskedLM` for pre-training.
    The defaults are those of BERT-Base. Real BERT checkpoints (original
    or HuggingFace) load with `keras_nlp.convert.from_huggingface`.

    The model takes three integer inputs of shape `(batch_size,
    sequence_length)`, as a list in this order or as a dict: `input_ids`
    (token ids; the key `input_word_ids` is accepted too), `input_mask`
    (1 for real tokens, 0 for padding) and `input_type_ids` (segment ids).
    Padding never changes the outputs at real positions.

    Reference:
        [Devlin et al., 2019. BERT: Pre-training of Deep Bidirectional
        Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layers. Defaults to 12.
        num_attention_heads: int. Attention heads per layer; must divide
            `hidden_size`. Defaults to 12.
        max_sequence_length: int. Longest input the position embeddings
            allow. Defaults to 512.
        type_vocab_size: int. Number of segment (token type) ids. Defaults to
            16.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            3072.
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu"`, the exact (erf-based) GELU of BERT;
            `"gelu_approximate"` selects the tanh approximation.
        output_dropout: float. Dropout rate on embeddings and on the outputs
            of attention and feed-forward layers. Defaults to 0.1.
        attention_dropout: float. Dropout rate on attention probabilities.
            Defaults to 0.1.
        initializer: initializer of all weights. The default
            `"truncated_normal"` means a truncated normal with standard
            deviation 0.02, BERT's own; any Keras initializer is accepted.
        output_range: int or None. If set, the last layer computes only the
            first `output_range` positions (`1` when only `pooled_output` is
            needed, which saves compute). Defaults to `None`.
        embedding_width: int or None. Width of the word embeddings. If it
            differs from `hidden_size`, the embeddings are factorised into a
            `(vocab_size, embedding_width)` table and an `(embedding_width,
            hidden_size)` projection, as in ALBERT. Defaults to `None`
            (`hidden_size`).
        norm_epsilon: float. Epsilon of every layer normalization. Defaults
            to `1e-12`, BERT's.
        dtype: dtype policy of all layers, e.g. `"mixed_bfloat16"`.
        **kwargs: other `keras.Model` arguments (`name`, `trainable`).

    Call arguments:
        inputs: a list `[input_ids, input_mask, input_type_ids]` or a dict
            with those keys, each `(batch_size, sequence_length)` integers.
        training: bool. Whether dropout is active.

    Returns:
        A dict: `sequence_output` `(batch_size, sequence_length,
        hidden_size)` (or `output_range` positions), `pooled_output`
        `(batch_size, hidden_size)`, and `encoder_outputs`, the list of the
        outputs of every Transformer layer.

    Examples:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16, type_vocab_size=2)
    >>> ids = np.array([[5, 6, 7, 0], [8, 9, 0, 0]])
    >>> mask = (ids != 0).astype("int32")
    >>> outputs = encoder({"input_ids": ids, "input_mask": mask,
    ...                    "input_type_ids": np.zeros_like(ids)})
    >>> outputs["pooled_output"].shape
    TensorShape([2, 32])
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES

    def __init__(
        self,
        vocab_size,
        hidden_size=768,
        num_layers=12,
        num_attention_heads=12,
        max_sequence_length=512,
        type_vocab_size=16,
        inner_dim=3072,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        initializer="truncated_normal",
        output_range=None,
        embedding_width=None,
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        sizes = check_encoder_arguments(
            optional=("embedding_width",),
            vocab_size=vocab_size,
            hidden_size=hidden_size,
            num_layers=num_layers,
            num_attention_heads=num_attention_heads,
            max_sequence_length=max_sequence_length,
            type_vocab_size=type_vocab_size,
            inner_dim=inner_dim,
            embedding_width=embedding_width,
            inner_activation=inner_activation,
        )
        vocab_size, hidden_size, num_layers = (
            sizes["vocab_size"],
            sizes["hidden_size"],
            sizes["num_layers"],
        )
        num_attention_heads = sizes["num_attention_heads"]
        max_sequence_length = sizes["max_sequence_length"]
        type_vocab_size, inner_dim = sizes["type_vocab_size"], sizes["inner_dim"]
        embedding_width = sizes["embedding_width"]
        # Functional models do not keep a dtype policy of their own; remember
        # the one every layer was built with, for the config.
        policy = (
            keras.dtype_policies.get(dtype)
            if dtype is not None
            else keras.config.dtype_policy()
        )
        width = embedding_width or hidden_size
        init = bert_initializer(initializer)

        # Inputs.
        input_ids = keras.Input(shape=(None,), dtype="int32", name="input_ids")
        input_mask = keras.Input(shape=(None,), dtype="int32", name="input_mask")
        input_type_ids = keras.Input(
            shape=(None,), dtype="int32", name="input_type_ids"
        )

        embeddings = EncoderEmbeddings(
            vocab_size,
            width,
            max_sequence_length,
            type_vocab_size=type_vocab_size,
            hidden_size=hidden_size,
            dropout=output_dropout,
            norm_epsilon=norm_epsilon,
            initializer=initializer,
            dtype=dtype,
        )
        stack = TransformerEncoderStack(
            num_layers,
            num_attention_heads,
            inner_dim,
            inner_activation=inner_activation,
            output_dropout=output_dropout,
            attention_dropout=attention_dropout,
            norm_epsilon=norm_epsilon,
            initializer=initializer,
            output_range=output_range,
            dtype=dtype,
        )
        encoder_outputs = stack(embeddings(input_ids, input_type_ids), input_mask)
        x = encoder_outputs[-1]

        # Pooler on the first token.
        first_token = x[:, 0, :]
        pooler = keras.layers.Dense(
            hidden_size,
            activation="tanh",
            kernel_initializer=clone_initializer(init),
            dtype=dtype,
            name="pooler_dense",
        )
        pooled = pooler(first_token)

        super().__init__(
            inputs=[input_ids, input_mask, input_type_ids],
            outputs={
                "sequence_output": x,
                "pooled_output": pooled,
                "encoder_outputs": encoder_outputs,
            },
            dtype=dtype,
            **kwargs,
        )
        self.word_embedding = embeddings.word_embedding
        self.position_embedding = embeddings.position_embedding
        self.type_embedding = embeddings.type_embedding
        self.embedding_norm = embeddings.norm
        self.embedding_projection = embeddings.projection
        self.transformer_layers = stack.layers
        self.pooler_layer = pooler
        self._policy = policy
        self._config = {
            "vocab_size": vocab_size,
            "hidden_size": hidden_size,
            "num_layers": num_layers,
            "num_attention_heads": num_attention_heads,
            "max_sequence_length": max_sequence_length,
            "type_vocab_size": type_vocab_size,
            "inner_dim": inner_dim,
            "inner_activation": activations.serialize_activation(inner_activation),
            "output_dropout": float(output_dropout),
            "attention_dropout": float(attention_dropout),
            "initializer": (
                initializer
                if isinstance(initializer, str)
                else keras.initializers.serialize(init)
            ),
            "output_range": output_range,
            "embedding_width": embedding_width,
            "norm_epsilon": float(norm_epsilon),
        }

    def get_embedding_table(self):
        """The `(vocab_size, embedding_width)` word embedding variable.

        Pass it to `keras_nlp.layers.MaskedLM` to tie the output layer to
        the input embeddings.
        """
        return self.word_embedding.embeddings

    def _standardize_bert_inputs(self, inputs):
        """Returns `[input_ids, input_mask, input_type_ids]` from a list or dict."""
        if isinstance(inputs, dict):
            inputs = dict(inputs)
            for alias, name in INPUT_ALIASES.items():
                if alias in inputs:
                    if name in inputs:
                        raise ValueError(
                            f"Pass each input once: as {name!r} or as its alias "
                            f"{alias!r}, not both. Received keys: {sorted(inputs)}"
                        )
                    value = inputs.pop(alias)
                    dtype = getattr(value, "dtype", None)
                    if (
                        alias == "padding_mask"
                        and dtype is not None
                        and keras.backend.standardize_dtype(dtype) == "bool"
                    ):
                        # keras-nlp 0.15's mask is boolean; ours is 0/1.
                        value = keras.ops.cast(value, "int32")
                    inputs[name] = value
            missing = [name for name in INPUT_NAMES if name not in inputs]
            if missing:
                raise ValueError(
                    f"BertEncoder inputs lack {missing}. Expected a dict with the "
                    f"keys {list(INPUT_NAMES)} (or 'input_word_ids' for the ids), "
                    f"or a list in that order. Received keys: {sorted(inputs)}"
                )
            return [inputs[name] for name in INPUT_NAMES]
        if isinstance(inputs, (list, tuple)):
            if len(inputs) != 3:
                raise ValueError(
                    "BertEncoder takes 3 inputs, [input_ids, input_mask, "
                    f"input_type_ids]. Received a {type(inputs).__name__} of "
                    f"{len(inputs)}."
                )
            return list(inputs)
        raise TypeError(
            "BertEncoder takes a list [input_ids, input_mask, input_type_ids] "
            f"or a dict with those keys. Received: {type(inputs).__name__}. "
            "Build the mask with `(ids != pad_id)` and the type ids with "
            "`np.zeros_like(ids)` for single-segment inputs."
        )

    def _check_inputs(self, inputs):
        checks.check_integer_inputs(self, dict(zip(INPUT_NAMES, inputs)))
        shapes = []
        for name, value in zip(INPUT_NAMES, inputs):
            shape = tuple(value.shape) if hasattr(value, "shape") else np.shape(value)
            if len(shape) != 2:
                raise ValueError(
                    f"`{name}` must have shape (batch_size, sequence_length). "
                    f"Received: {name}.shape={shape}"
                )
            shapes.append(shape)
        known = {s for s in shapes if None not in s}
        if len(known) > 1:
            raise ValueError(
                "`input_ids`, `input_mask` and `input_type_ids` must have the same "
                f"shape. Received shapes {dict(zip(INPUT_NAMES, shapes))}."
            )
        length = shapes[0][1]
        max_length = self._config["max_sequence_length"]
        if length is not None and length > max_length:
            raise ValueError(
                f"Sequences have {length} tokens but this BertEncoder was built "
                f"with max_sequence_length={max_length}. Truncate the inputs to "
                f"{max_length} tokens or build an encoder with a larger "
                "max_sequence_length."
            )
        for name, value, limit, arg in (
            ("input_ids", inputs[0], self._config["vocab_size"], "vocab_size"),
            (
                "input_type_ids",
                inputs[2],
                self._config["type_vocab_size"],
                "type_vocab_size",
            ),
        ):
            concrete = checks.concrete_value(value)
            if concrete is not None and concrete.size:
                low, high = int(concrete.min()), int(concrete.max())
                if low < 0 or high >= limit:
                    raise ValueError(
                        f"`{name}` must lie in [0, {arg}={limit}). Received values "
                        f"from {low} to {high}. Check that the tokenizer's "
                        f"vocabulary matches the encoder (its {arg})."
                    )

    def __call__(self, inputs, *args, **kwargs):
        inputs = self._standardize_bert_inputs(inputs)
        self._check_inputs(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def get_config(self):
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": keras.dtype_policies.serialize(self._policy),
        }
        config.update(self._config)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = keras.dtype_policies.deserialize(config["dtype"])
        config["inner_activation"] = activations.deserialize_activation(
            config.get("inner_activation")
        )
        return cls(**config)
