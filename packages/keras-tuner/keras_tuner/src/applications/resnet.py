# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`HyperResNet`: ResNet v1, v2 or ResNeXt with searched stage depths."""

from keras_core import api_export
from keras_tuner.src.applications import keras_resnet
from keras_tuner.src.applications.image_inputs import check_image_arguments
from keras_tuner.src.applications.image_inputs import image_inputs
from keras_tuner.src.engine.hypermodel import HyperModel

# Filters of the bottleneck of each stage, and the stride of its first block.
_STAGE_FILTERS = {"v1": (64, 128, 256, 512), "v2": (64, 128, 256, 512)}
_RESNEXT_FILTERS = (64, 256, 512, 1024)
_RESNEXT_GROUPS = 32


def _resnext_block(x, filters, stride, conv_shortcut, name):
    """A ResNeXt bottleneck: 1x1, grouped 3x3 (32 groups), 1x1 to 2*filters."""
    import keras

    layers = keras.layers
    axis = -1 if keras.config.image_data_format() == "channels_last" else 1
    out_filters = 2 * filters

    def batch_norm(suffix):
        return layers.BatchNormalization(
            axis=axis, epsilon=1.001e-5, name=f"{name}_{suffix}_bn"
        )

    if conv_shortcut:
        shortcut = layers.Conv2D(
            out_filters, 1, strides=stride, use_bias=False, name=f"{name}_0_conv"
        )(x)
        shortcut = batch_norm("0")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_1_conv")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(batch_norm("1")(x))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(
        filters,
        3,
        strides=stride,
        groups=_RESNEXT_GROUPS,
        use_bias=False,
        name=f"{name}_2_conv",
    )(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(batch_norm("2")(x))
    x = layers.Conv2D(out_filters, 1, use_bias=False, name=f"{name}_3_conv")(x)
    x = batch_norm("3")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def _resnext_stack(x, filters, blocks, stride1=2, name=None):
    x = _resnext_block(x, filters, stride1, True, f"{name}_block1")
    for i in range(2, blocks + 1):
        x = _resnext_block(x, filters, 1, False, f"{name}_block{i}")
    return x


@api_export("keras_tuner.applications.HyperResNet", stability="experimental")
class HyperResNet(HyperModel):
    """A searchable ResNet image classifier (ResNet v1, v2 or ResNeXt).

    Builds on Keras' ResNet (`keras.applications.ResNet50` and family, with
    random weights): the stem and the first and last stage are those of
    ResNet-50; the depth of the two middle stages and the variant are
    searched, as in keras-tuner 1.4:

    - `version`: `"v1"`, `"v2"` (pre-activation, default) or `"next"`
      (ResNeXt, 32-group convolutions).
    - `conv3_depth`: blocks in the third stage, 4 (default) or 8.
    - `conv4_depth`: blocks in the fourth stage, 6 (default), 23 or 36.
    - `pooling`: global `"avg"` (default) or `"max"` pooling.
    - With `include_top=True`, also `optimizer` (`"adam"` (default),
      `"rmsprop"`, `"sgd"`) and `learning_rate` (0.1, 0.01 (default),
      0.001): the model ends with a softmax `Dense(classes)` and is
      compiled with categorical cross-entropy (one-hot labels) and accuracy.

    With `include_top=False` the model returns the pooled features and is
    not compiled. The model is named `"ResNet"`.

    Args:
        include_top: whether to add the softmax classifier and compile.
        input_shape: shape of one image, e.g. `(224, 224, 3)`, at least
            32 pixels each side. One of `input_shape` and `input_tensor`
            is required.
        input_tensor: a Keras tensor (e.g. `keras.Input((224, 224, 3))`)
            to build on.
        classes: number of classes; required when `include_top=True`.
        **kwargs: `HyperModel` arguments (`name`, `tunable`).

    Example:

    >>> import keras_tuner as kt
    >>> hp = kt.HyperParameters()
    >>> hp.Fixed("version", "v1")
    'v1'
    >>> model = kt.applications.HyperResNet(
    ...     input_shape=(32, 32, 3), classes=10).build(hp)
    >>> model.name, model.output_shape
    ('ResNet', (None, 10))
    >>> hp.values["conv3_depth"], hp.values["conv4_depth"], hp.values["pooling"]
    (4, 6, 'avg')
    """

    def __init__(
        self,
        include_top=True,
        input_shape=None,
        input_tensor=None,
        classes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_image_arguments(input_shape, input_tensor, classes, include_top)
        self.include_top = include_top
        self.input_shape = input_shape
        self.input_tensor = input_tensor
        self.classes = classes

    def build(self, hp):
        import keras

        version = hp.Choice("version", ["v1", "v2", "next"], default="v2")
        conv3_depth = hp.Choice("conv3_depth", [4, 8])
        conv4_depth = hp.Choice("conv4_depth", [6, 23, 36])
        pooling = hp.Choice("pooling", ["avg", "max"], default="avg")
        depths = (3, conv3_depth, conv4_depth, 3)

        if version == "next":
            filters, stack = _RESNEXT_FILTERS, _resnext_stack
        elif version == "v1":
            filters, stack = _STAGE_FILTERS["v1"], keras_resnet.stack_v1
        else:
            filters, stack = _STAGE_FILTERS["v2"], keras_resnet.stack_v2
        # v1 and ResNeXt downsample in the first block of stages 3 to 5,
        # v2 in the last block of stages 2 to 4 (as Keras' ResNet50V2).
        strides = (1, 2, 2, 2) if version != "v2" else (2, 2, 2, 1)

        def stack_fn(x):
            for stage, (f, blocks, stride) in enumerate(
                zip(filters, depths, strides), start=2
            ):
                x = stack(x, f, blocks, stride1=stride, name=f"conv{stage}")
            return x

        inputs, x = image_inputs(self.input_shape, self.input_tensor)
        backbone = keras_resnet.resnet(
            stack_fn,
            preact=version == "v2",
            use_bias=version != "next",
            input_tensor=x,
            pooling=pooling,
            name="ResNet",
        )
        if not self.include_top:
            return keras.Model(inputs, backbone.output, name="ResNet")
        outputs = keras.layers.Dense(self.classes, activation="softmax", name="probs")(
            backbone.output
        )
        model = keras.Model(inputs, outputs, name="ResNet")
        optimizer = keras.optimizers.get(
            hp.Choice("optimizer", ["adam", "rmsprop", "sgd"], default="adam")
        )
        optimizer.learning_rate = hp.Choice(
            "learning_rate", [0.1, 0.01, 0.001], default=0.01
        )
        model.compile(
            optimizer=optimizer,
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )
        return model
