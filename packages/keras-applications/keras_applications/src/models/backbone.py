# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The base class of every backbone: a Functional model with pyramid outputs."""

import os

import keras

from keras_core import api_export
from keras_core.presets import PresetMixin

PYRAMID_STRIDES = {"P2": 4, "P3": 8, "P4": 16, "P5": 32}
_POOLINGS = (None, "avg", "max")


@api_export(
    "keras_applications.Backbone",
    stability="stable",
    rfc="20261122-keras-applications-backbones",
)
class Backbone(PresetMixin, keras.Model):
    """Base class of the image backbones: a Functional model with pyramid outputs.

    Every backbone of this package (`ResNet50`, `MobileNetV2`,
    `EfficientNetB0`, ...) is a Keras Functional model whose output is the
    classifier (`include_top=True`) or the last feature map (optionally
    pooled). Besides, it records its intermediate feature maps by pyramid
    level, so that a detector or segmenter can use them without knowing
    layer names:

    | level | stride | resolution of a 224x224 input |
    | :---- | :----- | :---------------------------- |
    | `"P2"` | 4     | 56x56 |
    | `"P3"` | 8     | 28x28 |
    | `"P4"` | 16    | 14x14 |
    | `"P5"` | 32    | 7x7   |

    `pyramid_outputs` maps each level to the symbolic tensor of the last
    feature map at that stride; `get_pyramid_model(levels)` returns a
    Functional model (sharing this backbone's layers and weights) from
    images to a dict of those feature maps. Backbones are saved and loaded
    as presets (`save_to_preset(directory)`, `Cls.from_preset(directory)`)
    and as `.keras` files.

    Subclasses build their graph, then call
    `super().__init__(inputs=..., outputs=..., pyramid_outputs=..., name=...)`
    and implement `get_config()` returning their constructor arguments.

    Args:
        inputs: the `keras.Input` of the model.
        outputs: the output tensor of the model.
        pyramid_outputs: dict from level name (`"P2"` ... `"P5"`) to the
            symbolic feature map of that stride.
        **kwargs: `name`, `trainable` and other `keras.Model` arguments.

    Examples:

    >>> import keras_applications
    >>> backbone = keras_applications.ResNet18(include_top=False)
    >>> sorted(backbone.pyramid_outputs)
    ['P2', 'P3', 'P4', 'P5']
    >>> features = backbone.get_pyramid_model(["P3", "P4", "P5"])
    >>> sorted(features.output)
    ['P3', 'P4', 'P5']
    """

    def __init__(self, inputs, outputs, pyramid_outputs, **kwargs):
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self._pyramid_outputs = dict(pyramid_outputs)

    @property
    def pyramid_outputs(self):
        """Dict from level (`"P2"` ... `"P5"`) to its symbolic feature map."""
        return dict(self._pyramid_outputs)

    @property
    def pyramid_levels(self):
        """The available levels, finest first, e.g. `["P2", "P3", "P4", "P5"]`."""
        return sorted(self._pyramid_outputs, key=lambda level: PYRAMID_STRIDES[level])

    def get_pyramid_model(self, levels=None, name=None):
        """Returns a Functional model from images to a dict of feature maps.

        The returned model shares this backbone's layers and weights:
        training it (or freezing this backbone) affects both. Its output is
        a dict keyed by level, e.g. `{"P3": ..., "P4": ..., "P5": ...}`.

        Args:
            levels: list of level names such as `["P3", "P4", "P5"]`;
                `None` (default) for all of `pyramid_levels`.
            name: optional name of the returned model; defaults to
                `"<backbone name>_pyramid"`.

        Returns:
            A `keras.Model` with this backbone's input and one output per
            requested level.
        """
        if levels is None:
            levels = self.pyramid_levels
        if (
            isinstance(levels, str)
            or not isinstance(levels, (list, tuple))
            or not levels
        ):
            raise ValueError(
                "`levels` must be a non-empty list of pyramid level names, "
                f"such as ['P3', 'P4', 'P5']. Received: levels={levels!r}."
            )
        unknown = [level for level in levels if level not in self._pyramid_outputs]
        if unknown:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' has no pyramid level "
                f"{', '.join(repr(level) for level in unknown)}. Available "
                f"levels: {self.pyramid_levels} (P<k> has stride 2**k). "
                "Pass a subset of them."
            )
        if len(set(levels)) != len(levels):
            raise ValueError(
                f"`levels` contains duplicates. Received: levels={levels!r}."
            )
        outputs = {level: self._pyramid_outputs[level] for level in levels}
        return keras.Model(self.input, outputs, name=name or f"{self.name}_pyramid")

    def get_config(self):
        raise NotImplementedError(
            f"{type(self).__name__} must implement get_config() returning "
            "its constructor arguments."
        )

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("input_shape") is not None:
            config["input_shape"] = tuple(config["input_shape"])
        return cls(**config)


def base_config(model, **arguments):
    """The config shared by every backbone: name, trainable and `arguments`."""
    config = {"name": model.name, "trainable": model.trainable}
    config.update(arguments)
    return config


def resolve_input_shape(cls_name, include_top, input_shape, default_size, min_size=32):
    """Validates `input_shape` and returns the one the model is built for."""
    default = (default_size, default_size, 3)
    if input_shape is None:
        return default if include_top else (None, None, 3)
    if (
        not isinstance(input_shape, (tuple, list))
        or len(input_shape) != 3
        or any(
            d is not None and (isinstance(d, bool) or not isinstance(d, int) or d <= 0)
            for d in input_shape
        )
    ):
        raise ValueError(
            f"`input_shape` of {cls_name} must be a tuple (height, width, "
            "channels) of positive ints (height and width may be None), "
            f"channels last. Received: input_shape={input_shape!r}."
        )
    input_shape = tuple(input_shape)
    if input_shape[2] is None:
        raise ValueError(
            f"`input_shape` of {cls_name} needs a known number of channels. "
            f"Received: input_shape={input_shape!r}."
        )
    if include_top and input_shape != default:
        raise ValueError(
            f"{cls_name} with `include_top=True` expects input_shape={default} "
            "(the resolution its classification head was designed for). "
            f"Received: input_shape={input_shape!r}. To classify images of "
            "another size, pass include_top=False, pooling='avg' and put your "
            "own `keras.layers.Dense(num_classes)` on top."
        )
    for d in input_shape[:2]:
        if d is not None and d < min_size:
            raise ValueError(
                f"{cls_name} needs images of at least {min_size}x{min_size} "
                f"pixels (it downsamples by 32). Received: input_shape={input_shape!r}."
            )
    return input_shape


def check_arguments(
    cls_name, include_top, weights, pooling, classes, classifier_activation
):
    """Validates the keras.applications-style arguments shared by all backbones."""
    if not isinstance(include_top, bool):
        raise TypeError(
            f"`include_top` of {cls_name} must be True or False. "
            f"Received: include_top={include_top!r}."
        )
    if weights is not None:
        if isinstance(weights, os.PathLike):
            weights = os.fspath(weights)
        if isinstance(weights, str):
            weights = os.path.expanduser(weights)
        if weights == "imagenet":
            # Downloaded (once) once the model is built: see imagenet.py.
            if include_top and classes != 1000:
                raise ValueError(
                    f"{cls_name}(weights='imagenet', include_top=True) needs "
                    "classes=1000 (the ImageNet classifier). Received: "
                    f"classes={classes!r}. For another number of classes pass "
                    "include_top=False, pooling='avg' and add your own "
                    "`keras.layers.Dense(classes)`."
                )
        elif not isinstance(weights, str) or not os.path.isfile(weights):
            raise ValueError(
                f"`weights` of {cls_name} must be None (random initialization), "
                "'imagenet' (the keras.applications ImageNet weights, "
                "downloaded once into ~/.keras/models) or the path of an "
                "existing local weights file (.weights.h5 or a "
                f"keras.applications .h5). Received: weights={weights!r}."
            )
    if pooling not in _POOLINGS:
        raise ValueError(
            f"`pooling` of {cls_name} must be None, 'avg' or 'max'. "
            f"Received: pooling={pooling!r}."
        )
    if include_top and pooling is not None:
        raise ValueError(
            f"`pooling` is only used with include_top=False ({cls_name} with "
            "include_top=True always ends with average pooling and the "
            f"classifier). Received: pooling={pooling!r}. Pass pooling=None, "
            "or include_top=False."
        )
    if isinstance(classes, bool) or not isinstance(classes, int) or classes <= 0:
        raise ValueError(
            f"`classes` of {cls_name} must be a positive int. Received: classes={classes!r}."
        )
    if classifier_activation is not None:
        try:
            keras.activations.get(classifier_activation)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"`classifier_activation` of {cls_name} must be None or a Keras "
                "activation name such as 'softmax'. Received: "
                f"classifier_activation={classifier_activation!r}."
            ) from error
    return weights


def pooling_layer(pooling):
    if pooling == "avg":
        return keras.layers.GlobalAveragePooling2D(name="avg_pool")
    if pooling == "max":
        return keras.layers.GlobalMaxPooling2D(name="max_pool")
    return None


def classification_head(
    x, include_top, pooling, classes, classifier_activation, dropout_rate=0.0
):
    """Pooling and the Dense classifier, laid out as in keras.applications."""
    if include_top:
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = keras.layers.Dropout(dropout_rate, name="top_dropout")(x)
        return keras.layers.Dense(
            classes, activation=classifier_activation, name="predictions"
        )(x)
    layer = pooling_layer(pooling)
    return layer(x) if layer is not None else x
