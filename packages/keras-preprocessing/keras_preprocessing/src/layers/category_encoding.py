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
    `max_tokens`. The index -1 (what a lookup with `num_oov_indices=0`
    gives for unknown tokens) is dropped; indices below -1 or `>= max_tokens`
    and non-integer indices are an error (a `ValueError`/`TypeError` in eager
    mode; in `tf.data` or `tf.function`, an `InvalidArgumentError` with the
    same text). With `count_weights`, each index contributes its weight instead
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
        count_weights: optional numeric tensor of the same shape as
            `inputs` (checked: no broadcasting or reshaping).

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

    def _adapt_checkpoint(self):
        return self._doc_freq.copy(), self._num_docs

    def _adapt_restore(self, checkpoint):
        self._doc_freq, self._num_docs = checkpoint

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
        if count_weights is not None:
            count_weights = self._check_count_weights(inputs, count_weights)
        if inputs.shape.rank == 1:
            inputs = inputs[:, None]
            if count_weights is not None:
                count_weights = count_weights[:, None]
        outer = tf.shape(inputs)[:-1]
        width = tf.shape(inputs)[-1]
        flat = tf.reshape(inputs, [-1, width])
        flat = self._check_indices(flat)
        valid = flat >= 0
        weights = tf.ones_like(flat, dtype=self.compute_dtype)
        if count_weights is not None:
            weights = tf.reshape(
                tf.cast(count_weights, self.compute_dtype), tf.shape(flat)
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

    def _check_indices(self, flat):
        """Refuses indices below -1 or from `max_tokens` on."""
        message = (
            f"CategoryEncoding '{self.name}' expects indices in [0, {self.max_tokens}) "
            f"(max_tokens={self.max_tokens}), or -1 for an unknown value, which is "
            "dropped. Received {}. Increase `max_tokens` to the vocabulary size, or "
            "map values to indices with StringLookup/IntegerLookup first."
        )
        if tf.executing_eagerly():
            values = flat.numpy()
            bad = values[(values < -1) | (values >= self.max_tokens)]
            if bad.size:
                shown = ", ".join(str(v) for v in np.unique(bad)[:5])
                raise ValueError(
                    message.format(f"{bad.size} index(es) outside it: {shown}")
                )
            return flat
        low = tf.debugging.assert_greater_equal(
            flat,
            tf.constant(-1, "int64"),
            message=message.format("an index below -1"),
        )
        high = tf.debugging.assert_less(
            flat,
            tf.constant(self.max_tokens, "int64"),
            message=message.format(f"an index >= max_tokens={self.max_tokens}"),
        )
        with tf.control_dependencies([low, high]):
            return tf.identity(flat)

    def _check_count_weights(self, inputs, count_weights):
        count_weights = tf.convert_to_tensor(count_weights)
        if not (count_weights.dtype.is_floating or count_weights.dtype.is_integer):
            raise TypeError(
                f"CategoryEncoding '{self.name}': `count_weights` must be numeric; "
                f"received dtype {count_weights.dtype.name}."
            )
        message = (
            f"CategoryEncoding '{self.name}': `count_weights` must have the shape of "
            "`inputs` (one weight per index), without broadcasting. Received "
            "count_weights.shape={} and inputs.shape={}."
        )
        static_w, static_i = count_weights.shape, inputs.shape
        if static_w.rank is not None and static_i.rank is not None:
            if static_w.rank != static_i.rank or not static_w.is_compatible_with(
                static_i
            ):
                raise ValueError(message.format(tuple(static_w), tuple(static_i)))
        if tf.executing_eagerly():
            return count_weights
        check = tf.debugging.assert_equal(
            tf.shape(count_weights, out_type="int64"),
            tf.shape(inputs, out_type="int64"),
            message=message.format("(dynamic)", "(dynamic)"),
        )
        with tf.control_dependencies([check]):
            return tf.identity(count_weights)

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
