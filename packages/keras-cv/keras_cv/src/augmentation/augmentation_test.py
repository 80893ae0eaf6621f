# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Mask-consistency tests: every box-moving augmentation keeps each box on
the pixels of its object, to 1 pixel."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.augmentation.jittered_resize import JitteredResize
from keras_cv.src.augmentation.jittered_resize import RandomCrop
from keras_cv.src.augmentation.keras_wrappers import RandomFlip
from keras_cv.src.augmentation.keras_wrappers import RandomTranslation
from keras_cv.src.augmentation.keras_wrappers import Resizing
from keras_cv.src.bounding_box import converters


def _scene(height, width, rng):
    """Two filled objects in distinct channels, plus one padding row."""
    image = np.zeros((height, width, 3), "float32")
    boxes = -np.ones((3, 4), "float32")
    labels = -np.ones((3,), "int32")
    yy, xx = np.mgrid[:height, :width]
    for k, channel in enumerate((0, 1)):
        h = rng.integers(height // 6, height // 3)
        w = rng.integers(width // 6, width // 3)
        y0 = rng.integers(0, height - h)
        x0 = rng.integers(0, width - w)
        # Rectangles: a box clipped to the image stays tight on the visible
        # part of a rectangle (not of an ellipse), so partly visible objects
        # can be checked too.
        mask = (yy >= y0) & (yy < y0 + h) & (xx >= x0) & (xx < x0 + w)
        image[..., channel][mask] = 255.0
        ys, xs = np.nonzero(mask)
        boxes[k] = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
        labels[k] = k
    return image, boxes, labels


def _check_consistent(image, boxes, labels, fmt):
    height, width = image.shape[:2]
    boxes = np.asarray(boxes)
    labels = np.asarray(labels)
    assert labels[2] == -1 and (boxes[2] == -1).all(), "padding row must stay padding"
    xyxy = np.asarray(
        converters.convert_format(boxes, fmt, "xyxy", height=height, width=width)
    )
    for k in (0, 1):
        mask = np.asarray(image)[..., k] > 127.5
        if not mask.any():
            # The object left the image: its row must be dropped, unless a
            # sliver under a pixel wide remains (too faint to show).
            sliver = min(xyxy[k, 2] - xyxy[k, 0], xyxy[k, 3] - xyxy[k, 1]) <= 1.0
            assert (labels[k] == -1 and (boxes[k] == -1).all()) or sliver
            continue
        if labels[k] == -1:
            # Dropped only if at most a sliver of interpolated pixels remains.
            assert mask.sum() <= 2 * max(height, width)
            continue
        assert labels[k] == k
        ys, xs = np.nonzero(mask)
        expected = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
        np.testing.assert_allclose(xyxy[k], expected, atol=1.0 + 1e-4)


LAYERS = [
    (
        "flip_h",
        lambda fmt, seed: RandomFlip("horizontal", bounding_box_format=fmt, seed=seed),
    ),
    (
        "flip_hv",
        lambda fmt, seed: RandomFlip(
            "horizontal_and_vertical", bounding_box_format=fmt, seed=seed
        ),
    ),
    ("resize_pad", lambda fmt, seed: Resizing(48, 40, bounding_box_format=fmt)),
    (
        "translate",
        lambda fmt, seed: RandomTranslation(
            0.3, 0.3, bounding_box_format=fmt, seed=seed
        ),
    ),
    (
        "jitter",
        lambda fmt, seed: JitteredResize(
            40, 40, scale_factor=(0.5, 2.0), bounding_box_format=fmt, seed=seed
        ),
    ),
    ("crop", lambda fmt, seed: RandomCrop(24, 30, bounding_box_format=fmt, seed=seed)),
]


@pytest.mark.parametrize("name, make", LAYERS, ids=[n for n, _ in LAYERS])
@pytest.mark.parametrize("fmt", ["xyxy", "rel_yxyx"])
def test_mask_consistency_unbatched(name, make, fmt):
    rng = np.random.default_rng(0)
    for seed in range(3):
        image, boxes, labels = _scene(36, 50, rng)
        fmt_boxes = np.array(
            converters.convert_format(boxes, "xyxy", fmt, height=36, width=50)
        )
        fmt_boxes[labels < 0] = -1
        layer = make(fmt, seed)
        out = layer(
            {"images": image, "bounding_boxes": {"boxes": fmt_boxes, "labels": labels}},
            training=True,
        )
        _check_consistent(
            out["images"],
            out["bounding_boxes"]["boxes"],
            out["bounding_boxes"]["labels"],
            fmt,
        )


@pytest.mark.parametrize("name, make", LAYERS, ids=[n for n, _ in LAYERS])
def test_mask_consistency_batched_in_tf_data(name, make):
    rng = np.random.default_rng(1)
    scenes = [_scene(36, 50, rng) for _ in range(6)]
    data = {
        "images": np.stack([s[0] for s in scenes]),
        "bounding_boxes": {
            "boxes": np.stack([s[1] for s in scenes]),
            "labels": np.stack([s[2] for s in scenes]),
        },
    }
    layer = make("xyxy", 3)
    ds = (
        tf.data.Dataset.from_tensor_slices(data)
        .batch(3)
        .map(lambda d: layer(d, training=True))
    )
    seen = 0
    for batch in ds:
        for i in range(3):
            _check_consistent(
                batch["images"][i],
                batch["bounding_boxes"]["boxes"][i],
                batch["bounding_boxes"]["labels"][i],
                "xyxy",
            )
            seen += 1
    assert seen == 6


def test_augmentations_actually_move_boxes():
    # Guards the consistency tests against layers that silently do nothing.
    rng = np.random.default_rng(2)
    image, boxes, labels = _scene(36, 50, rng)
    data = {"images": image, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    for name, make in LAYERS:
        moved = False
        for seed in range(6):
            out = make("xyxy", seed)(data, training=True)
            out_boxes = np.asarray(out["bounding_boxes"]["boxes"])[:2]
            if out["images"].shape[:2] != (36, 50) or not np.allclose(
                out_boxes, boxes[:2]
            ):
                moved = True
        assert moved, name


def test_keras_random_crop_moves_boxes_by_the_wrong_offset():
    # The fault our RandomCrop fixes: Keras 3.15 subtracts the vertical crop
    # offset from x and the horizontal offset from y.
    rng = np.random.default_rng(3)
    image, boxes, labels = _scene(36, 50, rng)
    faults = 0
    for seed in range(5):
        layer = keras.layers.RandomCrop(24, 30, bounding_box_format="xyxy", seed=seed)
        out = layer(
            {
                "images": image[None],
                "bounding_boxes": {"boxes": boxes[None], "labels": labels[None]},
            },
            training=True,
        )
        out_image = np.asarray(out["images"][0])
        out_boxes = np.asarray(out["bounding_boxes"]["boxes"][0])
        for k in (0, 1):
            mask = out_image[..., k] > 127.5
            if mask.any():
                ys, xs = np.nonzero(mask)
                expected = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
                if np.abs(out_boxes[k] - expected).max() > 1.0:
                    faults += 1
    assert faults > 0


def test_inference_mode():
    image = np.zeros((20, 40, 3), "float32")
    image[2:6, 4:10] = 255
    data = {
        "images": image,
        "bounding_boxes": {"boxes": [[4.0, 2.0, 10.0, 6.0]], "labels": [0]},
    }
    out = JitteredResize(10, 10)(data, training=False)
    # Fit: scale 0.25, top-left.
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], [[1.0, 0.5, 2.5, 1.5]])
    out = RandomFlip("horizontal")(data, training=False)
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], [[4.0, 2.0, 10.0, 6.0]])
    out = RandomCrop(10, 10)(data, training=False)
    # Centre crop: offsets (5, 15).
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], [[-1.0] * 4])
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], [-1])
    image[6:9, 18:25] = 255
    data["bounding_boxes"] = {"boxes": [[18.0, 6.0, 25.0, 9.0]], "labels": [1]}
    out = RandomCrop(10, 10)(data, training=False)
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], [[3.0, 1.0, 10.0, 4.0]])


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (
            RandomFlip,
            {"mode": "horizontal", "bounding_box_format": "rel_xyxy", "seed": 1},
        ),
        (Resizing, {"height": 8, "width": 9, "bounding_box_format": "yxyx"}),
        (RandomTranslation, {"height_factor": 0.1, "width_factor": 0.2, "seed": 2}),
        (
            JitteredResize,
            {"height": 8, "width": 8, "scale_factor": [0.5, 1.5], "seed": 3},
        ),
        (
            RandomCrop,
            {"height": 8, "width": 6, "bounding_box_format": "xywh", "seed": 4},
        ),
    ],
)
def test_config_round_trip(cls, kwargs):
    layer = cls(**kwargs)
    config = layer.get_config()
    clone = cls.from_config(config)
    assert clone.get_config() == config
    revived = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(layer), safe_mode=True
    )
    assert isinstance(revived, cls) and revived.get_config() == config


def test_bad_inputs():
    with pytest.raises(ValueError, match="expects a dict"):
        JitteredResize(8, 8)(np.zeros((8, 8, 3), "float32"))
    with pytest.raises(ValueError, match="scale_factor"):
        JitteredResize(8, 8, scale_factor=(2.0, 1.0))
    with pytest.raises(ValueError, match="format"):
        RandomCrop(8, 8, bounding_box_format="xyzw")
    with pytest.raises(ValueError, match="last dimension of 4"):
        RandomCrop(8, 8)(
            {
                "images": np.zeros((8, 8, 3), "float32"),
                "bounding_boxes": {"boxes": [[1.0, 2.0, 3.0]], "labels": [0]},
            }
        )
