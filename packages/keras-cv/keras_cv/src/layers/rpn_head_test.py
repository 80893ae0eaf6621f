# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.rpn_head import RPNHead


class RPNHeadTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            RPNHead,
            {"num_anchors": 3, "filters": 8},
            np.random.default_rng(0).normal(size=(2, 6, 5, 4)).astype("float32"),
            expected_output_shape=((2, 6, 5, 3), (2, 6, 5, 12)),
            expected_num_trainable_weights=6,
            expected_num_non_trainable_weights=0,
        )

    def test_against_tf_ops(self):
        x = np.random.default_rng(1).normal(size=(2, 6, 5, 4)).astype("float32")
        head = RPNHead(num_anchors=2, filters=8)
        logits, offsets = head(x)
        for layer in (head.conv, head.classification, head.box):
            layer.bias.assign(np.random.default_rng(2).normal(size=layer.bias.shape))
        logits, offsets = head(x)
        shared = tf.nn.relu(
            tf.nn.conv2d(x, head.conv.kernel, 1, "SAME") + head.conv.bias
        )
        want_logits = (
            tf.nn.conv2d(shared, head.classification.kernel, 1, "SAME")
            + head.classification.bias
        )
        want_offsets = tf.nn.conv2d(shared, head.box.kernel, 1, "SAME") + head.box.bias
        np.testing.assert_allclose(logits, want_logits, atol=1e-5)
        np.testing.assert_allclose(offsets, want_offsets, atol=1e-5)

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="num_anchors.*positive int"):
            RPNHead(0)
        with pytest.raises(ValueError, match="filters.*positive int"):
            RPNHead(3, filters=2.5)


class RPNHeadDepthTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            RPNHead,
            {"num_anchors": 3, "filters": 4, "depth": 2},
            np.random.default_rng(0).normal(size=(2, 6, 5, 4)).astype("float32"),
            expected_output_shape=((2, 6, 5, 3), (2, 6, 5, 12)),
            expected_num_trainable_weights=8,
            expected_num_non_trainable_weights=0,
        )

    def test_two_convolutions_against_tf_ops(self):
        # torchvision's RPNHead(conv_depth=2): two 3x3 convolutions with
        # bias and ReLU (no normalization), then the two 1x1 outputs.
        x = np.random.default_rng(1).normal(size=(2, 6, 5, 4)).astype("float32")
        head = RPNHead(num_anchors=2, filters=4, depth=2)
        head(x)
        rng = np.random.default_rng(2)
        layers = [head.conv, *head.extra_convs, head.classification, head.box]
        for layer in layers:
            layer.bias.assign(rng.normal(size=layer.bias.shape))
        logits, offsets = head(x)
        shared = x
        for conv in (head.conv, head.extra_convs[0]):
            shared = tf.nn.relu(
                tf.nn.conv2d(shared, conv.kernel, 1, "SAME") + conv.bias
            )
        np.testing.assert_allclose(
            logits,
            tf.nn.conv2d(shared, head.classification.kernel, 1, "SAME")
            + head.classification.bias,
            atol=1e-5,
        )
        np.testing.assert_allclose(
            offsets,
            tf.nn.conv2d(shared, head.box.kernel, 1, "SAME") + head.box.bias,
            atol=1e-5,
        )
        assert head.get_config()["depth"] == 2

    def test_bad_depth(self):
        with pytest.raises(ValueError, match="depth.*positive int.*Received: depth=0"):
            RPNHead(3, depth=0)
