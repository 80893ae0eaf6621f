# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Splitting a model into its preprocessing stage and its main stage."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.preprocessing_layer import LAYERS_RFC
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer
from keras_preprocessing.src.stages.preprocessing_stage import PreprocessingStage


def _keras_preprocessing_classes():
    classes = [
        keras.layers.TextVectorization,
        keras.layers.StringLookup,
        keras.layers.IntegerLookup,
        keras.layers.Hashing,
        keras.layers.Normalization,
        keras.layers.Discretization,
        keras.layers.CategoryEncoding,
        keras.layers.HashedCrossing,
        keras.layers.Rescaling,
        keras.layers.Resizing,
        keras.layers.CenterCrop,
    ]
    try:
        from keras.src.layers.preprocessing.data_layer import DataLayer

        classes.append(DataLayer)
    except ImportError:  # pragma: no cover
        pass
    return tuple(classes)


def is_preprocessing_layer(layer):
    """Whether `layer` belongs to a preprocessing stage (ours or Keras's)."""
    return isinstance(layer, (PreprocessingLayer,) + _keras_preprocessing_classes())


def _check_model(model):
    if not isinstance(model, keras.Model):
        raise TypeError(f"Expected a Keras model. Received: {type(model).__name__}.")
    if (
        not model.built
        or not hasattr(model, "_nodes_by_depth")
        and not isinstance(model, keras.Sequential)
    ):
        raise ValueError(
            f"Model '{model.name}' is neither a built Sequential nor a Functional model; a subclassed model "
            "must define its own split. Build Sequential models with an `keras.Input` first."
        )


def _sequential_split(model):
    layers = model.layers
    n = 0
    while n < len(layers) and is_preprocessing_layer(layers[n]):
        n += 1
    if n == 0:
        return None, model
    if not model.built:
        raise ValueError(
            f"Sequential model '{model.name}' is not built; start it with `keras.Input(shape)` or call it once "
            "before splitting it."
        )
    pre = (
        layers[0]
        if n == 1
        else PreprocessingStage(list(layers[:n]), name=f"{model.name}_preprocessing")
    )
    if n == len(layers):
        return pre, keras.Sequential([keras.layers.Identity()])
    boundary = layers[n].input
    main = keras.Sequential(
        [
            keras.Input(
                shape=boundary.shape[1:], dtype=boundary.dtype, sparse=boundary.sparse
            )
        ]
        + list(layers[n:]),
        name=f"{model.name}_main",
    )
    return pre, main


def _replace(structure, mapping):
    return keras.tree.map_structure(
        lambda t: mapping[id(t)] if isinstance(t, keras.KerasTensor) else t, structure
    )


def _functional_split(model):
    nodes = []
    for depth in sorted(model._nodes_by_depth, reverse=True):
        nodes.extend(model._nodes_by_depth[depth])
    pre_tensors = {id(t) for t in model.inputs}
    pre_nodes, main_nodes = [], []
    for node in nodes:
        if isinstance(node.operation, keras.layers.InputLayer):
            continue
        inputs = keras.tree.flatten(node.arguments.keras_tensors)
        if (
            is_preprocessing_layer(node.operation)
            and inputs
            and all(id(t) in pre_tensors for t in inputs)
        ):
            pre_nodes.append(node)
            pre_tensors.update(id(t) for t in node.outputs)
        else:
            main_nodes.append(node)
    if not pre_nodes:
        return None, model
    boundary, seen = [], set()
    consumers = [keras.tree.flatten(n.arguments.keras_tensors) for n in main_nodes]
    consumers.append(keras.tree.flatten(model.outputs))
    for tensors in consumers:
        for t in tensors:
            if id(t) in pre_tensors and id(t) not in seen:
                seen.add(id(t))
                boundary.append(t)
    single = len(boundary) == 1
    pre = PreprocessingStage(
        inputs=model.input,
        outputs=boundary[0] if single else boundary,
        name=f"{model.name}_preprocessing",
    )
    new_inputs = [
        keras.Input(
            shape=t.shape[1:],
            dtype=t.dtype,
            sparse=t.sparse,
            ragged=t.ragged,
            name=f"preprocessed_{i}",
        )
        for i, t in enumerate(boundary)
    ]
    mapping = {id(old): new for old, new in zip(boundary, new_inputs)}
    for node in main_nodes:
        args = _replace(node.arguments.args, mapping)
        kwargs = _replace(node.arguments.kwargs, mapping)
        outputs = keras.tree.flatten(node.operation(*args, **kwargs))
        for old, new in zip(node.outputs, outputs):
            mapping[id(old)] = new
    main = keras.Model(
        new_inputs[0] if single else new_inputs,
        _replace(model.output, mapping),
        name=f"{model.name}_main",
    )
    return pre, main


def _split(model):
    _check_model(model)
    if isinstance(model, keras.Sequential):
        return _sequential_split(model)
    return _functional_split(model)


@api_export(
    "keras_preprocessing.models.get_preprocessing_stage",
    stability="stable",
    rfc=LAYERS_RFC,
)
def get_preprocessing_stage(model):
    """Returns the preprocessing part at the start of a model.

    The preprocessing part is every preprocessing layer (ours, or Keras's
    lookups, normalization, hashing, resizing and augmentation layers)
    whose inputs come only from the model's inputs or from other such
    layers. Run it in the input pipeline (on the CPU host, asynchronously)
    and the main stage on the accelerator: for every input `x`,
    `get_main_stage(model)(get_preprocessing_stage(model)(x))` equals
    `model(x)`. Works for Sequential and Functional models, including
    multi-input models with one preprocessing branch per input; raw inputs
    that the main part also uses pass through the stage unchanged.

    Args:
        model: a built Sequential or Functional model.

    Returns:
        The single preprocessing layer (Sequential model starting with one
        preprocessing layer), a `PreprocessingStage`, or `None` when the
        model does not start with preprocessing.

    Examples:

    ```python
    from keras_preprocessing.layers import Normalization
    from keras_preprocessing.models import get_preprocessing_stage

    norm = Normalization()
    norm.adapt(np.array([[1.0], [3.0]]))
    model = keras.Sequential([keras.Input((1,)), norm, keras.layers.Dense(1)])
    pre = get_preprocessing_stage(model)  # `norm`
    ```
    """
    return _split(model)[0]


@api_export(
    "keras_preprocessing.models.get_main_stage", stability="stable", rfc=LAYERS_RFC
)
def get_main_stage(model):
    """Returns the model without its preprocessing stage.

    A new model sharing the layers (and weights) of `model` after its
    preprocessing stage; its inputs are the outputs of
    `get_preprocessing_stage(model)` (a list when there are several). The
    model itself when it has no preprocessing stage.

    Args:
        model: a built Sequential or Functional model.

    Returns:
        A Keras model.

    Examples:

    ```python
    from keras_preprocessing.layers import Normalization
    from keras_preprocessing.models import get_main_stage, get_preprocessing_stage

    norm = Normalization(mean=2.0, variance=1.0)
    model = keras.Sequential([keras.Input((1,)), norm, keras.layers.Dense(1)])
    x = np.array([[3.0]])
    main = get_main_stage(model)
    main(get_preprocessing_stage(model)(x))  # == model(x)
    ```
    """
    return _split(model)[1]


@api_export(
    "keras_preprocessing.models.lift_preprocessing_stage", stability="experimental"
)
def lift_preprocessing_stage(model, dataset, num_parallel_calls=tf.data.AUTOTUNE):
    """Moves a model's preprocessing stage into a `tf.data` pipeline.

    Maps the preprocessing stage over the features of `dataset` (elements
    `x`, `(x, y)` or `(x, y, sample_weight)`), in parallel and prefetched,
    and returns that dataset with the main stage to train on it. The
    weights are shared: training the main stage trains `model`, which keeps
    its preprocessing for serving.

    Args:
        model: a built Sequential or Functional model.
        dataset: a batched `tf.data.Dataset`.
        num_parallel_calls: parallelism of the map (default autotune).

    Returns:
        `(preprocessed_dataset, main_stage)`.

    Examples:

    ```python
    from keras_preprocessing.layers import Normalization
    from keras_preprocessing.models import lift_preprocessing_stage

    model = keras.Sequential([keras.Input((1,)), Normalization(mean=2.0, variance=1.0), keras.layers.Dense(1)])
    dataset = tf.data.Dataset.from_tensor_slices((np.ones((8, 1)), np.zeros((8, 1)))).batch(4)
    ds, main = lift_preprocessing_stage(model, dataset)
    main.compile("adam", "mse")
    main.fit(ds, epochs=1, verbose=0)
    ```
    """
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(
            f"`dataset` must be a tf.data.Dataset. Received: {type(dataset).__name__}."
        )
    pre, main = _split(model)
    if pre is None:
        return dataset, main

    def preprocess(*element):
        x = element[0]
        out = pre(x)
        if isinstance(out, list):
            out = tuple(out)
        return (out,) + tuple(element[1:]) if len(element) > 1 else out

    mapped = dataset.map(preprocess, num_parallel_calls=num_parallel_calls)
    return mapped.prefetch(tf.data.AUTOTUNE), main
