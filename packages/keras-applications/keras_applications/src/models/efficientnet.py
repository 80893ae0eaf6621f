# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""EfficientNet B0-B3 backbones."""

import math

import keras

from keras_applications.src.layers.inverted_residual_block import InvertedResidualBlock
from keras_applications.src.models import backbone as backbone_lib
from keras_applications.src.models import weights as weights_lib
from keras_core import api_export

_RFC = "20261122-keras-applications-backbones"
# (kernel, repeats, filters in, filters out, expansion, stride) of the 7
# stages of EfficientNet-B0; every block has squeeze-excitation (ratio 0.25).
_STAGES = (
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
)
# Stage (0-based) whose last block is P2, P3, P4.
_PYRAMID_STAGES = {1: "P2", 2: "P3", 4: "P4"}
# variant -> (width coefficient, depth coefficient, resolution, top dropout)
_VARIANTS = {
    "B0": (1.0, 1.0, 224, 0.2),
    "B1": (1.0, 1.1, 240, 0.2),
    "B2": (1.1, 1.2, 260, 0.3),
    "B3": (1.2, 1.4, 300, 0.3),
}
WEIGHT_NAME_SUFFIXES = {"_depthwise_conv": "_dwconv", "_depthwise_bn": "_bn"}


def _round_filters(filters, width, divisor=8):
    filters *= width
    rounded = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * filters:
        rounded += divisor
    return int(rounded)


class EfficientNetBackbone(backbone_lib.Backbone):
    """EfficientNet of a given variant; see `EfficientNetB0` for the arguments."""

    variant = None

    def __init__(
        self,
        include_top=True,
        weights=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        dropout_rate=None,
        drop_connect_rate=0.2,
        name=None,
        **kwargs,
    ):
        cls_name = type(self).__name__
        weights = backbone_lib.check_arguments(
            cls_name, include_top, weights, pooling, classes, classifier_activation
        )
        width, depth, resolution, default_dropout = _VARIANTS[self.variant]
        if dropout_rate is None:
            dropout_rate = default_dropout
        for arg, value in (
            ("dropout_rate", dropout_rate),
            ("drop_connect_rate", drop_connect_rate),
        ):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value < 1
            ):
                raise ValueError(
                    f"`{arg}` of {cls_name} must be a float in [0, 1). Received: {arg}={value!r}."
                )
        input_shape = backbone_lib.resolve_input_shape(
            cls_name, include_top, input_shape, resolution
        )

        inputs = keras.Input(shape=input_shape, name="images")
        x = keras.layers.Rescaling(1.0 / 255.0, name="rescaling")(inputs)
        x = keras.layers.Normalization(axis=-1, name="normalization")(x)
        x = keras.layers.Conv2D(
            _round_filters(32, width),
            3,
            strides=2,
            padding="same",
            use_bias=False,
            name="stem_conv",
        )(x)
        x = keras.layers.BatchNormalization(name="stem_bn")(x)
        x = keras.layers.Activation("swish", name="stem_activation")(x)

        repeats = [int(math.ceil(depth * stage[1])) for stage in _STAGES]
        total = float(sum(repeats))
        pyramid = {}
        count = 0
        for stage, (kernel, _, filters_in, filters_out, expansion, stride) in enumerate(
            _STAGES
        ):
            filters_in = _round_filters(filters_in, width)
            filters_out = _round_filters(filters_out, width)
            for index in range(repeats[stage]):
                block_in = filters_in if index == 0 else filters_out
                x = InvertedResidualBlock(
                    filters_out,
                    expansion_ratio=expansion,
                    kernel_size=kernel,
                    strides=stride if index == 0 else 1,
                    activation="swish",
                    squeeze_channels=max(1, int(block_in * 0.25)),
                    squeeze_activation="swish",
                    squeeze_gate="sigmoid",
                    dropout_rate=drop_connect_rate * count / total,
                    batch_norm_epsilon=1e-3,
                    batch_norm_momentum=0.99,
                    name=f"block{stage + 1}{chr(ord('a') + index)}",
                )(x)
                count += 1
            if stage in _PYRAMID_STAGES:
                pyramid[_PYRAMID_STAGES[stage]] = x
        x = keras.layers.Conv2D(
            _round_filters(1280, width), 1, use_bias=False, name="top_conv"
        )(x)
        x = keras.layers.BatchNormalization(name="top_bn")(x)
        x = keras.layers.Activation("swish", name="top_activation")(x)
        pyramid["P5"] = x
        outputs = backbone_lib.classification_head(
            x,
            include_top,
            pooling,
            classes,
            classifier_activation,
            dropout_rate=dropout_rate,
        )
        super().__init__(
            inputs=inputs,
            outputs=outputs,
            pyramid_outputs=pyramid,
            name=name or cls_name.lower(),
            **kwargs,
        )
        self._include_top = include_top
        self._arguments = dict(
            include_top=include_top,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            dropout_rate=float(dropout_rate),
            drop_connect_rate=float(drop_connect_rate),
        )
        if weights is not None:
            peer_name = f"EfficientNet{self.variant}"

            def peer():
                return getattr(keras.applications, peer_name)(
                    include_top=include_top,
                    weights=None,
                    input_shape=input_shape,
                    classes=classes,
                    classifier_activation=classifier_activation,
                )

            weights_lib.load_weights(
                self, weights, WEIGHT_NAME_SUFFIXES, peer, peer_name
            )

    def get_config(self):
        return backbone_lib.base_config(self, **self._arguments)


_DOC = """Instantiates the EfficientNet-{variant} architecture as a backbone.

    Inverted residual blocks (`InvertedResidualBlock`) with swish
    activations, squeeze-and-excitation and stochastic depth, scaled by
    width {width} and depth {depth} for {resolution}x{resolution} images;
    layer for layer the architecture of `keras.applications.EfficientNet{variant}`,
    whose weight files it loads. `P2`, `P3` and `P4` are the outputs of
    stages 2, 3 and 5 (the last blocks of strides 4, 8 and 16) and `P5`
    the activation of the final 1x1 convolution (stride 32).

    The model takes images in [0, 255]: it rescales them to [0, 1] and
    normalizes them with a `keras.layers.Normalization` whose mean and
    variance are part of the weights (identity when randomly initialized).

    Reference:
    - [Tan and Le, 2019, EfficientNet: Rethinking Model Scaling for
        Convolutional Neural Networks](https://arxiv.org/abs/1905.11946)

    Args:
        include_top: bool, whether to end with global average pooling,
            dropout and a `Dense(classes)` classifier (then `input_shape`
            must be `({resolution}, {resolution}, 3)` or None). Defaults to True.
        weights: None (random initialization) or the local path of a
            weights file: saved from this class, saved from
            `keras.applications.EfficientNet{variant}` with the same
            include_top and classes, or keras.applications' cached ImageNet
            `.h5` file; or "imagenet" (the ImageNet weights keras.applications publishes, same
            URL and hash, downloaded once into `$KERAS_HOME/models`; set
            `KERAS_APPLICATIONS_WEIGHTS_MIRROR` to use a mirror, or pass
            the local path of that `.h5` file offline).
        input_shape: tuple `(height, width, channels)`, channels last;
            height and width may be None. Defaults to
            `({resolution}, {resolution}, 3)` with the classifier and
            `(None, None, 3)` without.
        pooling: with `include_top=False`: None, `"avg"` or `"max"`.
        classes: int, number of classes of the classifier.
        classifier_activation: activation of the classifier, e.g.
            `"softmax"` or None for logits.
        dropout_rate: float, dropout before the classifier; None for the
            variant's default ({dropout}).
        drop_connect_rate: float, the stochastic depth rate of the last
            block (it grows linearly from 0 over the blocks).
        name: str, model name.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> model = keras_applications.EfficientNet{variant}(include_top=False, input_shape=(64, 64, 3))
    >>> model(np.zeros((1, 64, 64, 3), "float32")).shape[1:3]
    TensorShape([2, 2])
    >>> pyramid = model.get_pyramid_model(["P3", "P4", "P5"])
    """


def _make(variant):
    width, depth, resolution, dropout = _VARIANTS[variant]
    cls_name = f"EfficientNet{variant}"
    doc = _DOC.format(
        variant=variant,
        width=width,
        depth=depth,
        resolution=resolution,
        dropout=dropout,
    )
    cls = type(cls_name, (EfficientNetBackbone,), {"__doc__": doc, "variant": variant})
    cls.__module__ = __name__
    cls.__qualname__ = cls_name
    return api_export(f"keras_applications.{cls_name}", stability="stable", rfc=_RFC)(
        cls
    )


EfficientNetB0 = _make("B0")
EfficientNetB1 = _make("B1")
EfficientNetB2 = _make("B2")
EfficientNetB3 = _make("B3")
