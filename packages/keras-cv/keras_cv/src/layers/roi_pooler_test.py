# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf

from keras_core.testing import TestCase
from keras_cv.src.layers.roi_pooler import ROIPooler


def _linear_map(height, width, a, b, c):
    """A map whose value at index (i, j) is a * i + b * j + c (bilinear-exact)."""
    i, j = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    return (a * i + b * j + c).astype("float32")[None, :, :, None]


class ROIPoolerTest(TestCase):
    def test_layer(self):
        rng = np.random.default_rng(0)
        features = rng.normal(size=(2, 8, 8, 3)).astype("float32")
        rois = np.array([[[0, 0, 4, 4], [1, 2, 7, 6], [-3, -3, 20, 5]]] * 2, "float32")
        self.run_layer_test(
            ROIPooler,
            {"output_size": (3, 2)},
            (features, rois),
            expected_output_shape=(2, 3, 3, 2, 3),
            expected_output_dtype="float32",
        )
        layer = ROIPooler(output_size=(3, 2))
        dataset = tf.data.Dataset.from_tensor_slices((features, rois)).batch(2)
        mapped = next(iter(dataset.map(lambda f, r: layer(f, r))))
        self.assertAllClose(mapped, layer(features, rois))

    def test_matches_crop_and_resize_on_hand_built_boxes(self):
        features = np.random.default_rng(1).normal(size=(1, 8, 8, 2)).astype("float32")
        # Box x 1..7, y 2..6 on an 8x8 map, 2x2 output, one sample per cell:
        # cell centres at y = 3, 5 and x = 2.5, 5.5, i.e. indices y 2.5, 4.5
        # and x 2, 5 (pixel k covers [k, k+1]).
        pooled = ROIPooler(output_size=(2, 2), sampling_ratio=1)(
            features, [[[1, 2, 7, 6]]]
        )
        expected = tf.image.crop_and_resize(
            features, [[2.5 / 7, 2 / 7, 4.5 / 7, 5 / 7]], [0], (2, 2)
        )
        self.assertAllClose(pooled[0], expected, atol=1e-5)
        # Two samples per axis: a 4x4 grid of sub-cell centres averaged 2x2.
        # Sub-cells of 1 x 1.5 pixels: y 2.5..5.5 -> indices 2..5, x 1.75..6.25
        # -> indices 1.25..5.75.
        pooled = ROIPooler(output_size=(2, 2), sampling_ratio=2)(
            features, [[[1, 2, 7, 6]]]
        )
        grid = tf.image.crop_and_resize(
            features, [[2 / 7, 1.25 / 7, 5 / 7, 5.75 / 7]], [0], (4, 4)
        ).numpy()
        expected = grid.reshape(1, 2, 2, 2, 2, 2).mean(axis=(2, 4))
        self.assertAllClose(pooled[0], expected, atol=1e-5)

    def test_linear_map_gives_the_value_at_cell_centres(self):
        features = _linear_map(16, 16, 2.0, 3.0, 1.0)
        boxes = np.array([[[2.0, 3.0, 11.0, 9.0]]], "float32")
        pooled = ROIPooler(output_size=(3, 3), sampling_ratio=2)(
            features, boxes
        ).numpy()[0, 0, ..., 0]
        ys = 3.0 + (np.arange(3) + 0.5) * 2.0 - 0.5
        xs = 2.0 + (np.arange(3) + 0.5) * 3.0 - 0.5
        self.assertAllClose(
            pooled, 2.0 * ys[:, None] + 3.0 * xs[None, :] + 1.0, atol=1e-4
        )

    def test_level_chosen_by_box_size(self):
        # P2 (stride 4) holds 0 + linear, P3 (stride 8) holds 1000 + linear.
        maps = {
            "P2": _linear_map(16, 16, 1.0, 1.0, 0.0),
            "P3": _linear_map(8, 8, 1.0, 1.0, 1000.0),
        }
        layer = ROIPooler(output_size=(1, 1), canonical_size=16.0, canonical_level=3)
        boxes = np.array([[[8, 8, 16, 16], [8, 8, 40, 40], [0, 0, 64, 64]]], "float32")
        pooled = layer(maps, boxes).numpy()[0, :, 0, 0, 0]

        # 8-pixel box -> level floor(3 + log2(8/16)) = 2; 32 -> 4 clamped to 3.
        def centre(box, stride):
            return (box[0] + box[2]) / 2 / stride - 0.5

        self.assertAllClose(
            pooled,
            [
                2 * centre(boxes[0, 0], 4),
                1000 + 2 * centre(boxes[0, 1], 8),
                1000 + 2 * centre(boxes[0, 2], 8),
            ],
            atol=1e-4,
        )

    def test_many_levels_keep_roi_order_and_gradients(self):
        rng = np.random.default_rng(3)
        maps = {
            f"P{k}": tf.constant(rng.normal(size=(2, 64 >> k, 64 >> k, 4)), "float32")
            for k in (2, 3, 4)
        }
        xy = rng.uniform(0, 40, (2, 10, 2))
        wh = rng.uniform(2, 60, (2, 10, 2))
        boxes = np.concatenate([xy, xy + wh], -1).astype("float32")
        layer = ROIPooler(output_size=(2, 2), canonical_size=16.0, canonical_level=3)
        with tf.GradientTape() as tape:
            tape.watch(maps)
            pooled = layer(maps, boxes)
            total = tf.reduce_sum(pooled)
        grads = tape.gradient(total, maps)
        self.assertTrue(
            all(float(tf.reduce_sum(tf.abs(g))) > 0 for g in grads.values())
        )
        # Each ROI alone gives the same result as in the batch.
        for b, m in ((0, 3), (1, 7)):
            single = layer(
                {k: v[b : b + 1] for k, v in maps.items()}, boxes[b : b + 1, m : m + 1]
            )
            self.assertAllClose(pooled[b, m], single[0, 0], atol=1e-5)

    def test_rois_outside_the_map_read_the_edge(self):
        features = np.full((1, 4, 4, 1), 3.0, "float32")
        pooled = ROIPooler(output_size=(2, 2))(
            features, [[[-10, -10, 2, 2], [3, 3, 50, 50]]]
        )
        self.assertAllClose(pooled, np.full((1, 2, 2, 2, 1), 3.0))
        linear = _linear_map(4, 4, 1.0, 0.0, 0.0)
        pooled = ROIPooler(output_size=(1, 1), sampling_ratio=1)(
            linear, [[[0, -20, 4, 0]]]
        )
        self.assertAllClose(pooled[0, 0, 0, 0, 0], 0.0)  # clamped to row 0

    def test_other_format_and_zero_area(self):
        features = _linear_map(8, 8, 1.0, 10.0, 0.0)
        pooled = ROIPooler(output_size=(1, 1), bounding_box_format="yxyx")(
            features, [[[2, 4, 4, 8]]]
        )
        self.assertAllClose(pooled[0, 0, 0, 0, 0], 2.5 + 10 * 5.5, atol=1e-4)
        point = ROIPooler(output_size=(2, 2))(features, [[[3.5, 3.5, 3.5, 3.5]]])
        self.assertAllClose(point, np.full((1, 1, 2, 2, 1), 3.0 + 30.0), atol=1e-4)

    def test_bad_input(self):
        for size in ((0, 7), (7,), "7", (7.0, 7), (7, -1), (True, 2)):
            with pytest.raises(ValueError, match="two positive ints"):
                ROIPooler(output_size=size)
        self.assertEqual(ROIPooler(output_size=5).output_size, (5, 5))
        with pytest.raises(ValueError, match="sampling_ratio"):
            ROIPooler(sampling_ratio=0)
        with pytest.raises(ValueError, match="pixels"):
            ROIPooler(bounding_box_format="rel_xyxy")
        layer = ROIPooler()
        with pytest.raises(ValueError, match="P<level>"):
            layer({"level3": np.zeros((1, 4, 4, 1))}, np.zeros((1, 1, 4)))
        with pytest.raises(ValueError, match=r"\[B, M, 4\]"):
            layer(np.zeros((1, 4, 4, 1)), np.zeros((1, 4)))
        with pytest.raises(ValueError, match="same number of channels"):
            layer(
                {"P3": np.zeros((1, 4, 4, 1)), "P4": np.zeros((1, 2, 2, 2))},
                np.zeros((1, 1, 4)),
            )
        with pytest.raises(ValueError, match=r"\[B, H, W, C\]"):
            layer(np.zeros((4, 4, 1)), np.zeros((1, 1, 4)))
