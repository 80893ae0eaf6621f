# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Raw strings (or string pairs) to BertEncoder inputs."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_core.presets import PresetMixin
from keras_nlp.src.preprocessing.multi_segment_packer import MultiSegmentPacker
from keras_nlp.src.tokenizers.tokenizer import RFC
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer


def as_segments(x):
    """One string batch, or a tuple/list of them (sentence pairs)."""
    if isinstance(x, dict):
        raise ValueError(
            "BERT preprocessors take raw strings or a tuple of string batches "
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


def check_bert_tokenizer(tokenizer, required=("[CLS]", "[SEP]", "[PAD]")):
    """A WordPieceTokenizer whose vocabulary holds the `required` tokens."""
    if not isinstance(tokenizer, WordPieceTokenizer):
        raise TypeError(
            "`tokenizer` must be a keras_nlp.tokenizers.WordPieceTokenizer. "
            f"Received: {type(tokenizer).__name__}."
        )
    missing = [
        name
        for name in required
        if getattr(tokenizer, name.strip("[]").lower() + "_token_id") is None
    ]
    if missing:
        raise ValueError(
            f"The tokenizer's vocabulary lacks {missing}, which BERT inputs "
            "need. Learn the vocabulary with "
            "`compute_word_piece_vocabulary` (it reserves them) or add them."
        )


def preprocessor_config(config, preprocessor, *names):
    """`config` (the layer's own) plus the tokenizer and the named attributes."""
    config["tokenizer"] = keras.saving.serialize_keras_object(preprocessor.tokenizer)
    config.update({name: getattr(preprocessor, name) for name in names})
    return config


def preprocessor_from_config(cls, config):
    config = dict(config)
    config["tokenizer"] = keras.saving.deserialize_keras_object(config["tokenizer"])
    return cls(**config)


@api_export("keras_nlp.models.BertPreprocessor", stability="stable", rfc=RFC)
class BertPreprocessor(PresetMixin, keras.layers.Layer):
    """Turns raw strings or string pairs into the inputs of `BertEncoder`.

    Tokenizes every segment with a `WordPieceTokenizer`, then packs them as
    `[CLS] a [SEP] (b [SEP])` with `MultiSegmentPacker`. Use it in a
    `tf.data` pipeline, or let `BertClassifier` apply it inside `fit`,
    `evaluate`, `predict` and the exported SavedModel.

    Args:
        tokenizer: a `WordPieceTokenizer` whose vocabulary holds `[CLS]`,
            `[SEP]` and `[PAD]`.
        sequence_length: int. Length of the packed inputs; at least 3
            (`[CLS]`, `[SEP]` and one token), 5 for sentence pairs.
        truncate: `"round_robin"` or `"waterfall"` (see `MultiSegmentPacker`).

    Call arguments:
        x: a batch of strings, one string, or a tuple of string batches
            (sentence pairs).
        y: optional labels, passed through.
        sample_weight: optional sample weights, passed through.

    Returns:
        `x` as a dict `{"input_ids", "input_mask", "input_type_ids"}` of
        int32 `(batch_size, sequence_length)`; with `y`/`sample_weight` a
        tuple `(x, y[, sample_weight])` as Keras' `fit` expects.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film"]
    >>> tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocab)
    >>> preprocessor = keras_nlp.models.BertPreprocessor(tokenizer, sequence_length=6)
    >>> preprocessor(["a good film"])["input_ids"].numpy().tolist()
    [[2, 5, 6, 7, 3, 0]]
    """

    def __init__(
        self, tokenizer, sequence_length=512, truncate="round_robin", **kwargs
    ):
        super().__init__(**kwargs)
        check_bert_tokenizer(tokenizer)
        if tokenizer.sequence_length is not None:
            raise ValueError(
                "Pass a tokenizer without `sequence_length`: the preprocessor "
                "packs and pads to its own `sequence_length`."
            )
        if (
            isinstance(sequence_length, bool)
            or not isinstance(sequence_length, int)
            or sequence_length < 3
        ):
            raise ValueError(
                f"{type(self).__name__}(sequence_length={sequence_length!r}) "
                "cannot hold [CLS], [SEP] and at least one token of text, so "
                "every text would lose all its tokens. Pass sequence_length "
                ">= 3 (>= 5 for sentence pairs); BERT checkpoints usually "
                "use 128 or 512."
            )
        self.tokenizer = tokenizer
        self.sequence_length = sequence_length
        self.truncate = truncate
        self.packer = MultiSegmentPacker(
            sequence_length=sequence_length,
            start_value=tokenizer.cls_token_id,
            end_value=tokenizer.sep_token_id,
            pad_value=tokenizer.pad_token_id,
            truncate=truncate,
        )
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    def call(self, x, y=None, sample_weight=None):
        segments = as_segments(x)
        token_ids = [self.tokenizer(s) for s in segments]
        packed = self.packer(tuple(token_ids))
        inputs = {
            "input_ids": packed["token_ids"],
            "input_mask": tf.cast(packed["padding_mask"], tf.int32),
            "input_type_ids": packed["segment_ids"],
        }
        return keras.utils.pack_x_y_sample_weight(inputs, y, sample_weight)

    def get_config(self):
        return preprocessor_config(
            super().get_config(), self, "sequence_length", "truncate"
        )

    @classmethod
    def from_config(cls, config):
        return preprocessor_from_config(cls, config)
