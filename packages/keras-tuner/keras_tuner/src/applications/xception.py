# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`HyperXception`: an Xception-style classifier with searched width and depth."""

from keras_core import api_export
from keras_tuner.src.applications.image_inputs import check_image_arguments
from keras_tuner.src.applications.image_inputs import image_inputs
from keras_tuner.src.engine.hypermodel import HyperModel


def _activation_block(layer, x, activation):
    """`layer` then its activation: SELU self-normalises (no batch norm)."""
    import keras

    x = layer(x)
    if activation == "relu":
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.Activation("relu")(x)
    return x


def _layer_options(activation):
    """Keyword arguments of a convolution or dense layer for `activation`."""
    if activation == "selu":
        return {"activation": "selu", "use_bias": True}
    return {"use_bias": False}


def _separable_conv(x, filters, activation):
    import keras

    options = _layer_options(activation)
    if activation == "selu":
        options.update(
            depthwise_initializer="lecun_normal",
            pointwise_initializer="lecun_normal",
        )
    layer = keras.layers.SeparableConv2D(filters, 3, padding="same", **options)
    return _activation_block(layer, x, activation)


def _residual_block(x, filters, activation, downsample):
    """Two separable convolutions plus a shortcut; halves the size if asked."""
    import keras

    channels = x.shape[-1 if keras.config.image_data_format() == "channels_last" else 1]
    if downsample:
        shortcut = keras.layers.Conv2D(filters, 1, strides=2, padding="same")(x)
    elif channels != filters:
        shortcut = keras.layers.Conv2D(filters, 1, padding="same")(x)
    else:
        shortcut = x
    x = _separable_conv(x, filters, activation)
    x = _separable_conv(x, filters, activation)
    if downsample:
        x = keras.layers.MaxPooling2D(3, strides=2, padding="same")(x)
    return keras.layers.Add()([x, shortcut])


@api_export("keras_tuner.applications.HyperXception", stability="experimental")
class HyperXception(HyperModel):
    """A searchable Xception-style image classifier.

    The network of Chollet, "Xception: Deep Learning with Depthwise
    Separable Convolutions" (2017), reduced to what keras-tuner 1.4
    searched: a strided entry convolution, a middle flow of residual blocks
    of two separable convolutions, one downsampling exit block, pooling and
    a dense top. Keras' fixed-size `keras.applications.Xception` has none
    of these knobs, so the network is assembled here from Keras layers.
    Hyperparameters (names and defaults as in keras-tuner 1.4):

    - `activation`: `"relu"` (with batch norm, default) or `"selu"`.
    - `conv2d_num_filters`: 32, 64 (default) or 128 filters of the entry
      convolution; `kernel_size`: 3 (default) or 5; `initial_strides`: 2.
    - `sep_num_filters`: 128 to 768 in steps of 128 (default 256) filters
      of the middle flow (the exit block has twice as many);
      `num_residual_blocks`: 2 to 8 (default 4).
    - `pooling`: `"avg"` (default), `"flatten"` or `"max"`.
    - With `include_top=True`: `num_dense_layers` 1 to 3 (default 1) of
      `classes` units, `dropout_rate` 0 to 0.6 (default 0.5),
      `dense_use_bn` (default True), and `learning_rate` of Adam: 1e-3
      (default), 1e-4 or 1e-5. The model ends with a softmax
      `Dense(classes)` and is compiled with categorical cross-entropy
      (one-hot labels) and accuracy.

    With `include_top=False` the model returns the pooled features and is
    not compiled. The model is named `"Xception"`.

    Args:
        include_top: whether to add the dense top and compile.
        input_shape: shape of one image, e.g. `(128, 128, 3)`. One of
            `input_shape` and `input_tensor` is required.
        input_tensor: a Keras tensor (e.g. `keras.Input((128, 128, 3))`)
            to build on.
        classes: number of classes; required when `include_top=True`.
        **kwargs: `HyperModel` arguments (`name`, `tunable`).

    Example:

    >>> import keras_tuner as kt
    >>> hp = kt.HyperParameters()
    >>> model = kt.applications.HyperXception(
    ...     input_shape=(32, 32, 3), classes=10).build(hp)
    >>> model.name, model.output_shape
    ('Xception', (None, 10))
    >>> hp.values["sep_num_filters"], hp.values["num_residual_blocks"]
    (256, 4)
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

        layers = keras.layers
        activation = hp.Choice("activation", ["relu", "selu"])
        inputs, x = image_inputs(self.input_shape, self.input_tensor)

        # Entry flow.
        entry_filters = hp.Choice("conv2d_num_filters", [32, 64, 128], default=64)
        kernel_size = hp.Choice("kernel_size", [3, 5])
        strides = hp.Choice("initial_strides", [2])
        options = _layer_options(activation)
        if activation == "selu":
            options["kernel_initializer"] = "lecun_normal"
        entry = layers.Conv2D(
            entry_filters, kernel_size, strides=strides, padding="same", **options
        )
        x = _activation_block(entry, x, activation)

        # Middle flow, then one downsampling exit block twice as wide.
        filters = hp.Int("sep_num_filters", 128, 768, step=128, default=256)
        for _ in range(hp.Int("num_residual_blocks", 2, 8, default=4)):
            x = _residual_block(x, filters, activation, downsample=False)
        x = _residual_block(x, 2 * filters, activation, downsample=True)

        pooling = hp.Choice("pooling", ["avg", "flatten", "max"])
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        else:
            x = layers.Flatten()(x)
        if not self.include_top:
            return keras.Model(inputs, x, name="Xception")

        num_dense = hp.Int("num_dense_layers", 1, 3)
        dropout_rate = hp.Float("dropout_rate", 0.0, 0.6, step=0.1, default=0.5)
        use_batch_norm = hp.Choice("dense_use_bn", [True, False])
        for _ in range(num_dense):
            if activation == "selu":
                x = layers.Dense(
                    self.classes, activation="selu", kernel_initializer="lecun_normal"
                )(x)
            else:
                x = layers.Dense(self.classes, activation="relu")(x)
                if use_batch_norm:
                    x = layers.BatchNormalization()(x)
            if dropout_rate:
                x = layers.Dropout(dropout_rate)(x)
        outputs = layers.Dense(self.classes, activation="softmax")(x)
        model = keras.Model(inputs, outputs, name="Xception")
        model.compile(
            optimizer=keras.optimizers.Adam(
                hp.Choice("learning_rate", [1e-3, 1e-4, 1e-5])
            ),
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )
        return model
