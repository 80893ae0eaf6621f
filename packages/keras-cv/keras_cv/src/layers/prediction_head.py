# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Dense-prediction head shared by the levels of a feature pyramid."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.graph_functions import SharedFunction
from keras_cv.src.layers.group_normalization import GroupNormalization

CONVOLUTIONS = ("dense", "separable")
NORMALIZATIONS = ("group", None)


@api_export("keras_cv.layers.PredictionHead", stability="experimental")
class PredictionHead(keras.layers.Layer):
    """Convolutional head of a single-stage detector, for every anchor.

    `depth` 3x3 convolutions of `filters` channels, each followed by
    GroupNormalization (then the convolution has no bias) or by nothing
    (then it has a bias) and a ReLU, and a 3x3 output convolution with
    `output_filters` channels: for `A` anchors per location, `A *
    num_classes` class logits or `A * 4` box offsets. One head is applied to
    every level of a feature pyramid (its weights shared across levels):
    RetinaNet's classification and box heads are two of them.

    On a machine without a GPU, the dense hidden convolutions (float32)
    are computed by Winograd's algorithm where measured faster
    (`keras_applications.layers.winograd_conv2d`): F(4x4, 3x3) within 2e-5
    of the result's largest value (about 4e-6 measured) for about 0.45x the
    CPU time of the direct convolution at 256 channels on 32x32 maps.

    Reference: [Focal Loss for Dense Object Detection](
    https://arxiv.org/abs/1708.02002) (the heads),
    [Group Normalization](https://arxiv.org/abs/1803.08494).

    Args:
        output_filters: channels of the output convolution.
        filters: channels of the hidden convolutions (256).
        depth: number of hidden convolutions (4).
        bias_initializer: initializer of the output bias, e.g.
            `keras.initializers.Constant(-log((1 - 0.01) / 0.01))` for class
            logits starting at probability 0.01 (RetinaNet's prior).
        groups: GroupNormalization groups; must divide `filters` (32).
        convolution: `"dense"` (default, full 3x3 convolutions) or
            `"separable"` (a depthwise 3x3 then a pointwise 1x1: the same
            receptive field for about 1/8 of the multiply-adds at 256
            channels).
        normalization: `"group"` (default) or `None` (biased convolutions
            and ReLU only, as torchvision's RetinaNet v1 heads).
        norm_epsilon: GroupNormalization epsilon (1e-3; PyTorch's 1e-5).

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, height, width, output_filters)`.

    Example:

    >>> head = keras_cv.layers.PredictionHead(output_filters=9 * 4, filters=16, depth=2,
    ...                                       groups=8)
    >>> tuple(head(np.ones((2, 8, 8, 16), "float32")).shape)
    (2, 8, 8, 36)
    """

    # The layer class of the normalization after each hidden convolution.
    # Subclasses may replace it (with a subclass of GroupNormalization).
    normalization_class = GroupNormalization
    # Whether the hidden 3x3 convolutions of the dense head are computed by
    # Winograd's algorithm (`keras_applications.layers.winograd_conv2d`);
    # False: by their layers' call
    # (the reference the tests compare with).
    winograd = True

    def __init__(
        self,
        output_filters,
        filters=256,
        depth=4,
        bias_initializer="zeros",
        groups=32,
        convolution="dense",
        normalization="group",
        norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, value in (
            ("output_filters", output_filters),
            ("filters", filters),
            ("groups", groups),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"PredictionHead: `{name}` must be a positive int. "
                    f"Received: {name}={value!r}."
                )
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
            raise ValueError(
                "PredictionHead: `depth` must be an int >= 0 (number of hidden "
                f"convolutions). Received: depth={depth!r}."
            )
        if convolution not in CONVOLUTIONS:
            raise ValueError(
                f"PredictionHead: `convolution` must be one of {list(CONVOLUTIONS)}. "
                f"Received: convolution={convolution!r}."
            )
        if normalization not in NORMALIZATIONS:
            raise ValueError(
                "PredictionHead: `normalization` must be 'group' or None. "
                f"Received: normalization={normalization!r}."
            )
        if normalization is not None and filters % groups:
            raise ValueError(
                f"PredictionHead: `groups` ({groups}) must divide `filters` "
                f"({filters}) for GroupNormalization. Pass e.g. "
                f"groups=math.gcd(filters, 32)."
            )
        self.output_filters = output_filters
        self.filters = filters
        self.depth = depth
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.groups = groups
        self.convolution = convolution
        self.normalization = normalization
        self.norm_epsilon = float(norm_epsilon)
        # Without normalization the convolutions have biases (torchvision's
        # v1 heads: convolution, bias, ReLU). The attribute names (`convs`,
        # `norms`, `output_conv`) are the weights' paths in saved files.
        use_bias = normalization is None
        if convolution == "separable":
            self.convs = [
                keras.layers.SeparableConv2D(
                    filters, 3, padding="same", use_bias=use_bias, name=f"conv_{i}"
                )
                for i in range(depth)
            ]
        else:
            self.convs = [
                keras.layers.Conv2D(
                    filters,
                    3,
                    padding="same",
                    use_bias=use_bias,
                    kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                    name=f"conv_{i}",
                )
                for i in range(depth)
            ]
        if normalization is None:
            self.norms = [None] * depth
        else:
            self.norms = [
                self.normalization_class(
                    groups=groups, epsilon=self.norm_epsilon, name=f"norm_{i}"
                )
                for i in range(depth)
            ]
        self.output_conv = keras.layers.Conv2D(
            output_filters,
            3,
            padding="same",
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
            bias_initializer=self.bias_initializer,
            name="output",
        )
        # In a traced (not XLA) step, the levels of a pyramid call one graph
        # function instead of each building the head's ops (and gradient).
        # Its weights are arguments, so that heads of the same structure can
        # call one function (`share_function`).
        self._shared_forward = SharedFunction(
            self._forward, graph_fn=self._graph_forward, arguments=self._arguments
        )

    def build(self, input_shape):
        shape = (None, None, None, input_shape[-1])
        for conv, norm in zip(self.convs, self.norms):
            conv.build(shape)
            shape = (None, None, None, self.filters)
            if norm is not None:
                norm.build(shape)
        self.output_conv.build(shape)

    def call(self, x):
        return self._shared_forward(x)

    def share_function(self, other):
        """Calls `other`'s graph function for the head (one trace for both).

        Where a traced (not XLA) step applies two heads of the same
        structure (a detector's classification and box heads: the same
        class, hidden convolutions and normalisations; the output filters
        and weights may differ), they call one non-inlined graph function
        with their own weights as arguments: TensorFlow traces, optimises and
        instantiates it (and its gradient) once instead of twice. The
        results are those of each head's own layers (the same ops).
        Returns whether the heads share it (False: different structures,
        each keeps its own).
        """
        if self._structure() != other._structure():
            return False
        self._shared_forward.share_with(other._shared_forward)
        return True

    def _structure(self):
        """What the graph function's ops depend on, besides the weights."""
        return (
            type(self),
            self.normalization_class,
            self.winograd,
            self.filters,
            self.depth,
            self.groups,
            self.convolution,
            self.normalization,
            self.norm_epsilon,
            self.dtype_policy.name,
            tuple(w.shape for w in self._hidden_weights()),
        )

    def _hidden_weights(self):
        weights = []
        for conv, norm in zip(self.convs, self.norms):
            weights.extend(conv.weights)
            if norm is not None:
                weights.extend(norm.weights)
        return weights

    def _arguments(self):
        """The weights' values and specs, for `_graph_forward`.

        The output convolution's filters are left unknown, so that heads
        with different outputs (class logits, box offsets) share the trace.
        """
        hidden = self._hidden_weights()
        kernel, bias = self.output_conv.kernel, self.output_conv.bias
        values = [tf.convert_to_tensor(w) for w in (*hidden, kernel, bias)]
        specs = [tf.TensorSpec(w.shape, w.dtype) for w in hidden]
        specs += [
            tf.TensorSpec([*kernel.shape[:-1], None], kernel.dtype),
            tf.TensorSpec([None], bias.dtype),
        ]
        return values, specs

    def _forward(self, x):
        return self.output_conv(self._hidden(x))

    def _graph_forward(self, x, *values):
        """`_forward(x)` with the weights `values` (see `_arguments`)."""
        hidden = self._hidden_weights()
        kernel, bias = values[len(hidden) :]
        mapping = list(zip(hidden, values[: len(hidden)]))
        with keras.StatelessScope(state_mapping=mapping):
            x = self._hidden(x)
        # The output convolution's ops (`Conv2D.call`), its filters unknown.
        x = self.output_conv.convolution_op(x, kernel)
        return keras.ops.add(x, keras.ops.reshape(bias, (1, 1, 1, -1)))

    def _hidden(self, x):
        for conv, norm in zip(self.convs, self.norms):
            x = self._convolve(conv, x)
            if norm is not None:
                x = norm(x)
            x = keras.ops.relu(x)
        return x

    def _convolve(self, conv, x):
        """`conv(x)`; a hidden 3x3 convolution by Winograd's algorithm.

        F(4x4, 3x3) on maps from 12x12 with 128 channels or more (about
        0.45x the direct convolution's CPU time forward and backward at
        32x32 and 256 channels, within 2e-5 of its largest value),
        F(2x2, 3x3) on 8x8, direct otherwise (see
        `keras_applications.layers.winograd_conv2d`). The output
        convolution, with few filters, saves too little for its input
        transform and stays direct.
        """
        if not self.winograd:
            return conv(x)
        # Imported here: keras-applications is a heavy import for keras_cv.
        import keras_applications

        return keras_applications.layers.winograd_conv2d(conv, x)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.output_filters)

    def get_config(self):
        return {
            **super().get_config(),
            "output_filters": self.output_filters,
            "filters": self.filters,
            "depth": self.depth,
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "groups": self.groups,
            "convolution": self.convolution,
            "normalization": self.normalization,
            "norm_epsilon": self.norm_epsilon,
        }
