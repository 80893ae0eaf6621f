# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What the TensorFlow graph being traced will be compiled by.

A layer sometimes needs another formulation of the same computation under
XLA (`tf.function(jit_compile=True)`, Keras' `compile(jit_compile=True)`)
than in TensorFlow's graph executor, because XLA's CPU compiler fuses or
lowers it differently; the choice is made when the function is traced.
TensorFlow has no public way to ask whether the graph being built will be
compiled by XLA: this module reads TensorFlow's own marking through its
internal `control_flow_util` module, in one place, pinned by
`tracing_test.py`.
"""

import tensorflow as tf
from tensorflow.python.ops import control_flow_util

from keras_core.src.api_export import api_export

_RFC = "20261208-keras-core-xla-context"


@api_export("keras_core.tracing.in_xla_context", stability="stable", rfc=_RFC)
def in_xla_context():
    """Whether the operations created now will be compiled by XLA.

    True while tracing a `tf.function(jit_compile=True)` (as Keras'
    `compile(jit_compile=True)` does for its train, test and predict
    steps) or a `tf.function` traced inside one; False eagerly and in a
    `tf.function` without `jit_compile`. Decide at trace time with it:
    the traced graph keeps the branch taken.

    Returns:
        A bool.

    Example:

    >>> import tensorflow as tf
    >>> from keras_core.tracing import in_xla_context
    >>> in_xla_context()
    False
    >>> tf.function(lambda: tf.constant(in_xla_context()), jit_compile=True)().numpy()
    np.True_
    """
    graph = tf.compat.v1.get_default_graph()
    return bool(control_flow_util.GraphOrParentsInXlaContext(graph))
