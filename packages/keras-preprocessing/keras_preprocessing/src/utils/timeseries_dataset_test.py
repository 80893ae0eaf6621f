# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_preprocessing.src.utils.timeseries_dataset import timeseries_dataset


def _reference(data, targets, length, rate, stride, start, end, reverse):
    """The TimeseriesGenerator definition, written as a plain loop."""
    samples, ys = [], []
    for i in range(start + length, end + 1, stride):
        window = data[i - length : i : rate]
        samples.append(window[::-1] if reverse else window)
        ys.append(targets[i])
    return np.array(samples), np.array(ys)


@pytest.mark.parametrize(
    "length,rate,stride,start,end,reverse",
    [(3, 1, 1, 0, None, False), (5, 2, 3, 2, 40, True), (4, 3, 2, 1, 47, False)],
)
def test_matches_the_generator_definition(length, rate, stride, start, end, reverse):
    data = np.arange(50 * 2, dtype="float32").reshape(50, 2)
    targets = np.arange(50) * 10
    ds = timeseries_dataset(
        data, targets, length, rate, stride, start, end, reverse=reverse, batch_size=4
    )
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds])
    ref_x, ref_y = _reference(
        data, targets, length, rate, stride, start, 49 if end is None else end, reverse
    )
    np.testing.assert_array_equal(np.concatenate(xs), ref_x)
    np.testing.assert_array_equal(np.concatenate(ys), ref_y)


def test_relation_to_keras_utility():
    # Keras pairs a window with the target at its first step: shift to compare.
    series = np.arange(20, dtype="float32")
    ours = next(iter(timeseries_dataset(series, series, 4, batch_size=100)))
    keras_ds = keras.utils.timeseries_dataset_from_array(
        series[:-1], series[4:], sequence_length=4, batch_size=100
    )
    theirs = next(iter(keras_ds))
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
    unshifted = next(
        iter(
            keras.utils.timeseries_dataset_from_array(
                series, series, sequence_length=4, batch_size=100
            )
        )
    )
    assert unshifted[1][0] == 0.0 and ours[1][0] == 4.0


def test_shuffle_no_targets_and_training():
    data = np.random.default_rng(0).normal(size=(60, 3)).astype("float32")
    a = np.concatenate(
        [
            x.numpy()
            for x in timeseries_dataset(
                data, None, 5, shuffle=True, seed=1, batch_size=8
            )
        ]
    )
    b = np.concatenate(
        [
            x.numpy()
            for x in timeseries_dataset(
                data, None, 5, shuffle=True, seed=1, batch_size=8
            )
        ]
    )
    plain = np.concatenate(
        [x.numpy() for x in timeseries_dataset(data, None, 5, batch_size=8)]
    )
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, plain)
    np.testing.assert_array_equal(np.sort(a, axis=0), np.sort(plain, axis=0))
    model = keras.Sequential(
        [keras.Input((5, 3)), keras.layers.Flatten(), keras.layers.Dense(3)]
    )
    model.compile("sgd", "mse")
    model.fit(timeseries_dataset(data, data, 5, batch_size=16), epochs=1, verbose=0)
    assert isinstance(timeseries_dataset(data, data, 5), tf.data.Dataset)


def test_bad_input():
    with pytest.raises(ValueError, match="as many timesteps"):
        timeseries_dataset(np.zeros(10), np.zeros(9), 3)
    with pytest.raises(ValueError, match="No window fits"):
        timeseries_dataset(np.zeros(10), None, 10)
    with pytest.raises(ValueError, match="`length` must be an int"):
        timeseries_dataset(np.zeros(10), None, 0)
    with pytest.raises(ValueError, match="`end_index` must be <"):
        timeseries_dataset(np.zeros(10), None, 3, end_index=10)
