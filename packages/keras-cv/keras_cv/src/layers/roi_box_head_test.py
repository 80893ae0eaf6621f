# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest

from keras_core.testing import TestCase
from keras_cv.src.layers.roi_box_head import ROIBoxHead


class ROIBoxHeadTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            ROIBoxHead,
            {"num_classes": 3, "units": 8},
            np.random.default_rng(0).normal(size=(5, 7, 7, 4)).astype("float32"),
            expected_output_shape=((5, 4), (5, 3, 4)),
            expected_num_trainable_weights=8,
            expected_num_non_trainable_weights=0,
        )

    def test_against_numpy(self):
        pooled = np.random.default_rng(1).normal(size=(4, 3, 3, 2)).astype("float32")
        head = ROIBoxHead(num_classes=2, units=6)
        head(pooled)
        rng = np.random.default_rng(2)
        for layer in (head.fc1, head.fc2, head.classification, head.box):
            layer.kernel.assign(rng.normal(size=layer.kernel.shape))
            layer.bias.assign(rng.normal(size=layer.bias.shape))
        logits, offsets = head(pooled)

        def dense(layer, x):
            return x @ np.asarray(layer.kernel) + np.asarray(layer.bias)

        h = np.maximum(dense(head.fc1, pooled.reshape(4, -1)), 0)
        h = np.maximum(dense(head.fc2, h), 0)
        np.testing.assert_allclose(logits, dense(head.classification, h), atol=1e-4)
        np.testing.assert_allclose(
            offsets, dense(head.box, h).reshape(4, 2, 4), atol=1e-4
        )

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="num_classes.*positive int"):
            ROIBoxHead(0)
        with pytest.raises(ValueError, match="units.*positive int"):
            ROIBoxHead(3, units=True)


class ROIBoxHeadConvolutionsTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            ROIBoxHead,
            {
                "num_classes": 3,
                "units": 8,
                "conv_depth": 2,
                "conv_filters": 4,
                "dense_depth": 1,
                "normalization": "batch",
                "norm_epsilon": 1e-5,
            },
            np.random.default_rng(0).normal(size=(5, 7, 7, 4)).astype("float32"),
            expected_output_shape=((5, 4), (5, 3, 4)),
            # 2 kernels, 2 x (gamma, beta), fc1, classification, box.
            expected_num_trainable_weights=12,
            expected_num_non_trainable_weights=4,
        )

    def test_against_numpy(self):
        # torchvision's FastRCNNConvFCHead with norm_layer=BatchNorm2d
        # (inference): conv (no bias), batch norm, ReLU; flatten; one dense.
        pooled = np.random.default_rng(1).normal(size=(4, 3, 3, 2)).astype("float32")
        head = ROIBoxHead(
            num_classes=2,
            units=6,
            conv_depth=2,
            conv_filters=3,
            dense_depth=1,
            normalization="batch",
            norm_epsilon=1e-5,
        )
        head(pooled)
        rng = np.random.default_rng(2)
        for norm in head.norms:
            norm.gamma.assign(rng.uniform(0.5, 1.5, 3))
            norm.beta.assign(rng.normal(size=3))
            norm.moving_mean.assign(rng.normal(size=3))
            norm.moving_variance.assign(rng.uniform(0.5, 1.5, 3))
        for layer in (head.fc1, head.classification, head.box):
            layer.bias.assign(rng.normal(size=layer.bias.shape))
        logits, offsets = head(pooled, training=False)
        assert not hasattr(head, "fc2") and len(head.dense_layers) == 1

        def conv3x3(x, kernel):
            padded = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)])
            out = np.zeros(x.shape[:3] + (kernel.shape[-1],))
            for dy in range(3):
                for dx in range(3):
                    window = padded[:, dy : dy + x.shape[1], dx : dx + x.shape[2]]
                    out += window @ kernel[dy, dx]
            return out

        h = pooled
        for conv, norm in zip(head.convs, head.norms):
            h = conv3x3(h, np.asarray(conv.kernel))
            h = (h - np.asarray(norm.moving_mean)) / np.sqrt(
                np.asarray(norm.moving_variance) + 1e-5
            ) * np.asarray(norm.gamma) + np.asarray(norm.beta)
            h = np.maximum(h, 0)

        def dense(layer, x):
            return x @ np.asarray(layer.kernel) + np.asarray(layer.bias)

        h = np.maximum(dense(head.fc1, h.reshape(4, -1)), 0)
        np.testing.assert_allclose(logits, dense(head.classification, h), atol=1e-4)
        np.testing.assert_allclose(
            offsets, dense(head.box, h).reshape(4, 2, 4), atol=1e-4
        )

    def test_bad_arguments(self):
        with pytest.raises(
            ValueError, match="conv_depth.*int >= 0.*Received: conv_depth=-1"
        ):
            ROIBoxHead(3, conv_depth=-1)
        with pytest.raises(ValueError, match="dense_depth.*positive int"):
            ROIBoxHead(3, dense_depth=0)
        with pytest.raises(
            ValueError, match="normalization.*Received: normalization='group'"
        ):
            ROIBoxHead(3, normalization="group")
