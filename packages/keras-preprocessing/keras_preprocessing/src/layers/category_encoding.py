# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Multi-hot, count and TF-IDF encoding of integer category indices."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer
from keras_preprocessing.src.layers.string_lookup import CATEGORICAL_RFC

_MODES = ("binary", "count", "tf-idf")


@api_export(
    "keras_preprocessing.layers.CategoryEncoding",
    stability="stable",
    rfc=CATEGORICAL_RFC,
)
class CategoryEncoding(PreprocessingLayer):
    """Encodes integer category indices as multi-hot, count or TF-IDF vectors.

    The replacement of `indicator_column` and `weighted_categorical_column`:
    each sample's indices (the last axis) are reduced to one vector of width
    `max_tokens`. Negative indices (what a lookup with `num_oov_indices=0`
    gives for unknown tokens) are dropped; indices `>= max_tokens` are an
    error. With `count_weights`, each index contributes its weight instead
    of 1 (in every mode). `"tf-idf"` multiplies counts by inverse document
    frequencies learned by `adapt` (`log(1 + num_docs / (1 + doc_freq))`),
    stored in the non-trainable weight `idf_weights`.

    `keras.layers.CategoryEncoding` covers `"multi_hot"` and `"count"` but
    raises on -1 indices and has no TF-IDF; the encoding here is computed
    with `tf.math.bincount` and matches Keras's on valid indices.

    Args:
        max_tokens: number of categories (output width).
        output_mode: `"binary"` (1 where the index occurs), `"count"` or
            `"tf-idf"`.
        sparse: return a `tf.SparseTensor`.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: int tensor of indices `(batch,)` (one index per sample) or
            `(batch, ..., n)`.
        count_weights: optional float tensor of the same shape as `inputs`.

    Input shape:
        `(batch,)` or `(batch, ..., n)`.

    Output shape:
        `(batch, max_tokens)` or `(batch, ..., max_tokens)`, float.

    Examples:

    ```python
    from keras_preprocessing.layers import CategoryEncoding

    layer = CategoryEncoding(max_tokens=4, output_mode="count")
    layer(np.array([[0, 1], [0, 0], [1, 2], [3, 1]]))
    # [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]
    ```
    """

    def __init__(self, max_tokens=None, output_mode="binary", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if (
            isinstance(max_tokens, bool)
            or not isinstance(max_tokens, int)
            or max_tokens < 1
        ):
            raise ValueError(
                "`max_tokens` must be a positive int, the number of categories (the output width); for "
                "indices from a lookup layer use `lookup.vocabulary_size()`. "
                f"Received: max_tokens={max_tokens!r}."
            )
        if output_mode not in _MODES:
            raise ValueError(
                f"`output_mode` must be one of {_MODES}. Received: output_mode={output_mode!r}."
            )
        self.max_tokens = max_tokens
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.requires_adapt = output_mode == "tf-idf"
        self._is_adapted = not self.requires_adapt
        if output_mode == "tf-idf":
            self.idf_weights = self.add_weight(
                name="idf_weights",
                shape=(max_tokens,),
                initializer="ones",
                trainable=False,
            )
        self.reset_state()

    def _standardize_adapt_batch(self, batch):
        if isinstance(batch, (dict, list, tuple)) or not batch.dtype.is_integer:
            raise TypeError(
                f"CategoryEncoding '{self.name}' adapts on integer indices; received "
                f"{getattr(batch, 'dtype', type(batch))}. Map categories to indices with StringLookup first."
            )
        return batch

    def reset_state(self):
        self._doc_freq = np.zeros((self.max_tokens,), "float64")
        self._num_docs = 0

    def update_state(self, data):
        if self.output_mode != "tf-idf":
            return
        present = self._encode(data, None, binary=True)
        present = tf.reshape(present, [-1, self.max_tokens])
        self._doc_freq += tf.reduce_sum(present, axis=0).numpy()
        self._num_docs += int(present.shape[0])

    def finalize_state(self):
        if self.output_mode != "tf-idf":
            return
        idf = np.log1p(self._num_docs / (1.0 + self._doc_freq))
        self.idf_weights.assign(idf.astype("float32"))

    def _encode(self, inputs, count_weights, binary):
        inputs = tf.convert_to_tensor(inputs)
        if not inputs.dtype.is_integer:
            raise TypeError(
                f"CategoryEncoding '{self.name}' expects integer indices; received dtype {inputs.dtype.name}. "
                "Map strings to indices with StringLookup first."
            )
        inputs = tf.cast(inputs, "int64")
        if inputs.shape.rank == 1:
            inputs = inputs[:, None]
            if count_weights is not None:
                count_weights = tf.reshape(count_weights, [-1, 1])
        outer = tf.shape(inputs)[:-1]
        width = tf.shape(inputs)[-1]
        flat = tf.reshape(inputs, [-1, width])
        check = tf.debugging.assert_less(
            flat,
            tf.constant(self.max_tokens, "int64"),
            message=f"CategoryEncoding '{self.name}': an input index is >= max_tokens={self.max_tokens}. "
            "Increase `max_tokens` to the vocabulary size.",
        )
        with tf.control_dependencies([check]):
            valid = flat >= 0
        weights = tf.ones_like(flat, dtype=self.compute_dtype)
        if count_weights is not None:
            weights = tf.reshape(
                tf.cast(count_weights, self.compute_dtype), [-1, width]
            )
            binary = False
        weights = tf.where(valid, weights, tf.zeros_like(weights))
        safe = tf.where(valid, flat, tf.zeros_like(flat))
        counts = tf.math.bincount(
            tf.cast(safe, "int32"),
            weights=weights,
            minlength=self.max_tokens,
            maxlength=self.max_tokens,
            dtype=self.compute_dtype,
            axis=-1,
        )
        if binary:
            counts = tf.cast(counts > 0, self.compute_dtype)
        return tf.reshape(counts, tf.concat([outer, [self.max_tokens]], axis=0))

    def call(self, inputs, count_weights=None):
        outputs = self._encode(
            inputs, count_weights, binary=self.output_mode == "binary"
        )
        if self.output_mode == "tf-idf":
            outputs = outputs * tf.cast(self.idf_weights, outputs.dtype)
        if self.sparse:
            return tf.sparse.from_dense(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) == 1:
            return input_shape + (self.max_tokens,)
        return input_shape[:-1] + (self.max_tokens,)

    def compute_output_spec(self, inputs, count_weights=None, **kwargs):
        return keras.KerasTensor(
            self.compute_output_shape(inputs.shape),
            dtype=self.compute_dtype,
            sparse=self.sparse,
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "max_tokens": self.max_tokens,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self._is_adapted = True
