# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_preprocessing.src.layers.discretization import Discretization
from keras_preprocessing.src.layers.normalization import Normalization
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer


class RunningMax(PreprocessingLayer):
    """A minimal subclass: the three implementer hooks only."""

    requires_adapt = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.max_value = self.add_weight(
            name="max_value", shape=(), initializer="zeros", trainable=False
        )
        self.batches = 0

    def reset_state(self):
        self._running = -np.inf

    def update_state(self, data):
        self.batches += 1
        self._running = max(self._running, float(tf.reduce_max(data)))

    def finalize_state(self):
        self.max_value.assign(self._running)

    def call(self, inputs):
        return inputs / self.max_value


@pytest.mark.parametrize(
    "data",
    [
        np.array([[1.0], [5.0], [3.0]]),
        [[1.0], [5.0], [3.0]],
        tf.constant([[1.0], [5.0], [3.0]]),
        tf.data.Dataset.from_tensor_slices(np.array([[1.0], [5.0], [3.0]])).batch(2),
        tf.data.Dataset.from_tensor_slices(
            (np.array([[1.0], [5.0], [3.0]]), np.zeros(3))
        ).batch(2),
        tf.data.Dataset.from_tensor_slices(
            np.array([1.0, 5.0, 3.0])
        ),  # unbatched scalars
        (np.array([[x]]) for x in [1.0, 5.0, 3.0]),  # generator of batches
    ],
    ids=[
        "numpy",
        "list",
        "tensor",
        "dataset",
        "dataset_xy",
        "dataset_scalars",
        "generator",
    ],
)
def test_adapt_accepts_every_input_kind(data):
    layer = RunningMax()
    layer.adapt(data)
    assert float(layer.max_value.numpy()) == 5.0
    assert layer.is_adapted
    assert not layer.trainable


def test_adapt_goes_through_implementer_hooks_and_batches():
    layer = RunningMax()
    layer.adapt(np.arange(10.0)[:, None], batch_size=3)
    assert layer.batches == 4  # 3 + 3 + 3 + 1 rows
    layer.adapt(np.arange(10.0)[:, None], batch_size=3, steps=2)
    assert float(layer.max_value.numpy()) == 5.0  # only rows 0..5


class RecordingLayer(PreprocessingLayer):
    """Keeps every batch `update_state` receives."""

    def reset_state(self):
        self.seen = []

    def update_state(self, data):
        self.seen.append(np.asarray(data))


def test_dataset_is_read_whole_in_order_and_left_unchanged():
    # A parallel map that asks tf.data to pick its parallelism: adapt reads
    # the dataset without autotuning, which must not change what comes out.
    data = np.arange(1000.0)[:, None]
    dataset = (
        tf.data.Dataset.from_tensor_slices(data)
        .map(lambda x: x * 2.0, num_parallel_calls=tf.data.AUTOTUNE)
        .batch(64)
    )
    options_before = dataset.options()
    layer = RecordingLayer()
    layer.adapt(dataset)
    assert [len(b) for b in layer.seen] == [64] * 15 + [40]
    np.testing.assert_array_equal(np.concatenate(layer.seen), data * 2.0)
    assert dataset.options() == options_before
    # Iterating the user's dataset afterwards is not affected.
    np.testing.assert_array_equal(
        np.concatenate(list(dataset.as_numpy_iterator())), data * 2.0
    )
    layer.adapt(dataset, steps=3)
    assert len(layer.seen) == 3


def test_reset_state_false_continues():
    layer = RunningMax()
    layer.adapt(np.array([[7.0]]))
    layer.adapt(np.array([[2.0]]), reset_state=False)
    assert float(layer.max_value.numpy()) == 7.0
    layer.adapt(np.array([[2.0]]))
    assert float(layer.max_value.numpy()) == 2.0


def test_state_is_in_non_trainable_weights():
    layer = Normalization()
    layer.adapt(np.ones((4, 2)))
    assert not layer.trainable_weights
    assert {w.name for w in layer.non_trainable_weights} >= {
        "mean",
        "variance",
        "count",
    }


def test_call_before_adapt_is_an_error_but_building_a_model_is_fine():
    layer = RunningMax()
    inputs = keras.Input((1,))
    keras.Model(inputs, layer(inputs))  # symbolic: fine
    with pytest.raises(ValueError, match="must be adapted before"):
        layer(np.ones((1, 1)))
    ds = tf.data.Dataset.from_tensor_slices(np.ones((2, 1))).batch(2)
    with pytest.raises(ValueError, match="must be adapted before"):
        ds.map(layer)


def test_bad_adapt_inputs():
    with pytest.raises(ValueError, match="empty"):
        RunningMax().adapt([])
    with pytest.raises(ValueError, match="empty"):
        RunningMax().adapt(np.zeros((0, 1)))
    with pytest.raises(TypeError, match="dict"):
        RunningMax().adapt({"a": np.ones((2, 1))})
    with pytest.raises(TypeError, match="types"):
        RunningMax().adapt(np.array([1, "a", None], dtype=object))
    with pytest.raises(TypeError, match="expects a NumPy array"):
        RunningMax().adapt(3.5)
    with pytest.raises(ValueError, match="no batches"):
        RunningMax().adapt(
            tf.data.Dataset.from_tensor_slices(np.ones((2, 1))).batch(2).take(0)
        )


def test_non_differentiable_layer_in_the_middle_fails_clearly_in_fit():
    model = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(2),
            Discretization(bins=[0.0]),
            keras.layers.Reshape((4,)),
            keras.layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    x = np.ones((4, 1), "float32")
    model.predict(x, verbose=0)  # inference is fine
    with pytest.raises(ValueError, match="is not differentiable.*GradientTape"):
        model.fit(x, x, verbose=0)
    with pytest.raises(ValueError, match="not differentiable"):
        with tf.GradientTape():
            model(x)


def test_non_differentiable_layer_at_the_start_trains():
    model = keras.Sequential(
        [
            keras.Input((1,)),
            Discretization(bins=[0.0]),
            keras.layers.Reshape((2,)),
            keras.layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    x = np.array([[-1.0], [1.0]], "float32")
    history = model.fit(x, np.array([[0.0], [1.0]]), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"][-1])


def test_differentiable_normalization_in_the_middle_trains():
    norm = Normalization(mean=0.5, variance=4.0)
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1), norm, keras.layers.Dense(1)]
    )
    model.compile("sgd", "mse")
    before = model.layers[0].kernel.numpy().copy()
    model.fit(np.ones((4, 1)), np.zeros((4, 1)), verbose=0)
    assert not np.allclose(before, model.layers[0].kernel.numpy())
