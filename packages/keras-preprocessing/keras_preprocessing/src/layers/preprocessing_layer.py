# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The base class of every layer whose state is fitted with `adapt`."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export

LAYERS_RFC = "20261122-keras-preprocessing-layers"


def _describe(data):
    if isinstance(data, (np.ndarray, tf.Tensor)):
        return (
            f"{type(data).__name__} of shape {tuple(data.shape)} and dtype {data.dtype}"
        )
    return type(data).__name__


def _to_array(value, what, as_numpy=False):
    """Converts one adapt input (array, list, tensor, pandas column) to a tensor.

    With `as_numpy`, NumPy arrays stay NumPy arrays (for layers that adapt
    with NumPy, which saves a copy of the whole sample).
    """
    if isinstance(value, (tf.Tensor, tf.RaggedTensor, tf.SparseTensor)):
        return value
    if hasattr(value, "to_numpy"):  # pandas Series / DataFrame
        value = value.to_numpy()
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            raise ValueError(
                f"`adapt` received an empty {type(value).__name__} for {what}. Pass at least one sample."
            )
        try:
            value = np.asarray(value)
        except ValueError as error:
            raise ValueError(
                f"`adapt` could not turn the list passed for {what} into an array ({error}). "
                "Pass a rectangular list (every row of the same length) or a NumPy array."
            ) from None
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            kinds = sorted({type(v).__name__ for v in value.ravel()[:1000]})
            if kinds in (["str"], ["bytes"]):
                value = value.astype(bytes if kinds == ["bytes"] else str)
            else:
                raise TypeError(
                    f"`adapt` received an object array for {what} holding values of types {kinds}. "
                    "Expected numbers or strings of one type. Convert the column first, e.g. "
                    "`df[col].astype(str)` or `.astype('float32')`."
                )
        if value.size == 0:
            raise ValueError(
                f"`adapt` received an empty array for {what} (shape {value.shape}). Pass at least one sample."
            )
        if as_numpy:
            return value
        with tf.device("CPU:0"):
            return tf.convert_to_tensor(value)
    raise TypeError(
        f"`adapt` expects a NumPy array, a list, a tensor, a dict of those or a `tf.data.Dataset`. "
        f"Received {what} of type {type(value).__name__}."
    )


def _slice_batches(structure, batch_size):
    if isinstance(structure, np.ndarray):
        n = structure.shape[0] if structure.ndim else 1
        if batch_size is None or n <= batch_size:
            yield structure
        else:
            for start in range(0, n, batch_size):
                yield structure[start : start + batch_size]
        return
    flat = tf.nest.flatten(structure)
    n = int(flat[0].shape[0]) if flat[0].shape.rank else 1
    for f in flat[1:]:
        if f.shape.rank and int(f.shape[0]) != n:
            raise ValueError(
                "All arrays passed to `adapt` must have the same number of samples (first dimension). "
                f"Received sizes {[int(x.shape[0]) for x in flat if x.shape.rank]}."
            )
    if batch_size is None or n <= batch_size:
        yield structure
        return
    for start in range(0, n, batch_size):
        yield tf.nest.map_structure(lambda t, s=start: t[s : s + batch_size], structure)


# Batches produced ahead of `update_state` while it runs (a fixed depth: no
# autotuning model is needed to pick it).
_ADAPT_PREFETCH = 2


def _fast_input_pipeline(dataset):
    """Reads a dataset for `adapt` with as little tf.data overhead as possible.

    `adapt` reads the dataset once, in order, from a Python loop. tf.data's
    autotuning pays for itself in long training loops, but here its
    per-element bookkeeping (timing every element of every stage to model
    the pipeline) and the background thread that tunes the model are pure
    cost: on a dataset batched from tensor slices they are about a fifth of
    the CPU time of the whole `adapt`. It is switched off for this read
    only (the user's dataset is not modified). Parallel stages that ask for
    `tf.data.AUTOTUNE` still run in parallel (tf.data then uses the
    number of schedulable cores). A small fixed prefetch overlaps producing
    the next batches with `update_state` on the current one. Neither
    changes the order or the content of the batches.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options).prefetch(_ADAPT_PREFETCH)


def iterate_adapt_batches(
    data, batch_size=None, steps=None, num_inputs=1, as_numpy=False
):
    """Turns whatever `adapt` received into a generator of batches of tensors.

    Arrays, lists and tensors become one batch (or slices of `batch_size`);
    datasets are iterated as they are (datasets of scalars are batched). A
    dataset of `(x, y)` or `(x, y, sample_weight)` tuples yields `x`.

    Args:
        data: the data passed to `adapt`.
        batch_size: slice array inputs into batches of this size.
        steps: stop after this many batches.
        num_inputs: how many inputs the adapting layer takes; with more
            than one, lists, tuples and dicts are structures of inputs.
        as_numpy: keep NumPy array inputs as NumPy arrays.
    """
    if isinstance(data, tf.data.Dataset):
        spec = data.element_spec
        take_first = isinstance(spec, tuple) and (
            num_inputs == 1 or len(spec) != num_inputs
        )
        if take_first:
            data = data.map(lambda *e: e[0])
            spec = data.element_spec
        flat_spec = tf.nest.flatten(spec)
        if all(s.shape.rank == 0 for s in flat_spec if hasattr(s, "shape")):
            data = data.batch(1024)
        if steps is not None:
            data = data.take(steps)
        return iter(_fast_input_pipeline(data))
    if isinstance(data, dict):
        if num_inputs == 1:
            raise TypeError(
                f"`adapt` received a dict with keys {sorted(data)} but this layer takes a single input. "
                "Pass the one array (e.g. `data['age']`), or adapt a PreprocessingStage with named inputs."
            )
        structure = {k: _to_array(v, f"key {k!r}") for k, v in data.items()}
    elif num_inputs > 1 and isinstance(data, (list, tuple)):
        if len(data) != num_inputs:
            raise ValueError(
                f"`adapt` received a {type(data).__name__} of {len(data)} arrays but the stage has "
                f"{num_inputs} inputs. Pass one array per input, in the order of the stage's inputs."
            )
        structure = [_to_array(v, f"input {i}") for i, v in enumerate(data)]
    elif hasattr(data, "__next__"):  # a generator of batches

        def convert(batch):
            if isinstance(batch, dict):
                return {
                    k: _to_array(v, f"key {k!r}", as_numpy) for k, v in batch.items()
                }
            if num_inputs > 1 and isinstance(batch, (list, tuple)):
                return [
                    _to_array(v, f"input {i}", as_numpy) for i, v in enumerate(batch)
                ]
            return _to_array(batch, "a generated batch", as_numpy)

        batches = (convert(b) for b in data)
        return batches if steps is None else (b for _, b in zip(range(steps), batches))
    else:
        structure = _to_array(data, "`data`", as_numpy=as_numpy)
    gen = _slice_batches(structure, batch_size)
    if steps is not None:
        return (b for i, b in zip(range(steps), gen))
    return gen


def _float_values(tensor):
    """The float values of one adapt input as NumPy, or None if not float."""
    if isinstance(tensor, np.ndarray):
        return tensor if np.issubdtype(tensor.dtype, np.floating) else None
    if isinstance(tensor, tf.RaggedTensor):
        tensor = tensor.flat_values
    elif isinstance(tensor, tf.SparseTensor):
        tensor = tensor.values
    if not isinstance(tensor, tf.Tensor) or not tensor.dtype.is_floating:
        return None
    if bool(tf.reduce_all(tf.math.is_finite(tensor))):
        return np.zeros((0,), "float32")  # all finite: skip the NumPy copy
    return tensor.numpy()


def check_finite_adapt_batch(layer, batch, batch_index, first_sample):
    """Raises a `ValueError` if an adapt batch holds NaN or infinite values.

    The statistics `adapt` computes (means, variances, quantiles, IDF
    weights) would silently become NaN or infinite, or shift, so the values
    are refused with their count and the position of the first one. A layer
    whose class sets `_adapt_skips_nan` (and documents it, and reports how
    many it skipped) receives its NaN values; infinities are refused.
    """
    skip_nan = getattr(layer, "_adapt_skips_nan", False)
    for tensor in tf.nest.flatten(batch):
        values = _float_values(tensor)
        if values is None or values.size == 0:
            continue
        bad = np.isinf(values) if skip_nan else ~np.isfinite(values)
        if not bad.any():
            continue
        num_nan = int(np.isnan(values).sum())
        num_posinf = int(np.isposinf(values).sum())
        num_neginf = int(bad.sum()) - num_nan - num_posinf
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        if isinstance(tensor, (tf.RaggedTensor, tf.SparseTensor)):
            position = f"value {where[0]} of the flat values of batch {batch_index}"
        else:
            position = (
                f"batch {batch_index}, index {where} (sample "
                f"{first_sample + (where[0] if where else 0)} of the data)"
            )
        raise ValueError(
            f"`adapt` of layer '{layer.name}' ({type(layer).__name__}) received "
            f"{int(bad.sum())} non-finite value(s) ({num_nan} NaN, {num_posinf} "
            f"+inf, {num_neginf} -inf); the first is at {position}. The state "
            "`adapt` computes from them would be NaN or infinite. Remove or "
            "impute them before adapting, e.g. keep the rows where "
            "`np.isfinite(x).all(axis=-1)` or use `np.nan_to_num`."
        )


def _num_samples(batch):
    flat = tf.nest.flatten(batch)
    if not flat:
        return 0
    shape = getattr(flat[0], "shape", None)
    if shape is None or len(shape) == 0 or shape[0] is None:
        return 1
    return int(shape[0])


def _in_symbolic_scope():
    try:
        from keras.src.backend.common.symbolic_scope import in_symbolic_scope
    except ImportError:  # pragma: no cover - older or newer Keras layouts
        return False
    return in_symbolic_scope()


def _is_symbolic(x):
    return isinstance(x, keras.KerasTensor)


@api_export(
    "keras_preprocessing.layers.PreprocessingLayer", stability="stable", rfc=LAYERS_RFC
)
class PreprocessingLayer(keras.layers.Layer):
    """Base class of layers whose state is computed from data with `adapt`.

    A preprocessing layer turns raw inputs (strings, integers, unscaled
    numbers, images) into what a model consumes. Its state (a mean and
    variance, bin boundaries, a vocabulary, IDF weights) is not learned by
    backpropagation: it is fitted in a separate step, `adapt(data)`, and
    kept in non-trainable weights (vocabularies, which are strings, are kept
    in lookup tables and saved as assets of the `.keras` file). Preprocessing
    layers are frozen (`trainable=False`).

    Users call `adapt`. Implementers override three hooks, which `adapt`
    drives after converting the data (arrays, lists, dicts, datasets) into
    batches of tensors:

    - `reset_state()`: forget everything seen so far;
    - `update_state(batch)`: accumulate statistics from one batch;
    - `finalize_state()`: compute the layer's state from the statistics.

    Most preprocessing layers are not differentiable (lookups, bucketing,
    hashing). Such a layer placed after trainable layers would silently
    stop the gradients; instead, calling it on a tensor that a
    `tf.GradientTape` is differentiating raises a `ValueError` that says
    where to move it. Set the class attribute `differentiable = True` in a
    subclass whose computation has gradients (e.g. `Normalization`).

    Args:
        **kwargs: base layer arguments (`name`, `dtype`).

    Call arguments:
        inputs: the data to transform; see each subclass.

    Examples:

    ```python
    from keras_preprocessing.layers import PreprocessingLayer

    class MaxScaling(PreprocessingLayer):
        differentiable = True
        requires_adapt = True

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.max_value = self.add_weight(shape=(), initializer="ones", trainable=False)

        def reset_state(self):
            self._running_max = 0.0

        def update_state(self, batch):
            self._running_max = max(self._running_max, float(tf.reduce_max(tf.abs(batch))))

        def finalize_state(self):
            self.max_value.assign(self._running_max)

        def call(self, inputs):
            return inputs / self.max_value

    layer = MaxScaling()
    layer.adapt(np.array([[1.0], [-4.0]]))
    layer(np.array([[2.0]]))  # [[0.5]]
    ```
    """

    #: Whether gradients can flow through the layer's computation.
    differentiable = False
    #: Whether calling the layer before `adapt` (or without a given state) is an error.
    requires_adapt = False
    #: Whether `update_state` accepts NumPy batches (array inputs are then not copied).
    _adapt_with_numpy = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trainable = False
        self._is_adapted = False

    @property
    def is_adapted(self):
        """Whether the layer's state has been set, by `adapt` or by its arguments."""
        return self._is_adapted

    def _adapt_num_inputs(self):
        return 1

    def _standardize_adapt_batch(self, batch):
        """Validates one adapt batch (dtype, rank); subclasses override."""
        return batch

    def adapt(self, data, reset_state=True, batch_size=None, steps=None):
        """Fits the state of the layer to a sample of data.

        Args:
            data: a NumPy array, a list, a tensor, a pandas column, a dict or
                list of arrays (for multi-input stages), a generator of
                batches, or a `tf.data.Dataset` yielding batches (a dataset
                of `(x, y)` tuples is adapted on `x`).
            reset_state: `True` (default) forgets the state of earlier
                `adapt` calls; `False` adds this data to the statistics
                accumulated so far. Lookup layers (`StringLookup`,
                `IntegerLookup`, `TextVectorization`) keep their token
                counts in the `.keras` file, so a reloaded layer continues
                counting; `Normalization` continues from its saved count,
                mean and variance.
            batch_size: slice array inputs into batches of this size (by
                default an array is one batch).
            steps: adapt on at most this many batches.

        Raises:
            ValueError: if the data holds NaN or infinite values (their
                count and the position of the first one are named; nothing
                is skipped silently), or no samples.
        """
        if reset_state:
            self.reset_state()
        checkpoint = None if reset_state else self._adapt_checkpoint()
        try:
            seen = 0
            batches = iterate_adapt_batches(
                data,
                batch_size,
                steps,
                self._adapt_num_inputs(),
                self._adapt_with_numpy,
            )
            samples = 0
            for batch in batches:
                batch = self._standardize_adapt_batch(batch)
                check_finite_adapt_batch(self, batch, seen, samples)
                self.update_state(batch)
                seen += 1
                samples += _num_samples(batch)
            if seen == 0:
                raise ValueError(
                    f"`adapt` of layer '{self.name}' received no batches: the data "
                    f"({_describe(data)}) is empty. Pass at least one sample."
                )
            self.finalize_state()
        except BaseException:
            # A failed adapt leaves no partial statistics behind: the next
            # `adapt(reset_state=False)` continues from the last good state.
            if reset_state:
                self.reset_state()
            else:
                self._adapt_restore(checkpoint)
            raise
        self._is_adapted = True

    def _adapt_checkpoint(self):
        """Implementer hook: the accumulated statistics, to restore if `adapt` fails."""
        return None

    def _adapt_restore(self, checkpoint):
        """Implementer hook: puts back what `_adapt_checkpoint` returned."""

    def reset_state(self):
        """Implementer hook: clears the statistics accumulated by `update_state`."""

    def update_state(self, data):
        """Implementer hook: accumulates statistics from one batch of `adapt` data."""

    def finalize_state(self):
        """Implementer hook: computes the layer's state from the accumulated statistics."""

    def _check_differentiation(self, args, kwargs):
        try:
            from tensorflow.python.eager import record
        except ImportError:  # pragma: no cover - TensorFlow moved its tape module
            return

        watched = [
            t
            for t in tf.nest.flatten((args, kwargs))
            if isinstance(t, (tf.Tensor, tf.Variable))
            and not _is_symbolic(t)
            and t.dtype.is_floating
        ]
        if watched and record.should_record_backprop(watched):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) is not differentiable, but it was called "
                "on a tensor that a GradientTape is differentiating (its input depends on trainable "
                "weights, e.g. it comes after a Dense layer). Gradients cannot flow through it. "
                "Put non-differentiable preprocessing layers at the start of the model (on raw "
                "inputs), or run them in the tf.data pipeline with "
                "`keras_preprocessing.models.lift_preprocessing_stage`."
            )

    def _check_adapted(self, args):
        if not self.requires_adapt or self.is_adapted:
            return
        flat = tf.nest.flatten(args)
        if (flat and all(_is_symbolic(t) for t in flat)) or _in_symbolic_scope():
            return  # building a model before adapting is fine
        raise ValueError(
            f"Layer '{self.name}' ({type(self).__name__}) must be adapted before it is called on data: "
            "its state has not been computed. Call `layer.adapt(sample_data)` first, or pass the "
            "state explicitly to the constructor."
        )

    def __call__(self, *args, **kwargs):
        self._check_adapted(args[:1] if args else list(kwargs.values())[:1])
        if not self.differentiable:
            self._check_differentiation(args, kwargs)
        return super().__call__(*args, **kwargs)
