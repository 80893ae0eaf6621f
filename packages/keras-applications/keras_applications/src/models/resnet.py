# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ResNet v1 and v2 backbones (18, 34, 50, 101, 152 layers)."""

import keras

from keras_applications.src.layers.bottleneck_block import BottleneckBlock
from keras_applications.src.layers.max_pooling import MaxPooling2D
from keras_applications.src.layers.residual_block import ResidualBlock
from keras_applications.src.models import backbone as backbone_lib
from keras_applications.src.models import weights as weights_lib
from keras_core import api_export

_RFC = "20261122-keras-applications-backbones"
# depth -> (block class, blocks per stage)
_DEPTHS = {
    18: (ResidualBlock, (2, 2, 2, 2)),
    34: (ResidualBlock, (3, 4, 6, 3)),
    50: (BottleneckBlock, (3, 4, 6, 3)),
    101: (BottleneckBlock, (3, 4, 23, 3)),
    152: (BottleneckBlock, (3, 8, 36, 3)),
}
_STAGE_FILTERS = (64, 128, 256, 512)
_EPSILON = 1.001e-5
_VARIANTS = ("keras", "torchvision")


class ResNetBackbone(backbone_lib.Backbone):
    """ResNet of a given depth and version; see `ResNet50` for the arguments."""

    depth = None
    version = None

    def __init__(
        self,
        include_top=True,
        weights=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
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
        if variant == "torchvision" and self.version == 2:
            raise ValueError(
                f"{cls_name} has no torchvision variant (torchvision's ResNets "
                "are v1); use ResNet{self.depth}(variant='torchvision')."
            )
        torchvision = variant == "torchvision"
        epsilon = batch_norm_epsilon
        if epsilon is None:
            epsilon = 1e-5 if torchvision else _EPSILON
        weights = backbone_lib.check_arguments(
            cls_name, include_top, weights, pooling, classes, classifier_activation
        )
        input_shape = backbone_lib.resolve_input_shape(
            cls_name, include_top, input_shape, 224
        )
        block_cls, stage_blocks = _DEPTHS[self.depth]
        v2 = self.version == 2

        inputs = keras.Input(shape=input_shape, name="images")
        x = keras.layers.ZeroPadding2D(((3, 3), (3, 3)), name="conv1_pad")(inputs)
        x = keras.layers.Conv2D(
            64, 7, strides=2, use_bias=not torchvision, name="conv1_conv"
        )(x)
        if not v2:
            x = keras.layers.BatchNormalization(epsilon=epsilon, name="conv1_bn")(x)
            x = keras.layers.Activation("relu", name="conv1_relu")(x)
        x = keras.layers.ZeroPadding2D(((1, 1), (1, 1)), name="pool1_pad")(x)
        x = MaxPooling2D(3, strides=2, name="pool1_pool")(x)

        pyramid = {}
        for stage, (filters, blocks) in enumerate(zip(_STAGE_FILTERS, stage_blocks)):
            level = f"P{stage + 2}"
            for index in range(blocks):
                if v2:
                    # keras.applications' v2 layout: the last block of a stage
                    # downsamples (except in the last stage).
                    last = index == blocks - 1
                    strides = 2 if last and stage < 3 else 1
                    if last and stage < 3:
                        pyramid[level] = x
                else:
                    strides = 2 if index == 0 and stage > 0 else 1
                extra = {}
                if torchvision:
                    extra = {"stride_in_3x3": True, "use_bias": False}
                x = block_cls(
                    filters,
                    strides=strides,
                    preactivation=v2,
                    batch_norm_epsilon=epsilon,
                    name=f"conv{stage + 2}_block{index + 1}",
                    **extra,
                )(x)
            if not v2:
                pyramid[level] = x
        if v2:
            x = keras.layers.BatchNormalization(epsilon=epsilon, name="post_bn")(x)
            x = keras.layers.Activation("relu", name="post_relu")(x)
            pyramid["P5"] = x
        outputs = backbone_lib.classification_head(
            x, include_top, pooling, classes, classifier_activation
        )
        super().__init__(
            inputs=inputs,
            outputs=outputs,
            pyramid_outputs=pyramid,
            name=name or cls_name.lower(),
            **kwargs,
        )
        self._include_top = include_top
        self._input_shape_arg = input_shape
        self._pooling = pooling
        self._classes = classes
        self._classifier_activation = classifier_activation
        self._variant = variant
        self._batch_norm_epsilon = batch_norm_epsilon
        if weights is not None:
            weights_lib.load_weights(
                self, weights, {}, self._peer_factory(), self._peer_name()
            )

    def _peer_name(self):
        if self.depth in (18, 34):
            return None
        return f"ResNet{self.depth}" + ("V2" if self.version == 2 else "")

    def _peer_factory(self):
        peer_name = self._peer_name()
        if peer_name is None:
            return None

        def build():
            return getattr(keras.applications, peer_name)(
                include_top=self._include_top,
                weights=None,
                input_shape=self._input_shape_arg,
                classes=self._classes,
                classifier_activation=self._classifier_activation,
            )

        return build

    def get_config(self):
        config = backbone_lib.base_config(
            self,
            include_top=self._include_top,
            input_shape=self._input_shape_arg,
            pooling=self._pooling,
            classes=self._classes,
            classifier_activation=self._classifier_activation,
        )
        # Written only when set, so that default configs stay as they were.
        if self._variant != "keras":
            config["variant"] = self._variant
        if self._batch_norm_epsilon is not None:
            config["batch_norm_epsilon"] = self._batch_norm_epsilon
        return config


_DOC = """Instantiates the {title} architecture as a backbone.

    {summary}

    The model is a Keras Functional model. Its output is the classifier
    (`include_top=True`, 224x224x3 images) or the last feature map,
    optionally pooled. `pyramid_outputs` gives the feature maps of strides
    4 to 32 as `"P2"` ... `"P5"`, and `get_pyramid_model(levels)` a model
    returning them. {pyramid}

    Images are expected in the range the weights were trained with; the
    ImageNet weights of `keras.applications` expect
    `keras.applications.{preprocess}.preprocess_input` (caffe-style BGR mean
    subtraction), applied outside the model.

    Reference:
    - {reference}

    Args:
        include_top: bool, whether to end with global average pooling and a
            `Dense(classes)` classifier (then `input_shape` must be
            `(224, 224, 3)` or None). Defaults to True.
        weights: None (random initialization) or the local path of a
            weights file: one saved from this class (`.weights.h5`,
            `.keras`){compat}; or "imagenet" (the ImageNet weights keras.applications publishes, same
            URL and hash, downloaded once into `$KERAS_HOME/models`; set
            `KERAS_APPLICATIONS_WEIGHTS_MIRROR` to use a mirror, or pass
            the local path of that `.h5` file offline), for
            ResNet50/101/152 and their V2.
        input_shape: tuple `(height, width, channels)`, channels last;
            height and width may be None. Defaults to `(224, 224, 3)` with
            the classifier and `(None, None, 3)` without.
        pooling: with `include_top=False`: None (4D feature map), `"avg"`
            or `"max"` (global pooling to a 2D tensor).
        classes: int, number of classes of the classifier.
        classifier_activation: activation of the classifier, e.g.
            `"softmax"` or None for logits.
        name: str, model name.
        variant: `"keras"` (default), the layout of `keras.applications`,
            or `"torchvision"` (v1 only): the layout of torchvision's
            ResNets ("ResNet v1.5": bottleneck blocks stride with their 3x3
            convolution over a symmetric one-pixel padding, convolutions
            have no biases, batch-norm epsilon 1e-5), for converted
            torchvision weights (e.g. `keras_cv.convert.from_torchvision`).
            Layer names are the same in both.
        batch_norm_epsilon: float or None, the epsilon of every batch
            normalization; None uses the variant's (1.001e-5 for
            `"keras"`, 1e-5 for `"torchvision"`). torchvision's RetinaNet
            and Faster R-CNN COCO weights (v1) use 0.

    Examples:

    >>> import numpy as np
    >>> import keras_applications
    >>> model = keras_applications.{cls}(include_top=False, input_shape=(64, 64, 3))
    >>> model(np.zeros((1, 64, 64, 3), "float32")).shape
    TensorShape([1, 2, 2, {channels}])
    >>> features = model.get_pyramid_model(["P3", "P4", "P5"])
    """

_V1_REF = (
    "[He et al., 2015, Deep Residual Learning for Image Recognition]"
    "(https://arxiv.org/abs/1512.03385)"
)
_V2_REF = (
    "[He et al., 2016, Identity Mappings in Deep Residual Networks]"
    "(https://arxiv.org/abs/1603.05027)"
)
_V1_PYRAMID = "Each level is the output of the last block of a stage."
_V2_PYRAMID = (
    "As in `keras.applications`' ResNetV2, the last block of each of the "
    "first three stages downsamples, so `P2`-`P4` are the outputs of the "
    "block before it (pre-activation sums) and `P5` the final, batch "
    "normalized and ReLU-activated map."
)


def _make(depth, version):
    v2 = version == 2
    cls_name = f"ResNet{depth}" + ("V2" if v2 else "")
    basic = depth in (18, 34)
    if basic:
        summary = (
            f"ResNet-{depth} with basic blocks (two 3x3 convolutions, "
            "`ResidualBlock`), stage depths from Table 1 of He et al. 2015"
            + (", in the pre-activation ordering of He et al. 2016." if v2 else ".")
            + " `keras.applications` has no such model; the stem, stage "
            "widths and layer names follow its ResNet50."
        )
        compat = ""
    else:
        summary = (
            f"ResNet-{depth} {'v2 ' if v2 else ''}with bottleneck blocks "
            "(`BottleneckBlock`), layer for layer the architecture of "
            f"`keras.applications.{cls_name}`."
        )
        compat = (
            f", one saved from `keras.applications.{cls_name}` with the same "
            "include_top and classes, or the ImageNet file keras.applications "
            "caches in `~/.keras/models/`"
        )
    doc = _DOC.format(
        title=f"ResNet-{depth} {'v2' if v2 else 'v1'}",
        summary=summary,
        pyramid=_V2_PYRAMID if v2 else _V1_PYRAMID,
        preprocess="resnet_v2" if v2 else "resnet",
        reference=(_V1_REF + "\n    - " + _V2_REF) if v2 else _V1_REF,
        compat=compat,
        cls=cls_name,
        channels=512 if basic else 2048,
    )
    cls = type(
        cls_name,
        (ResNetBackbone,),
        {"__doc__": doc, "depth": depth, "version": version},
    )
    cls.__module__ = __name__
    cls.__qualname__ = cls_name
    return api_export(f"keras_applications.{cls_name}", stability="stable", rfc=_RFC)(
        cls
    )


ResNet18 = _make(18, 1)
ResNet34 = _make(34, 1)
ResNet50 = _make(50, 1)
ResNet101 = _make(101, 1)
ResNet152 = _make(152, 1)
ResNet18V2 = _make(18, 2)
ResNet34V2 = _make(34, 2)
ResNet50V2 = _make(50, 2)
ResNet101V2 = _make(101, 2)
ResNet152V2 = _make(152, 2)
