# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Graph functions shared by several call sites of a traced step (not public API).

A layer applied to every level of a feature pyramid (a detection head)
builds its ops once per level when a training step is traced: five copies
of the same convolutions and normalisations, and of their gradients, that
TensorFlow traces and optimises one by one. `SharedFunction` builds them
once, as a graph function that every call site calls (not inlined), which
makes the first training step, tracing and graph optimisation included,
much shorter.

XLA takes the same ops inlined: a step compiled with `jit_compile=True`
traces the layer as written (XLA compiles the whole step as one program
and does its own optimisation; a call to a non-inlined function is not
what it expects). So do eager calls, and calls under a `tf.distribute`
strategy (each replica reads its own copy of the variables, which one
function traced for the first replica would not).
"""

import weakref

import tensorflow as tf

# Whether ops created now are compiled by XLA (a `jit_compile=True` function
# or one traced inside it); keras-core pins TensorFlow's marking it reads.
from keras_core.tracing import in_xla_context


class SharedFunction:
    """Calls `fn(x)` through one non-inlined graph function when tracing.

    `fn` takes one float tensor and returns one; its trace is reused for any
    input of the same rank, dtype and last dimension (the spatial sizes are
    left unknown), so the levels of a pyramid share it, in the forward pass
    and in the gradient. Eagerly, under XLA, under a `tf.distribute`
    strategy and for other inputs, `fn` is called directly. `fn` may read variables (they are captured) but must
    not create any.

    With `graph_fn` and `arguments`, the graph function is
    `graph_fn(x, *values)` instead, for `values, specs = arguments()`: the
    weights it computes with, read where it is called and passed as
    arguments (`specs`, `tf.TensorSpec`s, may leave dimensions unknown).
    `graph_fn(x, *arguments()[0])` must equal `fn(x)`. Then several layers of
    the same structure, with weights of their own, can call one graph
    function (`share_with`): a detector's classification and box heads
    build and optimise it once.
    """

    def __init__(self, fn, graph_fn=None, arguments=None):
        if (graph_fn is None) != (arguments is None):
            raise ValueError(
                "SharedFunction: pass both `graph_fn` and `arguments`, or neither."
            )
        self.fn = fn
        self.graph_fn = graph_fn or fn
        self.arguments = arguments
        # The tf.functions by signature, and the order of the calls in each
        # graph being traced (`_CallOrder`); shared by `share_with`.
        self._functions = {}
        self._calls = weakref.WeakKeyDictionary()

    def share_with(self, other):
        """Calls `other`'s graph function from now on (one trace for both).

        Both must take their weights as arguments, and `graph_fn` of either
        must build the same graph from them (layers of the same structure):
        whichever is called first traces it.
        """
        if self.arguments is None or other.arguments is None:
            raise ValueError(
                "SharedFunction.share_with: both functions must take their "
                "weights as arguments (`graph_fn` and `arguments`); a captured "
                "variable would be the first caller's."
            )
        self._functions = other._functions
        self._calls = other._calls

    def __call__(self, x):
        if (
            tf.executing_eagerly()
            or not tf.is_tensor(x)
            or x.shape.rank is None
            or x.shape[-1] is None
            or in_xla_context()
            or tf.distribute.has_strategy()
        ):
            return self.fn(x)
        spec = tf.TensorSpec([None] * (x.shape.rank - 1) + [x.shape[-1]], x.dtype)
        values, specs = self.arguments() if self.arguments else ((), ())
        # One tf.function per signature, traced by its first caller: callers
        # sharing it have weights of the same shapes (their `graph_fn`s build
        # the same graph from them).
        key = tuple((tuple(s.shape.as_list()), s.dtype) for s in (spec, *specs))
        if key not in self._functions:
            self._functions[key] = tf.function(
                self.graph_fn,
                reduce_retracing=True,
                autograph=False,
                experimental_attributes={"_noinline": True},
            )
        concrete = self._functions[key].get_concrete_function(spec, *specs)
        graph = tf.compat.v1.get_default_graph()
        if graph not in self._calls:
            self._calls[graph] = _CallOrder()
        return self._calls[graph].call(concrete, x, values)


class _CallOrder:
    """Orders the calls of one graph function in one graph being traced.

    TensorFlow optimises and instantiates a non-inlined function (its
    forward pass, and its gradient's) when a call first runs; two calls
    starting together (a detector's two heads on one level, or their
    gradients) each did that work, in parallel: twice its CPU time in the
    first step. Here each call waits for the one before it, and in the
    gradient, the calls' gradients wait for the first one built (the last
    call's): each is instantiated once. The values are those of unordered
    calls: the links are identities with control dependencies.
    """

    def __init__(self):
        self.last_output = None
        self.first_gradient = None

    def call(self, concrete, x, values):
        if self.last_output is not None:
            x = self._after(x, self.last_output)
        output = self._waiting_in_gradient(concrete(x, *values))
        self.last_output = output
        return output

    def _after(self, x, previous):
        """`x`, computed after `previous`; in the gradient, `previous`'s
        gradient is built after `x`'s (the call's before this one's), and
        `x`'s gradient (its call's gradient's output) is recorded if it is
        the first built."""

        @tf.custom_gradient
        def identity(x, previous):
            def grad(dx, unused_dprevious=None):
                if self.first_gradient is None:
                    self.first_gradient = dx
                return dx, None

            with tf.control_dependencies([previous]):
                return tf.identity(x), grad

        return identity(x, previous)

    def _waiting_in_gradient(self, y):
        """`y`; its gradient waits for the first call gradient built."""

        @tf.custom_gradient
        def identity(y):
            def grad(dy):
                first = self.first_gradient
                if first is None or first.graph is not dy.graph:
                    return dy
                with tf.control_dependencies([first]):
                    return tf.identity(dy)

            return tf.identity(y), grad

        return identity(y)
