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
