# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import tensorflow as tf

from keras_cv.src.graph_functions import SharedFunction
from keras_cv.src.graph_functions import in_xla_context


def _count_calls(graph):
    return sum(
        op.type in ("PartitionedCall", "StatefulPartitionedCall")
        for op in graph.get_operations()
    )


def test_levels_share_one_function_and_its_gradient():
    w = tf.Variable(np.arange(1, 5, dtype="float32").reshape(1, 1, 4, 1) / 4)
    traces = []

    def head(x):
        traces.append(x.shape)
        return tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")) * 2.0

    shared = SharedFunction(head)
    rng = np.random.default_rng(0)
    levels = [tf.constant(rng.normal(size=(2, s, s, 4)), "float32") for s in (8, 4, 2)]

    def loss(fn):
        with tf.GradientTape() as tape:
            total = tf.add_n([tf.reduce_sum(fn(x) ** 2) for x in levels])
        return total, tape.gradient(total, w)

    step = tf.function(lambda: loss(shared))
    got_loss, got_grad = step()
    want_loss, want_grad = loss(head)  # eager: the function as written
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-6)
    np.testing.assert_allclose(got_grad, want_grad, rtol=1e-6)
    # One trace (spatial sizes unknown) for the three levels, plus the
    # eager calls of the reference.
    assert traces[0].as_list() == [None, None, None, 4]
    assert len(traces) == 1 + len(levels)
    graph = step.get_concrete_function().graph
    assert _count_calls(graph) >= len(levels)


def test_calls_under_a_strategy_inline():
    # Each replica reads its own copy of a mirrored variable: no shared trace.
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with strategy.scope():
        w = tf.Variable(3.0)
    shared = SharedFunction(lambda x: x * w)

    @tf.function
    def step(x):
        return strategy.run(shared, (x,))

    x = tf.ones([1, 2, 2, 1])
    np.testing.assert_array_equal(step(x), 3 * np.ones([1, 2, 2, 1]))
    assert _count_calls(step.get_concrete_function(x).graph) == 0


def test_xla_and_eager_calls_inline():
    calls = []

    def double(x):
        calls.append(in_xla_context())
        return x * 2.0

    shared = SharedFunction(double)
    x = tf.ones([1, 3, 3, 2])
    np.testing.assert_array_equal(shared(x), 2 * np.ones([1, 3, 3, 2]))
    compiled = tf.function(lambda x: shared(x), jit_compile=True)
    np.testing.assert_array_equal(compiled(x), 2 * np.ones([1, 3, 3, 2]))
    graph = compiled.get_concrete_function(x).graph
    assert _count_calls(graph) == 0
    assert calls == [False, True]
