# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Feature pyramid network: multi-scale maps of equal depth for detectors."""

import keras
import tensorflow as tf

from keras_core import api_export

EXTRA_INPUTS = ("P5", "C5")
EXTRA_PADDINGS = ("same", "symmetric")
EXTRA_TYPES = ("conv", "max_pool")
NORMALIZATIONS = (None, "batch")


def _check_choice(value, choices, name):
    if value not in choices:
        raise ValueError(
            f"FeaturePyramid: `{name}` must be one of {list(choices)}. "
            f"Received: {name}={value!r}."
        )


def _check_input_levels(input_levels):
    if input_levels is None:
        return None
    ok = isinstance(input_levels, (list, tuple)) and len(input_levels) > 0
    if ok:
        ok = all(
            not isinstance(v, bool) and isinstance(v, int) and 2 <= v <= 5
            for v in input_levels
        ) and all(b - a in (0, 1) for a, b in zip(input_levels, input_levels[1:]))
    if not ok or input_levels[-1] != 5:
        raise ValueError(
            "FeaturePyramid: `input_levels` must be None or the pyramid level "
            "(2-5) of each input map, finest first, each the same as the "
            "previous one or one more, the last 5 (stride 32), e.g. (3, 4, 5) "
            "or (5, 5). "
            f"Received: input_levels={input_levels!r}."
        )
    return [int(v) for v in input_levels]


def _level_names(levels):
    """`P<level>` per input, `P<level>_<k>` for the k-th repeat of a level."""
    names = []
    for level in levels:
        repeats = sum(1 for v in levels[: len(names)] if v == level)
        names.append(f"P{level}" if repeats == 0 else f"P{level}_{repeats}")
    return names


def _upsample_like(x, reference):
    """Nearest-neighbour 2x upsampling cropped to `reference`'s size."""
    x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)
    shape = keras.ops.shape(reference)
    return x[:, : shape[1], : shape[2], :]


@api_export("keras_cv.layers.FeaturePyramid", stability="experimental")
class FeaturePyramid(keras.layers.Layer):
    """Feature pyramid network (FPN) on a backbone's C`min_level`-C5 maps.

    Each backbone map gets a 1x1 lateral convolution to `filters` channels;
    from the coarsest down, each merged map is added to the 2x
    nearest-neighbour upsampled coarser one (or to the coarser one as it
    is, when both have the same stride, see `input_levels`), then smoothed
    by a 3x3 convolution: the pyramid levels P`min_level`-P5. Levels P6 to
    `max_level` come from 3x3 stride-2 convolutions (a ReLU between two of
    them) on the pyramid's P5 or the backbone's C5 (`extra_type="conv"`,
    as RetinaNet), or from subsampling P5 by two (`"max_pool"`, as
    torchvision's Faster R-CNN: `LastLevelMaxPool`). With
    `normalization="batch"` each lateral and output convolution has no bias
    and is followed by a BatchNormalization (torchvision's FPN with
    `norm_layer=BatchNorm2d`, as in its Faster and Mask R-CNN v2). It is the
    neck of `keras_cv.models.RetinaNet`, `FasterRCNN` and `MaskRCNN`.

    Reference: [Feature Pyramid Networks for Object Detection](
    https://arxiv.org/abs/1612.03144).

    Args:
        filters: channels of every pyramid level.
        max_level: the coarsest level, 5 to 7.
        extra_input: input of the first extra level (P6): the pyramid's
            `"P5"` (default) or the backbone's `"C5"`.
        extra_padding: padding of the stride-2 extra convolutions: `"same"`
            (TensorFlow's, which pads an even input only at the
            bottom/right) or `"symmetric"` (one pixel on every side,
            PyTorch's `padding=1`).
        min_level: the finest level, 2 or 3 (default).
        extra_type: `"conv"` (default) or `"max_pool"`, see above.
        normalization: `None` (default: biased convolutions) or `"batch"`
            (convolutions without bias, each followed by a
            BatchNormalization with momentum 0.9, PyTorch's 0.1). The extra
            levels' convolutions are never normalised.
        norm_epsilon: epsilon of those BatchNormalizations (1e-3; PyTorch's
            1e-5).
        input_levels: None (default: `min_level` to 5, one map per level)
            or the level of each input map, finest first, each the same as
            the previous one or one more, the last 5, e.g. `(5, 5)` for two
            maps of stride 32 (torchvision's MobileNetV3 FPN); the pyramid
            then has one map per input, then the extra levels P6 to
            `max_level`. `min_level` is then not used.

    Call arguments:
        features: list of the backbone's maps C`min_level` ... C5 (or of
            `input_levels`), each `(batch, height, width, channels)` at
            twice the stride of the previous one (or at the same stride).

    Returns:
        A list of `(batch, height, width, filters)` maps, levels
        `min_level` to `max_level` (finest first), or one per input level
        followed by the extra levels.

    Example:

    >>> fpn = keras_cv.layers.FeaturePyramid(filters=8, max_level=6)
    >>> c3, c4, c5 = (np.ones((1, s, s, 4), "float32") for s in (16, 8, 4))
    >>> [tuple(p.shape) for p in fpn([c3, c4, c5])]
    [(1, 16, 16, 8), (1, 8, 8, 8), (1, 4, 4, 8), (1, 2, 2, 8)]
    """

    # Whether the 3x3 output convolutions are computed by Winograd's
    # algorithm (`keras_applications.layers.winograd_conv2d`); False: by
    # their layers' call (the reference the tests compare with).
    winograd = True

    def __init__(
        self,
        filters,
        max_level,
        extra_input="P5",
        extra_padding="same",
        min_level=3,
        extra_type="conv",
        normalization=None,
        norm_epsilon=1e-3,
        input_levels=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(
                "FeaturePyramid: `filters` must be a positive int (channels "
                f"of every level). Received: filters={filters!r}."
            )
        _check_choice(min_level, (2, 3), "min_level")
        _check_choice(max_level, (5, 6, 7), "max_level")
        _check_choice(extra_input, EXTRA_INPUTS, "extra_input")
        _check_choice(extra_padding, EXTRA_PADDINGS, "extra_padding")
        _check_choice(extra_type, EXTRA_TYPES, "extra_type")
        _check_choice(normalization, NORMALIZATIONS, "normalization")
        if (
            isinstance(norm_epsilon, bool)
            or not isinstance(norm_epsilon, (int, float))
            or norm_epsilon < 0
        ):
            raise ValueError(
                "FeaturePyramid: `norm_epsilon` must be a non-negative number. "
                f"Received: norm_epsilon={norm_epsilon!r}."
            )
        self.filters = filters
        self.max_level = max_level
        self.min_level = min_level
        self.extra_input = extra_input
        self.extra_padding = extra_padding
        self.extra_type = extra_type
        self.normalization = normalization
        self.norm_epsilon = float(norm_epsilon)
        bias = normalization is None
        self.input_levels = _check_input_levels(input_levels)
        levels = self.input_levels or list(range(min_level, 6))
        names = _level_names(levels)
        # The attribute names (`lateral`, `output_convs`, `extra`) are the
        # paths of the weights in saved files: keep them.
        self.lateral = [
            keras.layers.Conv2D(filters, 1, use_bias=bias, name=f"lateral_{name}")
            for name in names
        ]
        self.output_convs = [
            keras.layers.Conv2D(
                filters, 3, padding="same", use_bias=bias, name=f"output_{name}"
            )
            for name in names
        ]
        # Empty without normalization.
        self.lateral_norms = [
            self._batch_norm(f"lateral_{name}_bn") for name in names if not bias
        ]
        self.output_norms = [
            self._batch_norm(f"output_{name}_bn") for name in names if not bias
        ]
        symmetric = extra_padding == "symmetric"
        self.extra = [
            keras.layers.Conv2D(
                filters,
                3,
                strides=2,
                padding="valid" if symmetric else "same",
                name=f"output_P{i}",
            )
            for i in range(6, max_level + 1)
            if extra_type == "conv"
        ]

    def _batch_norm(self, name):
        return keras.layers.BatchNormalization(
            momentum=0.9, epsilon=self.norm_epsilon, name=name
        )

    @property
    def levels(self):
        """The level of each output map, finest first."""
        levels = self.input_levels or list(range(self.min_level, 6))
        return levels + list(range(6, self.max_level + 1))

    def _check_features(self, features):
        if self.input_levels:
            expected = len(self.input_levels)
            what = f"maps of levels {self.input_levels}"
        else:
            expected = 6 - self.min_level
            what = f"backbone maps C{self.min_level}-C5"
        if not isinstance(features, (list, tuple)) or len(features) != expected:
            raise ValueError(
                f"FeaturePyramid(min_level={self.min_level}) takes a list of "
                f"{expected} {what}, finest first. "
                f"Received: {type(features).__name__} of length "
                f"{len(features) if isinstance(features, (list, tuple)) else 'n/a'}."
            )

    def build(self, input_shapes):
        self._check_features(input_shapes)
        for conv, shape in zip(self.lateral, input_shapes):
            conv.build(shape)
        shape = (None, None, None, self.filters)
        for conv in self.output_convs:
            conv.build(shape)
        for norm in self.lateral_norms + self.output_norms:
            norm.build(shape)
        for index, conv in enumerate(self.extra):
            if index == 0 and self.extra_input == "C5":
                conv.build(input_shapes[-1])
            else:
                conv.build(shape)

    def call(self, features, training=None):
        self._check_features(features)
        c5 = features[-1]
        count = len(self.lateral)

        def lateral(i, x):
            x = self.lateral[i](x)
            return (
                self.lateral_norms[i](x, training=training) if self.lateral_norms else x
            )

        levels = self.input_levels or list(range(self.min_level, 6))
        merged = [lateral(count - 1, c5)]
        for i in range(count - 2, -1, -1):
            c = features[i]
            top_down = merged[0]
            if levels[i] != levels[i + 1]:
                top_down = _upsample_like(top_down, c)
            merged.insert(0, lateral(i, c) + top_down)
        outputs = []
        for i, (conv, p) in enumerate(zip(self.output_convs, merged)):
            x = self._convolve(conv, p)
            if self.output_norms:
                x = self.output_norms[i](x, training=training)
            outputs.append(x)
        if self.extra_type == "max_pool":
            # torchvision's LastLevelMaxPool: a 1x1 max pooling of stride 2.
            x = outputs[-1]
            for _ in range(6, self.max_level + 1):
                x = x[:, ::2, ::2, :]
                outputs.append(x)
            return outputs
        x = c5 if self.extra_input == "C5" else outputs[-1]
        for index, conv in enumerate(self.extra):
            x = x if index == 0 else keras.ops.relu(x)
            if self.extra_padding == "symmetric":
                x = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
            x = conv(x)
            outputs.append(x)
        return outputs

    def _convolve(self, conv, x):
        """`conv(x)`; an output 3x3 convolution by Winograd's algorithm.

        With 128 filters or more: F(4x4, 3x3) on maps from 12x12,
        F(2x2, 3x3) on 8x8, direct otherwise (see
        `keras_applications.layers.winograd_conv2d`; its result is within
        2e-5 of the direct convolution's largest value).
        """
        if not self.winograd:
            return conv(x)
        # Imported here: keras-applications is a heavy import for keras_cv.
        import keras_applications

        return keras_applications.layers.winograd_conv2d(conv, x)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "max_level": self.max_level,
            "extra_input": self.extra_input,
            "extra_padding": self.extra_padding,
            "min_level": self.min_level,
            "extra_type": self.extra_type,
            "normalization": self.normalization,
            "norm_epsilon": self.norm_epsilon,
            "input_levels": self.input_levels,
        }
