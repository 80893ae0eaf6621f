# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The box head of a two-stage detector: class and box per region."""

import keras

from keras_core import api_export

NORMALIZATIONS = (None, "batch")


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        kind = "positive int" if minimum == 1 else f"int >= {minimum}"
        raise ValueError(
            f"ROIBoxHead: `{name}` must be a {kind}. Received: {name}={value!r}."
        )
    return value


@api_export("keras_cv.layers.ROIBoxHead", stability="experimental")
class ROIBoxHead(keras.layers.Layer):
    """Classifies pooled regions and refines their boxes, for every class.

    The second stage of Faster R-CNN (`keras_cv.models.FasterRCNN`;
    torchvision's `TwoMLPHead` or `FastRCNNConvFCHead`, and
    `FastRCNNPredictor`): the pooled grid of each region (from
    `keras_cv.layers.ROIPooler`) goes through `conv_depth` 3x3
    convolutions with ReLU (none by default), is flattened, goes through
    `dense_depth` fully connected layers with ReLU (two by default), then
    gives `num_classes + 1` logits (index 0 is the background) and four box
    offsets per class. torchvision's Faster R-CNN v2 head is
    `conv_depth=4, conv_filters=256, dense_depth=1, normalization="batch"`.

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497);
    [Benchmarking Detection Transfer Learning with Vision Transformers](
    https://arxiv.org/abs/2111.11429) (the v2 head).

    Args:
        num_classes: number of object classes (no background class).
        units: width of the fully connected hidden layers (1024).
        conv_depth: number of 3x3 convolutions before flattening (0).
        conv_filters: channels of those convolutions (256).
        dense_depth: number of fully connected hidden layers (2).
        normalization: `None` (default: biased convolutions) or `"batch"`
            (convolutions without bias, each followed by a
            BatchNormalization with momentum 0.9, PyTorch's 0.1, before its
            ReLU).
        norm_epsilon: epsilon of those BatchNormalizations (1e-3; PyTorch's
            1e-5).

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
    >>> head = keras_cv.layers.ROIBoxHead(num_classes=3, units=16, conv_depth=2,
    ...     conv_filters=8, dense_depth=1, normalization="batch")
    >>> tuple(head(np.ones((5, 7, 7, 8), "float32"))[0].shape)
    (5, 4)
    """

    def __init__(
        self,
        num_classes,
        units=1024,
        conv_depth=0,
        conv_filters=256,
        dense_depth=2,
        normalization=None,
        norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.num_classes = _check_int(num_classes, "num_classes", 1)
        self.units = _check_int(units, "units", 1)
        self.conv_depth = _check_int(conv_depth, "conv_depth", 0)
        self.conv_filters = _check_int(conv_filters, "conv_filters", 1)
        self.dense_depth = _check_int(dense_depth, "dense_depth", 1)
        if normalization not in NORMALIZATIONS:
            raise ValueError(
                f"ROIBoxHead: `normalization` must be one of {list(NORMALIZATIONS)}. "
                f"Received: normalization={normalization!r}."
            )
        if (
            isinstance(norm_epsilon, bool)
            or not isinstance(norm_epsilon, (int, float))
            or norm_epsilon < 0
        ):
            raise ValueError(
                "ROIBoxHead: `norm_epsilon` must be a non-negative number. "
                f"Received: norm_epsilon={norm_epsilon!r}."
            )
        self.normalization = normalization
        self.norm_epsilon = float(norm_epsilon)
        bias = normalization is None
        # The layer names are those torchvision checkpoints are converted to;
        # `fc1`, `fc2` keep the weight paths of earlier saved files.
        self.convs = [
            keras.layers.Conv2D(
                conv_filters,
                3,
                padding="same",
                use_bias=bias,
                activation="relu" if bias else None,
                kernel_initializer="he_normal",
                name=f"box_conv{i + 1}",
            )
            for i in range(conv_depth)
        ]
        self.norms = [
            keras.layers.BatchNormalization(
                momentum=0.9, epsilon=self.norm_epsilon, name=f"box_conv{i + 1}_bn"
            )
            for i in range(conv_depth)
            if not bias
        ]
        self.relus = [
            keras.layers.ReLU(name=f"box_conv{i + 1}_relu")
            for i in range(conv_depth)
            if not bias
        ]
        self.flatten = keras.layers.Flatten()
        for i in range(dense_depth):
            setattr(
                self,
                f"fc{i + 1}",
                keras.layers.Dense(units, activation="relu", name=f"fc{i + 1}"),
            )
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

    @property
    def dense_layers(self):
        """The fully connected hidden layers, `fc1` first."""
        return [getattr(self, f"fc{i + 1}") for i in range(self.dense_depth)]

    def apply_layers(self, pooled, training=None):
        """Applies the head's layers to `pooled`, returns `call`'s outputs.

        Calling it on a symbolic input adds the head's layers (not this
        layer) to a Functional model, as `FasterRCNN` does: their weights
        then keep the paths of earlier saved files.
        """
        h = pooled
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if self.norms:
                h = self.relus[i](self.norms[i](h, training=training))
        h = self.flatten(h)
        for dense in self.dense_layers:
            h = dense(h)
        return self.classification(h), self.reshape(self.box(h))

    def build(self, input_shape):
        shape = tuple(input_shape)
        for i, conv in enumerate(self.convs):
            conv.build(shape)
            shape = (*shape[:-1], self.conv_filters)
            if self.norms:
                self.norms[i].build(shape)
        flat = 1
        for dim in shape[1:]:
            flat *= dim
        width = flat
        for dense in self.dense_layers:
            dense.build((input_shape[0], width))
            width = self.units
        self.classification.build((input_shape[0], self.units))
        self.box.build((input_shape[0], self.units))

    def call(self, pooled, training=None):
        return self.apply_layers(pooled, training=training)

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
            "conv_depth": self.conv_depth,
            "conv_filters": self.conv_filters,
            "dense_depth": self.dense_depth,
            "normalization": self.normalization,
            "norm_epsilon": self.norm_epsilon,
        }
