# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Feature crosses of categorical inputs as joined strings."""

import itertools

import keras
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer
from keras_preprocessing.src.layers.string_lookup import CATEGORICAL_RFC


def check_categorical_dtype(dtype, what):
    """Refuses dtypes that have no text form to cross or hash. Floats are
    allowed: they are crossed as their `tf.strings.as_string` form (6
    decimals), as the design documents for `age x sex`."""
    dtype = tf.as_dtype(dtype)
    if not (
        dtype == tf.string or dtype.is_integer or dtype.is_floating or dtype.is_bool
    ):
        raise TypeError(
            f"{what} must be strings or numbers; received dtype {dtype.name}."
        )


def as_string_2d(x):
    """Converts one crossing input to a rank-2 string tensor."""
    x = tf.convert_to_tensor(x)
    if x.dtype != tf.string:
        check_categorical_dtype(x.dtype, "Crossing inputs")
        x = tf.strings.as_string(x)
    if x.shape.rank == 1:
        x = x[:, None]
    if x.shape.rank != 2:
        raise ValueError(
            f"Crossing inputs must have shape (batch,) or (batch, n); received shape {tuple(x.shape)}. "
            "Reshape the feature to one row per sample."
        )
    return x


def cross_strings(inputs, separator):
    """Cartesian product of the values of each row, joined with `separator`."""
    tensors = [as_string_2d(x) for x in inputs]
    if len(tensors) == 1:
        return tensors[0]
    sizes = [t.shape[0] for t in tensors]
    message = (
        "All crossed inputs must have the same batch size (one row per sample); "
        "received batch sizes {}. Pass the features of the same samples."
    )
    if None not in sizes and len(set(sizes)) > 1:
        raise ValueError(message.format(sizes))
    if None in sizes:
        checks = [
            tf.debugging.assert_equal(
                tf.shape(t)[0],
                tf.shape(tensors[0])[0],
                message=message.format("(dynamic)"),
            )
            for t in tensors[1:]
        ]
        with tf.control_dependencies(checks):
            tensors = [tf.identity(t) for t in tensors]
    crossed = tf.sparse.cross(tensors, separator=separator)
    width = 1
    for t in tensors:
        width = (
            None if (width is None or t.shape[1] is None) else width * int(t.shape[1])
        )
    dense = tf.sparse.to_dense(crossed, default_value="")
    if width is not None:
        dense = tf.ensure_shape(dense, [None, width])
    return dense


@api_export(
    "keras_preprocessing.layers.CategoryCrossing",
    stability="stable",
    rfc=CATEGORICAL_RFC,
)
class CategoryCrossing(PreprocessingLayer):
    """Crosses categorical features into combined string categories.

    The replacement of `crossed_column` without hashing: for every sample,
    the values of the inputs are combined (Cartesian product) and joined
    with `separator`, e.g. `"female_X_first"`. Follow it with `Hashing` or
    `StringLookup` to get indices. Keras has only `HashedCrossing` (two
    features, always hashed); this layer keeps the crosses as strings and
    crosses any number of features to several depths.

    Args:
        depth: `None` crosses all inputs into one feature. An int `d`
            returns all crosses of 1 to `d` inputs; a tuple returns the
            crosses of exactly those sizes. Crosses of one input are the
            input itself (as strings). Combinations follow
            `itertools.combinations` order and are concatenated on the last
            axis.
        separator: string placed between the joined values (default
            `"_X_"`).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a list of string, int or float tensors `(batch,)` or
            `(batch, n_i)`.

    Input shape:
        A list of `(batch, n_i)` tensors.

    Output shape:
        `(batch, width)` strings: the product of the `n_i` of each cross,
        summed over crosses.

    Examples:

    ```python
    from keras_preprocessing.layers import CategoryCrossing

    layer = CategoryCrossing()
    layer([np.array([[1], [4]]), np.array([[2], [5]]), np.array([[3], [6]])])
    # [[b"1_X_2_X_3"], [b"4_X_5_X_6"]]
    ```
    """

    def __init__(self, depth=None, separator="_X_", **kwargs):
        super().__init__(**kwargs)
        if depth is not None:
            sizes = (depth,) if isinstance(depth, int) else tuple(depth)
            if not sizes or any(
                not isinstance(d, int) or isinstance(d, bool) or d < 1 for d in sizes
            ):
                raise ValueError(
                    f"`depth` must be None, a positive int or a tuple of positive ints. Received: depth={depth!r}."
                )
        self.depth = list(depth) if isinstance(depth, (list, tuple)) else depth
        self.separator = "_X_" if separator is None else separator

    def _combinations(self, n):
        if self.depth is None:
            return [tuple(range(n))]
        sizes = (
            range(1, self.depth + 1)
            if isinstance(self.depth, int)
            else sorted(set(self.depth))
        )
        combos = []
        for size in sizes:
            if size > n:
                raise ValueError(
                    f"CategoryCrossing '{self.name}' has depth={self.depth} but received only {n} inputs. "
                    "Use a depth no larger than the number of inputs."
                )
            combos.extend(itertools.combinations(range(n), size))
        return combos

    def _check_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 1:
            raise TypeError(
                f"CategoryCrossing '{self.name}' expects a list of feature tensors; received "
                f"{type(inputs).__name__}. Pass e.g. `[sex, pclass]`."
            )

    def call(self, inputs):
        self._check_inputs(inputs)
        outputs = [
            cross_strings([inputs[i] for i in combo], self.separator)
            for combo in self._combinations(len(inputs))
        ]
        return outputs[0] if len(outputs) == 1 else tf.concat(outputs, axis=-1)

    def compute_output_shape(self, input_shape):
        widths = [1 if len(s) == 1 else s[1] for s in input_shape]
        batch = input_shape[0][0]
        total = 0
        for combo in self._combinations(len(input_shape)):
            w = 1
            for i in combo:
                w = None if (w is None or widths[i] is None) else w * widths[i]
            total = None if (total is None or w is None) else total + w
        return (batch, total)

    def compute_output_spec(self, inputs, **kwargs):
        self._check_inputs(inputs)
        return keras.KerasTensor(
            self.compute_output_shape([tuple(x.shape) for x in inputs]), dtype="string"
        )

    def get_config(self):
        config = super().get_config()
        config.update({"depth": self.depth, "separator": self.separator})
        return config
