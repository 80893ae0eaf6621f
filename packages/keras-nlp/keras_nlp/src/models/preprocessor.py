# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`Preprocessor`: the base of the layers that turn raw data into model inputs."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_core.presets import PresetMixin
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer


def as_segments(x, owner="Preprocessors"):
    """One string batch, or a tuple/list of them (sentence pairs)."""
    if isinstance(x, dict):
        raise ValueError(
            f"{owner} take raw strings or a tuple of string batches "
            f"(for pairs). Received a dict with keys {sorted(x)}: it looks "
            "already preprocessed; pass it to the model without a preprocessor."
        )
    if isinstance(x, tuple) or (
        isinstance(x, list)
        and x
        and isinstance(x[0], (list, tuple, tf.Tensor))
        and not isinstance(x[0], str)
    ):
        return [to_string_tensor(s, "x")[0] for s in x]
    return [to_string_tensor(x, "x")[0]]


# The roles of RoBERTa-style special tokens, whose names do not say them.
_ROLES = {"<s>": "cls", "</s>": "sep", "<pad>": "pad", "<unk>": "unk", "<mask>": "mask"}


def _token_role(name):
    return _ROLES.get(name, name.strip("[]<>/").lower())


@api_export("keras_nlp.models.Preprocessor", stability="experimental")
class Preprocessor(PresetMixin, keras.layers.Layer):
    """Base class of preprocessors: raw data in, a model's inputs out.

    A preprocessor holds a tokenizer and turns raw strings (and labels) into
    the dict of int32 tensors a task model takes. It runs eagerly, inside
    `tf.data` pipelines and inside the SavedModel of `Task.export`, and is
    saved with its tokenizer (vocabulary as an asset) in `.keras` files and
    presets. A model family subclasses the generic preprocessors
    (`TextClassifierPreprocessor`, ...) and sets the class attributes below.

    Class attributes:
        tokenizer_cls: the tokenizer class the family uses.
        special_tokens: tokens the vocabulary must hold (e.g. `"[CLS]"`);
            the tokenizer exposes each as `<name>_token_id`.
        model_input_names: the keys of the dict the preprocessor returns,
            the inputs of the family's task models (e.g. DistilBERT takes
            no `input_type_ids`).
        pair_separator_count: how many separator tokens stand between two
            segments: 1 for BERT (`[CLS] a [SEP] b [SEP]`), 2 for RoBERTa
            (`<s> a </s></s> b </s>`).

    Args:
        tokenizer: an instance of `tokenizer_cls`.
        **kwargs: `keras.layers.Layer` arguments (`name`).

    Example:

    >>> class Lowercaser(keras_nlp.models.Preprocessor):
    ...     special_tokens = ()
    ...     def call(self, x):
    ...         return {"input_ids": self.tokenizer(tf.strings.lower(x))}
    >>> vocab = ["[PAD]", "[UNK]", "a", "film"]
    >>> preprocessor = Lowercaser(keras_nlp.tokenizers.WordPieceTokenizer(vocab))
    >>> preprocessor(["A FILM"])["input_ids"].to_list()
    [[2, 3]]
    """

    tokenizer_cls = WordPieceTokenizer
    special_tokens = ("[CLS]", "[SEP]", "[PAD]")
    model_input_names = ("input_ids", "input_mask", "input_type_ids")
    pair_separator_count = 1

    def __init__(self, tokenizer, **kwargs):
        super().__init__(**kwargs)
        self.check_tokenizer(tokenizer)
        self.tokenizer = tokenizer
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    @classmethod
    def check_tokenizer(cls, tokenizer, required=None):
        """Checks the tokenizer's class and that it has the special tokens.

        Args:
            tokenizer: the tokenizer to check.
            required: the special tokens needed; default `special_tokens`.
        """
        if not isinstance(tokenizer, cls.tokenizer_cls):
            raise TypeError(
                f"`tokenizer` must be a keras_nlp.tokenizers."
                f"{cls.tokenizer_cls.__name__}. Received: {type(tokenizer).__name__}."
            )
        required = cls.special_tokens if required is None else required
        missing = [
            name
            for name in required
            if cls.special_token_id(tokenizer, _token_role(name)) is None
        ]
        if missing:
            raise ValueError(
                f"The tokenizer's vocabulary lacks {missing}, which "
                f"{cls.__name__} inputs need. Learn the vocabulary with "
                "`compute_word_piece_vocabulary` (it reserves them) or add them."
            )

    @classmethod
    def special_token_id(cls, tokenizer, role):
        """The id of the special token with `role` (`"cls"`, `"sep"`,
        `"pad"`, `"unk"` or `"mask"`): the tokenizer's `<role>_token_id`,
        or None. A family whose tokenizer names its tokens otherwise
        overrides it.

        Args:
            tokenizer: the tokenizer.
            role: str, the role.
        """
        return getattr(tokenizer, f"{role}_token_id", None)

    def model_inputs(self, inputs):
        """The entries of `inputs` named in `model_input_names`."""
        return {name: inputs[name] for name in self.model_input_names}

    def get_config(self):
        config = super().get_config()
        config["tokenizer"] = keras.saving.serialize_keras_object(self.tokenizer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["tokenizer"] = keras.saving.deserialize_keras_object(config["tokenizer"])
        return cls(**config)
