# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What the Functional encoders of the families share: their inputs as a
list or a dict (with the names of keras-hub and TF Hub), the checks of those
inputs, and the config (a dtype policy plus the constructor's entries)."""

import keras
import numpy as np

from keras_nlp.src.layers.encoder_blocks import encoder_initializer
from keras_nlp.src.utils import activations
from keras_nlp.src.utils import checks

# Other names accepted for the inputs: the TF Hub BERT models use
# `input_word_ids`; keras-hub and keras-nlp 0.15 preprocessors give
# `token_ids`, `segment_ids` and `padding_mask` (a boolean mask).
INPUT_ALIASES = {
    "input_word_ids": "input_ids",
    "token_ids": "input_ids",
    "segment_ids": "input_type_ids",
    "padding_mask": "input_mask",
}


def dtype_policy(dtype):
    """The policy the layers are built with (Functional models keep none)."""
    return (
        keras.dtype_policies.get(dtype)
        if dtype is not None
        else (keras.config.dtype_policy())
    )


def serialize_initializer(initializer, built):
    return (
        initializer
        if isinstance(initializer, str)
        else keras.initializers.serialize(built)
    )


class FamilyEncoder(keras.Model):
    """Base of the family encoders other than BERT (private).

    Subclasses set `input_names` and, after `super().__init__`, `_policy` and
    `_config` (the constructor's entries). `_id_limits` maps an input name to
    the config entry bounding its values; inputs outside `input_names` that
    the family ignores (e.g. `input_type_ids` for DistilBERT) are listed in
    `ignored_input_names`.
    """

    input_names = ("input_ids", "input_mask")
    ignored_input_names = ()
    _id_limits = {"input_ids": "vocab_size"}

    @classmethod
    def symbolic_inputs(cls):
        """One int32 `(batch_size, sequence_length)` `keras.Input` per name
        of `input_names`, in that order."""
        return [
            keras.Input(shape=(None,), dtype="int32", name=name)
            for name in cls.input_names
        ]

    def _keep_parts(self, embeddings, stack):
        """Keeps the layers of an `EncoderEmbeddings` and a
        `TransformerEncoderStack` as attributes (after `super().__init__`)."""
        self.word_embedding = embeddings.word_embedding
        self.position_embedding = embeddings.position_embedding
        self.type_embedding = embeddings.type_embedding
        self.embedding_norm = embeddings.norm
        self.embedding_projection = embeddings.projection
        self.transformer_layers = stack.layers

    @staticmethod
    def _layer_settings(
        inner_activation, output_dropout, attention_dropout, initializer, norm_epsilon
    ):
        """The config entries of the settings every layer shares."""
        return {
            "inner_activation": activations.serialize_activation(inner_activation),
            "output_dropout": float(output_dropout),
            "attention_dropout": float(attention_dropout),
            "initializer": serialize_initializer(
                initializer, encoder_initializer(initializer)
            ),
            "norm_epsilon": float(norm_epsilon),
        }

    def _standardize_inputs(self, inputs):
        owner = type(self).__name__
        names = self.input_names
        if isinstance(inputs, dict):
            inputs = dict(inputs)
            for name in self.ignored_input_names:
                inputs.pop(name, None)
                for alias, target in INPUT_ALIASES.items():
                    if target == name:
                        inputs.pop(alias, None)
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
            missing = [name for name in names if name not in inputs]
            if missing:
                raise ValueError(
                    f"{owner} inputs lack {missing}. Expected a dict with the "
                    f"keys {list(names)} or a list in that order. Received "
                    f"keys: {sorted(inputs)}"
                )
            return [inputs[name] for name in names]
        if isinstance(inputs, (list, tuple)) and len(inputs) == len(names):
            return list(inputs)
        raise TypeError(
            f"{owner} takes a dict with the keys {list(names)} or a list in "
            f"that order. Received: {type(inputs).__name__}"
            + (f" of length {len(inputs)}" if isinstance(inputs, (list, tuple)) else "")
            + ". Build the mask with `(ids != pad_id)`."
        )

    def _check_inputs(self, inputs):
        owner = type(self).__name__
        names = self.input_names
        checks.check_integer_inputs(self, dict(zip(names, inputs)))
        shapes = []
        for name, value in zip(names, inputs):
            shape = tuple(value.shape) if hasattr(value, "shape") else np.shape(value)
            if len(shape) != 2:
                raise ValueError(
                    f"`{name}` must have shape (batch_size, sequence_length). "
                    f"Received: {name}.shape={shape}"
                )
            shapes.append(shape)
        if len({s for s in shapes if None not in s}) > 1:
            listed = ", ".join(f"`{n}`" for n in names)
            raise ValueError(
                f"{listed} must have the same shape. "
                f"Received shapes {dict(zip(names, shapes))}."
            )
        length, longest = shapes[0][1], self._config["max_sequence_length"]
        if length is not None and length > longest:
            raise ValueError(
                f"Sequences have {length} tokens but this {owner} was built "
                f"with max_sequence_length={longest}. Truncate the inputs to "
                f"{longest} tokens or build a larger encoder."
            )
        for name, arg in self._id_limits.items():
            concrete = checks.concrete_value(inputs[names.index(name)])
            limit = self._config[arg]
            if concrete is not None and concrete.size:
                low, high = int(concrete.min()), int(concrete.max())
                if low < 0 or high >= limit:
                    raise ValueError(
                        f"`{name}` must lie in [0, {arg}={limit}). Received "
                        f"values from {low} to {high}. Check that the "
                        f"tokenizer's vocabulary matches the encoder (its {arg})."
                    )

    def __call__(self, inputs, *args, **kwargs):
        inputs = self._standardize_inputs(inputs)
        self._check_inputs(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def get_embedding_table(self):
        """The `(vocab_size, embedding_width)` word embedding variable (to
        tie `keras_nlp.layers.MaskedLM` to it)."""
        return self.word_embedding.embeddings

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
