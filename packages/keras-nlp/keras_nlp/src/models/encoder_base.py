# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What the Functional encoders of the families share: their construction
from the constructor's arguments (embeddings, Transformer stack, optional
pooler), their inputs as a list or a dict (with the names of keras-hub and TF
Hub), the checks of those inputs, and the config (a dtype policy plus the
constructor's entries)."""

import inspect

import keras
import numpy as np

from keras_nlp.src.layers.encoder_blocks import EncoderEmbeddings
from keras_nlp.src.layers.encoder_blocks import TransformerEncoderStack
from keras_nlp.src.layers.encoder_blocks import check_encoder_arguments
from keras_nlp.src.layers.encoder_blocks import encoder_initializer
from keras_nlp.src.layers.transformer_layer_utils import clone_initializer
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


# The constructor arguments that are sizes (positive ints, checked by
# `check_encoder_arguments`) and the settings every layer shares; the config
# lists them in this order, then the family's other arguments.
SIZE_ARGUMENTS = (
    "vocab_size",
    "hidden_size",
    "num_layers",
    "num_attention_heads",
    "max_sequence_length",
    "type_vocab_size",
    "inner_dim",
    "embedding_width",
    "num_groups",
)
LAYER_SETTINGS = (
    "inner_activation",
    "output_dropout",
    "attention_dropout",
    "initializer",
    "norm_epsilon",
)


def constructor_arguments(frame):
    """The arguments of an encoder constructor, from its `locals()` taken
    first thing: the named ones (in signature order) and the `**kwargs`."""
    arguments = {
        name: value
        for name, value in frame.items()
        if name not in ("self", "__class__", "kwargs")
    }
    return arguments, dict(frame.get("kwargs", {}))


def shape_arguments(encoder_cls):
    """The constructor arguments of `encoder_cls` that change its weights'
    shapes: its sizes and RoBERTa's `padding_id` (the position table has
    `max_sequence_length + padding_id + 1` rows), in signature order."""
    parameters = inspect.signature(encoder_cls.__init__).parameters
    return tuple(
        name for name in parameters if name in SIZE_ARGUMENTS or name == "padding_id"
    )


def symbolic_inputs(names):
    """One int32 `(batch_size, sequence_length)` `keras.Input` per name."""
    return [keras.Input(shape=(None,), dtype="int32", name=name) for name in names]


class EncoderModel(keras.Model):
    """Base of the six family encoders, BERT's included (private).

    A subclass's constructor passes its arguments to `_build_encoder`, which
    checks the sizes, wires `EncoderEmbeddings`, `TransformerEncoderStack`
    and (with `_pooler_attribute`) a pooler into the Functional model, and
    keeps the config. The constructor's arguments say which parts there
    are: segment embeddings with `type_vocab_size` (fed zeros when
    `input_names` has no `input_type_ids`, as RoBERTa's), a projection when
    `embedding_width` differs from `hidden_size`, RoBERTa's positions with
    `padding_id`, `output_range` for the last layer, ALBERT's shared layers
    with `num_groups`; every argument ends up in the config. The class
    attributes say the rest: `input_names`, `_optional_sizes` (sizes that
    may be None, e.g. `embedding_width`, then `hidden_size`),
    `_always_project` (ALBERT's projection even at equal widths),
    `_pooler_attribute` and `_id_limits` (the input names whose values a
    config entry bounds).
    """

    input_names = ("input_ids", "input_mask")
    ignored_input_names = ()
    _id_limits = {"input_ids": "vocab_size"}
    _optional_sizes = ()
    _always_project = False
    # The attribute that keeps the pooler (a dense tanh layer on the first
    # token, giving `pooled_output`); None for no pooler.
    _pooler_attribute = None

    def _check_arguments(self, sizes, others):
        """The family's other constructor arguments, checked (after the sizes);
        returns them as the config keeps them."""
        return others

    def _build_encoder(self, arguments, kwargs):
        """Builds the Functional model from the constructor's arguments (see
        `constructor_arguments`) and keeps its parts and config."""
        others = dict(arguments)
        dtype = others.pop("dtype")
        settings = {name: others.pop(name) for name in LAYER_SETTINGS}
        sizes = check_encoder_arguments(
            optional=self._optional_sizes,
            inner_activation=settings["inner_activation"],
            **{name: others.pop(name) for name in SIZE_ARGUMENTS if name in others},
        )
        others = self._check_arguments(sizes, others)
        policy = dtype_policy(dtype)
        inputs = symbolic_inputs(self.input_names)
        named = dict(zip(self.input_names, inputs))
        shared = {
            "norm_epsilon": settings["norm_epsilon"],
            "initializer": settings["initializer"],
            "dtype": dtype,
        }
        embeddings = EncoderEmbeddings(
            sizes["vocab_size"],
            sizes.get("embedding_width") or sizes["hidden_size"],
            sizes["max_sequence_length"],
            type_vocab_size=sizes.get("type_vocab_size"),
            hidden_size=sizes["hidden_size"],
            always_project=self._always_project,
            dropout=settings["output_dropout"],
            padding_position=others.get("padding_id"),
            **shared,
        )
        stack = TransformerEncoderStack(
            sizes["num_layers"],
            sizes["num_attention_heads"],
            sizes["inner_dim"],
            inner_activation=settings["inner_activation"],
            output_dropout=settings["output_dropout"],
            attention_dropout=settings["attention_dropout"],
            output_range=others.get("output_range"),
            num_groups=sizes.get("num_groups"),
            **shared,
        )
        input_mask = named["input_mask"]
        x = embeddings(
            named["input_ids"], named.get("input_type_ids"), input_mask=input_mask
        )
        encoder_outputs = stack(x, input_mask)
        outputs = {"sequence_output": encoder_outputs[-1]}
        if self._pooler_attribute is not None:
            pooler = keras.layers.Dense(
                sizes["hidden_size"],
                activation="tanh",
                kernel_initializer=clone_initializer(
                    encoder_initializer(settings["initializer"])
                ),
                dtype=dtype,
                name="pooler_dense",
            )
            outputs["pooled_output"] = pooler(encoder_outputs[-1][:, 0, :])
        outputs["encoder_outputs"] = encoder_outputs
        super().__init__(inputs=inputs, outputs=outputs, dtype=dtype, **kwargs)
        self._output_range_views = _OutputRangeViews(
            inputs,
            encoder_outputs[:-1],
            *stack.last_application,
            pooler if self._pooler_attribute is not None else None,
        )
        self.word_embedding = embeddings.word_embedding
        self.position_embedding = embeddings.position_embedding
        self.type_embedding = embeddings.type_embedding
        self.embedding_norm = embeddings.norm
        self.embedding_projection = embeddings.projection
        self.transformer_layers = stack.layers
        if self._pooler_attribute is not None:
            setattr(self, self._pooler_attribute, pooler)
        self._policy = policy
        self._config = {**sizes, **self._layer_settings(**settings), **others}

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

    def _output_range_view(self, output_range):
        """The Functional model of a call with `output_range`, or None for
        the encoder's own graph (see `_OutputRangeViews`)."""
        if output_range is None or output_range == self._config.get("output_range"):
            return None
        views = self.__dict__.get("_output_range_views")
        if views is None:
            raise ValueError(
                f"{type(self).__name__} was not built by `_build_encoder`, so "
                "it cannot be called with `output_range`. Call it without."
            )
        return views.get(self, output_range)

    def call(self, inputs, training=None, mask=None, output_range=None):
        view = self._output_range_view(output_range)
        if view is None:
            return super().call(inputs, training=training, mask=mask)
        return view.call(inputs, training=training, mask=mask)

    def compute_output_spec(self, inputs, training=None, mask=None, output_range=None):
        view = self._output_range_view(output_range)
        if view is None:
            return super().compute_output_spec(inputs, training=training, mask=mask)
        return view.compute_output_spec(inputs, training=training, mask=mask)

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


class _OutputRangeViews:
    """The encoder's graph with another `output_range` in its last layer.

    For `encoder(inputs, output_range=n)`: a Functional model on the
    encoder's own inputs, whose nodes are the encoder's up to the last
    Transformer block, then that block called again with `output_range=n`
    (the same layer, so the same weights) and the pooler on its first
    position. Built once per `n`, when first asked for (in practice while
    a task builds its graph), and kept here: this object is neither a Keras
    layer nor a container, so Keras neither tracks nor saves it, and the
    encoder's weights, checkpoints and saved files are unchanged.
    """

    def __init__(self, inputs, earlier_outputs, block, block_inputs, pooler):
        self.inputs = inputs
        self.earlier_outputs = list(earlier_outputs)
        self.block = block
        self.block_inputs = block_inputs
        self.pooler = pooler
        self.models = {}

    def get(self, encoder, output_range):
        if output_range not in self.models:
            last = self.block(self.block_inputs, output_range=output_range)
            outputs = {"sequence_output": last}
            if self.pooler is not None:
                outputs["pooled_output"] = self.pooler(last[:, 0, :])
            outputs["encoder_outputs"] = self.earlier_outputs + [last]
            # An explicit name leaves Keras' automatic model names untouched.
            self.models[output_range] = keras.Model(
                self.inputs,
                outputs,
                name=f"{encoder.name}_output_range_{output_range}",
            )
        return self.models[output_range]


class FamilyEncoder(EncoderModel):
    """Base of the family encoders other than BERT (private): an
    `EncoderModel` with the public `symbolic_inputs` (BERT's stable API has
    none)."""

    @classmethod
    def symbolic_inputs(cls):
        """One int32 `(batch_size, sequence_length)` `keras.Input` per name
        of `input_names`, in that order."""
        return symbolic_inputs(cls.input_names)
