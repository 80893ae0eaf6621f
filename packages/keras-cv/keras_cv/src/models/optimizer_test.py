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
def test_updates_equal_keras_adam(kwargs, compiled):
    ours = _train(Adam(**kwargs), _variables(0), 4, compiled)
    keras_adam = _train(keras.optimizers.Adam(**kwargs), _variables(0), 4, compiled)
    for a, b in zip(ours, keras_adam):
        if compiled and not kwargs.get("amsgrad"):
            # The fused kernel: `1 - beta` rounded in float32, not from a
            # double (1 - float32(0.999) is 1.3e-5 off 0.001 relatively),
            # hence float32 rounding differences only.
            np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)
        else:  # eager and AMSGrad: Keras' own update, bit for bit
            np.testing.assert_array_equal(a, b)


def test_fused_update_matches_a_float32_numpy_adam():
    # An independent reference: Adam written in NumPy in float32 with the
    # update order of the paper's Algorithm 1 (epsilon outside the root).
    rng = np.random.default_rng(3)
    start = rng.normal(size=(5, 7)).astype("float32")
    grads = [rng.normal(size=(5, 7)).astype("float32") for _ in range(3)]
    variable = keras.Variable(start)
    optimizer = Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-4)
    optimizer.build([variable])
    step = tf.function(lambda g: optimizer.apply([g], [variable]))
    f32 = np.float32
    w, m, v = start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t, g in enumerate(grads, 1):
        step(tf.constant(g))
        m = m + (g - m) * (f32(1) - f32(0.8))
        v = v + (g * g - v) * (f32(1) - f32(0.99))
        alpha = f32(0.01) * np.sqrt(f32(1) - f32(0.99) ** t) / (f32(1) - f32(0.8) ** t)
        w = w - m * alpha / (np.sqrt(v) + f32(1e-4))
    np.testing.assert_allclose(variable.numpy(), w, rtol=1e-6, atol=1e-7)
    assert not np.array_equal(variable.numpy(), start)


def test_sparse_gradients_take_keras_update():
    # IndexedSlices (e.g. from an embedding lookup) are not fed to the
    # fused kernel: the update is Keras' own.
    table = [keras.Variable(np.ones((4, 3), "float32"))]
    reference = [keras.Variable(np.ones((4, 3), "float32"))]

    def train(optimizer, variables):
        @tf.function
        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.gather(variables[0].value, [1, 3]) ** 2)
            grads = tape.gradient(loss, [variables[0].value])
            assert isinstance(grads[0], tf.IndexedSlices)
            optimizer.apply(grads, variables)

        step()
        step()

    train(Adam(0.1), table)
    train(keras.optimizers.Adam(0.1), reference)
    np.testing.assert_array_equal(table[0].numpy(), reference[0].numpy())


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
