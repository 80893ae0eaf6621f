# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Rotation, shear, zoom, Mosaic, MixUp, colour jitter and cutout: boxes
checked against the pixels of their objects (the mask test), against
hand-computed cases, and inside `tf.data` with ragged and padded batches."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_cv.src.augmentation import box_utils
from keras_cv.src.augmentation.affine import RandomRotation
from keras_cv.src.augmentation.affine import RandomShear
from keras_cv.src.augmentation.affine import RandomZoom
from keras_cv.src.augmentation.keras_wrappers import RandomColorJitter
from keras_cv.src.augmentation.keras_wrappers import RandomCutout
from keras_cv.src.augmentation.mix import MixUp
from keras_cv.src.augmentation.mix import Mosaic
from keras_cv.src.bounding_box import converters

H, W = 36, 50


def _scene(rng, small=False):
    """Two rectangles (channels 0 and 1) and a padding row, in xyxy."""
    image = np.zeros((H, W, 3), "float32")
    boxes = -np.ones((3, 4), "float32")
    labels = -np.ones((3,), "int32")
    for k in (0, 1):
        if small:
            h, w = rng.integers(1, 4, size=2)
        else:
            h, w = rng.integers(4, 10), rng.integers(4, 12)
        y0 = rng.integers(H // 4, 3 * H // 4 - h)
        x0 = rng.integers(W // 4, 3 * W // 4 - w)
        image[y0 : y0 + h, x0 : x0 + w, k] = 255.0
        boxes[k] = [x0, y0, x0 + w, y0 + h]
        labels[k] = k
    return image, boxes, labels


def _tight_box(mask):
    ys, xs = np.nonzero(mask)
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], "float32")


def _check_affine(image, boxes, labels, fmt):
    """Each kept box is its object's tight box (to 1 px) when the object is
    inside the image, and contains the visible part of it otherwise."""
    image = np.asarray(image)
    height, width = image.shape[:2]
    labels = np.asarray(labels)
    boxes = np.asarray(boxes)
    assert labels[2] == -1 and (boxes[2] == -1).all(), "padding must stay padding"
    xyxy = np.asarray(
        converters.convert_format(boxes, fmt, "xyxy", height=height, width=width)
    )
    for k in (0, 1):
        mask = image[..., k] > 127.5
        if labels[k] == -1:
            assert (boxes[k] == -1).all()
            assert not mask.any(), "a visible object lost its box"
            continue
        assert labels[k] == k, "labels must stay with their boxes"
        if not mask.any():
            # Nearest-neighbour sampling can miss an object under a pixel wide.
            assert min(xyxy[k, 2] - xyxy[k, 0], xyxy[k, 3] - xyxy[k, 1]) <= 1.5
            continue
        tight = _tight_box(mask)
        touches_border = (
            xyxy[k, 0] <= 0
            or xyxy[k, 1] <= 0
            or xyxy[k, 2] >= width
            or xyxy[k, 3] >= height
        )
        if touches_border:
            # Clipped: the box still holds every visible pixel.
            assert (xyxy[k, :2] <= tight[:2] + 1.0).all()
            assert (xyxy[k, 2:] >= tight[2:] - 1.0).all()
        else:
            np.testing.assert_allclose(xyxy[k], tight, atol=1.0 + 1e-4)


AFFINE = [
    (
        "rotation",
        lambda fmt, seed: RandomRotation(
            0.15, bounding_box_format=fmt, interpolation="nearest", seed=seed
        ),
    ),
    (
        "rotation_any",
        lambda fmt, seed: RandomRotation(
            0.5, bounding_box_format=fmt, interpolation="nearest", seed=seed
        ),
    ),
    (
        "shear",
        lambda fmt, seed: RandomShear(
            0.3, 0.3, bounding_box_format=fmt, interpolation="nearest", seed=seed
        ),
    ),
    (
        "shear_x",
        lambda fmt, seed: RandomShear(
            (0.2, 0.6), bounding_box_format=fmt, interpolation="nearest", seed=seed
        ),
    ),
    (
        "zoom",
        lambda fmt, seed: RandomZoom(
            (-0.6, 0.4), bounding_box_format=fmt, interpolation="nearest", seed=seed
        ),
    ),
    (
        "zoom_aspect",
        lambda fmt, seed: RandomZoom(
            (-0.4, 0.4),
            (-0.5, 0.5),
            bounding_box_format=fmt,
            interpolation="nearest",
            seed=seed,
        ),
    ),
]
AFFINE_IDS = [name for name, _ in AFFINE]


@pytest.mark.parametrize("name, make", AFFINE, ids=AFFINE_IDS)
@pytest.mark.parametrize("fmt", ["xyxy", "rel_yxyx"])
@pytest.mark.parametrize("small", [False, True], ids=["objects", "small_objects"])
def test_affine_boxes_follow_their_objects(name, make, fmt, small):
    rng = np.random.default_rng(0)
    layer = make(fmt, 11)
    for _ in range(4):
        image, boxes, labels = _scene(rng, small=small)
        fmt_boxes = np.asarray(
            converters.convert_format(boxes, "xyxy", fmt, height=H, width=W)
        ).copy()
        fmt_boxes[labels < 0] = -1
        out = layer(
            {"images": image, "bounding_boxes": {"boxes": fmt_boxes, "labels": labels}},
            training=True,
        )
        _check_affine(
            out["images"],
            out["bounding_boxes"]["boxes"],
            out["bounding_boxes"]["labels"],
            fmt,
        )


@pytest.mark.parametrize("name, make", AFFINE, ids=AFFINE_IDS)
def test_affine_in_tf_data_on_padded_and_ragged_batches(name, make):
    rng = np.random.default_rng(1)
    scenes = [_scene(rng) for _ in range(4)]
    images = np.stack([s[0] for s in scenes])
    layer = make("xyxy", 5)
    padded = tf.data.Dataset.from_tensor_slices(
        {
            "images": images,
            "bounding_boxes": {
                "boxes": np.stack([s[1] for s in scenes]),
                "labels": np.stack([s[2] for s in scenes]),
            },
        }
    ).batch(2)
    # Ragged: the padding row is removed, then put back by the layer.
    ragged = tf.data.Dataset.from_tensor_slices(
        {
            "images": images,
            "bounding_boxes": {
                "boxes": tf.ragged.constant([s[1][:2] for s in scenes], ragged_rank=1),
                "labels": tf.ragged.constant([s[2][:2] for s in scenes]),
            },
        }
    ).batch(2)
    for ds, rows in ((padded, 3), (ragged, 2)):
        moved = False
        for batch in ds.map(lambda d: layer(d, training=True)):
            boxes = np.asarray(batch["bounding_boxes"]["boxes"])
            labels = np.asarray(batch["bounding_boxes"]["labels"])
            assert boxes.shape[1] == rows
            for i in range(2):
                b = np.concatenate([boxes[i], -np.ones((3 - rows, 4))])
                lab = np.concatenate([labels[i], -np.ones(3 - rows, "int32")])
                _check_affine(batch["images"][i], b, lab, "xyxy")
                moved |= not np.allclose(boxes[i, :2], [s[1][:2] for s in scenes][0])
        assert moved


def test_hand_computed_rotation_zoom_and_shear():
    image = np.zeros((10, 10, 3), "float32")
    data = {
        "images": image,
        "bounding_boxes": {
            "boxes": [[1.0, 2.0, 4.0, 3.0], [0.0, 0.0, 2.0, 2.0], [-1.0] * 4],
            "labels": [4, 5, -1],
        },
    }
    # 90 degrees counter-clockwise about the centre (5, 5):
    # (x, y) -> (y, 10 - x).
    out = RandomRotation((0.25, 0.25))(data)
    np.testing.assert_allclose(
        out["bounding_boxes"]["boxes"],
        [[2.0, 6.0, 3.0, 9.0], [0.0, 8.0, 2.0, 10.0], [-1.0] * 4],
        atol=1e-4,
    )
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], [4, 5, -1])
    # Zoom in 2x about the centre: x -> 2 x - 5. The corner box leaves the
    # image and is dropped; the first is clipped.
    out = RandomZoom((-0.5, -0.5))(data)
    np.testing.assert_allclose(
        out["bounding_boxes"]["boxes"],
        [[0.0, 0.0, 3.0, 1.0], [-1.0] * 4, [-1.0] * 4],
        atol=1e-4,
    )
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], [4, -1, -1])
    # Horizontal shear by s = +-0.5 about the top-left pixel centre:
    # x -> x - s (y - 0.5); Keras picks the sign at random.
    data["bounding_boxes"]["boxes"][1] = [6.0, 4.0, 8.0, 8.0]
    expected = {
        0.5: [[-0.75, 2.0, 3.25, 3.0], [2.25, 4.0, 6.25, 8.0]],
        -0.5: [[1.75, 2.0, 5.25, 3.0], [7.75, 4.0, 10.0, 8.0]],
    }
    seen = set()
    for seed in range(8):
        out = RandomShear((0.5, 0.5), 0.0, seed=seed)(data)
        boxes = np.asarray(out["bounding_boxes"]["boxes"])[:2]
        boxes_clipped = {s: np.clip(np.array(e), 0, 10) for s, e in expected.items()}
        sign = [s for s, e in boxes_clipped.items() if np.allclose(boxes, e, atol=1e-4)]
        assert len(sign) == 1, boxes
        seen.add(sign[0])
    assert seen == {0.5, -0.5}


def test_keras_random_shear_boxes_miss_the_object():
    # The fault our RandomShear fixes: Keras 3.15 shears boxes in relative
    # coordinates, so on a non-square image they miss their object.
    rng = np.random.default_rng(3)
    worst = 0.0
    for seed in range(4):
        image, boxes, labels = _scene(rng)
        layer = keras.layers.RandomShear(
            0.3,
            0.3,
            interpolation="nearest",
            fill_mode="constant",
            bounding_box_format="xyxy",
            seed=seed,
        )
        out = layer(
            {
                "images": image[None],
                "bounding_boxes": {
                    "boxes": boxes[None, :2],
                    "labels": labels[None, :2],
                },
            },
            training=True,
        )
        for k in (0, 1):
            mask = np.asarray(out["images"][0])[..., k] > 127.5
            if mask.any():
                error = np.abs(out["bounding_boxes"]["boxes"][0, k] - _tight_box(mask))
                worst = max(worst, float(np.max(error)))
    assert worst > 2.0


def _coded_batch(rng, batch=4, objects=3):
    """Images whose channels code, per pixel: object id, source y, source x,
    source image index. Object ids are unique in the batch and are the
    labels, so a box can be traced to its object. The last row is padding."""
    images = np.zeros((batch, H, W, 4), "float32")
    boxes = -np.ones((batch, objects + 1, 4), "float32")
    labels = -np.ones((batch, objects + 1), "int32")
    instance = np.zeros((batch, objects + 1, H, W), "uint8")
    yy, xx = np.mgrid[:H, :W]
    for i in range(batch):
        images[i, ..., 1] = yy
        images[i, ..., 2] = xx
        images[i, ..., 3] = i
        taken = np.zeros((H, W), bool)
        for k in range(objects):
            # Objects do not overlap: each is a rectangle of its own pixels.
            while True:
                h, w = rng.integers(4, 14), rng.integers(4, 18)
                y0, x0 = rng.integers(0, H - h), rng.integers(0, W - w)
                if not taken[y0 : y0 + h, x0 : x0 + w].any():
                    break
            taken[y0 : y0 + h, x0 : x0 + w] = True
            label = 1 + i * objects + k
            images[i, y0 : y0 + h, x0 : x0 + w, 0] = label
            instance[i, k, y0 : y0 + h, x0 : x0 + w] = 1
            boxes[i, k] = [x0, y0, x0 + w, y0 + h]
            labels[i, k] = label
    return images, boxes, labels, instance


def test_mosaic_boxes_are_the_tight_boxes_of_their_objects():
    rng = np.random.default_rng(4)
    images, boxes, labels, instance = _coded_batch(rng)
    layer = Mosaic(seed=3)
    rows = labels.shape[1]
    seen_sources = set()
    for _ in range(3):
        out = layer(
            {
                "images": images,
                "bounding_boxes": {"boxes": boxes, "labels": labels},
                "instance_masks": instance,
            }
        )
        out_images = np.asarray(out["images"])
        out_boxes = np.asarray(out["bounding_boxes"]["boxes"])
        out_labels = np.asarray(out["bounding_boxes"]["labels"])
        out_instance = np.asarray(out["instance_masks"])
        assert out_boxes.shape == (4, 4 * rows, 4)
        assert out_instance.shape == (4, 4 * rows, H, W)
        for i in range(4):
            image = out_images[i]
            # The top-left pixel shows source pixel (H - yc, W - xc).
            yc = H - int(image[0, 0, 1])
            xc = W - int(image[0, 0, 2])
            assert H // 4 - 1 <= yc <= 3 * H // 4 + 1
            quadrants = [
                (slice(0, yc), slice(0, xc)),
                (slice(0, yc), slice(xc, W)),
                (slice(yc, H), slice(0, xc)),
                (slice(yc, H), slice(xc, W)),
            ]
            for q, (ys, xs) in enumerate(quadrants):
                region = np.zeros((H, W), bool)
                region[ys, xs] = True
                source = int(image[ys, xs, 3][0, 0])
                seen_sources.add((i, q, source))
                assert (image[ys, xs, 3] == source).all()
                visible = set(np.unique(image[..., 0][region]).tolist()) - {0}
                kept = set()
                for r in range(q * rows, (q + 1) * rows):
                    label = out_labels[i, r]
                    if label < 0:
                        assert (out_boxes[i, r] == -1).all()
                        assert not out_instance[i, r].any()
                        continue
                    kept.add(int(label))
                    # Rows keep their source's order: row r is row r - q*rows
                    # of the source image.
                    assert label == labels[source, r - q * rows]
                    mask = (image[..., 0] == label) & region
                    np.testing.assert_allclose(out_boxes[i, r], _tight_box(mask))
                    np.testing.assert_array_equal(out_instance[i, r], mask)
                assert kept == visible
    # Images are mixed with others of the batch.
    assert any(source != i for i, q, source in seen_sources if q > 0)


def test_mosaic_in_tf_data_with_ragged_boxes_and_other_formats():
    rng = np.random.default_rng(5)
    images, boxes, labels, _ = _coded_batch(rng, batch=6)
    keep = labels >= 0
    ds = tf.data.Dataset.from_tensor_slices(
        {
            "images": images,
            "bounding_boxes": {
                "boxes": tf.RaggedTensor.from_row_lengths(
                    np.asarray(
                        converters.convert_format(
                            boxes[keep], "xyxy", "rel_center_xywh", height=H, width=W
                        )
                    ),
                    keep.sum(1),
                ),
                "labels": tf.RaggedTensor.from_row_lengths(labels[keep], keep.sum(1)),
            },
        }
    )
    layer = Mosaic(bounding_box_format="rel_center_xywh", seed=1)
    for batch in ds.batch(3).map(layer):
        out_boxes = np.asarray(
            converters.convert_format(
                batch["bounding_boxes"]["boxes"],
                "rel_center_xywh",
                "xyxy",
                height=H,
                width=W,
            )
        )
        out_labels = np.asarray(batch["bounding_boxes"]["labels"])
        for i in range(3):
            image = np.asarray(batch["images"][i])
            for r in np.nonzero(out_labels[i] >= 0)[0]:
                mask = image[..., 0] == out_labels[i, r]
                tight = _tight_box(mask)
                # The object can also show in another quadrant; its box
                # lies within the object's pixels' overall box.
                assert (out_boxes[i, r, :2] >= tight[:2] - 1e-3).all()
                assert (out_boxes[i, r, 2:] <= tight[2:] + 1e-3).all()


def test_mix_up_blends_two_images_and_keeps_both_box_sets():
    rng = np.random.default_rng(6)
    batch = 5
    images = rng.uniform(0, 255, (batch, 12, 14, 3)).astype("float32")
    boxes = rng.uniform(0, 10, (batch, 2, 4)).astype("float32")
    boxes[..., 2:] += boxes[..., :2]
    labels = rng.integers(0, 9, (batch, 2)).astype("int32")
    boxes[1, 1] = -1
    labels[1, 1] = -1
    instance = rng.integers(0, 2, (batch, 2, 12, 14)).astype("uint8")
    layer = MixUp(alpha=0.8, seed=2)
    out = layer(
        {
            "images": images,
            "bounding_boxes": {"boxes": boxes, "labels": labels},
            "instance_masks": instance,
        }
    )
    out_images = np.asarray(out["images"])
    weights = []
    for i in range(batch):
        # Find the partner j and the weight w with out = w a + (1 - w) b.
        fits = []
        for j in range(batch):
            a, b = images[i].ravel(), images[j].ravel()
            d = a - b
            w = float(np.dot(out_images[i].ravel() - b, d) / max(np.dot(d, d), 1e-9))
            residual = np.abs(w * a + (1 - w) * b - out_images[i].ravel()).max()
            fits.append((residual, j, w))
        residual, j, w = min(fits)
        assert residual < 1e-2 and j != i and 0.0 <= w <= 1.0
        weights.append(w)
        np.testing.assert_allclose(out["bounding_boxes"]["boxes"][i, :2], boxes[i])
        np.testing.assert_allclose(out["bounding_boxes"]["boxes"][i, 2:], boxes[j])
        np.testing.assert_array_equal(
            out["bounding_boxes"]["labels"][i], np.concatenate([labels[i], labels[j]])
        )
        np.testing.assert_array_equal(
            out["instance_masks"][i], np.concatenate([instance[i], instance[j]])
        )
    assert np.std(weights) > 0.01


def test_mix_up_in_tf_data_with_ragged_boxes():
    ds = tf.data.Dataset.from_tensor_slices(
        {
            "images": np.zeros((4, 8, 8, 3), "float32"),
            "bounding_boxes": {
                "boxes": tf.ragged.constant(
                    [[[0.0, 0.0, 2.0, 2.0]], [], [[1.0, 1.0, 3.0, 3.0]] * 2, []],
                    ragged_rank=1,
                ),
                "labels": tf.ragged.constant([[1], [], [2, 3], []], dtype="int32"),
            },
        }
    )
    batch = next(iter(ds.batch(4).map(MixUp(seed=1))))
    labels = np.asarray(batch["bounding_boxes"]["labels"])
    boxes = np.asarray(batch["bounding_boxes"]["boxes"])
    assert labels.shape == (4, 4)
    # Each image keeps its own labels first; padding rows are -1 boxes.
    np.testing.assert_array_equal(labels[:, :2], [[1, -1], [-1, -1], [2, 3], [-1, -1]])
    assert (boxes[labels < 0] == -1).all()
    assert sorted(labels[labels >= 0].tolist()) == [1, 1, 2, 2, 3, 3]


def test_keras_mix_up_misaligns_labels():
    # Why MixUp is ours: Keras 3.15 concatenates boxes along the box axis
    # but labels along the batch axis.
    out = keras.layers.MixUp(bounding_box_format="xyxy", seed=1)(
        {
            "images": np.zeros((2, 8, 8, 3), "float32"),
            "bounding_boxes": {
                "boxes": np.array([[[1.0, 1.0, 3.0, 3.0]]] * 2, "float32"),
                "labels": np.array([[1.0], [2.0]], "float32"),
            },
        }
    )
    assert (
        out["bounding_boxes"]["boxes"].shape[:2]
        != out["bounding_boxes"]["labels"].shape[:2]
    )


@pytest.mark.parametrize(
    "layer",
    [
        RandomColorJitter(
            brightness_factor=0.3,
            contrast_factor=0.3,
            saturation_factor=(0.2, 0.8),
            hue_factor=0.1,
            seed=1,
            bounding_box_format="rel_xywh",
        ),
        RandomCutout(
            factor=1.0,
            scale=(0.2, 0.3),
            fill_value=0.0,
            seed=1,
            bounding_box_format="rel_xywh",
        ),
    ],
    ids=["color_jitter", "cutout"],
)
def test_pixel_only_layers_keep_boxes_in_tf_data(layer):
    rng = np.random.default_rng(7)
    images = rng.uniform(10, 245, (4, 16, 16, 3)).astype("float32")
    boxes = tf.ragged.constant(
        [[[0.1, 0.1, 0.3, 0.3]], [], [[0.5, 0.5, 0.2, 0.4], [0.0, 0.0, 1.0, 1.0]], []],
        ragged_rank=1,
    )
    labels = tf.ragged.constant([[1], [], [2, 3], []], dtype="int32")
    ds = tf.data.Dataset.from_tensor_slices(
        {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    )
    batch = next(iter(ds.batch(4).map(lambda d: layer(d, training=True))))
    assert not np.allclose(batch["images"], images)
    np.testing.assert_allclose(
        batch["bounding_boxes"]["boxes"], boxes.to_tensor(-1.0), atol=1e-6
    )
    np.testing.assert_array_equal(
        batch["bounding_boxes"]["labels"], labels.to_tensor(-1)
    )
    # Unbatched, in inference: unchanged.
    one = layer(
        {
            "images": images[0],
            "bounding_boxes": {"boxes": [[0.1, 0.1, 0.3, 0.3]], "labels": [1]},
        },
        training=False,
    )
    np.testing.assert_allclose(one["images"], images[0])


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (RandomRotation, {"factor": 0.1, "bounding_box_format": "rel_xyxy", "seed": 1}),
        (
            RandomShear,
            {"x_factor": 0.2, "y_factor": 0.1, "bounding_box_format": "yxyx"},
        ),
        (RandomZoom, {"height_factor": (-0.2, 0.3), "seed": 2}),
        (
            Mosaic,
            {"bounding_box_format": "xywh", "center_range": (0.3, 0.6), "seed": 3},
        ),
        (MixUp, {"alpha": 0.5, "bounding_box_format": "center_xywh", "seed": 4}),
        (RandomColorJitter, {"brightness_factor": 0.2, "hue_factor": 0.1}),
        (RandomCutout, {"factor": 0.5, "fill_value": 114.0, "seed": 5}),
    ],
)
def test_config_round_trip(cls, kwargs):
    layer = cls(**kwargs)
    config = layer.get_config()
    assert cls.from_config(config).get_config() == config
    revived = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(layer), safe_mode=True
    )
    assert isinstance(revived, cls) and revived.get_config() == config


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"needs batched images.*\.batch\(\)"):
        Mosaic()({"images": np.zeros((8, 8, 3), "float32")})
    with pytest.raises(ValueError, match="needs batched images"):
        MixUp()({"images": np.zeros((8, 8, 3), "float32")})
    with pytest.raises(ValueError, match="segmentation_masks"):
        MixUp()(
            {
                "images": np.zeros((2, 8, 8, 3), "float32"),
                "segmentation_masks": np.zeros((2, 8, 8, 1), "int32"),
            }
        )
    with pytest.raises(ValueError, match="alpha.*Received: alpha=0"):
        MixUp(alpha=0)
    with pytest.raises(ValueError, match="center_range.*Received"):
        Mosaic(center_range=(0.8, 0.2))
    with pytest.raises(ValueError, match="format"):
        RandomRotation(0.1, bounding_box_format="xyzw")
    with pytest.raises(ValueError, match="last dimension of 4"):
        RandomShear(0.1)(
            {
                "images": np.zeros((8, 8, 3), "float32"),
                "bounding_boxes": {"boxes": [[1.0, 2.0, 3.0]], "labels": [0]},
            }
        )


def test_inference_leaves_data_unchanged():
    rng = np.random.default_rng(8)
    images, boxes, labels, _ = _coded_batch(rng, batch=2)
    data = {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    for layer in (
        RandomRotation(0.2),
        RandomShear(0.3),
        RandomZoom(0.3),
        Mosaic(),
        MixUp(),
    ):
        out = layer(data, training=False)
        np.testing.assert_allclose(out["images"], images)
        np.testing.assert_allclose(out["bounding_boxes"]["boxes"], boxes)
        np.testing.assert_array_equal(out["bounding_boxes"]["labels"], labels)


_scales = st.floats(0.2, 5.0).flatmap(lambda s: st.sampled_from([s, -s]))
_offsets = st.floats(-50.0, 50.0)
_coords = st.floats(0.0, 60.0)


@settings(max_examples=60, deadline=None)
@given(
    sx=_scales,
    sy=_scales,
    ox=_offsets,
    oy=_offsets,
    corners=st.lists(
        st.tuples(_coords, _coords, _coords, _coords), min_size=1, max_size=4
    ),
)
def test_pixel_transform_boxes_match_the_continuous_map(sx, sy, ox, oy, corners):
    # The map X -> s X + o in continuous coordinates is, in Keras' pixel
    # index convention (output pixel -> input pixel), x_in = (x_out + 0.5 - o)
    # / s - 0.5. Boxes must follow the continuous map (flips swap the ends).
    matrix = [
        1 / sx,
        0.0,
        (0.5 - ox) / sx - 0.5,
        0.0,
        1 / sy,
        (0.5 - oy) / sy - 0.5,
        0.0,
        0.0,
    ]
    boxes = np.array(
        [[min(a, c), min(b, d), max(a, c), max(b, d)] for a, b, c, d in corners],
        "float32",
    )
    xs = np.sort(np.stack([boxes[:, 0] * sx + ox, boxes[:, 2] * sx + ox], 1), 1)
    ys = np.sort(np.stack([boxes[:, 1] * sy + oy, boxes[:, 3] * sy + oy], 1), 1)
    expected = np.stack([xs[:, 0], ys[:, 0], xs[:, 1], ys[:, 1]], 1)
    got = box_utils.boxes_through_pixel_transform(boxes, matrix)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-3)
    # Batched: one matrix per image.
    identity = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    got = box_utils.boxes_through_pixel_transform(
        np.stack([boxes, boxes]), [matrix, identity]
    )
    np.testing.assert_allclose(got[0], expected, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(got[1], boxes, rtol=1e-5, atol=1e-3)
