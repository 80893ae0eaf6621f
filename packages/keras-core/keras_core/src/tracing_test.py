# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`in_xla_context` reads TensorFlow's internal XLA marking of graphs; these
tests pin the cases our packages rely on, so a TensorFlow release that
changes it fails here."""

import keras
import numpy as np
import tensorflow as tf

from keras_core.tracing import in_xla_context


def test_eager_graph_and_xla():
    seen = {}

    def probe(name):
        seen[name] = in_xla_context()
        return tf.constant(0.0)

    probe("eager")
    tf.function(lambda: probe("graph"))()
    tf.function(lambda: probe("xla"), jit_compile=True)()
    # A function traced inside a compiled one is compiled with it.
    inner = tf.function(lambda: probe("nested"))
    tf.function(lambda: inner(), jit_compile=True)()
    # A compiled function called from a plain one.
    compiled = tf.function(lambda: probe("compiled_in_graph"), jit_compile=True)
    tf.function(lambda: compiled())()
    assert seen == {
        "eager": False,
        "graph": False,
        "xla": True,
        "nested": True,
        "compiled_in_graph": True,
    }


class _Probe(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.seen = []

    def call(self, x):
        self.seen.append(in_xla_context())
        return x


def test_keras_compile_jit_compile():
    # Keras' `compile(jit_compile=...)` traces its steps under XLA or not.
    x = np.zeros((2, 1), "float32")
    for jit_compile, want in ((True, True), (False, False)):
        probe = _Probe()
        model = keras.Sequential([keras.Input((1,)), probe, keras.layers.Dense(1)])
        model.compile("sgd", "mse", jit_compile=jit_compile)
        probe.seen.clear()
        model.fit(x, x, epochs=1, verbose=0)
        assert probe.seen and set(probe.seen) == {want}
