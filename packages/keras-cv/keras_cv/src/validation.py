# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Input checks that work the same in eager mode and inside graphs.

Eagerly, a failed check raises a `ValueError` at once. Inside a graph
(`tf.function`, `tf.data` maps, `Model.fit`) a Python check cannot see the
values, so the check becomes a `tf.debugging.Assert` carrying the same
text; TensorFlow then raises `InvalidArgumentError` when the graph runs.
The detectors' `fit`/`evaluate`/`predict` wrap Keras' loops in
`reraise_graph_errors()`, which turns such a failure back into a
`ValueError` with our text alone, instead of a "Graph execution error"
traceback whose cause is buried among node names.
"""

import contextlib
import re

import numpy as np
import tensorflow as tf

# Every message a graph assertion may carry (static text only: values are
# appended as Assert data). `reraise_graph_errors` looks for them.
_MESSAGES = set()


def _is_symbolic(*tensors):
    if not tf.executing_eagerly():
        return True
    for t in tensors:
        if isinstance(t, tf.Tensor) and not hasattr(t, "numpy"):
            return True
    return False


def _format(value):
    value = np.asarray(value)
    if value.size > 10:
        flat = value.reshape(-1)[:10].tolist()
        return f"{flat}... (shape {value.shape})"
    return str(value.tolist())


def guard(value, condition, message, details=None):
    """Returns `value` once `condition` holds; fails with `message` otherwise.

    Args:
        value: the tensor (or nest of tensors) to return.
        condition: a boolean scalar (Python bool or tensor).
        message: the error text: what was wrong, what was expected, how to
            fix it. Must not depend on tensor values (those go in `details`).
        details: optional dict `{name: tensor}` of offending values appended
            to the message.

    Eagerly, raises `ValueError(message + details)` when `condition` is
    False. In a graph, adds a `tf.debugging.Assert` with the same text as a
    control dependency of the returned value.
    """
    details = details or {}
    if isinstance(condition, (bool, np.bool_)):
        if not condition:
            raise ValueError(message)
        return value
    if not _is_symbolic(condition, *details.values()):
        if not bool(condition):
            extra = ", ".join(f"{k}={_format(v)}" for k, v in details.items())
            raise ValueError(message + (f" Received: {extra}." if extra else ""))
        return value
    _MESSAGES.add(message)
    data = [message]
    if details:
        data.append("Received:")
    for k, v in details.items():
        data += [f"{k}=", v]
    assertion = tf.debugging.Assert(condition, data, summarize=10)
    with tf.control_dependencies([assertion]):
        return tf.nest.map_structure(
            lambda t: tf.identity(t) if isinstance(t, tf.Tensor) else t, value
        )


def guard_finite(value, argument, hint=""):
    """`value` (tensor or ragged) must hold no NaN or infinity."""
    flat = value.flat_values if isinstance(value, tf.RaggedTensor) else value
    if not flat.dtype.is_floating:
        return value
    message = (
        f"`{argument}` contains NaN or infinite values. Every value must be a "
        "finite number; drop or repair those entries before this call"
        + (f" ({hint})" if hint else "")
        + "."
    )
    ok = tf.reduce_all(tf.math.is_finite(flat))
    checked = guard(flat, ok, message)
    if isinstance(value, tf.RaggedTensor):
        return value.with_flat_values(checked)
    return checked


def _clean(text):
    text = re.sub(r"\]\s*\[", " ", text)
    return text.strip().strip("[]").strip()


def graph_error_text(error):
    """Our message from a failed graph assertion, or None."""
    text = str(error)
    best = None
    for message in _MESSAGES:
        index = text.find(message)
        if index >= 0 and (best is None or index < best):
            best = index
    if best is None:
        return None
    line = text[best:].split("\n", 1)[0]
    line = _clean(line)
    return line


@contextlib.contextmanager
def reraise_graph_errors():
    """Turns our failed graph assertions into `ValueError`s with our text."""
    try:
        yield
    except tf.errors.InvalidArgumentError as error:
        text = graph_error_text(error)
        if text is None:
            raise
        raise ValueError(text) from None


def image_shape_tensor(image_shape, argument="image_shape"):
    """`(height, width)` or per-image `[B, 2]` sizes as float32, checked.

    Accepts `(height, width)`, `(height, width, channels)` or a `[B, 2]`
    tensor of positive numbers; strings and other types raise TypeError,
    zero or negative sizes ValueError (an assertion inside graphs).
    """
    message = (
        f"`{argument}` must be `(height, width)` (or `(height, width, "
        "channels)`, or per-image sizes `[batch, 2]`) of positive numbers, "
        "such as (512, 512)."
    )
    if isinstance(image_shape, (str, bytes, dict, set)):
        raise TypeError(f"{message} Received: {argument}={image_shape!r}.")
    try:
        shape = tf.convert_to_tensor(image_shape)
    except (TypeError, ValueError):
        raise TypeError(f"{message} Received: {argument}={image_shape!r}.") from None
    if not (shape.dtype.is_integer or shape.dtype.is_floating):
        raise TypeError(f"{message} Received dtype {shape.dtype.name}.")
    if shape.shape.rank == 1 and shape.shape[0] == 3:
        shape = shape[:2]
    if not (
        (shape.shape.rank == 1 and shape.shape[0] in (2, None))
        or (shape.shape.rank == 2 and shape.shape[-1] in (2, None))
    ):
        raise ValueError(f"{message} Received shape {tuple(shape.shape)}.")
    shape = tf.cast(shape, "float32")
    ok = tf.reduce_all(tf.logical_and(shape > 0, tf.math.is_finite(shape)))
    return guard(shape, ok, message, {argument: shape})
