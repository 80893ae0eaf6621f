# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Run-time input checks that work eagerly and inside traced graphs.

With concrete values (NumPy arrays, eager tensors) a bad input raises a
`ValueError` before any computation. Inside a traced function (`tf.function`,
`tf.data`, `model.predict`) the values are unknown while tracing, so the
check becomes a graph assertion that raises
`tf.errors.InvalidArgumentError` with the same message when it runs. XLA
compilation drops graph assertions, so there only the eager check applies.
"""

import numpy as np


def concrete_value(x):
    """A NumPy array when `x` has a concrete value, else `None`."""
    if isinstance(x, (np.ndarray, np.generic, list, tuple, int)):
        return np.asarray(x)
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover - tensorflow is a dependency
        return None
    if isinstance(x, tf.Tensor) and hasattr(x, "numpy") and tf.executing_eagerly():
        try:
            return x.numpy()
        except (AttributeError, TypeError, ValueError):
            return None
    return None


def _graph_assert(condition_fn, x, limit, message):
    import keras

    if keras.backend.backend() != "tensorflow":
        return []
    import tensorflow as tf

    if not isinstance(x, tf.Tensor):
        return []
    return condition_fn(x, limit, message)


def after(x, dependencies):
    """Returns `x`, computed only after the given assertion ops ran."""
    if not dependencies:
        return x
    import tensorflow as tf

    with tf.control_dependencies(dependencies):
        return tf.identity(x)


def check_ids_in_range(ids, limit, message):
    """Checks `0 <= ids < limit`.

    Args:
        ids: integer ids (array or tensor).
        limit: the exclusive upper bound (an int).
        message: the start of the error message; the offending value and
            the fix are the caller's to state.

    Returns:
        A list of graph assertion ops (empty when checked eagerly); pass it
        to `after` so that the computation waits for the check.
    """
    value = concrete_value(ids)
    if value is not None:
        if value.size and (value.max() >= limit or value.min() < 0):
            bad = int(value.max()) if value.max() >= limit else int(value.min())
            raise ValueError(f"{message} Received an id of {bad}.")
        return []
    import tensorflow as tf

    def assert_range(x, bound, text):
        return [
            tf.debugging.assert_less(x, tf.cast(bound, x.dtype), message=text),
            tf.debugging.assert_non_negative(x, message=text),
        ]

    return _graph_assert(assert_range, ids, limit, message)


def check_length_at_most(length, limit, message):
    """Checks that a (possibly dynamic) length is at most `limit`.

    Returns:
        A list of graph assertion ops, as `check_ids_in_range`.
    """
    if isinstance(length, (int, np.integer)):
        if length > limit:
            raise ValueError(f"{message} Received a sequence length of {int(length)}.")
        return []
    value = concrete_value(length)
    if value is not None:
        if int(value) > limit:
            raise ValueError(f"{message} Received a sequence length of {int(value)}.")
        return []
    import tensorflow as tf

    def assert_length(x, bound, text):
        return [
            tf.debugging.assert_less_equal(x, tf.cast(bound, x.dtype), message=text)
        ]

    return _graph_assert(assert_length, length, limit, message)


def _in_keras_symbolic_scope():
    """True inside Keras' shape inference (`compute_output_spec`).

    A Keras internal (`keras.src`), wrapped here only; pinned by
    `checks_test.test_symbolic_float_inputs_are_not_refused`. If a Keras
    release moves it, the integer check applies everywhere again.
    """
    try:
        from keras.src.backend.common.symbolic_scope import in_symbolic_scope
    except ImportError:
        return False
    return in_symbolic_scope()


def check_integer_inputs(model, inputs):
    """Refuses float values for a model's integer inputs (token ids, masks).

    Keras would cast them to the input's integer dtype, truncating 5.7 to
    5 without a word. Checks dicts (by input name) and single arrays
    against `model.inputs`; anything else is left to Keras.
    """
    specs = getattr(model, "_inputs_struct", None) or getattr(model, "inputs", None)
    if specs is None:
        return
    if isinstance(specs, dict):
        named = dict(specs)
    else:
        named = {getattr(s, "name", str(i)): s for i, s in enumerate(specs)}
    if isinstance(inputs, dict):
        pairs = [(k, v, named.get(k)) for k, v in inputs.items()]
    elif len(named) == 1:
        pairs = [(next(iter(named)), inputs, next(iter(named.values())))]
    else:
        return
    import keras

    # Symbolic inputs (shape inference) hold no values to truncate. Keras
    # builds a model's compiled state under a tf.distribute strategy from
    # the MEAN over the replicas of the first batch: float even for ids.
    symbolic = _in_keras_symbolic_scope() or all(
        isinstance(value, keras.KerasTensor) for _, value, _ in pairs
    )
    for name, value, spec in pairs:
        if spec is None or "int" not in str(spec.dtype):
            continue
        dtype = getattr(value, "dtype", None)
        if dtype is None or symbolic:
            continue
        dtype = keras.backend.standardize_dtype(dtype)
        if "float" in dtype or dtype == "bool":
            raise TypeError(
                f"`{name}` must hold integers (token ids, masks or segment "
                f"ids). Received dtype {dtype}. Float values are never "
                "truncated: pass an integer array (e.g. the output of the "
                "model's preprocessor or tokenizer)."
            )
