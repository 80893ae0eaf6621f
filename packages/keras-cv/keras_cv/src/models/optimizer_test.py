# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.models.optimizer import Adam


def _variables(seed):
    rng = np.random.default_rng(seed)
    return [
        keras.Variable(rng.normal(size=shape).astype("float32"), name=f"w{i}")
        for i, shape in enumerate([(3, 4), (4,), (2, 2, 3)])
    ]


def _train(optimizer, variables, steps, compiled):
    # A few steps of a quadratic loss whose gradients change every step.
    targets = [tf.constant(np.full(v.shape, 0.5, "float32")) for v in variables]

    def step():
        with tf.GradientTape() as tape:
            loss = tf.add_n(
                [
                    tf.reduce_sum(tf.square(v.value - t) * (i + 1.0))
                    for i, (v, t) in enumerate(zip(variables, targets))
                ]
            )
        grads = tape.gradient(loss, [v.value for v in variables])
        optimizer.apply(grads, variables)

    if compiled:
        step = tf.function(step)
    for _ in range(steps):
        step()
    return [v.numpy() for v in variables] + [w.numpy() for w in optimizer.variables]


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"learning_rate": 1e-2, "global_clipnorm": 1.0},
        {
            "learning_rate": keras.optimizers.schedules.ExponentialDecay(
                0.05, decay_steps=2, decay_rate=0.5
            ),
            "beta_1": 0.8,
            "epsilon": 1e-5,
        },
        {"learning_rate": 1e-2, "amsgrad": True},
    ],
)
def test_updates_equal_keras_adam_bit_for_bit(kwargs, compiled):
    ours = _train(Adam(**kwargs), _variables(0), 4, compiled)
    keras_adam = _train(keras.optimizers.Adam(**kwargs), _variables(0), 4, compiled)
    for a, b in zip(ours, keras_adam):
        np.testing.assert_array_equal(a, b)


def _traced_op_count(optimizer):
    variables = _variables(1)
    optimizer.build(variables)

    @tf.function
    def step():
        optimizer.apply([tf.ones_like(v.value) for v in variables], variables)

    graph = step.get_concrete_function().graph
    return len(graph.get_operations())


def test_traced_step_has_fewer_ops_than_keras_adam():
    # The scalars of a step are built once, not once per variable (3 here).
    ours = _traced_op_count(Adam(1e-3))
    keras_adam = _traced_op_count(keras.optimizers.Adam(1e-3))
    assert ours < keras_adam - 2 * 15, (ours, keras_adam)


def test_config_round_trip_and_serialization():
    optimizer = Adam(learning_rate=2e-3, global_clipnorm=10.0, beta_2=0.99)
    assert isinstance(optimizer, keras.optimizers.Adam)
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(optimizer)
    )
    assert type(restored) is Adam
    assert restored.get_config() == optimizer.get_config()
