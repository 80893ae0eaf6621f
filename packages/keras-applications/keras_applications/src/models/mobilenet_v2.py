# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""MobileNetV2 backbone."""

import keras

from keras_applications.src.layers.inverted_residual_block import InvertedResidualBlock
from keras_applications.src.models import backbone as backbone_lib
from keras_applications.src.models import weights as weights_lib
from keras_core import api_export

# (expansion, output filters, blocks, first stride) per stage.
_STAGES = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)
# Block index whose output is the last feature map of each stride.
_PYRAMID_BLOCKS = {2: "P2", 5: "P3", 12: "P4"}
# Our sub-layer suffixes -> keras.applications.MobileNetV2's.
WEIGHT_NAME_SUFFIXES = {
    "_expand_conv": "_expand",
    "_expand_bn": "_expand_BN",
    "_depthwise_conv": "_depthwise",
    "_depthwise_bn": "_depthwise_BN",
    "_project_conv": "_project",
    "_project_bn": "_project_BN",
}


def make_divisible(value, divisor=8):
    """Rounds a channel count to a multiple of `divisor`, losing at most 10%."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * value:
        rounded += divisor
    return rounded


@api_export(
    "keras_applications.MobileNetV2",
    stability="stable",
    rfc="20261122-keras-applications-backbones",
)
class MobileNetV2(backbone_lib.Backbone):
    """Instantiates the MobileNetV2 architecture as a backbone.

    A light network of 17 inverted residual blocks
    (`InvertedResidualBlock`, ReLU6), layer for layer the architecture of
    `keras.applications.MobileNetV2`, whose weight files it loads.
    Pyramid levels: `P2`, `P3`, `P4` are the outputs of blocks 2, 5 and 12
    (the last blocks of strides 4, 8, 16) and `P5` the final 1x1
    convolution's activation (stride 32).

    Inputs are expected in [-1, 1]
    (`keras.applications.mobilenet_v2.preprocess_input`), applied outside
    the model.

    Reference:
    - [Sandler et al., 2018, MobileNetV2: Inverted Residuals and Linear
        Bottlenecks](https://arxiv.org/abs/1801.04381)

    Args:
        include_top: bool, whether to end with global average pooling and a
            `Dense(classes)` classifier (then `input_shape` must be
            `(224, 224, 3)` or None). Defaults to True.
        weights: None (random initialization) or the local path of a
            weights file: saved from this class, saved from
            `keras.applications.MobileNetV2` with the same `alpha`,
            include_top and classes, or keras.applications' cached ImageNet
            `.h5` file; or "imagenet" (the ImageNet weights keras.applications publishes, same
            URL and hash, downloaded once into `$KERAS_HOME/models`; set
            `KERAS_APPLICATIONS_WEIGHTS_MIRROR` to use a mirror, or pass
            the local path of that `.h5` file offline).
        input_shape: tuple `(height, width, channels)`, channels last;
            height and width may be None. Defaults to `(224, 224, 3)` with
            the classifier and `(None, None, 3)` without.
        alpha: float, width multiplier of every layer (1.0 is the paper's
            network).
        pooling: with `include_top=False`: None, `"avg"` or `"max"`.
        classes: int, number of classes of the classifier.
        classifier_activation: activation of the classifier, e.g.
            `"softmax"` or None for logits.
        name: str, model name.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> model = keras_applications.MobileNetV2(include_top=False, input_shape=(64, 64, 3))
    >>> model(np.zeros((1, 64, 64, 3), "float32")).shape
    TensorShape([1, 2, 2, 1280])
    >>> model.get_pyramid_model(["P4", "P5"]).output["P4"].shape
    (None, 4, 4, 96)
    """

    def __init__(
        self,
        include_top=True,
        weights=None,
        input_shape=None,
        alpha=1.0,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=None,
        **kwargs,
    ):
        cls_name = type(self).__name__
        weights = backbone_lib.check_arguments(
            cls_name, include_top, weights, pooling, classes, classifier_activation
        )
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                f"`alpha` of {cls_name} must be a positive float (the width "
                f"multiplier, e.g. 0.5, 1.0, 1.4). Received: alpha={alpha!r}."
            )
        alpha = float(alpha)
        input_shape = backbone_lib.resolve_input_shape(
            cls_name, include_top, input_shape, 224
        )

        def bn(layer_name):
            return keras.layers.BatchNormalization(
                epsilon=1e-3, momentum=0.999, name=layer_name
            )

        inputs = keras.Input(shape=input_shape, name="images")
        x = keras.layers.Conv2D(
            make_divisible(32 * alpha),
            3,
            strides=2,
            padding="same",
            use_bias=False,
            name="Conv1",
        )(inputs)
        x = bn("bn_Conv1")(x)
        x = keras.layers.ReLU(6.0, name="Conv1_relu")(x)
        pyramid = {}
        block_id = 0
        for expansion, filters, blocks, first_stride in _STAGES:
            for index in range(blocks):
                x = InvertedResidualBlock(
                    make_divisible(int(filters * alpha)),
                    expansion_ratio=expansion,
                    strides=first_stride if index == 0 else 1,
                    activation="relu6",
                    batch_norm_epsilon=1e-3,
                    batch_norm_momentum=0.999,
                    name=f"block_{block_id}" if block_id else "expanded_conv",
                )(x)
                if block_id in _PYRAMID_BLOCKS:
                    pyramid[_PYRAMID_BLOCKS[block_id]] = x
                block_id += 1
        last_filters = make_divisible(1280 * alpha) if alpha > 1.0 else 1280
        x = keras.layers.Conv2D(last_filters, 1, use_bias=False, name="Conv_1")(x)
        x = bn("Conv_1_bn")(x)
        x = keras.layers.ReLU(6.0, name="out_relu")(x)
        pyramid["P5"] = x
        outputs = backbone_lib.classification_head(
            x, include_top, pooling, classes, classifier_activation
        )
        super().__init__(
            inputs=inputs,
            outputs=outputs,
            pyramid_outputs=pyramid,
            name=name or "mobilenetv2",
            **kwargs,
        )
        self._include_top = include_top
        self._input_shape_arg = input_shape
        self._alpha = alpha
        self._pooling = pooling
        self._classes = classes
        self._classifier_activation = classifier_activation
        if weights is not None:

            def peer():
                return keras.applications.MobileNetV2(
                    input_shape=input_shape,
                    alpha=alpha,
                    include_top=include_top,
                    weights=None,
                    classes=classes,
                    classifier_activation=classifier_activation,
                )

            weights_lib.load_weights(
                self, weights, WEIGHT_NAME_SUFFIXES, peer, "MobileNetV2"
            )

    def get_config(self):
        return backbone_lib.base_config(
            self,
            include_top=self._include_top,
            input_shape=self._input_shape_arg,
            alpha=self._alpha,
            pooling=self._pooling,
            classes=self._classes,
            classifier_activation=self._classifier_activation,
        )
