# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Input checks and the input tensor shared by the image hypermodels."""


def check_image_arguments(input_shape, input_tensor, classes, classes_required):
    """Raises `ValueError` as keras-tuner 1.4 did for missing arguments.

    `classes_required`: whether a classification top needs `classes`.
    """
    if classes_required and classes is None:
        raise ValueError(
            "You must specify `classes` (the number of classes of the softmax "
            "top) when `include_top=True`; pass e.g. `classes=10`, or "
            "`include_top=False` for a feature extractor."
        )
    if classes is not None and (
        isinstance(classes, bool) or not isinstance(classes, int) or classes < 1
    ):
        raise ValueError(
            f"`classes` must be a positive int. Received: classes={classes!r}."
        )
    if input_shape is None and input_tensor is None:
        raise ValueError(
            "You must specify either `input_shape` (e.g. `(224, 224, 3)`) or "
            "`input_tensor` (e.g. `keras.Input((224, 224, 3))`)."
        )


def image_inputs(input_shape, input_tensor):
    """(model inputs, first tensor) from `input_shape` or `input_tensor`.

    A given `input_tensor` may be the output of other layers: the model's
    inputs are then the `keras.Input`s it comes from.
    """
    import keras

    if input_tensor is not None:
        return keras.utils.get_source_inputs(input_tensor), input_tensor
    inputs = keras.Input(shape=input_shape)
    return inputs, inputs
