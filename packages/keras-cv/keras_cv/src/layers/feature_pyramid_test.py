# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import functools

import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.feature_pyramid import FeaturePyramid


def _features(sizes=(16, 8, 4), channels=(3, 5, 6), seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.normal(size=(2, s, s + 2, c)).astype("float32")
        for s, c in zip(sizes, channels)
    ]


# The pyramid's maps for `_features()` (P3 16x18, halved with ceil up to P7).
_LEVEL_SHAPES = [
    (2, 16, 18, 4),
    (2, 8, 10, 4),
    (2, 4, 6, 4),
    (2, 2, 3, 4),
    (2, 1, 2, 4),
]


def _conv(layer, x, stride=1, padding="SAME"):
    out = tf.nn.conv2d(x, layer.kernel, stride, padding)
    return out + layer.bias if layer.use_bias else out


def _conv_norm(convs, norms, index, x):
    """Convolution `index`, then its batch norm (inference) if it has one."""
    x = _conv(convs[index], x)
    if not norms:
        return x
    norm = norms[index]
    return tf.nn.batch_normalization(
        x, norm.moving_mean, norm.moving_variance, norm.beta, norm.gamma, 1e-5
    )


def _up(x, ref):
    x = tf.repeat(tf.repeat(x, 2, axis=1), 2, axis=2)
    return x[:, : ref.shape[1], : ref.shape[2]]


def _expected_p3_to_p5(fpn, c3, c4, c5):
    """P3-P5 recomputed from `fpn`'s weights with tf.nn ops: torchvision's
    top-down pathway (lateral 1x1, nearest 2x upsampling, output 3x3)."""
    lateral = functools.partial(_conv_norm, fpn.lateral, fpn.lateral_norms)
    output = functools.partial(_conv_norm, fpn.output_convs, fpn.output_norms)
    m5 = lateral(2, c5)
    m4 = lateral(1, c4) + _up(m5, c4)
    m3 = lateral(0, c3) + _up(m4, c3)
    return [output(i, m) for i, m in enumerate((m3, m4, m5))]


class FeaturePyramidTest(TestCase):
    def test_layer_harness(self):
        # Without normalization: 3 lateral + 3 output + 2 extra convolutions,
        # kernel and bias. With batch norms (and max-pooled P6): 6
        # convolutions without bias, 6 batch norms (gamma, beta; and moving
        # mean and variance).
        for config, trainable, non_trainable in (
            ({"max_level": 7}, 16, 0),
            (
                {
                    "max_level": 6,
                    "extra_type": "max_pool",
                    "normalization": "batch",
                    "norm_epsilon": 1e-5,
                },
                18,
                12,
            ),
        ):
            self.run_layer_test(
                FeaturePyramid,
                {"filters": 4, **config},
                _features(),
                expected_output_shape=_LEVEL_SHAPES[: config["max_level"] - 2],
                expected_num_trainable_weights=trainable,
                expected_num_non_trainable_weights=non_trainable,
            )

    def test_against_tf_ops(self):
        # The top-down pathway recomputed from the weights with tf.nn ops.
        c3, c4, c5 = _features()
        fpn = FeaturePyramid(
            4, max_level=6, extra_input="C5", extra_padding="symmetric"
        )
        outputs = fpn([c3, c4, c5])
        expected = _expected_p3_to_p5(fpn, c3, c4, c5)
        padded = tf.pad(c5, [[0, 0], [1, 1], [1, 1], [0, 0]])
        expected.append(_conv(fpn.extra[0], padded, 2, "VALID"))
        assert len(outputs) == 4
        for got, want in zip(outputs, expected):
            np.testing.assert_allclose(got, want, atol=1e-5)

    def test_min_level_2_and_max_pool(self):
        feats = _features((32, 16, 8, 4), (2, 3, 5, 6))
        fpn = FeaturePyramid(4, max_level=6, min_level=2, extra_type="max_pool")
        outputs = fpn(feats)
        assert [tuple(o.shape) for o in outputs] == [
            (2, 32, 34, 4),
            (2, 16, 18, 4),
            (2, 8, 10, 4),
            (2, 4, 6, 4),
            (2, 2, 3, 4),
        ]
        np.testing.assert_array_equal(outputs[4], np.asarray(outputs[3])[:, ::2, ::2])
        assert fpn.extra == []

    def test_input_levels_of_equal_stride(self):
        # Two maps of stride 32 (torchvision's MobileNetV3 FPN): the coarser
        # merged map is added without upsampling; P6 max-pools the last.
        c5a, c5b = _features((4, 4), (3, 5))
        fpn = FeaturePyramid(4, max_level=6, extra_type="max_pool", input_levels=(5, 5))
        outputs = fpn([c5a, c5b])
        assert fpn.levels == [5, 5, 6]
        assert [layer.name for layer in fpn.lateral] == ["lateral_P5", "lateral_P5_1"]

        m1 = _conv(fpn.lateral[1], c5b)
        m0 = _conv(fpn.lateral[0], c5a) + m1
        expected = [_conv(fpn.output_convs[0], m0), _conv(fpn.output_convs[1], m1)]
        expected.append(expected[1][:, ::2, ::2])
        assert len(outputs) == 3
        for got, want in zip(outputs, expected):
            np.testing.assert_allclose(got, want, atol=1e-5)
        config = fpn.get_config()
        assert config["input_levels"] == [5, 5]
        assert FeaturePyramid.from_config(config).levels == [5, 5, 6]

    def test_input_levels_default_is_min_level_to_5(self):
        feats = _features()
        fpn = FeaturePyramid(4, max_level=6, input_levels=(3, 4, 5))
        plain = FeaturePyramid(4, max_level=6)
        plain.build([f.shape for f in feats])
        fpn.build([f.shape for f in feats])
        fpn.set_weights(plain.get_weights())
        for got, want in zip(fpn(feats), plain(feats)):
            np.testing.assert_allclose(got, want, atol=1e-6)
        assert [w.path for w in fpn.weights] == [
            w.path.replace(plain.name, fpn.name) for w in plain.weights
        ]

    def test_bad_input_levels(self):
        for input_levels in [(5, 4), (3, 5), (4,), (5, 6), (), ("P5",), (True, 5)]:
            with pytest.raises(ValueError, match="`input_levels` must be None or"):
                FeaturePyramid(4, max_level=6, input_levels=input_levels)
        with pytest.raises(ValueError, match="list of 2 maps of levels \\[5, 5\\]"):
            FeaturePyramid(4, max_level=6, input_levels=(5, 5))(_features()[:1])

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="filters.*positive int"):
            FeaturePyramid(0, max_level=5)
        with pytest.raises(ValueError, match="max_level.*Received: max_level=8"):
            FeaturePyramid(4, max_level=8)
        with pytest.raises(ValueError, match="extra_input"):
            FeaturePyramid(4, max_level=6, extra_input="P4")
        with pytest.raises(ValueError, match="extra_padding"):
            FeaturePyramid(4, max_level=6, extra_padding="valid")
        with pytest.raises(ValueError, match="extra_type"):
            FeaturePyramid(4, max_level=6, extra_type="avg_pool")
        with pytest.raises(ValueError, match="min_level"):
            FeaturePyramid(4, max_level=6, min_level=4)
        with pytest.raises(ValueError, match="list of 3 backbone maps C3-C5"):
            FeaturePyramid(4, max_level=5)(_features()[:2])


class FeaturePyramidBatchNormTest(TestCase):
    def test_against_tf_ops(self):
        # torchvision's FPN with norm_layer=BatchNorm2d (inference): each
        # lateral and output convolution without bias, then batch norm.
        c3, c4, c5 = _features()
        fpn = FeaturePyramid(
            4,
            max_level=6,
            extra_type="max_pool",
            normalization="batch",
            norm_epsilon=1e-5,
        )
        fpn([c3, c4, c5])
        rng = np.random.default_rng(3)
        for norm in fpn.lateral_norms + fpn.output_norms:
            norm.gamma.assign(rng.uniform(0.5, 1.5, 4))
            norm.beta.assign(rng.normal(size=4))
            norm.moving_mean.assign(rng.normal(size=4))
            norm.moving_variance.assign(rng.uniform(0.5, 1.5, 4))
        outputs = fpn([c3, c4, c5], training=False)
        assert all(not conv.use_bias for conv in fpn.lateral + fpn.output_convs)
        expected = _expected_p3_to_p5(fpn, c3, c4, c5)
        expected.append(expected[-1][:, ::2, ::2])
        assert len(outputs) == 4
        for got, want in zip(outputs, expected):
            np.testing.assert_allclose(got, want, atol=1e-5)

    def test_bad_normalization(self):
        with pytest.raises(
            ValueError, match="normalization.*Received: normalization='group'"
        ):
            FeaturePyramid(4, max_level=6, normalization="group")
        with pytest.raises(ValueError, match="norm_epsilon.*non-negative"):
            FeaturePyramid(4, max_level=6, normalization="batch", norm_epsilon=-1)


def test_winograd_output_convolutions_equal_the_layers():
    # 128 filters: the 16x18 P3 output convolution by Winograd F(4x4, 3x3),
    # P4 (8x9) by F(2x2, 3x3); against the same pyramid calling its layers,
    # within F(4x4, 3x3)'s documented tolerance (2e-5 of the largest value).
    features = _features(channels=(8, 8, 8))
    pyramids = []
    for use_winograd in (False, True):
        fpn = FeaturePyramid(128, max_level=5)
        fpn.winograd = use_winograd
        fpn.build([f.shape for f in features])
        pyramids.append(fpn)
    pyramids[1].set_weights(pyramids[0].get_weights())
    for want, got in zip(pyramids[0](features), pyramids[1](features)):
        np.testing.assert_allclose(got, want, atol=2e-5 * np.abs(want).max())
