# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared machinery of the BERT tasks: raw data in fit/evaluate/predict."""

import contextlib
import re

import keras
import numpy as np
import tensorflow as tf

from keras_core.presets import PresetMixin
from keras_nlp.src.utils import checks
from keras_nlp.src.utils import distribution

_DEFAULT_BATCH = 32

# Messages of the graph assertions that check data inside `tf.data`
# pipelines. `fit`, `evaluate` and `predict` turn a failing one (a
# `tf.errors.InvalidArgumentError` deep in a "Graph execution error") back
# into a plain `ValueError` with the message and the offending values.
_DATA_CHECK_MESSAGES = set()
_ASSERTION = re.compile(r"assertion failed: \[(.*?)\] \[(.*?)\]", re.DOTALL)


def class_id_message(num_classes, what="Labels"):
    return (
        f"{what} must be integer class ids in [0, num_classes={num_classes}). "
        "Remap them, or build the model with a larger `num_classes`. "
        "Received out-of-range values:"
    )


def graph_check_class_ids(y, num_classes, what="Labels"):
    """`y` (dense or ragged), asserted to hold ids in `[0, num_classes)`.

    Inside `tf.data` the assertion names the offending values; `Task.fit`
    and friends re-raise it as a `ValueError`.
    """
    message = class_id_message(num_classes, what)
    _DATA_CHECK_MESSAGES.add(message)
    flat = y.flat_values if isinstance(y, tf.RaggedTensor) else y
    flat = tf.reshape(flat, [-1])
    bad = tf.logical_or(flat < 0, flat >= tf.cast(num_classes, flat.dtype))
    check = tf.debugging.Assert(
        tf.logical_not(tf.reduce_any(bad)),
        [message, tf.boolean_mask(flat, bad)],
        summarize=10,
    )
    with tf.control_dependencies([check]):
        if isinstance(y, tf.RaggedTensor):
            return y.with_flat_values(tf.identity(y.flat_values))
        return tf.identity(y)


@contextlib.contextmanager
def data_errors_as_value_errors():
    """Re-raises our failed data assertions as `ValueError`s."""
    try:
        yield
    except tf.errors.InvalidArgumentError as error:
        text = error.message
        for match in _ASSERTION.finditer(text):
            if match.group(1) in _DATA_CHECK_MESSAGES:
                values = " ".join(match.group(2).split())
                raise ValueError(
                    f"{match.group(1)} [{values}] (found in a batch of the "
                    "data while iterating it)."
                ) from None
        raise


def check_same_length(x, y, sample_weight):
    """In-memory data: as many labels (and weights) as examples."""

    def length(value):
        try:
            return len(value)
        except TypeError:
            return None

    segments = list(x) if isinstance(x, tuple) else [x]
    sizes = {"x": length(segments[0])}
    if sizes["x"] is None:
        return
    for i, segment in enumerate(segments[1:], 1):
        if length(segment) not in (None, sizes["x"]):
            raise ValueError(
                f"The segments of `x` differ in length: segment 0 has "
                f"{sizes['x']} texts, segment {i} has {len(segment)}. Pass "
                "aligned pairs."
            )
    for name, value in (("y", y), ("sample_weight", sample_weight)):
        if value is not None and length(value) is not None:
            sizes[name] = length(value)
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{k} has {v}" for k, v in sizes.items())
        raise ValueError(
            f"`x`, `y` and `sample_weight` must hold one entry per example: "
            f"{listed}. Pass exactly one label (and weight) per text."
        )
    if sizes["x"] == 0:
        raise ValueError(
            "`x` is empty: there is no text to fit, evaluate or predict on. "
            "Pass at least one text."
        )


class Task(distribution.DistributedTrainingMixin, PresetMixin, keras.Model):
    """A Functional model with an optional preprocessor applied to raw data.

    `fit`, `evaluate` and `predict` accept what the preprocessor accepts
    (raw strings, string pairs, `tf.data.Dataset`s of them with labels) and
    map the preprocessor over the data in a `tf.data` pipeline.
    """

    def __call__(self, inputs, *args, **kwargs):
        checks.check_integer_inputs(self, inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _check_labels(self, y):
        return y

    def _preprocess(
        self, x, y=None, sample_weight=None, batch_size=None, shuffle=False
    ):
        preprocessor = getattr(self, "preprocessor", None)
        if preprocessor is None or x is None or isinstance(x, dict):
            return x, y, sample_weight, batch_size  # already model inputs
        if isinstance(x, tf.data.Dataset):
            if y is not None or sample_weight is not None:
                raise ValueError(
                    "When `x` is a tf.data.Dataset it must yield the labels "
                    "too; do not pass `y` or `sample_weight`."
                )
            first = x.element_spec
            if isinstance(first, tuple):
                first = first[0]
            if isinstance(first, dict):
                return x, y, sample_weight, batch_size  # already model inputs
            spec = tf.nest.flatten(x.element_spec)[0]
            dataset = self._batch_raw_dataset(x, spec, batch_size)
        else:
            dataset = self._dataset_from_data(x, y, sample_weight, batch_size, shuffle)

        def preprocess(*args):
            if len(args) == 1:
                return preprocessor(args[0])
            x_, y_, w_ = keras.utils.unpack_x_y_sample_weight(args)
            if y_ is not None:
                y_ = self._graph_check_labels(y_)
            return preprocessor(x_, y_, w_)

        dataset = dataset.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
        return dataset.prefetch(tf.data.AUTOTUNE), None, None, None

    def _batch_raw_dataset(self, dataset, spec, batch_size):
        """Batches a dataset of single raw examples; others pass unchanged.

        `spec` is the spec of the first component of an element.
        """
        if getattr(spec, "shape", None) is not None and spec.shape.rank == 0:
            dataset = dataset.batch(batch_size or _DEFAULT_BATCH)
        return dataset

    def _dataset_from_data(self, x, y, sample_weight, batch_size, shuffle):
        """A batched `tf.data.Dataset` of raw in-memory data and labels."""
        if isinstance(x, str):
            x = [x]
        check_same_length(x, y, sample_weight)
        if y is not None and not isinstance(y, dict):
            y = self._check_labels(np.asarray(y))
        data = keras.utils.pack_x_y_sample_weight(
            tuple(x) if isinstance(x, tuple) else list(x), y, sample_weight
        )
        if not isinstance(data, tuple):
            data = (data,)
        dataset = tf.data.Dataset.from_tensor_slices(data)
        if shuffle:
            size = len(tf.nest.flatten(data)[0])
            dataset = dataset.shuffle(size, reshuffle_each_iteration=True)
        return dataset.batch(batch_size or _DEFAULT_BATCH)

    def _graph_check_labels(self, y):
        return y

    def _check_can_export(self, preprocessor_name, built="model"):
        """Raises unless there is a preprocessor to take raw strings."""
        if self.preprocessor is None:
            raise ValueError(
                "`export` writes a model that takes raw strings, which needs a "
                f"`preprocessor`. Build the {built} with "
                f"`preprocessor={preprocessor_name}(...)`."
            )

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        validation_data=None,
        sample_weight=None,
        **kwargs,
    ):
        shuffle = kwargs.get("shuffle", True)
        x, y, sample_weight, batch_size = self._preprocess(
            x, y, sample_weight, batch_size, shuffle=shuffle
        )
        if (
            validation_data is not None
            and getattr(self, "preprocessor", None) is not None
        ):
            if not isinstance(validation_data, tf.data.Dataset):
                validation_data = keras.utils.unpack_x_y_sample_weight(
                    tuple(validation_data)
                )
                validation_data = self._preprocess(*validation_data)[0]
            else:
                validation_data = self._preprocess(validation_data)[0]
        if getattr(self, "preprocessor", None) is not None:
            kwargs["shuffle"] = False  # done in the pipeline above
        with data_errors_as_value_errors():
            return super().fit(
                x=x,
                y=y,
                batch_size=batch_size,
                validation_data=validation_data,
                sample_weight=sample_weight,
                **kwargs,
            )

    def evaluate(self, x=None, y=None, batch_size=None, sample_weight=None, **kwargs):
        x, y, sample_weight, batch_size = self._preprocess(
            x, y, sample_weight, batch_size
        )
        with data_errors_as_value_errors():
            return super().evaluate(
                x=x, y=y, batch_size=batch_size, sample_weight=sample_weight, **kwargs
            )

    def predict(self, x, batch_size=None, **kwargs):
        x, _, _, batch_size = self._preprocess(x, None, None, batch_size)
        with data_errors_as_value_errors():
            return super().predict(x, batch_size=batch_size, **kwargs)
