# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Bucketing of continuous values into one-hot bin indicators."""

import warnings

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.preprocessing_layer import LAYERS_RFC
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer

# Values kept exactly before the quantile summary is compressed.
_EXACT_LIMIT = 1 << 22
# Points of the compressed (weighted) quantile summary.
_SUMMARY_SIZE = 1 << 16


# Up to this many distinct order statistics, `np.partition` selects them
# faster than sorting the whole sample (NumPy's multi-kth partition narrows
# the array kth by kth; with many kth, one sort is cheaper).
_PARTITION_LIMIT = 40


def _exact_quantiles(values, probs):
    """`np.quantile(values, probs)` (linear method), by selection or one sort.

    Each quantile interpolates between the order statistics at `floor(p *
    (n - 1))` and the next one. With few quantiles, a partition on the lower
    ones puts them in place, and the next order statistic after a selected
    one is the smallest value between it and the following selected one.
    """
    n = values.size
    positions = probs * (n - 1)
    lower = np.floor(positions).astype("int64")
    fraction = positions - lower
    kth = np.unique(lower)
    if len(kth) > _PARTITION_LIMIT:
        ordered = np.sort(values)
        upper = np.minimum(lower + 1, n - 1)
        low, high = ordered[lower], ordered[upper]
    else:
        part = np.partition(values, kth)
        ends = np.append(kth[1:], n)
        following = {}
        for k, end in zip(kth.tolist(), ends.tolist()):
            if k + 1 >= n:
                following[k] = part[k]
            elif k + 1 == end:  # the next order statistic was selected too
                following[k] = part[end]
            else:
                following[k] = part[k + 1 : end].min()
        low = part[lower]
        high = np.array([following[k] for k in lower.tolist()], dtype=values.dtype)
    low, high = low.astype("float64"), high.astype("float64")
    return low + (high - low) * fraction


def _weighted_quantiles(values, weights, probs):
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cum = np.cumsum(weights) - 0.5 * weights
    cum /= weights.sum()
    return np.interp(probs, cum, values)


class _QuantileAccumulator:
    """Values seen by `adapt`: kept exactly, then as a weighted summary.

    A plain object (not lists on the layer, which Keras would wrap and
    track on every assignment).
    """

    def __init__(self):
        self.chunks, self.num_buffered, self.summary = [], 0, None

    def add(self, values):
        self.chunks.append(values)
        self.num_buffered += values.size
        if self.num_buffered > _EXACT_LIMIT:
            self.compress()

    def compress(self):
        values = np.concatenate(self.chunks).astype("float64")
        weights = np.ones_like(values)
        if self.summary is not None:
            values = np.concatenate([values, self.summary[0]])
            weights = np.concatenate([weights, self.summary[1]])
        order = np.argsort(values, kind="stable")
        values, weights = values[order], weights[order]
        cum = np.cumsum(weights)
        edges = np.linspace(0, cum[-1], _SUMMARY_SIZE + 1)[1:]
        groups = np.searchsorted(cum, edges, side="left").clip(max=len(values) - 1)
        starts = np.concatenate([[0], groups[:-1] + 1])
        keep = starts <= groups
        starts, groups = starts[keep], groups[keep]
        # Weighted mean and total weight of each group of sorted values.
        weighted = np.concatenate([[0.0], np.cumsum(values * weights)])
        totals = np.concatenate([[0.0], cum])
        group_weights = totals[groups + 1] - totals[starts]
        group_values = (weighted[groups + 1] - weighted[starts]) / group_weights
        self.summary = (group_values, group_weights)
        self.chunks, self.num_buffered = [], 0

    def quantiles(self, probs):
        """The quantiles at `probs`, or None when no value was added."""
        if self.summary is None:
            if not self.chunks:
                return None
            values = (
                self.chunks[0] if len(self.chunks) == 1 else np.concatenate(self.chunks)
            )
            if values.size == 0:
                return None
            return _exact_quantiles(values, probs)
        if self.chunks:
            self.compress()
        return _weighted_quantiles(self.summary[0], self.summary[1], probs)


@api_export(
    "keras_preprocessing.layers.Discretization", stability="stable", rfc=LAYERS_RFC
)
class Discretization(PreprocessingLayer):
    """Maps continuous values to one-hot vectors of bin indicators.

    Use it to turn a numeric feature into categories (the replacement of
    `tf.feature_column.bucketized_column`). The bin boundaries are either
    given, or learned by `adapt` as quantiles so that every bin receives
    about the same number of values. The boundaries live in the
    non-trainable weight `bin_boundaries`.

    `keras.layers.Discretization` returns the bin *index* and keeps learned
    boundaries in a Python list; this layer returns the designed one-hot
    indicators and keeps the boundaries in a weight. Quantiles are exact
    (NumPy's linear interpolation) for up to 4M adapted values, then
    computed from a weighted summary of 65k points (the share of values
    below each boundary then stays within 1/65536 of its target).

    Args:
        bins: int or list of floats. An int `n` learns `n - 1` boundaries
            with `adapt` (output width `n`); a sorted list of boundaries is
            used as given (output width `len(bins) + 1`, no `adapt`). A value
            `v` falls in bin `i` when `bins[i-1] <= v < bins[i]`.
        strategy: `"quantiles"`, or a callable `(values, boundaries) ->
            bin indices` receiving a float tensor and the 1-D boundaries
            tensor and returning int indices of the same shape as `values`
            (a registered Keras serializable function, to save the layer).
        sparse: return a `tf.SparseTensor` (same values once densified).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a numeric tensor `(batch, ..., features)`. A NaN (a missing
            value) falls in no bin: its indicators are all zero. `adapt`
            skips NaN values (missing values) and warns with how many it
            skipped; it refuses infinite values with a `ValueError` that
            says how many there are and where the first is.

    Input shape:
        `(batch, ..., features)`.

    Output shape:
        `(batch, ..., features, num_bins)`, float indicators.

    Examples:

    ```python
    from keras_preprocessing.layers import Discretization

    layer = Discretization(bins=[0.0, 1.0])
    layer(np.array([[-5.0], [0.5], [3.0]]))
    # [[[1, 0, 0]], [[0, 1, 0]], [[0, 0, 1]]]
    ```
    """

    def __init__(self, bins=None, strategy="quantiles", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(bins, bool) or not isinstance(
            bins, (int, list, tuple, np.ndarray)
        ):
            raise TypeError(
                f"`bins` must be an int (number of bins to learn) or a list of boundaries. Received: bins={bins!r}."
            )
        if isinstance(bins, int):
            if bins < 2:
                raise ValueError(
                    f"`bins` as an int must be at least 2. Received: bins={bins}."
                )
            self.num_bins = bins
            self._fixed_boundaries = None
        else:
            boundaries = [float(b) for b in bins]
            if any(np.isnan(b) for b in boundaries):
                raise ValueError(
                    f"`bins` must not contain NaN. Received: bins={list(bins)}."
                )
            if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
                raise ValueError(
                    f"`bins` must be strictly increasing boundaries. Received: bins={list(bins)}."
                )
            self.num_bins = len(boundaries) + 1
            self._fixed_boundaries = boundaries
            self._is_adapted = True
        if strategy != "quantiles" and not callable(strategy):
            raise ValueError(
                "`strategy` must be 'quantiles' or a callable (values, boundaries) -> bin indices. "
                f"Received: strategy={strategy!r}."
            )
        self.bins = bins if isinstance(bins, int) else list(self._fixed_boundaries)
        self.strategy = strategy
        self.sparse = bool(sparse)
        self.requires_adapt = self._fixed_boundaries is None
        self.bin_boundaries = self.add_weight(
            name="bin_boundaries",
            shape=(self.num_bins - 1,),
            initializer=keras.initializers.Constant(self._fixed_boundaries or 0.0),
            trainable=False,
            dtype="float32",
        )
        self.reset_state()

    _adapt_with_numpy = True
    _adapt_skips_nan = True  # missing values; counted and reported

    def _standardize_adapt_batch(self, batch):
        dtype = getattr(batch, "dtype", None)
        if isinstance(batch, np.ndarray):
            numeric = np.issubdtype(dtype, np.number)
        else:
            numeric = dtype is not None and (dtype.is_floating or dtype.is_integer)
        if isinstance(batch, (dict, list, tuple)) or not numeric:
            raise TypeError(
                f"Discretization '{self.name}' adapts on numeric values; received "
                f"{dtype if dtype is not None else type(batch).__name__}. Pass a float or int array."
            )
        return batch

    def _adapt_checkpoint(self):
        acc = self._accumulator
        return (
            list(acc.chunks),
            acc.num_buffered,
            acc.summary,
            self._num_nan_skipped,
            self._num_seen,
        )

    def _adapt_restore(self, checkpoint):
        acc = self._accumulator
        acc.chunks, acc.num_buffered, acc.summary = checkpoint[:3]
        acc.chunks = list(acc.chunks)
        self._num_nan_skipped, self._num_seen = checkpoint[3:]

    def reset_state(self):
        self._accumulator = _QuantileAccumulator()
        self._num_nan_skipped = 0
        self._num_seen = 0

    def update_state(self, data):
        if self._fixed_boundaries is not None:
            raise ValueError(
                f"Discretization '{self.name}' was given fixed boundaries (bins={self.bins}); there is nothing "
                "to adapt. Pass `bins=<int>` to learn quantile boundaries."
            )
        values = np.asarray(
            data if isinstance(data, np.ndarray) else data.numpy()
        ).ravel()
        if values.dtype != np.float32:
            values = values.astype("float64")
        self._num_seen += values.size
        nans = np.isnan(values)
        if nans.any():  # missing values (`adapt` refused infinities)
            self._num_nan_skipped += int(nans.sum())
            values = values[~nans]
        self._accumulator.add(values)

    def finalize_state(self):
        if self._fixed_boundaries is not None:
            return
        probs = np.arange(1, self.num_bins) / self.num_bins
        boundaries = self._accumulator.quantiles(probs)
        skipped, seen = self._num_nan_skipped, self._num_seen
        if boundaries is None:
            raise ValueError(
                f"Discretization '{self.name}': `adapt` received no values to "
                f"learn boundaries from ({skipped} of {seen} were NaN). Pass at "
                "least one number."
            )
        if skipped:
            warnings.warn(
                f"Discretization '{self.name}': `adapt` skipped {skipped} NaN "
                f"value(s) of {seen} (missing values); the boundaries are the "
                f"quantiles of the other {seen - skipped}.",
                stacklevel=3,
            )
        self.bin_boundaries.assign(boundaries.astype("float32"))

    def call(self, inputs):
        inputs = tf.convert_to_tensor(inputs)
        if not (inputs.dtype.is_floating or inputs.dtype.is_integer):
            raise TypeError(
                f"Discretization '{self.name}' needs numeric inputs; received dtype {inputs.dtype.name}."
            )
        values = tf.cast(inputs, "float32")
        boundaries = tf.convert_to_tensor(self.bin_boundaries)
        if self.strategy == "quantiles":
            flat = tf.reshape(values, [-1])
            indices = tf.searchsorted(boundaries, flat, side="right")
            indices = tf.reshape(indices, tf.shape(values))
        else:
            indices = self._strategy_indices(values, boundaries)
        # NaN (a missing value) falls in no bin: an all-zero row.
        indices = tf.where(tf.math.is_nan(values), -1, tf.cast(indices, "int32"))
        outputs = tf.one_hot(indices, self.num_bins, dtype=self.compute_dtype)
        if self.sparse:
            return tf.sparse.from_dense(outputs)
        return outputs

    def _strategy_indices(self, values, boundaries):
        indices = self.strategy(values, boundaries)
        indices = tf.convert_to_tensor(indices)
        name = getattr(self.strategy, "__name__", repr(self.strategy))
        if not indices.dtype.is_integer:
            raise TypeError(
                f"Discretization '{self.name}': the `strategy` {name} returned "
                f"{indices.dtype.name} values; it must return integer bin "
                f"indices in [0, {self.num_bins}). Cast its result, e.g. "
                "with `tf.cast(..., 'int32')`, after rounding as you intend."
            )
        if indices.shape.is_fully_defined() and values.shape.is_fully_defined():
            if indices.shape != values.shape:
                raise ValueError(
                    f"Discretization '{self.name}': the `strategy` {name} "
                    f"returned indices of shape {tuple(indices.shape)} for "
                    f"values of shape {tuple(values.shape)}; it must return one "
                    "index per value."
                )
        message = (
            f"Discretization '{self.name}': the `strategy` {name} returned a "
            f"bin index outside [0, {self.num_bins}) (num_bins={self.num_bins}). "
            "Clip the indices it returns to that range."
        )
        indices = tf.cast(indices, "int64")
        in_range = tf.reduce_all((indices >= 0) & (indices < self.num_bins))
        if tf.executing_eagerly():
            if not bool(in_range):
                raise ValueError(message)
        else:
            check = tf.debugging.Assert(in_range, [message])
            with tf.control_dependencies([check]):
                indices = tf.identity(indices)
        same_shape = tf.debugging.assert_equal(
            tf.shape(indices),
            tf.shape(values),
            message=f"Discretization '{self.name}': the `strategy` must return "
            "one index per value (indices of the shape of the values).",
        )
        with tf.control_dependencies([same_shape]):
            return tf.identity(indices)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.num_bins,)

    def compute_output_spec(self, inputs, **kwargs):
        return keras.KerasTensor(
            self.compute_output_shape(inputs.shape),
            dtype=self.compute_dtype,
            sparse=self.sparse,
        )

    def get_config(self):
        config = super().get_config()
        strategy = self.strategy
        if callable(strategy):
            strategy = keras.saving.serialize_keras_object(strategy)
        config.update({"bins": self.bins, "strategy": strategy, "sparse": self.sparse})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("strategy"), dict):
            config["strategy"] = keras.saving.deserialize_keras_object(
                config["strategy"]
            )
        return cls(**config)

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self._is_adapted = True
