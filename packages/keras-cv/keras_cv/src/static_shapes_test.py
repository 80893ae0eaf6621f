# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import tensorflow as tf

from keras_cv.src.static_shapes import known_elements


def test_known_elements():
    assert known_elements(tf.TensorShape([2, 3, 4])) == 24
    assert known_elements(tf.TensorShape([None, 3, None, 5])) == 15
    assert known_elements(tf.TensorShape([])) == 1
    assert known_elements(tf.TensorShape([0, 7])) == 0
    assert known_elements(tf.TensorShape(None)) == 0
