# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Sliding windows over a time series as a `tf.data.Dataset`."""

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.image.rfc import IMAGE_RFC


def _check_int(name, value, minimum):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < minimum
    ):
        raise ValueError(
            f"`{name}` must be an int >= {minimum}. Received: {name}={value!r}."
        )


@api_export(
    "keras_preprocessing.utils.timeseries_dataset", stability="stable", rfc=IMAGE_RFC
)
def timeseries_dataset(
    data,
    targets,
    length,
    sampling_rate=1,
    stride=1,
    start_index=0,
    end_index=None,
    shuffle=False,
    reverse=False,
    batch_size=128,
    seed=None,
):
    """Batches of windows over a time series, each with the target that follows it.

    The function-based replacement of `TimeseriesGenerator`. For every
    output row `i` (from `start_index + length` to `end_index`, every
    `stride` steps) the sample is `data[i - length : i : sampling_rate]`
    (the history before step `i`) and its target is `targets[i]`; so with
    `targets=data`, the model learns to predict the next step. This differs
    from `keras.utils.timeseries_dataset_from_array`, which pairs a window
    with the target at the window's *first* step.

    Args:
        data: array-like `(timesteps, ...)`; axis 0 is time.
        targets: array-like with the same number of timesteps, or `None`.
        length: length of the history before each target, in timesteps.
        sampling_rate: keep one timestep out of `sampling_rate` in a window.
        stride: steps between consecutive output rows.
        start_index: earliest timestep a window may use.
        end_index: last target row (inclusive; default the last timestep).
        shuffle: shuffle the windows (with `seed`).
        reverse: return each window in reverse chronological order.
        batch_size: windows per batch.
        seed: seed of the shuffling.

    Returns:
        A `tf.data.Dataset` of `(windows, targets)` batches (windows only
        when `targets` is `None`); windows have shape
        `(batch, ceil(length / sampling_rate), ...)`.

    Examples:

    ```python
    from keras_preprocessing.utils import timeseries_dataset

    series = np.arange(10)
    ds = timeseries_dataset(series, series, length=3, batch_size=2)
    next(iter(ds))  # ([[0, 1, 2], [1, 2, 3]], [3, 4])
    ```
    """
    data = np.asarray(data)
    if data.ndim < 1 or data.shape[0] == 0:
        raise ValueError(
            f"`data` must have at least one timestep on axis 0. Received shape {data.shape}."
        )
    if targets is not None:
        targets = np.asarray(targets)
        if targets.ndim < 1 or targets.shape[0] != data.shape[0]:
            raise ValueError(
                "`targets` must have as many timesteps (axis 0) as `data`: "
                f"received targets of shape {targets.shape} for data of shape {data.shape}. "
                "Pass one target per timestep, or `targets=None`."
            )
    for name, value, minimum in (
        ("length", length, 1),
        ("sampling_rate", sampling_rate, 1),
        ("stride", stride, 1),
        ("start_index", start_index, 0),
        ("batch_size", batch_size, 1),
    ):
        _check_int(name, value, minimum)
    if end_index is None:
        end_index = data.shape[0] - 1
    _check_int("end_index", end_index, 0)
    if end_index >= data.shape[0]:
        raise ValueError(
            f"`end_index` must be < the number of timesteps ({data.shape[0]}). Received: {end_index}."
        )
    if start_index + length > end_index:
        raise ValueError(
            f"No window fits: `start_index + length` ({start_index} + {length}) must be <= `end_index` ({end_index}). "
            "Use a shorter `length` or more data."
        )
    rows = np.arange(start_index + length, end_index + 1, stride)
    if shuffle:
        np.random.default_rng(seed).shuffle(rows)
    offsets = np.arange(-length, 0, sampling_rate)
    if reverse:
        offsets = offsets[::-1]
    data_t = tf.constant(data)
    targets_t = None if targets is None else tf.constant(targets)
    offsets_t = tf.constant(offsets, "int64")

    def window(batch_rows):
        windows = tf.gather(data_t, batch_rows[:, None] + offsets_t[None, :])
        if targets_t is None:
            return windows
        return windows, tf.gather(targets_t, batch_rows)

    dataset = tf.data.Dataset.from_tensor_slices(rows.astype("int64")).batch(batch_size)
    return dataset.map(window, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
        tf.data.AUTOTUNE
    )
