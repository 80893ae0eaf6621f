# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Hashing of categorical inputs (and of crosses of several inputs) into bins."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.category_crossing import check_categorical_dtype
from keras_preprocessing.src.layers.category_crossing import cross_strings
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer
from keras_preprocessing.src.layers.string_lookup import CATEGORICAL_RFC

_SEPARATOR = "_X_"


@api_export(
    "keras_preprocessing.layers.Hashing", stability="stable", rfc=CATEGORICAL_RFC
)
class Hashing(PreprocessingLayer, keras.layers.Hashing):
    """Hashes categorical values (or crosses of several features) into bins.

    The replacement of `categorical_column_with_hash_bucket` and, given a
    list of features, of `crossed_column`: the values are crossed as in
    `CategoryCrossing` (joined with `"_X_"`) and the cross is hashed.
    Hashing is `keras.layers.Hashing`'s (FarmHash64, or SipHash64 with a
    `salt`); Keras hashes each element of a list separately instead of
    crossing them, which this class fixes. Stateless: no `adapt` needed.

    Args:
        num_bins: number of hash bins.
        salt: optional int or pair of ints; selects the keyed SipHash64.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a string or int tensor, or a list of them to cross.

    Input shape:
        Any shape; a list of `(batch, n_i)` tensors.

    Output shape:
        Same as the input (for a list, the cross's shape), int64.

    Examples:

    ```python
    from keras_preprocessing.layers import Hashing

    layer = Hashing(num_bins=3)
    layer(np.array([["A"], ["B"], ["C"]]))
    ```
    """

    def __init__(self, num_bins, salt=None, **kwargs):
        if isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins < 1:
            raise ValueError(
                f"`num_bins` must be a positive int. Received: num_bins={num_bins!r}."
            )
        super().__init__(num_bins=num_bins, salt=salt, **kwargs)
        self._is_adapted = True

    def call(self, inputs):
        if isinstance(inputs, (list, tuple)):
            inputs = cross_strings(inputs, _SEPARATOR)
        else:
            dtype = getattr(inputs, "dtype", None)
            if dtype is None:
                inputs = tf.convert_to_tensor(inputs)
                dtype = inputs.dtype
            check_categorical_dtype(dtype, f"Hashing '{self.name}' inputs")
        return keras.layers.Hashing.call(self, inputs)

    def compute_output_spec(self, inputs, **kwargs):
        if isinstance(inputs, (list, tuple)):
            width = 1
            for x in inputs:
                n = 1 if len(x.shape) == 1 else x.shape[1]
                width = None if (width is None or n is None) else width * n
            return keras.KerasTensor((inputs[0].shape[0], width), dtype="int64")
        return keras.layers.Hashing.compute_output_spec(self, inputs)

    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config.update({"num_bins": self.num_bins, "salt": self.salt})
        return config
