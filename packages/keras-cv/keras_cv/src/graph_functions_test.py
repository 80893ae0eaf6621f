# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
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


def _calls(graph):
    return [
        op
        for op in graph.get_operations()
        if op.type in ("PartitionedCall", "StatefulPartitionedCall")
    ]


def _depends_on(op, target):
    seen, stack = set(), [op]
    while stack:
        current = stack.pop()
        for parent in [t.op for t in current.inputs] + list(current.control_inputs):
            if parent is target:
                return True
            if parent.name not in seen:
                seen.add(parent.name)
                stack.append(parent)
    return False


def _weighted(w, traces):
    """A SharedFunction of a 1x1 convolution by `w`, its weight an argument."""

    def fn(x):
        return tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME"))

    def graph_fn(x, value):
        traces.append(x.shape)
        return tf.nn.relu(tf.nn.conv2d(x, value, 1, "SAME"))

    def arguments():
        # The output channels left unknown: functions of 2 and 3 share it.
        return [tf.convert_to_tensor(w)], [tf.TensorSpec([1, 1, 4, None], w.dtype)]

    return SharedFunction(fn, graph_fn=graph_fn, arguments=arguments)


def test_functions_of_one_structure_share_one_trace_and_order_their_calls():
    rng = np.random.default_rng(1)
    weights = [
        tf.Variable(rng.normal(size=(1, 1, 4, c)).astype("float32")) for c in (2, 3)
    ]
    traces = []
    first, second = (_weighted(w, traces) for w in weights)
    second.share_with(first)
    levels = [tf.constant(rng.normal(size=(2, s, s, 4)), "float32") for s in (8, 4, 2)]

    def loss(a, b):
        with tf.GradientTape() as tape:
            tape.watch(levels)
            total = tf.add_n(
                [tf.reduce_sum(a(x) ** 2) + tf.reduce_sum(b(x) ** 2) for x in levels]
            )
        return total, tape.gradient(total, weights + levels)

    step = tf.function(lambda: loss(first, second))
    got = step()
    want = loss(first.fn, second.fn)  # eager: each with its own weight
    for g, w in zip(tf.nest.flatten(got), tf.nest.flatten(want)):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    assert len(traces) == 1
    calls = _calls(step.get_concrete_function().graph)
    names = [op.get_attr("f").name for op in calls]
    forward = [op for op, n in zip(calls, names) if "backward" not in n]
    backward = [op for op, n in zip(calls, names) if "backward" in n]
    # One function (and one gradient function) for the six calls.
    assert len(forward) == len(backward) == 6
    assert len({n for n in names if "backward" not in n}) == 1
    assert len({n for n in names if "backward" in n}) == 1
    # Each call runs after the one before; the gradients after one of them.
    for before, after in zip(forward, forward[1:]):
        assert _depends_on(after, before)
    firsts = [op for op in backward if not any(_depends_on(op, o) for o in backward)]
    assert len(firsts) == 1
    assert all(_depends_on(op, firsts[0]) for op in backward if op is not firsts[0])


def test_share_with_needs_weights_as_arguments():
    captured = SharedFunction(lambda x: x * 2.0)
    traces = []
    weighted = _weighted(tf.Variable(tf.ones([1, 1, 4, 2])), traces)
    with pytest.raises(ValueError, match="weights as arguments"):
        weighted.share_with(captured)
    with pytest.raises(ValueError, match="both `graph_fn` and `arguments`"):
        SharedFunction(lambda x: x, graph_fn=lambda x: x)
