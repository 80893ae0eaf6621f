# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Feature-wise normalization with a streaming, resumable `adapt`."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.preprocessing_layer import LAYERS_RFC
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer


@api_export(
    "keras_preprocessing.layers.Normalization", stability="stable", rfc=LAYERS_RFC
)
class Normalization(PreprocessingLayer, keras.layers.Normalization):
    """Shifts and scales inputs feature-wise to zero mean and unit variance.

    Use it first in a model that takes raw numeric features (or images), so
    the model stores its own scaling. `adapt` computes the mean and variance
    of every position along `axis` in one streaming pass (batches are merged
    with Chan's parallel update), keeps them in the non-trainable weights
    `mean`, `variance` and `count`, and with `reset_state=False` continues
    from the statistics of the previous `adapt` (the count is saved, so this
    also works after loading a `.keras` file).

    The transform is `keras.layers.Normalization`'s. The differences: calling
    the layer before `adapt` is an error here (Keras silently uses mean 0 and
    variance 1), and `adapt` can resume.

    Args:
        axis: int or tuple of ints, the axis or axes that keep separate
            statistics (typically the features axis, `-1`). `None` computes
            one mean and variance over everything.
        mean: optional fixed mean (then pass `variance` too; no `adapt`).
        variance: optional fixed variance.
        invert: apply the inverse transform (`x * std + mean`).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a float tensor.

    Input shape:
        Any shape; the `axis` dimensions must be known.

    Output shape:
        Same as the input.

    Examples:

    ```python
    from keras_preprocessing.layers import Normalization

    layer = Normalization(axis=-1)
    layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
    layer(np.array([[1.0, 20.0]]))  # [[0., 0.]]
    ```
    """

    differentiable = True
    requires_adapt = True

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        for name, value in (("mean", mean), ("variance", variance)):
            if value is None:
                continue
            try:
                array = np.asarray(value, dtype="float64")
            except (TypeError, ValueError):
                raise TypeError(
                    f"`{name}` must be a number or an array of numbers. "
                    f"Received: {name}={value!r}."
                ) from None
            if not np.isfinite(array).all() or (
                name == "variance" and (array < 0).any()
            ):
                raise ValueError(
                    f"`{name}` must be finite"
                    + (" and non-negative" if name == "variance" else "")
                    + f". Received: {name}={value!r}. Compute it from data with "
                    "`adapt`, or pass the statistics of your training data."
                )
        super().__init__(
            axis=axis, mean=mean, variance=variance, invert=invert, **kwargs
        )
        self._is_adapted = mean is not None

    def build(self, input_shape):
        try:
            super().build(input_shape)
        except ValueError:
            raise
        except Exception as error:  # TensorFlow's broadcasting error
            raise ValueError(
                f"Normalization '{self.name}' cannot apply `mean` of shape "
                f"{np.shape(self.input_mean)} and `variance` of shape "
                f"{np.shape(self.input_variance)} to inputs of shape "
                f"{tuple(input_shape)} with axis={self.axis}: each must have "
                "one value per position of the kept axes (or a single value). "
                f"({type(error).__name__})"
            ) from None

    def call(self, inputs):
        dtype = getattr(inputs, "dtype", None)
        if dtype is None:
            dtype = np.asarray(inputs).dtype
        try:
            tf_dtype = tf.as_dtype(dtype)
            numeric = tf_dtype.is_floating or tf_dtype.is_integer or tf_dtype.is_bool
        except TypeError:  # NumPy strings and objects
            numeric = False
        if not numeric:
            raise TypeError(
                f"Normalization '{self.name}' needs numeric inputs; received dtype "
                f"{getattr(dtype, 'name', dtype)}. Convert strings to numbers first, or use StringLookup "
                "for categorical strings."
            )
        shape = getattr(inputs, "shape", None)
        if shape is None:
            shape = np.shape(inputs)
        shape = tuple(shape)
        built_shape = getattr(self, "_build_input_shape", None)
        if built_shape is not None and shape:
            if len(shape) != len(built_shape) or any(
                shape[d] is not None
                and built_shape[d] is not None
                and shape[d] != built_shape[d]
                for d in self._keep_axis
            ):
                raise ValueError(
                    f"Normalization '{self.name}' was built for inputs of shape "
                    f"{tuple(built_shape)} (statistics along axis={self.axis}), "
                    f"but received shape {shape}. Pass inputs with the same rank "
                    "and the same size along the normalized axes."
                )
        return super().call(inputs)

    def _standardize_adapt_batch(self, batch):
        if isinstance(batch, (dict, list, tuple)):
            raise TypeError(
                f"Normalization '{self.name}' adapts on one numeric array; received a {type(batch).__name__}. "
                "Pass a single array (one Normalization per feature group)."
            )
        if not (
            batch.dtype.is_floating or batch.dtype.is_integer or batch.dtype.is_bool
        ):
            raise TypeError(
                f"Normalization '{self.name}' needs numeric data to adapt; received dtype {batch.dtype.name} "
                f"with shape {tuple(batch.shape)}. Convert strings to numbers first, or use StringLookup for "
                "categorical strings."
            )
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization '{self.name}' was given a fixed `mean` and `variance`; it cannot be adapted. "
                "Create it without `mean`/`variance` to learn them from data."
            )
        # float32 data is reduced in float32 (TensorFlow's blocked reductions);
        # batches are merged in float64 in `update_state`.
        batch = tf.cast(
            batch,
            "float32"
            if batch.dtype in (tf.float16, tf.bfloat16, tf.float32)
            else "float64",
        )
        if batch.shape.rank == 1 and self.axis == (-1,):
            batch = batch[:, None]
        ndim = batch.shape.rank
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization '{self.name}' has axis={self.axis}, which does not exist in the adapt data of "
                f"rank {ndim} (shape {tuple(batch.shape)}). Pass data with the rank the model will see, or "
                "change `axis`."
            )
        if not self.built:
            self.build(tuple(batch.shape))
        else:
            for d in self._keep_axis:
                if batch.shape[d] != self._build_input_shape[d]:
                    raise ValueError(
                        f"Normalization '{self.name}' was built for inputs of shape {self._build_input_shape}, "
                        f"but `adapt` received shape {tuple(batch.shape)} (axis {d} differs). Pass data with "
                        "the same feature dimensions."
                    )
        return batch

    def _adapt_checkpoint(self):
        return getattr(self, "_acc", None)  # replaced, never mutated, by updates

    def _adapt_restore(self, checkpoint):
        self._acc = checkpoint

    def reset_state(self):
        self._acc = None
        if self.built and self.input_mean is None:
            self.adapt_mean.assign(tf.zeros_like(self.adapt_mean))
            self.adapt_variance.assign(tf.ones_like(self.adapt_variance))
            self.count.assign(0)
        self._is_adapted = self.input_mean is not None

    def update_state(self, batch):
        if getattr(self, "_acc", None) is None:
            count = int(self.count.numpy())
            self._acc = (
                count,
                np.asarray(self.adapt_mean.numpy(), "float64"),
                np.asarray(self.adapt_variance.numpy(), "float64")
                if count
                else np.zeros(self.adapt_mean.shape),
            )
        count, mean, var = self._acc
        n = (
            int(np.prod([batch.shape[d] for d in self._reduce_axis]))
            if self._reduce_axis
            else 1
        )
        b_mean, b_var = tf.nn.moments(batch, axes=list(self._reduce_axis))
        b_mean, b_var = (
            b_mean.numpy().astype("float64"),
            b_var.numpy().astype("float64"),
        )
        total = count + n
        delta = b_mean - mean
        new_mean = mean + delta * (n / total)
        new_var = (var * count + b_var * n + delta**2 * (count * n / total)) / total
        self._acc = (total, new_mean, new_var)

    def finalize_state(self):
        if not self.built or self.input_mean is not None:
            return keras.layers.Normalization.finalize_state(self)
        acc = getattr(self, "_acc", None)
        if acc is not None:
            count, mean, var = acc
            with np.errstate(over="ignore", invalid="ignore"):
                finite = (
                    np.isfinite(mean.astype("float32")).all()
                    and np.isfinite(var.astype("float32")).all()
                )
            if not finite:
                self._acc = None
                raise ValueError(
                    f"Normalization '{self.name}': the mean or variance of the "
                    "adapt data does not fit in float32 (the values are too "
                    f"large: largest |mean| {float(np.max(np.abs(mean))):.3g}, "
                    f"largest variance {float(np.max(var)):.3g}). Rescale the "
                    "data (e.g. divide by a constant or take a log) before "
                    "adapting."
                )
            self.adapt_mean.assign(mean.astype("float32"))
            self.adapt_variance.assign(var.astype("float32"))
            self.count.assign(count)
            self._acc = None
        keras.layers.Normalization.finalize_state(self)

    def load_own_variables(self, store):
        keras.layers.Normalization.load_own_variables(self, store)
        if self.input_mean is None and self.built:
            self._is_adapted = int(self.count.numpy()) > 0
