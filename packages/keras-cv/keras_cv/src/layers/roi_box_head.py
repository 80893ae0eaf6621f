# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The box head of a two-stage detector: class and box per region."""

import keras

from keras_core import api_export


@api_export("keras_cv.layers.ROIBoxHead", stability="experimental")
class ROIBoxHead(keras.layers.Layer):
    """Classifies pooled regions and refines their boxes, for every class.

    The second stage of Faster R-CNN (`keras_cv.models.FasterRCNN`;
    torchvision's `TwoMLPHead` and `FastRCNNPredictor`): the pooled grid of
    each region (from `keras_cv.layers.ROIPooler`) is flattened, goes
    through two fully connected layers with ReLU, then gives
    `num_classes + 1` logits (index 0 is the background) and four box
    offsets per class.

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497).

    Args:
        num_classes: number of object classes (no background class).
        units: width of the two hidden layers (1024).

    Call arguments:
        pooled: `(num_regions, height, width, channels)` pooled features.

    Returns:
        `(logits, offsets)`: `(num_regions, num_classes + 1)` and
        `(num_regions, num_classes, 4)`.

    Example:

    >>> head = keras_cv.layers.ROIBoxHead(num_classes=3, units=16)
    >>> logits, offsets = head(np.ones((5, 7, 7, 8), "float32"))
    >>> tuple(logits.shape), tuple(offsets.shape)
    ((5, 4), (5, 3, 4))
    """

    def __init__(self, num_classes, units=1024, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("num_classes", num_classes), ("units", units)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"ROIBoxHead: `{name}` must be a positive int. "
                    f"Received: {name}={value!r}."
                )
        self.num_classes = num_classes
        self.units = units
        # The layer names are those torchvision checkpoints are converted to.
        self.flatten = keras.layers.Flatten()
        self.fc1 = keras.layers.Dense(units, activation="relu", name="fc1")
        self.fc2 = keras.layers.Dense(units, activation="relu", name="fc2")
        self.classification = keras.layers.Dense(
            num_classes + 1,
            name="classification",
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
        )
        self.box = keras.layers.Dense(
            num_classes * 4,
            name="box",
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
        )
        self.reshape = keras.layers.Reshape((num_classes, 4))

    def apply_layers(self, pooled):
        """Applies the head's layers to `pooled`, returns `call`'s outputs.

        Calling it on a symbolic input adds the head's layers (not this
        layer) to a Functional model, as `FasterRCNN` does: their weights
        then keep the paths of earlier saved files.
        """
        h = self.fc2(self.fc1(self.flatten(pooled)))
        return self.classification(h), self.reshape(self.box(h))

    def build(self, input_shape):
        flat = 1
        for dim in input_shape[1:]:
            flat *= dim
        self.fc1.build((input_shape[0], flat))
        self.fc2.build((input_shape[0], self.units))
        self.classification.build((input_shape[0], self.units))
        self.box.build((input_shape[0], self.units))

    def call(self, pooled):
        return self.apply_layers(pooled)

    def compute_output_shape(self, input_shape):
        return (
            (input_shape[0], self.num_classes + 1),
            (input_shape[0], self.num_classes, 4),
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "units": self.units,
        }
