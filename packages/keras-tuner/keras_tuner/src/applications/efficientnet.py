# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`HyperEfficientNet`: a classifier on a searched Keras EfficientNet B0-B7."""

from keras_core import api_export
from keras_tuner.src.applications.image_inputs import check_image_arguments
from keras_tuner.src.applications.image_inputs import image_inputs
from keras_tuner.src.engine.hypermodel import HyperModel

# Image size each EfficientNet variant was designed for (images are resized
# to it inside the model).
IMAGE_SIZES = {
    "B0": 224,
    "B1": 240,
    "B2": 260,
    "B3": 300,
    "B4": 380,
    "B5": 456,
    "B6": 528,
    "B7": 600,
}


def _efficientnet(version):
    import keras

    return getattr(keras.applications, f"EfficientNet{version}")


@api_export("keras_tuner.applications.HyperEfficientNet", stability="experimental")
class HyperEfficientNet(HyperModel):
    """A searchable image classifier on Keras' EfficientNet (B0 to B7).

    The images (optionally through `augmentation_model`) are resized to the
    size of the chosen variant and fed to `keras.applications.EfficientNetB*`
    without its top (which expects pixel values in [0, 255]); then global
    pooling, dropout and a softmax `Dense(classes)`. Hyperparameters (names
    and defaults as in keras-tuner 1.4):

    - `version`: `"B0"` (default) to `"B7"`.
    - `pooling`: `"avg"` (default) or `"max"`.
    - `top_dropout_rate`: 0.2 (default) to 0.8 in steps of 0.2.
    - `learning_rate`: 0.1, 0.01 (default) or 0.001, of SGD with momentum
      0.1; the model is compiled with categorical cross-entropy (one-hot
      labels) and accuracy. Override `compile_model(model, hp)` to compile
      differently (keras-tuner 1.4's `_compile` override still works).

    The model is named `"EfficientNet"`.

    Args:
        input_shape: shape of one image, e.g. `(224, 224, 3)`. One of
            `input_shape` and `input_tensor` is required.
        input_tensor: a Keras tensor (e.g. `keras.Input((224, 224, 3))`)
            to build on.
        classes: number of classes (required).
        augmentation_model: None, a `keras.Model` applied to the images
            first, or a `HyperModel` (e.g. `HyperImageAugment`) whose
            model is built with the same hyperparameters.
        weights: None (random initialisation, the default) or
            `"imagenet"`: start from Keras' ImageNet weights (downloaded
            once per variant; keras-tuner 1.4 always did this).
        **kwargs: `HyperModel` arguments (`name`, `tunable`).

    Example:

    >>> import keras_tuner as kt
    >>> hp = kt.HyperParameters()
    >>> model = kt.applications.HyperEfficientNet(
    ...     input_shape=(32, 32, 3), classes=10).build(hp)
    >>> model.name, model.output_shape
    ('EfficientNet', (None, 10))
    >>> hp.values["version"], hp.values["top_dropout_rate"]
    ('B0', 0.2)
    """

    def __init__(
        self,
        input_shape=None,
        input_tensor=None,
        classes=None,
        augmentation_model=None,
        weights=None,
        **kwargs,
    ):
        import keras

        if augmentation_model is not None and not isinstance(
            augmentation_model, (HyperModel, keras.Model)
        ):
            raise ValueError(
                "`augmentation_model` must be a `keras_tuner.HyperModel`, a "
                "`keras.Model` or None. Received: augmentation_model="
                f"{augmentation_model!r} (of type {type(augmentation_model).__name__})."
            )
        if weights not in (None, "imagenet"):
            raise ValueError(
                "`weights` must be None (random initialisation) or 'imagenet'. "
                f"Received: weights={weights!r}."
            )
        check_image_arguments(input_shape, input_tensor, classes, True)
        super().__init__(**kwargs)
        self.input_shape = input_shape
        self.input_tensor = input_tensor
        self.classes = classes
        self.augmentation_model = augmentation_model
        self.weights = weights

    def build(self, hp):
        import keras

        layers = keras.layers
        inputs, x = image_inputs(self.input_shape, self.input_tensor)
        augmentation = self.augmentation_model
        if isinstance(augmentation, HyperModel):
            augmentation = augmentation.build(hp)
        if augmentation is not None:
            x = augmentation(x)

        version = hp.Choice("version", list(IMAGE_SIZES), default="B0")
        size = IMAGE_SIZES[version]
        x = layers.Resizing(size, size, interpolation="bilinear")(x)
        backbone = _efficientnet(version)(
            include_top=False, weights=self.weights, input_tensor=x
        )
        x = backbone.output

        pooling = hp.Choice("pooling", ["avg", "max"], default="avg")
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        else:
            x = layers.GlobalMaxPooling2D(name="max_pool")(x)
        rate = hp.Float("top_dropout_rate", 0.2, 0.8, step=0.2, default=0.2)
        x = layers.Dropout(rate, name="top_dropout")(x)
        outputs = layers.Dense(self.classes, activation="softmax", name="probs")(x)
        model = keras.Model(inputs, outputs, name="EfficientNet")
        self._compile(model, hp)
        return model

    def compile_model(self, model, hp):
        """Compiles the built `model`; override to change the training setup.

        The default declares `learning_rate` (0.1, 0.01 (default), 0.001)
        and compiles with SGD (momentum 0.1), categorical cross-entropy and
        accuracy.

        Args:
            model: the uncompiled `keras.Model` built by `build`.
            hp: the trial's `HyperParameters`.
        """
        import keras

        learning_rate = hp.Choice("learning_rate", [0.1, 0.01, 0.001], default=0.01)
        model.compile(
            optimizer=keras.optimizers.SGD(momentum=0.1, learning_rate=learning_rate),
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )

    def _compile(self, model, hp):
        # keras-tuner 1.4's override point; subclasses written for 1.4
        # override this name, newer ones `compile_model`.
        self.compile_model(model, hp)
