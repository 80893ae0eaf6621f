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
    """

    def __init__(self, fn):
        self.fn = fn
        self._function = None

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
        if self._function is None:
            self._function = tf.function(
                self.fn,
                reduce_retracing=True,
                autograph=False,
                experimental_attributes={"_noinline": True},
            )
        spec = tf.TensorSpec([None] * (x.shape.rank - 1) + [x.shape[-1]], x.dtype)
        concrete = self._function.get_concrete_function(spec)
        return concrete(x)
