# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""3x3 convolutions as Winograd F(4x4, 3x3) or F(2x2, 3x3) products.

A 3x3, stride-1, `"same"` convolution of a channels-last map computes each
m x m block of outputs (m = 4 or 2) from an (m + 2) x (m + 2) tile of
inputs. Winograd's minimal filtering algorithm (Lavin and Gray, [Fast
Algorithms for Convolutional Neural Networks](https://arxiv.org/abs/1509.09308))
transforms the tiles (`B^T d B`) and the kernel (`G g G^T`) to (m + 2)^2
positions, multiplies them channel by channel as that many matrix products,
and transforms the products back (`A^T m A`): 36 multiplications per 4x4
block, input and output channel (16 per 2x2 block) where the direct
convolution takes 144 (36). The transforms are small matrix products; the
gradients for the input and the kernel follow from the same products
(transposed), so training saves as much as inference.

On CPU (oneDNN), where the direct convolutions of a detection head run
near the processor's peak floating-point rate, F(4x4, 3x3) takes about
0.45x their CPU time forward and backward at 256 channels on 32x32 maps
(F(2x2, 3x3) 0.65x); on small maps the kernel transform costs more than
the products save, and with fewer channels the tile transforms do:
`tile_size` picks F(2x2, 3x3) or the direct convolution there. F(4x4, 3x3) rounds more than the direct convolution
(about 4e-6 of the output's largest value from float64, against oneDNN's
1.5e-6; tested within `TOLERANCE`, 2e-5); F(2x2, 3x3) about as much.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export

# F(m, 3): input transform B^T ((m + 2) x (m + 2)), kernel transform G
# ((m + 2) x 3), output transform A^T (m x (m + 2)), by the tile's output
# size m. F(2, 3) interpolates at 0, 1, -1 and infinity; F(4, 3) at 0, 1,
# -1, 1/2, -2 and infinity: of the symmetric 0, +-1, +-1/2 (1.3e-5 of the
# largest output from float64 at 256 channels), +-2 (1.2e-5), +-3/2 (8e-6)
# and the mixed 0, +-1/2, +-2 (5e-6), this set measured the least float32
# error (3.7e-6 output, 3.5e-6 and 1.9e-6 gradients; oneDNN's direct
# convolution 1.5e-6, 1.9e-6, 3e-7), as Barabasz et al. found ("Error
# analysis and improving the accuracy of Winograd convolution for deep
# neural networks", 2020). B^T and A^T are exact in binary.
_MATRICES = {
    2: (
        np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]),
        np.array([[1, 0, 0], [1 / 2, 1 / 2, 1 / 2], [1 / 2, -1 / 2, 1 / 2], [0, 0, 1]]),
        np.array([[1, 1, 1, 0], [0, 1, -1, -1]]),
    ),
    4: (
        np.array(
            [
                [1, -3 / 2, -2, 3 / 2, 1, 0],
                [0, -1, 1 / 2, 5 / 2, 1, 0],
                [0, 1, -5 / 2, 1 / 2, 1, 0],
                [0, -2, -1, 2, 1, 0],
                [0, 1 / 2, -1, -1 / 2, 1, 0],
                [0, 1, -3 / 2, -2, 3 / 2, 1],
            ]
        ),
        np.array(
            [
                [1, 0, 0],
                [1 / 3, 1 / 3, 1 / 3],
                [-1 / 3, 1 / 3, -1 / 3],
                [-16 / 15, -8 / 15, -4 / 15],
                [1 / 15, -2 / 15, 4 / 15],
                [0, 0, 1],
            ]
        ),
        np.array(
            [
                [1, 1, 1, 1, 1, 0],
                [0, 1, -1, 1 / 2, -2, 0],
                [0, 1, 1, 1 / 4, 4, 0],
                [0, 1, -1, 1 / 8, -8, 1],
            ]
        ),
    ),
}
# Measured tolerance of the F(4x4, 3x3) path (see `winograd_conv2d`).
TOLERANCE = 2e-5


def _tiles(blocks, tile, rows, cols):
    """The overlapping input tiles of a map cut into `tile` x `tile` blocks.

    `blocks` is `[tile, tile, batch, rows + 1, cols + 1, channels]` (the row
    and column within a block first); tile `(i, j)` is block `(i, j)` with
    the first 2 rows of block `i + 1` below and the first 2 columns of
    block `j + 1` to the right. Returns `[tile + 2, tile + 2, batch, rows,
    cols, channels]`. The gradient is written out (pads and adds):
    TensorFlow's own for overlapping strided slices (`StridedSliceGrad`)
    took most of the step.
    """

    @tf.custom_gradient
    def tiles(blocks):
        zero = [0] * 6
        by_rows = tf.concat(
            [
                tf.slice(blocks, zero, [-1, -1, -1, rows, -1, -1]),
                tf.slice(blocks, [0, 0, 0, 1, 0, 0], [2, -1, -1, rows, -1, -1]),
            ],
            0,
        )
        out = tf.concat(
            [
                tf.slice(by_rows, zero, [-1, -1, -1, -1, cols, -1]),
                tf.slice(by_rows, [0, 0, 0, 0, 1, 0], [-1, 2, -1, -1, cols, -1]),
            ],
            1,
        )

        def grad(upstream):
            no = [0, 0]
            first, second = tf.split(upstream, [tile, 2], 1)
            by_rows = tf.pad(first, [no, no, no, no, [0, 1], no]) + tf.pad(
                second, [no, [0, tile - 2], no, no, [1, 0], no]
            )
            first, second = tf.split(by_rows, [tile, 2], 0)
            return tf.pad(first, [no, no, no, [0, 1], no, no]) + tf.pad(
                second, [[0, tile - 2], no, no, [1, 0], no, no]
            )

        return out, grad

    return tiles(blocks)


def _dims(x):
    """`x`'s sizes: Python ints where static (no graph op)."""
    if x.shape.is_fully_defined():
        return x.shape.as_list()
    shape = tf.shape(x)
    return [shape[axis] if size is None else size for axis, size in enumerate(x.shape)]


def tile_size(height, width, channels, filters):
    """The faster tile for this map and channel counts: 4, 2, or 0 (direct).

    Measured on CPU (oneDNN; 4 chained convolutions, forward and backward,
    batch 4; CPU time relative to the direct convolution; see the
    keras-applications CHANGELOG). The transforms cost per position and
    channel, the kernel transform per channel pair and call, while the
    products save per position and channel pair: Winograd needs many
    channels, F(4x4, 3x3) also large maps.

    - 256 channels: F(4x4) 0.43x at 32x32, 0.56x at 16x16 (1.3x at 8x8);
      F(2x2) 0.95x at 8x8, 1.0x at 4x4.
    - 512: F(4x4) 0.48x at 16x16; F(2x2) 0.68x at 8x8, 0.89x at 4x4.
    - 128: F(4x4) 0.61x at 32x32, 0.75x at 16x16; F(2x2) 0.92x at 8x8.
    - 64: F(4x4) 0.86x at 64x64, 1.16x at 32x32; F(2x2) 0.95x at 32x32,
      1.14x at 64x64.

    Unknown (dynamic) sizes are taken as large.
    """
    smaller = min(channels, filters)
    if height is None or width is None:
        positions = None
    else:
        positions = height * width
    if smaller < 128:
        # From 48x48, between the measured 32x32 (slower) and 64x64.
        return 4 if positions is None or positions >= 48 * 48 else 0
    if positions is None or positions >= 12 * 12:
        return 4
    if positions >= 8 * 8 or (smaller >= 512 and positions >= 4 * 4):
        return 2
    return 0


def conv3x3(x, kernel, tile=None):
    """`tf.nn.conv2d(x, kernel, 1, "SAME")` by Winograd F(tile x tile, 3x3).

    Args:
        x: float32 `[batch, height, width, channels]`, any spatial size
            (dynamic sizes included; sizes not divisible by the tile are
            padded and cropped).
        kernel: float32 `[3, 3, channels, filters]`.
        tile: outputs per tile and axis, 2 or 4; by default
            `tile_size`'s choice for the map (4 where it is 0).

    Returns:
        float32 `[batch, height, width, filters]`, equal to the direct
        convolution up to rounding (F(2x2, 3x3): about 1e-6 of the largest
        value, as oneDNN's own; F(4x4, 3x3): within `TOLERANCE`, 2e-5);
        differentiable in both arguments.
    """
    channels, filters = kernel.shape[2], kernel.shape[3]
    if tile is None:
        tile = tile_size(x.shape[1], x.shape[2], channels, filters) or 4
    if tile not in _MATRICES:
        raise ValueError(f"conv3x3: `tile` must be 2 or 4, received {tile!r}.")
    input_transform, kernel_transform, output_transform = _MATRICES[tile]
    span = tile + 2  # inputs per tile and axis
    batch, height, width, _ = _dims(x)
    rows = (height + tile - 1) // tile
    cols = (width + tile - 1) // tile
    # One zero row and column before (the "same" padding), and after: up to
    # the last tile's end, rounded up to a whole block.
    padded = tf.pad(
        x,
        [
            [0, 0],
            [1, tile * (rows + 1) - 1 - height],
            [1, tile * (cols + 1) - 1 - width],
            [0, 0],
        ],
    )
    blocks = tf.transpose(
        tf.reshape(padded, [batch, rows + 1, tile, cols + 1, tile, channels]),
        [2, 4, 0, 1, 3, 5],
    )
    tiles = tf.reshape(_tiles(blocks, tile, rows, cols), [span * span, -1])
    inputs = tf.matmul(
        tf.constant(np.kron(input_transform, input_transform), tf.float32), tiles
    )
    weights = tf.matmul(
        tf.constant(np.kron(kernel_transform, kernel_transform), tf.float32),
        tf.reshape(kernel, [9, channels * filters]),
    )
    weights = tf.reshape(weights, [span * span, channels, filters])
    products = tf.matmul(tf.reshape(inputs, [span * span, -1, channels]), weights)
    outputs = tf.matmul(
        tf.constant(np.kron(output_transform, output_transform), tf.float32),
        tf.reshape(products, [span * span, -1]),
    )
    outputs = tf.transpose(
        tf.reshape(outputs, [tile, tile, batch, rows, cols, filters]),
        [2, 3, 0, 4, 1, 5],
    )
    outputs = tf.reshape(outputs, [batch, tile * rows, tile * cols, filters])
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
def winograd_conv2d(conv, inputs, largest_tile=4):
    """`conv(inputs)`, by Winograd's F(4x4, 3x3) or F(2x2, 3x3) where faster.

    Computes a `keras.layers.Conv2D` on `inputs` with the layer's own
    weights. A float32, 3x3, stride-1, undilated, ungrouped `"same"`
    channels-last convolution without activation, on a machine without a
    GPU, is computed by Winograd's minimal filtering algorithm, with the
    tile `tile_size` measured faster for the map's static size and the
    channel counts: F(4x4, 3x3) (36 multiplications per 4x4 block of
    outputs, input and output channel, where the direct convolution takes
    144; about 0.45x its CPU time forward and backward at 256 channels on
    32x32 maps, 0.55x on 16x16) from 12x12 outputs with 128 channels or
    more (from 48x48 with fewer), F(2x2, 3x3) on 8x8 maps with 128 or
    more (4x4 with 512), and the direct convolution otherwise. Any other
    convolution, and any layer that is not a plain `Conv2D`, is called as
    usual.

    Numerics: F(4x4, 3x3) rounds more than the direct convolution. Its
    result and both gradients (for the input and the kernel) are within
    `TOLERANCE` = 2e-5 of the largest value from a float64 convolution
    (measured about 4e-6, 3.5e-6 and 2e-6 at 256 channels, with the
    interpolation points 0, 1, -1, 1/2, -2 chosen for the least error;
    oneDNN's own float32 convolution is 1.5e-6, 2e-6 and 3e-7 from float64);
    the tolerance leaves room for other channel counts and data, and is
    below what float32 training notices. F(2x2, 3x3) is as close as the
    direct convolution (about 1e-6).

    Weights, their paths in saved files and the layer's config are those
    of the layer: use this inside a layer's `call` in place of
    `conv(inputs)` where the convolution is a sublayer.

    Args:
        conv: a `keras.layers.Conv2D` (built, or built here on `inputs`'
            shape).
        inputs: float tensor `(batch, height, width, channels)`.
        largest_tile: 4 (default) or 2: with 2, F(2x2, 3x3) replaces
            F(4x4, 3x3), for results as close to the direct convolution as
            its own rounding (keras-applications' ResNet blocks, whose
            torchvision conversions are compared with torchvision's
            outputs, use 2).

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
    if largest_tile not in (2, 4):
        raise ValueError(
            "winograd_conv2d: `largest_tile` must be 2 or 4, received "
            f"{largest_tile!r}."
        )
    if not applies_to(conv):
        return conv(inputs)
    inputs = tf.convert_to_tensor(inputs, conv.compute_dtype)
    if not conv.built:
        conv.build(inputs.shape)
    tile = tile_size(inputs.shape[1], inputs.shape[2], *conv.kernel.shape[2:])
    tile = min(tile, largest_tile)
    if not tile:
        return conv(inputs)
    outputs = conv3x3(inputs, tf.convert_to_tensor(conv.kernel), tile)
    if conv.use_bias:
        outputs = outputs + conv.bias
    return outputs
