# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Text to token indices, counts, multi-hot or TF-IDF vectors."""

import os

import keras
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.index_lookup import check_learned_vocabulary
from keras_preprocessing.src.layers.index_lookup import check_vocabulary_list
from keras_preprocessing.src.layers.index_lookup import dtype_kind
from keras_preprocessing.src.layers.index_lookup import load_counts
from keras_preprocessing.src.layers.index_lookup import restore_counts
from keras_preprocessing.src.layers.index_lookup import save_counts
from keras_preprocessing.src.layers.index_lookup import snapshot_counts
from keras_preprocessing.src.layers.preprocessing_layer import LAYERS_RFC
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer

_MODES = {"int": "int", "count": "count", "binary": "multi_hot", "tfidf": "tf_idf"}


def _serialize(fn):
    return (
        fn
        if (fn is None or isinstance(fn, str))
        else keras.saving.serialize_keras_object(fn)
    )


def _deserialize(fn):
    return keras.saving.deserialize_keras_object(fn) if isinstance(fn, dict) else fn


def _trim_idf_on_load(lookup):
    """Fixes Keras's reload of adapted TF-IDF lookups padded to `max_tokens`.

    Keras saves the IDF weights padded to `max_tokens` but checks them
    against the unpadded vocabulary file when loading, which fails; the
    weights past the vocabulary are padding, so they are dropped first.
    """
    original = lookup.load_assets

    def load_assets(dir_path):
        path = os.path.join(dir_path, "vocabulary.txt")
        if (
            lookup.output_mode == "tf_idf"
            and lookup.input_vocabulary is None
            and os.path.exists(path)
        ):
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            while lines and lines[-1] == "":
                lines.pop()
            lookup.idf_weights_const = lookup.idf_weights_const[: len(lines)]
        original(dir_path)

    lookup.load_assets = load_assets


@api_export(
    "keras_preprocessing.layers.TextVectorization", stability="stable", rfc=LAYERS_RFC
)
class TextVectorization(PreprocessingLayer, keras.layers.TextVectorization):
    """Turns strings into sequences of token indices or into token vectors.

    Each sample is standardized (lower-cased, punctuation stripped), split
    into words, combined into n-grams, and looked up in a vocabulary that
    `adapt` learns (most frequent first) or that `tokens` gives. The result
    is a padded sequence of indices (`mode="int"`, 0 is padding, 1 is OOV)
    or one vector per sample of counts, presence or TF-IDF weights. The work
    is done by `keras.layers.TextVectorization`; this class has the design's
    arguments, refuses to run before `adapt`, and supports
    `adapt(reset_state=False)`, also after a `.keras` reload (the token
    counts are saved with the layer).

    Args:
        tokens: `None` (vocabulary size from the data), an int (maximum
            number of output indices, padding and OOV included; vector modes
            are padded to this width) or a list of tokens.
        standardize: `"lower_and_strip_punctuation"`, `"lower"`,
            `"strip_punctuation"`, `None` or a callable on string tensors.
        split: `"whitespace"`, `"character"`, `None` or a callable.
        ngrams: `1`, an int `n` (all 1..n-grams) or a tuple of sizes.
        mode: `"int"`, `"count"`, `"binary"` or `"tfidf"`.
        max_length: for `mode="int"`, pad or truncate sequences to this
            length (otherwise to the longest sequence of the batch).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a string tensor `(batch,)` or `(batch, 1)`.

    Input shape:
        `(batch,)` or `(batch, 1)`.

    Output shape:
        `(batch, max_length)` int64 for `mode="int"`, else
        `(batch, num_tokens)` float.

    Examples:

    ```python
    from keras_preprocessing.layers import TextVectorization

    layer = TextVectorization(mode="int", max_length=4)
    layer.adapt(["the cat sat", "the dog"])
    layer(["the cat"])  # [[2, 3, 0, 0]]
    ```
    """

    requires_adapt = True

    def __init__(
        self,
        tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=1,
        mode="int",
        max_length=None,
        **kwargs,
    ):
        if mode not in _MODES:
            raise ValueError(
                f"`mode` must be one of {tuple(_MODES)}. Received: mode={mode!r}."
            )
        if max_length is not None and mode != "int":
            raise ValueError(
                f"`max_length` only applies to mode='int'. Received: max_length={max_length}, mode={mode!r}."
            )
        vocabulary, max_tokens = None, None
        if isinstance(tokens, int) and not isinstance(tokens, bool):
            if tokens < 3:
                raise ValueError(
                    f"`tokens` as an int must be at least 3 (padding, OOV and one token). Received: {tokens}."
                )
            max_tokens = tokens
        elif tokens is not None:
            vocabulary = [str(t) for t in tokens]
            check_vocabulary_list(vocabulary)
        self.tokens = (
            tokens if not isinstance(tokens, (list, tuple)) else list(vocabulary)
        )
        self.mode = mode
        self.max_length = max_length
        kwargs.pop("trainable", None)
        super().__init__(
            max_tokens=max_tokens,
            standardize=_deserialize(standardize),
            split=_deserialize(split),
            ngrams=tuple(ngrams) if isinstance(ngrams, list) else ngrams,
            output_mode=_MODES[mode],
            output_sequence_length=max_length,
            pad_to_max_tokens=max_tokens is not None and mode != "int",
            vocabulary=vocabulary if mode != "tfidf" else None,
            **kwargs,
        )
        if vocabulary is not None and mode == "tfidf":
            self.set_vocabulary(vocabulary, idf_weights=[1.0] * len(vocabulary))
        self._snapshot = None
        self._is_adapted = vocabulary is not None
        _trim_idf_on_load(self._lookup_layer)

    def _standardize_adapt_batch(self, batch):
        if isinstance(batch, (dict, list, tuple)) or batch.dtype != "string":
            raise TypeError(
                f"TextVectorization '{self.name}' adapts on strings; received "
                f"{getattr(batch, 'dtype', type(batch))}."
            )
        if batch.shape.rank is not None and batch.shape.rank > 2:
            raise ValueError(
                f"TextVectorization '{self.name}' adapts on a batch of strings of shape (batch,) or (batch, 1); "
                f"received shape {tuple(batch.shape)}."
            )
        return batch

    def reset_state(self):
        self._snapshot = None
        keras.layers.TextVectorization.reset_state(self)

    def _adapt_checkpoint(self):
        return self._snapshot

    def _adapt_restore(self, checkpoint):
        keras.layers.TextVectorization.reset_state(self)
        self._snapshot = checkpoint

    def update_state(self, data):
        if self._snapshot is not None:
            restore_counts(self._lookup_layer, self._snapshot)
            self._snapshot = None
        keras.layers.TextVectorization.update_state(self, data)

    def finalize_state(self):
        check_learned_vocabulary(self, self._lookup_layer)
        snapshot = snapshot_counts(self._lookup_layer)
        keras.layers.TextVectorization.finalize_state(self)
        self._snapshot = snapshot

    def call(self, inputs):
        kind = dtype_kind(inputs)
        if kind != "string":
            raise TypeError(
                f"TextVectorization '{self.name}' vectorizes strings; received "
                f"{kind} inputs. Pass text, e.g. `np.array(['the cat'])`."
            )
        outputs = keras.layers.TextVectorization.call(self, inputs)
        if self.mode != "int":
            outputs = tf.cast(outputs, "float32")
        return outputs

    def compute_output_shape(self, input_shape):
        batch = tuple(input_shape)[0] if len(tuple(input_shape)) else None
        if self.mode == "int":
            return (batch, self.max_length)
        width = self.tokens if isinstance(self.tokens, int) else None
        if width is None and (
            self.is_adapted or self._lookup_layer.input_vocabulary is not None
        ):
            width = int(self.vocabulary_size())
        return (batch, width)

    def compute_output_spec(self, inputs, **kwargs):
        dtype = "int64" if self.mode == "int" else "float32"
        return keras.KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def save_assets(self, dir_path):
        keras.layers.TextVectorization.save_assets(self, dir_path)
        if self._lookup_layer.input_vocabulary is None:
            save_counts(self._snapshot, dir_path)

    def load_assets(self, dir_path):
        keras.layers.TextVectorization.load_assets(self, dir_path)
        if self._lookup_layer.input_vocabulary is None:
            self._snapshot = load_counts(dir_path, "string")
        self._is_adapted = True

    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config.pop("trainable", None)
        config.update(
            {
                "tokens": self.tokens,
                "standardize": _serialize(self._standardize),
                "split": _serialize(self._split),
                "ngrams": self._ngrams_arg,
                "mode": self.mode,
                "max_length": self.max_length,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
