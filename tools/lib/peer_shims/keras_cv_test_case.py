# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Our stand-ins for keras-cv 0.9's test helpers (written by us).

`tools/peer_tests keras-cv` rewrites the peer's imports of its test base
class and backend helpers to the names here.
"""

import types

import keras
import tensorflow as tf
from absl.testing import parameterized

ops = keras.ops
random = keras.random
backend = types.SimpleNamespace(supports_ragged=lambda: True, ops=keras.ops)


def _numpy(x):
    if isinstance(x, tf.RaggedTensor):
        return x
    if ops.is_tensor(x):
        return ops.convert_to_numpy(x)
    return x


class TestCase(tf.test.TestCase, parameterized.TestCase):
    def assertAllClose(self, x1, x2, atol=1e-6, rtol=1e-6, msg=None):
        super().assertAllClose(
            tf.nest.map_structure(_numpy, x1),
            tf.nest.map_structure(_numpy, x2),
            atol=atol,
            rtol=rtol,
            msg=msg,
        )

    def assertAllEqual(self, x1, x2, msg=None):
        super().assertAllEqual(
            tf.nest.map_structure(_numpy, x1),
            tf.nest.map_structure(_numpy, x2),
            msg=msg,
        )

    def assertAllGreaterEqual(self, x1, x2):
        super().assertAllGreaterEqual(_numpy(x1), x2)

    def assertAllLessEqual(self, x1, x2):
        super().assertAllLessEqual(_numpy(x1), x2)
