# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The ALBERT encoder network as a Keras Functional model."""

import keras
import numpy as np

from keras_core import api_export
from keras_nlp.src.layers.encoder_blocks import divisor_hint
from keras_nlp.src.layers.encoder_blocks import positive_int
from keras_nlp.src.layers.on_device_embedding import OnDeviceEmbedding
from keras_nlp.src.layers.position_embedding import PositionEmbedding
from keras_nlp.src.layers.self_attention_mask import SelfAttentionMask
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
from keras_nlp.src.models.bert.bert_encoder import bert_initializer
from keras_nlp.src.utils import activations
from keras_nlp.src.utils import checks

INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")
# keras-hub names the inputs `token_ids`, `segment_ids` and `padding_mask`.
INPUT_ALIASES = {
    "input_word_ids": "input_ids",
    "token_ids": "input_ids",
    "segment_ids": "input_type_ids",
    "padding_mask": "input_mask",
}


@api_export("keras_nlp.encoders.AlbertEncoder", stability="experimental")
class AlbertEncoder(keras.Model):
    """The ALBERT encoder: factorised embeddings and shared Transformer layers.

    ALBERT ("A Lite BERT") shrinks BERT in two ways: the word, position
    and segment embeddings have a small width `embedding_width`, projected
    to `hidden_size` by one dense layer, and the `num_layers` Transformer
    layers share the weights of `num_groups` layers (one by default: the
    same `TransformerEncoder` runs `num_layers` times; with more groups,
    consecutive runs of `num_layers / num_groups` layers share one). A
    pooler (dense layer with tanh on the first token) gives
    `pooled_output`. Its inputs are those of `BertEncoder`: `input_ids`,
    `input_mask` and `input_type_ids`. The defaults are ALBERT-base's.
    HuggingFace ALBERT checkpoints (`model_type` "albert") load with
    `keras_nlp.convert.from_huggingface`.

    Reference: [Lan et al., 2019. ALBERT: A Lite BERT for Self-supervised
    Learning of Language Representations](https://arxiv.org/abs/1909.11942).

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layer applications. Defaults
            to 12.
        num_attention_heads: int. Attention heads per layer. Defaults to 12.
        max_sequence_length: int. Longest input. Defaults to 512.
        type_vocab_size: int. Number of segment ids. Defaults to 2.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            3072.
        embedding_width: int. Width of the embeddings. Defaults to 128.
        num_groups: int. Number of distinct Transformer layers; must divide
            `num_layers`. Defaults to 1 (all layers shared).
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu_approximate"` (HuggingFace's `gelu_new`,
            ALBERT's).
        output_dropout: float. Dropout rate on embeddings and layer outputs.
            Defaults to 0 (ALBERT v2's).
        attention_dropout: float. Dropout rate on attention probabilities.
            Defaults to 0.
        initializer: initializer of all weights; `"truncated_normal"` means
            standard deviation 0.02.
        norm_epsilon: float. Epsilon of every layer normalization. Defaults
            to `1e-12`.
        dtype: dtype policy of all layers.
        **kwargs: other `keras.Model` arguments (`name`, `trainable`).

    Call arguments:
        inputs: a dict with `input_ids`, `input_mask` and `input_type_ids`
            (or a list in that order), each `(batch_size, sequence_length)`.
        training: bool. Whether dropout is active.

    Returns:
        A dict: `sequence_output` `(batch_size, sequence_length,
        hidden_size)`, `pooled_output` `(batch_size, hidden_size)` and
        `encoder_outputs`, the output of every layer application.

    Example:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.AlbertEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=4, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16, embedding_width=16)
    >>> ids = np.array([[5, 6, 7, 0]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 0).astype("int32"),
    ...                    "input_type_ids": np.zeros_like(ids)})
    >>> outputs["pooled_output"].shape
    TensorShape([1, 32])
    >>> len(encoder.transformer_layers)  # four applications of one layer
    1
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
        type_vocab_size=2,
        inner_dim=3072,
        embedding_width=128,
        num_groups=1,
        inner_activation="gelu_approximate",
        output_dropout=0.0,
        attention_dropout=0.0,
        initializer="truncated_normal",
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        vocab_size = positive_int("vocab_size", vocab_size)
        hidden_size = positive_int("hidden_size", hidden_size)
        num_layers = positive_int("num_layers", num_layers)
        num_attention_heads = positive_int("num_attention_heads", num_attention_heads)
        max_sequence_length = positive_int("max_sequence_length", max_sequence_length)
        type_vocab_size = positive_int("type_vocab_size", type_vocab_size)
        inner_dim = positive_int("inner_dim", inner_dim)
        embedding_width = positive_int("embedding_width", embedding_width)
        num_groups = positive_int("num_groups", num_groups)
        if num_layers % num_groups:
            raise ValueError(
                f"`num_groups` ({num_groups}) must divide `num_layers` "
                f"({num_layers}): each group is shared by the same number of "
                "consecutive layers. Use num_groups=1 (ALBERT's) or a divisor."
            )
        if hidden_size % num_attention_heads:
            raise ValueError(
                f"`hidden_size` ({hidden_size}) must be divisible by "
                f"`num_attention_heads` ({num_attention_heads}). For example "
                "use num_attention_heads="
                f"{divisor_hint(hidden_size, num_attention_heads)}."
            )
        activations.get_activation(inner_activation)  # fails early on a bad name
        policy = (
            keras.dtype_policies.get(dtype)
            if dtype is not None
            else keras.config.dtype_policy()
        )
        init = bert_initializer(initializer)
        input_ids = keras.Input(shape=(None,), dtype="int32", name="input_ids")
        input_mask = keras.Input(shape=(None,), dtype="int32", name="input_mask")
        input_type_ids = keras.Input(
            shape=(None,), dtype="int32", name="input_type_ids"
        )
        word_embedding = OnDeviceEmbedding(
            vocab_size,
            embedding_width,
            initializer=clone_initializer(init),
            dtype=dtype,
            name="word_embeddings",
        )
        position_embedding = PositionEmbedding(
            max_sequence_length,
            initializer=clone_initializer(init),
            dtype=dtype,
            name="position_embedding",
        )
        type_embedding = OnDeviceEmbedding(
            type_vocab_size,
            embedding_width,
            initializer=clone_initializer(init),
            use_one_hot=True,
            dtype=dtype,
            name="type_embeddings",
        )
        embedding_norm = keras.layers.LayerNormalization(
            epsilon=norm_epsilon, dtype=dtype, name="embeddings_norm"
        )
        words = word_embedding(input_ids)
        x = keras.layers.Add(dtype=dtype, name="embeddings_sum")(
            [words, position_embedding(words), type_embedding(input_type_ids)]
        )
        x = embedding_norm(x)
        x = keras.layers.Dropout(
            output_dropout, dtype=dtype, name="embeddings_dropout"
        )(x)
        embedding_projection = keras.layers.Dense(
            hidden_size,
            kernel_initializer=clone_initializer(init),
            dtype=dtype,
            name="embedding_projection",
        )
        x = embedding_projection(x)
        attention_mask = SelfAttentionMask(dtype=dtype, name="self_attention_mask")(
            [x, input_mask]
        )
        transformer_layers = [
            TransformerEncoder(
                num_attention_heads=num_attention_heads,
                inner_dim=inner_dim,
                inner_activation=inner_activation,
                kernel_initializer=clone_initializer(init),
                norm_epsilon=norm_epsilon,
                output_dropout=output_dropout,
                attention_dropout=attention_dropout,
                dtype=dtype,
                name=f"transformer_group_{g}",
            )
            for g in range(num_groups)
        ]
        encoder_outputs = []
        per_group = num_layers // num_groups
        for i in range(num_layers):
            x = transformer_layers[i // per_group]([x, attention_mask])
            encoder_outputs.append(x)
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
        self.word_embedding = word_embedding
        self.position_embedding = position_embedding
        self.type_embedding = type_embedding
        self.embedding_norm = embedding_norm
        self.embedding_projection = embedding_projection
        self.transformer_layers = transformer_layers
        self.pooler = pooler
        self._policy = policy
        self._config = {
            "vocab_size": vocab_size,
            "hidden_size": hidden_size,
            "num_layers": num_layers,
            "num_attention_heads": num_attention_heads,
            "max_sequence_length": max_sequence_length,
            "type_vocab_size": type_vocab_size,
            "inner_dim": inner_dim,
            "embedding_width": embedding_width,
            "num_groups": num_groups,
            "inner_activation": activations.serialize_activation(inner_activation),
            "output_dropout": float(output_dropout),
            "attention_dropout": float(attention_dropout),
            "initializer": (
                initializer
                if isinstance(initializer, str)
                else keras.initializers.serialize(init)
            ),
            "norm_epsilon": float(norm_epsilon),
        }

    def get_embedding_table(self):
        """The `(vocab_size, embedding_width)` word embedding variable."""
        return self.word_embedding.embeddings

    def _standardize_inputs(self, inputs):
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
                        dtype is not None
                        and keras.backend.standardize_dtype(dtype) == "bool"
                    ):
                        # keras-hub's mask is boolean; ours is 0/1.
                        if isinstance(value, np.ndarray):
                            value = value.astype("int32")
                        else:
                            value = keras.ops.cast(value, "int32")
                    inputs[name] = value
            missing = [name for name in INPUT_NAMES if name not in inputs]
            if missing:
                raise ValueError(
                    f"AlbertEncoder inputs lack {missing}. Expected a dict "
                    f"with the keys {list(INPUT_NAMES)} or a list in that "
                    f"order. Received keys: {sorted(inputs)}"
                )
            return [inputs[name] for name in INPUT_NAMES]
        if isinstance(inputs, (list, tuple)) and len(inputs) == 3:
            return list(inputs)
        raise TypeError(
            "AlbertEncoder takes a dict {'input_ids', 'input_mask', "
            "'input_type_ids'} or a list in that order. Received: "
            f"{type(inputs).__name__}"
            + (f" of length {len(inputs)}" if isinstance(inputs, (list, tuple)) else "")
            + ". Build the mask with `(ids != pad_id)`."
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
        if len({s for s in shapes if None not in s}) > 1:
            raise ValueError(
                "`input_ids`, `input_mask` and `input_type_ids` must have the "
                "same shape. "
                f"Received shapes {dict(zip(INPUT_NAMES, shapes))}."
            )
        length, longest = shapes[0][1], self._config["max_sequence_length"]
        if length is not None and length > longest:
            raise ValueError(
                f"Sequences have {length} tokens but this AlbertEncoder was "
                f"built with max_sequence_length={longest}. Truncate the inputs "
                f"to {longest} tokens or build a larger encoder."
            )
        for name, value, arg in (
            ("input_ids", inputs[0], "vocab_size"),
            ("input_type_ids", inputs[2], "type_vocab_size"),
        ):
            concrete = checks.concrete_value(value)
            limit = self._config[arg]
            if concrete is not None and concrete.size:
                low, high = int(concrete.min()), int(concrete.max())
                if low < 0 or high >= limit:
                    raise ValueError(
                        f"`{name}` must lie in [0, {arg}={limit}). Received "
                        f"values from {low} to {high}. Check that the "
                        f"tokenizer and packer match the encoder (its {arg})."
                    )

    def __call__(self, inputs, *args, **kwargs):
        inputs = self._standardize_inputs(inputs)
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
