# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`HyperImageAugment`: a searchable image-augmentation model."""

import numbers

from keras_core import api_export
from keras_tuner.src.engine.hypermodel import HyperModel

# (name, default largest factor) of each transform, in the order applied.
_TRANSFORMS = (
    ("rotate", 0.5),
    ("translate_x", 0.4),
    ("translate_y", 0.4),
    ("contrast", 0.3),
)


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _factor_range(name, value):
    """(low, high) of a transform's factor from a number or a pair, or None."""
    if value is None or value is False:
        return None
    if _is_number(value):
        if not 0 <= value <= 1:
            raise ValueError(
                f"`{name}` must lie in [0, 1]. Received: {name}={value!r}."
            )
        return (0, value)
    if isinstance(value, (list, tuple)):
        if len(value) > 2:
            raise ValueError(
                f"`{name}` takes one number or a [low, high] pair; its length "
                f"must not exceed 2. Received: {name}={value!r}."
            )
        if not all(_is_number(v) for v in value) or len(value) < 2:
            raise ValueError(
                f"The values of `{name}` must be int or float, as a [low, high] "
                f"pair. Received: {name}={value!r}."
            )
        low, high = value
        if not 0 <= low <= high <= 1:
            raise ValueError(
                f"`{name}` must be a range inside [0, 1] with low <= high. "
                f"Received: {name}={value!r}."
            )
        return (low, high)
    raise ValueError(
        f"`{name}` must be int or float, a [low, high] pair, or None. Received: "
        f"{name}={value!r}."
    )


def _transform_layer(name, factor):
    import keras

    if name == "rotate":
        return keras.layers.RandomRotation(factor)
    if name == "translate_x":
        return keras.layers.RandomTranslation(0, factor)
    if name == "translate_y":
        return keras.layers.RandomTranslation(factor, 0)
    return keras.layers.RandomContrast(factor)


def _random_choice_layer(layers, seed=None):
    import keras
    import tensorflow as tf

    class RandomTransform(keras.layers.Layer):
        """Applies one of `layers`, picked at random per batch, in training."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.choices = layers
            self.seed_generator = keras.random.SeedGenerator(seed)

        def call(self, inputs, training=False):
            if not training:
                return inputs
            index = keras.random.randint(
                (), 0, len(self.choices), seed=self.seed_generator
            )
            branches = [
                (lambda layer=layer: layer(inputs, training=True))
                for layer in self.choices
            ]
            return tf.switch_case(tf.cast(index, "int32"), branches)

        def compute_output_shape(self, input_shape):
            return input_shape

    return RandomTransform()


@api_export("keras_tuner.applications.HyperImageAugment", stability="experimental")
class HyperImageAugment(HyperModel):
    """A searchable image-augmentation model (identity at inference).

    Two modes. With `augment_layers=0`, each transform is one layer whose
    strength is searched: `hp.Float("factor_<transform>", low, high)`
    (transforms with factor 0 are left out). Otherwise a RandAugment-like
    model: `hp.Int("augment_layers", ...)` layers each apply one transform
    picked at random per batch, all at the strength
    `hp.Float("augment_factor", 0, 1)` times their largest factor.
    Put the model in front of a classifier, e.g.
    `keras.Sequential([augment_model, classifier])`.

    Args:
        input_shape: shape of one image, e.g. `(32, 32, 3)` (or give
            `input_tensor`).
        input_tensor: a `keras.Input` to build on.
        rotate: largest rotation as a fraction of a full turn: a number
            (range [0, number]), a [low, high] pair, or None to leave out.
        translate_x: largest horizontal shift as a fraction of the width.
        translate_y: largest vertical shift as a fraction of the height.
        contrast: largest contrast change, in [0, 1].
        augment_layers: 0 (fixed transforms), an int N (search 0..N random
            layers, default 0) or a [low, high] pair.
        **kwargs: `HyperModel` arguments (`name`, `tunable`).

    Examples:

    >>> import keras_tuner as kt
    >>> hm = kt.applications.HyperImageAugment(input_shape=(32, 32, 3),
    ...                                        augment_layers=0)
    >>> model = hm.build(kt.HyperParameters())
    >>> model.name
    'image_augment'
    """

    def __init__(
        self,
        input_shape=None,
        input_tensor=None,
        rotate=0.5,
        translate_x=0.4,
        translate_y=0.4,
        contrast=0.3,
        augment_layers=3,
        **kwargs,
    ):
        if input_shape is None and input_tensor is None:
            raise ValueError(
                "You must specify either `input_shape` (e.g. (32, 32, 3)) or "
                "`input_tensor` (a `keras.Input`)."
            )
        super().__init__(**kwargs)
        self.input_shape = input_shape
        self.input_tensor = input_tensor
        arguments = {
            "rotate": rotate,
            "translate_x": translate_x,
            "translate_y": translate_y,
            "contrast": contrast,
        }
        self.transforms = []
        for name, _ in _TRANSFORMS:
            factor_range = _factor_range(name, arguments[name])
            if factor_range is not None:
                self.transforms.append((name, factor_range))
        if isinstance(augment_layers, bool) or not (
            isinstance(augment_layers, int)
            or (
                isinstance(augment_layers, (list, tuple))
                and len(augment_layers) == 2
                and all(
                    isinstance(v, int) and not isinstance(v, bool)
                    for v in augment_layers
                )
            )
        ):
            raise ValueError(
                "`augment_layers` must be int (0 for fixed transforms, N for up to "
                "N random layers) or a [low, high] pair of ints. Received: "
                f"augment_layers={augment_layers!r}."
            )
        if isinstance(augment_layers, int):
            augment_layers = None if augment_layers == 0 else [0, augment_layers]
        if (
            augment_layers is not None
            and not 0 <= augment_layers[0] <= augment_layers[1]
        ):
            raise ValueError(
                "`augment_layers` must be >= 0 with low <= high. Received: "
                f"augment_layers={augment_layers!r}."
            )
        self.augment_layers = augment_layers

    def _inputs(self):
        import keras

        if self.input_tensor is not None:
            return self.input_tensor
        return keras.Input(shape=self.input_shape)

    def build(self, hp):
        import keras

        inputs = self._inputs()
        if self.augment_layers is None:
            x = inputs
            for name, (low, high) in self.transforms:
                factor = hp.Float(f"factor_{name}", low, high, default=low)
                if factor:
                    x = _transform_layer(name, factor)(x)
            return keras.Model(inputs, x, name="image_augment")
        low, high = self.augment_layers
        count = hp.Int("augment_layers", low, high, default=low)
        strength = hp.Float("augment_factor", 0.0, 1.0, default=0.5)
        x = inputs
        for _ in range(count):
            choices = [
                _transform_layer(name, high_factor * strength)
                for name, (_, high_factor) in self.transforms
                if high_factor * strength > 0
            ]
            if choices:
                x = _random_choice_layer(choices)(x)
        return keras.Model(inputs, x, name="image_rand_augment")
