# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import pytest
import tensorflow as tf

from keras_cv.src import validation

MESSAGE = "`x` must be positive. Pass positive numbers."


def _check(x):
    x = tf.convert_to_tensor(x)
    return validation.guard(
        x, tf.reduce_all(x > 0), MESSAGE, {"bad": tf.boolean_mask(x, x <= 0)}
    )


def test_eager_raises_value_error_with_values():
    assert _check([1.0, 2.0]).numpy().tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=r"must be positive.*Received: bad=\[-2.0\]"):
        _check([1.0, -2.0])


def test_graph_assertion_has_the_same_text():
    fn = tf.function(_check)
    assert fn(tf.constant([3.0])).numpy().tolist() == [3.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be positive"):
        fn(tf.constant([-1.0]))
    ds = tf.data.Dataset.from_tensor_slices([[1.0], [-1.0]]).map(_check)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be positive"):
        list(ds)


def test_reraise_graph_errors_gives_our_text_only():
    fn = tf.function(_check)
    with pytest.raises(ValueError) as info:
        with validation.reraise_graph_errors():
            fn(tf.constant([-1.0, 2.0]))
    text = str(info.value)
    assert text.startswith(MESSAGE)
    assert "-1" in text
    assert "Graph execution error" not in text
    # Errors that are not ours pass through unchanged.
    with pytest.raises(tf.errors.InvalidArgumentError):
        with validation.reraise_graph_errors():
            tf.function(lambda: tf.debugging.assert_equal(1, 2, message="other"))()
