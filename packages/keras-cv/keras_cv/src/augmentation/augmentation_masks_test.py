# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Masks move with the images, pixel for pixel.

Images are label-coded: channel 0 holds the class of each pixel (times
40) and channel 1 the instance id (times 40). With nearest-neighbour image
interpolation, the augmented masks must equal the augmented image's codes
exactly, so any difference between the mask transform and the image
transform shows up.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.augmentation.affine import RandomRotation
from keras_cv.src.augmentation.affine import RandomShear
from keras_cv.src.augmentation.affine import RandomZoom
from keras_cv.src.augmentation.jittered_resize import JitteredResize
from keras_cv.src.augmentation.jittered_resize import RandomCrop
from keras_cv.src.augmentation.keras_wrappers import RandomFlip
from keras_cv.src.augmentation.keras_wrappers import RandomTranslation
from keras_cv.src.augmentation.keras_wrappers import Resizing

CODE = 40.0


def _scene(height, width, rng):
    semantic = rng.integers(0, 4, (height, width, 1)).astype("int32")
    instances = np.zeros((3, height, width), "uint8")
    boxes = -np.ones((3, 4), "float32")
    labels = -np.ones((3,), "int32")
    ids = np.zeros((height, width), "float32")
    for k in range(2):
        h = int(rng.integers(height // 5, height // 3))
        w = int(rng.integers(width // 5, width // 3))
        y0 = int(rng.integers(0, height - h)) if k == 0 else height - h
        x0 = int(rng.integers(0, width // 2 - w)) if k == 0 else width - w
        instances[k, y0 : y0 + h, x0 : x0 + w] = 1
        ids[y0 : y0 + h, x0 : x0 + w] = k + 1
        boxes[k] = [x0, y0, x0 + w, y0 + h]
        labels[k] = k
    image = np.stack(
        [semantic[..., 0] * CODE, ids * CODE, np.zeros_like(ids)], -1
    ).astype("float32")
    return {
        "images": image,
        "bounding_boxes": {"boxes": boxes, "labels": labels},
        "segmentation_masks": semantic,
        "instance_masks": instances,
    }


LAYERS = {
    "flip": lambda: RandomFlip("horizontal_and_vertical", seed=3),
    "resize_pad": lambda: Resizing(52, 37, interpolation="nearest"),
    "resize_down": lambda: Resizing(17, 29, interpolation="nearest", fill_value=114.0),
    "translation": lambda: RandomTranslation(
        0.3, 0.3, interpolation="nearest", fill_value=114.0, seed=5
    ),
    "jittered_resize": lambda: JitteredResize(
        36, 44, scale_factor=(0.5, 1.6), interpolation="nearest", seed=7
    ),
    "random_crop": lambda: RandomCrop(21, 26, seed=9),
    "rotation": lambda: RandomRotation(
        0.2, interpolation="nearest", fill_value=114.0, seed=4
    ),
    "shear": lambda: RandomShear(
        0.3, 0.2, interpolation="nearest", fill_value=114.0, seed=6
    ),
    "zoom": lambda: RandomZoom(
        (-0.4, 0.4), interpolation="nearest", fill_value=114.0, seed=8
    ),
}


def _check(out):
    images = np.asarray(out["images"])
    semantic = np.asarray(out["segmentation_masks"])
    instances = np.asarray(out["instance_masks"])
    labels = np.asarray(out["bounding_boxes"]["labels"])
    assert semantic.dtype == np.int32 and instances.dtype == np.uint8
    assert semantic.shape == images.shape[:-1] + (1,)
    assert instances.shape[-2:] == images.shape[-3:-1]
    # Padding pixels (image fill 0 or 114) are background in the masks.
    filled = images[..., 2] != 0
    assert (semantic[..., 0][filled] == 0).all()
    codes = np.where(filled, 0, np.round(images[..., 0] / CODE))
    np.testing.assert_array_equal(semantic[..., 0], codes)
    ids = np.where(filled, 0, np.round(images[..., 1] / CODE))
    for k in range(3):
        expected = (ids[..., None, :, :] == k + 1)[..., 0, :, :]
        row = instances[..., k, :, :]
        dropped = labels[..., k] < 0
        expected = np.where(dropped[..., None, None], False, expected)
        np.testing.assert_array_equal(row.astype(bool), expected)


def _with_fill_marker(data):
    # Channel 2 is 0 inside the image; padding gets the fill value, which
    # the layers below set to 0 or 114: mark the inside with -1 instead.
    data = dict(data)
    data["images"] = data["images"].copy()
    data["images"][..., 2] = -1.0
    return data


@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("batched", [False, True])
def test_masks_move_exactly_like_the_image(name, batched):
    rng = np.random.default_rng(0)
    scenes = [_with_fill_marker(_scene(30, 40, rng)) for _ in range(3)]
    layer = LAYERS[name]()
    if batched:
        data = {
            "images": np.stack([s["images"] for s in scenes]),
            "bounding_boxes": {
                k: np.stack([s["bounding_boxes"][k] for s in scenes])
                for k in ("boxes", "labels")
            },
            "segmentation_masks": np.stack([s["segmentation_masks"] for s in scenes]),
            "instance_masks": np.stack([s["instance_masks"] for s in scenes]),
        }
        outs = [layer(data)]
    else:
        outs = [layer(s) for s in scenes]
    for out in outs:
        out = dict(out)
        out["images"] = np.asarray(out["images"]).copy()
        out["images"][..., 2] = np.where(out["images"][..., 2] == -1.0, 0.0, 1.0)
        _check(out)


def test_masks_in_tf_data_map():
    rng = np.random.default_rng(1)
    scenes = [_scene(30, 40, rng) for _ in range(4)]
    ds = tf.data.Dataset.from_tensor_slices(
        {
            "images": np.stack([s["images"] for s in scenes]),
            "bounding_boxes": {
                k: np.stack([s["bounding_boxes"][k] for s in scenes])
                for k in ("boxes", "labels")
            },
            "segmentation_masks": np.stack([s["segmentation_masks"] for s in scenes]),
            "instance_masks": np.stack([s["instance_masks"] for s in scenes]),
        }
    )
    flip = RandomFlip("horizontal", seed=1)
    crop = JitteredResize(32, 32, interpolation="nearest", seed=2)
    batch = next(iter(ds.map(flip).batch(4).map(crop)))
    assert tuple(batch["segmentation_masks"].shape) == (4, 32, 32, 1)
    assert tuple(batch["instance_masks"].shape) == (4, 3, 32, 32)
    codes = np.round(np.asarray(batch["images"])[..., 0] / CODE)
    np.testing.assert_array_equal(
        np.asarray(batch["segmentation_masks"])[..., 0], codes
    )


@pytest.mark.parametrize(
    "layer",
    [
        keras.layers.RandomBrightness(0.5, seed=1),
        keras.layers.RandomContrast(0.5, seed=1),
        keras.layers.RandomColorJitter(
            brightness_factor=0.3,
            contrast_factor=0.3,
            saturation_factor=(0.3, 0.7),
            seed=1,
        ),
    ],
    ids=["brightness", "contrast", "color_jitter"],
)
def test_intensity_transforms_leave_masks_untouched(layer):
    rng = np.random.default_rng(2)
    scene = _scene(24, 24, rng)
    data = {
        "images": tf.constant(scene["images"][None]),
        "segmentation_masks": tf.constant(scene["segmentation_masks"][None]),
    }
    out = layer(data, training=True)
    assert not np.allclose(out["images"], scene["images"][None])
    np.testing.assert_array_equal(
        out["segmentation_masks"], scene["segmentation_masks"][None]
    )


@pytest.mark.parametrize("name", ["flip", "random_crop"])
def test_masks_of_another_size_are_refused(name):
    rng = np.random.default_rng(3)
    data = _scene(30, 40, rng)
    data["segmentation_masks"] = data["segmentation_masks"][:, :20]
    with pytest.raises(ValueError, match="segmentation_masks.*height and width"):
        LAYERS[name]()(data)
    data = _scene(30, 40, rng)
    data["instance_masks"] = data["instance_masks"][:, :10]
    with pytest.raises(ValueError, match="instance_masks.*height and width"):
        LAYERS[name]()(data)
