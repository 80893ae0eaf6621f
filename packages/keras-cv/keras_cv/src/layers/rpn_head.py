# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Region proposal network head: objectness and box offsets per anchor."""

import keras

from keras_core import api_export


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"RPNHead: `{name}` must be a positive int. Received: {name}={value!r}."
        )
    return value


@api_export("keras_cv.layers.RPNHead", stability="experimental")
class RPNHead(keras.layers.Layer):
    """The head of a region proposal network (RPN), shared by all levels.

    `depth` 3x3 convolutions with ReLU (one by default), then two 1x1
    convolutions: one objectness logit and four box offsets per anchor at
    each location. Faster R-CNN's first stage (`keras_cv.models.FasterRCNN`,
    torchvision's `RPNHead`, whose `conv_depth` is our `depth`: 1 in
    torchvision's Faster R-CNN v1, 2 in v2) applies one such head to every
    level of its feature pyramid.

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497).

    Args:
        num_anchors: anchors per location.
        filters: channels of the shared 3x3 convolutions (256).
        depth: number of shared 3x3 convolutions (1).

    Call arguments:
        x: a feature map `(batch, height, width, channels)`.

    Returns:
        `(logits, offsets)`: `(batch, height, width, num_anchors)` and
        `(batch, height, width, 4 * num_anchors)`.

    Example:

    >>> head = keras_cv.layers.RPNHead(num_anchors=3, filters=8)
    >>> logits, offsets = head(np.ones((2, 8, 8, 8), "float32"))
    >>> tuple(logits.shape), tuple(offsets.shape)
    ((2, 8, 8, 3), (2, 8, 8, 12))
    """

    def __init__(self, num_anchors, filters=256, depth=1, **kwargs):
        super().__init__(**kwargs)
        self.num_anchors = _check_positive_int(num_anchors, "num_anchors")
        self.filters = _check_positive_int(filters, "filters")
        self.depth = _check_positive_int(depth, "depth")
        init = keras.initializers.RandomNormal(stddev=0.01)

        def conv(name):
            return keras.layers.Conv2D(
                filters,
                3,
                padding="same",
                activation="relu",
                name=name,
                kernel_initializer=init,
            )

        # The layer names are those torchvision checkpoints are converted to;
        # `conv` (the first) keeps the weight paths of earlier saved files.
        self.conv = conv("rpn_conv")
        self.extra_convs = [conv(f"rpn_conv{i + 1}") for i in range(1, depth)]
        self.classification = keras.layers.Conv2D(
            num_anchors, 1, name="rpn_classification", kernel_initializer=init
        )
        self.box = keras.layers.Conv2D(
            num_anchors * 4, 1, name="rpn_box", kernel_initializer=init
        )

    def apply_layers(self, x):
        """Applies the head's convolutions to `x`, returns `call`'s outputs.

        Calling it on a symbolic input adds the convolutions (not this
        layer) to a Functional model, as `FasterRCNN` does: their weights
        then keep the paths of earlier saved files.
        """
        shared = self.conv(x)
        for conv in self.extra_convs:
            shared = conv(shared)
        return self.classification(shared), self.box(shared)

    def build(self, input_shape):
        self.conv.build(input_shape)
        shape = (*input_shape[:-1], self.filters)
        for conv in self.extra_convs:
            conv.build(shape)
        self.classification.build(shape)
        self.box.build(shape)

    def call(self, x):
        return self.apply_layers(x)

    def compute_output_shape(self, input_shape):
        return (
            (*input_shape[:-1], self.num_anchors),
            (*input_shape[:-1], 4 * self.num_anchors),
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_anchors": self.num_anchors,
            "filters": self.filters,
            "depth": self.depth,
        }
