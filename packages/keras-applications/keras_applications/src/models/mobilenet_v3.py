# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""MobileNetV3 Small and Large backbones."""

import keras

from keras_applications.src.layers.inverted_residual_block import InvertedResidualBlock
from keras_applications.src.models import backbone as backbone_lib
from keras_applications.src.models import weights as weights_lib
from keras_applications.src.models.mobilenet_v2 import make_divisible
from keras_core import api_export

_RFC = "20261122-keras-applications-backbones"
# (expansion, filters, kernel, stride, squeeze-excite, activation) per block;
# "act" is hard-swish (or ReLU when minimalistic).
_LARGE = (
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, 5, 2, True, "relu"),
    (3, 40, 5, 1, True, "relu"),
    (3, 40, 5, 1, True, "relu"),
    (6, 80, 3, 2, False, "act"),
    (2.5, 80, 3, 1, False, "act"),
    (2.3, 80, 3, 1, False, "act"),
    (2.3, 80, 3, 1, False, "act"),
    (6, 112, 3, 1, True, "act"),
    (6, 112, 3, 1, True, "act"),
    (6, 160, 5, 2, True, "act"),
    (6, 160, 5, 1, True, "act"),
    (6, 160, 5, 1, True, "act"),
)
_SMALL = (
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, 5, 2, True, "act"),
    (6, 40, 5, 1, True, "act"),
    (6, 40, 5, 1, True, "act"),
    (3, 48, 5, 1, True, "act"),
    (3, 48, 5, 1, True, "act"),
    (6, 96, 5, 2, True, "act"),
    (6, 96, 5, 1, True, "act"),
    (6, 96, 5, 1, True, "act"),
)
# Blocks whose outputs are P2, P3 and P4 (the last of strides 4, 8, 16).
_PYRAMID_BLOCKS = {
    "large": {2: "P2", 5: "P3", 11: "P4"},
    "small": {0: "P2", 2: "P3", 7: "P4"},
}
_LAST_POINT_CHANNELS = {"large": 1280, "small": 1024}
_VARIANTS = ("keras", "torchvision")
# torchvision's ImageNet statistics (pixels in [0, 1]).
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)
WEIGHT_NAME_SUFFIXES = {
    "_expand_conv": "_expand",
    "_depthwise_conv": "_depthwise",
    "_se_reduce": "_squeeze_excite_conv",
    "_se_expand": "_squeeze_excite_conv_1",
    "_project_conv": "_project",
}


class MobileNetV3Backbone(backbone_lib.Backbone):
    """MobileNetV3 of a given size; see `MobileNetV3Large` for the arguments."""

    size = None

    def __init__(
        self,
        include_top=True,
        weights=None,
        input_shape=None,
        alpha=1.0,
        minimalistic=False,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        dropout_rate=0.2,
        include_preprocessing=True,
        name=None,
        variant="keras",
        batch_norm_epsilon=None,
        **kwargs,
    ):
        cls_name = type(self).__name__
        if variant not in _VARIANTS:
            raise ValueError(
                f"`variant` of {cls_name} must be one of {_VARIANTS}. "
                f"Received: variant={variant!r}."
            )
        torchvision = variant == "torchvision"
        if torchvision and (alpha != 1.0 or minimalistic):
            raise ValueError(
                f"The torchvision variant of {cls_name} has the width and "
                "blocks of torchvision's models: `alpha` must be 1.0 and "
                f"`minimalistic` False. Received: alpha={alpha!r}, "
                f"minimalistic={minimalistic!r}."
            )
        if torchvision and weights is not None:
            raise ValueError(
                f"`weights` of the torchvision variant of {cls_name} must be "
                "None (build it, then assign weights converted from a "
                "torchvision checkpoint, as keras-cv's "
                "`keras_cv.convert.from_torchvision` does for detectors). "
                f"Received: weights={weights!r}."
            )
        if batch_norm_epsilon is not None and (
            isinstance(batch_norm_epsilon, bool)
            or not isinstance(batch_norm_epsilon, (int, float))
            or batch_norm_epsilon < 0
        ):
            raise ValueError(
                f"`batch_norm_epsilon` of {cls_name} must be None or a "
                "non-negative float, e.g. 1e-5 for torchvision's frozen batch "
                f"norms. Received: batch_norm_epsilon={batch_norm_epsilon!r}."
            )
        epsilon = 1e-3 if batch_norm_epsilon is None else float(batch_norm_epsilon)
        weights = backbone_lib.check_arguments(
            cls_name, include_top, weights, pooling, classes, classifier_activation
        )
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                f"`alpha` of {cls_name} must be a positive float (the width "
                f"multiplier). Received: alpha={alpha!r}."
            )
        for arg, value in (
            ("minimalistic", minimalistic),
            ("include_preprocessing", include_preprocessing),
        ):
            if not isinstance(value, bool):
                raise TypeError(
                    f"`{arg}` of {cls_name} must be a bool. Received: {arg}={value!r}."
                )
        if (
            isinstance(dropout_rate, bool)
            or not isinstance(dropout_rate, (int, float))
            or not 0 <= dropout_rate < 1
        ):
            raise ValueError(
                f"`dropout_rate` of {cls_name} must be in [0, 1). Received: dropout_rate={dropout_rate!r}."
            )
        alpha = float(alpha)
        input_shape = backbone_lib.resolve_input_shape(
            cls_name, include_top, input_shape, 224
        )
        act = "relu" if minimalistic else "hard_swish"

        def bn(layer_name):
            return keras.layers.BatchNormalization(
                epsilon=epsilon, momentum=0.999, name=layer_name
            )

        def activation(layer_name):
            return keras.layers.Activation(act, name=layer_name)

        inputs = keras.Input(shape=input_shape, name="images")
        x = inputs
        if include_preprocessing and torchvision:
            x = keras.layers.Normalization(
                mean=[255.0 * m for m in _IMAGENET_MEAN],
                variance=[(255.0 * s) ** 2 for s in _IMAGENET_STD],
                name="normalization",
            )(x)
        elif include_preprocessing:
            x = keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name="rescaling")(x)
        if torchvision:  # PyTorch's padding: one pixel on every side
            x = keras.layers.ZeroPadding2D(1, name="conv_pad")(x)
        x = keras.layers.Conv2D(
            16,
            3,
            strides=2,
            padding="valid" if torchvision else "same",
            use_bias=False,
            name="conv",
        )(x)
        x = bn("conv_bn")(x)
        x = activation("conv_activation")(x)
        pyramid = {}
        levels = _PYRAMID_BLOCKS[self.size]
        for block_id, (expansion, filters, kernel, stride, se, block_act) in enumerate(
            _LARGE if self.size == "large" else _SMALL
        ):
            if minimalistic:
                kernel, se, block_act = 3, False, "relu"
            in_channels = x.shape[-1]
            expanded = make_divisible(in_channels * expansion)
            x = InvertedResidualBlock(
                make_divisible(filters * alpha),
                # Expressed so that round(in_channels * ratio) == expanded.
                expansion_ratio=expanded / in_channels if block_id else 1.0,
                kernel_size=kernel,
                strides=stride,
                activation=act if block_act == "act" else "relu",
                squeeze_channels=make_divisible(expanded * 0.25) if se else None,
                squeeze_activation="relu",
                squeeze_gate="hard_sigmoid",
                batch_norm_epsilon=epsilon,
                batch_norm_momentum=0.999,
                padding="symmetric" if torchvision else "same",
                name=f"expanded_conv_{block_id}" if block_id else "expanded_conv",
            )(x)
            if block_id in levels:
                pyramid[levels[block_id]] = x
        x = keras.layers.Conv2D(
            make_divisible(x.shape[-1] * 6), 1, use_bias=False, name="conv_1"
        )(x)
        x = bn("conv_1_bn")(x)
        x = activation("conv_1_activation")(x)
        pyramid["P5"] = x
        if include_top:
            last_point = _LAST_POINT_CHANNELS[self.size]
            if alpha > 1.0:
                last_point = make_divisible(last_point * alpha)
            x = keras.layers.GlobalAveragePooling2D(keepdims=True, name="avg_pool")(x)
            x = keras.layers.Conv2D(last_point, 1, name="conv_2")(x)
            x = activation("conv_2_activation")(x)
            if dropout_rate > 0:
                x = keras.layers.Dropout(dropout_rate, name="top_dropout")(x)
            x = keras.layers.Conv2D(classes, 1, name="logits")(x)
            x = keras.layers.Flatten(name="flatten")(x)
            outputs = keras.layers.Activation(
                classifier_activation, name="predictions"
            )(x)
        else:
            layer = backbone_lib.pooling_layer(pooling)
            outputs = layer(x) if layer is not None else x
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
            alpha=alpha,
            minimalistic=minimalistic,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            dropout_rate=float(dropout_rate),
            include_preprocessing=include_preprocessing,
        )
        # Written to the config only when set: older configs stay the same.
        if variant != "keras":
            self._arguments["variant"] = variant
        if batch_norm_epsilon is not None:
            self._arguments["batch_norm_epsilon"] = epsilon
        if weights is not None:
            peer_name = (
                "MobileNetV3Large" if self.size == "large" else "MobileNetV3Small"
            )

            def peer():
                arguments = dict(self._arguments, weights=None)
                return getattr(keras.applications, peer_name)(**arguments)

            weights_lib.load_weights(
                self, weights, WEIGHT_NAME_SUFFIXES, peer, peer_name
            )

    def get_config(self):
        return backbone_lib.base_config(self, **self._arguments)


_DOC = """Instantiates the MobileNetV3-{title} architecture as a backbone.

    Inverted residual blocks (`InvertedResidualBlock`) with hard-swish
    activations and hard-sigmoid squeeze-and-excitation, layer for layer
    the architecture of `keras.applications.MobileNetV3{title}`, whose
    Keras 3 weight files it loads. {pyramid} `P5` is the activation of the
    final 1x1 convolution (stride 32).

    With `include_preprocessing=True` (default) the model takes images in
    [0, 255] and rescales them to [-1, 1] itself.

    Reference:
    - [Howard et al., 2019, Searching for MobileNetV3](
        https://arxiv.org/abs/1905.02244)

    Args:
        include_top: bool, whether to end with the classification head
            (pooling, 1x1 convolution, dropout, logits); then `input_shape`
            must be `(224, 224, 3)` or None. Defaults to True.
        weights: None (random initialization) or the local path of a
            weights file saved from this class or from
            `keras.applications.MobileNetV3{title}` with the same arguments; or
            "imagenet" (the ImageNet weights keras.applications publishes, same
            URL and hash, downloaded once into `$KERAS_HOME/models`; set
            `KERAS_APPLICATIONS_WEIGHTS_MIRROR` to use a mirror, or pass
            the local path of that `.h5` file offline).
        input_shape: tuple `(height, width, channels)`, channels last;
            height and width may be None. Defaults to `(224, 224, 3)` with
            the classifier and `(None, None, 3)` without.
        alpha: float, width multiplier of the blocks.
        minimalistic: bool, the variant without squeeze-and-excitation,
            hard-swish and 5x5 kernels.
        pooling: with `include_top=False`: None, `"avg"` or `"max"`.
        classes: int, number of classes of the classifier.
        classifier_activation: activation of the classifier, e.g.
            `"softmax"` or None for logits.
        dropout_rate: float, dropout before the logits.
        include_preprocessing: bool, rescale [0, 255] inputs to [-1, 1]
            (to torchvision's ImageNet normalisation, `(x / 255 - mean) /
            std`, in the torchvision variant).
        name: str, model name.
        variant: `"keras"` (default), the layout of `keras.applications`,
            or `"torchvision"`, the layout of torchvision's
            `mobilenet_v3_{lower}` (strided convolutions padded by
            `(kernel_size - 1) // 2` pixels on every side, as PyTorch; the
            rest is identical), for weights converted from torchvision
            checkpoints. Requires
            `alpha=1.0` and `minimalistic=False`.
        batch_norm_epsilon: float or None, the epsilon of every batch
            normalization; None (default) uses 1e-3, torchvision's
            classification epsilon. torchvision's detection backbones use
            frozen batch norms with 1e-5.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> model = keras_applications.MobileNetV3{title}(include_top=False, input_shape=(64, 64, 3))
    >>> model(np.zeros((1, 64, 64, 3), "float32")).shape[1:3]
    TensorShape([2, 2])
    >>> pyramid = model.get_pyramid_model(["P3", "P4", "P5"])
    """


def _make(size):
    title = size.capitalize()
    cls_name = f"MobileNetV3{title}"
    levels = _PYRAMID_BLOCKS[size]
    pyramid = (
        "`P2`, `P3` and `P4` are the outputs of blocks "
        f"{', '.join(str(b) for b in sorted(levels))} (the last blocks of strides 4, 8 and 16)."
    )
    cls = type(
        cls_name,
        (MobileNetV3Backbone,),
        {
            "__doc__": _DOC.format(title=title, pyramid=pyramid, lower=size),
            "size": size,
        },
    )
    cls.__module__ = __name__
    cls.__qualname__ = cls_name
    return api_export(f"keras_applications.{cls_name}", stability="stable", rfc=_RFC)(
        cls
    )


MobileNetV3Small = _make("small")
MobileNetV3Large = _make("large")
