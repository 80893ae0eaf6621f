# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""3x3 convolutions as Winograd F(2x2, 3x3) products.

A 3x3, stride-1, `"same"` convolution of a channels-last map computes each
2x2 block of outputs from a 4x4 tile of inputs. Winograd's minimal
filtering algorithm (Lavin and Gray, [Fast Algorithms for Convolutional
Neural Networks](https://arxiv.org/abs/1509.09308)) transforms the tiles
(`B^T d B`) and the kernel (`G g G^T`) to 16 positions, multiplies them
channel by channel as 16 matrix products, and transforms the products back
(`A^T m A`): 16 multiplications per tile, input and output channel where
the direct convolution takes 36. The transforms are additions (and halves
in `G`), written here as small matrix products; the gradients for the input
and the kernel follow from the same products (transposed), so training
saves as much as inference.

On CPU (oneDNN), where the direct convolutions of a detection head run
near the processor's peak floating-point rate, this takes about 0.7x their
CPU time forward and backward at 256 channels. The result differs from
the direct convolution by rounding only (about 2e-6 of the output's
largest value in float32, F(2x2, 3x3) being the numerically mild variant).
"""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export

# F(2, 3): input transform B^T, kernel transform G, output transform A^T.
_BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], np.float64)
_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]], np.float64)
_AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], np.float64)
_TILE = 2  # outputs per tile and axis
_SPAN = 4  # inputs per tile and axis


def _tiles(blocks):
    """The 4x4 input tiles of a map cut into 2x2 blocks.

    `blocks` is `[2, 2, batch, rows + 1, cols + 1, channels]` (the row and
    column within a block first); tile `(i, j)` is blocks `i, i + 1` by
    `j, j + 1`. Returns `[4, 4, batch, rows, cols, channels]`. The gradient
    is written out (pads and adds): TensorFlow's own for the overlapping
    slices (`StridedSliceGrad`) took most of the step.
    """

    @tf.custom_gradient
    def tiles(blocks):
        shape = tf.shape(blocks)
        rows, cols = shape[3] - 1, shape[4] - 1
        zero = [0] * 6
        # Along the tile rows: the block's 2 rows, then the next block's 2.
        by_rows = tf.concat(
            [
                tf.slice(blocks, zero, [-1, -1, -1, rows, -1, -1]),
                tf.slice(blocks, [0, 0, 0, 1, 0, 0], [-1, -1, -1, rows, -1, -1]),
            ],
            0,
        )
        out = tf.concat(
            [
                tf.slice(by_rows, zero, [-1, -1, -1, -1, cols, -1]),
                tf.slice(by_rows, [0, 0, 0, 0, 1, 0], [-1, -1, -1, -1, cols, -1]),
            ],
            1,
        )

        def grad(upstream):
            no = [0, 0]
            first, second = tf.split(upstream, 2, 1)
            by_rows = tf.pad(first, [no, no, no, no, [0, 1], no]) + tf.pad(
                second, [no, no, no, no, [1, 0], no]
            )
            first, second = tf.split(by_rows, 2, 0)
            return tf.pad(first, [no, no, no, [0, 1], no, no]) + tf.pad(
                second, [no, no, no, [1, 0], no, no]
            )

        return out, grad

    return tiles(blocks)


def conv3x3(x, kernel):
    """`tf.nn.conv2d(x, kernel, 1, "SAME")` by Winograd F(2x2, 3x3).

    Args:
        x: float32 `[batch, height, width, channels]`, any spatial size
            (dynamic sizes included; odd sizes are padded and cropped).
        kernel: float32 `[3, 3, channels, filters]`.

    Returns:
        float32 `[batch, height, width, filters]`, equal to the direct
        convolution up to rounding; differentiable in both arguments.
    """
    channels, filters = kernel.shape[2], kernel.shape[3]
    positions = _SPAN * _SPAN
    shape = tf.shape(x)
    batch, height, width = shape[0], shape[1], shape[2]
    rows = (height + 1) // 2
    cols = (width + 1) // 2
    # One zero row and column before (the "same" padding), and after: up to
    # the last tile's end, a whole block further.
    padded = tf.pad(
        x,
        [[0, 0], [1, 2 * rows + 1 - height], [1, 2 * cols + 1 - width], [0, 0]],
    )
    blocks = tf.transpose(
        tf.reshape(padded, [batch, rows + 1, _TILE, cols + 1, _TILE, channels]),
        [2, 4, 0, 1, 3, 5],
    )
    tiles = tf.reshape(_tiles(blocks), [positions, -1])
    inputs = tf.matmul(tf.constant(np.kron(_BT, _BT), tf.float32), tiles)
    weights = tf.matmul(
        tf.constant(np.kron(_G, _G), tf.float32),
        tf.reshape(kernel, [9, channels * filters]),
    )
    products = tf.matmul(
        tf.reshape(inputs, [positions, -1, channels]),
        tf.reshape(weights, [positions, channels, filters]),
    )
    outputs = tf.matmul(
        tf.constant(np.kron(_AT, _AT), tf.float32),
        tf.reshape(products, [positions, -1]),
    )
    outputs = tf.transpose(
        tf.reshape(outputs, [_TILE, _TILE, batch, rows, cols, filters]),
        [2, 3, 0, 4, 1, 5],
    )
    outputs = tf.reshape(outputs, [batch, 2 * rows, 2 * cols, filters])
    # tf.slice, whose gradient is a pad (a strided slice's is much slower).
    outputs = tf.slice(outputs, [0, 0, 0, 0], [-1, height, width, -1])
    outputs.set_shape(x.shape[:-1].concatenate([filters]))
    return outputs


def applies_to(conv):
    """Whether `conv3x3` computes this `keras.layers.Conv2D`'s convolution.

    A 3x3, stride-1, undilated, ungrouped `"same"` channels-last
    convolution in float32, with static channel counts (without activation:
    the caller adds the bias, if any), on a machine without a GPU: the
    speed-up is measured against oneDNN's CPU convolutions, and a GPU's
    convolution library has Winograd kernels of its own.
    """
    return (
        not tf.config.list_logical_devices("GPU")
        and type(conv) is keras.layers.Conv2D
        and tuple(conv.kernel_size) == (3, 3)
        and tuple(conv.strides) == (1, 1)
        and tuple(conv.dilation_rate) == (1, 1)
        and conv.groups == 1
        and conv.padding == "same"
        and conv.data_format == "channels_last"
        and conv.activation is keras.activations.linear
        and conv.compute_dtype == "float32"
        and conv.dtype == "float32"
        and getattr(conv, "quantization_mode", None) is None
        and keras.backend.backend() == "tensorflow"
    )


@api_export("keras_applications.layers.winograd_conv2d", stability="experimental")
def winograd_conv2d(conv, inputs):
    """`conv(inputs)`, by Winograd's F(2x2, 3x3) where that is faster.

    Computes a `keras.layers.Conv2D` on `inputs` with the layer's own
    weights. A float32, 3x3, stride-1, undilated, ungrouped `"same"`
    channels-last convolution without activation, on a machine without a
    GPU, is computed by Winograd's minimal filtering algorithm: 16
    multiplications per 2x2 block of outputs, input and output channel,
    where the direct convolution takes 36 (about 0.7x its CPU time forward
    and backward with 256 channels on oneDNN). The result equals the direct
    convolution's up to float32 rounding (about 2e-6 of its largest value),
    and both gradients are exact for it. Any other convolution, and any
    layer that is not a plain `Conv2D`, is called as usual.

    Weights, their paths in saved files and the layer's config are those
    of the layer: use this inside a layer's `call` in place of
    `conv(inputs)` where the convolution is a sublayer.

    Args:
        conv: a `keras.layers.Conv2D` (built, or built here on `inputs`'
            shape).
        inputs: float tensor `(batch, height, width, channels)`.

    Returns:
        The layer's output, `(batch, height, width, conv.filters)` for the
        Winograd path.

    Example:

    >>> conv = keras.layers.Conv2D(8, 3, padding="same", use_bias=False)
    >>> x = np.random.default_rng(0).normal(size=(1, 6, 6, 4)).astype("float32")
    >>> y = keras_applications.layers.winograd_conv2d(conv, x)
    >>> bool(np.allclose(y, conv(x), atol=1e-5))
    True
    """
    if not isinstance(conv, keras.layers.Layer):
        raise TypeError(
            "winograd_conv2d: expected `conv` to be a keras.layers.Conv2D "
            f"layer, received {conv!r} of type {type(conv).__name__}. Pass "
            "the layer object, e.g. keras.layers.Conv2D(64, 3, padding='same')."
        )
    if not applies_to(conv):
        return conv(inputs)
    inputs = tf.convert_to_tensor(inputs, conv.compute_dtype)
    if not conv.built:
        conv.build(inputs.shape)
    outputs = conv3x3(inputs, tf.convert_to_tensor(conv.kernel))
    if conv.use_bias:
        outputs = outputs + conv.bias
    return outputs
