# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The transfer-learning recipe: freeze, unfreeze, recalibrate batch norm.

Three functions for the workflow every user of a pretrained backbone runs
(train a new head on a frozen backbone, then fine-tune everything with a
lower learning rate), written for how Keras 3 treats batch normalization:

- A `BatchNormalization` layer normalises with its moving statistics (and
  never updates them) when it is not trainable, whatever `training` says.
- Keras 3 passes the `training` argument of the outer `fit` call to every
  layer of a nested Functional model, so `backbone(x, training=False)`
  does NOT keep a backbone's batch normalization in inference mode during
  `fit`; only non-trainable batch normalization layers stay there.

So the recipe works through `trainable` flags, which also survive saving
and loading, and it works the same on a backbone inside a classifier and on
a backbone inside a detector (`keras_cv.models.RetinaNet(...).backbone`).
"""

import keras
import numpy as np

from keras_core import api_export

_BATCH_NORM_MODES = ("frozen", "trainable")


def _check_model(model, function, argument="backbone"):
    if not isinstance(model, keras.layers.Layer):
        raise TypeError(
            f"`{function}` takes a Keras model or layer as `{argument}`, such as "
            "`keras_applications.ResNet50(include_top=False)` or a detector's "
            f"`model.backbone`. Received: {argument}={model!r} of type "
            f"{type(model).__name__}."
        )


def _sublayers(model):
    """Every layer nested in `model` (recursively), `model` excluded.

    The one place that uses Keras's private `_flatten_layers`: public
    `Model.layers` stops at the first level and misses layers inside
    subclassed blocks (the batch normalization of `ResidualBlock`, ...).
    `fine_tuning_test.py` pins that it reaches them.
    """
    return list(model._flatten_layers(include_self=False, recursive=True))


def _set_trainable(model, value):
    """Sets `trainable` on `model` and on every layer nested in it.

    `model.trainable = value` alone is not enough under the TensorFlow
    backend: Keras 3's tracking skips an assignment whose value `is` the
    current one, so `backbone.trainable = True` on a backbone that is
    already trainable does not reach the inner layers that were frozen
    (pinned by `fine_tuning_test.py`). Setting every layer explicitly
    does not depend on that.
    """
    for layer in [model] + _sublayers(model):
        layer.trainable = value


def batch_norm_layers(model):
    """The `BatchNormalization` layers of `model`, nested ones included."""
    layers = _sublayers(model)
    if isinstance(model, keras.layers.BatchNormalization):
        layers = [model] + layers
    return [
        layer for layer in layers if isinstance(layer, keras.layers.BatchNormalization)
    ]


@api_export("keras_applications.freeze_backbone", stability="experimental")
def freeze_backbone(backbone):
    """Freezes a backbone to train a new head on top of it.

    The first stage of fine-tuning: a new, randomly initialised head sends
    large random gradients into whatever is trainable, so train it first
    with the pretrained backbone frozen. Every weight of `backbone` stops
    training and every `BatchNormalization` layer in it runs in inference
    mode (its pretrained moving statistics normalise, and are not
    updated), even inside `fit`. It is `backbone.trainable = False`, set
    on every nested layer too (Keras skips the propagation when the flag
    already has the value, which can leave an inner layer trainable).
    Recompile the model afterwards: a change of `trainable` takes effect
    at the next `compile`.

    Args:
        backbone: the Keras model (or layer) to freeze, e.g. a
            `keras_applications.ResNet50(include_top=False)` or a
            detector's `model.backbone`.

    Returns:
        `backbone`, frozen.

    Example:

    >>> import keras_applications
    >>> backbone = keras_applications.ResNet18(include_top=False, input_shape=(32, 32, 3))
    >>> backbone = keras_applications.freeze_backbone(backbone)
    >>> len(backbone.trainable_weights)
    0
    """
    _check_model(backbone, "freeze_backbone")
    _set_trainable(backbone, False)
    return backbone


@api_export("keras_applications.unfreeze_backbone", stability="experimental")
def unfreeze_backbone(backbone, batch_norm="frozen"):
    """Unfreezes a backbone for fine-tuning, keeping batch normalization frozen.

    The second stage of fine-tuning, after a head was trained on the frozen
    backbone (`freeze_backbone`): every weight of `backbone` becomes
    trainable except, by default, the `BatchNormalization` layers, which
    stay in inference mode. Their moving statistics are then the ones
    the convolutions are fine-tuned under and evaluated with; training
    them on a small target dataset would replace them with noisy batch
    statistics and destroy much of what pretraining learned. (Keras 3
    passes `training=True` to every layer of a nested Functional model
    during `fit`, so calling the backbone with `training=False` does not
    keep batch normalization in inference mode; a non-trainable layer
    does.)

    Then recompile with a FRESH optimizer and a learning rate about 10 to
    100 times lower than the head's: a new optimizer has no moment
    estimates from the head stage, and a small step keeps the pretrained
    features while adapting them. With Adam, every weight moves by up to
    about the learning rate per step whatever its gradient, so 1e-4 to
    1e-5 is the usual range. Do not recalibrate the batch normalization
    statistics after fine-tuning under frozen batch normalization: the
    weights were trained for the frozen statistics, and new ones change
    what the network computes (see `recalibrate_batch_norm`).

    Args:
        backbone: the Keras model (or layer) to unfreeze, e.g. a
            `keras_applications` backbone or a detector's `model.backbone`.
        batch_norm: `"frozen"` (default) keeps every `BatchNormalization`
            layer of `backbone` non-trainable: inference mode, moving
            statistics unchanged, `gamma` and `beta` fixed. `"trainable"`
            trains them too (batch statistics in `fit`, moving statistics
            updated): only for large target datasets, and then recalibrate
            the statistics after training.

    Returns:
        `backbone`, unfrozen.

    Example:

    >>> import keras_applications
    >>> backbone = keras_applications.ResNet18(include_top=False, input_shape=(32, 32, 3))
    >>> inputs = keras.Input((32, 32, 3))
    >>> features = keras.layers.GlobalAveragePooling2D()(backbone(inputs))
    >>> model = keras.Model(inputs, keras.layers.Dense(4)(features))
    >>> keras_applications.freeze_backbone(backbone)  # stage 1: the head only
    <...>
    >>> model.compile(keras.optimizers.Adam(1e-3), "mse")
    >>> keras_applications.unfreeze_backbone(backbone)  # stage 2: everything
    <...>
    >>> model.compile(keras.optimizers.Adam(1e-5), "mse")  # fresh, lower rate
    >>> bn = [layer for layer in backbone.layers
    ...       if isinstance(layer, keras.layers.BatchNormalization)]
    >>> any(layer.trainable for layer in bn)
    False
    """
    _check_model(backbone, "unfreeze_backbone")
    if batch_norm not in _BATCH_NORM_MODES:
        raise ValueError(
            f"`batch_norm` must be one of {_BATCH_NORM_MODES}: 'frozen' keeps the "
            "batch normalization layers in inference mode with their pretrained "
            "statistics (recommended for small datasets), 'trainable' trains "
            f"them too. Received: batch_norm={batch_norm!r}."
        )
    _set_trainable(backbone, True)
    if batch_norm == "frozen":
        for layer in batch_norm_layers(backbone):
            layer.trainable = False
    return backbone


def _check_data(data):
    """Returns `data` as a `tf.data.Dataset` or something with a batch axis."""
    import tensorflow as tf

    if isinstance(data, tf.data.Dataset):
        return data
    if isinstance(data, (list, tuple)):
        data = np.asarray(data)
    if (
        not hasattr(data, "shape")
        or isinstance(data, (str, bytes))
        or len(data.shape) < 1
    ):
        raise TypeError(
            "`data` must be an array or tensor of model inputs (batch first) or "
            "a `tf.data.Dataset` of input batches (or of `(inputs, targets)` "
            f"batches). Received: data={data!r} of type {type(data).__name__}."
        )
    return data


def _batches(data, batch_size):
    """Yields input batches from an array, a tensor or a `tf.data.Dataset`."""
    import tensorflow as tf

    if isinstance(data, tf.data.Dataset):
        for element in data:
            if isinstance(element, (tuple, list)):
                element = element[0]  # (inputs, targets[, weights])
            yield element
        return
    for start in range(0, int(data.shape[0]), batch_size):
        yield data[start : start + batch_size]


@api_export("keras_applications.recalibrate_batch_norm", stability="experimental")
def recalibrate_batch_norm(model, data, batch_size=64, steps=None):
    """Recomputes the moving statistics of every batch normalization layer.

    Sets the moving mean and variance of each `BatchNormalization` layer of
    `model` to their average over the batches of `data` ("precise batch
    normalization", Wu and Johnson 2021): `model` runs in training mode
    over the batches, without any weight update, and each batch counts in
    proportion to its size. `gamma`, `beta`, every other weight and every
    layer's `trainable` flag are left as they were; `Dropout` layers are
    disabled during the pass.

    When to use it:

    - After training with batch normalization in training mode (from
      scratch, or fine-tuning with `unfreeze_backbone(...,
      batch_norm="trainable")`): moving averages with momentum 0.99 lag
      hundreds of steps behind the weights, and the exact statistics fix
      inference-mode accuracy.
    - Optionally on a pretrained backbone, BEFORE training a head on a
      target domain whose images differ from the pretraining ones (colour,
      contrast, sensor), so that the frozen batch normalization normalises
      the new images as pretraining normalised its own.

    Never after training under frozen batch normalization (`freeze_backbone`,
    `unfreeze_backbone()` by default): the weights were trained for the
    frozen statistics, and replacing them changes what the network
    computes.

    Other layers that behave differently in training (augmentation, noise)
    also run in training mode during the pass: give it the backbone and
    preprocessed images rather than a whole model with augmentation in
    front.

    Args:
        model: the Keras model whose batch normalization layers to
            recalibrate, e.g. a backbone. Must contain at least one
            `BatchNormalization` layer.
        data: inputs of `model`: an array or tensor (batched by
            `batch_size`), or a `tf.data.Dataset` of batches (of inputs, or
            of `(inputs, targets)` whose targets are ignored).
        batch_size: batch size used to split an array `data`. Statistics
            of tiny batches are noisy; keep it at 32 or more.
        steps: if given, the number of batches to use; by default all.

    Returns:
        The number of batches used.

    Example:

    >>> import keras_applications
    >>> backbone = keras_applications.ResNet18(include_top=False, input_shape=(32, 32, 3))
    >>> images = np.random.default_rng(0).uniform(-1, 1, (64, 32, 32, 3))
    >>> keras_applications.recalibrate_batch_norm(backbone, images, batch_size=32)
    2
    """
    _check_model(model, "recalibrate_batch_norm", "model")
    if (
        not isinstance(batch_size, int)
        or isinstance(batch_size, bool)
        or batch_size < 1
    ):
        raise ValueError(
            "`batch_size` must be a positive integer, e.g. 64. "
            f"Received: batch_size={batch_size!r}."
        )
    if steps is not None and (
        not isinstance(steps, int) or isinstance(steps, bool) or steps < 1
    ):
        raise ValueError(
            "`steps` must be None (every batch of `data`) or a positive integer. "
            f"Received: steps={steps!r}."
        )
    data = _check_data(data)
    layers = batch_norm_layers(model)
    if not layers:
        raise ValueError(
            f"`recalibrate_batch_norm` found no BatchNormalization layer in "
            f"model '{model.name}' ({type(model).__name__}); there is nothing to "
            "recalibrate. Pass the backbone (or the model) that contains them."
        )
    dropouts = [
        layer for layer in _sublayers(model) if isinstance(layer, keras.layers.Dropout)
    ]
    saved_bn = [(layer.momentum, layer.trainable) for layer in layers]
    saved_rates = [layer.rate for layer in dropouts]
    seen = 0
    used = 0
    try:
        for layer in dropouts:
            layer.rate = 0.0
        for batch in _batches(data, batch_size):
            if steps is not None and used >= steps:
                break
            size = int(keras.ops.shape(batch)[0])
            if size == 0:
                continue
            for layer in layers:
                layer.trainable = True
                # new = momentum * old + (1 - momentum) * batch statistic:
                # a running average weighted by batch size.
                layer.momentum = seen / (seen + size)
            model(batch, training=True)
            seen += size
            used += 1
    finally:
        for layer, (momentum, trainable) in zip(layers, saved_bn):
            layer.momentum, layer.trainable = momentum, trainable
        for layer, rate in zip(dropouts, saved_rates):
            layer.rate = rate
    if used == 0:
        raise ValueError(
            "`recalibrate_batch_norm` received no input batch: `data` is empty. "
            "Pass at least one batch of images."
        )
    return used
