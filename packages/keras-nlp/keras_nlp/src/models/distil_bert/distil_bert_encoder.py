# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The DistilBERT encoder network as a Keras Functional model."""

import keras
import numpy as np

from keras_core import api_export
from keras_nlp.src.layers.on_device_embedding import OnDeviceEmbedding
from keras_nlp.src.layers.position_embedding import PositionEmbedding
from keras_nlp.src.layers.self_attention_mask import SelfAttentionMask
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
from keras_nlp.src.models.bert.bert_encoder import _divisor_hint
from keras_nlp.src.models.bert.bert_encoder import _positive_int
from keras_nlp.src.models.bert.bert_encoder import bert_initializer
from keras_nlp.src.utils import activations
from keras_nlp.src.utils import checks

INPUT_NAMES = ("input_ids", "input_mask")
# keras-hub and keras-nlp 0.15 name the inputs `token_ids` and `padding_mask`.
INPUT_ALIASES = {
    "input_word_ids": "input_ids",
    "token_ids": "input_ids",
    "padding_mask": "input_mask",
}


@api_export("keras_nlp.encoders.DistilBertEncoder", stability="experimental")
class DistilBertEncoder(keras.Model):
    """The DistilBERT encoder: BERT distilled to fewer layers, no segments.

    Embeds token ids (word and position embeddings, summed and normalized)
    and runs `num_layers` `TransformerEncoder` blocks over them, as
    DistilBERT does: no segment (token type) embeddings and no pooler. Its
    inputs are `input_ids` and `input_mask` (1 for real tokens, 0 for
    padding); padding never changes the outputs at real positions. The
    defaults are those of DistilBERT-base. HuggingFace DistilBERT
    checkpoints (`model_type` "distilbert") load with
    `keras_nlp.convert.from_huggingface`; the tasks are
    `keras_nlp.models.DistilBertClassifier` and its siblings.

    Reference: [Sanh et al., 2019. DistilBERT, a distilled version of BERT](
    https://arxiv.org/abs/1910.01108).

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layers. Defaults to 6.
        num_attention_heads: int. Attention heads per layer; must divide
            `hidden_size`. Defaults to 12.
        max_sequence_length: int. Longest input the position embeddings
            allow. Defaults to 512.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            3072.
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu"` (exact GELU).
        output_dropout: float. Dropout rate on embeddings and on the outputs
            of attention and feed-forward layers. Defaults to 0.1.
        attention_dropout: float. Dropout rate on attention probabilities.
            Defaults to 0.1.
        initializer: initializer of all weights; `"truncated_normal"` means
            a truncated normal with standard deviation 0.02.
        norm_epsilon: float. Epsilon of every layer normalization. Defaults
            to `1e-12`, DistilBERT's.
        dtype: dtype policy of all layers, e.g. `"mixed_bfloat16"`.
        **kwargs: other `keras.Model` arguments (`name`, `trainable`).

    Call arguments:
        inputs: a dict with `input_ids` and `input_mask` (or a list in that
            order), each `(batch_size, sequence_length)` integers.
        training: bool. Whether dropout is active.

    Returns:
        A dict: `sequence_output` `(batch_size, sequence_length,
        hidden_size)` and `encoder_outputs`, the list of the outputs of
        every Transformer layer.

    Example:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16)
    >>> ids = np.array([[5, 6, 7, 0], [8, 9, 0, 0]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 0).astype("int32")})
    >>> outputs["sequence_output"].shape
    TensorShape([2, 4, 32])
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES

    def __init__(
        self,
        vocab_size,
        hidden_size=768,
        num_layers=6,
        num_attention_heads=12,
        max_sequence_length=512,
        inner_dim=3072,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        initializer="truncated_normal",
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        vocab_size = _positive_int("vocab_size", vocab_size)
        hidden_size = _positive_int("hidden_size", hidden_size)
        num_layers = _positive_int("num_layers", num_layers)
        num_attention_heads = _positive_int("num_attention_heads", num_attention_heads)
        max_sequence_length = _positive_int("max_sequence_length", max_sequence_length)
        inner_dim = _positive_int("inner_dim", inner_dim)
        if hidden_size % num_attention_heads:
            raise ValueError(
                f"`hidden_size` ({hidden_size}) must be divisible by "
                f"`num_attention_heads` ({num_attention_heads}). For example "
                "use num_attention_heads="
                f"{_divisor_hint(hidden_size, num_attention_heads)}."
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
        word_embedding = OnDeviceEmbedding(
            vocab_size,
            hidden_size,
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
        embedding_norm = keras.layers.LayerNormalization(
            epsilon=norm_epsilon, dtype=dtype, name="embeddings_norm"
        )
        words = word_embedding(input_ids)
        x = keras.layers.Add(dtype=dtype, name="embeddings_sum")(
            [words, position_embedding(words)]
        )
        x = embedding_norm(x)
        x = keras.layers.Dropout(
            output_dropout, dtype=dtype, name="embeddings_dropout"
        )(x)
        attention_mask = SelfAttentionMask(dtype=dtype, name="self_attention_mask")(
            [x, input_mask]
        )
        transformer_layers, encoder_outputs = [], []
        for i in range(num_layers):
            layer = TransformerEncoder(
                num_attention_heads=num_attention_heads,
                inner_dim=inner_dim,
                inner_activation=inner_activation,
                kernel_initializer=clone_initializer(init),
                norm_epsilon=norm_epsilon,
                output_dropout=output_dropout,
                attention_dropout=attention_dropout,
                dtype=dtype,
                name=f"transformer_layer_{i}",
            )
            transformer_layers.append(layer)
            x = layer([x, attention_mask])
            encoder_outputs.append(x)
        super().__init__(
            inputs=[input_ids, input_mask],
            outputs={"sequence_output": x, "encoder_outputs": encoder_outputs},
            dtype=dtype,
            **kwargs,
        )
        self.word_embedding = word_embedding
        self.position_embedding = position_embedding
        self.embedding_norm = embedding_norm
        self.transformer_layers = transformer_layers
        self._policy = policy
        self._config = {
            "vocab_size": vocab_size,
            "hidden_size": hidden_size,
            "num_layers": num_layers,
            "num_attention_heads": num_attention_heads,
            "max_sequence_length": max_sequence_length,
            "inner_dim": inner_dim,
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
        """The `(vocab_size, hidden_size)` word embedding variable (to tie
        `keras_nlp.layers.MaskedLM` to it)."""
        return self.word_embedding.embeddings

    def _standardize_inputs(self, inputs):
        if isinstance(inputs, dict):
            inputs = dict(inputs)
            inputs.pop("input_type_ids", None)  # BERT-style dicts: no segments
            inputs.pop("segment_ids", None)
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
                    f"DistilBertEncoder inputs lack {missing}. Expected a dict "
                    f"with the keys {list(INPUT_NAMES)} or a list in that "
                    f"order. Received keys: {sorted(inputs)}"
                )
            return [inputs[name] for name in INPUT_NAMES]
        if isinstance(inputs, (list, tuple)) and len(inputs) == 2:
            return list(inputs)
        raise TypeError(
            "DistilBertEncoder takes a dict {'input_ids', 'input_mask'} or a "
            f"list [input_ids, input_mask]. Received: {type(inputs).__name__}"
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
                "`input_ids` and `input_mask` must have the same shape. "
                f"Received shapes {dict(zip(INPUT_NAMES, shapes))}."
            )
        length, longest = shapes[0][1], self._config["max_sequence_length"]
        if length is not None and length > longest:
            raise ValueError(
                f"Sequences have {length} tokens but this DistilBertEncoder was "
                f"built with max_sequence_length={longest}. Truncate the inputs "
                f"to {longest} tokens or build a larger encoder."
            )
        concrete = checks.concrete_value(inputs[0])
        if concrete is not None and concrete.size:
            low, high = int(concrete.min()), int(concrete.max())
            limit = self._config["vocab_size"]
            if low < 0 or high >= limit:
                raise ValueError(
                    f"`input_ids` must lie in [0, vocab_size={limit}). Received "
                    f"values from {low} to {high}. Check that the tokenizer's "
                    "vocabulary matches the encoder (its vocab_size)."
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
