# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Maps integer categories to contiguous indices (and back)."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.index_lookup import LookupMixin
from keras_preprocessing.src.layers.index_lookup import check_vocabulary_list
from keras_preprocessing.src.layers.index_lookup import read_vocabulary_file
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer
from keras_preprocessing.src.layers.string_lookup import CATEGORICAL_RFC


@api_export(
    "keras_preprocessing.layers.IntegerLookup", stability="stable", rfc=CATEGORICAL_RFC
)
class IntegerLookup(LookupMixin, PreprocessingLayer, keras.layers.IntegerLookup):
    """Maps integer categories from a vocabulary to contiguous indices.

    The integer counterpart of `StringLookup` (replacing the int64 variants
    of the vocabulary feature columns): sparse ids such as `1138` become
    indices `0..n` usable by `CategoryEncoding` or `Embedding`. Index
    layout: the mask value (if any) is 0, then `num_oov_indices` OOV
    indices, then the vocabulary; with `num_oov_indices=0`, unknown values
    map to -1. The lookup is `keras.layers.IntegerLookup`'s, with the
    design's names and defaults (mask value 0) and the same fixes as
    `StringLookup`.

    Args:
        max_values: maximum vocabulary size including the mask and OOV
            indices; `None` for no limit.
        num_oov_indices: number of OOV indices; 0 maps unknown values to -1.
        mask_value: value mapped to index 0 (default 0); `None` for no mask.
        oov_value: value returned for OOV indices when `invert=True`.
        vocabulary: optional list of ints or path of a text file (one int
            per line).
        invert: map indices back to values.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: an int tensor.

    Input shape:
        Any shape.

    Output shape:
        Same as the input, int64.

    Examples:

    ```python
    from keras_preprocessing.layers import IntegerLookup

    layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    layer([[12, 1138, 42], [42, 1000, 36]])  # [[2, 4, 5], [5, 1, 3]]
    ```
    """

    _keras_class = keras.layers.IntegerLookup
    _input_kind = "integer"
    requires_adapt = True

    def __init__(
        self,
        max_values=None,
        num_oov_indices=1,
        mask_value=0,
        oov_value=-1,
        vocabulary=None,
        invert=False,
        **kwargs,
    ):
        if isinstance(vocabulary, str):
            vocabulary = read_vocabulary_file(vocabulary, int, "integer")
        elif vocabulary is not None:
            values = np.asarray(vocabulary).ravel()
            if values.dtype.kind not in "iub":
                raise TypeError(
                    "`vocabulary` must hold integers (or be a file path). Received "
                    f"values of dtype {values.dtype}: {values[:5].tolist()}. Floats are "
                    "refused rather than truncated; cast integral values with "
                    "`.astype('int64')`."
                )
            vocabulary = [int(v) for v in values.tolist()]
            check_vocabulary_list(vocabulary, "value")
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(
                f"`num_oov_indices` must be an int >= 0. Received: num_oov_indices={num_oov_indices!r}."
            )
        self.max_values = max_values
        self.mask_value = mask_value
        self.oov_value = oov_value
        super().__init__(
            max_tokens=max_values,
            num_oov_indices=num_oov_indices,
            mask_token=mask_value,
            oov_token=oov_value,
            vocabulary=vocabulary,
            invert=invert,
            **kwargs,
        )
        self._init_lookup_state(vocabulary is not None)

    def _standardize_adapt_batch(self, batch):
        if isinstance(batch, (dict, list, tuple)) or not batch.dtype.is_integer:
            raise TypeError(
                f"IntegerLookup '{self.name}' adapts on integers; received {getattr(batch, 'dtype', type(batch))}. "
                "Use StringLookup for strings, Discretization for continuous values, or cast with "
                "`.astype('int64')`."
            )
        return tf.cast(batch, "int64")

    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config.update(
            {
                "max_values": self.max_values,
                "num_oov_indices": self.num_oov_indices,
                "mask_value": self.mask_value,
                "oov_value": self.oov_value,
                "vocabulary": self._lookup_config(),
                "invert": self.invert,
            }
        )
        return config
